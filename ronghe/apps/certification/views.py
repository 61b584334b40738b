"""贯标 and 评定 pages. Each view: access check (``accounts.access``, outsiders get 404), a form, one
service call, render or redirect. A refused step comes back as a message on the page it came from."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from ronghe import uploads
from ronghe.apps.accounts import access
from ronghe.apps.certification import forms, services, throttle
from ronghe.apps.certification.models import EvidenceVersion, Finding
from ronghe.core.certification.lifecycle import CASE, CERTIFICATE, FINDING
from ronghe.workflow import form_errors, step, take_step


@login_required
def home(request):
    """Each role's start page: an assessment body's work, the committee's queue, an enterprise's projects."""
    roles = access.roles(request.user)
    if "authority" in roles and not roles & {"assessment_body", "committee", "enterprise"}:
        return redirect("certification:figures")
    cases = access.cases_for_user(request.user).select_related("enterprise", "body")
    return render(request, "certification/home.html", {
        "work": services.work(request.user) if "assessment_body" in roles else None,
        "review": cases.filter(state__in=["in_review", "in_notice"]) if "committee" in roles else None,
        "projects": access.projects_for_user(request.user, write=True).select_related("enterprise"),
        "cases": cases.order_by("-id")[:50], "labels": CASE.states,
        "enterprises": access.enterprises_for_user(request.user, write=True)[:50]})


@login_required
def enterprise_projects(request, pk: int):
    enterprise = access.get_enterprise_for_user(request.user, pk, write=True)
    form = forms.ProjectForm(enterprise, services.requirement_standards(), services.capability_grades(),
                             request.POST or None)
    if request.method == "POST" and form.is_valid():
        with step(request):
            p = services.start_project(enterprise, by=request.user, **form.cleaned_data)
            return redirect("certification:project", pk=p.pk)
    return render(request, "certification/enterprise.html", {
        "enterprise": enterprise, "form": form, "projects": enterprise.cert_projects.select_related("standard")})


@login_required
def project(request, pk: int):
    p = access.get_project_for_user(request.user, pk)
    can_write = access.projects_for_user(request.user, write=True).filter(pk=p.pk).exists()
    return render(request, "certification/project.html", {
        "p": p, "progress": services.progress(p), "gaps": services.gaps(p), "can_write": can_write,
        "milestones": p.milestones.all(), "evidence": services.latest_evidence(p),
        "cases": p.cases.select_related("body").order_by("-id"), "labels": CASE.states,
        "evidence_form": forms.EvidenceForm(p), "apply_form": forms.ApplyForm(p.enterprise),
        "can_apply": p.enterprise.memberships.filter(user=request.user).exists(),
        "max_mb": settings.RONGHE_EVIDENCE_MAX_BYTES >> 20})


@login_required
@require_POST
def milestone(request, pk: int):
    p = access.get_project_for_user(request.user, pk, write=True)
    take_step(request, forms.MilestoneForm(request.POST), services.update_milestone, p, by=request.user)
    return redirect("certification:project", pk=p.pk)


@login_required
def clauses(request, pk: int):
    p = access.get_project_for_user(request.user, pk)
    if request.method == "POST":
        p = access.get_project_for_user(request.user, pk, write=True)
        take_step(request, forms.ClauseForm(request.POST), services.check_clause, p, by=request.user)
        return redirect("certification:clauses", pk=p.pk)
    loaded, lang = p.standard.loaded(), get_language() or "zh-hans"
    evidence = services.clause_evidence(p)
    rows = [{"check": c, "clause": loaded.clauses[c.clause], "evidence": evidence.get(c.clause, [])}
            for c in p.checks.all()]
    return render(request, "certification/clauses.html", {
        "p": p, "rows": rows, "lang": lang, "choices": forms.ClauseCheck.Conformity.choices,
        "can_write": access.projects_for_user(request.user, write=True).filter(pk=p.pk).exists()})


@login_required
@require_POST
def upload_evidence(request, pk: int):
    p = access.get_project_for_user(request.user, pk, write=True)  # permission before the file is read
    form = forms.EvidenceForm(p, request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("certification:project", pk=p.pk)
    data = form.cleaned_data
    with step(request):
        services.add_uploaded_evidence(p, data["file"], title=data["title"], evidence_date=data["evidence_date"],
                                       clauses=data["clauses"], evidence=data["evidence"], by=request.user)
        messages.success(request, data["file"].name)
    return redirect("certification:project", pk=p.pk)


@login_required
def evidence_file(request, pk: int):
    v = get_object_or_404(EvidenceVersion.objects.select_related("evidence"), pk=pk)
    access.get_project_for_user(request.user, v.evidence.project_id)  # 404 unless the project is visible
    name = f"{Path(v.original_name).stem}-v{v.number}{v.suffix}"
    return FileResponse(v.file.open("rb"), as_attachment=True, filename=name, content_type=v.content_type)


@login_required
@require_POST
def apply(request, pk: int):
    p = access.get_project_for_user(request.user, pk, write=True)
    form = forms.ApplyForm(p.enterprise, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("certification:project", pk=p.pk)
    with step(request):
        case = services.apply(p, form.cleaned_data["body"], by=request.user,
                              previous_certificate=form.cleaned_data["previous_certificate"])
        return redirect("certification:case", pk=case.pk)
    return redirect("certification:project", pk=p.pk)


@login_required
def case(request, pk: int):
    c = access.get_case_for_user(request.user, pk)
    roles = access.case_roles(request.user, c)
    lang = get_language() or "zh-hans"
    actions = [t for t in CASE.leaving(c.state) if roles & t.roles]
    findings = list(c.findings.all())
    for f in findings:
        f.actions = [t for t in FINDING.leaving(f.state) if roles & t.roles]
    return render(request, "certification/case.html", {
        "c": c, "roles": roles, "actions": actions, "findings": findings, "lang": lang,
        "state_label": CASE.label(c.state, lang), "team": c.team.select_related("user"),
        "history": services.history(c, lang), "assign_form": forms.AssignForm(c.body) if "body" in roles
        else None, "finding_form": forms.FindingForm(c) if "assessor" in roles and c.state in
        services.FINDING_CASE_STATES else None, "finding_labels": FINDING.states,
        "certificate": getattr(c, "certificate", None)})


@login_required
def audit(request, pk: int):
    """The clauses with the enterprise's self-check and each clause's evidence next to it."""
    c = access.get_case_for_user(request.user, pk)
    loaded, evidence = c.project.standard.loaded(), services.clause_evidence(c.project)
    findings: dict[str, list[Finding]] = {}
    for f in c.findings.all():
        findings.setdefault(f.clause, []).append(f)
    rows = [{"check": ch, "clause": loaded.clauses[ch.clause], "evidence": evidence.get(ch.clause, []),
             "findings": findings.get(ch.clause, [])} for ch in c.project.checks.all()]
    return render(request, "certification/audit.html", {"c": c, "rows": rows, "lang": get_language() or "zh-hans"})


@login_required
@require_POST
def transition(request, pk: int):
    c = access.get_case_for_user(request.user, pk)
    take_step(request, forms.TransitionForm(request.POST), services.transition, c, by=request.user)
    return redirect("certification:case", pk=c.pk)


@login_required
@require_POST
def assign(request, pk: int):
    c = access.get_case_for_user(request.user, pk)
    if "body" not in access.case_roles(request.user, c):
        raise Http404("no such case")
    take_step(request, forms.AssignForm(c.body, request.POST), services.assign_assessor, c, by=request.user)
    return redirect("certification:case", pk=c.pk)


@login_required
@require_POST
def raise_finding(request, pk: int):
    c = access.get_case_for_user(request.user, pk)
    take_step(request, forms.FindingForm(c, request.POST), services.raise_finding, c, by=request.user)
    return redirect("certification:case", pk=c.pk)


@login_required
@require_POST
def finding(request, pk: int):
    f = get_object_or_404(Finding.objects.filter(case__in=access.cases_for_user(request.user)), pk=pk)
    take_step(request, forms.FindingTransitionForm(request.POST), services.finding_transition, f, by=request.user)
    return redirect("certification:case", pk=f.case_id)


@login_required
def certificates(request):
    qs = access.certificates_for_user(request.user).select_related("body")
    page = Paginator(qs.order_by("-issued_on", "number"), 50).get_page(request.GET.get("page"))
    return render(request, "certification/certificates.html", {"page": page, "labels": CERTIFICATE.states,
                                                               "today": services.today()})


@login_required
def certificate(request, pk: int):
    cert = access.get_certificate_for_user(request.user, pk)
    roles = access.certificate_roles(request.user, cert)
    actions = [t for t in CERTIFICATE.leaving(cert.state) if roles & t.roles]
    return render(request, "certification/certificate.html", {
        "cert": cert, "actions": actions, "state": cert.state_label,
        "surveillances": cert.surveillances.all(), "history": services.history(cert),
        "today": services.today()})


@login_required
@require_POST
def certificate_transition(request, pk: int):
    cert = access.get_certificate_for_user(request.user, pk)
    form = forms.CertificateTransitionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        d = form.cleaned_data
        with step(request):
            services.certificate_transition(cert, d["name"], by=request.user, reason=d["reason"], date=d["date"],
                                            report=d["report"], changes=form.changes())
    return redirect("certification:certificate", pk=cert.pk)


@login_required
def export(request):
    qs = access.certificates_for_user(request.user)
    form = forms.ExportForm(request.GET or {"format": "xlsx"})
    if not form.is_valid():
        raise Http404("choose xlsx or csv")
    fmt = form.cleaned_data["format"]
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = services.export_registry(qs, Path(tmp) / f"registry.{fmt}", by=request.user)
        data = path.read_bytes()
    response = HttpResponse(data, content_type="text/csv; charset=utf-8" if fmt == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="certificates.{fmt}"'
    return response


def verify(request):
    """Public: look up a certificate by number or enterprise name (rate-limited per client)."""
    form = forms.VerifyForm(request.GET or None)
    results, limited = None, False
    if form.is_bound and form.is_valid():
        if throttle.allow(request):
            results = [(c, c.state_label)
                       for c in services.verify(form.cleaned_data["q"])[:50]]
        else:
            limited = True
    response = render(request, "certification/verify.html", {"form": form, "results": results, "limited": limited})
    if limited:
        response.status_code = 429
    return response


@login_required
def figures(request):
    authorities = access.authorities_of(request.user)
    if not authorities:
        raise Http404("figures are for authorities")
    chosen = authorities[0]
    key = request.GET.get("authority", "")
    if key.isdigit() and len(key) <= 18:
        chosen = next((a for a in authorities if a.pk == int(key)), chosen)
    return render(request, "certification/figures.html", {"f": services.figures(chosen), "authorities": authorities})

