"""Design-based (Taylor-linearised) inference for weighted shares of a stratified sample.

The survey is treated as R's ``svydesign(ids = ~1, strata = ~year:district, weights = ~weight,
fpc = ...)`` declares it: each respondent a primary unit, strata of year × district (or the
strata ``dataset.yaml`` declares), optionally a finite population correction. Every estimator
here is a function of a few weighted sums, so the microdata are reduced once, by the loader, to
one row per *subcell* (stratum × partnership area, answered respondents only) holding

    n = Σ 1,  sw = Σ w,  swy = Σ w y,  sw2 = Σ w²,  sw2y = Σ w² y      (y = 0/1)

and per stratum its number of respondents ``stratum_n`` (all of them: a domain's variance is
taken over the whole stratum, as R pads a subset's strata with zeros) and its sampling fraction
``stratum_f`` (0 without FPC). A domain (an area, a district, the city, an area's surroundings)
is a set of subcells; its share is R_D = Σ swy / Σ sw.

Linearisation (Woodruff 1971; Wolter 2007, ch. 6; Lumley 2010, sec. 2.2 and appendix C):
respondent i's influence on R_D is z_i = w_i 1[i ∈ D] (y_i − R_D) / W_D, and for two domains
(or two parameters of one regression)

    Cov(R_D, R_E) = Σ_h (1 − f_h) n_h/(n_h − 1) [Σ_{i∈h} z_Di z_Ei − n_h z̄_Dh z̄_Eh],

where, for 0/1 answers, Σ_{i∈h} z_Di z_Ei = Σ_{j ⊂ h∩D∩E} [sw2y_j (1 − R_D − R_E) +
R_D R_E sw2_j] / (W_D W_E) and n_h z̄_Dh = Σ_{j ⊂ h∩D} (swy_j − R_D sw_j) / W_D. This is what
R ``survey``'s ``svymean``/``svyby``/``svycontrast`` compute (``onestage``; reference values in
``tests/reference/design_variance.R``). Years lie in different strata, so estimates of different
years are independent; an area and the city of the same year are not (the covariance above).

Why not a library: ``svy`` 0.35 reproduces these domain standard errors (to 4e-15 relative on
every domain of the example data, ``benchmarks/design_vs_svy.py``), but it works on the
respondent rows once per estimate and ``by=`` partition, and its contrasts combine the levels of
one partition, while the gap to the city needs the covariance of an area with the city that
contains it and the comparison with the surroundings that of an area with the rest of its
district (separate partitions). Measured there on the 2-core machine: the example's 53,000 rows
reduced and all 1,040 cells of four indicators with their covariances in 0.11 s; ``svy``'s 442
domain SEs of two indicators, without covariances, in 0.62 s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis import config
from analysis.stats._checks import alpha_level
from analysis.stats.proportions import kish_from_sums
from analysis.stats.result import StatResult

#: one row per subcell (stratum × area) and indicator; see the module docstring
DESIGN_COLUMNS = [
    "year",
    "district",
    "area",  #: a partnership area, or "" for the rest of the district
    "indicator",
    "stratum",
    "stratum_n",
    "stratum_f",
    "n",
    "sw",
    "swy",
    "sw2",
    "sw2y",
]

#: the methods named in the results of this module
TAYLOR = "design-based (Taylor linearisation)"
WALD_METHOD = f"{TAYLOR}; Wald z-test"
LOGISTIC_METHOD = f"{TAYLOR}; logistic regression, t-test"
LINEAR_METHOD = f"{TAYLOR}; linear regression, t-test"


@dataclass(frozen=True)
class DomainEstimate:
    """A domain's weighted share with its design-based variance.

    ``deff`` is the design effect, a ratio of variances: Var_design / Var_SRS, with Var_SRS the
    variance of the mean of a simple random sample without replacement of the same n from a
    population of Ŵ (as R's ``svymean(..., deff = TRUE)``): s²/n (1 − n/Ŵ), s² = n/(n−1) R(1−R).
    ``weighting_effect`` is Kish's n / n_eff = n Σw² / (Σw)², a property of the weights alone.
    ``n_eff`` is the effective n the variance corresponds to, R(1−R)/Var (Korn & Graubard 1998):
    the binomial n that gives the same variance (for R = 0 or 1, Kish's n_eff).
    """

    share: float
    var: float
    n: int
    n_eff: float
    deff: float
    weighting_effect: float

    @property
    def se(self) -> float:
        return math.sqrt(self.var)


def _scale(table: pd.DataFrame) -> np.ndarray:
    """(1 − f_h) n_h / (n_h − 1) per row (0 for a stratum of one respondent: it adds nothing)."""
    n_h = table["stratum_n"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (1 - table["stratum_f"].to_numpy(float)) * n_h / (n_h - 1)
    return np.where(n_h > 1, s, 0.0)


def _strata(table: pd.DataFrame, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's stratum code, and per stratum its n_h and (1 − f_h) n_h / (n_h − 1)."""
    _, code = np.unique(table["stratum"].to_numpy(), return_inverse=True)
    n_h, s_h = np.ones(code.max() + 1), np.zeros(code.max() + 1)
    n_h[code] = table["stratum_n"].to_numpy(float)
    s_h[code] = scale
    return code, n_h, s_h


def domain_covariance(
    table: pd.DataFrame, members: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares, weight totals and the covariance matrix of k domains of one indicator.

    ``members`` is a (rows × k) 0/1 matrix: which subcells of ``table`` each domain holds.
    Returns (R, W, Σ) with Σ k × k (see the module docstring for the formula).
    """
    m = np.asarray(members, dtype=float)
    sw, swy = table["sw"].to_numpy(float), table["swy"].to_numpy(float)
    sw2, sw2y = table["sw2"].to_numpy(float), table["sw2y"].to_numpy(float)
    scale = _scale(table)
    w = m.T @ sw
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (m.T @ swy) / w
    # per-stratum n_h z̄_h, one column per domain
    code, n_h, s_h = _strata(table, scale)
    resid = m * (swy[:, None] - sw[:, None] * r[None, :]) / w[None, :]
    a = np.zeros((len(n_h), m.shape[1]))
    np.add.at(a, code, resid)
    cross_y = m.T @ (m * (scale * sw2y)[:, None])
    cross_1 = m.T @ (m * (scale * sw2)[:, None])
    rr = r[:, None] + r[None, :]
    within = (cross_y * (1 - rr) + cross_1 * np.outer(r, r)) / np.outer(w, w)
    between = a.T @ (a * (s_h / n_h)[:, None])
    return r, w, within - between


def domain_estimates(
    table: pd.DataFrame, members: np.ndarray
) -> tuple[list[DomainEstimate], np.ndarray]:
    """Each domain's share, design-based variance, design effect and Kish's weighting effect,
    with the covariance matrix of the shares (``members`` as in :func:`domain_covariance`)."""
    m = np.asarray(members, dtype=float)
    r, w, cov = domain_covariance(table, m)
    n = m.T @ table["n"].to_numpy(float)
    kish = kish_from_sums(m.T @ table["sw"].to_numpy(float), m.T @ table["sw2"].to_numpy(float))
    found = []
    for k in range(m.shape[1]):
        share, var = float(np.clip(r[k], 0, 1)), max(float(cov[k, k]), 0.0)
        srs = share * (1 - share) / (n[k] - 1) * (1 - n[k] / w[k]) if n[k] > 1 else 0.0
        found.append(
            DomainEstimate(
                share,
                var,
                int(round(n[k])),
                share * (1 - share) / var if var > 0 else float(kish[k]),
                var / srs if srs > 0 else math.nan,
                float(n[k] / kish[k]),
            )
        )
    return found, cov


def linear_contrast(
    estimates: Sequence[float],
    cov: np.ndarray,
    coefs: Sequence[float],
    quantity: str,
    n: tuple[float, ...] = (),
    alpha: float = config.ALPHA,
) -> StatResult:
    """c'θ with SE √(c'Σc): the Wald z-test of c'θ = 0 and the interval c'θ ± z_{1−α/2} SE
    (R ``svycontrast``; the normal reference, as ``confint`` on it)."""
    alpha = alpha_level(alpha)
    c = np.asarray(coefs, dtype=float)
    est = float(c @ np.asarray(estimates, dtype=float))
    var = float(c @ np.asarray(cov, dtype=float) @ c)
    se = math.sqrt(max(var, 0.0))
    z = stats.norm.isf(alpha / 2)
    if se == 0:
        return StatResult(
            quantity, est, est, est, WALD_METHOD, n, "n", None, None,
            note="standard error 0: no test", se=0.0,
        )  # fmt: skip
    statistic = est / se
    return StatResult(
        quantity,
        est,
        est - z * se,
        est + z * se,
        WALD_METHOD,
        n,
        "n",
        statistic,
        float(math.erfc(abs(statistic) / math.sqrt(2))),
        se=se,
    )


def design_regression(
    table: pd.DataFrame,
    design: np.ndarray,
    coef: int,
    quantity: str = "trend (log odds per year)",
    alpha: float = config.ALPHA,
    link: Literal["logit", "identity"] = "logit",
) -> tuple[StatResult, np.ndarray]:
    """A design-based regression of the 0/1 answer on covariates constant within a subcell,
    and a t-test of one coefficient: by default logistic, R's ``svyglm(y ~ ...,
    family = quasibinomial)``.

    ``design`` is the (rows × p) model matrix of the subcells (a row of zeros leaves a subcell
    out of the domain). β solves Σ_j x_j (swy_j − μ_j sw_j) = 0 (Newton), J = Σ_j x_j x_j'
    μ_j(1−μ_j) sw_j, and Var(β̂) = J⁻¹ M J⁻¹ with M the linearised variance of the score
    u_i = x_j w_i (y_i − μ_j) (Binder 1983). The test is t on R's residual degrees of freedom:
    respondents in the domain − strata holding them + 1 − p. Returns the test of coefficient
    ``coef`` (``estimate`` on the log-odds scale) and all coefficients β̂.
    """
    alpha = alpha_level(alpha)
    x = np.asarray(design, dtype=float)
    inside = np.abs(x).sum(axis=1) > 0
    sw, swy = table["sw"].to_numpy(float), table["swy"].to_numpy(float)
    sw2, sw2y = table["sw2"].to_numpy(float), table["sw2y"].to_numpy(float)
    if link == "identity":
        info = (x * sw[:, None]).T @ x
        beta = np.linalg.solve(info, x.T @ swy)
        mu = x @ beta
    else:
        beta = np.zeros(x.shape[1])
        ybar = swy[inside].sum() / sw[inside].sum()
        beta[0] = math.log(ybar / (1 - ybar)) if 0 < ybar < 1 else 0.0
        for _ in range(100):
            mu = 1 / (1 + np.exp(-(x @ beta)))
            info = (x * (mu * (1 - mu) * sw)[:, None]).T @ x
            step = np.linalg.solve(info, x.T @ (swy - mu * sw))
            beta += step
            if np.max(np.abs(step)) < 1e-12:
                break
        mu = 1 / (1 + np.exp(-(x @ beta)))
        info = (x * (mu * (1 - mu) * sw)[:, None]).T @ x
    scale = _scale(table)
    within = (x * (scale * (sw2y * (1 - 2 * mu) + mu * mu * sw2))[:, None]).T @ x
    code, n_h, s_h = _strata(table, scale)
    a = np.zeros((len(n_h), x.shape[1]))
    np.add.at(a, code, x * (swy - mu * sw)[:, None])
    meat = within - a.T @ (a * (s_h / n_h)[:, None])
    inv = np.linalg.inv(info)
    vcov = inv @ meat @ inv
    est, se = float(beta[coef]), math.sqrt(vcov[coef, coef])
    held = inside & (table["n"].to_numpy() > 0)
    df = float(table.loc[held, "n"].sum() - len(np.unique(code[held])) + 1 - x.shape[1])
    t = est / se
    q = stats.t.isf(alpha / 2, df)
    result = StatResult(
        quantity,
        est,
        est - q * se,
        est + q * se,
        LOGISTIC_METHOD if link == "logit" else LINEAR_METHOD,
        (float(table.loc[held, "n"].sum()),),
        "n",
        t,
        float(2 * stats.t.sf(abs(t), df)),
        se=se,
        df=df,
    )
    return result, beta
