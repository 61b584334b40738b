"""The public registration page (cascade, honeypot, throttle), the login message of an applicant,
the authority's desk (badge, list, detail, approve, reject) scoped to its jurisdiction."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from ronghe.apps.registrations import services
from ronghe.apps.registrations.models import Registration
from tests.apps.registrations.helpers import STRONG, payload, pending

pytestmark = pytest.mark.django_db


def _post(client, levels=None, **over):
    data = payload(**over)
    if levels:  # the cascade posts every level's select; the last choice counts
        data["region"] = levels
    return client.post(reverse("registrations:register"), {**data, "password2": data["password"]})


def test_it_links_the_registration_page_from_the_login_page(client, world):
    body = client.get(reverse("accounts:login")).content.decode()
    assert reverse("registrations:register") in body and "企业注册" in body


def test_it_walks_the_region_cascade_without_checking_or_counting(client, world):
    cache.clear()
    page = client.get(reverse("registrations:register")).content.decode()
    assert "浙江省" in page and "杭州市" not in page  # provinces first, by name
    picked = client.post(reverse("registrations:register"), {"region": ["330000"], "pick_region": "1",
                                                              "name": "甲"}).content.decode()
    assert "杭州市" in picked and "宁波市" in picked and "西湖区" not in picked and 'value="甲"' in picked
    assert "field-error" not in picked  # a region pick is not a submission
    picked = client.post(reverse("registrations:register"), {"region": ["330000", "330100"], "pick_region": "1"})
    assert "西湖区" in picked.content.decode()
    assert not Registration.objects.exists()


def test_it_registers_an_enterprise_and_says_it_awaits_approval(client, world, django_capture_on_commit_callbacks):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(client, levels=["330000", "330100", "330106"])
    assert r.status_code == 302 and r["Location"] == reverse("registrations:sent")
    reg = Registration.objects.get()
    assert reg.region_id == "330106" and reg.state == "pending" and not reg.user.is_active
    assert "等待" in client.get(r["Location"]).content.decode()
    assert any("收到" in m.subject for m in mail.outbox)


def test_it_shows_each_fault_beside_its_field(client, world):
    cache.clear()
    code = payload()["credit_code"]
    body = _post(client, credit_code=code[:-1] + ("0" if code[-1] != "0" else "1"), levels=["330000"]).content.decode()
    assert "第 18 位校验码应为" in body and "区县" in body
    assert not Registration.objects.exists() and not User.objects.filter(username="reg101").exists()
    body = client.post(reverse("registrations:register"), {**payload(), "password2": "different"}).content.decode()
    assert "两次输入的密码不一致" in body


def test_it_takes_a_bot_that_fills_the_honeypot_for_a_person_but_stores_nothing(client, world):
    cache.clear()
    r = _post(client, website="http://spam.example")
    assert r.status_code == 302 and not Registration.objects.exists()


def test_it_throttles_registrations_per_client_address(client, world, settings):
    cache.clear()
    settings.RONGHE_SIGNUP_RATE = "2/3600"
    for serial in (130, 131):
        assert _post(client, serial=serial).status_code == 302
    refused = _post(client, serial=132)
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert Registration.objects.count() == 2
    cache.clear()


def test_it_tells_a_pending_applicant_at_login_and_a_rejected_one_why(client, world):
    cache.clear()
    reg = pending()
    r = client.post(reverse("accounts:login"), {"username": "reg101", "password": STRONG})
    body = r.content.decode()
    error = body.split('id="login-error"')[1][:80]
    assert r.status_code == 200 and "等待杭州市经信局审核" in error and "密码" not in error
    wrong = client.post(reverse("accounts:login"), {"username": "reg101", "password": "wrong-password"})
    assert "等待" not in wrong.content.decode()  # without the password, nothing is revealed
    services.reject(reg, "名称与营业执照不符", by=world.city_authority)
    r = client.post(reverse("accounts:login"), {"username": "reg101", "password": STRONG})
    assert "已被驳回：名称与营业执照不符" in r.content.decode()
    cache.clear()


def test_it_shows_the_desk_with_a_badge_and_only_its_regions_registrations(client, world):
    mine, theirs = pending(140, "330106"), pending(141, "110105")
    client.force_login(world.city_authority)
    home = client.get(reverse("home")).content.decode()
    assert 'id="nav-registrations"' in home and reverse("registrations:list") in home
    listing = client.get(reverse("registrations:list")).content.decode()
    assert mine.name in listing and theirs.name not in listing
    assert client.get(reverse("registrations:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("registrations:approve", args=[theirs.pk])).status_code == 404
    client.force_login(world.ent_a)
    assert 'id="nav-registrations"' not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("registrations:list")).status_code == 404


def test_it_approves_from_the_detail_page_and_the_applicant_logs_in(client, world,
                                                                   django_capture_on_commit_callbacks):
    cache.clear()
    reg = pending()
    client.force_login(world.city_authority)
    assert "张三" in client.get(reverse("registrations:detail", args=[reg.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("registrations:approve", args=[reg.pk]))
    assert r.status_code == 302
    reg.refresh_from_db()
    assert reg.state == "approved" and reg.organization.name == reg.name
    assert any("已通过" in m.subject and m.to == [reg.email] for m in mail.outbox)
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "reg101", "password": STRONG}).status_code == 302
    assert reg.name in client.get(reverse("home")).content.decode()


def test_it_rejects_only_with_a_reason(client, world):
    reg = pending()
    client.force_login(world.city_authority)
    client.post(reverse("registrations:reject", args=[reg.pk]), {"reason": ""})
    reg.refresh_from_db()
    assert reg.state == "pending"
    r = client.post(reverse("registrations:reject", args=[reg.pk]), {"reason": "材料不全"}, follow=True)
    reg.refresh_from_db()
    assert reg.state == "rejected" and "材料不全" in r.content.decode()


HOSTILE = ["abc", str(2**70), "-1", "x\x00y", "x" * 5000, "", "1e999", "NaN", "../../etc/passwd"]


def test_it_never_answers_a_server_error_to_careless_or_hostile_values(client, world, settings,
                                                                     unrecorded_templates):
    cache.clear()
    settings.RONGHE_SIGNUP_RATE = "100000/3600"
    reg = pending()
    url = reverse("registrations:register")
    fields = [*payload(), "password2", "website"]
    for field in fields:
        for value in HOSTILE:
            for extra in ({}, {"pick_region": "1"}):
                r = client.post(url, {**payload(serial=200), "password2": "x", field: value, **extra})
                assert r.status_code < 500, (field, value[:20], r.status_code)
    client.force_login(world.city_authority)
    for value in HOSTILE:
        assert client.get(reverse("registrations:list"), {"state": value, "page": value}).status_code < 500
        assert client.post(reverse("registrations:reject", args=[reg.pk]), {"reason": value}).status_code < 500
    cache.clear()


def test_it_lists_the_desk_in_a_number_of_queries_that_does_not_grow_with_the_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.city_authority)
    client.get(reverse("registrations:list"))  # the cached header's versions exist (ronghe/pagecache.py)
    counts = []
    for serial in range(300, 330):
        pending(serial)
        if serial in (300, 329):
            with CaptureQueriesContext(connection) as pages:
                assert client.get(reverse("registrations:list")).status_code == 200
            with CaptureQueriesContext(connection) as api:
                assert client.get("/api/registrations/").json()["count"] == serial - 299
            counts.append((len(pages), len(api)))
    assert counts[0] == counts[1], counts  # 1 row or 30: the same queries (frozen: pages, API)


def test_it_names_the_services_faults_even_when_the_form_has_its_own(client, world):
    cache.clear()
    code = payload()["credit_code"]
    body = client.post(reverse("registrations:register"), {**payload(), "credit_code": code[:17],
                                                            "password2": "different"}).content.decode()
    assert "两次输入的密码不一致" in body and "统一社会信用代码应为 18 位，现为 17 位" in body
