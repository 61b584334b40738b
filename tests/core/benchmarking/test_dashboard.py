"""Dashboard figures (DuckDB) against plain pandas."""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.benchmarking import dashboard
from ronghe.core.benchmarking.columns import with_derived
from ronghe.core.benchmarking.dashboard import advanced_stage, figures
from tests.core.benchmarking.helpers import METRICS, random_frame


def expected(frame: pd.DataFrame) -> dict:
    done = frame[frame["complete"]]
    n = len(done)
    out = {"n": n, "advanced_pct": 100 * (done["stage"] >= 3).sum() / n}
    for s in range(5):
        out[f"stage_{s}"] = int((done["stage"] == s).sum())
        out[f"stage_{s}_pct"] = 100 * (done["stage"] == s).sum() / n
    for m in METRICS:
        if m.summary:
            out[m.id] = done[m.id].mean()  # pandas skips NaN
    out["n_r"] = int(done["r"].notna().sum())
    return out


def _same(got: pd.Series, want: dict):
    for k, v in want.items():
        assert got[k] == pytest.approx(v), k


def test_it_sums_up_the_complete_assessments_like_pandas():
    frame = random_frame(500, 11)
    got = figures(frame, METRICS, 4)
    assert len(got) == 1 and "A1" not in got.columns  # indicators are not dashboard figures
    _same(got.iloc[0], expected(frame))


@pytest.mark.parametrize("by", ["province", "city", "industry", "size", "section"])
def test_it_breaks_the_figures_down_like_a_pandas_groupby(by):
    frame = with_derived(random_frame(800, 12))
    got = figures(frame, METRICS, 4, by=by)
    groups = [k for k in sorted(frame[by].dropna().unique()) if frame[(frame[by] == k) & frame["complete"]].shape[0]]
    assert got[by].tolist() == groups
    for _, row in got.iterrows():
        _same(row, expected(frame[frame[by] == row[by]]))


def test_it_reports_trends_by_year():
    frame = pd.concat([random_frame(100, 1, year=2023), random_frame(120, 2, year=2024)], ignore_index=True)
    got = figures(frame, METRICS, 4, by="year")
    assert got["year"].tolist() == [2023, 2024]
    _same(got.iloc[1], expected(frame[frame["year"] == 2024]))


def test_it_answers_zero_for_no_assessments():
    frame = random_frame(10, 3)
    frame["complete"] = False
    got = figures(frame, METRICS, 4).iloc[0]
    assert got["n"] == 0 and got["stage_3"] == 0 and (got["T"] is None or np.isnan(got["T"]))
    assert figures(frame, METRICS, 4, by="size").empty


def test_it_chooses_the_advanced_stage():
    assert advanced_stage(4) == 3 and advanced_stage(5) == 3 and advanced_stage(2) == 2 and advanced_stage(0) == 0
    frame = random_frame(300, 5)
    got = figures(frame, METRICS, 4, advanced=2).iloc[0]
    done = frame[frame["complete"]]
    assert got["advanced_pct"] == pytest.approx(100 * (done["stage"] >= 2).mean())


COUNTS = ["n", "stage_0", "stage_1", "stage_2", "stage_3", "stage_4", "n_r"]


def test_it_answers_zero_counts_as_whole_numbers_and_no_shares_for_no_assessments():
    frame = random_frame(10, 3).assign(complete=False)
    got = figures(frame, METRICS, 4)
    assert list(got.columns) == ["n", *(f"stage_{s}" for s in range(5)), *(f"stage_{s}_pct" for s in range(5)),
                                 "advanced_pct", "T", "A", "B", "r", "n_r"]
    assert got[COUNTS].iloc[0].tolist() == [0] * 7 and (got[COUNTS].dtypes == "int64").all()
    for c in ("stage_0_pct", "advanced_pct", "T", "A", "r"):
        assert pd.isna(got[c].iat[0]), c


def test_one_complete_assessment_is_counted_not_taken_for_none():
    frame = random_frame(10, 4).assign(complete=[True] + [False] * 9, stage=[2] * 10)
    got = figures(frame, METRICS, 4).iloc[0]
    assert got["n"] == 1 and got["stage_2"] == 1 and got["stage_2_pct"] == 100 and got["advanced_pct"] == 0
    assert got["T"] == frame["T"].iat[0] or (np.isnan(got["T"]) and np.isnan(frame["T"].iat[0]))


def test_the_counts_of_a_breakdown_are_whole_numbers():
    got = figures(with_derived(random_frame(200, 6)), METRICS, 4, by="province")
    assert (got[COUNTS].dtypes == "int64").all() and got["n"].sum() > 0


def test_closing_the_database_lets_the_next_figures_open_a_new_one():
    frame = random_frame(50, 7)
    before = figures(frame, METRICS, 4)
    dashboard.close()
    assert dashboard._DB is None
    dashboard.close()  # twice: nothing to close
    pd.testing.assert_frame_equal(figures(frame, METRICS, 4), before)
    assert dashboard._DB is not None


def test_a_metric_id_is_quoted_as_an_sql_identifier():
    assert dashboard._q('a"b') == '"a""b"' and dashboard._q("T") == '"T"'
