"""The statuses an objective can get: the one place that defines them, their labels and colours.

Every objective that rests on a sample or on counts is read twice, by one rule:

- the **literal reading** (:class:`Reading`): did the figure do what the agreement says, judged
  on the point estimate, as the committee reads it (fell, stayed at or below the baseline,
  narrowed the gap to the city);
- the **evidence** (:class:`Evidence`): is the change beyond chance, by a two-sided test at
  ``config.ALPHA`` - a significant improvement, within chance, or a significant worsening.

:func:`judge` combines the two into one :class:`Status`. Objectives that are a census (the
safety plan's activities, SSP's activations) have no sampling error and get the literal
reading alone, as does a sample objective for which no test can be made.
"""

from __future__ import annotations

import math
from enum import StrEnum

from analysis import config


class Reading(StrEnum):
    """The agreement's literal reading, on the point estimate."""

    MET = "met"
    NOT_MET = "not_met"


class Evidence(StrEnum):
    """Whether the change is beyond chance (two-sided test at ``config.ALPHA``)."""

    IMPROVEMENT = "significant_improvement"
    CHANCE = "not_significant"
    WORSENING = "significant_worsening"
    NO_TEST = "no_test"


#: Danish wording of the evidence, for sentences and tables
EVIDENCE_LABELS = {
    Evidence.IMPROVEMENT: "signifikant forbedring",
    Evidence.CHANCE: "inden for tilfældige udsving",
    Evidence.WORSENING: "signifikant forværring",
    Evidence.NO_TEST: "ingen test",
}


class Status(StrEnum):
    """An objective's status; the value is the Danish label the reports and tables show."""

    MET_SIGNIFICANT = "opfyldt (signifikant)"
    MET_NOT_SIGNIFICANT = "opfyldt, ikke signifikant"
    NOT_MET_NOT_SIGNIFICANT = "ikke opfyldt, ikke signifikant"
    NOT_MET_SIGNIFICANT = "ikke opfyldt (signifikant)"
    MET = "opfyldt"
    NOT_MET = "ikke opfyldt"
    BASELINE_MISSING = "baseline mangler"
    DATA_MISSING = "data mangler"
    TOO_FEW = "for få besvarelser"
    #: the two figures lie on different area boundaries: shown, neither judged nor tested
    NOT_COMPARABLE = "ikke sammenligneligt"

    @property
    def reading(self) -> Reading | None:
        return _READING.get(self)

    @property
    def evidence(self) -> Evidence | None:
        return _EVIDENCE.get(self)

    @property
    def colours(self) -> tuple[str, str]:
        """(text, background): strong colours for a significant result, pale for one within
        chance; every pair has a contrast of at least 4.5:1 (WCAG 2.1 AA)."""
        return STATUS_COLOURS[self]


_READING = {
    Status.MET_SIGNIFICANT: Reading.MET,
    Status.MET_NOT_SIGNIFICANT: Reading.MET,
    Status.MET: Reading.MET,
    Status.NOT_MET_NOT_SIGNIFICANT: Reading.NOT_MET,
    Status.NOT_MET_SIGNIFICANT: Reading.NOT_MET,
    Status.NOT_MET: Reading.NOT_MET,
}
_EVIDENCE = {
    Status.MET_SIGNIFICANT: Evidence.IMPROVEMENT,
    Status.MET_NOT_SIGNIFICANT: Evidence.CHANCE,
    Status.NOT_MET_NOT_SIGNIFICANT: Evidence.CHANCE,
    Status.NOT_MET_SIGNIFICANT: Evidence.WORSENING,
    Status.MET: Evidence.NO_TEST,
    Status.NOT_MET: Evidence.NO_TEST,
}

#: every background is at least 10 CIELAB units (ΔE*76) from every other, so that the statuses
#: can be told apart by colour as well as by their words (tested)
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.MET_SIGNIFICANT: ("#ffffff", "#1b5e20"),
    Status.MET_NOT_SIGNIFICANT: ("#1b5e20", "#dcedc8"),
    Status.MET: ("#0d3311", "#8fd19e"),
    Status.NOT_MET_NOT_SIGNIFICANT: ("#8e1b1b", "#fde0dc"),
    Status.NOT_MET_SIGNIFICANT: ("#ffffff", "#b71c1c"),
    Status.NOT_MET: ("#4a0b0b", "#f28b82"),
    Status.BASELINE_MISSING: ("#0d3c61", "#b3d9f2"),
    Status.DATA_MISSING: ("#333333", "#e6e6e6"),
    Status.TOO_FEW: ("#4a148c", "#dcc6f0"),
    Status.NOT_COMPARABLE: ("#4e3b00", "#ffe58f"),
}

#: what each status means, in plain Danish: the legend of the index and the status documents
STATUS_MEANINGS: dict[Status, str] = {
    Status.MET_SIGNIFICANT: "målet er nået, og ændringen er større, end tilfældige udsving kan "
    "forklare",
    Status.MET_NOT_SIGNIFICANT: "målet er nået efter tallet, men ændringen kan skyldes "
    "tilfældige udsving",
    Status.NOT_MET_NOT_SIGNIFICANT: "målet er ikke nået efter tallet, men ændringen kan skyldes "
    "tilfældige udsving",
    Status.NOT_MET_SIGNIFICANT: "målet er ikke nået, og forværringen er større, end tilfældige "
    "udsving kan forklare",
    Status.MET: "målet er nået (en optælling eller et tal, der ikke kan testes)",
    Status.NOT_MET: "målet er ikke nået (en optælling eller et tal, der ikke kan testes)",
    Status.BASELINE_MISSING: "aftalens udgangsniveau er ikke fastsat, og data mangler",
    Status.DATA_MISSING: "tallene findes ikke i data",
    Status.TOO_FEW: "for få besvarelser til at beregne en andel",
    Status.NOT_COMPARABLE: "området har fået nye grænser mellem de to år, så tallene vises, "
    "men vurderes og testes ikke",
}

#: The statuses as the reports list them, strongest evidence first
STATUSES: tuple[Status, ...] = tuple(Status)


def evidence_of(improvement: float, p_value: float | None) -> Evidence:
    """The evidence of a test whose estimate moved ``improvement`` in the objective's direction
    (positive: the way the agreement wants)."""
    if p_value is None or math.isnan(p_value):
        return Evidence.NO_TEST
    if p_value >= config.ALPHA:
        return Evidence.CHANCE
    return Evidence.IMPROVEMENT if improvement > 0 else Evidence.WORSENING


def judge(met: bool, evidence: Evidence) -> Status:
    """The one rule: the literal reading and the evidence, combined into a status.

    A significant improvement with the goal missed on the point estimate (or the reverse)
    cannot happen when both readings rest on the same estimate; it is a bug, not a status.
    """
    if evidence is Evidence.NO_TEST:
        return Status.MET if met else Status.NOT_MET
    if evidence is Evidence.CHANCE:
        return Status.MET_NOT_SIGNIFICANT if met else Status.NOT_MET_NOT_SIGNIFICANT
    if met != (evidence is Evidence.IMPROVEMENT):
        raise ValueError(f"inconsistent readings: met={met} with {evidence}")
    return Status.MET_SIGNIFICANT if met else Status.NOT_MET_SIGNIFICANT
