"""Assessment pages: history, the questionnaire, review, result. Each view: access check, one
service call, render or redirect."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import access
from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks.outline import outline


@login_required
def enterprise_assessments(request, pk: int):
    enterprise = access.get_enterprise_for_user(request.user, pk)
    if request.method == "POST":
        enterprise = access.get_enterprise_for_user(request.user, pk, write=True)
        framework = get_object_or_404(FrameworkVersion, pk=request.POST.get("framework"), is_active=True)
        try:
            a = services.start(enterprise, framework, int(request.POST.get("year", 0)), by=request.user)
        except (services.WorkflowError, ValueError) as exc:
            messages.error(request, str(exc))
            return redirect("assessments:list", pk=pk)
        return redirect("assessments:edit", pk=a.pk)
    return render(request, "assessments/list.html", {
        "enterprise": enterprise, "assessments": services.history(enterprise),
        "frameworks": FrameworkVersion.objects.filter(is_active=True),
        "can_write": access.enterprises_for_user(request.user, write=True).filter(pk=pk).exists(),
    })


@login_required
def edit(request, pk: int):
    a = access.get_assessment_for_user(request.user, pk)
    writable = a.status == Assessment.Status.DRAFT and access.enterprises_for_user(
        request.user, write=True).filter(pk=a.enterprise_id).exists()
    errors = []
    if request.method == "POST":
        if not writable:
            raise Http404("no such assessment")
        # a multiple choice posts one value per ticked box after a hidden empty one: join them
        answers = {key[2:]: ",".join(v for v in values if v) for key, values in request.POST.lists()
                   if key.startswith("q_")}
        errors = services.save_draft(a, answers, by=request.user)
        if request.POST.get("action") == "autosave":
            return JsonResponse({"errors": [{"item": e.column, "reason": e.reason} for e in errors]})
        if request.POST.get("action") == "submit" and not errors:
            try:
                services.submit(a, by=request.user)
                return redirect("assessments:edit", pk=a.pk)
            except AnswerFileError as exc:
                errors = exc.errors
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
    except services.WorkflowError as exc:
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
def result(request, pk: int):
    a = access.get_assessment_for_user(request.user, pk)
    if a.status != Assessment.Status.SCORED:
        return redirect("assessments:edit", pk=a.pk)
    tree = outline(a.framework.loaded().framework, get_language() or "zh-hans")
    earlier = list(services.history(a.enterprise).filter(status=Assessment.Status.SCORED,
                                                        framework__slug=a.framework.slug, year__lt=a.year))
    aspects = [c for root in tree.roots for c in root.children]  # the radar's axes: e.g. the six aspects
    radar = {"names": [n.name for n in aspects], "values": [a.score.nodes.get(n.id) for n in aspects],
             "earlier": [{"year": e.year, "values": [e.score.nodes.get(n.id) for n in aspects]} for e in earlier]}
    rows = [{"name": n.name, "depth": n.depth, "score": a.score.nodes.get(n.id)} for n in tree.walk()]
    return render(request, "assessments/result.html",
                  {"a": a, "s": a.score, "radar": radar, "rows": rows, "earlier": earlier})


@login_required
def import_file(request):
    errors, created = [], None
    frameworks = FrameworkVersion.objects.filter(is_active=True)
    if request.method == "POST" and request.FILES.get("file"):
        framework = get_object_or_404(FrameworkVersion, pk=request.POST.get("framework"), is_active=True)
        upload = request.FILES["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            try:
                created = services.import_answers(access.enterprises_for_import(request.user), framework,
                                                  int(request.POST.get("year", 0)), tmp.name, by=request.user)
            except AnswerFileError as exc:
                errors = exc.errors
    return render(request, "assessments/import.html", {"frameworks": frameworks, "errors": errors, "created": created})
