"""Danish wording: numbers with decimal commas, and every sentence an objective row carries.

Sentences are built from the typed results (:class:`~analysis.evaluation.judge.Judgement` and
its :class:`~analysis.evaluation.status.Evidence`), in this one place.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import pandas as pd

from analysis import config
from analysis.evaluation.judge import Judgement
from analysis.evaluation.status import Evidence, Reading, Status
from analysis.indicators import SURVEY_INDICATORS
from analysis.stats import StatResult
from analysis.stats.design import LINEAR_METHOD, LOGISTIC_METHOD, WALD_METHOD

if TYPE_CHECKING:
    from analysis.evaluation.findings import Finding
    from analysis.evaluation.model import (
        Cell,
        Evaluation,
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
    WALD_METHOD: "z-test med designbaseret varians (undersøgelsens vægte og strata)",
    LOGISTIC_METHOD: "logistisk trend med designbaseret varians (t-test)",
    LINEAR_METHOD: "lineær trend i procentpoint med designbaseret varians (t-test)",
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


MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def date_text(d) -> str:
    """datetime.date(2021, 1, 1) -> '1. januar 2021'."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def agreement_citation(name: str, start, end, first_year: int) -> str:
    """'Partnerskabsaftale: Aftale om Folehaven Tryghedspartnerskab 2026–2029, gældende fra
    1. januar 2026 til og med 31. december 2029' (a start of None: from the signing date)."""
    since = date_text(start) if start is not None else f"underskriften i {first_year}"
    return (
        f"Partnerskabsaftale: Aftale om {name} {first_year}–{end.year}, gældende fra {since} "
        f"til og med {date_text(end)}"
    )


def source_citation(title: str, publisher: str, date: str) -> str:
    """'Tryghedsundersøgelsen. Københavns Kommune. dato ikke registreret.': parts joined by one
    full stop each, and one at the end (a publisher such as 'B.T.' keeps its own)."""
    parts = [x.strip().rstrip(".") for x in (title, publisher, date) if x and x.strip()]
    return ". ".join(parts) + "." if parts else ""


def count_text(v: float | None) -> str:
    """A count or a rate as the tables show it: '12', '31,6' (a decimal only where there is
    one); '–' for none."""
    if v is None or v != v:
        return "–"
    return num(v, 1 if v % 1 else 0)


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
    return f"{num(share * 100, decimals)}\u00a0%"


def pct_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with a decimal when whole numbers would hide the change."""
    decimals = 1 if a != b and round(a * 100) == round(b * 100) else 0
    return pct(a, decimals), pct(b, decimals)


def pp(change: float, decimals: int = 0) -> str:
    """Absolute change in shares as percentage points: 0.031 -> '3 procentpoint'."""
    return f"{num(abs(change) * 100, decimals)}\u00a0procentpoint"


def pval(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "–"
    if p < 0.001:
        return "p\u00a0<\u00a00,001"
    return f"p\u00a0=\u00a0{num(p, 3 if p < 0.01 else 2)}"


def sentences(*parts: str) -> str:
    """Join sentences and clauses into one text: each part ends with exactly one full stop (a
    part's own closing punctuation is kept, never doubled); empty parts are left out."""
    out = []
    for part in parts:
        part = re.sub(r"[ \t\r\n]+", " ", part).strip()  # no-break spaces are kept
        if not part:
            continue
        part = part.rstrip(" .;,")
        if not part.endswith(("?", "!")):
            part += "."
        out.append(part[0].upper() + part[1:])
    return " ".join(out)


def count_noun(n: float, singular: str, plural: str) -> str:
    """'1 ekstraordinær aktivering', '3 ekstraordinære aktiveringer'."""
    return f"{num(n)} {singular if n == 1 else plural}"


def rounds_to_zero(change: float, decimals: int = 0) -> bool:
    """Whether a change in shares shows as 0 percentage points at this rounding."""
    return round(abs(change) * 100, decimals) == 0


def change_description(change: float, evidence: Evidence | None) -> str:
    """A change in a share, in words: "fald", "stigning" or "uændret", and whether it is beyond
    chance ("større end tilfældige udsving" / "kan skyldes tilfældige udsving")."""
    if rounds_to_zero(change, 1):
        return "uændret"
    noun = "fald" if change < 0 else "stigning"
    if evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING):
        return f"{noun}, større end tilfældige udsving"
    if evidence is Evidence.CHANCE:
        return f"{noun}, kan skyldes tilfældige udsving"
    return f"{noun}, ikke testet"


def evidence_clause(noun: str, judgement: Judgement) -> str:
    """'faldet er statistisk signifikant: større, end ...' / 'faldet er ikke statistisk
    signifikant: det kan skyldes tilfældige udsving' / ...: plain words; the p-value stands in
    the tables."""
    evidence = judgement.status.evidence
    pronoun = "den" if noun.endswith("en") else "det"
    if evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING):
        return f"{noun} er statistisk signifikant: større, end tilfældige udsving kan forklare"
    if evidence is Evidence.CHANCE:
        return f"{noun} er ikke statistisk signifikant: {pronoun} kan skyldes tilfældige udsving"
    if judgement.status is Status.NOT_COMPARABLE:
        return ""
    if judgement.test is None:
        return (
            f"{noun} kan ikke testes, fordi antallet af svar ikke er oplyst (kun "
            "offentliggjorte procenter)"
        )
    return f"{noun} kan ikke testes"


def boundary_reason(break_year: int, from_year: int) -> str:
    """Why two figures are not compared: they lie on either side of a boundary change."""
    return (
        f"Området fik nye grænser i {break_year} (se note om områdets grænser), så tal fra "
        f"{from_year} kan ikke sammenlignes med tal fra {break_year} og senere; der er "
        "ingen vurdering og ingen test"
    )


def boundary_note(year: int, note: str) -> str:
    """The one note per report on a boundary change, saying since when."""
    return sentences(
        f"Områdets grænser blev ændret i {year}",
        note,
        f"Sammenligninger mellem et år før {year} og et år fra {year} og senere får derfor "
        "status »ikke sammenligneligt«: tallene vises, men målet vurderes ikke, og der laves "
        "ingen test. Data kan ikke placere de tidligere besvarelser og anmeldelser inden for "
        "de nye grænser",
    )


def small_counts_clause(test: StatResult | None) -> str:
    """Said when a test's normal approximation rests on an expected count below 5."""
    if test is None or not test.small_counts:
        return ""
    return (
        "Meget få af de adspurgte har svaret sådan, så testen er kun en grov tilnærmelse, og "
        "p-værdien er usikker."
    )


def too_few_sentence(n: int, n_eff: float, where: str, year: int) -> str:
    """Why no share is computed: too few respondents, or answers whose weights leave them the
    evidence of too few."""
    floor = config.MIN_RESPONDENTS
    if n >= floor:
        return sentences(
            f"{num(n)} besvarelser{where} i {year}, men vægtene er så ulige, at de kun giver "
            f"samme sikkerhed som ca. {num(n_eff)} svar",
            f"Under {floor} svar beregnes ingen andel eller test",
        )
    return sentences(
        f"Kun {num(n)} besvarelser{where} i {year}",
        f"Under {floor} svar beregnes ingen andel eller test",
    )


def first_year_clause(from_year: int) -> str:
    return f"Første år i aftalen: sammenlignet med {from_year}, året før aftalen"


def share_change_sentence(
    ind: str, before: float, from_year: int, after: float, year: int, judgement: Judgement
) -> str:
    """'Andelen af utrygge faldt fra 17 % i 2021 til 12 % i 2022. Faldet er ...'."""
    a, b = pct_pair(before, after)
    subject = INDICATOR_SUBJECT[ind]
    if a == b:
        head = f"{subject} var uændret, {b} i både {from_year} og {year}"
        noun = "ændringen"
    else:
        verb, noun = ("faldt", "faldet") if after < before else ("steg", "stigningen")
        head = f"{subject} {verb} fra {a} i {from_year} til {b} i {year}"
    if judgement.status is Status.NOT_COMPARABLE:
        return sentences(head, "De to tal er målt inden for forskellige grænser for området")
    return sentences(head, evidence_clause(noun, judgement))


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
    if judgement.test is not None and judgement.test.quantity == "gap to city":
        return sentences(
            head,
            "Området ligger på eller bedre end københavnerniveauet",
            evidence_clause("forskellen", judgement),
        )
    moved = gap_now - gap_start
    change = (
        "er uændret"
        if rounds_to_zero(moved, 1)
        else ("er blevet mindre" if judgement.improvement > 0 else "er blevet større")
    )
    gaps = (
        f"Forskellen er {pp(gap_now, 1)} mod {pp(gap_start, 1)} i {start_year}, året før "
        f"aftalen; den {change}"
    )
    if judgement.status is Status.NOT_COMPARABLE:
        return sentences(
            head, gaps, f"Tallet for {start_year} er målt inden for områdets tidligere grænser"
        )
    return sentences(head, gaps, evidence_clause("ændringen", judgement))


def rounding_clause(cells: tuple[Cell, ...], change: float) -> str:
    """A change no larger than the rounding of the published shares it is computed from (half
    a unit each) may be the rounding alone."""
    rounded = max(x for x in (*(c.rounded_to for c in cells), 0.0) if x == x)
    change = abs(change)
    if not rounded or change > rounded * len(cells) / 2 + 1e-9:
        return ""
    return (
        f"Tallene er afrundede til {pp(rounded)}, så en ændring på {pp(change, 1)} kan "
        "skyldes afrundingen alene"
    )


def mde_clause(n: float, mde: float, direction: str) -> str:
    """What the sample can show, in the agreement's direction (the effective number of
    respondents and the power are named in the methods annex)."""
    if mde is None or math.isnan(mde):
        return ""
    noun = "et fald" if direction == "decrease" else "en stigning"
    return (
        f"Med {num(n)} svar skal {noun} være på mindst {pp(mde, 1)}, før det med rimelig "
        "sikkerhed kan skelnes fra tilfældige udsving"
    )


def count_value(v: float, per_1000: bool) -> str:
    if per_1000:
        return f"{num(v, 1)} anmeldelser pr. 1.000 indbyggere"
    return count_noun(v, "anmeldelse", "anmeldelser")


def _count_head(
    label: str, now: float, year: int, base: float, base_year: int, source: str, per_1000: bool
) -> str:
    return (
        f"{label}: {count_value(now, per_1000)} i {year} mod {count_value(base, per_1000)} i "
        f"{base_year} ({source})"
    )


def count_sentence(
    label: str,
    now: float,
    year: int,
    base: float,
    base_year: int,
    source: str,
    per_1000: bool,
    judgement: Judgement | None = None,
) -> str:
    """'Indbrud: 90 anmeldelser i 2024 mod 64 i 2020 (...); niveauet er ikke fastholdt. ...'."""
    held = now <= base * (1 + 1e-12)
    head = _count_head(label, now, year, base, base_year, source, per_1000)
    head += f"; niveauet er {'fastholdt' if held else 'ikke fastholdt'}"
    if judgement is None or now == base:
        return sentences(head)
    noun = "faldet" if now < base else "stigningen"
    return sentences(head, evidence_clause(noun, judgement))


def count_not_comparable_sentence(
    label: str, now: float, year: int, base: float, base_year: int, source: str, per_1000: bool
) -> str:
    """A count against a baseline counted inside the area's earlier boundary: shown, not
    judged."""
    return sentences(
        _count_head(label, now, year, base, base_year, source, per_1000),
        f"Tallet for {base_year} er talt inden for områdets tidligere grænser, så de to tal "
        "kan ikke sammenlignes",
    )


def surroundings_label(comparison: str, district_name: str) -> str:
    """'resten af Valby' / 'resten af København'."""
    return (
        f"resten af {district_name}" if comparison == "rest_of_district" else "resten af København"
    )


def _moved(change: float, pronoun: str = "") -> str:
    """'faldt 4 procentpoint'; with a pronoun 'faldt den 4 procentpoint'; 'var uændret' when
    the change rounds to 0."""
    if rounds_to_zero(change):
        return " ".join(w for w in ("var", pronoun, "uændret") if w)
    verb = "faldt" if change < 0 else "steg"
    return " ".join(w for w in (verb, pronoun, pp(change)) if w)


def _significance(p: float | None, noun: str = "forskellen") -> str:
    """Plain words on a test's outcome (the p-value stands in the table beside it)."""
    if p is None or math.isnan(p):
        return f"{noun} kan ikke testes"
    if p < config.ALPHA:
        return f"{noun} er statistisk signifikant"
    return f"{noun} er ikke statistisk signifikant og kan skyldes tilfældige udsving"


def surroundings_sentence(
    c: SurroundingsComparison, area: str, district_name: str, label: str, direction: str
) -> str:
    """'Andelen af utrygge i Folehaven faldt 6 procentpoint fra 2021 til 2025; i resten af
    Valby faldt den 4 procentpoint. Forskellen er ikke statistisk signifikant ...'."""
    where = surroundings_label(c.comparison, district_name)
    if c.result is None:
        return sentences(f"{label}, {area} mod {where}: {c.reason}")
    if c.kind == "crime":
        return sentences(
            f"{label}: i {area} var antallet i {c.to_year} {num(c.area_change, 2)} gange "
            f"niveauet i {c.from_year}, i {where} {num(c.other_change, 2)} gange",
            _significance(c.result.p_value),
        )
    if rounds_to_zero(c.result.estimate, 1):
        way = "Området fulgte omgivelserne"
    else:
        good = (c.result.estimate > 0) == (direction == "increase")
        way = (
            f"Området gik {pp(c.result.estimate, 1)} "
            f"{'mere frem' if good else 'mere tilbage'} end {where}"
        )
    return sentences(
        f"{label} i {area} {_moved(c.area_change)} fra {c.from_year} til {c.to_year}; i "
        f"{where} {_moved(c.other_change, 'den')}",
        way,
        _significance(c.result.p_value),
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
        return sentences(
            f"{label}: intet årligt mål at regne på ({why})",
            f"Med {num(need.n_had)} svar kan en ændring på {pp(need.mde, 1)} påvises",
        )
    noun = "et fald" if direction == "decrease" else "en stigning"
    return sentences(
        f"{label}: for at nå københavnerniveauet i {need.target_year} skal andelen ændre "
        f"sig med ca. {pp(need.target_change, 1)} om året",
        f"At påvise {noun} af den størrelse kræver ca. {num(math.ceil(need.n_needed))} svar "
        f"i området i hvert af de to år; i {year} var der {num(need.n_had)}",
    )


def pooled_sentence(p: PooledComparison) -> str:
    label = INDICATOR_LABELS[p.indicator]
    a, b = pct_pair(p.before.share, p.after.share)
    return sentences(
        f"{label}, to år lagt sammen: {a} i {p.early[0]}–{p.early[1]} mod {b} i "
        f"{p.late[0]}–{p.late[1]} ({num(p.before.n)} og {num(p.after.n)} svar)",
        _significance(p.result.p_value, "ændringen"),
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


#: why an evaluation has no model-based share, by the code of
#: :func:`analysis.evaluation.small_area.model_tables`
NO_MODEL = {
    "no_share": "Der er intet modelbaseret skøn, fordi områdets andel i år mangler eller har for "
    "få besvarelser.",
    "no_n": "Der er intet modelbaseret skøn: den offentliggjorte andel har ikke antallet af "
    "besvarelser, som modellen skal bruge.",
    "few_domains": "Der er intet modelbaseret skøn, fordi der er for få andre områder at låne "
    "styrke fra.",
    "few_years": "Der er intet modelbaseret skøn endnu, fordi der er for få år at låne styrke fra.",
    "not_identified": "Der er intet modelbaseret skøn: områderne og årene i data kan ikke "
    "adskille områdernes egne niveauer fra årenes.",
    "new_domain": "Der er intet modelbaseret skøn endnu: området har for få år med sine "
    "nuværende grænser til, at modellen kan låne styrke fra dets egne år.",
}
MODEL_INTRO = (
    "Et modelbaseret skøn låner styrke fra områdets egne målinger i de andre år og fra, hvordan "
    "hele byen har bevæget sig i året. Det er derfor mere præcist end den direkte måling, men "
    "det trækker også en ændring, der kun ses i ét år i ét område, ind mod områdets egen "
    "udvikling over årene. Skønnet er information ved siden af målingen: målene vurderes på "
    "den direkte måling, som aftalen siger."
)


def model_sentence(model: pd.DataFrame, area_name: str, year: int) -> str:
    """'Modelbaseret skøn for Folehaven i 2025: andelen af utrygge 11,6 % (95 %-interval
    9,9–13,5 %) mod den direkte måling 11,0 %; ...' (one clause per indicator)."""
    now = model[model["year"] == year]
    parts = [
        f"{INDICATOR_SUBJECT[r.indicator].lower()} {pct(r.model, 1)} (95 %-interval "
        f"{pct(r.ci_low, 1)}–{pct(r.ci_high, 1)}) mod den direkte måling {pct(r.direct, 1)}"
        for r in now.itertuples()
    ]
    if not parts:
        return ""
    return sentences(f"Modelbaseret skøn for {area_name} i {year}: {_and(parts)}")


def model_alt(model: pd.DataFrame, area_name: str, year: int) -> str:
    """The survey figure's alternative text on its dashed line."""
    now = model[model["year"] == year]
    if now.empty:
        return ""
    values = _and(
        [f"{pct(r.model)} ({INDICATOR_LABELS[r.indicator].lower()})" for r in now.itertuples()]
    )
    return f"Den stiplede linje er det modelbaserede skøn for {area_name}: {values} i {year}."


def crime_alt(rows: list, area_name: str, year: int) -> str:
    """'Anmeldelser i Folehaven i 2025 mod baseline: Indbrud 7 (baseline 4), ...'."""
    parts = [
        f"{o.indicator_label} {count_text(o.estimate)} (baseline "
        f"{count_text(o.reference.estimate)})"
        for o in rows
        if o.estimate == o.estimate and o.reference.estimate == o.reference.estimate
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


# ---------------------------------------------------------------- the status document


def methods_short_points() -> list[tuple[str, str]]:
    """The status document's short methods annex: (lead, text) per point."""
    return [
        (
            "To læsninger af hvert mål.",
            "Er tallet gået den vej, aftalen siger (vurderet på selve tallet), og er ændringen "
            "større, end tilfældige udsving kan forklare (statistisk signifikant på "
            f"{num(config.ALPHA * 100)}\u00a0%-niveau, tosidet test)? Status samler begge. "
            "Aktiviteter og SSP er optællinger af det hele og har kun den første læsning.",
        ),
        (
            "Tryghed.",
            "Andelene er vægtede; usikkerheden følger undersøgelsens design (vægte, strata "
            "efter bydel og år), for offentliggjorte andele den oplyste designeffekt. Ændringer "
            "testes med en z-test; afstanden til københavnerniveauet med en test for ændringen "
            "i afstanden, hvor områdets svar også indgår i københavnertallet. Under "
            f"{config.MIN_RESPONDENTS} svar (eller effektive svar) beregnes ingen andel.",
        ),
        (
            "Anmeldelser.",
            "Årets tal sammenlignes med baselineåret med en test, der tager højde for områdets "
            "egne år-til-år-udsving (kvasi-Poisson); er tidsserien for kort, bruges den eksakte "
            "Poisson-test.",
        ),
        (
            "Nye grænser.",
            "Har et område fået nye grænser mellem to år, sammenlignes de ikke (»ikke "
            "sammenligneligt«): tallene vises uden vurdering og test.",
        ),
        (
            "Modelbaseret skøn.",
            "Den stiplede linje i figurerne er et modelbaseret skøn for partnerskabsområdet: "
            "det låner styrke fra områdets egne målinger i de andre år og fra hele byens "
            "udvikling i året og er derfor mere præcist end den direkte måling, men det "
            "trækker en ændring, der kun ses i ét år, ind mod områdets egen udvikling. Det er "
            "information; målene vurderes på den direkte måling.",
        ),
        (
            "»Ikke signifikant«",
            "betyder, at data ikke kan skelne ændringen fra tilfældige udsving – ikke, at der "
            "ingen ændring er. Den enkelte rapport har den fulde metodebeskrivelse.",
        ),
    ]


def source_list(evaluations: list, published: pd.DataFrame | None) -> list[tuple[str, str]]:
    """(citation, link or '') as a reader cites them, for a report (one evaluation) and the
    status document alike: every agreement, the survey and police, then the sources of the
    published figures shown, in their order of first use."""
    out = [(f"{ev.agreement_title}.", "") for ev in evaluations]
    if evaluations:
        ev = evaluations[0]
        out.append(
            (
                f"Københavns Kommune: Tryghedsundersøgelsen {ev.year}, og Københavns Politi: "
                f"anmeldelser for {ev.year} (datasættet »{ev.dataset_name}«).",
                "",
            )
        )
    if published is not None:
        for src in dict.fromkeys(published["source"]):
            r = published[published["source"] == src].iloc[0]
            out.append((source_citation(r["title"], r["publisher"], r["date"]), r["url"]))
    return out


# ---------------------------------------------------------------- main points and summary

#: why an objective cannot be judged, in plain Danish (plural: "2 mål ...")
UNJUDGED = {
    Status.NOT_COMPARABLE: "kan ikke sammenlignes, fordi området har fået nye grænser",
    Status.DATA_MISSING: "mangler data",
    Status.BASELINE_MISSING: "mangler et udgangsniveau (baseline)",
    Status.TOO_FEW: "har for få besvarelser",
}
#: the same, as a reason after "4 ..." in a list of several
UNJUDGED_SHORT = {
    Status.NOT_COMPARABLE: "på grund af nye grænser for området",
    Status.DATA_MISSING: "fordi data mangler",
    Status.BASELINE_MISSING: "fordi baseline mangler",
    Status.TOO_FEW: "fordi der er for få besvarelser",
}


def _labels(ev: Evaluation) -> dict[str, str]:
    """Indicator id -> the label the tables show (survey, crime targets, monitored types)."""
    labels = dict(INDICATOR_LABELS)
    labels |= {o.indicator: o.indicator_label for o in ev.objectives}
    m = ev.monitoring
    labels |= dict(zip(m["indicator"], m["label"], strict=True)) if not m.empty else {}
    return labels


def finding_sentence(f: Finding, ev: Evaluation) -> str:
    """One significant result in plain words, led by the indicator's label as in the tables."""
    label = _labels(ev).get(f.indicator, f.indicator)
    r = f.record
    if f.kind == "objective":
        if r.objective == "crime":
            verb = "faldt" if r.estimate < r.reference.estimate else "steg"
            return (
                f"{label} {verb} fra {count_text(r.reference.estimate)} i {r.reference.year} "
                f"til {count_text(r.estimate)} i {ev.year} (mål: højst baselineårets niveau)"
            )
        if r.objective == "survey_city_level":
            gap = r.estimate
            if r.change.quantity == "gap to city":  # at or better than the city level
                return f"{label}: området ligger på eller bedre end københavnerniveauet"
            moved = "mindre" if r.status.reading is Reading.MET else "større"
            return (
                f"{label}: afstanden til københavnerniveauet blev {moved}, fra "
                f"{pp(r.reference.estimate, 1)} i {r.reference.year} til {pp(gap, 1)} i "
                f"{ev.year}"
            )
        a, b = pct_pair(r.reference.estimate, r.estimate)
        verb = "faldt" if r.estimate < r.reference.estimate else "steg"
        return f"{label} {verb} fra {a} i {r.reference.year} til {b} i {ev.year}"
    if f.kind == "change":
        a, b = pct_pair(r.from_share, r.to_share)
        verb = "faldt" if r.change < 0 else "steg"
        since = CHANGE_SPANS[r.comparison]
        return f"{label} {verb} fra {a} i {r.from_year} til {b} i {r.to_year} ({since})"
    if f.kind == "trend":
        verb = "faldt" if r.slope_per_year < 0 else "steg"
        if r.kind == "gap":
            return (
                f"{label}: områdets andel minus resten af Københavns {verb} i gennemsnit "
                f"{pp(r.slope_per_year, 1)} om året fra {r.from_year} til {r.to_year} "
                "(udviklingen over årene)"
            )
        return (
            f"{label} {verb} i gennemsnit {pp(r.slope_per_year, 1)} om året fra "
            f"{r.from_year} til {r.to_year} (udviklingen over årene)"
        )
    if f.kind == "pooled":
        a, b = pct_pair(r.before.share, r.after.share)
        verb = "faldt" if r.result.estimate < 0 else "steg"
        return (
            f"{label} {verb} fra {a} i {r.early[0]}–{r.early[1]} til {b} i "
            f"{r.late[0]}–{r.late[1]} (to år lagt sammen)"
        )
    if f.kind == "surroundings":
        where = surroundings_label(r.comparison, ev.district_name)
        if r.kind == "crime":
            return (
                f"{label}: udviklingen i området fra {r.from_year} til {r.to_year} var "
                f"{num(r.result.estimate, 2)} gange udviklingen i {where}"
            )
        good = (r.result.estimate > 0) == (ev.survey_direction == "increase")
        return (
            f"{label}: området gik {pp(r.result.estimate, 1)} "
            f"{'mere frem' if good else 'mere tilbage'} end {where} fra {r.from_year} til "
            f"{r.to_year}"
        )
    verb = "faldt" if r.rate_ratio_per_year < 1 else "steg"
    change = abs(r.rate_ratio_per_year - 1)
    return (
        f"{label} (monitoreret) {verb} i gennemsnit {pct(change)} om året fra "
        f"{int(r.from_year)} til {int(r.to_year)}"
    )


def _judged_sentence(ev: Evaluation) -> str:
    """'Af aftalens 9 mål for 2021 er 5 opfyldt og 1 ikke opfyldt efter tallene; 3 kan ikke
    vurderes (...)'."""
    objectives = ev.objectives
    met = sum(o.status.reading is Reading.MET for o in objectives)
    not_met = sum(o.status.reading is Reading.NOT_MET for o in objectives)
    judged = [f"{met} opfyldt"] if met else []
    judged += [f"{not_met} ikke opfyldt"] if not_met else []
    head = f"Af aftalens {len(objectives)} mål for {ev.year} er "
    head += f"{_and(judged)} efter tallene" if judged else "ingen vurderet"
    reasons = [(n, UNJUDGED[s]) for s in UNJUDGED if (n := sum(o.status is s for o in objectives))]
    if reasons:
        total = sum(n for n, _ in reasons)
        short = [(n, UNJUDGED_SHORT[s]) for s in UNJUDGED if sum(o.status is s for o in objectives)]
        why = _and([f"{n} {what}" for n, what in short]) if len(reasons) > 1 else reasons[0][1]
        head += f"; {total} kan ikke vurderes" + (
            f" ({why})" if len(reasons) > 1 else f": de {why}" if total > 1 else f": det {why}"
        )
    return sentences(head)


def _evidence_sentence(ev: Evaluation, findings: list[Finding]) -> str:
    if findings:
        return sentences(
            "Statistisk signifikant, altså større end tilfældige udsving kan forklare: "
            + "; ".join(finding_sentence(f, ev) for f in findings)
        )
    mde = next(
        (o for o in ev.objectives if o.objective == "survey_annual" and o.mde == o.mde), None
    )
    extra = ""
    if mde is not None:
        noun = "falde" if ev.survey_direction == "decrease" else "stige"
        extra = (
            f"Med {num(mde.n)} svar skal {INDICATOR_SUBJECT[mde.indicator].lower()} {noun} "
            f"mindst {pp(mde.mde, 1)}, før det med rimelig sikkerhed kan ses"
        )
    return sentences(
        "Ingen af ændringerne er statistisk signifikante: de kan alle skyldes tilfældige udsving",
        extra,
    )


def _survey_sentence(ev: Evaluation) -> str:
    """The survey objective in one sentence: each indicator's share then and now."""
    rows = [o for o in ev.objectives if o.objective == "survey_annual" and o.estimate == o.estimate]
    if not rows:
        rows = [
            o
            for o in ev.objectives
            if o.objective == "survey_city_level" and o.estimate == o.estimate
        ]
        if not rows:
            return ""
        parts = []
        for o in rows:
            if o.status is Status.NOT_COMPARABLE:
                parts.append(
                    f"{INDICATOR_SUBJECT[o.indicator].lower()} kan ikke sammenlignes med "
                    f"{o.reference.year}"
                )
            else:
                closer = (
                    "er kommet nærmere"
                    if o.status.reading is Reading.MET
                    else ("er ikke kommet nærmere")
                )
                parts.append(
                    f"{INDICATOR_SUBJECT[o.indicator].lower()} {closer} københavnerniveauet "
                    f"siden {o.reference.year}"
                )
        return sentences(_and(parts))
    parts = []
    for o in rows:
        a, b = pct_pair(o.reference.estimate, o.estimate)
        verb = (
            "var uændret på"
            if a == b
            else "faldt fra"
            if o.estimate < o.reference.estimate
            else "steg fra"
        )
        what = f"{b}" if a == b else f"{a} til {b}"
        why = {
            Status.NOT_COMPARABLE: " (ikke sammenligneligt: nye grænser)",
        }.get(o.status, "")
        if o.status.evidence is Evidence.CHANCE and a != b:
            why = " (kan skyldes tilfældige udsving)"
        parts.append(f"{INDICATOR_SUBJECT[o.indicator].lower()} {verb} {what}{why}")
    return sentences(f"Fra {rows[0].reference.year} til {ev.year}: {_and(parts)}")


def _crime_sentence(ev: Evaluation) -> str:
    crime = [o for o in ev.objectives if o.objective == "crime"]
    judged = [o for o in crime if o.status.reading is not None]
    if not judged:
        return ""
    held = sum(o.status.reading is Reading.MET for o in judged)
    year = judged[0].reference.year
    return sentences(
        f"{held} af {len(judged)} mål for politiets anmeldelser er holdt på eller under "
        f"niveauet i {year}"
    )


def _plan_sentence(ev: Evaluation) -> str:
    parts = []
    for o in ev.objectives:
        if o.objective in ("collaboration", "ssp") and o.status.reading is not None:
            met = "opfyldt" if o.status.reading is Reading.MET else "ikke opfyldt"
            parts.append(f"målet »{o.objective_label}« er {met}")
    return sentences(_and(parts)) if parts else ""


def _boundary_sentence(ev: Evaluation) -> str:
    if not ev.breaks:
        return ""
    years = _and([str(b.year) for b in ev.breaks])
    return sentences(
        f"Området fik nye grænser i {years}, så sammenligninger med årene før vises, men "
        "vurderes og testes ikke (se note om områdets grænser)"
    )


def main_points(ev: Evaluation, findings: list[Finding]) -> list[str]:
    """Three to five plain-Danish main points, from the verdicts and the significant findings:
    the report's opening box and the committee's summary are this same list."""
    points = [
        _judged_sentence(ev),
        _evidence_sentence(ev, findings),
        _survey_sentence(ev),
        sentences(_crime_sentence(ev), _plan_sentence(ev)),
        _boundary_sentence(ev),
    ]
    return [p for p in points if p]


def _and(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


# -- the objectives' own sentences, notes and the reasons a figure has no number -----------------


#: the survey's two comparisons, as the changes table names them
COMPARISONS = {
    "previous_year": "forrige år",
    "start": "udgangspunkt",
    "two_years": "seneste to år",
    "first": "første måling",
}
#: how a main point names the span of a change
CHANGE_SPANS = {
    "previous_year": "fra året før",
    "start": "siden aftalens udgangspunkt",
    "two_years": "over de seneste to år",
    "first": "siden områdets første måling",
}
#: the trends table's kinds (:data:`analysis.evaluation.survey.TREND_COLUMNS`)
TREND_KINDS = {
    "area": "området",
    "gap": "afstanden til resten af København",
}


def first_year_note(year: int) -> str:
    return (
        f"{year} er aftalens første år; sammenligningen med forrige år går til "
        f"{year - 1}, før aftalen trådte i kraft."
    )


def police_year_note(year: int) -> str:
    return (
        f"Politiets tal er for kalenderåret {year}; Tryghedsundersøgelsen {year} "
        f"er indsamlet i vinteren {year - 1}/{year}."
    )


#: the input kinds as a reader names them (the file kind in brackets)
KIND_NAMES = {
    "survey": "Tryghedsundersøgelsens besvarelser (survey) eller andele (survey_aggregate)",
    "police": "politiets anmeldelser (police)",
    "population": "befolkningstal (population)",
    "activities": "tryghedsplanens aktiviteter (activities)",
    "ssp": "SSP's aktiveringer (ssp)",
}


def no_file_of_kind(dataset: str, kind: str) -> str:
    return (
        f"Datasættet »{dataset}« har ingen fil med {KIND_NAMES[kind]}, så "
        "målet kan ikke vurderes med disse data."
    )


def assumed_design_effect(first: int, last: int) -> str:
    return (
        f"Designeffekten er ikke oplyst for de aggregerede andele ({first}–{last}); "
        "der er antaget 1, som om alle svar vejede ens. Vægtede data har normalt en "
        "designeffekt over 1, så testene kan kalde ændringer signifikante, som ikke er det. "
        "Angiv designeffekten pr. række (kolonnen deff) eller i dataset.yaml (deff)."
    )


def area_years_missing(first: int, last: int) -> str:
    return f"Områdets tal for {first} og {last} findes ikke begge i data."


AGGREGATES_CANNOT_BE_SPLIT = (
    "Kræver besvarelser fra hele bydelen og byen (mikrodata): "
    "aggregerede tal kan ikke deles i området og resten."
)
N_NOT_STATED = "Antallet af svar er ikke oplyst, så forskellen kan ikke testes."
ZERO_COUNT = "Et antal på 0 anmeldelser: intet forholdstal."


def too_few_around() -> str:
    return f"For få besvarelser (under {config.MIN_RESPONDENTS}) i området eller omgivelserne."


def police_figures_missing(per_1000: bool, by: int, year: int, label: str) -> str:
    what = "anmeldelser og befolkningstal" if per_1000 else "anmeldelser"
    return (
        f"Politiets {what} for {by} og {year} findes ikke for både "
        f"området og hele København for {label.lower()}."
    )


def crime_figure_missing(label: str, population_missing: bool, year: int) -> str:
    what = "befolkningstal" if population_missing else "anmeldelser"
    return f"{label}: {what} for {year} findes ikke i data."


def baseline_differs_flag(by: int, in_data: float, stated: float) -> str:
    return f"data for {by} viser {num(in_data, 1)}, aftalen {num(stated, 1)}; aftalens tal er brugt"


STATED_BASELINE = "aftalens baseline"
BASELINE_FROM_DATA = "tallet for baselineåret i data; aftalen fastsætter baseline senere"


def baseline_from_data_flag(by: int) -> str:
    return f"baseline fra data for {by} (aftalen fastsætter den senere)"


def baseline_not_yet(label: str, by: int) -> str:
    return (
        f"{label}: aftalen fastsætter baseline for {by} senere, og data "
        f"for {by} findes ikke; målet kan ikke vurderes endnu."
    )


def population_missing_flag(by: int) -> str:
    return f"befolkningstal for {by} mangler: ingen test"


def population_missing_sentence(by: int) -> str:
    return f"Befolkningstallet for {by} mangler, så ændringen kan ikke testes"


SHORT_SERIES_FLAG = (
    "for kort tidsserie til at måle de årlige udsving: eksakt Poisson-test, "
    "som antager, at der ingen ekstra variation er"
)

PLAN_INDICATOR = "Tryghedsplanens aktiviteter"
SSP_INDICATOR = "Ekstraordinære aktiveringer"


def plan_missing(year: int) -> str:
    return f"Tryghedsplanens aktiviteter for {year} findes ikke i data."


def collaboration_sentence(multi: int, total: int, share: float, partners: int, goal: float) -> str:
    return (
        f"{multi} af {total} aktiviteter ({pct(share)}) involverer "
        f"{partners} eller flere samarbejdspartnere; målet er mindst {pct(goal)}."
    )


def ssp_label(baseline_year: int, baseline: int) -> str:
    return f"SSP-beredskab på normalt niveau (baseline {baseline_year}: {baseline})"


def ssp_missing(district: str, year: int, found: str) -> str:
    return f"SSP's aktiveringer i {district} for {year} findes ikke i data{found}."


def ssp_sentence(count: int, district: str, year: int, baseline: int, by: int) -> str:
    held = count <= baseline
    return (
        f"{count_noun(count, 'ekstraordinær aktivering', 'ekstraordinære aktiveringer')} "
        f"af SSP-beredskabet i {district} i {year} mod {baseline} i {by}; niveauet er "
        f"{'holdt' if held else 'ikke holdt'}."
    )


def districts_found(year: int, found: list[str]) -> str:
    """'; data for 2018 har distrikterne ...': what the file has instead, so that a misspelt
    district is seen rather than silently missing."""
    return f"; data for {year} har distrikterne {', '.join(found)}" if found else ""


def survey_objective_labels(
    direction: str, every_year: bool, city_by: int
) -> list[tuple[str, str]]:
    """The survey objectives' labels: yearly (when the agreement has it), then the city level."""
    word = "stige" if direction == "increase" else "falde"
    labels = [("survey_annual", f"Skal {word} hvert år")] if every_year else []
    return [*labels, ("survey_city_level", f"Nærme sig københavnerniveau i {city_by}")]


def where_suffix(city: bool) -> str:
    """' for hele København' after a figure of the city, nothing after the area's."""
    return " for hele København" if city else ""


def survey_figure_missing(indicator: str, city: bool, year: int) -> str:
    where = where_suffix(city)
    return (
        f"{INDICATOR_SUBJECT[indicator]}{where} for {year} "
        f"findes ikke i data (Tryghedsundersøgelsen {year})."
    )


def yearly_change_impossible(why: str, year: int) -> str:
    return f"{why} Udviklingen fra {year - 1} kan ikke vurderes."


def city_gap_impossible(why: str) -> str:
    return f"{why} Afstanden til københavnerniveauet kan ikke beregnes."
