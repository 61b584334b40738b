"""The SVG charts: well-formed, geometry computed by hand, labels escaped."""

import math
import xml.etree.ElementTree as ET

import pytest

from ronghe.core.reports import charts

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _points(text: str) -> list[tuple[float, float]]:
    return [tuple(float(c) for c in p.split(",")) for p in text.split()]


def test_radar_points_go_clockwise_from_the_top():
    pts = charts.radar_points([100, 50, 0, 100], cx=0, cy=0, r=10)
    expected = [(0, -10), (5, 0), (0, 0), (-10, 0)]  # top, half-way right, centre, full left
    for (x, y), (ex, ey) in zip(pts, expected, strict=True):
        assert x == pytest.approx(ex, abs=1e-9) and y == pytest.approx(ey, abs=1e-9)


def test_radar_clips_and_draws_missing_values_at_the_centre():
    pts = charts.radar_points([150, None, math.nan, -5], cx=1, cy=1, r=10)
    assert pts[0] == pytest.approx((1, -9)) and pts[1:] == [pytest.approx((1, 1))] * 3


def test_radar_svg_has_one_polygon_per_series_and_every_axis_label():
    svg = charts.radar(["基础建设", "单项应用", "综合集成"], [("2025", [60, 70, 80]), ("2024", [50, 60, 70])])
    root = _parse(svg)
    series = root.findall(".//s:polygon[@class='series']", NS)
    assert [p.get("data-series") for p in series] == ["2025", "2024"]
    labels = [t.text for t in root.findall(".//s:text[@class='axis-label']", NS)]
    assert labels == ["基础建设", "单项应用", "综合集成"]
    # the first point of 2025 is 60 % of the radius above the centre
    (x, y) = _points(series[0].get("points"))[0]
    cx, cy, r = 580 / 2, 420 / 2 + 5, 420 / 2 - 40
    assert (x, y) == pytest.approx((cx, cy - 0.6 * r), abs=0.01)


def test_bar_lengths_are_proportional_to_the_largest_or_the_given_maximum():
    assert charts.bar_lengths([50, 100, None, -3], 200) == [100, 200, 0, 0]
    assert charts.bar_lengths([50, 25], 200, maximum=100) == [100, 50]


def test_bar_svg_writes_each_value_and_highlights_one():
    root = _parse(charts.bar(["甲", "乙"], [40.0, 80.0], maximum=100, highlight=1))
    rects = root.findall(".//s:rect[@class='bar']", NS)
    assert [float(r.get("width")) for r in rects] == [pytest.approx(0.4 * 340), pytest.approx(0.8 * 340)]
    assert rects[1].get("fill") == charts.PALETTE[0] and rects[0].get("fill") == charts.PALETTE[1]
    assert [t.text for t in root.findall(".//s:text[@class='bar-value']", NS)] == ["40.0", "80.0"]


def test_distribution_writes_counts_and_shares():
    root = _parse(charts.distribution(["一", "二", "三"], [1, 3, 0]))
    assert [t.text for t in root.findall(".//s:text[@class='column-value']", NS)] == [
        "1 (25.0%)", "3 (75.0%)", "0 (0.0%)"]
    heights = [float(r.get("height")) for r in root.findall(".//s:rect[@class='column']", NS)]
    assert heights[1] == pytest.approx(220 - 30 - 40) and heights[0] == pytest.approx(heights[1] / 3)


def test_line_draws_a_polyline_per_series():
    root = _parse(charts.line(["2024", "2025"], [("两化融合水平", [50.0, 55.0])], maximum=100))
    (poly,) = root.findall(".//s:polyline", NS)
    (x0, y0), (x1, y1) = _points(poly.get("points"))
    assert x0 == 50 and x1 == 580 and y0 == pytest.approx(20 + 170 * 0.5) and y1 == pytest.approx(20 + 170 * 0.45)


def test_labels_are_escaped_not_markup():
    svg = charts.bar(["<script>alert(1)</script>"], [1.0])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    _parse(svg)
