"""Benchmarking and monitoring: the enterprise's peer panel, the authority's dashboard, targets.

Views, the API and the management commands call these functions. The numbers come from
``ronghe.core.benchmarking`` and ``ronghe.core.targets`` over the snapshot (:mod:`.snapshot`):
an enterprise only ever receives aggregates of groups of at least ``RONGHE_BENCHMARK_MIN_GROUP``
members; an authority receives its jurisdiction's figures (access is checked by the caller
through ``accounts.access``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Substr
from django.templatetags.static import static

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.benchmarking import geometry, snapshot
from ronghe.apps.benchmarking.models import Entry, Snapshot
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.organizations.models import Organization, Region
from ronghe.core.benchmarking import cohorts
from ronghe.core.benchmarking.columns import Metric, with_derived
from ronghe.core.benchmarking.dashboard import advanced_stage, figures
from ronghe.core.benchmarking.report import group_label
from ronghe.core.codes import SIZE_BANDS, industries
from ronghe.core.scoring import stage_label
from ronghe.core.targets import load as targets_load
from ronghe.core.targets.status import Status, judge, measure, status_of, within

Status_ = Assessment.Status


def on_scored(sender: Any, score: Any, **kwargs: Any) -> None:
    """Receiver of ``assessment_scored``: the new score joins the snapshot in the same transaction."""
    snapshot.record(score)


def recompute(framework: FrameworkVersion | None = None, year: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict[tuple[int, int], int]:
    """Rebuild the snapshot (of one framework version and/or year, or all) from the stored scores."""
    return snapshot.rebuild(None if framework is None else [framework], year, progress)


def _metrics(framework: FrameworkVersion, ids: list[str]) -> list[Metric]:
    known = {m.id: m for m in snapshot.metric_list(framework)}
    return [known[i] for i in ids if i in known]


def _stage_labels(framework: FrameworkVersion, locale: str) -> list[str]:
    from ronghe.core.frameworks.compile import compile

    c = compile(framework.loaded())
    return [stage_label(c, s, True, locale) for s in range(len(c.framework.stages) + 1)]


def _r(v: float | None, digits: int = 1) -> float | None:
    return None if v is None or v != v else round(float(v), digits)


# ================================================================================== the peer panel
def _group_out(g, labels: list[str], names: dict[str, str], locale: str) -> dict[str, Any]:
    res = g.resolution
    return {
        "kind": res.kind, "label": cohorts.Cohort(res.kind, "").label(locale),
        "requested": group_label(res.requested, names, locale) if res.requested else None,
        "used": group_label(res.used, names, locale) if res.used else None,
        "replaced": res.replaced, "shown": g.shown, "n": res.n,
        "stages": [{"code": s, "label": labels[s], "count": c, "share": _r(100 * c / res.n if res.n else 0)}
                   for s, c in enumerate(g.stage_counts)],
        "metrics": [{"id": r.metric.id, "value": _r(r.value, 2), "percentile": _r(r.rank),
                     "quartile": r.quartile or None, "n": r.n, "mean": _r(r.mean, 2), "p10": _r(r.p10, 2),
                     "p25": _r(r.p25, 2), "p50": _r(r.p50, 2), "p75": _r(r.p75, 2), "p90": _r(r.p90, 2),
                     "gap_top10": _r(r.gap_top10, 2)} for r in g.rows],
    }


def _table(metrics_out: list[dict], ms: list[Metric], values, groups: list[dict]) -> tuple[list[dict], str | None]:
    """One row per metric with one cell per group; the quantiles and the gap are those of the closest
    industry group shown (division, else section, else everyone), which the table names."""
    p = next((g for k in ("division", "section", "all") for g in groups if g["kind"] == k and g["shown"]), None)
    rows = []
    for j, m in enumerate(metrics_out):
        mine = p["metrics"][j] if p else {}
        rows.append({**m, "summary": ms[j].summary, "value": _r(values[j], 2),
                     "cells": [{"percentile": g["metrics"][j]["percentile"], "quartile": g["metrics"][j]["quartile"]}
                               if g["shown"] else {"percentile": None, "quartile": None} for g in groups],
                     **{k: mine.get(k) for k in ("percentile", "quartile", "p25", "p50", "p75", "p90", "gap_top10")}})
    return rows, p["used"] if p else None


def _panel_entry(assessment: Assessment) -> dict | None:
    """The snapshot entry of a scored assessment with its snapshot's state, or None."""
    if assessment.status != Status_.SCORED:
        return None
    return (Entry.objects.filter(assessment=assessment)
            .values("snapshot_id", "snapshot__seq", "snapshot__generation").first())


def peer_panel_state(assessment: Assessment) -> tuple | None:
    """What the peer panel of a scored assessment depends on: its snapshot, that snapshot's
    sequence number and generation (``None``: the assessment has no panel). Read with the assessment
    where the caller selected them (``access.get_assessment_for_user(..., only=RESULT_FIELDS)``)."""
    if Assessment.benchmark_entry.related.is_cached(assessment):
        found = assessment.benchmark_entry  # None: it has no entry
        if found is None or assessment.status != Status_.SCORED:
            return None
        return found.snapshot_id, found.snapshot.seq, found.snapshot.generation
    entry = _panel_entry(assessment)
    return None if entry is None else (entry["snapshot_id"], entry["snapshot__seq"], entry["snapshot__generation"])


def peer_panel_html(assessment: Assessment, locale: str = "zh-Hans") -> dict[str, str]:
    """The peer panel of the result page, rendered: ``{"peer_stages": html, "panel": html}``.

    Rendering the panel's table is most of a result page's cost, and its content changes only when
    the snapshot does: an approval adds an entry (``seq``) or a full recompute runs (``generation``).
    The HTML is therefore cached under that state, the language and the group minimum; any change
    makes a new key, so a cached panel is never stale. The caller has checked the user's access.
    """
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    entry = _panel_entry(assessment)
    key = None if entry is None else (
        f"peer-panel:{assessment.pk}:{entry['snapshot_id']}:{entry['snapshot__seq']}:"
        f"{entry['snapshot__generation']}:{locale}:{settings.RONGHE_BENCHMARK_MIN_GROUP}")
    parts = cache.get(key) if key else None
    if parts is None:
        panel = _peer_panel(assessment, locale, entry)
        parts = {name: render_to_string(f"benchmarking/_{name}.html", {"panel": panel})
                 for name in ("peer_stages", "panel")}
        if key:
            cache.set(key, parts, settings.RONGHE_PANEL_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # rendered by our own templates


def peer_panel(assessment: Assessment, locale: str = "zh-Hans") -> dict[str, Any]:
    """The scored assessment against its peers of the same framework version and year.

    Only aggregates of groups with at least ``RONGHE_BENCHMARK_MIN_GROUP`` complete assessments are
    returned (a smaller group is replaced by the next wider one, and the answer says so): never
    another enterprise's answers or scores.
    """
    return _peer_panel(assessment, locale, _panel_entry(assessment))


def _peer_panel(assessment: Assessment, locale: str, entry: dict | None) -> dict[str, Any]:
    min_size = settings.RONGHE_BENCHMARK_MIN_GROUP
    base = {"available": False, "year": assessment.year, "min_size": min_size, "groups": [], "metrics": []}
    if entry is None:
        return {**base, "reason": "not_scored"}
    state = Snapshot.objects.filter(pk=entry["snapshot_id"]).values("id", "year", "columns", "seq", "generation",
                                                                   "rows").first()
    fw = assessment.framework
    ms = _metrics(fw, state["columns"])
    peers = snapshot.columns(state).peers(ms, len(fw.loaded().framework.stages))
    try:
        position = peers.position(assessment.pk)
    except KeyError:  # decoded before this entry was written: read the snapshot again
        snapshot.clear_cache()
        peers = snapshot.columns(state).peers(ms, len(fw.loaded().framework.stages))
        position = peers.position(assessment.pk)
    panel = peers.panel(position, min_size=min_size)
    labels = _stage_labels(fw, locale)
    own = peers.own(position)
    names = dict(Region.objects.filter(code__in=[f"{own['city']}00"] if own["city"] else [])
                 .values_list("code", "name"))
    groups = [_group_out(g, labels, names, locale) for g in panel.groups]
    metrics_out = [{"id": m.id, "kind": m.kind, "name": m.label(locale), "unit": "%" if m.kind == "rate" else ""}
                   for m in ms]
    rows, primary = _table(metrics_out, ms, peers.values[position], groups)
    return {**base, "available": True, "reason": "", "framework": fw.slug, "stage": int(peers.stages[position]),
            "stage_labels": labels, "groups": groups, "metrics": metrics_out, "rows": rows, "primary": primary}


# ================================================================================== the dashboard
@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: a region's subtree, or the country (``region`` None)."""

    region: Region | None

    @property
    def code(self) -> str:
        return self.region.code if self.region else "000000"

    @property
    def prefix(self) -> str:
        return self.region.prefix if self.region else ""

    @property
    def name(self) -> str:
        return self.region.name if self.region else "全国"

    def children(self) -> list[Region]:
        """The sub-regions a dashboard breaks down by: provinces of the country, cities of a province
        (a municipality's districts: its single city level is skipped), counties of a city."""
        if self.region is None:
            return list(Region.objects.filter(level="province").order_by("code"))
        kids = list(self.region.children.order_by("code"))
        if len(kids) == 1 and kids[0].level == "city":
            kids = list(kids[0].children.order_by("code"))
        return kids

    def breadcrumbs(self) -> list[Region]:
        out, r = [], self.region
        while r is not None:
            out.append(r)
            r = r.parent
        return out[::-1]


def _next(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _in_scope(qs, field: str, prefix: str):
    return qs.filter(**{f"{field}__gte": prefix, f"{field}__lt": _next(prefix)}) if prefix else qs


def frameworks_with_data() -> list[FrameworkVersion]:
    """Framework versions that have scored assessments in the snapshot, most used first."""
    rows = {r["framework"]: r["n"] for r in Snapshot.objects.values("framework").annotate(n=Sum("rows")).order_by()}
    versions = list(FrameworkVersion.objects.filter(pk__in=list(rows)))
    return sorted(versions, key=lambda f: (-rows[f.pk], f.slug, -f.version))


@dataclass
class YearData:
    """One year of a framework within a region: its summary columns as a results frame with the
    derived columns, and what has been computed from them. Kept while that year of the snapshot
    has not changed (its key holds the generation and sequence number), so nothing computed here
    can be stale, and an approval recomputes one year of one region only."""

    year: int
    frame: pd.DataFrame
    metrics: list[Metric]
    n_stages: int
    memo: dict = field(default_factory=dict)

    def figures(self, by: str | None = None, digits: int = 0) -> pd.DataFrame:
        """:func:`~ronghe.core.benchmarking.dashboard.figures` overall or per ``by`` (``subregion``:
        the region code cut to ``digits``)."""
        key = ("figures", by, digits)
        if key not in self.memo:
            if not len(self.frame):  # no assessment of that year in the region (its columns have no type)
                self.memo[key] = pd.DataFrame()
                return self.memo[key]
            data = self.frame.assign(subregion=self.frame["region"].str[:digits]) \
                if by == "subregion" else self.frame
            self.memo[key] = figures(data, self.metrics, self.n_stages, by=by)
        return self.memo[key]

    def observation(self, target, framework: str | None, region: str):
        """The target's value in this year (or why there is none), from this year's rows."""
        key = ("target", target.id, framework, region)
        if key not in self.memo:
            self.memo[key] = measure(target, self.frame, region) if len(self.frame) else ([], "")
        return self.memo[key]


@dataclass
class RegionData:
    """Every year of a framework within a region (each a :class:`YearData`)."""

    years: list[YearData]
    metrics: list[Metric]
    n_stages: int

    def year(self, year: int) -> YearData | None:
        return next((y for y in self.years if y.year == year), None)

    def trend(self) -> pd.DataFrame:
        parts = [y.figures().assign(year=y.year) for y in self.years if len(y.frame)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def __len__(self) -> int:
        return sum(len(y.frame) for y in self.years)


_YEARS: OrderedDict[tuple, YearData] = OrderedDict()
_YEARS_LOCK = threading.Lock()


def _year_data(state: dict, prefix: str, ms: list[Metric], n_stages: int) -> YearData:
    key = (state["id"], prefix, state["generation"], state["seq"])
    with _YEARS_LOCK:
        if key in _YEARS:
            _YEARS.move_to_end(key)
            return _YEARS[key]
    cols = snapshot.columns(state, prefix, summary=True, summary_count=len(ms))
    data = YearData(state["year"], with_derived(cols.frame()), ms, n_stages)
    with _YEARS_LOCK:
        _YEARS[key] = data
        total = sum(len(y.frame) for y in _YEARS.values())
        while total > settings.RONGHE_BENCHMARK_CACHE_ROWS and len(_YEARS) > 1:
            _, dropped = _YEARS.popitem(last=False)
            total -= len(dropped.frame)
    return data


def region_data(framework: FrameworkVersion, scope: Scope) -> RegionData:
    """Every year of ``framework`` within ``scope`` (see :class:`YearData`)."""
    states = snapshot.states(framework)
    n_stages = len(framework.loaded().framework.stages)
    if not states:
        return RegionData([], [], n_stages)
    ms = [m for m in _metrics(framework, states[-1]["columns"]) if m.summary]
    return RegionData([_year_data(st, scope.prefix, ms, n_stages) for st in states], ms, n_stages)


def count_table(scope: Scope, year: int, digits: int = 0) -> pd.DataFrame:
    """Registered enterprises, and how many have an assessment of ``year`` submitted (or later) and
    approved, per (sub-region code prefix of ``digits``, industry, size): two queries, summed up
    by :func:`counts` for any breakdown."""
    ents = _in_scope(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE), "region_id", scope.prefix)
    sub = Substr("region_id", 1, digits) if digits else Value("")
    registered = ents.annotate(sub=sub).values("sub", "industry_id", "size").annotate(registered=Count("id")).order_by()
    theirs = Substr("enterprise__region_id", 1, digits) if digits else Value("")
    assessed = (_in_scope(Assessment.objects.filter(year=year, enterprise__kind=Organization.Kind.ENTERPRISE),
                          "enterprise__region_id", scope.prefix)  # one join: the (year, enterprise) index
                .annotate(sub=theirs)
                .values("sub", "enterprise__industry_id", "enterprise__size")
                .annotate(assessed=Count("enterprise", distinct=True, filter=~Q(status=Status_.DRAFT)),
                          approved=Count("enterprise", distinct=True, filter=Q(status=Status_.SCORED))).order_by())
    keys = ["sub", "industry", "size"]
    a = pd.DataFrame(list(registered), columns=["sub", "industry_id", "size", "registered"]).rename(
        columns={"industry_id": "industry"})
    b = pd.DataFrame(list(assessed), columns=["sub", "enterprise__industry_id", "enterprise__size", "assessed",
                                              "approved"]).rename(columns={"enterprise__industry_id": "industry",
                                                                           "enterprise__size": "size"})
    table = a.merge(b, on=keys, how="outer")
    for c in ("registered", "assessed", "approved"):
        table[c] = table[c].fillna(0).astype("int64")
    return table


def counts(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """:func:`count_table` summed overall (``by`` None) or per ``sub``, ``industry`` or ``size``,
    with the submission rate (percent of registered enterprises with an assessment submitted)."""
    cols = ["registered", "assessed", "approved"]
    if by is None:
        out = pd.DataFrame([{"key": None, **{c: int(table[c].sum()) if len(table) else 0 for c in cols}}])
    else:
        out = table.groupby(by, dropna=True)[cols].sum().reset_index().rename(columns={by: "key"})
    out["submission_rate"] = np.where(out["registered"] > 0, 100.0 * out["assessed"] /
                                      out["registered"].where(out["registered"] > 0, 1), np.nan)
    return out


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in table.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and v != v else round(v, 2) if isinstance(v, float) else
                        int(v) if isinstance(v, np.integer) else v) for k, v in row.items()})
    return out


def _breakdown(data: YearData | None, by: str, table: pd.DataFrame, labels: dict[str, str],
               digits: int = 0) -> list[dict[str, Any]]:
    """Figures of one year per group, joined with the registration counts; groups in ``labels`` order."""
    column = {"region": "subregion", "industry": "industry", "size": "size"}[by]
    figs = data.figures(column, digits) if data is not None else pd.DataFrame()
    figs = figs.set_index(column) if len(figs) else figs
    table = table.set_index("key")
    rows = []
    for key, name in labels.items():
        got = figs.loc[key].to_dict() if len(figs) and key in figs.index else {"n": 0}
        reg = table.loc[key].to_dict() if key in table.index else {"registered": 0, "assessed": 0, "approved": 0,
                                                                      "submission_rate": None}
        rows.append({"key": key, "name": name, **reg, **got})
    out = pd.DataFrame(rows)
    for c in out.columns:
        if c in {"registered", "assessed", "approved", "n"} or (c.startswith(("stage_", "n_")) and
                                                               not c.endswith("_pct")):
            out[c] = out[c].fillna(0).astype("int64")
    return _records(out)


def dashboard(scope: Scope, framework: FrameworkVersion | None = None, year: int | None = None,
              locale: str = "zh-Hans", user: Any = None) -> dict[str, Any]:
    """Everything an authority's dashboard shows for ``scope``: counts and the submission rate, the
    work queue, stage distribution, share at the advanced stage and above, mean total, aspect scores
    and key rates — overall, per sub-region, industry and size, and by year — the map's shapes and
    the action-plan targets' status. ``framework``/``year`` default to the most used framework
    and its latest year."""
    available = frameworks_with_data()
    framework = framework or (available[0] if available else FrameworkVersion.objects.filter(is_active=True).first())
    years = [st["year"] for st in snapshot.states(framework)] if framework else []
    year = year if year is not None else (years[-1] if years else timezone_year())
    data = region_data(framework, scope) if framework else RegionData([], [], 0)
    ms, n_stages, current = data.metrics, data.n_stages, data.year(year)
    stage_names = _stage_labels(framework, locale) if framework else []
    this = current.figures() if current is not None else pd.DataFrame()
    overall = _records(this)[0] if len(this) else {"n": 0}
    kids = scope.children()
    digits = len(kids[0].prefix) if kids else 0
    tally = count_table(scope, year, digits)
    totals = _records(counts(tally))[0]
    sub = {k.code[:digits]: k.name for k in kids}
    by_industry, by_size = counts(tally, "industry"), counts(tally, "size")
    scored = current.frame["industry"].dropna().unique() if current is not None and len(current.frame) else []
    divisions = sorted({c for c in scored if c} | {c for c in by_industry["key"] if c})
    codes = industries()
    ents = _in_scope(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE), "region_id", scope.prefix)
    waiting = Assessment.objects.filter(status=Status_.SUBMITTED, enterprise__in=ents.values("pk"))
    shapes = geometry.shapes_for(scope.region.code if scope.region else None)
    geo = geometry.match(shapes, [(k.code, k.name) for k in kids]) if shapes else {}
    return {
        "scope": {"code": scope.code, "name": scope.name, "level": scope.region.level if scope.region else "country",
                  "breadcrumbs": [{"code": r.code, "name": r.name} for r in scope.breadcrumbs()]},
        "framework": framework.slug if framework else None, "framework_title": framework.title if framework else "",
        "framework_version": framework.version if framework else None,
        "framework_placeholder": bool(framework and framework.placeholder),  # weights are the labelled defaults
        "frameworks": [{"slug": f.slug, "title": f.title} for f in available],
        "year": year, "years": years, "advanced_stage": advanced_stage(n_stages),
        "advanced_label": stage_names[advanced_stage(n_stages)] if stage_names else "",
        "stage_labels": stage_names,
        "metrics": [{"id": m.id, "kind": m.kind, "name": m.label(locale)} for m in ms],
        "total_metric": ms[0].id if ms else None,
        "totals": {**totals, **{k: overall.get(k) for k in overall}},
        "waiting": waiting.count(),
        "queue": [{"id": a.pk, "enterprise": a.enterprise.name, "year": a.year, "submitted_at": a.submitted_at}
                  for a in waiting.select_related("enterprise").order_by("submitted_at")[:20]],
        "by_region": _breakdown(current, "region", counts(tally, "sub"), sub, digits) if kids else [],
        "subregion_codes": {k.code[:digits]: k.code for k in kids},
        "by_industry": _breakdown(current, "industry", by_industry,
                                  {c: f"{c} {codes[c].name}" if c in codes else c for c in divisions}),
        "by_size": _breakdown(current, "size", by_size, {s: s for s in SIZE_BANDS}),
        "trend": _records(data.trend()),
        "map": {"url": static(f"vendor/geojson/{shapes.file}"), "names": {k.code[:digits]: geo[k.code]
                                                                          for k in kids if k.code in geo}}
        if shapes and geo else None,
        "targets": target_statuses(scope, framework, data, user, locale),
    }


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


# ================================================================================== targets
@lru_cache(maxsize=1)
def shipped_targets() -> list:
    """The shipped targets files, read once per process (package data does not change while it runs)."""
    return targets_load.load_shipped()


def _index_table(target, user) -> pd.DataFrame | None:
    """(region, year, value) of the target's index node from the latest published evaluation that
    covers the target's region (visible to ``user``)."""
    from django.contrib.auth.models import AnonymousUser

    from ronghe.apps.regions.services import visible_evaluations

    evaluations = visible_evaluations(user or AnonymousUser()).filter(status="published",
                                                                     definition_slug=target.metric.index)
    for ev in evaluations.order_by("-published_at"):
        r = ev.results
        if target.scope.region != "000000" and target.scope.region not in r["regions"]:
            continue
        values = r["total"] if target.metric.node in (None, "TOTAL") else next(
            (c["values"] for c in r.get("categories", []) if c["id"] == target.metric.node), None)
        if values is None:
            continue
        rows = [(code, year, values[t][i]) for t, year in enumerate(r["years"]) for i, code in enumerate(r["regions"])]
        return pd.DataFrame(rows, columns=["region", "year", "value"])
    return None


def _status_row(status: Status, source, locale: str) -> dict[str, Any]:
    t, now = status.target, status.current
    return {"id": t.id, "name": t.name.get(locale), "source": source.title.get(locale), "verified": source.verified,
            "metric": t.metric.kind, "scope_region": t.scope.region, "scope_industry": t.scope.industry,
            "scope_size": t.scope.size, "baseline": None if t.baseline is None else t.baseline.value,
            "baseline_year": None if t.baseline is None else t.baseline.year, "target": t.target.value,
            "target_year": t.target.year, "year": now.year if now else None, "value": _r(now.value, 2) if now else None,
            "n": now.n if now else None, "gap": _r(status.gap, 2), "pace_needed": _r(status.pace_needed, 2),
            "pace_so_far": _r(status.pace_so_far, 2), "expected_now": _r(status.expected_now, 2),
            "state": status.state, "state_label": status.state_label, "reason": status.reason,
            "note": t.note.get(locale) if t.note else ""}


def target_statuses(scope: Scope, framework: FrameworkVersion | None, data: RegionData | None = None,
                    user: Any = None, locale: str = "zh-Hans") -> list[dict[str, Any]]:
    """The shipped targets that apply to ``scope``, measured over its data: targets on assessments
    whose region contains the scope (national ones apply everywhere), and index targets of the
    scope's own region (from published evaluations). Each year's value is kept with that year's
    data (:meth:`YearData.observation`)."""
    if data is None and framework is not None:
        data = region_data(framework, scope)
    slug = framework.slug if framework else None
    out = []
    for lt in shipped_targets():
        for t in lt.file.targets:
            if t.metric.kind == "index":
                if t.scope.region != scope.code:
                    continue
                status = status_of(t, index=_index_table(t, user))
            elif not within(scope.code, t.scope.region) and scope.code != "000000":
                continue
            elif (t.metric.frameworks and slug not in t.metric.frameworks) or data is None or not len(data):
                status = status_of(t, framework=slug)  # says why there is nothing to measure
            else:
                series, reasons = [], []
                for y in data.years:
                    found, reason = y.observation(t, slug, scope.code)
                    series += found
                    reasons.append(reason)
                status = judge(t, series, "" if series else next((r for r in reasons if r), ""))
            out.append(_status_row(status, lt.file.source(t.source), locale))
    return out


# ================================================================================== exports
def dashboard_tables(data: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The dashboard's tables as named frames, for ``write_tables`` (one sheet each)."""
    names = {m["id"]: f"{m['id']} {m['name']}" for m in data["metrics"]}
    stage_cols = {f"stage_{s}": f"{s} {label}" for s, label in enumerate(data["stage_labels"])}

    def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
        frame = pd.DataFrame(rows)
        return frame.rename(columns={**names, **stage_cols, **{f"{k}_pct": f"{v} %" for k, v in stage_cols.items()}})

    return {"概况": table([{"region": data["scope"]["name"], "year": data["year"], **data["totals"],
                            "waiting": data["waiting"]}]),
            "按地区": table(data["by_region"]), "按行业": table(data["by_industry"]), "按规模": table(data["by_size"]),
            "趋势": table(data["trend"]), "目标": pd.DataFrame(data["targets"])}


def framework_for(slug: str | None) -> FrameworkVersion | None:
    """The framework version a dashboard shows for ``slug``: the one in the snapshot with the most
    rows (else the active version); ``None`` for no slug. Raises DoesNotExist for an unknown one."""
    if not slug:
        return None
    for f in frameworks_with_data():
        if f.slug == slug:
            return f
    return FrameworkVersion.objects.get(slug=slug, is_active=True)


def dashboard_for(user: Any, code: str | None, slug: str | None = None, year: int | None = None,
                  locale: str = "zh-Hans") -> dict[str, Any]:
    """The dashboard of region ``code`` (default: the user's jurisdiction) as ``user`` may see it.

    Raises Http404 outside the user's view (``accounts.access``), FrameworkVersion.DoesNotExist for
    an unknown framework."""
    from ronghe.apps.accounts import access

    scope = Scope(access.get_dashboard_region(user, code))
    data = dashboard(scope, framework_for(slug), year, locale, user)
    views = access.dashboard_scopes(user)
    for crumb in data["scope"]["breadcrumbs"]:
        crumb["in_view"] = any(v is None or crumb["code"].startswith(v.prefix) for v in views)
    return data


# ================================================================================== the page
def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def page(data: dict[str, Any]) -> dict[str, Any]:
    """The dashboard as the page draws it: each table row with its cells formatted once in Python
    (a national table is hundreds of cells; template filters per cell cost more than the figures),
    and the compact part the charts read."""
    stages = [f"stage_{s}_pct" for s in range(len(data["stage_labels"]))]
    metric_ids = [m["id"] for m in data["metrics"]]

    def cells(row: dict, counts: bool = True) -> list[str]:
        head = [row.get("registered"), row.get("assessed"), row.get("submission_rate"), row.get("n")] if counts \
            else [row.get("n")]
        return [_fmt(v) for v in (*head, *(row.get(k) for k in stages), row.get("advanced_pct"),
                                  *(row.get(k) for k in metric_ids))]

    tables = {key: [{"key": r["key"], "name": r["name"], "cells": cells(r)} for r in data[key]]
              for key in ("by_region", "by_industry", "by_size")}
    trend = [{"year": r["year"], "cells": cells(r, counts=False)} for r in data["trend"]]
    chart = {k: data[k] for k in ("framework", "year", "stage_labels", "advanced_label", "metrics", "totals", "map",
                                  "subregion_codes", "trend")}
    chart["by_region"] = data["by_region"]
    return {**data, **{f"{k}_rows": v for k, v in tables.items()}, "trend_rows": trend, "chart": chart}


log = logging.getLogger("ronghe.benchmarking")


def warm(budget: float | None = None) -> dict[str, int]:
    """Fill this process's caches before it takes requests: every year of each framework's snapshot
    decoded (newest first) with every shown peer group's summary, then the nation's and each
    province's dashboard. Stops once ``budget`` seconds (``RONGHE_BENCHMARK_WARM``) have passed or
    the cache bound is reached; whatever is left is computed on demand, as without warming.

    The web server calls it once in its master before the workers fork (``ronghe/warmup.py``, from
    gunicorn's or granian's), so they share the arrays. Without it the first panel of a year in
    a worker reads and decodes 100,000 rows (about a second), and the first dashboard of a province
    computes ten years of figures and targets. Returns what was done (rows, groups, dashboards, ms)."""
    budget = settings.RONGHE_BENCHMARK_WARM if budget is None else budget
    t0 = time.perf_counter()
    done = {"rows": 0, "groups": 0, "dashboards": 0}

    def left() -> bool:
        return time.perf_counter() - t0 < budget

    versions = frameworks_with_data() if budget > 0 else []
    for fw in versions:
        n_stages = len(fw.loaded().framework.stages)
        for state in reversed(snapshot.states(fw)):
            if not left() or done["rows"] + state["rows"] > settings.RONGHE_BENCHMARK_CACHE_ROWS:
                break
            peers = snapshot.columns(state).peers(_metrics(fw, state["columns"]), n_stages)
            for kind in cohorts.KINDS:
                for cohort, size in peers.sizes(kind).items():
                    if size >= settings.RONGHE_BENCHMARK_MIN_GROUP:  # smaller groups are never shown
                        peers.stats(cohort)
                        done["groups"] += 1
            done["rows"] += state["rows"]
    for fw in versions[:1]:  # dashboards open on the most used framework
        for region in [None, *Region.objects.filter(level="province").order_by("code")]:
            if not left():
                break
            dashboard(Scope(region), fw)
            done["dashboards"] += 1
    done["ms"] = round(1000 * (time.perf_counter() - t0))
    if versions:
        log.info("benchmark cache warm: %(rows)s rows, %(groups)s groups, %(dashboards)s dashboards in %(ms)s ms",
                 done)
    return done


def clear_caches() -> None:
    """Forget every decoded snapshot and computed region year (tests roll back the database, and
    SQLite then hands out the same snapshot ids again; a restored database does the same)."""
    snapshot.clear_cache()
    with _YEARS_LOCK:
        _YEARS.clear()
