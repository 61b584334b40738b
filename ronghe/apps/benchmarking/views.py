"""The authority's dashboard and its export. The enterprise's peer panel is drawn on the
assessment result page (``templatetags/benchmarking_tags.py``)."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from ronghe.apps.audit.models import record
from ronghe.apps.benchmarking import services
from ronghe.apps.benchmarking.forms import DashboardForm
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.organizations.models import Region
from ronghe.core.io.tables import write_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard(request) -> dict:
    form = DashboardForm(request.GET)
    if not form.is_valid():
        raise Http404("no such dashboard")
    q = form.cleaned_data
    try:
        return services.dashboard_for(request.user, q["region"] or None, q["framework"] or None, q["year"],
                                      get_language() or "zh-hans")
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404("no such framework") from exc


@login_required
def dashboard(request):
    return render(request, "benchmarking/dashboard.html", {"d": services.page(_dashboard(request))})


@login_required
def export(request):
    data = _dashboard(request)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard.xlsx"
        write_tables(path, services.dashboard_tables(data))
        content = path.read_bytes()
    record("export", actor=request.user, target=Region, object_id=data["scope"]["code"],
           object_repr=f"{data['scope']['name']} {data['year']}", what="benchmarking.dashboard",
           framework=data["framework"], year=data["year"], bytes=len(content))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{data["scope"]["code"]}-{data["year"]}.xlsx"'
    return response
