"""Forms of the catalogue pages: bounded fields, rows through ``KeyChoiceField``, tags checked against the
framework by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.providers.models import Offering, Provider
from ronghe.core.providers.lifecycle import RATINGS, REQUEST
from ronghe.forms import KeyChoiceField

TEXT = {"max_length": 5000, "required": False, "widget": forms.Textarea(attrs={"rows": 2})}
CODES = r"^[0-9A-Za-z ,，、\n\r]*$"


def _codes(value: str) -> list[str]:
    for sep in "，、\n\r":
        value = value.replace(sep, ",")
    return [c.strip() for c in value.replace(" ", ",").split(",") if c.strip()]


class ProviderForm(forms.Form):
    category = forms.ChoiceField(choices=Provider.Category.choices, label=_("Category"))
    summary = forms.CharField(label=_("Summary"), **TEXT)
    website = forms.URLField(max_length=200, required=False, assume_scheme="https", label=_("Website"))
    contact = forms.CharField(max_length=200, required=False, label=_("Public contact"))
    listed = forms.BooleanField(required=False, initial=True, label=_("Listed in the catalogue"))


class OfferingForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=Offering.Kind.choices, label=_("Kind"))
    summary = forms.CharField(label=_("Summary"), **TEXT)
    tags = forms.MultipleChoiceField(choices=(), label=_("Indicators and aspects it improves"),
                                     widget=forms.SelectMultiple(attrs={"size": 10}))
    nationwide = forms.BooleanField(required=False, label=_("Nationwide"))
    regions = forms.RegexField(regex=CODES, max_length=2000, required=False,
                               label=_("Regions served (GB/T 2260 codes, e.g. 330000 330100)"))
    industries = forms.RegexField(regex=CODES, max_length=500, required=False,
                                  label=_("Industries served (GB/T 4754 divisions; empty: all)"))
    references = forms.CharField(label=_("References"), **TEXT)
    price_from = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False,
                                    label=_("Price from (10,000 yuan)"))
    price_to = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False,
                                  label=_("Price to (10,000 yuan)"))
    price_note = forms.CharField(max_length=200, required=False, label=_("Price note"))
    listed = forms.BooleanField(required=False, initial=True, label=_("Listed"))

    def __init__(self, trees: dict[str, list[tuple[str, str]]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(f"{slug}:{node}", f"{slug} · {label}") for slug, nodes in trees.items()
                                       for node, label in nodes]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "kind": d["kind"], "summary": d["summary"], "nationwide": d["nationwide"],
                "regions": _codes(d["regions"]), "industries": _codes(d["industries"]),
                "references": d["references"], "price_from": d["price_from"], "price_to": d["price_to"],
                "price_note": d["price_note"], "listed": d["listed"],
                "tags": [tuple(v.split(":", 1)) for v in d["tags"]]}


class SendForm(forms.Form):
    enterprise = KeyChoiceField(queryset=None, label=_("Enterprise"))
    assessment = KeyChoiceField(queryset=None, required=False, label=_("From the diagnosis of"))
    share = forms.BooleanField(required=False, label=_("Send my diagnosis with the request"))
    message = forms.CharField(max_length=5000, label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, enterprises, assessments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["assessment"].queryset = assessments


class RequestTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in REQUEST.names() if n != "send"])
    answer = forms.CharField(label=_("Answer"), **TEXT)
    reason = forms.CharField(label=_("Reason"), **TEXT)
    rating = forms.TypedChoiceField(choices=[("", "—")] + [(str(r), str(r)) for r in RATINGS], coerce=int,
                                    empty_value=None, required=False, label=_("Rating"))
    review = forms.CharField(label=_("Review"), **TEXT)


class CatalogueForm(forms.Form):
    category = forms.ChoiceField(choices=[("", "—"), *Provider.Category.choices], required=False,
                                 label=_("Category"))
    framework = forms.SlugField(max_length=80, required=False)
    node = forms.RegexField(regex=r"^[A-Za-z0-9_]{1,40}$", required=False, label=_("Indicator"))
    region = forms.RegexField(regex=r"^[0-9]{6}$", required=False, label=_("Region code"))
    industry = forms.RegexField(regex=r"^[0-9]{2}$", required=False, label=_("Industry code"))
    q = forms.CharField(max_length=100, required=False, label=_("Search"))


class CoverageForm(forms.Form):
    authority = forms.RegexField(regex=r"^[0-9]{1,18}$", required=False)
    framework = forms.SlugField(max_length=80, required=False)
