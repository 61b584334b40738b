"""Every registered index step honours the same protocol (style habit 5)."""

import numpy as np
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.index.steps import STEPS

STEP_CLASSES = sorted(STEPS.items())


@pytest.mark.parametrize(("kind", "cls"), STEP_CLASSES, ids=[k for k, _ in STEP_CLASSES])
def test_it_is_default_constructible_and_rejects_bad_parameters(kind, cls):
    cls()
    with pytest.raises(ParameterError, match="has no parameter"):
        cls(colour="red")
    with pytest.raises(ParameterError, match="method must be one of"):
        cls(method="nonsense")


@pytest.mark.parametrize(("kind", "cls"), STEP_CLASSES, ids=[k for k, _ in STEP_CLASSES])
def test_it_refuses_transform_before_fit(kind, cls):
    with pytest.raises(RuntimeError, match="not fitted"):
        cls().transform(np.ones((1, 3, 2)))


@pytest.mark.parametrize("method", ["minmax", "zscore", "rank", "percentile"])
def test_it_normalises_years_independently_of_other_years_where_it_should(method):
    from ronghe.core.index.steps import Normalise

    rng = np.random.default_rng(0)
    X = rng.uniform(0, 10, (3, 20, 4))
    whole = Normalise(method=method).fit(X).transform(X)
    first = Normalise(method=method).fit(X[:1]).transform(X[:1])
    np.testing.assert_allclose(whole[:1], first)  # learned on the base year only
