"""Login forms that know about throttling (a locked user name is told so, in every login form), and
the invitation form."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ronghe.apps.accounts import throttle
from ronghe.apps.accounts.models import Membership
from ronghe.forms import KeyChoiceField

LOCKED = _("Too many failed attempts. Try again in 15 minutes.")


class ThrottleMixin:
    def clean(self):
        if throttle.is_locked(self.data.get("username", ""), self.request):
            raise forms.ValidationError(LOCKED, code="throttled")
        return super().clean()

    @property
    def throttled(self) -> bool:
        return any(e.code == "throttled" for e in self.errors.as_data().get("__all__", []))


class LoginForm(ThrottleMixin, AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as exc:
            if exc.code == "invalid_login":  # right password, registration not approved: say so
                from ronghe.apps.registrations.services import login_refusal

                data = self.cleaned_data
                refusal = login_refusal(data.get("username") or "", data.get("password") or "")
                if refusal:
                    raise forms.ValidationError(refusal, code="registration") from exc
            raise


class AdminLoginForm(ThrottleMixin, AdminAuthenticationForm):
    pass


class InviteForm(forms.Form):
    organization = KeyChoiceField(queryset=None)
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def __init__(self, organizations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)
