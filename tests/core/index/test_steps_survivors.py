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
