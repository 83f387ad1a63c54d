"""Objective 2: police reports against the baseline year ("minimum fastholdelse").

A target holds when this year's count (or rate per 1,000 inhabitants) is at most the baseline.
Beside the status, the exact conditional test asks whether the rise is beyond chance
(one-sided, "has it risen above the baseline?"); a significant rise is flagged. A baseline the
agreement leaves ``pending`` is taken from the data for the baseline year when present, and the
result says so; otherwise the status is "baseline mangler". Monitored types get a series and a
trend, no status.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import config
from analysis.agreements import Agreement, CrimeIndicator
from analysis.evaluation import text
from analysis.evaluation.model import ObjectiveRow
from analysis.stats import count_trend, rate_ci, rate_ratio


class CrimeEvaluator:
    def __init__(self, agreement: Agreement, year: int, police: pd.DataFrame,
                 population: pd.DataFrame) -> None:
        self.a = agreement
        self.year = year
        self.area = agreement.area.survey_area
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

    def value(self, ind: CrimeIndicator, year: int) -> float | None:
        c = self.count(ind, year)
        if c is None:
            return None
        if ind.unit == "count":
            return float(c)
        pop = self.pop.get(year)
        return None if pop is None else c / pop * 1000

    def rows(self) -> list[ObjectiveRow]:
        return [self._target(ind) for ind in self.a.crime.targets]

    def _row(self, ind: CrimeIndicator, status: str, explanation: str, **kw) -> ObjectiveRow:
        label = f"Minimum fastholdelse af {self.a.crime.baseline_year}-niveau"
        return ObjectiveRow("crime", label, ind.id, ind.label, status, explanation, **kw)

    def _fmt(self, ind: CrimeIndicator, v: float) -> str:
        if ind.unit == "count":
            return f"{text.num(v)} anmeldelser"
        return f"{text.num(v, 1)} anmeldelser pr. 1.000 indbyggere"

    def _target(self, ind: CrimeIndicator) -> ObjectiveRow:
        by = self.a.crime.baseline_year
        now = self.value(ind, self.year)
        if now is None:
            what = "befolkningstal" if self.count(ind, self.year) is not None else "anmeldelser"
            return self._row(ind, "data mangler", f"{ind.label}: {what} for {self.year} findes "
                                                  "ikke i data.")
        data_base = self.value(ind, by)
        flags = []
        if ind.baseline_stated:
            base = float(ind.baseline)
            if data_base is not None and abs(data_base - base) > (0.05 if ind.unit == "per_1000"
                                                                   else 0.5):
                flags.append(f"data for {by} viser {text.num(data_base, 1)}, aftalen "
                             f"{text.num(base, 1)}; aftalens tal er brugt")
            source = "aftalens baseline"
        elif data_base is not None:
            base = data_base
            flags.append(f"baseline fra data for {by} (aftalen fastsætter den senere)")
            source = f"baseline fra data for {by}"
        else:
            return self._row(ind, "baseline mangler",
                             f"{ind.label}: aftalen fastsætter baseline for {by} senere, og data "
                             f"for {by} findes ikke; målet kan ikke vurderes endnu.",
                             value=now)
        test = self._test(ind, base)
        held = now <= base + 1e-9
        status = "opfyldt" if held else "ikke opfyldt"
        sentence = (f"{ind.label}: {self._fmt(ind, now)} i {self.year} mod "
                    f"{self._fmt(ind, base)} i {by} ({source}); niveauet er "
                    f"{'fastholdt' if held else 'ikke fastholdt'}.")
        verdict = ""
        p = math.nan if test is None or test.p_value is None else test.p_value
        if not held:
            if p < config.ALPHA:
                verdict = "signifikant stigning"
                sentence += f" Stigningen er statistisk signifikant ({text.pval(p)})."
            elif not math.isnan(p):
                verdict = "stigning, ikke signifikant"
                sentence += (f" Stigningen er ikke statistisk signifikant ({text.pval(p)}) og "
                             "kan skyldes tilfældige udsving.")
        return self._row(ind, status, sentence, value=now, reference=base, reference_year=by,
                         change=now - base,
                         ci_low=math.nan if test is None else test.ci_low,
                         ci_high=math.nan if test is None else test.ci_high, p_value=p,
                         verdict=verdict, method="" if test is None else test.method,
                         flags="; ".join(flags))

    def _test(self, ind: CrimeIndicator, base: float):
        """Rate ratio this year / baseline, one-sided for a rise; None when counts are unknown."""
        c_now = self.count(ind, self.year)
        by = self.a.crime.baseline_year
        if ind.unit == "count":
            c_base = round(base)
            return rate_ratio(c_now, None, c_base, None, alternative="larger")
        c_base, pop_base = self.count(ind, by), self.pop.get(by)
        if c_base is None or pop_base is None:
            return None
        return rate_ratio(c_now, self.pop[self.year], c_base, pop_base, alternative="larger")

    def series(self) -> pd.DataFrame:
        """Every target and monitored indicator per year, baseline year to this year."""
        rows = []
        for ind in self.a.crime.indicators:
            for y in range(min(self.a.crime.baseline_year, self.year - 4), self.year + 1):
                c = self.count(ind, y)
                if c is None:
                    continue
                v = self.value(ind, y)
                lo = hi = math.nan
                if ind.unit == "per_1000" and v is not None:
                    ci = rate_ci(c, self.pop[y])
                    lo, hi = ci.ci_low, ci.ci_high
                elif ind.unit == "count":
                    ci = rate_ci(c, 1, per=1)
                    lo, hi = ci.ci_low, ci.ci_high
                rows.append({"indicator": ind.id, "label": ind.label, "role": ind.role,
                             "unit": ind.unit, "year": y, "count": c,
                             "value": math.nan if v is None else v, "ci_low": lo, "ci_high": hi,
                             "baseline": ind.baseline})
        return pd.DataFrame(rows, columns=["indicator", "label", "role", "unit", "year", "count",
                                           "value", "ci_low", "ci_high", "baseline"])

    def monitoring(self) -> pd.DataFrame:
        rows = []
        for ind in self.a.crime.monitored:
            years = [y for y in range(self.a.crime.baseline_year, self.year + 1)
                     if self.count(ind, y) is not None]
            counts = [self.count(ind, y) for y in years]
            trend = count_trend(counts, years) if len(years) >= 3 else None
            rows.append({"indicator": ind.id, "label": ind.label,
                         "from_year": years[0] if years else None,
                         "to_year": years[-1] if years else None,
                         "latest": counts[-1] if counts else None,
                         "rate_ratio_per_year": math.nan if trend is None else trend.estimate,
                         "ci_low": math.nan if trend is None else trend.ci_low,
                         "ci_high": math.nan if trend is None else trend.ci_high,
                         "p_value": math.nan if trend is None or trend.p_value is None
                         else trend.p_value,
                         "method": "" if trend is None else trend.method})
        return pd.DataFrame(rows, columns=["indicator", "label", "from_year", "to_year", "latest",
                                           "rate_ratio_per_year", "ci_low", "ci_high", "p_value",
                                           "method"])
