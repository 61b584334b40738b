"""Programme pages. Each view: access check (``accounts.access``; outsiders get 404), a form, one
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe import uploads
from ronghe.apps.accounts import access
from ronghe.apps.organizations.models import Industry, Organization
from ronghe.apps.programs import forms, services
from ronghe.apps.programs.models import Call, Expert, Material
from ronghe.core.programs.lifecycle import CALL, DECLARATION
from ronghe.workflow import form_errors, step, take_step


def _lang() -> str:
    return get_language() or "zh-hans"


def _authorities(user):
    authorities = access.authorities_of(user)
    if not authorities:
        raise Http404("for authorities")
    return authorities


def _chosen(authorities, key: str | None):
    if key and key.isdigit() and len(key) <= 18:
        return next((a for a in authorities if a.pk == int(key)), authorities[0])
    return authorities[0]


def calls(request):
    """Every published call (public) and an authority's own drafts."""
    qs = access.calls_for_user(request.user).select_related("owner").order_by("-year", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    authority = bool(request.user.is_authenticated and access.authorities_of(request.user))
    return render(request, "programs/calls.html", {"page": page, "authority": authority})


@login_required
def new_call(request):
    authorities = _authorities(request.user)
    owners = Organization.objects.filter(pk__in=[a.pk for a in authorities])
    form = forms.CallForm(request.POST or None, owners=owners,
                          initial=forms.CallForm.initial_for(None, services.today().year))
    if request.method == "POST" and form.is_valid():
        with step(request):
            call = services.create_call(form.cleaned_data["owner"], by=request.user, **form.service_kwargs())
            return redirect("programs:call", pk=call.pk)
    return render(request, "programs/call_form.html", {"form": form, "call": None})


@login_required
def edit_call(request, pk: int):
    call = access.get_call_for_user(request.user, pk)
    if not access.owns_call(request.user, call):
        raise Http404("not your call")
    form = forms.CallForm(request.POST or None, initial=forms.CallForm.initial_for(call, call.year))
    if request.method == "POST" and form.is_valid():
        with step(request):
            services.update_call(call, by=request.user, **form.service_kwargs())
            return redirect("programs:call", pk=call.pk)
    return render(request, "programs/call_form.html", {"form": form, "call": call})


def call(request, pk: int):
    """A call as anyone sees it, with what the visitor may do: an enterprise its eligibility and
    declaration, an authority its queue and quota, the owner the call's steps."""
    c = access.get_call_for_user(request.user, pk)
    user = request.user
    owner = access.owns_call(user, c)
    context = {"c": c, "state_label": CALL.label(c.state, _lang()), "rules": services.describe_rules(c),
               "industries": Industry.objects.filter(code__in=c.industries), "owner": owner, "lang": _lang(),
               "listed": services.published_list(c)}
    if owner:
        context.update(actions=CALL.leaving(c.state), quota_form=forms.QuotaForm(c),
                       quotas=c.quotas.select_related("authority"), counts=_counts(c))
    if user.is_authenticated:
        enterprises = access.enterprises_for_user(user, write=True).filter(memberships__user=user)
        context["eligibility"] = services.eligibility_summary(c, enterprises[:10])
        context["mine"] = list(services.own_declarations(c, user))
        if c.state == "open" and enterprises.exists():
            context["declare_form"] = forms.DeclareForm(enterprises)
        queue = services.queue(c, user)
        if queue or access.authorities_of(user):
            context["queue"] = queue
            context["quota_use"] = [(a, services.recommended_by(c, a), services.quota_for(c, a))
                                    for a in access.authorities_of(user) if a.pk != c.owner_id]
    return render(request, "programs/call.html", context)


def _counts(c: Call) -> list[tuple[str, int]]:
    from collections import Counter

    n = Counter(c.declarations.values_list("state", flat=True))
    return [(DECLARATION.label(s, _lang()), n[s]) for s in DECLARATION.states if n[s]]


@login_required
@require_POST
def call_transition(request, pk: int):
    c = access.get_call_for_user(request.user, pk)
    take_step(request, forms.CallTransitionForm(request.POST), services.call_transition, c, by=request.user)
    return redirect("programs:call", pk=c.pk)


@login_required
@require_POST
def quota(request, pk: int):
    c = access.get_call_for_user(request.user, pk)
    if not access.owns_call(request.user, c):
        raise Http404("not your call")
    take_step(request, forms.QuotaForm(c, request.POST), services.set_quota, c, by=request.user)
    return redirect("programs:call", pk=c.pk)


@login_required
@require_POST
def declare(request, pk: int):
    c = access.get_call_for_user(request.user, pk)
    enterprises = access.enterprises_for_user(request.user, write=True).filter(memberships__user=request.user)
    if not enterprises.exists():
        raise Http404("for enterprises")
    form = forms.DeclareForm(enterprises, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:call", pk=c.pk)
    with step(request):
        d = services.declare(c, by=request.user, **form.cleaned_data)
        return redirect("programs:declaration", pk=d.pk)
    return redirect("programs:call", pk=c.pk)


@login_required
def declaration(request, pk: int):
    d = access.get_declaration_for_user(request.user, pk)
    writable = access.declarations_for_user(request.user, write=True).filter(pk=d.pk).exists()
    if request.method == "POST":
        if not writable:
            raise Http404("not yours")
        take_step(request, forms.DeclarationForm(request.POST), services.update_declaration, d, by=request.user)
        return redirect("programs:declaration", pk=d.pk)
    roles = access.declaration_roles(request.user, d)
    live = d.state in ("draft", "returned") and writable
    return render(request, "programs/declaration.html", {
        "d": d, "c": d.call, "roles": roles, "lang": _lang(), "writable": writable,
        "state_label": DECLARATION.label(d.state, _lang()),
        "actions": [t for t in DECLARATION.leaving(d.state) if roles & t.roles],
        "materials": services.latest_materials(d), "missing": services.missing_materials(d),
        "checks": [c.as_dict() for c in services.check_eligibility(d.call, d.enterprise)] if live else d.eligibility,
        "live": live, "edit_form": forms.DeclarationForm(initial={"title": d.title, "summary": d.summary,
                                                                  "contact": d.contact}) if live else None,
        "material_form": forms.MaterialForm(d.call) if live and d.call.materials else None,
        "recommendations": d.recommendations.select_related("from_authority", "to_authority"),
        "history": d.history().select_related("actor"), "max_mb": settings.RONGHE_EVIDENCE_MAX_BYTES >> 20})


@login_required
@require_POST
def upload_material(request, pk: int):
    d = access.get_declaration_for_user(request.user, pk, write=True)  # permission before the file is read
    form = forms.MaterialForm(d.call, request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:declaration", pk=d.pk)
    data = form.cleaned_data
    with step(request), uploads.saved_upload(data["file"]) as path:
        services.add_material(d, data["kind"], path, original_name=data["file"].name, by=request.user)
        messages.success(request, data["file"].name)
    return redirect("programs:declaration", pk=d.pk)


@login_required
def material_file(request, pk: int):
    m = get_object_or_404(Material.objects.select_related("declaration"), pk=pk)
    access.get_declaration_for_user(request.user, m.declaration_id)  # 404 unless the declaration is visible
    name = f"{Path(m.original_name).stem}-v{m.number}{m.suffix}"
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=name, content_type=m.content_type)


@login_required
@require_POST
def declaration_transition(request, pk: int):
    d = access.get_declaration_for_user(request.user, pk)
    take_step(request, forms.DeclarationTransitionForm(request.POST), services.declaration_transition, d,
              by=request.user)
    back = request.POST.get("next", "")
    if back == "call":
        return redirect("programs:call", pk=d.call_id)
    return redirect("programs:declaration", pk=d.pk)


@login_required
def experts(request):
    """An authority's expert pool: who is in it, and adding someone."""
    authorities = _authorities(request.user)
    authority = _chosen(authorities, request.GET.get("authority") or request.POST.get("authority"))
    form = forms.ExpertForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with step(request):
                services.add_expert(authority, data.pop("username"), by=request.user, **data)
                return redirect(f"{request.path}?authority={authority.pk}")
        else:
            form_errors(request, form)
    pool = Expert.objects.filter(authority=authority).select_related("user", "organization", "region")
    return render(request, "programs/experts.html", {"authority": authority, "authorities": authorities,
                                                     "pool": pool, "form": form})


@login_required
def panel(request, pk: int):
    c = access.get_call_for_user(request.user, pk)
    if not access.owns_call(request.user, c):
        raise Http404("not your call")
    if request.method == "POST":
        with step(request):
            members = services.draw_panel(c, by=request.user)
            messages.success(request, _("%(n)s experts drawn.") % {"n": len(members)})
        return redirect("programs:panel", pk=c.pk)
    assignments = c.assignments.select_related("declaration__enterprise", "expert").order_by("declaration", "expert")
    return render(request, "programs/panel.html", {"c": c, "members": c.panel.select_related("expert__region"),
                                                   "assignments": assignments,
                                                   "pool": Expert.objects.filter(authority=c.owner,
                                                                                 active=True).count()})


@login_required
def reviews(request):
    """An expert's own score sheets, every call."""
    sheets = access.assignments_for_user(request.user).select_related("call", "declaration__enterprise")
    if not access.is_expert(request.user) and not sheets.exists():
        raise Http404("for experts")
    return render(request, "programs/reviews.html", {"sheets": sheets.order_by("-call__year", "call", "declaration")})


@login_required
def score(request, pk: int):
    """One score sheet: the declaration, its materials, the criteria — never another expert's scores."""
    a = access.get_assignment_for_user(request.user, pk)
    criteria = services.criteria_of(a.call)
    initial = {f"c_{k}": v for k, v in a.scores.items()}
    form = forms.ScoreForm(criteria, request.POST or None, initial={**initial, "comment": a.comment})
    if request.method == "POST":
        if form.is_valid():
            with step(request):
                submit = form.cleaned_data["action"] == "submit"
                services.save_scores(a, form.scores(), comment=form.cleaned_data["comment"], submit=submit,
                                     by=request.user)
                messages.success(request, _("Score sheet submitted.") if submit else _("Score sheet saved."))
        else:
            form_errors(request, form)
        return redirect("programs:score", pk=a.pk)
    d = a.declaration
    return render(request, "programs/score.html", {"a": a, "d": d, "form": form, "criteria": criteria,
                                                   "materials": services.latest_materials(d),
                                                   "open": a.call.state == "reviewing" and a.submitted_at is None})


@login_required
def results(request, pk: int):
    c = access.get_call_for_user(request.user, pk)
    if not (access.owns_call(request.user, c) or request.user.is_staff):
        raise Http404("not your call")
    return render(request, "programs/results.html", {"r": services.results(c), "c": c,
                                                     "state_label": CALL.label(c.state, _lang())})


def _figures_scope(request):
    authorities = _authorities(request.user)
    form = forms.FiguresForm(request.GET)
    if not form.is_valid():
        raise Http404("bad filter")
    authority = _chosen(authorities, form.cleaned_data["authority"])
    chosen = None
    if form.cleaned_data["call"]:
        chosen = access.calls_for_user(request.user).filter(pk=int(form.cleaned_data["call"])).first()
    return authorities, authority, chosen


@login_required
def figures(request):
    authorities, authority, chosen = _figures_scope(request)
    return render(request, "programs/figures.html", {
        "f": services.figures(authority, chosen), "authorities": authorities,
        "calls": access.calls_for_user(request.user).exclude(state="draft").order_by("-year", "-id")[:50]})


@login_required
def export(request):
    """Figures of an authority's jurisdiction, or a call's review (its owner), as xlsx or CSV; audited."""
    authorities = _authorities(request.user)
    form = forms.ExportForm(request.GET or {"what": "figures", "format": "xlsx"})
    if not form.is_valid():
        raise Http404("choose what and xlsx or csv")
    d = form.cleaned_data
    chosen = access.calls_for_user(request.user).filter(pk=int(d["call"])).first() if d["call"] else None
    if d["what"] == "results":
        if chosen is None or not access.owns_call(request.user, chosen):
            raise Http404("results are for the call's authority")
        frames, target = services.results_frames(chosen), chosen
    else:
        authority = _chosen(authorities, d["authority"])
        frames, target = services.figures_frames(services.figures(authority, chosen)), chosen or Call
    fmt = d["format"]
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = services.export(frames, Path(tmp) / f"{d['what']}.{fmt}", target=target, what=d["what"],
                               by=request.user)
        data = path.read_bytes()
    response = HttpResponse(data, content_type="text/csv; charset=utf-8" if fmt == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="programs-{d["what"]}.{fmt}"'
    return response
