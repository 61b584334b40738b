"""Indicators from enterprise assessments (the CESI way), next to yearbook statistics.

The national data-map reports build provincial figures from GB/T 23020 enterprise assessments.
Given scored assessments with a region code and a year, this computes each ``enterprise``
indicator of a definition per region at the chosen level (province, city or county: the
GB/T 2260 code truncated) — the mean of a key rate, or the share of enterprises at a stage or
above — as a long table ready to merge with statistics. Aggregation runs in DuckDB, which keeps
10M+ assessment rows fast and out of Python loops.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from ronghe.core.index.definition import Definition

LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6}


def indicators_from_assessments(assessments: pd.DataFrame, definition: Definition,
                                level: Literal["province", "city", "county"] = "province") -> pd.DataFrame:
    """Long table (region, year, indicator, value, n) from scored assessments.

    ``assessments`` has columns ``region`` (6-digit code), ``year``, ``stage``, ``complete`` and
    one column per key rate id used by the definition (percent). Only complete assessments count.
    """
    digits = LEVEL_DIGITS[level]
    frames = []
    con = duckdb.connect()
    con.register("a", assessments)
    for ind in definition.indicators:
        src = ind.assessments
        if src is None:
            continue
        if src.rate is not None:
            if src.rate not in assessments.columns:
                raise KeyError(f"indicator {ind.id} needs the rate column {src.rate!r}, which the results lack")
            expr = f'avg("{src.rate}")'
        else:
            expr = f"100.0 * avg(CASE WHEN stage >= {int(src.stage_min)} THEN 1 ELSE 0 END)"
        sql = f"""
            SELECT rpad(substr(region, 1, {digits}), 6, '0') AS region, CAST(year AS INTEGER) AS year,
                   '{ind.id}' AS indicator, {expr} AS value, count(*) AS n
            FROM a WHERE complete AND region IS NOT NULL AND year IS NOT NULL
            GROUP BY 1, 2 HAVING count(*) >= {int(src.min_count)}
        """
        frames.append(con.execute(sql).df())
    con.close()
    if not frames:
        return pd.DataFrame(columns=["region", "year", "indicator", "value", "n"])
    return pd.concat(frames, ignore_index=True).sort_values(["indicator", "year", "region"]).reset_index(drop=True)
