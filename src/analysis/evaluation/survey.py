"""Objective 1: the share of unsafe (from 2026: safe) residents, against the previous year and
the Copenhagen level.

The starting point is the survey year before the agreement's first year: the figures each
agreement quotes when it is signed (2016 for 2017-2020, 2020 for 2021-2024, 2021 for 2022-2025,
2025 for 2026-2029). In an agreement's first year the previous year *is* that starting point, and
the explanation says so. The change since the starting point and the trend are information
beside the objectives, not objectives of their own.

The floor (``config.MIN_RESPONDENTS``) applies to respondents and to their effective number,
before any test; the effective number is carried beside them and used by the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.agreements import Agreement
from analysis.evaluation import text
from analysis.evaluation.judge import (
    Judgement,
    gap_test,
    judge_gap,
    judge_literal,
    judge_not_comparable,
    judge_share_change,
)
from analysis.evaluation.measures import Figure, fields_of_test, measure_of
from analysis.evaluation.model import Cell, ObjectiveRow
from analysis.evaluation.status import Status
from analysis.reference import BoundaryBreak, Reference
from analysis.stats import StatResult, minimum_detectable_change, share_ci, trend_test
from analysis.stats.design import design_regression

#: the comparisons shown beside the objectives, by their code in the results


@dataclass(frozen=True)
class ShareComparison:
    """This year's share against an earlier year's, judged in the agreement's direction."""

    indicator: str
    comparison: str  #: a key of text.COMPARISONS
    from_year: int
    to_year: int
    before: Cell
    after: Cell
    judgement: Judgement
    mde: float  #: smallest change in the agreement's direction detectable (NaN: no test)
    boundary: BoundaryBreak | None  #: the two years lie on different boundaries

    @property
    def change(self) -> float:
        return self.after.share - self.before.share


def cells_of(survey: pd.DataFrame) -> dict[tuple[str, str, int], Cell]:
    """(area, indicator, year) -> its Cell, for every row of the tidy survey table."""
    return {(r.area, r.indicator, int(r.year)): _cell(r) for r in survey.itertuples()}


def _cell(r) -> Cell:
    n = None if pd.isna(r.n) else int(r.n)

    def num(name: str) -> float:
        v = getattr(r, name, math.nan)
        return math.nan if pd.isna(v) else float(v)

    return Cell(
        float(r.share),
        n,
        math.nan if n is None else float(r.n_eff),
        num("rounded_to"),
        num("se"),
        num("deff"),
        num("weighting_effect"),
        getattr(r, "variance", "kish"),
        num("cov_city"),
        num("cov_area"),
    )


def _figure(
    cell: Cell, year: int, estimate: float, interval: StatResult | None, se: float
) -> Figure:
    """A public figure for ``cell``'s respondents: ``estimate`` with its SE and ``interval``
    (None: a published share without n, the estimate alone)."""
    if interval is None:
        return Figure(year=year, estimate=estimate, n=_n(cell))
    return Figure(
        year=year,
        estimate=estimate,
        se=se,
        ci_low=interval.ci_low,
        ci_high=interval.ci_high,
        n=_n(cell),
        n_eff=cell.n_eff,
        deff=cell.deff,
    )


def share_figure(cell: Cell, year: int) -> Figure:
    """A share as a public figure: its SE, Wilson interval on the effective n, respondents and
    design effect."""
    interval = share_ci(cell.proportion()) if cell.testable else None
    return _figure(cell, year, cell.share, interval, cell.se)


#: the series table's columns: ``deff`` the design effect (a ratio of variances),
#: ``weighting_effect`` Kish's n / n_eff of the weights alone (NaN for aggregates and below the
#: floor)
SERIES_COLUMNS = [
    *("area", "indicator", "year", "share", "se", "ci_low", "ci_high", "n", "n_eff"),
    *("deff", "weighting_effect", "too_few"),
]


def series(survey: pd.DataFrame, areas: list[str], indicators: tuple[str, ...]) -> pd.DataFrame:
    """Each area's share per year with its SE and Wilson CI (for the plots and the public
    rows). A share from fewer respondents than the floor is left out (NaN): it is neither drawn
    nor printed."""
    rows = []
    sub = survey[survey["area"].isin(areas) & survey["indicator"].isin(indicators)]
    for r in sub.itertuples():
        cell = _cell(r)
        f = share_figure(cell, int(r.year)) if cell.enough else Figure(year=int(r.year))
        rows.append(
            {
                "area": r.area,
                "indicator": r.indicator,
                "year": int(r.year),
                "share": f.estimate,
                "se": f.se,
                "ci_low": f.ci_low,
                "ci_high": f.ci_high,
                "n": cell.n,
                "n_eff": f.n_eff,
                "deff": f.deff,
                "weighting_effect": cell.weighting_effect if cell.enough else math.nan,
                "too_few": not cell.enough,
            }
        )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


class SurveyEvaluator:
    """Judges the survey objective of one agreement in one year."""

    def __init__(
        self,
        agreement: Agreement,
        year: int,
        survey: pd.DataFrame,
        reference: Reference,
        design: pd.DataFrame | None = None,
    ) -> None:
        self.a = agreement
        self.reference = reference
        self.year = year
        self.area = agreement.area.survey_area
        self.start_year = agreement.period.first_year - 1
        self.direction = agreement.survey.direction
        self.data = cells_of(survey)
        #: microdata's design table (:mod:`analysis.stats.design`); empty for aggregates
        self.design = pd.DataFrame() if design is None else design
        self.comparisons: list[ShareComparison] = []
        self.trends: list[dict] = []

    def _cell(self, area: str, indicator: str, year: int) -> Cell | None:
        return self.data.get((area, indicator, year))

    def _unavailable(self, area: str, ind: str, year: int) -> tuple[Status, str] | None:
        """Why a figure cannot be used (missing, or below the floor), or None when it can."""
        cell = self._cell(area, ind, year)
        where = text.where_suffix(area != self.area)
        if cell is None:
            return Status.DATA_MISSING, text.survey_figure_missing(ind, area != self.area, year)
        if not cell.enough:
            return Status.TOO_FEW, text.too_few_sentence(cell.n, cell.floor_n_eff, where, year)
        return None

    def rows(self) -> list[ObjectiveRow]:
        out = []
        for ind in self.a.survey.indicators:
            out += self._indicator_rows(ind)
        return out

    def _row(
        self, objective: str, label: str, ind: str, status: Status, explanation: str, **kw
    ) -> ObjectiveRow:
        return ObjectiveRow(
            objective, label, ind, text.INDICATOR_LABELS[ind], status, explanation, **kw
        )

    def _indicator_rows(self, ind: str) -> list[ObjectiveRow]:
        objectives = text.survey_objective_labels(
            self.direction, self.a.survey.every_year, self.a.survey.approach_city_by
        )
        missing = self._unavailable(self.area, ind, self.year)
        if missing:
            cell = self._cell(self.area, ind, self.year)
            n = math.nan if cell is None else _n(cell)
            return [self._row(o, lab, ind, *missing, n=n) for o, lab in objectives]
        prev = self._compare(ind, self.year - 1, "previous_year")
        # information, as the survey firm states changes: since the agreement's start, over
        # the last two years, since the area's first measurement (each pair of years once)
        first = min(y for a, i, y in self.data if a == self.area and i == ind)
        compared = {self.year - 1}
        for ref_year, comparison in (
            (self.start_year, "start"),
            (self.year - 2, "two_years"),
            (first, "first"),
        ):
            if ref_year not in compared and ref_year < self.year:
                compared.add(ref_year)
                self._compare(ind, ref_year, comparison)
        self._trend(ind)
        return [
            self._annual(ind, lab, prev) if o == "survey_annual" else self._city_level(ind, lab)
            for o, lab in objectives
        ]

    def _break(self, year_from: int, year_to: int) -> BoundaryBreak | None:
        return self.reference.boundary_break(self.area, year_from, year_to)

    def _compare(
        self, ind: str, ref_year: int, comparison: str
    ) -> ShareComparison | tuple[Status, str]:
        missing = self._unavailable(self.area, ind, ref_year)
        if missing:
            return missing
        now, ref = self._cell(self.area, ind, self.year), self._cell(self.area, ind, ref_year)
        sign = 1 if self.direction == "increase" else -1
        boundary = self._break(ref_year, self.year)
        if boundary is not None:
            judgement, mde = judge_not_comparable(sign * (now.share - ref.share)), math.nan
        elif now.testable and ref.testable:
            judgement = judge_share_change(now, ref, self.direction)
            mde = minimum_detectable_change(
                ref.share, now.n_eff, ref.n_eff, direction=self.direction
            ).estimate
        else:  # published shares without respondents: read, not tested
            judgement, mde = judge_literal(sign * (now.share - ref.share)), math.nan
        c = ShareComparison(
            ind,
            comparison,
            ref_year,
            self.year,
            ref,
            now,
            judgement,
            mde,
            boundary,
        )
        self.comparisons.append(c)
        return c

    def _trend(self, ind: str) -> None:
        """Information: the trend over the agreement's years (above the floor), on this year's
        boundary only: years before a boundary change are left out. Microdata: design-based
        logistic regressions, the area's own and the area's against the rest of the city;
        aggregates: the Cochran-Armitage test on the effective n."""
        first = max(self.start_year, self.reference.last_boundary_year(self.area, self.year) or 0)
        cells = [(y, self._cell(self.area, ind, y)) for y in range(first, self.year + 1)]
        cells = [(y, c) for y, c in cells if c is not None and c.enough and c.testable]
        if len(cells) < 3:
            return
        years = [y for y, _ in cells]
        common = {
            "indicator": ind,
            "from_year": years[0],
            "to_year": years[-1],
            "boundary_year": None if first == self.start_year else first,
        }
        if all(c.design_based for _, c in cells) and not self.design.empty:
            self.trends += [{**common, **r} for r in self._design_trends(ind, years)]
            return
        props = [c.proportion() for _, c in cells]
        r = trend_test([p.count for p in props], [p.nobs for p in props], years, min_n=0)
        self.trends.append(
            {
                **common,
                "kind": "area",
                "slope_per_year": r.estimate,
                "scale": "share",
                "estimate": r.estimate,
                "se": math.nan,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "statistic": r.statistic,
                "df": 1.0,
                "p_value": math.nan if r.p_value is None else r.p_value,
                "method": r.method,
            }
        )

    def _design_trends(self, ind: str, years: list[int]) -> list[dict]:
        """The area's logistic trend (with the average change per year of its fitted shares,
        in points, for the reader: same sign as the coefficient), and its trend against the
        rest of the city: the interaction of year and area in the linear probability model,
        in share points per year, so that the slope shown and its test cannot disagree."""
        d = self.design
        t = d[(d["indicator"] == ind) & d["year"].isin(years)].reset_index(drop=True)
        span = years[-1] - years[0]
        year = t["year"].to_numpy(float) - years[0]
        inside = (t["area"] == self.area).to_numpy(float)

        def fitted(b0: float, b1: float) -> float:
            return (_expit(b0 + b1 * span) - _expit(b0)) / span

        found = []
        own, b = design_regression(t, np.column_stack([inside, inside * year]), 1)
        found.append(("area", own, fitted(b[0], b[1])))
        # the gap in share points (as the comparison with the surroundings, A9): the linear
        # probability model's interaction of year and area
        x = np.column_stack([np.ones(len(t)), year, inside, inside * year])
        gap, _ = design_regression(t, x, 3, "trend of the gap (points per year)", link="identity")
        found.append(("gap", gap, gap.estimate))
        return [
            {
                "kind": kind,
                "slope_per_year": slope,
                "scale": "log odds" if kind == "area" else "share",
                "estimate": r.estimate,
                "se": r.se,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "statistic": r.statistic,
                "df": r.df,
                "p_value": r.p_value,
                "method": r.method,
            }
            for kind, r, slope in found
        ]

    # ---------------------------------------------------------------- the objectives

    def _annual(
        self, ind: str, label: str, prev: ShareComparison | tuple[Status, str]
    ) -> ObjectiveRow:
        now = self._cell(self.area, ind, self.year)
        if not isinstance(prev, ShareComparison):
            status, why = prev
            return self._row(
                "survey_annual",
                label,
                ind,
                status,
                text.yearly_change_impossible(why, self.year),
                n=_n(now),
                n_eff=now.n_eff,
                deff=now.deff,
            )
        j = prev.judgement
        sentence = text.sentences(
            text.share_change_sentence(
                ind, prev.before.share, prev.from_year, prev.after.share, self.year, j
            ),
            text.rounding_clause((prev.before, prev.after), prev.change),
            text.mde_clause(now.n, prev.mde, self.direction),
            text.small_counts_clause(j.test),
            text.first_year_clause(prev.from_year) if self.year == self.a.period.first_year else "",
        )
        return self._row(
            "survey_annual",
            label,
            ind,
            j.status,
            sentence,
            **measure_of(share_figure(now, self.year)),
            reference=share_figure(prev.before, prev.from_year),
            **fields_of_test(j.test, prev.change),
            mde=prev.mde,
            boundary_year=None if prev.boundary is None else prev.boundary.year,
        )

    def _city_level(self, ind: str, label: str) -> ObjectiveRow:
        needed = [
            ("kobenhavn", self.year),
            (self.area, self.start_year),
            ("kobenhavn", self.start_year),
        ]
        for area, year in needed:
            missing = self._unavailable(area, ind, year)
            if missing:
                status, why = missing
                return self._row(
                    "survey_city_level",
                    label,
                    ind,
                    status,
                    text.city_gap_impossible(why),
                )
        area_now, city_now = (
            self._cell(self.area, ind, self.year),
            self._cell("kobenhavn", ind, self.year),
        )
        area_start, city_start = (
            self._cell(self.area, ind, self.start_year),
            self._cell("kobenhavn", ind, self.start_year),
        )
        gap_now, gap_start = area_now.share - city_now.share, area_start.share - city_start.share
        cells = (area_now, city_now, area_start, city_start)
        sign = 1 if self.direction == "increase" else -1
        worse_now, worse_start = -sign * gap_now, -sign * gap_start
        # an area at or better than the city level is judged on this year alone
        boundary = self._break(self.start_year, self.year) if worse_now > 0 else None
        if boundary is not None:
            j = judge_not_comparable(worse_start - worse_now)
        elif all(c.testable for c in cells):
            j = judge_gap(*cells, self.direction)
        else:  # published shares without respondents: read, not tested
            j = judge_literal(
                worse_start - worse_now, met=worse_now <= 0 or worse_now < worse_start
            )
        sentence = text.sentences(
            text.gap_sentence(
                ind,
                area_now.share,
                city_now.share,
                self.year,
                gap_now,
                gap_start,
                self.start_year,
                j,
            ),
            text.rounding_clause(cells, gap_now - gap_start),
            text.small_counts_clause(j.test),
        )
        return self._row(
            "survey_city_level",
            label,
            ind,
            j.status,
            sentence,
            **measure_of(_gap_figure(area_now, city_now, self.year)),
            reference=_gap_figure(area_start, city_start, self.start_year),
            **fields_of_test(j.test, gap_now - gap_start),
            boundary_year=None if boundary is None else boundary.year,
        )


def _gap_figure(area: Cell, city: Cell, year: int) -> Figure:
    """The area's share minus the city's as a public figure: the gap's SE and interval (with
    the covariance of the area inside the city, for microdata), and the area's respondents,
    effective respondents and design effect."""
    t = gap_test(area, city) if area.testable and city.testable else None
    return _figure(area, year, area.share - city.share, t, math.nan if t is None else t.se)


def _n(cell: Cell) -> float:
    return math.nan if cell.n is None else cell.n


#: the changes table's columns, in the order _change_row gives them
CHANGE_COLUMNS = (
    "indicator",
    "comparison",
    "from_year",
    "to_year",
    "from_share",
    "to_share",
    "change",
    "quantity",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p_value",
    "evidence",
    "mde",
    "n_from",
    "n_to",
    "n_eff_from",
    "n_eff_to",
    "method",
    "boundary_year",
)


def _change_row(c: ShareComparison) -> tuple:
    j = c.judgement
    return (
        c.indicator,
        c.comparison,
        c.from_year,
        c.to_year,
        c.before.share,
        c.after.share,
        c.change,
        "difference" if j.test is None else j.test.quantity,
        math.nan if j.test is None else j.test.se,
        j.ci_low,
        j.ci_high,
        math.nan if j.test is None or j.test.statistic is None else j.test.statistic,
        math.nan if j.test is None or j.test.df is None else j.test.df,
        j.p_value,
        None if j.status.evidence is None else str(j.status.evidence),
        c.mde,
        c.before.n,
        c.after.n,
        c.before.n_eff,
        c.after.n_eff,
        j.method,
        None if c.boundary is None else c.boundary.year,
    )


def changes_frame(comparisons: list[ShareComparison]) -> pd.DataFrame:
    """The share comparisons as a tidy table (every row above the floor)."""
    return pd.DataFrame.from_records(
        [_change_row(c) for c in comparisons], columns=list(CHANGE_COLUMNS)
    )


#: the trends table's columns: ``kind`` "area" (the area's own trend) or "gap" (the area's
#: against the rest of the city); ``slope_per_year`` the average change per year in share
#: points (fitted); estimate, se, ci_low, ci_high on ``scale`` ("log odds": the logistic
#: coefficient; "share": the Cochran-Armitage slope)
TREND_COLUMNS = [
    "indicator",
    "kind",
    "from_year",
    "to_year",
    "slope_per_year",
    "scale",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p_value",
    "method",
    "boundary_year",
]


def _expit(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def trends_frame(rows: list[dict]) -> pd.DataFrame:
    cols = TREND_COLUMNS
    return pd.DataFrame(rows, columns=cols)
