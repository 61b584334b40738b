"""Item scorers by hand: every option of single choices of different lengths, both rules of a
multiple choice, custom yes/no points, and numeric curves at, just below and past each point."""

import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.scoring import score
from ronghe.core.scoring.answers import encode
from ronghe.core.scoring.items import MultiChoice, Numeric, SingleChoice, YesNo
from tests.core.scoring.build import framework, multi, node, number, single, yesno


@pytest.fixture(scope="module")
def items():
    return framework(
        nodes=[node("T")],
        items=[
            single("s2", "T", [10, 90], 0.1),
            single("s4", "T", [0, 35, 70, 100], 0.1),
            single("s3", "T", [5, 50, 95], 0.1),
            multi("msum", "T", {"X": 40, "Y": 30, "Z": 50}, 0.1),
            multi("mmax", "T", {"X": 40, "Y": 30, "Z": 50}, 0.1, multi_rule="max"),
            yesno("y1", "T", 0.1, yes_score=80, no_score=20),
            yesno("y2", "T", 0.1),
            number("steps", "T", [[10, 40], [30, 70], [60, 100]], weight=0.1, below=15),
            number("line", "T", [[20, 10], [40, 50], [80, 90]], kind="linear", weight=0.1),
            number("flat", "T", [[5, 60]], weight=0.1),
        ],
    )


def _scores(compiled, item, values):
    enc = encode(compiled, pd.DataFrame({item: values}, dtype=object))
    assert not enc.errors, enc.errors
    return score(compiled, enc).items[:, compiled.item_index(item)].tolist()


def test_single_choices_of_different_lengths_score_their_own_options(items):
    assert _scores(items, "s2", ["A", "B"]) == [10, 90]
    assert _scores(items, "s4", ["A", "B", "C", "D"]) == [0, 35, 70, 100]
    assert _scores(items, "s3", ["A", "B", "C"]) == [5, 50, 95]


def test_a_multiple_choice_sums_its_options_capped_at_100(items):
    assert _scores(items, "msum", ["X", "Y", "Z", "X,Y", "Y,Z", "X,Y,Z", "无"]) == [40, 30, 50, 70, 80, 100, 0]


def test_a_multiple_choice_with_the_max_rule_scores_its_best_option(items):
    got = _scores(items, "mmax", ["X", "Y", "Z", "X,Y", "Y,Z", "X,Z", "X,Y,Z", "无"])
    assert got == [40, 30, 50, 40, 50, 50, 50, 0]


def test_yes_and_no_score_their_own_points(items):
    assert _scores(items, "y1", ["是", "否"]) == [80, 20]
    assert _scores(items, "y2", ["是", "否"]) == [100, 0]


def test_a_threshold_curve_scores_from_each_point_upwards(items):
    values = [-5, 0, 9.99, 10, 10.01, 29.9, 30, 59, 60, 61, 1e6]
    assert _scores(items, "steps", values) == [15, 15, 15, 40, 40, 40, 70, 70, 100, 100, 100]
    assert _scores(items, "flat", [4.9, 5, 1000]) == [0, 60, 60]  # ``below`` defaults to 0


def test_a_linear_curve_interpolates_and_clamps(items):
    got = _scores(items, "line", [0, 20, 25, 30, 40, 50, 79, 80, 100])
    assert got == pytest.approx([10, 10, 20, 30, 50, 60, 89, 90, 90])


def test_an_unanswered_item_scores_nan_in_the_scorer_and_0_once_asked(items):
    codes = np.array([[np.nan, 1.0]])
    fitted = SingleChoice().fit([items.item("s2"), items.item("s4")])
    assert [math.isnan(v) for v in fitted.transform(codes)[0]] == [True, False]
    assert fitted.transform(codes)[0, 1] == 35
    assert _scores(items, "s4", [None]) == [0]


def test_each_scorer_transforms_its_own_items_by_hand(items):
    m = MultiChoice().fit([items.item("msum"), items.item("mmax")])
    assert m.transform(np.array([[0b011, 0b011], [0b110, 0b101], [0, 0]])).tolist() == [[70, 40], [80, 50], [0, 0]]
    y = YesNo().fit([items.item("y1"), items.item("y2")])
    assert y.transform(np.array([[1.0, 0.0], [0.0, 1.0]])).tolist() == [[80, 0], [20, 100]]
    n = Numeric().fit([items.item("steps"), items.item("line")])
    assert n.transform(np.array([[10.0, 30.0], [5.0, 90.0]])).tolist() == [[40, 30], [15, 90]]


def test_it_refuses_codes_of_the_wrong_width():
    fitted = YesNo().fit([])
    with pytest.raises(ValueError, match=r"expected an \(n, 0\) array, got shape \(1, 2\)"):
        fitted.transform(np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"got shape \(2,\)"):
        fitted.transform(np.zeros(2))


def test_a_scorer_with_declared_parameters_validates_them():
    from typing import ClassVar

    from ronghe.core.errors import ParameterError
    from ronghe.core.scoring.items import ItemScorer

    class Capped(ItemScorer):  # an extension's scorer, not registered
        types = ("number",)
        _parameter_constraints: ClassVar = {"cap": (lambda v: v > 0, "a positive number")}

    assert Capped(cap=50).params == {"cap": 50}
    with pytest.raises(ParameterError) as exc:
        Capped(cap=-1)
    assert str(exc.value) == "Capped: cap must be a positive number, got -1"
    with pytest.raises(ParameterError) as exc:
        Capped(colour="red")
    assert str(exc.value) == "Capped has no parameter 'colour'"


def test_a_scorer_names_itself_and_the_items_it_cannot_score(items):
    from ronghe.core.errors import ParameterError

    with pytest.raises(ParameterError) as exc:
        YesNo().fit([items.item("y1"), items.item("s2"), items.item("msum")])
    assert str(exc.value) == "YesNo scores yesno items, not ['s2', 'msum']"
    with pytest.raises(ParameterError) as exc:
        Numeric().fit([items.item("s2")])
    assert str(exc.value) == "Numeric scores number/percent items, not ['s2']"
    with pytest.raises(RuntimeError) as exc:
        MultiChoice().transform(np.zeros((1, 1)))
    assert str(exc.value) == "MultiChoice is not fitted: call fit(items) first"


def test_a_scorer_fitted_on_no_items_scores_nothing():
    assert SingleChoice().fit([]).transform(np.zeros((3, 0))).shape == (3, 0)
