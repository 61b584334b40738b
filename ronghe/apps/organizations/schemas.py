"""API shapes of organisations and memberships (names prefixed: ninja names components by class)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from ronghe.api.fields import Id


class OrgEnterpriseRowOut(Schema):
    """One row of the enterprise list: the enterprise and its latest assessment as the caller may see it."""

    id: int
    name: str
    credit_code: str | None = None
    region: str | None = Field(None, alias="region_id")
    region_name: str = ""
    """The region's names from the province down, e.g. 浙江省 杭州市 西湖区."""
    industry: str | None = Field(None, alias="industry_id")
    industry_name: str = ""
    size: str = ""
    latest_id: int | None = None
    latest_status: str | None = None
    latest_year: int | None = None
    latest_total: float | None = None
    """Total score 0–100 of the latest assessment, once it is scored."""
    latest_stage: str | None = None


class OrgGrantOut(Schema):
    consultancy: int
    consultancy_name: str
    granted_at: str


class OrgEnterpriseOut(OrgEnterpriseRowOut):
    """An enterprise's profile, the consultancies it granted access to, and what the caller may do."""

    grants: list[OrgGrantOut] = []
    can_manage: bool = False
    """Whether the caller manages the enterprise (grants and revokes consultancy access)."""
    can_write: bool = False
    """Whether the caller fills in its assessments."""


class OrgAccessIn(Schema):
    consultancy: Id
    action: Literal["grant", "revoke"] = "grant"


class OrgMembershipOut(Schema):
    """An organisation the caller acts for, and in which role."""

    organization: int
    organization_name: str
    kind: str
    role: str
    region: str | None = None
    region_name: str = ""


class OrgMemberOut(Schema):
    user: int
    username: str
    email: str = ""
    role: str
    since: str


class OrgInvitationIn(Schema):
    email: str = Field(max_length=254)
    role: Literal["member", "manager"] = "member"


class OrgInvitationOut(Schema):
    id: int
    organization: int
    email: str
    role: str
    sent_at: str
