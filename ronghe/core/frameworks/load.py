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
from ronghe.core.messages import CATALOGUE, message

M = TypeVar("M", bound=BaseModel)

Fault = tuple[str, str, dict[str, Any]]
"""One structural fault a ``check`` finds: its path in the document, its code (see
:mod:`ronghe.core.messages`) and the parameters of the code's message."""


def fault(path: str, code: str, /, **params: Any) -> Fault:
    """The fault ``code`` at ``path`` with the message's ``params`` (ids, numbers: never translated)."""
    return path, code, params


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


def validate_file(path: str | Path, model: type[M], check: Callable[[M], Iterable[Fault]]) -> list[FrameworkError]:
    """Every fault of the data file at ``path`` (parsed as for :func:`parse_document`), a file that cannot
    be read included, or an empty list when it is valid. Shared by every kind of data file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        return [FrameworkError.of(p.name, "", "doc.unreadable", detail=exc.strerror or str(exc))]
    return parse_document(raw, p.name, model, check)[1]


def parse_document(raw: bytes, source: str, model: type[M], check: Callable[[M], Iterable[Fault]]
                   ) -> tuple[M | None, list[FrameworkError]]:
    """Parse a YAML data file into ``model`` and run ``check`` on it, collecting every fault.

    Schema faults (types, ranges, unknown fields) come back with their path in the document;
    when the schema holds, ``check`` adds the structural faults that span several objects.
    Every fault carries its code and reads in the active language (:mod:`ronghe.core.messages`).
    Shared by framework files, regional index definitions, targets and standard files.
    """
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [FrameworkError.of(source, "", "doc.not_utf8", detail=exc.reason, byte=exc.start + 1)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = message("doc.position", line=mark.line + 1, column=mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [FrameworkError.of(source, where, "doc.yaml", problem=problem)]
    if not isinstance(data, dict):
        return None, [FrameworkError.of(source, "", "doc.mapping")]
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        return None, [_schema_error(source, data, e) for e in exc.errors()]
    return obj, [FrameworkError.of(source, path, code, **params) for path, code, params in check(obj)]


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


_SCHEMA_CODES: dict[str, tuple[str, dict[str, str]]] = {
    # pydantic's error type: (our code, {our parameter: pydantic's context key})
    "missing": ("schema.missing", {}),
    "extra_forbidden": ("schema.extra", {}),
    "string_type": ("schema.text", {}),
    "int_type": ("schema.integer", {}),
    "int_parsing": ("schema.integer", {}),
    "int_from_float": ("schema.integer", {}),
    "float_type": ("schema.number", {}),
    "float_parsing": ("schema.number", {}),
    "finite_number": ("schema.finite", {}),
    "bool_type": ("schema.bool", {}),
    "bool_parsing": ("schema.bool", {}),
    "list_type": ("schema.list", {}),
    "tuple_type": ("schema.list", {}),
    "dict_type": ("schema.mapping", {}),
    "model_type": ("schema.mapping", {}),
    "model_attributes_type": ("schema.mapping", {}),
    "greater_than_equal": ("schema.ge", {"limit": "ge"}),
    "greater_than": ("schema.gt", {"limit": "gt"}),
    "less_than_equal": ("schema.le", {"limit": "le"}),
    "less_than": ("schema.lt", {"limit": "lt"}),
    "literal_error": ("schema.literal", {"expected": "expected"}),
    "too_short": ("schema.too_short", {"min": "min_length", "actual": "actual_length"}),
    "too_long": ("schema.too_long", {"max": "max_length", "actual": "actual_length"}),
    "string_too_short": ("schema.text_short", {"min": "min_length"}),
    "string_too_long": ("schema.text_long", {"max": "max_length"}),
    "string_pattern_mismatch": ("schema.pattern", {"pattern": "pattern"}),
    "value_error": ("schema.value", {"detail": "error"}),
}
"""The schema faults named in the catalogue; any other type reads ``schema.other`` with pydantic's
own (English) text. A validator may raise ``PydanticCustomError`` with a catalogue code as its type."""


def _plain(value: Any) -> Any:
    """A bound as written in the file: 100, not 100.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _schema_error(source: str, data: dict[str, Any], error: Any) -> FrameworkError:
    """One pydantic error as a fault: its path by ids, its code and parameters from pydantic's type and context."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in CATALOGUE:  # a validator's own fault (PydanticCustomError with a catalogue code)
        code, params = kind, dict(ctx)
    elif kind in _SCHEMA_CODES:
        code, keys = _SCHEMA_CODES[kind]
        params = {name: _plain(ctx[key]) for name, key in keys.items()}
    else:
        code, params = "schema.other", {"detail": error["msg"]}
    if code == "schema.literal":  # pydantic writes "'a', 'b' or 'c'": the same list without the English "or"
        params["expected"] = ", ".join(str(params["expected"]).rsplit(" or ", 1))
    elif code == "schema.value":
        params["detail"] = str(params["detail"])
    return FrameworkError.of(source, _pydantic_path(data, error["loc"]), code, **params)


def check(fw: Framework) -> Iterator[Fault]:
    """Structural checks spanning several objects; yields a :func:`fault` for each."""
    node_ids = {n.id for n in fw.nodes}
    item_ids = {i.id for i in fw.items}
    items = {i.id: i for i in fw.items}

    seen: dict[str, str] = {}
    for kind, objs in (("nodes", fw.nodes), ("items", fw.items)):
        for obj in objs:
            if obj.id in seen:
                yield fault(f"{kind}/{obj.id}/id", "framework.duplicate_id", other=seen[obj.id])
            seen[obj.id] = kind

    child_nodes: dict[str | None, list[Any]] = defaultdict(list)
    for n in fw.nodes:
        if n.parent is not None and n.parent not in node_ids:
            yield fault(f"nodes/{n.id}/parent", "framework.unknown_node", node=n.parent)
        child_nodes[n.parent].append(n)
    child_items: dict[str, list[Item]] = defaultdict(list)
    for it in fw.items:
        if it.parent not in node_ids:
            yield fault(f"items/{it.id}/parent", "framework.unknown_node", node=it.parent)
        child_items[it.parent].append(it)

    yield from _check_cycles(fw)

    for n in fw.nodes:
        kids, its = child_nodes.get(n.id, []), child_items.get(n.id, [])
        if kids and its:
            yield fault(f"nodes/{n.id}", "framework.node_mixed")
        elif not kids and not its:
            yield fault(f"nodes/{n.id}", "framework.node_empty")
        for group, code in ((kids, "framework.weights_nodes"), (its, "framework.weights_items")):
            if group:
                total = math.fsum(c.weight for c in group)
                if abs(total - 1.0) > WEIGHT_TOLERANCE:
                    weights = " + ".join(f"{c.id}={c.weight:g}" for c in group)
                    yield fault(f"nodes/{n.id}", code, total=total, weights=weights)

    if fw.total not in node_ids:
        yield fault("total", "framework.unknown_node", node=fw.total)

    for it in fw.items:
        yield from _check_item(it)
        if it.condition is not None:
            yield from _check_condition(it, items)

    yield from _check_condition_cycles(fw)

    codes = [s.code for s in fw.stages]
    if codes != list(range(1, len(codes) + 1)):
        yield fault("stages", "framework.stage_codes", codes=codes)
    for s in fw.stages:
        for k, req in enumerate(s.requires):
            if req.node not in node_ids:
                yield fault(f"stages/{s.code}/requires/{k}/node", "framework.unknown_node", node=req.node)

    rate_ids: set[str] = set()
    for r in fw.rates:
        if r.id in rate_ids:
            yield fault(f"rates/{r.id}/id", "framework.rate_duplicate")
        rate_ids.add(r.id)
        if r.item not in item_ids:
            yield fault(f"rates/{r.id}/item", "framework.unknown_item", item=r.item)
        elif items[r.item].type not in {"number", "percent"}:
            yield fault(f"rates/{r.id}/item", "framework.rate_type", item=r.item, type=items[r.item].type)

    if "en" in fw.translations:
        for n in fw.nodes:
            if n.name.en is None:
                yield fault(f"nodes/{n.id}/name", "framework.name_en")
        for it in fw.items:
            if it.label.en is None:
                yield fault(f"items/{it.id}/label", "framework.label_en")


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


def _check_cycles(fw: Framework) -> Iterator[Fault]:
    for cycle in find_cycles({n.id: n.parent for n in fw.nodes}):
        yield fault(f"nodes/{cycle[0]}/parent", "framework.cycle", cycle=" → ".join([*cycle, cycle[0]]))


def _check_item(it: Item) -> Iterator[Fault]:
    base = f"items/{it.id}"
    if it.type in {"single", "multi"}:
        if not it.options or len(it.options) < 2:
            yield fault(f"{base}/options", "framework.options_few", type=it.type)
        else:
            ids = [o.id for o in it.options]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                yield fault(f"{base}/options/{dup}", "framework.option_duplicate")
            if it.type == "multi" and len(ids) > 52:
                yield fault(f"{base}/options", "framework.options_many")
            if it.type == "single":
                for o in it.options:
                    if o.exclusive:
                        yield fault(f"{base}/options/{o.id}/exclusive", "framework.exclusive_single")
            elif all(o.exclusive for o in it.options):
                yield fault(f"{base}/options", "framework.exclusive_all")
        if it.curve is not None:
            yield fault(f"{base}/curve", "framework.curve_options", type=it.type)
    elif it.options:
        yield fault(f"{base}/options", "framework.options_unused", type=it.type)
    if it.type in {"number", "percent"}:
        if it.curve is None:
            yield fault(f"{base}/curve", "framework.curve_missing", type=it.type)
        else:
            xs = [p[0] for p in it.curve.points]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                yield fault(f"{base}/curve/points", "framework.curve_order", xs=xs)
        if it.min is not None and it.max is not None and it.min >= it.max:
            yield fault(f"{base}/max", "framework.min_max", min=it.min, max=it.max)
        if not it.unit:
            yield fault(f"{base}/unit", "framework.unit")
    elif it.curve is not None:
        yield fault(f"{base}/curve", "framework.curve_unused", type=it.type)


def _check_condition(it: Item, items: dict[str, Item]) -> Iterator[Fault]:
    cond = it.condition
    assert cond is not None
    base = f"items/{it.id}/condition"
    if cond.item == it.id:
        yield fault(f"{base}/item", "framework.condition_self")
        return
    ctrl = items.get(cond.item)
    if ctrl is None:
        yield fault(f"{base}/item", "framework.condition_item", item=cond.item)
        return
    if cond.op not in _VALUE_OPS[ctrl.type]:
        ok = ", ".join(sorted(_VALUE_OPS[ctrl.type]))
        yield fault(f"{base}/op", "framework.condition_op", op=cond.op, type=ctrl.type, item=ctrl.id, ops=ok)
        return
    if cond.op == "answered":
        return
    if ctrl.type in {"single", "multi"}:
        values = cond.value if cond.op in {"in", "not_in"} else [cond.value]
        if not isinstance(values, list) or not values:
            yield fault(f"{base}/value", "framework.condition_list", op=cond.op)
            return
        known = {o.id for o in ctrl.options or []}
        for v in values:
            if str(v) not in known:
                yield fault(f"{base}/value", "framework.condition_option", option=v, item=ctrl.id,
                            options=", ".join(sorted(known)))
    elif ctrl.type == "yesno":
        if not isinstance(cond.value, bool):
            yield fault(f"{base}/value", "framework.condition_yesno")
    elif not isinstance(cond.value, int | float) or isinstance(cond.value, bool):
        yield fault(f"{base}/value", "framework.condition_number", op=cond.op, type=ctrl.type)


def _check_condition_cycles(fw: Framework) -> Iterator[Fault]:
    dep: dict[str, str | None] = {i.id: i.condition.item for i in fw.items if i.condition is not None}
    for cycle in find_cycles(dep):
        yield fault(f"items/{cycle[0]}/condition", "framework.condition_cycle", cycle=" → ".join([*cycle, cycle[0]]))


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
