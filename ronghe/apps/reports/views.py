"""Report pages and their PDF downloads. Each view: access check (in the service), one service
call, render or answer the file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ronghe.apps.reports import services
from ronghe.apps.reports.forms import BatchForm, MonitoringForm


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def enterprise(request, pk: int):
    try:
        a = services.enterprise_for_user(request.user, pk)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:edit", pk=pk)
    context = services.enterprise_context(a)
    return render(request, "reports/page.html", {**context, "body": services.TEMPLATES["enterprise"],
                                                 "pdf_url": reverse("reports:enterprise_pdf", args=[a.pk]),
                                                 "back_url": reverse("assessments:result", args=[a.pk])})


@login_required
def enterprise_pdf(request, pk: int):
    try:
        a = services.enterprise_for_user(request.user, pk)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:edit", pk=pk)
    return _pdf(services.export(services.enterprise_context(a), "pdf", by=request.user, via="web"),
                services.file_name(a))


def _monitoring(request):
    form = MonitoringForm(request.GET)
    if not form.is_valid():
        raise Http404("no such report")
    data = form.cleaned_data
    return services.monitoring_context(request.user, data.get("region") or None, data.get("framework") or None,
                                       data.get("year"))


@login_required
def monitoring(request):
    context = _monitoring(request)
    return render(request, "reports/page.html", {**context, "body": services.TEMPLATES["monitoring"],
                                                 "pdf_url": reverse("reports:monitoring_pdf") + "?" +
                                                 request.GET.urlencode(),
                                                 "back_url": reverse("benchmarking:dashboard")})


@login_required
def monitoring_pdf(request):
    context = _monitoring(request)
    return _pdf(services.export(context, "pdf", by=request.user, via="web"), services.monitoring_file_name(context))


def region(request, pk: int):
    ev = services.evaluation_for_user(request.user, pk)
    context = services.region_context(ev)
    return render(request, "reports/page.html", {**context, "body": services.TEMPLATES["region"],
                                                 "pdf_url": reverse("reports:region_pdf", args=[ev.pk]),
                                                 "back_url": reverse("regions:list")})


def region_pdf(request, pk: int):
    ev = services.evaluation_for_user(request.user, pk)
    return _pdf(services.export(services.region_context(ev), "pdf", by=request.user, via="web"),
                services.region_file_name(ev))


@login_required
def batch(request):
    """The batch of enterprise reports of the authority's jurisdiction: a form, then a background
    job whose page shows the progress and offers the zip."""
    from ronghe.apps.accounts import access

    if not access.dashboard_scopes(request.user):
        raise Http404("only authorities make batches of reports")
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.submit_batch(request.user, form.cleaned_data.get("region") or None,
                                        form.cleaned_data["year"], form.cleaned_data.get("framework") or None)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "reports/batch.html", {"form": form})
