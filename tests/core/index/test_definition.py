"""Index definition files: every structural fault with its path, its code and the values its message
names, and loading a file by name, URN or path with its checksum."""

import copy
import hashlib

import pytest
import yaml

from ronghe.core.errors import FrameworkFileError
from ronghe.core.index.definition import Definition, check, load, resolve, shipped_dir, validate
from ronghe.core.messages import message, use_locale
from tests.core.index.build import MINI, definition


def _faults(**changes):
    """The faults of MINI with ``changes``, as ``(path, code, parameters)``."""
    doc = copy.deepcopy(MINI)
    for key, value in changes.items():
        doc[key] = value
    return list(check(Definition.model_validate(doc)))


def _node(id, parent=None, weight=1.0):
    return {"id": id, **({"parent": parent} if parent else {}), "weight": weight, "name": id}


def _ind(id, parent, weight=1.0, **extra):
    return {"id": id, "parent": parent, "weight": weight, "name": id, "unit": "%", "source": "s", "reference": 1,
            "target": 2, **extra}


def test_the_mini_definition_has_no_fault():
    assert _faults() == []


def test_it_names_duplicate_ids_across_nodes_and_indicators():
    inds = [*MINI["indicators"], _ind("A", "B", 0.0), _ind("a1", "B", 0.0)]
    assert _faults(indicators=inds) == [("indicators/A/id", "definition.duplicate_id", {}),
                                        ("indicators/a1/id", "definition.duplicate_id", {})]
    nodes = [*MINI["nodes"], _node("a2", "T", 0.0), _node("B", "T", 0.0)]
    assert _faults(nodes=nodes)[:2] == [("nodes/B/id", "definition.duplicate_id", {}),
                                        ("indicators/a2/id", "definition.duplicate_id", {})]


def test_it_names_unknown_parents_a_cycle_and_an_unknown_total():
    nodes = [_node("T"), _node("A", "C", 0.6), _node("B", "T", 0.4), _node("C", "A")]
    inds = [_ind("a1", "A", 0.5), _ind("a2", "Z", 0.5), _ind("b1", "B"), _ind("c1", "C")]
    faults = _faults(nodes=nodes, indicators=inds, total="Q")
    assert faults[:3] == [("indicators/a2/parent", "definition.unknown_node", {"node": "Z"}),
                          ("nodes/A/parent", "definition.cycle", {"cycle": "A → C → A"}),
                          ("total", "definition.unknown_node", {"node": "Q"})]
    assert ("nodes/T", "definition.weights", {"total": 0.4, "weights": "B=0.4"}) in faults
    assert _faults(nodes=[_node("T"), _node("A", "X", 0.6), _node("B", "T", 0.4)])[0] == (
        "nodes/A/parent", "definition.unknown_node", {"node": "X"})


def test_it_checks_every_node_for_children_and_weights():
    nodes = [_node("T"), _node("E", "T", 0.0), _node("A", "T", 0.6), _node("B", "T", 0.4)]
    inds = [_ind("a1", "A", 0.5), _ind("a2", "A", 0.6), _ind("b1", "B", 0.9999995)]
    assert _faults(nodes=nodes, indicators=inds) == [
        ("nodes/E", "definition.node_empty", {}),
        ("nodes/A", "definition.weights", {"total": pytest.approx(1.1, abs=1e-12), "weights": "a1=0.5 + a2=0.6"}),
    ]  # b1 alone at 0.9999995 is within the tolerance (1e-6)


def test_it_needs_a_normalise_and_an_aggregate_step_with_valid_parameters():
    pipeline = [{"step": "treat", "method": "winsorise", "lower": 0.9}, {"step": "weight", "method": "pca",
                                                                         "base_year": 2015}]
    assert _faults(pipeline=pipeline) == [
        ("pipeline", "definition.step_missing", {"step": "normalise"}),
        ("pipeline", "definition.step_missing", {"step": "aggregate"}),
        ("pipeline/0", "definition.step_parameter", {"detail": "Treat: lower must be a number in [0, 0.5], got 0.9"}),
        ("pipeline/1/base_year", "definition.base_year", {}),
    ]
    bad = [*MINI["pipeline"][:2], {"step": "normalise", "method": "softmax", "base_year": 2015},
           *MINI["pipeline"][3:]]
    assert _faults(pipeline=bad) == [("pipeline/2", "definition.step_parameter", {
        "detail": "Normalise: method must be one of minmax, zscore, ratio, target, rank, percentile, got 'softmax'"})]


def test_reference_and_target_values_are_needed_only_by_the_methods_that_use_them():
    no_values = [{k: v for k, v in i.items() if k not in ("reference", "target")} for i in MINI["indicators"]]
    only_minmax = {"weights": 0.1, "normalise": ["minmax"], "aggregate": ["arithmetic"]}
    minmax = [*MINI["pipeline"][:2], {"step": "normalise", "method": "minmax"}, *MINI["pipeline"][3:]]
    assert _faults(indicators=no_values, pipeline=minmax, uncertainty=only_minmax) == []
    # ratio as the definition's method, although the Monte Carlo never draws it
    assert _faults(indicators=no_values, uncertainty=only_minmax) == [
        (f"indicators/{i}/reference", "definition.reference", {}) for i in ("a1", "a2", "b1")]
    # target only among the Monte Carlo's alternatives
    with_target = {**only_minmax, "normalise": ["minmax", "target"]}
    assert _faults(indicators=no_values, pipeline=minmax, uncertainty=with_target) == [
        (f"indicators/{i}/target", "definition.target", {}) for i in ("a1", "a2", "b1")]


def test_an_enterprise_indicator_says_how_it_comes_from_assessments():
    inds = [_ind("a1", "A", 0.5, kind="enterprise"), _ind("a2", "A", 0.5, assessments={"rate": "nc", "stage_min": 3}),
            _ind("b1", "B", assessments={"min_count": 3})]
    assert _faults(indicators=inds) == [
        ("indicators/a1/assessments", "definition.assessments", {}),
        ("indicators/a2/assessments", "definition.rate_or_stage", {}),
        ("indicators/b1/assessments", "definition.rate_or_stage", {}),
    ]
    ok = [_ind("a1", "A", 0.5, kind="enterprise", assessments={"rate": "nc_rate"}),
          _ind("a2", "A", 0.5, kind="enterprise", assessments={"stage_min": 3}), _ind("b1", "B")]
    assert _faults(indicators=ok) == []


def test_tiers_go_from_the_highest_minimum_down():
    tiers = [{"min": 50, "label": "二"}, {"min": 70, "label": "一"}]
    assert _faults(tiers=tiers) == [("tiers", "definition.tiers", {"mins": [50.0, 70.0]})]


def test_a_step_not_in_the_pipeline_is_none():
    d = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] != "treat"])
    assert d.step("treat") is None and d.step("normalise").method == "ratio"


def test_it_loads_a_shipped_definition_by_name_urn_or_path():
    path = shipped_dir() / "lianghua-regional.yaml"
    for ref in ("lianghua-regional", "urn:ronghe:index:lianghua-regional", path):
        loaded = load(ref)
        assert loaded.definition.urn == "urn:ronghe:index:lianghua-regional"
        assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert loaded.source == "lianghua-regional.yaml"
    assert resolve("lianghua-regional") == path
    with pytest.raises(FileNotFoundError) as exc:
        resolve("nope")
    assert str(exc.value) == "no index definition named 'nope' (shipped: lianghua-regional)"


def test_it_refuses_a_faulty_file_naming_it_and_every_fault(tmp_path):
    doc = copy.deepcopy(MINI)
    doc["total"] = "Q"
    doc["tiers"] = [{"min": 1, "label": "x"}, {"min": 2, "label": "y"}]
    bad = tmp_path / "bad-index.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    expected = [("bad-index.yaml", "total", "definition.unknown_node", {"node": "Q"}),
                ("bad-index.yaml", "tiers", "definition.tiers", {"mins": [1.0, 2.0]})]
    assert [(e.file, e.path, e.code, e.params) for e in validate(bad)] == expected
    with pytest.raises(FrameworkFileError) as exc:
        load(bad)
    assert [(e.file, e.path, e.code, e.params) for e in exc.value.errors] == expected
    # the reason is the code's message in the active language, its values untranslated
    assert [e.reason for e in exc.value.errors] == [message(c, **p) for _, _, c, p in expected]
    with use_locale("zh-Hans"):
        assert [e.reason for e in validate(bad)] == ["不存在的节点“Q”", "梯队应按最低分从高到低排列，现为 [1.0, 2.0]"]
    good = tmp_path / "good-index.yaml"
    good.write_text(yaml.safe_dump(MINI, allow_unicode=True), encoding="utf-8")
    assert validate(good) == [] and load(good).definition.total == "T"


def test_weights_may_be_written_as_fractions_that_sum_to_exactly_one(tmp_path):
    doc = copy.deepcopy(MINI)
    doc["nodes"] = [doc["nodes"][0], {**doc["nodes"][1], "weight": "3/5"}, {**doc["nodes"][2], "weight": " 2 / 5 "}]
    doc["indicators"] = [{**i, "weight": w} for i, w in zip(doc["indicators"], ["1/2", 0.5, "1/1"], strict=True)]
    f = tmp_path / "fractions-index.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    d = load(f).definition
    assert [n.weight for n in d.nodes][1:] == [0.6, 0.4] and [i.weight for i in d.indicators] == [0.5, 0.5, 1.0]
    thirds = [_node("T"), _node("A", "T")] + [_ind(f"a{k}", "A", "1/3") for k in range(3)]
    assert _faults(nodes=thirds[:2], indicators=thirds[2:], total="T", targets=[]) == []
    for bad in ("1/0", "a/3", "2/1", "-1/3", "1/3/4"):
        doc["indicators"][0]["weight"] = bad
        f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        assert [e.path for e in validate(f)] == ["indicators/a1/weight"], bad
