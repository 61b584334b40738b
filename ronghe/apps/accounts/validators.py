"""User names people can tell apart.

A user name appears in review queues and audit logs, so two names must never look alike: it is
2–30 letters or digits (any script, so 王小明 is fine) with ``_ . - @``; it must already be in
Unicode normal form NFKC (no full-width ``ｄｅｍｏ`` beside ``demo``); no control or formatting
characters (no right-to-left override); and no mix of scripts whose letters can pass for each
other (Cyrillic ``а`` inside Latin ``admin``), judged with the Unicode confusables data.
"""

from __future__ import annotations

import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH, MAX_LENGTH = 2, 30
PUNCTUATION = set("_.-@")


def validate_username(value: str) -> None:
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise ValidationError(_("A user name has %(min)d to %(max)d characters.") % {"min": MIN_LENGTH,
                                                                                      "max": MAX_LENGTH},
                              code="length")
    if unicodedata.normalize("NFKC", value) != value:
        raise ValidationError(_("Write the user name with ordinary (half-width) characters."), code="normal_form")
    for ch in value:
        category = unicodedata.category(ch)
        if not (category[0] == "L" or category == "Nd" or ch in PUNCTUATION):
            raise ValidationError(_("A user name has letters, digits and _ . - @ only; %(char)s is not allowed.")
                                  % {"char": repr(ch)}, code="character")
    if confusables.is_dangerous(value) or confusables.is_confusable(
            value, preferred_aliases=["latin", "common", "han"]):
        raise ValidationError(_("The user name mixes letters of different scripts that look alike."),
                              code="confusable")
