"""Writing tables to .xlsx and .csv so that every cell stays the text or number it is.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read
as a formula by Excel, WPS and LibreOffice. Enterprise names, notes and answers come from users,
so an export must never let such text run ("CSV injection"). In .xlsx the cell is written as a
string cell, which no spreadsheet evaluates, and keeps its exact text; a CSV has no cell types,
so the text gets a leading apostrophe, the convention spreadsheets use for "this is text".
Numbers, negative ones included, are written as numbers.

Every file is written to a temporary name and moved into place, so a failure leaves nothing.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula if it were typed into a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """``value`` for a CSV cell: formula-like text gets a leading apostrophe, the rest is unchanged."""
    return "'" + value if is_formula_like(value) else value


def plain(value: Any) -> Any:
    """A cell value openpyxl can write: NumPy scalars as Python numbers, NaN and NA as empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def xlsx_row(ws, values: Iterable[Any]) -> list[Any]:
    """One row for a write-only sheet: formula-like text as explicit string cells, the rest as is."""
    row = []
    for v in values:
        v = plain(v)
        if is_formula_like(v):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"  # a string cell: shown as the text it is, never evaluated
            row.append(cell)
        else:
            row.append(v if isinstance(v, str | int | float | bool) or v is None else str(v))
    return row


def append_rows(ws, rows: Iterable[Sequence[Any]]) -> None:
    for values in rows:
        ws.append(xlsx_row(ws, values))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` fit for CSV: formula-like text (cells and headers) prefixed with an apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(csv_text)
    out.columns = [csv_text(str(c)) for c in out.columns]
    return out


def write_tables(path: str | Path, frames: dict[str, pd.DataFrame], *, csv_all: bool = False) -> list[Path]:
    """Write named tables: each a sheet of an .xlsx, or for .csv the first table at ``path`` and (with
    ``csv_all``) every other one beside it as ``<stem>.<name>.csv``. Returns the files written."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        written = []
        for k, (name, frame) in enumerate(frames.items()):
            if k and not csv_all:
                break
            target = path if k == 0 else path.with_name(f"{path.stem}.{name}.csv")
            with atomic_write(target) as tmp:
                safe_frame(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
            written.append(target)
        return written
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path.name}: tables are written as .xlsx or .csv")
    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        ws = wb.create_sheet(name[:31])
        ws.append(xlsx_row(ws, [str(c) for c in frame.columns]))
        append_rows(ws, frame.itertuples(index=False, name=None))
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return [path]
