import pytest
from django.core.exceptions import ValidationError

from ronghe.apps.organizations import services
from ronghe.apps.organizations.models import AccessGrant, Industry, Region
from tests.base import credit_code, load_test_codes

pytestmark = pytest.mark.django_db


def test_it_loads_region_and_industry_codes_idempotently(tmp_path):
    load_test_codes(tmp_path)
    load_test_codes(tmp_path)
    assert Region.objects.get(code="330106").parent_id == "330100"
    assert Region.objects.get(code="110105").parent_id == "110100"  # municipality: a city node of its own
    assert Region.objects.get(code="330100").prefix == "3301"
    assert Industry.objects.filter(section="C").exclude(code="C").count() == 31


def test_it_refuses_an_enterprise_with_a_bad_credit_code_or_missing_fields(tmp_path):
    load_test_codes(tmp_path)
    good = credit_code("330106", 7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.create_organization(kind="enterprise", name="x", credit_code=bad, region_id="330106",
                                     industry_id="34", size="300人以下")
    assert "校验码" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.create_organization(kind="enterprise", name="x", credit_code=good)
    assert set(exc.value.message_dict) == {"region", "industry", "size"}
    with pytest.raises(ValidationError, match="管辖地区"):
        services.create_organization(kind="authority", name="无辖区")


def test_it_grants_and_revokes_consultancy_access_with_an_audit_trail(world):
    assert AccessGrant.objects.filter(enterprise=world.a, revoked_at=None).count() == 1
    services.grant_access(world.a, world.consultancy)  # idempotent while active
    assert AccessGrant.objects.filter(enterprise=world.a, revoked_at=None).count() == 1
    assert services.revoke_access(world.a, world.consultancy, by=world.ent_a) == 1
    grant = AccessGrant.objects.get(enterprise=world.a)
    assert [e.action for e in grant.history()] == ["access.revoked", "access.granted"]
    with pytest.raises(ValueError):
        services.grant_access(world.consultancy, world.a)
