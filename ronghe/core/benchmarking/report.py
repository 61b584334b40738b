"""Benchmark tables for a whole results file (``ronghe assess benchmark``): every row against
its peer groups, and each group's summary — the same numbers as the web panel, for all rows.

Rows are resolved to the group that answers for them first (small groups replaced, see
:mod:`.suppression`); then each group ranks all its rows at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ronghe.core.benchmarking import cohorts
from ronghe.core.benchmarking.cohorts import Cohort
from ronghe.core.benchmarking.peers import Peers
from ronghe.core.benchmarking.percentiles import QUANTILES, percentile_ranks, quartile
from ronghe.core.benchmarking.suppression import DEFAULT_MIN_GROUP
from ronghe.core.codes import industries
from ronghe.core.index.data import region_name


def group_label(cohort: Cohort | None, names: Mapping[str, str] | None = None, locale: str = "zh-Hans") -> str:
    """A group as people name it: ``34 通用设备制造业``, ``浙江省``, ``300-1000人``, ``全部企业``.

    ``names`` maps 6-digit region codes to names (cities are shown by code without it)."""
    if cohort is None:
        return ""
    kind, key = cohort.kind, cohort.key
    if kind in {"division", "section"}:
        found = industries().get(key)
        return f"{key} {found.name}" if found else key
    if kind in {"province", "city"}:
        code = key.ljust(6, "0")
        if names and code in names:
            return names[code]
        name = region_name(code, locale)
        return name if name != code else code
    if kind == "all":
        return cohort.label(locale)
    return key


def benchmark_rows(peers: Peers, kinds: Sequence[str], min_size: int = DEFAULT_MIN_GROUP,
                   identity: Sequence[str] = ("key",), names: Mapping[str, str] | None = None,
                   locale: str = "zh-Hans") -> pd.DataFrame:
    """One row per result: identity, then per kind the group used (``<kind> 组``), its size, whether
    it stands in for the row's own, too small, group (``替代``) and per metric the percentile
    (``P``), quartile (``Q``) and gap to the top 10 % (``差距``)."""
    frame = peers.frame
    out = frame[[c for c in identity if c in frame.columns]].copy()
    cols: dict[str, np.ndarray] = {}
    n = len(frame)
    for kind in kinds:
        used_label = np.empty(n, dtype=object)
        used_n = np.zeros(n, dtype=np.int64)
        replaced = np.zeros(n, dtype=bool)
        ranks = np.full((n, len(peers.metrics)), np.nan)
        gaps = np.full((n, len(peers.metrics)), np.nan)
        own = pd.DataFrame({k: cohorts.keys(frame, k) for k in cohorts.chain(kind)})
        by = [own[c].to_numpy() for c in own.columns]
        for _, positions in pd.Series(np.arange(n)).groupby(by, dropna=False, sort=False):
            rows = positions.to_numpy()
            res = peers.resolve(int(rows[0]), kind, min_size)
            used_label[rows] = group_label(res.used, names, locale) if res.used else ""
            used_n[rows] = res.n
            replaced[rows] = res.replaced or res.used is None
            if res.used is None:
                continue
            st = peers.stats(res.used)
            members = peers.members(res.used.kind)[res.used.key]
            ranks[rows] = percentile_ranks(peers.columns(members), peers.values[rows])
            gaps[rows] = st.gap_to_top10(peers.values[rows])
        label = cohorts.LABELS[kind][1 if locale.startswith("en") else 0]
        cols[f"{label} 组"] = used_label
        cols[f"{label} n"] = used_n
        cols[f"{label} 替代"] = replaced
        quarts = quartile(ranks)
        for j, m in enumerate(peers.metrics):
            cols[f"{label} {m.id} P"] = np.round(ranks[:, j], 1)
            cols[f"{label} {m.id} Q"] = np.where(quarts[:, j] > 0, quarts[:, j], None)
            cols[f"{label} {m.id} 差距"] = np.round(gaps[:, j], 2)
    return pd.concat([out, pd.DataFrame(cols, index=out.index)], axis=1)


def group_tables(peers: Peers, kinds: Sequence[str], min_size: int = DEFAULT_MIN_GROUP,
                 names: Mapping[str, str] | None = None, stage_labels: Sequence[str] = (),
                 locale: str = "zh-Hans") -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Per group of each kind: stage counts (one row per group) and quantiles (one row per group
    and metric), only for groups of at least ``min_size`` members; and how many were withheld."""
    stage_rows, quantile_rows, withheld = [], [], 0
    for kind in kinds:
        for cohort, size in sorted(peers.sizes(kind).items(), key=lambda kv: kv[0].key):
            if size < min_size:
                withheld += 1
                continue
            st = peers.stats(cohort)
            row = {"kind": cohort.label(locale), "group": group_label(cohort, names, locale), "n": size}
            for s, count in enumerate(st.stage_counts):
                name = stage_labels[s] if s < len(stage_labels) else str(s)
                row[f"{s} {name}"] = int(count)
                row[f"{s} {name} %"] = round(100.0 * count / size, 1)
            stage_rows.append(row)
            for j, m in enumerate(peers.metrics):
                q = {f"P{p}": (None if np.isnan(v) else round(float(v), 2))
                     for p, v in zip(QUANTILES, st.quantiles[:, j], strict=True)}
                quantile_rows.append({"kind": cohort.label(locale), "group": group_label(cohort, names, locale),
                                      "metric": m.id, "name": m.label(locale), "n": int(st.n[j]),
                                      "mean": None if np.isnan(st.mean[j]) else round(float(st.mean[j]), 2), **q})
    return pd.DataFrame(stage_rows), pd.DataFrame(quantile_rows), withheld
