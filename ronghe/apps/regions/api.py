"""Regional evaluations over REST: the evaluations one may see, one with its ranking, publishing.

Access as on the pages: published evaluations are public; a draft only for the members of the
authority that ran it (and staff); only those members publish. Running one takes data files and
is done on the page (large runs go to a background job, ``apps/regions/jobs.py``).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.regions import services
from ronghe.apps.regions.schemas import (
    RegionsEvaluationDetailOut,
    RegionsEvaluationOut,
    detail_dict,
    evaluation_dict,
)

router = Router(tags=["regions"])


@router.get("/evaluations", response=responses(list[RegionsEvaluationOut]),
            summary=gettext_lazy("Evaluations you may see: published ones, and your authority's drafts"),
            operation_id="regions_evaluations_list")
@paginate(Pages)
def list_evaluations(request):
    return [evaluation_dict(ev) for ev in services.visible_evaluations(request.user)[:10_000]]


@router.get("/evaluations/{evaluation_id}", response=responses(RegionsEvaluationDetailOut, 404),
            summary=gettext_lazy("One evaluation with its ranking (names, scores, tiers, rank intervals)"),
            operation_id="regions_evaluations_get")
def get_evaluation(request, evaluation_id: Id):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=evaluation_id)
    return detail_dict(ev, services.ranking(ev))


@router.post("/evaluations/{evaluation_id}/publish", response=responses(RegionsEvaluationOut, 401, 404, 409),
             summary=gettext_lazy("Publish (freeze) a draft of your authority"),
             operation_id="regions_evaluations_publish", auth=AUTH)
def publish_evaluation(request, evaluation_id: Id):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=evaluation_id)
    if not services.owns(request.user, ev):
        raise ApiError(404, "not_found", _("There is no such evaluation."))
    try:
        ev = services.publish(ev, by=request.user)
    except services.EvaluationError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return evaluation_dict(ev)
