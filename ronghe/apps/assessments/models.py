"""An assessment and its stored score.

Lifecycle (as on the national platform): 暂存 draft → 待审核 submitted → 审核通过 approved, scored at
once (status ``scored``) / 审核驳回 rejected. Answers change only while a draft; a rejected
assessment is revised as a new version that points at it, so the history stays visible. A score
is stored with the sha256 of the framework file that produced it and is never recomputed
silently.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ronghe import pagecache
from ronghe.apps.audit.models import AuditedModel


class Assessment(AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
        REJECTED = "rejected", pgettext_lazy("assessment status", "Returned")
        SCORED = "scored", pgettext_lazy("assessment status", "Approved")

    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"), on_delete=models.PROTECT,
                                   related_name="assessments")
    framework = models.ForeignKey("frameworks.FrameworkVersion", verbose_name=_("Framework"),
                                  on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Year"))
    version = models.PositiveSmallIntegerField(_("Version"), default=1)
    previous = models.OneToOneField("self", verbose_name=_("Previous"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="revision", help_text="the rejected assessment this one revises")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    answers = models.JSONField(_("Answers"), default=dict, blank=True, help_text="raw answers by item id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("Reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("Review reason"), blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "assessments"  # pages showing assessments are cached by province (ronghe/pagecache.py)
    cache_quiet_fields = {"answers", "updated_at"}  # a draft's autosave changes nothing a cached page shows

    class Meta:
        verbose_name = _("Assessment")
        verbose_name_plural = _("Assessments")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "framework", "year", "version"],
                                    name="assessment_version_unique"),
        ]
        # work queues ("submitted, waiting for review") read by status across a whole region; dashboards
        # count a region's enterprises assessed in a year
        indexes = [models.Index(fields=["status", "enterprise"], name="assessment_status_idx"),
                   models.Index(fields=["year", "enterprise"], name="assessment_year_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values("status", "answers").first()
            if stored and stored["status"] != self.Status.DRAFT and stored["answers"] != self.answers:
                raise PermissionError("a submitted assessment's answers never change; revise it as a new version")
        super().save(*args, **kwargs)

    def cache_parts(self) -> set[str]:
        return {pagecache.province(self.enterprise.region_id)}


class Score(models.Model):
    """The stored result of scoring one assessment (0–100 scores; rates in their item's unit)."""

    assessment = models.OneToOneField(Assessment, verbose_name=_("Assessment"), on_delete=models.PROTECT,
                                      related_name="score")
    framework_sha256 = models.CharField(_("Framework sha256"), max_length=64)
    total = models.FloatField(_("Total"))
    stage = models.PositiveSmallIntegerField(_("Stage"))
    stage_label = models.CharField(_("Stage label"), max_length=40)
    complete = models.BooleanField(_("Complete"))
    nodes = models.JSONField(_("Nodes"))
    rates = models.JSONField(_("Rates"))
    diagnosis = models.JSONField(_("Diagnosis"))
    scored_at = models.DateTimeField(_("Scored at"), auto_now_add=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "assessments"

    class Meta:
        verbose_name = _("Score")
        verbose_name_plural = _("Scores")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.total:.1f} ({self.stage_label})"

    def cache_parts(self) -> set[str]:
        return self.assessment.cache_parts()
