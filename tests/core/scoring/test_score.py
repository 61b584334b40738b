"""Hand-computed scores on tests/files/frameworks/mini.yaml.

mini: L = 0.4·A + 0.6·B; A = 0.5·a1 + 0.5·a2; B = 0.5·B1 + 0.5·B2; B1 = b1;
B2 = 0.6·b2 + 0.4·b3 (b3 asked only when a2 = 是). Stage 2 needs B ≥ 50; stage 3 also B ≥ 70
and A ≥ 60.
"""

import math

import numpy as np
import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks import load
from ronghe.core.frameworks.compile import compile
from ronghe.core.scoring import score, score_one
from ronghe.core.scoring.answers import encode
from ronghe.core.scoring.diagnosis import diagnose


@pytest.fixture(scope="module")
def mini():
    from tests.conftest import FILES

    return compile(load(FILES / "frameworks" / "mini.yaml"))


def test_it_scores_a_full_assessment_by_hand(mini):
    r = score_one(mini, {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35})
    # a1 C = 80, a2 是 = 100 → A = 90; b1 = 40 + 50 = 90; b2 = 60/80·100 = 75 (linear);
    # b3 35 ≥ 30 → 70 (thresholds); B2 = 0.6·75 + 0.4·70 = 73; B = 0.5·90 + 0.5·73 = 81.5
    assert r.items == pytest.approx({"a1": 80, "a2": 100, "b1": 90, "b2": 75, "b3": 70})
    assert r.nodes == pytest.approx({"A": 90, "B1": 90, "B2": 73, "B": 81.5, "L": 84.9})
    assert r.total == pytest.approx(0.4 * 90 + 0.6 * 81.5)
    assert (r.stage, r.stage_label, r.complete) == (3, "集成提升", True)
    assert r.rates == {"nc_rate": 60.0}


def test_it_drops_a_not_applicable_item_and_renormalises(mini):
    r = score_one(mini, {"a1": "C", "a2": "否", "b1": "无", "b2": "40%", "b3": 99})
    # a2 否 → b3 not asked (its answer is ignored), so B2 = b2 alone = 40/80·100 = 50
    assert math.isnan(r.items["b3"])
    assert r.nodes["B2"] == pytest.approx(50)
    assert r.nodes["B1"] == 0  # the empty selection 无 scores 0
    assert r.total == pytest.approx(0.4 * 40 + 0.6 * (0.5 * 0 + 0.5 * 50))
    assert r.stage == 1  # B = 25 < 50


def test_it_caps_a_multiple_choice_at_100(mini):
    r = score_one(mini, {"a1": "A", "a2": "否", "b1": "CAD,CAE,PDM", "b2": 0})
    assert r.items["b1"] == 100  # 40 + 30 + 50 = 120, capped


def test_it_uses_the_step_below_the_first_threshold_and_clamps_linear_curves(mini):
    r = score_one(mini, {"a1": "A", "a2": "是", "b1": "CAD", "b2": 95, "b3": 9.9})
    assert r.items["b3"] == 0  # below the first threshold (10)
    assert r.items["b2"] == 100  # 95 % is past the last point (80 → 100)
    r = score_one(mini, {"a1": "A", "a2": "是", "b1": "CAD", "b2": 80, "b3": 60})
    assert (r.items["b2"], r.items["b3"]) == (100, 100)


def test_it_marks_the_stage_undetermined_when_a_required_answer_is_missing(mini):
    r = score_one(mini, {"a1": "D", "a2": "是", "b2": 80, "b3": 60})
    assert (r.stage, r.stage_label, r.complete) == (0, "待确定", False)
    assert r.missing == ["b1"]
    # the missing answer counts as 0: B1 = 0, B2 = 100, B = 50, A = 100 → L = 40 + 30
    assert r.total == pytest.approx(70)


def test_it_does_not_require_an_optional_item(mini):
    r = score_one(mini, {"a1": "D", "a2": "是", "b1": "PDM", "b2": 80})
    assert r.complete and r.missing == []
    assert r.items["b3"] == 0  # asked but unanswered: 0, not excluded
    assert r.nodes["B2"] == pytest.approx(60)


def test_it_reports_every_bad_value_of_one_assessment(mini):
    with pytest.raises(AnswerFileError) as exc:
        score_one(mini, {"a1": "E", "b2": "lots", "zz": 1})
    reasons = {(e.column, e.reason) for e in exc.value.errors}
    assert ("a1", "not an option of a1; choose one of A, B, C, D") in reasons
    assert ("b2", "b2 takes a number in %") in reasons
    assert ("zz", "not an item of this framework") in reasons


def test_it_scores_a_batch_and_diagnoses_the_gap_to_the_next_stage(mini):
    import pandas as pd

    frame = pd.DataFrame({"a1": ["C", "D"], "a2": ["否", "是"], "b1": ["无", "CAD,PDM"],
                          "b2": [40, 80], "b3": [None, 60]})
    s = score(mini, encode(mini, frame))
    assert s.stage.tolist() == [1, 3]
    d = diagnose(mini, s, 0)
    assert d.next_stage == (2, "单项覆盖")
    (gap,) = d.gaps
    assert (gap.node, gap.score, gap.required, gap.gap) == ("B", 25.0, 50.0, 25.0)
    assert [w.node for w in d.weakest] == ["B1", "A", "B2"]  # 0, 40, 50: lowest first
    assert d.weakest[0].advice == "推广数字化研发工具"
    assert d.weakest[2].advice is None  # B2 and its ancestors B, L have no advice
    assert "距单项覆盖" in d.summary()
    top = diagnose(mini, s, 1)
    assert top.next_stage is None and top.gaps == []
    frame_out = s.frame(mini)
    assert frame_out.loc[1, "stage_label"] == "集成提升"
    assert list(frame_out.columns[-6:]) == ["L", "A", "B", "B1", "B2", "nc_rate"]


def test_it_speaks_english_when_asked(mini):
    r = score_one(mini, {"a1": "B", "a2": "no", "b1": "CAD", "b2": 50}, locale="en")
    # B1 = 40 (CAD), B2 = 50/80·100 = 62.5 (b3 not asked), B = 51.25 ≥ 50 → stage 2
    assert r.nodes["B"] == pytest.approx(51.25)
    assert (r.stage, r.stage_label) == (2, "Single coverage")
    assert np.isfinite(r.total)
