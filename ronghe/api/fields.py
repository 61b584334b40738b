"""Bounded field types for API inputs: every number that enters is bounded where it enters.

Ids are database keys (64-bit signed); years are calendar years a record can have (a
framework narrows them further in the service); short texts are bounded in length.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from ronghe.workflow import MAX_TEXT

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id."""
Year = Annotated[int, Field(ge=1949, le=2200)]
"""A calendar year (a framework or index narrows it further)."""
Day = Annotated[dt.date, Field(ge=dt.date(1949, 1, 1), le=dt.date(2200, 12, 31))]
"""A day within the years of :data:`Year` (a step may narrow it: not in the future …)."""
Slug = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
"""A short name such as ``gbt23020-discrete``."""
ShortText = Annotated[str, StringConstraints(max_length=2000)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=r"^[^\x00]*$")]
"""A person's text to a workflow step (a reason, an answer, a summary), bounded as the services bound it."""
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A version number (a 32-bit integer column)."""
