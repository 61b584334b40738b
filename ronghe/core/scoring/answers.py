"""Raw answers (as a spreadsheet or a form gives them) → validated numeric codes.

``encode`` reads one column per item and turns every cell into a number the scorers
understand: a single-choice option's index, a multiple-choice bit mask, 1/0 for yes/no, the
number itself for number and percent items, NaN for "not answered". Every cell that cannot be
understood becomes an :class:`~ronghe.core.errors.AnswerError` naming the user's row number,
the column (item id), the raw value and what would have been accepted — all of them, not just
the first. Work is per column; choice columns are mapped per *distinct* value, so a million rows
cost a dictionary look-up each, not a parse each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ronghe.core.errors import AnswerError
from ronghe.core.frameworks.schema import Item
from ronghe.core.messages import message

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled

YES = {"是", "yes", "y", "true", "1", "对", "有", "√", "✓", "1.0"}
NO = {"否", "no", "n", "false", "0", "错", "无", "×", "✗", "0.0"}
EMPTY_SELECTION = {"none", "无", "都没有", "均无"}
_SPLIT = re.compile(r"[,，;；|、\s]+")


@dataclass
class Encoded:
    """Coded answers: ``values`` (n, I) float64, NaN = unanswered; ``errors`` every bad cell;
    ``invalid`` (n,) rows with at least one error (their codes for bad cells are NaN)."""

    values: np.ndarray
    errors: list[AnswerError] = field(default_factory=list)
    invalid: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.invalid is None:
            self.invalid = np.zeros(self.values.shape[0], dtype=bool)


class _Bad:
    """Marker for a cell that could not be coded: the fault's code and its message."""

    __slots__ = ("code", "reason")

    def __init__(self, code: str, **params: Any):
        self.code, self.reason = code, message(code, **params)


def _is_blank(v: Any) -> bool:
    if v is None or v is pd.NA:  # pd.NA: a missing cell of a nullable ("string", "Int64") column
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _unit(item: Item, code: str) -> str:
    """The unit as the messages show it (`` in %`` / ``（%）``), or nothing."""
    return message(code, unit=item.unit) if item.unit else ""


def _choice_text(v: Any) -> str:
    """A cell as text for matching option ids: ``1.0`` typed in a spreadsheet is ``1``."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _code_single(item: Item, v: Any) -> float | _Bad:
    opts = item.options or []
    text = _choice_text(v)
    for k, o in enumerate(opts):
        if text.upper() == o.id.upper() or text == o.label.zh or (o.label.en and text.lower() == o.label.en.lower()):
            return float(k)
    ids = ", ".join(o.id for o in opts)
    return _Bad("answer.option", item=item.id, ids=ids)


def _code_multi(item: Item, v: Any) -> float | _Bad:
    opts = item.options or []
    parts = list(filter(None, _SPLIT.split(_choice_text(v))))
    empty = [part for part in parts if part.lower() in EMPTY_SELECTION]
    if empty and len(empty) < len(parts):  # "无" is the page's "none of these": it excludes any option
        return _Bad("answer.exclusive", item=item.id, option=empty[0])
    if empty:
        return 0.0
    mask = 0
    chosen = []
    for part in parts:
        for k, o in enumerate(opts):
            if part.upper() == o.id.upper() or part == o.label.zh:
                mask |= 1 << k
                chosen.append(o)
                break
        else:
            ids = ", ".join(o.id for o in opts)
            return _Bad("answer.options", part=part, item=item.id, ids=ids)
    exclusive = next((o for o in chosen if o.exclusive), None)
    if exclusive is not None and any(o.id != exclusive.id for o in chosen):
        return _Bad("answer.exclusive", item=item.id, option=f"{exclusive.id} {exclusive.label.zh}")
    return float(mask)


def _code_yesno(item: Item, v: Any) -> float | _Bad:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    text = _choice_text(v).lower()
    if text in YES:
        return 1.0
    if text in NO:
        return 0.0
    return _Bad("answer.yesno", item=item.id)


_CODERS = {"single": _code_single, "multi": _code_multi, "yesno": _code_yesno}


def _encode_choice(item: Item, col: pd.Series) -> tuple[np.ndarray, dict[int, _Bad]]:
    """Code each *distinct* raw value once (pandas factorize), then spread the codes with one
    fancy-index; return codes and {row position: fault} for bad cells."""
    coder = _CODERS[item.type]
    positions, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    lut = np.full(len(uniques) + 1, np.nan)  # last slot: the NA sentinel (-1)
    reasons: dict[int, _Bad] = {}
    for k, v in enumerate(uniques):
        c = np.nan if _is_blank(v) else coder(item, v)
        if isinstance(c, _Bad):
            reasons[k] = c
        else:
            lut[k] = c
    values = lut[positions]
    bad: dict[int, _Bad] = {}
    if reasons:
        bad_codes = np.fromiter(reasons, dtype=np.int64)
        for i in np.flatnonzero(np.isin(positions, bad_codes)):
            bad[int(i)] = reasons[int(positions[i])]
    return values, bad


def _encode_numeric(item: Item, col: pd.Series) -> tuple[np.ndarray, dict[int, _Bad]]:
    """Numbers pass through (vectorised); only cells that are not already numbers are cleaned
    (``62.5%``, `` 1,200 ``) one by one, and those are few in a real file."""
    if pd.api.types.is_bool_dtype(col.dtype):
        col = col.astype(object)
    values = np.array(pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan))
    bad: dict[int, _Bad] = {}
    takes_a_number = _Bad("answer.number", item=item.id, unit=_unit(item, "answer.unit"))
    if not pd.api.types.is_numeric_dtype(col.dtype):  # object or pandas' str dtype
        raw = col.to_numpy(dtype=object)
        for i in np.flatnonzero(~np.isfinite(values)):  # text, and the text "NaN" or "inf"
            v = raw[i]
            if _is_blank(v):
                values[i] = np.nan
                continue
            text = re.sub(r"[,，\s]", "", str(v)).removesuffix("%")
            try:
                number = float(text)
            except ValueError:
                number = np.nan
            if np.isfinite(number):
                values[i] = number
            else:  # not a number, or NaN / infinity / 1e999 typed as a number
                bad[int(i)] = takes_a_number
                values[i] = np.nan
    else:
        for i in np.flatnonzero(np.isinf(values)):  # a float cell holding infinity (NaN is an empty cell)
            bad[int(i)] = takes_a_number
            values[i] = np.nan
    lo = -np.inf if item.min is None else item.min
    hi = np.inf if item.max is None else item.max
    with np.errstate(invalid="ignore"):
        out_of_range = (values < lo) | (values > hi)
    if out_of_range.any():
        span = f"{'' if item.min is None else f'{item.min:g}'}–{'' if item.max is None else f'{item.max:g}'}"
        within = _Bad("answer.range", item=item.id, span=span, unit=_unit(item, "answer.range_unit"))
        for i in np.flatnonzero(out_of_range):
            bad[int(i)] = within
        values = np.where(out_of_range, np.nan, values)
    return values, bad


def encode(compiled: Compiled, frame: pd.DataFrame, *, rows: Sequence[int] | None = None,
           sheet: str | None = None) -> Encoded:
    """Code the raw answers in ``frame`` (one row per assessment, one column per item id).

    Columns that are not item ids are ignored; an absent item column means unanswered. ``rows``
    are the row numbers the user sees (default 1…n) and are used in every error.
    """
    n = len(frame)
    row_numbers = np.arange(1, n + 1) if rows is None else np.asarray(rows)
    values = np.full((n, len(compiled.item_ids)), np.nan, order="F")  # column-major: scoring reads columns
    errors: list[AnswerError] = []
    invalid = np.zeros(n, dtype=bool)
    for j, item in enumerate(compiled.framework.items):
        if item.id not in frame.columns:
            continue
        col = frame[item.id]
        if item.type in _CODERS:
            coded, bad = _encode_choice(item, col)
        else:
            coded, bad = _encode_numeric(item, col)
        values[:, j] = coded
        if bad:
            raw = col.to_numpy(dtype=object)
            for i, fault in bad.items():
                errors.append(AnswerError(int(row_numbers[i]), item.id, raw[i], fault.reason, sheet, fault.code))
                invalid[i] = True
    errors.sort(key=lambda e: (e.row, compiled.item_index(e.column)))
    return Encoded(values=values, errors=errors, invalid=invalid)


def encode_one(compiled: Compiled, answers: dict[str, Any]) -> Encoded:
    """Code one assessment given as ``{item id: raw value}``; unknown ids are an error."""
    unknown = sorted(set(answers) - set(compiled.item_ids))
    frame = pd.DataFrame([{k: v for k, v in answers.items() if k in compiled.item_ids}])
    encoded = encode(compiled, frame if len(frame.columns) else pd.DataFrame(index=[0]))
    for key in unknown:
        encoded.errors.append(AnswerError(1, key, answers[key], message("answer.unknown_item"),
                                          code="answer.unknown_item"))
        encoded.invalid[0] = True
    return encoded
