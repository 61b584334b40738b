"""Exports of assessments, the one service behind the page, the API and ``manage.py export_assessments``.

An authority downloads the answers and scores of its jurisdiction's assessments, an enterprise (or
its consultancy) its own, each exactly what :func:`~ronghe.apps.accounts.access.assessments_for_user`
lets them see. The workbook has a sheet per framework version (its items differ) with one row per
assessment: identity (region and industry by name and code), status, total, stage, every node's
score, the rates and every answer; headers are in the active language (简体中文 or English), and a
first sheet says who exported what, when, with which filters. Every export is in the audit log.

Larger exports than ``RONGHE_INLINE_EXPORT_ROWS`` rows run as a background job (``assessments.export``)
whose output is the same file; the rows are written as they are read (a write-only workbook), so
memory stays flat whatever the count.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.audit.models import record
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.organizations.models import Region
from ronghe.apps.organizations.services import region_names
from ronghe.core.io.tables import atomic_write, xlsx_row

FILTERS = ("framework", "year", "region", "industry", "size", "status", "enterprise")
"""The filters an export takes (each optional): framework slug, year, region code (its subtree),
industry (GB/T 4754 section or division), size band, status, enterprise id."""


def locale() -> str:
    """The framework-label locale matching the active language (``en`` or ``zh-Hans``)."""
    return "en" if (get_language() or "").startswith("en") else "zh-Hans"


def clean_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters that were given (empty ones dropped, unknown keys refused with ``ValueError``)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filters: {', '.join(sorted(unknown))}")
    return {k: v for k, v in filters.items() if v not in (None, "")}


def assessments_to_export(user: Any, **filters: Any):
    """The assessments ``user`` may see, filtered; ordered by framework version, enterprise, year."""
    filters = clean_filters(filters)
    # not the framework's row: it carries the whole framework file, which would come with every assessment
    qs = access.assessments_for_user(user).select_related("enterprise__industry", "score")
    if "framework" in filters:
        qs = qs.filter(framework__slug=filters["framework"])
    if "year" in filters:
        qs = qs.filter(year=filters["year"])
    if "region" in filters:
        region = Region.objects.filter(code=filters["region"]).first()
        qs = qs.filter(enterprise__region__code__startswith=region.prefix if region else filters["region"])
    if "industry" in filters:
        from django.db.models import Q

        qs = qs.filter(Q(enterprise__industry__code=filters["industry"]) |
                       Q(enterprise__industry__section=filters["industry"]))
    if "size" in filters:
        qs = qs.filter(enterprise__size=filters["size"])
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if "enterprise" in filters:
        qs = qs.filter(enterprise_id=filters["enterprise"])
    return qs.order_by("framework__slug", "framework__version", "enterprise__name", "enterprise_id", "-year",
                       "-version", "pk")


def width(framework: FrameworkVersion) -> int:
    """Columns of a framework version's sheet: identity, every node, every rate, every item."""
    fw = framework.loaded().framework
    return len(_identity_headers()) + len(fw.nodes) + len(fw.rates) + len(fw.items)


def is_large(qs) -> bool:
    """Whether an export of ``qs`` is a background job rather than an answer at once: more rows than
    ``RONGHE_INLINE_EXPORT_ROWS``, or more cells than ``RONGHE_INLINE_EXPORT_CELLS`` (a sheet of answers
    is ten times as wide as the enterprise list, and the time to write it goes with its cells)."""
    rows = qs.count()
    if rows > settings.RONGHE_INLINE_EXPORT_ROWS:
        return True
    per_framework = qs.order_by().values_list("framework").annotate(n=Count("pk"))
    frameworks = {f.pk: f for f in FrameworkVersion.objects.filter(pk__in=[pk for pk, _ in per_framework])}
    return sum(n * width(frameworks[pk]) for pk, n in per_framework) > settings.RONGHE_INLINE_EXPORT_CELLS


def file_name() -> str:
    """The download's name in the active language."""
    return _("assessments") + f"-{timezone.localdate():%Y%m%d}.xlsx"


def _identity_headers() -> list[str]:
    """The identity columns' headers (context ``export column``: a header names a column, not a thing)."""
    return [
        pgettext("export column", "Assessment ID"),
        pgettext("export column", "Enterprise"),
        pgettext("export column", "Credit code"),
        pgettext("export column", "Region"),
        pgettext("export column", "Region code"),
        pgettext("export column", "Industry"),
        pgettext("export column", "Industry code"),
        pgettext("export column", "Size"),
        pgettext("export column", "Year"),
        pgettext("export column", "Version"),
        pgettext("export column", "Status"),
        pgettext("export column", "Submitted at"),
        pgettext("export column", "Reviewed at"),
        pgettext("export column", "Total"),
        pgettext("export column", "Stage"),
    ]


def _when(value) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


class _Sheet:
    """One framework version's sheet: its columns (nodes, rates, items) and how a row fills them."""

    def __init__(self, wb, framework: FrameworkVersion, loc: str, names: set[str]):
        fw = framework.loaded().framework
        title = f"{framework.slug} v{framework.version}"[:31]
        while title in names:
            title = title[:28] + f"~{len(names)}"
        names.add(title)
        self.ws = wb.create_sheet(title)
        self.nodes = [n.id for n in fw.nodes]
        self.rates = [r.id for r in fw.rates]
        self.items = [i.id for i in fw.items]
        headers = _identity_headers()
        headers += [f"{n.id} {n.name.get(loc)}" for n in fw.nodes]
        headers += [f"{r.id} {r.label.get(loc)}" for r in fw.rates]
        headers += [f"{i.id} {i.label.get(loc)}" for i in fw.items]
        self.ws.append(xlsx_row(self.ws, headers))

    def append(self, a: Assessment, regions: dict[str, str]) -> None:
        e = a.enterprise
        score = getattr(a, "score", None) if a.status == Assessment.Status.SCORED else None
        row = [a.pk, e.name, e.credit_code, regions.get(e.region_id, ""), e.region_id,
               e.industry.name if e.industry_id else "", e.industry_id, e.size, a.year, a.version,
               str(a.get_status_display()), _when(a.submitted_at), _when(a.reviewed_at),
               None if score is None else round(score.total, 2), None if score is None else score.stage_label]
        nodes = score.nodes if score else {}
        rates = score.rates if score else {}
        row += [None if nodes.get(n) is None else round(nodes[n], 2) for n in self.nodes]
        row += [None if rates.get(r) is None else round(rates[r], 2) for r in self.rates]
        row += [a.answers.get(i) for i in self.items]
        self.ws.append(xlsx_row(self.ws, row))


def write_assessments(user: Any, filters: dict[str, Any], path: str | Path,
                      progress: Callable[..., None] | None = None) -> int:
    """Write the answers and scores of the assessments ``user`` may see (filtered) to ``path`` (.xlsx)
    and record the export in the audit log; returns the number of assessments written.

    Headers and labels are in the active language. ``progress(done, total)`` is told every 2,000 rows.
    """
    from openpyxl import Workbook

    filters = clean_filters(filters)
    qs = assessments_to_export(user, **filters)
    total = qs.count()
    loc = locale()
    regions = region_names(qs.values_list("enterprise__region_id", flat=True).distinct())
    wb = Workbook(write_only=True)
    about = wb.create_sheet(_("About this export"))
    for key, value in [(_("Exported at"), _when(timezone.now())), (_("Exported by"), user.get_username()),
                       (_("Rows"), total),
                       (_("Filters"), "; ".join(f"{k}={v}" for k, v in filters.items()) or _("none")),
                       (_("Scope"), _("the assessments you may see: an enterprise its own, an authority its "
                                      "jurisdiction's from submission on"))]:
        about.append(xlsx_row(about, [key, value]))
    sheets: dict[int, _Sheet] = {}
    names: set[str] = set()
    for k, a in enumerate(qs.iterator(chunk_size=2000)):
        if a.framework_id not in sheets:
            sheets[a.framework_id] = _Sheet(wb, FrameworkVersion.objects.get(pk=a.framework_id), loc, names)
        sheets[a.framework_id].append(a, regions)
        if progress and k % 2000 == 0:
            progress(k, total)
    path = Path(path)
    with atomic_write(path) as tmp:
        wb.save(tmp)
    record("export", actor=user, target=Assessment, what="assessments", rows=total, **filters)
    if progress:
        progress(total, total)
    return total


def submit_export(user: Any, filters: dict[str, Any]):
    """Queue a large export as a background job (the language of the request goes with it)."""
    from ronghe.apps.jobs import services as jobs

    filters = clean_filters(filters)
    return jobs.submit("assessments.export", user, _("Export of answers and scores"),
                       {"filters": filters, "language": get_language() or settings.LANGUAGE_CODE})
