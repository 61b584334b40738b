"""The registration form of the public page (the service checks the values again and names faults),
and the rejection form of the authority's desk."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.organizations.models import Organization


class RegistrationForm(forms.Form):
    """Bounded inputs; ``website`` is a honeypot a person never sees (a bot that fills it gets a
    page that looks like success and nothing is stored)."""

    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    region = forms.RegexField(label=_("Region"), regex=r"^\d{6}$", required=False)
    industry = forms.RegexField(label=_("Industry"), regex=r"^\d{2}$")
    size = forms.ChoiceField(label=_("Size"), choices=Organization.Size.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    username = forms.CharField(label=_("User name"), max_length=30)
    password = forms.CharField(label=_("Password"), max_length=128, strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), max_length=128, strip=False, widget=forms.PasswordInput)
    website = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, strip=True)
