"""Enterprise pages: the list a user may see, one profile, and consultancy access."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import access
from ronghe.apps.organizations import services
from ronghe.apps.organizations.forms import AccessForm
from ronghe.apps.organizations.models import Industry, Organization


@login_required
def enterprise_list(request):
    qs = access.enterprises_for_user(request.user).select_related("region", "industry")
    region, industry, size = (request.GET.get(k, "").strip() for k in ("region", "industry", "size"))
    if region:
        qs = qs.filter(region__code__startswith=region.rstrip("0") or region)
    if industry:
        qs = qs.filter(industry__code=industry)
    if size:
        qs = qs.filter(size=size)
    page = Paginator(qs.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "organizations/enterprise_list.html", {
        "page": page, "industries": Industry.objects.exclude(code__regex=r"^[A-Z]$"),
        "sizes": Organization.Size.choices, "filters": {"region": region, "industry": industry, "size": size},
    })


@login_required
def enterprise_detail(request, pk: int):
    enterprise = access.get_enterprise_for_user(request.user, pk)
    grants = enterprise.grants_given.filter(revoked_at__isnull=True).select_related("consultancy")
    return render(request, "organizations/enterprise_detail.html", {
        "enterprise": enterprise, "grants": grants,
        "can_manage": access.is_enterprise_manager(request.user, enterprise),
        "consultancies": Organization.objects.filter(kind=Organization.Kind.CONSULTANCY).order_by("name"),
    })


@login_required
@require_POST
def change_access(request, pk: int):
    enterprise = access.get_enterprise_for_user(request.user, pk, write=True)
    if not access.is_enterprise_manager(request.user, enterprise):
        raise Http404("no such enterprise")
    form = AccessForm(request.POST)
    if not form.is_valid():
        raise Http404("no such consultancy")
    consultancy = form.cleaned_data["consultancy"]
    if form.cleaned_data["action"] == "revoke":
        services.revoke_access(enterprise, consultancy, by=request.user)
    else:
        services.grant_access(enterprise, consultancy, by=request.user)
    return redirect("organizations:enterprise", pk=enterprise.pk)
