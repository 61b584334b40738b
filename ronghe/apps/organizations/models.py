"""Regions, industries and organisations.

One ``Organization`` table with a ``kind`` rather than four tables: every kind has a name, a
region and members, the access rules switch on the kind, and an authority's jurisdiction is
just its region. Kind-specific requirements live in ``clean()``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache
from ronghe.apps.audit.models import AuditedModel
from ronghe.core.codes import uscc_problem
from ronghe.core.messages import message

PREFIX = {"province": 2, "city": 4, "county": 6}


class Region(models.Model):
    """A GB/T 2260 administrative division; the tree is also encoded in the code itself."""

    code = models.CharField(_("Code"), max_length=6, primary_key=True)
    name = models.CharField(_("Name"), max_length=60)
    level = models.CharField(_("Level"), max_length=10,
                             choices=[("province", _("Province")), ("city", _("City")), ("county", _("County"))])
    parent = models.ForeignKey("self", verbose_name=_("Parent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        """The code prefix every region in this subtree shares: 33 for 浙江省, 3301 for 杭州市."""
        return self.code[: PREFIX[self.level]]


class Industry(models.Model):
    """A GB/T 4754-2017 section (A–T) or division (2 digits)."""

    code = models.CharField(_("Code"), max_length=2, primary_key=True)
    name = models.CharField(_("Name"), max_length=60)
    section = models.CharField(_("Section"), max_length=1)

    class Meta:
        verbose_name = _("Industry")
        verbose_name_plural = _("Industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Organization(AuditedModel):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        CONSULTANCY = "consultancy", _("Consultancy")
        ASSESSMENT_BODY = "assessment_body", _("Assessment body")
        AUTHORITY = "authority", _("Authority")
        COMMITTEE = "committee", _("Assessment committee")  # reviews 评定 conclusions, issues certificates
        PROVIDER = "provider", _("Service provider")  # 服务商: consultancies, vendors, platforms (providers app)

    class Size(models.TextChoices):
        # the size bands of the national assessment platform
        LT300 = "300人以下", "300人以下"
        S300 = "300-1000人", "300-1000人"
        S1000 = "1000-5000人", "1000-5000人"
        S5000 = "5000-10000人", "5000-10000人"
        GT10000 = "10000人以上", "10000人以上"

    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("Region"), null=True, blank=True, on_delete=models.PROTECT,
                               help_text="an enterprise's location; an authority's jurisdiction")
    national = models.BooleanField(_("National"), default=False,
                                   help_text="an authority whose jurisdiction is the whole country")
    industry = models.ForeignKey(Industry, verbose_name=_("Industry"), null=True, blank=True, on_delete=models.PROTECT)
    size = models.CharField(_("Size"), max_length=20, choices=Size.choices, blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "enterprises"  # pages showing enterprises are cached by province (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Organization")
        verbose_name_plural = _("Organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=Q(credit_code__isnull=False),
                                    name="organization_credit_code_unique",
                                    violation_error_message="该统一社会信用代码已被其他组织使用"),
        ]
        indexes = [models.Index(fields=["kind", "region"], name="organization_kind_region_idx"),
                   # the enterprise list, by name: its first page without sorting a province's enterprises
                   models.Index(fields=["kind", "name", "id"], name="organization_kind_name_idx")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._stored_region_id = row.__dict__.get("region_id", "?")  # a move changes the province it left too
        return row

    def cache_parts(self) -> set[str] | None:
        stored = getattr(self, "_stored_region_id", self.region_id)
        if stored == "?" or self.kind != self.Kind.ENTERPRISE:  # where it was is unknown; a provider, say, shows
            return None                                          # on pages of enterprises anywhere
        return {pagecache.province(self.region_id), pagecache.province(stored)}

    def clean(self) -> None:
        errors = {}
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
            problem = uscc_problem(self.credit_code)
            if problem:
                errors["credit_code"] = problem
        if self.kind == self.Kind.ENTERPRISE:
            needed = {"credit_code": self.credit_code, "region": self.region_id, "industry": self.industry_id,
                      "size": self.size}
            for field, value in needed.items():
                if not value:
                    errors.setdefault(field, message("organization.needed"))
        if self.kind == self.Kind.AUTHORITY and not self.national and not self.region_id:
            errors["region"] = message("organization.jurisdiction")
        if errors:
            raise ValidationError(errors)


class AccessGrant(AuditedModel):
    """An enterprise lets a consultancy see and fill in its assessments, until revoked."""

    enterprise = models.ForeignKey(Organization, verbose_name=_("Enterprise"), on_delete=models.CASCADE,
                                   related_name="grants_given")
    consultancy = models.ForeignKey(Organization, verbose_name=_("Consultancy"), on_delete=models.CASCADE,
                                    related_name="grants_received")
    granted_by = models.ForeignKey("auth.User", verbose_name=_("Granted by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "people"  # who sees which enterprise

    class Meta:
        verbose_name = _("Access grant")
        verbose_name_plural = _("Access grants")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "consultancy"], condition=Q(revoked_at__isnull=True),
                                    name="access_grant_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.consultancy}"
