"""Conditions decide which questions are asked: every operator at and around its boundary.

The controllers are a single choice ``s`` (options A, B, C), a multiple choice ``m`` (options X,
Y, Z: bits 0, 1, 2 of its code), a yes/no ``y`` and a number ``n``. Each dependent item is a
yes/no answered 是; it scores 100 when it is asked and NaN when its condition does not hold.
Only the controller named in a case is answered, so every other condition also meets an
unanswered controller — which never satisfies a condition, whatever the operator.
"""

import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.scoring import score
from ronghe.core.scoring.answers import encode
from tests.core.scoring.build import framework, multi, node, number, single, yesno

CONDITIONS = {
    "s_eq": {"item": "s", "op": "eq", "value": "B"},
    "s_ne": {"item": "s", "op": "ne", "value": "B"},
    "s_in": {"item": "s", "op": "in", "value": ["A", "C"]},
    "s_not_in": {"item": "s", "op": "not_in", "value": ["A", "C"]},
    "s_answered": {"item": "s", "op": "answered"},
    "m_has": {"item": "m", "op": "has", "value": "Y"},
    "m_answered": {"item": "m", "op": "answered"},
    "y_eq": {"item": "y", "op": "eq", "value": True},
    "y_ne": {"item": "y", "op": "ne", "value": True},
    "n_gt": {"item": "n", "op": "gt", "value": 10},
    "n_ge": {"item": "n", "op": "ge", "value": 10},
    "n_lt": {"item": "n", "op": "lt", "value": 10},
    "n_le": {"item": "n", "op": "le", "value": 10},
    "n_eq": {"item": "n", "op": "eq", "value": 10},
    "n_ne": {"item": "n", "op": "ne", "value": 10},
    # asked only when s_eq is asked *and* answered: a condition on a conditional item
    "deep": {"item": "s_eq", "op": "answered"},
}
DEPENDENTS = list(CONDITIONS)


@pytest.fixture(scope="module")
def cond():
    return framework(
        nodes=[node("T"), node("C", "T", 0.5), node("D", "T", 0.5)],
        items=[
            single("s", "C", [0, 50, 100], 0.25),
            multi("m", "C", {"X": 10, "Y": 20, "Z": 40}, 0.25),
            yesno("y", "C", 0.25),
            number("n", "C", [[0, 50]], weight=0.25),
            *[yesno(d, "D", 1 / 16, required=False, condition=c) for d, c in CONDITIONS.items()],
        ],
    )


CASES = [
    # (answers of the controllers, dependents that are asked)
    ({"s": "A"}, {"s_ne", "s_in", "s_answered"}),
    ({"s": "B"}, {"s_eq", "s_not_in", "s_answered", "deep"}),
    ({"s": "C"}, {"s_ne", "s_in", "s_answered"}),
    ({"s": "B", "s_eq": None}, {"s_eq", "s_not_in", "s_answered"}),  # s_eq asked but left empty: deep is not
    ({"m": "X"}, {"m_answered"}),
    ({"m": "Y"}, {"m_has", "m_answered"}),
    ({"m": "Z"}, {"m_answered"}),
    ({"m": "X,Z"}, {"m_answered"}),
    ({"m": "X,Y"}, {"m_has", "m_answered"}),
    ({"m": "Y,Z"}, {"m_has", "m_answered"}),
    ({"m": "无"}, {"m_answered"}),  # an empty selection is an answer that has no option
    ({"y": "是"}, {"y_eq"}),
    ({"y": "否"}, {"y_ne"}),
    ({"n": 9.5}, {"n_lt", "n_le", "n_ne"}),
    ({"n": 10}, {"n_ge", "n_le", "n_eq"}),
    ({"n": 10.5}, {"n_gt", "n_ge", "n_ne"}),
    ({"n": 0}, {"n_lt", "n_le", "n_ne"}),
    ({"n": -1}, {"n_lt", "n_le", "n_ne"}),  # the value an unanswered cell must not be mistaken for
    ({}, set()),  # nothing answered: not even ne / not_in / lt hold
]


def _asked(compiled, rows):
    frame = pd.DataFrame([{**dict.fromkeys(DEPENDENTS, "是"), **answers} for answers in rows], dtype=object)
    enc = encode(compiled, frame)
    assert not enc.errors, enc.errors
    s = score(compiled, enc)
    cols = [compiled.item_index(d) for d in DEPENDENTS]
    return [{d for d, v in zip(DEPENDENTS, s.items[i, cols], strict=True) if not math.isnan(v)} for i in range(len(s))]


def _case_id(answers):
    """An ASCII test id such as ``m=X,Z`` (test ids are passed back to pytest by mutmut)."""
    spelled = {"无": "none", "是": "yes", "否": "no", None: "blank"}
    return " ".join(f"{k}={spelled.get(v, v)}" for k, v in answers.items()) or "nothing"


@pytest.mark.parametrize(("answers", "expected"), CASES, ids=[_case_id(a) for a, _ in CASES])
def test_it_asks_exactly_the_items_whose_condition_holds(cond, answers, expected):
    assert _asked(cond, [answers]) == [expected]


def test_it_evaluates_every_condition_row_by_row_in_a_batch(cond):
    assert _asked(cond, [a for a, _ in CASES]) == [e for _, e in CASES]


def test_it_scores_only_the_asked_dependents(cond):
    from ronghe.core.scoring import score_one

    r = score_one(cond, {"s": "B", "n": 10, **dict.fromkeys(DEPENDENTS, "是")})
    asked = {"s_eq", "s_not_in", "s_answered", "deep", "n_ge", "n_le", "n_eq"}
    # D is the mean of its asked dependents (all 100): the others drop out of its weights
    assert {d for d in DEPENDENTS if not math.isnan(r.items[d])} == asked
    assert r.nodes["D"] == 100
    # C = (50 + 0 + 0 + 50) / 4: s = B scores 50, m and y are asked but unanswered (0), n = 10 → 50
    assert r.nodes["C"] == pytest.approx(25)
    assert r.total == pytest.approx(62.5)
    assert not r.complete and r.missing == ["m", "y"]
    assert np.isnan(r.items["n_gt"])
