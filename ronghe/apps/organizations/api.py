"""Organisations and memberships over REST: the enterprise list as the pages show it (latest
assessment's status, year, total and stage; search, filters and sort), one enterprise with the
consultancies it granted, granting and revoking access, one's own memberships, an organisation's
members and invitations.

Access is the pages' (``accounts.access``); whatever the caller may not see is 404. Every error is an
``ErrorOut`` (``ronghe.api.errors``); lists come in pages with their total count.
"""

from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.organizations import services
from ronghe.apps.organizations.models import Organization
from ronghe.apps.organizations.schemas import (
    OrgAccessIn,
    OrgEnterpriseOut,
    OrgEnterpriseRowOut,
    OrgInvitationIn,
    OrgInvitationOut,
    OrgMemberOut,
    OrgMembershipOut,
)

router = Router(tags=["organizations"], auth=AUTH)

Sort = Annotated[str, StringConstraints(pattern=r"^-?(name|credit_code|region|industry|status|year|total)$")]


class OrgEnterpriseFilter(Schema):
    """The enterprise list's search and filters (the same as the page's)."""

    q: Annotated[str, StringConstraints(max_length=100)] = Field("", description="name or credit code (its start)")
    region: Annotated[str, StringConstraints(pattern=r"^(\d{6})?$")] = Field(
        "", description="a region code: the enterprises in its subtree")
    industry: Annotated[str, StringConstraints(pattern=r"^([A-T]|\d{2})?$")] = Field(
        "", description="a GB/T 4754 section (A–T) or division (2 digits)")
    size: Literal[("", *Organization.Size.values)] = Field("", description="a size band, e.g. 300-1000人")
    status: Literal["", "draft", "submitted", "rejected", "scored"] = Field(
        "", description="the latest assessment's status")
    sort: Sort = Field("name", description="name, credit_code, region, industry, status, year or total; "
                                           "a leading - sorts descending")

    def values(self) -> dict[str, str]:
        return {k: v for k, v in self.dict().items() if v}


def _rows(enterprises):
    names = services.region_names(e.region_id for e in enterprises)
    for e in enterprises:
        e.region_name = names.get(e.region_id, "")
        e.industry_name = e.industry.name if e.industry_id else ""
    return enterprises


class _Table:
    """The filtered table as ninja's paginator slices it: names are filled in for the page only."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self):
        return self.qs.count()

    def __getitem__(self, key):
        return _rows(list(self.qs[key]))


@router.get("/enterprises", response=responses(list[OrgEnterpriseRowOut], 401),
            summary=_("Enterprises in your view, each with its latest assessment"),
            description=_("The enterprise list of the pages: searched by name or credit code, filtered by "
                          "region subtree, industry, size and the latest assessment's status, sorted; each "
                          "row gives the latest assessment's status, year, total (0–100) and stage."),
            operation_id="organizations_enterprises")
@paginate(Pages)
def list_enterprises(request, filters: Query[OrgEnterpriseFilter]):
    return _Table(services.enterprise_table(request.user, **filters.values()))


def _enterprise(user, pk: int):
    e = services.enterprise_table(user).filter(pk=pk).first()
    if e is None:
        raise Http404("no such enterprise")
    _rows([e])
    e.grants = [{"consultancy": g.consultancy_id, "consultancy_name": g.consultancy.name,
                 "granted_at": g.created_at.isoformat()}
                for g in e.grants_given.filter(revoked_at__isnull=True).select_related("consultancy")]
    e.can_manage = access.is_enterprise_manager(user, e)
    e.can_write = access.enterprises_for_user(user, write=True).filter(pk=pk).exists()
    return e


@router.get("/enterprises/{enterprise_id}", response=responses(OrgEnterpriseOut, 401, 404),
            summary=_("One enterprise with its latest assessment and granted consultancies"),
            operation_id="organizations_enterprise")
def get_enterprise(request, enterprise_id: Id):
    return _enterprise(request.user, enterprise_id)


@router.post("/enterprises/{enterprise_id}/access", response=responses(OrgEnterpriseOut, 401, 403, 404),
             summary=_("Grant or revoke a consultancy's access to the enterprise"),
             description=_("For the enterprise's managers: a consultancy with access sees and fills in the "
                           "enterprise's assessments until the access is revoked."),
             operation_id="organizations_access")
def change_access(request, enterprise_id: Id, payload: OrgAccessIn):
    enterprise = access.get_enterprise_for_user(request.user, enterprise_id, write=True)
    if not access.is_enterprise_manager(request.user, enterprise):
        raise Http404("no such enterprise")
    consultancy = Organization.objects.filter(pk=payload.consultancy, kind=Organization.Kind.CONSULTANCY).first()
    if consultancy is None:
        raise ApiError(404, "not_found", str(_("No such consultancy.")))
    if payload.action == "revoke":
        services.revoke_access(enterprise, consultancy, by=request.user)
    else:
        services.grant_access(enterprise, consultancy, by=request.user)
    return _enterprise(request.user, enterprise_id)


@router.get("/memberships", response=responses(list[OrgMembershipOut], 401),
            summary=_("The organisations you act for, and your role in each"), operation_id="organizations_memberships")
@paginate(Pages)
def my_memberships(request):
    ms = list(request.user.memberships.select_related("organization").order_by("organization__name", "pk"))
    names = services.region_names(m.organization.region_id for m in ms)
    return [{"organization": m.organization_id, "organization_name": m.organization.name,
             "kind": m.organization.kind, "role": m.role, "region": m.organization.region_id,
             "region_name": names.get(m.organization.region_id, "")} for m in ms]


def _managed(user, pk: int) -> Organization:
    """An organisation whose members ``user`` may see: one it manages, one it may invite people to
    (an authority manager: its own and its jurisdiction's enterprises), or any (staff)."""
    from ronghe.apps.accounts.services import invitable_organizations

    managed = Organization.objects.filter(memberships__user=user, memberships__role="manager") \
        if user.is_authenticated else Organization.objects.none()
    org = (managed | invitable_organizations(user)).filter(pk=pk).distinct().first()
    if org is None:
        raise Http404("no such organization")
    return org


@router.get("/{organization_id}/members", response=responses(list[OrgMemberOut], 401, 404),
            summary=_("The members of an organisation you manage"), operation_id="organizations_members")
@paginate(Pages)
def list_members(request, organization_id: Id):
    org = _managed(request.user, organization_id)
    return [{"user": m.user_id, "username": m.user.username, "email": m.user.email, "role": m.role,
             "since": m.created_at.isoformat()}
            for m in org.memberships.select_related("user").order_by("user__username")]


@router.post("/{organization_id}/invitations", response=responses({201: OrgInvitationOut}, 401, 404),
             summary=_("Invite someone to an organisation by e-mail"),
             description=_("As on the invitation page: staff invite to any organisation, an authority's "
                           "managers to their own authority and the enterprises in its jurisdiction. The "
                           "invitation's link is e-mailed and is valid for 7 days."),
             operation_id="organizations_invite")
def invite(request, organization_id: Id, payload: OrgInvitationIn):
    from ronghe.apps.accounts import services as accounts

    org = accounts.invitable_organizations(request.user).filter(pk=organization_id).first()
    if org is None:
        raise Http404("no such organization")
    try:
        inv = accounts.invite(org, payload.email, payload.role, by=request.user,
                              base_url=request.build_absolute_uri("/"))
    except accounts.InvitationError as exc:
        raise ApiError(422, "invalid", str(exc), [{"field": "email", "reason": str(exc)}]) from exc
    return Status(201, {"id": inv.pk, "organization": org.pk, "email": inv.email, "role": inv.role,
                        "sent_at": inv.created_at.isoformat()})
