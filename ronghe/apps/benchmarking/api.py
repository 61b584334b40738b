"""Benchmarking over REST: an assessment's peer panel, a region's dashboard, its breakdowns and the
action-plan targets. Access as on the pages (``accounts.access``): an assessment you may not see, or a
region outside your jurisdiction, is 404; enterprises have no dashboard."""

from typing import Literal

from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import responses
from ronghe.api.fields import Id, Slug, Year
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.benchmarking import services
from ronghe.apps.benchmarking.schemas import BreakdownRowOut, DashboardOut, PanelOut, RegionCode, TargetStatusOut
from ronghe.apps.frameworks.models import FrameworkVersion

router = Router(tags=["benchmarking"], auth=AUTH)
FIXED = {"key", "name", "registered", "assessed", "approved", "submission_rate", "n"}


def _locale() -> str:
    return get_language() or "zh-hans"


def _dashboard(request, region, framework, year) -> dict:
    try:
        return services.dashboard_for(request.user, region, framework, year, _locale())
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404("no such framework") from exc


@router.get("/assessments/{assessment_id}/panel", response=responses(PanelOut, 401, 404),
            summary=gettext_lazy("An assessment against its peer groups"), operation_id="benchmarking_panel",
            description=gettext_lazy("Percentile, quartile and gap to the top tenth of the total, every aspect, "
                                     "indicator and key rate against each peer group, and the peers' stage "
                                     "distribution. Groups under the minimum size are replaced by a wider group "
                                     "(``replaced``); no other enterprise's answers or scores are returned."))
def panel(request, assessment_id: Id):
    a = access.get_assessment_for_user(request.user, assessment_id)
    return {"assessment": a.pk, **services.peer_panel(a, _locale())}


@router.get("/dashboard", response=responses(DashboardOut, 401, 404), summary=gettext_lazy("A region's figures"),
            operation_id="benchmarking_dashboard",
            description=gettext_lazy("Registered and assessed enterprises, the submission rate, the work queue, stage"
                                     " distribution, share at the advanced stage and above, mean scores and key "
                                     "rates, their trend, and the targets' status. ``region`` defaults to your "
                                     "jurisdiction (000000: the country, for national authorities)."))
def dashboard(request, region: RegionCode | None = None, framework: Slug | None = None, year: Year | None = None):
    d = _dashboard(request, region, framework, year)
    t = d["totals"]
    return {"region": d["scope"]["code"], "name": d["scope"]["name"], "level": d["scope"]["level"], **d,
            "stages": [{"code": s, "label": label, "count": t.get(f"stage_{s}") or 0, "share": t.get(f"stage_{s}_pct")}
                       for s, label in enumerate(d["stage_labels"])]}


@router.get("/breakdown", response=responses(list[BreakdownRowOut], 401, 404),
            summary=gettext_lazy("A region's figures by group"),
            operation_id="benchmarking_breakdown",
            description=gettext_lazy("The dashboard's figures per sub-region (``region``: provinces of the country, "
                                     "cities of a province, counties of a city), GB/T 4754 division (``industry``) or"
                                     " size band (``size``)."))
@paginate(Pages)
def breakdown(request, by: Literal["region", "industry", "size"] = "region", region: RegionCode | None = None,
              framework: Slug | None = None, year: Year | None = None):
    rows = _dashboard(request, region, framework, year)[f"by_{by}"]
    return [{**{k: r.get(k) for k in FIXED}, "registered": r.get("registered") or 0, "assessed": r.get("assessed") or 0,
             "approved": r.get("approved") or 0, "n": r.get("n") or 0,
             "figures": {k: v for k, v in r.items() if k not in FIXED}} for r in rows]


@router.get("/targets", response=responses(list[TargetStatusOut], 401, 404),
            summary=gettext_lazy("The action-plan targets' status"),
            operation_id="benchmarking_targets",
            description=gettext_lazy("Each target that applies to the region: value now, gap, pace needed per year, "
                                     "on or off track."))
@paginate(Pages)
def targets(request, region: RegionCode | None = None, framework: Slug | None = None):
    try:
        scope = services.Scope(access.get_dashboard_region(request.user, region))
        return services.target_statuses(scope, services.framework_for(framework), user=request.user, locale=_locale())
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404("no such framework") from exc
