"""API shapes of evaluations (names prefixed ``Regions``: ninja schema names are global)."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema


class RegionsEvaluationOut(Schema):
    id: int
    title: str
    authority: int
    authority_name: str
    definition: str
    definition_sha256: str
    year: int
    status: str
    status_label: str
    version: int | None
    published_at: datetime | None
    regions: int
    url: str
    export: str
    """Where to download the evaluation as .xlsx."""


class RegionsRankOut(Schema):
    region: str
    """GB/T 2260 code."""
    name: str
    rank: int
    total: float | None
    tier: str
    rank_change: int
    growth: float | None
    cagr_pct: float | None
    categories: dict[str, float | None]
    """Category id → score of the evaluated year."""
    mean_rank: float | None
    median_rank: int | None
    rank_p05: int | None
    rank_p95: int | None


class RegionsEvaluationDetailOut(RegionsEvaluationOut):
    ranking: list[RegionsRankOut]
    zones: list[dict[str, Any]]
    checks: list[str]


def evaluation_dict(ev) -> dict[str, Any]:
    return {"id": ev.pk, "title": ev.title, "authority": ev.authority_id, "authority_name": ev.authority.name,
            "definition": ev.definition_slug, "definition_sha256": ev.definition_sha256, "year": ev.year,
            "status": ev.status, "status_label": str(ev.get_status_display()), "version": ev.version,
            "published_at": ev.published_at, "regions": len(ev.results.get("regions", [])),
            "url": reverse("regions:detail", args=[ev.pk]), "export": reverse("regions:export", args=[ev.pk])}


def detail_dict(ev, rows: list[dict[str, Any]]) -> dict[str, Any]:
    cats = [c["id"] for c in ev.results["categories"]]
    ranking = [{**{k: v for k, v in row.items() if k not in cats}, "categories": {c: row[c] for c in cats}}
               for row in rows]
    return {**evaluation_dict(ev), "ranking": ranking, "zones": ev.results["zones"], "checks": ev.results["checks"]}


class RegionsRunIn(Schema):
    """The form fields of a run (multipart, beside the ``files``)."""

    authority: int | None = None
    """The authority to act for (its id); default: the first of yours."""
    definition: str = "lianghua-regional"
    title: str = Field("", max_length=200, pattern=r"^[^\x00]*$")
    runs: int = Field(1000, ge=100, le=100_000)
    """Monte Carlo runs of the rank-uncertainty analysis."""
    sample: bool = False
    """Compute with the authority's sample data instead of uploaded files."""
    use_assessments: bool = True
    """Compute the ``kind: enterprise`` indicators from the jurisdiction's approved assessments."""
    weights: float | None = Field(None, ge=0)
    """Weight perturbation p (each weight × U(1 − p, 1 + p)), 0 ≤ p < 1; empty: the definition's."""
    normalise: list[str] = Field(default_factory=list, max_length=6)
    """Normalisations drawn from (the field repeated); empty: the definition's."""
    aggregate: list[str] = Field(default_factory=list, max_length=3)
    """Aggregations drawn from (the field repeated); empty: the definition's."""
    impute: list[str] = Field(default_factory=list, max_length=4)
    """Imputations drawn from (the field repeated); empty: the definition's, not varied."""
    treat: list[str] = Field(default_factory=list, max_length=3)
    """Outlier treatments drawn from (the field repeated); empty: the definition's, not varied."""
    seed: int = Field(0, ge=0, le=2**31 - 1)
    sobol: int = Field(0, ge=0, le=8192)
    """Sobol base sample (0: no Sobol indices)."""
    individual_weights: bool = False
    """Sobol: each weight an input of its own."""
    bootstrap: int = Field(200, ge=0, le=2000)
    level: float = Field(0.95, ge=0.5, le=0.999)


class RegionsRunOut(Schema):
    job: int
    """The background job computing the evaluation; its result names the evaluation."""
    url: str
    """Where to follow the job (``GET /api/jobs/{id}``)."""
