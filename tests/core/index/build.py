"""A small index definition written in the test, so that its numbers can be followed by hand.

T = 0.6·A + 0.4·B; A = 0.5·a1 + 0.5·a2 (a2: lower is better); B = b1. References 50, 4, 10;
targets 80, 2, 20. Regions: 110000 and 120000 (east), 140000 (central), 620000 (west).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ronghe.core.index.data import Panel
from ronghe.core.index.definition import Definition, check

REGIONS = ["110000", "120000", "140000", "620000"]
INDICATORS = ["a1", "a2", "b1"]

MINI: dict[str, Any] = {
    "urn": "urn:ronghe:index:mini", "version": 1, "provider": "tests", "name": {"zh-Hans": "迷你指数", "en": "Mini"},
    "total": "T",
    "nodes": [{"id": "T", "name": {"zh-Hans": "总指数", "en": "Total"}},
              {"id": "A", "parent": "T", "weight": 0.6, "name": {"zh-Hans": "甲", "en": "Alpha"}},
              {"id": "B", "parent": "T", "weight": 0.4, "name": {"zh-Hans": "乙", "en": "Beta"}}],
    "indicators": [
        {"id": "a1", "parent": "A", "weight": 0.5, "name": "a1", "unit": "%", "source": "s", "reference": 50,
         "target": 80},
        {"id": "a2", "parent": "A", "weight": 0.5, "name": "a2", "unit": "%", "source": "s", "direction": "lower",
         "reference": 4, "target": 2},
        {"id": "b1", "parent": "B", "weight": 1.0, "name": "b1", "unit": "个", "source": "s", "reference": 10,
         "target": 20},
    ],
    "pipeline": [{"step": "impute", "method": "group_mean"}, {"step": "treat", "method": "none"},
                 {"step": "normalise", "method": "ratio"}, {"step": "weight", "method": "given"},
                 {"step": "aggregate", "method": "arithmetic", "floor": 0.1}],
    "tiers": [{"min": 100, "label": {"zh-Hans": "第一梯队", "en": "Tier 1"}},
              {"min": 50, "label": {"zh-Hans": "第二梯队", "en": "Tier 2"}}],
    "uncertainty": {"weights": 0.2, "normalise": ["ratio", "minmax", "target"], "aggregate": ["arithmetic",
                                                                                           "geometric"]},
}


def definition(**changes: Any) -> Definition:
    """The mini definition with top-level keys replaced; ``pipeline`` may be a {step: spec} dict."""
    doc = copy.deepcopy(MINI)
    pipeline = changes.pop("pipeline", None)
    if isinstance(pipeline, dict):
        doc["pipeline"] = [{**s, **pipeline.get(s["step"], {})} for s in doc["pipeline"]]
    elif pipeline is not None:
        doc["pipeline"] = pipeline
    doc.update(changes)
    d = Definition.model_validate(doc)
    assert list(check(d)) == []
    return d


def panel(X, years=(2015,), regions=REGIONS) -> Panel:
    return Panel(list(years), list(regions), list(INDICATORS), np.asarray(X, dtype=np.float64))
