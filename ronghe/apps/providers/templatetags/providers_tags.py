"""The providers panel of an assessment's result page: the few offerings that best address its weakest
indicators (``{% include "providers/_panel.html" %}`` loads and calls this; the page's view is not
changed)."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()
PANEL = 5


@register.simple_tag
def provider_matches(assessment):
    """The best offerings for ``assessment``'s diagnosis (at most :data:`PANEL`)."""
    from ronghe.apps.providers import services

    try:
        return services.matches(assessment, limit=PANEL)
    except ObjectDoesNotExist:  # a framework no longer registered: no panel rather than no page
        return []
