"""Property: batch scoring equals scoring each assessment alone, and equals an independent,
straightforward reference implementation (recursive over the tree, plain Python)."""

import itertools
import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe.core.frameworks import load, shipped
from ronghe.core.frameworks.compile import compile
from ronghe.core.scoring import score
from ronghe.core.scoring.answers import encode
from tests.conftest import FILES

FRAMEWORKS = [compile(load(FILES / "frameworks" / "mini.yaml"))] + [compile(load(p)) for p in shipped()]


def reference(fw, raw: dict):
    """Score one assessment the slow, obvious way: dictionaries and recursion."""
    items = {i.id: i for i in fw.items}

    def answered(iid):
        v = raw.get(iid)
        return v is not None and not (isinstance(v, float) and math.isnan(v))

    def holds(item):
        c = item.condition
        if c is None:
            return True
        ctrl = items[c.item]
        if not asked(ctrl) or not answered(c.item):
            return False
        v = raw[c.item]
        if c.op == "answered":
            return True
        if ctrl.type == "multi":
            return c.value in v
        if ctrl.type == "single" and c.op in ("in", "not_in"):
            return (v in c.value) == (c.op == "in")
        cmp = {"eq": v == c.value, "ne": v != c.value}
        if ctrl.type in ("number", "percent"):
            cmp.update({"gt": v > c.value, "ge": v >= c.value, "lt": v < c.value, "le": v <= c.value})
        return cmp[c.op]

    def asked(item):
        return holds(item)

    def item_score(item):
        v = raw.get(item.id)
        if not answered(item.id):
            return 0.0
        if item.type == "single":
            return next(o.score for o in item.options if o.id == v)
        if item.type == "multi":
            chosen = [o.score for o in item.options if o.id in v]
            return min(100.0, sum(chosen)) if item.multi_rule == "sum" else max(chosen, default=0.0)
        if item.type == "yesno":
            return item.yes_score if v else item.no_score
        pts = item.curve.points
        if item.curve.kind == "linear":
            if v <= pts[0][0]:
                return pts[0][1]
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                if v <= x1:
                    return y0 + (y1 - y0) * (v - x0) / (x1 - x0)
            return pts[-1][1]
        s = item.curve.below
        for x, y in pts:
            if v >= x:
                s = y
        return s

    def node_score(nid):
        parts = [(n.weight, node_score(n.id)) for n in fw.nodes if n.parent == nid]
        parts = [(w, s) for w, s in parts if s is not None]
        parts += [(i.weight, item_score(i)) for i in fw.items if i.parent == nid and asked(i)]
        den = sum(w for w, _ in parts)
        return sum(w * s for w, s in parts) / den if den > 0 else None

    nodes = {n.id: node_score(n.id) for n in fw.nodes}
    complete = all(answered(i.id) for i in fw.items if i.required and asked(i))
    stage = 0
    for st_ in fw.stages:
        ok = all(nodes[r.node] is not None and nodes[r.node] >= r.min for r in st_.requires)
        if not ok:
            break
        stage = st_.code
    return nodes, (stage if complete else 0), complete


def _raw_value(item, draw):
    if draw(st.floats(0, 1)) < 0.1:
        return None
    if item.type == "single":
        return draw(st.sampled_from([o.id for o in item.options]))
    if item.type == "multi":  # an exclusive option (以上都没有) alone, or any of the others
        exclusive = [o.id for o in item.options if o.exclusive]
        if exclusive and draw(st.booleans()):
            return [draw(st.sampled_from(exclusive))]
        return draw(st.lists(st.sampled_from([o.id for o in item.options if not o.exclusive]), unique=True))
    if item.type == "yesno":
        return draw(st.booleans())
    lo = item.min if item.min is not None else -1e4
    hi = item.max if item.max is not None else 1e4
    return draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))


def _cell(item, v):
    if v is None:
        return None
    if item.type == "multi":
        return ",".join(v) if v else "无"
    if item.type == "yesno":
        return "是" if v else "否"
    return v


@st.composite
def batches(draw):
    compiled = draw(st.sampled_from(FRAMEWORKS))
    n = draw(st.integers(1, 12))
    rows = [{i.id: _raw_value(i, draw) for i in compiled.framework.items} for _ in range(n)]
    return compiled, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_it_scores_a_batch_exactly_as_one_by_one_and_as_the_reference(batch):
    compiled, rows = batch
    fw = compiled.framework
    items = {i.id: i for i in fw.items}
    frame = pd.DataFrame([{k: _cell(items[k], v) for k, v in r.items()} for r in rows], dtype=object)
    enc = encode(compiled, frame)
    assert not enc.errors, enc.errors[:3]
    together = score(compiled, enc, chunk=5)
    for i, raw in enumerate(rows):
        alone = score(compiled, enc.values[i : i + 1])
        np.testing.assert_array_equal(together.nodes[i], alone.nodes[0])
        assert together.stage[i] == alone.stage[0]
        nodes, stage, complete = reference(fw, raw)
        expected = np.array([np.nan if nodes[n] is None else nodes[n] for n in compiled.node_ids])
        np.testing.assert_allclose(together.nodes[i], expected, rtol=0, atol=1e-9)
        assert (int(together.stage[i]), bool(together.complete[i])) == (stage, complete)
