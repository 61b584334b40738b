"""The targets file format.

A file names the plans it draws on (``sources``, each marked verified or not against the
project's sources) and lists targets. A target measures one metric over one scope:

- ``metric.kind: stage_share`` — share (percent) of assessed enterprises at ``stage_min`` or above;
- ``metric.kind: rate`` — mean of a framework's key rate (percent) over the enterprises that answered;
- ``metric.kind: rate_share`` — share (percent) of enterprises whose key rate is above ``above``;
- ``metric.kind: index`` — the value of a regional index (``index``, node ``node``, default its total).

``scope`` limits the enterprises counted: a region (GB/T 2260 code, ``000000`` the whole
country), industries (sections or divisions of GB/T 4754) and size bands. ``baseline`` and
``target`` give a year and a value; a stage-share baseline may list the whole stage distribution.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ronghe.core.frameworks.schema import Identifier, Text, Year

Code = Annotated[str, Field(pattern=r"^\d{6}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A plan or statistic the targets come from."""

    id: Identifier
    title: Text
    issuer: str
    year: Year
    urls: list[str] = Field(default_factory=list)
    verified: bool
    """Whether the figures were checked against a source the project keeps (shared/specs/standards.md)."""
    note: Text | None = None


class Metric(_Model):
    kind: Literal["stage_share", "rate", "rate_share", "index"]
    stage_min: int | None = Field(default=None, ge=1, le=9)
    rate: Identifier | None = None
    above: float = 0.0
    """For ``rate_share``: the rate (percent) an enterprise must exceed to count."""
    index: Identifier | None = None
    """For ``index``: the index definition's short name (``lianghua-regional``)."""
    node: Identifier | None = None
    """For ``index``: the node reported (default: the index's total)."""
    frameworks: list[Identifier] = Field(default_factory=list)
    """Frameworks whose assessments count (short names); empty: any that has the metric."""


class Scope(_Model):
    region: Code = "000000"
    industry: list[Annotated[str, Field(pattern=r"^([A-T]|\d{2})$")]] = Field(default_factory=list)
    """GB/T 4754 sections (letters) or divisions (2 digits); empty: every industry."""
    size: list[str] = Field(default_factory=list)
    """Size bands (``300人以下`` …); empty: every size."""


class Point(_Model):
    year: Year
    value: float
    distribution: list[float] | None = None
    """For a stage share: the percent at each stage 1, 2, … in that year, when published."""
    note: Text | None = None


class Target(_Model):
    id: Identifier
    source: Identifier
    name: Text
    metric: Metric
    scope: Scope = Field(default_factory=Scope)
    baseline: Point | None = None
    target: Point
    direction: Literal["higher", "lower"] = "higher"
    note: Text | None = None
    """How the metric stands in for the plan's wording (a proxy), or why it cannot be measured yet."""


class TargetFile(_Model):
    urn: Annotated[str, Field(pattern=r"^urn:ronghe:targets:[a-z0-9][a-z0-9-]*$")]
    version: int = Field(ge=1)
    provider: str
    name: Text
    description: Text | None = None
    sources: list[Source] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)

    @property
    def name_slug(self) -> str:
        return self.urn.rsplit(":", 1)[-1]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
