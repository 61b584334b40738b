"""Registering framework versions.

Rules: a version number names one content forever (same urn + version with other bytes is
refused); a version older than the newest registered one is refused; registering the same file
again changes nothing. Every registration is written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.errors import RongheError
from ronghe.core.frameworks import Loaded, load, shipped


class FrameworkConflict(RongheError):
    """The file clashes with a registered version (same version, other content; or older)."""


def register_framework(loaded: Loaded, raw: bytes, *, by: Any = None) -> tuple[FrameworkVersion, bool]:
    """Register one validated framework; return ``(row, created)``.

    ``raw`` are the file's bytes (their sha256 must be ``loaded.sha256``).
    """
    fw = loaded.framework
    with transaction.atomic():
        same = FrameworkVersion.objects.select_for_update().filter(urn=fw.urn, version=fw.version).first()
        newest = FrameworkVersion.objects.filter(urn=fw.urn).aggregate(v=Max("version"))["v"]
        if same is not None:
            if same.sha256 != loaded.sha256:
                raise FrameworkConflict(
                    f"{loaded.source}: {fw.urn} version {fw.version} is already registered with other "
                    f"content (sha256 {same.sha256[:12]}…); publish the change as version {newest + 1}"
                )
            return same, False
        if newest is not None and fw.version < newest:
            raise FrameworkConflict(
                f"{loaded.source}: {fw.urn} version {fw.version} is older than registered version {newest}"
            )
        row = FrameworkVersion.objects.create(
            urn=fw.urn,
            version=fw.version,
            slug=fw.name_slug,
            title=fw.name.zh,
            title_en=fw.name.en or "",
            standard=fw.standard or "",
            sha256=loaded.sha256,
            source=loaded.source,
            content=raw,
            placeholder=fw.placeholder,
            n_items=len(fw.items),
        )
        if newest is not None:
            FrameworkVersion.objects.filter(urn=fw.urn).exclude(pk=row.pk).update(is_active=False)
        row.log("framework.registered", by, urn=fw.urn, version=fw.version, sha256=loaded.sha256)
    return row, True


def register_files(paths: Iterable[Path], *, by: Any = None) -> list[tuple[FrameworkVersion, bool]]:
    """Register several files all-or-nothing: any invalid or conflicting file registers none."""
    with transaction.atomic():
        return [register_framework(load(p), Path(p).read_bytes(), by=by) for p in paths]


def sync_shipped(*, by: Any = None) -> list[tuple[FrameworkVersion, bool]]:
    """Register every framework shipped with ronghe (run at install and by ``make run``)."""
    return register_files(shipped(), by=by)


def active_versions():
    """The versions offered to users: the newest active row of each framework."""
    return FrameworkVersion.objects.filter(is_active=True).order_by("slug")


def get_version(slug: str, version: int | None = None) -> FrameworkVersion:
    """One version by short name (the active one unless ``version`` is given).

    Raises ``FrameworkVersion.DoesNotExist`` when there is none.
    """
    qs = FrameworkVersion.objects.filter(slug=slug)
    return qs.get(version=version) if version is not None else qs.get(is_active=True)


def write_template(row: FrameworkVersion, path: str | Path, locale: str = "zh-Hans") -> Path:
    """The questionnaire import template of a framework version: the very file ``ronghe assess template``
    writes (one row per enterprise, drop-downs and ranges on every item, a sheet explaining each item),
    labels in ``locale`` (``zh-Hans`` or ``en``). Public content, like the framework itself."""
    from ronghe.core.frameworks.compile import compile
    from ronghe.core.io.xlsx import write_template as write

    return write(compile(row.loaded()), Path(path), "en" if locale.lower().startswith("en") else "zh-Hans")


def template_name(row: FrameworkVersion, locale: str = "zh-Hans") -> str:
    """The template's download name, e.g. ``gbt23020-discrete-v1-导入模板.xlsx``."""
    return f"{row.slug}-v{row.version}-" + ("template" if locale.lower().startswith("en") else "导入模板") + ".xlsx"
