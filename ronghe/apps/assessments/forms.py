"""Forms of the assessment pages: they bound and parse every field (Django's fields also refuse
NUL characters), so views never call ``int()`` on raw input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.organizations.models import Organization
from ronghe.forms import KeyChoiceField


class StartForm(forms.Form):
    framework = KeyChoiceField(queryset=FrameworkVersion.objects.filter(is_active=True), empty_label=None,
                               label=_("Framework"))
    year = forms.IntegerField(min_value=1949, max_value=2200, label=_("Year"))


class ImportForm(StartForm):
    file = forms.FileField(label=_("File"), max_length=255)


class ScoreFileForm(forms.Form):
    framework = KeyChoiceField(queryset=FrameworkVersion.objects.filter(is_active=True), empty_label=None,
                               label=_("Framework"))
    file = forms.FileField(label=_("File"), max_length=255)


class ExportFilter(forms.Form):
    """What an export of answers and scores takes (each optional, each bounded; see ``exports.FILTERS``)."""

    framework = forms.SlugField(max_length=100, required=False)
    year = forms.IntegerField(min_value=1949, max_value=2200, required=False)
    region = forms.RegexField(regex=r"^\d{6}$", required=False)
    industry = forms.RegexField(regex=r"^([A-T]|\d{2})$", required=False)
    size = forms.ChoiceField(choices=[("", ""), *Organization.Size.choices], required=False)
    status = forms.ChoiceField(choices=[("", ""), *((v, v) for v in ("draft", "submitted", "rejected", "scored"))],
                               required=False)
    enterprise = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
