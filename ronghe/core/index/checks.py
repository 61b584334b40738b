"""Data checks before computing an index: coverage, missing values, outliers, unknown regions.

The report is data (a list of findings plus a per-indicator table), so the CLI, a page or a
test can present or assert it. Outliers follow the JRC rule of thumb: an indicator is flagged
when |skewness| > 2 and kurtosis > 3.5 in a year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ronghe.core.index.data import Panel, province_of, provinces


def _standardised(X: np.ndarray, min_n: int):
    """(column, n, standardised present values) for columns with ≥ ``min_n`` values and spread."""
    for k in range(X.shape[1]):
        v = X[:, k][~np.isnan(X[:, k])]
        if len(v) >= min_n and v.std() > 0:
            yield k, len(v), (v - v.mean()) / v.std(ddof=1)


def skewness(X: np.ndarray) -> np.ndarray:
    """Sample skewness of each column (bias-corrected, as Excel's SKEW), NaN ignored."""
    out = np.full(X.shape[1], np.nan)
    for k, n, z in _standardised(X, 3):
        out[k] = n / ((n - 1) * (n - 2)) * (z**3).sum()
    return out


def kurtosis(X: np.ndarray) -> np.ndarray:
    """Sample excess kurtosis of each column (bias-corrected, as Excel's KURT), NaN ignored."""
    out = np.full(X.shape[1], np.nan)
    for k, n, z in _standardised(X, 4):
        a = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (z**4).sum()
        out[k] = a - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    return out


@dataclass
class Report:
    table: pd.DataFrame
    """One row per (year, indicator): coverage (fraction 0–1), missing, skewness, kurtosis, outlier."""
    findings: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Region codes whose province is not in GB/T 2260 (regions only)."""

    @property
    def ok(self) -> bool:
        return not self.findings


SHOWN_CODES = 5
"""Unknown codes named in the finding; the rest are counted (a file of a thousand bad codes gives one
line, not a thousand)."""


def check_panel(panel: Panel, *, min_coverage: float = 0.65, unit: str = "region") -> Report:
    """Coverage and outliers per indicator and year; unknown province codes (for regions only —
    parks, industries and groups have codes of their own), summarised in one finding; empty units."""
    rows, findings = [], []
    R = panel.X.shape[1]
    for t, year in enumerate(panel.years):
        sk, ku = skewness(panel.X[t]), kurtosis(panel.X[t])
        for k, ind in enumerate(panel.indicators):
            missing = int(np.isnan(panel.X[t, :, k]).sum())
            coverage = 1 - missing / R
            outlier = bool(abs(sk[k]) > 2 and ku[k] > 3.5) if not np.isnan(sk[k]) and not np.isnan(ku[k]) else False
            rows.append({"year": year, "indicator": ind, "coverage": coverage, "missing": missing,
                         "skewness": sk[k], "kurtosis": ku[k], "outlier": outlier})
            if coverage < min_coverage:
                findings.append(f"{year} {ind}: coverage {coverage:.0%} is below {min_coverage:.0%}")
            if outlier:
                findings.append(f"{year} {ind}: skewness {sk[k]:.2f}, kurtosis {ku[k]:.2f} — consider winsorising "
                                "or a log transform")
    known = provinces()
    unknown = [code for code in panel.regions if unit == "region" and province_of(code) not in known]
    if unknown:
        shown = ", ".join(unknown[:SHOWN_CODES]) + (" …" if len(unknown) > SHOWN_CODES else "")
        findings.append(f"{len(unknown)} region code(s) with no province in GB/T 2260: {shown}")
    empty = np.isnan(panel.X).all(axis=(0, 2))
    for r in np.flatnonzero(empty):
        findings.append(f"region {panel.regions[r]}: no values at all")
    return Report(pd.DataFrame(rows), findings, unknown)
