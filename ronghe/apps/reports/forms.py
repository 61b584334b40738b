from django import forms
from django.utils.translation import gettext_lazy as _


class MonitoringForm(forms.Form):
    region = forms.RegexField(label=_("Region"), regex=r"^\d{6}$", required=False)
    framework = forms.SlugField(label=_("Framework"), max_length=80, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class BatchForm(forms.Form):
    region = forms.RegexField(label=_("Region code"), regex=r"^\d{6}$", required=False,
                              help_text=_("Six digits; empty: your whole jurisdiction."))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    framework = forms.SlugField(label=_("Framework"), max_length=80, required=False,
                                help_text=_("Short name; empty: every framework (the latest approved per enterprise)."))
