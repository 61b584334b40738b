"""Who may see and change what — the one public access module (style habit 3).

- an enterprise's members see (and edit) only their enterprise;
- a consultancy's members see and edit the enterprises that granted it access;
- an authority's members see, read-only, the enterprises in their region subtree (national: all),
  and their assessments from submission on: an unsubmitted draft belongs to the enterprise;
- an assessment body's members see no enterprise here, only the 评定 cases assigned to their body
  (and the projects and evidence of those cases' enterprises, read-only);
- the 评定工作委员会 (committee) sees the cases submitted to it for compliance review;
- certificates: the enterprise's own, its body's, the committee's all, an authority's jurisdiction;
  the public verification page and route see every issued certificate (nothing else is public);
- pilot programmes: published calls are public; a declaration is the enterprise's (and its granted
  consultancy's) until submitted, then also its jurisdiction's authorities'; an expert sees only the
  declarations and score sheets assigned to it, never another expert's scores;
- service providers edit their own catalogue; a service request is seen by the requesting enterprise
  and the provider it was sent to, nobody else;
- platform administrators (``is_staff``) see and edit everything.
Anything a user may not see answers 404, so outsiders cannot even learn it exists.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.db.models import Q, QuerySet
from django.http import Http404

from ronghe.apps.organizations.models import Organization

Kind = Organization.Kind


# What a request asks about its user again and again (every check of the page, the navigation's links)
# is read once per request: the memo lives while ``request_memo()`` is open (the middleware opens it
# around each request) and is emptied whenever a membership or an expert role is saved or deleted
# (``forget``, connected in signals.py), so a check never sees a stale role. Outside a request (the
# CLI, jobs, service tests) nothing is memoised.
_memo: ContextVar[dict | None] = ContextVar("ronghe_access_memo", default=None)


@contextlib.contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget() -> None:
    """Empty the request's memo (a membership or an expert role changed)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def _memoised(name: str, user_id: int, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    key = (name, user_id)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def identity(user_id: int) -> dict:
    """Who a signed-in request is: ``user`` (the row, None when there is no such user), ``memberships``
    (with their organisations and regions) and ``expert`` (active in an expert pool).

    Every request of a signed-in user needs all three, and they change rarely: they are read from the
    shared cache, under the versions that every change of them bumps (``ronghe/pagecache.py``: a save of
    the user — its password, its flags, its last login —, any membership, expert role or grant, any
    organisation), so a request never acts on a stale role. Read once per request."""
    from django.contrib.auth.models import User

    from ronghe import pagecache

    def read():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            return {"user": None, "memberships": [], "expert": False}
        return {"user": user, "memberships": list(user.memberships.select_related("organization__region")),
                "expert": user.expert_roles.filter(active=True).exists()}

    return _memoised("identity", user_id, lambda: pagecache.cached(
        "identity", (user_id,), read, users={f"u{user_id}"}, people=(), enterprises=None))


def memberships(user) -> list:
    """The user's memberships with their organisations (and regions)."""
    if not user.is_authenticated:
        return []
    return identity(user.pk)["memberships"]


def roles(user) -> set[str]:
    """The kinds of organisation the user acts for, plus ``staff`` and ``expert`` (in an expert pool)."""
    if not user.is_authenticated:
        return set()
    who = identity(user.pk)
    out = {m.organization.kind for m in who["memberships"]}
    if user.is_staff:
        out.add("staff")
    if who["expert"]:
        out.add("expert")
    return out


def enterprises_for_user(user, *, write: bool = False) -> QuerySet[Organization]:
    """The enterprises ``user`` may see (``write``: may change)."""
    enterprises = Organization.objects.filter(kind=Kind.ENTERPRISE)
    if not user.is_authenticated:
        return enterprises.none()
    if user.is_staff:
        return enterprises
    visible, joined = Q(pk__in=[]), False
    for m in memberships(user):
        org = m.organization
        if org.kind == Kind.ENTERPRISE:
            visible |= Q(pk=org.pk)
        elif org.kind == Kind.CONSULTANCY:
            visible |= Q(grants_given__consultancy=org, grants_given__revoked_at__isnull=True)
            joined = True
        elif org.kind == Kind.AUTHORITY and not write:
            if org.national:
                visible |= Q(pk__isnull=False)
            elif org.region_id:
                visible |= Q(region__code__startswith=org.region.prefix)
    # Only the join to a consultancy's grants can repeat a row. Without it, no DISTINCT: over a
    # province's 100,000 enterprises a DISTINCT sorted every id on every list, count and subquery.
    return enterprises.filter(visible).distinct() if joined else enterprises.filter(visible)


def jurisdictions(user) -> list | None:
    """The regions whose enterprises ``user`` oversees or works in, as roots of a region picker:
    ``None`` for a national authority or staff (everything), else the regions of its authorities,
    or of the enterprises it sees."""
    from ronghe.apps.organizations.models import Region

    if user.is_authenticated and user.is_staff:
        return None
    regions = []
    for m in memberships(user):
        if m.organization.kind == Kind.AUTHORITY:
            if m.organization.national:
                return None
            if m.organization.region_id:
                regions.append(m.organization.region)
    if not regions:
        codes = set(enterprises_for_user(user).values_list("region_id", flat=True))
        regions = list(Region.objects.filter(code__in=codes))
    return sorted({r.code: r for r in regions}.values(), key=lambda r: r.code)


def provinces(user) -> frozenset[str] | None:
    """The provinces (two-digit codes) of everything ``user`` may see, for the versions of cached pages
    (``ronghe/pagecache.py``): a regional authority's provinces; ``None`` (all of them) for staff, a
    national authority and anyone who sees enterprises by membership or grant, wherever they are."""
    from ronghe.pagecache import province

    def compute():
        if not user.is_authenticated or user.is_staff:
            return None
        found = memberships(user)
        if not found or any(m.organization.kind != Kind.AUTHORITY or m.organization.national
                                 or not m.organization.region_id for m in found):
            return None
        return frozenset(province(m.organization.region_id) for m in found)

    return _memoised("provinces", user.pk, compute)


def _one_or_404(qs: QuerySet, pk, what: str):
    """Row ``pk`` of ``qs`` (what a user may see), or Http404: for a row that is not there or not theirs
    alike, and for a key that is no number or beyond 64 bits (a typed URL, an API path)."""
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, OverflowError, ValueError) as exc:
        raise Http404(f"no such {what}") from exc


def get_enterprise_for_user(user, pk: int, *, write: bool = False) -> Organization:
    """One enterprise, or Http404 for anyone who may not see (``write``: change) it."""
    return _one_or_404(enterprises_for_user(user, write=write), pk, "enterprise")


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
    return qs.filter(visible_assessments(user, write=write))


def visible_assessments(user, *, write: bool = False, prefix: str = "", of_visible_enterprise: bool = False) -> Q:
    """The condition of :func:`assessments_for_user` on an assessment (``prefix``: the path to it
    from another model, e.g. ``"assessments__"``), for subqueries and annotations.
    ``of_visible_enterprise``: the assessment's enterprise is already one ``user`` may see (a
    subquery correlated with a row of :func:`enterprises_for_user`), so only the rule on drafts is
    added — repeating the enterprise condition in each of a list's subqueries made it several times slower."""
    from ronghe.apps.assessments.models import Assessment

    if user.is_authenticated and user.is_staff:
        return Q()
    writable = enterprises_for_user(user, write=True)
    if write:
        return Q(**{f"{prefix}enterprise__in": writable})
    drafts = ~Q(**{f"{prefix}status": Assessment.Status.DRAFT}) | Q(**{f"{prefix}enterprise__in": writable})
    return drafts if of_visible_enterprise else Q(**{f"{prefix}enterprise__in": enterprises_for_user(user)}) & drafts


def get_assessment_for_user(user, pk: int, *, write: bool = False, score: bool = False,
                            only: tuple[str, ...] | None = None):
    """One assessment, or Http404 unless ``user`` may see (``write``: change) it; ``score``: with its
    score (if any) read in the same query; ``only``: just these fields, named as ``QuerySet.only`` names
    them, with the relations they name read in the same query (a page that shows little: every column
    of three tables cost a cached page more than the rest of it)."""
    from ronghe.apps.assessments.models import Assessment

    if only:
        fields = (*only, "status", "enterprise__kind", "enterprise__region_id")  # what the decision reads
        qs = Assessment.objects.select_related(*{f.rsplit("__", 1)[0] for f in fields if "__" in f}).only(*fields)
    else:
        related = ("enterprise", "framework", "score") if score else ("enterprise", "framework")
        qs = Assessment.objects.select_related(*related).defer("framework__content")  # FrameworkVersion.loaded
    # read by its key, then decided against the user's roles (read once per request, for the page too)
    a = _one_or_404(qs, pk, "assessment")
    if not may_see_assessment(user, a, write=write):
        raise Http404("no such assessment")
    return a


def may_see_assessment(user, assessment, *, write: bool = False) -> bool:
    """Whether ``assessment`` is one of :func:`assessments_for_user` (``write``: may change it), decided
    from the user's memberships without building that query: a page opened by its key asked the
    database the whole jurisdiction's condition on every request, several milliseconds of query building.
    A consultancy's grants are not among the memberships, so for its members the query decides."""
    from ronghe.apps.assessments.models import Assessment

    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    enterprise = assessment.enterprise
    if enterprise.kind != Kind.ENTERPRISE:
        return False
    found = memberships(user)
    if any(m.organization.kind == Kind.CONSULTANCY for m in found):
        return assessments_for_user(user, write=write).filter(pk=assessment.pk).exists()
    if any(m.organization_id == enterprise.pk for m in found):  # its own enterprise: every state, and write
        return True
    if write or assessment.status == Assessment.Status.DRAFT:  # a draft is the enterprise's own work
        return False
    return any(m.organization.kind == Kind.AUTHORITY and (m.organization.national or (
        m.organization.region_id is not None and enterprise.region_id is not None
        and enterprise.region_id.startswith(m.organization.region.prefix))) for m in found)


def works_for(user, enterprise: Organization) -> bool:
    """Whether ``user`` is a member of ``enterprise`` or of a consultancy working for it: the people
    who fill in its assessments, and so may not be the ones who approve them."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(Q(organization=enterprise) | Q(
        organization__kind=Kind.CONSULTANCY, organization__grants_received__enterprise=enterprise,
        organization__grants_received__revoked_at__isnull=True)).exists()


def reviewers_of(region_code: str | None):
    """The people who review assessments (and registrations) of an enterprise in ``region_code``: the
    members of the authority nearest to it — the county's, else the city's, else the province's,
    else the national one — so a submission reaches one desk, not every level above it."""
    from django.contrib.auth.models import User

    from ronghe.apps.organizations.models import Region

    candidates = Organization.objects.filter(kind=Kind.AUTHORITY, memberships__isnull=False).distinct()
    if region_code:
        for level in ("county", "city", "province"):
            code = {"county": region_code, "city": region_code[:4] + "00", "province": region_code[:2] + "0000"}[level]
            if Region.objects.filter(code=code, level=level).exists():
                found = candidates.filter(region_id=code, national=False)
                if found.exists():
                    return User.objects.filter(memberships__organization__in=found, is_active=True).distinct()
    return User.objects.filter(memberships__organization__in=candidates.filter(national=True),
                               is_active=True).distinct()


def can_review(user, enterprise: Organization) -> bool:
    """Whether ``user`` may approve or reject the enterprise's assessments: an authority whose
    jurisdiction covers it (or staff) — and never someone who works for the enterprise
    (separation of duties: nobody approves their own work)."""
    if not user.is_authenticated or works_for(user, enterprise):
        return False
    if user.is_staff:
        return True
    for m in memberships(user):
        org = m.organization
        if org.kind == Kind.AUTHORITY and (org.national or (
                org.region_id and enterprise.region_id and enterprise.region_id.startswith(org.region.prefix))):
            return True
    return False


def registration_desk(region_code: str | None) -> Organization | None:
    """The authority that decides an enterprise registration from ``region_code``: as
    :func:`reviewers_of`, the lowest authority (with members) whose jurisdiction covers the region —
    county, else city, else province —, else a national one; None when there is none (staff decide)."""
    candidates = Organization.objects.filter(kind=Kind.AUTHORITY, memberships__isnull=False).distinct()
    if region_code:
        for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
            found = candidates.filter(region_id=code, national=False).order_by("pk").first()
            if found is not None:
                return found
    return candidates.filter(national=True).order_by("pk").first()


def registrations_for_user(user):
    """Enterprise registrations ``user`` may see and decide: those at the desk of an authority the
    user acts for (:func:`registration_desk`, fixed when the registration was made); staff all;
    nobody else (enterprises, consultancies, assessors: none)."""
    from ronghe.apps.registrations.models import Registration

    qs = Registration.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(authority__in=authorities_of(user))


def get_registration_for_user(user, pk: int):
    return _one_or_404(registrations_for_user(user).select_related(
        "region", "industry", "user", "authority", "decided_by", "organization"), pk, "registration")


def enterprises_for_import(user) -> QuerySet[Organization]:
    """Enterprises whose answers ``user`` may upload in bulk: those they may change, plus — for
    an authority collecting its region's assessments — every enterprise in its jurisdiction."""
    return enterprises_for_user(user, write=_imports_only_writable(user))


def _imports_only_writable(user) -> bool:
    # an authority's readable set includes anything else it may change
    return not any(m.organization.kind == Kind.AUTHORITY for m in memberships(user))


def sees_enterprises(user, *, write: bool = False) -> bool:
    """Whether :func:`enterprises_for_user` has any, asked once per request (every page's
    navigation asks, and for an authority its import set is the same set)."""
    return _memoised(f"sees-enterprises:{write}", user.pk, lambda: enterprises_for_user(user, write=write).exists())


def may_import(user) -> bool:
    """Whether :func:`enterprises_for_import` has any."""
    return sees_enterprises(user, write=_imports_only_writable(user))


# ------------------------------------------------------------------------------ 贯标 and 评定
def orgs_of_kind(user, kind: str) -> list[Organization]:
    """The organisations of ``kind`` that ``user`` is a member of."""
    return [m.organization for m in memberships(user) if m.organization.kind == kind]


def is_committee(user) -> bool:
    return bool(orgs_of_kind(user, Kind.COMMITTEE))


def projects_for_user(user, *, write: bool = False):
    """贯标 projects ``user`` may see (``write``: work on): the enterprise's members and a consultancy it
    granted; read-only, an assessment body with a case on the project; staff."""
    from ronghe.apps.certification.models import Project

    qs = Project.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    visible = Q(enterprise__in=enterprises_for_user(user, write=True).filter(
        kind=Kind.ENTERPRISE)) if any(m.organization.kind in (Kind.ENTERPRISE, Kind.CONSULTANCY)
                                      for m in memberships(user)) else Q(pk__in=[])
    bodies = orgs_of_kind(user, Kind.ASSESSMENT_BODY)
    if bodies and not write:
        visible |= Q(cases__body__in=bodies)
    return qs.filter(visible).distinct()


def get_project_for_user(user, pk: int, *, write: bool = False):
    return _one_or_404(projects_for_user(user, write=write).select_related("enterprise", "standard", "consultancy"),
                       pk, "project")


def cases_for_user(user):
    """评定 cases ``user`` may see: the enterprise's own (and its granted consultancy's, read-only),
    those assigned to the user's assessment body, those submitted to the committee; staff all."""
    from ronghe.apps.certification.models import Case

    qs = Case.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    visible = Q(pk__in=[])
    for m in memberships(user):
        org = m.organization
        if org.kind == Kind.ENTERPRISE:
            visible |= Q(enterprise=org)
        elif org.kind == Kind.CONSULTANCY:
            visible |= Q(enterprise__grants_given__consultancy=org, enterprise__grants_given__revoked_at__isnull=True)
        elif org.kind == Kind.ASSESSMENT_BODY:
            visible |= Q(body=org)
        elif org.kind == Kind.COMMITTEE:
            visible |= Q(reviewed_at__isnull=False)  # from its first submission for compliance review on
    return qs.filter(visible).distinct()


def get_case_for_user(user, pk: int):
    return _one_or_404(cases_for_user(user).select_related("enterprise", "body", "project__standard"), pk, "case")


def case_roles(user, case) -> set[str]:
    """The lifecycle roles ``user`` holds on ``case`` (see ``core.certification.lifecycle.ROLES``)."""
    out: set[str] = set()
    if not user.is_authenticated:
        return out
    for m in memberships(user):
        org = m.organization
        if org.pk == case.enterprise_id:
            out.add("enterprise")
        elif org.pk == case.body_id:
            out.add("body")
        elif org.kind == Kind.COMMITTEE:
            out.add("committee")
    if "body" in out and case.team.filter(user=user).exists():
        out.add("assessor")
    return out


def certificates_for_user(user):
    """Certificates ``user`` may manage or read inside the platform (the public verification is
    separate and shows every issued certificate)."""
    from ronghe.apps.certification.models import Certificate

    qs = Certificate.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    visible = Q(pk__in=[])
    for m in memberships(user):
        org = m.organization
        if org.kind == Kind.ENTERPRISE:
            visible |= Q(enterprise=org)
        elif org.kind == Kind.ASSESSMENT_BODY:
            visible |= Q(body=org)
        elif org.kind == Kind.COMMITTEE or (org.kind == Kind.AUTHORITY and org.national):
            visible |= Q(pk__isnull=False)
        elif org.kind == Kind.AUTHORITY and org.region_id:
            visible |= Q(region__code__startswith=org.region.prefix)
    return qs.filter(visible).distinct()


def get_certificate_for_user(user, pk: int):
    return _one_or_404(certificates_for_user(user).select_related("enterprise", "body", "standard"), pk,
                       "certificate")


def certificate_roles(user, certificate) -> set[str]:
    out: set[str] = set()
    for m in memberships(user):
        if m.organization.pk == certificate.body_id:
            out.add("body")
            if certificate.case.team.filter(user=user).exists():
                out.add("assessor")
        elif m.organization.kind == Kind.COMMITTEE:
            out.add("committee")
    return out


def conflicts_of_interest(user, enterprise: Organization) -> list[str]:
    """Why ``user`` may not assess ``enterprise`` (empty if there is no conflict): the user belongs to
    the enterprise, or to an organisation that consulted it — one it ever granted access (a
    revoked grant included) or the consultancy of one of its 贯标 projects."""
    from ronghe.apps.certification.models import Project

    reasons = []
    orgs = {m.organization.pk: m.organization for m in memberships(user)}
    if enterprise.pk in orgs:
        reasons.append(str(enterprise))
    consulted = set(enterprise.grants_given.values_list("consultancy_id", flat=True)) | set(
        Project.objects.filter(enterprise=enterprise, consultancy__isnull=False).values_list("consultancy_id",
                                                                                            flat=True))
    reasons += [str(orgs[pk]) for pk in sorted(consulted & set(orgs))]
    return reasons


def authorities_of(user) -> list[Organization]:
    """The authorities ``user`` acts for (their jurisdictions bound the figures they see)."""
    return orgs_of_kind(user, Kind.AUTHORITY)


# ---------------------------------------------------------------- pilot programmes (试点示范)
REVIEWED = ("reviewing", "shortlisted", "in_notice", "published")
"""Call states from the start of the expert review on: an expert sees its assigned declarations and sheets."""


def is_expert(user) -> bool:
    """Whether ``user`` is an active expert in some authority's pool."""
    return user.is_authenticated and identity(user.pk)["expert"]


def calls_for_user(user):
    """Calls ``user`` may see: every published call (calls are public notices), and the drafts of the
    authorities ``user`` acts for; staff all."""
    from ronghe.apps.programs.models import Call

    qs = Call.objects.all()
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(~Q(state="draft") | Q(owner__in=authorities_of(user) if user.is_authenticated else []))


def get_call_for_user(user, pk: int):
    return _one_or_404(calls_for_user(user).select_related("owner__region"), pk, "call")


def owns_call(user, call) -> bool:
    """Whether ``user`` acts for the authority that published ``call``."""
    return user.is_authenticated and user.memberships.filter(organization_id=call.owner_id).exists()


def in_jurisdiction(authority: Organization, region_code: str | None) -> bool:
    """Whether a region lies in an authority's jurisdiction (a national authority's: everywhere)."""
    if authority.national:
        return True
    return bool(authority.region_id and region_code and region_code.startswith(authority.region.prefix))


def declarations_for_user(user, *, write: bool = False):
    """Declarations ``user`` may see (``write``: prepare): the enterprise's own and its granted
    consultancy's, every state; an authority's, from submission on, of the enterprises in its
    jurisdiction; an expert's, those it is assigned to without a conflict once the review runs; staff all."""
    from ronghe.apps.programs.models import Declaration

    qs = Declaration.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    visible = Q(enterprise__in=enterprises_for_user(user, write=True))
    if write:
        return qs.filter(visible)
    for org in authorities_of(user):
        inside = Q(pk__isnull=False) if org.national else Q(enterprise__region__code__startswith=org.region.prefix)
        visible |= inside & ~Q(state="draft")
    visible |= Q(assignments__expert__user=user, assignments__excluded=False, call__state__in=REVIEWED)
    return qs.filter(visible).distinct()


def get_declaration_for_user(user, pk: int, *, write: bool = False):
    return _one_or_404(declarations_for_user(user, write=write).select_related(
        "call__owner", "enterprise__region", "at_authority"), pk, "declaration")


def declaration_roles(user, declaration) -> set[str]:
    """The lifecycle roles ``user`` holds on a declaration (``core.programs.lifecycle.ROLES``)."""
    out: set[str] = set()
    for m in memberships(user):
        if m.organization.pk == declaration.enterprise_id:
            out.add("enterprise")
        if m.organization.pk == declaration.at_authority_id:
            out.add("handler")
        if m.organization.pk == declaration.call.owner_id:
            out.add("owner")
    return out


def assignments_for_user(user):
    """An expert's own score sheets (never another expert's), excluded ones left out."""
    from ronghe.apps.programs.models import Assignment

    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(expert__user=user, excluded=False)


def get_assignment_for_user(user, pk: int):
    # a sheet opens once its review has started (before, the panel may still be drawn again)
    return _one_or_404(assignments_for_user(user).filter(call__state__in=REVIEWED)
                       .select_related("call", "declaration__enterprise", "expert"), pk, "score sheet")


def expert_ties(user, organization: Organization | None, enterprise: Organization) -> list[str]:
    """Why an expert (``user``, working for ``organization``) may not review ``enterprise`` apart from
    the region: a member of it or of an organisation that consulted it (:func:`conflicts_of_interest`),
    or working for the enterprise, an organisation that consulted it, or a provider that served it."""
    from ronghe.apps.certification.models import Project
    from ronghe.apps.providers.models import ServiceRequest

    reasons = conflicts_of_interest(user, enterprise)
    if organization is not None and str(organization) not in reasons:
        consulted = set(enterprise.grants_given.values_list("consultancy_id", flat=True)) | set(
            Project.objects.filter(enterprise=enterprise, consultancy__isnull=False).values_list("consultancy_id",
                                                                                                flat=True))
        served = set(ServiceRequest.objects.filter(enterprise=enterprise, state__in=ServiceRequest.SERVED)
                     .values_list("provider_id", flat=True))
        if organization.pk == enterprise.pk or organization.pk in consulted | served:
            reasons.append(str(organization))
    return reasons


# ------------------------------------------------------------------- service providers (服务商)
def providers_for_user(user):
    """The provider organisations whose catalogue ``user`` may edit (members; staff all)."""
    qs = Organization.objects.filter(kind=Kind.PROVIDER)
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(memberships__user=user).distinct()


def service_requests_for_user(user):
    """Service requests ``user`` may see: those of the enterprises it is a member of, those sent to the
    providers it is a member of (a provider sees only its own), staff all."""
    from ronghe.apps.providers.models import ServiceRequest

    qs = ServiceRequest.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    orgs = [m.organization.pk for m in memberships(user) if m.organization.kind in (Kind.ENTERPRISE, Kind.PROVIDER)]
    return qs.filter(Q(enterprise__in=orgs) | Q(provider__in=orgs))


def get_service_request_for_user(user, pk: int):
    return _one_or_404(service_requests_for_user(user).select_related("enterprise", "provider", "offering"), pk,
                       "request")


def service_request_roles(user, request) -> set[str]:
    """``enterprise`` for the requesting enterprise's members, ``provider`` for the provider's."""
    out: set[str] = set()
    for m in memberships(user):
        if m.organization.pk == request.enterprise_id:
            out.add("enterprise")
        if m.organization.pk == request.provider_id:
            out.add("provider")
    return out


# ------------------------------------------------------------------------------ dashboards
def dashboard_scopes(user) -> list:
    """The regions whose dashboard ``user`` may open: each authority's jurisdiction (``None`` stands
    for the whole country: national authorities and staff). Empty for everyone else."""
    if not user.is_authenticated:
        return []
    if user.is_staff:
        return [None]
    scopes = []
    for m in memberships(user):
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
