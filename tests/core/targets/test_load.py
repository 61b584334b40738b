import pytest
import yaml

from ronghe.core.codes import SIZE_BANDS
from ronghe.core.errors import FrameworkFileError
from ronghe.core.messages import use_locale
from ronghe.core.targets.load import load, load_shipped, shipped, validate

GOOD = {
    "urn": "urn:ronghe:targets:test", "version": 1, "provider": "test", "name": "测试目标",
    "sources": [{"id": "plan", "title": "某计划", "issuer": "某部门", "year": 2021, "verified": True}],
    "targets": [{"id": "share", "source": "plan", "name": "集成提升及以上比例",
                 "metric": {"kind": "stage_share", "stage_min": 3},
                 "scope": {"region": "330000", "industry": ["C", "34"], "size": ["300人以下"]},
                 "baseline": {"year": 2020, "value": 30, "distribution": [40, 30, 20, 10]},
                 "target": {"year": 2025, "value": 50}}],
}


def _write(tmp_path, doc):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_it_ships_the_plans_named_in_the_issue_with_their_sources():
    (loaded,) = load_shipped()
    f = loaded.file
    ids = {t.id for t in f.targets}
    assert {"advanced-large-2018", "sme-it-use-2018", "sme-online-2018", "equipment-nc-2018", "rd-tools-2025",
            "nc-rate-2025", "zhejiang-index-2015", "zhejiang-index-2017"} <= ids
    big = next(t for t in f.targets if t.id == "advanced-large-2018")
    assert big.baseline.distribution == [31, 37, 22, 10] and big.target.value == 80 and big.metric.stage_min == 3
    assert not f.source(big.source).verified and f.source("plan-2021").verified
    assert {t.target.value for t in f.targets if t.source == "zhejiang"} == {80, 86}
    assert "national-plans" in shipped()


def test_it_accepts_a_good_file(tmp_path):
    assert validate(_write(tmp_path, GOOD)) == []
    assert load(_write(tmp_path, GOOD)).file.targets[0].scope.region == "330000"


@pytest.mark.parametrize(("change", "path", "code", "params"), [
    (lambda d: d["targets"][0].update(source="nope"), "targets/share/source", "targets.unknown_source",
     {"source": "nope", "sources": "plan"}),
    (lambda d: d["targets"][0]["metric"].pop("stage_min"), "targets/share/metric/stage_min", "targets.metric_needs",
     {"kind": "stage_share", "name": "stage_min"}),
    (lambda d: d["targets"][0]["metric"].update(rate="nc_rate"), "targets/share/metric/rate", "targets.metric_unused",
     {"kind": "stage_share", "name": "rate"}),
    (lambda d: d["targets"][0]["scope"].update(industry=["99"]), "targets/share/scope/industry", "targets.industry",
     {"code": "99"}),
    (lambda d: d["targets"][0]["scope"].update(size=["tiny"]), "targets/share/scope/size", "targets.size",
     {"band": "tiny", "bands": ", ".join(SIZE_BANDS)}),
    (lambda d: d["targets"][0]["scope"].update(region="990000"), "targets/share/scope/region", "targets.region",
     {"region": "990000"}),
    (lambda d: d["targets"][0]["baseline"].update(year=2030), "targets/share/baseline/year", "targets.baseline_year",
     {"baseline": 2030, "year": 2025}),
    (lambda d: d["targets"][0]["baseline"].update(distribution=[40, 30, 20, 20]),
     "targets/share/baseline/distribution", "targets.distribution_sum", {"total": 110}),
    (lambda d: d["targets"][0]["baseline"].update(distribution=[40, 30]),
     "targets/share/baseline/distribution", "targets.distribution_short", {"count": 2, "stage": 3}),
    (lambda d: d["targets"][0]["baseline"].update(value=45), "targets/share/baseline/distribution",
     "targets.distribution_value", {"stage": 3, "total": 30, "value": 45}),
    (lambda d: d["targets"][0]["target"].update(distribution=[50, 50]) or d["targets"][0].update(
        metric={"kind": "rate", "rate": "nc_rate"}), "targets/share/target/distribution",
     "targets.distribution_kind", {}),
    (lambda d: d["targets"][0].update(metric={"kind": "index", "index": "nope"}), "targets/share/metric/index",
     "targets.no_index", {"index": "nope", "names": "lianghua-regional"}),
    (lambda d: d["targets"][0].update(metric={"kind": "index", "index": "lianghua-regional", "node": "X"}),
     "targets/share/metric/node", "targets.index_node", {"index": "lianghua-regional", "node": "X"}),
    (lambda d: d["targets"][0].update(metric={"kind": "index", "index": "lianghua-regional"}),
     "targets/share/scope", "targets.index_scope", {}),
    (lambda d: d["targets"][0].update(colour="red"), "targets/share/colour", "schema.extra", {}),
    (lambda d: d["targets"][0]["target"].pop("value"), "targets/share/target/value", "schema.missing", {}),
    (lambda d: d["targets"].append(dict(d["targets"][0])), "targets/share/id", "targets.duplicate_id", {}),
    (lambda d: d["sources"].append(dict(d["sources"][0])), "sources", "targets.duplicate_source", {}),
])
def test_it_names_the_file_path_and_code_of_every_fault(tmp_path, change, path, code, params):
    doc = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    change(doc)
    errors = validate(_write(tmp_path, doc))
    assert ("t.yaml", path, code, params) in [(e.file, e.path, e.code, e.params) for e in errors], errors
    with pytest.raises(FrameworkFileError):
        load(_write(tmp_path, doc))


def test_it_reports_bad_yaml_with_its_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("urn: [unclosed\n", encoding="utf-8")
    (error,) = validate(path)
    assert (error.path, error.code) == ("line 2, column 1", "doc.yaml")


def test_its_faults_read_in_chinese_by_default_and_in_english_on_request(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    doc["targets"][0]["scope"].update(size=["tiny"])
    path = _write(tmp_path, doc)
    with use_locale(None):
        assert [e.reason for e in validate(path)] == [f"未知的规模“tiny”（可选：{', '.join(SIZE_BANDS)}）"]
        with use_locale("en"):
            assert [e.reason for e in validate(path)] == [f"unknown size band 'tiny' (use {', '.join(SIZE_BANDS)})"]
