"""The peer panel on the assessment result page.

``{% peer_panel assessment as panel %}`` gives the panel rendered (the caller has already checked that
the user may see the assessment): ``panel.peer_stages`` and ``panel.panel``, drawn by
``benchmarking/_peer_stages.html`` and ``_panel.html`` and cached per snapshot state (services.py).
"""

from django import template
from django.utils.translation import get_language

from ronghe.apps.benchmarking import services

register = template.Library()


@register.simple_tag
def peer_panel(assessment):
    return services.peer_panel_html(assessment, get_language() or "zh-hans")


@register.filter
def metric(row: dict, metric_id: str):
    """The metric row of a panel group, by id."""
    return next((m for m in row.get("metrics", []) if m["id"] == metric_id), None)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def stage_pct(row: dict, stage: int):
    """A figures row's share (percent) at ``stage``."""
    return row.get(f"stage_{stage}_pct") if isinstance(row, dict) else None
