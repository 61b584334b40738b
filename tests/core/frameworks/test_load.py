"""Framework validation: every fault is reported with file, path and reason, all at once."""

import pytest

from ronghe.core.errors import FrameworkFileError
from ronghe.core.frameworks import load, resolve, shipped, validate
from tests.conftest import FILES

MINI = (FILES / "frameworks" / "mini.yaml").read_text(encoding="utf-8")


def _errors(tmp_path, text, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [(e.file, e.path, e.reason) for e in validate(path)]


def _mini(**replace):
    text = MINI
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(("replace", "path", "reason"), [
    ({"weight: 0.6\n": "weight: 0.7\n"}, "nodes/B2", "weights of its items sum to 1.1, not 1 (b2=0.7 + b3=0.4)"),
    ({"{item: a2, op: eq, value: true}": "{item: a1, op: eq, value: E}"}, "items/b3/condition/value",
     "unknown option 'E' of item 'a1' (options: A, B, C, D)"),
    ({"{item: a2, op: eq, value: true}": "{item: zz, op: eq, value: true}"}, "items/b3/condition/item",
     "condition on a missing item 'zz'"),
    ({"{item: a2, op: eq, value: true}": "{item: b3, op: gt, value: 1}"}, "items/b3/condition/item",
     "an item cannot depend on itself"),
    ({"{item: a2, op: eq, value: true}": "{item: a2, op: gt, value: 1}"}, "items/b3/condition/op",
     "'gt' does not apply to yesno item 'a2' (use one of answered, eq, ne)"),
    ({"{id: L, name:": "{id: L, parent: B1, name:"}, "nodes/L/parent", "cycle in the tree: L → B1 → B → L"),
    ({"parent: B2\n    type: percent": "parent: B9\n    type: percent"}, "items/b2/parent", "unknown node 'B9'"),
    ({"requires: [{node: B, min: 50}]": "requires: [{node: Q, min: 50}]"}, "stages/2/requires/0/node",
     "unknown node 'Q'"),
    ({"item: b2}": "item: a1}"}, "rates/nc_rate/item", "item 'a1' is single; a rate needs a number or percent item"),
    ({"[[0, 0], [80, 100]]": "[[80, 0], [0, 100]]"}, "items/b2/curve/points",
     "x values must increase strictly, got [80.0, 0.0]"),
    ({"total: L": "total: Z"}, "total", "unknown node 'Z'"),
    ({"{code: 1, label": "{code: 2, label"}, "stages", "stage codes must be 1, 2, 3 … in order, got [2, 2, 3]"),
])
def test_it_names_the_path_and_reason_of_a_structural_fault(tmp_path, replace, path, reason):
    assert ("bad.yaml", path, reason) in _errors(tmp_path, _mini(**replace))


def test_it_reports_every_fault_together(tmp_path):
    errors = _errors(tmp_path, _mini(**{"weight: 0.6\n": "weight: 0.7\n", "total: L": "total: Z"}))
    assert {p for _, p, _ in errors} == {"nodes/B2", "total"}


def test_it_reports_a_condition_cycle(tmp_path):
    a2 = "  - {id: a2, parent: A, type: yesno, weight: 0.5, label: {zh-Hans: 是否有信息化规划, en: IT plan exists}"
    text = _mini(**{a2 + "}": a2 + ", required: false, condition: {item: b3, op: answered}}"})
    errors = _errors(tmp_path, text)
    assert any(p == "items/a2/condition" and r.startswith("conditions form a cycle: a2 → b3 → a2")
               for _, p, r in errors), errors


@pytest.mark.parametrize(("replace", "path", "reason"), [
    ({"score: 50}": "score: 150}"}, "items/b1/options/PDM/score", "Input should be less than or equal to 100"),
    ({"score: 50}": "score: 50, extra: 1}"}, "items/b1/options/PDM/extra", "unknown field (check the spelling)"),
    ({"version: 1": "version: 0"}, "version", "Input should be greater than or equal to 1"),
    ({"    type: multi\n": "    type: choice\n"}, "items/b1/type", "Input should be 'single', 'multi', 'number', "
                                                                   "'percent' or 'yesno'"),
])
def test_it_names_the_path_of_a_schema_fault(tmp_path, replace, path, reason):
    assert ("bad.yaml", path, reason) in _errors(tmp_path, _mini(**replace))


def test_it_reports_broken_yaml_with_its_line(tmp_path):
    ((file, path, reason),) = _errors(tmp_path, "urn: [unclosed\n")
    assert file == "bad.yaml" and path.startswith("line ") and reason.startswith("not valid YAML")


def test_it_requires_english_labels_when_the_header_promises_them(tmp_path):
    errors = _errors(tmp_path, _mini(**{"{id: A, parent: L, weight: 0.4, name: {zh-Hans: 基础建设, en: Foundation}":
                                        "{id: A, parent: L, weight: 0.4, name: 基础建设"}))
    assert ("bad.yaml", "nodes/A/name", "the header lists an English translation but this name has none") in errors


def test_it_raises_one_error_listing_all_faults_on_load(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(_mini(**{"weight: 0.6\n": "weight: 0.7\n", "total: L": "total: Z"}), encoding="utf-8")
    with pytest.raises(FrameworkFileError) as exc:
        load(path)
    assert len(exc.value.errors) == 2 and "2 framework errors" in str(exc.value)


def test_it_finds_shipped_frameworks_by_name_file_name_and_urn():
    assert resolve("gbt23020-discrete") == resolve("urn:ronghe:framework:gbt23020-discrete")
    assert resolve("maturity-5level.yaml").name == "maturity-5level.yaml"
    with pytest.raises(FileNotFoundError, match="shipped: gbt23020-discrete, gbt23020-process, maturity-5level"):
        resolve("nope")


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_it_ships_only_valid_labelled_frameworks(path):
    assert validate(path) == []
    fw = load(path).framework
    assert fw.placeholder and fw.notes is not None  # defaults are labelled as such
    assert "en" in fw.translations
    assert [i.id for i in fw.items if i.help is None] == []  # every question says how to answer it
    assert [i.id for i in fw.items if i.type in ("number", "percent") and i.definition is None] == []
