"""A population for benchmarking tests: the personas' enterprises A and B among peers, every one
scored in two years through the real workflow (start → save → submit → approve), so that the
snapshot is written the way the platform writes it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ronghe.apps.assessments import services as assessments
from ronghe.apps.assessments.models import Assessment, Score
from ronghe.apps.frameworks.services import register_files
from ronghe.apps.organizations import services as orgs
from ronghe.core.frameworks.synthetic import answers
from tests.base import credit_code
from tests.conftest import FILES

YEARS = (2024, 2025)
# county, division, size, how many: 杭州西湖区 34 (A's division and county) is large, 17 is small
PEERS = [("330106", "34", "300-1000人", 12), ("330106", "39", "300人以下", 6), ("330203", "34", "1000-5000人", 8),
         ("330203", "17", "300人以下", 4), ("110105", "39", "1000-5000人", 7), ("110105", "34", "300-1000人", 5)]


@dataclass
class Peers:
    version: object
    enterprises: list
    a: dict
    """A's scored assessment per year."""


def populate(world, years=YEARS) -> Peers:
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    fw = version.loaded().framework
    enterprises = [world.a, world.b]
    serial = 100
    for county, division, size, n in PEERS:
        for _ in range(n):
            serial += 1
            enterprises.append(orgs.create_organization(
                kind="enterprise", name=f"同行{serial}", credit_code=credit_code(county, serial), region_id=county,
                industry_id=division, size=size))
    rng = np.random.default_rng(15)
    maturity = rng.beta(2, 2, len(enterprises))
    a_by_year = {}
    for t, year in enumerate(years):
        raw = answers(fw, len(enterprises), seed=year, maturity=np.clip(maturity + 0.05 * t, 0, 1))
        for e, (_, row) in zip(enterprises, raw.iterrows(), strict=True):
            a = assessments.start(e, version, year)
            assessments.save_draft(a, {k: v for k, v in row.items() if v is not None and v == v})
            assessments.submit(a)
            assessments.approve(a, by=world.admin)
            if e == world.a:
                a_by_year[year] = Assessment.objects.select_related("framework", "enterprise").get(pk=a.pk)
    return Peers(version, enterprises, a_by_year)


def scores_frame(version) -> pd.DataFrame:
    """Every stored score of ``version`` with its enterprise's attributes, read plainly through the ORM:
    the independent side of the "same numbers" checks."""
    rows = []
    for s in Score.objects.filter(assessment__framework=version).select_related("assessment__enterprise"):
        e = s.assessment.enterprise
        values = {k: np.nan if v is None else v for k, v in {**s.nodes, **s.rates}.items()}
        rows.append({"assessment": s.assessment_id, "enterprise": e.pk, "year": s.assessment.year,
                     "region": e.region_id, "industry": e.industry_id, "size": e.size, "stage": s.stage,
                     "complete": s.complete, **values})
    return pd.DataFrame(rows)


def rank(values: pd.Series, x: float) -> float:
    values = values.dropna()
    return 100 * ((values < x).sum() + (values == x).sum() / 2) / len(values)
