"""Background work of benchmarking: the full recompute of the snapshot (``benchmark_recompute
--background``), which reads every stored score and writes in one transaction at the end."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ronghe.apps.benchmarking import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.jobs.registry import Kind, register


def _recompute(job, progress) -> dict:
    framework = FrameworkVersion.objects.get(pk=job.params["framework"]) if job.params.get("framework") else None
    written = services.recompute(framework, job.params.get("year"), progress=lambda done, total: progress(done, total))
    rows = sum(written.values())
    return {"rows": rows, "snapshots": len(written),
            "summary": _("%(n)s scored assessments in the benchmark snapshot.") % {"n": rows}}


register(Kind("benchmarking.recompute", run=_recompute))
