"""An assessment opened by its key is decided from the user's roles in Python (``may_see_assessment``);
the lists use the query (``assessments_for_user``). Both must answer the same for every persona, every
state and every kind of enterprise, or a page would show what its list hides (or the reverse)."""

import pytest

from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.assessments.services import start
from ronghe.apps.organizations import services as organizations
from tests.base import _user, credit_code

pytestmark = pytest.mark.django_db


def test_the_decision_by_key_is_the_lists_decision(world, mini_version):
    w = world
    national = organizations.create_organization(kind="authority", name="工业和信息化部", national=True)
    c = organizations.create_organization(kind="enterprise", name="杭州丙化工有限公司", region_id="330106",
                                          credit_code=credit_code("330106", 7), industry_id="26", size="300人以下")
    organizations.grant_access(c, w.consultancy)
    organizations.revoke_access(c, w.consultancy)  # a revoked grant shows nothing
    people = [*(u for u in w.personas().values() if u is not None), _user("national", national),
              _user("nobody", None)]
    both = _user("both", w.a)  # a member of an enterprise and of an authority elsewhere
    from ronghe.apps.accounts.models import Membership

    Membership.objects.create(user=both, organization=organizations.Organization.objects.get(name="北京市经信局"),
                              role="member")
    people.append(both)
    assessments = []
    for year, status in zip(range(2019, 2023), Assessment.Status.values, strict=True):
        for enterprise in (w.a, w.b, c):
            a = start(enterprise, mini_version, year, by=w.admin)
            Assessment.objects.filter(pk=a.pk).update(status=status)
            assessments.append(a.pk)
    assert len(assessments) == 12
    checked = 0
    for user in people:
        for write in (False, True):
            listed = set(access.assessments_for_user(user, write=write).values_list("pk", flat=True))
            for pk in assessments:
                a = Assessment.objects.select_related("enterprise").get(pk=pk)
                assert access.may_see_assessment(user, a, write=write) == (pk in listed), (user.username, pk, write)
                checked += 1
    assert checked == len(people) * 2 * 12
    # and each persona sees something and misses something somewhere: the matrix is not trivially uniform
    seen = {u.username: set(access.assessments_for_user(u).values_list("pk", flat=True)) for u in people}
    assert seen["admin"] == set(assessments) and seen["nobody"] == set()
    assert seen["national"] and seen["national"] != set(assessments)  # no drafts
    assert 0 < len(seen["city_authority"]) < len(seen["national"])


def test_an_assessment_one_may_not_see_is_not_found(world, mini_version, client):
    a = start(world.b, mini_version, 2024, by=world.admin)
    Assessment.objects.filter(pk=a.pk).update(status="submitted")  # its result page sends on to the answers
    client.force_login(world.city_authority)  # 杭州: 北京's enterprise is outside its jurisdiction
    assert client.get(f"/assessments/{a.pk}/result/").status_code == 404
    client.force_login(world.other_province)
    assert client.get(f"/assessments/{a.pk}/result/").status_code == 302
