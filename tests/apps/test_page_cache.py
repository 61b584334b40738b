"""Cached parts of pages (ronghe/pagecache.py) show every change at once, through every way of writing,
and stay cached when what changed is elsewhere."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe import pagecache
from ronghe.apps.assessments import services
from ronghe.apps.notifications.services import mark_read, notify
from ronghe.apps.organizations.models import Organization
from ronghe.apps.providers import services as providers
from ronghe.apps.providers.models import Offering

pytestmark = pytest.mark.django_db

ANSWERS = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def _row(client, name: str) -> str:
    """The enterprise list's row of ``name`` as the client sees it, "" when absent."""
    page = client.get(reverse("organizations:enterprises")).content.decode()
    found = re.search(rf"<tr><td><a [^>]*>{name}</a>.*?</tr>", page, re.S)
    return found.group(0) if found else ""


def _versions_of_zhejiang():
    return pagecache.versions(assessments={"33"}, enterprises={"33"}, people=None)


def test_the_enterprise_list_shows_every_change_at_once(client, world, mini_version):
    client.force_login(world.city_authority)
    assert "none yet" in _row(client, world.a.name) or "尚无" in _row(client, world.a.name)
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, ANSWERS)
    services.submit(a)
    assert "status submitted" in _row(client, world.a.name)  # a save
    services.approve(a, by=world.city_authority)
    assert "status scored" in _row(client, world.a.name) and "84.9" in _row(client, world.a.name)  # the score
    world.a.name = "杭州甲机械股份有限公司"
    world.a.save()
    assert _row(client, "杭州甲机械股份有限公司")
    Organization.objects.filter(pk=world.a.pk).update(size="1000-5000人")  # a queryset update
    assert "1000-5000人" in _row(client, "杭州甲机械股份有限公司")
    moved = Organization.objects.get(pk=world.a.pk)
    moved.region_id = "110105"  # to Beijing: it leaves Hangzhou's list (the province it left is bumped too)
    moved.save()
    assert not _row(client, "杭州甲机械股份有限公司")


def test_a_bulk_import_shows_on_the_list_at_once(client, world, mini_version):
    client.force_login(world.city_authority)
    assert "status submitted" not in _row(client, world.a.name)
    text = f'enterprise,credit_code,a1,a2,b1,b2,b3\n甲,{world.a.credit_code},C,是,"CAD,PDM",60,35\n'
    r = client.post(reverse("assessments:import"), {"framework": mini_version.pk, "year": 2025, "file":
                                                    SimpleUploadedFile("answers.csv", text.encode(), "text/csv")})
    assert r.status_code == 200 and len(r.context["created"]) == 1
    assert "status submitted" in _row(client, world.a.name)


def test_a_province_keeps_its_cached_list_while_another_province_changes(client, world, mini_version):
    client.force_login(world.city_authority)
    client.get(reverse("organizations:enterprises"))
    before = _versions_of_zhejiang()
    b = services.start(world.b, mini_version, 2025)  # Beijing
    services.save_draft(b, ANSWERS)
    services.submit(b)
    assert _versions_of_zhejiang() == before
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("organizations:enterprises")).status_code == 200
    assert not any("organizations_organization" in q["sql"] and "COUNT" in q["sql"] for q in queries), \
        "the list was computed again"
    a = services.start(world.a, mini_version, 2025)  # Hangzhou
    assert _versions_of_zhejiang() != before
    assert "status draft" not in _row(client, world.a.name)  # an authority never sees drafts
    services.save_draft(a, ANSWERS)
    services.submit(a)
    assert "status submitted" in _row(client, world.a.name)


def test_autosaving_a_draft_keeps_the_pages_cached(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    before = _versions_of_zhejiang()
    services.save_draft(a, {"a1": "B"})
    services.save_draft(a, ANSWERS)
    assert _versions_of_zhejiang() == before
    services.submit(a)
    assert _versions_of_zhejiang() != before


def test_a_change_is_bumped_again_when_it_is_committed(world, django_capture_on_commit_callbacks):
    """A request that read the data before the commit may have cached it under the bumped version; the
    second bump after the commit retires that part."""
    before = pagecache.versions(enterprises={"33"})
    with django_capture_on_commit_callbacks(execute=True):
        world.a.name = "杭州甲"
        world.a.save()
        during = pagecache.versions(enterprises={"33"})
    after = pagecache.versions(enterprises={"33"})
    assert before != during != after


def test_the_notification_badge_follows_marking_read_for_that_user_only(client, world):
    notify([world.ent_a], "test", "请查看", "", "/")
    client.force_login(world.ent_a)
    assert '<span class="count">1</span>' in client.get(reverse("home")).content.decode()
    others = pagecache.versions(notifications={f"u{world.ent_b.pk}"})
    assert mark_read(world.ent_a) == 1  # a queryset update, bumped for its users only
    assert pagecache.versions(notifications={f"u{world.ent_b.pk}"}) == others
    page = client.get(reverse("home")).content.decode()
    assert not re.search(r'id="nav-notifications">[^<]*<span class="count">', page)


def test_a_provider_change_shows_on_the_result_page_at_once(client, world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, ANSWERS)
    services.submit(a)
    services.approve(a, by=world.city_authority)
    client.force_login(world.ent_a)
    url = reverse("assessments:result", args=[a.pk])
    assert "新的诊断服务" not in client.get(url).content.decode()
    provider = providers.register_provider(world.provider_org, category="platform", summary="平台", by=world.provider)
    offering = providers.save_offering(provider, name="新的诊断服务", tags=[("mini", "B")], regions=["110000"],
                                       by=world.provider)
    assert "新的诊断服务" not in client.get(url).content.decode()  # it serves Beijing
    offering.regions.add("330000")  # a many-to-many link
    assert "新的诊断服务" in client.get(url).content.decode()
    Offering.objects.filter(pk=offering.pk).update(name="新的诊断与实施服务")
    assert "新的诊断与实施服务" in client.get(url).content.decode()



def test_the_parts_a_user_sees_are_the_provinces_of_a_regional_authority_only(world):
    from ronghe.apps.accounts.access import provinces

    assert provinces(world.city_authority) == {"33"} and provinces(world.province) == {"33"}
    assert provinces(world.other_province) == {"11"}
    for everywhere in (world.admin, world.ent_a, world.consultant):  # staff; members see enterprises anywhere
        assert provinces(everywhere) is None
