import pandas as pd
import pytest

from ronghe.core.benchmarking.cohorts import Cohort, chain, parse_kinds
from ronghe.core.benchmarking.suppression import resolve, shown, suppress_groups

OWN = {"division": "34", "section": "C", "province": "33", "city": "3301", "size": "300人以下", "all": "*"}


def test_it_shows_only_groups_of_at_least_the_minimum():
    sizes = pd.Series({"a": 9, "b": 10, "c": 250, "d": None})
    assert shown(sizes, 10).tolist() == [False, True, True, False]
    assert shown(sizes, 1).tolist() == [True, True, True, False]
    with pytest.raises(ValueError):
        shown(sizes, 0)


def test_it_keeps_a_group_that_is_large_enough():
    res = resolve("division", OWN, {Cohort("division", "34"): 10}, 10)
    assert res.used == res.requested == Cohort("division", "34") and res.n == 10 and not res.replaced


def test_it_replaces_a_small_division_by_its_section_and_says_so():
    sizes = {Cohort("division", "34"): 9, Cohort("section", "C"): 400, Cohort("all", "*"): 1000}
    res = resolve("division", OWN, sizes, 10)
    assert res.requested == Cohort("division", "34") and res.used == Cohort("section", "C") and res.n == 400
    assert res.replaced and res.skipped == (Cohort("division", "34"),)


def test_it_goes_on_to_everyone_and_then_gives_up():
    sizes = {Cohort("city", "3301"): 3, Cohort("province", "33"): 8, Cohort("all", "*"): 12}
    res = resolve("city", OWN, sizes, 10)
    assert res.used == Cohort("all", "*") and res.skipped == (Cohort("city", "3301"), Cohort("province", "33"))
    res = resolve("city", OWN, sizes, 20)
    assert res.used is None and res.n == 0 and len(res.skipped) == 3


def test_it_skips_an_unknown_attribute_to_the_wider_group():
    own = {**OWN, "division": None}
    res = resolve("division", own, {Cohort("section", "C"): 50}, 10)
    assert res.requested is None and res.used == Cohort("section", "C")


def test_it_drops_small_groups_from_a_table_and_counts_them():
    table = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 10, 40], "mean": [1.0, 2.0, 3.0]})
    kept, withheld = suppress_groups(table, 10)
    assert kept["group"].tolist() == ["b", "c"] and withheld == 1


def test_it_names_the_fallback_chains_and_parses_kinds():
    assert chain("division") == ["division", "section", "all"]
    assert chain("city") == ["city", "province", "all"]
    assert chain("size") == ["size", "all"]
    assert parse_kinds("industry, province,industry") == ["division", "province"]
    with pytest.raises(ValueError) as info:
        parse_kinds("county")
    assert str(info.value) == ("unknown peer group 'county' (use all, city, division, everyone, industry, "
                               "province, section, size)")


def test_it_refuses_a_minimum_below_one_and_takes_one():
    for call in (lambda m: shown(pd.Series([1, 2]), m), lambda m: resolve("all", OWN, {Cohort("all", "*"): 1}, m)):
        with pytest.raises(ValueError, match=r"^the minimum group size is at least 1$"):
            call(0)
    assert shown(pd.Series([0, 1]), 1).tolist() == [False, True]
    assert resolve("all", OWN, {Cohort("all", "*"): 1}, 1).n == 1


def test_a_group_missing_from_the_sizes_has_no_members():
    res = resolve("division", OWN, {Cohort("all", "*"): 30}, 10)  # neither the division nor the section counted
    assert res.used == Cohort("all", "*") and res.skipped == (Cohort("division", "34"), Cohort("section", "C"))


def test_it_reads_a_list_of_kinds_with_blanks_and_needs_one():
    assert parse_kinds("industry,,PROVINCE , everyone") == ["division", "province", "all"]
    assert parse_kinds(" ,city") == ["city"]
    with pytest.raises(ValueError, match=r"^name at least one peer group$"):
        parse_kinds(" , ")


def test_it_keeps_a_tables_columns_and_numbers_its_rows_afresh():
    table = pd.DataFrame({"group": ["a", "b", "c", "d"], "n": [3, 5, 40, 6]}, index=[7, 8, 9, 10])
    kept, withheld = suppress_groups(table, 5)
    assert kept.to_dict("list") == {"group": ["b", "c", "d"], "n": [5, 40, 6]} and withheld == 1
    assert kept.index.tolist() == [0, 1, 2]
