"""The benchmark snapshot: scored assessments in columnar-ready form, per framework version and year.

Every approved assessment gets one :class:`Entry`, written in the approval's transaction: the
enterprise's region, industry and size at scoring time, its stage, and every metric (total,
aspects, key rates, indicators) packed as big-endian float64 in the order of :attr:`Snapshot.columns`, summary
metrics first. A :class:`Snapshot` row per framework version and year numbers its entries
(``seq``, assigned under a row lock, so in commit order) and counts full recomputes
(``generation``); a server process keeps decoded columns in memory and catches up by reading only
the entries with a higher ``seq`` (docs/benchmarking.md, "Engine").

The snapshot is derived data: ``manage.py benchmark_recompute`` rebuilds it from the stored scores.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    framework = models.ForeignKey("frameworks.FrameworkVersion", verbose_name=_("Framework"),
                                  on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Year"))
    columns = models.JSONField(_("Columns"), help_text="metric ids in the order their values are packed in each entry")
    seq = models.BigIntegerField(_("Sequence"), default=0, help_text="the last sequence number given to an entry")
    generation = models.PositiveIntegerField(_("Generation"), default=0, help_text="bumped by every full recompute")
    rows = models.PositiveIntegerField(_("Rows"), default=0)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("benchmark snapshot")
        verbose_name_plural = _("benchmark snapshots")
        ordering = ["framework", "year"]
        constraints = [models.UniqueConstraint(fields=["framework", "year"], name="snapshot_framework_year_unique")]

    def __str__(self) -> str:
        return f"{self.framework} {self.year}: {self.rows} rows (seq {self.seq}, generation {self.generation})"


class Entry(models.Model):
    snapshot = models.ForeignKey(Snapshot, verbose_name=_("Snapshot"), on_delete=models.CASCADE,
                                 related_name="entries")
    assessment = models.OneToOneField("assessments.Assessment", verbose_name=_("Assessment"),
                                      on_delete=models.CASCADE, related_name="benchmark_entry")
    region = models.CharField(_("Region"), max_length=6, blank=True, help_text="GB/T 2260 county code; blank: unknown")
    industry = models.CharField(_("Industry"), max_length=2, blank=True, help_text="GB/T 4754 division; blank: unknown")
    size = models.CharField(_("Size"), max_length=20, blank=True)
    stage = models.PositiveSmallIntegerField(_("Stage"))
    complete = models.BooleanField(_("Complete"))
    vector = models.BinaryField(_("Values"), help_text="big-endian float64 per snapshot column; NaN: not applicable")
    seq = models.BigIntegerField(_("Sequence"))

    class Meta:
        verbose_name = _("benchmark entry")
        verbose_name_plural = _("benchmark entries")
        indexes = [models.Index(fields=["snapshot", "seq"], name="entry_snapshot_seq_idx"),
                   models.Index(fields=["snapshot", "region"], name="entry_snapshot_region_idx")]

    def __str__(self) -> str:
        return f"entry of assessment {self.assessment_id} (seq {self.seq})"
