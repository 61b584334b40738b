"""One evaluation: the definition file and data it used (snapshots), and its results."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.apps.audit.models import AuditedModel


class Evaluation(AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Unpublished")
        PUBLISHED = "published", _("Published")

    authority = models.ForeignKey("organizations.Organization", verbose_name=_("Authority"), on_delete=models.PROTECT,
                                  related_name="evaluations")
    title = models.CharField(_("Title"), max_length=200)
    definition_slug = models.CharField(_("Definition slug"), max_length=80)
    definition_sha256 = models.CharField(_("Definition sha256"), max_length=64)
    definition_content = models.BinaryField(_("Definition content"), help_text="the exact definition file used")
    year = models.PositiveSmallIntegerField(_("Year"), help_text="the year ranked (the latest in the data)")
    data = models.JSONField(_("Data"), help_text="the indicator values used, long form")
    results = models.JSONField(_("Results"), help_text="index values, ranks, tiers by year and region")
    uncertainty = models.JSONField(_("Uncertainty"), default=list, help_text="rank distribution per region")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    version = models.PositiveSmallIntegerField(_("Version"), null=True, blank=True, help_text="set when published")
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Evaluation")
        verbose_name_plural = _("Evaluations")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values("status", "results", "data").first()
            if stored and stored["status"] == self.Status.PUBLISHED and (
                    stored["results"] != self.results or stored["data"] != self.data):
                raise PermissionError("a published evaluation is frozen; run and publish a new one")
        super().save(*args, **kwargs)
