"""Static SVG charts for the reports, drawn once on the server so that the HTML page and the PDF
(WeasyPrint draws inline SVG) show the same picture, without JavaScript.

Each function returns one ``<svg>`` element as text. Every label is escaped (names come from
users and files). Coordinates are in SVG user units (px at 96 dpi); values are on the scale the
caller gives (scores 0–100 unless ``maximum`` says otherwise). Missing values (None/NaN) are drawn
as 0 on a radar and as no bar on a bar chart, and are labelled "—".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "'Ronghe Sans SC', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
"""The reduced copy of the face first (:mod:`ronghe.core.reports.fonts`), the installed face for any
character it lacks."""
PALETTE = ("#c0392b", "#1f5fa8", "#7f8c8d", "#d68910", "#27ae60", "#8e44ad")
"""Series colours: the first (this year, this enterprise) in 中国红, then blue and grey."""
STAGE_COLOURS = ("#bdc3c7", "#f5cba7", "#f0b27a", "#e59866", "#dc7633", "#ba4a00")


def _ok(v: float | None) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def _n(v: float) -> str:
    """A coordinate with two decimals at most (small files, stable text for tests)."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'font-family="{FONT}"{extra}>{escape(str(text))}</text>')


def _svg(width: int, height: int, body: list[str], title: str, cls: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def radar_points(values: Sequence[float | None], cx: float, cy: float, r: float,
                 maximum: float = 100.0) -> list[tuple[float, float]]:
    """The polygon of ``values`` on a radar: axis i points at angle 2πi/n clockwise from the top,
    a value v at distance r·v/maximum from the centre (missing: 0; clipped to 0…maximum)."""
    n = len(values)
    out = []
    for i, v in enumerate(values):
        share = min(max((v if _ok(v) else 0.0) / maximum, 0.0), 1.0)
        angle = 2 * math.pi * i / n
        out.append((cx + r * share * math.sin(angle), cy - r * share * math.cos(angle)))
    return out


def radar(names: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str = "",
          maximum: float = 100.0, size: int = 420) -> str:
    """A radar (spider) chart: one axis per name, one polygon per (label, values) series, the first
    series filled. Rings at 20 % steps of ``maximum``; a legend below when there are several series."""
    n = len(names)
    width, height = size + 160, size + (30 if len(series) > 1 else 10)
    cx, cy, r = width / 2, size / 2 + 5, size / 2 - 40
    body: list[str] = []
    for k in range(1, 6):
        ring = radar_points([maximum * k / 5] * n, cx, cy, r, maximum) if n >= 3 else []
        if ring:
            body.append(f'<polygon class="grid" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in ring)}" '
                        f'fill="none" stroke="#d5d8dc" stroke-width="1"/>')
    for i, name in enumerate(names):
        (x, y), = radar_points([maximum if j == i else 0 for j in range(n)], cx, cy, r, maximum)[i:i + 1]
        body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" stroke="#d5d8dc"/>')
        lx, ly = cx + (x - cx) * 1.12, cy + (y - cy) * 1.12 + 4
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if lx > cx else "end")
        body.append(_text(lx, ly, name, 12, anchor, ' class="axis-label"'))
    for s, (label, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in radar_points(values, cx, cy, r, maximum))
        fill = f'fill="{colour}" fill-opacity="0.18"' if s == 0 else 'fill="none"'
        dash = "" if s == 0 else ' stroke-dasharray="5,3"'
        body.append(f'<polygon class="series" data-series="{escape(str(label))}" points="{pts}" {fill} '
                    f'stroke="{colour}" stroke-width="2"{dash}/>')
    if len(series) > 1:
        x = cx - 70 * len(series) / 2
        for s, (label, _values) in enumerate(series):
            colour = PALETTE[s % len(PALETTE)]
            body.append(f'<rect x="{_n(x)}" y="{_n(height - 18)}" width="12" height="12" fill="{colour}"/>')
            body.append(_text(x + 16, height - 8, label, 12, "start"))
            x += 70
    return _svg(width, height, body, title or "radar", "radar")


def bar_lengths(values: Sequence[float | None], length: float, maximum: float | None = None) -> list[float]:
    """Each bar's length in units: value/maximum·length (maximum: the largest value, at least 1e-9);
    a missing or negative value has no bar (0)."""
    top = maximum if maximum is not None else max([v for v in values if _ok(v)] + [1e-9])
    top = max(top, 1e-9)
    return [max(0.0, min(v / top, 1.0)) * length if _ok(v) else 0.0 for v in values]


def bar(labels: Sequence[str], values: Sequence[float | None], title: str = "", maximum: float | None = None,
        formatted: Sequence[str] | None = None, highlight: int | None = None, width: int = 600,
        row: int = 26) -> str:
    """Horizontal bars, one row per label, the value written at the bar's end (``formatted`` or one
    decimal); bar ``highlight`` in red, the others in blue."""
    label_w, plot_w = 190, width - 190 - 70
    height = row * len(labels) + 10
    lengths = bar_lengths(values, plot_w, maximum)
    body: list[str] = []
    for i, (label, v, w) in enumerate(zip(labels, values, lengths, strict=True)):
        y = 5 + i * row
        colour = PALETTE[0] if i == highlight else PALETTE[1]
        body.append(_text(label_w - 8, y + row * 0.65, label, 12, "end", ' class="bar-label"'))
        body.append(f'<rect class="bar" x="{label_w}" y="{_n(y + 4)}" width="{_n(w)}" height="{_n(row - 8)}" '
                    f'fill="{colour}"/>')
        shown = formatted[i] if formatted is not None else (f"{v:.1f}" if _ok(v) else "—")
        body.append(_text(label_w + w + 6, y + row * 0.65, shown, 11, "start", ' class="bar-value"'))
    return _svg(width, height, body, title or "bar", "bar")


def distribution(labels: Sequence[str], counts: Sequence[int], title: str = "", width: int = 600,
                 height: int = 220) -> str:
    """Vertical columns of a distribution (e.g. enterprises per stage), each with its count and share
    (per cent of the sum, one decimal) above it."""
    total = sum(counts)
    n = max(len(labels), 1)
    top_pad, bottom = 30, 40
    plot_h = height - top_pad - bottom
    slot = (width - 20) / n
    heights = bar_lengths([float(c) for c in counts], plot_h)
    body = [f'<line x1="10" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#7f8c8d"/>']
    for i, (label, c, h) in enumerate(zip(labels, counts, heights, strict=True)):
        x = 10 + i * slot
        colour = STAGE_COLOURS[min(i, len(STAGE_COLOURS) - 1)]
        body.append(f'<rect class="column" x="{_n(x + slot * 0.2)}" y="{_n(height - bottom - h)}" '
                    f'width="{_n(slot * 0.6)}" height="{_n(h)}" fill="{colour}" stroke="#935116" stroke-width="0.5"/>')
        share = f"{100 * c / total:.1f}%" if total else "—"
        body.append(_text(x + slot / 2, height - bottom - h - 6, f"{c} ({share})", 11, extra=' class="column-value"'))
        body.append(_text(x + slot / 2, height - bottom + 16, label, 12, extra=' class="column-label"'))
    return _svg(width, height, body, title or "distribution", "distribution")


def line(xs: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str = "",
         maximum: float | None = None, width: int = 600, height: int = 240, unit: str = "") -> str:
    """A trend: one polyline per (label, values) series over the x labels (years), points marked and
    valued; the y axis from 0 to ``maximum`` (default: the largest value rounded up to a tenth)."""
    left, right, top_pad, bottom = 50, 20, 20, 50
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    found = [v for _label, vs in series for v in vs if _ok(v)]
    top = maximum if maximum is not None else (math.ceil(max([*found, 1e-9]) / 10) * 10 or 10)
    n = len(xs)
    step = plot_w / max(n - 1, 1)
    axis = top_pad + plot_h
    body = [f'<line x1="{left}" y1="{axis}" x2="{width - right}" y2="{axis}" stroke="#7f8c8d"/>',
            f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{axis}" stroke="#7f8c8d"/>',
            _text(left - 6, top_pad + 4, f"{top:g}{unit}", 10, "end"), _text(left - 6, axis, "0", 10, "end")]
    for i, x in enumerate(xs):
        body.append(_text(left + i * step, top_pad + plot_h + 16, x, 11))
    for s, (label, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        pts = [(left + i * step, top_pad + plot_h - plot_h * min(max(v / top, 0), 1)) for i, v in enumerate(values)
               if _ok(v)]
        if len(pts) > 1:
            body.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" '
                        f'points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in pts)}"/>')
        for (x, y), v in zip(pts, [v for v in values if _ok(v)], strict=True):
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>')
            body.append(_text(x, y - 7, f"{v:.1f}", 10))
        body.append(f'<rect x="{left + 110 * s}" y="{height - 16}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(left + 110 * s + 16, height - 6, label, 11, "start"))
    return _svg(width, height, body, title or "trend", "line")
