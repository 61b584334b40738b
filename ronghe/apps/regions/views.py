"""Evaluation pages: list, run (authorities), detail with ranking, map and charts, publish."""

import contextlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ronghe import uploads
from ronghe.apps.audit.models import record
from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import samples, services
from ronghe.apps.regions.forms import RunForm
from ronghe.core.errors import AnswerFileError, FrameworkFileError, ParameterError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _authorities(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(kind=Organization.Kind.AUTHORITY, memberships__user=user)


def evaluation_list(request):
    return render(request, "regions/list.html", {"evaluations": services.visible_evaluations(request.user),
                                                 "can_run": _authorities(request.user).exists()})


def _authority(request):
    """The authority the request acts for: ``?authority=<id>`` among the user's, else the first.
    404 for a user of no authority (permission first: nothing else of the request is read)."""
    authorities = _authorities(request.user)
    if not authorities.exists():
        raise Http404("only authorities run evaluations")
    pk = request.GET.get("authority") or request.POST.get("authority")
    if pk:
        found = authorities.filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            raise Http404("not one of your authorities")
        return found
    return authorities.order_by("pk").first()


@login_required
def run(request):
    authorities = _authorities(request.user)
    if not authorities.exists():  # permission first: nothing of the request is read otherwise
        raise Http404("only authorities run evaluations")
    form = RunForm(authorities, request.POST or None, request.FILES or None,
                   initial={"use_assessments": True, "source": "upload"})
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_analysis(data["definition"], form.analysis())
            with contextlib.ExitStack() as stack:
                if data["source"] == "sample":
                    files = [stack.enter_context(services.sample_path(data["authority"], data["definition"]))]
                    size = sum(f.stat().st_size for f in files)
                else:
                    files = data["data"]
                    size = sum(f.size for f in files)
                    for f in files:
                        uploads.check(f)  # a hostile file is refused now, not queued or parsed
                if data["runs"] > settings.RONGHE_INLINE_MAX_RUNS or size > settings.RONGHE_INLINE_MAX_BYTES:
                    job = services.submit_job(request.user, data["authority"], data["definition"], files,
                                              title=data["title"], runs=data["runs"], analysis=form.analysis(),
                                              use_assessments=data["use_assessments"],
                                              sensitivity=form.sensitivity())
                    return redirect("jobs:detail", pk=job.pk)
                paths = files if data["source"] == "sample" else [
                    stack.enter_context(uploads.saved_upload(f)) for f in files]
                ev = services.run_evaluation(data["authority"], data["definition"], paths, title=data["title"],
                                             runs=data["runs"], by=request.user, analysis=form.analysis(),
                                             use_assessments=data["use_assessments"], sensitivity=form.sensitivity())
            return redirect("regions:detail", pk=ev.pk)
        except (AnswerFileError, FrameworkFileError) as exc:
            errors = exc.errors
        except (services.EvaluationError, ParameterError) as exc:
            form.add_error(None, str(exc))
    authority = form["authority"].value() if form.is_bound else None
    subregions = samples.subregions(authorities.filter(pk=authority).first() if str(authority or "").isdigit()
                                    and authorities.filter(pk=authority).exists() else authorities.order_by("pk")[0])
    return render(request, "regions/run.html", {"form": form, "authorities": authorities.order_by("pk"),
                                                "labelled_defaults": services.labelled_defaults(),
                                                "subregions": subregions,
                                                "errors": errors[:settings.RONGHE_MAX_ERRORS_SHOWN],
                                                "error_count": len(errors)})


@login_required
def template(request):
    """The data template of one of the user's authorities (``?authority=``): its sub-regions with
    names and the indicator columns of the definition, and a notes sheet."""
    authority = _authority(request)
    year = timezone.localdate().year - 1
    content = services.template_xlsx(authority, "lianghua-regional", year)
    record("evaluation.template", actor=request.user, target=authority, year=year)
    response = HttpResponse(content, content_type=XLSX)
    name = f"regional-template-{authority.region_id or 'national'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def sample(request):
    """The sample data the run page's "use sample data" computes with, as a long CSV to look at."""
    authority = _authority(request)
    response = HttpResponse(services.sample_csv(authority, "lianghua-regional"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="regional-sample-{authority.region_id or "national"}.csv"'
    return response


def detail(request, pk: int):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    r = {**ev.results, "names": services.names_of(ev.results)}
    if not all(c.endswith("0000") for c in r["regions"]):
        r["zones"] = []  # zones apply to provinces only (an evaluation stored before this rule had them)
    latest = len(r["years"]) - 1
    unc = {u["region"]: u for u in ev.uncertainty}
    rows = sorted(({"code": code, "name": r["names"][i], "total": r["total"][latest][i], "rank": r["ranks"][latest][i],
                    "change": r["rank_changes"][latest][i], "tier": r["tiers"][latest][i],
                    "growth": r["growth"][latest][i], "cagr": r["cagr_pct"][i],
                    "categories": [c["values"][latest][i] for c in r["categories"]], "u": unc.get(code)}
                   for i, code in enumerate(r["regions"])), key=lambda x: x["rank"] or 10**6)
    owner = _authorities(request.user).filter(pk=ev.authority_id).exists()
    return render(request, "regions/detail.html", {"ev": ev, "rows": rows, "results": r, "uncertainty": ev.uncertainty,
                                                   "map": services.map_of(ev, r["names"]),
                                                   "labelled_defaults": services.computed_with_defaults(ev),
                                                   "can_publish": owner and ev.status == "draft"})


@login_required
def publish(request, pk: int):
    """GET: a page asking to confirm (publishing freezes the evaluation and makes it public);
    POST: publish. Works without JavaScript."""
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    if not _authorities(request.user).filter(pk=ev.authority_id).exists():
        raise Http404("no such evaluation")
    if request.method == "POST":
        with contextlib.suppress(services.EvaluationError):  # publishing twice changes nothing
            services.publish(ev, by=request.user)
        return redirect("regions:detail", pk=ev.pk)
    if ev.status != ev.Status.DRAFT:
        return redirect("regions:detail", pk=ev.pk)
    return render(request, "regions/publish.html", {"ev": ev})


def export(request, pk: int):
    """The evaluation as .xlsx, for whoever may see it (published: everyone)."""
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    response = HttpResponse(services.export_xlsx(ev, by=request.user),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{ev.pk}.xlsx"'
    return response


def runs(request, pk: int):
    """Every Monte Carlo run of the evaluation as Parquet (the CLI's ``--runs-out``), for whoever may
    see it; rebuilt from its snapshots. Too many rows: 413 with the reason."""
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    try:
        content = services.runs_parquet(ev, by=request.user)
    except services.EvaluationError as exc:
        return HttpResponse(str(exc), status=413, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/vnd.apache.parquet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{ev.pk}-runs.parquet"'
    return response
