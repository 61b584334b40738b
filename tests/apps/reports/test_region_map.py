"""The map in the regional evaluation report: drawn from the GeoJSON the web map uses, coloured
by the stored total index, numbered in ranking order and named in the legend, in the page and in
the PDF; where the platform has no boundaries for the level (a city's counties) the report says
so instead of an empty box."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions import services as regions
from ronghe.apps.regions.services import ranking
from ronghe.apps.reports import services
from ronghe.core.reports import maps
from tests.apps.regions.helpers import write_data
from tests.apps.reports.helpers import coloured_pixels, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.w3.org/2000/svg"}


def _map(html: str) -> ET.Element:
    svg = re.search(r'<div class="chart-box" id="region-map">(<svg.*?</svg>)</div>', html, re.S).group(1)
    return ET.fromstring(svg)


def test_a_provinces_report_maps_its_cities_by_total_index(client, world, tmp_path):
    province = world.province.memberships.get().organization
    data = write_data(tmp_path / "d.csv", ["330100", "330200"])  # 杭州 stronger than 宁波
    ev = regions.run_evaluation(province, "lianghua-regional", [data], runs=10)
    rows = ranking(ev)
    client.force_login(world.province)
    html = client.get(reverse("reports:region", args=[ev.pk])).content.decode()
    root = _map(html)
    areas = root.findall(".//s:path[@class='area']", NS)
    names = [t.text for t in root.findall(".//s:text[@class='legend-name']", NS)]
    assert names == [r["name"] for r in rows] == ["杭州市", "宁波市"]  # numbered in ranking order
    values = [t.text for t in root.findall(".//s:text[@class='legend-value']", NS)]
    assert values == [f"{r['total']:.1f}" for r in rows]
    # two values, two bins: the first in the darkest red, the second in the lightest
    assert [a.get("fill") for a in areas] == [maps.BIN_COLOURS[-1], maps.BIN_COLOURS[0]]
    assert len(root.findall(".//s:path[@class='context']", NS)) == 9  # 浙江's other cities, for context
    assert 'id="map-missing"' not in html
    pdf = client.get(reverse("reports:region_pdf", args=[ev.pk])).content
    text = re.sub(r"\s+", "", pdf_text(pdf, tmp_path))
    assert "杭州市" in text and "宁波市" in text and "总指数分布图" in text
    # the map's reds are drawn in the PDF: more coloured pixels than the ranking chart alone gives
    assert max(coloured_pixels(p) for p in pdf_pages(pdf, tmp_path)) > 2000


def test_the_national_map_draws_provinces_and_the_south_china_sea_inset(world, tmp_path):
    national = orgs.create_organization(kind="authority", name="工业和信息化部", national=True)
    data = write_data(tmp_path / "p.csv", ["110000", "330000", "650000"])
    ev = regions.run_evaluation(national, "lianghua-regional", [data], runs=10)
    m = services.region_map(ev, ranking(ev))
    root = ET.fromstring(m["svg"])
    assert len(root.findall(".//s:path[@class='area']", NS)) == 3 and m["missing"] == []
    assert len(root.findall(".//s:path[@class='context']", NS)) == 32  # the other provinces and 南海诸岛
    assert len(m["svg"]) < 200_000  # simplified at the drawing's scale


def test_a_citys_report_says_it_has_no_map(client, reports_world, tmp_path):
    w = reports_world  # 杭州市's evaluation of its districts
    client.force_login(w.city_authority)
    html = client.get(reverse("reports:region", args=[w.evaluation.pk])).content.decode()
    assert 'id="region-map"' not in html and 'id="map-missing"' in html
    assert "没有地图" in html
