"""A static SVG choropleth of regions for the reports: GeoJSON geometry and values in, one ``<svg>``
string out, so that the HTML page and the PDF (WeasyPrint draws inline SVG) show the same map
without JavaScript, like :mod:`ronghe.core.reports.charts`.

The projection is equirectangular with longitudes shrunk by the cosine of the middle latitude
(a degree of longitude is shorter than a degree of latitude away from the equator), then scaled
uniformly to fit the box: at the equator a 1°×1° square stays a square; at 60° it is half as wide
as tall. That is what a province-sized map needs; it is not a survey projection. Values are put in
equal-interval bins between the smallest and the largest (darker red is higher); a region without
a value is grey. Regions are numbered on the map in the order given (the caller passes the
ranking) and named in the legend beside it, because Chinese names do not fit inside small
counties. Coordinates are rounded to 0.1 px and points closer than ``min_step`` px to the last
kept one are dropped, which keeps a province's map to tens of kB.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ronghe.core.reports.charts import _n, _ok, _svg, _text

BIN_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
"""Sequential reds, lowest bin first."""
NO_DATA = "#d9d9d9"
BACKGROUND = "#f4f4f4"
"""Areas drawn for context only (a neighbour, the 南海诸岛 inset): light, unnumbered."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Area:
    """One shape on the map. With a ``name`` it is a region of the report (numbered, coloured by
    ``value``, listed in the legend); without one it is drawn for context only."""

    geometry: dict[str, Any]
    """A GeoJSON ``Polygon`` or ``MultiPolygon`` in longitude/latitude degrees."""
    name: str = ""
    value: float | None = None


def polygons(geometry: dict[str, Any]) -> list[list[list[Point]]]:
    """The polygons of a GeoJSON geometry, each a list of rings (outer first, then holes)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        return []
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in coords]


def fit(
    geometries: Sequence[dict[str, Any]], width: float, height: float, pad: float = 4.0
) -> tuple[Callable[[float, float], Point], float, float]:
    """A projection of longitude/latitude to SVG units that fits every geometry in a box of
    ``width`` × ``height`` with ``pad`` around it, centred, one scale for both axes; with the
    width and height the map actually takes (the box's limiting side is filled)."""
    pts = [p for g in geometries for poly in polygons(g) for ring in poly for p in ring]
    if not pts:
        return (lambda lon, lat: (pad, pad)), 2 * pad, 2 * pad
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1, y0, y1 = min(lons) * k, max(lons) * k, min(lats), max(lats)
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    used_w, used_h = span_x * scale + 2 * pad, span_y * scale + 2 * pad

    def project(lon: float, lat: float) -> Point:
        return pad + (lon * k - x0) * scale, pad + (y1 - lat) * scale

    return project, used_w, used_h


def path_data(geometry: dict[str, Any], project: Callable[[float, float], Point], min_step: float = 0.0) -> str:
    """SVG path data of a geometry: ``M x,y L x,y … Z`` per ring (holes cut by the even-odd rule),
    rounded to 0.1 unit; a point nearer than ``min_step`` to the last kept one is dropped (a ring
    keeps at least three points)."""
    out = []
    for poly in polygons(geometry):
        for ring in poly:
            kept: list[Point] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                x, y = round(x, 1), round(y, 1)
                if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) < max(min_step, 0.05):
                    continue
                kept.append((x, y))
            if len(kept) > 1 and kept[-1] == kept[0]:
                kept.pop()  # the ring's closing point: Z closes it
            if len(kept) < 3:
                continue
            out.append("M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in kept) + " Z")
    return " ".join(out)


def bins(values: Sequence[float | None], count: int = 5) -> list[tuple[float, float]]:
    """Equal-interval bins ``(low, high)`` from the smallest to the largest known value: ``count``
    of them, fewer when there are fewer distinct values, one when all are equal, none without values."""
    known = sorted({v for v in values if _ok(v)})
    if not known:
        return []
    k = max(1, min(count, len(known)))
    lo, hi = known[0], known[-1]
    if hi == lo:
        return [(lo, hi)]
    step = (hi - lo) / k
    return [(lo + i * step, hi if i == k - 1 else lo + (i + 1) * step) for i in range(k)]


def bin_of(value: float | None, edges: Sequence[tuple[float, float]]) -> int | None:
    """The bin a value falls in (a value on an inner edge goes to the upper bin; the largest to the
    last); None for a missing value or no bins."""
    if not _ok(value) or not edges:
        return None
    for i, (_lo, hi) in enumerate(edges):
        if value < hi:
            return i
    return len(edges) - 1


def colours(count: int) -> list[str]:
    """``count`` colours spread over the reds, lightest first (one bin: the middle red)."""
    if count <= 1:
        return [BIN_COLOURS[2]]
    last = len(BIN_COLOURS) - 1
    return [BIN_COLOURS[round(i * last / (count - 1))] for i in range(count)]


def choropleth(
    areas: Sequence[Area],
    title: str = "",
    no_data: str = "—",
    bin_count: int = 5,
    map_width: int = 420,
    max_height: int = 440,
    legend_width: int = 210,
    fmt: str = "{:.1f}",
    min_step: float = 0.8,
) -> str:
    """The map: each named area filled by its value's bin and numbered 1, 2, … in the given order
    at its label point; a legend with the bins (and ``no_data`` when a value is missing) and the
    numbered names with their values."""
    named = [a for a in areas if a.name]
    edges = bins([a.value for a in named], bin_count)
    fills = colours(len(edges))
    project, used_w, used_h = fit([a.geometry for a in areas], map_width, max_height)
    body: list[str] = []
    for a in areas:
        if not a.name:
            body.append(
                f'<path class="context" d="{path_data(a.geometry, project, min_step)}" fill="{BACKGROUND}" '
                f'stroke="#bbb" stroke-width="0.5" fill-rule="evenodd"/>'
            )
    marks: list[str] = []
    for number, a in enumerate(named, 1):
        b = bin_of(a.value, edges)
        fill = NO_DATA if b is None else fills[b]
        body.append(
            f'<path class="area" data-n="{number}" data-bin="{"" if b is None else b}" '
            f'd="{path_data(a.geometry, project, min_step)}" fill="{fill}" stroke="#fff" stroke-width="0.8" '
            f'fill-rule="evenodd"><title>{escape(a.name)}</title></path>'
        )
        x, y = label_point(a.geometry, project)
        marks.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="7" fill="#fff" fill-opacity="0.85" stroke="#555" '
            f'stroke-width="0.5"/>'
        )
        marks.append(_text(x, y + 3.5, str(number), 9, extra=' class="area-number"'))
    body += marks
    lx = used_w + 16
    y = 18
    legend: list[str] = []
    rows = [
        (f"{fmt.format(lo)}–{fmt.format(hi)}" if lo != hi else fmt.format(lo), fill)
        for (lo, hi), fill in zip(edges, fills, strict=True)
    ][::-1]  # highest first, as the names below
    if any(not _ok(a.value) for a in named):
        rows.append((no_data, NO_DATA))
    for label, fill in rows:
        legend.append(
            f'<rect class="bin" x="{_n(lx)}" y="{_n(y - 10)}" width="14" height="11" fill="{fill}" '
            f'stroke="#999" stroke-width="0.5"/>'
        )
        legend.append(_text(lx + 20, y, label, 11, "start", ' class="bin-label"'))
        y += 16
    y += 8
    for number, a in enumerate(named, 1):
        value = fmt.format(a.value) if _ok(a.value) else no_data
        legend.append(_text(lx, y, f"{number}", 11, "start", ' class="legend-number"'))
        legend.append(_text(lx + 22, y, a.name, 11, "start", ' class="legend-name"'))
        legend.append(_text(lx + legend_width - 12, y, value, 11, "end", ' class="legend-value"'))
        y += 15
    height = math.ceil(max(used_h, y))
    width = math.ceil(used_w + 16 + legend_width)
    return _svg(width, height, body + legend, title or "map", "map")


def label_point(geometry: dict[str, Any], project: Callable[[float, float], Point]) -> Point:
    """Where an area's number goes: the centroid of its largest outer ring (by projected area),
    or that ring's first point when the ring has no area."""
    best: tuple[float, Point] | None = None
    for poly in polygons(geometry):
        ring = [project(lon, lat) for lon, lat in poly[0]] if poly else []
        a, cx, cy = _ring_centroid(ring)
        if ring and (best is None or abs(a) > best[0]):
            best = (abs(a), (cx, cy) if a else ring[0])
    return best[1] if best else (0.0, 0.0)


def _ring_centroid(ring: list[Point]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed or open ring (shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return 0.0, 0.0, 0.0
    return a / 2, cx / (3 * a), cy / (3 * a)
