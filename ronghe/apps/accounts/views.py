"""Login with throttling, and invitations (create by an administrator or an authority; accept)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ronghe.apps.accounts import services

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _throttle_key(request) -> str:
    username = (request.POST.get("username") or "").strip().lower()
    return f"login-failures:{username}:{request.META.get('REMOTE_ADDR', '')}"


class LoginView(auth_views.LoginView):
    """Django's login, refusing a user name + address after 5 failures for 15 minutes, so that
    passwords cannot be guessed by trying many."""

    template_name = "accounts/login.html"

    def post(self, request, *args, **kwargs):
        if cache.get(_throttle_key(request), 0) >= MAX_FAILURES:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Try again in 15 minutes."))
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        key = _throttle_key(self.request)
        cache.set(key, cache.get(key, 0) + 1, LOCK_SECONDS)
        return super().form_invalid(form)

    def form_valid(self, form):
        cache.delete(_throttle_key(self.request))
        return super().form_valid(form)


@login_required
def invite(request):
    allowed = services.invitable_organizations(request.user)
    if not allowed.exists():
        raise Http404("you cannot invite anyone")
    sent = None
    if request.method == "POST":
        org = allowed.filter(pk=request.POST.get("organization")).first()
        if org is None:
            raise Http404("no such organization")
        sent = services.invite(org, request.POST.get("email", ""), request.POST.get("role", "member"),
                               by=request.user, base_url=request.build_absolute_uri("/"))
    return render(request, "accounts/invite.html", {"organizations": allowed.order_by("name"), "sent": sent})


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
