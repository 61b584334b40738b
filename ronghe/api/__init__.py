"""The one NinjaAPI of ronghe; each app contributes its ``api.router``.

Every error is an :class:`~ronghe.api.errors.ErrorOut` (:mod:`ronghe.api.errors`), JSON bodies
are parsed strictly (:mod:`ronghe.api.parser`), lists are paginated (:mod:`ronghe.api.pagination`)
and inputs use the bounded types of :mod:`ronghe.api.fields`.

The OpenAPI schema speaks the request's language: summaries and descriptions are written in English
in the code, marked for translation (``gettext_lazy``), and :class:`RongheAPI` renders them per
request, so ``/api/docs`` reads in 简体中文 by default and in English with ``Accept-Language: en``.
Its assets (Swagger UI) are served by the site itself from the ninja package (``ninja`` is an
installed app), so the page works without internet.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from ronghe import __version__
from ronghe.api import errors
from ronghe.api.parser import StrictJSONParser
from ronghe.apps.assessments.api import router as assessments_router
from ronghe.apps.benchmarking.api import router as benchmarking_router
from ronghe.apps.certification.api import router as certification_router
from ronghe.apps.frameworks.api import router as frameworks_router
from ronghe.apps.jobs.api import router as jobs_router
from ronghe.apps.notifications.api import router as notifications_router
from ronghe.apps.organizations.api import router as organizations_router
from ronghe.apps.programs.api import router as programs_router
from ronghe.apps.providers.api import router as providers_router
from ronghe.apps.regions.api import router as regions_router
from ronghe.apps.registrations.api import router as registrations_router
from ronghe.apps.reports.api import router as reports_router

TRANSLATED = ("summary", "description")
"""Keys of the OpenAPI document whose text is for people (titles of fields are left as they are)."""


def translated(node: Any) -> Any:
    """``node`` (a part of the OpenAPI document) with every summary and description in the active
    language: lazy texts are resolved now, plain English texts are looked up in the catalogue."""
    if isinstance(node, dict):  # gettext("") would answer the catalogue's header: empty texts stay empty
        return {k: (gettext(str(v)) if k in TRANSLATED and isinstance(v, str | Promise) and str(v) else translated(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [translated(v) for v in node]
    if isinstance(node, Promise):
        return str(node)
    return node


def _merged(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merged(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def one_key_per_status(schema: dict) -> None:
    """Give every operation's ``responses`` one key per status, as text. Ninja keys them by number, and
    a route's ``openapi_extra`` may add the same status as text ("200"): JSON then holds the key twice,
    which Swagger UI's parser refuses (a blank /api/docs). The two are merged, the extra's words last."""
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            if isinstance(op, dict) and isinstance(op.get("responses"), dict):
                merged: dict[str, Any] = {}
                for status, body in sorted(op["responses"].items(), key=lambda kv: isinstance(kv[0], str)):
                    key = str(status)
                    merged[key] = _merged(merged[key], body) if key in merged else body
                op["responses"] = merged


class RongheAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI schema is rendered in the request's language (built per request)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        one_key_per_status(schema)
        schema.update(translated(dict(schema)))
        return schema


api = RongheAPI(title="ronghe API", version=__version__, docs_url="/docs", parser=StrictJSONParser(),
                description=_("两化融合 assessment, certification and regional evaluation"))
errors.install(api)
api.add_router("/frameworks", frameworks_router)
api.add_router("/organizations", organizations_router)
api.add_router("/assessments", assessments_router)
api.add_router("/benchmarking", benchmarking_router)
api.add_router("/jobs", jobs_router)
api.add_router("/notifications", notifications_router)
api.add_router("/certification", certification_router)
api.add_router("/programs", programs_router)
api.add_router("/providers", providers_router)
api.add_router("/regions", regions_router)
api.add_router("/registrations", registrations_router)
api.add_router("/reports", reports_router)
