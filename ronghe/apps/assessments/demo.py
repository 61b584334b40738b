"""The demo's enterprises and their assessment history, for ``manage.py load_demo``.

The demo should look like a province's real population, not like noise: enterprises sit in real
counties (never a 市辖区 placeholder), more of them in the big industrial cities; each province has
its own mix of GB/T 4754 manufacturing divisions (浙江 electrical machinery and textiles, 广东
electronics and household goods, 陕西 aerospace and petroleum …); most are small. Their latent
maturity (0–1, the ``maturity`` of ``core.frameworks.synthetic.answers``) rises with the eastern
zone, a digital-heavy division and the size band, and improves each year at its own pace. Not every
enterprise has the whole history: some joined the platform later. In the last year a few wait for
review (the authorities' work queue), one was returned with a reason, and a few have not assessed yet.

Everything goes through the assessment workflow (start → save → submit → approve / reject), so
scores, snapshots and the audit log are written as in production. One seeded generator makes the
same data on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ronghe.apps.assessments import services as assessments
from ronghe.apps.organizations import services as orgs
from ronghe.apps.organizations.models import Organization, Region
from ronghe.apps.organizations.services import PLACEHOLDERS
from ronghe.core.index.data import zone_of

PROVINCE_WEIGHT = {"330000": 0.22, "320000": 0.2, "440000": 0.2, "110000": 0.07, "420000": 0.11, "510000": 0.1,
                   "610000": 0.1}
"""Share of the demo's enterprises per province (the first enterprise is always in 浙江)."""

PROVINCE_INDUSTRIES = {
    "330000": ("38", "34", "17", "26", "39", "29", "35", "18"),
    "320000": ("39", "26", "34", "17", "38", "35", "31", "36"),
    "440000": ("39", "38", "33", "29", "21", "14", "36", "24"),
    "110000": ("39", "27", "36", "35", "40", "14"),
    "420000": ("36", "39", "26", "31", "14", "35", "27"),
    "510000": ("39", "15", "26", "27", "37", "36", "14"),
    "610000": ("37", "39", "25", "36", "27", "31", "38"),
}
"""GB/T 4754 divisions of each province, most common first (drawn with weights 1, 1/2, 1/3 …)."""

CITY_WEIGHT = {"3301": 5, "3302": 4, "3303": 2, "3304": 2, "3306": 2, "3201": 3, "3202": 4, "3204": 2, "3205": 6,
               "4401": 5, "4403": 6, "4406": 4, "4419": 4, "4413": 2, "1101": 1, "4201": 6, "4205": 2, "4206": 3,
               "5101": 7, "5106": 2, "5107": 2, "6101": 7, "6103": 2}
"""Relative weight of a city (its first four digits) among its province's; others weigh 1."""

INDUSTRY_MATURITY = {"39": 0.09, "40": 0.06, "36": 0.06, "37": 0.05, "38": 0.05, "35": 0.03, "34": 0.03, "27": 0.02,
                     "26": 0.02, "25": 0.01, "31": 0.0, "24": -0.02, "29": -0.02, "33": -0.03, "15": -0.03,
                     "14": -0.04, "18": -0.05, "17": -0.05, "21": -0.06}
"""Added to an enterprise's maturity by its division: electronics and vehicles ahead, textiles behind."""

SIZES = [s for s, _ in Organization.Size.choices]
SIZE_SHARE = [0.52, 0.26, 0.14, 0.05, 0.03]
SIZE_MATURITY = [-0.06, 0.0, 0.05, 0.08, 0.11]
"""Share of each size band (300人以下 … 10000人以上) and what it adds to maturity."""

JOINED = [0.55, 0.25, 0.12, 0.08]
"""Share of enterprises whose first assessment is in the first, second … year of the history."""

BRANDS = ["恒达", "华信", "天成", "博远", "万兴", "永盛", "金辰", "新锐", "瑞丰", "宏图", "精诚", "联创", "德润",
          "汇通", "嘉禾", "弘毅", "同创", "景明", "启航", "中屹", "鼎立", "华川", "安泰", "卓越", "盛凯", "宇辰",
          "长青", "明泰", "国瑞", "众鑫"]
PRODUCTS = {"14": "食品", "15": "酒业", "17": "纺织", "18": "服饰", "21": "家居", "24": "文体用品", "25": "石化",
            "26": "化工", "27": "药业", "29": "塑胶", "31": "特钢", "33": "五金", "34": "机械", "35": "装备",
            "36": "汽车部件", "37": "航空装备", "38": "电气", "39": "电子", "40": "仪器"}
"""What a company of each division would call itself in its name."""


@dataclass
class Population:
    """The demo enterprises with what drives their answers."""

    enterprises: list[Organization] = field(default_factory=list)
    maturity: list[float] = field(default_factory=list)
    """Latent maturity in the first year, 0–1."""
    pace: list[float] = field(default_factory=list)
    """Yearly gain of maturity (0–1 scale per year)."""
    joined: list[int] = field(default_factory=list)
    """Index in the history of the enterprise's first assessed year."""


def _counties(province: str) -> list[str]:
    """Counties of a province that are real places (not a 市辖区 placeholder), by code."""
    return list(Region.objects.filter(level="county", code__startswith=province[:2]).exclude(name__in=PLACEHOLDERS)
                .order_by("code").values_list("code", flat=True))


def _name(serial: int, county: str, industry: str, rng: np.random.Generator) -> str:
    city = Region.objects.filter(code=county[:4] + "00").first()
    place = city.name if city is not None and city.name not in PLACEHOLDERS else Region.objects.get(code=county).name
    for suffix in ("市", "地区", "自治州"):
        place = place.removesuffix(suffix) if len(place) > len(suffix) + 1 else place
    brand = BRANDS[int(rng.integers(len(BRANDS)))]
    return f"演示企业{serial:03d}·{place}{brand}{PRODUCTS.get(industry, '科技')}有限公司"


def place_enterprises(n: int, credit_code: Callable[[str, int], str], rng: np.random.Generator,
                      history_years: int) -> Population:
    """Create ``n`` enterprises over the provinces whose counties are loaded; the first is in 杭州市西湖区
    (``demo_enterprise``'s) and has the whole history."""
    counties = {p: _counties(p) for p in PROVINCE_WEIGHT}
    provinces = [p for p in PROVINCE_WEIGHT if counties[p]]
    share = np.array([PROVINCE_WEIGHT[p] for p in provinces])
    pop = Population()
    for i in range(n):
        if i == 0 and "330106" in counties.get("330000", []):
            province, county, industry, size = "330000", "330106", "34", SIZES[1]
        else:
            province = provinces[int(rng.choice(len(provinces), p=share / share.sum()))]
            weights = np.array([CITY_WEIGHT.get(c[:4], 1.0) for c in counties[province]])
            county = counties[province][int(rng.choice(len(weights), p=weights / weights.sum()))]
            mix = PROVINCE_INDUSTRIES[province]
            w = 1 / np.arange(1, len(mix) + 1)
            industry = mix[int(rng.choice(len(mix), p=w / w.sum()))]
            size = SIZES[int(rng.choice(len(SIZES), p=SIZE_SHARE))]
        pop.enterprises.append(orgs.create_organization(
            kind="enterprise", name=_name(i + 1, county, industry, rng), credit_code=credit_code(county, i + 1),
            region_id=county, industry_id=industry, size=size))
        bonus = (0.08 if zone_of(county) == "east" else 0) + INDUSTRY_MATURITY.get(industry, 0) \
            + SIZE_MATURITY[SIZES.index(size)]
        pop.maturity.append(float(np.clip(rng.beta(2.2, 3.0) + bonus, 0, 1)))
        pop.pace.append(float(np.clip(rng.normal(0.035, 0.015), 0, 0.08)))
        joined = np.array(JOINED[:history_years])
        pop.joined.append(0 if i == 0 else int(rng.choice(history_years, p=joined / joined.sum())))
    return pop


RETURN_REASON = "“信息化投入占比”与财务报表不一致，请核对后补充年度审计报告中的相关数据。"


def assess_history(pop: Population, framework, years: list[int], reviewer, rng: np.random.Generator,
                   waiting: float = 0.05, unassessed: float = 0.03, returned_in: str = "32") -> dict[str, int]:
    """Assess each enterprise in every year since it joined; in the last year a share ``waiting`` is
    left submitted (a work queue in every province), one (in the province ``returned_in`` if it has
    enterprises) is returned with a reason, and a share ``unassessed`` has not assessed yet. The first
    enterprise is always approved. Returns counts."""
    from ronghe.core.frameworks.synthetic import answers

    fw = framework.loaded().framework
    counts = {"scored": 0, "submitted": 0, "rejected": 0}
    last = len(years) - 1
    veterans = [k for k in range(1, len(pop.enterprises)) if pop.joined[k] < last]  # assessed before the last year
    order = rng.permutation(veterans).tolist()
    back = next((k for k in order if pop.enterprises[k].region_id.startswith(returned_in)), order[0] if order else -1)
    wait: set[int] = set()
    for province in sorted({pop.enterprises[k].region_id[:2] for k in order}):  # a queue in every province
        mine = [k for k in order if k != back and pop.enterprises[k].region_id.startswith(province)]
        wait.update(mine[:max(1, round(waiting * len(mine)))])
    rest = [k for k in order if k != back and k not in wait]
    returned, skip = {back}, set(rest[:max(1, round(unassessed * len(order)))])
    for t, year in enumerate(years):
        rows = [k for k in range(len(pop.enterprises)) if pop.joined[k] <= t and not (t == last and k in skip)]
        if not rows:
            continue
        level = np.clip(np.array([pop.maturity[k] + pop.pace[k] * t for k in rows]), 0, 1)
        raw = answers(fw, len(rows), seed=year, maturity=level, blank_rate=0.08)
        for k, (_, row) in zip(rows, raw.iterrows(), strict=True):
            a = assessments.start(pop.enterprises[k], framework, year)
            assessments.save_draft(a, {key: v for key, v in row.items() if v is not None and v == v})
            assessments.submit(a)
            if t == last and k in wait:
                counts["submitted"] += 1
            elif t == last and k in returned:
                assessments.reject(a, RETURN_REASON, by=reviewer)
                counts["rejected"] += 1
            else:
                assessments.approve(a, by=reviewer)
                counts["scored"] += 1
    return counts


def consultancy_clients(consultancy: Organization, enterprises: list[Organization], per_province: int = 3) -> list:
    """Grant ``consultancy`` access to the demo enterprise and to ``per_province`` enterprises in each of
    two provinces (its home province and another, the one of a returned assessment if there is one, so
    the consultant has something to revise), so its list spans both."""
    from ronghe.apps.assessments.models import Assessment

    home = (consultancy.region_id or "33")[:2]
    returned = [a.enterprise for a in Assessment.objects.filter(enterprise__in=enterprises, status="rejected")
                .select_related("enterprise").order_by("enterprise_id")]
    provinces = [e.region_id[:2] for e in [*returned, *enterprises] if e.region_id and e.region_id[:2] != home]
    clients = [enterprises[0], *(e for e in returned if e.region_id[:2] == (provinces or [""])[0])][:2]
    for prefix in (home, *provinces[:1]):
        clients += [e for e in enterprises[1:] if e.region_id.startswith(prefix) and e not in clients][:per_province]
    for e in clients:
        orgs.grant_access(e, consultancy)
    return clients
