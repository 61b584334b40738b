"""Scored results in columnar form: the one table every benchmark and dashboard reads.

A *results frame* holds one row per scored assessment:

============  =====================================================================
``key``       what identifies the row (an assessment id, a file row)
``year``      the reference year (int)
``region``    the enterprise's GB/T 2260 county code, 6 digits (``None``: unknown)
``industry``  its GB/T 4754 division, 2 digits (``None``: unknown)
``size``      its size band (``300人以下`` …, ``None``: unknown)
``stage``     the stage code (0 = below the first stage / undetermined)
``complete``  every required, applicable question answered
metric ids    one float column per :class:`Metric`: node scores 0–100, key rates in percent;
              NaN where the node does not apply or the rate was not answered
============  =====================================================================

The web builds it from stored scores, the CLI from a results file written by
``ronghe assess score``; both then call the same functions, so the numbers agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ronghe.core.codes import industries
from ronghe.core.errors import RongheError
from ronghe.core.frameworks.schema import Framework

MetricKind = Literal["total", "root", "aspect", "indicator", "rate"]
IDENTITY = ("key", "year", "region", "industry", "size", "stage", "complete")


class FrameError(RongheError):
    """A results frame lacks a column it needs, or holds a value of the wrong kind."""


@dataclass(frozen=True)
class Metric:
    """One figure benchmarked: the total, an aspect or indicator score (0–100), or a key rate (%)."""

    id: str
    kind: MetricKind
    name: str
    name_en: str
    parent: str | None = None

    @property
    def unit(self) -> str:
        return "%" if self.kind == "rate" else "分"

    def label(self, locale: str = "zh-Hans") -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name

    @property
    def summary(self) -> bool:
        """Whether dashboards show it (everything but the indicators below the aspects)."""
        return self.kind != "indicator"


def metrics(framework: Framework) -> list[Metric]:
    """The framework's metrics, summary figures first: the total, the other roots (效能), the
    aspects (children of a root), the key rates, then every deeper indicator in tree order.

    The order is the column order of a stored snapshot, so that a reader wanting only the summary
    reads a prefix.
    """
    nodes = framework.nodes
    roots = [n for n in nodes if n.parent is None]
    root_ids = {n.id for n in roots}
    by_kind: dict[str, list[Metric]] = {"total": [], "root": [], "aspect": [], "rate": [], "indicator": []}
    for n in nodes:
        kind = "total" if n.id == framework.total else "root" if n.parent is None else \
            "aspect" if n.parent in root_ids else "indicator"
        by_kind[kind].append(Metric(n.id, kind, n.name.zh, n.name.en or n.name.zh, n.parent))
    for r in framework.rates:
        by_kind["rate"].append(Metric(r.id, "rate", r.label.zh, r.label.en or r.label.zh))
    return [m for kind in ("total", "root", "aspect", "rate", "indicator") for m in by_kind[kind]]


def section_of(industry: str | None) -> str | None:
    """The GB/T 4754 section (门类 letter) of a division code, or the letter itself."""
    if industry is None or (isinstance(industry, float) and np.isnan(industry)):
        return None
    code = str(industry)
    if code.isalpha():
        return code.upper()
    found = industries().get(code.zfill(2))
    return found.section if found else None


def check_frame(frame: pd.DataFrame, metric_ids: Iterable[str]) -> None:
    """Raise :class:`FrameError` naming every missing column."""
    missing = [c for c in (*IDENTITY, *metric_ids) if c not in frame.columns]
    if missing:
        raise FrameError(f"the scored results lack the column(s) {', '.join(missing)}")


def _prefixes(regions: pd.Series, digits: int) -> np.ndarray:
    """The first ``digits`` characters of every 6-digit code (None elsewhere), without a Python loop."""
    values = regions.to_numpy(dtype=object)
    ok = pd.Series(values, dtype=object).str.len().eq(6).to_numpy(dtype=bool)
    fixed = np.where(ok, values, "000000").astype("U6")
    cut = np.ascontiguousarray(fixed.view("U1").reshape(-1, 6)[:, :digits]).view(f"U{digits}").ravel()
    return np.where(ok, cut.astype(object), None)


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the cohort attributes derived from the identity columns:
    ``province`` (2-digit prefix), ``city`` (4-digit prefix) and ``section`` (门类)."""
    region = frame["region"].astype(object).where(frame["region"].notna(), None)
    codes = frame["industry"].astype(object).where(frame["industry"].notna(), None)
    sections = {c: section_of(c) for c in codes.dropna().unique()}
    return frame.assign(province=_prefixes(region, 2), city=_prefixes(region, 4),
                        section=codes.map(sections).astype(object).where(codes.notna(), None))


def from_arrays(keys: Sequence, years: Sequence[int], regions: Sequence, industries_: Sequence, sizes: Sequence,
                stages: Sequence[int], complete: Sequence[bool], values: np.ndarray,
                metric_ids: Sequence[str]) -> pd.DataFrame:
    """A results frame from parallel columns and a (rows × metrics) value matrix."""
    values = np.asarray(values, dtype=np.float64).reshape(len(keys), len(metric_ids))
    data = {"key": list(keys), "year": np.asarray(years, dtype=np.int64), "region": list(regions),
            "industry": list(industries_), "size": list(sizes), "stage": np.asarray(stages, dtype=np.int64),
            "complete": np.asarray(complete, dtype=bool)}
    frame = pd.DataFrame(data)
    metric_frame = pd.DataFrame(values, columns=list(metric_ids))
    return pd.concat([frame, metric_frame], axis=1)


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "是"}
    return bool(value) and value == value


def from_results(table: pd.DataFrame, metric_list: Sequence[Metric]) -> pd.DataFrame:
    """A results frame from a results file as read back by ``ronghe.core.io.xlsx.read_results``.

    ``row`` becomes the key; a file without ``year`` counts as one year (0); a missing ``region``,
    ``industry`` or ``size`` column leaves that attribute unknown (its peer groups fall back to
    wider ones)."""
    ids = [m.id for m in metric_list]
    missing = [c for c in ("stage", "complete", *ids) if c not in table.columns]
    if missing:
        raise FrameError(f"the results lack the column(s) {', '.join(missing)}: is this a results file of "
                         f"this framework (written by `ronghe assess score`)?")
    n = len(table)

    def column(name: str) -> list:
        if name not in table.columns:
            return [None] * n
        return [None if v is None or v != v or v == "" else str(v) for v in table[name].tolist()]

    years = pd.to_numeric(table["year"], errors="coerce").fillna(0).astype("int64") if "year" in table else [0] * n
    keys = table["row"].tolist() if "row" in table else list(range(1, n + 1))
    stages = pd.to_numeric(table["stage"], errors="coerce").fillna(0).astype("int64")
    values = table[ids].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    frame = from_arrays(keys, years, column("region"), column("industry"), column("size"), stages,
                        [_flag(v) for v in table["complete"].tolist()], values, ids)
    for extra in ("enterprise", "credit_code"):
        if extra in table.columns:
            frame.insert(1, extra, table[extra].to_numpy())
    return frame


def guess_framework(columns: Iterable[str], candidates: Sequence[Framework]) -> Framework | None:
    """The framework a results table comes from: among ``candidates`` whose every metric is a
    column, the one with the most metrics (``None`` when none fits)."""
    present = set(columns)
    fits = [fw for fw in candidates if {m.id for m in metrics(fw)} <= present]
    return max(fits, key=lambda fw: len(metrics(fw)), default=None)
