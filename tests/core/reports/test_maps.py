"""The SVG choropleth: projection, path data, bins and legend computed by hand."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from ronghe.core.reports import maps

NS = {"s": "http://www.w3.org/2000/svg"}


def square(lon, lat, side=1.0):
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]],
    }


def corners(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"([-\d.]+),([-\d.]+)", d)]


def test_a_square_at_the_equator_maps_to_a_square_path_filling_the_box():
    project, w, h = maps.fit([square(0, -0.5)], 100, 100, pad=0)
    assert (w, h) == pytest.approx((100, 100))
    d = maps.path_data(square(0, -0.5), project)
    assert d == "M0,100 L100,100 L100,0 L0,0 Z"  # north up: the southern edge at the bottom


def test_longitudes_shrink_with_the_cosine_of_the_latitude():
    project, w, h = maps.fit([square(10, 59.5)], 200, 200, pad=0)
    # centred on 60°: a degree east is half a degree north, so the tall side fills the box
    assert h == pytest.approx(200) and w == pytest.approx(200 * math.cos(math.radians(60)))
    (x0, y0), (x1, _y1), (_x2, y2), _ = corners(maps.path_data(square(10, 59.5), project))
    assert (x1 - x0) / (y0 - y2) == pytest.approx(0.5, abs=0.01)


def test_two_regions_keep_their_relative_places_and_the_pad():
    a, b = square(0, -0.5), square(2, -0.5)  # b lies east of a, a gap of one degree between them
    project, w, h = maps.fit([a, b], 310, 110, pad=5)
    assert (w, h) == pytest.approx((310, 110))
    assert corners(maps.path_data(a, project))[0] == (5, 105)
    assert corners(maps.path_data(b, project))[1] == (305, 105)


def test_holes_and_multipolygons_become_rings_of_one_path_and_tiny_steps_are_dropped():
    donut = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]],
            [[[5, 0], [5.001, 0], [6, 0], [6, 1], [5, 1], [5, 0]]],
        ],
    }
    project, _w, _h = maps.fit([donut], 120, 80, pad=0)
    d = maps.path_data(donut, project, min_step=1)
    assert d.count("M") == 3 and d.count("Z") == 3
    assert len(corners(d.split("M")[3])) == 4  # 5.001 is 0.02 px from 5: dropped
    assert maps.path_data({"type": "Point", "coordinates": [1, 2]}, project) == ""


def test_bins_are_equal_intervals_and_the_largest_value_is_in_the_last():
    edges = maps.bins([0, 25, 50, 75, 100, None], 4)
    assert edges == [(0, 25), (25, 50), (50, 75), (75, 100)]
    assert [maps.bin_of(v, edges) for v in (0, 24.9, 25, 99, 100, None, math.nan)] == [0, 0, 1, 3, 3, None, None]
    assert maps.bins([7, 7]) == [(7, 7)] and maps.bin_of(7, [(7, 7)]) == 0
    assert maps.bins([1, 2], 5) == [(1, 1.5), (1.5, 2)]  # no more bins than distinct values
    assert maps.bins([None]) == []
    assert maps.colours(5) == list(maps.BIN_COLOURS) and maps.colours(2) == [maps.BIN_COLOURS[0], maps.BIN_COLOURS[-1]]


def test_the_map_colours_numbers_and_names_each_region_and_escapes_names():
    areas = [
        maps.Area(square(0, 0), "<b>甲</b>市", 80.0),
        maps.Area(square(1, 0), "乙市", 40.0),
        maps.Area(square(0, 1), "丙市", None),
        maps.Area(square(1, 1)),
    ]  # the last: context only
    svg = maps.choropleth(areas, title="总指数", bin_count=2)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find("s:title", NS).text == "总指数"
    drawn = root.findall(".//s:path[@class='area']", NS)
    assert [p.get("data-n") for p in drawn] == ["1", "2", "3"]
    assert [p.get("fill") for p in drawn] == [maps.BIN_COLOURS[-1], maps.BIN_COLOURS[0], maps.NO_DATA]
    assert len(root.findall(".//s:path[@class='context']", NS)) == 1
    assert [t.text for t in root.findall(".//s:text[@class='area-number']", NS)] == ["1", "2", "3"]
    assert [t.text for t in root.findall(".//s:text[@class='legend-name']", NS)] == ["<b>甲</b>市", "乙市", "丙市"]
    assert [t.text for t in root.findall(".//s:text[@class='legend-value']", NS)] == ["80.0", "40.0", "—"]
    assert [t.text for t in root.findall(".//s:text[@class='bin-label']", NS)] == ["60.0–80.0", "40.0–60.0", "—"]
    assert "<b>" not in svg


def test_a_number_sits_at_the_centroid_of_the_largest_part():
    big, small = square(0, -1, 2), square(1.9, 0.9, 0.1)
    project, _w, _h = maps.fit([big], 100, 100, pad=0)
    two = {"type": "MultiPolygon", "coordinates": [big["coordinates"], small["coordinates"]]}
    assert maps.label_point(two, project) == pytest.approx((50, 50))
