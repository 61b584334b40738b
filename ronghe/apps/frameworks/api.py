"""Read-only API over the framework catalogue (public content, no authentication needed)."""

from dataclasses import asdict
from typing import Literal

from django.http import Http404
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.errors import responses
from ronghe.api.fields import Slug, Version
from ronghe.api.pagination import Pages
from ronghe.apps.frameworks import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.frameworks.schemas import FrameworkDetailOut, FrameworkVersionOut
from ronghe.core.frameworks.outline import outline

router = Router(tags=["frameworks"])


@router.get("/", response=responses(list[FrameworkVersionOut]), summary="List the framework versions in use",
            operation_id="frameworks_list")
@paginate(Pages)
def list_frameworks(request):
    return services.active_versions()


@router.get("/{slug}", response=responses(FrameworkDetailOut, 404), summary="One framework with its indicator tree",
            operation_id="frameworks_get")
def get_framework(request, slug: Slug, version: Version | None = None,
                  locale: Literal["zh-Hans", "en"] = "zh-Hans"):
    try:
        row = services.get_version(slug, version)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(slug) from exc
    tree = outline(row.loaded().framework, locale=locale)
    data = FrameworkVersionOut.from_orm(row).dict()
    data["roots"] = [asdict(r) for r in tree.roots]
    return data
