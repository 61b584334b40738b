"""The demo registrations: waiting at 杭州市's desk, one rejected with its reason, through the services."""

import pytest

from ronghe.apps.registrations import demo
from ronghe.apps.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_it_puts_demo_registrations_at_the_city_desk_and_rejects_one(world):
    regs = demo.load("ronghe-demo-2026", by=world.city_authority)  # the test tree has 西湖区, not 萧山区
    assert [r.region_id for r in regs] == ["330106", "330106"]
    assert {r.authority for r in regs} == {world.hangzhou}
    assert [r.state for r in regs] == ["pending", "rejected"] and "营业执照" in regs[-1].reason
    assert not any(r.user.is_active for r in regs)
    assert Registration.objects.filter(state="pending").count() == 1
