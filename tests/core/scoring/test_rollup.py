"""The roll-up: a node whose items are all not applicable drops out of its parent's weights.

Tree (weights in brackets): T = P (0.5) + Q (0.3) + R (0.2); P = gate (0.5) + p (0.5);
Q = Q1 (0.5) + Q2 (0.5); Q1 = q1 (asked when gate = 是); Q2 = q2 (asked when p = C); R = r.
Options: p A/B/C = 0/40/80, q1 A/B/C = 0/60/100, q2 A/B = 0/100, r A/B/C = 0/25/100.
"""

import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.scoring import score, score_one
from ronghe.core.scoring.answers import encode
from tests.core.scoring.build import framework, node, single, yesno


@pytest.fixture(scope="module")
def tree():
    return framework(
        nodes=[node("T"), node("P", "T", 0.5), node("Q", "T", 0.3), node("R", "T", 0.2),
               node("Q1", "Q", 0.5), node("Q2", "Q", 0.5)],
        items=[
            yesno("gate", "P", 0.5),
            single("p", "P", [0, 40, 80], 0.5),
            single("q1", "Q1", [0, 60, 100], condition={"item": "gate", "op": "eq", "value": True}),
            single("q2", "Q2", [0, 100], condition={"item": "p", "op": "eq", "value": "C"}),
            single("r", "R", [0, 25, 100]),
        ],
        stages=[{"code": 1, "label": "起步建设"},
                {"code": 2, "label": "单项覆盖", "requires": [{"node": "Q", "min": 10}]}],
    )


def test_it_drops_a_node_with_no_applicable_item_from_its_parents_weights(tree):
    r = score_one(tree, {"gate": "否", "p": "B", "q1": "C", "q2": "B", "r": "C"})
    # gate 否 → q1 not asked; p = B → q2 not asked: Q1, Q2 and so Q have nothing to score
    assert math.isnan(r.nodes["Q1"]) and math.isnan(r.nodes["Q2"]) and math.isnan(r.nodes["Q"])
    assert math.isnan(r.items["q1"]) and math.isnan(r.items["q2"])
    assert r.nodes["P"] == pytest.approx(20)  # (0·0.5 + 40·0.5) / 1
    # T re-weights over P and R only: (0.5·20 + 0.2·100) / 0.7, not (… + 0.3·anything) / 1
    assert r.total == pytest.approx(30 / 0.7)
    assert r.complete  # items that are not asked are not missing


def test_it_keeps_a_node_whose_items_are_asked_even_when_they_score_0(tree):
    r = score_one(tree, {"gate": "是", "p": "B", "r": "C"})
    # q1 asked but unanswered: 0 points with its full weight; Q2 not applicable → Q = Q1 = 0
    assert r.items["q1"] == 0 and math.isnan(r.items["q2"])
    assert (r.nodes["Q1"], r.nodes["Q"]) == (0, 0)
    assert math.isnan(r.nodes["Q2"])
    assert r.total == pytest.approx(0.5 * 70 + 0.3 * 0 + 0.2 * 100)
    assert (r.complete, r.missing) == (False, ["q1"])


def test_it_re_weights_at_every_level(tree):
    r = score_one(tree, {"gate": "是", "p": "B", "q1": "B", "r": "A"})
    # Q2 not applicable: Q = Q1 = 60 (not 30); T = 0.5·70 + 0.3·60 + 0.2·0
    assert r.nodes["Q"] == pytest.approx(60)
    assert r.total == pytest.approx(35 + 18)
    r = score_one(tree, {"gate": "是", "p": "C", "q1": "B", "q2": "B", "r": "B"})
    # everything asked: Q = (60 + 100) / 2, P = (100 + 80) / 2, R = 25
    assert r.nodes == pytest.approx({"T": 0.5 * 90 + 0.3 * 80 + 0.2 * 25, "P": 90, "Q": 80, "R": 25,
                                     "Q1": 60, "Q2": 100})


def test_a_not_applicable_node_fails_a_stage_requirement(tree):
    applicable = score_one(tree, {"gate": "是", "p": "B", "q1": "B", "r": "A"})
    dropped = score_one(tree, {"gate": "否", "p": "B", "r": "A"})
    assert (applicable.stage, dropped.stage) == (2, 1)  # Q ≥ 10 needs a Q


def test_it_rolls_up_each_row_of_a_batch_on_its_own(tree):
    rows = [{"gate": "否", "p": "B", "q1": "C", "q2": "B", "r": "C"},
            {"gate": "是", "p": "C", "q1": "B", "q2": "B", "r": "B"},
            {"gate": "是", "p": "B", "q1": "B", "r": "A"},
            {"gate": "否", "p": "C", "q2": "A", "r": "A"}]
    s = score(tree, encode(tree, pd.DataFrame(rows, dtype=object)))
    q = tree.node_index("Q")
    assert s.nodes[:, q].tolist()[1:] == [80, 60, 0]  # row 4: Q1 dropped, Q2 = 0
    assert math.isnan(s.nodes[0, q])
    expected = [30 / 0.7, 0.5 * 90 + 0.3 * 80 + 0.2 * 25, 53, 0.5 * 40 + 0.3 * 0 + 0.2 * 0]
    np.testing.assert_allclose(s.total, expected, rtol=1e-12)
    for i, row in enumerate(rows):
        np.testing.assert_array_equal(s.nodes[i], score(tree, encode(tree, pd.DataFrame([row])).values).nodes[0])
