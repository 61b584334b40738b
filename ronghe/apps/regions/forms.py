"""The evaluation form: the definition is chosen by name from a list (never a path), the files are
bounded by the upload settings, the title by length (Django's fields also refuse NUL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.regions import services
from ronghe.forms import KeyChoiceField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(d, initial) for d in data] if isinstance(data, list | tuple) else [single(data, initial)]
        if len(files) > 10:
            raise forms.ValidationError(_("At most 10 files at once."))
        return files


class RunForm(forms.Form):
    authority = KeyChoiceField(queryset=None, empty_label=None, label=_("Authority"))
    definition = forms.ChoiceField(label=_("Index definition"))
    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    runs = forms.IntegerField(min_value=100, max_value=100_000, initial=1000, required=False,
                              label=_("Monte Carlo runs"),
                              help_text=_("Runs of the rank-uncertainty analysis; long ones run in the background."))
    data = MultipleFileField(label=_("Indicator data"))

    def clean_runs(self) -> int:
        return self.cleaned_data["runs"] or 1000

    def __init__(self, authorities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["definition"].choices = services.available_definitions()
        self.fields["definition"].initial = "lianghua-regional"
