"""Forms of the 贯标 and 评定 pages: every posted value is bounded and parsed here (Django's fields refuse
NUL characters), and choices of rows go through ``KeyChoiceField``, so views never touch raw input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.apps.certification.models import CaseAssessor, ClauseCheck, Finding, Milestone
from ronghe.apps.organizations.models import Organization
from ronghe.core.certification.lifecycle import CASE, CERTIFICATE, FINDING
from ronghe.forms import KeyChoiceField

TEXT = {"max_length": 5000, "required": False, "widget": forms.Textarea(attrs={"rows": 2})}


class ProjectForm(forms.Form):
    standard = KeyChoiceField(queryset=None, label=_("Standard"))
    title = forms.CharField(max_length=200, label=_("Title"))
    owner = forms.CharField(max_length=100, label=_("Person responsible"))
    capability = forms.CharField(max_length=200, label=_("New capability"))
    capability_grade = forms.ChoiceField(choices=(), label=_("Target capability grade"))
    consultancy = KeyChoiceField(queryset=None, required=False, label=_("Consultancy"))

    def __init__(self, enterprise, standards, grades, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards
        self.fields["capability_grade"].choices = grades
        self.fields["consultancy"].queryset = Organization.objects.filter(
            kind=Organization.Kind.CONSULTANCY, grants_received__enterprise=enterprise,
            grants_received__revoked_at__isnull=True)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(choices=Milestone.Kind.choices)
    owner = forms.CharField(max_length=100, required=False, label=_("Owner"))
    planned_on = forms.DateField(required=False, label=_("Planned"))
    done_on = forms.DateField(required=False, label=_("Done"))


class ClauseForm(forms.Form):
    clause = forms.CharField(max_length=20)
    conformity = forms.ChoiceField(choices=ClauseCheck.Conformity.choices, label=_("Conformity"))
    evidence = forms.CharField(label=_("Evidence"), **TEXT)
    owner = forms.CharField(max_length=100, required=False, label=_("Owner"))
    due_on = forms.DateField(required=False, label=_("Due"))


class EvidenceForm(forms.Form):
    file = forms.FileField(max_length=200, label=_("File"))
    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    evidence_date = forms.DateField(label=_("Evidence for (date)"))
    clauses = forms.MultipleChoiceField(choices=(), label=_("Clauses it supports"))
    evidence = KeyChoiceField(queryset=None, required=False, label=_("New version of"))

    def __init__(self, project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = [(c.id, f"{c.id} {c.title.zh}") for c in project.standard.loaded().checkable]
        self.fields["evidence"].queryset = project.evidence.all()


class ApplyForm(forms.Form):
    body = KeyChoiceField(queryset=Organization.objects.filter(kind=Organization.Kind.ASSESSMENT_BODY),
                          label=_("Assessment body"))
    previous_certificate = KeyChoiceField(queryset=None, required=False, label=_("Certificate to renew"))

    def __init__(self, enterprise, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous_certificate"].queryset = enterprise.certificates.filter(state__in=["valid", "suspended"])


class TransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in CASE.names()])
    reason = forms.CharField(label=_("Reason"), **TEXT)
    report = forms.CharField(label=_("Report"), **TEXT)
    date = forms.DateField(required=False, label=_("Date"))
    grade = forms.ChoiceField(choices=[("", "—"), ("A", "A"), ("AA", "AA"), ("AAA", "AAA")], required=False,
                              label=_("Grade"))


class AssignForm(forms.Form):
    user = KeyChoiceField(queryset=None, label=_("Assessor"))
    role = forms.ChoiceField(choices=CaseAssessor.Role.choices, label=_("Role"))

    def __init__(self, body, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth.models import User

        self.fields["user"].queryset = User.objects.filter(memberships__organization=body)


class FindingForm(forms.Form):
    severity = forms.ChoiceField(choices=Finding.Severity.choices, label=_("Severity"))
    clause = forms.ChoiceField(choices=(), label=_("Clause"))
    description = forms.CharField(max_length=5000, label=_("Nonconformity"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(max_length=5000, label=_("Audit evidence"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(required=False, label=_("Correct by"))

    def __init__(self, case, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [(c.id, f"{c.id} {c.title.zh}")
                                         for c in case.project.standard.loaded().checkable]


class FindingTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in FINDING.names()])
    answer = forms.CharField(label=_("Correction and corrective action"), **TEXT)
    reason = forms.CharField(label=_("Reason"), **TEXT)


class CertificateTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in CERTIFICATE.names() if n not in ("issue", "expire",
                                                                                      "supersede")])
    reason = forms.CharField(label=_("Reason"), **TEXT)
    report = forms.CharField(label=_("Report"), **TEXT)
    date = forms.DateField(required=False, label=_("Date"))
    enterprise_name = forms.CharField(max_length=200, required=False, label=_("Enterprise name"))
    scope = forms.CharField(max_length=200, required=False, label=_("Scope"))
    capability = forms.CharField(max_length=200, required=False, label=_("New capability"))

    def changes(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in ("enterprise_name", "scope", "capability") if self.cleaned_data[k]}


class VerifyForm(forms.Form):
    q = forms.CharField(min_length=2, max_length=100, label=_("Certificate number or enterprise name"))


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")])
