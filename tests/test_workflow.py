"""One protocol for the steps of 贯标/评定, pilot programmes and the provider catalogue (``ronghe/workflow.py``):
the services' two errors, the bound on a person's text, and how the API and the pages answer them."""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from ronghe import workflow
from ronghe.apps.certification import services as certification
from ronghe.apps.programs import services as programs
from ronghe.apps.providers import services as providers
from ronghe.core.messages import message, use_locale
from tests.apps.programs.helpers import days
from tests.apps.providers.helpers import catalogue


def test_it_is_the_error_every_workflow_app_raises_and_its_callers_catch():
    for services in (certification, programs, providers):
        assert (services.Refused, services.InputError) == (workflow.Refused, workflow.InputError)


def test_it_bounds_a_persons_text():
    assert workflow.clean_text("  整改完成 ", "answer") == "整改完成"
    assert workflow.clean_text(None, "answer") == ""
    assert workflow.clean_text("字" * 5000, "answer") == "字" * 5000
    with translation.override("zh-hans"):  # the site's default language
        for bad in ("字" * 5001, "a\x00b"):
            with pytest.raises(workflow.InputError, match=r"^answer：最多 5000 个字符，不得含空字符（NUL）$"):
                workflow.clean_text(bad, "answer")
        with pytest.raises(workflow.InputError, match=r"^title：最多 200 个字符"):
            workflow.clean_text("x" * 201, "title", limit=200)
        with pytest.raises(workflow.InputError, match=r"^title：必填$"):
            workflow.clean_text(" \n", "title", required=True)
    with translation.override("en"):  # the field keeps its payload key in both languages
        with pytest.raises(workflow.InputError, match=r"^answer: at most 5000 characters, no NUL$"):
            workflow.clean_text("a\x00b", "answer")
        with pytest.raises(workflow.InputError, match=r"^title: required$"):
            workflow.clean_text(" \n", "title", required=True)


def test_it_bounds_a_number_within_its_range_inclusive():
    assert [workflow.within(v, "quota", 0, 100_000) for v in (0, 7, 100_000)] == [0, 7, 100_000]
    with translation.override("zh-hans"):
        for bad in (-1, 100_001, 0.5e6):
            with pytest.raises(workflow.InputError, match=r"^quota：应为 0 至 100000$"):
                workflow.within(bad, "quota", 0, 100_000)
        with pytest.raises(workflow.InputError, match=r"^pass_mark：应为 0 至 100$"):
            workflow.within(float("nan"), "pass_mark", 0, 100)  # outside every range
    with translation.override("en"), pytest.raises(workflow.InputError, match=r"^places: from 1 to 99$"):
        workflow.within(0, "places", 1, 99)


def test_a_refusal_carries_the_catalogues_code_and_message():
    with use_locale("zh-Hans"):
        exc = workflow.Refused.of("providers.answer.missing")
        assert (exc.code, str(exc)) == ("providers.answer.missing", message("providers.answer.missing"))
    assert workflow.InputError("x").faults == [] and workflow.InputError("x", [("a", "b")]).faults == [("a", "b")]


@pytest.mark.django_db
def test_the_api_answers_a_refusal_409_with_its_code_and_bad_input_422_with_each_fault(client, world):
    _hz, _bj, offers = catalogue(world)
    r = providers.send_request(world.a, offers["bj_base"], message="需要贯标咨询", by=world.ent_a)
    client.force_login(world.other_provider)
    refused = client.post(f"/api/providers/requests/{r.pk}/transitions", {"name": "answer"},
                          content_type="application/json")
    assert refused.status_code == 409
    assert refused.json() == {"code": "providers.answer.missing", "message": "请填写答复（服务方案、报价或联系方式）",
                              "details": []}
    client.force_login(world.ent_a)
    unshared = client.post("/api/providers/requests", {"offering": offers["bj_base"].pk, "enterprise": world.a.pk,
                                                       "message": "x", "share": True}, content_type="application/json")
    assert unshared.status_code == 422
    assert unshared.json() == {"code": "invalid", "message": "请选择要附带其诊断的评估", "details": []}
    client.force_login(world.province)
    call = {"program": "other", "title": "试点", "year": 2026, "declare_from": str(days(-1)),
            "declare_until": str(days(10)), "recommend_until": str(days(20)),
            "criteria": [{"id": "a", "name": "x", "points": 50}]}
    faults = client.post("/api/programs/calls", call, content_type="application/json")
    assert faults.status_code == 422 and faults.json()["code"] == "invalid"
    assert faults.json()["details"] == [{"field": "criteria", "reason": "the points add up to 50, not 100"}]


@pytest.mark.django_db
def test_bad_input_reads_in_the_persons_language_naming_the_payload_field(client, world):
    _hz, _bj, offers = catalogue(world)
    client.force_login(world.ent_a)
    unshared = {"offering": offers["bj_base"].pk, "enterprise": world.a.pk, "message": "x", "share": True}
    chinese = client.post("/api/providers/requests", unshared, content_type="application/json")
    assert (chinese.status_code, chinese.json()["message"]) == (422, "请选择要附带其诊断的评估")
    english = client.post("/api/providers/requests", unshared, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"code": "invalid", "message": "choose the assessment whose diagnosis to send",
                              "details": []}
    client.force_login(world.province)
    call = {"program": "other", "title": " ", "year": 2026, "declare_from": str(days(-1)),
            "declare_until": str(days(10)), "recommend_until": str(days(20))}
    untitled = client.post("/api/programs/calls", call, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert (untitled.status_code, untitled.json()["message"]) == (422, "title: required")
    untitled = client.post("/api/programs/calls", call, content_type="application/json")  # the last one: default
    assert (untitled.status_code, untitled.json()["message"]) == (422, "title：必填")


@pytest.mark.django_db
def test_a_page_shows_a_bad_form_or_a_refused_step_as_a_message_and_writes_nothing(client, world):
    _hz, _bj, offers = catalogue(world)
    r = providers.send_request(world.a, offers["bj_base"], message="需要贯标咨询", by=world.ent_a)
    client.force_login(world.other_provider)
    url = f"/providers/requests/{r.pk}/transition/"
    for data, shown in (({"name": "fly"}, "fly"), ({"name": "answer"}, "请填写答复（服务方案、报价或联系方式）")):
        page = client.post(url, data)
        assert page.status_code == 302 and page["Location"] == f"/providers/requests/{r.pk}/"
        said = [str(m) for m in get_messages(page.wsgi_request)]
        assert shown in said[-1] and "None" not in said[-1]  # a field without a label is not named "None"
    r.refresh_from_db()
    assert r.state == "sent" and r.answer == ""
    assert client.post(url, {"name": "answer", "answer": "报价 12 万元"}).status_code == 302
    r.refresh_from_db()
    assert (r.state, r.answer) == ("answered", "报价 12 万元")
