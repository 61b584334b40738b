"""The pages' number filter ``num`` writes what Django's ``floatformat`` writes, in both languages,
and every template uses it (one way to write a number)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.numbers import num

DIGITS = [0, 1, 2, 3, -1, -2]
# floatformat gives up on numbers below ~1e-28 (it writes them as Python prints them, 1e-205);
# num writes 0 — the comparison leaves those out
finite = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12).filter(
        lambda x: abs(x) > 1e-20 or not x
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1, max_value=1).filter(
        lambda x: abs(x) > 1e-20 or not x
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=4),
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@settings(max_examples=400, deadline=None)
@given(value=finite, digits=st.sampled_from(DIGITS))
def test_num_writes_what_floatformat_writes(language, value, digits):
    with translation.override(language):
        assert num(value, digits) == floatformat(value, digits)


@pytest.mark.parametrize(
    ("value", "digits", "written"),
    [
        (2.675, 2, "2.68"),
        (0.25, 1, "0.3"),
        (-0.25, 1, "-0.3"),
        (-0.04, 1, "0.0"),
        (3.0, -1, "3"),
        (3.04, -1, "3.0"),
        (3.06, -1, "3.1"),
        (87.456, 0, "87"),
        (87.5, 0, "88"),
        (100, 1, "100.0"),
        (Decimal("1E+2"), 0, "100"),
        ("12.345", 2, "12.35"),
        (1e-7, 3, "0.000"),
        (1e-205, 0, "0"),
        (123456789.123, 1, "123456789.1"),
    ],
)
def test_num_rounds_half_away_from_zero_on_the_shortest_decimal_form(value, digits, written):
    assert num(value, digits) == written


@pytest.mark.parametrize("value", [None, "", "abc", float("nan"), float("inf"), -float("inf"), True, [1], {}])
def test_anything_but_a_finite_number_is_written_as_nothing(value):
    assert num(value, 1) == ""
    assert Template('{{ v|num:1|default:"—" }}').render(Context({"v": value})) == "—"


def test_a_bad_digits_argument_writes_nothing():
    assert num(1.5, "x") == ""
    assert num(1.5, None) == ""


def test_num_is_a_builtin_of_every_template():
    assert Template("{{ v|num:2 }}|{{ v|num }}|{{ w|num }}").render(Context({"v": 1.005, "w": 2.0})) == "1.01|1.0|2"


def test_no_template_uses_floatformat():
    """One way to write a number on a page: ``num``."""
    root = Path(__file__).resolve().parents[1] / "ronghe"
    users = [str(p.relative_to(root)) for p in root.rglob("*.html") if "floatformat" in p.read_text(encoding="utf-8")]
    assert users == []
