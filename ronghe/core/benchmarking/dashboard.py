"""Figures of a region (or any set of scored assessments) for an authority's dashboard.

:func:`figures` summarises the complete assessments of a results frame, overall or per group
of one column (a sub-region, an industry, a size band, a year):

- ``n``: assessments counted; ``stage_<s>`` and ``stage_<s>_pct``: how many (and what share,
  percent) are at stage ``s`` (0 = below the first stage);
- ``advanced_pct``: the share at the framework's "advanced" stage or above (集成提升 and above
  for GB/T 23020: stage 3);
- one column per summary metric (total, aspects, key rates): the mean over the assessments where
  it applies (scores 0–100, rates in percent, as the national statistics report a rate: the
  mean over the enterprises assessed); ``n_<rate>`` counts the answers behind each rate.

It runs in DuckDB over the frame (one SQL aggregate, no Python loop over rows), which keeps a
national year of 100,000 assessments in tens of milliseconds; the tests compute the same
numbers with plain pandas.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import duckdb
import pandas as pd

from ronghe.core.benchmarking.columns import Metric

ADVANCED_STAGE = 3
"""集成提升 in GB/T 23020's four stages; frameworks with fewer stages use their last one."""


def advanced_stage(n_stages: int) -> int:
    """The stage whose share "and above" a dashboard reports."""
    return min(ADVANCED_STAGE, n_stages) if n_stages else 0


_DB: duckdb.DuckDBPyConnection | None = None
_DB_LOCK = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of one in-memory DuckDB database kept by the process: opening a database per call
    costs more (20–50 ms) than the aggregate itself; a cursor is the per-thread handle DuckDB asks for."""
    global _DB
    with _DB_LOCK:
        if _DB is None:
            _DB = duckdb.connect()
        return _DB.cursor()


def close() -> None:
    """Close the process's DuckDB database (a process that forks closes it first: a child opens its own)."""
    global _DB
    with _DB_LOCK:
        if _DB is not None:
            _DB.close()
            _DB = None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def figures(frame: pd.DataFrame, metrics: Sequence[Metric], n_stages: int, *, by: str | None = None,
            advanced: int | None = None) -> pd.DataFrame:
    """Dashboard figures of the complete rows of ``frame``, overall (one row) or per value of ``by``
    (rows sorted by it; rows whose ``by`` is unknown are left out)."""
    advanced = advanced_stage(n_stages) if advanced is None else advanced
    summary = [m for m in metrics if m.summary]
    stage_cols = [f"stage_{s}" for s in range(n_stages + 1)]
    columns = ([by] if by else []) + ["n", *stage_cols, *(f"{c}_pct" for c in stage_cols), "advanced_pct",
                                      *(m.id for m in summary), *(f"n_{m.id}" for m in summary if m.kind == "rate")]
    needed = ["stage", "complete", *(m.id for m in summary), *([by] if by else [])]
    data = frame[needed]
    if by:
        data = data[data[by].notna()]
    select = ["count(*) AS n"]
    select += [f"sum(CASE WHEN stage = {s} THEN 1 ELSE 0 END) AS stage_{s}" for s in range(n_stages + 1)]
    select += [f"100.0 * sum(CASE WHEN stage = {s} THEN 1 ELSE 0 END) / count(*) AS stage_{s}_pct"
               for s in range(n_stages + 1)]
    select += [f"100.0 * sum(CASE WHEN stage >= {int(advanced)} THEN 1 ELSE 0 END) / count(*) AS advanced_pct"]
    select += [f"avg({_q(m.id)}) AS {_q(m.id)}" for m in summary]
    select += [f"count({_q(m.id)}) AS {_q('n_' + m.id)}" for m in summary if m.kind == "rate"]
    group = f"{_q(by)} AS {_q(by)}, " if by else ""
    tail = f" GROUP BY {_q(by)} ORDER BY {_q(by)}" if by else ""
    con = _cursor()
    try:
        con.register("f", data)
        out = con.execute(f"SELECT {group}{', '.join(select)} FROM f WHERE complete{tail}").df()
    finally:
        con.close()
    if not by and (out.empty or int(out["n"].iat[0]) == 0):
        out = pd.DataFrame([{c: 0 if c == "n" or (c.startswith("stage_") and not c.endswith("pct")) else None
                             for c in columns}])
    for c in ["n", *stage_cols, *(f"n_{m.id}" for m in summary if m.kind == "rate")]:
        out[c] = out[c].fillna(0).astype("int64")
    return out[columns]
