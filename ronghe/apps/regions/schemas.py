"""API shapes of evaluations (names prefixed ``Regions``: ninja schema names are global)."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema


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
