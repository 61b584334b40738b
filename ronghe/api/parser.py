"""JSON bodies as JSON defines them.

Python's ``json`` module also accepts ``NaN``, ``Infinity`` and numbers like ``1e999`` (which
become ``inf``); none of them is a number a user can mean, and PostgreSQL's ``jsonb`` refuses them,
so they are refused here, at the edge. Django Ninja answers any parser error (this one, invalid
JSON, a body nested so deep that the decoder gives up) as a bad body, 400.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ninja.parser import Parser


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


class StrictJSONParser(Parser):
    def parse_body(self, request) -> Any:
        return json.loads(request.body, parse_constant=_no_constant, parse_float=_finite)
