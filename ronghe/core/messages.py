"""Messages of the core in the user's language.

The core names every fault by a stable ``code`` (for programs and tests) and renders its
message in the active locale: 简体中文 by default, English on request. The web sets the locale per
request (``ronghe.middleware``), the CLI from ``RONGHE_LANG``; the core itself never imports Django,
so its catalogue lives here, one entry per code, both languages side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT = "zh-Hans"
_locale: ContextVar[str] = ContextVar("ronghe_core_locale", default=DEFAULT)

# code: (简体中文, English). Parameters in braces are filled by ``message(code, **params)``.
CATALOGUE: dict[str, tuple[str, str]] = {
    "file.type": ("不支持的文件类型“{suffix}”：请另存为 .xlsx 或 .csv 后上传",
                  "unsupported file type '{suffix}': save the file as .xlsx or .csv"),
    "file.too_large": ("文件大小 {size} 超过上限 {limit}", "the file is {size}, more than the limit of {limit}"),
    "file.unreadable": ("无法读取该电子表格：{detail}", "cannot read the spreadsheet: {detail}"),
    "zip.bad": ("不是有效的 .xlsx 文件（压缩包已损坏）", "not a valid .xlsx file (the zip archive is damaged)"),
    "zip.members": ("压缩包内文件数 {count} 超过上限 {limit}",
                    "the archive holds {count} parts, more than the limit of {limit}"),
    "zip.method": ("压缩包内“{member}”使用了不支持的压缩方式", "the part '{member}' uses an unsupported compression"),
    "zip.unzipped": ("解压后大小超过上限 {limit}（疑似压缩炸弹）",
                     "unpacked, the file exceeds the limit of {limit} (a zip bomb?)"),
    "zip.ratio": ("“{member}”的压缩比 {ratio:.0f}:1 超过上限 {limit:.0f}:1（疑似压缩炸弹）",
                  "'{member}' is compressed {ratio:.0f}:1, more than the limit of {limit:.0f}:1 (a zip bomb?)"),
    "zip.size_mismatch": ("“{member}”的实际大小与声明不符",
                          "the real size of '{member}' differs from its declared size"),
    "xml.entities": ("“{member}”含有 DTD 或实体声明，电子表格中不允许出现（可能是实体扩展攻击）",
                     "'{member}' declares a DTD or entities, which a spreadsheet never needs (entity expansion)"),
    "sheet.rows": ("工作表“{sheet}”有 {rows} 行，超过上限 {limit} 行",
                   "sheet '{sheet}' has {rows} rows, more than the limit of {limit}"),
    "sheet.columns": ("工作表“{sheet}”有 {columns} 列，超过上限 {limit} 列",
                      "sheet '{sheet}' has {columns} columns, more than the limit of {limit}"),
    "sheet.cells": ("工作表“{sheet}”的区域 {rows} 行 × {columns} 列超过单元格上限 {limit}",
                    "sheet '{sheet}' spans {rows} rows × {columns} columns, more than the limit of {limit} cells"),
    "csv.encoding": ("CSV 文件既不是 UTF-8 也不是 GB18030 编码", "the CSV is neither UTF-8 nor GB18030 text"),
    "csv.line": ("第 {row} 行的长度超过单行上限 {limit}", "line {row} is longer than the limit of {limit} per line"),
    "csv.rows": ("CSV 文件的行数超过上限 {limit} 行", "the CSV has more lines than the limit of {limit}"),
    "csv.cells": ("CSV 文件约有 {cells} 个单元格，超过上限 {limit}",
                  "the CSV holds about {cells} cells, more than the limit of {limit}"),
    "csv.nul": ("CSV 文件含有空字符（NUL），不是文本文件", "the CSV contains NUL characters: it is not a text file"),
    "target.achieved": ("已实现", "achieved"),
    "target.on_track": ("进度正常", "on track"),
    "target.off_track": ("进度落后", "off track"),
    "target.missed": ("未按期实现", "missed"),
    "target.unknown": ("未实现，缺少基期无法判断进度", "not reached; no baseline to judge the pace"),
    "target.no_data": ("暂无数据", "no data"),
    "target.no_rate": ("所用评估框架没有关键比率“{rate}”，无法测算",
                       "the frameworks used declare no key rate '{rate}'"),
    "target.no_assessments": ("范围内没有已评估的企业", "no assessed enterprises in the scope"),
    "target.no_index": ("没有该地区的指数结果", "no index results for this region"),
    "target.other_framework": ("只统计以下框架的评估：{frameworks}", "counts assessments of {frameworks} only"),
    "target.other_region": ("指数目标只在其所属地区测算", "an index target is measured for its own region only"),
}


def current_locale() -> str:
    return _locale.get()


@contextmanager
def use_locale(locale: str | None) -> Iterator[None]:
    """Render core messages in ``locale`` inside the block (``en…`` → English, else 简体中文)."""
    token = _locale.set(_normalise(locale))
    try:
        yield
    finally:
        _locale.reset(token)


def set_locale(locale: str | None) -> None:
    """Set the locale of the current context (a request, a CLI run) until it is set again."""
    _locale.set(_normalise(locale))


def _normalise(locale: str | None) -> str:
    return "en" if locale and locale.lower().startswith("en") else DEFAULT


def message(code: str, **params: object) -> str:
    """The message of ``code`` in the active locale, with ``params`` filled in."""
    zh, en = CATALOGUE[code]
    return (en if _locale.get() == "en" else zh).format(**params)


def size(n: float) -> str:
    """A byte count for people: 1.5 MB, 200 KB (binary units, as file managers show them)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{int(n)} B"
