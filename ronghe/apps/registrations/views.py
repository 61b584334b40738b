"""Enterprise registration pages: the public form, and the authority's desk (list, one registration,
approve, reject). Access is ``accounts.access.registrations_for_user``; anything else answers 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import access, throttle
from ronghe.apps.organizations.models import Organization
from ronghe.apps.registrations import services
from ronghe.apps.registrations.forms import RegistrationForm, RejectForm
from ronghe.apps.registrations.models import Registration


def _form_page(request, form, status=200):
    chosen = [c for c in (request.POST.getlist("region") if request.method == "POST" else []) if c]
    return render(request, "registrations/register.html", {
        "form": form, "regions": services.region_picker(chosen[-1] if chosen else ""),
        "industries": services.industry_groups(), "sizes": Organization.Size.choices}, status=status)


def register(request):
    """Anyone may register an enterprise; ``RONGHE_SIGNUP_RATE`` attempts per client address. Picking
    a region posts the form back with the next level's list (nothing is checked or counted)."""
    if request.method != "POST":
        return _form_page(request, RegistrationForm())
    if "pick_region" in request.POST:  # keep what was typed, show no errors yet (passwords are never echoed)
        return _form_page(request, RegistrationForm(initial={k: v for k, v in request.POST.items()
                                                             if k in RegistrationForm.base_fields and k != "region"}))
    data = request.POST.copy()
    data.setlist("region", [c for c in request.POST.getlist("region") if c][-1:] or [""])
    form = RegistrationForm(data)
    if not throttle.allow(request, "signup", settings.RONGHE_SIGNUP_RATE):
        form.is_valid()
        form.add_error(None, _("Too many requests from your address. Try again later."))
        return _form_page(request, form, status=429)
    if form.is_bot:
        return redirect("registrations:sent")
    try:
        if form.is_valid():
            services.register(form.cleaned_data)
            return redirect("registrations:sent")
        services.check(data.dict())  # name every fault at once, not only the form's own
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            if field not in form.errors:
                form.add_error(field if field in form.fields else None, errors)
    return _form_page(request, form)


def sent(request):
    return render(request, "registrations/sent.html")


@login_required
def registration_list(request):
    """The desk: registrations waiting (``?state=`` for the decided ones), oldest first."""
    if not (access.roles(request.user) & {"authority", "staff"}):
        raise Http404("no registrations for you")
    state = request.GET.get("state", "pending")
    state = state if state in Registration.State.values else "pending"
    qs = (access.registrations_for_user(request.user).filter(state=state)
          .select_related("region", "industry", "authority").order_by("created_at", "pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "registrations/list.html", {"page": page, "state": state,
                                                       "states": Registration.State.choices})


@login_required
def detail(request, pk: int):
    reg = access.get_registration_for_user(request.user, pk)
    from ronghe.apps.organizations.services import region_names

    return render(request, "registrations/detail.html", {
        "reg": reg, "region_name": region_names([reg.region_id]).get(reg.region_id, ""),
        "history": reg.history(), "form": RejectForm()})


@login_required
@require_POST
def approve(request, pk: int):
    reg = access.get_registration_for_user(request.user, pk)
    try:
        services.approve(reg, by=request.user)
        messages.success(request, _("Approved: %(name)s can now log in.") % {"name": reg.name})
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect("registrations:detail", pk=reg.pk)


@login_required
@require_POST
def reject(request, pk: int):
    reg = access.get_registration_for_user(request.user, pk)
    form = RejectForm(request.POST)
    try:
        services.reject(reg, form.data.get("reason", "")[:5000], by=request.user)
        messages.success(request, _("Rejected; the applicant is told the reason by e-mail."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect("registrations:detail", pk=reg.pk)
