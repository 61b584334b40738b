"""Diagnosis: the gaps to the next stage (largest first), the weakest indicators (lowest first,
not-applicable ones left out) with advice inherited from the nearest ancestor, and the summary."""

import math

import pytest

from ronghe.core.scoring import score, score_one
from ronghe.core.scoring.answers import encode_one
from ronghe.core.scoring.diagnosis import diagnose
from tests.core.scoring.build import framework, node, single
from tests.core.scoring.test_stages import staged


@pytest.fixture(scope="module")
def fw():
    return staged()


def _diagnose(compiled, answers, locale="zh-Hans"):
    return diagnose(compiled, score(compiled, encode_one(compiled, answers)), 0, locale)


def _gaps(d):
    return [(g.node, g.score, g.required, g.gap) for g in d.gaps]


def test_it_lists_the_gaps_to_the_next_stage_largest_first(fw):
    d = _diagnose(fw, {"p": "A", "r": "F"})  # T = 30, P = 0, R = 60: stage 1
    assert d.next_stage == (2, "单项覆盖")
    # stage 2 lists T ≥ 50 before P ≥ 40; P is further away, so it comes first
    assert _gaps(d) == [("P", 0, 40, 40), ("T", 30, 50, 20)]
    assert [(g.name, g.advice) for g in d.gaps] == [("基础", "夯实基础"), ("总分", "全面提升")]
    assert d.summary() == "距单项覆盖：基础 0.0<40 (-40.0), 总分 30.0<50 (-20.0)；薄弱环节：基础 0.0, 应用 60.0"


def test_a_requirement_met_exactly_is_not_a_gap(fw):
    d = _diagnose(fw, {"p": "E", "r": "A"})  # T = 20, P = 40: stage 1, P meets stage 2's P ≥ 40 exactly
    assert d.next_stage == (2, "单项覆盖")
    assert _gaps(d) == [("T", 20, 50, 30)]


def test_it_diagnoses_from_below_stage_1(fw):
    d = _diagnose(fw, {"p": "B", "r": "C"})  # T = 19.5
    assert d.next_stage == (1, "起步建设")
    assert _gaps(d) == [("T", 19.5, 20, 0.5)]


def test_the_next_stage_may_be_the_top_one(fw):
    d = _diagnose(fw, {"p": "H", "r": "G"})  # stage 3 of 4
    assert d.next_stage == (4, "创新突破")
    assert _gaps(d) == [("T", 90, 95, 5)]


def test_at_the_top_stage_there_is_no_next_stage_and_no_gap(fw):
    d = _diagnose(fw, {"p": "H", "r": "H"})
    assert (d.next_stage, d.gaps) == (None, [])
    assert [(w.node, w.score) for w in d.weakest] == [("P", 100), ("R", 100)]  # a tie keeps the tree's order
    assert d.summary() == "薄弱环节：基础 100.0, 应用 100.0"
    assert _diagnose(fw, {"p": "H", "r": "H"}, "en").summary("en") == "weakest: Basis 100.0, Use 100.0"


def test_it_speaks_english_and_falls_back_to_chinese_advice(fw):
    d = _diagnose(fw, {"p": "A", "r": "F"}, "en")
    assert d.next_stage == (2, "Single coverage")
    assert [(g.name, g.advice) for g in d.gaps] == [("Basis", "夯实基础"), ("Total", "Improve")]
    assert [(w.name, w.advice) for w in d.weakest] == [("Basis", "夯实基础"), ("Use", "Improve")]
    assert d.summary("en") == ("to reach Single coverage: Basis 0.0<40 (-40.0), Total 30.0<50 (-20.0); "
                               "weakest: Basis 0.0, Use 60.0")


@pytest.fixture(scope="module")
def deep():
    """T = A (0.5) + B (0.5); A = A1 (0.5) + A2 (0.5); B = B1; b1 is asked only when a1 = C."""
    return framework(
        nodes=[node("T"), node("A", "T", 0.5, advice="建议A"), node("B", "T", 0.5), node("A1", "A", 0.5),
               node("A2", "A", 0.5, advice="建议A2"), node("B1", "B")],
        items=[single("a1", "A1", [0, 40, 80]), single("a2", "A2", [0, 20, 90]),
               single("b1", "B1", [0, 60, 100], condition={"item": "a1", "op": "eq", "value": "C"})],
        stages=[{"code": 1, "label": "起步建设"}],
        diagnosis={"weakest": 2},
    )


def test_it_lists_the_weakest_leaf_indicators_lowest_first_up_to_the_configured_number(deep):
    d = _diagnose(deep, {"a1": "C", "a2": "B", "b1": "B"})  # A1 80, A2 20, B1 60
    assert [(w.node, w.score, w.advice) for w in d.weakest] == [("A2", 20, "建议A2"), ("B1", 60, None)]
    assert d.next_stage is None


def test_it_leaves_not_applicable_indicators_out_of_the_weakest(deep):
    d = _diagnose(deep, {"a1": "B", "a2": "C"})  # b1 not asked: B1 and B are NaN
    assert math.isnan(score_one(deep, {"a1": "B", "a2": "C"}).nodes["B1"])
    assert [(w.node, w.score, w.advice) for w in d.weakest] == [("A1", 40, "建议A"), ("A2", 90, "建议A2")]
    d = _diagnose(deep, {"a1": "B", "a2": "A"})
    assert [w.node for w in d.weakest] == ["A2", "A1"]


def test_it_can_diagnose_at_the_top_level_of_the_tree():
    top = framework(
        nodes=[node("T"), node("A", "T", 0.5), node("B", "T", 0.5), node("A1", "A", 0.5), node("A2", "A", 0.5),
               node("B1", "B")],
        items=[single("a1", "A1", [0, 40, 80]), single("a2", "A2", [0, 20, 90]), single("b1", "B1", [0, 60, 100])],
        stages=[{"code": 1, "label": "起步建设"}], diagnosis={"level": "top", "weakest": 5})
    d = _diagnose(top, {"a1": "C", "a2": "C", "b1": "B"})  # A = 85, B = 60
    assert [(w.node, w.score) for w in d.weakest] == [("B", 60), ("A", 85)]


def test_a_not_applicable_requirement_is_a_gap_of_its_whole_minimum():
    fw = framework(
        nodes=[node("T"), node("P", "T", 0.5), node("Q", "T", 0.5)],
        items=[single("p", "P", [0, 100]), single("q", "Q", [0, 100], condition={"item": "p", "op": "eq",
                                                                                  "value": "B"})],
        stages=[{"code": 1, "label": "起步建设"},
                {"code": 2, "label": "单项覆盖", "requires": [{"node": "Q", "min": 30}, {"node": "T", "min": 10}]}])
    d = _diagnose(fw, {"p": "A"})  # q not asked: Q is NaN and fails Q ≥ 30
    assert d.next_stage == (2, "单项覆盖")
    q, t = d.gaps
    assert (q.node, q.required, q.gap) == ("Q", 30, 30) and math.isnan(q.score)
    assert (t.node, t.score, t.gap) == ("T", 0, 10)
    assert d.summary() == "距单项覆盖：Q 不适用<30 (-30.0), T 0.0<10 (-10.0)；薄弱环节：P 0.0"
    assert d.summary("en") == "to reach 单项覆盖: Q n/a<30 (-30.0), T 0.0<10 (-10.0); weakest: P 0.0"


def test_weak_indicators_with_equal_scores_keep_the_order_of_the_tree():
    leaves = [f"N{k:02d}" for k in range(20)]
    fw = framework(
        nodes=[node("T"), *[node(n, "T", 0.05) for n in leaves]],
        items=[single(f"i{k:02d}", n, [0, 50, 100]) for k, n in enumerate(leaves)],
        stages=[{"code": 1, "label": "起步建设"}], diagnosis={"weakest": 20})
    answers = {f"i{k:02d}": "AB"[k % 3 == 0] for k in range(20)}  # every third leaf scores 50, the others 0
    d = _diagnose(fw, answers)
    zeros = [n for k, n in enumerate(leaves) if k % 3]
    fifties = [n for k, n in enumerate(leaves) if k % 3 == 0]
    assert [w.node for w in d.weakest] == zeros + fifties
