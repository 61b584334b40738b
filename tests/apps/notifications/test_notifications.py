"""Notifications: who hears of a submission, an approval and a return, in the site and by e-mail."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from ronghe.apps.assessments import services
from ronghe.apps.notifications.models import Notification
from ronghe.apps.notifications.services import notify, unread

pytestmark = pytest.mark.django_db


ANSWERS = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


@pytest.fixture
def submitted(world, django_capture_on_commit_callbacks):
    from ronghe.apps.frameworks.services import register_files
    from tests.conftest import FILES

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    world.city_authority.email = "review@hz.example.cn"
    world.city_authority.save()
    world.ent_a.email = "it@jia.example.cn"
    world.ent_a.save()
    a = services.start(world.a, version, 2024, by=world.ent_a)
    services.save_draft(a, ANSWERS)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(a, by=world.ent_a)
    return a


def recipients(verb):
    return set(Notification.objects.filter(verb=verb).values_list("user__username", flat=True))


def test_a_submission_reaches_the_nearest_authority_only(world, submitted):
    assert recipients("assessment.submitted") == {"city_authority"}  # not Beijing, not the enterprise
    n = Notification.objects.get(verb="assessment.submitted")
    assert "杭州甲机械有限公司" in n.title and n.url == reverse("assessments:edit", args=[submitted.pk])
    [message] = mail.outbox
    assert message.to == ["review@hz.example.cn"] and message.subject.startswith("【融合】")
    assert n.url in message.body


def test_an_approval_reaches_the_enterprise_and_its_consultancy(world, submitted,
                                                                django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(submitted, by=world.city_authority)
    assert recipients("assessment.approved") == {"ent_a", "ent_a_member", "consultant"}
    n = Notification.objects.filter(verb="assessment.approved").first()
    assert n.url == reverse("assessments:result", args=[submitted.pk]) and "2024" in n.title
    assert [m.to for m in mail.outbox] == [["it@jia.example.cn"]]  # only those with an address get mail


def test_a_return_carries_its_reason(world, submitted):
    services.reject(submitted, "b2 与附件不符", by=world.city_authority)
    assert recipients("assessment.rejected") == {"ent_a", "ent_a_member", "consultant"}
    assert all("b2 与附件不符" in n.body for n in Notification.objects.filter(verb="assessment.rejected"))


def test_a_revoked_consultancy_hears_nothing_more(world, submitted):
    from ronghe.apps.organizations.services import revoke_access

    revoke_access(world.a, world.consultancy)
    services.approve(submitted, by=world.city_authority)
    assert recipients("assessment.approved") == {"ent_a", "ent_a_member"}


def test_a_rolled_back_change_notifies_nobody_by_mail(world, django_capture_on_commit_callbacks):
    world.ent_a.email = "it@jia.example.cn"
    world.ent_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify([world.ent_a], "test.rollback", "不会发出")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == [] and not Notification.objects.filter(verb="test.rollback").exists()


def test_inactive_and_repeated_recipients_are_skipped(world):
    world.ent_b.is_active = False
    world.ent_b.save()
    rows = notify([world.ent_a, world.ent_a, world.ent_b, None], "test.once", "一次")
    assert [n.user for n in rows] == [world.ent_a]


def test_the_list_marks_read_and_the_badge_counts_unread(client, world, submitted):
    client.force_login(world.city_authority)
    home = client.get(reverse("home")).content.decode()
    assert 'id="nav-notifications"' in home and unread(world.city_authority).count() == 1
    page = client.get(reverse("notifications:list")).content.decode()
    assert "杭州甲机械有限公司" in page
    assert unread(world.city_authority).count() == 0


def test_opening_one_follows_its_link(client, world, submitted):
    n = Notification.objects.get(verb="assessment.submitted")
    client.force_login(world.city_authority)
    r = client.post(reverse("notifications:open", args=[n.pk]))
    assert r.status_code == 302 and r["Location"] == n.url
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_api_lists_unread_and_marks_one_read(client, world, submitted):
    n = Notification.objects.get(verb="assessment.submitted")
    client.force_login(world.city_authority)
    body = client.get("/api/notifications/?unread=true").json()
    assert [i["id"] for i in body["items"]] == [n.pk] and body["items"][0]["verb"] == "assessment.submitted"
    assert client.post(f"/api/notifications/{n.pk}/read").json() == {"marked": 1}
    assert client.get("/api/notifications/?unread=true").json()["items"] == []
    client.force_login(world.ent_a)
    assert client.post(f"/api/notifications/{n.pk}/read").status_code == 404  # not hers


def test_a_bulk_import_tells_each_desk_once_with_a_count(world, tmp_path):
    from ronghe.apps.frameworks.services import register_files
    from tests.conftest import FILES

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    created = [services.start(world.a, version, y) for y in (2021, 2022)]
    created += [services.start(world.b, version, 2022)]
    services._tell_reviewers_of_import(created)
    assert recipients("assessment.imported") == {"city_authority", "other_province"}
    mine = Notification.objects.get(verb="assessment.imported", user=world.city_authority)
    assert mine.title.startswith("2 ")
