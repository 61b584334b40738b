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
    used = client.get(path)
    assert used.status_code == 410 and "已经被接受" in used.content.decode()  # used: says so, and how to log in
    assert client.post(path, {"username": "li2", "password": "a-long enough pass 42"}).status_code == 410
    assert not User.objects.filter(username="li2").exists()
    assert client.get(path[:-3] + "xx/").status_code == 404  # forged
    # The inviter hears that the invitation was accepted.
    assert world.city_authority.notifications.filter(verb="invitation.accepted").exists()


def test_it_tells_an_expired_invitation_apart_and_names_who_to_ask(client, world, django_capture_on_commit_callbacks):
    import time

    client.force_login(world.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite"), {"organization": world.a.pk, "email": "wang@example.com",
                                                 "role": "member"})
    path = "/" + _link().split("/", 3)[3]
    client.logout()
    real = time.time
    try:
        time.time = lambda: real() + 8 * 24 * 3600  # eight days later (the signer reads time.time)
        r = client.get(path)
    finally:
        time.time = real
    assert r.status_code == 410
    page = r.content.decode()
    assert "已过期" in page and world.city_authority.username in page


def test_it_resets_a_forgotten_password_by_email_once_and_throttles_requests(client, world, settings):
    cache.clear()
    world.ent_a.email = "a@example.com"
    world.ent_a.save()
    settings.RONGHE_SITE_URL = "https://ronghe.example.gov.cn"
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login
    r = client.post(reverse("accounts:password_reset"), {"email": "a@example.com"})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert "设置新密码" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    assert link.startswith("https://ronghe.example.gov.cn/")  # the configured site, not the Host header
    # An unknown address gets the same answer and no mail (no account enumeration).
    r = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    path = "/" + link.split("/", 3)[3]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "a fresh long pass 77", "new_password2": "a fresh long pass 77"})
    assert done.status_code == 302
    assert client.login(username="ent_a", password="a fresh long pass 77")
    client.logout()
    again = client.get(path, follow=True)
    assert "不再有效" in again.content.decode()  # one use
    from ronghe.apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="password.reset", object_id=str(world.ent_a.pk)).exists()
    # Five requests an hour per address, then 429 with a reason.
    for _ in range(3):
        client.post(reverse("accounts:password_reset"), {"email": "x@example.com"})
    refused = client.post(reverse("accounts:password_reset"), {"email": "a@example.com"})
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert len(mail.outbox) == 1
    cache.clear()


def test_it_shows_my_account_and_changes_my_password(client, world):
    client.force_login(world.ent_a)
    page = client.get(reverse("accounts:me")).content.decode()
    assert world.a.name in page and reverse("accounts:password_change") in page
    assert world.b.name not in page
    bad = client.post(reverse("accounts:password_change"), {"old_password": "wrong", "new_password1": "x",
                                                            "new_password2": "x"})
    assert bad.status_code == 200
    r = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD,
                                                          "new_password1": "another long pass 55",
                                                          "new_password2": "another long pass 55"})
    assert r.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200  # still logged in
    from ronghe.apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="password.changed", actor=world.ent_a).exists()


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


def test_it_throttles_the_admin_login_too_and_keeps_the_lock_in_the_shared_cache(client, world):
    from django.core.cache import caches

    cache.clear()
    world.admin.is_superuser = True
    world.admin.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "guess"})
    r = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert r.status_code == 200 and "15" in r.content.decode() and "_auth_user_id" not in client.session
    # the lock is in the cache every server process shares (the database here, Redis when configured):
    # a new cache connection, as another process would open, sees it
    from django.test import RequestFactory

    from ronghe.apps.accounts import throttle

    assert "LocMem" not in type(caches["default"]).__name__
    other_process = caches.create_connection("default")
    pair, name = throttle.keys("admin", RequestFactory().post("/"))  # the test client's address
    assert other_process.get_many([pair, name]) == {pair: 5, name: 5}
    r = client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    assert r.status_code == 429  # the same lock stops the site's own login form
    cache.clear()
    assert client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD}).status_code == 302


def test_it_writes_failed_logins_admin_changes_and_tokens_to_the_audit_log(client, world):
    from ronghe.apps.accounts.services import create_token, revoke_token
    from ronghe.apps.audit.models import AuditEvent

    cache.clear()
    client.post(reverse("accounts:login"), {"username": "ent_a", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    failed = list(AuditEvent.objects.filter(action="login.failed").order_by("id"))
    assert [e.object_repr for e in failed] == ["ent_a", "nobody"] and failed[0].object_id == str(world.ent_a.pk)
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    r = client.post(f"/admin/auth/user/{world.ent_b.pk}/change/", {
        "username": "ent_b", "first_name": "乙", "last_name": "", "email": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00"})
    assert r.status_code == 302
    change = AuditEvent.objects.get(action="admin.changed")
    assert change.actor == world.admin and change.object_id == str(world.ent_b.pk)
    assert "First name" in change.data["message"] or "名字" in change.data["message"]
    token, _ = create_token(world.ent_a, "erp")
    revoke_token(token, by=world.admin)
    assert [e.action for e in token.history()] == ["api_token.revoked", "api_token.created"]


def test_it_lets_users_list_create_and_revoke_their_tokens_which_expire(client, world):
    import datetime

    from django.utils import timezone

    from ronghe.apps.accounts.models import ApiToken
    from ronghe.apps.accounts.services import create_token, user_for_key

    client.force_login(world.ent_a)
    r = client.post(reverse("accounts:tokens"), {"name": "ERP 导出"})
    key = r.context["key"]
    assert key.startswith("rh_") and user_for_key(key) == world.ent_a
    token = ApiToken.objects.get(user=world.ent_a)
    days = (token.expires_at - timezone.now()).days
    assert 89 <= days <= 90  # RONGHE_API_TOKEN_DAYS
    assert client.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 302
    assert user_for_key(key) is None
    client.force_login(world.ent_b)  # nobody revokes another user's token
    other, other_key = create_token(world.ent_a, "other")
    assert client.post(reverse("accounts:revoke_token", args=[other.pk])).status_code == 404
    ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert user_for_key(other_key) is None  # expired
    client.logout()
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 401


def test_it_manages_tokens_from_the_command_line(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("api_tokens", "create", "ent_a", "--name", "etl", "--days", "7", stdout=out)
    key = out.getvalue().strip()
    from ronghe.apps.accounts.models import ApiToken

    token = ApiToken.objects.get(user=world.ent_a)
    out = StringIO()
    call_command("api_tokens", "list", stdout=out)
    assert f"{token.pk}\tent_a\tetl" in out.getvalue() and "active" in out.getvalue()
    call_command("api_tokens", "revoke", str(token.pk), stdout=StringIO())
    out = StringIO()
    call_command("api_tokens", "list", "--user", "ent_a", stdout=out)
    assert "revoked" in out.getvalue() and key not in out.getvalue()


@pytest.mark.parametrize(("name", "ok"), [
    ("王小明", True), ("zhang.san-01", True), ("li", True), ("a", False), ("x" * 31, False),
    ("pаypal", False),  # Cyrillic а among Latin letters
    ("Аdmin", False), ("admin\u202egnp", False),  # a right-to-left override
    ("ｄｅｍｏ", False),  # full-width forms of demo
    ("demo city", False), ("demo\x00", False), ("<script>", False),
])
def test_it_accepts_only_user_names_people_can_tell_apart(name, ok):
    from django.core.exceptions import ValidationError

    from ronghe.apps.accounts.validators import validate_username

    if ok:
        validate_username(name)
    else:
        with pytest.raises(ValidationError):
            validate_username(name)


def test_it_refuses_a_confusable_user_name_when_an_invitation_is_accepted(world):
    from ronghe.apps.accounts import services

    inv = services.invite(world.a, "x@example.com", "member", by=world.admin, base_url="http://t/")
    with pytest.raises(services.InvitationError):
        services.accept(inv, "ent_а", "a-long enough pass 42")  # Cyrillic а
    with pytest.raises(services.InvitationError, match="该用户名已被使用"):
        services.accept(inv, "ENT_A", "a-long enough pass 42")  # the same name in other case


def test_it_refuses_a_credit_code_that_is_already_registered(world):
    from django.core.exceptions import ValidationError

    from ronghe.apps.organizations import services

    with pytest.raises(ValidationError) as info:
        services.create_organization(kind="enterprise", name="另一家", credit_code=world.a.credit_code,
                                     region_id="330106", industry_id="34", size="300人以下")
    assert "该统一社会信用代码已被其他组织使用" in str(info.value)


def test_the_invite_link_shows_exactly_to_those_who_may_invite(client, world):
    from ronghe.apps.accounts.services import invitable_organizations

    authority = world.city_authority.memberships.get().organization
    Membership.objects.create(user=User.objects.create_user("city_clerk", password=PASSWORD),
                              organization=authority, role="member")  # a member, not a manager
    people = [*(u for u in world.personas().values() if u is not None), User.objects.get(username="city_clerk")]
    shown = set()
    for user in people:
        client.force_login(user)
        if f'href="{reverse("accounts:invite")}"' in client.get(reverse("home")).content.decode():
            shown.add(user.username)
    assert shown == {u.username for u in people if invitable_organizations(u).exists()}
    assert {world.city_authority.username, world.admin.username} <= shown
    assert "city_clerk" not in shown and world.ent_a.username not in shown


def test_a_tokens_last_use_is_kept_to_the_minute(world):
    """Every call is authenticated; only a call a minute after the recorded one writes the time."""
    import datetime

    from django.utils import timezone

    from ronghe.apps.accounts.models import ApiToken
    from ronghe.apps.accounts.services import create_token, user_for_key

    token, key = create_token(world.city_authority, "sync")
    assert user_for_key(key) == world.city_authority
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=30)
    assert user_for_key(key) == world.city_authority
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=61))
    assert user_for_key(key) == world.city_authority
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
    assert user_for_key(key[:-1] + "x") is None
