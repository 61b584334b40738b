"""Public catalogue pages: which frameworks are in use, their indicator tree, items and stages.

Frameworks are published content (like a standard's text), so these pages need no login.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from ronghe.apps.frameworks import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.frameworks.outline import outline


def catalogue(request):
    return render(request, "frameworks/catalogue.html", {"versions": services.active_versions()})


def detail(request, slug: str, version: int | None = None):
    try:
        row = services.get_version(slug, version)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(slug) from exc
    tree = outline(row.loaded().framework, locale=get_language() or "zh-hans")
    return render(request, "frameworks/detail.html", {"row": row, "tree": tree})


def template(request, slug: str, version: int | None = None):
    """Download the questionnaire import template (the file ``ronghe assess template`` writes), labels in
    the page's language."""
    from ronghe.downloads import xlsx_response

    try:
        row = services.get_version(slug, version)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(slug) from exc
    locale = get_language() or "zh-hans"
    return xlsx_response(lambda path: services.write_template(row, path, locale), services.template_name(row, locale))
