"""Reading framework files: parse, validate (collecting *all* faults), identify by sha256.

``load(name_or_path)`` returns a :class:`Loaded` framework, or raises
:class:`~ronghe.core.errors.FrameworkFileError` listing every fault with its file, its path in
the document and the reason. ``validate(path)`` returns that list instead of raising, for
``ronghe frameworks validate``.

Shipped frameworks live in ``ronghe/data/frameworks/*.yaml`` and are found by their short name
(``gbt23020-discrete``), their file name or their URN.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ronghe.core.errors import FrameworkError, FrameworkFileError
from ronghe.core.frameworks.schema import Framework, Item

M = TypeVar("M", bound=BaseModel)

WEIGHT_TOLERANCE = 1e-6
"""Sibling weights must sum to 1 within this tolerance."""

_VALUE_OPS = {
    "single": {"eq", "ne", "in", "not_in", "answered"},
    "yesno": {"eq", "ne", "answered"},
    "multi": {"has", "answered"},
    "number": {"gt", "ge", "lt", "le", "eq", "ne", "answered"},
    "percent": {"gt", "ge", "lt", "le", "eq", "ne", "answered"},
}


@dataclass(frozen=True)
class Loaded:
    """A validated framework together with where it came from.

    ``sha256`` identifies the exact bytes of the file, so that every stored score can say which
    file produced it.
    """

    framework: Framework
    sha256: str
    source: str

    @property
    def name(self) -> str:
        return self.framework.name_slug


def shipped_dir() -> Path:
    """The folder of frameworks shipped inside the package."""
    return Path(str(resources.files("ronghe") / "data" / "frameworks"))


def shipped() -> list[Path]:
    """Paths of every framework file shipped with ronghe, sorted by name."""
    return sorted(shipped_dir().glob("*.yaml"))


def resolve_shipped(name_or_path: str | Path, folder: Path, what: str) -> Path:
    """Find a data file from a path, a short name, a file name or a URN among ``folder``'s files.

    Raises ``FileNotFoundError`` naming the shipped files when nothing matches.
    """
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        return path
    text = str(name_or_path)
    slug = text.rsplit(":", 1)[-1] if text.startswith("urn:") else text.removesuffix(".yaml")
    candidate = folder / f"{slug}.yaml"
    if candidate.exists():
        return candidate
    names = ", ".join(p.stem for p in sorted(folder.glob("*.yaml"))) or "none"
    raise FileNotFoundError(f"no {what} named {text!r} (shipped: {names})")


def resolve(name_or_path: str | Path) -> Path:
    """Find a framework file (see :func:`resolve_shipped`)."""
    return resolve_shipped(name_or_path, shipped_dir(), "framework")


def load(name_or_path: str | Path) -> Loaded:
    """Load and validate a framework; raise :class:`FrameworkFileError` on any fault.

    Results are cached by file content (sha256), so loading the same file twice costs a hash.
    """
    path = resolve(name_or_path)
    raw = path.read_bytes()
    return _load_bytes(raw, path.name)


def load_bytes(raw: bytes, source: str = "<memory>") -> Loaded:
    """Like :func:`load` for bytes already in memory (an upload, a database row)."""
    return _load_bytes(raw, source)


@lru_cache(maxsize=64)
def _load_bytes(raw: bytes, source: str) -> Loaded:
    framework, errors = _parse(raw, source)
    if errors:
        raise FrameworkFileError(errors)
    assert framework is not None
    return Loaded(framework=framework, sha256=hashlib.sha256(raw).hexdigest(), source=source)


def validate(path: str | Path) -> list[FrameworkError]:
    """Every fault of a framework file, or an empty list when it is valid."""
    return validate_file(path, Framework, check)


def validate_file(path: str | Path, model: type[M], check: Callable[[M], Iterable[tuple[str, str]]]
                  ) -> list[FrameworkError]:
    """Every fault of the data file at ``path`` (parsed as for :func:`parse_document`), a file that cannot
    be read included, or an empty list when it is valid. Shared by every kind of data file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        return [FrameworkError(p.name, "", f"cannot read file: {exc.strerror or exc}")]
    return parse_document(raw, p.name, model, check)[1]


def parse_document(raw: bytes, source: str, model: type[M], check: Callable[[M], Iterable[tuple[str, str]]]
                   ) -> tuple[M | None, list[FrameworkError]]:
    """Parse a YAML data file into ``model`` and run ``check`` on it, collecting every fault.

    Schema faults (types, ranges, unknown fields) come back with their path in the document;
    when the schema holds, ``check`` adds the structural faults that span several objects.
    Shared by framework files and regional index definitions.
    """
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [FrameworkError(source, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [FrameworkError(source, where, f"not valid YAML: {problem}")]
    if not isinstance(data, dict):
        return None, [FrameworkError(source, "", "the document must be a mapping of fields (urn, version, …)")]
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        return None, [FrameworkError(source, _pydantic_path(data, e["loc"]), _pydantic_reason(e)) for e in exc.errors()]
    return obj, [FrameworkError(source, path, reason) for path, reason in check(obj)]


def _parse(raw: bytes, source: str) -> tuple[Framework | None, list[FrameworkError]]:
    return parse_document(raw, source, Framework, check)


def _pydantic_path(data: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """Turn ``('items', 12, 'options', 1, 'score')`` into ``items/B1_03/options/B/score``.

    Ids are easier to find in a file than list positions; fall back to ``[12]`` when the entry
    has no id.
    """
    parts: list[str] = []
    node: Any = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            entry = node[key]
            ident = entry.get("id") if isinstance(entry, dict) else None
            parts.append(str(ident) if ident is not None else f"[{key}]")
            node = entry
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "/".join(parts)


def _pydantic_reason(error: dict[str, Any]) -> str:
    msg = error.get("msg", "invalid")
    if error.get("type") == "extra_forbidden":
        return "unknown field (check the spelling)"
    if error.get("type") == "missing":
        return "required field is missing"
    return msg


def check(fw: Framework) -> Iterator[tuple[str, str]]:
    """Structural checks spanning several objects; yields ``(path, reason)`` for each fault."""
    node_ids = {n.id for n in fw.nodes}
    item_ids = {i.id for i in fw.items}
    items = {i.id: i for i in fw.items}

    seen: dict[str, str] = {}
    for kind, objs in (("nodes", fw.nodes), ("items", fw.items)):
        for obj in objs:
            if obj.id in seen:
                yield f"{kind}/{obj.id}/id", f"duplicate id (also used in {seen[obj.id]})"
            seen[obj.id] = kind

    child_nodes: dict[str | None, list[Any]] = defaultdict(list)
    for n in fw.nodes:
        if n.parent is not None and n.parent not in node_ids:
            yield f"nodes/{n.id}/parent", f"unknown node {n.parent!r}"
        child_nodes[n.parent].append(n)
    child_items: dict[str, list[Item]] = defaultdict(list)
    for it in fw.items:
        if it.parent not in node_ids:
            yield f"items/{it.id}/parent", f"unknown node {it.parent!r}"
        child_items[it.parent].append(it)

    yield from _check_cycles(fw)

    for n in fw.nodes:
        kids, its = child_nodes.get(n.id, []), child_items.get(n.id, [])
        if kids and its:
            yield f"nodes/{n.id}", "a node holds either child nodes or items, not both"
        elif not kids and not its:
            yield f"nodes/{n.id}", "a leaf node must hold at least one item"
        for group, label in ((kids, "child nodes"), (its, "items")):
            if group:
                total = math.fsum(c.weight for c in group)
                if abs(total - 1.0) > WEIGHT_TOLERANCE:
                    weights = " + ".join(f"{c.id}={c.weight:g}" for c in group)
                    yield f"nodes/{n.id}", f"weights of its {label} sum to {total:.6g}, not 1 ({weights})"

    if fw.total not in node_ids:
        yield "total", f"unknown node {fw.total!r}"

    for it in fw.items:
        yield from _check_item(it)
        if it.condition is not None:
            yield from _check_condition(it, items)

    yield from _check_condition_cycles(fw)

    codes = [s.code for s in fw.stages]
    if codes != list(range(1, len(codes) + 1)):
        yield "stages", f"stage codes must be 1, 2, 3 … in order, got {codes}"
    for s in fw.stages:
        for k, req in enumerate(s.requires):
            if req.node not in node_ids:
                yield f"stages/{s.code}/requires/{k}/node", f"unknown node {req.node!r}"

    rate_ids: set[str] = set()
    for r in fw.rates:
        if r.id in rate_ids:
            yield f"rates/{r.id}/id", "duplicate rate id"
        rate_ids.add(r.id)
        if r.item not in item_ids:
            yield f"rates/{r.id}/item", f"unknown item {r.item!r}"
        elif items[r.item].type not in {"number", "percent"}:
            kind = items[r.item].type
            yield f"rates/{r.id}/item", f"item {r.item!r} is {kind}; a rate needs a number or percent item"

    if "en" in fw.translations:
        for n in fw.nodes:
            if n.name.en is None:
                yield f"nodes/{n.id}/name", "the header lists an English translation but this name has none"
        for it in fw.items:
            if it.label.en is None:
                yield f"items/{it.id}/label", "the header lists an English translation but this label has none"


def find_cycles(parent: dict[str, str | None]) -> Iterator[list[str]]:
    """Each cycle in a child → parent map, once, as the list of ids around it."""
    reported: set[str] = set()
    for start in parent:
        path, cur = [], start
        while cur is not None and cur in parent and cur not in path:
            path.append(cur)
            cur = parent[cur]
        if cur is not None and cur in path:
            cycle = path[path.index(cur):]
            if not reported.intersection(cycle):
                reported.update(cycle)
                yield cycle


def _check_cycles(fw: Framework) -> Iterator[tuple[str, str]]:
    for cycle in find_cycles({n.id: n.parent for n in fw.nodes}):
        yield f"nodes/{cycle[0]}/parent", "cycle in the tree: " + " → ".join([*cycle, cycle[0]])


def _check_item(it: Item) -> Iterator[tuple[str, str]]:
    base = f"items/{it.id}"
    if it.type in {"single", "multi"}:
        if not it.options or len(it.options) < 2:
            yield f"{base}/options", f"a {it.type} item needs at least two options"
        else:
            ids = [o.id for o in it.options]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                yield f"{base}/options/{dup}", "duplicate option id"
            if it.type == "multi" and len(ids) > 52:
                yield f"{base}/options", "a multiple-choice item holds at most 52 options"
            if it.type == "single":
                for o in it.options:
                    if o.exclusive:
                        yield f"{base}/options/{o.id}/exclusive", "only a multiple-choice option can exclude the others"
            elif all(o.exclusive for o in it.options):
                yield f"{base}/options", "at least one option must not be exclusive"
        if it.curve is not None:
            yield f"{base}/curve", f"a {it.type} item is scored by its options, not a curve"
    elif it.options:
        yield f"{base}/options", f"a {it.type} item has no options"
    if it.type in {"number", "percent"}:
        if it.curve is None:
            yield f"{base}/curve", f"a {it.type} item needs a scoring curve"
        else:
            xs = [p[0] for p in it.curve.points]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                yield f"{base}/curve/points", f"x values must increase strictly, got {xs}"
        if it.min is not None and it.max is not None and it.min >= it.max:
            yield f"{base}/max", f"max ({it.max:g}) must exceed min ({it.min:g})"
        if not it.unit:
            yield f"{base}/unit", "a number item must state its unit"
    elif it.curve is not None:
        yield f"{base}/curve", f"a {it.type} item has no curve"


def _check_condition(it: Item, items: dict[str, Item]) -> Iterator[tuple[str, str]]:
    cond = it.condition
    assert cond is not None
    base = f"items/{it.id}/condition"
    if cond.item == it.id:
        yield f"{base}/item", "an item cannot depend on itself"
        return
    ctrl = items.get(cond.item)
    if ctrl is None:
        yield f"{base}/item", f"condition on a missing item {cond.item!r}"
        return
    if cond.op not in _VALUE_OPS[ctrl.type]:
        ok = ", ".join(sorted(_VALUE_OPS[ctrl.type]))
        yield f"{base}/op", f"{cond.op!r} does not apply to {ctrl.type} item {ctrl.id!r} (use one of {ok})"
        return
    if cond.op == "answered":
        return
    if ctrl.type in {"single", "multi"}:
        values = cond.value if cond.op in {"in", "not_in"} else [cond.value]
        if not isinstance(values, list) or not values:
            yield f"{base}/value", f"{cond.op!r} needs a list of option ids"
            return
        known = {o.id for o in ctrl.options or []}
        for v in values:
            if str(v) not in known:
                yield f"{base}/value", f"unknown option {v!r} of item {ctrl.id!r} (options: {', '.join(sorted(known))})"
    elif ctrl.type == "yesno":
        if not isinstance(cond.value, bool):
            yield f"{base}/value", "a yes/no condition compares with true or false"
    elif not isinstance(cond.value, int | float) or isinstance(cond.value, bool):
        yield f"{base}/value", f"{cond.op!r} on a {ctrl.type} item needs a number"


def _check_condition_cycles(fw: Framework) -> Iterator[tuple[str, str]]:
    dep: dict[str, str | None] = {i.id: i.condition.item for i in fw.items if i.condition is not None}
    for cycle in find_cycles(dep):
        yield f"items/{cycle[0]}/condition", "conditions form a cycle: " + " → ".join([*cycle, cycle[0]])


def condition_order(fw: Framework) -> list[str]:
    """Item ids with a condition, ordered so that every controlling item comes first.

    Scoring evaluates applicability in this order, so a condition on a conditional item sees
    whether its controller was asked.
    """
    dep = {i.id: i.condition.item for i in fw.items if i.condition is not None}
    order: list[str] = []
    done: set[str] = set()

    def visit(i: str) -> None:
        if i in done:
            return
        ctrl = dep.get(i)
        if ctrl is not None and ctrl in dep:
            visit(ctrl)
        done.add(i)
        order.append(i)

    for i in dep:
        visit(i)
    return order
