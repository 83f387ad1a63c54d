"""The Fay-Herriot model against R's sae::eblupFH and mseFH (REML) on the package's milk data,
and its guard against a zero model variance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.stats.fay_herriot import ADJUSTED, REML, _restricted_loglik, fay_herriot

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def milk():
    data = pd.read_csv(REFERENCE / "milk.csv")
    expected = pd.read_csv(REFERENCE / "milk_eblupFH.csv", comment="#")
    x = np.column_stack(
        [np.ones(len(data))] + [(data["MajorArea"] == k).to_numpy(float) for k in (2, 3, 4)]
    )
    return fay_herriot(data["yi"], x, data["SD"] ** 2), expected, (data, x)


def test_the_eblups_and_mses_are_sae_s(milk):
    _, expected, (data, x) = milk
    # with sae's own stopping rule (relative change of A below 1e-4, its default precision)
    # the published 7 digits, to their rounding
    fit = fay_herriot(data["yi"], x, data["SD"] ** 2, tol=1e-4)
    assert fit.method == REML
    np.testing.assert_allclose(fit.eblup, expected["eblup"], atol=1e-7)
    np.testing.assert_allclose(fit.mse, expected["mse"], atol=1e-9)
    np.testing.assert_allclose(fit.beta, [0.9681890, 0.1327801, 0.2269462, -0.2413011], atol=1e-7)
    # the fixed effects' standard errors, as recorded with the same values
    np.testing.assert_allclose(
        fit.beta_se, [0.06936208, 0.10300072, 0.09232981, 0.08161707], atol=1e-7
    )


def test_converged_to_the_end_it_agrees_to_six_digits(milk):
    fit, expected, _ = milk
    np.testing.assert_allclose(fit.eblup, expected["eblup"], atol=1e-6)
    np.testing.assert_allclose(fit.mse, expected["mse"], atol=1e-7)


def test_the_shrinkage_is_the_direct_estimates_weight(milk):
    fit, _, (data, _) = milk
    assert np.all((fit.shrinkage > 0) & (fit.shrinkage < 1))
    np.testing.assert_allclose(
        fit.eblup, fit.shrinkage * data["yi"] + (1 - fit.shrinkage) * fit.synthetic
    )
    # the model's MSE is below the direct estimate's variance in every area
    assert np.all(fit.mse < data["SD"] ** 2)


def test_a_zero_reml_estimate_is_replaced_by_the_adjusted_one():
    # direct estimates that vary less than their sampling variances: REML's A is 0
    rng = np.random.default_rng(1)
    psi = np.full(12, 0.01)
    y = 0.5 + rng.normal(0, 0.03, 12)
    x = np.ones((12, 1))
    fit = fay_herriot(y, x, psi)
    assert fit.method == ADJUSTED and fit.model_variance > 0
    assert np.all(fit.shrinkage > 0)
    # it is the maximum of A · L_R(A) (Li & Lahiri 2010), found here on a fine grid
    grid = np.linspace(1e-6, 0.02, 20001)
    adjusted = [_restricted_loglik(a, y, x, psi) + np.log(a) for a in grid]
    assert fit.model_variance == pytest.approx(grid[int(np.argmax(adjusted))], abs=2e-6)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="psi"):
        fay_herriot([1, 2, 3, 4], np.ones((4, 1)), [0.1, 0.0, 0.1, 0.1])
    with pytest.raises(ValueError, match="fixed effects"):
        fay_herriot([1, 2], np.ones((2, 1)), [0.1, 0.1])


def test_fisher_scoring_ends_at_the_maximum_of_the_restricted_likelihood(milk):
    fit, _, (data, x) = milk
    a, psi = fit.model_variance, data["SD"].to_numpy() ** 2
    at = _restricted_loglik(a, data["yi"].to_numpy(), x, psi)
    for step in (0.99, 1.01):
        assert _restricted_loglik(a * step, data["yi"].to_numpy(), x, psi) < at
