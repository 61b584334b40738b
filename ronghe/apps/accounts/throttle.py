"""Login throttling for every login form, and rate limits of public forms (registration, password
reset, certificate look-up), shared by every server process through the cache.

Failures are counted per (user name, address), 5 within 15 minutes lock that pair, and per user
name alone, 20 from any addresses lock the name (a guess spread over many addresses). The count
lives in Django's cache, which settings make shared (the database by default, Redis when
configured), so a second server process sees the same lock. Failures are counted from Django's
``user_login_failed`` signal, so any form that calls ``authenticate()`` counts; the authentication
backend refuses a locked name whatever form asked, and the forms say why (see ``forms.py``).
"""

from __future__ import annotations

import hashlib
import time

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

PAIR_LIMIT = 5
NAME_LIMIT = 20
LOCK_SECONDS = 15 * 60


def address(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]


def keys(username: str, request) -> tuple[str, str]:
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    pair = hashlib.sha256(f"{name}|{address(request)}".encode()).hexdigest()[:32]
    return f"login-fail:pair:{pair}", f"login-fail:name:{name}"


def is_locked(username: str, request) -> bool:
    pair, name = keys(username, request)
    counts = cache.get_many([pair, name])
    return counts.get(pair, 0) >= PAIR_LIMIT or counts.get(name, 0) >= NAME_LIMIT


def record_failure(username: str, request) -> None:
    for key in keys(username, request):
        if not cache.add(key, 1, LOCK_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, LOCK_SECONDS)


def clear(username: str, request) -> None:
    cache.delete(keys(username, request)[0])


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing a locked user name before the password is even checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username, request):
            raise PermissionDenied("too many failed logins")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of a request, from the shared cache (``access.identity``: with its roles, so
        a page's checks ask the database nothing about who is asking)."""
        from ronghe.apps.accounts import access

        try:
            user = access.identity(int(user_id))["user"]
        except (TypeError, ValueError, OverflowError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


def allow(request, bucket: str, rate: str) -> bool:
    """Count one use of ``bucket`` by the request's client address; False once the window's
    allowance is spent. ``rate`` is "count/seconds" (e.g. "30/60"), in a fixed window."""
    count, seconds = (int(x) for x in rate.split("/"))
    window = int(time.time() // seconds)
    client = hashlib.sha256(address(request).encode()).hexdigest()[:32]
    key = f"rate:{bucket}:{client}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        n = 1
    return n <= count
