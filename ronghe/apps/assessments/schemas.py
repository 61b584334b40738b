from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from ronghe.api.fields import Id, ShortText, Slug, Year
from ronghe.apps.assessments.models import Assessment

ItemId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
AnswerValue = Annotated[str, StringConstraints(max_length=2000)] | int | float | bool | None | list[ShortText]
"""A raw answer as typed in a spreadsheet cell: "C", "CAD,PDM" or ["CAD", "PDM"], "是", 62.5."""


class AssessmentIn(Schema):
    enterprise: Id
    framework: Slug
    """Framework short name, e.g. gbt23020-discrete (its active version is used)."""
    year: Year
    answers: dict[ItemId, AnswerValue] = Field(max_length=1000)
    """Raw answers by item id, as in a spreadsheet cell: "C", "CAD,PDM", "是", 62.5."""
    submit: bool = False


class AnswerErrorOut(Schema):
    item: str
    value: Any = None
    reason: str


class ScoreOut(Schema):
    total: float
    stage: int
    stage_label: str
    complete: bool
    nodes: dict[str, float | None]
    rates: dict[str, float | None]
    diagnosis: dict[str, Any]
    framework_sha256: str


class AssessmentOut(Schema):
    id: int
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    framework: str = Field(alias="framework.slug")
    framework_version: int = Field(alias="framework.version")
    year: int
    version: int
    status: str
    total: float | None = None
    stage_label: str | None = None

    @staticmethod
    def resolve_total(obj) -> float | None:
        if isinstance(obj, dict):  # a row of the list (api.list_assessments)
            return obj["score_total"] if _scored(obj["status"]) else None
        score = _score(obj)
        return score.total if score else None

    @staticmethod
    def resolve_stage_label(obj) -> str | None:
        if isinstance(obj, dict):
            return obj["score_stage_label"] if _scored(obj["status"]) else None
        score = _score(obj)
        return score.stage_label if score else None


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any]
    warnings: list[AnswerErrorOut] = []
    """Problems with the answers as saved: invalid values (not stored), unknown items (ignored)."""
    score: ScoreOut | None = None

    @staticmethod
    def resolve_score(obj):
        return _score(obj)


def _scored(status: str) -> bool:
    """Whether an assessment in this status shows its score (only a scored one does)."""
    return status == Assessment.Status.SCORED


def _score(obj):
    return getattr(obj, "score", None) if _scored(obj.status) else None


class AssessmentNodeScoreOut(Schema):
    """One node of the indicator tree with its score."""

    id: str
    name: str
    depth: int
    """0 for a root (e.g. 发展水平), 1 for an aspect (e.g. 基础建设), deeper for indicators."""
    share: float
    """Effective weight in its root, fraction 0–1."""
    score: float | None = None
    """Score 0–100; null when not applicable."""


class AssessmentRateOut(Schema):
    id: str
    label: str
    value: float | None = None
    """A rate read from the answers (e.g. 关键工序数控化率), in percent."""


class AssessmentResultOut(Schema):
    """A scored assessment's result: total, stage, aspect and indicator scores, rates and diagnosis."""

    id: int
    enterprise: int
    enterprise_name: str
    framework: str
    framework_version: int
    framework_sha256: str
    year: int
    version: int
    total: float
    """Total score 0–100."""
    stage: int
    stage_label: str
    complete: bool
    placeholder_weights: bool
    """True while the framework's weights are still the labelled defaults (not from the standard's text)."""
    aspects: list[AssessmentNodeScoreOut]
    """The children of the roots (e.g. the six aspects of GB/T 23020), as on the result page's radar."""
    indicators: list[AssessmentNodeScoreOut]
    """Every node of the tree, depth-first, roots first."""
    rates: list[AssessmentRateOut]
    diagnosis: dict[str, Any]
    """Gaps to the next stage and the weakest indicators, with advice."""


class AssessmentReturnIn(Schema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    """Why the assessment goes back to the enterprise (shown to it)."""


class AssessmentExportQueued(Schema):
    """A large export runs as a background job: follow ``job`` (``/api/jobs/{id}``) and download its output."""

    job: int
    rows: int
    url: str
