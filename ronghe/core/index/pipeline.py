"""An index as a pipeline of named steps whose specification is data (style habit 6).

``IndexPipeline.from_definition(d)`` builds the steps the definition lists (impute → treat →
normalise → weight → aggregate); ``run(panel)`` fits and applies them and keeps every
intermediate under its step's name (``result.named["normalise"]``), so a report can show what
each step did and a variant is just an edited spec (``with_params(normalise__method="zscore")``).
Aggregation walks the tree from the indicators up, level by level, to the total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ronghe.core.index.data import Panel, zones
from ronghe.core.index.definition import Definition, StepSpec
from ronghe.core.index.steps import STEPS, Aggregate, Step, Weight, check_positive


@dataclass
class Tree:
    """The definition's tree as index arrays: nodes in bottom-up order, children and weights."""

    node_ids: list[str]
    indicator_ids: list[str]
    order: list[int]
    """Node indices, children before parents."""
    children: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    """node → (indicator columns, child node indices, their weights in that order)."""
    groups: list[np.ndarray]
    """Indicator columns grouped by parent node (weights sum to 1 within a group)."""
    total: int

    @classmethod
    def of(cls, d: Definition) -> Tree:
        node_ids = [n.id for n in d.nodes]
        ind_ids = [i.id for i in d.indicators]
        npos = {n: k for k, n in enumerate(node_ids)}
        kids_ind: dict[int, list[int]] = defaultdict(list)
        kids_node: dict[int, list[int]] = defaultdict(list)
        for k, i in enumerate(d.indicators):
            kids_ind[npos[i.parent]].append(k)
        for n in d.nodes:
            if n.parent is not None:
                kids_node[npos[n.parent]].append(npos[n.id])
        depth: dict[int, int] = {}

        def height(k: int) -> int:
            if k not in depth:
                depth[k] = 1 + max((height(c) for c in kids_node[k]), default=0)
            return depth[k]

        order = sorted(range(len(node_ids)), key=height)
        weights_ind = np.array([i.weight for i in d.indicators])
        weights_node = np.array([n.weight for n in d.nodes])
        children = {
            k: (np.array(kids_ind[k], dtype=np.int64), np.array(kids_node[k], dtype=np.int64),
                np.concatenate([weights_ind[kids_ind[k]], weights_node[kids_node[k]]]))
            for k in range(len(node_ids))
        }
        groups = [np.array(v, dtype=np.int64) for v in kids_ind.values() if v]
        return cls(node_ids, ind_ids, order, children, groups, npos[d.total])


@dataclass
class IndexResult:
    """Scores of every node for every year and region, with the intermediates of each step."""

    definition: Definition
    panel: Panel
    tree: Tree
    named: dict[str, np.ndarray] = field(default_factory=dict)
    """Intermediate panels (years, regions, indicators) by step name, plus ``raw``."""
    weights: np.ndarray | None = None
    """Indicator weights used (within their parent group)."""
    scores: np.ndarray | None = None
    """(years, regions, nodes) node scores."""

    def node(self, node_id: str) -> np.ndarray:
        """(years, regions) scores of one node."""
        return self.scores[:, :, self.tree.node_ids.index(node_id)]

    @property
    def total(self) -> np.ndarray:
        return self.scores[:, :, self.tree.total]


class IndexPipeline:
    """Named steps applied to a panel; see the module docstring."""

    def __init__(self, definition: Definition, steps: list[tuple[str, Step]]):
        self.definition = definition
        self.steps = steps
        self.tree = Tree.of(definition)
        self.base_years = {s.step: s.base_year for s in definition.pipeline if s.base_year is not None}
        """Calendar base year per step name; resolved to a year index of the panel at run time."""

    @classmethod
    def from_definition(cls, d: Definition) -> IndexPipeline:
        return cls(d, [(s.step, _build(s)) for s in d.pipeline])

    @property
    def named_steps(self) -> dict[str, Step]:
        return dict(self.steps)

    def with_params(self, **changes: Any) -> IndexPipeline:
        """A copy with ``step__param=value`` changes, e.g. ``normalise__method="zscore"``."""
        specs = []
        for s in self.definition.pipeline:
            data = s.model_dump()
            data.update(s.model_extra or {})
            for key, value in changes.items():
                step, _, param = key.partition("__")
                if step == s.step:
                    data[param] = value
            specs.append(StepSpec(**data))
        return IndexPipeline.from_definition(self.definition.model_copy(update={"pipeline": specs}))

    def run(self, panel: Panel) -> IndexResult:
        d = self.definition
        ind_pos = {k: j for j, k in enumerate(panel.indicators)}
        cols = [ind_pos[i.id] for i in d.indicators]
        X = panel.X[:, :, cols]
        result = IndexResult(d, panel, self.tree, named={"raw": X})
        groups = zones(panel.regions, d.unit)
        context = {
            "groups": groups,
            "higher": np.array([i.direction == "higher" for i in d.indicators]),
            "reference": np.array([np.nan if i.reference is None else i.reference for i in d.indicators]),
            "target": np.array([np.nan if i.target is None else i.target for i in d.indicators]),
        }
        weights = np.array([i.weight for i in d.indicators])
        aggregate: Aggregate | None = None
        for name, step in self.steps:
            if isinstance(step, Weight):
                step.fit(X, groups=self.tree.groups, given=weights)
                weights = step.weights_
            elif isinstance(step, Aggregate):
                aggregate = step.fit(X)
            else:
                if name in self.base_years:
                    step.params["base_year"] = panel.year_index(self.base_years[name])
                X = step.fit(X, groups=groups).transform(X, **context)
            result.named[name] = X
        result.weights = weights
        if aggregate is not None and "normalise" in self.named_steps:  # refused here, naming the normalisation
            check_positive(X, ~np.isnan(X), aggregate.method, aggregate.floor, self.named_steps["normalise"].method)
        result.scores = aggregate_tree(X, self.tree, weights, aggregate.method if aggregate else "arithmetic",
                                       aggregate.floor if aggregate else None)
        return result


def _build(spec: StepSpec) -> Step:
    return STEPS[spec.step](method=spec.method, **dict(spec.model_extra or {}))


def aggregate_tree(X: np.ndarray, tree: Tree, weights: np.ndarray, method: str = "arithmetic",
                   floor: float | None = None) -> np.ndarray:
    """(years, regions, nodes) scores from normalised indicators ``X`` up the tree."""
    from ronghe.core.index.steps import combine

    T, R, _ = X.shape
    scores = np.full((T, R, len(tree.node_ids)), np.nan)
    for k in tree.order:
        ind_cols, node_cols, w = tree.children[k]
        w = w.copy()
        w[: len(ind_cols)] = weights[ind_cols]
        parts = [X[:, :, ind_cols], scores[:, :, node_cols]]
        children = np.concatenate(parts, axis=2)
        scores[:, :, k] = combine(children, w, method, floor)
    return scores
