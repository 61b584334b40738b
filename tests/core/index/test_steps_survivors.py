"""Checks written for mutants of ``index/steps.py`` that survived the full run of issue 21.

``check_positive`` names the normalisation that left values ≤ 0 before a geometric or harmonic
mean; its default name is empty. Mutant #1 (a default of ``"XXXX"``) survived because nothing
read that name on the pipeline's path, and reading it showed the refusal of a regional index run
said "after '' normalisation": the pipeline now checks the normalised values itself, naming its
normalisation, as the sensitivity analysis already did.
"""

import numpy as np
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.steps import Aggregate
from tests.core.index.build import INDICATORS, REGIONS, definition, panel


def _pipeline(normalise: str, aggregate: str) -> list[dict]:
    return [
        {"step": "impute", "method": "group_mean"},
        {"step": "treat", "method": "none"},
        {"step": "normalise", "method": normalise},
        {"step": "weight", "method": "given"},
        {"step": "aggregate", "method": aggregate},
    ]


@pytest.mark.parametrize("aggregate", ["geometric", "harmonic"])
def test_a_run_refuses_values_at_or_below_zero_naming_the_normalisation_that_made_them(aggregate):
    # minmax gives 0 to each indicator's lowest region (all values distinct): one 0 per indicator.
    X = np.arange(1.0, 1.0 + len(REGIONS) * len(INDICATORS)).reshape(len(REGIONS), len(INDICATORS))
    with pytest.raises(ParameterError) as exc:
        IndexPipeline.from_definition(definition(pipeline=_pipeline("minmax", aggregate))).run(panel(X[None]))
    assert str(exc.value) == (
        f"{aggregate} aggregation needs positive values, but {len(INDICATORS)} value(s) are ≤ 0 after 'minmax' "
        "normalisation; drop that pair or set an explicit floor on the aggregate step"
    )


def test_positive_normalised_values_pass_the_check():
    X = np.arange(1.0, 1.0 + len(REGIONS) * len(INDICATORS)).reshape(len(REGIONS), len(INDICATORS))
    result = IndexPipeline.from_definition(definition(pipeline=_pipeline("ratio", "geometric"))).run(panel(X[None]))
    assert np.isfinite(result.scores).all()


def test_a_pipeline_without_a_normalise_step_aggregates_the_raw_values():
    # Not from a definition (its check requires a normalise step), but a pipeline built by hand:
    # region i holds i + 1 on every indicator, so every node's geometric mean is i + 1.
    X = np.repeat(np.arange(1.0, 1.0 + len(REGIONS))[:, None], len(INDICATORS), axis=1)
    result = IndexPipeline(definition(), [("aggregate", Aggregate(method="geometric"))]).run(panel(X[None]))
    np.testing.assert_allclose(result.scores[0], np.repeat(X[:, :1], result.scores.shape[2], axis=1))
