"""Answer files in and result files out: xlsx (any writer: Excel, LibreOffice, WPS, openpyxl) and CSV.

An answers file has one row per enterprise: identity columns (``enterprise`` required,
``credit_code`` and ``year`` optional) and one column per item id. The template written by
:func:`write_template` adds a second header row of human labels, drop-downs for choice items and
an item-definition sheet; :func:`read_answers` accepts files with or without that row.

:func:`score_file` is the one path from a file to scores, shared by the CLI and the web import:
read → validate every cell → score. Structural faults (unknown or duplicate columns, missing
enterprise names, duplicate enterprise/year rows) and bad cells are all collected into one
:class:`~ronghe.core.errors.AnswerFileError`; nothing is scored unless ``skip_invalid``.
Outputs are written to a temporary file and renamed into place, so a failed run leaves nothing.
"""

from __future__ import annotations

import csv
import datetime
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ronghe.core.codes import SIZE_BANDS, industries
from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.core.frameworks.outline import describe_condition, refer_by_number
from ronghe.core.io.guard import Limits, check_file
from ronghe.core.io.tables import append_rows, atomic_write, is_formula_like, write_tables, xlsx_row
from ronghe.core.messages import message
from ronghe.core.scoring import Scores, score
from ronghe.core.scoring.answers import encode
from ronghe.core.scoring.diagnosis import diagnose

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled

ANSWER_SHEET = "答卷"
ITEM_SHEET = "题目说明"
IDENTITY = ("enterprise", "credit_code", "region", "industry", "size", "year")
"""Identity columns a file may hold. ``industry`` (GB/T 4754 division) and ``size`` (size band) are
optional and not in the template: they place each row in its peer groups for ``ronghe assess
benchmark`` and pass through to the results file."""
TEMPLATE_IDENTITY = ("enterprise", "credit_code", "region", "year")
IDENTITY_LABELS = {"enterprise": ("企业名称", "Enterprise"), "credit_code": ("统一社会信用代码", "Credit code"),
                   "region": ("行政区划代码", "Region code"), "industry": ("行业代码", "Industry code"),
                   "size": ("规模", "Size band"), "year": ("年度", "Year")}
YES_NO = ("是", "否")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass
class AnswerTable:
    """Raw answers read from a file: identity columns, item columns, the user's row numbers."""

    ids: pd.DataFrame
    frame: pd.DataFrame
    rows: list[int]
    sheet: str | None = None


@dataclass
class ScoredFile:
    """The outcome of scoring a file: identity of the scored rows, their scores, every error."""

    ids: pd.DataFrame
    scores: Scores
    rows: list[int]
    errors: list[AnswerError] = field(default_factory=list)
    skipped: int = 0
    """Rows left out because they had errors (only with ``skip_invalid``)."""


# --------------------------------------------------------------------------- reading
def _read_rows(path: Path, sheet: str | None, limits: Limits | None) -> tuple[list[list[Any]], str | None]:
    kind = check_file(path, limits)  # bounded before any parser sees it
    if kind == "csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                with path.open(encoding=encoding, newline="") as fh:
                    return [list(r) for r in csv.reader(fh)], None
            except UnicodeDecodeError:
                continue
        raise AnswerFileError([AnswerError.of(0, "", path.name, "csv.encoding")])
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise AnswerFileError([AnswerError.of(0, "", path.name, "file.unreadable", detail=str(exc)[:200])]) from exc
    names = wb.sheet_names
    if sheet is None:
        sheet = ANSWER_SHEET if ANSWER_SHEET in names else names[0]
    elif sheet not in names:
        raise AnswerFileError([AnswerError.of(0, "", sheet, "file.no_sheet", sheet=sheet, names=", ".join(names))])
    return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False), sheet


def read_answers(path: str | Path, compiled: Compiled, *, sheet: str | None = None, limits: Limits | None = None,
                 this_year: int | None = None) -> AnswerTable:
    """Read an answers file; raise :class:`AnswerFileError` for structural faults.

    The file is first checked against ``limits`` (:mod:`ronghe.core.io.guard`). When the file has
    faults in its identity columns (names, regions, years, duplicates), the answer cells are checked
    too, so that one run reports every fault. Years must lie in the framework's ``years`` and not
    after ``this_year`` + 1 (default: the current calendar year).
    """
    path = Path(path)
    raw, sheet = _read_rows(path, sheet, limits)
    known = set(compiled.item_ids) | set(IDENTITY)
    header_at = next(
        (i for i, r in enumerate(raw[:10]) if sum(str(c).strip() in known for c in r if c is not None) >= 1), None
    )
    if header_at is None:
        raise AnswerFileError([AnswerError.of(1, "", None, "file.no_header", sheet)])
    header = [str(c).strip() if c not in (None, "") else "" for c in raw[header_at]]
    errors: list[AnswerError] = []
    hdr_row = header_at + 1
    seen: dict[str, int] = {}
    for k, name in enumerate(header):
        if not name:
            continue
        letter = get_column_letter(k + 1)
        if name in seen:
            errors.append(AnswerError.of(hdr_row, name, name, "file.duplicate_column", sheet,
                                         other=get_column_letter(seen[name] + 1)))
        elif name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint = message("file.unknown_column_hint", name=close[0]) if close else ""
            errors.append(AnswerError.of(hdr_row, name, name, "file.unknown_column", sheet, letter=letter,
                                         framework=compiled.framework.name_slug, hint=hint))
        seen.setdefault(name, k)
    if "enterprise" not in seen:
        errors.append(AnswerError.of(hdr_row, "enterprise", None, "file.no_enterprise_column", sheet))
        raise AnswerFileError(errors)

    body_start = header_at + 1
    if body_start < len(raw):
        first = raw[body_start][seen["enterprise"]] if seen["enterprise"] < len(raw[body_start]) else None
        if str(first).strip() in {v for pair in IDENTITY_LABELS.values() for v in pair}:
            body_start += 1  # the template's human-label row
    width = len(header)
    body = pd.DataFrame(raw[body_start:], dtype=object)
    body = body.reindex(columns=range(width))
    for k in body.columns:  # strip text cells; empty text is no answer
        col = body[k]
        if pd.api.types.infer_dtype(col, skipna=True) not in {"string", "mixed", "mixed-integer"}:
            continue  # no text in this column (numbers, dates, empty)
        stripped = col.str.strip()  # NaN for cells that are not text
        is_text = stripped.notna().to_numpy()
        if is_text.any():
            body.loc[is_text, k] = stripped[is_text].where(stripped[is_text] != "", None)
    keep = ~body.isna().all(axis=1).to_numpy()
    if not keep.any():
        raise AnswerFileError([AnswerError.of(body_start + 1, "", None, "file.no_rows", sheet)])
    rows = (np.flatnonzero(keep) + body_start + 1).tolist()
    body = body[keep].reset_index(drop=True)
    table = pd.DataFrame({name: body[k] for name, k in seen.items() if name in known}, dtype=object)

    ent = table["enterprise"]
    for pos in np.flatnonzero(ent.isna().to_numpy()):
        errors.append(AnswerError.of(rows[pos], "enterprise", None, "row.enterprise_empty", sheet))
    if "region" in table:
        codes = table["region"].map(lambda v: None if v is None else (str(int(v)) if isinstance(v, float) else str(v)))
        table["region"] = codes
        bad_code = codes.notna() & ~codes.fillna("").str.fullmatch(r"\d{6}")
        for pos in np.flatnonzero(bad_code.to_numpy()):
            errors.append(AnswerError.of(rows[pos], "region", codes.iat[pos], "row.region", sheet))
    if "industry" in table:
        table["industry"] = table["industry"].map(industry_code)
        known_codes = list(industries())
        for pos in np.flatnonzero((table["industry"].notna() & ~table["industry"].isin(known_codes)).to_numpy()):
            errors.append(AnswerError.of(rows[pos], "industry", table["industry"].iat[pos], "row.industry", sheet))
    if "size" in table:
        for pos in np.flatnonzero((table["size"].notna() & ~table["size"].isin(SIZE_BANDS)).to_numpy()):
            errors.append(AnswerError.of(rows[pos], "size", table["size"].iat[pos], "row.size", sheet,
                                         bands=", ".join(SIZE_BANDS)))
    if "year" in table:
        years = pd.to_numeric(table["year"], errors="coerce")
        for pos in np.flatnonzero((years.isna() & table["year"].notna()).to_numpy()):
            errors.append(AnswerError.of(rows[pos], "year", table["year"].iat[pos], "row.year_number", sheet))
        first, last = year_range(compiled, this_year)
        outside = years.notna() & ((years < first) | (years > last) | (years != years.round()))
        for pos in np.flatnonzero(outside.to_numpy()):
            errors.append(AnswerError.of(rows[pos], "year", table["year"].iat[pos], "row.year_range", sheet,
                                         first=first, last=last))
    key_parts = [table[c].astype(object).where(table[c].notna(), "").map(str) for c in ("enterprise", "year")
                 if c in table]
    key = key_parts[0] if len(key_parts) == 1 else key_parts[0] + "|" + key_parts[1]
    dup = key.duplicated(keep="first") & ent.notna()
    first_row = dict(zip(key[~key.duplicated()], [rows[p] for p in np.flatnonzero(~key.duplicated().to_numpy())],
                         strict=True))
    for pos in np.flatnonzero(dup.to_numpy()):
        errors.append(AnswerError.of(rows[pos], "enterprise", ent.iat[pos],
                                     "row.duplicate_year" if "year" in table else "row.duplicate", sheet,
                                     first=first_row[key.iat[pos]]))
    if errors:  # report the answer cells' faults in the same run
        items_only = table[[c for c in table.columns if c not in IDENTITY]]
        errors.extend(encode(compiled, items_only, rows=rows, sheet=sheet).errors)
    if errors:
        raise AnswerFileError(sorted(errors, key=lambda e: (e.row, e.column)))
    id_cols = [c for c in IDENTITY if c in table]
    items = [c for c in table.columns if c not in IDENTITY]
    return AnswerTable(ids=table[id_cols].reset_index(drop=True), frame=table[items].reset_index(drop=True),
                       rows=rows, sheet=sheet)


def industry_code(value: Any) -> str | None:
    """A GB/T 4754 code as text: 34 or 34.0 → "34", 6 → "06", "c" → "C"; empty → None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:02d}"
    text = str(value).strip().upper()
    return (text.zfill(2) if text.isdigit() else text) or None


def year_range(compiled: Compiled, this_year: int | None = None) -> tuple[int, int]:
    """The reference years an assessment may have: the framework's ``years``, and not after next year."""
    first, last = compiled.framework.years
    this_year = this_year or datetime.date.today().year
    return first, min(last, this_year + 1)


def score_table(table: AnswerTable, compiled: Compiled, *, skip_invalid: bool = False,
                progress: Callable[[int, int], None] | None = None, chunk: int = 50_000) -> ScoredFile:
    """Validate and score an :class:`AnswerTable` (see :func:`score_file`)."""
    n = len(table.frame)
    encoded_parts, errors = [], []
    for start in range(0, n, chunk):
        part = table.frame.iloc[start : start + chunk]
        enc = encode(compiled, part, rows=table.rows[start : start + chunk], sheet=table.sheet)
        encoded_parts.append(enc)
        errors.extend(enc.errors)
        if progress:
            progress(min(start + chunk, n) // 2, n)
    if errors and not skip_invalid:
        raise AnswerFileError(errors)
    values = np.concatenate([e.values for e in encoded_parts])
    invalid = np.concatenate([e.invalid for e in encoded_parts])
    keep = ~invalid
    scores = score(compiled, values[keep])
    if progress:
        progress(n, n)
    return ScoredFile(ids=table.ids[keep].reset_index(drop=True), scores=scores,
                      rows=[r for r, k in zip(table.rows, keep, strict=True) if k], errors=errors,
                      skipped=int(invalid.sum()))


def score_file(path: str | Path, compiled: Compiled, *, skip_invalid: bool = False, sheet: str | None = None,
               progress: Callable[[int, int], None] | None = None, limits: Limits | None = None) -> ScoredFile:
    """Read, validate and score an answers file.

    Without ``skip_invalid`` any bad cell raises :class:`AnswerFileError` listing all of them;
    with it, the good rows are scored and ``errors`` lists the bad cells of the rows left out.
    ``progress(done, total)`` is called as rows are validated and scored.
    """
    return score_table(read_answers(path, compiled, sheet=sheet, limits=limits), compiled,
                       skip_invalid=skip_invalid, progress=progress)


# --------------------------------------------------------------------------- writing
def _label(text: Any, locale: str) -> str:
    return text.get(locale) if text is not None else ""


def _header(ws, labels: list[str], row: int = 1) -> None:
    for k, name in enumerate(labels, start=1):
        c = ws.cell(row=row, column=k, value=name)
        if is_formula_like(name):
            c.data_type = "s"
        c.font = Font(bold=True)
        c.fill = _HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")


def write_template(compiled: Compiled, path: str | Path, locale: str = "zh-Hans", rows: int = 500) -> Path:
    """An answers template: ids on row 1, labels on row 2, drop-downs and ranges on ``rows`` rows,
    and a sheet explaining every item."""
    path = Path(path)
    fw = compiled.framework
    en = locale.startswith("en")
    wb = Workbook()
    ws = wb.active
    ws.title = ANSWER_SHEET
    items = list(fw.items)
    ids = [*TEMPLATE_IDENTITY, *(i.id for i in items)]
    labels = [IDENTITY_LABELS[c][1 if en else 0] for c in TEMPLATE_IDENTITY]
    labels += [i.label.get(locale) + (f" ({i.unit})" if i.unit else "") for i in items]
    _header(ws, ids, 1)
    _header(ws, labels, 2)
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 22
    last = rows + 2
    for k, item in enumerate(items, start=len(TEMPLATE_IDENTITY) + 1):
        letter = get_column_letter(k)
        ws.column_dimensions[letter].width = 14
        prompt = item.label.get(locale)[:250]
        if item.type == "single":
            dv = DataValidation(type="list", formula1='"' + ",".join(o.id for o in item.options or []) + '"',
                                allow_blank=True, showErrorMessage=True)
            dv.error = ("Choose one of: " if en else "请选择：") + ", ".join(o.id for o in item.options or [])
        elif item.type == "yesno":
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True)
            dv.error = "是 / 否"
        elif item.type in {"number", "percent"}:
            lo = item.min if item.min is not None else -1e12
            hi = item.max if item.max is not None else 1e12
            dv = DataValidation(type="decimal", operator="between", formula1=str(lo), formula2=str(hi),
                                allow_blank=True, showErrorMessage=True)
            dv.error = f"{lo:g} – {hi:g} {item.unit or ''}"
        else:
            opts = ", ".join(o.id for o in item.options or [])
            dv = DataValidation(allow_blank=True)
            how = f"Several of {opts}, comma-separated, or 无" if en else f"可多选 {opts}，用逗号分隔；都没有填 无"
            prompt = f"{prompt}\n{how}"[:250]
        dv.promptTitle = item.id
        dv.prompt = prompt
        dv.showInputMessage = True
        dv.add(f"{letter}3:{letter}{last}")
        ws.add_data_validation(dv)

    info = wb.create_sheet(ITEM_SHEET)
    names = {n.id: n.name.get(locale) for n in fw.nodes}
    parents = {n.id: n.parent for n in fw.nodes}

    def path_of(nid: str | None) -> str:
        parts = []
        while nid is not None:
            parts.append(names[nid])
            nid = parents[nid]
        return " / ".join(reversed(parts))

    cols = (["id", "indicator", "type", "question", "options", "unit", "range", "definition", "how to answer",
             "asked when", "required"] if en else
            ["题号", "所属指标", "题型", "题目", "选项", "单位", "取值范围", "指标定义", "填报说明", "作答条件",
             "必答"])
    _header(info, cols)
    types = {"single": ("单选", "single choice"), "multi": ("多选", "multiple choice"), "number": ("数值", "number"),
             "percent": ("百分比", "percentage"), "yesno": ("是/否", "yes/no")}
    by_id = {i.id: i for i in items}
    by_label = {i.label.get(locale): i.id for i in items}
    for r, item in enumerate(items, start=2):
        rng = ""
        if item.type in {"number", "percent"}:
            rng = f"{'' if item.min is None else f'{item.min:g}'} – {'' if item.max is None else f'{item.max:g}'}"
        values = [item.id, path_of(item.parent), types[item.type][1 if en else 0], item.label.get(locale),
                  "; ".join(f"{o.id}={o.label.get(locale)}" for o in item.options or []) or
                  ("是; 否" if item.type == "yesno" else ""),
                  item.unit or "", rng, refer_by_number(_label(item.definition, locale), by_label),
                  refer_by_number(_label(item.help, locale), by_label),
                  describe_condition(item, by_id, locale) or "", ("yes" if en else "是") if item.required else
                  ("no" if en else "否")]
        for c, v in enumerate(values, start=1):
            cell = info.cell(row=r, column=c, value=v)
            if is_formula_like(v):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJK", (10, 28, 10, 40, 40, 10, 12, 40, 40, 20, 6), strict=True):
        info.column_dimensions[letter].width = width
    info.freeze_panes = "B2"
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path


def results_frame(scored: ScoredFile, compiled: Compiled, locale: str = "zh-Hans") -> pd.DataFrame:
    """The results table: identity, total, stage, every node and rate (headed ``id 名称``), diagnosis."""
    fw = compiled.framework
    table = scored.scores.frame(compiled, locale)
    rename = {n.id: f"{n.id} {n.name.get(locale)}" for n in fw.nodes}
    rename.update({r.id: f"{r.id} {r.label.get(locale)}" for r in fw.rates})
    table = table.rename(columns=rename)
    table.insert(0, "row", scored.rows)
    for k, col in enumerate(scored.ids.columns):
        table.insert(k, col, scored.ids[col].to_numpy())
    table["diagnosis"] = [diagnose(compiled, scored.scores, i, locale).summary(locale) for i in range(len(table))]
    num = table.select_dtypes("float").columns
    table[num] = table[num].round(2)
    return table


def write_results(path: str | Path, scored: ScoredFile, compiled: Compiled, locale: str = "zh-Hans") -> Path:
    """Write results as .xlsx (sheets 结果, 诊断, and 错误 when rows were skipped) or .csv
    (with ``<name>.errors.csv`` beside it when there are errors)."""
    path = Path(path)
    results = results_frame(scored, compiled, locale)
    errors = pd.DataFrame([(e.sheet, e.row, e.column, e.value, e.reason) for e in scored.errors],
                          columns=["sheet", "row", "column", "value", "reason"])
    if path.suffix.lower() == ".csv":
        write_tables(path, {"结果": results})
        if len(errors):
            write_tables(path.with_name(f"{path.stem}.errors.csv"), {"错误": errors})
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path.name}: results are written as .xlsx or .csv")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("结果")
    ws.append(xlsx_row(ws, list(results.columns)))
    append_rows(ws, results.itertuples(index=False, name=None))
    diag = wb.create_sheet("诊断")
    diag.append(["row", "enterprise", "kind", "indicator", "score", "required", "gap", "advice"])
    names = scored.ids["enterprise"].tolist()
    for i in range(len(scored.ids)):
        d = diagnose(compiled, scored.scores, i, locale)
        for g in d.gaps:
            diag.append(xlsx_row(diag, [scored.rows[i], names[i], "next stage" if locale.startswith("en") else
                                        "晋级差距", f"{g.node} {g.name}", None if np.isnan(g.score) else
                                        round(g.score, 2), g.required, round(g.gap, 2), g.advice]))
        for w in d.weakest:
            diag.append(xlsx_row(diag, [scored.rows[i], names[i], "weak" if locale.startswith("en") else "薄弱环节",
                                        f"{w.node} {w.name}", round(w.score, 2), None, None, w.advice]))
    if len(errors):
        ws_err = wb.create_sheet("错误")
        ws_err.append(list(errors.columns))
        append_rows(ws_err, ([None if v is None else (v if isinstance(v, int | float) else str(v)) for v in row]
                             for row in errors.itertuples(index=False, name=None)))
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results file written by :func:`write_results` back into id-named columns
    (``L 发展水平`` → ``L``, ``nc_rate 关键工序数控化率`` → ``nc_rate``)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype={"region": str, "industry": str, "size": str}, encoding="utf-8-sig")
    else:
        frame = pd.read_excel(path, sheet_name="结果", engine="calamine",
                              dtype={"region": str, "industry": str, "size": str})
    frame = frame.rename(columns={c: c.split(" ", 1)[0] for c in frame.columns})
    if "industry" in frame:
        frame["industry"] = frame["industry"].map(industry_code)
    if "region" in frame:
        frame["region"] = frame["region"].map(
            lambda v: None if pd.isna(v) else str(v).removesuffix(".0").zfill(6))
    return frame
