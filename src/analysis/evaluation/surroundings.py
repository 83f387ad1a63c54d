"""Information beside the verdicts: did the area move more than its surroundings, how many
respondents would it take to know, and what do pooled years show where single years cannot?

None of this is an objective of the agreements, so none of it gets a status:

- **comparison with the surroundings** (difference in differences): the area's change since the
  agreement's starting point minus the change in the rest of its district and in the rest of the
  city (survey shares, from microdata), and for police reports the area's rate ratio against
  the baseline divided by the rest of the city's. It separates the partnership's own movement
  from a city-wide good or bad year, *if* the area would otherwise have moved in parallel with
  its surroundings; areas chosen for being unsafe also tend to regress towards the mean.
- **sample size**: the yearly change needed to reach the Copenhagen level by the end of the
  period, and the respondents the area needs to detect it with 80 % power at its design effect.
- **pooled years**: where a single year cannot detect that change, two years against two years.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.agreements import Agreement, CrimeIndicator
from analysis.evaluation import text
from analysis.evaluation.crime import CrimeEvaluator
from analysis.evaluation.judge import series_dispersion, share_change_test, surroundings_test
from analysis.evaluation.model import (
    Cell,
    PooledComparison,
    SampleSizeNeed,
    SurroundingsComparison,
)
from analysis.loaders.survey import SURROUNDINGS, surroundings_id
from analysis.reference import Reference
from analysis.stats import (
    minimum_detectable_change,
    ratio_of_rate_ratios,
    sample_size_two_proportions,
)


def _pool(cells: list[Cell]) -> Cell:
    """Years pooled by effective counts: share = Σ a_k p_k with a_k = n_eff,k / Σ n_eff; the
    years are independent samples, so Var = Σ a_k² Var_k (design-based for microdata), and the
    design effect is Var over p(1 - p) / n."""
    total = sum(c.n_eff for c in cells)
    a = [c.n_eff / total for c in cells]
    share = sum(ak * c.share for ak, c in zip(a, cells, strict=True))
    var = sum(ak * ak * c.var for ak, c in zip(a, cells, strict=True))
    taylor = all(c.design_based for c in cells)
    n = sum(c.n for c in cells)
    n_eff = share * (1 - share) / var if taylor and var > 0 else total
    return Cell(
        share,
        n,
        n_eff,
        se=math.sqrt(var),
        deff=n / n_eff,  # the variance over a simple random sample's of n respondents
        variance="taylor" if taylor else "kish",
    )


class SurroundingsEvaluator:
    def __init__(
        self,
        agreement: Agreement,
        year: int,
        cells: dict[tuple[str, str, int], Cell],
        police: pd.DataFrame,
        population: pd.DataFrame,
        reference: Reference,
    ) -> None:
        self.a = agreement
        self.reference = reference
        self.year = year
        self.area = agreement.area.survey_area
        self.start_year = agreement.period.first_year - 1
        self.sign = 1 if agreement.survey.direction == "increase" else -1
        self.cells = cells  #: the survey's cells, as the survey's evaluator read them
        self.own = CrimeEvaluator(agreement, year, police, population)
        self.city = CrimeEvaluator(agreement, year, police, population, area="kobenhavn")

    def _boundary(self, year_from: int) -> str:
        """Why there is no comparison across a boundary change ('' when like-for-like)."""
        b = self.reference.boundary_break(self.area, year_from, self.year)
        return text.boundary_reason(b.year, year_from) if b else ""

    # ---------------------------------------------------------------- survey

    def survey(self) -> list[SurroundingsComparison]:
        return [
            self._survey_one(ind, comparison)
            for ind in self.a.survey.indicators
            for comparison in SURROUNDINGS
        ]

    def _survey_one(self, ind: str, comparison: str) -> SurroundingsComparison:
        other = surroundings_id(self.area, comparison)
        keys = [
            (self.area, self.year),
            (self.area, self.start_year),
            (other, self.year),
            (other, self.start_year),
        ]
        got = [self.cells.get((a, ind, y)) for a, y in keys]

        def without(reason: str) -> SurroundingsComparison:
            return SurroundingsComparison(
                "survey", ind, comparison, self.start_year, self.year, reason=reason
            )

        if got[0] is None or got[1] is None:
            return without(text.area_years_missing(self.start_year, self.year))
        if got[2] is None or got[3] is None:
            return without(text.AGGREGATES_CANNOT_BE_SPLIT)
        if not all(c.enough for c in got):
            return without(text.too_few_around())
        if not all(c.testable for c in got):
            return without(text.N_NOT_STATED)
        boundary = self._boundary(self.start_year)
        if boundary:
            return without(boundary)
        r = surroundings_test(*got)
        return SurroundingsComparison(
            "survey",
            ind,
            comparison,
            self.start_year,
            self.year,
            r,
            area_change=got[0].share - got[1].share,
            other_change=got[2].share - got[3].share,
            area_se=math.sqrt(got[0].var + got[1].var),
            other_se=math.sqrt(got[2].var + got[3].var),
        )

    # ---------------------------------------------------------------- police

    def crime(self) -> list[SurroundingsComparison]:
        return [self._crime_one(ind) for ind in self.a.crime.targets]

    def _crime_one(self, ind: CrimeIndicator) -> SurroundingsComparison:
        by = self.a.crime.baseline_year

        def without(reason: str) -> SurroundingsComparison:
            return SurroundingsComparison(
                "crime", ind.id, "rest_of_city", by, self.year, reason=reason
            )

        boundary = self._boundary(by)
        if boundary:
            return without(boundary)
        area, rest = self._rest_series(ind)
        if not {self.year, by} <= set(area) or not {self.year, by} <= set(rest):
            return without(
                text.police_figures_missing(ind.unit != "count", by, self.year, ind.label)
            )

        def four(series: dict[int, tuple[int, float | None]]) -> tuple[float, ...]:
            (c1, e1), (c0, e0) = series[self.year], series[by]
            return c1, e1 or 1.0, c0, e0 or 1.0

        r = ratio_of_rate_ratios(
            four(area),
            four(rest),
            series_dispersion(area, self.year, by),
            series_dispersion(rest, self.year, by),
        )
        if r.insufficient:
            return without(text.ZERO_COUNT)
        a, o = four(area), four(rest)
        return SurroundingsComparison(
            "crime",
            ind.id,
            "rest_of_city",
            by,
            self.year,
            r,
            area_change=a[0] / a[1] / (a[2] / a[3]),
            other_change=o[0] / o[1] / (o[2] / o[3]),
        )

    def _rest_series(self, ind: CrimeIndicator) -> tuple[dict, dict]:
        """year -> (count, exposure or None) for the area and for the rest of the city."""
        area, rest = {}, {}
        for y in sorted(self.own.years_with_data & self.city.years_with_data):
            c_a, c_c = self.own.count(ind, y), self.city.count(ind, y)
            if c_a is None or c_c is None:
                continue
            if ind.unit == "count":
                area[y], rest[y] = (c_a, None), (c_c - c_a, None)
            elif (e_a := self.own.exposure(ind, y)) and (e_c := self.city.exposure(ind, y)):
                area[y], rest[y] = (c_a, e_a), (c_c - c_a, e_c - e_a)
        return area, rest

    # ---------------------------------------------------------------- sample size, pooled

    def sample_sizes(self, mdes: dict[str, float]) -> list[SampleSizeNeed]:
        """``mdes``: the minimum detectable change of each indicator's yearly comparison, so
        that a report states one per indicator (computed here only where there is none)."""
        out = []
        target_year = self.a.survey.approach_city_by
        for ind in self.a.survey.indicators:
            now, city = (
                self.cells.get((self.area, ind, self.year)),
                self.cells.get(("kobenhavn", ind, self.year)),
            )
            if now is None or city is None or not now.enough or not now.testable:
                continue
            deff = now.n / now.n_eff
            mde = mdes.get(ind, math.nan)
            if math.isnan(mde):
                mde = minimum_detectable_change(
                    now.share, now.n_eff, now.n_eff, direction=self.a.survey.direction
                ).estimate
            worse = -self.sign * (now.share - city.share)  # > 0: the area is worse off
            years_left = target_year - self.year
            if worse <= 0 or years_left <= 0:
                out.append(
                    SampleSizeNeed(
                        ind, now.share, math.nan, target_year, deff, math.nan, now.n, mde
                    )
                )
                continue
            target = worse / years_left
            nxt = min(1.0, max(0.0, now.share + self.sign * target))
            n = sample_size_two_proportions(now.share, nxt, deff=max(1.0, deff)).estimate
            out.append(SampleSizeNeed(ind, now.share, target, target_year, deff, n, now.n, mde))
        return out

    def pooled(self, needs: list[SampleSizeNeed]) -> list[PooledComparison]:
        """Two years against two years for indicators whose single-year sample cannot detect
        the hoped-for change."""
        early, late = (self.start_year - 1, self.start_year), (self.year - 1, self.year)
        if late[0] <= early[1]:
            return []
        out = []
        for need in needs:
            if not math.isnan(need.target_change) and need.mde <= need.target_change:
                continue
            cells = [self.cells.get((self.area, need.indicator, y)) for y in (*early, *late)]
            if any(c is None or not c.enough or not c.testable for c in cells):
                continue
            before, after = _pool(cells[:2]), _pool(cells[2:])
            if self.reference.boundary_break(self.area, early[0], late[1]):
                continue  # pooled across a boundary change says nothing about the same area
            r = share_change_test(after, before)
            out.append(PooledComparison(need.indicator, early, late, before, after, r))
        return out
