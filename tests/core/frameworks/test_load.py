"""Framework validation: every fault is reported with file, path, code and the values its message
names, all at once; the message reads in the user's language."""

import datetime as dt

import pytest
from pydantic import BaseModel

from ronghe.core.errors import FrameworkFileError
from ronghe.core.frameworks import load, resolve, shipped, validate
from ronghe.core.frameworks.load import parse_document
from ronghe.core.messages import use_locale
from tests.conftest import FILES

MINI = (FILES / "frameworks" / "mini.yaml").read_text(encoding="utf-8")


def _errors(tmp_path, text, name="bad.yaml"):
    """The faults of ``text`` as ``(file, path, code, parameters)``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [(e.file, e.path, e.code, e.params) for e in validate(path)]


def _mini(**replace):
    text = MINI
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(("replace", "path", "code", "params"), [
    ({"weight: 0.6\n": "weight: 0.7\n"}, "nodes/B2", "framework.weights_items",
     {"total": pytest.approx(1.1, abs=1e-12), "weights": "b2=0.7 + b3=0.4"}),
    ({"{item: a2, op: eq, value: true}": "{item: a1, op: eq, value: E}"}, "items/b3/condition/value",
     "framework.condition_option", {"option": "E", "item": "a1", "options": "A, B, C, D"}),
    ({"{item: a2, op: eq, value: true}": "{item: zz, op: eq, value: true}"}, "items/b3/condition/item",
     "framework.condition_item", {"item": "zz"}),
    ({"{item: a2, op: eq, value: true}": "{item: b3, op: gt, value: 1}"}, "items/b3/condition/item",
     "framework.condition_self", {}),
    ({"{item: a2, op: eq, value: true}": "{item: a2, op: gt, value: 1}"}, "items/b3/condition/op",
     "framework.condition_op", {"op": "gt", "type": "yesno", "item": "a2", "ops": "answered, eq, ne"}),
    ({"{id: L, name:": "{id: L, parent: B1, name:"}, "nodes/L/parent", "framework.cycle", {"cycle": "L → B1 → B → L"}),
    ({"parent: B2\n    type: percent": "parent: B9\n    type: percent"}, "items/b2/parent",
     "framework.unknown_node", {"node": "B9"}),
    ({"requires: [{node: B, min: 50}]": "requires: [{node: Q, min: 50}]"}, "stages/2/requires/0/node",
     "framework.unknown_node", {"node": "Q"}),
    ({"item: b2}": "item: a1}"}, "rates/nc_rate/item", "framework.rate_type", {"item": "a1", "type": "single"}),
    ({"[[0, 0], [80, 100]]": "[[80, 0], [0, 100]]"}, "items/b2/curve/points", "framework.curve_order",
     {"xs": [80.0, 0.0]}),
    ({"total: L": "total: Z"}, "total", "framework.unknown_node", {"node": "Z"}),
    ({"{code: 1, label": "{code: 2, label"}, "stages", "framework.stage_codes", {"codes": [2, 2, 3]}),
])
def test_it_names_the_path_and_code_of_a_structural_fault(tmp_path, replace, path, code, params):
    assert ("bad.yaml", path, code, params) in _errors(tmp_path, _mini(**replace))


def test_it_reports_every_fault_together(tmp_path):
    errors = _errors(tmp_path, _mini(**{"weight: 0.6\n": "weight: 0.7\n", "total: L": "total: Z"}))
    assert {p for _, p, _, _ in errors} == {"nodes/B2", "total"}


def test_it_reports_a_condition_cycle(tmp_path):
    a2 = "  - {id: a2, parent: A, type: yesno, weight: 0.5, label: {zh-Hans: 是否有信息化规划, en: IT plan exists}"
    text = _mini(**{a2 + "}": a2 + ", required: false, condition: {item: b3, op: answered}}"})
    errors = _errors(tmp_path, text)
    assert any(p == "items/a2/condition" and c == "framework.condition_cycle" and params["cycle"] == "a2 → b3 → a2"
               for _, p, c, params in errors), errors


@pytest.mark.parametrize(("replace", "path", "code", "params"), [
    ({"score: 50}": "score: 150}"}, "items/b1/options/PDM/score", "schema.le", {"limit": 100}),
    ({"score: 50}": "score: 50, extra: 1}"}, "items/b1/options/PDM/extra", "schema.extra", {}),
    ({"version: 1": "version: 0"}, "version", "schema.ge", {"limit": 1}),
    ({"    type: multi\n": "    type: choice\n"}, "items/b1/type", "schema.literal",
     {"expected": "'single', 'multi', 'number', 'percent', 'yesno'"}),
    ({"    type: multi\n": ""}, "items/b1/type", "schema.missing", {}),
    ({"weight: 0.6\n": "weight: heavy\n"}, "items/b2/weight", "schema.number", {}),
    ({"version: 1": "version: one"}, "version", "schema.integer", {}),
    ({"version: 1": "version: [1]"}, "version", "schema.integer", {}),
    ({"version: 1": "version: 1\nyears: [2030, 2015]"}, "", "framework.years_order", {"first": 2030, "last": 2015}),
    ({"version: 1": "version: 1\nyears: 2015"}, "years", "schema.list", {}),
    ({"version: 1": "version: 1\nplaceholder: sometimes"}, "placeholder", "schema.bool", {}),
    ({"version: 1": "version: 1\nstandard: 3"}, "standard", "schema.text", {}),
    ({"version: 1": "version: 1\ndiagnosis: 3"}, "diagnosis", "schema.mapping", {}),
    ({"version: 1": "version: .inf"}, "version", "schema.finite", {}),
    ({"[[0, 0], [80, 100]]": "[[0, 0, 1], [80, 100]]"}, "items/b2/curve/points/[0]", "schema.too_long",
     {"max": 2, "actual": 3}),
    ({"[[0, 0], [80, 100]]": "[]"}, "items/b2/curve/points", "schema.too_short", {"min": 1, "actual": 0}),
    ({"urn: urn:ronghe:framework:mini": "urn: mini"}, "urn", "schema.pattern",
     {"pattern": "^urn:ronghe:framework:[a-z0-9][a-z0-9-]*$"}),
    ({"name: {zh-Hans: 迷你框架": "name: {zh-Hans: ''"}, "name/zh-Hans", "schema.text_short", {"min": 1}),
])
def test_it_names_the_path_and_code_of_a_schema_fault(tmp_path, replace, path, code, params):
    assert ("bad.yaml", path, code, params) in _errors(tmp_path, _mini(**replace))


def test_a_schema_fault_it_does_not_name_keeps_pydantics_own_text():
    class Dated(BaseModel):
        day: dt.date

    _, (error,) = parse_document(b"day: someday\n", "d.yaml", Dated, lambda _: [])
    detail = "Input should be a valid date or datetime, input is too short"
    assert (error.file, error.path, error.code, error.params) == ("d.yaml", "day", "schema.other", {"detail": detail})
    with use_locale("zh-Hans"):
        (error,) = parse_document(b"day: someday\n", "d.yaml", Dated, lambda _: [])[1]
    assert error.reason == f"不符合文件格式：{detail}"


def test_it_reports_broken_yaml_with_its_line(tmp_path):
    ((file, path, code, params),) = _errors(tmp_path, "urn: [unclosed\n")
    assert (file, path, code) == ("bad.yaml", "line 2, column 1", "doc.yaml")
    assert params == {"problem": "expected ',' or ']', but got '<stream end>'"}
    with use_locale("zh-Hans"):
        (error,) = validate(tmp_path / "bad.yaml")
    assert error.path == "第 2 行第 1 列"
    assert error.reason == "不是有效的 YAML：expected ',' or ']', but got '<stream end>'"


def test_a_fault_reads_in_chinese_by_default_and_in_english_on_request(tmp_path):
    text = _mini(**{"total: L": "total: Z", "score: 50}": "score: 150}"})
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    path2 = tmp_path / "bad2.yaml"
    path2.write_text(_mini(**{"total: L": "total: Z"}), encoding="utf-8")
    with use_locale(None):  # the core's default: 简体中文
        (schema,), (structure,) = validate(path), validate(path2)
        assert (schema.code, schema.reason) == ("schema.le", "应不大于 100")
        assert (structure.code, structure.reason) == ("framework.unknown_node", "不存在的指标“Z”")
        assert str(structure) == "bad2.yaml: total: 不存在的指标“Z”"
        with use_locale("en"):
            (schema,), (structure,) = validate(path), validate(path2)
            assert (schema.code, schema.reason) == ("schema.le", "must be at most 100")
            assert (structure.code, structure.reason) == ("framework.unknown_node", "unknown node 'Z'")


def test_it_requires_english_labels_when_the_header_promises_them(tmp_path):
    errors = _errors(tmp_path, _mini(**{"{id: A, parent: L, weight: 0.4, name: {zh-Hans: 基础建设, en: Foundation}":
                                        "{id: A, parent: L, weight: 0.4, name: 基础建设"}))
    assert ("bad.yaml", "nodes/A/name", "framework.name_en", {}) in errors


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
