"""A registered framework version.

The YAML file stays the source of truth; a row records which file (urn, version, sha256) is in
use and keeps its bytes, because assessments, cohorts and certification clauses point at a
version, and a stored score must name the file it came from even after a newer one ships.
"""

from __future__ import annotations

from django.db import models

from ronghe.apps.audit.models import AuditedModel
from ronghe.core.frameworks import Loaded, load_bytes


class FrameworkVersion(AuditedModel):
    urn = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    slug = models.SlugField(max_length=80, help_text="short name, the last part of the urn")
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    standard = models.CharField(max_length=80, blank=True)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=200, help_text="file name it was registered from")
    content = models.BinaryField(help_text="the exact bytes of the YAML file")
    placeholder = models.BooleanField(default=False, help_text="weights/thresholds are defaults")
    n_items = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["urn", "version"], name="framework_urn_version_unique"),
            models.UniqueConstraint(fields=["sha256"], name="framework_sha256_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def loaded(self) -> Loaded:
        """The validated framework from the stored bytes (cached by content in the core)."""
        return load_bytes(bytes(self.content), self.source)
