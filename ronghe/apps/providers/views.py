"""Catalogue pages. Each view: access check (``accounts.access``; outsiders get 404), a form, one service
call, render or redirect. The catalogue itself is public; requests are seen only by their two sides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.organizations.models import Organization
from ronghe.apps.providers import forms, services
from ronghe.apps.providers.models import Offering, Provider
from ronghe.core.providers.lifecycle import REQUEST
from ronghe.workflow import form_errors, step, take_step


def _trees() -> dict[str, list[tuple[str, str]]]:
    out = {}
    for slug in services.framework_slugs():
        parents, names, _ = services.framework_tree(slug)
        out[slug] = [(n, ("　" if parents[n] and parents.get(parents[n]) else "") + names[n]) for n in parents
                     if parents[n] is not None]
    return out


def catalogue(request):
    form = forms.CatalogueForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = services.catalogue(**{k: v for k, v in filters.items() if v})
    page = Paginator(qs.prefetch_related("tags", "regions"), 30).get_page(request.GET.get("page"))
    rated = services.ratings([o.pk for o in page])
    names = {}
    for slug in {t.framework for o in page for t in o.tags.all()}:
        names[slug] = services.framework_tree(slug)[1] if slug in services.framework_slugs() else {}
    rows = [{"o": o, "rating": rated.get(o.pk), "tags": [names.get(t.framework, {}).get(t.node, t.node)
                                                         for t in o.tags.all()]} for o in page]
    return render(request, "providers/catalogue.html", {"form": form, "page": page, "rows": rows,
                                                        "authority": request.user.is_authenticated and bool(
                                                            access.authorities_of(request.user))})


def provider(request, pk: int):
    p = get_object_or_404(Provider.objects.filter(listed=True).select_related("organization__region"), pk=pk)
    offerings = p.offerings.filter(listed=True).prefetch_related("tags", "regions", "industries")
    return render(request, "providers/provider.html", {"p": p, "offerings": offerings,
                                                       "rated": services.ratings([o.pk for o in offerings])})


def _my_provider(request, key: str | None = None) -> Organization:
    orgs = access.providers_for_user(request.user)
    if key and key.isdigit() and len(key) <= 18:
        orgs = orgs.filter(pk=int(key))
    org = orgs.order_by("pk").first()
    if org is None:
        raise Http404("for providers")
    return org


@login_required
def manage(request):
    """A provider's own catalogue entry and offerings."""
    org = _my_provider(request, request.GET.get("provider"))
    entry = Provider.objects.filter(organization=org).first()
    initial = {"category": entry.category, "summary": entry.summary, "website": entry.website,
               "contact": entry.contact, "listed": entry.listed} if entry else {"listed": True}
    form = forms.ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            with step(request):
                services.register_provider(org, by=request.user, **form.cleaned_data)
                return redirect(f"{request.path}?provider={org.pk}")
        else:
            form_errors(request, form)
    received = access.service_requests_for_user(request.user).filter(provider=org)
    return render(request, "providers/manage.html", {
        "org": org, "entry": entry, "form": form,
        "offerings": entry.offerings.prefetch_related("tags") if entry else [],
        "requests": received.select_related("enterprise", "offering")[:50]})


@login_required
def offering(request, pk: int | None = None):
    """Create (``pk`` None) or change one of the provider's offerings."""
    if pk is None:
        org = _my_provider(request, request.GET.get("provider"))
        entry = Provider.objects.filter(organization=org).first()
        if entry is None:
            messages.error(request, _("Fill in your catalogue entry first."))
            return redirect("providers:manage")
        current = None
    else:
        current = get_object_or_404(Offering.objects.filter(provider__organization__in=access.providers_for_user(
            request.user)).select_related("provider"), pk=pk)
        entry = current.provider
    trees = _trees()
    initial = None
    if current is not None:
        initial = {"name": current.name, "kind": current.kind, "summary": current.summary,
                   "nationwide": current.nationwide, "references": current.references,
                   "price_from": current.price_from, "price_to": current.price_to, "price_note": current.price_note,
                   "listed": current.listed, "tags": [f"{t.framework}:{t.node}" for t in current.tags.all()],
                   "regions": " ".join(current.regions.values_list("code", flat=True)),
                   "industries": " ".join(current.industries.values_list("code", flat=True))}
    form = forms.OfferingForm(trees, request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            with step(request):
                o = services.save_offering(entry, current, by=request.user, **form.service_kwargs())
                return redirect("providers:offering", pk=o.pk)
        else:
            form_errors(request, form)
    return render(request, "providers/offering_form.html", {"form": form, "current": current, "entry": entry})


@login_required
def matches(request, pk: int):
    """The providers that address the weakest indicators of one approved assessment, and a request to each."""
    a = access.get_assessment_for_user(request.user, pk)
    if a.status != Assessment.Status.SCORED:
        raise Http404("no diagnosis yet")
    member = request.user.memberships.filter(organization=a.enterprise).exists()
    enterprises = Organization.objects.filter(pk=a.enterprise_id)
    assessments = Assessment.objects.filter(pk=a.pk)
    return render(request, "providers/matches.html", {
        "a": a, "matches": services.matches(a), "weak": services.weak_of(a),
        "form": forms.SendForm(enterprises, assessments, initial={"enterprise": a.enterprise_id, "assessment": a.pk,
                                                                  "share": True}) if member else None})


@login_required
@require_POST
def send(request, pk: int):
    """An enterprise member sends a request about an offering."""
    o = get_object_or_404(services.listed_offerings(), pk=pk)
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, memberships__user=request.user)
    if not enterprises.exists():
        raise Http404("for enterprises")
    assessments = Assessment.objects.filter(enterprise__in=enterprises, status=Assessment.Status.SCORED)
    form = forms.SendForm(enterprises, assessments, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("providers:provider", pk=o.provider_id)
    d = form.cleaned_data
    with step(request):
        r = services.send_request(d["enterprise"], o, message=d["message"], assessment=d["assessment"],
                                  share=d["share"], by=request.user)
        return redirect("providers:request", pk=r.pk)
    return redirect("providers:provider", pk=o.provider_id)


@login_required
def requests(request):
    qs = access.service_requests_for_user(request.user).select_related("enterprise", "provider", "offering")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "providers/requests.html", {"page": page})


@login_required
def service_request(request, pk: int):
    r = access.get_service_request_for_user(request.user, pk)
    roles = access.service_request_roles(request.user, r)
    lang = get_language() or "zh-hans"
    return render(request, "providers/request.html", {
        "r": r, "roles": roles, "lang": lang, "state_label": REQUEST.label(r.state, lang),
        "actions": [t for t in REQUEST.leaving(r.state) if roles & t.roles],
        "history": r.history().select_related("actor")})


@login_required
@require_POST
def request_transition(request, pk: int):
    r = access.get_service_request_for_user(request.user, pk)
    take_step(request, forms.RequestTransitionForm(request.POST), services.request_transition, r, by=request.user)
    return redirect("providers:request", pk=r.pk)


@login_required
def coverage(request):
    """Which weak indicators of an authority's region have few providers."""
    authorities = access.authorities_of(request.user)
    if not authorities:
        raise Http404("for authorities")
    form = forms.CoverageForm(request.GET)
    if not form.is_valid():
        raise Http404("bad filter")
    key = form.cleaned_data["authority"]
    authority = next((a for a in authorities if key and a.pk == int(key)), authorities[0])
    slugs = services.framework_slugs()
    framework = form.cleaned_data["framework"] or ("gbt23020-discrete" if "gbt23020-discrete" in slugs else
                                                    (slugs[0] if slugs else ""))
    if framework not in slugs:
        raise Http404("no such framework")
    return render(request, "providers/coverage.html", {"c": services.coverage(authority, framework),
                                                       "authorities": authorities})
