"""The service-provider catalogue (服务商): providers, their offerings tagged with the framework
indicators they improve, and service requests from enterprises.

- A :class:`Provider` is the catalogue entry of an organisation of kind ``provider``: a consultancy,
  a solution vendor, an industrial-internet platform or a 工业云 platform.
- An :class:`Offering` is one product or service: what it improves (:class:`OfferingTag`: a node of a
  framework, an indicator or an aspect), where (regions, or nationwide) and for whom (industries, or
  all), its references and its price where public.
- A :class:`ServiceRequest` is an enterprise's request to a provider about an offering; its ``state``
  follows ``REQUEST`` in ``ronghe.core.providers.lifecycle`` and changes only in ``services.py``. The
  enterprise's diagnosis travels with it only when the enterprise chooses to send it (a snapshot in
  ``shared_diagnosis``; the provider never gets access to the assessment itself).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache
from ronghe.apps.audit.models import AuditedModel, LifecycleModel
from ronghe.core.providers.lifecycle import REQUEST


class Provider(AuditedModel):
    class Category(models.TextChoices):
        CONSULTANCY = "consultancy", _("Consultancy")
        SOLUTION = "solution", _("Solution vendor")
        PLATFORM = "platform", _("Industrial internet platform")
        CLOUD = "cloud", _("Industrial cloud platform")

    organization = models.OneToOneField("organizations.Organization", verbose_name=_("Organisation"),
                                        on_delete=models.PROTECT, related_name="provider")
    category = models.CharField(_("Category"), max_length=20, choices=Category.choices)
    summary = models.TextField(_("Summary"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    contact = models.CharField(_("Public contact"), max_length=200, blank=True)
    listed = models.BooleanField(_("Listed"), default=True, help_text="shown in the catalogue")

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "providers"  # the providers panel of result pages (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Service provider")
        verbose_name_plural = _("Service providers")
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return self.organization.name


class Offering(AuditedModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        PRODUCT = "product", _("Product")
        PLATFORM = "platform", _("Platform")

    provider = models.ForeignKey(Provider, verbose_name=_("Provider"), on_delete=models.CASCADE,
                                 related_name="offerings")
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    summary = models.TextField(_("Summary"), blank=True)
    nationwide = models.BooleanField(_("Nationwide"), default=False)
    regions = models.ManyToManyField("organizations.Region", verbose_name=_("Regions served"), blank=True,
                                     related_name="+", help_text="a province or city serves its whole area")
    industries = models.ManyToManyField("organizations.Industry", verbose_name=_("Industries served"), blank=True,
                                        related_name="+", help_text="none: every industry")
    references = models.TextField(_("References"), blank=True, help_text="reference customers and cases")
    price_from = models.DecimalField(_("Price from"), max_digits=12, decimal_places=2, null=True, blank=True,
                                     help_text="10,000 yuan (万元), where public")
    price_to = models.DecimalField(_("Price to"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_note = models.CharField(_("Price note"), max_length=200, blank=True)
    listed = models.BooleanField(_("Listed"), default=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "providers"  # the providers panel of result pages (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Offering")
        verbose_name_plural = _("Offerings")
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name


class OfferingTag(models.Model):
    """A framework node (indicator or aspect) an offering improves."""

    offering = models.ForeignKey(Offering, verbose_name=_("Offering"), on_delete=models.CASCADE, related_name="tags")
    framework = models.SlugField(_("Framework"), max_length=80)
    node = models.CharField(_("Indicator"), max_length=40)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "providers"  # the providers panel of result pages (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Indicator tag")
        verbose_name_plural = _("Indicator tags")
        constraints = [models.UniqueConstraint(fields=["offering", "framework", "node"], name="offering_tag_unique")]
        indexes = [models.Index(fields=["framework", "node"], name="offering_tag_node_idx")]

    def __str__(self) -> str:
        return f"{self.framework}:{self.node}"


class ServiceRequest(LifecycleModel):
    SERVED = ("engaged", "completed", "rated")
    """States in which the provider has served (or is serving) the enterprise."""

    enterprise = models.ForeignKey("organizations.Organization", verbose_name=_("Enterprise"),
                                   on_delete=models.PROTECT, related_name="service_requests")
    provider = models.ForeignKey("organizations.Organization", verbose_name=_("Provider"), on_delete=models.PROTECT,
                                 related_name="requests_received")
    offering = models.ForeignKey(Offering, verbose_name=_("Offering"), on_delete=models.PROTECT,
                                 related_name="requests")
    assessment = models.ForeignKey("assessments.Assessment", verbose_name=_("From the diagnosis of"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    shared_diagnosis = models.JSONField(_("Diagnosis sent"), default=dict, blank=True,
                                        help_text="what the enterprise chose to send; empty if nothing")
    message = models.TextField(_("Message"))
    answer = models.TextField(_("Answer"), blank=True)
    reason = models.TextField(_("Reason"), blank=True)
    state = models.CharField(_("State"), max_length=20, choices=REQUEST.choices(), default=REQUEST.initial,
                             editable=False)
    rating = models.PositiveSmallIntegerField(_("Rating"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    review = models.TextField(_("Review"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "providers"  # the providers panel of result pages (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Service request")
        verbose_name_plural = _("Service requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "state"], name="request_provider_state_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.provider}: {self.offering}"

    @property
    def state_label(self) -> str:
        return REQUEST.label(self.state, get_language() or "zh-hans")
