"""Running and publishing evaluations; the computation is ``ronghe.core.index``, as in the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions.models import Evaluation
from ronghe.core.errors import AnswerError, AnswerFileError, RongheError
from ronghe.core.index import definition as definitions
from ronghe.core.index import outputs
from ronghe.core.index.checks import check_panel
from ronghe.core.index.data import Panel, read_panels, region_name
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import Uncertainty, options, uncertainty


class EvaluationError(RongheError):
    pass


def available_definitions() -> list[tuple[str, str]]:
    """The index definitions an authority may run, as (short name, title): the shipped ones.

    A run names its definition from this list; a path or an unknown name is refused, so no request
    can make the server open a file of its choosing.
    """
    return [(name, definitions.load(path).definition.name.zh) for name, path in definitions.shipped().items()]


def _jurisdiction(panel: Panel, authority: Organization) -> Panel:
    """The panel restricted to the authority's sub-regions (national: everything)."""
    if authority.national:
        return panel
    prefix = authority.region.prefix
    keep = [i for i, r in enumerate(panel.regions) if r.startswith(prefix) and r != authority.region_id]
    return Panel(panel.years, [panel.regions[i] for i in keep], panel.indicators, panel.X[:, keep, :])


def _unknown_codes(codes: list[str]) -> list[str]:
    """Findings for codes absent from the loaded GB/T 2260 table (when the table is loaded)."""
    from ronghe.apps.organizations.models import Region

    if not Region.objects.exists():
        return []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    return [f"region {c}: not a GB/T 2260 code in the loaded division table" for c in codes if c not in known]


@dataclass
class Computed:
    """An evaluation computed but not yet stored: the definition, the jurisdiction's panel and the
    nominal results (everything but the rank uncertainty, which may be computed in parts)."""

    authority: Organization
    name: str
    loaded: definitions.LoadedDefinition
    panel: Panel
    results: dict[str, Any]

    @property
    def year(self) -> int:
        return self.panel.years[-1]


def compute(authority: Organization, definition_name: str, data_paths: list[Path]) -> Computed:
    """Read the data (bounded by the upload limits), keep the authority's sub-regions and compute the
    index. ``definition_name`` must be one of :func:`available_definitions`."""
    from ronghe import uploads

    if definition_name not in dict(available_definitions()):
        raise EvaluationError(_("There is no index definition named %(name)s.") % {"name": definition_name[:100]})
    loaded = definitions.load(definitions.shipped()[definition_name])
    d = loaded.definition
    panel = _jurisdiction(read_panels(data_paths, [i.id for i in d.indicators], uploads.limits()), authority)
    if len(panel.regions) < 2:
        raise AnswerFileError([AnswerError(0, "region", None, _("the data holds fewer than two regions of your "
                                                                "jurisdiction"), code="data.too_few_regions")])
    result = IndexPipeline.from_definition(d).run(panel)
    ranks = outputs.ranks(result.total)
    cats = [n.id for n in d.nodes if n.parent == d.total]
    names = {n.id: n.name.zh for n in d.nodes}

    def clean(a: np.ndarray) -> list:
        return [[None if np.isnan(v) else round(float(v), 2) for v in row] for row in a]

    results = {
        "years": panel.years, "regions": panel.regions, "names": [region_name(r) for r in panel.regions],
        "total": clean(result.total), "ranks": ranks.tolist(), "rank_changes": outputs.rank_changes(ranks).tolist(),
        "tiers": outputs.tiers(result.total, d.tiers).tolist(),
        "categories": [{"id": c, "name": names[c], "values": clean(result.node(c))} for c in cats],
        "growth": clean(outputs.growth(result.total)),
        "cagr_pct": [None if np.isnan(v) else round(float(v) * 100, 2) for v in
                     outputs.cagr(result.total[0], result.total[-1], max(len(panel.years) - 1, 1))],
        "zones": [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in z.items()}
                  for z in outputs.zone_summary(result.total, panel.regions, panel.years).round(2).to_dict("records")],
        "checks": check_panel(panel).findings + _unknown_codes(panel.regions),
    }
    return Computed(authority, definition_name, loaded, panel, results)


def check_analysis(definition_name: str, analysis: dict[str, Any]) -> None:
    """Refuse analysis options the definition cannot take (a weight perturbation ≥ 1, a method it
    cannot apply), with the core's reason in the user's language, before any data is read."""
    if definition_name not in dict(available_definitions()):
        raise EvaluationError(_("There is no index definition named %(name)s.") % {"name": definition_name[:100]})
    options(definitions.load(definitions.shipped()[definition_name]).definition, **analysis)


def store(c: Computed, u: Uncertainty, *, title: str = "", by: Any = None) -> Evaluation:
    """Keep a computed evaluation, with its rank uncertainty and what the analysis varied, as a
    draft of its authority."""
    d = c.loaded.definition
    if u.varied is not None:
        c.results = {**c.results, "analysis": u.varied.to_dict("records")}
    long = c.panel.long().dropna(subset=["value"])
    with transaction.atomic():
        ev = Evaluation.objects.create(
            authority=c.authority, title=title or f"{c.authority.name} {c.year} {d.name.zh}",
            definition_slug=d.name_slug, definition_sha256=c.loaded.sha256,
            definition_content=definitions.shipped()[c.name].read_bytes(), year=c.year,
            data=long.to_dict("records"), results=c.results, uncertainty=u.table.to_dict("records"))
        ev.log("evaluation.run", by, regions=len(c.panel.regions), year=c.year, runs=u.runs)
    return ev


def run_evaluation(authority: Organization, definition_name: str, data_paths: list[Path], *, title: str = "",
                   runs: int = 1000, by: Any = None, analysis: dict[str, Any] | None = None) -> Evaluation:
    """Compute the index for the authority's sub-regions in the data, with ``runs`` Monte Carlo runs
    of rank uncertainty, and store it as a draft (in one process; large runs go to a job, ``jobs.py``).
    ``analysis``: weights / normalisations / aggregations as :func:`ronghe.core.index.sensitivity.options`
    takes them (None: the definition's)."""
    c = compute(authority, definition_name, data_paths)
    return store(c, uncertainty(c.loaded.definition, c.panel, c.year, runs=runs, **(analysis or {})), title=title,
                 by=by)


def publish(ev: Evaluation, *, by: Any = None) -> Evaluation:
    """Freeze the evaluation and give it the next version number of its authority, definition and year."""
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
        if ev.status == Evaluation.Status.PUBLISHED:
            raise EvaluationError(_("The evaluation is already published."))
        last = Evaluation.objects.filter(authority=ev.authority, definition_slug=ev.definition_slug, year=ev.year,
                                         status=Evaluation.Status.PUBLISHED).aggregate(v=Max("version"))["v"] or 0
        ev.status, ev.version, ev.published_at = Evaluation.Status.PUBLISHED, last + 1, timezone.now()
        ev.save(update_fields=["status", "version", "published_at", "updated_at"])
        ev.log("evaluation.published", by, version=ev.version)
    return ev


def visible_evaluations(user):
    """Published evaluations for everyone; drafts for the owning authority's members and staff."""
    from django.db.models import Q

    qs = Evaluation.objects.select_related("authority")
    if user.is_authenticated and user.is_staff:
        return qs
    own = [m.organization_id for m in user.memberships.all()] if user.is_authenticated else []
    return qs.filter(Q(status=Evaluation.Status.PUBLISHED) | Q(authority_id__in=own))


def owns(user, ev: Evaluation) -> bool:
    """Whether ``user`` is a member of the authority that ran ``ev`` (who may publish it)."""
    return user.is_authenticated and user.memberships.filter(organization_id=ev.authority_id).exists()


def ranking(ev: Evaluation) -> list[dict[str, Any]]:
    """The stored ranking of the evaluated year, best first, one row per region: names, never bare
    codes (a code absent from the province table keeps its code as its name)."""
    r = ev.results
    latest = len(r["years"]) - 1
    unc = {u["region"]: u for u in ev.uncertainty}
    rows = []
    for i, code in enumerate(r["regions"]):
        u = unc.get(code, {})
        rows.append({"region": code, "name": r["names"][i], "rank": r["ranks"][latest][i],
                     "total": r["total"][latest][i], "tier": r["tiers"][latest][i],
                     "rank_change": r["rank_changes"][latest][i], "growth": r["growth"][latest][i],
                     "cagr_pct": r["cagr_pct"][i],
                     **{c["id"]: c["values"][latest][i] for c in r["categories"]},
                     "mean_rank": u.get("mean_rank"), "median_rank": u.get("median_rank"),
                     "rank_p05": u.get("rank_p05"), "rank_p95": u.get("rank_p95")})
    return sorted(rows, key=lambda x: x["rank"] or 10**6)


def export_frames(ev: Evaluation) -> dict[str, Any]:
    """The evaluation as tables for an .xlsx: ranking of the evaluated year, every year's totals,
    zone comparison, rank uncertainty, data checks and the indicator values used."""
    import pandas as pd

    r = ev.results
    names = {c["id"]: f"{c['id']} {c['name']}" for c in r["categories"]}
    ranking_frame = pd.DataFrame(ranking(ev)).rename(columns=names)
    years = pd.DataFrame([{"year": y, "region": code, "name": r["names"][i], "total": r["total"][t][i],
                           "rank": r["ranks"][t][i], "tier": r["tiers"][t][i]}
                          for t, y in enumerate(r["years"]) for i, code in enumerate(r["regions"])])
    return {_("Ranking"): ranking_frame, _("By year"): years, _("Zones"): pd.DataFrame(r["zones"]),
            _("Rank uncertainty"): pd.DataFrame(ev.uncertainty),
            _("Data checks"): pd.DataFrame({"finding": r["checks"]}),
            _("Data"): pd.DataFrame(ev.data)}


def export_xlsx(ev: Evaluation, *, by: Any = None) -> bytes:
    """The evaluation as an .xlsx workbook (one sheet per table of :func:`export_frames`); the
    download is written to the audit log."""
    import tempfile

    from ronghe.core.io.tables import write_tables

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "evaluation.xlsx"
        write_tables(path, export_frames(ev))
        content = path.read_bytes()
    ev.log("evaluation.exported", by)
    return content
