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

from ronghe.apps.audit.models import AuditedModel


class Assessment(AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "暂存"
        SUBMITTED = "submitted", "待审核"
        REJECTED = "rejected", "审核驳回"
        SCORED = "scored", "审核通过"

    enterprise = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                   related_name="assessments")
    framework = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="revision", help_text="the rejected assessment this one revises")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    answers = models.JSONField(default=dict, blank=True, help_text="raw answers by item id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "framework", "year", "version"],
                                    name="assessment_version_unique"),
        ]
        # work queues ("submitted, waiting for review") read by status across a whole region
        indexes = [models.Index(fields=["status", "enterprise"], name="assessment_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values("status", "answers").first()
            if stored and stored["status"] != self.Status.DRAFT and stored["answers"] != self.answers:
                raise PermissionError("a submitted assessment's answers never change; revise it as a new version")
        super().save(*args, **kwargs)


class Score(models.Model):
    """The stored result of scoring one assessment (0–100 scores; rates in their item's unit)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="score")
    framework_sha256 = models.CharField(max_length=64)
    total = models.FloatField()
    stage = models.PositiveSmallIntegerField()
    stage_label = models.CharField(max_length=40)
    complete = models.BooleanField()
    nodes = models.JSONField()
    rates = models.JSONField()
    diagnosis = models.JSONField()
    scored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.assessment}: {self.total:.1f} ({self.stage_label})"
