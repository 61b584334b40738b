import numpy as np
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
