"""API tokens: create (the key is returned once), authenticate, revoke."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from ronghe.apps.accounts.models import ApiToken


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns (token, key). The key is not stored and cannot be shown again."""
    key = "rh_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_sha256=_digest(key))
        token.log("api_token.created", user, name=name)
    return token, key


def user_for_key(key: str):
    """The active user owning ``key``, or None."""
    token = ApiToken.objects.select_related("user").filter(key_sha256=_digest(key), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
