"""Reading targets files: parse, validate (every fault with file, path and reason), identify by sha256.

Shipped files live in ``ronghe/data/targets/*.yaml`` and are found by short name, file name or
URN, like frameworks and index definitions (the same parser, :func:`parse_document`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ronghe.core.codes import SIZE_BANDS, industries
from ronghe.core.errors import FrameworkError, FrameworkFileError
from ronghe.core.frameworks.load import Fault, fault, parse_document, resolve_shipped, validate_file
from ronghe.core.targets.schema import Target, TargetFile

DISTRIBUTION_TOLERANCE = 1.0
"""A published stage distribution must sum to 100 within this many points (rounding)."""


@dataclass(frozen=True)
class LoadedTargets:
    file: TargetFile
    sha256: str
    source: str

    @property
    def name(self) -> str:
        return self.file.name_slug


def shipped_dir() -> Path:
    return Path(str(resources.files("ronghe") / "data" / "targets"))


def shipped() -> dict[str, Path]:
    """Shipped targets files by short name (the file name without ``.yaml``)."""
    return {p.stem: p for p in sorted(shipped_dir().glob("*.yaml"))}


def resolve(name_or_path: str | Path) -> Path:
    return resolve_shipped(name_or_path, shipped_dir(), "targets file")


def _check_metric(t: Target) -> Iterator[Fault]:
    base, m = f"targets/{t.id}/metric", t.metric
    needs = {"stage_share": ("stage_min",), "rate": ("rate",), "rate_share": ("rate",), "index": ("index",)}[m.kind]
    for name in needs:
        if getattr(m, name) is None:
            yield fault(f"{base}/{name}", "targets.metric_needs", kind=m.kind, name=name)
    unused = {"stage_min", "rate", "index", "node"} - set(needs) - ({"node"} if m.kind == "index" else set())
    for name in sorted(unused):
        if getattr(m, name) is not None:
            yield fault(f"{base}/{name}", "targets.metric_unused", kind=m.kind, name=name)
    if m.kind == "index":
        from ronghe.core.index import definition as definitions

        found = definitions.shipped().get(m.index or "")
        if m.index is not None and found is None:
            names = ", ".join(definitions.shipped())
            yield fault(f"{base}/index", "targets.no_index", index=m.index, names=names)
        elif found is not None and m.node is not None:
            d = definitions.load(found).definition
            if m.node not in {n.id for n in d.nodes}:
                yield fault(f"{base}/node", "targets.index_node", index=m.index, node=m.node)
        if t.scope.industry or t.scope.size:
            yield fault(f"targets/{t.id}/scope", "targets.index_scope")


def _check_scope(t: Target) -> Iterator[Fault]:
    from ronghe.core.index.data import provinces

    s = t.scope
    if s.region != "000000" and s.region[:2] + "0000" not in provinces():
        yield fault(f"targets/{t.id}/scope/region", "targets.region", region=s.region)
    codes = industries()
    for code in s.industry:
        if code not in codes:
            yield fault(f"targets/{t.id}/scope/industry", "targets.industry", code=code)
    for band in s.size:
        if band not in SIZE_BANDS:
            yield fault(f"targets/{t.id}/scope/size", "targets.size", band=band, bands=", ".join(SIZE_BANDS))


def _check_points(t: Target) -> Iterator[Fault]:
    b = t.baseline
    if b is not None and b.year >= t.target.year:
        yield fault(f"targets/{t.id}/baseline/year", "targets.baseline_year", baseline=b.year, year=t.target.year)
    for name, point in (("baseline", b), ("target", t.target)):
        if point is None or point.distribution is None:
            continue
        path = f"targets/{t.id}/{name}/distribution"
        if t.metric.kind != "stage_share":
            yield fault(path, "targets.distribution_kind")
            continue
        total = sum(point.distribution)
        if abs(total - 100) > DISTRIBUTION_TOLERANCE:
            yield fault(path, "targets.distribution_sum", total=total)
        k = t.metric.stage_min or 1
        if len(point.distribution) < k:
            yield fault(path, "targets.distribution_short", count=len(point.distribution), stage=k)
        elif abs(sum(point.distribution[k - 1:]) - point.value) > DISTRIBUTION_TOLERANCE:
            yield fault(path, "targets.distribution_value", stage=k, total=sum(point.distribution[k - 1:]),
                        value=point.value)


def check(f: TargetFile) -> Iterator[Fault]:
    """Faults spanning several objects: ids, sources, metric fields, scopes, years, distributions."""
    sources = {s.id for s in f.sources}
    if len(sources) != len(f.sources):
        yield fault("sources", "targets.duplicate_source")
    seen: set[str] = set()
    for t in f.targets:
        if t.id in seen:
            yield fault(f"targets/{t.id}/id", "targets.duplicate_id")
        seen.add(t.id)
        if t.source not in sources:
            yield fault(f"targets/{t.id}/source", "targets.unknown_source", source=t.source,
                        sources=", ".join(sorted(sources)))
        yield from _check_metric(t)
        yield from _check_scope(t)
        yield from _check_points(t)


def _parse(raw: bytes, source: str) -> tuple[TargetFile | None, list[FrameworkError]]:
    return parse_document(raw, source, TargetFile, check)


def validate(path: str | Path) -> list[FrameworkError]:
    """Every fault of a targets file, or an empty list when it is valid."""
    return validate_file(path, TargetFile, check)


def load(name_or_path: str | Path) -> LoadedTargets:
    """Load and validate a targets file; raise :class:`FrameworkFileError` listing every fault."""
    path = resolve(name_or_path)
    raw = path.read_bytes()
    parsed, errors = _parse(raw, path.name)
    if errors:
        raise FrameworkFileError(errors)
    assert parsed is not None
    return LoadedTargets(parsed, hashlib.sha256(raw).hexdigest(), path.name)


def load_shipped() -> list[LoadedTargets]:
    """Every shipped targets file."""
    return [load(p) for p in shipped().values()]
