"""Checks written for mutants of ``scoring/answers.py`` that survived the full run of issue 21.

``_encode_numeric`` takes one of two paths: numbers pass through, text is cleaned cell by cell.
A column of a nullable pandas type (``"string"``, ``"Int64"``, ``"Float64"``) holds its missing
cells as ``pd.NA``, which the text path once took for text that is not a number: a missing cell
of a ``"string"`` column was refused as "not a number" instead of being left unanswered.
"""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.scoring.answers import encode
from tests.core.scoring.build import framework, node, number


@pytest.fixture(scope="module")
def fw():
    return framework(nodes=[node("T")], items=[number("n", "T", [[0, 50]], max=50)])


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["1", None, "7,000", "60"], dtype="string"),
        pd.Series([1, None, 7000, 60], dtype="Int64"),
        pd.Series([1.0, None, 7000.0, 60.0], dtype="Float64"),
        pd.Series(["1", None, "7,000", "60"], dtype=object),
    ],
    ids=["string", "Int64", "Float64", "object"],
)
def test_a_missing_cell_of_any_column_type_is_unanswered_not_an_error(fw, column):
    enc = encode(fw, pd.DataFrame({"n": column}))
    np.testing.assert_array_equal(enc.values[:, 0], [1.0, np.nan, np.nan, np.nan])
    # 7,000 and 60 lie above the maximum 50: rows 3 and 4 are refused, row 2 (missing) is not.
    assert [(e.row, e.code) for e in enc.errors] == [(3, "answer.range"), (4, "answer.range")]
    assert enc.invalid.tolist() == [False, False, True, True]
