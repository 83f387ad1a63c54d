"""Survey-share statistics against published reference values (source beside each number)."""

from __future__ import annotations

import math

import pytest

from analysis.stats import (
    Proportion,
    diff_of_gaps,
    diff_proportions,
    gap_to_city,
    kish_effective_n,
    minimum_detectable_change,
    share_ci,
    trend_test,
)

P = Proportion.from_counts


# Newcombe RG (1998). Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score).
@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 10, 0.6075, 1.0000),
        (0, 10, 0, 20, -0.1611, 0.2775),
    ],
)
def test_newcombe_hybrid_score_table_ii(x1, n1, x2, n2, low, high):
    r = diff_proportions(P(x1, n1), P(x2, n2), "newcomb", min_n=0)
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (low, high)
    assert r.estimate == pytest.approx(x1 / n1 - x2 / n2)


def test_pooled_z_equals_prop_test_without_correction():
    # Appleton et al. (1996) smoking data, 2x2 table (no 502 / yes 230; no 443 / yes 139);
    # R: summary(xtabs(...)) Pearson chi-square = 9.121, p = 0.002527 (Faraway 2006, sec. 4.4),
    # the same statistic as prop.test(c(230, 139), c(732, 582), correct = FALSE).
    r = diff_proportions(P(230, 732), P(139, 582))
    assert round(r.statistic**2, 3) == 9.121
    assert round(r.p_value, 6) == 0.002527
    assert "pooled z-test" in r.method


# Mee's score interval. Newcombe RG (1998b), Statistics in Medicine 17:873-890, Table II,
# method 5 (Mee 1984): 56/70 - 48/80 -> 0.0533, 0.3377 (also GSK-Biostatistics cicalc's
# ci_prop_diff_mee, which reports the statistic 2.65 at delta = 0); 9/10 - 3/10 -> 0.1821, 0.8370.
@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0533, 0.3377),
        (9, 10, 3, 10, 0.1821, 0.8370),
    ],
)
def test_mee_score_interval(x1, n1, x2, n2, low, high):
    r = diff_proportions(P(x1, n1), P(x2, n2), min_n=0)
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (low, high)
    assert r.method == "score CI; pooled z-test"
    if (x1, n1) == (56, 70):
        assert round(r.statistic, 2) == 2.65


def test_small_expected_counts_no_rounding_and_ci_agrees_with_p():
    # Before: Fisher's test on rounded effective counts, so 0/40 vs 5/40 had a Newcombe CI
    # excluding 0 with p = 0.055, and shares 0.0374 and 0.0376 gave p = 0.057 and 0.088.
    r = diff_proportions(P(0, 40), P(5, 40))
    assert r.p_value < 0.05 and r.ci_high < 0
    near = [
        diff_proportions(Proportion.from_share(s, 120, 120), Proportion.from_share(0.1, 120, 120))
        for s in (0.0374, 0.0376)
    ]
    assert near[0].p_value < near[1].p_value and abs(near[0].p_value - near[1].p_value) < 0.002
    # both shares 0: no difference, no crash
    assert diff_proportions(P(0, 40), P(0, 50)).p_value == 1.0


def test_clopper_pearson_matches_binom_test():
    # R: binom.test(682, 925, p = 3/4) -> 95 % CI 0.7076683 0.7654066 (R docs example).
    r = share_ci(P(682, 925), "clopper-pearson")
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (0.7076683, 0.7654066)


def test_wilson_single_proportion():
    # Newcombe (1998a), Stat Med 17:857-872, Table I, method 3 (score): 81/263 -> 0.2553, 0.3662.
    r = share_ci(P(81, 263))
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.2553, 0.3662)
    assert r.method == "wilson"


def test_jeffreys_bounds_at_zero_and_n():
    # Brown, Cai & DasGupta (2001): lower bound 0 at x = 0, upper bound 1 at x = n.
    assert share_ci(P(0, 40), "jeffreys").ci_low == 0.0
    assert share_ci(P(40, 40), "jeffreys").ci_high == 1.0


def test_kish_effective_n_worked_example():
    # Kish (1965) sec. 11.7: n_eff = (Σw)² / Σw², deff = 1 + CV²(w).
    # Weights 1,1,1,1,2,2,2,2: (12)² / 20 = 7.2; CV² = 0.25 / 1.5² = 1/9, so deff = 10/9 = 8/7.2.
    w = [1, 1, 1, 1, 2, 2, 2, 2]
    assert kish_effective_n(w) == pytest.approx(7.2)
    assert 8 / kish_effective_n(w) == pytest.approx(1 + 0.25 / 1.5**2)
    p = Proportion.from_weights([1, 0, 0, 0, 1, 1, 0, 0], w)
    assert p.share == pytest.approx(5 / 12) and p.nobs == pytest.approx(7.2)
    assert p.n_kind == "n_eff"


def test_design_effect_reduces_n():
    r1 = diff_proportions(P(60, 400), P(80, 400))
    r2 = diff_proportions(P(60, 400, deff=2), P(80, 400, deff=2))
    assert r2.n == (200, 200) and r2.n_kind == "n_eff"
    assert r2.p_value > r1.p_value
    assert r2.estimate == pytest.approx(r1.estimate)


def test_trend_matches_prop_trend_test():
    # R documentation, prop.trend.test(smokers, patients): X-squared = 8.2249, p-value = 0.004132.
    smokers, patients = [83, 90, 129, 70], [86, 93, 136, 82]
    r = trend_test(smokers, patients, min_n=0)
    assert round(r.statistic, 4) == 8.2249
    assert round(r.p_value, 6) == 0.004132
    # With 0/1 scores the trend test is the 2x2 Pearson chi-square of group 4 against the rest.
    binary = trend_test(smokers, patients, [0, 0, 0, 1], min_n=0)
    two_by_two = diff_proportions(P(70, 82), P(302, 315), min_n=0)
    assert binary.statistic == pytest.approx(two_by_two.statistic**2)


def test_gap_and_change_in_gap():
    area1, city1 = P(60, 400), P(360, 4000)  # 15 % vs 9 %
    area0, city0 = P(80, 400), P(360, 4000)  # 20 % vs 9 %
    gap = gap_to_city(area1, city1)
    assert gap.estimate == pytest.approx(0.06) and gap.quantity == "gap to city"
    change = diff_of_gaps(area1, city1, area0, city0)
    assert change.estimate == pytest.approx(-0.05)
    se = math.sqrt(2 * 0.09 * 0.91 / 4000 + 0.15 * 0.85 / 400 + 0.2 * 0.8 / 400)
    assert change.statistic == pytest.approx(-0.05 / se)


def test_minimum_detectable_change_inverts_fleiss_sample_size():
    # Fleiss, Levin & Paik (2003) eq. 4.14 without continuity correction: the n per group that
    # detects p1 vs p2 is n = (z_a √(2 p̄ q̄) + z_b √(p1 q1 + p2 q2))² / (p1 - p2)².
    p2, p1, za, zb = 0.15, 0.10, 1.959964, 0.841621
    pbar = (p1 + p2) / 2
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
    n /= (p1 - p2) ** 2
    r = minimum_detectable_change(p2, n, n, direction="decrease")
    assert r.estimate == pytest.approx(0.05, abs=1e-5)
    either = minimum_detectable_change(p2, n, n)
    assert either.estimate >= r.estimate  # an increase from 15 % is harder to detect


def test_floor_gives_insufficient_data():
    r = diff_proportions(P(3, 20), P(10, 300))
    assert r.insufficient and r.p_value is None and math.isnan(r.estimate)
    assert share_ci(P(3, 20), min_n=10).insufficient is False


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: P(-1, 10), r"count must be at least 0, got -1"),
        (lambda: P(11, 10), r"count = 11 is larger than nobs = 10"),
        (lambda: P(1, 0), r"nobs must be greater than 0, got 0"),
        (lambda: P(2.5, 10), r"count must be a whole number \(a count\), got 2.5"),
        (lambda: P(float("nan"), 10), r"count must be a finite number"),
        (lambda: Proportion.from_share(17, 300), r"share = 17 looks like a percentage"),
        (lambda: Proportion.from_share(-0.1, 300), r"share must be at least 0"),
        (lambda: trend_test([1, 2], [10, 20, 30]), r"same length: counts has 2, nobs has 3"),
        (lambda: share_ci(P(5, 50), "wald"), r"method must be 'wilson'"),
    ],
)
def test_bad_input_names_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_results_turn_into_tidy_rows():
    from analysis.stats import to_frame

    results = [
        share_ci(P(30, 200)),
        diff_proportions(P(30, 200), P(45, 210)),
        share_ci(P(3, 20)),
    ]  # the last is below the floor
    df = to_frame(results, year=[2024, 2024, 2025])
    assert list(df.columns[:3]) == ["year", "quantity", "estimate"]
    assert {"ci_low", "ci_high", "statistic", "p_value", "method", "n", "n_kind"} <= set(df)
    assert df.loc[2, "insufficient"] and math.isnan(df.loc[2, "estimate"])
    assert df.loc[1, "p_value"] == pytest.approx(results[1].p_value)


def test_small_expected_counts_are_said_with_fishers_exact_p():
    # 3 of 4 against 1 of 4: R's prop.test warns "Chi-squared approximation may be incorrect";
    # fisher.test(matrix(c(3, 1, 1, 3), 2)) gives p = 0.4857 (the z-test says 0.157). The
    # z-test's p stays (its interval inverts it); the result says not to lean on it.
    r = diff_proportions(Proportion.from_counts(3, 4), Proportion.from_counts(1, 4), min_n=0)
    assert (
        r.small_counts
        and "unreliable" in r.note
        and "Fisher's exact test gives p = 0.4857" in r.note
    )
    assert r.p_value == pytest.approx(0.1572992, abs=1e-6)
    # effective (non-whole) counts: no exact test; the result says the approximation is weak
    r = diff_proportions(Proportion.from_share(0.05, 40), Proportion.from_share(0.1, 40), min_n=0)
    assert r.small_counts and "unreliable" in r.note and "z-test" in r.method
    # enough expected answers: the z-test as before
    r = diff_proportions(Proportion.from_counts(30, 100), Proportion.from_counts(20, 100))
    assert not r.small_counts and r.method == "score CI; pooled z-test"
