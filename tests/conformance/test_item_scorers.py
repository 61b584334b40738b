"""Every registered item scorer honours the same protocol (style habit 5)."""

import numpy as np
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.frameworks import load, shipped
from ronghe.core.scoring.items import SCORERS
from tests.conftest import FILES

ITEMS = [i for p in [FILES / "frameworks" / "mini.yaml", *shipped()] for i in load(p).framework.items]
SCORER_CLASSES = sorted(set(SCORERS.values()), key=lambda c: c.__name__)


def _items_for(cls):
    return [i for i in ITEMS if i.type in cls.types]


def _codes(items, n, rng):
    cols = []
    for it in items:
        if it.type == "single":
            cols.append(rng.integers(0, len(it.options), n).astype(float))
        elif it.type == "multi":
            cols.append(rng.integers(0, 2 ** len(it.options), n).astype(float))
        elif it.type == "yesno":
            cols.append(rng.integers(0, 2, n).astype(float))
        else:
            cols.append(rng.uniform(it.min if it.min is not None else -50, it.max if it.max is not None else 500, n))
    codes = np.column_stack(cols)
    codes[rng.random(codes.shape) < 0.1] = np.nan
    return codes


def test_it_registers_a_scorer_for_every_item_type():
    from typing import get_args

    from ronghe.core.frameworks.schema import ItemType

    assert set(SCORERS) == set(get_args(ItemType))


@pytest.mark.parametrize("cls", SCORER_CLASSES, ids=lambda c: c.__name__)
def test_it_is_default_constructible_and_rejects_unknown_parameters(cls):
    cls()
    with pytest.raises(ParameterError, match="has no parameter"):
        cls(weight=2)


@pytest.mark.parametrize("cls", SCORER_CLASSES, ids=lambda c: c.__name__)
def test_it_refuses_to_transform_before_fit(cls):
    with pytest.raises(RuntimeError, match="not fitted"):
        cls().transform(np.zeros((1, 1)))


@pytest.mark.parametrize("cls", SCORER_CLASSES, ids=lambda c: c.__name__)
def test_it_refuses_items_of_another_type(cls):
    other = next(i for i in ITEMS if i.type not in cls.types)
    with pytest.raises(ParameterError):
        cls().fit([other])


@pytest.mark.parametrize("cls", SCORER_CLASSES, ids=lambda c: c.__name__)
def test_it_scores_a_batch_like_one_row_at_a_time_within_0_to_100(cls):
    items = _items_for(cls)
    assert items, f"no {cls.types} items to test with"
    rng = np.random.default_rng(1)
    codes = _codes(items, 200, rng)
    scorer = cls().fit(items)
    batch = scorer.transform(codes)
    rows = np.vstack([scorer.transform(codes[i : i + 1]) for i in range(len(codes))])
    np.testing.assert_array_equal(batch, rows)
    assert np.array_equal(np.isnan(batch), np.isnan(codes))
    finite = batch[~np.isnan(batch)]
    assert finite.min() >= 0 and finite.max() <= 100
