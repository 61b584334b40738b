from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from ronghe.api.fields import Id, ShortText, Slug, Year

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
        score = _score(obj)
        return score.total if score else None

    @staticmethod
    def resolve_stage_label(obj) -> str | None:
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


def _score(obj):
    from ronghe.apps.assessments.models import Assessment

    return getattr(obj, "score", None) if obj.status == Assessment.Status.SCORED else None
