"""The evaluation form: the definition is chosen by name from a list (never a path), the files are
bounded by the upload settings, the title by length (Django's fields also refuse NUL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.regions import services
from ronghe.forms import KeyChoiceField

NORMALISATIONS = ("minmax", "zscore", "ratio", "target", "rank", "percentile")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")


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
    weights = forms.FloatField(min_value=0, required=False, label=_("Weight perturbation"),
                               help_text=_("Each weight × U(1 − p, 1 + p), 0 ≤ p < 1; empty: the definition's."))
    normalise = forms.MultipleChoiceField(choices=[(m, m) for m in NORMALISATIONS], required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("Normalisations drawn from"))
    aggregate = forms.MultipleChoiceField(choices=[(m, m) for m in AGGREGATIONS], required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("Aggregations drawn from"))

    def clean_runs(self) -> int:
        return self.cleaned_data["runs"] or 1000

    def analysis(self) -> dict:
        """The analysis options as the core takes them (None: the definition's own)."""
        data = self.cleaned_data
        return {"weights": data.get("weights"), "normalisations": data.get("normalise") or None,
                "aggregations": data.get("aggregate") or None}

    def __init__(self, authorities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["definition"].choices = services.available_definitions()
        self.fields["definition"].initial = "lianghua-regional"
