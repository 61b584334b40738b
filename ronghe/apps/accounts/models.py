"""A user acts for an organisation through a membership; platform administrators are ``is_staff``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache
from ronghe.apps.audit.models import AuditedModel


class Membership(AuditedModel):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
                             related_name="memberships")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("Organization"),
                                     on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField(_("Role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "people"  # a user's roles and jurisdiction (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Membership")
        verbose_name_plural = _("Memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def token_part(key_sha256: str) -> str:
    """A token's part of the ``tokens`` cache topic."""
    return f"k{key_sha256[:16]}"


class ApiToken(AuditedModel):
    """A bearer token for integrations. Only the SHA-256 of the key is stored; the key is shown
    once, when created (``manage.py api_tokens create`` or the tokens page). A token ends when it
    expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("Name"), max_length=100)
    key_sha256 = models.CharField(_("Key sha256"), max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("Last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Expires at"))
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "tokens"  # a request's token is read from the cache (services.user_for_key), each by its key

    def cache_parts(self) -> set[str]:
        return {token_part(self.key_sha256)}

    @staticmethod
    def cache_parts_of(tokens) -> set[str]:
        return {token_part(digest) for digest in tokens.values_list("key_sha256", flat=True)}

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()


class Invitation(AuditedModel):
    """An invitation to join an organisation, sent by e-mail as a signed link valid for 7 days."""

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("Organization"),
                                     on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField(_("Email"))
    role = models.CharField(_("Role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Invited by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Accepted by"), null=True, blank=True,
                                    on_delete=models.SET_NULL,
                                    related_name="+")
    accepted_at = models.DateTimeField(_("Accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Invitation")
        verbose_name_plural = _("Invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
