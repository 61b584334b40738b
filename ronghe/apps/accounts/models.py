"""A user acts for an organisation through a membership; platform administrators are ``is_staff``."""

from django.conf import settings
from django.db import models

from ronghe.apps.audit.models import AuditedModel


class Membership(AuditedModel):
    class Role(models.TextChoices):
        MEMBER = "member", "成员"
        MANAGER = "manager", "管理员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class ApiToken(AuditedModel):
    """A bearer token for integrations. Only the SHA-256 of the key is stored; the key is shown
    once, when created (``manage.py api_tokens create`` or the tokens page). A token ends when it
    expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_sha256 = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()


class Invitation(AuditedModel):
    """An invitation to join an organisation, sent by e-mail as a signed link valid for 7 days."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
