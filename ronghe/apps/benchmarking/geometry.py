"""Map geometry for a dashboard's sub-regions, from the npm package ``china-geojson`` (installed by
``make install``, served as static files under ``vendor/geojson/``).

``china.json`` draws the provinces; ``<pinyin>_geo.json`` draws a province's cities (a
municipality's districts). Features are matched to our regions by code (the feature's ``id`` or
``properties.id``: 2 digits for provinces, 4 for cities, 6 for districts) and, where the package's
older codes differ (密云县 110228 is now 密云区 110118), by name without its suffix. The chart then
joins data to shapes by the feature's *name*: codes never reach the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|地区|盟|省|市|区|县)$")


def geojson_dir() -> Path:
    return Path(settings.PROJECT_DIR) / "node_modules" / "china-geojson" / "src" / "geojson"


def short(name: str) -> str:
    """A region name without its administrative suffix: 浙江省 → 浙江, 密云县 → 密云."""
    return SUFFIX.sub("", name) or name


@dataclass(frozen=True)
class Shapes:
    file: str
    """The file name under vendor/geojson/."""
    by_code: dict[str, str]
    """Feature code → feature name."""


@lru_cache(maxsize=64)
def _read(file: str) -> Shapes | None:
    path = geojson_dir() / file
    if not path.exists():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    by_code = {}
    for feature in doc.get("features", []):
        props = feature.get("properties") or {}
        code = str(feature.get("id") or props.get("id") or "")
        if code and props.get("name"):
            by_code[code] = props["name"]
    return Shapes(file, by_code)


@lru_cache(maxsize=1)
def _province_files() -> dict[str, str]:
    """Province code (2 digits) → the file drawing its sub-regions."""
    out = {}
    for path in sorted(geojson_dir().glob("*_geo.json")):
        shapes = _read(path.name)
        codes = [c for c in (shapes.by_code if shapes else {}) if c.isdigit()]
        if codes:
            out.setdefault(codes[0][:2], path.name)
    return out


def shapes_for(region_code: str | None) -> Shapes | None:
    """The shapes of a scope's sub-regions: provinces for the country (``None``), a province's
    cities or districts; ``None`` when the package draws no finer level (a city's counties)."""
    if region_code is None:
        return _read("china.json")
    if region_code.endswith("0000"):
        file = _province_files().get(region_code[:2])
        return _read(file) if file else None
    return None


def match(shapes: Shapes, regions: list[tuple[str, str]]) -> dict[str, str]:
    """Our (code, name) sub-regions → the feature names that draw them (unmatched ones left out)."""
    by_short = {short(n): n for n in shapes.by_code.values()}
    out = {}
    for code, name in regions:
        for key in (code, code[:4], code[:2]):
            if key in shapes.by_code and (len(key) != 2 or code.endswith("0000")):
                out[code] = shapes.by_code[key]
                break
        else:
            found = by_short.get(short(name))
            if found:
                out[code] = found
    return out
