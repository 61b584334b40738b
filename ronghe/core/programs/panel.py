"""Drawing an expert panel (专家抽取) with conflicts of interest excluded.

An expert may not score a declaration when they have a conflict of interest with the enterprise:
the same region (at the call's level: province, city or county — :func:`same_region`), or a tie
the programs app finds in the database (the expert works for the enterprise, or for an
organisation that consulted or served it). The app hands :func:`draw` a boolean matrix of those
conflicts; the draw is random but reproducible: the pool is shuffled with a recorded seed, the first
``size`` experts form the panel, and further experts are added in the shuffled order while some
declaration has fewer than ``min_reviewers`` experts without a conflict. A declaration that cannot
reach the minimum from the whole pool is reported, and the organiser widens the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVELS = {"province": 2, "city": 4, "county": 6}
"""How many digits of a GB/T 2260 code two regions share to count as "the same region"."""


def same_region(a: str | None, b: str | None, level: str) -> bool:
    """Whether regions ``a`` and ``b`` (6-digit codes) lie in the same province, city or county."""
    k = LEVELS[level]
    return bool(a) and bool(b) and a[:k] == b[:k]


@dataclass(frozen=True)
class Draw:
    members: list[int]
    """Positions in the pool of the drawn experts, in the order drawn."""
    short: list[int]
    """Declarations (rows) that have fewer than ``min_reviewers`` experts without a conflict."""
    seed: int


def draw(conflict: np.ndarray, *, size: int, min_reviewers: int, seed: int) -> Draw:
    """Draw a panel from a pool of experts (the columns of ``conflict``: declarations × experts, True
    where the expert has a conflict with the declaration's enterprise)."""
    conflict = np.asarray(conflict, dtype=bool)
    n_decl, n_pool = conflict.shape
    order = np.random.default_rng(seed).permutation(n_pool)
    take = min(size, n_pool)
    members = list(order[:take])
    free = (~conflict[:, members]).sum(axis=1) if members else np.zeros(n_decl, dtype=int)
    for e in order[take:]:
        if (free >= min_reviewers).all():
            break
        helps = (free < min_reviewers) & ~conflict[:, e]
        if helps.any():
            members.append(e)
            free = free + ~conflict[:, e]
    short = [int(d) for d in np.flatnonzero(free < min_reviewers)]
    return Draw(members=[int(m) for m in members], short=short, seed=seed)
