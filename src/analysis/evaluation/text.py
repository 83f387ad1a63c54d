"""Danish wording: numbers with decimal commas, and every sentence an objective row carries.

Sentences are built from the typed results (:class:`~analysis.evaluation.judge.Judgement` and
its :class:`~analysis.evaluation.status.Evidence`), in this one place.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from analysis.evaluation.judge import Judgement
from analysis.evaluation.status import Evidence
from analysis.indicators import SURVEY_INDICATORS

if TYPE_CHECKING:
    from analysis.evaluation.model import (
        Cell,
        PooledComparison,
        SampleSizeNeed,
        SurroundingsComparison,
    )

#: the survey indicators' Danish names (defined in :mod:`analysis.indicators`)
INDICATOR_LABELS = {i.id: i.label for i in SURVEY_INDICATORS.values()}
#: Subject of a sentence: "Andelen af utrygge ..."
INDICATOR_SUBJECT = {i.id: i.subject for i in SURVEY_INDICATORS.values()}


#: every method name the results table can carry (English, as the statistics return them) and
#: its Danish name in the reports
METHOD_NAMES = {
    "score CI; pooled z-test": "z-test for to andele (Mees score-interval)",
    "wald; z-test": "z-test (Wald), fire uafhængige stikprøver",
    "quasi-poisson score": "kvasi-Poisson (årlige udsving målt)",
    "exact conditional (binomial)": "eksakt Poisson (kort tidsserie)",
    "poisson score": "Poisson (score)",
    "poisson-glm": "Poisson-regression",
    "quasi-poisson-glm (overdispersed)": "kvasi-Poisson (overspredning)",
    "cochran-armitage": "Cochran–Armitage-trendtest",
    "wald (log scale)": "Wald (log-skala)",
    "wald (log scale), quasi-poisson": "Wald (log-skala), kvasi-Poisson",
    "census: share of all activities": "optælling af alle aktiviteter (ingen stikprøve)",
    "census: count": "optælling (ingen stikprøve)",
    "insufficient data": "kan ikke beregnes (for få anmeldelser)",
    "": "for få år",
}


def method_name(method: str) -> str:
    """The Danish name of a method, for the reports' tables."""
    return METHOD_NAMES.get(method, method)


def num(x: float | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Danish separators)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def pct(share: float, decimals: int = 0) -> str:
    """0.172 -> '17 %'."""
    return f"{num(share * 100, decimals)} %"


def pct_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with a decimal when whole numbers would hide the change."""
    decimals = 1 if a != b and round(a * 100) == round(b * 100) else 0
    return pct(a, decimals), pct(b, decimals)


def pp(change: float, decimals: int = 0) -> str:
    """Absolute change in shares as percentage points: 0.031 -> '3 procentpoint'."""
    return f"{num(abs(change) * 100, decimals)} procentpoint"


def pval(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "–"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {num(p, 3 if p < 0.01 else 2)}"


def change_description(change: float, p: float | None, alpha: float = 0.05) -> str:
    """A change in a share, in words: "signifikant fald", "fald, ikke signifikant", "uændret",
    "stigning, ikke signifikant" or "signifikant stigning"."""
    if change == 0:
        return "uændret"
    noun = "fald" if change < 0 else "stigning"
    if p is None or math.isnan(p):
        return noun
    return f"signifikant {noun}" if p < alpha else f"{noun}, ikke signifikant"


def evidence_clause(noun: str, judgement: Judgement) -> str:
    """'faldet er statistisk signifikant (p = 0,006)' / '... ikke statistisk signifikant
    (p = 0,14) og kan skyldes tilfældige udsving' / 'der kan ikke laves en test'."""
    evidence = judgement.status.evidence
    p = pval(judgement.p_value)
    if evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING):
        return f"{noun} er statistisk signifikant ({p})"
    if evidence is Evidence.CHANCE:
        return f"{noun} er ikke statistisk signifikant ({p}) og kan skyldes tilfældige udsving"
    if judgement.test is None:
        return (
            f"{noun} kan ikke testes, fordi antallet af svar ikke er oplyst (kun "
            "offentliggjorte procenter)"
        )
    return "der kan ikke laves en test"


def share_change_sentence(
    ind: str, before: float, from_year: int, after: float, year: int, judgement: Judgement
) -> str:
    """'Andelen af utrygge faldt fra 17 % i 2021 til 12 % i 2022; faldet er ikke ...'."""
    a, b = pct_pair(before, after)
    change = after - before
    if change == 0:
        return f"{INDICATOR_SUBJECT[ind]} var uændret, {b} i {from_year} og {year}."
    verb, noun = ("faldt", "faldet") if change < 0 else ("steg", "stigningen")
    return (
        f"{INDICATOR_SUBJECT[ind]} {verb} fra {a} i {from_year} til {b} i {year}; "
        f"{evidence_clause(noun, judgement)}."
    )


def gap_sentence(
    ind: str,
    area: float,
    city: float,
    year: int,
    gap_now: float,
    gap_start: float,
    start_year: int,
    judgement: Judgement,
) -> str:
    """The area against the city level now and at the starting point."""
    a, c = pct_pair(area, city)
    head = f"{INDICATOR_SUBJECT[ind]} er {a} mod {c} i hele København i {year}"
    if judgement.test is None:
        moved = gap_now - gap_start
        change = (
            "er uændret"
            if moved == 0
            else ("er blevet mindre" if judgement.improvement > 0 else "er blevet større")
        )
        return (
            f"{head}; forskellen er {pp(gap_now, 1)} mod {pp(gap_start, 1)} ved "
            f"udgangspunktet i {start_year}. Forskellen {change}; "
            f"{evidence_clause('ændringen', judgement)}."
        )
    if judgement.test.quantity == "gap to city":
        return (
            f"{head}; området ligger på eller bedre end københavnerniveauet, og "
            f"{evidence_clause('forskellen', judgement)}."
        )
    moved = gap_now - gap_start
    change = (
        "er uændret"
        if moved == 0
        else "er blevet mindre"
        if judgement.improvement > 0
        else "er blevet større"
    )
    return (
        f"{head}; forskellen er {pp(gap_now, 1)} mod {pp(gap_start, 1)} ved udgangspunktet "
        f"i {start_year}. Forskellen {change}; {evidence_clause('ændringen', judgement)}."
    )


def rounding_clause(cells: tuple[Cell, ...], change: float) -> str:
    """A change no larger than the rounding of the published shares it is computed from (half
    a unit each) may be the rounding alone."""
    rounded = max(x for x in (*(c.rounded_to for c in cells), 0.0) if x == x)
    change = abs(change)
    if not rounded or change > rounded * len(cells) / 2 + 1e-9:
        return ""
    return (
        f" Tallene er afrundede til {pp(rounded)}, så en ændring på {pp(change, 1)} kan "
        "skyldes afrundingen alene."
    )


def mde_clause(n: int, n_eff: float, mde: float, direction: str) -> str:
    """What the sample can show, in the agreement's direction: respondents and their effective
    number named as such."""
    if math.isnan(mde):
        return ""
    noun = "et fald" if direction == "decrease" else "en stigning"
    return (
        f"Med {num(n)} svar (effektivt antal ca. {num(round(n_eff, -1))}) skal {noun} være "
        f"på mindst {pp(mde, 1)} for at kunne skelnes fra tilfældige udsving (med 80 % "
        "sandsynlighed)."
    )


def count_value(v: float, per_1000: bool) -> str:
    if per_1000:
        return f"{num(v, 1)} anmeldelser pr. 1.000 indbyggere"
    return f"{num(v)} anmeldelser"


def count_sentence(
    label: str,
    now: float,
    year: int,
    base: float,
    base_year: int,
    source: str,
    per_1000: bool,
    judgement: Judgement,
) -> str:
    """'Indbrud: 90 anmeldelser i 2024 mod 64 i 2020 (...); niveauet er ikke fastholdt. ...'."""
    held = now <= base * (1 + 1e-12)
    sentence = (
        f"{label}: {count_value(now, per_1000)} i {year} mod "
        f"{count_value(base, per_1000)} i {base_year} ({source}); niveauet er "
        f"{'fastholdt' if held else 'ikke fastholdt'}."
    )
    if now == base:
        return sentence
    noun = "faldet" if now < base else "stigningen"
    clause = evidence_clause(noun, judgement)
    return f"{sentence} {clause[0].upper()}{clause[1:]}."


def surroundings_label(comparison: str, district_name: str) -> str:
    """'resten af Valby' / 'resten af København'."""
    return (
        f"resten af {district_name}" if comparison == "rest_of_district" else "resten af København"
    )


def _moved(change: float, pronoun: str = "") -> str:
    """'faldt 4 procentpoint'; with a pronoun 'faldt den 4 procentpoint'."""
    verb = "var" if change == 0 else "faldt" if change < 0 else "steg"
    rest = "uændret" if change == 0 else pp(change)
    return " ".join(w for w in (verb, pronoun, rest) if w)


def _significance(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "kan ikke testes"
    if p < 0.05:
        return f"er statistisk signifikant ({pval(p)})"
    return f"er ikke statistisk signifikant ({pval(p)})"


def surroundings_sentence(
    c: SurroundingsComparison, area: str, district_name: str, label: str, direction: str
) -> str:
    """'Andelen af utrygge faldt 6 procentpoint i Folehaven fra 2021 til 2025; i resten af
    Valby faldt den 4 procentpoint. Forskellen på 2 procentpoint er ikke statistisk ...'."""
    where = surroundings_label(c.comparison, district_name)
    if c.result is None:
        return f"{label}, {area} mod {where}: {c.reason}"
    if c.kind == "crime":
        return (
            f"{label}: i {area} var antallet i {c.to_year} {num(c.area_change, 2)} gange "
            f"niveauet i {c.from_year}, i {where} {num(c.other_change, 2)} gange. Forholdet "
            f"mellem de to er {num(c.result.estimate, 2)} (95 %-konfidensinterval "
            f"{num(c.result.ci_low, 2)}–{num(c.result.ci_high, 2)}); forskellen "
            f"{_significance(c.result.p_value)}."
        )
    good = (c.result.estimate > 0) == (direction == "increase")
    way = "i aftalens retning" if good else "mod aftalens retning"
    return (
        f"{label} i {area} {_moved(c.area_change)} fra {c.from_year} til {c.to_year}; i "
        f"{where} {_moved(c.other_change, 'den')}. Forskellen på "
        f"{pp(c.result.estimate, 1)} {way} (95 %-konfidensinterval "
        f"{num(c.result.ci_low * 100, 1)} til {num(c.result.ci_high * 100, 1)}) "
        f"{_significance(c.result.p_value)}."
    )


def sample_size_sentence(need: SampleSizeNeed, direction: str, year: int) -> str:
    """How many respondents the area needs to detect the hoped-for yearly change."""
    label = INDICATOR_LABELS[need.indicator]
    if math.isnan(need.target_change):
        why = (
            f"aftaleperioden slutter i {need.target_year}"
            if year >= need.target_year
            else "området ligger allerede på eller bedre end københavnerniveauet"
        )
        return (
            f"{label}: intet årligt mål at regne på ({why}). Med {num(need.n_had)} svar kan "
            f"en ændring på {pp(need.mde, 1)} påvises."
        )
    noun = "et fald" if direction == "decrease" else "en stigning"
    return (
        f"{label}: for at nå københavnerniveauet i {need.target_year} skal andelen ændre "
        f"sig med ca. {pp(need.target_change, 1)} om året. At påvise {noun} af den "
        f"størrelse med 80 % sandsynlighed kræver ca. {num(math.ceil(need.n_needed))} svar "
        f"i området i hvert af de to år (designeffekt {num(need.deff, 2)}); i {year} var "
        f"der {num(need.n_had)}."
    )


def pooled_sentence(p: PooledComparison) -> str:
    label = INDICATOR_LABELS[p.indicator]
    a, b = pct_pair(p.before.share, p.after.share)
    return (
        f"{label}, to år lagt sammen: {a} i {p.early[0]}–{p.early[1]} mod {b} i "
        f"{p.late[0]}–{p.late[1]} ({num(p.before.n)} og {num(p.after.n)} svar); ændringen "
        f"{_significance(p.result.p_value)}."
    )


# ---------------------------------------------------------------- text alternatives of figures


def survey_alt(series: pd.DataFrame, area: str, area_name: str, year: int) -> str:
    """'Andelen af utrygge i Folehaven gik fra 17 % i 2021 til 11 % i 2025; hele København lå
    på 6 % i 2025. ...' for each indicator of the survey figure."""
    parts = []
    for ind, s in series.groupby("indicator", sort=False):
        own = s[(s["area"] == area) & s["share"].notna()].sort_values("year")
        city = s[(s["area"] == "kobenhavn") & s["share"].notna()].sort_values("year")
        if own.empty:
            continue
        first, last = own.iloc[0], own.iloc[-1]
        text = (
            f"{INDICATOR_SUBJECT[ind]} i {area_name} gik fra {pct(first['share'])} i "
            f"{int(first['year'])} til {pct(last['share'])} i {int(last['year'])}"
        )
        if not city.empty:
            c = city.iloc[-1]
            text += f"; hele København lå på {pct(c['share'])} i {int(c['year'])}"
        parts.append(text + ".")
    return " ".join(parts) or f"Ingen andele at vise for {area_name} til og med {year}."


def crime_alt(rows: list, area_name: str, year: int) -> str:
    """'Anmeldelser i Folehaven i 2025 mod baseline: Indbrud 7 (baseline 4), ...'."""
    parts = [
        f"{o.indicator_label} {num(o.value, 1 if o.value % 1 else 0)} (baseline "
        f"{num(o.reference, 1 if o.reference % 1 else 0)})"
        for o in rows
        if o.value == o.value and o.reference == o.reference
    ]
    if not parts:
        return f"Anmeldelser i {area_name} pr. år; ingen baseline at sammenligne med i {year}."
    return f"Anmeldelser i {area_name} i {year} mod baseline: {'; '.join(parts)}."


def monitoring_alt(series: pd.DataFrame, area_name: str) -> str:
    """'Monitorerede gerningstyper i Folehaven: Chikane fra 4 i 2021 til 2 i 2025; ...'."""
    parts = []
    for label, s in series.groupby("label", sort=False):
        s = s.sort_values("year")
        parts.append(
            f"{label} fra {num(s['count'].iloc[0])} i {int(s['year'].iloc[0])} til "
            f"{num(s['count'].iloc[-1])} i {int(s['year'].iloc[-1])}"
        )
    return f"Monitorerede gerningstyper i {area_name}: {'; '.join(parts)}."


def surroundings_alt(found: list, area_name: str, district_name: str) -> str:
    """'Ændring i andel utrygge 2021-2025: Folehaven -6,0 procentpoint, resten af Valby ...'."""
    parts, seen = [], {}
    for c in found:
        seen.setdefault((c.indicator, c.from_year, c.to_year, c.area_change), []).append(c)
    for (ind, y0, y1, change), cs in seen.items():
        others = ", ".join(
            f"{surroundings_label(c.comparison, district_name)} {num(c.other_change * 100, 1)}"
            for c in cs
        )
        parts.append(
            f"Ændring i {INDICATOR_LABELS[ind].lower()} {y0}–{y1} i procentpoint: "
            f"{area_name} {num(change * 100, 1)}, {others}."
        )
    return " ".join(parts)


# ---------------------------------------------------------------- the committee's summary


def status_summary(objectives: list, year: int) -> list[str]:
    """Three to five plain Danish sentences on one partnership-year, from its verdicts: what
    moved, whether it is beyond chance, and what cannot be judged and why. No jargon beyond
    "statistisk signifikant"."""
    from analysis.evaluation.status import Evidence, Reading

    judged = [o for o in objectives if o.status.reading is not None]
    met = [o for o in judged if o.status.reading is Reading.MET]
    significant = [
        o for o in judged if o.status.evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING)
    ]
    out = [
        f"I {year} kunne {len(judged)} af aftalens {len(objectives)} mål vurderes, og "
        f"{len(met)} af dem er opfyldt efter aftalens ordlyd."
    ]
    survey = next((o for o in judged if o.objective == "survey_annual"), None) or next(
        (o for o in judged if o.objective == "survey_city_level"), None
    )
    if survey is not None and survey.objective == "survey_annual":
        a, b = pct_pair(survey.reference, survey.value)
        verb = (
            "faldt"
            if survey.value < survey.reference
            else ("steg" if survey.value > survey.reference else "var uændret")
        )
        note = (
            " Området er ændret siden, så tallene kan ikke sammenlignes direkte."
            if survey.flags.startswith("ikke sammenligneligt")
            else ""
        )
        out.append(
            f"{INDICATOR_SUBJECT[survey.indicator]} {verb} fra {a} til {b}; "
            f"{_beyond_chance(survey)}.{note}"
        )
    elif survey is not None:
        closer = survey.status.reading is Reading.MET
        out.append(
            f"{INDICATOR_SUBJECT[survey.indicator]} er "
            f"{'kommet nærmere' if closer else 'ikke kommet nærmere'} "
            f"københavnerniveauet siden aftalens start; {_beyond_chance(survey)}."
        )
    crime = [o for o in judged if o.objective == "crime"]
    if crime:
        held = [o for o in crime if o.status.reading is Reading.MET]
        rises = [
            o.indicator_label.lower() for o in crime if o.status.evidence is Evidence.WORSENING
        ]
        falls = [
            o.indicator_label.lower() for o in crime if o.status.evidence is Evidence.IMPROVEMENT
        ]
        sentence = (
            f"{len(held)} af {len(crime)} mål for politiets anmeldelser holdt sig på "
            "eller under baseline"
        )
        if rises:
            sentence += f"; stigningen i {_and(rises)} er statistisk signifikant"
        if falls:
            sentence += f"; faldet i {_and(falls)} er statistisk signifikant"
        if not rises and not falls:
            sentence += ", og ingen af ændringerne er større, end tilfældige udsving kan forklare"
        out.append(sentence + ".")
    missing = [o for o in objectives if o.status.reading is None]
    if missing:
        reasons = sorted({str(o.status) for o in missing})
        out.append(
            f"{len(missing)} mål kan ikke vurderes ({', '.join(reasons)}); "
            "forklaringen står i tabellen."
        )
    elif not significant:
        out.append(
            "Ingen af ændringerne er statistisk signifikante; med det antal svar og "
            "anmeldelser, området har, kan kun store ændringer skelnes fra tilfældige "
            "udsving."
        )
    return out[:5]


def _beyond_chance(o) -> str:
    from analysis.evaluation.status import Evidence

    evidence = o.status.evidence
    if evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING):
        return "ændringen er statistisk signifikant"
    if evidence is Evidence.CHANCE:
        return "ændringen er ikke statistisk signifikant og kan skyldes tilfældige udsving"
    return "ændringen kan ikke testes"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"
