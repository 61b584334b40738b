import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.frameworks import load
from ronghe.core.frameworks.compile import compile
from ronghe.core.scoring.answers import encode
from tests.conftest import FILES


@pytest.fixture(scope="module")
def mini():
    from tests.conftest import FILES

    return compile(load(FILES / "frameworks" / "mini.yaml"))


def _codes(mini, **cols):
    enc = encode(mini, pd.DataFrame(cols))
    assert not enc.errors, enc.errors
    return enc.values


def test_it_accepts_ids_labels_and_spreadsheet_spellings(mini):
    v = _codes(mini, a1=["c", " D ", "独立一级部门", "Dedicated department"], a2=["是", "No", True, 1.0],
               b1=["CAD，PDM", "pdm;cae", "无", "CAD 、CAE"], b2=["62.5%", " 1 ", 7, None],
               b3=["1,200", "", None, 3])
    assert v[:, 0].tolist() == [2, 3, 2, 2]
    assert v[:, 1].tolist() == [1, 0, 1, 1]
    assert v[:, 2].tolist() == [0b101, 0b110, 0, 0b011]
    assert v[:3, 3].tolist() == [62.5, 1, 7] and math.isnan(v[3, 3])
    assert v[0, 4] == 1200 and math.isnan(v[1, 4]) and math.isnan(v[2, 4])


def test_it_names_row_column_value_and_reason_for_every_bad_cell(mini):
    frame = pd.DataFrame({"a1": ["A", "X", "B"], "a2": ["maybe", "是", "否"],
                          "b1": ["CAD", "CAD,BIM", "PDM"], "b2": [50, -1, "abc"]})
    enc = encode(mini, frame, rows=[3, 4, 5], sheet="答卷")
    got = [(e.row, e.column, e.value, e.reason) for e in enc.errors]
    assert got == [
        (3, "a2", "maybe", "a2 takes 是 or 否 (yes/no)"),
        (4, "a1", "X", "not an option of a1; choose one of A, B, C, D"),
        (4, "b1", "CAD,BIM", "'BIM' is not an option of b1; choose any of CAD, CAE, PDM, separated by commas, or 无"),
        (4, "b2", -1, "b2 must lie within 0–100 %"),
        (5, "b2", "abc", "b2 takes a number in %"),
    ]
    assert enc.invalid.tolist() == [True, True, True]
    assert all(e.sheet == "答卷" for e in enc.errors)
    assert str(enc.errors[0]) == "答卷!row 3, column a2, value 'maybe': a2 takes 是 or 否 (yes/no)"


def test_it_treats_absent_columns_and_blanks_as_unanswered(mini):
    enc = encode(mini, pd.DataFrame({"a1": ["", None], "other": [1, 2]}))
    assert not enc.errors
    assert all(math.isnan(x) for x in enc.values.ravel())


def test_it_refuses_nan_and_infinity_typed_as_numbers(mini):
    from ronghe.core.scoring.answers import encode_one

    for value in ("NaN", "nan", "inf", "-Infinity", "1e999", float("inf")):
        enc = encode_one(mini, {"b2": value, "b3": value})
        assert [(e.column, e.reason) for e in enc.errors] == [("b2", "b2 takes a number in %"),
                                                              ("b3", "b3 takes a number in 台/百人")], value
        assert np.isnan(enc.values).all()  # nothing of it is kept as a value
    assert encode_one(mini, {"b2": float("nan")}).errors == []  # an empty cell read as NaN is no answer


def test_it_refuses_an_exclusive_option_with_others():
    """以上都没有 (an ``exclusive`` option) alone is an answer worth 0; with another option it is a fault."""
    from ronghe.core.scoring import score
    from ronghe.core.scoring.answers import encode_one

    c = compile(load("gbt23020-discrete"))
    none = encode_one(c, {"JC_15": "Z"})
    assert none.errors == [] and none.values[0, c.item_index("JC_15")] == float(1 << 4)
    assert score(c, none).items[0, c.item_index("JC_15")] == 0.0
    mixed = encode_one(c, {"JC_15": "A,Z"})
    assert [(e.column, e.code) for e in mixed.errors] == [("JC_15", "answer.exclusive")]
    assert mixed.errors[0].reason == "JC_15: “Z 以上都没有” excludes the other options"


@pytest.mark.parametrize(("cell", "code"), [
    ("无", 0.0), ("None", 0.0), (" 均无 ", 0.0),  # alone: an answer worth nothing (no option ticked)
    ("CAD,无", "无"), ("无,CAD", "无"), ("none;PDM", "none"), ("CAE 都没有", "都没有"),  # with an option: a fault
    ("无,无", 0.0), ("无 均无", 0.0),  # said twice: still nothing
])
def test_it_takes_none_of_these_alone_and_refuses_it_beside_an_option(mini, cell, code):
    """The page's “none of these” (无) is exclusive on the server too, with the reason naming it."""
    from ronghe.core.scoring.answers import encode_one

    enc = encode_one(mini, {"b1": cell})
    if isinstance(code, float):
        assert enc.errors == [] and enc.values[0, mini.item_index("b1")] == code
    else:
        assert [(e.column, e.code) for e in enc.errors] == [("b1", "answer.exclusive")]
        assert enc.errors[0].reason == f"b1: “{code}” excludes the other options"
        assert np.isnan(enc.values[0, mini.item_index("b1")])


def test_it_allows_exclusive_options_only_where_they_make_sense(tmp_path):
    from ronghe.core.frameworks import validate

    text = (FILES / "frameworks" / "mini.yaml").read_text(encoding="utf-8")
    single = text.replace("      - {id: D, label: {zh-Hans: 融合部门, en: Integrated department}, score: 100}",
                          "      - {id: D, label: {zh-Hans: 融合部门, en: Integrated department}, score: 100, "
                          "exclusive: true}")
    (tmp_path / "single.yaml").write_text(single, encoding="utf-8")
    assert [(e.path, e.reason) for e in validate(tmp_path / "single.yaml")] == [
        ("items/a1/options/D/exclusive", "only a multiple-choice option can exclude the others")]
    every = text.replace("score: 40}\n      - {id: CAE", "score: 40, exclusive: true}\n      - {id: CAE").replace(
        "label: CAE, score: 30}", "label: CAE, score: 30, exclusive: true}").replace(
        "label: PDM, score: 50}", "label: PDM, score: 50, exclusive: true}")
    (tmp_path / "every.yaml").write_text(every, encoding="utf-8")
    assert [(e.path, e.reason) for e in validate(tmp_path / "every.yaml")] == [
        ("items/b1/options", "at least one option must not be exclusive")]
