"""Background work of regional evaluations: the rank-uncertainty Monte Carlo split into parts of
runs across workers. Run r draws the r-th sample of the seed's stream whichever worker computes it
(``sensitivity.run_ranks``), so the parts put together give exactly what one process gives."""

from __future__ import annotations

import io
import json
import math

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from ronghe.apps.jobs.registry import JobFailed, Kind, register
from ronghe.apps.jobs.services import local_inputs, part_name
from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import services
from ronghe.core.index import definition as definitions
from ronghe.core.index.data import Panel
from ronghe.core.index.sensitivity import nominal_rank, options, prepare, run_ranks, summarise


def _authority(job) -> Organization:
    authority = Organization.objects.filter(pk=job.params["authority"], kind=Organization.Kind.AUTHORITY,
                                            memberships__user=job.owner).first()
    if authority is None:
        raise JobFailed(_("you no longer act for this authority"))
    return authority


def _save(name: str, data: bytes) -> None:
    default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def _load(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def _plan(job, progress) -> int:
    progress(0, None, _("reading the data"))
    with local_inputs(job) as paths:
        c = services.compute(_authority(job), job.params["definition"], paths,
                             use_assessments=job.params.get("use_assessments", True))
    buf = io.BytesIO()
    np.save(buf, c.panel.X, allow_pickle=False)
    _save(part_name(job, 0, ".panel.npy"), buf.getvalue())
    _save(part_name(job, 0, ".computed.json"), json.dumps({
        "years": c.panel.years, "regions": c.panel.regions, "indicators": c.panel.indicators,
        "sha256": c.loaded.sha256, "results": c.results}, ensure_ascii=False).encode())
    runs = job.params["runs"]
    progress(0, runs, _("Monte Carlo of the ranks"))
    return math.ceil(runs / settings.RONGHE_JOB_CHUNK_RUNS)


def _computed(job) -> services.Computed:
    meta = json.loads(_load(part_name(job, 0, ".computed.json")))
    X = np.load(io.BytesIO(_load(part_name(job, 0, ".panel.npy"))), allow_pickle=False)
    loaded = definitions.load(definitions.shipped()[job.params["definition"]])
    if loaded.sha256 != meta["sha256"]:
        raise JobFailed(_("the index definition changed while the job ran; run it again"))
    panel = Panel(meta["years"], meta["regions"], meta["indicators"], X)
    return services.Computed(_authority(job), job.params["definition"], loaded, panel, meta["results"])


def _part(job, k: int, progress) -> None:
    c = _computed(job)
    d = c.loaded.definition
    size = settings.RONGHE_JOB_CHUNK_RUNS
    start, stop = k * size, min((k + 1) * size, job.params["runs"])
    chosen = options(d, **job.params.get("analysis", {}))
    p = prepare(d, c.panel, c.year, **chosen.arguments())
    ranks = run_ranks(p, chosen.weights, job.params.get("seed", 0), start, stop)
    buf = io.BytesIO()
    np.save(buf, ranks, allow_pickle=False)
    _save(part_name(job, k, ".ranks.npy"), buf.getvalue())
    progress(stop - start, None)


def _merge(job, progress) -> dict:
    c = _computed(job)
    ranks = np.hstack([np.load(io.BytesIO(_load(part_name(job, k, ".ranks.npy"))), allow_pickle=False)
                       for k in range(job.parts_total)])
    u = summarise(c.panel.regions, nominal_rank(c.loaded.definition, c.panel, c.year), ranks)
    u.varied = options(c.loaded.definition, **job.params.get("analysis", {})).table(c.loaded.definition)
    analysis = {**services.NO_ANALYSIS, **job.params.get("analysis", {})}
    services.sensitivity_results(c, analysis, {**job.params.get("sensitivity", {}), "seed": job.params.get("seed", 0)},
                                 job.params["runs"])
    ev = services.store(c, u, title=job.params.get("title", ""), by=job.owner)
    return {"evaluation": ev.pk, "url": reverse("regions:detail", args=[ev.pk]),
            "summary": _("%(regions)s regions, %(runs)s Monte Carlo runs.") % {"regions": len(c.panel.regions),
                                                                                 "runs": u.runs}}


register(Kind("regions.evaluation", plan=_plan, run_part=_part, merge=_merge))
