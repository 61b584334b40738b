"""Background work of reports: the batch of enterprise diagnosis reports of a jurisdiction, one
PDF per enterprise in one zip, with progress and cancel (checked after each report)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from ronghe import uploads
from ronghe.apps.jobs.registry import Kind, register
from ronghe.apps.jobs.services import save_output


def _batch(job, progress) -> dict:
    from ronghe.apps.reports import services

    params = job.params
    with translation.override(params.get("language")), tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        # the owner's view now, not when submitted
        ids = services.batch_assessments(job.owner, params.get("region"), params["year"], params.get("framework"))
        path = Path(tmp) / "reports.zip"
        n = services.write_batch(ids, path, progress, by=job.owner, via="job",
                                 scope={"region": params.get("region"), "year": params["year"],
                                        "framework": params.get("framework"), "job": job.pk})
        save_output(job, path, _("diagnosis-reports") + f"-{params.get('region') or 'all'}-{params['year']}.zip")
        return {"reports": n, "summary": _("%(n)s diagnosis reports drawn.") % {"n": n}}


register(Kind("reports.batch", run=_batch))
