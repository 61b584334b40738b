"""Numbers as government reports write them, against hand-computed cases."""

import datetime as dt
import math

import pytest

from ronghe.core.reports import numbers as n


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (0, "家", "0家"), (9876, "家", "9876家"), (9999.4, "", "9999"), (10000, "家", "1万家"),
    (12345, "家", "1.23万家"), (12000, "", "1.2万"), (125000, "元", "12.5万元"), (99995, "", "10万"),
    (99_999_999.9, "", "1亿"), (123_456_789, "元", "1.23亿元"), (300_000_000, "元", "3亿元"),
    (-12345, "元", "-1.23万元"), (None, "家", "—"), (math.nan, "", "—"),
])
def test_amounts_are_written_in_wan_and_yi(value, unit, expected):
    assert n.amount(value, unit) == expected


def test_amounts_in_english_keep_thousands_separators():
    assert n.amount(12345, "enterprises", locale="en") == "12,345 enterprises"


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (56.25, 1, "56.3"), (56.35, 1, "56.4"), (2.675, 2, "2.68"), (0.04, 1, "0.0"), (-0.04, 1, "0.0"),
    (-1.25, 1, "-1.3"), (100, 1, "100.0"), (62.349, 1, "62.3")])
def test_fixed_rounds_half_away_from_zero_as_reports_do(value, digits, expected):
    assert n.fixed(value, digits) == expected


def test_percent_and_score():
    assert n.percent(56.25) == "56.3%" and n.percent(None) == "—"
    assert n.score(62.35) == "62.4分" and n.score(62.35, locale="en") == "62.4"


@pytest.mark.parametrize(("new", "old", "expected"), [
    (58.4, 56.1, "提高2.3个百分点"), (50.0, 53.25, "下降3.3个百分点"), (40.0, 40.04, "持平"), (None, 3, "—")])
def test_a_change_of_a_share_is_in_percentage_points(new, old, expected):
    assert n.points_change(new, old) == expected


def test_score_change_and_english():
    assert n.score_change(62.4, 58.0) == "提高4.4分" and n.score_change(58.0, 62.4) == "下降4.4分"
    assert n.points_change(58.4, 56.1, locale="en") == "up 2.3 percentage points"


@pytest.mark.parametrize(("new", "old", "expected"), [
    (1125, 1000, "同比增长12.5%"), (900, 1000, "同比下降10.0%"), (1000, 1000, "同比持平"), (5, 0, "—")])
def test_growth_is_a_year_on_year_rate(new, old, expected):
    assert n.growth(new, old) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0, "〇"), (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (100, "一百"), (105, "一百零五"),
    (110, "一百一十"), (1001, "一千零一"), (2026, "二千零二十六"), (10010, "一万零一十")])
def test_chinese_integers(value, expected):
    assert n.cn_integer(value) == expected


def test_chinese_integers_refuse_what_they_cannot_write():
    with pytest.raises(ValueError):
        n.cn_integer(100_000)


def test_cover_dates_in_chinese_numerals():
    assert n.cn_year(2026) == "二〇二六年"
    assert n.cn_date(dt.date(2026, 12, 1)) == "二〇二六年十二月"
    assert n.cn_date(dt.date(2025, 10, 31), with_day=True) == "二〇二五年十月三十一日"


def test_rank():
    assert n.rank(3) == "第3位" and n.rank(3, 15) == "第3位（共15个）" and n.rank(3, 15, "en") == "3 of 15"
