"""The survey's indicators: the one place that says what each one counts and what it is called.

An indicator is the weighted share of respondents whose answer to one question (``column`` in
the microdata) is among ``counted``; "ved ikke" and blanks are left out of the denominator. The
Danish label and sentence subject are the reports' names for it. Everything else (the agreements'
validation, the loaders, the schemas, the wording, the plots) takes the ids from here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The five-point scale of Københavns Kommunes Tryghedsundersøgelse, plus "ved ikke".
SCALE = ("meget tryg", "tryg", "hverken tryg eller utryg", "utryg", "meget utryg")
DONT_KNOW = "ved ikke"
ANSWERS = (*SCALE, DONT_KNOW)

UNSAFE = frozenset({"utryg", "meget utryg"})
SAFE = frozenset({"tryg", "meget tryg"})


@dataclass(frozen=True)
class SurveyIndicator:
    id: str
    column: str  #: the answer column in the microdata
    counted: frozenset[str]  #: the answers the share counts
    label: str  #: "Andel utrygge"
    subject: str  #: "Andelen af utrygge", the subject of a Danish sentence


SURVEY_INDICATORS: dict[str, SurveyIndicator] = {
    i.id: i
    for i in (
        SurveyIndicator("unsafe_share", "safety", UNSAFE, "Andel utrygge", "Andelen af utrygge"),
        SurveyIndicator(
            "unsafe_share_night",
            "safety_night",
            UNSAFE,
            "Andel utrygge i aften- og nattetimer",
            "Andelen af utrygge i aften- og nattetimer",
        ),
        SurveyIndicator("safe_share", "safety", SAFE, "Andel trygge", "Andelen af trygge"),
        SurveyIndicator(
            "safe_share_night",
            "safety_night",
            SAFE,
            "Andel trygge i aften- og nattetimer",
            "Andelen af trygge i aften- og nattetimer",
        ),
    )
}

#: The other figures in data/raw/published/figures.csv, as the reports name them
PUBLISHED_LABELS = {
    **{i.id: i.label.lower() for i in SURVEY_INDICATORS.values()},
    "reports_per_1000": "anmeldelser pr. 1.000",
    "respondents": "antal svar",
    "reports_count": "anmeldelser",
    "residents": "beboere",
    "reports_count_four_types": "anmeldelser, fire gerningstyper",
    "ssp_extraordinary_activations": "ekstraordinære SSP-aktiveringer",
}
