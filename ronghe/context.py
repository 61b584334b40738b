"""What every page's header shows: the links of the user's roles (never one that would answer 404)
and the number of assessments waiting for the user's review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

BADGE_MAX = 99  # a badge counts to 99 and then shows "99+"


def badge(qs) -> str:
    """The number of rows of ``qs`` for a badge: "" for none, "99+" beyond :data:`BADGE_MAX`. The
    count stops at the cap, so a province with 100,000 assessments waiting pays for 100 rows, not
    for all of them, on every page."""
    n = qs.order_by()[: BADGE_MAX + 1].count()  # unordered: the first 100 found, no sort
    return "" if not n else f"{BADGE_MAX}+" if n > BADGE_MAX else str(n)


def _links(request) -> list[dict]:
    from ronghe.apps.accounts import access
    from ronghe.apps.accounts.services import may_invite
    from ronghe.apps.assessments.models import Assessment

    user = getattr(request, "user", None)  # absent when a middleware refuses a request before authentication
    links = [{"url": reverse("home"), "label": _("Home")},
             {"url": reverse("frameworks:catalogue"), "label": _("Frameworks")},
             {"url": reverse("regions:list"), "label": _("Regional index")},
             {"url": reverse("certification:verify"), "label": _("Verify a certificate")},
             {"url": reverse("programs:calls"), "label": _("Pilot programmes")},
             {"url": reverse("providers:catalogue"), "label": _("Service providers")}]
    if user is None or not user.is_authenticated:
        return links
    roles = access.roles(user)
    if access.sees_enterprises(user):
        links.append({"url": reverse("organizations:enterprises"), "label": _("Enterprises")})
    if roles & {"authority", "staff"}:
        pending = badge(access.assessments_for_user(user).filter(status=Assessment.Status.SUBMITTED))
        links.append({"url": reverse("organizations:enterprises") + "?status=submitted", "label": _("To review"),
                      "badge": pending, "id": "nav-pending"})
    if roles & {"authority", "staff"}:  # enterprise self-registrations at the user's desk (apps/registrations)
        waiting = badge(access.registrations_for_user(user).filter(state="pending"))
        links.append({"url": reverse("registrations:list"), "label": _("Registrations"), "badge": waiting,
                      "id": "nav-registrations"})
    if access.dashboard_scopes(user):  # an authority's figures of its jurisdiction (apps/benchmarking)
        links.append({"url": reverse("benchmarking:dashboard"), "label": _("Monitoring"), "id": "nav-monitoring"})
    if access.may_import(user):
        links.append({"url": reverse("assessments:import"), "label": _("Import answers")})
    if roles & {"authority", "staff"}:
        links.append({"url": reverse("assessments:score_file"), "label": _("Score a file")})
    if "authority" in roles:
        links.append({"url": reverse("regions:run"), "label": _("Run an evaluation")})
    if roles & {"enterprise", "consultancy", "assessment_body", "committee", "staff"}:
        links.append({"url": reverse("certification:home"), "label": _("Certification")})
    elif "authority" in roles:  # an authority's part of certification: the figures of its jurisdiction
        links.append({"url": reverse("certification:figures"), "label": _("Certification")})
    if "expert" in roles:
        links.append({"url": reverse("programs:reviews"), "label": _("My reviews")})
    if roles & {"enterprise", "provider", "staff"}:
        links.append({"url": reverse("providers:requests"), "label": _("Service requests")})
    if "provider" in roles:
        links.append({"url": reverse("providers:manage"), "label": _("My catalogue entry")})
    if may_invite(user):
        links.append({"url": reverse("accounts:invite"), "label": _("Invite")})
    links.append({"url": reverse("jobs:list"), "label": _("Background jobs")})
    from ronghe.apps.notifications.services import unread

    links.append({"url": reverse("notifications:list"), "label": _("Notifications"), "badge": badge(unread(user)),
                  "id": "nav-notifications"})
    return links


def _html(links: list[dict]) -> str:
    return format_html_join("\n", '<a href="{}"{}>{}{}</a>', (
        (link["url"], format_html(' id="{}"', link["id"]) if link.get("id") else "", link["label"],
         format_html(' <span class="count">{}</span>', link["badge"]) if link.get("badge") else "")
        for link in links))


def _nav_html(request) -> str:
    """The links as HTML, cached per user and language under the versions of what they count (the badges)
    and of the user's roles: the header is on every page, and its counts were a fifth of a list page."""
    from ronghe import pagecache
    from ronghe.apps.accounts import access

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return _html(_links(request))
    scope = access.provinces(user)
    return mark_safe(pagecache.cached(  # built by format_html
        "nav", (user.pk, user.is_staff, get_language()), lambda: _html(_links(request)),
        people=None, enterprises=scope, assessments=scope, registrations=None, notifications=[f"u{user.pk}"]))


def navigation(request) -> dict:
    return {"nav_links": lambda: _nav_html(request)}  # called only by a page that shows the header
