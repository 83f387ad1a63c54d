"""Judging: pure functions from loaded figures to a status and the test behind it.

The evaluation, the null simulation (:mod:`analysis.evaluation.calibration`) and the tests call
these same functions, so the false-alarm rate the simulation measures is the rate of the verdicts
the reports print. Nothing here reads files or words anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from analysis import config
from analysis.evaluation.model import Cell
from analysis.evaluation.status import Status, evidence_of, judge
from analysis.stats import (
    Dispersion,
    StatResult,
    diff_in_differences_shares,
    diff_of_gaps,
    diff_proportions,
    dispersion_from_series,
    gap_to_city,
    rate_ratio,
)
from analysis.stats.design import linear_contrast
from analysis.stats.proportions import SMALL_COUNTS_NOTE, small_expected

Direction = Literal["decrease", "increase"]


@dataclass(frozen=True)
class Judgement:
    """A status, the test it rests on, and how far the estimate moved the agreement's way."""

    status: Status
    test: StatResult | None
    #: the change in the direction the agreement wants (> 0: the right way); for counts the
    #: relative change, 1 - rate ratio
    improvement: float

    @property
    def p_value(self) -> float:
        p = None if self.test is None else self.test.p_value
        return math.nan if p is None else p

    def _test_value(self, name: str) -> float:
        return math.nan if self.test is None else getattr(self.test, name)

    @property
    def ci_low(self) -> float:
        return self._test_value("ci_low")

    @property
    def ci_high(self) -> float:
        return self._test_value("ci_high")

    @property
    def method(self) -> str:
        return "" if self.test is None else self.test.method


def judge_literal(improvement: float, met: bool | None = None) -> Judgement:
    """The literal reading alone, for figures that cannot be tested (published shares without
    the number of respondents): met when the figure moved the agreement's way."""
    met = improvement > 0 if met is None else met
    return Judgement(Status.MET if met else Status.NOT_MET, None, improvement)


def judge_not_comparable(improvement: float) -> Judgement:
    """Two figures on different area boundaries: the literal movement is kept as information,
    with no verdict and no test (a change across a boundary change is not evidence)."""
    return Judgement(Status.NOT_COMPARABLE, None, improvement)


def _sign(direction: Direction) -> int:
    """+1 when a rise is the improvement (safe shares), -1 when a fall is (unsafe shares)."""
    return 1 if direction == "increase" else -1


def _design_contrast(
    cells: tuple[Cell, ...],
    coefs: tuple[float, ...],
    pairs: dict[tuple[int, int], float],
    what: str,
) -> StatResult:
    """Σ c_k share_k with the cells' design-based variances and the covariances ``pairs``
    ((i, j) -> Cov(cell i, cell j)); cells of different years are independent."""
    cov = np.diag([c.var for c in cells])
    for (i, j), v in pairs.items():
        cov[i, j] = cov[j, i] = v
    r = linear_contrast(
        [c.share for c in cells], cov, coefs, what, tuple(float(c.n) for c in cells)
    )
    if any(small_expected(c.share, c.n_eff) for c in cells):
        return replace(r, small_counts=True, note=SMALL_COUNTS_NOTE)
    return r


def share_change_test(now: Cell, ref: Cell) -> StatResult:
    """This year's share minus another year's (independent samples): the design-based Wald test
    for microdata, else the pooled z-test on Kish's effective n."""
    if now.design_based and ref.design_based:
        return _design_contrast((now, ref), (1, -1), {}, "difference")
    return diff_proportions(now.proportion(), ref.proportion())


def gap_test(area: Cell, city: Cell) -> StatResult:
    """The area's share minus the city's of the same year; for microdata with their covariance
    (the area's respondents are part of the city's sample)."""
    if area.design_based and city.design_based:
        return _design_contrast((area, city), (1, -1), {(0, 1): area.cov_city}, "gap to city")
    return gap_to_city(area.proportion(), city.proportion())


def gap_change_test(area_now: Cell, city_now: Cell, area_then: Cell, city_then: Cell) -> StatResult:
    """(area − city) now minus (area − city) then, each year's pair with its covariance."""
    cells = (area_now, city_now, area_then, city_then)
    if all(c.design_based for c in cells):
        pairs = {(0, 1): area_now.cov_city, (2, 3): area_then.cov_city}
        return _design_contrast(cells, (1, -1, -1, 1), pairs, "change in gap")
    return diff_of_gaps(*(c.proportion() for c in cells))


def surroundings_test(
    area_now: Cell, area_then: Cell, other_now: Cell, other_then: Cell
) -> StatResult:
    """The area's change minus its surroundings' (difference in differences, in percentage
    points), each year's area and surroundings with their covariance."""
    cells = (area_now, area_then, other_now, other_then)
    if all(c.design_based for c in cells):
        pairs = {(0, 2): other_now.cov_area, (1, 3): other_then.cov_area}
        return _design_contrast(cells, (1, -1, -1, 1), pairs, "difference in differences")
    return diff_in_differences_shares(*(c.proportion() for c in cells))


def judge_share_change(now: Cell, ref: Cell, direction: Direction) -> Judgement:
    """ "Shall fall (rise) every year": this year's share against the reference year's.

    Both shares must have at least ``config.MIN_RESPONDENTS`` respondents (the caller checks).
    """
    test = share_change_test(now, ref)
    improvement = _sign(direction) * test.estimate
    return Judgement(
        judge(improvement > 0, evidence_of(improvement, test.p_value)), test, improvement
    )


def judge_gap(
    area_now: Cell, city_now: Cell, area_start: Cell, city_start: Cell, direction: Direction
) -> Judgement:
    """ "Approach the Copenhagen level": the area's gap to the city against the starting point.

    Met when the gap narrowed, or when the area is at or better than the city level. The
    evidence tests that same claim: the change in the gap, or, for an area at or better than
    the city, the gap itself.
    """
    worse_now = -_sign(direction) * (area_now.share - city_now.share)
    if worse_now <= 0:
        test = gap_test(area_now, city_now)
        improvement = -worse_now
        return Judgement(judge(True, evidence_of(improvement, test.p_value)), test, improvement)
    test = gap_change_test(area_now, city_now, area_start, city_start)
    improvement = _sign(direction) * test.estimate
    return Judgement(
        judge(improvement > 0, evidence_of(improvement, test.p_value)), test, improvement
    )


def judge_count(
    count: float,
    exposure: float | None,
    base_count: float,
    base_exposure: float | None,
    dispersion: Dispersion | None,
) -> Judgement:
    """ "At or below the baseline": this year's count (or rate) against the baseline's.

    With a ``dispersion`` estimated from the series, the quasi-Poisson conditional score test
    (two-sided, t on its degrees of freedom); without one (too short a series), the exact
    conditional Poisson test, which assumes no extra variation. Ratio, CI and p-value are all
    against the same baseline.
    """
    if dispersion is not None:
        test = rate_ratio(
            count, exposure, base_count, base_exposure, "quasi-score", dispersion=dispersion
        )
    else:
        test = rate_ratio(count, exposure, round(base_count), base_exposure, "exact")
    rate_now = count / (exposure or 1.0)
    rate_base = base_count / (base_exposure or 1.0)
    met = rate_now <= rate_base * (1 + 1e-12)
    improvement = 1 - rate_now / rate_base if rate_base > 0 else 0.0 if rate_now == 0 else -math.inf
    if test.p_value is None:
        return Judgement(Status.MET if met else Status.NOT_MET, test, improvement)
    return Judgement(judge(met, evidence_of(improvement, test.p_value)), test, improvement)


def series_dispersion(
    series: dict[int, tuple[int, float | None]], year: int, baseline_year: int
) -> Dispersion | None:
    """φ of a count series from its *other* years: up to ``config.DISPERSION_YEARS`` before
    ``year``, leaving out ``year`` and ``baseline_year`` so that the estimate is independent of
    the two counts the test compares. ``series`` maps year -> (count, exposure or None).
    None when fewer than ``config.MIN_DISPERSION_DF`` residual degrees of freedom remain.
    """
    years = [
        y
        for y in sorted(series)
        if year - config.DISPERSION_YEARS <= y < year and y != baseline_year
    ]
    if len(years) - 2 < config.MIN_DISPERSION_DF:
        return None
    exposures = [series[y][1] for y in years]
    return dispersion_from_series(
        [series[y][0] for y in years],
        years,
        None if any(e is None for e in exposures) else exposures,
    )
