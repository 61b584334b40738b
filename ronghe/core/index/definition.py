"""The regional index definition file: indicators, tree, method pipeline, tiers and targets.

Like a framework, an index definition is versioned data (YAML) validated against a schema; all
faults come back together with their path. Shipped definitions live in
``ronghe/data/indices/``. Format reference: docs/index-method.md.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ronghe.core.errors import FrameworkError, FrameworkFileError, ParameterError
from ronghe.core.frameworks.load import (
    WEIGHT_TOLERANCE,
    Fault,
    fault,
    find_cycles,
    parse_document,
    resolve_shipped,
    validate_file,
)
from ronghe.core.frameworks.schema import Identifier, Text
from ronghe.core.index.steps import STEPS


def _fraction(value: Any) -> Any:
    """A weight written as a fraction, ``1/3``, as the number it stands for (exactly a third, not
    0.333333, so that three of them sum to 1); anything else is left to the number check."""
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        try:
            return float(num) / float(den)
        except (ValueError, ZeroDivisionError):
            return value
    return value


Weight = Annotated[float, BeforeValidator(_fraction), Field(ge=0, le=1)]
"""A weight: the fraction of the parent's score carried by this child (siblings sum to 1); a
number or a fraction such as ``1/3``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FromAssessments(_Model):
    """How an ``enterprise`` indicator is computed from the region's scored assessments.

    ``rate``: the mean of a framework's key rate (e.g. ``nc_rate``, percent) over complete
    assessments; ``stage_min``: the share (percent) of complete assessments at this stage or
    above. Regions with fewer than ``min_count`` assessments get no value (too small a sample).
    """

    rate: Identifier | None = None
    stage_min: int | None = Field(default=None, ge=1, le=9)
    min_count: int = Field(default=5, ge=1)


class Indicator(_Model):
    """One indicator: what it measures, its unit, which way is better, where it comes from."""

    id: Identifier
    parent: Identifier
    weight: Weight
    name: Text
    unit: str
    direction: Literal["higher", "lower"] = "higher"
    source: str
    kind: Literal["statistics", "survey", "enterprise"] = "statistics"
    """``enterprise``: computed from the region's scored enterprise assessments (CESI method)."""
    reference: float | None = Field(default=None, gt=0)
    """Reference value for ``ratio`` normalisation (the value that scores 100)."""
    target: float | None = None
    """Target value for ``target`` normalisation."""
    assessments: FromAssessments | None = None
    """For ``kind: enterprise``: how to compute the value from scored assessments."""


class Node(_Model):
    id: Identifier
    parent: Identifier | None = None
    weight: Weight = 1.0
    name: Text


class StepSpec(_Model):
    """One pipeline step: its kind, its method and method parameters."""

    model_config = ConfigDict(extra="allow", frozen=True)
    step: Literal["impute", "treat", "normalise", "weight", "aggregate"]
    method: str
    base_year: int | None = None
    """For ``normalise``: the calendar year whose values fix min/max/mean/sd for every year."""


class Tier(_Model):
    min: float
    label: Text


class Target(_Model):
    region: Annotated[str, Field(pattern=r"^\d{6}$")]
    """GB/T 2260 code; ``000000`` is the whole country (the mean of all regions)."""
    year: int
    value: float
    label: Text | None = None


class Uncertainty(_Model):
    """Default settings of the Monte Carlo: weight noise (± fraction) and the alternatives."""

    weights: float = Field(default=0.25, ge=0, lt=1)
    """Each weight is multiplied by U(1 − p, 1 + p); below 1, so that no weight reaches 0."""
    normalise: list[Literal["minmax", "zscore", "ratio", "target", "rank", "percentile"]] = Field(
        default_factory=lambda: ["minmax", "zscore", "ratio"])
    aggregate: list[Literal["arithmetic", "geometric", "harmonic"]] = Field(
        default_factory=lambda: ["arithmetic", "geometric"])
    impute: list[Literal["none", "group_mean", "previous_year", "regression"]] | None = None
    """Imputations drawn from; None: the pipeline's impute method, not varied."""
    treat: list[Literal["none", "winsorise", "log"]] | None = None
    """Outlier treatments drawn from; None: the pipeline's treat method, not varied."""


UNIT_KINDS = ("region", "park", "industry", "group")
"""What an index ranks: regions (GB/T 2260 codes, the default), parks (开发区), industries or
enterprise groups (any code, names given with the data)."""


class Definition(_Model):
    urn: Annotated[str, Field(pattern=r"^urn:ronghe:index:[a-z0-9][a-z0-9-]*$")]
    version: int = Field(ge=1)
    provider: str
    name: Text
    description: Text | None = None
    placeholder: bool = False
    notes: Text | None = None
    unit: Literal["region", "park", "industry", "group"] = "region"
    """What is ranked (:data:`UNIT_KINDS`): only regions have GB/T 2260 codes and east/central/west zones."""
    total: Identifier
    nodes: list[Node] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    pipeline: list[StepSpec] = Field(min_length=1)
    tiers: list[Tier] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)

    @property
    def name_slug(self) -> str:
        return self.urn.rsplit(":", 1)[-1]

    def step(self, kind: str) -> StepSpec | None:
        return next((s for s in self.pipeline if s.step == kind), None)


def check(d: Definition) -> Iterator[Fault]:
    """Structural faults spanning several objects: ids, parents, cycles, weights, steps."""
    node_ids = {n.id for n in d.nodes}
    seen: set[str] = set()
    for kind, objs in (("nodes", d.nodes), ("indicators", d.indicators)):
        for o in objs:
            if o.id in seen:
                yield fault(f"{kind}/{o.id}/id", "definition.duplicate_id")
            seen.add(o.id)
    for kind, objs in (("nodes", d.nodes), ("indicators", d.indicators)):
        for o in objs:
            if o.parent is not None and o.parent not in node_ids:
                yield fault(f"{kind}/{o.id}/parent", "definition.unknown_node", node=o.parent)
    for cycle in find_cycles({n.id: n.parent for n in d.nodes}):
        yield fault(f"nodes/{cycle[0]}/parent", "definition.cycle", cycle=" → ".join([*cycle, cycle[0]]))
    if d.total not in node_ids:
        yield fault("total", "definition.unknown_node", node=d.total)
    kids: dict[str, list[Any]] = defaultdict(list)
    for o in [*d.nodes, *d.indicators]:
        if o.parent is not None:
            kids[o.parent].append(o)
    for n in d.nodes:
        group = kids.get(n.id, [])
        if not group:
            yield fault(f"nodes/{n.id}", "definition.node_empty")
            continue
        total = math.fsum(c.weight for c in group)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            yield fault(f"nodes/{n.id}", "definition.weights", total=total,
                        weights=" + ".join(f"{c.id}={c.weight:g}" for c in group))
    kinds = [s.step for s in d.pipeline]
    for required in ("normalise", "aggregate"):
        if required not in kinds:
            yield fault("pipeline", "definition.step_missing", step=required)
    for k, spec in enumerate(d.pipeline):
        params = {key: v for key, v in (spec.model_extra or {}).items()}
        try:
            STEPS[spec.step](method=spec.method, **params)
        except ParameterError as exc:
            yield fault(f"pipeline/{k}", "definition.step_parameter", detail=str(exc))
        if spec.base_year is not None and spec.step != "normalise":
            yield fault(f"pipeline/{k}/base_year", "definition.base_year")
    norm = d.step("normalise")
    methods = {norm.method} if norm else set()
    methods |= set(d.uncertainty.normalise)
    if "ratio" in methods:
        for i in d.indicators:
            if i.reference is None:
                yield fault(f"indicators/{i.id}/reference", "definition.reference")
    if "target" in methods:
        for i in d.indicators:
            if i.target is None:
                yield fault(f"indicators/{i.id}/target", "definition.target")
    for i in d.indicators:
        src = i.assessments
        if i.kind == "enterprise" and src is None:
            yield fault(f"indicators/{i.id}/assessments", "definition.assessments")
        elif src is not None and (src.rate is None) == (src.stage_min is None):
            yield fault(f"indicators/{i.id}/assessments", "definition.rate_or_stage")
    for kind in ("impute", "treat"):
        if getattr(d.uncertainty, kind) is not None and d.step(kind) is None:
            yield fault(f"uncertainty/{kind}", "definition.alternatives", step=kind)
    if d.unit != "region":
        imputes = [s.method for s in d.pipeline if s.step == "impute"] + list(d.uncertainty.impute or [])
        if "group_mean" in imputes:
            yield fault("pipeline", "definition.no_zone", unit=d.unit)
    mins = [t.min for t in d.tiers]
    if mins != sorted(mins, reverse=True):
        yield fault("tiers", "definition.tiers", mins=mins)


@dataclass(frozen=True)
class LoadedDefinition:
    definition: Definition
    sha256: str
    source: str


def shipped_dir() -> Path:
    return Path(str(resources.files("ronghe") / "data" / "indices"))


def shipped() -> dict[str, Path]:
    """The shipped index definitions by short name (the file name without ``.yaml``)."""
    return {p.stem: p for p in sorted(shipped_dir().glob("*.yaml"))}


def resolve(name_or_path: str | Path) -> Path:
    """Find an index definition by path, short name or URN."""
    return resolve_shipped(name_or_path, shipped_dir(), "index definition")


def validate(path: str | Path) -> list[FrameworkError]:
    """Every fault of an index definition file, or an empty list when it is valid."""
    return validate_file(path, Definition, check)


def load(name_or_path: str | Path) -> LoadedDefinition:
    """Load and validate an index definition; raise FrameworkFileError listing every fault."""
    path = resolve(name_or_path)
    raw = path.read_bytes()
    definition, errors = parse_document(raw, path.name, Definition, check)
    if errors:
        raise FrameworkFileError(errors)
    assert definition is not None
    return LoadedDefinition(definition, hashlib.sha256(raw).hexdigest(), path.name)
