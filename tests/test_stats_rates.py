"""Crime-report statistics against R's poisson.test and glm (documentation examples)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analysis.stats import count_trend, rate_ci, rate_ratio
from analysis.stats.rates import _poisson_glm


def test_garwood_interval_matches_poisson_test():
    # R docs: poisson.test(137, 24.19893) -> rate 5.661407, 95 % CI 4.753125 6.692709.
    r = rate_ci(137, 24.19893, per=1)
    assert round(r.estimate, 6) == 5.661407
    assert (round(r.ci_low, 6), round(r.ci_high, 6)) == (4.753125, 6.692709)


def test_rate_per_1000_published_folehaven_2020():
    # dit-vesterbro.dk: 64 reports of borgervendt kriminalitet = 28.8 per 1,000 (about 2,222
    # inhabitants); the rate is reproduced from count and population.
    assert round(rate_ci(64, 2222).estimate, 1) == 28.8
    assert rate_ci(0, 2000).ci_low == 0.0


def test_exact_rate_ratio_matches_poisson_test_two_sample():
    # R docs: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) ->
    # p-value = 0.07967, 95 % CI 0.8584264 4.2772659, rate ratio 1.971488.
    r = rate_ratio(11, 800, 21, 1083 + 1050 + 878)
    assert round(r.estimate, 6) == 1.971488
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (0.8584264, 4.2772659)
    assert round(r.p_value, 5) == 0.07967
    assert r.note == "populations as exposure"


def test_one_sided_larger_and_counts_only():
    two = rate_ratio(60, None, 45, None)
    one = rate_ratio(60, None, 45, None, alternative="larger")
    assert "counts only" in two.note and two.n_kind == "count"
    assert one.p_value < two.p_value and one.ci_high == math.inf
    fell = rate_ratio(30, None, 45, None, alternative="larger")
    assert fell.p_value > 0.5


def test_score_method_available():
    r = rate_ratio(11, 800, 21, 3011, method="score")
    assert r.method == "score" and 0.05 < r.p_value < 0.1
    assert r.ci_low < r.estimate < r.ci_high


def dobson_1990():
    # Dobson (1990), An Introduction to Generalized Linear Models, p. 93, the example of R's
    # ?glm: counts ~ outcome + treatment, both factors with 3 levels (treatment contrasts).
    y = np.array([18, 17, 15, 20, 10, 20, 25, 13, 12], dtype=float)
    outcome, treatment = np.tile([1, 2, 3], 3), np.repeat([1, 2, 3], 3)
    X = np.column_stack(
        [np.ones(9), outcome == 2, outcome == 3, treatment == 2, treatment == 3]
    ).astype(float)
    return y, X


def test_poisson_glm_matches_r_glm_dobson():
    # R: summary(glm(counts ~ outcome + treatment, family = poisson())) -> estimates 3.045e+00,
    # -4.543e-01, -2.930e-01, ~0, ~0; std. errors 1.709e-01, 2.022e-01, 1.927e-01, 2.000e-01,
    # 2.000e-01; residual deviance 5.1291 on 4 df. quasipoisson(): dispersion 1.2933.
    y, X = dobson_1990()
    beta, cov, pearson = _poisson_glm(y, X, np.zeros(9))
    assert np.round(beta, 4).tolist() == [3.0445, -0.4543, -0.2930, 0.0, 0.0]
    assert np.round(np.sqrt(np.diag(cov)), 4).tolist() == [0.1709, 0.2022, 0.1927, 0.2, 0.2]
    assert round(pearson / 4, 4) == 1.2933
    mu = np.exp(X @ beta)
    assert round(2 * float(np.sum(y * np.log(y / mu) - (y - mu))), 4) == 5.1291


def test_count_trend_is_the_poisson_regression_on_year():
    # The same fit as R's glm(count ~ I(year - mean(year)), family = poisson), offset by
    # log(population) when populations are given; 2.5 % falls per year recovered exactly.
    years = np.arange(2015, 2021)
    population = np.array([2000, 2050, 2100, 2150, 2200, 2250])
    counts = np.round(40 * 0.975 ** (years - 2015) * population / 2000)
    r = count_trend(counts.tolist(), years.tolist(), population.tolist())
    beta, cov, _ = _poisson_glm(
        counts, np.column_stack([np.ones(6), years - years.mean()]), np.log(population)
    )
    assert r.method == "poisson-glm" and math.isclose(r.estimate, math.exp(beta[1]))
    z = beta[1] / math.sqrt(cov[1, 1])
    assert math.isclose(r.p_value, 2 * stats.norm.sf(abs(z)))
    assert math.isclose(
        math.log(r.ci_high) - math.log(r.ci_low), 2 * 1.959964 * math.sqrt(cov[1, 1]), rel_tol=1e-6
    )


def test_quasi_poisson_uses_t_with_n_minus_2_df():
    # R's summary.glm: with an estimated dispersion the ratio is a t ratio on the residual df.
    counts, years = [20, 80, 15, 90, 10, 100], list(range(2015, 2021))
    r = count_trend(counts, years)
    y, X = np.array(counts, dtype=float), np.column_stack([np.ones(6), np.arange(6) - 2.5])
    beta, cov, pearson = _poisson_glm(y, X, np.zeros(6))
    se = math.sqrt(cov[1, 1] * pearson / 4)
    assert r.method.startswith("quasi-poisson")
    assert math.isclose(r.statistic, beta[1] / se)
    assert math.isclose(r.p_value, 2 * stats.t(4).sf(abs(beta[1] / se)))


def test_count_trend_without_a_finite_estimate_is_insufficient():
    assert count_trend([0, 0, 7], [2019, 2020, 2021]).insufficient
    assert count_trend([4, 0, 0, 0], [2018, 2019, 2020, 2021]).insufficient
    middle = count_trend([0, 5, 0], [2019, 2020, 2021])  # the maximum exists: no trend
    assert not middle.insufficient and math.isclose(middle.estimate, 1.0)


def test_count_trend_detects_overdispersion():
    steady = count_trend([50, 52, 49, 51, 50, 48], range(2015, 2021))
    assert steady.method == "poisson-glm" and steady.p_value > 0.5
    wild = count_trend([20, 80, 15, 90, 10, 100], range(2015, 2021))
    assert wild.method.startswith("quasi-poisson")
    rising = count_trend([20, 25, 31, 38, 47, 58], range(2015, 2021))
    assert rising.estimate > 1 and rising.p_value < 0.01


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rate_ci(-2, 1000), r"count must be at least 0, got -2"),
        (lambda: rate_ci(2.5, 1000), r"count must be a whole number"),
        (lambda: rate_ci(3, 0), r"exposure must be greater than 0"),
        (lambda: rate_ratio(3, 100, 4, None), r"give both exposures"),
        (lambda: rate_ratio(3, 100, 4, 100, alternative="less"), r"alternative must be"),
        (lambda: count_trend([1, 2, 3], [2020, 2021]), r"same length"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_quasi_score_with_phi_one_is_the_conditional_score_test():
    # With φ = 1 and infinite df the test is the one-sample score test of x1 out of x1 + x2
    # against π0 = E1 / (E1 + E2): R's prop.test(x1, n, p = π0, correct = FALSE), whose
    # statistic statsmodels' proportions_ztest(prop_var=π0) reproduces; its interval is the
    # Wilson interval (Newcombe 1998a, method 3: 81/263 -> 0.2553, 0.3662), mapped to the ratio.
    from statsmodels.stats.proportion import proportions_ztest

    r = rate_ratio(90, None, 64, None, "quasi-score")
    z, p = proportions_ztest(90, 154, 0.5, prop_var=0.5)
    assert r.statistic == pytest.approx(z) and r.p_value == pytest.approx(p)
    w = rate_ratio(81, None, 182, None, "quasi-score")
    assert round(w.ci_low / (1 + w.ci_low), 4) == 0.2553
    assert round(w.ci_high / (1 + w.ci_high), 4) == 0.3662


def test_quasi_score_allows_for_overdispersion():
    # The example: 90 reports against a baseline of 64 is "significant" under Poisson
    # (two-sided p ≈ 0.036) but not with the dispersion of about 3 such series show.
    from analysis.stats import Dispersion

    poisson = rate_ratio(90, None, 64, None, "quasi-score")
    quasi = rate_ratio(90, None, 64, None, "quasi-score", dispersion=Dispersion(3.0, 6, 8))
    assert poisson.p_value < 0.05 < quasi.p_value
    assert quasi.statistic == pytest.approx(poisson.statistic / math.sqrt(3))
    assert quasi.p_value == pytest.approx(2 * stats.t(6).sf(abs(quasi.statistic)))
    assert quasi.ci_low < 1 < quasi.ci_high < math.inf


def test_dispersion_is_pearson_chi2_over_df_as_in_r_quasipoisson():
    # R: summary(glm(y ~ t, family = quasipoisson))$dispersion = Σ (y - μ̂)²/μ̂ / (n - 2),
    # the same as statsmodels' GLM pearson_chi2 / df_resid (checked here on the series).
    import statsmodels.api as sm

    from analysis.stats import dispersion_from_series

    y, years = [64, 41, 90, 58, 77, 49, 83], list(range(2014, 2021))
    d = dispersion_from_series(y, years)
    fit = sm.GLM(
        y, sm.add_constant(np.array(years, float) - 2017), family=sm.families.Poisson()
    ).fit()
    assert d.phi == pytest.approx(fit.pearson_chi2 / fit.df_resid) and d.df == 5
    assert dispersion_from_series([0, 0, 0], [1, 2, 3]) is None
