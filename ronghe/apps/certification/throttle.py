"""Rate limit of the public certificate look-up (page and API), shared by every server process.

Each client address may make ``RONGHE_VERIFY_RATE`` look-ups ("count/seconds", default 30 per 60 s)
in a fixed window. The count lives in Django's cache, which settings make shared across processes
(the database by default, Redis when configured), like the login throttle.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from ronghe.apps.accounts.throttle import address


def rate() -> tuple[int, int]:
    """(look-ups allowed, window in seconds) from ``RONGHE_VERIFY_RATE``."""
    count, seconds = settings.RONGHE_VERIFY_RATE.split("/")
    return int(count), int(seconds)


def allow(request) -> bool:
    """Count one look-up by the request's client; False once the window's allowance is spent."""
    limit, seconds = rate()
    window = int(time.time() // seconds)
    client = hashlib.sha256(address(request).encode()).hexdigest()[:32]
    key = f"verify:{client}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        n = 1
    return n <= limit
