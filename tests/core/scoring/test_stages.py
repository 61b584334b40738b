"""Stages: each code and label, scores exactly at a stage minimum and just below it, and the
rule that stage k needs the requirements of every stage up to k.

Tree: T = P (0.5) + R (0.5); P = p, R = r, both single choices with options
A … H = 0, 19, 20, 39, 40, 60, 80, 100 — so T = (p + r) / 2 exactly.
Stages: 1 T ≥ 20; 2 T ≥ 50 and P ≥ 40; 3 R ≥ 80; 4 T ≥ 95.
"""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.scoring import score, score_one, stage_label
from ronghe.core.scoring.answers import encode
from tests.core.scoring.build import framework, node, single

POINTS = dict(zip("ABCDEFGH", [0, 19, 20, 39, 40, 60, 80, 100], strict=True))
STAGES = [
    {"code": 1, "label": {"zh-Hans": "起步建设", "en": "Starting"}, "requires": [{"node": "T", "min": 20}]},
    {"code": 2, "label": {"zh-Hans": "单项覆盖", "en": "Single coverage"},
     "requires": [{"node": "T", "min": 50}, {"node": "P", "min": 40}]},
    {"code": 3, "label": {"zh-Hans": "集成提升", "en": "Integration"}, "requires": [{"node": "R", "min": 80}]},
    {"code": 4, "label": {"zh-Hans": "创新突破", "en": "Innovation"}, "requires": [{"node": "T", "min": 95}]},
]


def staged(**header):
    return framework(
        nodes=[node("T", name={"zh-Hans": "总分", "en": "Total"}, advice={"zh-Hans": "全面提升", "en": "Improve"}),
               node("P", "T", 0.5, name={"zh-Hans": "基础", "en": "Basis"}, advice="夯实基础"),
               node("R", "T", 0.5, name={"zh-Hans": "应用", "en": "Use"})],
        items=[single("p", "P", list(POINTS.values())), single("r", "R", list(POINTS.values()))],
        stages=STAGES, translations=["en"], **header)


@pytest.fixture(scope="module")
def fw():
    return staged()


CASES = [
    # p, r → total, stage, zh label, en label
    ("A", "A", 0, 0, "未达标", "Not reached"),
    ("B", "C", 19.5, 0, "未达标", "Not reached"),  # just below stage 1
    ("C", "C", 20, 1, "起步建设", "Starting"),  # exactly at the stage-1 minimum
    ("D", "G", 59.5, 1, "起步建设", "Starting"),  # T ≥ 50 but P = 39 < 40
    ("E", "F", 50, 2, "单项覆盖", "Single coverage"),  # T = 50 and P = 40: both exactly at their minimum
    ("F", "E", 50, 2, "单项覆盖", "Single coverage"),
    ("D", "H", 69.5, 1, "起步建设", "Starting"),  # stage 3's own requirement holds, stage 2's does not
    ("H", "F", 80, 2, "单项覆盖", "Single coverage"),  # R = 60 < 80
    ("F", "G", 70, 3, "集成提升", "Integration"),  # R exactly 80
    ("H", "G", 90, 3, "集成提升", "Integration"),  # T = 90 < 95
    ("H", "H", 100, 4, "创新突破", "Innovation"),
]


@pytest.mark.parametrize(("p", "r", "total", "stage", "zh", "en"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_it_reaches_the_highest_stage_whose_requirements_and_all_lower_ones_hold(fw, p, r, total, stage, zh, en):
    res = score_one(fw, {"p": p, "r": r})
    assert (res.total, res.stage, res.stage_label, res.complete) == (total, stage, zh, True)
    assert score_one(fw, {"p": p, "r": r}, locale="en").stage_label == en


def test_it_scores_stages_of_a_batch_row_by_row(fw):
    frame = pd.DataFrame({"p": [c[0] for c in CASES], "r": [c[1] for c in CASES]})
    s = score(fw, encode(fw, frame))
    assert s.stage.tolist() == [c[3] for c in CASES]
    assert s.total.tolist() == [c[2] for c in CASES]
    assert s.frame(fw)["stage_label"].tolist() == [c[4] for c in CASES]
    assert s.frame(fw, "en")["stage_label"].tolist() == [c[5] for c in CASES]


def test_it_leaves_the_stage_undetermined_when_a_required_answer_is_missing(fw):
    res = score_one(fw, {"p": "H"})
    # r unanswered scores 0: T = 50, P = 100 would reach stage 2, but the answers are incomplete
    assert (res.total, res.stage, res.complete, res.missing) == (50, 0, False, ["r"])
    assert res.stage_label == "待确定"
    assert score_one(fw, {"p": "H"}, locale="en").stage_label == "Undetermined"
    frame = score(fw, encode(fw, pd.DataFrame({"p": ["H", "A"], "r": [None, "A"]}))).frame(fw)
    assert frame["stage_label"].tolist() == ["待确定", "未达标"]
    assert frame["complete"].tolist() == [False, True]
    assert frame["missing"].tolist() == [1, 0]


def test_it_labels_every_stage_code_from_the_framework():
    custom = staged(below_label={"zh-Hans": "未达到一级", "en": "Below level 1"},
                    undetermined_label={"zh-Hans": "待补充", "en": "Incomplete"})
    labels = [stage_label(custom, k, True) for k in range(5)]
    assert labels == ["未达到一级", "起步建设", "单项覆盖", "集成提升", "创新突破"]
    assert [stage_label(custom, k, True, "en") for k in range(5)] == [
        "Below level 1", "Starting", "Single coverage", "Integration", "Innovation"]
    assert {stage_label(custom, k, False) for k in range(5)} == {"待补充"}
    assert stage_label(custom, 0, False, "en") == "Incomplete"
    assert score_one(custom, {"p": "A", "r": "A"}).stage_label == "未达到一级"


def test_a_stage_without_requirements_is_reached_by_any_complete_assessment():
    fw = framework(nodes=[node("T")], items=[single("p", "T", [0, 100])],
                   stages=[{"code": 1, "label": "起步建设"},
                           {"code": 2, "label": "单项覆盖", "requires": [{"node": "T", "min": 100}]}])
    assert [score_one(fw, {"p": p}).stage for p in "AB"] == [1, 2]
    assert score_one(fw, {}).stage == 0


def test_scores_are_typed_arrays_and_a_table_with_named_columns(fw):
    s = score(fw, encode(fw, pd.DataFrame({"p": ["C", "H"], "r": ["C", None]})))
    assert (s.stage.dtype, s.complete.dtype, s.missing.dtype, s.missing_mask.dtype) == (np.int8, bool, np.int64, bool)
    assert s.items.dtype == s.nodes.dtype == s.total.dtype == np.float64
    table = s.frame(fw)
    assert list(table.columns) == ["total", "stage", "stage_label", "complete", "missing", "T", "P", "R"]
    assert table["stage"].dtype == np.int64 and table["complete"].dtype == bool
    assert table.values.tolist() == [[20.0, 1, "起步建设", True, 0, 20.0, 20.0, 20.0],
                                     [50.0, 0, "待确定", False, 1, 50.0, 100.0, 0.0]]


def test_it_refuses_coded_answers_of_the_wrong_shape(fw):
    with pytest.raises(ValueError) as exc:
        score(fw, np.zeros(2))
    assert str(exc.value) == "expected coded answers of shape (n, 2), got (2,)"
    with pytest.raises(ValueError) as exc:
        score(fw, [[0.0, 1.0, 2.0]])
    assert str(exc.value) == "expected coded answers of shape (n, 2), got (1, 3)"
    assert score(fw, [[2, 2], [7, 7]]).total.tolist() == [20, 100]  # plain lists of option codes


def test_stage_codes_and_requirement_flags_have_their_documented_types(fw):
    from ronghe.core.scoring.stages import reached_stage, requirement_met

    nodes = np.array([[50.0, 40.0, 60.0], [19.0, 0.0, 38.0]])  # T, P, R
    met = requirement_met(fw, nodes)
    assert met.dtype == bool and met.tolist() == [[True, True, False, False], [False, False, False, False]]
    stage = reached_stage(fw, nodes, np.array([True, True]))
    assert stage.dtype == np.int8 and stage.tolist() == [2, 0]
