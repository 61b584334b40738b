"""Benchmarking and monitoring: the enterprise's peer panel, the authority's dashboard, targets.

Views, the API and the management commands call these functions; the numbers come from
``ronghe.core.benchmarking`` and ``ronghe.core.targets`` over the snapshot (:mod:`.snapshot`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ronghe.apps.benchmarking import snapshot


def on_scored(sender: Any, score: Any, **kwargs: Any) -> None:
    """Receiver of ``assessment_scored``: the new score joins the snapshot in the same transaction."""
    snapshot.record(score)


def recompute(framework=None, year: int | None = None, progress: Callable[[int, int], None] | None = None
              ) -> dict[tuple[int, int], int]:
    """Rebuild the snapshot (of one framework version and/or year, or all) from the stored scores."""
    return snapshot.rebuild(None if framework is None else [framework], year, progress)
