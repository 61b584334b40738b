"""Background work of organisations: a large export of the enterprise list."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from ronghe import uploads
from ronghe.apps.audit.models import record
from ronghe.apps.jobs.registry import Kind, register
from ronghe.apps.jobs.services import save_output
from ronghe.apps.organizations import services
from ronghe.apps.organizations.models import Organization


def _export(job, progress) -> dict:
    qs = services.enterprise_table(job.owner, **job.params["filters"])
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = services.export_enterprises(qs, Path(tmp) / "enterprises.xlsx", progress)
        save_output(job, path, "企业名单.xlsx")
    rows = qs.count()
    record("export", actor=job.owner, target=Organization, what="enterprises", rows=rows, **job.params["filters"])
    return {"rows": rows, "summary": _("%(n)s enterprises exported.") % {"n": rows}}


register(Kind("organizations.export", run=_export))
