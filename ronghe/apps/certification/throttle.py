"""Rate limit of the public certificate look-up (page and API), shared by every server process.

Each client address may make ``RONGHE_VERIFY_RATE`` look-ups ("count/seconds", default 30 per 60 s)
in a fixed window, counted by the accounts app's shared limiter (``accounts.throttle.allow``).
"""

from __future__ import annotations

from django.conf import settings

from ronghe.apps.accounts import throttle


def allow(request) -> bool:
    """Count one look-up by the request's client; False once the window's allowance is spent."""
    return throttle.allow(request, "verify", settings.RONGHE_VERIFY_RATE)
