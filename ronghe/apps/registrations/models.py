"""An enterprise's self-registration, waiting for the authority of its region.

A registration is its own concept (not an invitation, not yet an organisation): the applicant's
user exists from the start but is inactive, and the organisation, its manager membership and the
active account come into being only when the authority approves. States: ``pending`` →
``approved`` | ``rejected``; only :mod:`ronghe.apps.registrations.services` changes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache
from ronghe.apps.audit.models import LifecycleModel


class Registration(LifecycleModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    state = models.CharField(_("State"), max_length=10, choices=State.choices, default=State.PENDING)
    name = models.CharField(_("Name"), max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    region = models.ForeignKey("organizations.Region", verbose_name=_("Region"), on_delete=models.PROTECT,
                               related_name="+")
    industry = models.ForeignKey("organizations.Industry", verbose_name=_("Industry"), on_delete=models.PROTECT,
                                 related_name="+")
    size = models.CharField(_("Size"), max_length=20)
    contact_name = models.CharField(_("Contact person"), max_length=50)
    email = models.EmailField(_("Email"))
    phone = models.CharField(_("Phone"), max_length=20)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
                                related_name="registration")
    authority = models.ForeignKey("organizations.Organization", verbose_name=_("Authority"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="registrations_to_decide",
                                  help_text="the desk that decides: the lowest authority covering the region")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("Organization"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+",
                                     help_text="the enterprise created on approval")
    reason = models.TextField(_("Reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "registrations"  # the header's waiting badge (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Registration")
        verbose_name_plural = _("Registrations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=Q(state="pending"),
                                    name="registration_one_pending_per_credit_code",
                                    violation_error_message="该统一社会信用代码已有待审核的注册申请"),
        ]
        indexes = [models.Index(fields=["authority", "state"], name="registration_desk_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"
