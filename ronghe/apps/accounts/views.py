"""Login with throttling, API tokens, and invitations (create by an administrator or an authority; accept)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ronghe.apps.accounts import services
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
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("this invitation is unknown, used or expired")
    error = None
    if request.method == "POST":
        try:
            services.accept(invitation, request.POST.get("username", ""), request.POST.get("password", ""))
            return redirect("accounts:login")
        except services.InvitationError as exc:
            error = str(exc)
    return render(request, "accounts/accept.html", {"invitation": invitation, "error": error})
