"""Read-only API over the framework catalogue (public content, no authentication needed)."""

from dataclasses import asdict

from django.http import Http404
from ninja import Router

from ronghe.apps.frameworks import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.frameworks.schemas import FrameworkDetailOut, FrameworkVersionOut
from ronghe.core.frameworks.outline import outline

router = Router(tags=["frameworks"])


@router.get("/", response=list[FrameworkVersionOut], summary="List the framework versions in use")
def list_frameworks(request):
    return list(services.active_versions())


@router.get("/{slug}", response=FrameworkDetailOut, summary="One framework with its indicator tree")
def get_framework(request, slug: str, version: int | None = None, locale: str = "zh-Hans"):
    try:
        row = services.get_version(slug, version)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(slug) from exc
    tree = outline(row.loaded().framework, locale=locale)
    data = FrameworkVersionOut.from_orm(row).dict()
    data["roots"] = [asdict(r) for r in tree.roots]
    return data
