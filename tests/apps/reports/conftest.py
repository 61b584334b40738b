"""Fixtures of the report tests: a scored assessment of enterprise A (two years, for the change on
the previous year) and a submitted one of B, made through the real workflow; a draft evaluation of
杭州市's authority."""

import tempfile
from pathlib import Path

import pytest

from ronghe.apps.assessments import services as assessments
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def scored(enterprise, version, year, answers, by, reviewer):
    a = assessments.start(enterprise, version, year, by=by)
    assessments.save_draft(a, answers)
    assessments.submit(a, by=by)
    assessments.approve(a, by=reviewer)
    a.refresh_from_db()
    return a


@pytest.fixture
def reports_world(world):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    world.version = version
    world.earlier = scored(world.a, version, 2024, {**FULL, "a1": "B", "b2": 40}, world.ent_a, world.admin)
    world.scored = scored(world.a, version, 2025, FULL, world.ent_a, world.admin)
    world.submitted = assessments.start(world.b, version, 2025, by=world.ent_b)
    assessments.save_draft(world.submitted, FULL)
    assessments.submit(world.submitted, by=world.ent_b)
    from ronghe.apps.regions.services import run_evaluation
    from tests.apps.regions.helpers import write_data

    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "d.csv", ["330106", "330102"])
        world.evaluation = run_evaluation(world.city_authority.memberships.get().organization,
                                          "lianghua-regional", [data], runs=10)
    return world
