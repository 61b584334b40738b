"""Site-wide views: health and readiness probes, and the CSRF failure page."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render


def healthz(request):
    """Liveness: the process answers. Never touches a dependency, so a slow database does not get
    healthy app servers restarted."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Readiness: this server can do its work — the database answers and is migrated, the cache and
    the file storage work. 503 with the failing checks otherwise, so a load balancer stops sending it
    traffic."""
    checks = {}

    def check(name, probe):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # a probe reports any failure; it must never raise
            checks[name] = f"error: {type(exc).__name__}"

    def database():
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")

    def migrations():
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise RuntimeError("unapplied migrations")

    def cache_roundtrip():
        key = f"readyz:{uuid.uuid4().hex}"
        cache.set(key, 1, 10)
        if cache.get(key) != 1:
            raise RuntimeError("cache lost a value")
        cache.delete(key)

    def storage():
        name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)

    check("database", database)
    check("migrations", migrations)
    check("cache", cache_roundtrip)
    check("storage", storage)
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ready" if ok else "unready", "checks": checks}, status=200 if ok else 503)


def csrf_failure(request, reason=""):
    return render(request, "403.html", status=403)


def home(request):
    """Each role's home is its work: an enterprise its assessment and what to do next, an authority
    its review queue, a consultancy its clients, an assessment body its cases under way, the
    committee the cases it reviews, an expert its score sheets, a provider its requests; visitors
    see what the platform offers."""
    from ronghe.apps.accounts import access
    from ronghe.apps.assessments.models import Assessment
    from ronghe.apps.frameworks.services import active_versions
    from ronghe.apps.organizations import services as organizations
    from ronghe.apps.organizations.models import Organization

    user = request.user
    context: dict = {"frameworks": active_versions()}
    if user.is_authenticated:
        roles = access.roles(user)
        context["roles"] = roles
        own = [m.organization for m in user.memberships.select_related("organization")
               if m.organization.kind == Organization.Kind.ENTERPRISE]
        context["enterprises"] = [(e, e.assessments.select_related("framework", "score")
                                   .defer("framework__content").order_by("-year", "-version").first()) for e in own]
        if "authority" in roles or "staff" in roles:
            queue = access.assessments_for_user(user).filter(status=Assessment.Status.SUBMITTED)
            context["queue"] = [a for a in queue.select_related("enterprise", "framework")
                                .defer("framework__content").order_by("submitted_at")[:50]
                                if access.can_review(user, a.enterprise)]
            context["queue_count"] = queue.count()
        if "consultancy" in roles:
            context["clients"] = organizations.enterprise_table(user).exclude(pk__in=[e.pk for e in own])[:50]
        if "assessment_body" in roles:  # the body's 评定 cases under way, the oldest application first
            from ronghe.apps.certification.services import ACTIVE_CASE_STATES

            bodies = access.orgs_of_kind(user, Organization.Kind.ASSESSMENT_BODY)
            context["body_cases"] = access.cases_for_user(user).filter(
                body__in=bodies, state__in=ACTIVE_CASE_STATES).select_related("enterprise").order_by(
                "applied_on", "pk")[:50]
        if "committee" in roles:  # cases in compliance review or public notice
            context["committee_cases"] = access.cases_for_user(user).filter(
                state__in=["in_review", "in_notice"]).select_related("enterprise").order_by("pk")[:50]
        if "expert" in roles:  # score sheets of reviews that are running, not yet submitted
            context["sheets"] = access.assignments_for_user(user).filter(
                call__state="reviewing", submitted_at__isnull=True).select_related("call", "declaration")[:50]
        if "provider" in roles:  # requests waiting for the provider's answer
            context["inbox"] = access.service_requests_for_user(user).filter(
                provider__memberships__user=user, state="sent").select_related("enterprise", "offering")[:50]
    return render(request, "home.html", context)
