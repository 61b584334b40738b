"""Pilot and demonstration programmes (试点示范): calls, declarations, recommendations, materials, the
expert pool, panels and score sheets.

- A :class:`Call` is published by an authority (its *owner*) for its jurisdiction, narrowed by
  industries and size bands; its eligibility rules, required materials and scoring sheet are data
  (JSON validated by :mod:`ronghe.core.programs`). Its ``state`` follows ``CALL`` in
  ``ronghe.core.programs.lifecycle`` and changes only in ``services.py``.
- A :class:`Declaration` (申报) is an enterprise's application to a call; it sits with one authority
  at a time (``at_authority``), the most local one first, and climbs by :class:`Recommendation`.
- :class:`Material` files are judged by their content and stored under a name of their own.
- :class:`Expert` rows form an authority's pool; a call's :class:`PanelMember` rows are the drawn
  panel, and an :class:`Assignment` is one expert's score sheet for one declaration (or the record of
  the expert's exclusion for a conflict of interest).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache
from ronghe.apps.audit.models import AuditedModel, LifecycleModel
from ronghe.core.programs.lifecycle import CALL, DECLARATION


class Call(LifecycleModel):
    """A call for pilot or demonstration projects (申报通知)."""

    class Program(models.TextChoices):
        MANAGEMENT_SYSTEM = "management_system", _("Management-system adoption pilots")  # 两化融合管理体系贯标试点
        INDUSTRIAL_CLOUD = "industrial_cloud", _("Industrial cloud platform pilots")  # 工业云平台试点
        INTERNET_MANUFACTURING = "internet_manufacturing", _("Manufacturing and internet integration pilots")
        SMART_MANUFACTURING = "smart_manufacturing", _("Smart manufacturing pilots and demonstrations")
        OTHER = "other", _("Other programme")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    owner = models.ForeignKey("organizations.Organization", verbose_name=_("Authority"), on_delete=models.PROTECT,
                              related_name="calls")
    program = models.CharField(_("Programme"), max_length=30, choices=Program.choices)
    title = models.CharField(_("Title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Year"))
    description = models.TextField(_("Description"), blank=True)
    industries = models.JSONField(_("Industries"), default=list, blank=True,
                                  help_text="GB/T 4754 division codes; empty: every industry")
    sizes = models.JSONField(_("Size bands"), default=list, blank=True, help_text="empty: every size")
    declare_from = models.DateField(_("Declarations open"), null=True, blank=True)
    declare_until = models.DateField(_("Declaration deadline"), null=True, blank=True)
    recommend_until = models.DateField(_("Recommendation deadline"), null=True, blank=True)
    materials = models.JSONField(_("Required materials"), default=list, blank=True,
                                 help_text="[{id, name, required}]")
    rules = models.JSONField(_("Eligibility rules"), default=list, blank=True)
    criteria = models.JSONField(_("Scoring sheet"), default=list, blank=True)
    places = models.PositiveIntegerField(_("Places"), default=10, help_text="how many winners are planned")
    pass_mark = models.FloatField(_("Pass mark"), default=60, help_text="lowest average that can be selected, 0–100")
    quota = models.PositiveIntegerField(_("Recommendation quota"), null=True, blank=True,
                                        help_text="per recommending authority; empty: no limit")
    panel_size = models.PositiveSmallIntegerField(_("Panel size"), default=5)
    min_reviewers = models.PositiveSmallIntegerField(_("Minimum reviewers"), default=3)
    spread_limit = models.FloatField(_("Spread limit"), default=20, help_text="points between experts before a flag")
    trim = models.BooleanField(_("Drop the highest and lowest"), default=False)
    avoid_level = models.CharField(_("Same-region exclusion"), max_length=10, choices=Level.choices,
                                   default=Level.CITY)
    notice_days = models.PositiveSmallIntegerField(_("Notice days"), default=7)
    notice_start = models.DateField(_("Notice start"), null=True, blank=True)
    notice_end = models.DateField(_("Notice end"), null=True, blank=True)
    panel_seed = models.BigIntegerField(_("Panel seed"), null=True, blank=True, help_text="the recorded draw")
    state = models.CharField(_("State"), max_length=20, choices=CALL.choices(), default=CALL.initial,
                             editable=False)
    published_on = models.DateField(_("Published on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Call for pilots")
        verbose_name_plural = _("Calls for pilots")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["state", "year"], name="call_state_year_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        return CALL.label(self.state, get_language() or "zh-hans")


class Quota(AuditedModel):
    """A recommending authority's own quota for a call (overrides the call's ``quota``)."""

    call = models.ForeignKey(Call, verbose_name=_("Call"), on_delete=models.CASCADE, related_name="quotas")
    authority = models.ForeignKey("organizations.Organization", verbose_name=_("Authority"), on_delete=models.PROTECT,
                                  related_name="+")
    number = models.PositiveIntegerField(_("Quota"))

    class Meta:
        verbose_name = _("Recommendation quota")
        verbose_name_plural = _("Recommendation quotas")
        constraints = [models.UniqueConstraint(fields=["call", "authority"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.call}: {self.authority} {self.number}"


class Declaration(LifecycleModel):
    """An enterprise's declaration (申报) to a call."""

    call = models.ForeignKey(Call, verbose_name=_("Call"), on_delete=models.PROTECT, related_name="declarations")
    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"),
                                   on_delete=models.PROTECT, related_name="declarations")
    at_authority = models.ForeignKey("organizations.Organization", verbose_name=_("With authority"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="the authority that deals with it now")
    title = models.CharField(_("Project title"), max_length=200)
    summary = models.TextField(_("Summary"), blank=True)
    contact = models.CharField(_("Contact"), max_length=100, blank=True)
    state = models.CharField(_("State"), max_length=20, choices=DECLARATION.choices(), default=DECLARATION.initial,
                             editable=False)
    eligibility = models.JSONField(_("Eligibility at submission"), default=list, blank=True,
                                   help_text="each check with its verdict and reason, as submitted")
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    average = models.FloatField(_("Average"), null=True, blank=True, help_text="the review's average, 0–100")
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Declaration")
        verbose_name_plural = _("Declarations")
        ordering = ["call", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "enterprise"], condition=~Q(state="withdrawn"),
                                               name="declaration_one_per_call")]
        indexes = [models.Index(fields=["call", "state"], name="declaration_call_state_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"

    @property
    def state_label(self) -> str:
        return DECLARATION.label(self.state, get_language() or "zh-hans")


class Recommendation(AuditedModel):
    """One step up: an authority recommends a declaration to the authority above it."""

    declaration = models.ForeignKey(Declaration, verbose_name=_("Declaration"), on_delete=models.CASCADE,
                                    related_name="recommendations")
    from_authority = models.ForeignKey("organizations.Organization", verbose_name=_("From"),
                                       on_delete=models.PROTECT, related_name="+")
    to_authority = models.ForeignKey("organizations.Organization", verbose_name=_("To"), on_delete=models.PROTECT,
                                     related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("Recommendation")
        verbose_name_plural = _("Recommendations")
        ordering = ["declaration", "created_at"]


def material_path(instance: Material, filename: str) -> str:
    """One stored name per upload, so an earlier version is never overwritten."""
    return (f"programs/{instance.declaration.call_id}/{instance.declaration_id}/"
            f"{instance.kind}-v{instance.number}-{instance.sha256[:16]}{instance.suffix}")


class Material(AuditedModel):
    """One uploaded material of a declaration (each upload a new version; the newest counts)."""

    declaration = models.ForeignKey(Declaration, verbose_name=_("Declaration"), on_delete=models.CASCADE,
                                    related_name="materials")
    kind = models.CharField(_("Material"), max_length=40, help_text="the id of a material the call asks for")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(_("File"), upload_to=material_path, max_length=255)
    original_name = models.CharField(_("Original name"), max_length=200)
    suffix = models.CharField(_("Suffix"), max_length=10)
    content_type = models.CharField(_("File type"), max_length=100)
    size = models.PositiveBigIntegerField(_("File size"), help_text="bytes")
    sha256 = models.CharField(_("Sha256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Declaration material")
        verbose_name_plural = _("Declaration materials")
        ordering = ["declaration", "kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["declaration", "kind", "number"], name="material_unique")]

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.kind} v{self.number}"


class Expert(AuditedModel):
    """An expert in an authority's pool (专家库)."""

    authority = models.ForeignKey("organizations.Organization", verbose_name=_("Pool of"), on_delete=models.PROTECT,
                                  related_name="experts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.PROTECT,
                             related_name="expert_roles")
    name = models.CharField(_("Name"), max_length=60)
    title = models.CharField(_("Professional title"), max_length=60, blank=True)
    affiliation = models.CharField(_("Affiliation"), max_length=200, blank=True)
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("Organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="the platform organisation the expert works for, if any")
    region = models.ForeignKey("organizations.Region", verbose_name=_("Region"), on_delete=models.PROTECT,
                               related_name="+")
    specialty = models.CharField(_("Specialty"), max_length=200, blank=True)
    active = models.BooleanField(_("Active"), default=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "people"  # an expert's role shows in the header (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Expert")
        verbose_name_plural = _("Experts")
        ordering = ["authority", "name"]
        constraints = [models.UniqueConstraint(fields=["authority", "user"], name="expert_unique")]

    def __str__(self) -> str:
        return self.name


class PanelMember(AuditedModel):
    """An expert drawn onto a call's panel."""

    call = models.ForeignKey(Call, verbose_name=_("Call"), on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(Expert, verbose_name=_("Expert"), on_delete=models.PROTECT, related_name="panels")
    order = models.PositiveSmallIntegerField(_("Order drawn"))

    class Meta:
        verbose_name = _("Panel member")
        verbose_name_plural = _("Panel members")
        ordering = ["call", "order"]
        constraints = [models.UniqueConstraint(fields=["call", "expert"], name="panel_member_unique")]

    def __str__(self) -> str:
        return f"{self.call}: {self.expert}"


class Assignment(AuditedModel):
    """One expert's score sheet for one declaration, or their exclusion for a conflict of interest."""

    call = models.ForeignKey(Call, verbose_name=_("Call"), on_delete=models.CASCADE, related_name="assignments")
    declaration = models.ForeignKey(Declaration, verbose_name=_("Declaration"), on_delete=models.CASCADE,
                                    related_name="assignments")
    expert = models.ForeignKey(Expert, verbose_name=_("Expert"), on_delete=models.PROTECT,
                               related_name="assignments")
    excluded = models.BooleanField(_("Excluded"), default=False)
    reason = models.CharField(_("Reason"), max_length=300, blank=True, help_text="why the expert is excluded")
    scores = models.JSONField(_("Scores"), default=dict, blank=True, help_text="criterion id → points")
    comment = models.TextField(_("Comment"), blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Score sheet")
        verbose_name_plural = _("Score sheets")
        ordering = ["declaration", "expert"]
        constraints = [models.UniqueConstraint(fields=["declaration", "expert"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.declaration_id} · {self.expert}"
