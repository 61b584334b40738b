"""Roles are read once per request (accounts/access.py, request_memo), never stale within it."""

import pytest
from django.contrib.auth.models import User

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


def test_outside_a_request_nothing_is_memoised(world, django_assert_num_queries):
    user = User.objects.create_user("newcomer", password="x" * 12)
    assert access.roles(user) == set()
    with django_assert_num_queries(2):  # memberships and expert roles, read again
        access.roles(user)


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
