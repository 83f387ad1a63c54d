"""Shares of (un)safe residents: intervals, differences, trends, gaps and detectable changes.

All functions take :class:`Proportion` inputs, built from counts (``from_counts``, optionally
with a design effect), from a weighted share and Kish's effective n (``from_share``) or from
respondent weights (``from_weights``). They return :class:`~analysis.stats.result.StatResult`,
which records the n used and whether it is an effective n.

References
----------
Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison of
seven methods. Statistics in Medicine 17:857-872.
Newcombe RG (1998b). Interval estimation for the difference between independent proportions:
comparison of eleven methods. Statistics in Medicine 17:873-890.
Agresti A, Caffo B (2000). Simple and effective confidence intervals for proportions and
differences of proportions result from adding two successes and two failures. Am Stat 54:280-288.
Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial proportion.
Statistical Science 16:101-133.
Armitage P (1955). Tests for linear trends in proportions and frequencies. Biometrics 11:375-386.
Kish L (1965). Survey Sampling. Wiley. (Effective sample size, section 11.7.)
Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd ed.
Wiley. (Sample size for comparing two proportions, eq. 4.14.)
Mee RW (1984). Confidence bounds for the difference between two probabilities. Biometrics
40:1175-1176. Farrington CP, Manning G (1990). Test statistics and sample size formulae for
comparative binomial trials with null hypothesis of non-zero risk difference or non-unity
relative risk. Statistics in Medicine 9:1447-1454. (The score interval for a difference, with
the closed-form restricted maximum likelihood estimates.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

import numpy as np
from scipy import optimize, stats

from analysis import config
from analysis.stats._checks import alpha_level, number, same_length
from analysis.stats.result import StatResult

ShareMethod = Literal["wilson", "clopper-pearson", "jeffreys"]
DiffMethod = Literal["score", "newcomb", "wald", "agresti-caffo"]


@dataclass(frozen=True)
class Proportion:
    """A share as the tests use it: a (possibly effective) count out of a (possibly effective) n.

    ``raw_n`` is the number of respondents before any design effect; the floor
    (``min_n``) is applied to it. ``n_kind`` is ``"n"`` for plain counts, ``"n_eff"`` when the
    count and n are effective (Kish's n_eff, or n divided by a design effect).
    """

    count: float
    nobs: float
    raw_n: float
    n_kind: str = "n"

    @property
    def share(self) -> float:
        return self.count / self.nobs

    @classmethod
    def from_counts(
        cls, count: object, nobs: object, deff: object = 1.0, label: str = ""
    ) -> Proportion:
        """``count`` of ``nobs`` respondents; with ``deff`` != 1, n_eff = nobs / deff."""
        n = number(f"nobs{label}", nobs, low=0, low_open=True, integer=True)
        x = number(f"count{label}", count, low=0, integer=True)
        if x > n:
            raise ValueError(f"count{label} = {count!r} is larger than nobs{label} = {nobs!r}")
        d = number("deff", deff, low=0, low_open=True)
        return cls(x / d, n / d, n, "n" if d == 1 else "n_eff")

    @classmethod
    def from_share(
        cls, share: object, n_eff: object, n: object | None = None, label: str = ""
    ) -> Proportion:
        """A weighted ``share`` (0-1) with its effective sample size ``n_eff``.

        ``n`` is the number of respondents behind it (the floor applies to it); without it
        the effective n stands in for it.
        """
        s = number(f"share{label}", share)
        if 1 < s <= 100:
            raise ValueError(
                f"share{label} = {share!r} looks like a percentage; give a share between 0 and 1"
            )
        s = number(f"share{label}", share, low=0, high=1)
        ne = number(f"n_eff{label}", n_eff, low=0, low_open=True)
        raw = ne if n is None else number(f"n{label}", n, low=0, integer=True)
        return cls(s * ne, ne, raw, "n_eff")

    @classmethod
    def from_weights(
        cls, indicator: Sequence[bool], weights: Sequence[float], label: str = ""
    ) -> Proportion:
        """Weighted share of ``indicator`` with Kish's n_eff from respondent ``weights``."""
        same_length(indicator=indicator, weights=weights)
        w = np.asarray(weights, dtype=float)
        y = np.asarray(indicator, dtype=float)
        if len(w) == 0:
            raise ValueError(f"weights{label} is empty")
        if np.isnan(w).any() or (w <= 0).any():
            raise ValueError(f"weights{label} must all be positive numbers")
        n_eff = kish_effective_n(w)
        return cls(float((w * y).sum() / w.sum()) * n_eff, n_eff, float(len(w)), "n_eff")


def kish_effective_n(weights: Sequence[float] | np.ndarray) -> float:
    """Kish's effective sample size, n_eff = (Σ w)² / Σ w².

    Equals n / deff_K with Kish's design effect deff_K = 1 + CV²(w) = n Σw² / (Σw)², a ratio of
    variances (Kish 1965, section 11.7). With equal weights n_eff = n.
    """
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or np.isnan(w).any() or (w <= 0).any():
        raise ValueError("weights must be a non-empty list of positive numbers")
    return float(kish_from_sums(w.sum(), (w**2).sum()))


def kish_from_sums(sum_w, sum_w2):
    """Kish's n_eff from Σ w and Σ w² (numbers or aligned arrays, as a grouped sum gives them):
    (Σ w)² / Σ w². See :func:`kish_effective_n`."""
    return sum_w**2 / sum_w2


@lru_cache(maxsize=16)
def _z(alpha: float) -> float:
    """The two-sided normal quantile z_{1-α/2}."""
    return NormalDist().inv_cdf(1 - alpha / 2)


def _two_sided_p(z: float) -> float:
    """2 (1 - Φ(|z|)) = erfc(|z| / √2): cheaper than scipy.stats.norm.sf in a loop."""
    return math.erfc(abs(z) / math.sqrt(2))


def _wilson(x: float, n: float, alpha: float) -> tuple[float, float]:
    return wilson_bounds(x, n, _z(alpha))


def wilson_bounds(x: float, n: float, q: float) -> tuple[float, float]:
    """The Wilson score interval for x successes in n trials with the quantile ``q``
    (Wilson 1927): (p + q²/2n ± q √(p(1-p)/n + q²/4n²)) / (1 + q²/n). The one Wilson of the
    package: shares use the normal quantile, the quasi-Poisson rate ratio a t quantile."""
    p = x / n
    denom = 1 + q * q / n
    centre = (p + q * q / (2 * n)) / denom
    half = q / denom * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n))
    # exact bounds at the edges (the formula gives them only up to rounding)
    low = 0.0 if x == 0 else max(0.0, centre - half)
    return low, (1.0 if x == n else min(1.0, centre + half))


def _beta_interval(x: float, n: float, alpha: float, add: float) -> tuple[float, float]:
    # add = 0: Clopper-Pearson (Beta(x, n-x+1), Beta(x+1, n-x)); add = 0.5: Jeffreys.
    if add:
        lo = stats.beta.ppf(alpha / 2, x + add, n - x + add)
        hi = stats.beta.isf(alpha / 2, x + add, n - x + add)
    else:
        lo = stats.beta.ppf(alpha / 2, x, n - x + 1) if x > 0 else 0.0
        hi = stats.beta.isf(alpha / 2, x + 1, n - x) if x < n else 1.0
    # Brown, Cai & DasGupta (2001): the Jeffreys bounds are 0 at x = 0 and 1 at x = n.
    return (0.0 if x == 0 else float(lo)), (1.0 if x == n else float(hi))


def share_ci(
    p: Proportion,
    method: ShareMethod = "wilson",
    alpha: float = config.ALPHA,
    min_n: float = config.MIN_RESPONDENTS,
) -> StatResult:
    """A share with its (1 - alpha) confidence interval.

    - ``wilson`` (default): the score interval,
      (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)   (Newcombe 1998a, method 3);
    - ``clopper-pearson``: exact, Beta(α/2; x, n-x+1) to Beta(1-α/2; x+1, n-x);
    - ``jeffreys``: Beta(α/2; x+½, n-x+½) to Beta(1-α/2; x+½, n-x+½), 0 at x = 0 and 1 at x = n
      (Brown, Cai & DasGupta 2001).

    With an effective n the count x = share × n_eff need not be whole; all three work with it.
    """
    alpha = alpha_level(alpha)
    if p.raw_n < min_n:
        return StatResult.insufficient_data("share", (p.nobs,), p.n_kind, min_n)
    if method == "wilson":
        lo, hi = _wilson(p.count, p.nobs, alpha)
    elif method == "clopper-pearson":
        lo, hi = _beta_interval(p.count, p.nobs, alpha, 0.0)
    elif method == "jeffreys":
        lo, hi = _beta_interval(p.count, p.nobs, alpha, 0.5)
    else:
        raise ValueError(
            f"method must be 'wilson', 'clopper-pearson' or 'jeffreys', got {method!r}"
        )
    return StatResult("share", p.share, lo, hi, method, (p.nobs,), p.n_kind)


def _restricted_mle(
    s1: float, n1: float, s2: float, n2: float, delta: float
) -> tuple[float, float]:
    """Maximum likelihood (p1, p2) under p1 - p2 = delta: the root of a cubic in closed form
    (Farrington & Manning 1990, eq. 3-4; Miettinen & Nurminen 1985, appendix)."""
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + s1 + theta * s2 + delta * (theta + 2))
    c = delta * delta + delta * (2 * s1 + theta + 1) + s1 + theta * s2
    d = -s1 * delta * (1 + delta)
    v = b**3 / (3 * a) ** 3 - b * c / (6 * a * a) + d / (2 * a)
    u_sq = max(0.0, b * b / (3 * a) ** 2 - c / (3 * a))
    u = math.copysign(math.sqrt(u_sq), v) if v != 0 else math.sqrt(u_sq)
    ratio = 0.0 if u == 0 else max(-1.0, min(1.0, v / u**3))
    w = (math.pi + math.acos(ratio)) / 3
    q1 = min(1.0, max(0.0, 2 * u * math.cos(w) - b / (3 * a)))
    return q1, min(1.0, max(0.0, q1 - delta))


def _score_z(s1: float, n1: float, s2: float, n2: float, delta: float) -> float:
    """Score statistic for H0: p1 - p2 = delta; at delta = 0 the pooled z-test's z."""
    q1, q2 = _restricted_mle(s1, n1, s2, n2, delta)
    var = q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2
    diff = s1 - s2 - delta
    if var <= 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / math.sqrt(var)


def _score_interval(
    s1: float, n1: float, s2: float, n2: float, alpha: float
) -> tuple[float, float]:
    """Mee's (1984) score interval: every delta whose score test is not rejected."""
    z = _z(alpha)
    d = s1 - s2
    eps = 1e-12

    def bound(sign: int) -> float:
        edge = sign * (1 - eps)
        if sign * (edge - d) <= 0 or abs(_score_z(s1, n1, s2, n2, edge)) <= z:
            return float(sign)
        return float(
            optimize.brentq(lambda t: abs(_score_z(s1, n1, s2, n2, t)) - z, d, edge, xtol=1e-12)
        )

    return bound(-1), bound(+1)


def _diff_ci(
    p1: Proportion, p2: Proportion, method: DiffMethod, alpha: float
) -> tuple[float, float]:
    s1, s2, n1, n2 = p1.share, p2.share, p1.nobs, p2.nobs
    d = s1 - s2
    if method == "score":
        return _score_interval(s1, n1, s2, n2, alpha)
    if method == "newcomb":
        # Newcombe (1998b) method 10, the hybrid score interval from two Wilson intervals.
        l1, u1 = _wilson(p1.count, n1, alpha)
        l2, u2 = _wilson(p2.count, n2, alpha)
        return (
            d - math.sqrt((s1 - l1) ** 2 + (u2 - s2) ** 2),
            d + math.sqrt((u1 - s1) ** 2 + (s2 - l2) ** 2),
        )
    z = _z(alpha)
    if method == "wald":
        half = z * math.sqrt(s1 * (1 - s1) / n1 + s2 * (1 - s2) / n2)
    elif method == "agresti-caffo":
        # Agresti & Caffo (2000): add one success and one failure to each group.
        a1, a2 = (p1.count + 1) / (n1 + 2), (p2.count + 1) / (n2 + 2)
        d = a1 - a2
        half = z * math.sqrt(a1 * (1 - a1) / (n1 + 2) + a2 * (1 - a2) / (n2 + 2))
    else:
        raise ValueError(
            f"method must be 'score', 'newcomb', 'wald' or 'agresti-caffo', got {method!r}"
        )
    return max(-1.0, d - half), min(1.0, d + half)


def diff_proportions(
    p1: Proportion,
    p2: Proportion,
    method: DiffMethod = "score",
    alpha: float = config.ALPHA,
    min_n: float = config.MIN_RESPONDENTS,
) -> StatResult:
    """Difference of two independent shares, p1 - p2, with CI and a two-sided test.

    Test: the pooled two-proportion z-test, z = (p1 - p2) / √(p̄(1-p̄)(1/n1 + 1/n2)), whose
    square is R's ``prop.test(correct = FALSE)`` chi-square. It works with effective
    (non-integer) counts as they are: nothing is rounded. When an expected count n·p̄ or
    n·(1-p̄) is below 5 (:func:`small_expected`), ``small_counts`` is set and the note says
    that the approximation is unreliable, with Fisher's exact two-sided p-value (R's
    ``fisher.test``) for whole counts. The z-test's p-value is kept, so that the interval and
    the test still agree; the reader is told not to lean on either.

    CI: ``score`` (default; Mee 1984): every δ whose score statistic
    (p1 - p2 - δ) / √(p̃1(1-p̃1)/n1 + p̃2(1-p̃2)/n2), with p̃ the maximum likelihood estimates
    under p1 - p2 = δ (Farrington & Manning 1990), stays within ±z_{1-α/2}. At δ = 0 that
    statistic *is* the pooled z, so the interval excludes 0 exactly when p < α: the interval
    and the test never disagree. Also available, without that guarantee: ``newcomb``
    (Newcombe 1998b method 10, the hybrid score interval from two Wilson intervals),
    ``wald`` and ``agresti-caffo`` (clipped to [-1, 1]). (statsmodels'
    ``confint_proportions_2indep(method="score")`` is avoided: statsmodels issue #10269.)
    """
    alpha = alpha_level(alpha)
    n = (p1.nobs, p2.nobs)
    kind = "n_eff" if "n_eff" in (p1.n_kind, p2.n_kind) else "n"
    if min(p1.raw_n, p2.raw_n) < min_n:
        return StatResult.insufficient_data("difference", n, kind, min_n)
    lo, hi = _diff_ci(p1, p2, method, alpha)
    pooled = (p1.count + p2.count) / (p1.nobs + p2.nobs)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / p1.nobs + 1 / p2.nobs))
    small = small_expected(pooled, p1.nobs, p2.nobs)
    if se0 == 0:  # both shares 0, or both 1: no difference to test
        statistic, p_value, note = 0.0, 1.0, "both shares are 0 or both are 1"
    else:
        statistic = (p1.share - p2.share) / se0
        p_value, note = _two_sided_p(statistic), ""
        if small:
            note = SMALL_COUNTS_NOTE
        if small and kind == "n":
            table = [[p1.count, p1.nobs - p1.count], [p2.count, p2.nobs - p2.count]]
            note += f"; Fisher's exact test gives p = {stats.fisher_exact(table).pvalue:.4g}"
    return StatResult(
        "difference",
        p1.share - p2.share,
        lo,
        hi,
        f"{method} CI; pooled z-test",
        n,
        kind,
        statistic,
        p_value,
        note=note,
        small_counts=small,
    )


#: the expected count below which a normal approximation is not trusted (Cochran 1954)
MIN_EXPECTED = 5
SMALL_COUNTS_NOTE = "an expected count is below 5: the normal approximation is unreliable"


def small_expected(share: float, *nobs: float) -> bool:
    """Is an expected count n·p or n·(1 − p) below :data:`MIN_EXPECTED` in any group (Cochran
    1954, Biometrics 10:417-451; R's ``prop.test`` warns at the same point)?"""
    return any(min(n * share, n * (1 - share)) < MIN_EXPECTED for n in nobs)


def gap_to_city(
    area: Proportion,
    city: Proportion,
    alpha: float = config.ALPHA,
    min_n: float = config.MIN_RESPONDENTS,
) -> StatResult:
    """The area's share minus the city's, with Mee's score interval and the pooled z-test.

    Assumption: the two samples are treated as independent, although the area's respondents are
    also part of the city sample. The overlap makes the two estimates positively correlated, so
    ignoring it overstates the variance of the gap: the interval is somewhat conservative (about
    a share n_area / n_city too wide in variance terms).
    """
    r = diff_proportions(area, city, "score", alpha, min_n)
    return replace(
        r,
        quantity="gap to city",
        note="area respondents are also in the city sample (conservative)",
    )


def diff_in_differences(
    change1: float, se1: float, change2: float, se2: float, alpha: float = config.ALPHA
) -> StatResult:
    """Difference in differences from two independent changes and their standard errors.

    DiD = Δ1 - Δ2, SE = √(SE1² + SE2²), Wald interval DiD ± z_{1-α/2} SE and z-test
    (Card & Krueger 1994, Am Econ Rev 84:772-793, Table 3: New Jersey's change in employment
    against Pennsylvania's). Independent samples are assumed; the comparison assumes that the
    two would have moved in parallel without the intervention.
    """
    alpha = alpha_level(alpha)
    for name, v in (("change1", change1), ("change2", change2)):
        number(name, v)
    s1, s2 = number("se1", se1, low=0), number("se2", se2, low=0)
    est = change1 - change2
    se = math.sqrt(s1 * s1 + s2 * s2)
    if se == 0:
        return StatResult(
            "difference in differences",
            est,
            est,
            est,
            "wald; z-test",
            (),
            "n",
            None,
            None,
            note="both standard errors are 0: no test",
        )
    z = _z(alpha)
    statistic = est / se
    return StatResult(
        "difference in differences",
        est,
        est - z * se,
        est + z * se,
        "wald; z-test",
        (),
        "n",
        statistic,
        _two_sided_p(statistic),
        note=f"standard error {se:.6g}",
    )


def _change(after: Proportion, before: Proportion) -> tuple[float, float]:
    """A share's change between two independent samples and its (unpooled) standard error."""
    return (
        after.share - before.share,
        math.sqrt(sum(p.share * (1 - p.share) / p.nobs for p in (after, before))),
    )


def diff_in_differences_shares(
    area_after: Proportion,
    area_before: Proportion,
    other_after: Proportion,
    other_before: Proportion,
    alpha: float = config.ALPHA,
    min_n: float = config.MIN_RESPONDENTS,
    quantity: str = "difference in differences",
) -> StatResult:
    """The area's change in a share minus another area's change over the same years:
    (a1 - a0) - (o1 - o0), Var = Σ p(1-p)/n over the four (effective) samples, treated as
    independent; Wald interval and z-test (see :func:`diff_in_differences`).
    """
    parts = (area_after, area_before, other_after, other_before)
    n = tuple(p.nobs for p in parts)
    kind = "n_eff" if any(p.n_kind == "n_eff" for p in parts) else "n"
    if min(p.raw_n for p in parts) < min_n:
        return StatResult.insufficient_data(quantity, n, kind, min_n)
    r = diff_in_differences(
        *_change(area_after, area_before), *_change(other_after, other_before), alpha
    )
    if r.p_value is None:
        return replace(
            r, quantity=quantity, n=n, n_kind=kind, note="all four shares are 0 or 1: no test"
        )
    return replace(r, quantity=quantity, n=n, n_kind=kind, note="")


def diff_of_gaps(
    area1: Proportion,
    city1: Proportion,
    area2: Proportion,
    city2: Proportion,
    alpha: float = config.ALPHA,
    min_n: float = config.MIN_RESPONDENTS,
) -> StatResult:
    """Change in the gap to the city: (area1 - city1) - (area2 - city2), Wald CI and z-test.

    The same quantity as a difference in differences, (area1 - area2) - (city1 - city2):
    Var = Σ p(1-p)/n over the four shares, treating the four samples as independent (the area
    respondents are also in the city sample, which makes this conservative; see
    :func:`gap_to_city`). A negative estimate for an unsafe share means the gap narrowed when
    the area lies above the city.
    """
    r = diff_in_differences_shares(area1, area2, city1, city2, alpha, min_n, "change in gap")
    if r.insufficient or r.p_value is None:
        return r
    return replace(r, note="area respondents are also in the city sample (conservative)")


def sample_size_two_proportions(
    p1: float,
    p2: float,
    power: float = config.POWER,
    alpha: float = config.ALPHA,
    deff: float = 1.0,
    alternative: Literal["two-sided", "one-sided"] = "two-sided",
) -> StatResult:
    """Respondents per group for the pooled z-test to detect p1 against p2 with ``power``.

    n_eff = [z_{1-α/k} √(2 p̄ q̄) + z_{power} √(p1 q1 + p2 q2)]² / (p1 - p2)², p̄ = (p1 + p2)/2,
    k = 2 for a two-sided test; this is R's ``power.prop.test`` (strict = FALSE) solved for n
    (Fleiss, Levin & Paik 2003, eq. 4.14 without continuity correction). With weights the survey
    needs ``deff`` times as many respondents: n = n_eff × deff. ``estimate`` is n, and ``n``
    holds (n_eff,).
    """
    a = number("p1", p1, low=0, high=1)
    b = number("p2", p2, low=0, high=1)
    if a == b:
        raise ValueError("p1 and p2 must differ: no sample detects a change of 0")
    power = number("power", power, low=0.5, high=0.9999)
    alpha = alpha_level(alpha)
    d = number("deff", deff, low=1)
    if alternative not in ("two-sided", "one-sided"):
        raise ValueError(f"alternative must be 'two-sided' or 'one-sided', got {alternative!r}")
    za = _z(alpha) if alternative == "two-sided" else _z(2 * alpha)
    zb = NormalDist().inv_cdf(power)
    pbar = (a + b) / 2
    n_eff = (
        (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(a * (1 - a) + b * (1 - b)))
        / abs(a - b)
    ) ** 2
    return StatResult(
        "respondents per group",
        n_eff * d,
        math.nan,
        math.nan,
        f"pooled z-test power (alpha={alpha:g}, power={power:g}, {alternative})",
        (n_eff,),
        "n_eff",
        note=f"design effect {d:g}",
    )


def trend_test(
    counts: Sequence[float],
    nobs: Sequence[float],
    scores: Sequence[float] | None = None,
    min_n: float = config.MIN_RESPONDENTS,
) -> StatResult:
    """Cochran-Armitage chi-square test for a linear trend in proportions.

    Matches R's ``prop.trend.test``: with p̄ = Σx/Σn and s̄ = Σ n s / Σ n,
    χ² = [Σ (s - s̄)(x - n p̄)]² / (p̄(1-p̄) Σ n (s - s̄)²), one degree of freedom
    (Armitage 1955; N, not N-1, in the variance, unlike statsmodels'
    ``Table.test_ordinal_association``). ``estimate`` is the weighted least-squares slope of the
    share on the score (change in share per unit of score), with a Wald interval under the null
    variance. Groups whose n is below ``min_n`` are left out.
    """
    k = same_length(counts=counts, nobs=nobs)
    s = list(range(1, k + 1)) if scores is None else list(scores)
    same_length(counts=counts, scores=s)
    x = np.array([number(f"counts[{i}]", c, low=0) for i, c in enumerate(counts)])
    n = np.array([number(f"nobs[{i}]", v, low=0, low_open=True) for i, v in enumerate(nobs)])
    sc = np.array([number(f"scores[{i}]", v) for i, v in enumerate(s)])
    for i in range(k):
        if x[i] > n[i]:
            raise ValueError(f"counts[{i}] = {counts[i]!r} is larger than nobs[{i}] = {nobs[i]!r}")
    keep = n >= min_n
    x, n, sc = x[keep], n[keep], sc[keep]
    if len(set(sc.tolist())) < 2:
        return StatResult.insufficient_data("trend", tuple(n.tolist()), "n", min_n)
    pbar = x.sum() / n.sum()
    sbar = (n * sc).sum() / n.sum()
    sxx = (n * (sc - sbar) ** 2).sum()
    num = ((sc - sbar) * (x - n * pbar)).sum()
    slope = num / sxx
    if pbar in (0.0, 1.0):
        return StatResult(
            "trend",
            0.0,
            0.0,
            0.0,
            "cochran-armitage",
            tuple(n.tolist()),
            "n",
            0.0,
            1.0,
            note="every share is 0 or every share is 1",
        )
    chisq = num**2 / (pbar * (1 - pbar) * sxx)
    se = math.sqrt(pbar * (1 - pbar) / sxx)
    z = _z(config.ALPHA)
    return StatResult(
        "trend",
        float(slope),
        float(slope - z * se),
        float(slope + z * se),
        "cochran-armitage",
        tuple(n.tolist()),
        "n",
        float(chisq),
        float(stats.chi2.sf(chisq, 1)),
    )


def minimum_detectable_change(
    share: float,
    n1: float,
    n2: float,
    alpha: float = config.ALPHA,
    power: float = config.POWER,
    direction: Literal["either", "decrease", "increase"] = "either",
) -> StatResult:
    """Smallest change from ``share`` that the pooled z-test detects with the given power.

    For a baseline share p2 = ``share`` measured on n2 and a new share p1 = p2 ± d on n1, the
    power of the two-sided test is Φ((d - z_{1-α/2} √(p̄q̄(1/n1+1/n2))) / √(p1q1/n1 + p2q2/n2)),
    p̄ = (n1 p1 + n2 p2)/(n1 + n2) (Fleiss, Levin & Paik 2003, eq. 4.14 without continuity
    correction, solved for d). ``either`` returns the larger of the decrease and the increase
    needed: a change smaller than that cannot be told apart from chance with these n.
    """
    p = number("share", share, low=0, high=1)
    n1 = number("n1", n1, low=0, low_open=True)
    n2 = number("n2", n2, low=0, low_open=True)
    alpha = alpha_level(alpha)
    power = number("power", power, low=0.5, high=0.999)
    za, zb = _z(alpha), NormalDist().inv_cdf(power)

    def gap(d: float, sign: int) -> float:
        p1 = p + sign * d
        pbar = (n1 * p1 + n2 * p) / (n1 + n2)
        sd0 = math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
        sd1 = math.sqrt(p1 * (1 - p1) / n1 + p * (1 - p) / n2)
        return (d - za * sd0) - zb * sd1

    def solve(sign: int) -> float:
        room = p if sign < 0 else 1 - p
        if room <= 1e-9 or gap(room, sign) < 0:
            return math.nan
        return float(optimize.brentq(gap, 1e-12, room, args=(sign,), xtol=1e-10))

    found = {"decrease": solve(-1), "increase": solve(+1)}
    if direction == "either":
        mde = math.nan if any(math.isnan(v) for v in found.values()) else max(found.values())
    elif direction in found:
        mde = found[direction]
    else:
        raise ValueError(f"direction must be 'either', 'decrease' or 'increase', got {direction!r}")
    note = "" if not math.isnan(mde) else "no change within [0, 1] reaches that power"
    return StatResult(
        "minimum detectable change",
        mde,
        math.nan,
        math.nan,
        f"pooled z-test power (alpha={alpha:g}, power={power:g}, {direction})",
        (n1, n2),
        "n_eff",
        note=note,
    )
