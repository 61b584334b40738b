"""Assessment pages: history, the questionnaire, review, result. Each view: access check, one
service call, render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe import pagecache, uploads
from ronghe.apps.accounts import access
from ronghe.apps.assessments import exports, services
from ronghe.apps.assessments.forms import ExportFilter, ImportForm, ScoreFileForm, StartForm
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.benchmarking.services import peer_panel_state
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.jobs import services as jobs
from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks.outline import outline


@login_required
def enterprise_assessments(request, pk: int):
    enterprise = access.get_enterprise_for_user(request.user, pk)
    if request.method == "POST":
        enterprise = access.get_enterprise_for_user(request.user, pk, write=True)
        form = StartForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
            return redirect("assessments:list", pk=pk)
        try:
            a = services.start(enterprise, form.cleaned_data["framework"], form.cleaned_data["year"], by=request.user)
        except (services.WorkflowError, services.InputError) as exc:
            messages.error(request, str(exc))
            return redirect("assessments:list", pk=pk)
        return redirect("assessments:edit", pk=a.pk)
    return render(request, "assessments/list.html", {
        "enterprise": enterprise, "assessments": services.history(enterprise).filter(
            pk__in=access.assessments_for_user(request.user).values("pk")),
        "frameworks": FrameworkVersion.objects.filter(is_active=True),
        "can_write": access.enterprises_for_user(request.user, write=True).filter(pk=pk).exists(),
    })


# What an autosave reads before it writes, besides what the permission check reads: the framework's key to
# its validated copy in memory (FrameworkVersion.loaded). Questionnaires autosave every few seconds.
AUTOSAVE_FIELDS = ("framework__sha256",)


@login_required
def edit(request, pk: int):
    if request.method == "POST":  # only who may change the assessment posts to it (404 for anyone else)
        only = AUTOSAVE_FIELDS if request.POST.get("action") == "autosave" else None
        a, can_write = access.get_assessment_for_user(request.user, pk, write=True, only=only), True
    else:
        a = access.get_assessment_for_user(request.user, pk)
        can_write = access.assessments_for_user(request.user, write=True).filter(pk=a.pk).exists()
    writable = a.status == Assessment.Status.DRAFT and can_write
    errors = []
    if request.method == "POST":
        # a multiple choice posts one value per ticked box after a hidden empty one: join them
        answers = {key[2:]: ",".join(v for v in values if v) for key, values in request.POST.lists()
                   if key.startswith("q_")}
        autosave = request.POST.get("action") == "autosave"
        try:
            errors = services.save_draft(a, answers, by=request.user)
        except (services.WorkflowError, services.InputError) as exc:  # e.g. an autosave after the submit
            if autosave:
                return JsonResponse({"errors": [], "message": str(exc)}, status=409)
            messages.error(request, str(exc))
            return redirect("assessments:edit", pk=a.pk)
        if autosave:
            return JsonResponse({"errors": [{"item": e.column, "reason": e.reason} for e in errors]})
        if request.POST.get("action") == "submit" and not errors:
            try:
                services.submit(a, by=request.user)
                return redirect("assessments:edit", pk=a.pk)
            except AnswerFileError as exc:
                errors = exc.errors
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
                return redirect("assessments:edit", pk=a.pk)
        a.refresh_from_db()
    fw = a.framework.loaded().framework
    return render(request, "assessments/edit.html", {
        "a": a, "tree": outline(fw, get_language() or "zh-hans"), "writable": writable, "answers": a.answers,
        "errors": {e.column: e.reason for e in errors},
        "conditions": {i.id: i.condition.model_dump() for i in fw.items if i.condition is not None},
        "can_review": a.status == Assessment.Status.SUBMITTED and access.can_review(request.user, a.enterprise),
    })


@login_required
@require_POST
def review(request, pk: int):
    a = access.get_assessment_for_user(request.user, pk)
    if not access.can_review(request.user, a.enterprise):
        raise Http404("no such assessment")
    try:
        if request.POST.get("action") == "approve":
            services.approve(a, by=request.user)
            return redirect("assessments:result", pk=a.pk)
        services.reject(a, request.POST.get("reason", ""), by=request.user)
    except (services.WorkflowError, services.InputError) as exc:
        messages.error(request, str(exc))
    return redirect("assessments:edit", pk=a.pk)


@login_required
@require_POST
def revise(request, pk: int):
    a = access.get_assessment_for_user(request.user, pk, write=True)
    try:
        return redirect("assessments:edit", pk=services.revise(a, by=request.user).pk)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:edit", pk=a.pk)


@login_required
@require_POST
def delete(request, pk: int):
    """Delete a draft of one's own enterprise (after the page's confirmation)."""
    a = access.get_assessment_for_user(request.user, pk, write=True)
    try:
        services.delete_draft(a, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:edit", pk=a.pk)
    messages.success(request, _("The %(year)s draft was deleted.") % {"year": a.year})
    return redirect("assessments:list", pk=a.enterprise_id)


# What the result page reads before its cached content: the title's, the cache key's, the peer panel's state.
RESULT_FIELDS = ("year", "framework_id", "enterprise__name", "benchmark_entry__snapshot__seq",
                 "benchmark_entry__snapshot__generation")


@login_required
def result(request, pk: int):
    a = access.get_assessment_for_user(request.user, pk, only=RESULT_FIELDS)
    if a.status != Assessment.Status.SCORED:
        return redirect("assessments:edit", pk=a.pk)
    # What the page shows is the same for everyone who may see it, and changes only with the assessments and
    # the enterprise of its province, the listed providers or its peers' snapshot: it is cached under their
    # versions (ronghe/pagecache.py).
    part = {pagecache.province(a.enterprise.region_id)}
    content = pagecache.cached("result", (a.pk, a.framework_id, get_language(), peer_panel_state(a)),
                               lambda: _result(access.get_assessment_for_user(request.user, pk)),
                               assessments=part, enterprises=part, providers=None)
    return render(request, "assessments/result.html", {"a": a, "content": mark_safe(content)})  # our template


def _result(a: Assessment) -> str:
    tree = outline(a.framework.loaded().framework, get_language() or "zh-hans")
    earlier = list(services.history(a.enterprise).filter(status=Assessment.Status.SCORED,
                                                        framework__slug=a.framework.slug, year__lt=a.year))
    aspects = [c for root in tree.roots for c in root.children]  # the radar's axes: e.g. the six aspects
    radar = {"names": [n.name for n in aspects], "values": [a.score.nodes.get(n.id) for n in aspects],
             "earlier": [{"year": e.year, "values": [e.score.nodes.get(n.id) for n in aspects]} for e in earlier]}
    rows = [{"name": n.name, "depth": n.depth, "score": a.score.nodes.get(n.id)} for n in tree.walk()]
    context = {"a": a, "s": a.score, "radar": radar, "rows": rows, "earlier": earlier}
    return render_to_string("assessments/_result.html", context)


@login_required
def import_file(request):
    # permission and scope first: nothing is read from a request that cannot import
    if not access.may_import(request.user):
        raise Http404("you cannot import answers for any enterprise")
    scope = access.enterprises_for_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, created = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"].size > settings.RONGHE_INLINE_MAX_BYTES:  # large: a background job with progress
                uploads.check(data["file"])  # a hostile file is refused now, not queued
                job = jobs.submit("assessments.import", request.user, f"导入答卷 {data['file'].name}",
                                  {"framework": data["framework"].pk, "year": data["year"]}, [data["file"]])
                return redirect("jobs:detail", pk=job.pk)
            with uploads.saved_upload(data["file"]) as path:
                created = services.import_answers(scope, data["framework"], data["year"], path, by=request.user)
        except AnswerFileError as exc:
            errors = exc.errors
        except services.InputError as exc:
            form.add_error("year", str(exc))
    return render(request, "assessments/import.html", {
        "form": form, "frameworks": FrameworkVersion.objects.filter(is_active=True), "created": created,
        "errors": errors[:settings.RONGHE_MAX_ERRORS_SHOWN], "error_count": len(errors)})


@login_required
def score_file(request):
    """Score a (national) answers file in the background, in parts across the workers; the results
    file is downloaded from the job's page. For authorities, as ``ronghe assess score`` is for everyone."""
    if not (request.user.is_staff or "authority" in access.roles(request.user)):
        raise Http404("only authorities score answer files here")
    form = ScoreFileForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads.check(data["file"])
            job = jobs.submit("assessments.score_file", request.user, f"批量评分 {data['file'].name}",
                              {"framework": data["framework"].pk}, [data["file"]])
            return redirect("jobs:detail", pk=job.pk)
        except AnswerFileError as exc:
            errors = exc.errors
    return render(request, "assessments/score_file.html", {"form": form, "errors": errors})


@login_required
def export(request):
    """Answers and scores of the assessments the user may see, filtered, as xlsx: at once up to
    ``RONGHE_INLINE_EXPORT_ROWS`` rows, else a background job whose page offers the file."""
    from ronghe.downloads import xlsx_response

    form = ExportFilter(request.GET)
    if not form.is_valid():
        raise Http404("no such export")
    filters = exports.clean_filters(form.cleaned_data)
    if exports.is_large(exports.assessments_to_export(request.user, **filters)):
        return redirect("jobs:detail", pk=exports.submit_export(request.user, filters).pk)

    def write(path):
        exports.write_assessments(request.user, filters, path)
        return path

    return xlsx_response(write, exports.file_name())
