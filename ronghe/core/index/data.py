"""Indicator data by region and year: reading yearbook-shaped files into a panel.

Two shapes are accepted, as statistical yearbooks publish them:
- **long**: one row per value, columns ``region, year, indicator, value``;
- **wide**: an xlsx with one sheet per year (the sheet name is the year), one row per region
  (column ``region``), one column per indicator id.

Regions are GB/T 2260 codes (6 digits; province, city or county). Every bad cell is reported
with sheet, row, column, value and reason, and nothing is returned unless all are good.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.core.io.guard import Limits, check_file

CODE = re.compile(r"^\d{6}$")


@dataclass
class Panel:
    """Values ``X[t, r, k]`` for ``years[t]``, ``regions[r]`` (codes), ``indicators[k]``; NaN = missing."""

    years: list[int]
    regions: list[str]
    indicators: list[str]
    X: np.ndarray

    def year_index(self, year: int) -> int:
        if year not in self.years:
            raise KeyError(f"no data for {year} (years: {', '.join(map(str, self.years))})")
        return self.years.index(year)

    def long(self) -> pd.DataFrame:
        t, r, k = np.indices(self.X.shape)
        return pd.DataFrame({"region": np.array(self.regions)[r.ravel()], "year": np.array(self.years)[t.ravel()],
                             "indicator": np.array(self.indicators)[k.ravel()], "value": self.X.ravel()})


@lru_cache(maxsize=1)
def provinces() -> dict[str, dict[str, Any]]:
    """Province code → {name, zone} from ronghe/data/codes/provinces.yaml."""
    path = Path(str(resources.files("ronghe") / "data" / "codes" / "provinces.yaml"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {p["code"]: p for p in doc["provinces"]}


def province_of(code: str) -> str:
    return code[:2] + "0000"


def zone_of(code: str) -> str | None:
    p = provinces().get(province_of(code))
    return p["zone"] if p else None


def region_name(code: str, locale: str = "zh-Hans") -> str:
    p = provinces().get(code)
    if p is None:
        return code
    return p["name"]["en"] if locale.startswith("en") else p["name"]["zh-Hans"]


def _code(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _sheets(path: Path, limits: Limits | None) -> dict[str, list[list[Any]]]:
    if check_file(path, limits) == "csv":  # bounded before any parser sees it
        try:
            frame = pd.read_csv(path, dtype=object, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise AnswerFileError([AnswerError.of(0, "", path.name, "data.unreadable_csv", detail=str(exc)[:200])]) \
                from exc
        return {path.stem: [list(frame.columns), *frame.to_numpy().tolist()]}
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise AnswerFileError([AnswerError.of(0, "", path.name, "file.unreadable", detail=str(exc)[:200])]) from exc


def read_panel(path: str | Path, indicators: list[str], limits: Limits | None = None) -> Panel:
    """Read a long or wide indicator file for the given indicator ids (the file is first checked
    against ``limits``, see :mod:`ronghe.core.io.guard`)."""
    path = Path(path)
    sheets = _sheets(path, limits)
    first = next(iter(sheets.values()))
    header = [str(c).strip().lower() for c in first[0]] if first else []
    if {"region", "year", "indicator", "value"} <= set(header):
        return _read_long(sheets, indicators)
    return _read_wide(sheets, indicators)


def read_panels(paths: list[str | Path], indicators: list[str], limits: Limits | None = None) -> Panel:
    """Read and merge several indicator files (e.g. yearbook statistics and enterprise-derived
    indicators); the same region, year and indicator in two files is an error. The faults of every
    file are reported together."""
    if len(paths) == 1:
        return read_panel(paths[0], indicators, limits)
    records: dict[tuple[int, str, str], float] = {}
    origin: dict[tuple[int, str, str], str] = {}
    errors: list[AnswerError] = []
    panels = []
    for path in paths:
        try:
            panels.append((path, read_panel(path, indicators, limits)))
        except AnswerFileError as exc:
            errors.extend(e if e.sheet else AnswerError(e.row, e.column, e.value, e.reason, Path(path).name, e.code)
                          for e in exc.errors)
    if errors:
        raise AnswerFileError(errors)
    for path, panel in panels:
        long = panel.long().dropna(subset=["value"])
        for region, year, ind, value in long.itertuples(index=False, name=None):
            key = (int(year), region, ind)
            if key in records:
                errors.append(AnswerError.of(0, ind, value, "data.twice", Path(path).name, region=region, year=year,
                                             file=origin[key]))
            records[key], origin[key] = value, Path(path).name
    if errors:
        raise AnswerFileError(errors)
    return _assemble(records, indicators)


def _number(v: Any) -> float | None:
    """A cell as a number: NaN for an empty cell, None for anything that is not a finite number
    (text, ``inf``, ``1e999``, the text ``nan``)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return np.nan
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        x = float(v)
    else:
        try:
            x = float(str(v).replace(",", "").strip())
        except ValueError:
            return None
    return x if math.isfinite(x) or (isinstance(v, float) and math.isnan(v)) else None


def _read_long(sheets: dict[str, list[list[Any]]], indicators: list[str]) -> Panel:
    errors: list[AnswerError] = []
    records: dict[tuple[int, str, str], tuple[float, int]] = {}
    known = set(indicators)
    for sheet, rows in sheets.items():
        header = [str(c).strip().lower() for c in rows[0]]
        col = {name: header.index(name) for name in ("region", "year", "indicator", "value") if name in header}
        for i, row in enumerate(rows[1:], start=2):
            if all(c in (None, "") for c in row):
                continue
            region, year, ind, raw = (row[col[n]] if n in col and col[n] < len(row) else None
                                      for n in ("region", "year", "indicator", "value"))
            faults = len(errors)  # every field of the row is checked, so one run reports every fault
            code = _code(region)
            if code is None or not CODE.match(code):
                errors.append(AnswerError.of(i, "region", region, "row.region", sheet))
            y = _number(year)
            if y is None or np.isnan(y) or not y.is_integer() or not 1949 <= y <= 2200:
                errors.append(AnswerError.of(i, "year", year, "data.year", sheet))
            ind = str(ind).strip()
            if ind not in known:
                errors.append(AnswerError.of(i, "indicator", ind, "data.indicator", sheet))
            value = _number(raw)
            if value is None:
                errors.append(AnswerError.of(i, "value", raw, "data.value", sheet))
            if len(errors) > faults:
                continue
            key = (int(y), code, ind)
            if key in records:
                errors.append(AnswerError.of(i, "value", raw, "data.duplicate_value", sheet, first=records[key][1]))
                continue
            records[key] = (value, i)
    if errors:
        raise AnswerFileError(errors)
    return _assemble({k: v for k, (v, _) in records.items()}, indicators)


def _read_wide(sheets: dict[str, list[list[Any]]], indicators: list[str]) -> Panel:
    errors: list[AnswerError] = []
    records: dict[tuple[int, str, str], float] = {}
    known = set(indicators)
    for sheet, rows in sheets.items():
        if not re.fullmatch(r"\d{4}", sheet.strip()):
            errors.append(AnswerError.of(0, "", sheet, "data.sheet_year", sheet))
            continue
        year = int(sheet)
        header = [str(c).strip() for c in rows[0]] if rows else []
        if "region" not in header:
            errors.append(AnswerError.of(1, "region", None, "data.region_column", sheet))
            continue
        for name in header:
            if name and name != "region" and name not in known and name != "name":
                errors.append(AnswerError.of(1, name, name, "data.indicator", sheet))
        rcol = header.index("region")
        seen: dict[str, int] = {}
        for i, row in enumerate(rows[1:], start=2):
            if all(c in (None, "") for c in row):
                continue
            code = _code(row[rcol])
            if code is None or not CODE.match(code):
                errors.append(AnswerError.of(i, "region", row[rcol], "row.region", sheet))
                continue
            if code in seen:
                errors.append(AnswerError.of(i, "region", code, "data.duplicate_region", sheet, first=seen[code]))
                continue
            seen[code] = i
            for k, name in enumerate(header):
                if name not in known or k >= len(row):
                    continue
                value = _number(row[k])
                if value is None:
                    errors.append(AnswerError.of(i, name, row[k], "data.number", sheet))
                else:
                    records[(year, code, name)] = value
    if errors:
        raise AnswerFileError(errors)
    return _assemble(records, indicators)


def _assemble(records: dict[tuple[int, str, str], float], indicators: list[str]) -> Panel:
    if not records:
        raise AnswerFileError([AnswerError.of(0, "", None, "data.empty")])
    years = sorted({y for y, _, _ in records})
    regions = sorted({r for _, r, _ in records})
    yi = {y: t for t, y in enumerate(years)}
    ri = {r: i for i, r in enumerate(regions)}
    ki = {k: j for j, k in enumerate(indicators)}
    X = np.full((len(years), len(regions), len(indicators)), np.nan)
    keys = np.array([(yi[y], ri[r], ki[k]) for y, r, k in records])
    X[keys[:, 0], keys[:, 1], keys[:, 2]] = list(records.values())
    return Panel(years, regions, list(indicators), X)
