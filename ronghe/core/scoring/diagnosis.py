"""Diagnosis (自诊断): what stands between an assessment and the next stage, and where it is weakest.

Two lists, both with the framework's advice:
- **gaps**: the next stage's requirements that are not met (stage k+1; for an assessment whose
  stage is undetermined, the requirements of the stage its scores would reach next), each with
  the node's score, the required minimum and the gap in points;
- **weakest**: the ``diagnosis.weakest`` lowest-scoring applicable indicators at the configured
  level (``leaf``: nodes that hold items; ``top``: the children of the total node).

When a node has no advice of its own, the nearest ancestor's advice is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ronghe.core.scoring.stages import requirement_met

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled
    from ronghe.core.scoring import Scores


@dataclass
class Gap:
    node: str
    name: str
    score: float
    """Current score, 0–100 (NaN when the indicator is not applicable)."""
    required: float
    """Minimum score the next stage requires, 0–100."""
    gap: float
    """Points missing: required − score."""
    advice: str | None


@dataclass
class Weak:
    node: str
    name: str
    score: float
    advice: str | None


@dataclass
class Diagnosis:
    next_stage: tuple[int, str] | None
    """(code, label) of the next stage, or None at the top stage."""
    gaps: list[Gap] = field(default_factory=list)
    weakest: list[Weak] = field(default_factory=list)

    def summary(self, locale: str = "zh-Hans") -> str:
        """One line for a results sheet, e.g. ``距集成提升：综合集成 42.0<50（差8.0）；薄弱：…``."""
        en = locale.startswith("en")
        parts = []
        if self.next_stage and self.gaps:
            gaps = ", ".join(f"{g.name} {_points(g.score, en)}<{g.required:g} (-{g.gap:.1f})" for g in self.gaps)
            parts.append(f"to reach {self.next_stage[1]}: {gaps}" if en else f"距{self.next_stage[1]}：{gaps}")
        if self.weakest:
            weak = ", ".join(f"{w.name} {w.score:.1f}" for w in self.weakest)
            parts.append(f"weakest: {weak}" if en else f"薄弱环节：{weak}")
        return "; ".join(parts) if en else "；".join(parts)


def _points(score: float, en: bool) -> str:
    """A score in the summary: one decimal, or 不适用 / n/a for an indicator that does not apply."""
    if np.isnan(score):
        return "n/a" if en else "不适用"
    return f"{score:.1f}"


def _advice_lookup(compiled: Compiled, locale: str) -> dict[str, str | None]:
    fw = compiled.framework
    by_id = {n.id: n for n in fw.nodes}

    def find(nid: str | None) -> str | None:
        while nid is not None:
            node = by_id[nid]
            if node.advice is not None:
                return node.advice.get(locale)
            nid = node.parent
        return None

    return {n.id: find(n.id) for n in fw.nodes}


def _candidates(compiled: Compiled) -> np.ndarray:
    fw = compiled.framework
    if fw.diagnosis.level == "top":
        ids = [n.id for n in fw.nodes if n.parent == fw.total]
    else:
        holders = {i.parent for i in fw.items}
        ids = [n.id for n in fw.nodes if n.id in holders]
    return np.array([compiled.node_index(i) for i in ids], dtype=np.int64)


def diagnose(compiled: Compiled, scores: Scores, i: int, locale: str = "zh-Hans") -> Diagnosis:
    """The diagnosis of assessment ``i`` of ``scores``."""
    fw = compiled.framework
    names = {n.id: n.name.get(locale) for n in fw.nodes}
    advice = _advice_lookup(compiled, locale)
    nodes = scores.nodes[i]

    met = requirement_met(compiled, nodes[None, :])[0]
    reached = int(np.logical_and.accumulate(met).sum())
    nxt = reached + 1
    diag = Diagnosis(next_stage=None)
    if nxt <= len(fw.stages):
        stage = fw.stages[nxt - 1]
        diag.next_stage = (nxt, stage.label.get(locale))
        for req in stage.requires:
            s = float(nodes[compiled.node_index(req.node)])
            if not s >= req.min:  # NaN fails too
                diag.gaps.append(Gap(req.node, names[req.node], s, req.min,
                                     req.min - (0.0 if np.isnan(s) else s), advice[req.node]))
        diag.gaps.sort(key=lambda g: -g.gap)

    cand = _candidates(compiled)
    vals = nodes[cand]
    order = cand[np.argsort(np.where(np.isnan(vals), np.inf, vals), kind="stable")]
    for k in order[: fw.diagnosis.weakest]:
        if np.isnan(nodes[k]):
            break
        nid = compiled.node_ids[k]
        diag.weakest.append(Weak(nid, names[nid], float(nodes[k]), advice[nid]))
    return diag
