"""Crime-report statistics against R's poisson.test (documentation examples)."""

from __future__ import annotations

import math

import pytest

from analysis.stats import count_trend, rate_ci, rate_ratio


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


def test_count_trend_detects_overdispersion():
    steady = count_trend([50, 52, 49, 51, 50, 48], range(2015, 2021))
    assert steady.method == "poisson-glm" and steady.p_value > 0.5
    wild = count_trend([20, 80, 15, 90, 10, 100], range(2015, 2021))
    assert wild.method.startswith("quasi-poisson")
    rising = count_trend([20, 25, 31, 38, 47, 58], range(2015, 2021))
    assert rising.estimate > 1 and rising.p_value < 0.01


@pytest.mark.parametrize(("call", "message"), [
    (lambda: rate_ci(-2, 1000), r"count must be at least 0, got -2"),
    (lambda: rate_ci(2.5, 1000), r"count must be a whole number"),
    (lambda: rate_ci(3, 0), r"exposure must be greater than 0"),
    (lambda: rate_ratio(3, 100, 4, None), r"give both exposures"),
    (lambda: rate_ratio(3, 100, 4, 100, alternative="less"), r"alternative must be"),
    (lambda: count_trend([1, 2, 3], [2020, 2021]), r"same length"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
