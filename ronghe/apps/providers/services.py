"""The service-provider catalogue: the only code that changes a provider, an offering or a request.

Matching and coverage are the core's (:mod:`ronghe.core.providers.matching`) over the catalogue and
the stored diagnoses; a request's steps go through :func:`request_transition`, which asks the table
(``ronghe.core.providers.lifecycle.REQUEST``) and writes the change and its audit record in one
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ronghe.apps.accounts import access
from ronghe.apps.notifications.services import members, notify
from ronghe.apps.organizations.models import Industry, Organization, Region
from ronghe.apps.providers.models import Offering, OfferingTag, Provider, ServiceRequest
from ronghe.core.providers import matching
from ronghe.core.providers.lifecycle import REQUEST, RequestFacts
from ronghe.workflow import InputError, Refused, check, clean_text

Kind = Organization.Kind
FEW = 3
"""Fewer providers than this for an indicator that is weak in a region is flagged in the coverage."""


# ------------------------------------------------------------------------------ the framework
def framework_tree(slug: str) -> tuple[dict[str, str | None], dict[str, str], list[tuple[str, str]]]:
    """The active version of framework ``slug``: see :func:`tree_of`."""
    from ronghe.apps.frameworks.services import get_version

    return tree_of(get_version(slug))


def tree_of(version) -> tuple[dict[str, str | None], dict[str, str], list[tuple[str, str]]]:
    """A framework version's parents by node, names by node (简体中文), and its indicators (the nodes
    that hold questions, which the diagnosis ranks) in the tree's order."""
    fw = version.loaded().framework
    parents = {n.id: n.parent for n in fw.nodes}
    names = {n.id: n.name.zh for n in fw.nodes}
    holders = {i.parent for i in fw.items}
    return parents, names, [(n.id, names[n.id]) for n in fw.nodes if n.id in holders]


def framework_slugs() -> list[str]:
    from ronghe.apps.frameworks.models import FrameworkVersion

    return sorted(set(FrameworkVersion.objects.filter(is_active=True).values_list("slug", flat=True)))


def clean_tags(tags: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(framework slug, node)`` pairs that name real nodes of active frameworks (deduplicated)."""
    out, trees = [], {}
    for framework, node in tags:
        framework, node = str(framework)[:80], str(node)[:40]
        if framework not in trees:
            if framework not in framework_slugs():
                raise InputError(_("framework %(framework)s: not in use") % {"framework": framework})
            trees[framework] = framework_tree(framework)[0]
        if node not in trees[framework]:
            raise Refused.of("providers.tag.unknown", node=node, framework=framework)
        if (framework, node) not in out:
            out.append((framework, node))
    return out


# ------------------------------------------------------------------------------ the catalogue
def register_provider(org: Organization, *, category: str, summary: str = "", website: str = "",
                      contact: str = "", listed: bool = True, by: Any = None) -> Provider:
    """The catalogue entry of a provider organisation (created or updated)."""
    if org.kind != Kind.PROVIDER:
        raise InputError(_("the organisation is not a service provider"))
    if category not in Provider.Category.values:
        raise InputError(_("category: one of %(values)s") % {"values": ", ".join(Provider.Category.values)})
    with transaction.atomic():
        p, created = Provider.objects.update_or_create(organization=org, defaults={
            "category": category, "summary": clean_text(summary, "summary"),
            "website": clean_text(website, "website", limit=200),
            "contact": clean_text(contact, "contact", limit=200), "listed": listed})
        p.log("provider.registered" if created else "provider.updated", by, category=category, listed=listed)
    return p


def _price(value: Any, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise InputError(_("%(field)s: a number (10,000 yuan)") % {"field": what}) from None
    if not d.is_finite() or d < 0 or d >= Decimal("1e10"):
        raise InputError(_("%(field)s: from %(low)s to %(high)s") % {"field": what, "low": 0, "high": "9,999,999,999"})
    return d.quantize(Decimal("0.01"))


def save_offering(provider: Provider, offering: Offering | None = None, *, name: str, kind: str = "service",
                  summary: str = "", nationwide: bool = False, regions: list[str] = (), industries: list[str] = (),
                  references: str = "", price_from: Any = None, price_to: Any = None, price_note: str = "",
                  tags: list[tuple[str, str]] = (), listed: bool = True, by: Any = None) -> Offering:
    """Create or change an offering with its indicator tags, regions and industries."""
    if kind not in Offering.Kind.values:
        raise InputError(_("kind: one of %(values)s") % {"values": ", ".join(Offering.Kind.values)})
    low, high = _price(price_from, "price_from"), _price(price_to, "price_to")
    if low is not None and high is not None and low > high:
        raise InputError(_("price: from ≤ to"))
    tags = clean_tags(list(tags))
    if not tags:
        raise InputError(_("tags: name at least one indicator or aspect the offering improves"))
    region_rows = list(Region.objects.filter(code__in=list(regions)))
    if len(region_rows) != len(set(regions)):
        raise InputError(_("regions: unknown region codes"))
    industry_rows = list(Industry.objects.filter(code__in=list(industries)))
    if len(industry_rows) != len(set(industries)):
        raise InputError(_("industries: unknown industry codes"))
    if not nationwide and not region_rows:
        raise InputError(_("regions: name the regions served, or nationwide"))
    with transaction.atomic():
        o = offering or Offering(provider=provider)
        if offering is not None and offering.provider_id != provider.pk:
            raise InputError(_("the offering belongs to another provider"))
        o.name = clean_text(name, "name", required=True, limit=200)
        o.kind, o.summary, o.nationwide, o.listed = kind, clean_text(summary, "summary"), nationwide, listed
        o.references, o.price_note = (clean_text(references, "references"),
                                      clean_text(price_note, "price_note", limit=200))
        o.price_from, o.price_to = low, high
        o.save()
        o.regions.set(region_rows)
        o.industries.set(industry_rows)
        o.tags.all().delete()
        OfferingTag.objects.bulk_create([OfferingTag(offering=o, framework=f, node=n) for f, n in tags])
        o.log("offering.saved", by, tags=[f"{f}:{n}" for f, n in tags], nationwide=nationwide,
              regions=sorted(regions), industries=sorted(industries))
    return o


def listed_offerings():
    return Offering.objects.filter(listed=True, provider__listed=True).select_related("provider__organization")


def serving(region_code: str | None, industry_code: str | None):
    """Listed offerings that serve an enterprise in this region and industry."""
    code = region_code or ""
    ancestors = {code[:2].ljust(6, "0"), code[:4].ljust(6, "0"), code} - {"000000", ""}
    qs = listed_offerings().filter(Q(nationwide=True) | Q(regions__code__in=ancestors))
    if industry_code:
        qs = qs.filter(Q(industries__isnull=True) | Q(industries__code=industry_code))
    return qs.distinct()


def ratings(offering_ids) -> dict[int, tuple[float, int]]:
    """Each offering's average rating (1–5) and number of ratings."""
    rows = (ServiceRequest.objects.filter(offering__in=offering_ids, rating__isnull=False).values("offering")
            .annotate(avg=Avg("rating"), n=Count("pk")))
    return {r["offering"]: (float(r["avg"]), r["n"]) for r in rows}


def catalogue(*, category: str = "", framework: str = "", node: str = "", region: str = "", industry: str = "",
              q: str = ""):
    """The public catalogue, filtered: a provider category, an indicator (or aspect) of a framework, a
    region and an industry served, a word in the name."""
    qs = listed_offerings()
    if region:
        qs = qs.filter(pk__in=serving(region, industry or None).values("pk"))
    elif industry:
        qs = qs.filter(Q(industries__isnull=True) | Q(industries__code=industry))
    if category:
        qs = qs.filter(provider__category=category)
    if framework and node:
        parents = framework_tree(framework)[0] if framework in framework_slugs() else {}
        nodes = [node, *matching.ancestors(node, parents)] if node in parents else [node]
        qs = qs.filter(tags__framework=framework, tags__node__in=nodes)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(provider__organization__name__icontains=q) | Q(summary__icontains=q))
    return qs.distinct().order_by("provider__organization__name", "name")


# -------------------------------------------------------------------------------- matching
def weak_of(assessment) -> list[matching.Weak]:
    """The assessment's weakest indicators (its stored diagnosis)."""
    diag = assessment.score.diagnosis or {}
    return [matching.Weak(w["node"], w.get("name", w["node"]), float(w["score"])) for w in diag.get("weakest", [])
            if w.get("score") is not None]


def matches(assessment, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Listed offerings serving the enterprise (region, industry) that address its weakest indicators,
    most relevant first, each with the indicators it addresses and its rating."""
    e = assessment.enterprise
    weak = weak_of(assessment)
    if not weak:
        return []
    slug = assessment.framework.slug
    parents, names, _ = tree_of(assessment.framework)
    offers = list(serving(e.region_id, e.industry_id).filter(tags__framework=slug).prefetch_related("tags"))
    rated = ratings([o.pk for o in offers])
    ranked = matching.match(weak, parents, [
        matching.Offer(o.pk, frozenset(t.node for t in o.tags.all() if t.framework == slug),
                       rated.get(o.pk, (None, 0))[0]) for o in offers])
    by_id = {o.pk: o for o in offers}
    out = [{"offering": by_id[m.offer], "relevance": m.relevance, "addresses": [names.get(n, n) for n in m.addresses],
            "rating": m.rating, "ratings": rated.get(m.offer, (None, 0))[1]} for m in ranked]
    return out[:limit] if limit else out


def diagnosis_snapshot(assessment) -> dict[str, Any]:
    """What an enterprise sends with a request when it chooses to: the result and the diagnosis."""
    s = assessment.score
    diag = s.diagnosis or {}
    return {"assessment": assessment.pk, "framework": assessment.framework.title, "year": assessment.year,
            "total": round(s.total, 1), "stage": s.stage_label,
            "weakest": [{"node": w["node"], "name": w.get("name", w["node"]), "score": round(w["score"], 1)}
                        for w in diag.get("weakest", []) if w.get("score") is not None],
            "gaps": [{"node": g["node"], "name": g.get("name", g["node"]), "score": g.get("score"),
                      "required": g.get("required")} for g in diag.get("gaps", [])]}


# -------------------------------------------------------------------------------- requests
def send_request(enterprise: Organization, offering: Offering, *, message: str, by: Any, assessment=None,
                 share: bool = False) -> ServiceRequest:
    """An enterprise member sends a request about ``offering``; with ``share``, the diagnosis of
    ``assessment`` (one of the enterprise's approved assessments) goes with it."""
    if enterprise.kind != Kind.ENTERPRISE:
        raise InputError(_("an enterprise sends a request"))
    if not (offering.listed and offering.provider.listed):
        raise Refused.of("providers.offering.unlisted")
    if assessment is not None and (assessment.enterprise_id != enterprise.pk or not hasattr(assessment, "score")):
        raise InputError(_("the diagnosis must be one of the enterprise's approved assessments"))
    if share and assessment is None:
        raise InputError(_("choose the assessment whose diagnosis to send"))
    roles = {"enterprise"} if by is not None and by.memberships.filter(organization=enterprise).exists() else set()
    check(REQUEST, REQUEST.initial, "send", roles, RequestFacts())
    with transaction.atomic():
        r = ServiceRequest(enterprise=enterprise, provider=offering.provider.organization, offering=offering,
                           assessment=assessment, message=clean_text(message, "message", required=True),
                           shared_diagnosis=diagnosis_snapshot(assessment) if share else {}, state="sent",
                           created_by=by)
        r.save()
        r.log("request.send", by, from_state=REQUEST.initial, to_state="sent", reason="", shared=share)
        _tell(r, "send", "", by)
    return r


def _tell(r: ServiceRequest, name: str, reason: str, by: Any) -> None:
    """Each step of a request is told to the other side: the provider's people when someone of the
    enterprise acts, the enterprise's when someone of the provider does."""
    action = REQUEST.get(name).label_in(get_language() or "zh-Hans")
    text = r.answer if name == "answer" else reason
    mine = set(by.memberships.values_list("organization_id", flat=True)) if by is not None else set()
    other = r.provider if r.enterprise_id in mine else r.enterprise if r.provider_id in mine else None
    notify(members(other) if other is not None else members(r.enterprise, r.provider), f"providers.request.{name}",
           _("Service request of %(enterprise)s about %(offering)s: %(action)s") % {
               "enterprise": r.enterprise.name, "offering": r.offering.name, "action": action},
           text[:500], reverse("providers:request", args=[r.pk]), actor=by)


def request_transition(r: ServiceRequest, name: str, *, by: Any, answer: str = "", reason: str = "",
                       rating: int | None = None, review: str = "") -> ServiceRequest:
    """Answer, decline, withdraw, engage, close, complete or rate a request (``lifecycle.REQUEST``)."""
    answer, reason, review = clean_text(answer, "answer"), clean_text(reason, "reason"), clean_text(review, "review")
    with transaction.atomic():
        r = ServiceRequest.objects.select_for_update().get(pk=r.pk)
        roles = access.service_request_roles(by, r) if by is not None else set()
        check(REQUEST, r.state, name, roles, RequestFacts(answer=answer, reason=reason, rating=rating))
        before, target = r.state, REQUEST.get(name).target
        if name == "answer":
            r.answer = answer
        elif name == "decline":
            r.reason = reason
        elif name == "rate":
            r.rating, r.review = rating, review
        r.state, r._transition = target, True
        r.save()
        r.log(f"request.{name}", by, from_state=before, to_state=target, reason=reason,
              **({"rating": rating} if name == "rate" else {}))
        _tell(r, name, reason, by)
    return r


# -------------------------------------------------------------------------------- coverage
def coverage(authority: Organization, framework: str, *, few: int = FEW) -> dict[str, Any]:
    """For an authority's jurisdiction and a framework: each indicator, how many enterprises (latest
    approved assessment each) have it among their weakest, and how many providers address it there."""
    from ronghe.apps.assessments.models import Assessment

    prefix = "" if authority.national else authority.region.prefix
    parents, _names, indicators = framework_tree(framework)
    latest: dict[int, list[str]] = {}
    scored = (Assessment.objects.filter(status=Assessment.Status.SCORED, framework__slug=framework,
                                        enterprise__region__code__startswith=prefix)
              .order_by("enterprise_id", "-year", "-version").values_list("enterprise_id", "score__diagnosis"))
    for enterprise, diag in scored:
        if enterprise not in latest:
            latest[enterprise] = [w["node"] for w in (diag or {}).get("weakest", [])]
    region_q = Q(nationwide=True)
    if prefix:
        region_q |= Q(regions__code__startswith=prefix) | Q(regions__code__in={prefix[:2].ljust(6, "0"),
                                                                               prefix[:4].ljust(6, "0")})
    else:
        region_q |= Q(regions__isnull=False)
    offers: dict[int, set[str]] = defaultdict(set)
    for provider, node in (listed_offerings().filter(region_q, tags__framework=framework)
                           .values_list("provider_id", "tags__node").distinct()):
        offers[provider].add(node)
    rows = matching.coverage(indicators, latest.values(), offers.items(), parents, few=few)
    return {"authority": authority, "framework": framework, "enterprises": len(latest), "rows": rows, "few": few,
            "frameworks": framework_slugs()}
