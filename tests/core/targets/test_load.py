import pytest
import yaml

from ronghe.core.errors import FrameworkFileError
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


@pytest.mark.parametrize(("change", "path", "reason"), [
    (lambda d: d["targets"][0].update(source="nope"), "targets/share/source", "unknown source 'nope'"),
    (lambda d: d["targets"][0]["metric"].pop("stage_min"), "targets/share/metric/stage_min", "needs stage_min"),
    (lambda d: d["targets"][0]["metric"].update(rate="nc_rate"), "targets/share/metric/rate", "has no rate"),
    (lambda d: d["targets"][0]["scope"].update(industry=["99"]), "targets/share/scope/industry", "99 is not"),
    (lambda d: d["targets"][0]["scope"].update(size=["tiny"]), "targets/share/scope/size", "unknown size band"),
    (lambda d: d["targets"][0]["scope"].update(region="990000"), "targets/share/scope/region", "in no province"),
    (lambda d: d["targets"][0]["baseline"].update(year=2030), "targets/share/baseline/year", "must come before"),
    (lambda d: d["targets"][0]["baseline"].update(distribution=[40, 30, 20, 20]),
     "targets/share/baseline/distribution", "sum to 110"),
    (lambda d: d["targets"][0]["baseline"].update(value=45), "targets/share/baseline/distribution",
     "stages 3 and above sum to 30"),
    (lambda d: d["targets"][0].update(metric={"kind": "index", "index": "nope"}), "targets/share/metric/index",
     "no shipped index definition"),
    (lambda d: d["targets"][0].update(metric={"kind": "index", "index": "lianghua-regional", "node": "X"}),
     "targets/share/metric/node", "has no node 'X'"),
    (lambda d: d["targets"][0].update(colour="red"), "targets/share/colour", "unknown field"),
    (lambda d: d["targets"][0]["target"].pop("value"), "targets/share/target/value", "required field is missing"),
    (lambda d: d["targets"].append(dict(d["targets"][0])), "targets/share/id", "duplicate target id"),
])
def test_it_names_the_file_path_and_reason_of_every_fault(tmp_path, change, path, reason):
    doc = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    change(doc)
    errors = validate(_write(tmp_path, doc))
    assert any(e.file == "t.yaml" and e.path == path and reason in e.reason for e in errors), errors
    with pytest.raises(FrameworkFileError):
        load(_write(tmp_path, doc))


def test_it_reports_bad_yaml_with_its_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("urn: [unclosed\n", encoding="utf-8")
    (error,) = validate(path)
    assert error.path.startswith("line ") and "not valid YAML" in error.reason
