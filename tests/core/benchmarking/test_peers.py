"""The panel against an independent computation: plain pandas filters and a Python loop."""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.benchmarking.cohorts import KINDS, Cohort
from ronghe.core.benchmarking.columns import FrameError, metrics
from ronghe.core.benchmarking.peers import Peers
from ronghe.core.codes import industries
from tests.core.benchmarking.helpers import METRICS, plain_rank, random_frame

COLUMN = {"division": lambda f: f["industry"], "section": lambda f: f["industry"].map(
    lambda c: industries()[c].section if isinstance(c, str) else None),
          "province": lambda f: f["region"].str[:2], "city": lambda f: f["region"].str[:4],
          "size": lambda f: f["size"], "all": lambda f: pd.Series("*", index=f.index)}
WIDER = {"division": "section", "section": "all", "city": "province", "province": "all", "size": "all"}


def expected_group(frame: pd.DataFrame, cols: dict, i: int, kind: str, min_size: int):
    """The members (a plain pandas filter) of the group that answers for row i."""
    while kind is not None:
        key = cols[kind].iloc[i]
        if isinstance(key, str):
            members = frame[(cols[kind] == key) & frame["complete"]]
            if len(members) >= min_size:
                return kind, key, members
        kind = WIDER.get(kind)
    return None, None, None


@pytest.mark.parametrize(("n", "seed", "min_size"), [(60, 1, 10), (300, 2, 10), (300, 3, 40), (25, 4, 5)])
def test_it_matches_plain_pandas_for_every_row_kind_and_metric(n, seed, min_size):
    frame = random_frame(n, seed)
    peers = Peers(frame, METRICS, n_stages=4)
    cols = {kind: column(frame) for kind, column in COLUMN.items()}
    for i in range(0, n, max(1, n // 40)):
        panel = peers.panel(i, min_size=min_size)
        for kind in KINDS:
            group = panel.group(kind)
            kind_used, key, members = expected_group(frame, cols, i, kind, min_size)
            if members is None:
                assert not group.shown
                continue
            assert (group.resolution.used.kind, group.resolution.used.key) == (kind_used, key)
            assert group.resolution.n == len(members)
            counts = members["stage"].value_counts()
            assert list(group.stage_counts) == [int(counts.get(s, 0)) for s in range(5)]
            for m in METRICS:
                row = group.row(m.id)
                col = members[m.id].dropna()
                x = frame[m.id].iloc[i]
                want = plain_rank(members[m.id].tolist(), x)
                assert (row.rank is None) == (want is None) and (want is None or row.rank == pytest.approx(want))
                assert row.n == len(col)
                if len(col):
                    assert row.p25 == pytest.approx(col.quantile(0.25)) and row.p90 == pytest.approx(col.quantile(0.9))
                    assert row.p50 == pytest.approx(col.median()) and row.mean == pytest.approx(col.mean())
                    if x == x:
                        assert row.gap_top10 == pytest.approx(max(0.0, col.quantile(0.9) - x))
                if want is not None:
                    assert row.quartile == (1 if want >= 75 else 2 if want >= 50 else 3 if want >= 25 else 4)


def test_it_ranks_an_incomplete_row_against_complete_peers_only():
    frame = random_frame(200, 7)
    frame.loc[0, "complete"] = False
    peers = Peers(frame, METRICS, 4)
    panel = peers.panel(0, kinds=["all"])
    members = frame[frame["complete"]]
    assert panel.group("all").resolution.n == len(members)
    assert panel.group("all").row("T").rank == pytest.approx(plain_rank(members["T"].tolist(), frame["T"].iloc[0]))


def test_it_refuses_a_frame_without_its_columns():
    frame = random_frame(10).drop(columns=["size", "A"])
    with pytest.raises(FrameError, match="size, A"):
        Peers(frame, METRICS, 4)


def test_it_orders_a_frameworks_metrics_summary_first():
    from ronghe.core.frameworks import load

    ms = metrics(load("gbt23020-discrete").framework)
    kinds = [m.kind for m in ms]
    assert kinds[0] == "total" and ms[0].id == "LEVEL" and kinds[1] == "root"
    assert kinds.index("indicator") > kinds.index("rate") > kinds.index("aspect")
    assert [m.id for m in ms if m.kind == "aspect"] == ["JC", "DX", "ZH", "XT", "JZ", "XY"]
    assert sum(m.summary for m in ms) == 1 + 1 + 6 + 5


def test_it_finds_a_row_by_key_and_keeps_each_groups_stats():
    peers = Peers(random_frame(100, 9), METRICS, 4)
    i = peers.position(42)
    assert peers.frame["key"].iat[i] == 42
    first = peers.panel(i)
    assert peers.panel(i) == first
    assert np.isfinite(first.group("all").row("T").p50)


def test_it_extends_by_new_rows_with_the_same_numbers_as_a_rebuild():
    frame = random_frame(300, 31)
    head, tail = frame.iloc[:290], frame.iloc[290:]
    old = Peers(head, METRICS, 4)
    for i in range(0, 290, 29):
        old.panel(i)  # groups computed before the new rows arrive
    ids = [m.id for m in METRICS]
    grown = old.extend(tail[[c for c in tail.columns if c not in ids]], np.ascontiguousarray(
        tail[ids].to_numpy(dtype=float).T))
    rebuilt = Peers(frame, METRICS, 4)
    for i in (0, 17, 150, 289, 290, 299):
        assert grown.panel(i) == rebuilt.panel(i)
    assert len(old) == 290 and old.panel(3) == Peers(head, METRICS, 4).panel(3)  # the old one is untouched


def test_a_panel_carries_the_rows_key_year_and_own_values():
    frame = random_frame(80, 12, year=2024)
    peers = Peers(frame, METRICS, 4)
    for i in (0, 7, 79):
        panel = peers.panel(i, min_size=5)
        assert panel.key == frame["key"].iat[i] and panel.year == 2024
        for m in METRICS:
            value = frame[m.id].iat[i]
            assert panel.group("all").row(m.id).value == (None if np.isnan(value) else value)


def test_a_kind_without_any_group_large_enough_is_in_the_panel_empty():
    peers = Peers(random_frame(20, 13), METRICS, 4)
    panel = peers.panel(3, kinds=["city", "all"], min_size=50)
    assert [g.resolution.kind for g in panel.groups] == ["city", "all"]
    for g in panel.groups:
        assert not g.shown and g.rows == () and g.stage_counts == () and g.resolution.used is None


def test_the_members_of_each_group_are_its_complete_rows_in_order():
    frame = random_frame(150, 14)
    peers = Peers(frame, METRICS, 4)
    for kind, column in (("division", frame["industry"]), ("city", frame["region"].str[:4])):
        members = peers.members(kind)
        expected = {k: np.flatnonzero(((column == k) & frame["complete"]).to_numpy()) for k in column.dropna().unique()}
        assert set(members) == {k for k, v in expected.items() if len(v)}
        for k, positions in members.items():
            assert positions.tolist() == expected[k].tolist()  # ascending, as a filter gives them
            assert peers.size(Cohort(kind, k)) == len(positions)
    assert peers.size(Cohort("city", "9999")) == 0


def test_it_extends_by_rows_of_new_groups_with_an_index_of_their_own():
    frame = random_frame(120, 15)
    frame.loc[110:, "region"] = "530102"  # a city no earlier row belongs to
    frame.loc[110:, "complete"] = True
    head, tail = frame.iloc[:110], frame.iloc[110:].set_axis(range(500, 510))
    old = Peers(head, METRICS, 4)
    for kind in ("city", "province", "division"):
        old.members(kind)  # computed before the new rows arrive
    ids = [m.id for m in METRICS]
    grown = old.extend(tail.drop(columns=ids), np.ascontiguousarray(tail[ids].to_numpy(dtype=float).T))
    rebuilt = Peers(frame, METRICS, 4)
    assert list(grown.frame.columns) == list(rebuilt.frame.columns)
    assert grown.complete.tolist() == rebuilt.complete.tolist() and grown.complete.dtype == bool
    for kind in ("city", "province", "division", "size"):
        assert {k: v.tolist() for k, v in grown.members(kind).items()} == \
            {k: v.tolist() for k, v in rebuilt.members(kind).items()}
        assert grown.own(115)[kind] == rebuilt.own(115)[kind]
    assert grown.members("city")["5301"].tolist() == list(range(110, 120))
    for i in (0, 50, 109, 110, 119):
        assert grown.panel(i, min_size=5) == rebuilt.panel(i, min_size=5)


def test_groups_with_the_same_members_share_one_summary_and_an_unknown_group_has_none():
    frame = random_frame(60, 16).assign(industry="34")  # every enterprise in one division and section
    peers = Peers(frame.set_axis(range(100, 160)), METRICS, 4)
    assert "index" not in peers.frame.columns and peers.frame.index.tolist() == list(range(60))
    everyone = peers.stats(Cohort("all", "*"))
    assert peers.stats(Cohort("section", "C")) is everyone and peers.stats(Cohort("division", "34")) is everyone
    city = next(iter(peers.sizes("city")))
    assert peers.stats(city) is peers.stats(Cohort("city", city.key))
    nobody = peers.stats(Cohort("city", "9999"))
    assert nobody.size == 0 and nobody.n.tolist() == [0] * len(METRICS) and np.isnan(nobody.mean).all()


def test_a_rows_own_keys_are_none_where_its_attributes_are_unknown():
    frame = random_frame(10, 17)
    frame.loc[3, ["industry", "region"]] = None
    own = Peers(frame, METRICS, 4).own(3)
    assert own == {"division": None, "section": None, "province": None, "city": None,
                   "size": frame["size"].iat[3], "all": "*"}


def test_it_takes_the_values_laid_out_by_metric_without_the_metric_columns():
    frame = random_frame(40, 18)
    ids = [m.id for m in METRICS]
    by_metric = np.ascontiguousarray(frame[ids].to_numpy(dtype=float).T)
    given = Peers(frame.drop(columns=ids), METRICS, 4, by_metric=by_metric)
    assert given.panel(5) == Peers(frame, METRICS, 4).panel(5)


def test_a_stage_code_outside_the_frameworks_stages_counts_at_the_nearest_end():
    frame = random_frame(30, 19).assign(complete=True)
    frame.loc[:9, "stage"] = -1  # below the first stage
    frame.loc[10:14, "stage"] = 7  # beyond the last of 4
    head, tail = frame.iloc[:20], frame.iloc[20:].assign(stage=[-3, 9] * 5)
    peers = Peers(head, METRICS, 4)
    counts = peers.panel(0, kinds=["all"], min_size=1).group("all").stage_counts
    assert len(counts) == 5 and counts[0] >= 10 and counts[4] >= 5 and sum(counts) == 20
    ids = [m.id for m in METRICS]
    grown = peers.extend(tail.drop(columns=ids), np.ascontiguousarray(tail[ids].to_numpy(dtype=float).T))
    more = grown.panel(0, kinds=["all"], min_size=1).group("all").stage_counts
    assert (more[0] - counts[0], more[4] - counts[4], sum(more)) == (5, 5, 30)
