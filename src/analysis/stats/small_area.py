"""Model-based shares for small domains: the Fay-Herriot model on the arcsine square root scale,
with each domain's own level and trend and each year's city-wide level as fixed effects.

For domain d in year t with direct share p_dt and effective respondents n_dt (from the
design-based variance):

    y_dt = arcsin √p_dt,   ψ_dt = 1 / (4 n_dt)   (the delta method: Var(p) / (4 p (1 − p))),
    y_dt = α_d + β_d (t − t̄) + τ_t + v_dt + e_dt  (:func:`~analysis.stats.fay_herriot.fay_herriot`).

The arcsine square root makes the sampling variance depend on n alone (Rao & Molina 2015,
§6.4; Efron & Morris 1975), so ψ is known as the model needs. The fixed effects are each
domain's own level and linear trend over the years (a domain with fewer than
:data:`TREND_YEARS` years, such as an area just after a boundary change, has its level alone)
and the year's level over the domains (τ_t); the random v_dt is the domain-year's own departure
from its domain's line. A partnership area is chosen *because* it is unsafe, and a partnership
hopes to move it differently from the city: its own level and trend keep the estimate from
being shrunk towards the city or towards its own past (district levels, or levels without
trends, do not: ``benchmarks/small_area_coverage.py`` measures the three). What is borrowed is
the area's other years and the city's year, so a change confined to one year in one area is
shrunk towards the area's line: the model's estimate is information beside the direct one,
never the verdict.

Back to shares, with θ ~ N(θ̂, MSE): E[sin² θ] = (1 − cos(2θ̂) e^(−2 MSE)) / 2 (bias-corrected),
the interval sin² of θ̂ ± z √MSE (limits kept in [0, π/2]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis import config
from analysis.stats.fay_herriot import fay_herriot

SCALE = "arcsine square root"


@dataclass(frozen=True)
class SmallAreaFit:
    """The model-based share of every domain-year, and the model's diagnostics."""

    shares: pd.DataFrame  #: domain, year, direct, model, ci_low, ci_high, shrinkage, ...
    method: str
    model_variance: float  #: A, on the arcsine square root scale
    n_domains: int  #: domain-years fitted
    n_fixed: int  #: fixed effects (a level and a trend per domain, a level per year)
    residual_sd: float  #: SD of the standardised residuals (≈ 1 when the model holds)
    residuals_beyond_2: float  #: share of standardised residuals beyond ±2 (≈ 5 %)


#: the fewest years a domain needs for a trend of its own (with fewer, its level alone)
TREND_YEARS = 4


def design_matrix(domains: pd.Series, years: pd.Series) -> np.ndarray:
    """An intercept, each domain's level and, for a domain with at least :data:`TREND_YEARS`
    years, its own linear trend over the years (centred; the first domain's is the reference,
    as the years' levels carry the common movement), and each year's city-wide level (the
    first domain and year as reference)."""
    names = domains.astype(str)
    d = pd.get_dummies(names, drop_first=True, dtype=float)
    t = pd.get_dummies(years.astype(str), drop_first=True, dtype=float).to_numpy()
    centred = (years - years.mean()).to_numpy(float)[:, None]
    counts = names.value_counts()
    trended = [c for c in d.columns if counts[c] >= TREND_YEARS]
    slopes = d[trended].to_numpy() * centred
    return np.column_stack([np.ones(len(domains)), d.to_numpy(), slopes, t])


def model_shares(
    frame: pd.DataFrame, alpha: float = config.ALPHA, x: np.ndarray | None = None
) -> SmallAreaFit:
    """Model-based shares for the rows of ``frame`` (``domain``, ``year``, ``share``, ``n_eff``;
    non-overlapping domains, so that their sampling errors are independent); ``x`` another
    design matrix (the simulation compares specifications)."""
    y = np.arcsin(np.sqrt(frame["share"].to_numpy(float)))
    psi = 1 / (4 * frame["n_eff"].to_numpy(float))
    x = design_matrix(frame["domain"], frame["year"]) if x is None else x
    fit = fay_herriot(y, x, psi)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    half = z * np.sqrt(fit.mse)
    low = np.clip(fit.eblup - half, 0, math.pi / 2)
    high = np.clip(fit.eblup + half, 0, math.pi / 2)
    shares = frame[["domain", "year"]].assign(
        direct=frame["share"].to_numpy(float),
        direct_se=np.sqrt(psi) * np.abs(np.sin(2 * y)),
        model=(1 - np.cos(2 * fit.eblup) * np.exp(-2 * fit.mse)) / 2,
        ci_low=np.sin(low) ** 2,
        ci_high=np.sin(high) ** 2,
        model_se=np.sqrt(fit.mse) * np.abs(np.sin(2 * fit.eblup)),
        shrinkage=fit.shrinkage,
    )
    r = fit.standardised_residuals
    return SmallAreaFit(
        shares=shares.reset_index(drop=True),
        method=f"Fay-Herriot, {SCALE}; {fit.method}",
        model_variance=fit.model_variance,
        n_domains=len(y),
        n_fixed=x.shape[1],
        residual_sd=float(np.std(r, ddof=x.shape[1])),
        residuals_beyond_2=float(np.mean(np.abs(r) > 2)),
    )
