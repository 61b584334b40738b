from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

RegionCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
"""A GB/T 2260 code; 000000 is the whole country."""
Number = float | int | None


class StageShareOut(Schema):
    code: int
    label: str
    count: int
    share: float | None = None
    """Percent of the group."""


class MetricOut(Schema):
    id: str
    kind: str
    """total, root, aspect, rate or indicator."""
    name: str
    unit: str = ""


class MetricValueOut(Schema):
    """One metric of the enterprise against one group: scores 0–100, rates in percent."""

    id: str
    value: float | None = None
    percentile: float | None = None
    """0–100: the share of the group below (ties count half)."""
    quartile: int | None = None
    """1 = top quarter … 4 = bottom quarter."""
    n: int
    mean: float | None = None
    p10: float | None = None
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    gap_top10: float | None = None
    """P90 of the group minus the value, 0 once reached."""


class PeerGroupOut(Schema):
    kind: str
    """division, section, province, city, size or all."""
    label: str
    requested: str | None = None
    """The enterprise's own group of this kind."""
    used: str | None = None
    """The group shown: the own group, or a wider one when the own group is too small (None: none large enough)."""
    replaced: bool
    shown: bool
    n: int
    stages: list[StageShareOut] = []
    metrics: list[MetricValueOut] = []


class PanelOut(Schema):
    assessment: int
    available: bool
    reason: str = ""
    """not_scored when the assessment has no approved score yet."""
    year: int
    framework: str | None = None
    min_size: int
    """Groups with fewer members are never shown."""
    stage: int | None = None
    stage_labels: list[str] = []
    metrics: list[MetricOut] = []
    groups: list[PeerGroupOut] = []


class TargetStatusOut(Schema):
    id: str
    name: str
    source: str
    verified: bool
    metric: str
    scope_region: str
    scope_industry: list[str]
    scope_size: list[str]
    baseline: float | None = None
    baseline_year: int | None = None
    target: float
    target_year: int
    year: int | None = None
    value: float | None = None
    n: int | None = None
    gap: float | None = None
    pace_needed: float | None = None
    """Per year, until the target year."""
    pace_so_far: float | None = None
    expected_now: float | None = None
    state: str
    """achieved, on_track, off_track, missed, unknown or no_data."""
    state_label: str
    reason: str = ""
    note: str = ""


class DashboardOut(Schema):
    region: str
    name: str
    level: str
    framework: str | None = None
    year: int
    years: list[int]
    advanced_stage: int
    advanced_label: str
    stage_labels: list[str]
    metrics: list[MetricOut]
    totals: dict[str, Number]
    """registered, assessed, approved, submission_rate (%), n, stage_<s>, stage_<s>_pct, advanced_pct and the
    mean of each metric."""
    waiting: int
    stages: list[StageShareOut]
    trend: list[dict[str, Number]]
    targets: list[TargetStatusOut]


class BreakdownRowOut(Schema):
    key: str
    """A sub-region's code prefix, a GB/T 4754 division or a size band."""
    name: str
    registered: int
    assessed: int
    approved: int
    submission_rate: float | None = None
    n: int
    figures: dict[str, Number]
