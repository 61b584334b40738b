"""The evaluation form: the definition is chosen by name from a list (never a path), the files are
bounded by the upload settings, the title by length (Django's fields also refuse NUL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.regions import services
from ronghe.forms import KeyChoiceField

NORMALISATIONS = ("minmax", "zscore", "ratio", "target", "rank", "percentile")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
IMPUTATIONS = ("none", "group_mean", "previous_year", "regression")
TREATMENTS = ("none", "winsorise", "log")


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
        files = [f for f in files if f]
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
    source = forms.ChoiceField(choices=[("upload", _("Upload indicator data")), ("sample", _("Use sample data"))],
                               initial="upload", widget=forms.RadioSelect, label=_("Data"), required=False)
    data = MultipleFileField(label=_("Indicator data"), required=False)
    use_assessments = forms.BooleanField(
        required=False, initial=True, label=_("Compute the enterprise indicators from approved assessments"),
        help_text=_("Indicators of kind “enterprise” come from the approved assessments of your jurisdiction; "
                    "an uploaded value is kept where the assessments are too few."))
    weights = forms.FloatField(min_value=0, required=False, label=_("Weight perturbation"),
                               help_text=_("Each weight × U(1 − p, 1 + p), 0 ≤ p < 1; empty: the definition's."))
    normalise = forms.MultipleChoiceField(choices=[(m, m) for m in NORMALISATIONS], required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("Normalisations drawn from"))
    aggregate = forms.MultipleChoiceField(choices=[(m, m) for m in AGGREGATIONS], required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("Aggregations drawn from"))
    impute = forms.MultipleChoiceField(choices=[(m, m) for m in IMPUTATIONS], required=False,
                                       widget=forms.CheckboxSelectMultiple, label=_("Imputations drawn from"),
                                       help_text=_("Empty: the definition's imputation, not varied (the CLI's "
                                                   "--impute)."))
    treat = forms.MultipleChoiceField(choices=[(m, m) for m in TREATMENTS], required=False,
                                      widget=forms.CheckboxSelectMultiple, label=_("Outlier treatments drawn from"),
                                      help_text=_("Empty: the definition's treatment, not varied (the CLI's "
                                                  "--treat)."))

    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False, initial=0, label=_("Random seed"),
                              help_text=_("The same seed gives the same runs (the CLI's --seed)."))
    sobol = forms.IntegerField(min_value=0, max_value=8192, required=False, initial=0, label=_("Sobol base sample"),
                               help_text=_("0: no Sobol indices; e.g. 512 (the CLI's --sobol)."))
    individual_weights = forms.BooleanField(required=False, label=_("Each weight an input of its own (Sobol)"))
    bootstrap = forms.IntegerField(min_value=0, max_value=2000, required=False, initial=200,
                                   label=_("Bootstrap replicates (Sobol intervals)"))
    level = forms.FloatField(min_value=0.5, max_value=0.999, required=False, initial=0.95,
                             label=_("Confidence level of the intervals"))

    def sensitivity(self) -> dict:
        """The seed and the Sobol options as the service takes them (``sobol`` 0: none)."""
        data = self.cleaned_data
        return {"seed": data.get("seed") or 0, "sobol": data.get("sobol") or 0,
                "individual": bool(data.get("individual_weights")),
                "bootstrap": 200 if data.get("bootstrap") is None else data["bootstrap"],
                "level": data.get("level") or 0.95}

    def clean_runs(self) -> int:
        return self.cleaned_data["runs"] or 1000

    def clean(self) -> dict:
        data = super().clean()
        data["source"] = data.get("source") or "upload"
        if data["source"] == "upload" and not data.get("data"):
            self.add_error("data", _("Choose one or more data files, or use the sample data."))
        return data

    def analysis(self) -> dict:
        """The analysis options as the core takes them (None: the definition's own)."""
        data = self.cleaned_data
        return {"weights": data.get("weights"), "normalisations": data.get("normalise") or None,
                "aggregations": data.get("aggregate") or None, "imputations": data.get("impute") or None,
                "treatments": data.get("treat") or None}

    def __init__(self, authorities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["definition"].choices = services.available_definitions()
        self.fields["definition"].initial = "lianghua-regional"
