"""The pipeline run by hand on the mini definition (tests/core/index/build.py): imputation by
zone, step parameters from the definition, the base year, weights per parent, the floor of a
geometric mean, a category missing for one region, and a three-level tree."""

import numpy as np
import pytest

from ronghe.core.index.definition import Definition
from ronghe.core.index.pipeline import IndexPipeline, Tree, aggregate_tree
from ronghe.core.index.steps import impute, normalise, treat
from tests.core.index.build import MINI, REGIONS, definition, panel

NAN = np.nan
HIGHER = np.array([True, False, True])
# years 2015, 2016 × regions 110000, 120000 (east), 140000 (central), 620000 (west) × a1, a2, b1
X = np.array([
    [[40.0, 2.0, 10.0], [NAN, 4.0, 20.0], [60.0, NAN, 5.0], [30.0, 8.0, NAN]],
    [[50.0, 2.0, 12.0], [70.0, 5.0, 25.0], [80.0, 1.0, 5.0], [30.0, 8.0, 15.0]],
])
P = panel(X, years=(2015, 2016))


def test_it_imputes_by_zone_normalises_to_the_reference_and_reweights_over_what_is_present():
    r = IndexPipeline.from_definition(definition()).run(P)
    # 120000's a1 is the east mean (40); 140000's a2 and 620000's b1 have no zone partner: missing
    np.testing.assert_array_equal(r.named["impute"][0], [[40, 2, 10], [40, 4, 20], [60, NAN, 5], [30, 8, NAN]])
    # ratio: a1/50, 4/a2 (lower is better), b1/10, × 100
    np.testing.assert_array_equal(r.named["normalise"][0], [[80, 200, 100], [80, 100, 200], [120, NAN, 50],
                                                            [60, 50, NAN]])
    assert r.node("A")[0].tolist() == [140, 90, 120, 55]
    np.testing.assert_array_equal(r.node("B")[0], [100, 200, 50, NAN])
    # T = 0.6·A + 0.4·B; 620000 has no B, so T = A
    assert r.total[0].tolist() == pytest.approx([124, 134, 92, 55])
    assert r.weights.tolist() == [0.5, 0.5, 1.0]
    assert (r.definition, r.panel) == (definition(), P)
    assert set(r.named) == {"raw", "impute", "treat", "normalise", "weight", "aggregate"}
    np.testing.assert_array_equal(r.named["raw"], X)


def test_every_named_intermediate_is_what_its_step_made():
    d = definition(pipeline={"treat": {"method": "winsorise", "lower": 0.25, "upper": 0.25},
                             "normalise": {"method": "minmax", "base_year": 2016}})
    r = IndexPipeline.from_definition(d).run(P)
    zones = np.array(["east", "east", "central", "west"])
    imputed = impute(X, "group_mean", groups=zones)
    treated = treat(imputed, "winsorise", lower=0.25, upper=0.25)
    np.testing.assert_array_equal(r.named["impute"], imputed)
    np.testing.assert_array_equal(r.named["treat"], treated)
    assert not np.array_equal(treated, imputed, equal_nan=True)
    # min and max of 2016 (year index 1) fix the scale of both years
    np.testing.assert_array_equal(r.named["normalise"], normalise(treated, "minmax", base_year=1, higher=HIGHER))
    np.testing.assert_array_equal(r.named["aggregate"], r.named["normalise"])


def test_distance_to_target_reads_each_indicators_target():
    r = IndexPipeline.from_definition(definition(pipeline={"normalise": {"method": "target"}})).run(P)
    # worst = base-year minimum (maximum for a2); 100·(x − worst)/(target − worst), capped
    np.testing.assert_array_equal(r.named["normalise"][1], [
        [(50 - 30) / (80 - 30) * 100, 100, (12 - 5) / (20 - 5) * 100],
        [(70 - 30) / (80 - 30) * 100, (5 - 8) / (2 - 8) * 100, 100],
        [100, 100, 0],
        [0, 0, (15 - 5) / (20 - 5) * 100],
    ])


def test_equal_weights_are_equal_within_each_parent():
    r = IndexPipeline.from_definition(definition(pipeline={"weight": {"method": "equal"}})).run(P)
    assert r.weights.tolist() == [0.5, 0.5, 1.0]  # a1, a2 share A; b1 is alone under B


def test_a_geometric_mean_raises_values_to_the_definitions_floor():
    d = definition(pipeline={"aggregate": {"method": "geometric", "floor": 60}})
    r = IndexPipeline.from_definition(d).run(P)
    # 2015, 620000: a1 = 60, a2 = 50 → 50 is raised to 60 → A = 60; B missing → T = 60
    assert r.node("A")[0, 3] == pytest.approx(60)
    assert r.total[0, 3] == pytest.approx(60)
    # 110000: A = √(80·200); T = A^0.6 · 100^0.4
    assert r.total[0, 0] == pytest.approx((80 * 200) ** 0.3 * 100**0.4)


def test_without_an_aggregate_step_it_averages_arithmetically():
    doc = {**MINI, "pipeline": [s for s in MINI["pipeline"] if s["step"] != "aggregate"]}
    r = IndexPipeline(Definition.model_validate(doc), []).run(P)
    np.testing.assert_array_equal(r.named["raw"], X)
    assert r.total[1, 0] == pytest.approx(0.6 * (50 + 2) / 2 + 0.4 * 12)


def test_with_params_replays_the_definition_with_one_change():
    base = IndexPipeline.from_definition(definition())
    variant = base.with_params(normalise__method="zscore", treat__lower=0.1)
    assert variant.named_steps["normalise"].method == "zscore"
    assert variant.named_steps["treat"].params["lower"] == 0.1
    assert base.named_steps["normalise"].method == "ratio"


DEEP = {
    **MINI,
    "nodes": [{"id": "T", "name": "总"}, {"id": "A", "parent": "T", "weight": 0.6, "name": "甲"},
              {"id": "B", "parent": "T", "weight": 0.4, "name": "乙"},
              {"id": "A1", "parent": "A", "weight": 0.25, "name": "甲一"},
              {"id": "A2", "parent": "A", "weight": 0.75, "name": "甲二"}],
    "indicators": [{**MINI["indicators"][0], "parent": "A1", "weight": 1.0},
                   {**MINI["indicators"][1], "parent": "A2", "weight": 1.0}, MINI["indicators"][2]],
}


def test_a_three_level_tree_aggregates_children_before_parents():
    d = Definition.model_validate(DEEP)
    tree = Tree.of(d)
    assert tree.node_ids == ["T", "A", "B", "A1", "A2"] and tree.indicator_ids == ["a1", "a2", "b1"]
    position = {tree.node_ids[k]: i for i, k in enumerate(tree.order)}
    assert position["A1"] < position["A"] < position["T"] and position["A2"] < position["A"]
    assert [g.tolist() for g in tree.groups] == [[0], [1], [2]]
    ind, nodes, w = tree.children[tree.node_ids.index("A")]
    assert (ind.tolist(), nodes.tolist(), w.tolist()) == ([], [3, 4], [0.25, 0.75])
    Z = np.array([[[80.0, 40.0, 100.0]]])
    scores = aggregate_tree(Z, tree, np.ones(3))
    # A = 0.25·80 + 0.75·40 = 50; T = 0.6·50 + 0.4·100
    assert scores[0, 0].tolist() == pytest.approx([70, 50, 100, 80, 40])
    geo = aggregate_tree(np.array([[[0.5, 40.0, 100.0]]]), tree, np.ones(3), "geometric")
    assert geo[0, 0, 1] == pytest.approx(0.5**0.25 * 40**0.75)  # the default floor (0.1) leaves 0.5 alone


def test_the_regions_of_the_result_follow_the_panel():
    r = IndexPipeline.from_definition(definition()).run(panel(X[:1, ::-1], regions=REGIONS[::-1]))
    assert r.total[0].tolist() == pytest.approx([55, 92, 134, 124])
