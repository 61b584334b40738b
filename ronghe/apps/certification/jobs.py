"""Background work of 评定: the daily run that records expiries and tells bodies of overdue
surveillance audits. It is a scheduled kind (``RONGHE_CERT_DAILY_SCHEDULE``), submitted by
``manage.py scheduler`` and run by whichever task backend is configured; it is safe to run twice on
a day (each certificate expires once, each overdue surveillance is announced once)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from ronghe.apps.certification import services
from ronghe.apps.jobs.registry import Kind, register


def _daily(job, progress) -> dict:
    expired = services.expire_certificates(progress=progress)
    overdue = services.announce_overdue_surveillance(progress=progress)
    return {"expired": expired, "surveillance_overdue": overdue,
            "summary": _("%(expired)s certificates expired; %(overdue)s overdue surveillance audits announced.")
            % {"expired": expired, "overdue": overdue}}


DAILY = register(Kind("certification.daily", run=_daily, schedule=settings.RONGHE_CERT_DAILY_SCHEDULE))
