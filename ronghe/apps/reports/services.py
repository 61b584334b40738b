"""Reports as HTML pages and PDF files: the enterprise diagnosis report (诊断报告), the annual
monitoring report of an authority's jurisdiction (监测报告) and the regional evaluation report
(发展水平评估报告).

Each report is a context built from stored results by the services that draw the pages (the
result page's scores, the benchmarking app's peer panel and dashboard, the regions app's ranking),
so the figures of a report are the figures on the page. One Django template draws it; the page
wraps it in ``base.html`` and the PDF in a print document, drawn by WeasyPrint with the Noto CJK
fonts the project installs. Charts are static SVG (:mod:`ronghe.core.reports.charts`) made here, so
the page and the PDF draw the same picture. Text from users (names, notes) is escaped by the
templates and by the chart module.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import threading
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ronghe.apps.assessments.models import Assessment
from ronghe.core.frameworks.outline import outline
from ronghe.core.reports import charts, drawing, maps
from ronghe.core.reports import numbers as num

Status = Assessment.Status


class ReportError(Exception):
    """The report cannot be made from what is stored (an assessment not yet approved …)."""


def _locale() -> str:
    lang = translation.get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh-Hans"


def _date(day: dt.date) -> str:
    return num.cn_date(day) if _locale() == "zh-Hans" else day.strftime("%B %Y")


# ====================================================================== the enterprise report
def _group(panel: dict[str, Any], kind: str, metric: str) -> dict[str, Any] | None:
    """The peer group of ``kind`` in the panel with the enterprise's percentile on ``metric``."""
    for g in panel.get("groups", []):
        if g["kind"] == kind:
            m = next((x for x in g["metrics"] if x["id"] == metric), None)
            return {"label": g["label"], "used": g["used"], "requested": g["requested"], "replaced": g["replaced"],
                    "shown": g["shown"], "n": g["n"], "percentile": m["percentile"] if m and g["shown"] else None,
                    "quartile": m["quartile"] if m and g["shown"] else None}
    return None


def previous_of(a: Assessment) -> Assessment | None:
    """The enterprise's latest approved assessment of an earlier year on the same framework."""
    return (Assessment.objects.filter(enterprise=a.enterprise_id, framework__slug=a.framework.slug,
                                      status=Status.SCORED, year__lt=a.year)
            .select_related("score").order_by("-year", "-version").first())


def enterprise_context(a: Assessment) -> dict[str, Any]:
    """Everything the diagnosis report of the approved assessment ``a`` shows (scores 0–100, shares
    and percentiles in per cent). Raises :class:`ReportError` before approval."""
    from ronghe.apps.benchmarking.services import peer_panel

    if a.status != Status.SCORED:
        raise ReportError(_("This assessment has no result yet: it is %(state)s.") % {"state": a.get_status_display()})
    locale = _locale()
    s = a.score
    fw = a.framework
    tree = outline(fw.loaded().framework, locale)
    aspects = [c for root in tree.roots for c in root.children]
    before = previous_of(a)
    series = [(str(a.year), [s.nodes.get(n.id) for n in aspects])]
    if before is not None:
        series.append((str(before.year), [before.score.nodes.get(n.id) for n in aspects]))
    panel = peer_panel(a, locale)
    total_id = tree.total
    industry, province = _group(panel, "division", total_id), _group(panel, "province", total_id)
    rows = [{"id": n.id, "name": n.name, "depth": n.depth, "share": 100 * n.share, "score": s.nodes.get(n.id),
             "score_text": num.fixed(s.nodes.get(n.id))} for n in tree.walk()]
    peer_rows = [r for r in panel.get("rows", []) if r.get("summary")]
    gaps = s.diagnosis.get("gaps", [])
    e = a.enterprise
    change = None
    if before is not None:
        change = {"year": before.year, "total": before.score.total, "stage_label": before.score.stage_label,
                  "text": num.score_change(s.total, before.score.total, locale=locale),
                  "aspects": [{"name": n.name, "now": s.nodes.get(n.id), "then": before.score.nodes.get(n.id),
                               "text": num.score_change(s.nodes.get(n.id), before.score.nodes.get(n.id), locale=locale)}
                              for n in aspects],
                  "rates": [{"label": label, "now": s.rates.get(rid), "then": before.score.rates.get(rid),
                             "text": num.points_change(s.rates.get(rid), before.score.rates.get(rid), locale=locale)}
                            for rid, label, _item in tree.rates]}
    weakest_names = [w["name"] for w in s.diagnosis.get("weakest", [])]
    return {
        "kind": "enterprise", "a": a, "s": s, "enterprise": e, "framework": fw, "tree_name": tree.name,
        "title": _("Diagnosis report on the integration of informatization and industrialization"),
        "issued": _date(timezone.localdate()), "year": a.year,
        "region_name": _region_path(e.region_id), "industry_name": e.industry.name if e.industry_id else "—",
        "total": s.total, "total_text": num.fixed(s.total), "stage": s.stage, "stage_label": s.stage_label,
        "industry": industry, "province": province, "panel": panel, "peer_rows": peer_rows,
        "aspects": [{"name": n.name, "score": s.nodes.get(n.id), "score_text": num.fixed(s.nodes.get(n.id))}
                    for n in aspects],
        "rows": rows, "rates": [{"label": label, "value": s.rates.get(rid), "text": num.percent(s.rates.get(rid))}
                                for rid, label, _item in tree.rates],
        "radar": charts.radar([n.name for n in aspects], series, title=_("Scores of the aspects"))
        if len(aspects) >= 3 else "",  # a radar needs three axes; the bars below show two as well
        "aspect_bars": charts.bar([n.name for n in aspects], [s.nodes.get(n.id) for n in aspects], maximum=100,
                                  title=_("Scores of the aspects"),
                                  highlight=_lowest([s.nodes.get(n.id) for n in aspects])),
        "peer_chart": _peer_chart(peer_rows),
        "next_stage": s.diagnosis.get("next_stage"), "gaps": gaps, "weakest": s.diagnosis.get("weakest", []),
        "weakest_names": weakest_names, "change": change,
        "method": {"framework": fw.title, "urn": fw.urn, "version": fw.version, "sha256": s.framework_sha256,
                   "standard": fw.standard, "placeholder": tree.placeholder or fw.placeholder, "notes": tree.notes,
                   "min_group": panel.get("min_size"), "scored_at": s.scored_at, "assessment_version": a.version},
    }


def _lowest(values: list[float | None]) -> int | None:
    known = [(v, i) for i, v in enumerate(values) if v is not None]
    return min(known)[1] if known else None


def _peer_chart(rows: list[dict[str, Any]]) -> str:
    """The enterprise's percentile (0–100) in its closest industry group for each summary figure."""
    shown = [r for r in rows if r.get("percentile") is not None]
    if not shown:
        return ""
    return charts.bar([r["name"] for r in shown], [r["percentile"] for r in shown], maximum=100,
                      formatted=[f"P{num.fixed(r['percentile'], 0)}" for r in shown],
                      title=_("Percentile among peers"))


def _region_path(code: str | None) -> str:
    """``浙江省 杭州市 西湖区`` for a county code."""
    from ronghe.apps.organizations.models import Region

    if not code:
        return "—"
    r = Region.objects.filter(code=code).select_related("parent__parent").first()
    names = []
    while r is not None:
        names.append(r.name)
        r = r.parent
    return " ".join(reversed(names)) or code


def enterprise_for_user(user: Any, assessment_id: int) -> Assessment:
    """The assessment whose report ``user`` asks for: Http404 unless they may see its result
    (``accounts.access``); :class:`ReportError` until it is approved."""
    from ronghe.apps.accounts import access

    a = access.get_assessment_for_user(user, assessment_id)
    if a.status != Status.SCORED:
        raise ReportError(_("This assessment has no result yet: it is %(state)s.") % {"state": a.get_status_display()})
    return a


def file_name(a: Assessment) -> str:
    """``诊断报告-<credit code or id>-<year>.pdf`` (ASCII-safe apart from the word, no user text)."""
    return _("diagnosis-report") + f"-{a.enterprise.credit_code or a.enterprise_id}-{a.year}.pdf"


# ====================================================================== drawing
TEMPLATES = {"enterprise": "reports/_enterprise.html", "monitoring": "reports/_monitoring.html",
             "region": "reports/_region.html"}


def html_document(context: dict[str, Any], *, external_style: bool = False) -> str:
    """The report as a standalone print document (what WeasyPrint draws). ``external_style``: without
    its ``<style>``, for :func:`pdf`, which passes the same rules parsed once a process."""
    return render_to_string("reports/document.html", {**context, "body": TEMPLATES[context["kind"]],
                                                      "external_style": external_style})


_FONTS: dict[int, tuple[Any, list[Any]]] = {}
"""Thread id → (font configuration, stylesheets). A dict rather than threading.local so that
:func:`atexit` can drop them while the interpreter is whole: WeasyPrint removes a configuration's
temporary folder when it is collected, which fails noisily during interpreter shutdown."""


def font_dir():
    """Where the reduced copies of the CJK faces are (:mod:`ronghe.core.reports.fonts`; built by
    ``manage.py report_fonts``, which ``make install`` runs)."""
    from pathlib import Path

    from django.conf import settings

    return Path(getattr(settings, "RONGHE_REPORT_FONT_DIR", Path(settings.VAR_DIR) / "fonts"))


def _font_setup() -> tuple[Any, list[Any]]:
    """One WeasyPrint font configuration per thread, with the reduced faces and the reports' print
    stylesheet (``reports/_print.css.html``) parsed once into one stylesheet: fontconfig is read, the
    faces are loaded and the rules are parsed once a thread, not per PDF. Without the reduced faces
    the reports' font lists fall through to the installed Noto CJK faces (same look, slower)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from ronghe.core.reports.fonts import font_face_css

    key = threading.get_ident()
    if key not in _FONTS:
        if not _FONTS:
            atexit.register(_FONTS.clear)
        drawing.install_svg_text()
        config = FontConfiguration()
        rules = font_face_css(font_dir()) + render_to_string("reports/_print.css.html")
        _FONTS[key] = (config, [CSS(string=rules, font_config=config)])
    return _FONTS[key]


def pdf(context: dict[str, Any]) -> bytes:
    """The report as PDF bytes (A4, Noto CJK fonts, SVG charts drawn as vectors). The collector
    waits until the PDF is written (:func:`ronghe.core.reports.drawing.quiet_gc`)."""
    config, sheets = _font_setup()
    with drawing.quiet_gc():
        return drawing.document(html_document(context, external_style=True)).write_pdf(
            font_config=config, stylesheets=sheets)


def enterprise_pdf(a: Assessment) -> bytes:
    return pdf(enterprise_context(a))


FORMATS = ("pdf", "html")


def _audit_target(context: dict[str, Any]) -> dict[str, Any]:
    """What an export of this report is recorded against: the assessment, the evaluation, or the
    region of a monitoring report (a region has no row of its own in the log: its code is the id)."""
    from ronghe.apps.organizations.models import Region

    if context["kind"] == "enterprise":
        return {"target": context["a"]}
    if context["kind"] == "region":
        return {"target": context["ev"]}
    scope = context["scope"]
    return {"target": Region, "object_id": scope["code"] or "", "object_repr": f"{scope['name']} {context['year']}"}


def export(context: dict[str, Any], fmt: str, *, by: Any, via: str) -> bytes:
    """The report as PDF, or as its print HTML (UTF-8), for a download; the download goes into the
    audit log as an ``export`` like every other export (who drew which report, in which format,
    from the web, the API or the CLI), so that an authority can answer who took a copy of an
    enterprise's figures. Drawing the page in the browser is a view, not an export, and is not logged."""
    from ronghe.apps.audit.models import record

    if fmt not in FORMATS:
        raise ValueError(f"format is pdf or html, not {fmt!r}")
    content = pdf(context) if fmt == "pdf" else html_document(context).encode("utf-8")
    record("export", actor=by, **_audit_target(context), what=f"reports.{context['kind']}", format=fmt, via=via,
           year=context.get("year"), bytes=len(content))
    return content


# ====================================================================== the monitoring report
def monitoring_context(user: Any, code: str | None = None, slug: str | None = None,
                       year: int | None = None) -> dict[str, Any]:
    """The annual monitoring report of region ``code`` (default: the user's jurisdiction) from the
    figures of the authority's dashboard (``benchmarking.services.dashboard_for``): Http404 for
    anyone without a dashboard of that region."""
    from ronghe.apps.benchmarking import services as bench

    locale = _locale()
    d = bench.dashboard_for(user, code, slug, year, locale)
    t = d["totals"]
    labels = d["stage_labels"]
    counts = [int(t.get(f"stage_{i}") or 0) for i in range(len(labels))]
    metric_names = {m["id"]: m["name"] for m in d["metrics"]}
    rate_ids = [m["id"] for m in d["metrics"] if m["kind"] == "rate"]
    aspect_ids = [m["id"] for m in d["metrics"] if m["kind"] in ("total", "aspect")]
    trend = d["trend"]
    years = [str(r["year"]) for r in trend]
    prev = next((r for r in reversed(trend) if r["year"] < d["year"]), None)
    now = next((r for r in trend if r["year"] == d["year"]), None)

    def change(key: str, share: bool) -> str:
        if prev is None or now is None:
            return "—"
        f = num.points_change if share else num.score_change
        return f(now.get(key), prev.get(key), locale=locale)

    key_rows = [{"name": _("Share at %(stage)s and above") % {"stage": d["advanced_label"]}, "unit": "%",
                 "value": num.percent(t.get("advanced_pct")), "change": change("advanced_pct", True)}]
    key_rows += [{"name": metric_names[m], "unit": "", "value": num.fixed(t.get(m)), "change": change(m, False)}
                 for m in aspect_ids[:1]]
    key_rows += [{"name": metric_names[m], "unit": "%", "value": num.percent(t.get(m)), "change": change(m, True)}
                 for m in rate_ids]

    def rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"name": r["name"], "registered": r.get("registered", 0), "assessed": r.get("assessed", 0),
                 "approved": r.get("approved", 0), "rate": num.percent(r.get("submission_rate")),
                 "advanced": num.percent(r.get("advanced_pct")),
                 "total": num.fixed(r.get(d["total_metric"])) if d["total_metric"] else "—",
                 "n": r.get("n", 0)} for r in records]

    return {
        "kind": "monitoring", "d": d, "scope": d["scope"], "year": d["year"],
        "title": _("Annual monitoring report on the integration of informatization and industrialization"),
        "issued": _date(timezone.localdate()),
        "registered": num.amount(t.get("registered"), locale=locale),
        "assessed": num.amount(t.get("assessed"), locale=locale),
        "approved": num.amount(t.get("approved"), locale=locale),
        "submission_rate": num.percent(t.get("submission_rate")),
        "advanced_pct": num.percent(t.get("advanced_pct")), "advanced_label": d["advanced_label"],
        "mean_total": num.fixed(t.get(d["total_metric"])) if d["total_metric"] else "—",
        "stages": [{"label": lab, "count": c, "share": num.percent(t.get(f"stage_{i}_pct"))}
                   for i, (lab, c) in enumerate(zip(labels, counts, strict=True))],
        "stage_chart": charts.distribution(labels, counts, title=_("Stage distribution")) if labels else "",
        "key_rows": key_rows,
        "trend_chart": charts.line(years, [(metric_names[m], [r.get(m) for r in trend]) for m in aspect_ids[:1]] +
                                   [(metric_names[m], [r.get(m) for r in trend]) for m in rate_ids], maximum=100,
                                   title=_("Over the years")) if len(years) > 1 else "",
        "trend": [{"year": r["year"], "n": r.get("n", 0), "advanced": num.percent(r.get("advanced_pct")),
                   "total": num.fixed(r.get(d["total_metric"])) if d["total_metric"] else "—"} for r in trend],
        "by_region": rows(d["by_region"]), "by_industry": rows([r for r in d["by_industry"] if r.get("registered")
                                                               or r.get("n")]),
        "targets": d["targets"],
    }


# ====================================================================== the regional evaluation report
def evaluation_for_user(user: Any, pk: int):
    """A stored evaluation ``user`` may see (published: everyone; a draft: its authority, staff)."""
    from ronghe.apps.regions.services import visible_evaluations

    ev = visible_evaluations(user).filter(pk=pk).first() if isinstance(pk, int) and 0 < pk < 2**63 else None
    if ev is None:
        raise Http404("no such evaluation")
    return ev


@functools.lru_cache(maxsize=8)
def _features(file: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """(feature name, geometry) of every feature of an installed GeoJSON file, read once a process."""
    import json

    from ronghe.apps.benchmarking import geometry

    doc = json.loads((geometry.geojson_dir() / file).read_text(encoding="utf-8"))
    return tuple(((f.get("properties") or {}).get("name") or "", f["geometry"]) for f in doc.get("features", [])
                 if f.get("geometry"))


def region_map(ev: Any, table: list[dict[str, Any]]) -> dict[str, Any]:
    """The choropleth of the evaluation's sub-regions by total index (the evaluated year), drawn from
    the GeoJSON the web map uses (``benchmarking.geometry``, matched to our codes the same way as
    ``regions.services.map_of``), numbered in ranking order: ``svg`` ("" where the installed
    geometry does not draw that level — a city's counties — or matches none of the regions) and
    ``missing``, the names of regions the geometry has no shape for."""
    from ronghe.apps.benchmarking import geometry

    a = ev.authority
    shapes = geometry.shapes_for(None if a.national or a.region_id is None else a.region_id)
    matched = geometry.match(shapes, [(row["region"], row["name"]) for row in table]) if shapes else {}
    if not matched:
        return {"svg": "", "missing": []}
    by_feature = {feature: code for code, feature in matched.items()}
    rows = {row["region"]: row for row in table}
    named: dict[str, maps.Area] = {}
    context: list[maps.Area] = []
    for name, shape in _features(shapes.file):
        code = by_feature.get(name)
        if code is None:
            context.append(maps.Area(shape))
        else:
            named[code] = maps.Area(shape, rows[code]["name"], rows[code]["total"])
    ordered = [named[row["region"]] for row in table if row["region"] in named]
    return {"svg": maps.choropleth(context + ordered, title=_("Total index by region, %(year)s") % {"year": ev.year}),
            "missing": [row["name"] for row in table if row["region"] not in named]}


def region_context(ev: Any) -> dict[str, Any]:
    """The regional evaluation report of the stored evaluation ``ev``: method, ranking with tiers,
    sub-index tables, rank uncertainty (where stored) and a profile per region."""
    from ronghe.apps.regions.services import ranking
    from ronghe.core.frameworks.load import parse_document
    from ronghe.core.index.definition import Definition, check

    locale = _locale()
    r = ev.results
    table = ranking(ev)
    cats = r["categories"]
    definition, _errors = parse_document(bytes(ev.definition_content), ev.definition_slug, Definition, check)
    method = {"name": ev.definition_slug, "indicators": []}
    if definition is not None:  # the stored file as it was run; unreadable, the report shows the results only
        method = {"name": definition.name.get(locale),
                  "indicators": [{"id": i.id, "name": i.name.get(locale), "unit": i.unit, "direction": i.direction,
                                  "weight": i.weight, "source": i.source} for i in definition.indicators]}
    profiles = []
    years = [str(y) for y in r["years"]]
    for row in table:
        i = r["regions"].index(row["region"])
        profiles.append({**row, "total_text": num.fixed(row["total"]),
                         "cats": [{"name": c["name"], "value": num.fixed(row.get(c["id"]))} for c in cats],
                         "trend": [num.fixed(r["total"][t][i]) for t in range(len(years))],
                         "bars": charts.bar([c["name"] for c in cats], [row.get(c["id"]) for c in cats],
                                            title=row["name"], maximum=max([row.get(c["id"]) or 0 for c in cats] +
                                                                          [100]))})
    return {
        "kind": "region", "ev": ev, "year": ev.year, "title": ev.title,
        "issued": _date(timezone.localdate()), "method": method, "sha256": ev.definition_sha256,
        "categories": cats, "years": years,
        "ranking": [{**row, "total_text": num.fixed(row["total"]), "rank_text": str(row["rank"] or "—"),
                     "cats": [num.fixed(row.get(c["id"])) for c in cats],
                     "interval": (f"{num.fixed(row['rank_p05'], 0)}–{num.fixed(row['rank_p95'], 0)}"
                                  if row.get("rank_p05") is not None else "—")} for row in table],
        "has_uncertainty": bool(ev.uncertainty),
        "ranking_chart": charts.bar([row["name"] for row in table], [row["total"] for row in table],
                                    title=_("Index by region")) if table else "",
        "profiles": profiles, "checks": r.get("checks", []),
        "map": region_map(ev, table),
    }


def monitoring_file_name(context: dict[str, Any]) -> str:
    return _("monitoring-report") + f"-{context['scope']['code']}-{context['year']}.pdf"


def region_file_name(ev: Any) -> str:
    return _("evaluation-report") + f"-{ev.pk}-{ev.year}.pdf"


# ====================================================================== the batch
def batch_assessments(user: Any, code: str | None, year: int, slug: str | None = None) -> list[int]:
    """The latest approved assessment of ``year`` (highest version, then latest approval) of every
    enterprise in region ``code`` (default: the user's jurisdiction) that ``user`` may see, as ids
    ordered by enterprise. Http404 for a region outside the user's dashboards."""
    from ronghe.apps.accounts import access

    region = access.get_dashboard_region(user, code)
    qs = access.assessments_for_user(user).filter(status=Status.SCORED, year=year)
    if region is not None:
        qs = qs.filter(enterprise__region__code__startswith=region.prefix)
    if slug:
        qs = qs.filter(framework__slug=slug)
    seen: set[int] = set()
    out = []
    for pk, enterprise in qs.order_by("enterprise_id", "-version", "-reviewed_at", "-pk").values_list(
            "pk", "enterprise_id").iterator(chunk_size=5000):
        if enterprise not in seen:
            seen.add(enterprise)
            out.append(pk)
    return out


def _safe(text: str) -> str:
    """A name fit for a file in a zip: letters (CJK included), digits and ``-_()``; nothing that
    walks out of the folder."""
    kept = "".join(c for c in text if c.isalnum() or c in "-_()（）")
    return kept[:60] or "-"


def batch_member_name(a: Assessment) -> str:
    return f"{a.enterprise.credit_code or a.enterprise_id}-{_safe(a.enterprise.name)}-{a.year}.pdf"


def write_batch(ids: list[int], path: Any, progress: Any = None, *, by: Any = None, via: str = "job",
                scope: dict[str, Any] | None = None) -> int:
    """Write the diagnosis report of each assessment in ``ids`` as one PDF in the zip at ``path``,
    one at a time (memory stays flat: each PDF goes to the file as soon as it is drawn); returns
    how many. ``progress(done, total, message)`` is told after each report (and may raise to cancel).
    A finished zip is one ``export`` in the audit log naming every assessment in it (``scope``: the
    region, year and framework asked for); a cancelled one, which nobody can download, is not."""
    import zipfile

    from ronghe.apps.audit.models import record

    report = progress or (lambda *a, **k: None)
    total = len(ids)
    report(0, total, _("drawing the reports"))
    with contextlib.ExitStack() as stack:
        z = stack.enter_context(zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED))  # PDFs are compressed
        for done, pk in enumerate(ids, 1):
            a = Assessment.objects.select_related("enterprise", "framework", "score").get(pk=pk)
            z.writestr(batch_member_name(a), enterprise_pdf(a))
            if done == 1:  # fonts and caches are loaded now: later reports' garbage is collected without them
                stack.enter_context(drawing.frozen())
            report(done, total)
    record("export", actor=by, target=Assessment, object_repr=f"diagnosis reports ({total})", what="reports.batch",
           format="zip", via=via, reports=total, assessments=list(ids), **(scope or {}))
    return total


def submit_batch(user: Any, code: str | None, year: int, slug: str | None = None):
    """Queue the batch of enterprise reports of region ``code`` and ``year`` as a background job of
    ``user`` (its page shows the progress, can cancel it, and offers the zip)."""
    from ronghe.apps.jobs import services as jobs

    ids = batch_assessments(user, code, year, slug)
    if not ids:
        raise ReportError(_("No approved assessment of %(year)s in this region.") % {"year": year})
    return jobs.submit("reports.batch", user, _("Diagnosis reports %(year)s (%(n)s enterprises)") % {
        "year": year, "n": len(ids)}, {"region": code, "year": year, "framework": slug, "count": len(ids),
                                       "language": translation.get_language()})
