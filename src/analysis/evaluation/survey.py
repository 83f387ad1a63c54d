"""Objective 1: the share of unsafe (from 2026: safe) residents, against the previous year, the
agreement's starting point and the Copenhagen level.

The starting point is the survey year before the agreement's first year: the figures each
agreement quotes when it is signed (2016 for 2017-2020, 2020 for 2021-2024, 2021 for 2022-2025,
2025 for 2026-2029). In an agreement's first year the previous year *is* that starting point, and
the explanation says so.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import config
from analysis.agreements import Agreement
from analysis.evaluation import text
from analysis.evaluation.model import ObjectiveRow
from analysis.reference import boundary_change_between
from analysis.stats import (
    Proportion,
    StatResult,
    diff_of_gaps,
    diff_proportions,
    minimum_detectable_change,
    share_ci,
    trend_test,
)


def _lookup(survey: pd.DataFrame) -> dict[tuple[str, str, int], tuple[float, float, int]]:
    return {(r.area, r.indicator, int(r.year)): (float(r.share), float(r.n_eff), int(r.n))
            for r in survey.itertuples()}


def series(survey: pd.DataFrame, areas: list[str], indicators: tuple[str, ...]) -> pd.DataFrame:
    """Each area's share per year with its Wilson CI (for the plots)."""
    rows = []
    sub = survey[survey["area"].isin(areas) & survey["indicator"].isin(indicators)]
    for r in sub.itertuples():
        ci = share_ci(Proportion.from_share(r.share, r.n_eff), min_n=config.MIN_RESPONDENTS)
        rows.append({"area": r.area, "indicator": r.indicator, "year": int(r.year),
                     "share": r.share, "ci_low": ci.ci_low, "ci_high": ci.ci_high,
                     "n": int(r.n), "n_eff": r.n_eff, "too_few": ci.insufficient})
    return pd.DataFrame(rows, columns=["area", "indicator", "year", "share", "ci_low", "ci_high",
                                       "n", "n_eff", "too_few"])


class SurveyEvaluator:
    """Judges the survey objective of one agreement in one year."""

    def __init__(self, agreement: Agreement, year: int, survey: pd.DataFrame) -> None:
        self.a = agreement
        self.year = year
        self.area = agreement.area.survey_area
        self.start_year = agreement.period.first_year - 1
        self.data = _lookup(survey)
        self.changes: list[dict] = []
        self.trends: list[dict] = []

    def _get(self, area: str, indicator: str, year: int) -> tuple[float, float, int] | None:
        return self.data.get((area, indicator, year))

    def _prop(self, area: str, indicator: str, year: int) -> Proportion | None:
        got = self._get(area, indicator, year)
        return None if got is None else Proportion.from_share(got[0], got[1])

    def rows(self) -> list[ObjectiveRow]:
        out = []
        for ind in self.a.survey.indicators:
            out += self._indicator_rows(ind)
        return out

    # ---------------------------------------------------------------- one indicator

    def _base(self, objective: str, label: str, ind: str, status: str, explanation: str,
              **kw) -> ObjectiveRow:
        return ObjectiveRow(objective, label, ind, text.INDICATOR_LABELS[ind], status,
                            explanation, **kw)

    def _indicator_rows(self, ind: str) -> list[ObjectiveRow]:
        a = self.a
        now = self._get(self.area, ind, self.year)
        labels = self._labels()
        objectives = ([("survey_annual", labels["annual"])] if a.survey.every_year else [])
        objectives.append(("survey_city_level", labels["city"]))
        if self.year == a.period.last_year:
            objectives.append(("survey_period", labels["period"]))
        if now is None:
            msg = (f"{text.INDICATOR_SUBJECT[ind]} for {self.year} findes ikke i data "
                   f"(Tryghedsundersøgelsen {self.year}).")
            return [self._base(o, lab, ind, "data mangler", msg) for o, lab in objectives]
        if now[2] < config.MIN_RESPONDENTS:
            msg = (f"Kun {now[2]} besvarelser i {self.year}; under {config.MIN_RESPONDENTS} "
                   "svar beregnes ingen andel eller test.")
            return [self._base(o, lab, ind, "for få besvarelser", msg, n_eff=now[1])
                    for o, lab in objectives]

        prev_year = self.year - 1
        prev = self._compare(ind, prev_year, "forrige år")
        start = self._compare(ind, self.start_year, "udgangspunkt")
        self._trend(ind)
        rows = []
        for objective, label in objectives:
            if objective == "survey_annual":
                rows.append(self._annual(ind, label, prev))
            elif objective == "survey_city_level":
                rows.append(self._city_level(ind, label))
            else:
                rows.append(self._period(ind, label, start))
        return rows

    def _labels(self) -> dict[str, str]:
        a = self.a
        word = "stige" if a.survey.direction == "increase" else "falde"
        return {"annual": f"Skal {word} hvert år",
                "city": f"Nærme sig københavnerniveau i {a.survey.approach_city_by}",
                "period": f"Samlet vurdering {a.period}"}

    def _flag(self, year_from: int, year_to: int) -> str:
        note = boundary_change_between(self.area, year_from, year_to)
        return f"ikke sammenligneligt: {note}" if note else ""

    def _compare(self, ind: str, ref_year: int, kind: str) -> dict | None:
        now, ref = self._prop(self.area, ind, self.year), self._prop(self.area, ind, ref_year)
        if now is None or ref is None or ref_year == self.year:
            return None
        r = diff_proportions(now, ref)
        mde = minimum_detectable_change(ref.share, now.nobs, ref.nobs).estimate
        row = {"indicator": ind, "comparison": kind, "from_year": ref_year, "to_year": self.year,
               "from_share": ref.share, "to_share": now.share, "change": r.estimate,
               "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": _p(r),
               "verdict": text.verdict(r.estimate, _p(r)) if not r.insufficient else "",
               "assessment": text.improvement_word(r.estimate, self.a.survey.direction),
               "mde": mde, "n_eff_from": ref.nobs, "n_eff_to": now.nobs, "method": r.method,
               "flags": self._flag(ref_year, self.year), "result": r}
        self.changes.append(row)
        return row

    def _trend(self, ind: str) -> None:
        years = [y for y in range(self.start_year, self.year + 1)
                 if self._get(self.area, ind, y) is not None]
        if len(years) < 3:
            return
        props = [self._prop(self.area, ind, y) for y in years]
        r = trend_test([p.count for p in props], [p.nobs for p in props], years)
        self.trends.append({"indicator": ind, "from_year": years[0], "to_year": years[-1],
                            "slope_per_year": r.estimate, "ci_low": r.ci_low,
                            "ci_high": r.ci_high, "chi2": r.statistic, "p_value": _p(r),
                            "method": r.method,
                            "flags": self._flag(years[0], years[-1])})

    # ---------------------------------------------------------------- the objectives

    def _unavailable(self, objective: str, label: str, ind: str, comparison: dict | None,
                     ref_year: int) -> ObjectiveRow | None:
        """The row for a comparison that cannot be made (no data, or too few answers)."""
        if comparison is None:
            return self._base(objective, label, ind, "data mangler",
                              f"{text.INDICATOR_SUBJECT[ind]} for {ref_year} findes ikke i data, "
                              "så udviklingen kan ikke vurderes.")
        if comparison["result"].insufficient:
            return self._base(objective, label, ind, "for få besvarelser",
                              f"For få besvarelser i {ref_year} eller {self.year} til at "
                              f"sammenligne (under {config.MIN_RESPONDENTS}).")
        return None

    def _annual(self, ind: str, label: str, prev: dict | None) -> ObjectiveRow:
        subject = text.INDICATOR_SUBJECT[ind]
        missing = self._unavailable("survey_annual", label, ind, prev, self.year - 1)
        if missing:
            return missing
        change, p = prev["change"], prev["p_value"]
        good = text.improvement_word(change, self.a.survey.direction) == "forbedring"
        moved = ("faldt" if change < 0 else "steg") if round(change * 100) else "var uændret"
        sentence = (f"{subject} {moved} fra {text.pct(prev['from_share'])} i {prev['from_year']} "
                    f"til {text.pct(prev['to_share'])} i {self.year}")
        if round(change * 100):
            sentence += f"; {text.significance_clause(change, p)}"
        sentence += ". " + text.mde_clause(prev["n_eff_to"], prev["mde"])
        if self.year == self.a.period.first_year:
            sentence += (f" Første år i aftalen: sammenlignet med {prev['from_year']}, året før "
                         "aftalen.")
        if prev["flags"]:
            sentence += f" Bemærk: {prev['flags']}."
        return self._base("survey_annual", label, ind, "opfyldt" if good else "ikke opfyldt",
                          sentence.strip(), value=prev["to_share"], reference=prev["from_share"],
                          reference_year=prev["from_year"], change=change,
                          ci_low=prev["ci_low"], ci_high=prev["ci_high"], p_value=p,
                          n_eff=prev["n_eff_to"], mde=prev["mde"], verdict=prev["verdict"],
                          method=prev["method"], flags=prev["flags"])

    def _gap(self, ind: str, year: int) -> tuple[float, float, float] | None:
        area, city = self._get(self.area, ind, year), self._get("kobenhavn", ind, year)
        if area is None or city is None:
            return None
        return area[0] - city[0], area[0], city[0]

    def _city_level(self, ind: str, label: str) -> ObjectiveRow:
        now, start = self._gap(ind, self.year), self._gap(ind, self.start_year)
        if now is None or start is None:
            missing = self.year if now is None else self.start_year
            return self._base("survey_city_level", label, ind, "data mangler",
                              f"Københavnertallet eller områdets tal for {missing} mangler, så "
                              "afstanden til københavnerniveauet kan ikke beregnes.")
        # "worse than the city" is above it for an unsafe share, below it for a safe share
        sign = 1 if self.a.survey.direction == "decrease" else -1
        worse_now, worse_start = sign * now[0], sign * start[0]
        r = diff_of_gaps(*(self._prop(a, ind, y) for a, y in [
            (self.area, self.year), ("kobenhavn", self.year),
            (self.area, self.start_year), ("kobenhavn", self.start_year)]))
        p = _p(r)
        flags = self._flag(self.start_year, self.year)
        head = (f"{text.INDICATOR_SUBJECT[ind]} er {text.pct(now[1])} mod "
                f"{text.pct(now[2])} i hele København i {self.year}")
        if worse_now <= 0:
            status = "opfyldt"
            body = "; området ligger på eller bedre end københavnerniveauet."
        else:
            narrowed = worse_now < worse_start
            body = (f"; forskellen er {text.pp(now[0])} mod {text.pp(start[0])} ved "
                    f"udgangspunktet i {self.start_year}")
            if narrowed:
                status = "opfyldt" if r.significant else "ikke signifikant"
                sig = "statistisk signifikant" if r.significant else "ikke statistisk signifikant"
                body += (f". Forskellen er blevet mindre, og indsnævringen er {sig} "
                         f"({text.pval(p)}).")
            else:
                status = "ikke opfyldt"
                body += ". Forskellen er ikke blevet mindre."
        if flags:
            body += f" Bemærk: {flags}."
        return self._base("survey_city_level", label, ind, status, head + body, value=now[0],
                          reference=start[0], reference_year=self.start_year,
                          change=r.estimate, ci_low=r.ci_low, ci_high=r.ci_high, p_value=p,
                          method=r.method, flags=flags)

    def _period(self, ind: str, label: str, start: dict | None) -> ObjectiveRow:
        subject = text.INDICATOR_SUBJECT[ind]
        missing = self._unavailable("survey_period", label, ind, start, self.start_year)
        if missing:
            return missing
        change, p = start["change"], start["p_value"]
        good = text.improvement_word(change, self.a.survey.direction) == "forbedring"
        status = ("opfyldt" if good and p < config.ALPHA else
                  "ikke signifikant" if good else "ikke opfyldt")
        word = text.improvement_word(change, self.a.survey.direction)
        sentence = (f"Over hele perioden gik {subject.lower()} fra "
                    f"{text.pct(start['from_share'])} ({self.start_year}) til "
                    f"{text.pct(start['to_share'])} ({self.year}): "
                    f"{'ingen ændring' if word == 'uændret' else 'en ' + word}")
        if round(change * 100):
            sentence += f"; {text.significance_clause(change, p)}"
        sentence += "."
        if start["flags"]:
            sentence += f" Bemærk: {start['flags']}."
        return self._base("survey_period", label, ind, status, sentence,
                          value=start["to_share"], reference=start["from_share"],
                          reference_year=self.start_year, change=change,
                          ci_low=start["ci_low"], ci_high=start["ci_high"], p_value=p,
                          n_eff=start["n_eff_to"], mde=start["mde"], verdict=start["verdict"],
                          method=start["method"], flags=start["flags"])


def _p(r: StatResult) -> float:
    return math.nan if r.p_value is None else r.p_value


def changes_frame(rows: list[dict]) -> pd.DataFrame:
    cols = ["indicator", "comparison", "from_year", "to_year", "from_share", "to_share",
            "change", "ci_low", "ci_high", "p_value", "verdict", "assessment", "mde",
            "n_eff_from", "n_eff_to", "method", "flags"]
    return pd.DataFrame([{k: r[k] for k in cols} for r in rows], columns=cols)


def trends_frame(rows: list[dict]) -> pd.DataFrame:
    cols = ["indicator", "from_year", "to_year", "slope_per_year", "ci_low", "ci_high", "chi2",
            "p_value", "method", "flags"]
    return pd.DataFrame(rows, columns=cols)
