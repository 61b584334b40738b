"""Small frameworks written inside a test, so that each test shows the tree it scores.

``framework(nodes=..., items=...)`` goes through the same path as a shipped file: YAML bytes →
``load_bytes`` (schema and structural checks) → ``compile``. The helpers below spell the
common item shapes tersely; everything else is plain framework YAML as a dict.
"""

from __future__ import annotations

from typing import Any

import yaml

from ronghe.core.frameworks.compile import Compiled, compile
from ronghe.core.frameworks.load import load_bytes

STAGES = [
    {"code": 1, "label": {"zh-Hans": "起步建设", "en": "Starting"}},
    {"code": 2, "label": {"zh-Hans": "单项覆盖", "en": "Single coverage"}},
]


def framework(*, nodes: list[dict], items: list[dict], stages: list[dict] | None = None, total: str = "T",
              **header: Any) -> Compiled:
    doc = {"urn": "urn:ronghe:framework:test", "version": 1, "provider": "tests", "name": "测试框架",
           "total": total, "stages": stages or STAGES, "nodes": nodes, "items": items, **header}
    return compile(load_bytes(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()))


def _both(text: str) -> dict:
    return {"zh-Hans": text, "en": text}


def node(id: str, parent: str | None = None, weight: float = 1.0, **extra: Any) -> dict:
    return {"id": id, **({"parent": parent} if parent else {}), "weight": weight, "name": extra.pop("name", _both(id)),
            **extra}


def single(id: str, parent: str, scores: list[float], weight: float = 1.0, **extra: Any) -> dict:
    """A single-choice item with options A, B, C … worth ``scores``."""
    options = [{"id": chr(ord("A") + k), "label": f"选项{k}", "score": s} for k, s in enumerate(scores)]
    return {"id": id, "parent": parent, "type": "single", "weight": weight, "label": _both(id), "options": options,
            **extra}


def multi(id: str, parent: str, scores: dict[str, float], weight: float = 1.0, **extra: Any) -> dict:
    options = [{"id": k, "label": k, "score": s} for k, s in scores.items()]
    return {"id": id, "parent": parent, "type": "multi", "weight": weight, "label": _both(id), "options": options,
            **extra}


def yesno(id: str, parent: str, weight: float = 1.0, **extra: Any) -> dict:
    return {"id": id, "parent": parent, "type": "yesno", "weight": weight, "label": _both(id), **extra}


def number(id: str, parent: str, points: list[list[float]], kind: str = "thresholds", weight: float = 1.0,
           **extra: Any) -> dict:
    curve = {"kind": kind, "points": points, **({"below": extra.pop("below")} if "below" in extra else {})}
    return {"id": id, "parent": parent, "type": "number", "unit": "个", "weight": weight, "label": _both(id),
            "curve": curve, **extra}
