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
from ronghe.core.frameworks.load import parse_document, resolve_shipped, validate_file
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


def _check_metric(t: Target) -> Iterator[tuple[str, str]]:
    base, m = f"targets/{t.id}/metric", t.metric
    needs = {"stage_share": ("stage_min",), "rate": ("rate",), "rate_share": ("rate",), "index": ("index",)}[m.kind]
    for name in needs:
        if getattr(m, name) is None:
            yield f"{base}/{name}", f"a {m.kind} metric needs {name}"
    unused = {"stage_min", "rate", "index", "node"} - set(needs) - ({"node"} if m.kind == "index" else set())
    for name in sorted(unused):
        if getattr(m, name) is not None:
            yield f"{base}/{name}", f"a {m.kind} metric has no {name}"
    if m.kind == "index":
        from ronghe.core.index import definition as definitions

        found = definitions.shipped().get(m.index or "")
        if m.index is not None and found is None:
            names = ", ".join(definitions.shipped())
            yield f"{base}/index", f"no shipped index definition {m.index!r} (shipped: {names})"
        elif found is not None and m.node is not None:
            d = definitions.load(found).definition
            if m.node not in {n.id for n in d.nodes}:
                yield f"{base}/node", f"index {m.index!r} has no node {m.node!r}"
        if t.scope.industry or t.scope.size:
            yield f"targets/{t.id}/scope", "an index value covers a whole region: no industry or size"


def _check_scope(t: Target) -> Iterator[tuple[str, str]]:
    from ronghe.core.index.data import provinces

    s = t.scope
    if s.region != "000000" and s.region[:2] + "0000" not in provinces():
        yield f"targets/{t.id}/scope/region", f"{s.region} is in no province of GB/T 2260"
    codes = industries()
    for code in s.industry:
        if code not in codes:
            yield f"targets/{t.id}/scope/industry", f"{code} is not a GB/T 4754 section or division"
    for band in s.size:
        if band not in SIZE_BANDS:
            yield f"targets/{t.id}/scope/size", f"unknown size band {band!r} (use {', '.join(SIZE_BANDS)})"


def _check_points(t: Target) -> Iterator[tuple[str, str]]:
    b = t.baseline
    if b is not None and b.year >= t.target.year:
        yield (f"targets/{t.id}/baseline/year",
               f"the baseline ({b.year}) must come before the target year ({t.target.year})")
    for name, point in (("baseline", b), ("target", t.target)):
        if point is None or point.distribution is None:
            continue
        path = f"targets/{t.id}/{name}/distribution"
        if t.metric.kind != "stage_share":
            yield path, "only a stage share has a stage distribution"
            continue
        total = sum(point.distribution)
        if abs(total - 100) > DISTRIBUTION_TOLERANCE:
            yield path, f"the shares sum to {total:g}, not 100"
        k = t.metric.stage_min or 1
        if len(point.distribution) < k:
            yield path, f"it lists {len(point.distribution)} stages; the metric counts from stage {k}"
        elif abs(sum(point.distribution[k - 1:]) - point.value) > DISTRIBUTION_TOLERANCE:
            yield path, (f"stages {k} and above sum to {sum(point.distribution[k - 1:]):g}, "
                         f"but the value is {point.value:g}")


def check(f: TargetFile) -> Iterator[tuple[str, str]]:
    """Faults spanning several objects: ids, sources, metric fields, scopes, years, distributions."""
    sources = {s.id for s in f.sources}
    if len(sources) != len(f.sources):
        yield "sources", "duplicate source id"
    seen: set[str] = set()
    for t in f.targets:
        if t.id in seen:
            yield f"targets/{t.id}/id", "duplicate target id"
        seen.add(t.id)
        if t.source not in sources:
            yield f"targets/{t.id}/source", f"unknown source {t.source!r} (sources: {', '.join(sorted(sources))})"
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
