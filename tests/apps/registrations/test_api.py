"""The registration API: public register (throttled, faults named), the desk's paginated list,
approve and reject through the same services, with declared error bodies."""

import pytest
from django.core import mail
from django.core.cache import cache

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.registrations.models import Registration
from tests.apps.registrations.helpers import payload, pending
from tests.apps.registrations.matrix import R

pytestmark = pytest.mark.django_db


def test_it_registers_without_an_account_and_names_faults(client, world):
    cache.clear()
    r = client.post(f"{R}/", payload(), content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "pending" and "等待" in r.json()["message"]
    reg = Registration.objects.get(pk=r.json()["id"])
    assert not reg.user.is_active and reg.authority == world.hangzhou
    bad = client.post(f"{R}/", payload(170, region="330100", credit_code=reg.credit_code, password="1"),
                      content_type="application/json")
    body = bad.json()
    assert bad.status_code == 422 and body["code"] == "invalid"
    assert {d["field"] for d in body["details"]} == {"region", "credit_code", "password"}
    assert any("待审核" in d["reason"] for d in body["details"] if d["field"] == "credit_code")
    cache.clear()


def test_it_throttles_registration_per_client_address(client, world, settings):
    cache.clear()
    settings.RONGHE_SIGNUP_RATE = "1/3600"
    assert client.post(f"{R}/", payload(171), content_type="application/json").status_code == 201
    refused = client.post(f"{R}/", payload(172), content_type="application/json")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert Registration.objects.count() == 1
    cache.clear()


def test_it_lists_the_desk_in_pages_with_the_total(client, world):
    regs = [pending(180 + k) for k in range(3)]
    client.force_login(world.city_authority)
    page = client.get(f"{R}/?page_size=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    first = page["items"][0]
    assert first["id"] == regs[0].pk and first["username"] == "reg180"
    assert first["region_name"] == "浙江省 杭州市 西湖区"
    assert client.get(f"{R}/?state=approved").json()["count"] == 0
    assert client.get(f"{R}/?state=nonsense").status_code == 422


def test_it_approves_and_rejects_once_with_audit_and_email(client, world, django_capture_on_commit_callbacks):
    a, b = pending(190), pending(191)
    client.force_login(world.city_authority)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{R}/{a.pk}/approve", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "approved" and r.json()["organization"]
    again = client.post(f"{R}/{a.pk}/approve", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "not_pending"
    assert client.post(f"{R}/{b.pk}/reject", {"reason": ""}, content_type="application/json").status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{R}/{b.pk}/reject", {"reason": "名称有误"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "rejected" and r.json()["reason"] == "名称有误"
    assert sorted(m.to[0] for m in mail.outbox) == ["reg190@example.com", "reg191@example.com"]
    assert set(AuditEvent.objects.filter(actor=world.city_authority, action__startswith="registration.")
               .values_list("action", flat=True)) == {"registration.approved", "registration.rejected"}


def test_it_declares_error_bodies_and_chinese_summaries():
    from ronghe.api import api

    paths = api.get_openapi_schema()["paths"]
    register = paths[f"{R}/"]["post"]
    assert register["summary"] == "企业注册（无需账号）" and not register.get("security")  # public
    assert {"201", "422", "429"} <= set(register["responses"])
    assert {"401", "404", "409"} <= set(paths[f"{R}/{{registration_id}}/approve"]["post"]["responses"])
