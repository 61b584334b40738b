"""The service-provider catalogue over REST: the public catalogue, the offerings that match one of your
assessments' weakest indicators, your service requests and their steps, an authority's coverage.

Access is the pages' (``accounts.access``): a request is seen only by the enterprise that sent it and
the provider it went to; anything else is 404. A step the lifecycle refuses answers 409.
"""

from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate
from pydantic import StringConstraints

from ronghe.api.auth import AUTH
from ronghe.api.errors import responses, step_errors
from ronghe.api.fields import Id, Slug
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.organizations.models import Organization
from ronghe.apps.providers import services
from ronghe.apps.providers.models import Provider
from ronghe.apps.providers.schemas import (
    CoverageOut,
    MatchOut,
    OfferingOut,
    ProviderOut,
    RequestIn,
    RequestOut,
    RequestTransitionIn,
)
from ronghe.core.providers.lifecycle import REQUEST

router = Router(tags=["providers"], auth=AUTH)
Node = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,40}$")]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
IndustryCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
Words = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00]*$")]


def _rated(offerings):
    offerings = list(offerings)
    rated = services.ratings([o.pk for o in offerings])
    for o in offerings:
        o.rating, o.ratings = rated.get(o.pk, (None, 0))
    return offerings


@router.get("/catalogue", auth=None, response=responses(list[OfferingOut]), operation_id="providers_catalogue",
            summary=_("The public catalogue of offerings (filter by category, indicator, region, industry, words)"))
@paginate(Pages)
def catalogue(request, category: Provider.Category | None = None, framework: Slug | None = None,
              node: Node | None = None, region: RegionCode | None = None, industry: IndustryCode | None = None,
              q: Words | None = None):
    qs = services.catalogue(category=category or "", framework=framework or "", node=node or "",
                            region=region or "", industry=industry or "", q=q or "")
    return _rated(qs.prefetch_related("tags", "regions", "industries")[:10_000])


@router.get("/catalogue/{provider_id}", auth=None, response=responses(ProviderOut, 404),
            operation_id="providers_provider", summary=_("One provider with its listed offerings (public)"))
def provider(request, provider_id: Id):
    p = Provider.objects.filter(pk=provider_id, listed=True).select_related("organization").first()
    if p is None:
        raise Http404("no such provider")
    p.offerings_list = _rated(p.offerings.filter(listed=True).prefetch_related("tags", "regions", "industries"))
    return p


@router.get("/matches/{assessment_id}", response=responses(list[MatchOut], 401, 404), operation_id="providers_matches",
            summary=_("Offerings that address an approved assessment's weakest indicators, where it is"))
def matches(request, assessment_id: Id):
    a = access.get_assessment_for_user(request.user, assessment_id)
    if a.status != Assessment.Status.SCORED:
        raise Http404("no diagnosis yet")
    found = services.matches(a)
    _rated([m["offering"] for m in found])
    return [{"offering": m["offering"], "relevance": m["relevance"], "addresses": m["addresses"]} for m in found]


def _request(user, r):
    roles = access.service_request_roles(user, r)
    r.actions = [t.name for t in REQUEST.leaving(r.state) if roles & t.roles]
    return r


@router.get("/requests", response=responses(list[RequestOut], 401), operation_id="providers_requests",
            summary=_("Service requests you sent (an enterprise) or received (a provider)"))
@paginate(Pages)
def list_requests(request):
    return access.service_requests_for_user(request.user).select_related("enterprise", "provider", "offering")


@router.post("/requests", response=responses(RequestOut, 401, 403, 404, 409), operation_id="providers_send",
             summary=_("Send a request about an offering, with your diagnosis if you choose"))
def send(request, payload: RequestIn):
    enterprise = Organization.objects.filter(pk=payload.enterprise, kind=Organization.Kind.ENTERPRISE,
                                             memberships__user=request.user).first()
    offering = services.listed_offerings().filter(pk=payload.offering).first()
    if enterprise is None or offering is None:
        raise Http404("no such enterprise or offering")
    assessment = None
    if payload.assessment is not None:
        assessment = Assessment.objects.filter(pk=payload.assessment, enterprise=enterprise,
                                               status=Assessment.Status.SCORED).first()
        if assessment is None:
            raise Http404("no such assessment")
    with step_errors():
        r = services.send_request(enterprise, offering, message=payload.message, assessment=assessment,
                                  share=payload.share, by=request.user)
    return _request(request.user, access.get_service_request_for_user(request.user, r.pk))


@router.get("/requests/{request_id}", response=responses(RequestOut, 401, 404), operation_id="providers_request",
            summary=_("One request: its messages, the diagnosis sent with it, the steps you may take"))
def get_request(request, request_id: Id):
    return _request(request.user, access.get_service_request_for_user(request.user, request_id))


@router.post("/requests/{request_id}/transitions", response=responses(RequestOut, 401, 403, 404, 409),
             operation_id="providers_request_transition",
             summary=_("Answer, decline, withdraw, engage, close, complete or rate a request"))
def request_transition(request, request_id: Id, payload: RequestTransitionIn):
    r = access.get_service_request_for_user(request.user, request_id)
    with step_errors():
        services.request_transition(r, by=request.user, **payload.dict())
    return _request(request.user, access.get_service_request_for_user(request.user, request_id))


@router.get("/coverage", response=responses(CoverageOut, 401, 404), operation_id="providers_coverage",
            summary=_("Which weak indicators of your region have few providers (authorities)"))
def coverage(request, authority: Id | None = None, framework: Slug = "gbt23020-discrete"):
    authorities = access.authorities_of(request.user)
    chosen = next((a for a in authorities if authority is None or a.pk == authority), None)
    if chosen is None or framework not in services.framework_slugs():
        raise Http404("coverage is for authorities, of a framework in use")
    c = services.coverage(chosen, framework)
    return {**c, "authority": chosen.name, "rows": [r.__dict__ for r in c["rows"]]}
