"""Compile a framework into arrays, so that scoring is a handful of NumPy operations.

The YAML is convenient to write; scoring a million assessments needs index arrays. ``compile``
turns a validated framework into a :class:`Compiled` once (cached by sha256): item and node
order, fitted item scorers per type, a child→parent weight matrix for the roll-up, the nodes
grouped by height (leaves first), condition specs, stage requirements and rate columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ronghe.core.frameworks.load import Loaded, condition_order
from ronghe.core.frameworks.schema import Framework, Item
from ronghe.core.scoring.items import SCORERS, ItemScorer


@dataclass(frozen=True)
class ConditionSpec:
    """A compiled condition: item ``target`` is applicable when ``op`` holds on ``source``."""

    target: int
    source: int
    source_type: str
    op: str
    values: np.ndarray
    """Option indices (single), bit numbers (multi), 1/0 (yes/no) or the number compared."""


@dataclass(frozen=True)
class Compiled:
    """Everything scoring needs, as arrays. Column ``j`` of a coded answer matrix is item
    ``item_ids[j]``; column ``k`` of a node-score matrix is node ``node_ids[k]``."""

    loaded: Loaded
    item_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    rate_ids: tuple[str, ...]
    item_types: tuple[str, ...]
    scorers: tuple[tuple[ItemScorer, np.ndarray], ...]
    """(fitted scorer, the item columns it scores)."""
    weights: np.ndarray
    """(I + N, N): weight of each item / node in its parent node."""
    children: tuple[tuple[np.ndarray, np.ndarray], ...]
    """Per node: (columns of its children in the items-then-nodes space, their weights)."""
    heights: tuple[np.ndarray, ...]
    """Node indices grouped by height: leaves (which hold items) first, roots last."""
    required: np.ndarray
    """(I,) bool: answer required when the item is applicable."""
    conditions: tuple[ConditionSpec, ...]
    """In dependency order: a controller's applicability is known before it is used."""
    stage_reqs: tuple[tuple[np.ndarray, np.ndarray], ...]
    """Per stage 1…k: (node indices, minimum scores 0–100)."""
    rate_items: np.ndarray
    """(R,) item column of each rate."""
    total: int
    """Node index of the total score."""
    option_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Option ids of each choice item, in code order."""

    @property
    def framework(self) -> Framework:
        return self.loaded.framework

    @property
    def sha256(self) -> str:
        return self.loaded.sha256

    def item_index(self, item_id: str) -> int:
        return self.item_ids.index(item_id)

    def node_index(self, node_id: str) -> int:
        return self.node_ids.index(node_id)

    def item(self, item_id: str) -> Item:
        return self.framework.items[self.item_index(item_id)]


def compile(loaded: Loaded) -> Compiled:
    """Compile a loaded framework (cached by its sha256)."""
    return _compile_cached(loaded.sha256, _Key(loaded))


class _Key:
    """Carries the Loaded object through lru_cache while hashing on sha256 only."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded

    def __hash__(self) -> int:
        return hash(self.loaded.sha256)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Key) and other.loaded.sha256 == self.loaded.sha256


@lru_cache(maxsize=32)
def _compile_cached(sha256: str, key: _Key) -> Compiled:
    return _compile(key.loaded)


def _compile(loaded: Loaded) -> Compiled:
    fw = loaded.framework
    items = list(fw.items)
    item_ids = tuple(i.id for i in items)
    item_pos = {iid: j for j, iid in enumerate(item_ids)}
    node_ids = tuple(n.id for n in fw.nodes)
    node_pos = {nid: k for k, nid in enumerate(node_ids)}
    n_items, n_nodes = len(items), len(node_ids)

    weights = np.zeros((n_items + n_nodes, n_nodes))
    for j, it in enumerate(items):
        weights[j, node_pos[it.parent]] = it.weight
    for n in fw.nodes:
        if n.parent is not None:
            weights[n_items + node_pos[n.id], node_pos[n.parent]] = n.weight

    children: dict[str, list[str]] = {nid: [] for nid in node_ids}
    for n in fw.nodes:
        if n.parent is not None:
            children[n.parent].append(n.id)
    height: dict[str, int] = {}

    def h(nid: str) -> int:
        if nid not in height:
            height[nid] = 1 + max((h(c) for c in children[nid]), default=-1)
        return height[nid]

    for nid in node_ids:
        h(nid)
    heights = tuple(
        np.array([node_pos[nid] for nid in node_ids if height[nid] == level], dtype=np.int64)
        for level in range(max(height.values()) + 1)
    )

    by_type: dict[type[ItemScorer], list[int]] = {}
    for j, it in enumerate(items):
        by_type.setdefault(SCORERS[it.type], []).append(j)
    scorers = tuple(
        (cls().fit([items[j] for j in cols]), np.array(cols, dtype=np.int64)) for cls, cols in by_type.items()
    )

    option_ids = {it.id: tuple(o.id for o in it.options or []) for it in items if it.options}
    conditions = tuple(_condition(items[item_pos[iid]], item_pos, items, option_ids) for iid in condition_order(fw))

    stage_reqs = tuple(
        (np.array([node_pos[r.node] for r in s.requires], dtype=np.int64),
         np.array([r.min for r in s.requires], dtype=np.float64))
        for s in fw.stages
    )
    return Compiled(
        loaded=loaded,
        item_ids=item_ids,
        node_ids=node_ids,
        rate_ids=tuple(r.id for r in fw.rates),
        item_types=tuple(i.type for i in items),
        scorers=scorers,
        weights=weights,
        children=tuple(
            (np.flatnonzero(weights[:, k] > 0), weights[weights[:, k] > 0, k]) for k in range(n_nodes)
        ),
        heights=heights,
        required=np.array([i.required for i in items], dtype=bool),
        conditions=conditions,
        stage_reqs=stage_reqs,
        rate_items=np.array([item_pos[r.item] for r in fw.rates], dtype=np.int64),
        total=node_pos[fw.total],
        option_ids=option_ids,
    )


def _condition(item: Item, item_pos: dict[str, int], items: list[Item],
               option_ids: dict[str, tuple[str, ...]]) -> ConditionSpec:
    cond = item.condition
    assert cond is not None
    src = item_pos[cond.item]
    src_type = items[src].type
    raw = cond.value if isinstance(cond.value, list) else [cond.value]
    if cond.op == "answered":
        values = np.array([], dtype=np.float64)
    elif src_type in {"single", "multi"}:
        values = np.array([option_ids[cond.item].index(str(v)) for v in raw], dtype=np.float64)
    elif src_type == "yesno":
        values = np.array([1.0 if v else 0.0 for v in raw])
    else:
        values = np.array([float(v) for v in raw])
    return ConditionSpec(item_pos[item.id], src, src_type, cond.op, values)
