"""Numbers as Chinese government reports write them.

Reports of 工业和信息化 authorities write large counts in 万 and 亿 ("1.2万家", "3.46亿元"), shares with
one decimal and a per-cent sign ("56.3%"), changes of a share in 个百分点 ("提高2.3个百分点"), changes of
an amount as a growth rate ("同比增长12.5%"), and dates on a cover in Chinese numerals
("二〇二六年十二月"). Each function returns text; ``None`` or NaN gives ``"—"``. English (``locale``
starting with ``en``) gets the same figures with thousands separators and "percentage points".
"""

from __future__ import annotations

import datetime as dt
import math

DASH = "—"
DIGITS = "〇一二三四五六七八九"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _en(locale: str) -> bool:
    return locale.lower().startswith("en")


def _trim(text: str) -> str:
    """``"1.20"`` → ``"1.2"``, ``"3.00"`` → ``"3"``: reports drop trailing zeros of a scaled amount."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: float | None, digits: int = 1) -> str:
    """``value`` rounded half away from zero to ``digits`` decimals ("56.25" → "56.3", as reports
    round, not to even); ``"—"`` when missing."""
    if _missing(value):
        return DASH
    q = 10 ** digits
    rounded = math.floor(abs(value) * q + 0.5 + 1e-9) / q
    out = f"{rounded:.{digits}f}"
    return f"-{out}" if value < 0 and rounded != 0 else out


def amount(value: float | None, unit: str = "", digits: int = 2, locale: str = "zh-Hans") -> str:
    """A count or an amount: below 10,000 as an integer ("9876家"), from 万 up in 万 ("1.23万家"),
    from 亿 up in 亿 ("3.46亿元"), with at most ``digits`` decimals and no trailing zeros."""
    if _missing(value):
        return DASH
    if _en(locale):
        return f"{value:,.0f}" + (f" {unit}" if unit else "")
    sign, v = ("-" if value < 0 else ""), abs(value)
    if v >= 1e8:
        text = _trim(fixed(v / 1e8, digits)) + "亿"
    elif v >= 1e4:
        text = _trim(fixed(v / 1e4, digits)) + "万"
        if text.startswith("10000万"):  # 99,999,999.9 rounds up to the next unit
            text = "1亿"
    else:
        text = fixed(v, 0)
    return f"{sign}{text}{unit}"


def percent(value: float | None, digits: int = 1) -> str:
    """A share already in per cent: 56.25 → ``"56.3%"``."""
    return DASH if _missing(value) else f"{fixed(value, digits)}%"


def score(value: float | None, digits: int = 1, locale: str = "zh-Hans") -> str:
    """A 0–100 score: 62.35 → ``"62.4分"`` (English: ``"62.4"``)."""
    if _missing(value):
        return DASH
    return fixed(value, digits) if _en(locale) else f"{fixed(value, digits)}分"


def _change(new: float | None, old: float | None, digits: int, locale: str, zh_unit: str, en_unit: str) -> str:
    """提高/下降 ``|new − old|`` in ``zh_unit`` (English: up/down … ``en_unit``); 持平 under half a unit of the
    last digit shown."""
    if _missing(new) or _missing(old):
        return DASH
    delta = new - old
    text = fixed(abs(delta), digits)
    if float(text) == 0:
        return "unchanged" if _en(locale) else "持平"
    if _en(locale):
        return f"{'up' if delta > 0 else 'down'} {text} {en_unit}"
    return f"{'提高' if delta > 0 else '下降'}{text}{zh_unit}"


def points_change(new: float | None, old: float | None, digits: int = 1, locale: str = "zh-Hans") -> str:
    """The change of a share (per cent) between two years, in 个百分点: (58.4, 56.1) → ``"提高2.3个百分点"``;
    a fall ``"下降…"``; under half a unit of the last digit ``"持平"``."""
    return _change(new, old, digits, locale, "个百分点", "percentage points")


def score_change(new: float | None, old: float | None, digits: int = 1, locale: str = "zh-Hans") -> str:
    """The change of a score between two years: (62.4, 58.0) → ``"提高4.4分"``, ``"下降…分"``, ``"持平"``."""
    return _change(new, old, digits, locale, "分", "points")


def growth(new: float | None, old: float | None, digits: int = 1, locale: str = "zh-Hans") -> str:
    """The year-on-year growth of an amount: (1125, 1000) → ``"同比增长12.5%"``, a fall ``"同比下降…"``;
    ``"—"`` when last year's amount is missing or zero (no rate exists)."""
    if _missing(new) or _missing(old) or old == 0:
        return DASH
    rate = 100 * (new - old) / abs(old)
    text = fixed(abs(rate), digits)
    if float(text) == 0:
        return "unchanged year on year" if _en(locale) else "同比持平"
    if _en(locale):
        return f"{'up' if rate > 0 else 'down'} {text}% year on year"
    return f"同比{'增长' if rate > 0 else '下降'}{text}%"


def cn_integer(n: int) -> str:
    """An integer from 0 to 99,999 in Chinese numerals, as section numbers are written: 1 → 一,
    10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if not 0 <= n < 100_000:
        raise ValueError(f"{n} is outside 0–99,999")
    if n == 0:
        return "〇"
    units = ["", "十", "百", "千", "万"]
    digits = [int(d) for d in str(n)]
    out, zero = [], False
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(DIGITS[d] + units[place])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def cn_year(year: int) -> str:
    """A year digit by digit, as on a report's cover: 2026 → ``"二〇二六年"``."""
    return "".join(DIGITS[int(d)] for d in str(year)) + "年"


def cn_date(day: dt.date, with_day: bool = False) -> str:
    """A cover date: ``"二〇二六年十二月"`` (with ``with_day``: ``"二〇二六年十二月一日"``)."""
    text = f"{cn_year(day.year)}{cn_integer(day.month)}月"
    return f"{text}{cn_integer(day.day)}日" if with_day else text


def rank(position: int, total: int | None = None, locale: str = "zh-Hans") -> str:
    """A rank: 3 → ``"第3位"``; with the total, ``"第3位（共15个）"``."""
    if _en(locale):
        return f"{position}" + (f" of {total}" if total is not None else "")
    return f"第{position}位" + (f"（共{total}个）" if total is not None else "")
