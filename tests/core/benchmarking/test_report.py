import numpy as np
import pandas as pd
import pytest

from ronghe.core.benchmarking.cohorts import Cohort
from ronghe.core.benchmarking.peers import Peers
from ronghe.core.benchmarking.report import benchmark_rows, group_label, group_tables
from tests.core.benchmarking.helpers import METRICS, random_frame


def test_it_gives_every_row_the_numbers_of_its_panel():
    peers = Peers(random_frame(400, 21), METRICS, 4)
    table = benchmark_rows(peers, ["division", "city"], 10, identity=["key", "region"])
    for i in range(0, 400, 37):
        panel = peers.panel(i, kinds=["division", "city"])
        for kind, label in (("division", "同行业（大类）"), ("city", "同城市")):
            g = panel.group(kind)
            assert table[f"{label} n"].iat[i] == g.resolution.n
            assert table[f"{label} 组"].iat[i] == group_label(g.resolution.used)
            for m in METRICS:
                row = g.row(m.id)
                got = table[f"{label} {m.id} P"].iat[i]
                assert (row.rank is None and np.isnan(got)) or got == pytest.approx(round(row.rank, 1))
                assert table[f"{label} {m.id} Q"].iat[i] == (row.quartile or None)


def test_it_withholds_small_groups_from_the_group_tables():
    peers = Peers(random_frame(120, 22), METRICS, 4)
    stages, quantiles, withheld = group_tables(peers, ["city"], 10, stage_labels=["未达标", "一", "二", "三", "四"])
    sizes = peers.sizes("city")
    assert withheld == sum(1 for n in sizes.values() if n < 10)
    assert stages["n"].min() >= 10 and len(stages) == sum(1 for n in sizes.values() if n >= 10)
    assert set(quantiles["metric"]) == {m.id for m in METRICS}
    assert {"0 未达标", "3 三 %"} <= set(stages.columns)


def test_it_labels_groups_with_names():
    assert group_label(Cohort("division", "34")) == "34 通用设备制造业"
    assert group_label(Cohort("section", "C")) == "C 制造业"
    assert group_label(Cohort("province", "33")) == "浙江省"
    assert group_label(Cohort("city", "3301"), {"330100": "杭州市"}) == "杭州市"
    assert group_label(Cohort("city", "3301")) == "330100"
    assert group_label(Cohort("all", "*"), locale="en") == "All enterprises"


STAGES = ["未达标", "一", "二", "三", "四"]


@pytest.mark.parametrize(("kind", "min_size", "locale"), [("city", 10, "zh-Hans"), ("division", 15, "en"),
                                                          ("all", 1, "zh-Hans"), ("province", None, "en"),
                                                          ("city", None, "zh-Hans")])
def test_the_group_tables_match_plain_pandas_over_the_complete_rows(kind, min_size, locale):
    frame = random_frame(240, 23, ties=False)
    if min_size is None:  # a group exactly at the minimum is shown, the smaller ones are withheld
        sizes = sorted(Peers(frame, METRICS, 4).sizes(kind).values())
        min_size = sizes[len(sizes) // 2]
        assert sizes[0] < min_size
    peers = Peers(frame, METRICS, 4)
    stages, quantiles, withheld = group_tables(peers, [kind], min_size, names={"330100": "杭州市"},
                                               stage_labels=STAGES[:4], locale=locale)
    done = frame[frame["complete"]]
    key = {"city": done["region"].str[:4], "province": done["region"].str[:2], "division": done["industry"],
           "all": pd.Series("*", index=done.index)}[kind]
    groups = {k: g for k, g in done.groupby(key) if isinstance(k, str)}
    shown = sorted(k for k, g in groups.items() if len(g) >= min_size)
    assert withheld == len(groups) - len(shown)
    label = Cohort(kind, "*").label(locale)
    assert stages["group"].tolist() == [group_label(Cohort(kind, k), {"330100": "杭州市"}, locale) for k in shown]
    assert set(stages["kind"]) == {label} and set(quantiles["kind"]) == {label}
    for r, k in enumerate(shown):
        g = groups[k]
        assert stages["n"].iat[r] == len(g)
        counts = g["stage"].value_counts()
        for s in range(5):  # the fifth stage has no label given: it is named by its code
            name = f"{s} {STAGES[s] if s < 4 else s}"
            assert stages[name].iat[r] == counts.get(s, 0)
            assert stages[f"{name} %"].iat[r] == round(100 * counts.get(s, 0) / len(g), 1)
        for m in METRICS:
            (q,) = quantiles[(quantiles["group"] == stages["group"].iat[r]) & (quantiles["metric"] == m.id)].to_dict(
                "records")
            values = g[m.id].dropna().to_numpy()
            assert (q["name"], q["n"]) == (m.label(locale), len(values))
            assert q["mean"] == pytest.approx(round(values.mean(), 2), abs=1e-9)
            for p in (10, 25, 50, 75, 90):
                assert q[f"P{p}"] == pytest.approx(round(float(np.percentile(values, p)), 2), abs=1e-9)
    assert len(quantiles) == len(shown) * len(METRICS)


def test_a_metric_no_member_answered_has_no_mean_and_no_quantiles():
    frame = random_frame(30, 24).assign(r=np.nan)
    _, quantiles, _ = group_tables(Peers(frame, METRICS, 4), ["all"], 1)
    (q,) = quantiles[quantiles["metric"] == "r"].to_dict("records")
    assert q["n"] == 0 and pd.isna(q["mean"]) and all(pd.isna(q[f"P{p}"]) for p in (10, 25, 50, 75, 90))
    assert not quantiles[quantiles["metric"] != "r"][["mean", "P10", "P90"]].isna().any().any()


def test_each_row_says_which_group_stands_in_and_its_gap_to_the_top_tenth():
    frame = random_frame(200, 25, ties=False)
    peers = Peers(frame, METRICS, 4)
    table = benchmark_rows(peers, ["division", "size"], 30, identity=["key", "year", "nope"], locale="en")
    for label in ("Same industry (division)", "Same size band"):
        assert table[f"{label} n"].dtype == np.int64 and table[f"{label} 替代"].dtype == bool
    assert list(table.columns[:2]) == ["key", "year"]  # an identity column the frame lacks is left out
    assert table["key"].tolist() == frame["key"].tolist()
    for i in range(200):
        panel = peers.panel(i, kinds=["division", "size"], min_size=30)
        for kind in ("division", "size"):
            g, label = panel.group(kind), Cohort(kind, "*").label("en")
            res = g.resolution
            assert table[f"{label} 替代"].iat[i] == (res.replaced or res.used is None)
            assert table[f"{label} 组"].iat[i] == (group_label(res.used, locale="en") if res.used else "")
            assert table[f"{label} n"].iat[i] == res.n
            for m in METRICS:
                row = g.row(m.id) if res.used else None
                gap = table[f"{label} {m.id} 差距"].iat[i]
                if row is None or row.gap_top10 is None:
                    assert np.isnan(gap)
                else:
                    assert gap == pytest.approx(round(row.gap_top10, 2), abs=1e-9)


def test_a_row_without_any_group_large_enough_has_no_numbers():
    frame = random_frame(12, 26)
    table = benchmark_rows(Peers(frame, METRICS, 4), ["city"], 50)
    assert set(table["同城市 组"]) == {""} and set(table["同城市 替代"]) == {True}
    assert table["同城市 n"].tolist() == [0] * 12
    for m in METRICS:
        assert table[f"同城市 {m.id} P"].isna().all() and table[f"同城市 {m.id} 差距"].isna().all()
        assert table[f"同城市 {m.id} Q"].isna().all()


def test_group_labels_name_every_kind():
    assert group_label(None) == ""
    assert group_label(Cohort("division", "99")) == "99"  # not a division of GB/T 4754: its code
    assert group_label(Cohort("province", "33"), locale="en") == "Zhejiang"
    assert group_label(Cohort("city", "3301"), {"330106": "西湖区"}) == "330100"
    assert group_label(Cohort("size", "300人以下")) == "300人以下"
    assert group_label(Cohort("all", "*")) == "全部企业"


def test_each_row_names_its_city_group_by_the_names_given():
    frame = random_frame(300, 27)
    table = benchmark_rows(Peers(frame, METRICS, 4), ["city"], 10, names={"330100": "杭州市"})
    hangzhou = frame["region"].str.startswith("3301").to_numpy()
    assert set(table["同城市 组"][hangzhou]) == {"杭州市"}
    assert "杭州市" not in set(table["同城市 组"][~hangzhou])
