"""Forms of the programme pages: every posted value is bounded and parsed here (Django's fields refuse
NUL characters); rows are chosen through ``KeyChoiceField``; the rules and the scoring sheet are built
from plain fields and checked by the core, so views never touch raw input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.organizations.models import Industry, Organization
from ronghe.apps.programs.models import Call
from ronghe.core.programs import review as reviews
from ronghe.core.programs.lifecycle import CALL, DECLARATION
from ronghe.core.programs.rules import RulesError
from ronghe.forms import KeyChoiceField

TEXT = {"max_length": 5000, "required": False, "widget": forms.Textarea(attrs={"rows": 2})}
OPTIONAL = ("[可选]", "（可选）", "(optional)")


class CallForm(forms.Form):
    program = forms.ChoiceField(choices=Call.Program.choices, label=_("Programme"))
    title = forms.CharField(max_length=200, label=_("Title"))
    year = forms.IntegerField(min_value=2000, max_value=2200, label=_("Year"))
    description = forms.CharField(label=_("Description"), **TEXT)
    industries = forms.MultipleChoiceField(choices=(), required=False, label=_("Industries (none: all)"),
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    sizes = forms.MultipleChoiceField(choices=Organization.Size.choices, required=False,
                                      label=_("Size bands (none: all)"))
    declare_from = forms.DateField(label=_("Declarations open"))
    declare_until = forms.DateField(label=_("Declaration deadline"))
    recommend_until = forms.DateField(label=_("Recommendation deadline"))
    materials = forms.CharField(max_length=2000, required=False, label=_("Materials (one per line; [可选] marks "
                                                                        "an optional one)"),
                                widget=forms.Textarea(attrs={"rows": 3}))
    min_stage = forms.TypedChoiceField(choices=[("", "—"), ("1", "起步建设"), ("2", "单项覆盖"), ("3", "集成提升"),
                                                ("4", "创新突破")], coerce=int, empty_value=None, required=False,
                                       label=_("Lowest stage"))
    min_total = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=1, required=False,
                                   label=_("Lowest total"))
    min_grade = forms.ChoiceField(choices=[("", "—"), ("A", "A"), ("AA", "AA"), ("AAA", "AAA")], required=False,
                                  label=_("Lowest certificate grade"))
    no_open_findings = forms.BooleanField(required=False, label=_("No open nonconformity"))
    assessed_since = forms.IntegerField(min_value=2000, max_value=2200, required=False,
                                        label=_("Approved assessment of this year or later"))
    criteria = forms.CharField(max_length=3000, label=_("Scoring sheet (one criterion per line: name points)"),
                               widget=forms.Textarea(attrs={"rows": 4}))
    places = forms.IntegerField(min_value=1, max_value=100_000, label=_("Places"))
    pass_mark = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=1, label=_("Pass mark"))
    quota = forms.IntegerField(min_value=0, max_value=100_000, required=False,
                               label=_("Recommendation quota per authority (empty: no limit)"))
    panel_size = forms.IntegerField(min_value=1, max_value=99, label=_("Panel size"))
    min_reviewers = forms.IntegerField(min_value=1, max_value=99, label=_("Minimum reviewers per declaration"))
    spread_limit = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=1,
                                      label=_("Spread limit (points)"))
    trim = forms.BooleanField(required=False, label=_("Drop the highest and lowest total (5 experts or more)"))
    avoid_level = forms.ChoiceField(choices=Call.Level.choices, label=_("Experts of the same region are excluded at"))
    notice_days = forms.IntegerField(min_value=1, max_value=365, label=_("Notice days"))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = [(i.code, f"{i.code} {i.name}") for i in
                                             Industry.objects.filter(code__regex=r"^[0-9]{2}$")]
        if owners is not None:  # a new call: which of the person's authorities publishes it
            self.fields["owner"] = KeyChoiceField(queryset=owners, label=_("Authority"), initial=owners.first())

    @staticmethod
    def initial_for(call: Call | None, year: int) -> dict:
        if call is None:
            from ronghe.apps.programs.services import DEFAULT_SHEET

            return {"year": year, "places": 10, "pass_mark": 60, "panel_size": 5, "min_reviewers": 3,
                    "spread_limit": 20, "avoid_level": "city", "notice_days": 7, "program": "management_system",
                    "criteria": "\n".join(f"{c['name']} {c['points']:g}" for c in DEFAULT_SHEET),
                    "materials": "申报书\n两化融合评估报告\n[可选] 证明材料"}
        rules = {r["kind"]: r for r in call.rules}
        return {**{k: getattr(call, k) for k in ("program", "title", "year", "description", "industries", "sizes",
                                                  "declare_from", "declare_until", "recommend_until", "places",
                                                  "pass_mark", "quota", "panel_size", "min_reviewers",
                                                  "spread_limit", "trim", "avoid_level", "notice_days")},
                "materials": "\n".join(("" if m["required"] else "[可选] ") + m["name"] for m in call.materials),
                "criteria": "\n".join(f"{c['name']} | {c['points']:g} | {c['guidance']}" if c["guidance"]
                                      else f"{c['name']} {c['points']:g}" for c in call.criteria),
                "min_stage": rules.get("stage_at_least", {}).get("min"),
                "min_total": rules.get("total_at_least", {}).get("min"),
                "min_grade": rules.get("certificate_grade_at_least", {}).get("min", ""),
                "no_open_findings": "no_open_nonconformity" in rules,
                "assessed_since": rules.get("assessed_since", {}).get("year")}

    def clean_criteria(self):
        try:
            return [c.model_dump() for c in reviews.parse_sheet(reviews.parse_lines(self.cleaned_data["criteria"]))]
        except RulesError as exc:
            raise forms.ValidationError([f"{f.path}: {f.reason}" for f in exc.faults]) from None

    def clean_materials(self):
        out = []
        for line in self.cleaned_data["materials"].splitlines():
            line = line.strip()
            optional = line.startswith(OPTIONAL)
            for mark in OPTIONAL:
                line = line.removeprefix(mark).strip()
            if line:
                if len(line) > 100:
                    raise forms.ValidationError(_("A material's name has at most 100 characters."))
                out.append({"name": line, "required": not optional})
        return out

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        rules = []
        if d["min_stage"]:
            rules.append({"kind": "stage_at_least", "min": d["min_stage"]})
        if d["min_total"] is not None:
            rules.append({"kind": "total_at_least", "min": float(d["min_total"])})
        if d["assessed_since"]:
            rules.append({"kind": "assessed_since", "year": d["assessed_since"]})
        if d["min_grade"]:
            rules.append({"kind": "certificate_grade_at_least", "min": d["min_grade"]})
        if d["no_open_findings"]:
            rules.append({"kind": "no_open_nonconformity"})
        keep = ("program", "title", "year", "description", "industries", "sizes", "declare_from", "declare_until",
                "recommend_until", "materials", "criteria", "places", "quota", "panel_size", "min_reviewers",
                "trim", "avoid_level", "notice_days")
        return {**{k: d[k] for k in keep}, "rules": rules, "pass_mark": float(d["pass_mark"]),
                "spread_limit": float(d["spread_limit"])}


class CallTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in CALL.names()])
    reason = forms.CharField(label=_("Reason"), **TEXT)
    date = forms.DateField(required=False, label=_("Date"))


class DeclareForm(forms.Form):
    enterprise = KeyChoiceField(queryset=None, label=_("Enterprise"))
    title = forms.CharField(max_length=200, label=_("Project title"))
    summary = forms.CharField(label=_("Summary"), **TEXT)
    contact = forms.CharField(max_length=100, required=False, label=_("Contact"))

    def __init__(self, enterprises, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].empty_label = None  # one of the person's enterprises, the first by default


class DeclarationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Project title"))
    summary = forms.CharField(label=_("Summary"), **TEXT)
    contact = forms.CharField(max_length=100, required=False, label=_("Contact"))


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(choices=(), label=_("Material"))
    file = forms.FileField(max_length=200, label=_("File"))

    def __init__(self, call, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(m["id"], m["name"]) for m in call.materials]


class DeclarationTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in DECLARATION.names()])
    reason = forms.CharField(label=_("Reason"), **TEXT)


class QuotaForm(forms.Form):
    authority = KeyChoiceField(queryset=None, label=_("Authority"))
    number = forms.IntegerField(min_value=0, max_value=100_000, label=_("Quota"))

    def __init__(self, call, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.filter(kind=Organization.Kind.AUTHORITY, national=False).exclude(pk=call.owner_id)
        if not call.owner.national:
            qs = qs.filter(region__code__startswith=call.owner.region.prefix)
        self.fields["authority"].queryset = qs.order_by("region__code")


class ExpertForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name"))
    name = forms.CharField(max_length=60, label=_("Name"))
    title = forms.CharField(max_length=60, required=False, label=_("Professional title"))
    affiliation = forms.CharField(max_length=200, required=False, label=_("Affiliation"))
    organization = KeyChoiceField(queryset=Organization.objects.exclude(kind=Organization.Kind.AUTHORITY),
                                  required=False, label=_("Organisation on the platform"))
    region = forms.RegexField(regex=r"^[0-9]{6}$", label=_("Region code"))
    specialty = forms.CharField(max_length=200, required=False, label=_("Specialty"))

    def clean_username(self):
        from django.contrib.auth.models import User

        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No such user."))
        return user

    def clean_region(self):
        from ronghe.apps.organizations.models import Region

        region = Region.objects.filter(code=self.cleaned_data["region"]).first()
        if region is None:
            raise forms.ValidationError(_("No such region."))
        return region


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), **TEXT)
    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")])

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c_{c.id}"] = forms.DecimalField(min_value=0, max_value=c.points, max_digits=5,
                                                          decimal_places=1, required=False,
                                                          label=f"{c.name}（{c.points:g}）")

    def scores(self) -> dict[str, float]:
        return {k[2:]: float(v) for k, v in self.cleaned_data.items() if k.startswith("c_") and v is not None}


class ExportForm(forms.Form):
    what = forms.ChoiceField(choices=[("figures", "figures"), ("results", "results")])
    format = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")])
    call = forms.RegexField(regex=r"^[0-9]{1,18}$", required=False)
    authority = forms.RegexField(regex=r"^[0-9]{1,18}$", required=False)


class FiguresForm(forms.Form):
    call = forms.RegexField(regex=r"^[0-9]{1,18}$", required=False)
    authority = forms.RegexField(regex=r"^[0-9]{1,18}$", required=False)
