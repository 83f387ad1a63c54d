"""Does the model-based share do what it claims? A simulation from a known population of areas.

Thirteen domains (three partnership areas, the rest of their three districts, seven other
districts) over nine years, with the example data's effective sample sizes. The true shares
are, on the arcsine square root scale, a domain level and trend, a city-wide year level and a
domain-year departure; one partnership area is deliberately far above the others (it was
chosen because it is unsafe) and falls faster than the city (the partnership works). Each
replicate draws binomial direct estimates with those effective sizes, fits
:func:`analysis.stats.small_area.model_shares` and records, for the partnership areas: whether
the 95 % interval covers the true share, the model's and the direct estimate's squared error,
and the high area's error in the last year (its bias where it has fallen furthest).

``specification``: ``"trend"`` (the reports' model: each domain's level and trend),
``"level"`` (levels without trends) or ``"district"`` (district levels and one
partnership-area effect), to show what the other two do to the high area.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.stats.small_area import model_shares

#: domain -> (true share at the start, its own yearly trend on the arcsine scale, effective
#: respondents a year, district, partnership area); the effective respondents are the example
#: data's medians (Amager Partnerskab 269, Tingbjerg-Husum 405, Folehaven 181, the rest of their
#: districts 226, 222, 203, the other districts about 165)
DOMAINS = {
    "high_area": (0.25, -0.015, 269, "d1", True),
    "area_2": (0.15, -0.005, 405, "d2", True),
    "area_3": (0.12, 0.0, 181, "d3", True),
    "rest_1": (0.08, 0.0, 226, "d1", False),
    "rest_2": (0.09, 0.002, 222, "d2", False),
    "rest_3": (0.07, 0.0, 203, "d3", False),
    **{f"district_{k}": (0.05 + 0.005 * k, 0.0, 165, f"d{k + 3}", False) for k in range(1, 8)},
}
SPECIFICATIONS = ("trend", "level", "district")
YEARS = range(2017, 2026)
#: the year-to-year city-wide movement (arcsine scale) and the domain-year departures' SD
YEAR_SHIFT = (0.0, 0.02, -0.01, -0.02, -0.03, -0.02, -0.04, -0.05, -0.05)
DEPARTURE_SD = 0.02


def _truth(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for name, (share, trend, _, _, _) in DOMAINS.items():
        base = math.asin(math.sqrt(share))
        for k, (shift, year) in enumerate(zip(YEAR_SHIFT, YEARS, strict=True)):
            theta = base + trend * k + shift + rng.normal(0, DEPARTURE_SD)
            rows.append((name, year, math.sin(theta) ** 2))
    return pd.DataFrame(rows, columns=["domain", "year", "truth"])


def _matrix(frame: pd.DataFrame, specification: str) -> np.ndarray | None:
    """The design matrix of a specification (None: the reports' own)."""
    if specification == "trend":
        return None
    domain = frame["domain"]
    if specification == "district":
        domain = domain.map(lambda d: DOMAINS[d][3])
    levels = pd.get_dummies(domain, drop_first=True, dtype=float).to_numpy()
    years = pd.get_dummies(frame["year"].astype(str), drop_first=True, dtype=float).to_numpy()
    x = [np.ones(len(frame)), levels, years]
    if specification == "district":
        x.append(frame["domain"].map(lambda d: float(DOMAINS[d][4])).to_numpy())
    return np.column_stack(x)


def simulate(n_sims: int = 200, seed: int = 24, specification: str = "trend") -> dict[str, float]:
    """Coverage of the partnership areas' 95 % intervals, the model's MSE over the direct
    estimate's (partnership areas), and the high area's mean error in the last year (bias) of
    the model and of the direct estimate, over ``n_sims`` replicates."""
    if specification not in SPECIFICATIONS:
        raise ValueError(f"specification must be one of {SPECIFICATIONS}, got {specification!r}")
    rng = np.random.default_rng(seed)
    covered, model_se2, direct_se2, high_model, high_direct = [], [], [], [], []
    for _ in range(n_sims):
        truth = _truth(rng)
        n_eff = truth["domain"].map(lambda d: DOMAINS[d][2]).to_numpy()
        share = rng.binomial(n_eff, truth["truth"]) / n_eff
        frame = truth.assign(share=share, n_eff=n_eff.astype(float))
        fit = model_shares(frame, x=_matrix(frame, specification)).shares
        areas = truth["domain"].map(lambda d: DOMAINS[d][4]).to_numpy()
        t = truth["truth"].to_numpy()
        covered += list(((fit["ci_low"] <= t) & (t <= fit["ci_high"]))[areas])
        model_se2 += list(((fit["model"] - t) ** 2)[areas])
        direct_se2 += list(((fit["direct"] - t) ** 2)[areas])
        high = ((truth["domain"] == "high_area") & (truth["year"] == YEARS[-1])).to_numpy()
        high_model += list((fit["model"] - t)[high])
        high_direct += list((fit["direct"] - t)[high])
    return {
        "coverage": float(np.mean(covered)),
        "mse_ratio": float(np.mean(model_se2) / np.mean(direct_se2)),
        "high_area_bias": float(np.mean(high_model)),
        "high_area_bias_direct": float(np.mean(high_direct)),
        "n_sims": n_sims,
    }
