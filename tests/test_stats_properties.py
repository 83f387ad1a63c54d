"""Invariants of the share and rate statistics, checked with hypothesis."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats import Dispersion, Proportion, diff_proportions, rate_ratio, share_ci

P = Proportion.from_counts


@st.composite
def counts(draw, min_n=1, max_n=2000):
    n = draw(st.integers(min_n, max_n))
    return draw(st.integers(0, n)), n


@settings(max_examples=200, deadline=None)
@given(counts(), st.sampled_from(["wilson", "clopper-pearson", "jeffreys"]))
def test_share_ci_contains_estimate_and_stays_in_range(c, method):
    r = share_ci(P(*c), method, min_n=0)
    assert 0.0 <= r.ci_low <= r.estimate <= r.ci_high <= 1.0
    assert all(math.isfinite(v) for v in (r.ci_low, r.ci_high))


@settings(max_examples=200, deadline=None)
@given(counts(), counts(), st.sampled_from(["score", "newcomb", "wald", "agresti-caffo"]))
def test_diff_ci_in_range_p_value_valid_and_mirrors(c1, c2, method):
    r = diff_proportions(P(*c1), P(*c2), method, min_n=0)
    s = diff_proportions(P(*c2), P(*c1), method, min_n=0)
    assert -1.0 <= r.ci_low <= r.ci_high <= 1.0
    if method == "newcomb":
        assert r.ci_low - 1e-12 <= r.estimate <= r.ci_high + 1e-12
    assert 0.0 <= r.p_value <= 1.0
    mirrored = (s.ci_low, s.ci_high)
    tol = 1e-9 if method == "score" else 1e-12  # the score bounds are roots found to 1e-12
    assert math.isclose(mirrored[0], -r.ci_high, abs_tol=tol)
    assert math.isclose(mirrored[1], -r.ci_low, abs_tol=tol)
    assert math.isclose(s.p_value, r.p_value, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3000))
def test_zero_and_all_give_finite_results(n):
    for x in (0, n):
        r = share_ci(P(x, n), min_n=0)
        d = diff_proportions(P(x, n), P(n - x, n), min_n=0)
        assert math.isfinite(r.ci_low) and math.isfinite(r.ci_high)
        assert math.isfinite(d.ci_low) and math.isfinite(d.ci_high) and 0 <= d.p_value <= 1


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.floats(100, 20000), st.floats(100, 20000))
def test_rate_ratio_p_value_and_interval(c1, c2, e1, e2):
    r = rate_ratio(c1, e1, c2, e2)
    if c1 + c2 == 0:
        assert r.p_value is None
        return
    assert 0.0 <= r.p_value <= 1.0
    assert 0.0 <= r.ci_low <= r.ci_high
    if c2 > 0 and c1 > 0:
        assert r.ci_low <= r.estimate <= r.ci_high


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=3, max_size=8), st.booleans())
def test_poisson_regression_agrees_with_statsmodels_glm(counts, with_population):
    import warnings

    import numpy as np
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    from analysis.stats.rates import _poisson_glm

    y = np.array(counts, dtype=float)
    years = np.arange(len(y), dtype=float)
    if set(years[y > 0].tolist()) in ({years.min()}, {years.max()}, set()):
        return  # no finite maximum (count_trend reports these as insufficient)
    X = np.column_stack([np.ones_like(y), years - years.mean()])
    offset = np.log(1000 + 37 * years) if with_population else np.zeros_like(y)
    beta, cov, pearson = _poisson_glm(y, X, offset)
    with warnings.catch_warnings():  # statsmodels warns when a fitted mean is near zero
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = GLM(y, X, family=families.Poisson(), offset=offset).fit(tol=1e-12)
    assert np.allclose(beta, fit.params, rtol=1e-6, atol=1e-8)
    assert np.allclose(np.sqrt(np.diag(cov)), fit.bse, rtol=1e-5)
    assert math.isclose(pearson, fit.pearson_chi2, rel_tol=1e-6, abs_tol=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(30, 3000), st.floats(0.0, 1.0), st.floats(30, 3000))
def test_score_interval_excludes_zero_exactly_when_p_below_alpha(s1, n1, s2, n2):
    # Weighted shares with effective (non-integer) n: nothing is rounded, and the interval
    # and the pooled z-test never disagree (Mee's interval inverts the same score statistic).
    r = diff_proportions(Proportion.from_share(s1, n1), Proportion.from_share(s2, n2))
    assert r.ci_low <= r.estimate + 1e-9 and r.estimate - 1e-9 <= r.ci_high
    if abs(r.p_value - 0.05) > 1e-6:  # away from the boundary itself
        assert (r.ci_low > 0 or r.ci_high < 0) == (r.p_value < 0.05)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 400),
    st.floats(0, 400).filter(lambda c: c == 0 or c > 1e-6),
    st.floats(0.3, 8),
    st.integers(1, 12),
    st.floats(500, 20000),
    st.floats(500, 20000),
)
def test_quasi_score_interval_agrees_with_its_test(c1, c2, phi, df, e1, e2):
    if c1 + c2 == 0:
        return
    r = rate_ratio(c1, e1, c2, e2, "quasi-score", dispersion=Dispersion(phi, df, df + 2))
    assert 0 <= r.p_value <= 1
    if abs(r.p_value - 0.05) > 1e-6 and math.isfinite(r.ci_high) and r.ci_low > 0:
        assert (r.ci_low > 1 or r.ci_high < 1) == (r.p_value < 0.05)
