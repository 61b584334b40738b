"""Eligibility rules against hand-made enterprises: each rule's verdict at and around its boundary, the
scope's checks, the reason given for every verdict, and rule lists refused with their paths."""

import pytest

from ronghe.core.messages import use_locale
from ronghe.core.programs.rules import (
    Profile,
    RulesError,
    Scope,
    describe,
    eligible,
    evaluate,
    parse_rules,
)

ZJ = Scope(prefix="33", region_name="浙江省", industries=("34", "39"), sizes=("300-1000人", "1000-5000人"))
RULES = parse_rules([{"kind": "stage_at_least", "min": 2}, {"kind": "total_at_least", "min": 60},
                     {"kind": "certificate_grade_at_least", "min": "AA"}, {"kind": "no_open_nonconformity"},
                     {"kind": "assessed_since", "year": 2024}])
GOOD = Profile(region="330106", industry="34", size="300-1000人", stage=2, total=60.0, year=2024, grades=("AA",),
               open_findings=0)

# (what differs from GOOD, the rules that then fail)
CASES = [
    ({}, set()),                                                     # every boundary exactly met
    ({"stage": 1}, {"stage_at_least"}),
    ({"stage": 0}, {"stage_at_least"}),                              # 待确定 counts as below stage 1
    ({"stage": 4}, set()),
    ({"stage": None, "total": None, "year": None}, {"stage_at_least", "total_at_least", "assessed_since"}),
    ({"total": 59.99}, {"total_at_least"}),
    ({"total": 100.0}, set()),
    ({"year": 2023}, {"assessed_since"}),
    ({"grades": ("A",)}, {"certificate_grade_at_least"}),
    ({"grades": ()}, {"certificate_grade_at_least"}),
    ({"grades": ("A", "AAA")}, set()),                               # the best certificate in force counts
    ({"open_findings": 1}, {"no_open_nonconformity"}),
    ({"region": "110105"}, {"scope.region"}),
    ({"region": "3"}, {"scope.region"}),
    ({"region": None}, {"scope.region"}),
    ({"industry": "26"}, {"scope.industry"}),
    ({"size": "10000人以上"}, {"scope.size"}),
    ({"size": "", "stage": 1, "grades": ()}, {"scope.size", "stage_at_least", "certificate_grade_at_least"}),
]


@pytest.mark.parametrize(("change", "failing"), CASES, ids=[str(c) for c, _ in CASES])
def test_it_fails_exactly_the_rules_a_hand_made_enterprise_misses(change, failing):
    profile = Profile(**{**GOOD.__dict__, **change})
    checks = evaluate(ZJ, RULES, profile)
    assert {c.rule for c in checks if not c.ok} == failing
    assert eligible(checks) == (not failing)
    assert [c.rule for c in checks] == ["scope.region", "scope.industry", "scope.size", "stage_at_least",
                                        "total_at_least", "certificate_grade_at_least", "no_open_nonconformity",
                                        "assessed_since"]
    assert all(c.code.endswith(".ok" if c.ok else ".fail") and c.message for c in checks)


def test_it_says_why_each_rule_fails_in_chinese_by_default_and_in_english():
    profile = Profile(region="330106", industry="34", size="300-1000人", stage=1, total=52.4, year=2025,
                      grades=("A",), open_findings=2)
    names = {"330106": "西湖区"}
    with use_locale("zh-Hans"):
        reasons = {c.rule: c.message for c in evaluate(ZJ, RULES, profile, names) if not c.ok}
    assert reasons == {
        "stage_at_least": "要求最近一次审核通过的两化融合评估达到单项覆盖及以上，目前为：起步建设",
        "total_at_least": "要求最近一次审核通过的评估总分不低于 60，目前为：52.4",
        "certificate_grade_at_least": "要求持有 AA 级及以上的有效两化融合管理体系评定证书，目前：A",
        "no_open_nonconformity": "有 2 个评定不符合项的纠正措施尚未验证关闭",
    }
    with use_locale("en"):
        held = {c.rule: c.message for c in evaluate(ZJ, RULES, profile, names) if c.ok}
    assert held["scope.region"] == "the enterprise's region (西湖区) is within the call's scope (浙江省)"
    assert held["assessed_since"] == "the latest approved assessment is of 2025, 2024 or later"


def test_it_checks_only_the_region_when_the_call_takes_every_industry_and_size():
    checks = evaluate(Scope(), [], Profile(region="110105"))
    assert [(c.rule, c.ok) for c in checks] == [("scope.region", True)]  # the whole country


def test_it_describes_the_rules_in_words():
    with use_locale("zh-Hans"):
        assert describe(RULES)[:2] == ["最近一次审核通过的两化融合评估达到单项覆盖及以上",
                                       "最近一次审核通过的评估总分不低于 60"]


@pytest.mark.parametrize(("data", "faults"), [
    ([{"kind": "stage_at_least", "min": 5}], {"rules/0/stage_at_least/min"}),
    ([{"kind": "total_at_least", "min": 101}], {"rules/0/total_at_least/min"}),
    ([{"kind": "total_at_least", "min": float("nan")}], {"rules/0/total_at_least/min"}),
    ([{"kind": "certificate_grade_at_least", "min": "AAAA"}], {"rules/0/certificate_grade_at_least/min"}),
    ([{"kind": "no_such_rule"}], {"rules/0"}),
    ([{"kind": "no_open_nonconformity", "extra": 1}], {"rules/0/no_open_nonconformity/extra"}),
    ([{"kind": "stage_at_least", "min": 2}, {"kind": "stage_at_least", "min": 3}], {"rules/1/kind"}),
    ("not a list", {"rules"}),
    ([{"kind": "no_open_nonconformity"}] * 21, {"rules"}),
])
def test_it_refuses_a_rule_list_naming_every_fault_with_its_path(data, faults):
    with pytest.raises(RulesError) as exc:
        parse_rules(data)
    assert {f.path for f in exc.value.faults} == faults
