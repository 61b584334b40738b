"""API tokens (create — the key is returned once —, authenticate, list, revoke) and invitations."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.apps.accounts.models import ApiToken, token_part


class TokenError(Exception):
    """A token cannot be created as asked (no name, a lifetime out of bounds)."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: Any, name: str, *, days: int | None = None, by: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid ``days`` (default ``RONGHE_API_TOKEN_DAYS``); returns
    (token, key). The key is not stored and cannot be shown again."""
    name = name.strip()
    days = settings.RONGHE_API_TOKEN_DAYS if days is None else days
    if not name or len(name) > 100 or "\x00" in name:
        raise TokenError(_("Name the token (1–100 characters), e.g. after the program that will use it."))
    if not 1 <= days <= 3650:
        raise TokenError(_("A token is valid for 1 to 3650 days."))
    key = "rh_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_sha256=_digest(key),
                                        expires_at=timezone.now() + datetime.timedelta(days=days))
        token.log("api_token.created", by or user, name=name, user=user.get_username(), days=days)
    return token, key


# "Last used" is kept to the minute: writing it on every call made every API read a database write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def user_for_key(key: str):
    """The active user owning ``key`` while the token is neither revoked nor expired, or None.

    Every API request asks this: the token is read from the shared cache under its version (bumped by
    every write of the token: revoked, deleted, its last use), its user from ``access.identity``."""
    from ronghe import pagecache
    from ronghe.apps.accounts import access

    if not key or len(key) > 200:
        return None
    digest = _digest(key)
    token = pagecache.cached("token", (digest,), lambda: ApiToken.objects.filter(
        key_sha256=digest, revoked_at=None).values("pk", "user_id", "expires_at", "last_used_at").first(),
        tokens={token_part(digest)})
    now = timezone.now()
    if token is None or token["expires_at"] <= now:
        return None
    user = access.identity(token["user_id"])["user"]
    if user is None or not user.is_active:
        return None
    if token["last_used_at"] is None or now - token["last_used_at"] >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token["pk"]).update(last_used_at=now)
    return user


def tokens_of(user: Any):
    """The user's tokens, newest first (revoked and expired ones included, marked by their dates)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def revoke_token(token: ApiToken, *, by: Any = None) -> ApiToken:
    """End a token now (idempotent); the revocation is in the audit log."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
            token.log("api_token.revoked", by, name=token.name, user=token.user.get_username())
    return token


# --------------------------------------------------------------------------- invitations
INVITATION_MAX_AGE = 7 * 24 * 3600
_SALT = "ronghe.invitation"


class InvitationError(Exception):
    """The acceptance cannot go through (user name taken, weak password …)."""


def invitable_organizations(user):
    """Organisations ``user`` may invite people to: any (staff); an authority's own organisation
    and the enterprises in its jurisdiction (authority managers)."""
    from ronghe.apps.accounts.access import enterprises_for_user
    from ronghe.apps.organizations.models import Organization

    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.all()
    authorities = _managed_authorities(user)
    if not authorities:
        return Organization.objects.none()
    return Organization.objects.filter(pk__in=[a.pk for a in authorities]) | Organization.objects.filter(
        pk__in=enterprises_for_user(user).values("pk"))


def may_invite(user) -> bool:
    """Whether :func:`invitable_organizations` has any (its authorities are in it), without a query
    beyond the user's memberships: every page's navigation asks."""
    return user.is_authenticated and (user.is_staff or bool(_managed_authorities(user)))


def _managed_authorities(user) -> list:
    from ronghe.apps.accounts.access import memberships
    from ronghe.apps.organizations.models import Organization

    return [m.organization for m in memberships(user)
            if m.organization.kind == Organization.Kind.AUTHORITY and m.role == "manager"]


def invite(organization, email: str, role: str, *, by: Any, base_url: str):
    """Record an invitation and e-mail its signed link; returns the invitation."""
    from django.core import signing
    from django.core.exceptions import ValidationError
    from django.core.mail import send_mail
    from django.core.validators import validate_email

    from ronghe.apps.accounts.models import Invitation, Membership

    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvitationError(_("%(email)s is not an e-mail address.") % {"email": email[:100]}) from exc
    if role not in Membership.Role.values:
        raise InvitationError(_("Unknown role."))
    with transaction.atomic():
        inv = Invitation.objects.create(organization=organization, email=email, role=role, invited_by=by)
        inv.log("invitation.sent", by, email=email, role=role)
        token = signing.TimestampSigner(salt=_SALT).sign(str(inv.pk))
        link = f"{base_url.rstrip('/')}/accounts/invite/{token}/"
        subject = _("【融合】Invitation to join %(organization)s") % {"organization": organization.name}
        body = _("Open this link to set up your account (valid for 7 days):\n%(link)s\n") % {"link": link}
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return inv


def invitation_for_token(token: str):
    """The open invitation a link names, or None when it is forged, expired or already used."""
    invitation, state = invitation_state(token)
    return invitation if state == "open" else None


def invitation_state(token: str):
    """(invitation, state) for a link: ``open``; ``expired`` (older than 7 days) or ``used`` — with
    the invitation, so the page can say whom to ask —; ``unknown`` (forged or deleted) with None."""
    from django.core import signing

    from ronghe.apps.accounts.models import Invitation

    signer = signing.TimestampSigner(salt=_SALT)
    state = "open"
    try:
        pk = signer.unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        pk, state = signer.unsign(token), "expired"
    except signing.BadSignature:
        return None, "unknown"
    if not str(pk).isdigit():
        return None, "unknown"
    invitation = Invitation.objects.filter(pk=int(pk)).select_related("organization", "invited_by").first()
    if invitation is None:
        return None, "unknown"
    if invitation.accepted_at is not None:
        state = "used"
    return invitation, state


def accept(invitation, username: str, password: str):
    """Create the user and the membership the invitation offers."""
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from ronghe.apps.accounts.models import Membership
    from ronghe.apps.accounts.validators import validate_username

    username = username.strip()
    try:
        validate_username(username)
    except ValidationError as exc:
        raise InvitationError(" ".join(exc.messages)) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise InvitationError(_("This user name is taken; choose another."))
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvitationError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user = User.objects.create_user(username, email=invitation.email, password=password)
        Membership.objects.create(user=user, organization=invitation.organization, role=invitation.role)
        invitation.accepted_by, invitation.accepted_at = user, timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at", "updated_at"])
        invitation.log("invitation.accepted", user)
        if invitation.invited_by is not None:
            from ronghe.apps.notifications.services import notify

            notify([invitation.invited_by], "invitation.accepted",
                   _("%(email)s joined %(organization)s") % {"email": invitation.email,
                                                              "organization": invitation.organization.name},
                   _("User name: %(username)s") % {"username": username})
    return user


def log_password_change(user: Any, *, by: Any, reset: bool = False) -> None:
    """Put a password change (by the user, or through an e-mailed reset link) in the audit log;
    the password itself is never recorded."""
    from django.contrib.auth import get_user_model

    from ronghe.apps.audit.models import record

    record("password.reset" if reset else "password.changed", actor=by, target=get_user_model(),
           object_id=str(user.pk), object_repr=user.get_username())
