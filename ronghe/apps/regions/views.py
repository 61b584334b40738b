"""Evaluation pages: list, run (authorities), detail with ranking, map and charts, publish."""

import contextlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ronghe import uploads
from ronghe.apps.jobs import services as jobs
from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import services
from ronghe.apps.regions.forms import RunForm
from ronghe.core.errors import AnswerFileError, FrameworkFileError, ParameterError


def _authorities(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(kind=Organization.Kind.AUTHORITY, memberships__user=user)


def evaluation_list(request):
    return render(request, "regions/list.html", {"evaluations": services.visible_evaluations(request.user),
                                                 "can_run": _authorities(request.user).exists()})


@login_required
def run(request):
    authorities = _authorities(request.user)
    if not authorities.exists():  # permission first: nothing of the request is read otherwise
        raise Http404("only authorities run evaluations")
    form = RunForm(authorities, request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_analysis(data["definition"], form.analysis())
            if (data["runs"] > settings.RONGHE_INLINE_MAX_RUNS
                    or sum(f.size for f in data["data"]) > settings.RONGHE_INLINE_MAX_BYTES):  # long: a job
                for f in data["data"]:
                    uploads.check(f)  # a hostile file is refused now, not queued
                job = jobs.submit("regions.evaluation", request.user, f"区域评估 {data['title'] or data['definition']}",
                                  {"authority": data["authority"].pk, "definition": data["definition"],
                                   "title": data["title"], "runs": data["runs"], "analysis": form.analysis()},
                                  data["data"])
                return redirect("jobs:detail", pk=job.pk)
            with contextlib.ExitStack() as stack:
                paths = [stack.enter_context(uploads.saved_upload(f)) for f in data["data"]]
                ev = services.run_evaluation(data["authority"], data["definition"], paths, title=data["title"],
                                             runs=data["runs"], by=request.user, analysis=form.analysis())
            return redirect("regions:detail", pk=ev.pk)
        except (AnswerFileError, FrameworkFileError) as exc:
            errors = exc.errors
        except (services.EvaluationError, ParameterError) as exc:
            form.add_error(None, str(exc))
    return render(request, "regions/run.html", {"form": form, "authorities": authorities,
                                                "errors": errors[:settings.RONGHE_MAX_ERRORS_SHOWN],
                                                "error_count": len(errors)})


def detail(request, pk: int):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    r = ev.results
    latest = len(r["years"]) - 1
    unc = {u["region"]: u for u in ev.uncertainty}
    rows = sorted(({"code": code, "name": r["names"][i], "total": r["total"][latest][i], "rank": r["ranks"][latest][i],
                    "change": r["rank_changes"][latest][i], "tier": r["tiers"][latest][i],
                    "growth": r["growth"][latest][i], "cagr": r["cagr_pct"][i],
                    "categories": [c["values"][latest][i] for c in r["categories"]], "u": unc.get(code)}
                   for i, code in enumerate(r["regions"])), key=lambda x: x["rank"] or 10**6)
    owner = _authorities(request.user).filter(pk=ev.authority_id).exists()
    return render(request, "regions/detail.html", {"ev": ev, "rows": rows, "results": r, "uncertainty": ev.uncertainty,
                                                   "can_publish": owner and ev.status == "draft"})


@login_required
@require_POST
def publish(request, pk: int):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    if not _authorities(request.user).filter(pk=ev.authority_id).exists():
        raise Http404("no such evaluation")
    with contextlib.suppress(services.EvaluationError):  # publishing twice changes nothing
        services.publish(ev, by=request.user)
    return redirect("regions:detail", pk=ev.pk)


def export(request, pk: int):
    """The evaluation as .xlsx, for whoever may see it (published: everyone)."""
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=pk)
    response = HttpResponse(services.export_xlsx(ev, by=request.user),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{ev.pk}.xlsx"'
    return response
