import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from ronghe.apps.accounts.models import Membership
from tests.base import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_locks_a_user_name_after_five_failed_logins(client, world):
    cache.clear()
    url = reverse("accounts:login")
    for _ in range(5):
        assert client.post(url, {"username": "ent_a", "password": "guess"}).status_code == 200
    locked = client.post(url, {"username": "ent_a", "password": PASSWORD})
    assert locked.status_code == 429 and "15" in locked.content.decode()
    assert client.post(url, {"username": "ent_b", "password": PASSWORD}).status_code == 302  # others unaffected
    cache.clear()
    assert client.post(url, {"username": "ent_a", "password": PASSWORD}).status_code == 302


def _link():
    (message,) = mail.outbox
    return next(line for line in message.body.splitlines() if "/accounts/invite/" in line)


def test_it_invites_by_email_and_the_link_creates_the_account_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("accounts:invite"), {"organization": world.a.pk, "email": "li@example.com",
                                                     "role": "member"})
    assert r.status_code == 200 and mail.outbox[0].to == ["li@example.com"]
    path = "/" + _link().split("/", 3)[3]
    client.logout()
    weak = client.post(path, {"username": "li", "password": "123"})
    assert weak.status_code == 200 and not User.objects.filter(username="li").exists()
    assert client.post(path, {"username": "li", "password": "a-long enough pass 42"}).status_code == 302
    m = Membership.objects.get(user__username="li")
    assert m.organization == world.a and m.role == "member"
    assert client.get(path).status_code == 404  # used
    assert client.get(path[:-3] + "xx/").status_code == 404  # forged


def test_it_lets_authorities_invite_only_within_their_jurisdiction(client, world):
    client.force_login(world.city_authority)
    assert client.post(reverse("accounts:invite"), {"organization": world.b.pk, "email": "x@example.com"}
                       ).status_code == 404
    client.force_login(world.ent_a)
    assert client.get(reverse("accounts:invite")).status_code == 404


def test_it_gives_administrators_the_django_admin_and_nobody_else(client, world):
    client.force_login(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    for model in ("organizations/organization", "assessments/assessment", "accounts/membership", "audit/auditevent"):
        assert client.get(f"/admin/{model}/").status_code == 200, model
    client.force_login(world.city_authority)
    assert client.get("/admin/organizations/organization/").status_code == 302  # to the admin login
