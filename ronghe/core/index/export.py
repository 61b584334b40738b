"""Index results as tables and files: one row per region and year with every category, the rank,
rank change and tier; zone averages; target gaps; uncertainty."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ronghe.core.errors import ParameterError
from ronghe.core.index import outputs
from ronghe.core.index.checks import Report
from ronghe.core.index.data import region_name, zone_of
from ronghe.core.index.pipeline import IndexResult
from ronghe.core.io.tables import atomic_write, write_tables
from ronghe.core.messages import message


def results_frame(result: IndexResult, locale: str = "zh-Hans") -> pd.DataFrame:
    """Long table: region, name, zone, year, total, each node, rank, rank change, tier."""
    d, p, tree = result.definition, result.panel, result.tree
    total = result.total
    r = outputs.ranks(total)
    change = outputs.rank_changes(r)
    growth = outputs.growth(total)
    span = len(p.years) - 1
    cagr = outputs.cagr(total[0], total[-1], span) if span > 0 else np.full(total.shape[1], np.nan)
    tier = outputs.tiers(total, d.tiers, locale)
    rows = []
    names = {n.id: n.name.get(locale) for n in d.nodes}
    region = d.unit == "region"  # other units are named by the data and have no zone
    for t, year in enumerate(p.years):
        for i, code in enumerate(p.regions):
            row = {"region": code, "name": p.names.get(code) or (region_name(code, locale) if region else code),
                   "zone": (zone_of(code) if region else None) or "", "year": year,
                   "rank": int(r[t, i]), "rank_change": int(change[t, i]), "tier": tier[t, i],
                   "growth": round(float(growth[t, i]), 2),
                   f"cagr_{p.years[0]}_{p.years[-1]}_pct": round(float(cagr[i]) * 100, 2)}
            for k, nid in enumerate(tree.node_ids):
                row[f"{nid} {names[nid]}"] = round(float(result.scores[t, i, k]), 2)
            rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["year", "rank"]).reset_index(drop=True)


TABLE_FORMATS = (".xlsx", ".csv")
"""What a results file may be: an .xlsx with a sheet per table, or CSV files (one per table)."""


def check_out(path: str | Path, formats: tuple[str, ...] = TABLE_FORMATS) -> Path:
    """Refuse an output name whose extension is not one of ``formats`` before anything is computed
    (never write an .xlsx under another name)."""
    path = Path(path)
    if path.suffix.lower() not in formats:
        raise ParameterError(message("index.out_format", suffix=path.suffix or path.name,
                                     options=", ".join(formats)))
    return path


def write_results(path: str | Path, result: IndexResult, report: Report | None = None,
                  locale: str = "zh-Hans") -> Path:
    """Write every table: .xlsx (sheets 指数, 区域对比, 目标, 数据检查) or .csv (指数 at ``path``, each
    other table beside it as ``<stem>.<name>.csv``). Returns ``path``."""
    path = check_out(path)
    table = results_frame(result, locale)
    zones = outputs.zone_summary(result.total, result.panel.regions, result.panel.years).round(2)
    targets = outputs.target_gaps(result.total, result.panel.regions, result.panel.years, result.definition.targets)
    frames = {"指数": table, "区域对比": zones, "目标": targets.round(2)}
    if result.definition.unit != "region":  # east/central/west means are a comparison of regions only
        del frames["区域对比"]
    if report is not None:
        frames["数据检查"] = report.table.round(3)
    write_tables(path, frames, csv_all=True)
    return path


def write_frames(path: str | Path, frames: dict[str, pd.DataFrame]) -> Path:
    """Write named tables: sheets of an .xlsx, or CSV files — the first table at ``path``, every
    other one beside it as ``<stem>.<name>.csv`` (nothing computed is dropped). Returns ``path``."""
    path = check_out(path)
    write_tables(path, frames, csv_all=True)
    return path


def written(path: Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """The files :func:`write_frames` writes for ``frames`` at ``path``."""
    if path.suffix.lower() != ".csv":
        return [path]
    return [path] + [path.with_name(f"{path.stem}.{name}.csv") for name in list(frames)[1:]]


def write_parquet(path: str | Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Write tables as Parquet (through DuckDB, already a dependency): the first at ``path``, every
    other one beside it as ``<stem>.<name>.parquet``. For per-run outputs an analyst plots."""
    import duckdb

    path = check_out(path, (".parquet",))
    written = []
    for k, (name, frame) in enumerate(frames.items()):
        target = path if k == 0 else path.with_name(f"{path.stem}.{name}.parquet")
        with atomic_write(target) as tmp, duckdb.connect() as con:
            con.register("frame", frame)
            con.execute(f"COPY frame TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
        written.append(target)
    return written
