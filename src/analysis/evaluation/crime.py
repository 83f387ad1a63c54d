"""Objective 2: police reports against the baseline year ("minimum fastholdelse").

A target's literal reading holds when this year's count (or rate per 1,000 inhabitants) is at
most the baseline. The evidence is a two-sided test of this year against the baseline that
allows for the area's own year-to-year variation: the dispersion φ is estimated from the other
years of the series (``config.DISPERSION_YEARS`` back, the evaluated and the baseline year left
out, so that the estimate is independent of the two counts compared), and the quasi-Poisson
conditional score test uses it with t on its degrees of freedom. When the series is too short
for that (fewer than ``config.MIN_DISPERSION_DF`` degrees of freedom), the exact conditional
Poisson test is used and the result says that it assumes no extra variation. Ratio, CI and
p-value are all against the same baseline: the agreement's stated one when it states one.

A baseline the agreement leaves ``pending`` is taken from the data for the baseline year when
present, and the result says so; otherwise the status is "baseline mangler". Monitored types get
a series and a trend, no status.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.agreements import Agreement, CrimeIndicator
from analysis.evaluation import text
from analysis.evaluation.judge import judge_count, series_dispersion
from analysis.evaluation.measures import Figure, fields_of_test, measure_of
from analysis.evaluation.model import ObjectiveRow
from analysis.evaluation.status import Status
from analysis.reference import Reference
from analysis.stats import Dispersion, StatResult, count_trend, rate_ci


class CrimeEvaluator:
    def __init__(
        self,
        agreement: Agreement,
        year: int,
        police: pd.DataFrame,
        population: pd.DataFrame,
        area: str | None = None,
        reference: Reference | None = None,
    ) -> None:
        """``area``: whose counts to read (default: the partnership's own area);
        ``reference``: for boundary changes (needed to judge the targets)."""
        self.a = agreement
        self.reference = reference
        self.year = year
        self.area = area or agreement.area.survey_area
        own = police[police["area"] == self.area]
        self.counts = own.groupby(["year", "category"])["count"].sum().to_dict()
        self.years_with_data = set(own["year"].astype(int))
        pop = population[population["area"] == self.area]
        self.pop = dict(zip(pop["year"].astype(int), pop["residents"].astype(int), strict=True))

    def count(self, ind: CrimeIndicator, year: int) -> int | None:
        if year not in self.years_with_data:
            return None
        values = [self.counts.get((year, c)) for c in ind.components]
        return None if any(v is None for v in values) else int(sum(values))

    def exposure(self, ind: CrimeIndicator, year: int) -> float | None:
        """Inhabitants for a rate per 1,000; 1 for a count target (None: population missing)."""
        if ind.unit == "count":
            return 1.0
        return self.pop.get(year)

    def value(self, ind: CrimeIndicator, year: int) -> float | None:
        c, e = self.count(ind, year), self.exposure(ind, year)
        if c is None or e is None:
            return None
        return float(c) if ind.unit == "count" else c / e * 1000

    def figure(self, ind: CrimeIndicator, year: int) -> Figure:
        """This year's count (or rate per 1,000) with Poisson's SE and exact interval (the
        series' figure; the test's allowance for extra variation is its ``phi``)."""
        c, e = self.count(ind, year), self.exposure(ind, year)
        if c is None or e is None:
            return Figure(year=year)
        per = 1.0 if ind.unit == "count" else 1000.0
        ci = rate_ci(c, e, per=per)
        return Figure(
            year=year,
            estimate=ci.estimate,
            se=math.sqrt(c) / e * per,
            ci_low=ci.ci_low,
            ci_high=ci.ci_high,
        )

    def _compared(self, ind: CrimeIndicator, base: float, test: StatResult | None) -> dict:
        """This year's figure, the baseline (the agreement's stated figure: no SE; from the
        data: the baseline year's figure) and the test, as a row's keys."""
        by = self.a.crime.baseline_year
        now = self.figure(ind, self.year)
        data = self.figure(ind, by)
        reference = data if data.estimate == base else Figure(year=by, estimate=base)
        return {
            **measure_of(now),
            "reference": reference,
            **fields_of_test(test, now.estimate - base),
        }

    def rows(self) -> list[ObjectiveRow]:
        return [self._target(ind) for ind in self.a.crime.targets]

    def _row(self, ind: CrimeIndicator, status: Status, explanation: str, **kw) -> ObjectiveRow:
        label = f"Minimum fastholdelse af {self.a.crime.baseline_year}-niveau"
        return ObjectiveRow("crime", label, ind.id, ind.label, status, explanation, **kw)

    def _dispersion(self, ind: CrimeIndicator) -> Dispersion | None:
        """φ from the other years of the series (see :func:`series_dispersion`)."""
        series = {
            y: (c, None if ind.unit == "count" else self.exposure(ind, y))
            for y in self.years_with_data
            if (c := self.count(ind, y)) is not None and self.exposure(ind, y) is not None
        }
        return series_dispersion(series, self.year, self.a.crime.baseline_year)

    def _target(self, ind: CrimeIndicator) -> ObjectiveRow:
        by = self.a.crime.baseline_year
        per_1000 = ind.unit == "per_1000"
        now = self.value(ind, self.year)
        if now is None:
            counted = self.count(ind, self.year) is not None
            return self._row(
                ind, Status.DATA_MISSING, text.crime_figure_missing(ind.label, counted, self.year)
            )
        data_base = self.value(ind, by)
        base_exposure = self.exposure(ind, by)
        flags = []
        if ind.baseline_stated:
            base = float(ind.baseline)
            if data_base is not None and abs(data_base - base) > (0.05 if per_1000 else 0.5):
                flags.append(text.baseline_differs_flag(by, data_base, base))
            source = text.STATED_BASELINE
        elif data_base is not None:
            base = data_base
            flags.append(text.baseline_from_data_flag(by))
            source = text.BASELINE_FROM_DATA
        else:
            return self._row(
                ind,
                Status.BASELINE_MISSING,
                text.baseline_not_yet(ind.label, by),
                **measure_of(self.figure(ind, self.year)),
            )
        boundary = self.reference.boundary_break(self.area, by, self.year)
        if boundary is not None:
            return self._row(
                ind,
                Status.NOT_COMPARABLE,
                text.count_not_comparable_sentence(
                    ind.label, now, self.year, base, by, source, per_1000
                ),
                **self._compared(ind, base, None),
                flags="; ".join(flags),
                boundary_year=boundary.year,
            )
        if base_exposure is None:  # a stated rate without the baseline year's population
            held = now <= base
            flags.append(text.population_missing_flag(by))
            return self._row(
                ind,
                Status.MET if held else Status.NOT_MET,
                text.sentences(
                    text.count_sentence(ind.label, now, self.year, base, by, source, per_1000),
                    text.population_missing_sentence(by),
                ),
                **self._compared(ind, base, None),
                flags="; ".join(flags),
            )
        base_count = base * base_exposure / 1000 if per_1000 else base
        dispersion = self._dispersion(ind)
        j = judge_count(
            self.count(ind, self.year),
            self.exposure(ind, self.year) if per_1000 else None,
            base_count,
            base_exposure if per_1000 else None,
            dispersion,
        )
        sentence = text.count_sentence(ind.label, now, self.year, base, by, source, per_1000, j)
        if dispersion is None:
            flags.append(text.SHORT_SERIES_FLAG)
        return self._row(
            ind,
            j.status,
            sentence,
            **self._compared(ind, base, j.test),
            phi=1.0 if dispersion is None else dispersion.phi,
            flags="; ".join(flags),
        )

    def series(self) -> pd.DataFrame:
        """Every target and monitored indicator per year, baseline year to this year."""
        rows = []
        for ind in self.a.crime.indicators:
            for y in range(min(self.a.crime.baseline_year, self.year - 4), self.year + 1):
                c = self.count(ind, y)
                if c is None:
                    continue
                f = self.figure(ind, y)
                rows.append(
                    {
                        "indicator": ind.id,
                        "label": ind.label,
                        "role": ind.role,
                        "unit": ind.unit,
                        "year": y,
                        "count": c,
                        "value": f.estimate,
                        "ci_low": f.ci_low,
                        "ci_high": f.ci_high,
                        "baseline": ind.baseline,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=[
                "indicator",
                "label",
                "role",
                "unit",
                "year",
                "count",
                "value",
                "ci_low",
                "ci_high",
                "baseline",
            ],
        )

    def monitoring(self) -> pd.DataFrame:
        rows = []
        first = self.a.crime.baseline_year
        if self.reference is not None:  # a trend on this year's boundary only
            first = max(first, self.reference.last_boundary_year(self.area, self.year) or first)
        for ind in self.a.crime.monitored:
            years = [y for y in range(first, self.year + 1) if self.count(ind, y) is not None]
            counts = [self.count(ind, y) for y in years]
            trend = count_trend(counts, years) if len(years) >= 3 else None
            rows.append(
                {
                    "indicator": ind.id,
                    "label": ind.label,
                    "from_year": years[0] if years else None,
                    "to_year": years[-1] if years else None,
                    "latest": counts[-1] if counts else None,
                    "rate_ratio_per_year": math.nan if trend is None else trend.estimate,
                    "ci_low": math.nan if trend is None else trend.ci_low,
                    "ci_high": math.nan if trend is None else trend.ci_high,
                    "p_value": math.nan
                    if trend is None or trend.p_value is None
                    else trend.p_value,
                    "method": "" if trend is None else trend.method,
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "indicator",
                "label",
                "from_year",
                "to_year",
                "latest",
                "rate_ratio_per_year",
                "ci_low",
                "ci_high",
                "p_value",
                "method",
            ],
        )
