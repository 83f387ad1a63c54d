"""Police reports: rates per 1,000 inhabitants, a year against its baseline, trends in counts.

References
----------
Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:437-442.
Przyborowski J, Wilenski H (1940). Homogeneity of results in testing samples from Poisson
series. Biometrika 31:313-323. (The conditional binomial test for two Poisson counts.)
R Core Team, ``poisson.test`` (package stats): two-sample test by ``binom.test`` on the first
count given the total; interval from the Clopper-Pearson limits, transformed.
Gu K, Ng HKT, Tang ML, Schucany WR (2008). Testing the ratio of two Poisson rates.
Biometrical Journal 50:283-298. (The score test, as in statsmodels ``test_poisson_2indep``.)
McCullagh P, Nelder JA (1989). Generalized Linear Models, 2nd ed. Chapman & Hall. (Quasi-
likelihood: Var(y) = φμ, φ estimated by Pearson's χ² over the residual degrees of freedom,
inference with Student's t on those degrees of freedom, §4.5 and §9.2.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import special, stats

from analysis import config
from analysis.stats._checks import alpha_level, number, same_length
from analysis.stats.proportions import wilson_bounds
from analysis.stats.result import StatResult


def _to_ratio(pi: float, e1: float, e2: float) -> float:
    """The rate ratio (x1/e1) / (x2/e2) from π = x1 / (x1 + x2), the share of the first count:
    π / (1 - π) · e2 / e1 (infinite at π = 1)."""
    return math.inf if pi >= 1 else pi / (1 - pi) * e2 / e1


Alternative = Literal["two-sided", "larger"]
RatioMethod = Literal["exact", "score", "quasi-score"]

#: Pearson χ²/df above which a Poisson trend is refitted as quasi-Poisson.
OVERDISPERSION_LIMIT = 1.5


def _garwood(count: float, alpha: float) -> tuple[float, float]:
    lo = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    hi = stats.chi2.isf(alpha / 2, 2 * (count + 1)) / 2
    return float(lo), float(hi)


def rate_ci(
    count: object, exposure: object, per: float = 1000.0, alpha: float = config.ALPHA
) -> StatResult:
    """Rate ``count / exposure × per`` with the exact Poisson (Garwood 1936) interval.

    Limits for the mean: χ²(α/2; 2x)/2 and χ²(1-α/2; 2x+2)/2, divided by the exposure
    (inhabitants) and multiplied by ``per``; the lower limit is 0 at x = 0. Equals R's
    ``poisson.test(x, T)$conf.int``.
    """
    x = number("count", count, low=0, integer=True)
    e = number("exposure", exposure, low=0, low_open=True)
    alpha = alpha_level(alpha)
    lo, hi = _garwood(x, alpha)
    return StatResult(
        f"rate per {per:g}",
        x / e * per,
        lo / e * per,
        hi / e * per,
        "exact poisson (garwood)",
        (x,),
        "count",
        note=f"exposure {e:g}",
    )


def rate_ratio(
    count1: object,
    exposure1: object | None,
    count2: object,
    exposure2: object | None,
    method: RatioMethod = "exact",
    alternative: Alternative = "two-sided",
    alpha: float = config.ALPHA,
    dispersion: Dispersion | None = None,
) -> StatResult:
    """Ratio of the rate count1/exposure1 to count2/exposure2 (a year against its baseline).

    ``exact`` (default, as R's two-sample ``poisson.test``): conditional on the total
    n = x1 + x2, x1 ~ Binomial(n, π0) with π0 = E1 / (E1 + E2) under equal rates; the p-value is
    the binomial test's, and the CI for the ratio is the Clopper-Pearson interval (πL, πU) for
    x1/n mapped by π / (1 - π) × E2 / E1. ``score``: statsmodels' score test and interval
    (Gu et al. 2008). ``alternative="larger"`` asks "has the rate risen above the baseline?"
    (one-sided; the interval is then one-sided, [lower, ∞)).

    ``quasi-score`` allows for counts that vary more than Poisson from year to year
    (Var = φμ, McCullagh & Nelder 1989): conditional on n, x1 is quasi-binomial with variance
    φ n π0 (1 - π0), so z = (x1 - n π0) / √(φ n π0 (1 - π0)) is referred to Student's t on the
    ``dispersion``'s degrees of freedom, and the CI is the Wilson interval for x1/n with n/φ
    trials and that t quantile, mapped to the ratio as above. The interval excludes 1 exactly
    when the test rejects. With φ = 1 and infinite df this is the conditional score test
    (R's ``prop.test(x1, n, p = π0, correct = FALSE)``). Counts need not be whole here (a
    baseline stated as a rate becomes rate × inhabitants).

    With both exposures ``None`` the counts are compared alone (equal exposure assumed) and the
    result says so.
    """
    whole = method != "quasi-score"
    x1 = number("count1", count1, low=0, integer=True)
    x2 = number("count2", count2, low=0, integer=whole)
    if (exposure1 is None) != (exposure2 is None):
        raise ValueError("give both exposures (populations) or neither")
    counts_only = exposure1 is None
    e1 = 1.0 if counts_only else number("exposure1", exposure1, low=0, low_open=True)
    e2 = 1.0 if counts_only else number("exposure2", exposure2, low=0, low_open=True)
    alpha = alpha_level(alpha)
    if alternative not in ("two-sided", "larger"):
        raise ValueError(f"alternative must be 'two-sided' or 'larger', got {alternative!r}")
    note = "counts only: equal exposure assumed" if counts_only else "populations as exposure"
    kind = "count" if counts_only else "exposure"
    n = (x1, x2) if counts_only else (e1, e2)
    estimate = x1 * e2 / (x2 * e1) if x2 > 0 else math.inf
    total = x1 + x2
    if total == 0:
        return StatResult(
            "rate ratio",
            math.nan,
            math.nan,
            math.nan,
            method,
            n,
            kind,
            None,
            None,
            alternative,
            note + "; both counts are 0: no test",
        )
    if method == "exact":
        pi0 = e1 / (e1 + e2)
        test = stats.binomtest(
            int(x1),
            int(total),
            pi0,
            alternative="two-sided" if alternative == "two-sided" else "greater",
        )
        level = 1 - alpha
        ci = test.proportion_ci(confidence_level=level, method="exact")

        lo, hi = _to_ratio(ci.low, e1, e2), _to_ratio(ci.high, e1, e2)
        return StatResult(
            "rate ratio",
            estimate,
            lo,
            hi,
            "exact conditional (binomial)",
            n,
            kind,
            float(x1),
            float(test.pvalue),
            alternative,
            note,
        )
    if method == "score":
        from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

        alt = "two-sided" if alternative == "two-sided" else "larger"
        res = test_poisson_2indep(x1, e1, x2, e2, method="score", alternative=alt)
        lo, hi = confint_poisson_2indep(
            x1,
            e1,
            x2,
            e2,
            method="score",
            compare="ratio",
            alpha=alpha if alt == "two-sided" else 2 * alpha,
        )
        if alt == "larger":
            hi = math.inf
        return StatResult(
            "rate ratio",
            estimate,
            float(lo),
            float(hi),
            "score",
            n,
            kind,
            float(res.statistic),
            float(res.pvalue),
            alternative,
            note,
        )
    if method == "quasi-score":
        disp = dispersion if dispersion is not None else Dispersion(1.0, math.inf, 0)
        return _quasi_score(x1, e1, x2, e2, disp, alternative, alpha, n, kind, note)
    raise ValueError(f"method must be 'exact', 'score' or 'quasi-score', got {method!r}")


def _quasi_score(
    x1: float,
    e1: float,
    x2: float,
    e2: float,
    disp: Dispersion,
    alternative: Alternative,
    alpha: float,
    n: tuple,
    kind: str,
    note: str,
) -> StatResult:
    total = x1 + x2
    pi0 = e1 / (e1 + e2)
    ref = stats.norm() if math.isinf(disp.df) else stats.t(disp.df)
    z = (x1 - total * pi0) / math.sqrt(disp.phi * total * pi0 * (1 - pi0))
    two_sided = alternative == "two-sided"
    p_value = float(2 * ref.sf(abs(z)) if two_sided else ref.sf(z))
    q = float(ref.isf(alpha / 2 if two_sided else alpha))
    # Wilson interval for π = x1 / total with total / φ trials and quantile q
    m = total / disp.phi
    lo_pi, hi_pi = wilson_bounds(x1 / disp.phi, m, q)
    lo, hi = _to_ratio(lo_pi, e1, e2), (_to_ratio(hi_pi, e1, e2) if two_sided else math.inf)
    estimate = x1 * e2 / (x2 * e1) if x2 > 0 else math.inf
    method = "quasi-poisson score" if disp.phi != 1 or disp.n_years else "poisson score"
    return StatResult(
        "rate ratio",
        estimate,
        lo,
        hi,
        method,
        n,
        kind,
        float(z),
        p_value,
        alternative,
        f"{note}; dispersion {disp.phi:.2f} on {disp.df:g} df",
        df=None if math.isinf(disp.df) else float(disp.df),
    )


def ratio_of_rate_ratios(
    area: tuple[float, float, float, float],
    other: tuple[float, float, float, float],
    area_dispersion: Dispersion | None = None,
    other_dispersion: Dispersion | None = None,
    alpha: float = config.ALPHA,
) -> StatResult:
    """The area's rate ratio (now / baseline) divided by another area's over the same years.

    ``area`` and ``other`` are (count now, exposure now, count at baseline, exposure at
    baseline). On the log scale the estimate is log RR_area - log RR_other with variance
    φ_a (1/x_a1 + 1/x_a0) + φ_o (1/x_o1 + 1/x_o0) (the delta method for quasi-Poisson counts,
    McCullagh & Nelder 1989); Wald interval and test, with Student t on the area's degrees of
    freedom when its φ is estimated (the area's variance dominates), the normal otherwise. A
    zero count leaves the ratio undefined: the result is marked insufficient.
    """
    alpha = alpha_level(alpha)
    xa1, ea1, xa0, ea0 = (number(f"area[{i}]", v, low=0) for i, v in enumerate(area))
    xo1, eo1, xo0, eo0 = (number(f"other[{i}]", v, low=0) for i, v in enumerate(other))
    n = (xa1, xa0, xo1, xo0)
    if min(n) == 0 or min(ea1, ea0, eo1, eo0) == 0:
        return StatResult(
            "ratio of rate ratios",
            math.nan,
            math.nan,
            math.nan,
            "insufficient data",
            n,
            "count",
            note="a count of 0: no ratio",
            insufficient=True,
        )
    phi_a = 1.0 if area_dispersion is None else area_dispersion.phi
    phi_o = 1.0 if other_dispersion is None else other_dispersion.phi
    log_est = math.log(xa1 / ea1 / (xa0 / ea0)) - math.log(xo1 / eo1 / (xo0 / eo0))
    se = math.sqrt(phi_a * (1 / xa1 + 1 / xa0) + phi_o * (1 / xo1 + 1 / xo0))
    ref = stats.norm() if area_dispersion is None else stats.t(area_dispersion.df)
    method = "wald (log scale)" + ("" if area_dispersion is None else ", quasi-poisson")
    return _on_log_scale(
        "ratio of rate ratios",
        log_est,
        se,
        ref,
        alpha,
        method,
        n,
        note=f"dispersion {phi_a:.2f} / {phi_o:.2f}",
    )


@dataclass(frozen=True)
class Dispersion:
    """Year-to-year variation of a count series beyond Poisson: Var(y) = φ μ.

    ``phi`` is Pearson's χ² over ``df`` residual degrees of freedom of a log-linear trend
    fitted to ``n_years`` yearly counts (McCullagh & Nelder 1989, §4.5).
    """

    phi: float
    df: float
    n_years: int


def dispersion_from_series(
    counts: Sequence[float], years: Sequence[float], exposures: Sequence[float] | None = None
) -> Dispersion | None:
    """Estimate φ from a series of yearly counts: Poisson GLM log μ_t = a + b·year_t
    [+ log E_t], φ = Σ (y - μ̂)²/μ̂ / (n - 2). None when fewer than 3 years or no reports.

    φ is not floored at 1: under-dispersed series are estimated as such, so the test stays
    calibrated when the counts are Poisson (the simulation in the tests checks this).
    """
    same_length(counts=counts, years=years)
    y = np.array([number(f"counts[{i}]", c, low=0, integer=True) for i, c in enumerate(counts)])
    t = np.array([number(f"years[{i}]", v) for i, v in enumerate(years)])
    if len(y) < 3 or y.sum() == 0 or len(set(t.tolist())) < 3:
        return None
    offset = np.zeros_like(t)
    if exposures is not None:
        same_length(counts=counts, exposures=exposures)
        offset = np.log(
            [number(f"exposures[{i}]", v, low=0, low_open=True) for i, v in enumerate(exposures)]
        )
    if set(t[y > 0].tolist()) in ({t.min()}, {t.max()}):
        return None  # every report in the first or the last year: no finite trend
    X = np.column_stack([np.ones_like(t), t - t.mean()])
    _, _, pearson = _poisson_glm(y, X, offset)
    return Dispersion(pearson / (len(y) - 2), len(y) - 2, len(y))


def count_trend(
    counts: Sequence[float],
    years: Sequence[float],
    exposures: Sequence[float] | None = None,
    alpha: float = config.ALPHA,
) -> StatResult:
    """Trend in yearly report counts: Poisson GLM log μ_t = a + b (year_t - mean) [+ log E_t].

    Overdispersion is checked with Pearson χ²/df; above 1.5 the model is refitted as
    quasi-Poisson (the same coefficients, standard errors scaled by √(χ²/df)) and ``method``
    says so. ``estimate`` is exp(b), the rate ratio per year, with its Wald interval: normal
    quantiles for the Poisson model, Student t with n - 2 df once the dispersion is estimated
    (as R's ``summary.glm`` does). When every report falls in the first year, or every one in
    the last, the likelihood has no maximum (b → ±∞) and the result is marked insufficient.
    """
    same_length(counts=counts, years=years)
    y = np.array([number(f"counts[{i}]", c, low=0, integer=True) for i, c in enumerate(counts)])
    t = np.array([number(f"years[{i}]", v) for i, v in enumerate(years)])
    offset = np.zeros_like(t)
    if exposures is not None:
        same_length(counts=counts, exposures=exposures)
        offset = np.log(
            [number(f"exposures[{i}]", v, low=0, low_open=True) for i, v in enumerate(exposures)]
        )
    n = tuple(y.tolist())

    def insufficient(note: str) -> StatResult:
        return StatResult(
            "rate ratio per year",
            math.nan,
            math.nan,
            math.nan,
            "insufficient data",
            n,
            "count",
            note=note,
            insufficient=True,
        )

    if len(set(t.tolist())) < 3:
        return insufficient("fewer than 3 years")
    if y.sum() == 0:
        return insufficient("no reports in any year")
    if set(t[y > 0].tolist()) in ({t.min()}, {t.max()}):
        return insufficient("every report falls in the first or the last year")
    X = np.column_stack([np.ones_like(t), t - t.mean()])
    beta, cov, pearson = _poisson_glm(y, X, offset)
    df = len(y) - 2
    dispersion = pearson / df if df > 0 else math.nan
    method, note = "poisson-glm", f"dispersion {dispersion:.2f}"
    b, se = float(beta[1]), math.sqrt(cov[1, 1])
    if dispersion > OVERDISPERSION_LIMIT:
        method, se, ref = (
            "quasi-poisson-glm (overdispersed)",
            se * math.sqrt(dispersion),
            stats.t(df),
        )
    else:
        ref = stats.norm()
    return _on_log_scale("rate ratio per year", b, se, ref, alpha, method, n, note)


def _poisson_glm(
    y: np.ndarray, X: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson regression with log link, log μ = Xβ + offset, by iteratively reweighted least
    squares (McCullagh & Nelder 1989, Generalized Linear Models, 2nd ed., §2.5).

    From μ = y + 0.1 (R's ``poisson()$initialize``), each step solves β ← (XᵀWX)⁻¹ XᵀW z with
    W = diag(μ) and working response z = log μ - offset + (y - μ)/μ, until the deviance
    D = 2 Σ [y log(y/μ) - (y - μ)] changes by less than 1e-10 (|D| + 0.1), R's ``glm.control``
    rule. Returns β, its covariance (XᵀWX)⁻¹ and Pearson's χ² = Σ (y - μ)²/μ. (Written out
    rather than statsmodels' GLM, whose import costs every report kernel a fifth of a second;
    the tests check it against R's ``glm`` output.)
    """
    mu = y + 0.1
    eta = np.log(mu)
    deviance = math.inf
    for _ in range(100):
        xtw = X.T * mu
        beta = np.linalg.solve(xtw @ X, xtw @ (eta - offset + (y - mu) / mu))
        eta = X @ beta + offset
        mu = np.exp(eta)
        previous, deviance = deviance, 2 * float(np.sum(special.xlogy(y, y / mu) - (y - mu)))
        if abs(deviance - previous) < 1e-10 * (abs(deviance) + 0.1):
            return beta, np.linalg.inv((X.T * mu) @ X), float(np.sum((y - mu) ** 2 / mu))
    raise ArithmeticError("the Poisson regression did not converge in 100 iterations")


def _on_log_scale(
    quantity: str,
    log_estimate: float,
    se: float,
    ref: Any,  # a frozen scipy distribution: stats.norm() or stats.t(df)
    alpha: float,
    method: str,
    n: tuple[float, ...],
    note: str,
) -> StatResult:
    """A Wald result for a ratio estimated on the log scale: exp(b) with the interval
    exp(b ± q·se), q the two-sided ``alpha`` quantile of ``ref`` (normal or t), and the test of
    b = 0 with statistic b/se."""
    q = float(ref.isf(alpha / 2))
    z = log_estimate / se
    return StatResult(
        quantity,
        math.exp(log_estimate),
        math.exp(log_estimate - q * se),
        math.exp(log_estimate + q * se),
        method,
        n,
        "count",
        z,
        float(2 * ref.sf(abs(z))),
        note=note,
    )
