from django import forms

from ronghe.apps.organizations.models import Organization
from ronghe.forms import KeyChoiceField


class AccessForm(forms.Form):
    """Grant or revoke a consultancy's access to an enterprise."""

    consultancy = KeyChoiceField(queryset=Organization.objects.filter(kind=Organization.Kind.CONSULTANCY))
    action = forms.ChoiceField(choices=[("grant", "grant"), ("revoke", "revoke")], required=False)


class EnterpriseFilter(forms.Form):
    """The enterprise list's search, filters, sort and page: every value bounded (a form error is
    simply no filter)."""

    q = forms.CharField(max_length=100, required=False)
    region = forms.RegexField(regex=r"^\d{6}$", required=False)
    industry = forms.RegexField(regex=r"^([A-T]|\d{2})$", required=False)
    size = forms.ChoiceField(choices=[("", ""), *Organization.Size.choices], required=False)
    status = forms.ChoiceField(choices=[("", ""), *((v, v) for v in ("draft", "submitted", "rejected", "scored"))],
                               required=False)
    sort = forms.RegexField(regex=r"^-?(name|credit_code|region|industry|status|year|total)$", required=False)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def values(self) -> dict[str, str]:
        """The valid filters (invalid ones dropped), for the service and for links that keep them."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "") and k != "page"}
