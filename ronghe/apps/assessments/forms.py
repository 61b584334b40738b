"""Forms of the assessment pages: they bound and parse every field (Django's fields also refuse
NUL characters), so views never call ``int()`` on raw input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.frameworks.models import FrameworkVersion
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
