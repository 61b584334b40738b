"""Read-only API over the framework catalogue (public content, no authentication needed)."""

from dataclasses import asdict
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.errors import responses
from ronghe.api.fields import Slug, Version
from ronghe.api.pagination import Pages
from ronghe.apps.frameworks import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.frameworks.schemas import FrameworkDetailOut, FrameworkVersionOut
from ronghe.core.frameworks.outline import outline
from ronghe.downloads import XLSX_RESPONSE, xlsx_response

router = Router(tags=["frameworks"])


@router.get("/", response=responses(list[FrameworkVersionOut]), summary=_("List the framework versions in use"),
            operation_id="frameworks_list")
@paginate(Pages)
def list_frameworks(request):
    return services.active_versions()


@router.get("/{slug}", response=responses(FrameworkDetailOut, 404), summary=_("One framework with its indicator tree"),
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


@router.get("/{slug}/template", response=responses({200: None}, 404),
            summary=_("The questionnaire import template (xlsx)"),
            description=_("The file `ronghe assess template` writes: one row per enterprise with a column per item, "
                          "drop-downs for choices and ranges for numbers (data validation), and a sheet that "
                          "explains every item with its options. Fill it in and import it, or score it with the CLI."),
            operation_id="frameworks_template", openapi_extra=XLSX_RESPONSE)
def get_template(request, slug: Slug, version: Version | None = None, locale: Literal["zh-Hans", "en"] = "zh-Hans"):
    try:
        row = services.get_version(slug, version)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(slug) from exc
    return xlsx_response(lambda path: services.write_template(row, path, locale), services.template_name(row, locale))
