"""Demo enterprise registrations for ``manage.py load_demo``: two waiting at 杭州市's desk (西湖区,
萧山区) and one already rejected, so ``demo_city`` finds the 注册审核 badge and a queue to decide.
They go through the service (inactive users, audit log, notifications). Applicants log in as
``demo_applicant1``… with the demo password once approved. Names are invented (演示·…).
"""

from __future__ import annotations

from typing import Any

from ronghe.apps.organizations.models import Region
from ronghe.core.codes import org_code_check_char, uscc_check_char

APPLICANTS = [  # name, county, industry, size, contact, phone
    ("演示·杭州西子智能装备有限公司", "330106", "34", "300人以下", "王敏", "0571-87000001"),
    ("演示·杭州萧然纺织科技有限公司", "330109", "17", "300-1000人", "李强", "0571-87000002"),
    ("演示·杭州钱塘精密电子有限公司", "330106", "39", "300人以下", "赵磊", "0571-87000003"),
]


def _credit_code(division: str, serial: int) -> str:
    body = f"R{serial:06d}X"[:8]  # an R-series, apart from the demo loader's D-series
    first17 = "91" + division + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def load(password: str, *, by: Any = None) -> list:
    """Register the demo applicants whose county is loaded; the last one is rejected by ``by`` (default
    ``demo_city``; kept pending when there is no such user). Returns the registrations."""
    from django.contrib.auth.models import User

    from ronghe.apps.registrations import services

    by = by or User.objects.filter(username="demo_city").first()

    out = []
    for k, (name, county, industry, size, contact, phone) in enumerate(APPLICANTS, start=1):
        if not Region.objects.filter(code=county).exists():
            continue
        reg = services.register({
            "name": name, "credit_code": _credit_code(county, k), "region": county, "industry": industry,
            "size": size, "contact_name": contact, "email": f"demo_applicant{k}@example.com", "phone": phone,
            "username": f"demo_applicant{k}", "password": password})
        if k == len(APPLICANTS) and by is not None:  # the last one shows a rejection with its reason
            reg = services.reject(reg, "营业执照上的名称与填写的企业名称不一致，请核对后重新注册。", by=by)
        out.append(reg)
    return out
