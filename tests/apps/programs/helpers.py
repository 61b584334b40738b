"""Shared set-up for the programme tests: a call of 浙江省 open today, enterprises with approved
assessments, declarations driven along the main path, experts in the pool and a panel that scores."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations import services as organizations
from ronghe.apps.organizations.models import Region
from ronghe.apps.programs import services
from ronghe.apps.programs.models import Call, Declaration
from tests.apps.certification.helpers import PDF, scored
from tests.base import credit_code


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def open_call(world, *, publish: bool = True, **fields) -> Call:
    """A call of 浙江省 (the ``province`` persona), open from yesterday for ten days."""
    data = {"program": "management_system", "title": "2026年浙江省两化融合管理体系贯标试点", "year": 2026,
            "declare_from": days(-1), "declare_until": days(10), "recommend_until": days(20),
            "materials": [{"name": "申报书", "required": True}, {"name": "证明材料", "required": False}],
            "rules": [{"kind": "stage_at_least", "min": 2}], "places": 2, "pass_mark": 60, "panel_size": 3,
            "min_reviewers": 2, "spread_limit": 15, **fields}
    call = services.create_call(world.zhejiang, by=world.province, **data)
    if publish:
        call = services.call_transition(call, "publish", by=world.province)
    return call


def enterprise(name: str, region: str, serial: int, industry: str = "34"):
    """Another enterprise with a manager (its user name is the enterprise's serial, ``ent<serial>``)."""
    e = organizations.create_organization(kind="enterprise", name=name, credit_code=credit_code(region, serial),
                                          region_id=region, industry_id=industry, size="300-1000人")
    user = User.objects.create_user(f"ent{serial}", password="x")
    Membership.objects.create(user=user, organization=e, role="manager")
    return e, user


def submitted(call: Call, e, user, tmp_path, *, stage: int = 3) -> Declaration:
    """``e`` approved at ``stage`` (mini framework), declared with its 申报书, submitted."""
    if not e.assessments.filter(status="scored").exists():
        scored(e, stage)
    d = services.declare(call, e, title=f"{e.name}贯标试点项目", by=user)
    f = tmp_path / f"{e.pk}.pdf"
    f.write_bytes(PDF)
    services.add_material(d, "m1", f, original_name="申报书.pdf", by=user)
    return services.declaration_transition(d, "submit", by=user)


def expert(world, name: str, region: str, organization=None):
    """An expert in 浙江省's pool."""
    user = User.objects.create_user(f"expert_{name}", password="x")
    return services.add_expert(world.zhejiang, user, name=name, region=Region.objects.get(code=region),
                              organization=organization,
                               by=world.province)


def close(call: Call, by) -> Call:
    """Move the deadline to yesterday (the services take today's date) and close declarations."""
    Call.objects.filter(pk=call.pk).update(declare_from=days(-20), declare_until=days(-1))
    call.refresh_from_db()
    return services.call_transition(call, "close", by=by)
