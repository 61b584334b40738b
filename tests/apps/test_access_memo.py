"""Roles are read once per request (accounts/access.py, request_memo), never stale within it."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.apps.accounts import access
from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_within_a_request_roles_are_read_once_and_forgotten_when_a_membership_changes(world, django_assert_num_queries):
    user = User.objects.create_user("newcomer", password="x" * 12)
    consultancy = Organization.objects.filter(kind="consultancy").first()
    with access.request_memo():
        assert access.roles(user) == set()
        with django_assert_num_queries(0):  # the second question in the same request is answered from the memo
            assert access.roles(user) == set()
        membership = Membership.objects.create(user=user, organization=consultancy, role="member")
        assert access.roles(user) == {"consultancy"}  # the save emptied the memo
        membership.delete()
        assert access.roles(user) == set()


def test_outside_a_request_nothing_is_memoised(world):
    """The CLI and jobs run outside a request: each question reads the roles afresh (from the shared
    cache, under versions that the change below bumps)."""
    user = User.objects.create_user("newcomer", password="x" * 12)
    consultancy = Organization.objects.filter(kind="consultancy").first()
    assert access.roles(user) == set()
    Membership.objects.create(user=user, organization=consultancy, role="member")
    assert access.roles(user) == {"consultancy"}
    Membership.objects.filter(user=user).delete()  # a queryset's deletion
    assert access.roles(user) == set()


def test_a_page_after_joining_shows_the_new_role(client, world):
    """Two requests never share a memo: a membership made between them counts at once."""
    user = User.objects.create_user("joiner", password="x" * 12)
    client.force_login(user)
    assert "/enterprises/" not in client.get("/").content.decode()
    Membership.objects.create(user=user, organization=world.a, role="member")
    assert client.get("/enterprises/").status_code == 200


def test_whether_an_authority_sees_and_may_import_enterprises_is_one_question(world, django_assert_num_queries):
    """For an authority the import set is the set it sees: the navigation's two links ask once."""
    with access.request_memo():
        access.roles(world.city_authority)
        with django_assert_num_queries(1):
            assert access.sees_enterprises(world.city_authority)
            assert access.may_import(world.city_authority)
        assert access.may_import(world.ent_a) == access.enterprises_for_import(world.ent_a).exists()
        assert access.may_import(world.assessor) == access.enterprises_for_import(world.assessor).exists()


def test_who_is_asking_is_cached_but_never_stale(client, world):
    """The signed-in user and its roles come from the shared cache (access.identity); every change of
    them — the user's flags and password, its memberships, its organisation's jurisdiction — counts on
    the next request."""
    user = world.city_authority
    client.force_login(user)
    assert client.get(f"/enterprises/{world.a.pk}/").status_code == 200
    assert client.get(f"/enterprises/{world.b.pk}/").status_code == 404  # 北京: outside 杭州's jurisdiction
    world.hangzhou.region_id = "110000"
    world.hangzhou.save()
    assert client.get(f"/enterprises/{world.b.pk}/").status_code == 200
    assert client.get(f"/enterprises/{world.a.pk}/").status_code == 404
    user.is_active = False
    user.save()
    assert client.get(f"/enterprises/{world.b.pk}/").status_code == 302  # signed out: to the login page
    user.is_active = True
    user.set_password("another-password-2026")
    user.save()
    assert client.get(f"/enterprises/{world.b.pk}/").status_code == 302  # a new password ends old sessions
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as asked:
        response = client.get("/healthz")  # a page that asks nothing but who is asking (its log line says)
    assert response.status_code == 200 and response.wsgi_request.user == user
    tables = " ".join(q["sql"] for q in asked.captured_queries)
    assert "auth_user" not in tables and "accounts_membership" not in tables  # from the cache
