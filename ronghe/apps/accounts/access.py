"""Who may see and change what — the one public access module (style habit 3).

- an enterprise's members see (and edit) only their enterprise;
- a consultancy's members see and edit the enterprises that granted it access;
- an authority's members see, read-only, the enterprises in their region subtree (national: all),
  and their assessments from submission on: an unsubmitted draft belongs to the enterprise;
- an assessment body's members see no enterprise here (only their assigned 评定 cases, later);
- platform administrators (``is_staff``) see and edit everything.
Anything a user may not see answers 404, so outsiders cannot even learn it exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ronghe.apps.organizations.models import Organization

Kind = Organization.Kind


def _memberships(user):
    if not user.is_authenticated:
        return []
    return list(user.memberships.select_related("organization__region"))


def roles(user) -> set[str]:
    """The kinds of organisation the user acts for, plus ``staff``."""
    out = {m.organization.kind for m in _memberships(user)}
    if user.is_authenticated and user.is_staff:
        out.add("staff")
    return out


def enterprises_for_user(user, *, write: bool = False) -> QuerySet[Organization]:
    """The enterprises ``user`` may see (``write``: may change)."""
    enterprises = Organization.objects.filter(kind=Kind.ENTERPRISE)
    if not user.is_authenticated:
        return enterprises.none()
    if user.is_staff:
        return enterprises
    visible = Q(pk__in=[])
    for m in _memberships(user):
        org = m.organization
        if org.kind == Kind.ENTERPRISE:
            visible |= Q(pk=org.pk)
        elif org.kind == Kind.CONSULTANCY:
            visible |= Q(grants_given__consultancy=org, grants_given__revoked_at__isnull=True)
        elif org.kind == Kind.AUTHORITY and not write:
            if org.national:
                visible |= Q(pk__isnull=False)
            elif org.region_id:
                visible |= Q(region__code__startswith=org.region.prefix)
    return enterprises.filter(visible).distinct()


def get_enterprise_for_user(user, pk: int, *, write: bool = False) -> Organization:
    """One enterprise, or Http404 for anyone who may not see (``write``: change) it."""
    try:
        return enterprises_for_user(user, write=write).get(pk=pk)
    except (Organization.DoesNotExist, OverflowError, ValueError) as exc:
        raise Http404("no such enterprise") from exc


def is_enterprise_manager(user, enterprise: Organization) -> bool:
    """Whether ``user`` manages ``enterprise`` (may grant and revoke consultancy access)."""
    return user.is_authenticated and (user.is_staff or user.memberships.filter(
        organization=enterprise, role="manager").exists())


def assessments_for_user(user, *, write: bool = False):
    """The assessments ``user`` may see (``write``: may change).

    Members of the enterprise and consultancies it granted see every state, drafts included; an
    authority sees its jurisdiction's assessments from submission on (a draft is the enterprise's
    own work until it is submitted); staff see everything.
    """
    from ronghe.apps.assessments.models import Assessment

    qs = Assessment.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    visible = Q(pk__in=[])
    for m in _memberships(user):
        org = m.organization
        if org.kind == Kind.ENTERPRISE:
            visible |= Q(enterprise=org)
        elif org.kind == Kind.CONSULTANCY:
            visible |= Q(enterprise__in=enterprises_for_user(user, write=True).filter(
                grants_given__consultancy=org, grants_given__revoked_at__isnull=True))
        elif org.kind == Kind.AUTHORITY and not write:
            submitted = ~Q(status=Assessment.Status.DRAFT)
            if org.national:
                visible |= submitted
            elif org.region_id:
                visible |= submitted & Q(enterprise__region__code__startswith=org.region.prefix)
    return qs.filter(visible).distinct()


def get_assessment_for_user(user, pk: int, *, write: bool = False):
    """One assessment, or Http404 unless ``user`` may see (``write``: change) it."""
    from ronghe.apps.assessments.models import Assessment

    try:
        return assessments_for_user(user, write=write).select_related("enterprise", "framework").get(pk=pk)
    except (Assessment.DoesNotExist, OverflowError, ValueError) as exc:
        raise Http404("no such assessment") from exc


def works_for(user, enterprise: Organization) -> bool:
    """Whether ``user`` is a member of ``enterprise`` or of a consultancy working for it: the people
    who fill in its assessments, and so may not be the ones who approve them."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(Q(organization=enterprise) | Q(
        organization__kind=Kind.CONSULTANCY, organization__grants_received__enterprise=enterprise,
        organization__grants_received__revoked_at__isnull=True)).exists()


def can_review(user, enterprise: Organization) -> bool:
    """Whether ``user`` may approve or reject the enterprise's assessments: an authority whose
    jurisdiction covers it (or staff) — and never someone who works for the enterprise
    (separation of duties: nobody approves their own work)."""
    if not user.is_authenticated or works_for(user, enterprise):
        return False
    if user.is_staff:
        return True
    for m in _memberships(user):
        org = m.organization
        if org.kind == Kind.AUTHORITY and (org.national or (
                org.region_id and enterprise.region_id and enterprise.region_id.startswith(org.region.prefix))):
            return True
    return False


def enterprises_for_import(user) -> QuerySet[Organization]:
    """Enterprises whose answers ``user`` may upload in bulk: those they may change, plus — for
    an authority collecting its region's assessments — every enterprise in its jurisdiction."""
    if any(m.organization.kind == Kind.AUTHORITY for m in _memberships(user)):
        return enterprises_for_user(user)  # its readable set includes anything else it may change
    return enterprises_for_user(user, write=True)


def dashboard_scopes(user) -> list:
    """The regions whose dashboard ``user`` may open: each authority's jurisdiction (``None`` stands
    for the whole country: national authorities and staff). Empty for everyone else."""
    if not user.is_authenticated:
        return []
    if user.is_staff:
        return [None]
    scopes = []
    for m in _memberships(user):
        org = m.organization
        if org.kind == Kind.AUTHORITY:
            if org.national:
                return [None]
            if org.region_id:
                scopes.append(org.region)
    return scopes


def get_dashboard_region(user, code: str | None = None):
    """The region of a dashboard ``user`` may see: ``code`` (a region in one of their jurisdictions,
    or ``000000`` for the country, national users only), or by default their own jurisdiction
    (``None``: the country). Http404 for anyone else and for a region outside their view."""
    from ronghe.apps.organizations.models import Region

    scopes = dashboard_scopes(user)
    if not scopes:
        raise Http404("no dashboard for you")
    if code is None:
        return scopes[0]
    if code == "000000" and None in scopes:
        return None
    region = Region.objects.filter(code=code).select_related("parent").first() if str(code).isdigit() else None
    if region is None or not any(s is None or region.code.startswith(s.prefix) for s in scopes):
        raise Http404("no such region in your view")
    return region
