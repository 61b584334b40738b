"""API shapes of enterprise registrations (names prefixed: ninja names components by class)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

Short = Annotated[str, StringConstraints(max_length=200)]


class RegIn(Schema):
    """An enterprise's registration, as on the page: every field is checked and each fault named."""

    name: Short = Field(..., description="the enterprise's registered name")
    credit_code: Annotated[str, StringConstraints(max_length=18)] = Field(
        ..., description="统一社会信用代码, 18 characters, check character verified")
    region: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(
        ..., description="a GB/T 2260 county-level code (a region without subdivisions)")
    industry: Annotated[str, StringConstraints(pattern=r"^\d{2}$")] = Field(..., description="a GB/T 4754 division")
    size: Annotated[str, StringConstraints(max_length=20)] = Field(..., description="a size band, e.g. 300-1000人")
    contact_name: Annotated[str, StringConstraints(max_length=50)]
    email: Annotated[str, StringConstraints(max_length=254)]
    phone: Annotated[str, StringConstraints(max_length=20)]
    username: Annotated[str, StringConstraints(max_length=30)]
    password: Annotated[str, StringConstraints(max_length=128)]


class RegSentOut(Schema):
    """What the applicant learns: the registration's id and that it awaits approval."""

    id: int
    state: str
    message: str


class RegOut(Schema):
    """A registration as the deciding authority sees it."""

    id: int
    state: str
    state_label: str
    name: str
    credit_code: str
    region: str = Field(..., alias="region_id")
    region_name: str = ""
    industry: str = Field(..., alias="industry_id")
    industry_name: str = ""
    size: str
    contact_name: str
    email: str
    phone: str
    username: str
    authority: int | None = Field(None, alias="authority_id")
    organization: int | None = Field(None, alias="organization_id")
    """The enterprise created on approval."""
    reason: str = ""
    created_at: str
    decided_at: str | None = None


class RegRejectIn(Schema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        ..., description="why, 1–2,000 characters; e-mailed to the applicant")
