"""A registered framework version.

The YAML file stays the source of truth; a row records which file (urn, version, sha256) is in
use and keeps its bytes, because assessments, cohorts and certification clauses point at a
version, and a stored score must name the file it came from even after a newer one ships.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.apps.audit.models import AuditedModel
from ronghe.core.frameworks import Loaded, load_bytes

_LOADED: dict[str, Loaded] = {}


class FrameworkVersion(AuditedModel):
    urn = models.CharField(_("Urn"), max_length=120)
    version = models.PositiveIntegerField(_("Version"))
    slug = models.SlugField(_("Slug"), max_length=80, help_text="short name, the last part of the urn")
    title = models.CharField(_("Title"), max_length=200)
    title_en = models.CharField(_("Title en"), max_length=200, blank=True)
    standard = models.CharField(_("Standard"), max_length=80, blank=True)
    sha256 = models.CharField(_("Sha256"), max_length=64)
    source = models.CharField(_("Source"), max_length=200, help_text="file name it was registered from")
    content = models.BinaryField(_("Content"), help_text="the exact bytes of the YAML file")
    placeholder = models.BooleanField(_("Placeholder"), default=False, help_text="weights/thresholds are defaults")
    n_items = models.PositiveIntegerField(_("N items"), default=0)
    is_active = models.BooleanField(_("Is active"), default=True)

    class Meta:
        verbose_name = _("Framework version")
        verbose_name_plural = _("Framework versions")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["urn", "version"], name="framework_urn_version_unique"),
            models.UniqueConstraint(fields=["sha256"], name="framework_sha256_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def loaded(self) -> Loaded:
        """The validated framework from the stored bytes, cached in this process by their sha256.

        The bytes are read only on the first use in a process: pages that show an assessment fetch
        its framework with ``.defer("framework__content")`` (the file is 100–200 kB, most of the
        row's weight), and a version's bytes never change once registered (the sha256 is unique)."""
        hit = _LOADED.get(self.sha256)
        if hit is None:
            hit = load_bytes(bytes(self.content), self.source)
            if hit.sha256 == self.sha256:
                if len(_LOADED) >= 64:  # a handful of versions exist; never grow without bound
                    _LOADED.clear()
                _LOADED[self.sha256] = hit
        return hit
