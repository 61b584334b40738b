"""贯标 (adopting GB/T 23001) and 评定 (its assessment): projects, evidence, cases, findings, certificates.

- A :class:`Standard` row registers one version of a standard file (urn, version, sha256, bytes),
  like a framework version: projects and certificates point at the exact file.
- A :class:`Project` is an enterprise's adoption work: seven milestones, a self-check of every
  clause, evidence documents (each version a new stored file, never overwritten).
- A :class:`Case` is one 评定 by an assessment body; its ``state`` follows the table in
  ``ronghe.core.certification.lifecycle.CASE`` and changes only in ``services.py``, which writes
  every transition to the audit log (actor, time, reason, from, to).
- A :class:`Finding` is a nonconformity raised in an audit, closed by a verified corrective action.
- A :class:`Certificate` carries the national registry's fields (standards.md §4.1) and its own
  lifecycle; :class:`Surveillance` rows are its annual audits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ronghe.apps.audit.models import AuditedModel
from ronghe.core.certification.lifecycle import CASE, CERTIFICATE, FINDING
from ronghe.core.certification.standard import LoadedStandard, load_bytes


def _choices(machine):
    return [(s, zh) for s, (zh, _en) in machine.states.items()]


class _Lifecycle(AuditedModel):
    """A model with a ``state`` that only ``services.py`` changes, through the lifecycle table: a save
    that changes the stored state without going through a transition is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not getattr(self, "_transition", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored is not None and stored != self.state:
                raise PermissionError(f"a {type(self).__name__}'s state changes only through its services")
        super().save(*args, **kwargs)


class Standard(AuditedModel):
    """A registered version of a standard file (its bytes are kept: the file is the source of truth)."""

    urn = models.CharField(_("Urn"), max_length=120)
    version = models.PositiveIntegerField(_("Version"))
    slug = models.SlugField(_("Slug"), max_length=80)
    kind = models.CharField(_("Kind"), max_length=20)
    code = models.CharField(_("Code"), max_length=40, help_text="designation, e.g. GB/T 23001-2017")
    title = models.CharField(_("Title"), max_length=200)
    sha256 = models.CharField(_("Sha256"), max_length=64)
    source = models.CharField(_("Source"), max_length=200)
    content = models.BinaryField(_("Content"))
    placeholder = models.BooleanField(_("Placeholder"), default=False)
    is_active = models.BooleanField(_("Is active"), default=True)

    class Meta:
        verbose_name = _("Management-system standard")
        verbose_name_plural = _("Management-system standards")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["urn", "version"], name="standard_urn_version_unique"),
            models.UniqueConstraint(fields=["sha256"], name="standard_sha256_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def loaded(self) -> LoadedStandard:
        return load_bytes(bytes(self.content), self.source)


class Project(AuditedModel):
    """An enterprise's 贯标 project: adopting the standard until it can apply for 评定."""

    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"), on_delete=models.PROTECT,
                                   related_name="cert_projects")
    standard = models.ForeignKey(Standard, verbose_name=_("Standard"), on_delete=models.PROTECT, related_name="+")
    consultancy = models.ForeignKey("organizations.Organization", verbose_name=_("Consultancy"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="a consultancy the enterprise granted access to")
    title = models.CharField(_("Title"), max_length=200)
    owner = models.CharField(_("Owner"), max_length=100, help_text="the person responsible")
    capability = models.CharField(_("Capability"), max_length=200,
                                  help_text="the new capability (新型能力) the system builds")
    capability_grade = models.CharField(_("Capability grade"), max_length=3,
                                        help_text="target grade CL1–CL5 (GB/T 23006)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Adoption project")
        verbose_name_plural = _("Adoption projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Milestone(AuditedModel):
    class Kind(models.TextChoices):
        KICKOFF = "kickoff", "贯标启动"
        SURVEY = "survey", "现状调研"
        ANALYSIS = "analysis", "体系分析"
        DOCUMENTS = "documents", "文件编写"
        TRIAL_RUN = "trial_run", "体系试运行"
        INTERNAL_AUDIT = "internal_audit", "内部审核"
        MANAGEMENT_REVIEW = "management_review", "管理评审"

    project = models.ForeignKey(Project, verbose_name=_("Project"), on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("Order"))
    owner = models.CharField(_("Owner"), max_length=100, blank=True)
    planned_on = models.DateField(_("Planned on"), null=True, blank=True)
    done_on = models.DateField(_("Done on"), null=True, blank=True, help_text="for the trial run: the day it started")

    class Meta:
        verbose_name = _("Milestone")
        verbose_name_plural = _("Milestones")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="milestone_unique")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"


class ClauseCheck(AuditedModel):
    """The enterprise's self-check of one clause."""

    class Conformity(models.TextChoices):
        UNCHECKED = "unchecked", "未自查"
        CONFORMS = "conforms", "符合"
        PARTIAL = "partial", "部分符合"
        NONCONFORMING = "nonconforming", "不符合"
        NOT_APPLICABLE = "not_applicable", "不适用"

    project = models.ForeignKey(Project, verbose_name=_("Project"), on_delete=models.CASCADE, related_name="checks")
    clause = models.CharField(_("Clause"), max_length=20)
    order = models.PositiveSmallIntegerField(_("Order"))
    conformity = models.CharField(_("Conformity"), max_length=20, choices=Conformity.choices,
                                  default=Conformity.UNCHECKED)
    evidence = models.TextField(_("Evidence"), blank=True,
                                help_text="what shows it (documents are linked to the clause)")
    owner = models.CharField(_("Owner"), max_length=100, blank=True)
    due_on = models.DateField(_("Due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Clause self-check")
        verbose_name_plural = _("Clause self-checks")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "clause"], name="clause_check_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.clause}: {self.conformity}"


class Evidence(AuditedModel):
    """An evidence document; its content lives in its versions."""

    project = models.ForeignKey(Project, verbose_name=_("Project"), on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("Title"), max_length=200)

    class Meta:
        verbose_name = _("Evidence document")
        verbose_name_plural = _("Evidence documents")
        ordering = ["project", "title", "id"]

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: EvidenceVersion, filename: str) -> str:
    """Where a version's file is stored: one name per version, so nothing is ever overwritten."""
    e = instance.evidence
    return f"evidence/{e.project_id}/{e.pk}/v{instance.number}-{instance.sha256[:16]}{instance.suffix}"


class EvidenceVersion(AuditedModel):
    """One stored version of an evidence document (files go through Django's storage API)."""

    evidence = models.ForeignKey(Evidence, verbose_name=_("Evidence"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("Number"))
    file = models.FileField(_("File"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("Original name"), max_length=200)
    suffix = models.CharField(_("Suffix"), max_length=10)
    content_type = models.CharField(_("Content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("Size"), help_text="bytes")
    sha256 = models.CharField(_("Sha256"), max_length=64)
    evidence_date = models.DateField(_("Evidence date"),
                                     help_text="the day the document is evidence for (not the upload)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Evidence version")
        verbose_name_plural = _("Evidence versions")
        ordering = ["evidence", "-number"]
        constraints = [models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_unique")]

    def __str__(self) -> str:
        return f"{self.evidence} v{self.number}"


class EvidenceClause(models.Model):
    """A clause an evidence version supports."""

    version = models.ForeignKey(EvidenceVersion, verbose_name=_("Version"), on_delete=models.CASCADE,
                                related_name="clauses")
    clause = models.CharField(_("Clause"), max_length=20)

    class Meta:
        verbose_name = _("Clause of an evidence version")
        verbose_name_plural = _("Clauses of evidence versions")
        constraints = [models.UniqueConstraint(fields=["version", "clause"], name="evidence_clause_unique")]


class Case(_Lifecycle):
    """One 评定 of an enterprise's system by an assessment body."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "初次评定"
        REASSESSMENT = "reassessment", "再评定"

    class Grade(models.TextChoices):
        A = "A", "A"
        AA = "AA", "AA"
        AAA = "AAA", "AAA"

    project = models.ForeignKey(Project, verbose_name=_("Project"), on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"),
                                   on_delete=models.PROTECT, related_name="cert_cases")
    body = models.ForeignKey("organizations.Organization", verbose_name=_("Body"), on_delete=models.PROTECT,
                             related_name="body_cases")
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    previous_certificate = models.ForeignKey("Certificate", verbose_name=_("Previous certificate"), null=True,
                                             blank=True, on_delete=models.PROTECT,
                                             related_name="reassessments")
    state = models.CharField(_("State"), max_length=20, choices=_choices(CASE), default=CASE.initial, editable=False)
    applied_on = models.DateField(_("Applied on"), null=True, blank=True)
    stage1_on = models.DateField(_("Stage1 on"), null=True, blank=True)
    stage1_report = models.TextField(_("Stage1 report"), blank=True)
    stage2_on = models.DateField(_("Stage2 on"), null=True, blank=True)
    stage2_report = models.TextField(_("Stage2 report"), blank=True)
    grade = models.CharField(_("Grade"), max_length=3, choices=Grade.choices, blank=True)
    conclusion = models.TextField(_("Conclusion"), blank=True)
    notice_start = models.DateField(_("Notice start"), null=True, blank=True)
    notice_end = models.DateField(_("Notice end"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("Reviewed at"), null=True, blank=True,
                                       help_text="first submitted for compliance review")
    decided_on = models.DateField(_("Decided on"), null=True, blank=True, help_text="the day it reached a final state")

    class Meta:
        verbose_name = _("Certification case")
        verbose_name_plural = _("Certification cases")
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["body", "state"], name="case_body_state_idx")]

    def __str__(self) -> str:
        return f"评定 #{self.pk} {self.enterprise}"

    @property
    def state_label(self) -> str:
        return CASE.label(self.state, get_language() or "zh-hans")


class CaseAssessor(AuditedModel):
    class Role(models.TextChoices):
        LEAD = "lead", "审核组长"
        MEMBER = "member", "审核员"

    case = models.ForeignKey(Case, verbose_name=_("Case"), on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.PROTECT,
                             related_name="cert_assignments")
    role = models.CharField(_("Role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("Assigned assessor")
        verbose_name_plural = _("Assigned assessors")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_assessor_unique"),
            models.UniqueConstraint(fields=["case"], condition=Q(role="lead"), name="case_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.user} ({self.role})"


class Finding(_Lifecycle):
    """A nonconformity raised in an audit: major or minor, against a clause, with its evidence."""

    class Severity(models.TextChoices):
        MAJOR = "major", "严重不符合"
        MINOR = "minor", "一般不符合"

    case = models.ForeignKey(Case, verbose_name=_("Case"), on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField(_("Number"))
    severity = models.CharField(_("Severity"), max_length=10, choices=Severity.choices)
    clause = models.CharField(_("Clause"), max_length=20)
    description = models.TextField(_("Description"))
    evidence = models.TextField(_("Evidence"), help_text="what the assessor saw")
    state = models.CharField(_("State"), max_length=20, choices=_choices(FINDING), default="open", editable=False)
    due_on = models.DateField(_("Due on"), null=True, blank=True)
    answer = models.TextField(_("Answer"), blank=True, help_text="correction and corrective action")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Raised by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Finding")
        verbose_name_plural = _("Findings")
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="finding_number_unique")]

    def __str__(self) -> str:
        return f"{self.case} NC{self.number}"

    @property
    def state_label(self) -> str:
        return FINDING.label(self.state, get_language() or "zh-hans")


class Certificate(_Lifecycle):
    """A 两化融合管理体系评定证书, with the national registry's fields."""

    number = models.CharField(_("Number"), max_length=40, unique=True)
    case = models.OneToOneField(Case, verbose_name=_("Case"), on_delete=models.PROTECT, related_name="certificate")
    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"), on_delete=models.PROTECT,
                                   related_name="certificates")
    enterprise_name = models.CharField(_("Enterprise name"), max_length=200, help_text="as printed on the certificate")
    region = models.ForeignKey("organizations.Region", verbose_name=_("Region"), null=True, on_delete=models.PROTECT,
                               related_name="+")
    industry = models.ForeignKey("organizations.Industry", verbose_name=_("Industry"), null=True,
                                 on_delete=models.PROTECT, related_name="+")
    scope = models.TextField(_("Scope"), help_text="scope, naming the new capability")
    capability = models.CharField(_("Capability"), max_length=200)
    capability_grade = models.CharField(_("Capability grade"), max_length=3)
    grade = models.CharField(_("Grade"), max_length=3, choices=Case.Grade.choices)
    standard = models.ForeignKey(Standard, verbose_name=_("Standard"), on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("organizations.Organization", verbose_name=_("Body"), on_delete=models.PROTECT,
                             related_name="issued_certificates")
    issued_on = models.DateField(_("Issued on"))
    valid_until = models.DateField(_("Valid until"))
    state = models.CharField(_("State"), max_length=20, choices=_choices(CERTIFICATE), default="valid", editable=False)
    revision = models.PositiveSmallIntegerField(_("Revision"), default=1, help_text="raised by every change (变更)")

    class Meta:
        verbose_name = _("Certificate")
        verbose_name_plural = _("Certificates")
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["enterprise_name"], name="certificate_name_idx"),
                   models.Index(fields=["state", "valid_until"], name="certificate_state_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def effective_state(self) -> str:
        """What a reader should see: past its validity a certificate is expired, even before the
        daily expiry has recorded it."""
        if self.state in ("valid", "suspended") and self.valid_until < timezone.localdate():
            return "expired"
        return self.state

    @property
    def state_label(self) -> str:
        return CERTIFICATE.label(self.effective_state, get_language() or "zh-hans")


class Surveillance(AuditedModel):
    """An annual surveillance audit of a certificate, due on ``due_on``."""

    certificate = models.ForeignKey(Certificate, verbose_name=_("Certificate"), on_delete=models.CASCADE,
                                    related_name="surveillances")
    due_on = models.DateField(_("Due on"))
    done_on = models.DateField(_("Done on"), null=True, blank=True)
    report = models.TextField(_("Report"), blank=True)

    class Meta:
        verbose_name = _("Surveillance audit")
        verbose_name_plural = _("Surveillance audits")
        ordering = ["certificate", "due_on"]

    def __str__(self) -> str:
        return f"{self.certificate} surveillance {self.due_on}"
