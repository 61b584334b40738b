"""The management-system standards as data: GB/T 23001 clause trees and GB/T 23006 capability grades.

A standard file is versioned YAML like a framework (header with ``urn``, ``version``, ``locale``,
``provider``, ``translations``; a flat list with ``parent``), validated by these pydantic models
and the structural checks of :func:`check`, read through the frameworks' one parser
(:func:`ronghe.core.frameworks.load.parse_document`) and identified by the sha256 of its bytes.

The official texts were not available (shared/specs/standards.md §2.2), so every clause, document
and grade states its ``basis``: ``source`` (seen in a source), ``paraphrase`` (content seen, words
ours), ``inferred`` (our reading, not seen) or ``placeholder`` (a ronghe default). Pages show it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ronghe.core.errors import FrameworkError, FrameworkFileError
from ronghe.core.frameworks.load import Fault, fault, find_cycles, parse_document, resolve_shipped, validate_file
from ronghe.core.frameworks.schema import Identifier, Text

Basis = Literal["source", "paraphrase", "inferred", "placeholder"]
ClauseId = Annotated[str, Field(pattern=r"^[1-9][0-9]?(\.[1-9][0-9]?){0,4}$")]
"""A clause number such as ``4``, ``4.4.3`` or ``4.4.3.1``."""
GradeCode = Annotated[str, Field(pattern=r"^CL[1-9]$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_Model):
    """A piece of documented information a clause requires (a manual, a policy, records)."""

    id: Identifier
    text: Text
    basis: Basis


class Clause(_Model):
    """One clause. ``checkable``: the enterprise self-checks it and assessors audit it — by
    default the clauses without sub-clauses; a parent sets it when it has requirements beyond its
    known sub-clauses (a chapter whose other sub-clauses were not seen)."""

    id: ClauseId
    parent: ClauseId | None = None
    title: Text
    basis: Basis
    requirement: Text | None = None
    """A paraphrase of what the clause requires, never a quotation."""
    documented: list[Document] = Field(default_factory=list)
    notes: Text | None = None
    checkable: bool | None = None


class Grade(_Model):
    """A grade of a new capability (GB/T 23006: CL1–CL5)."""

    code: GradeCode
    name: Text
    basis: Basis
    description: Text | None = None


class Standard(_Model):
    """A whole standard file: a clause tree (``kind: requirements``) or capability grades."""

    urn: Annotated[str, Field(pattern=r"^urn:ronghe:standard:[a-z0-9][a-z0-9-]*$")]
    version: int = Field(ge=1)
    locale: Literal["zh-Hans"] = "zh-Hans"
    translations: list[Literal["en"]] = Field(default_factory=list)
    provider: str
    kind: Literal["requirements", "capability-grades"]
    code: str = Field(min_length=1, max_length=40)
    """The standard's designation as printed on a certificate, e.g. ``GB/T 23001-2017``."""
    name: Text
    issued: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    placeholder: bool = False
    """True when any content is inferred or a placeholder (see ``basis``)."""
    sources: list[str] = Field(default_factory=list)
    notes: Text | None = None
    clauses: list[Clause] = Field(default_factory=list)
    grades: list[Grade] = Field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.urn.rsplit(":", 1)[-1]


def check(std: Standard) -> Iterator[Fault]:
    """Structural faults spanning several objects, each a :func:`~ronghe.core.frameworks.load.fault`."""
    if std.kind == "requirements":
        if not std.clauses:
            yield fault("clauses", "standard.no_clauses")
        if std.grades:
            yield fault("grades", "standard.grades_here")
    else:
        if not std.grades:
            yield fault("grades", "standard.no_grades")
        if std.clauses:
            yield fault("clauses", "standard.clauses_here")
    ids = [c.id for c in std.clauses]
    seen: set[str] = set()
    for c in std.clauses:
        if c.id in seen:
            yield fault(f"clauses/{c.id}/id", "standard.duplicate_clause")
        seen.add(c.id)
        if c.parent is not None:
            if c.parent not in ids:
                yield fault(f"clauses/{c.id}/parent", "standard.unknown_clause", clause=c.parent)
            elif c.id.rsplit(".", 1)[0] != c.parent:
                yield fault(f"clauses/{c.id}/parent", "standard.numbering", clause=c.id, parent=c.parent)
        elif "." in c.id:
            yield fault(f"clauses/{c.id}/parent", "standard.parent", clause=c.id, parent=c.id.rsplit(".", 1)[0])
        docs = [d.id for d in c.documented]
        for dup in sorted({d for d in docs if docs.count(d) > 1}):
            yield fault(f"clauses/{c.id}/documented/{dup}", "standard.duplicate_document")
        if "en" in std.translations and c.title.en is None:
            yield fault(f"clauses/{c.id}/title", "standard.title_en")
    for cycle in find_cycles({c.id: c.parent for c in std.clauses}):
        yield fault(f"clauses/{cycle[0]}/parent", "standard.cycle", cycle=" → ".join([*cycle, cycle[0]]))
    codes = [g.code for g in std.grades]
    if codes and codes != [f"CL{k}" for k in range(1, len(codes) + 1)]:
        yield fault("grades", "standard.grade_order", codes=codes)


@dataclass(frozen=True)
class LoadedStandard:
    """A validated standard with the sha256 of its file's bytes."""

    standard: Standard
    sha256: str
    source: str

    @cached_property
    def checkable(self) -> list[Clause]:
        """The clauses a self-check and an audit go through, in document order."""
        parents = {c.parent for c in self.standard.clauses if c.parent is not None}
        return [c for c in self.standard.clauses
                if (c.checkable if c.checkable is not None else c.id not in parents)]

    @cached_property
    def clauses(self) -> dict[str, Clause]:
        return {c.id: c for c in self.standard.clauses}

    def depth(self, clause_id: str) -> int:
        return clause_id.count(".")


def shipped_dir() -> Path:
    return Path(str(resources.files("ronghe") / "data" / "standards"))


def shipped() -> list[Path]:
    """Every standard file shipped with ronghe, sorted by name."""
    return sorted(shipped_dir().glob("*.yaml"))


def load(name_or_path: str | Path) -> LoadedStandard:
    """Load and validate a standard by path, short name or URN; raise :class:`FrameworkFileError`
    listing every fault (file, path, reason)."""
    path = resolve_shipped(name_or_path, shipped_dir(), "standard")
    return load_bytes(path.read_bytes(), path.name)


@lru_cache(maxsize=32)
def load_bytes(raw: bytes, source: str = "<memory>") -> LoadedStandard:
    std, errors = parse_document(raw, source, Standard, check)
    if errors:
        raise FrameworkFileError(errors)
    assert std is not None
    return LoadedStandard(std, hashlib.sha256(raw).hexdigest(), source)


def validate(path: str | Path) -> list[FrameworkError]:
    """Every fault of a standard file, or an empty list."""
    return validate_file(path, Standard, check)
