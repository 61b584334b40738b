"""Enterprise pages: the list a user may see, one profile, and consultancy access."""

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ronghe import pagecache, uploads
from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.audit.models import record
from ronghe.apps.jobs import services as jobs
from ronghe.apps.organizations import services
from ronghe.apps.organizations.forms import AccessForm, EnterpriseFilter
from ronghe.apps.organizations.models import Industry, Organization

COLUMNS = [("name", _("Name")), ("credit_code", _("Credit code")), ("region", _("Region")),
           ("industry", _("Industry")), ("", _("Size")), ("year", _("Year")), ("status", _("Latest assessment")),
           ("total", _("Total")), ("", _("Stage"))]


@login_required
def enterprise_list(request):
    form = EnterpriseFilter(request.GET)
    filters = form.values()
    if request.GET.get("format") == "xlsx":
        return _export(request, services.enterprise_table(request.user, **filters), filters)
    number = form.cleaned_data.get("page") if form.is_valid() else 1
    # The table with its count is cached under the versions of the enterprises, assessments and roles the
    # user sees (ronghe/pagecache.py): over a province's 100,000 enterprises it cost 30 ms a view.
    user, scope = request.user, access.provinces(request.user)
    key = (user.pk, user.is_staff, get_language(), sorted(filters.items()), number)
    content = pagecache.cached("enterprise-list", key, lambda: _table(user, filters, number),
                               people=None, enterprises=scope, assessments=scope)
    return render(request, "organizations/enterprise_list.html", {"content": mark_safe(content)})  # our template


def _table(user, filters: dict, number) -> str:
    page = Paginator(services.enterprise_table(user, **filters), 50).get_page(number)
    labels = dict(Assessment.Status.choices)
    page.object_list = list(page.object_list)
    for e in page.object_list:  # the label in Python: a loop over the statuses in every row was slow
        e.latest_status_label = labels.get(e.latest_status, "")
    return render_to_string("organizations/_enterprise_list.html", {
        "page": page, "filters": filters, "query": urlencode(filters), "regions": services.region_choices(
            user, filters.get("region", "")),
        "industry_options": _industry_options(filters.get("industry", "")), "sizes": Organization.Size.choices,
        "columns": COLUMNS, "numeric": {"year", "total"},
        "statuses": [(v, str(label)) for v, label in Assessment.Status.choices
                     if v != "draft" or not access.roles(user) <= {"authority"}],
    })


def _industry_options(selected: str) -> str:
    """The options of the industry filter (GB/T 4754: 20 sections, their divisions indented), built
    in Python — as a template loop the ~120 options were a fifth of the list page's time."""
    from django.utils.html import format_html_join
    from django.utils.safestring import mark_safe

    rows = Industry.objects.values_list("code", "name").order_by("code")
    return format_html_join("", "<option value=\"{}\"{}>{}{} {}</option>", (
        (code, mark_safe(" selected") if code == selected else "", mark_safe("&nbsp;&nbsp;") if len(code) > 1 else "",
         code, name) for code, name in rows))


def _export(request, qs, filters):
    """The list as filtered, as xlsx: at once up to RONGHE_INLINE_EXPORT_ROWS rows, else a job."""
    if qs.count() > settings.RONGHE_INLINE_EXPORT_ROWS:
        job = jobs.submit("organizations.export", request.user, "导出企业名单", {"filters": filters})
        return redirect("jobs:detail", pk=job.pk)
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = services.export_enterprises(qs, Path(tmp) / "enterprises.xlsx")
        record("export", actor=request.user, target=Organization, what="enterprises", rows=qs.count(), **filters)
        return FileResponse(path.open("rb"), as_attachment=True, filename="企业名单.xlsx")


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
