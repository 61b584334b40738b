"""The OpenAPI schema speaks the caller's language: 简体中文 by default, English when asked (the
site's language cookie, or ``Accept-Language`` for a program)."""

import re

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


def operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path, method, op


@pytest.mark.django_db
def test_it_writes_summaries_and_descriptions_in_chinese_by_default(client):
    schema = client.get("/api/openapi.json").json()
    assert HAN.search(schema["info"]["description"])
    checked = 0
    for path, method, op in operations(schema):
        checked += 1
        assert HAN.search(op["summary"]), f"{method} {path}: {op['summary']}"
        if "description" in op:
            assert HAN.search(op["description"]), f"{method} {path}: {op['description']}"
    assert checked >= 60  # every router, certification, benchmarking and regions included


@pytest.mark.django_db
def test_it_writes_them_in_english_when_asked(client):
    by_header = client.get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE="en").json()
    client.cookies["django_language"] = "en"
    by_cookie = client.get("/api/openapi.json").json()
    assert by_header == by_cookie
    op = by_header["paths"]["/api/assessments/{assessment_id}/approve"]["post"]
    assert op["summary"] == "Approve a submitted assessment (it is scored)"
    client.cookies.clear()
    chinese = client.get("/api/openapi.json").json()
    for path, method, op in operations(by_header):
        assert op["summary"] != chinese["paths"][path][method]["summary"], f"{method} {path}"
        if "description" in op:
            assert op["description"] != chinese["paths"][path][method]["description"], f"{method} {path}"


@pytest.mark.django_db
def test_it_declares_every_error_an_operation_can_answer(client):
    schema = client.get("/api/openapi.json").json()
    mine = [(p, m, op) for p, m, op in operations(schema) if p.startswith(("/api/organizations", "/api/assessments"))]
    assert len(mine) >= 15
    for path, method, op in mine:
        assert {"400", "401", "422"} <= set(op["responses"]), f"{method} {path}"
        if "{" in path:
            assert "404" in op["responses"], f"{method} {path}"
        for status, body in op["responses"].items():
            if int(status) >= 400:
                assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_it_leaves_empty_texts_and_fields_named_like_texts_alone():
    """gettext("") is the catalogue's header; a schema property called ``description`` is a field."""
    from django.utils import translation

    from ronghe.api import translated

    node = {"description": "", "properties": {"description": {"type": "string", "title": "Description"}},
            "summary": "Rows"}
    with translation.override("zh-hans"):
        assert translated(node) == {**node, "summary": "行数"}


@pytest.mark.django_db
def test_it_names_each_status_of_an_operation_once(client):
    """JSON with a key twice (ninja's 200 beside a route's own "200") leaves Swagger UI blank."""
    import json

    def unique(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=unique)
