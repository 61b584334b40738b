from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from ronghe.api.fields import Id, Text
from ronghe.core.providers.lifecycle import REQUEST

RequestStep = Literal[tuple(n for n in REQUEST.names() if n != "send")]  # type: ignore[valid-type]


class TagOut(Schema):
    framework: str
    node: str


class OfferingOut(Schema):
    id: int
    provider: int = Field(alias="provider_id")
    provider_name: str = Field(alias="provider.organization.name")
    category: str = Field(alias="provider.category")
    name: str
    kind: str
    summary: str
    nationwide: bool
    regions: list[str]
    industries: list[str]
    tags: list[TagOut]
    references: str
    price_from: float | None
    """10,000 yuan (万元), where public."""
    price_to: float | None
    price_note: str
    rating: float | None = None
    """Average rating (1–5) of its rated requests."""
    ratings: int = 0

    @staticmethod
    def resolve_regions(obj) -> list[str]:
        return [r.code for r in obj.regions.all()]

    @staticmethod
    def resolve_industries(obj) -> list[str]:
        return [i.code for i in obj.industries.all()]

    @staticmethod
    def resolve_tags(obj) -> list[dict[str, Any]]:
        return [{"framework": t.framework, "node": t.node} for t in obj.tags.all()]


class ProviderOut(Schema):
    id: int
    organization: int = Field(alias="organization_id")
    name: str = Field(alias="organization.name")
    category: str
    summary: str
    website: str
    contact: str
    offerings: list[OfferingOut] = Field(alias="offerings_list")


class MatchOut(Schema):
    offering: OfferingOut
    relevance: float
    """Σ over the weak indicators it addresses of (100 − score)/100 × fit (1 on the indicator, 0.5 on its aspect)."""
    addresses: list[str]


class RequestIn(Schema):
    offering: Id
    enterprise: Id
    message: Annotated[str, StringConstraints(min_length=1, max_length=5000, pattern=r"^[^\x00]*$")]
    assessment: Id | None = None
    """The approved assessment whose diagnosis the request comes from."""
    share: bool = False
    """Send that diagnosis to the provider (it sees nothing of it otherwise)."""


class RequestOut(Schema):
    id: int
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    provider: int = Field(alias="provider_id")
    provider_name: str = Field(alias="provider.name")
    offering: int = Field(alias="offering_id")
    offering_name: str = Field(alias="offering.name")
    state: str
    state_label: str
    message: str
    answer: str
    reason: str
    rating: int | None
    review: str
    shared_diagnosis: dict[str, Any]
    """The diagnosis the enterprise sent with it (empty if it sent none)."""
    created_at: dt.datetime
    actions: list[str] = []


class RequestTransitionIn(Schema):
    name: RequestStep
    answer: Text = ""
    reason: Text = ""
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    review: Text = ""


class CoverageRowOut(Schema):
    node: str
    name: str
    weak: int
    share: float
    """Fraction (0–1) of the enterprises with an approved assessment."""
    providers: int
    few: bool


class CoverageOut(Schema):
    authority: str
    framework: str
    enterprises: int
    few: int
    rows: list[CoverageRowOut]
