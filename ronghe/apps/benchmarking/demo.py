"""Demo data for benchmarking and monitoring, added by ``manage.py load_demo``.

The base demo spreads 300 enterprises over seven provinces, one industry each, which leaves a city
with a handful. This adds enterprises of several industries in 浙江省, most in 杭州市 and 宁波市, so
that a Hangzhou enterprise's city group is large enough to be shown, the province's map and
breakdowns have figures in every city, and the work queue and the submission rate are not trivial:
a few 2025 assessments wait for review and a few enterprises have not submitted. Everything goes
through the assessment workflow (start → save → submit → approve), so the snapshot is written as in
production. A national authority (``demo_national``) sees the China map.
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth.models import User

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments import services as assessments
from ronghe.apps.organizations import services as orgs
from ronghe.apps.organizations.models import Organization, Region
from ronghe.apps.organizations.services import PLACEHOLDERS
from ronghe.core.codes import org_code_check_char, uscc_check_char
from ronghe.core.frameworks.synthetic import answers

INDUSTRIES = ["34", "35", "38", "39", "17", "26", "29", "33"]
CITY_WEIGHT = {"3301": 6, "3302": 4}
"""杭州 and 宁波 carry more enterprises; every other city of 浙江 weighs 1."""
SIZES = ["300人以下", "300-1000人", "1000-5000人", "5000-10000人", "10000人以上"]


def _credit_code(division: str, serial: int) -> str:
    body = f"E{serial:06d}X"[:8]
    first17 = "91" + division + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def load(framework, years: list[int], reviewer, password: str, enterprises: int = 150, out=None) -> list[str]:
    """Add ``enterprises`` 浙江 enterprises scored in ``years`` (the last year's final few left
    waiting for review or not submitted) and the national authority; returns the accounts made."""
    if Organization.objects.filter(name="演示·工业和信息化部").exists():
        return []
    counties = list(Region.objects.filter(level="county", code__startswith="33").exclude(name__in=PLACEHOLDERS)
                    .values_list("code", flat=True))  # real places: never a 市辖区 placeholder
    if not counties:
        return []
    rng = np.random.default_rng(15)
    weights = np.array([CITY_WEIGHT.get(c[:4], 1.0) for c in counties])
    fw = framework.loaded().framework
    made, maturity = [], []
    for i in range(enterprises):
        county = str(rng.choice(counties, p=weights / weights.sum()))
        industry = INDUSTRIES[i % len(INDUSTRIES)]
        made.append(orgs.create_organization(
            kind="enterprise", name=f"演示企业Z{i + 1:03d}（{Region.objects.get(code=county).name}）",
            credit_code=_credit_code(county, i + 1), region_id=county, industry_id=industry,
            size=SIZES[int(rng.choice(len(SIZES), p=[0.5, 0.25, 0.15, 0.06, 0.04]))]))
        maturity.append(np.clip(rng.beta(2.5, 2.5) + (0.06 if industry in {"38", "39"} else 0), 0, 1))
    unassessed, waiting = max(1, round(0.025 * len(made))), max(1, round(0.035 * len(made)))
    for t, year in enumerate(years):
        raw = answers(fw, len(made), seed=1000 + year, maturity=np.clip(np.array(maturity) + 0.05 * t, 0, 1),
                      blank_rate=0.05)
        for k, (e, (_, row)) in enumerate(zip(made, raw.iterrows(), strict=True)):
            last = year == years[-1]
            if last and k >= len(made) - unassessed:
                continue  # registered, not assessed this year: the submission rate is below 100 %
            a = assessments.start(e, framework, year)
            assessments.save_draft(a, {key: v for key, v in row.items() if v is not None and v == v})
            assessments.submit(a)
            if not (last and k >= len(made) - unassessed - waiting):  # a few wait for review: the work queue
                assessments.approve(a, by=reviewer)
    national = orgs.create_organization(kind="authority", name="演示·工业和信息化部", national=True)
    user = User.objects.create_user("demo_national", password=password)
    Membership.objects.create(user=user, organization=national)
    if out is not None:
        out.write(f"benchmarking demo: {len(made)} more 浙江 enterprises, {len(years)} years")
    return ["demo_national"]
