"""URL converters with bounds: a number in a URL is a database key, and a key has a range.

Django's ``<int:…>`` takes any length of digits; ``/assessments/99999999999999999999/`` would then
reach the database as a number it cannot hold (an error on PostgreSQL, an overflow on SQLite).
``<id:…>`` takes 1–18 digits (every 64-bit key) and ``<small:…>`` 1–9 (a 32-bit integer column,
such as a version number); a longer number simply matches no page (404).
"""

from __future__ import annotations


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class SmallConverter(IdConverter):
    regex = "[0-9]{1,9}"
