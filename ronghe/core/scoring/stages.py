"""Stages reached bottom-up.

Stage k is reached when every requirement (a node scoring at least its minimum) of stages 1…k
holds; a not-applicable node (NaN) fails its requirement. The stage is the highest k reached,
or 0. Stage 0 means 待确定 when a required answer is missing and 未达标 when the answers are
complete but stage 1 is not reached; ``complete`` keeps the two apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled


def requirement_met(compiled: Compiled, nodes: np.ndarray) -> np.ndarray:
    """(n, K) bool: whether each stage's own requirements hold (ignoring lower stages)."""
    out = np.ones((nodes.shape[0], len(compiled.stage_reqs)), dtype=bool)
    for k, (idx, mins) in enumerate(compiled.stage_reqs):
        if len(idx):
            with np.errstate(invalid="ignore"):
                out[:, k] = (nodes[:, idx] >= mins).all(axis=1)
    return out


def reached_stage(compiled: Compiled, nodes: np.ndarray, complete: np.ndarray) -> np.ndarray:
    """(n,) int8 stage codes: the highest stage whose requirements and all lower ones hold."""
    reached = np.logical_and.accumulate(requirement_met(compiled, nodes), axis=1)
    stage = reached.sum(axis=1).astype(np.int8)
    stage[~complete] = 0
    return stage
