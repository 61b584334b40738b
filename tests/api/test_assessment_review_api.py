"""The assessment workflow over the API, as on the pages: the result with aspect and indicator scores
and the diagnosis, approve and return with a reason (the jurisdiction's authority only, never someone
who works for the enterprise), revise a returned one, delete one's own draft."""

import pytest

from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.audit.models import AuditEvent
from tests.api.test_assessments_api import FULL, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, mini_version):
    a = services.start(world.a, mini_version, 2024, by=world.ent_a)
    services.save_draft(a, FULL)
    return services.submit(a, by=world.ent_a)


def post(client, url, user, body=None):
    return client.post(url, body or {}, content_type="application/json", **bearer(user))


def test_it_approves_only_as_the_jurisdictions_independent_authority(client, world, submitted):
    url = f"/api/assessments/{submitted.pk}/approve"
    for outsider in ("ent_b", "other_province", "assessor", "ent_a", "consultant"):  # the last two work for A
        r = post(client, url, getattr(world, outsider))
        assert r.status_code == 404 and r.json()["code"] == "not_found", outsider
    assert client.post(url).status_code == 401
    r = post(client, url, world.city_authority)
    assert r.status_code == 200 and r.json()["status"] == "scored"
    assert r.json()["score"]["total"] == pytest.approx(84.9, abs=0.05)
    again = post(client, url, world.province)
    assert again.status_code == 409 and "审核通过" in again.json()["message"]


def test_it_refuses_to_let_someone_approve_what_they_submitted(client, world, mini_version):
    a = services.start(world.a, mini_version, 2024, by=world.admin)
    services.save_draft(a, FULL)
    services.submit(a, by=world.admin)
    r = post(client, f"/api/assessments/{a.pk}/approve", world.admin)
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_it_returns_with_a_reason_and_the_enterprise_revises(client, world, submitted):
    url = f"/api/assessments/{submitted.pk}/return"
    r = post(client, url, world.city_authority, {"reason": ""})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "payload.reason"
    assert post(client, url, world.other_province, {"reason": "数据不实"}).status_code == 404
    r = post(client, url, world.city_authority, {"reason": "第2题数据不实"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert Assessment.objects.get(pk=submitted.pk).review_reason == "第2题数据不实"
    assert post(client, f"/api/assessments/{submitted.pk}/revise", world.city_authority).status_code == 404
    r = post(client, f"/api/assessments/{submitted.pk}/revise", world.consultant)
    assert r.status_code == 201 and (r.json()["version"], r.json()["status"]) == (2, "draft")
    assert r.json()["answers"] == {k: v for k, v in FULL.items()}
    assert post(client, f"/api/assessments/{submitted.pk}/revise", world.ent_a).status_code == 409


def test_it_gives_the_result_with_aspects_indicators_and_diagnosis(client, world, submitted):
    url = f"/api/assessments/{submitted.pk}/result"
    r = client.get(url, **bearer(world.ent_a))
    assert r.status_code == 409 and r.json()["code"] == "not_scored"
    services.approve(submitted, by=world.city_authority)
    result = client.get(url, **bearer(world.ent_a)).json()
    stored = Assessment.objects.get(pk=submitted.pk).score
    assert (result["total"], result["stage"], result["stage_label"]) == (stored.total, stored.stage, "集成提升")
    assert [n["id"] for n in result["aspects"]] == ["A", "B"]  # the children of the root
    assert {n["id"]: n["score"] for n in result["indicators"]} == stored.nodes
    assert result["indicators"][0]["depth"] == 0 and result["aspects"][0]["depth"] == 1
    assert result["diagnosis"] == stored.diagnosis
    assert result["placeholder_weights"] is submitted.framework.loaded().framework.placeholder is False
    assert [r["id"] for r in result["rates"]] == list(stored.rates)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **bearer(world.ent_a)).json()
    assert english["aspects"][0]["name"] != result["aspects"][0]["name"]
    assert client.get(url, **bearer(world.city_authority)).status_code == 200
    for outsider in ("ent_b", "other_province", "assessor"):
        assert client.get(url, **bearer(getattr(world, outsider))).status_code == 404, outsider


def test_it_deletes_only_ones_own_draft(client, world, mini_version, submitted):
    draft = services.start(world.a, mini_version, 2025, by=world.ent_a)
    url = f"/api/assessments/{draft.pk}"
    for outsider in ("ent_b", "city_authority", "other_province", "assessor"):
        assert client.delete(url, **bearer(getattr(world, outsider))).status_code == 404, outsider
    r = client.delete(f"/api/assessments/{submitted.pk}", **bearer(world.ent_a))
    assert r.status_code == 409 and Assessment.objects.filter(pk=submitted.pk).exists()
    assert client.delete(url, **bearer(world.ent_a_member)).status_code == 204
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="assessment.deleted", object_id=str(draft.pk))
    assert event.actor == world.ent_a_member and event.data["year"] == 2025
    assert client.delete(url, **bearer(world.ent_a)).status_code == 404


def test_it_filters_the_list_by_status(client, world, mini_version, submitted):
    services.start(world.a, mini_version, 2025, by=world.ent_a)
    r = client.get("/api/assessments/", {"status": "submitted"}, **bearer(world.ent_a)).json()
    assert r["count"] == 1 and r["items"][0]["id"] == submitted.pk
    assert client.get("/api/assessments/", {"status": "lost"}, **bearer(world.ent_a)).status_code == 422
