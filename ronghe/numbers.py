"""How the pages write a number: ``{{ value|num:1 }}`` (a template builtin, see settings.TEMPLATES).

Django's ``floatformat`` localises every number it writes, which costs a lookup of the active
language's formats per call: a result page writes several hundred numbers, and ``floatformat`` was
a fifth of its time. Both of the site's languages (简体中文 and English) write numbers alike — a
point before the decimals, no grouping of thousands — so ``num`` writes them without that lookup.
It rounds as ``floatformat`` does (half away from zero, on the number's shortest decimal form:
2.675 → 2.68, 0.25 → 0.3), and the tests hold it to ``floatformat``'s output in both languages.

``digits`` as in ``floatformat``: ``1`` always one decimal; ``-1`` one decimal unless the number
is whole (``3`` rather than ``3.0``); ``0`` a whole number. Anything that is not a finite number
(None, "", text, NaN, infinity) is written as "", so that ``|default:"—"`` shows a dash.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django import template
from django.utils.safestring import SafeString

register = template.Library()
_STEPS = {p: Decimal(1).scaleb(-p) for p in range(10)}


def _decimal(value) -> Decimal | None:
    """``value`` as a finite Decimal of its shortest decimal form, or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


@register.filter(is_safe=True)
def num(value, digits: int | str = -1) -> str:
    """``value`` with ``digits`` decimals (see the module's docstring); "" if it is not a number."""
    d = _decimal(value)
    if d is None:
        return ""
    try:
        p = int(digits)
    except (TypeError, ValueError):
        return ""
    places = min(abs(p), 9)
    if p <= 0 and d == d.to_integral_value():
        return SafeString(f"{int(d)}")
    # precision enough for every digit before the point plus the decimals asked for
    exact = d.quantize(_STEPS[places], ROUND_HALF_UP, Context(prec=max(28, d.adjusted() + places + 2)))
    return SafeString(f"{exact if exact else abs(exact):f}")  # a zero is written without a minus
