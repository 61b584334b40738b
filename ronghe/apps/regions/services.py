"""Running and publishing evaluations; the computation is ``ronghe.core.index``, as in the CLI."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import samples
from ronghe.apps.regions.models import Evaluation
from ronghe.core.errors import AnswerError, AnswerFileError, RongheError
from ronghe.core.index import definition as definitions
from ronghe.core.index import outputs
from ronghe.core.index.checks import check_panel
from ronghe.core.index.data import Panel, read_panels, region_name
from ronghe.core.index.enterprise import indicators_from_assessments
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import Uncertainty, options, run_frames, sobol, uncertainty


class EvaluationError(RongheError):
    pass


def available_definitions() -> list[tuple[str, str]]:
    """The index definitions an authority may run, as (short name, title): the shipped ones.

    A run names its definition from this list; a path or an unknown name is refused, so no request
    can make the server open a file of its choosing.
    """
    return [(name, definitions.load(path).definition.name.zh) for name, path in definitions.shipped().items()]


def labelled_defaults() -> list[str]:
    """The titles of the runnable definitions whose weights and reference values are labelled
    defaults (``placeholder: true``), so that the run page can say so before anyone runs them."""
    return [definitions.load(path).definition.name.zh for path in definitions.shipped().values()
            if definitions.load(path).definition.placeholder]


def computed_with_defaults(ev: Evaluation) -> bool:
    """Whether the definition an evaluation was computed with (its stored snapshot, not today's
    file) has labelled-default weights."""
    import yaml

    doc = yaml.safe_load(bytes(ev.definition_content))
    return isinstance(doc, dict) and doc.get("placeholder") is True


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


def _loaded(definition_name: str) -> definitions.LoadedDefinition:
    if definition_name not in dict(available_definitions()):
        raise EvaluationError(_("There is no index definition named %(name)s.") % {"name": definition_name[:100]})
    return definitions.load(definitions.shipped()[definition_name])


def region_names(codes: list[str]) -> list[str]:
    """The names of GB/T 2260 codes: from the loaded division table, else the shipped province
    table; a code known to neither keeps its code (never an empty or "None" name)."""
    from ronghe.apps.organizations.models import Region

    known = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [known.get(c) or region_name(c) for c in codes]


def assessment_frame(authority: Organization, years: list[int] | None = None) -> pd.DataFrame:
    """The approved (scored) enterprise assessments of the authority's jurisdiction as the core's
    :func:`~ronghe.core.index.enterprise.indicators_from_assessments` takes them: region (the
    enterprise's county code), year, stage, complete and one column per key rate (percent)."""
    from ronghe.apps.assessments.models import Assessment, Score

    qs = Score.objects.filter(assessment__status=Assessment.Status.SCORED,
                              assessment__enterprise__region_id__isnull=False)
    if not authority.national and authority.region is not None:
        qs = qs.filter(assessment__enterprise__region__code__startswith=authority.region.prefix)
    if years is not None:
        qs = qs.filter(assessment__year__in=years)
    rows = list(qs.values_list("assessment__enterprise__region_id", "assessment__year", "stage", "complete", "rates"))
    rates = sorted({k for *_, r in rows for k in (r or {})})
    return pd.DataFrame([{"region": reg, "year": y, "stage": st, "complete": bool(c),
                          **{k: (r or {}).get(k) for k in rates}} for reg, y, st, c, r in rows],
                        columns=["region", "year", "stage", "complete", *rates])


def _with_enterprise(panel: Panel, d: definitions.Definition, authority: Organization,
                     use_assessments: bool) -> tuple[Panel, list[dict[str, Any]]]:
    """The panel with the ``kind: enterprise`` indicators computed from the jurisdiction's approved
    assessments, in the years and sub-regions of the data; a value from the assessments replaces an
    uploaded one (the uploaded value stays where the assessments are too few, fewer than the
    indicator's ``min_count``). Also, per indicator, how many values came from where."""
    X = panel.X.copy()
    from_assessments = np.zeros(len(panel.indicators), dtype=int)
    replaced = np.zeros(len(panel.indicators), dtype=int)
    enterprise_ids = [i.id for i in d.indicators if i.kind == "enterprise" and i.assessments is not None]
    if use_assessments and enterprise_ids:
        frame = assessment_frame(authority, panel.years)
        needed = {i.assessments.rate for i in d.indicators if i.id in enterprise_ids and i.assessments.rate}
        for rate in needed - set(frame.columns):
            frame[rate] = np.nan
        if len(frame):
            long = indicators_from_assessments(frame, d, samples.assessment_level(authority))
            t_of = {y: t for t, y in enumerate(panel.years)}
            r_of = {r: k for k, r in enumerate(panel.regions)}
            k_of = {ind: k for k, ind in enumerate(panel.indicators)}
            for region, year, ind, value in long[["region", "year", "indicator", "value"]].itertuples(index=False):
                t, r, k = t_of.get(int(year)), r_of.get(region), k_of.get(ind)
                if t is None or r is None or k is None or value is None or np.isnan(value):
                    continue
                replaced[k] += int(not np.isnan(X[t, r, k]))
                X[t, r, k] = float(value)
                from_assessments[k] += 1
    merged = Panel(panel.years, panel.regions, panel.indicators, X)
    cells = len(panel.years) * len(panel.regions)
    by_id = {i.id: i for i in d.indicators}
    sources = []
    for k, ind in enumerate(panel.indicators):
        present = int(np.count_nonzero(~np.isnan(X[:, :, k])))
        sources.append({"id": ind, "name": by_id[ind].name.zh, "kind": by_id[ind].kind,
                        "file": present - int(from_assessments[k]), "assessments": int(from_assessments[k]),
                        "replaced": int(replaced[k]), "missing": cells - present})
    return merged, sources


def compute(authority: Organization, definition_name: str, data_paths: list[Path], *,
            use_assessments: bool = True) -> Computed:
    """Read the data (bounded by the upload limits), keep the authority's sub-regions, compute the
    ``kind: enterprise`` indicators from the jurisdiction's approved assessments (unless
    ``use_assessments`` is off) and compute the index. ``definition_name`` must be one of
    :func:`available_definitions`."""
    from ronghe import uploads

    loaded = _loaded(definition_name)
    d = loaded.definition
    with _without_notes(data_paths) as paths:
        panel = _jurisdiction(read_panels(paths, [i.id for i in d.indicators], uploads.limits()), authority)
    panel, sources = _with_enterprise(panel, d, authority, use_assessments)
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
        "years": panel.years, "regions": panel.regions, "names": region_names(panel.regions),
        "sources": sources, "level": samples.assessment_level(authority),
        "total": clean(result.total), "ranks": ranks.tolist(), "rank_changes": outputs.rank_changes(ranks).tolist(),
        "tiers": outputs.tiers(result.total, d.tiers).tolist(),
        "categories": [{"id": c, "name": names[c], "values": clean(result.node(c))} for c in cats],
        "growth": clean(outputs.growth(result.total)),
        "cagr_pct": [None if np.isnan(v) else round(float(v) * 100, 2) for v in
                     outputs.cagr(result.total[0], result.total[-1], max(len(panel.years) - 1, 1))],
        "zones": _zones(authority, result.total, panel),
        "checks": check_panel(panel).findings + _unknown_codes(panel.regions),
    }
    return Computed(authority, definition_name, loaded, panel, results)


def _zones(authority: Organization, total: np.ndarray, panel: Panel) -> list[dict[str, Any]]:
    """East/central/west means and gaps by year: only where zones apply, a national ranking of
    provinces (a province's cities all lie in one zone; the table would be empty columns)."""
    if not (authority.national or authority.region is None) or not all(r.endswith("0000") for r in panel.regions):
        return []
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in z.items()}
            for z in outputs.zone_summary(total, panel.regions, panel.years).round(2).to_dict("records")]


NOTES_SHEET = "说明"
"""The template's notes sheet; dropped from an uploaded workbook before it is read (every other
sheet of a wide workbook must be named by its year)."""


@contextlib.contextmanager
def _without_notes(paths: list[Path]) -> Iterator[list[Path]]:
    """The data files with the template's notes sheet removed from any workbook that has it (a
    copy in a temporary folder; the file is checked against the upload limits first)."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    from ronghe import uploads
    from ronghe.core.io.guard import check_file

    with tempfile.TemporaryDirectory() as tmp:
        out = []
        for i, path in enumerate(paths):
            path = Path(path)
            if check_file(path, uploads.limits()) == "xlsx":
                try:  # the sheet names only (cheap); the workbook is opened when it has the notes sheet
                    names = CalamineWorkbook.from_path(str(path)).sheet_names
                    wb = load_workbook(path) if NOTES_SHEET in names and len(names) > 1 else None
                except Exception:  # a corrupt file: the reader reports it with its reason
                    wb = None
                if wb is not None:
                    del wb[NOTES_SHEET]
                    copy = Path(tmp) / f"{i}-{path.name}"
                    wb.save(copy)
                    path = copy
            out.append(path)
        yield out


def template_xlsx(authority: Organization, definition_name: str, year: int) -> bytes:
    """The data template of an authority: a sheet named ``year`` with its sub-regions (code and
    name prefilled) and one column per indicator of the definition, and a notes sheet saying what
    each column is, its unit and source, and which columns the platform computes from
    enterprise assessments. Filled in, it is uploaded as it is."""
    from ronghe.core.io.tables import write_tables

    d = _loaded(definition_name).definition
    ids = [i.id for i in d.indicators]
    data = pd.DataFrame([{"region": code, "name": name, **dict.fromkeys(ids)}
                         for code, name in samples.subregions(authority)], columns=["region", "name", *ids])
    kinds = {"statistics": _("statistics"), "survey": _("survey"),
             "enterprise": _("computed from approved enterprise assessments (may be left empty)")}
    notes = pd.DataFrame([{_("Column"): i.id, _("Indicator"): i.name.zh, _("Unit"): i.unit or "",
                           _("Source"): i.source or "", _("Kind"): kinds.get(i.kind, i.kind),
                           _("Better when"): _("higher") if i.direction == "higher" else _("lower"),
                           _("Reference value"): i.reference} for i in d.indicators])
    header = pd.DataFrame({_("Column"): ["region", "name", _("Sheet name")],
                           _("Indicator"): [_("GB/T 2260 code, 6 digits (prefilled)"), _("Name (prefilled, not read)"),
                                            _("The year of the data; add a sheet per year")]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        write_tables(path, {str(year): data, NOTES_SHEET: pd.concat([header, notes], ignore_index=True)})
        return path.read_bytes()


def sample_csv(authority: Organization, definition_name: str) -> bytes:
    """The authority's sample data (``samples.sample``) as a long CSV, ready to run."""
    from ronghe.apps.assessments.models import Assessment

    d = _loaded(definition_name).definition
    years = []
    if not authority.national and authority.region is not None:
        years = list(Assessment.objects.filter(status=Assessment.Status.SCORED,
                                               enterprise__region__code__startswith=authority.region.prefix)
                     .order_by().values_list("year", flat=True).distinct())
    frame = samples.sample(d, authority, years, timezone.localdate().year)
    return frame.to_csv(index=False).encode("utf-8")


@contextlib.contextmanager
def sample_path(authority: Organization, definition_name: str) -> Iterator[Path]:
    """The authority's sample data as a temporary CSV file (removed after the block)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sample-{authority.region_id or 'national'}.csv"
        path.write_bytes(sample_csv(authority, definition_name))
        yield path


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


def sensitivity_results(c: Computed, analysis: dict[str, Any], sensitivity: dict[str, Any] | None, runs: int) -> None:
    """Add what a later download needs to rebuild every run (the options and the seed) and, when
    asked (``sobol`` > 0), the Sobol indices of the ranks with bootstrap intervals, to the results."""
    sens = {"seed": 0, "sobol": 0, "individual": False, "bootstrap": 200, "level": 0.95, **(sensitivity or {})}
    c.results = {**c.results, "options": {"runs": runs, "seed": sens["seed"], **analysis}}
    if sens["sobol"]:
        table = sobol(c.loaded.definition, c.panel, c.year, n=int(sens["sobol"]), seed=sens["seed"],
                      bootstrap=int(sens["bootstrap"]), level=float(sens["level"]), individual=bool(sens["individual"]),
                      **analysis)
        c.results["sobol"] = [{k: (None if isinstance(v, float) and np.isnan(v) else
                                   round(float(v), 4) if isinstance(v, float | np.floating) else v)
                               for k, v in row.items()} for row in table.to_dict("records")]
        c.results["sobol_options"] = {k: sens[k] for k in ("sobol", "individual", "bootstrap", "level")}


def run_evaluation(authority: Organization, definition_name: str, data_paths: list[Path], *, title: str = "",
                   runs: int = 1000, by: Any = None, analysis: dict[str, Any] | None = None,
                   use_assessments: bool = True, sensitivity: dict[str, Any] | None = None) -> Evaluation:
    """Compute the index for the authority's sub-regions in the data, with ``runs`` Monte Carlo runs
    of rank uncertainty, and store it as a draft (in one process; large runs go to a job, ``jobs.py``).
    ``analysis``: weights / normalisations / aggregations / imputations / treatments as
    :func:`ronghe.core.index.sensitivity.options`
    takes them (None: the definition's)."""
    c = compute(authority, definition_name, data_paths, use_assessments=use_assessments)
    analysis = {**NO_ANALYSIS, **(analysis or {})}
    seed = (sensitivity or {}).get("seed", 0)
    u = uncertainty(c.loaded.definition, c.panel, c.year, runs=runs, seed=seed, **analysis)
    sensitivity_results(c, analysis, sensitivity, runs)
    return store(c, u, title=title, by=by)


NO_ANALYSIS = {"weights": None, "normalisations": None, "aggregations": None, "imputations": None, "treatments": None}
"""The analysis options left to the definition (every key :func:`ronghe.core.index.sensitivity.options` takes)."""


RUNS_MAX_ROWS = 1_000_000
"""Runs × regions beyond which the per-run download is refused (a request is no batch job; the CLI's
``--runs-out`` writes any size)."""


def runs_frame(ev: Evaluation) -> pd.DataFrame:
    """Every Monte Carlo run of the evaluation, one row per run and region: run, region, name,
    score, rank and the run's parameters (normalisation, aggregation, each weight). Rebuilt from the
    evaluation's snapshots (definition file, data, options, seed), so it is exactly the runs whose
    ranks the page summarises (``sensitivity.run_frames``)."""
    opts = ev.results.get("options")
    if opts is None:
        raise EvaluationError(_("This evaluation was stored before its runs could be rebuilt; run it again."))
    regions = ev.results["regions"]
    if opts["runs"] * len(regions) > RUNS_MAX_ROWS:
        raise EvaluationError(_("%(rows)s rows are too many for a download; use `ronghe index uncertainty "
                                "--runs-out`.") % {"rows": opts["runs"] * len(regions)})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "definition.yaml"
        path.write_bytes(bytes(ev.definition_content))
        d = definitions.load(path).definition
    ids = [i.id for i in d.indicators]
    long = pd.DataFrame(ev.data)
    years = sorted(ev.results["years"])
    X = np.full((len(years), len(regions), len(ids)), np.nan)
    t_of, r_of, k_of = ({v: k for k, v in enumerate(xs)} for xs in (years, regions, ids))
    for region, year, ind, value in long[["region", "year", "indicator", "value"]].itertuples(index=False):
        if region in r_of and ind in k_of and int(year) in t_of:
            X[t_of[int(year)], r_of[region], k_of[ind]] = value
    panel = Panel(years, list(regions), ids, X)
    params, scores = run_frames(d, panel, ev.year, runs=opts["runs"], seed=opts["seed"],
                                weights=opts.get("weights"), normalisations=opts.get("normalisations"),
                                aggregations=opts.get("aggregations"), imputations=opts.get("imputations"),
                                treatments=opts.get("treatments"))
    scores.insert(2, "name", scores["region"].map(dict(zip(regions, names_of(ev.results), strict=True))))
    return scores.merge(params, on="run")


def runs_parquet(ev: Evaluation, *, by: Any = None) -> bytes:
    """:func:`runs_frame` as one Parquet file (through DuckDB); the download is audited."""
    from ronghe.core.index.export import write_parquet

    frame = runs_frame(ev)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "runs.parquet"
        write_parquet(path, {"runs": frame})
        content = path.read_bytes()
    ev.log("evaluation.runs_exported", by, rows=len(frame))
    return content


def submit_job(user: Any, authority: Organization, definition_name: str, files: list[Any], *, title: str = "",
               runs: int = 1000, analysis: dict[str, Any] | None = None, use_assessments: bool = True,
               sensitivity: dict[str, Any] | None = None):
    """Queue the evaluation as a background job (``jobs.py``: the Monte Carlo split in parts, with
    progress and cancel); ``files`` are uploaded files or paths, kept until the job ends."""
    from ronghe.apps.jobs import services as jobs

    return jobs.submit("regions.evaluation", user, f"区域评估 {title or definition_name}",
                       {"authority": authority.pk, "definition": definition_name, "title": title, "runs": runs,
                        "analysis": analysis or {}, "use_assessments": use_assessments,
                        **({"seed": sensitivity["seed"], "sensitivity": sensitivity} if sensitivity else {})}, files)


def map_of(ev: Evaluation, names: list[str]) -> dict[str, Any] | None:
    """The map of the evaluation's sub-regions where the installed geometry draws them (the
    provinces of the country, the cities of a province): the GeoJSON file's URL and, per region
    code, the feature that draws it (the chart joins by feature name; codes never reach it).
    None for a level the package does not draw (a city's counties)."""
    from django.templatetags.static import static

    from ronghe.apps.benchmarking import geometry

    a = ev.authority
    shapes = geometry.shapes_for(None if a.national or a.region_id is None else a.region_id)
    if shapes is None:
        return None
    matched = geometry.match(shapes, list(zip(ev.results["regions"], names, strict=True)))
    if not matched:
        return None
    return {"url": static(f"vendor/geojson/{shapes.file}"), "features": matched}


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


def names_of(results: dict[str, Any]) -> list[str]:
    """The stored names of an evaluation's regions; an evaluation stored before cities had names
    (its "names" were bare codes) gets them from the division table now."""
    names = results["names"]
    if any(n == c or not n for n, c in zip(names, results["regions"], strict=True)):
        return region_names(results["regions"])
    return names


def ranking(ev: Evaluation) -> list[dict[str, Any]]:
    """The stored ranking of the evaluated year, best first, one row per region: names, never bare
    codes (a code absent from the province table keeps its code as its name)."""
    r = {**ev.results}
    r["names"] = names_of(r)
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

    r = {**ev.results}
    r["names"] = names_of(r)
    name_of = dict(zip(r["regions"], r["names"], strict=True))
    headers = {"region": _("Code"), "name": _("Region"), "rank": _("Rank"), "total": _("Total index"),
               "tier": _("Tier"), "rank_change": _("Rank change"), "growth": _("Growth"), "cagr_pct": _("CAGR %"),
               "mean_rank": _("Mean rank"), "median_rank": _("Median rank"), "rank_p05": _("Rank 5 %"),
               "rank_p95": _("Rank 95 %"), "year": _("Year"), "nominal_rank": _("Nominal rank"),
               "mean_abs_shift": _("Mean |rank shift|"), "indicator": _("Indicator"), "value": _("Value")}
    names = {**headers, **{c["id"]: c["name"] for c in r["categories"]}}
    ranking_frame = pd.DataFrame(ranking(ev)).rename(columns=names)
    years = pd.DataFrame([{"year": y, "region": code, "name": r["names"][i], "total": r["total"][t][i],
                           "rank": r["ranks"][t][i], "tier": r["tiers"][t][i]}
                          for t, y in enumerate(r["years"]) for i, code in enumerate(r["regions"])])
    years = years.rename(columns=names)
    unc = pd.DataFrame(ev.uncertainty)
    if len(unc):
        unc.insert(1, "name", [name_of.get(c, c) for c in unc["region"]])
    data = pd.DataFrame(ev.data)
    if len(data):
        data.insert(1, "name", [name_of.get(c, c) for c in data["region"]])
    frames = {_("Ranking"): ranking_frame, _("By year"): years}
    if r.get("zones"):
        frames[_("Zones")] = pd.DataFrame(r["zones"])
    if r.get("sources"):
        frames[_("Data sources")] = pd.DataFrame(r["sources"]).rename(columns={
            "id": _("Indicator"), "name": _("Name"), "kind": _("Kind"), "file": _("Values from the data files"),
            "assessments": _("Values from enterprise assessments"), "replaced": _("Uploaded values replaced"),
            "missing": _("Missing values")})
    return {**frames, _("Rank uncertainty"): unc.rename(columns=names),
            _("Data checks"): pd.DataFrame({_("Finding"): r["checks"]}), _("Data"): data.rename(columns=names)}


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
