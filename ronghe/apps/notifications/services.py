"""Telling people: a notification in the site for each recipient, and an e-mail once the change that
caused it is committed (a rolled-back change notifies nobody).

Texts are written in 简体中文 (the platform's language) when the event happens; the e-mail carries
the link back to the page where the person can act.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from ronghe.apps.notifications.models import Notification


def members(*organizations: Any):
    """The people of the given organisations (None skipped): who hears about what happens to them."""
    from django.contrib.auth.models import User

    return User.objects.filter(memberships__organization__in=[o for o in organizations if o is not None]).distinct()


def notify(users: Iterable[Any], verb: str, title: str, body: str = "", url: str = "", *,
           actor: Any = None) -> list[Notification]:
    """Notify each of ``users`` (duplicates, inactive accounts and the ``actor`` who caused the event
    skipped: nobody is told what they have just done themselves); returns the notifications."""
    seen, recipients = {getattr(actor, "pk", None)}, []
    for u in users:
        if u is not None and u.pk not in seen and u.is_active:
            seen.add(u.pk)
            recipients.append(u)
    rows = Notification.objects.bulk_create([Notification(user=u, verb=verb, title=title[:200], body=body,
                                                          url=url[:300]) for u in recipients])
    link = f"{settings.RONGHE_SITE_URL.rstrip('/')}{url}" if url else ""
    messages = [(f"【融合】{title}", f"{body}\n\n{link}".strip(), None, [u.email]) for u in recipients if u.email]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return rows


def unread(user: Any):
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user, read_at=None)


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None); returns how many."""
    qs = unread(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
