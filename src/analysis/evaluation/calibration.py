"""Are the verdicts calibrated? A simulation with no real change, and the power for a real one.

Each scenario draws many partnership-years from a known truth and judges them with the
evaluation's own functions (:mod:`analysis.evaluation.judge`), so what is measured is the rate
of the statuses the reports print:

- survey: weighted samples drawn as the survey's are (a partnership area of 300 respondents
  inside a city stratum of 12,000; two groups that answer differently and weigh 1 and 2, so
  that the weights correlate with the answers), each judged on its design-based variance and,
  for the city level, the covariance of the area with the city that contains it; the same true
  share in both years (null) or the yearly fall the agreements hope for (about 2 points: a gap
  of 8 points to the city closed over four years);
- police counts: a series of yearly counts with dispersion φ = 1 (Poisson) or the smallest and
  the largest φ the example data's crime types are generated with (2 and 4, gamma-Poisson, as
  real small-area counts), no change (null) or a rise of 25 %;
- comparison with the surroundings: a city-wide fall of 3 points that the area follows exactly
  (the difference in differences is 0).

With no real change the share of significant verdicts (either way) should be α = 5 %, within
Monte Carlo error √(α(1-α)/n_sims).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import config
from analysis.evaluation.judge import (
    Judgement,
    judge_count,
    judge_gap,
    judge_share_change,
    series_dispersion,
    surroundings_test,
)
from analysis.evaluation.model import Cell
from analysis.evaluation.status import Evidence, Reading, evidence_of, judge
from analysis.example_data import POLICE_DISPERSION
from analysis.stats.design import DESIGN_COLUMNS, domain_estimates

AREA_N = 300
REST_N = 12_000
#: the weight of the area's respondents relative to the rest of the city's (oversampled)
AREA_WEIGHT = 0.1
BASELINE_YEAR, YEAR = 2015, 2024  #: nine earlier years of counts, as for a 2017-2020 target
#: the smallest and largest dispersion the example data's police series are generated with
PHI_GENERATED = (min(POLICE_DISPERSION.values()), max(POLICE_DISPERSION.values()))


@dataclass(frozen=True)
class Scenario:
    name: str
    objective: str  #: survey_annual, survey_city_level or crime
    dispersion: float  #: φ of the counts (1 for the survey scenarios)
    true_change: float  #: 0 for the null; a share difference or a relative change in counts
    share: float | None = None  #: the survey share (None: the simulation's default)


SCENARIOS = (
    Scenario("survey yearly, no change", "survey_annual", 1.0, 0.0),
    Scenario("survey yearly, 2-point fall", "survey_annual", 1.0, -0.02),
    Scenario("survey yearly, 5-point fall", "survey_annual", 1.0, -0.05),
    Scenario("city level, no change", "survey_city_level", 1.0, 0.0),
    # about 3 of 300 respondents: an expected count below 5, which every verdict then says
    Scenario("survey yearly, 1 % share, no change", "survey_annual", 1.0, 0.0, share=0.01),
    Scenario("area moves with its surroundings", "comparison", 1.0, 0.0),
    *(
        Scenario(f"police counts φ={phi:g}, {what}", "crime", phi, change)
        for change, what in ((0.0, "no change"), (0.25, "25 % rise"))
        for phi in (1.0, *PHI_GENERATED)
    ),
)


def _counts(rng: np.random.Generator, mean: float, phi: float, size: int) -> np.ndarray:
    """Counts with mean ``mean`` and variance φ·mean (gamma-Poisson; Poisson at φ = 1)."""
    if phi == 1:
        return rng.poisson(mean, size)
    shape = mean / (phi - 1)
    return rng.poisson(rng.gamma(shape, mean / shape, size))


def _sums(rng: np.random.Generator, n: int, share: float, scale: float) -> list[float]:
    """One subcell's sums (n, Σw, Σwy, Σw², Σw²y) of n respondents whose weighted share is
    ``share`` in expectation: 40 % of them weigh twice as much and are unsafe 0.6 times as
    often as the others (1.3 times), as young and old respondents differ."""
    group = rng.random(n) < 0.4
    w = scale * np.where(group, 2.0, 1.0) * rng.lognormal(0.0, 0.3, n)
    p = np.clip(share / 0.9 * np.where(group, 0.6, 1.3), 0, 1)
    y = rng.random(n) < p
    wy = w * y
    return [n, w.sum(), wy.sum(), (w * w).sum(), (wy * w).sum()]


def _year(rng: np.random.Generator, area_share: float, rest_share: float) -> tuple[Cell, ...]:
    """One survey year: (the area, the city, the rest of the city), design-based, from a city
    stratum of which the area is a part."""
    rows = [_sums(rng, AREA_N, area_share, AREA_WEIGHT), _sums(rng, REST_N, rest_share, 1.0)]
    table = pd.DataFrame(
        [
            [YEAR, "d", a, "x", "s", AREA_N + REST_N, 0.0, *r]
            for a, r in zip("ar", rows, strict=True)
        ],
        columns=DESIGN_COLUMNS,
    )
    found, cov = domain_estimates(table, np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]))
    return tuple(
        Cell(
            e.share,
            e.n,
            e.n_eff,
            se=e.se,
            deff=e.deff,
            variance="taylor",
            cov_city=float(cov[k, 1]),
            cov_area=float(cov[k, 0]),
        )
        for k, e in enumerate(found)
    )


def _draw(s: Scenario, rng: np.random.Generator, share: float, mean_count: float):
    if s.objective == "survey_annual":
        before = _year(rng, share, share / 2)[0]
        after = _year(rng, share + s.true_change, share / 2)[0]
        return judge_share_change(after, before, "decrease")
    if s.objective == "comparison":  # a city-wide fall of 3 points, the area following it
        then, now = _year(rng, share, share / 2), _year(rng, share - 0.03, share / 2 - 0.03)
        return surroundings_test(now[0], then[0], now[2], then[2])
    if s.objective == "survey_city_level":
        then, now = _year(rng, share, share / 2), _year(rng, share, share / 2)
        return judge_gap(now[0], now[1], then[0], then[1], "decrease")
    years = range(BASELINE_YEAR - 2, YEAR + 1)
    counts = _counts(rng, mean_count, s.dispersion, len(years))
    counts[-1] = _counts(rng, mean_count * (1 + s.true_change), s.dispersion, 1)[0]
    series = {y: (int(c), None) for y, c in zip(years, counts, strict=True)}
    base = series[BASELINE_YEAR][0]
    if base + series[YEAR][0] == 0:
        return None
    return judge_count(
        series[YEAR][0], None, base, None, series_dispersion(series, YEAR, BASELINE_YEAR)
    )


def simulate(
    n_sims: int = 2000,
    seed: int = 2026,
    share: float = 0.15,
    mean_count: float = 40.0,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
) -> pd.DataFrame:
    """One row per scenario: the share of significant verdicts (either way), its Monte Carlo
    standard error, and how often the literal reading says "ikke opfyldt"."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in scenarios:
        at = share if s.share is None else s.share
        judged = [j for j in (_draw(s, rng, at, mean_count) for _ in range(n_sims)) if j]
        if s.objective == "comparison":  # information, no status: judged on its test alone
            judged = [
                Judgement(judge(r.estimate > 0, evidence_of(r.estimate, r.p_value)), r, r.estimate)
                for r in judged
            ]
        evidence = [j.status.evidence for j in judged]
        significant = sum(e in (Evidence.IMPROVEMENT, Evidence.WORSENING) for e in evidence)
        improved = sum(e is Evidence.IMPROVEMENT for e in evidence)
        worsened = sum(e is Evidence.WORSENING for e in evidence)
        rate = significant / len(judged)
        rows.append(
            {
                "scenario": s.name,
                "objective": s.objective,
                "dispersion": s.dispersion,
                "true_change": s.true_change,
                "n_sims": len(judged),
                "significant": rate,
                "mc_se": math.sqrt(config.ALPHA * (1 - config.ALPHA) / len(judged)),
                "significant_improvement": improved / len(judged),
                "significant_worsening": worsened / len(judged),
                "not_met": sum(j.status.reading is Reading.NOT_MET for j in judged) / len(judged),
                "small_counts": sum(bool(j.test and j.test.small_counts) for j in judged)
                / len(judged),
            }
        )
    return pd.DataFrame(rows)
