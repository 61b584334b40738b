from django import forms

from ronghe.apps.organizations.models import Organization
from ronghe.forms import KeyChoiceField


class AccessForm(forms.Form):
    """Grant or revoke a consultancy's access to an enterprise."""

    consultancy = KeyChoiceField(queryset=Organization.objects.filter(kind=Organization.Kind.CONSULTANCY))
    action = forms.ChoiceField(choices=[("grant", "grant"), ("revoke", "revoke")], required=False)
