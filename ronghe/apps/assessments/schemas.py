from typing import Any

from ninja import Schema


class AssessmentIn(Schema):
    enterprise: int
    framework: str
    """Framework short name, e.g. gbt23020-discrete (its active version is used)."""
    year: int
    answers: dict[str, Any]
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
    enterprise: int
    enterprise_name: str
    framework: str
    framework_version: int
    year: int
    version: int
    status: str
    total: float | None = None
    stage_label: str | None = None


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any]
    errors: list[AnswerErrorOut] = []
    score: ScoreOut | None = None
