import pytest

from ronghe.apps.frameworks import services

pytestmark = pytest.mark.django_db


def test_it_lists_frameworks_as_json(client, mini_path):
    services.register_files([mini_path])
    data = client.get("/api/frameworks/").json()
    assert data["count"] == 1
    assert [(d["slug"], d["version"], d["n_items"]) for d in data["items"]] == [("mini", 1, 5)]


def test_it_returns_the_tree_with_effective_shares(client, mini_path):
    services.register_files([mini_path])
    data = client.get("/api/frameworks/mini", {"locale": "en"}).json()
    (root,) = data["roots"]
    assert root["name"] == "Level"
    b = next(c for c in root["children"] if c["id"] == "B")
    assert b["share"] == pytest.approx(0.6)
    b2 = next(c for c in b["children"] if c["id"] == "B2")
    assert b2["share"] == pytest.approx(0.3)
    assert [i["id"] for i in b2["items"]] == ["b2", "b3"]


def test_it_answers_404_for_an_unknown_framework(client):
    r = client.get("/api/frameworks/nope")
    assert r.status_code == 404 and r.json()["code"] == "not_found" and r.json()["message"]
    assert client.get("/api/frameworks/mini", {"version": 2**40}).status_code == 422


def test_it_serves_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/frameworks/" in schema["paths"]
