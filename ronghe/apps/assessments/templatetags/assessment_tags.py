"""Small template helpers for the questionnaire."""

import re

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or None — templates cannot index a dict by a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split_choices(value):
    """The option ids of a stored multiple-choice answer (``"A,C"`` → ``["A", "C"]``)."""
    return [p for p in re.split(r"[,，;；|、\s]+", str(value or "")) if p]
