"""Indicator data by region and year: reading yearbook-shaped files into a panel.

Two shapes are accepted, as statistical yearbooks publish them:
- **long**: one row per value, columns ``region, year, indicator, value``;
- **wide**: an xlsx with one sheet per year (the sheet name is the year), one row per region
  (column ``region``), one column per indicator id.

Regions are GB/T 2260 codes (6 digits; province, city or county). Units of another kind (a
definition's ``unit``: park, industry, enterprise group) have any non-empty code and need a
``name`` column, since no code table names them. Every bad cell is reported with sheet, row,
column, value and reason, and nothing is returned unless all are good.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
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
    names: dict[str, str] = field(default_factory=dict)
    """Unit code → name, from the files' ``name`` column (required for units other than regions)."""

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


def zones(codes: list[str], unit: str = "region") -> np.ndarray:
    """The east/central/west zone of every region ("" where unknown); units that are not regions
    have no zone, so a group mean is the mean over all units."""
    return np.array([(zone_of(c) if unit == "region" else None) or "" for c in codes])


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


def _sheets(path: Path, limits: Limits | None) -> dict[str, list[list[Any]] | pd.DataFrame]:
    if check_file(path, limits) == "csv":  # bounded before any parser sees it
        try:
            # header=None: the first line sets the width, so a line with more fields is an error (with a
            # header row pandas would silently take the first column of a longer first line as an index)
            frame = pd.read_csv(path, header=None, dtype=object, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise AnswerFileError([AnswerError.of(0, "", path.name, "data.unreadable_csv", detail=str(exc)[:200])]) \
                from exc
        frame = frame.iloc[1:].set_axis(list(frame.iloc[0]), axis=1).reset_index(drop=True)
        return {path.stem: frame}  # kept a frame: the long reader works on columns
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise AnswerFileError([AnswerError.of(0, "", path.name, "file.unreadable", detail=str(exc)[:200])]) from exc


def read_panel(path: str | Path, indicators: list[str], limits: Limits | None = None,
               unit: str = "region") -> Panel:
    """Read a long or wide indicator file for the given indicator ids (the file is first checked
    against ``limits``, see :mod:`ronghe.core.io.guard`). ``unit``: the definition's unit kind —
    a region is a 6-digit code; any other unit a non-empty code with a non-empty ``name``."""
    path = Path(path)
    sheets = _sheets(path, limits)
    header, _ = _frame(next(iter(sheets.values())))
    if set(LONG_FIELDS) <= set(header):
        return _read_long(sheets, indicators, unit)
    return _read_wide({name: _rows(rows) for name, rows in sheets.items()}, indicators, unit)


def _rows(rows: list[list[Any]] | pd.DataFrame) -> list[list[Any]]:
    if isinstance(rows, pd.DataFrame):
        return [list(rows.columns), *rows.to_numpy().tolist()]
    return rows


def read_panels(paths: list[str | Path], indicators: list[str], limits: Limits | None = None,
                unit: str = "region") -> Panel:
    """Read and merge several indicator files (e.g. yearbook statistics and enterprise-derived
    indicators); the same region, year and indicator in two files is an error. The faults of every
    file are reported together; a unit's name is the first file's that gives one."""
    if len(paths) == 1:
        return read_panel(paths[0], indicators, limits, unit)
    records: dict[tuple[int, str, str], float] = {}
    origin: dict[tuple[int, str, str], str] = {}
    errors: list[AnswerError] = []
    panels = []
    for path in paths:
        try:
            panels.append((path, read_panel(path, indicators, limits, unit)))
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
    merged = _assemble(records, indicators)
    for _, panel in reversed(panels):
        merged.names.update(panel.names)
    return merged


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


LONG_FIELDS = ("region", "year", "indicator", "value")


def _frame(rows: list[list[Any]] | pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """A sheet as (lower-cased header, body frame); a CSV arrives as a frame already."""
    if isinstance(rows, pd.DataFrame):
        return [str(c).strip().lower() for c in rows.columns], rows.reset_index(drop=True)
    header = [str(c).strip().lower() for c in rows[0]] if rows else []
    body = pd.DataFrame(rows[1:], dtype=object) if len(rows) > 1 else pd.DataFrame(dtype=object)
    return header, body


def _per_distinct(s: pd.Series, f: Any) -> list[np.ndarray]:
    """The parts of ``f(cell)`` (a tuple) for every cell, computed once per distinct value (a column
    of 900,000 region codes holds a few thousand), so the cell-by-cell rules stay exactly those of
    :func:`_code` and :func:`_number` at the cost of hashing the column."""
    index, distinct = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=False)
    results = [f(v) for v in distinct]
    return [np.array([r[j] for r in results], dtype=object)[index] for j in range(len(results[0]))] if results \
        else [np.array([], dtype=object)] * 2


def _region_cell(v: Any) -> tuple[str | None, bool]:
    code = _code(v)
    return code, code is not None and bool(CODE.match(code))


def _unit_cell(v: Any) -> tuple[str | None, bool]:
    """A unit that is not a region: any non-empty code."""
    code = _code(v)
    return code, bool(code)


def _name_cell(v: Any) -> tuple[str, bool]:
    name = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
    return name, bool(name)


def _year_cell(v: Any) -> tuple[float, bool]:
    y = _number(v)
    return (np.nan, False) if y is None else (y, not np.isnan(y) and y.is_integer() and 1949 <= y <= 2200)


def _numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, invalid) of a column, cell by cell as :func:`_number` says: NaN for an empty cell,
    ``invalid`` where a cell is not a finite number. The column is parsed in one vectorised pass;
    only the cells it leaves unread (empty cells, thousands separators, the faults) go through
    :func:`_number`."""
    cells = s.to_numpy(dtype=object)
    values = np.array(pd.to_numeric(s, errors="coerce").to_numpy(np.float64, na_value=np.nan))
    redo = ~np.isfinite(values)
    if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "floating", "integer", "mixed-integer-float"):
        redo |= np.fromiter((isinstance(c, bool) for c in cells), bool, len(cells))  # True is not the number 1
    invalid = np.zeros(len(s), dtype=bool)
    for i in np.flatnonzero(redo):
        x = _number(cells[i])
        if x is None:
            invalid[i] = True
        else:
            values[i] = x
    return values, invalid


def _read_long(sheets: dict[str, list[list[Any]] | pd.DataFrame], indicators: list[str],
               unit: str = "region") -> Panel:
    """A long file (one value per row) in column operations over all rows at once (a 900,000-row
    CSV in about a second, see docs/benchmarks.md). Every field of every row is checked, so one
    run reports every fault, in the order of the file: sheet, row, then region, year, indicator,
    value; a value given twice names the row where it was first given."""
    parts, lacking = [], []
    named = unit != "region"
    required = (*LONG_FIELDS, "name") if named else LONG_FIELDS
    for position, rows in enumerate(sheets.values()):
        header, body = _frame(rows)
        if body.empty:
            continue
        empty = body.eq("")
        if not isinstance(rows, pd.DataFrame):  # a CSV frame has no missing cells, only empty text
            empty |= body.isna()
        blank = empty.all(axis=1).to_numpy()
        missing = [name for name in required if name not in header]
        if missing:  # a later sheet of a long workbook without the columns of the first
            sheet = list(sheets)[position]
            lacking.extend(AnswerError.of(1, name, None, "data.name_column" if name == "name" else
                                          "data.long_column", sheet, field=name) for name in missing)
            continue
        fields = {name: body.iloc[:, header.index(name)] for name in required}
        part = pd.DataFrame({"sheet_pos": position, "row": np.arange(2, len(body) + 2), **fields})
        parts.append(part[~blank])
    if lacking:
        raise AnswerFileError(lacking)
    if not parts:
        raise AnswerFileError([AnswerError.of(0, "", None, "data.empty")])
    frame = pd.concat(parts, ignore_index=True)
    sheet_of = np.array(list(sheets))[frame.sheet_pos.to_numpy()] if len(frame) else np.array([], dtype=object)
    codes, code_ok = _per_distinct(frame.region, _unit_cell if named else _region_cell)
    unit_names, name_ok = _per_distinct(frame["name"], _name_cell) if named else (None, np.ones(len(frame), bool))
    name_ok = name_ok.astype(bool)
    years, year_ok = _per_distinct(frame.year, _year_cell)
    known = set(indicators)
    names, ind_ok = _per_distinct(frame.indicator, lambda v: (name := str(v).strip(), name in known))
    code_ok, year_ok, ind_ok = code_ok.astype(bool), year_ok.astype(bool), ind_ok.astype(bool)
    values, value_bad = _numbers(frame.value)
    faults: list[tuple[int, int, AnswerError]] = []
    rows = frame.row.to_numpy()
    for field_pos, (ok, name, code, cells) in enumerate([
            (code_ok, "region", "data.unit_code" if named else "row.region", frame.region.to_numpy()),
            (year_ok, "year", "data.year", frame.year.to_numpy()),
            (ind_ok, "indicator", "data.indicator", names),
            (~value_bad, "value", "data.value", frame.value.to_numpy()),
            (name_ok, "name", "data.name", frame["name"].to_numpy() if named else None)]):
        for i in np.flatnonzero(~ok):
            faults.append((i, field_pos, AnswerError.of(int(rows[i]), name, cells[i], code, str(sheet_of[i]))))
    good = np.flatnonzero(code_ok & year_ok & ind_ok & ~value_bad & name_ok)
    keys = pd.DataFrame({"year": years[good].astype(np.float64).astype(np.int64), "region": codes[good],
                         "indicator": names[good]})
    again = keys.duplicated(keep="first").to_numpy()
    if again.any():
        first_row = pd.Series(rows[good]).groupby([keys.year, keys.region, keys.indicator], sort=False) \
            .transform("first").to_numpy()
        for j in np.flatnonzero(again):
            i = good[j]
            faults.append((i, 3, AnswerError.of(int(rows[i]), "value", frame.value.iat[i], "data.duplicate_value",
                                                str(sheet_of[i]), first=int(first_row[j]))))
    if faults:
        faults.sort(key=lambda f: (f[0], f[1]))
        raise AnswerFileError([f[2] for f in faults])
    panel = _assemble_arrays(keys.year.to_numpy(), keys.region.to_numpy(), keys.indicator.to_numpy(), values[good],
                             indicators)
    if named:  # the first name given for each code
        panel.names = dict(zip(codes[good][::-1], unit_names[good][::-1], strict=True))
    return panel


def _read_wide(sheets: dict[str, list[list[Any]]], indicators: list[str], unit: str = "region") -> Panel:
    errors: list[AnswerError] = []
    records: dict[tuple[int, str, str], float] = {}
    names: dict[str, str] = {}
    known = set(indicators)
    named = unit != "region"
    for sheet, rows in sheets.items():
        if not re.fullmatch(r"\d{4}", sheet.strip()):
            errors.append(AnswerError.of(0, "", sheet, "data.sheet_year", sheet))
            continue
        year = int(sheet)
        header = [str(c).strip() for c in rows[0]] if rows else []
        if "region" not in header:
            errors.append(AnswerError.of(1, "region", None, "data.region_column", sheet))
            continue
        if named and "name" not in header:
            errors.append(AnswerError.of(1, "name", None, "data.name_column", sheet))
            continue
        for name in header:
            if name and name != "region" and name not in known and name != "name":
                errors.append(AnswerError.of(1, name, name, "data.indicator", sheet))
        rcol = header.index("region")
        seen: dict[str, int] = {}
        for i, row in enumerate(rows[1:], start=2):
            if all(c in (None, "") for c in row):
                continue
            code, ok = (_unit_cell if named else _region_cell)(row[rcol])
            if not ok:
                errors.append(AnswerError.of(i, "region", row[rcol], "data.unit_code" if named else "row.region",
                                             sheet))
                continue
            if named:
                cell = row[header.index("name")] if header.index("name") < len(row) else None
                name, ok = _name_cell(cell)
                if not ok:
                    errors.append(AnswerError.of(i, "name", cell, "data.name", sheet))
                    continue
                names.setdefault(code, name)
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
    panel = _assemble(records, indicators)
    panel.names = names
    return panel


def _assemble(records: dict[tuple[int, str, str], float], indicators: list[str]) -> Panel:
    if not records:
        raise AnswerFileError([AnswerError.of(0, "", None, "data.empty")])
    years, regions, names = zip(*records, strict=True)
    return _assemble_arrays(np.array(years, dtype=np.int64), np.array(regions, dtype=object),
                            np.array(names, dtype=object), np.fromiter(records.values(), np.float64, len(records)),
                            indicators)


def _assemble_arrays(years: np.ndarray, regions: np.ndarray, names: np.ndarray, values: np.ndarray,
                     indicators: list[str]) -> Panel:
    """The panel of distinct (year, region, indicator) values, years and regions sorted."""
    if not len(values):
        raise AnswerFileError([AnswerError.of(0, "", None, "data.empty")])
    year_list, t = np.unique(years, return_inverse=True)
    region_idx, region_uniq = pd.factorize(regions)
    region_uniq = np.asarray(region_uniq, dtype=object)
    order = np.argsort(region_uniq.astype(str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    k = pd.Index(indicators).get_indexer(names)
    X = np.full((len(year_list), len(region_uniq), len(indicators)), np.nan)
    X[t, rank[region_idx], k] = values
    return Panel([int(y) for y in year_list], [str(r) for r in region_uniq[order]],
                 list(indicators), X)
