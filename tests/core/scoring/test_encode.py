"""Coding raw cells: spreadsheet spellings of yes/no and of an empty selection, blanks before
and after values, ranges open at one end, and the row numbers and
values every error carries."""

import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.scoring import score_one
from ronghe.core.scoring.answers import Encoded, encode, encode_one
from tests.core.scoring.build import framework, multi, node, number, single, yesno


@pytest.fixture(scope="module")
def fw():
    return framework(
        nodes=[node("T")],
        items=[
            yesno("y", "T", 0.2),
            multi("m", "T", {"X": 40, "Y": 60}, 0.2),
            number("lo", "T", [[0, 50]], weight=0.2, min=5),
            number("hi", "T", [[0, 50]], weight=0.2, max=50),
            single("s", "T", [0, 100], 0.2),
        ],
    )


def _enc(fw, **cols):
    return encode(fw, pd.DataFrame(cols))


def test_yes_and_no_arrive_as_booleans_numbers_or_text(fw):
    assert _enc(fw, y=[True, False]).values[:, 0].tolist() == [1, 0]
    assert _enc(fw, y=[1.0, 0.0]).values[:, 0].tolist() == [1, 0]
    assert _enc(fw, y=[0.0, "是"]).values[:, 0].tolist() == [0, 1]
    assert _enc(fw, y=["YES", "n", "无", "√"]).values[:, 0].tolist() == [1, 0, 0, 1]


def test_an_empty_selection_is_spelled_in_several_ways(fw):
    assert _enc(fw, m=["None", "NONE", "无", "都没有", "X,Y"]).values[:, 1].tolist() == [0, 0, 0, 0, 3]


def test_blank_cells_are_unanswered_wherever_they_are(fw):
    enc = _enc(fw, lo=["", "62.5%", None, " 7 "], s=["", "B", " ", "A"])
    assert not enc.errors
    got = enc.values[:, [2, 4]]
    np.testing.assert_array_equal(got, [[np.nan, np.nan], [62.5, 1], [np.nan, np.nan], [7, 0]])


def test_a_range_open_at_one_end_names_the_end_that_exists(fw):
    enc = _enc(fw, lo=[4.9, 5, 1e9], hi=[-1e9, 50, 50.5])
    assert [(e.row, e.column, e.reason) for e in enc.errors] == [
        (1, "lo", "lo must lie within 5– 个"),
        (3, "hi", "hi must lie within –50 个"),
    ]
    np.testing.assert_array_equal(enc.values[:, 2:4], [[np.nan, -1e9], [5, 50], [1e9, np.nan]])
    assert enc.invalid.tolist() == [True, False, True]


def test_errors_carry_the_users_row_numbers(fw):
    enc = _enc(fw, s=["A", "Z", "B", "Q"])
    assert [e.row for e in enc.errors] == [2, 4]  # 1-based without explicit row numbers
    enc = encode(fw, pd.DataFrame({"s": ["Q", "A"]}), rows=[10, 11])
    assert [(e.row, e.value) for e in enc.errors] == [(10, "Q")]


def test_an_unknown_item_is_an_error_of_row_1_with_its_value(fw):
    enc = encode_one(fw, {"s": "A", "zz": 7})
    assert [(e.row, e.column, e.value, e.reason) for e in enc.errors] == [(1, "zz", 7, "not an item of this framework")]
    assert enc.invalid.tolist() == [True]
    assert encode_one(fw, {"s": "A"}).invalid.tolist() == [False]
    with pytest.raises(AnswerFileError):
        score_one(fw, {"zz": 7})


def test_an_assessment_with_no_answer_is_one_unanswered_row(fw):
    enc = encode_one(fw, {})
    assert enc.values.shape == (1, 5) and np.isnan(enc.values).all()
    r = score_one(fw, {})
    assert (r.total, r.complete, len(r.missing)) == (0, False, 5)


def test_coded_answers_know_their_rows():
    enc = Encoded(values=np.zeros((3, 2)))
    assert enc.invalid.dtype == bool and enc.invalid.tolist() == [False, False, False]
    assert math.isnan(Encoded(values=np.full((1, 1), np.nan)).values[0, 0])
