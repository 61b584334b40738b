"""The standards as data: the shipped files load, and a bad file names every fault with its path."""

import datetime as dt

import pytest

from ronghe.core.certification import lifecycle
from ronghe.core.certification.standard import load, shipped, validate
from ronghe.core.errors import FrameworkFileError
from ronghe.core.messages import use_locale


def test_it_loads_every_shipped_standard_with_its_basis_marked():
    loaded = {p.stem: load(p) for p in shipped()}
    assert set(loaded) == {"gbt23001-2017", "gbt23001-2014-trial", "gbt23006-2022"}
    gbt2017 = loaded["gbt23001-2017"]
    assert [c.id for c in gbt2017.standard.clauses if c.parent is None] == ["4", "5", "6", "7", "8", "9", "10"]
    assert gbt2017.clauses["4.4"].basis == "inferred" and gbt2017.standard.placeholder
    assert [g.code for g in loaded["gbt23006-2022"].standard.grades] == ["CL1", "CL2", "CL3", "CL4", "CL5"]
    assert len(gbt2017.sha256) == 64 and load("gbt23001-2017").sha256 == gbt2017.sha256


def test_it_reports_every_fault_with_its_file_and_path(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("""urn: urn:ronghe:standard:bad
version: 1
provider: t
kind: requirements
code: X
name: 坏
translations: [en]
clauses:
  - {id: "4", title: {zh-Hans: 甲, en: A}, basis: source}
  - {id: "4.1", parent: "5", title: {zh-Hans: 乙, en: B}, basis: source}
  - {id: "4.2.1", parent: "4", title: {zh-Hans: 丙, en: C}, basis: source}
  - {id: "4", title: 丁, basis: rumour}
""", encoding="utf-8")
    errors = validate(bad)
    assert [(e.file, e.path, e.code) for e in errors] == [("bad.yaml", "clauses/4/basis", "schema.literal")]
    assert errors[0].params == {"expected": "'source', 'paraphrase', 'inferred', 'placeholder'"}  # schema first
    bad.write_text(bad.read_text(encoding="utf-8").replace("basis: rumour", "basis: source"), encoding="utf-8")
    faults = [(e.path, e.code, e.params) for e in validate(bad)]
    assert faults == [
        ("clauses/4.1/parent", "standard.unknown_clause", {"clause": "5"}),
        ("clauses/4.2.1/parent", "standard.numbering", {"clause": "4.2.1", "parent": "4"}),
        ("clauses/4/id", "standard.duplicate_clause", {}),
        ("clauses/4/title", "standard.title_en", {}),
    ]
    with pytest.raises(FrameworkFileError):
        load(bad)
    with use_locale(None):
        assert [e.reason for e in validate(bad)][:2] == ["不存在的条款“5”", "条款 4.2.1 的编号不在 4 之下"]


HEAD = "urn: urn:ronghe:standard:bad\nversion: 1\nprovider: t\ncode: X\nname: 坏\n"


@pytest.mark.parametrize(("body", "faults"), [
    ("kind: requirements\ngrades: [{code: CL1, name: 一, basis: source}]\n",
     [("clauses", "standard.no_clauses", {}), ("grades", "standard.grades_here", {})]),
    ("kind: capability-grades\nclauses: [{id: '4', title: 甲, basis: source}]\n",
     [("grades", "standard.no_grades", {}), ("clauses", "standard.clauses_here", {})]),
    ("kind: capability-grades\ngrades: [{code: CL1, name: 一, basis: source}, {code: CL3, name: 三, basis: source}]\n",
     [("grades", "standard.grade_order", {"codes": ["CL1", "CL3"]})]),
    ("kind: requirements\nclauses: [{id: '4.1', title: 甲, basis: source}, {id: '5', title: 乙, basis: source,"
     " documented: [{id: m, text: 手册, basis: source}, {id: m, text: 手册, basis: source}]}]\n",
     [("clauses/4.1/parent", "standard.parent", {"clause": "4.1", "parent": "4"}),
      ("clauses/5/documented/m", "standard.duplicate_document", {})]),
    ("kind: requirements\nclauses: [{id: '4', parent: '4.1', title: 甲, basis: source},"
     " {id: '4.1', parent: '4', title: 乙, basis: source}]\n",
     [("clauses/4/parent", "standard.numbering", {"clause": "4", "parent": "4.1"}),
      ("clauses/4/parent", "standard.cycle", {"cycle": "4 → 4.1 → 4"})]),
])
def test_it_checks_the_kind_the_numbering_and_the_grades(tmp_path, body, faults):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + body, encoding="utf-8")
    assert [(e.path, e.code, e.params) for e in validate(bad)] == faults


def test_it_adds_calendar_months_clamped_to_the_months_end():
    assert lifecycle.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert lifecycle.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert lifecycle.add_months(dt.date(2025, 3, 15), -14) == dt.date(2024, 1, 15)


def test_it_refuses_in_order_state_role_then_guards_in_either_language():
    facts = lifecycle.Facts(today=dt.date(2026, 3, 1), trial_run_start=dt.date(2026, 1, 1))
    case = lifecycle.CASE
    assert lifecycle.refusal(case, "applied", "apply", {"enterprise"}, facts).code == "cert.transition.state"
    assert lifecycle.refusal(case, "new", "apply", {"body"}, facts).code == "cert.transition.role"
    with use_locale("zh-Hans"):  # the locale is per context; another test may have left English set
        refused = lifecycle.refusal(case, "new", "apply", {"enterprise"}, facts)
    assert refused.code == "cert.trial_run.short" and "2026-04-01" in refused.message and "个月" in refused.message
    with use_locale("en"):
        assert "months" in lifecycle.refusal(case, "new", "apply", {"enterprise"}, facts).message
    ok = lifecycle.Facts(today=dt.date(2026, 5, 1), trial_run_start=dt.date(2026, 1, 1),
                         internal_audit_on=dt.date(2026, 4, 2), management_review_on=dt.date(2026, 4, 20))
    assert lifecycle.refusal(case, "new", "apply", {"enterprise"}, ok) is None


def test_every_machine_is_consistent_and_every_state_reachable():
    for machine in lifecycle.MACHINES.values():
        reached, frontier = {machine.initial}, [machine.initial]
        while frontier:
            for t in machine.leaving(frontier.pop()):
                if t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        assert reached == set(machine.states), machine.name
