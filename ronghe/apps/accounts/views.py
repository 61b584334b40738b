"""Login with throttling, API tokens, and invitations (create by an administrator or an authority; accept)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import services, throttle
from ronghe.apps.accounts.forms import InviteForm, LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    """Django's login with the shared throttle (``throttle.py``): a locked user name answers 429."""

    template_name = "accounts/login.html"
    form_class = LoginForm

    def get_default_redirect_url(self):
        """Assessment bodies and the committee start from their work (评定), everyone else from enterprises."""
        from django.urls import reverse

        from ronghe.apps.accounts.access import roles

        if roles(self.request.user) & {"assessment_body", "committee"}:
            return reverse("certification:home")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


@login_required
def tokens(request):
    """The user's API tokens: create one (its key is shown once), see when each was used, revoke."""
    key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        else:
            try:
                _, key = services.create_token(request.user, form.cleaned_data["name"], by=request.user)
            except services.TokenError as exc:
                messages.error(request, str(exc))
    return render(request, "accounts/tokens.html", {"tokens": services.tokens_of(request.user), "key": key})


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = services.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("no such token")
    services.revoke_token(token, by=request.user)
    return redirect("accounts:tokens")


@login_required
def invite(request):
    allowed = services.invitable_organizations(request.user)
    if not allowed.exists():
        raise Http404("you cannot invite anyone")
    form = InviteForm(allowed, request.POST or None)
    sent = None
    if request.method == "POST":
        if not form.is_valid() and "organization" in form.errors:
            raise Http404("no such organization")
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.invite(data["organization"], data["email"], data["role"], by=request.user,
                                       base_url=request.build_absolute_uri("/"))
            except services.InvitationError as exc:
                form.add_error(None, str(exc))
    return render(request, "accounts/invite.html", {"organizations": allowed.order_by("name"), "sent": sent,
                                                    "form": form})


def accept(request, token: str):
    invitation, state = services.invitation_state(token)
    if state == "unknown":
        raise Http404("this invitation is unknown")
    if state != "open":
        # Say what happened and whom to ask, rather than a bare 404 (410: the link existed).
        return render(request, "accounts/invitation_ended.html", {"invitation": invitation, "state": state},
                      status=410)
    error = None
    if request.method == "POST":
        try:
            services.accept(invitation, request.POST.get("username", ""), request.POST.get("password", ""))
            return redirect("accounts:login")
        except services.InvitationError as exc:
            error = str(exc)
    return render(request, "accounts/accept.html", {"invitation": invitation, "error": error})


@login_required
def me(request):
    """My account: who I am, the organizations I belong to with my role, and what I can change."""
    from ronghe.apps.accounts.models import Membership

    memberships = (Membership.objects.filter(user=request.user)
                   .select_related("organization", "organization__region").order_by("organization__name"))
    return render(request, "accounts/me.html", {"memberships": memberships,
                                                "token_count": services.tokens_of(request.user).count()})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password (the old one first); the session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:me")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.log_password_change(self.request.user, by=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The page never says whether the address is known (no account
    enumeration), and each client may ask ``RONGHE_RESET_RATE`` times (count/seconds)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if not throttle.allow(request, "password-reset", settings.RONGHE_RESET_RATE):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many requests from your address. Try again later."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # Links point at the configured site, never at whatever Host header the request carried.
        self.extra_email_context = {"site_url": settings.RONGHE_SITE_URL.rstrip("/")}
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link (one use; Django's token expires with
    ``PASSWORD_RESET_TIMEOUT`` and as soon as the password or last login changes)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.log_password_change(form.user, by=form.user, reset=True)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
