"""A framework as a nested outline in one language, for anything that shows the tree.

The file keeps a flat node list (easy to edit and diff); people read a tree. ``outline`` builds
that tree once, with labels resolved in the requested locale and each node's *effective* weight
(its share of the root, the product of weights along the path, as a fraction 0–1), so the web
page, the CLI and reports present the same thing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ronghe.core.frameworks.schema import Framework, Item, Text


@dataclass
class ItemView:
    id: str
    type: str
    label: str
    weight: float
    unit: str | None
    required: bool
    help: str | None
    definition: str | None
    options: list[tuple[str, str, float]]
    condition: str | None
    exclusive: list[str] = field(default_factory=list)
    """Ids of the options that exclude every other (以上都没有)."""


@dataclass
class NodeView:
    id: str
    name: str
    weight: float
    """Weight among siblings, fraction 0–1."""
    share: float
    """Effective weight in its root: product of weights from the root down, fraction 0–1."""
    depth: int
    advice: str | None
    children: list[NodeView] = field(default_factory=list)
    items: list[ItemView] = field(default_factory=list)


@dataclass
class StageView:
    code: int
    label: str
    description: str | None
    requires: list[tuple[str, str, float]]
    """(node id, node name, minimum score 0–100)."""


@dataclass
class Outline:
    name: str
    urn: str
    version: int
    standard: str | None
    placeholder: bool
    notes: str | None
    total: str
    roots: list[NodeView]
    stages: list[StageView]
    rates: list[tuple[str, str, str]]
    """(rate id, label, item id)."""

    def walk(self):
        """Every node depth-first, roots first."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _t(text: Text | None, locale: str) -> str | None:
    return text.get(locale) if text is not None else None


_QUOTED = re.compile(r"(“([^”]+)”|\"([^\"]+)\")")


def refer_by_number(text: str | None, ids_by_label: dict[str, str]) -> str | None:
    """``text`` with every quoted item label preceded by the item's id, the number the page and the
    template show: ``与“自动化生产设备占比”一样`` → ``与 JC_01“自动化生产设备占比”一样``. Other quotes stay."""
    if not text:
        return text

    def number(m: re.Match) -> str:
        item = ids_by_label.get(m.group(2) or m.group(3))
        if not item:
            return m.group(1)
        space = "" if m.start() == 0 or text[m.start() - 1].isspace() else " "
        return f"{space}{item}{m.group(1)}"

    return _QUOTED.sub(number, text)


def describe_condition(item: Item, items: dict[str, Item], locale: str = "zh-Hans") -> str | None:
    """The item's condition in words, e.g. ``仅当 a2 = 是``."""
    c = item.condition
    if c is None:
        return None
    en = locale.startswith("en")
    ctrl = items.get(c.item)
    value = c.value
    if ctrl is not None and ctrl.type == "yesno" and isinstance(value, bool):
        value = ("yes" if value else "no") if en else ("是" if value else "否")
    ops = {
        "eq": "=", "ne": "≠", "in": "∈", "not_in": "∉", "gt": ">", "ge": "≥", "lt": "<", "le": "≤",
        "has": "includes" if en else "包含",
    }
    if c.op == "answered":
        return f"only when {c.item} is answered" if en else f"仅当 {c.item} 已作答"
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return f"only when {c.item} {ops[c.op]} {value}" if en else f"仅当 {c.item} {ops[c.op]} {value}"


def outline(fw: Framework, locale: str = "zh-Hans") -> Outline:
    """Build the presentable tree of ``fw`` in ``locale`` (``zh-Hans`` or ``en``)."""
    items_by_id = {i.id: i for i in fw.items}
    kids: dict[str | None, list] = defaultdict(list)
    for n in fw.nodes:
        kids[n.parent].append(n)
    items_of: dict[str, list[Item]] = defaultdict(list)
    for it in fw.items:
        items_of[it.parent].append(it)
    names = {n.id: n.name.get(locale) for n in fw.nodes}
    ids_by_label = {it.label.get(locale): it.id for it in fw.items}

    def build(node, depth: int, share: float) -> NodeView:
        own = share * (node.weight if depth else 1.0)
        view = NodeView(node.id, node.name.get(locale), node.weight if depth else 1.0, own, depth,
                        _t(node.advice, locale))
        view.children = [build(c, depth + 1, own) for c in kids.get(node.id, [])]
        view.items = [
            ItemView(
                id=it.id, type=it.type, label=it.label.get(locale), weight=it.weight, unit=it.unit,
                required=it.required, help=refer_by_number(_t(it.help, locale), ids_by_label),
                definition=refer_by_number(_t(it.definition, locale), ids_by_label),
                options=[(o.id, o.label.get(locale), o.score) for o in it.options or []],
                condition=describe_condition(it, items_by_id, locale),
                exclusive=[o.id for o in it.options or [] if o.exclusive],
            )
            for it in items_of.get(node.id, [])
        ]
        return view

    return Outline(
        name=fw.name.get(locale),
        urn=fw.urn,
        version=fw.version,
        standard=fw.standard,
        placeholder=fw.placeholder,
        notes=_t(fw.notes, locale),
        total=fw.total,
        roots=[build(r, 0, 1.0) for r in kids.get(None, [])],
        stages=[
            StageView(s.code, s.label.get(locale), _t(s.description, locale),
                      [(r.node, names.get(r.node, r.node), r.min) for r in s.requires])
            for s in fw.stages
        ],
        rates=[(r.id, r.label.get(locale), r.item) for r in fw.rates],
    )
