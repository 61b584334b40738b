"""Sub-regions of an authority, its data template and its sample data.

A new user should be able to run an evaluation without first collecting statistics: "use sample
data" builds plausible indicator values for exactly the sub-regions of the authority's
jurisdiction (the provinces for a national authority, the cities of a province, the districts and
counties of a city). The values are deterministic (seeded by the authority's region code), so a
sample run gives the same ranking every time.

The national sample follows the published CCID figures (national composite 2012–2015, the 2014
and 2015 category values, the 2014 east/central/west means; ``ronghe/data/indices/samples/
ccid-national.yaml`` says which numbers are published and which are assumed). A sub-national
sample uses the years of the approved enterprise assessments of the jurisdiction, so that the
indicators computed from those assessments (``kind: enterprise``) fall into the same years.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ronghe.apps.organizations.models import Organization, Region
from ronghe.core.index.data import provinces, zone_of
from ronghe.core.index.definition import Definition

PLACEHOLDERS = ("市辖区", "县")
"""GB/T 2260 entries that group districts or counties without being a region of their own (330101
市辖区): never a sub-region to rank."""

SAMPLE_SEED = 2260
"""Base seed of the sub-national samples; the region code is added, so each authority has its own."""


@lru_cache(maxsize=1)
def ccid() -> dict[str, Any]:
    """The national sample's calibration (package data, read once per process)."""
    path = Path(str(resources.files("ronghe") / "data" / "indices" / "samples" / "ccid-national.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def assessment_level(authority: Organization) -> str:
    """The level at which enterprise assessments are aggregated for this authority's sub-regions:
    provinces for a national authority, cities of a province (the districts of a municipality,
    whose children in GB/T 2260 are counties), counties of a city."""
    if authority.national or authority.region is None:
        return "province"
    if authority.region.level == "province":
        has_cities = Region.objects.filter(parent_id=authority.region_id, level="city").exists()
        return "city" if has_cities else "county"
    return "county"


def subregions(authority: Organization) -> list[tuple[str, str]]:
    """(code, name) of the sub-regions the authority ranks, in code order: the 31 provinces for a
    national authority (from the shipped province table when no division table is loaded), else
    the children of its region in the loaded GB/T 2260 table (none for a county), without the
    :data:`PLACEHOLDERS`."""
    if authority.national or authority.region is None:
        return [(code, p["name"]["zh-Hans"]) for code, p in sorted(provinces().items())]
    return list(Region.objects.filter(parent_id=authority.region_id).exclude(name__in=PLACEHOLDERS).order_by("code")
                .values_list("code", "name"))


def _category_factors(d: Definition, year_key: int) -> dict[str, float]:
    """Each top category's value relative to the total in the published CCID figures of a year
    (2014 or 2015): 基础环境 and 应用效益 above the total, 工业应用 below it."""
    cal = ccid()
    cats = cal["categories"][year_key]
    total = cal["national_total"][year_key]
    return {c: v / total for c, v in cats.items()}


def _values(d: Definition, totals: dict[tuple[int, str], float], rng: np.random.Generator,
            enterprise: bool = True) -> pd.DataFrame:
    """Indicator values whose ratio-to-reference scores average out at the wanted totals: value =
    reference × total/100 × the category's factor × U(0.95, 1.05) (the inverse for an indicator
    where lower is better). Long table: region, year, indicator, value."""
    parent = {i.id: i.parent for i in d.indicators}
    node_parent = {n.id: n.parent for n in d.nodes}

    def category(ind_id: str) -> str:
        node = parent[ind_id]
        while node_parent.get(node) not in (None, d.total):
            node = node_parent[node]
        return node

    rows = []
    for (year, region), total in sorted(totals.items()):
        factors = _category_factors(d, 2015 if year >= 2015 else 2014)
        for ind in d.indicators:
            if ind.reference is None or (ind.kind == "enterprise" and not enterprise):
                continue
            f = total / 100 * factors.get(category(ind.id), 1.0) * rng.uniform(0.95, 1.05)
            value = ind.reference * (f if ind.direction == "higher" else 1 / f)
            rows.append((region, year, ind.id, round(float(value), 3)))
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


def national_sample(d: Definition) -> pd.DataFrame:
    """The 31 provinces, 2012–2015: each province's 2014 total is its zone's published mean plus
    its assumed offset; other years follow the published national series (the 2014 fast growers
    a little lower before 2014)."""
    cal = ccid()
    series = {int(y): v for y, v in cal["national_total"].items()}
    fast = set(cal["fast_growers_2014"])
    totals = {}
    for code in sorted(provinces()):
        t2014 = cal["zone_mean_2014"][zone_of(code)] + cal["offset_2014"][code]
        for year in cal["years"]:
            t = t2014 * series[year] / series[2014]
            if code in fast and year < 2014:
                t -= 2.0
            totals[(year, code)] = t
    return _values(d, totals, np.random.default_rng(SAMPLE_SEED))


def sub_sample(d: Definition, authority: Organization, years: list[int]) -> pd.DataFrame:
    """The authority's sub-regions in ``years``: a level drawn per sub-region (the first, the seat of
    government in GB/T 2260 order, a little stronger), improving about 3 % a year."""
    regions = [code for code, _ in subregions(authority)]
    rng = np.random.default_rng(SAMPLE_SEED + int(authority.region_id or 0))
    base = 70 + (5 if zone_of(authority.region_id or "") == "east" else 0)
    level = {r: base * rng.uniform(0.8, 1.1) + (6 if k == 0 else 0) for k, r in enumerate(regions)}
    totals = {(y, r): level[r] * (1 + 0.03 * t) for t, y in enumerate(sorted(years)) for r in regions}
    return _values(d, totals, rng)


def sample(d: Definition, authority: Organization, assessment_years: list[int], this_year: int) -> pd.DataFrame:
    """The authority's sample data (long): national → :func:`national_sample`; otherwise its
    sub-regions in the last three years that have approved assessments (else the three years
    before ``this_year``). Empty when the authority has fewer than two sub-regions."""
    if authority.national or authority.region is None:
        return national_sample(d)
    years = sorted(set(assessment_years))[-3:] or [this_year - 3, this_year - 2, this_year - 1]
    return sub_sample(d, authority, years)
