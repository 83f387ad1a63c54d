"""The results that are beyond chance, gathered from every part of one evaluation.

The main points of a report and the committee's summary are worded from this list
(:func:`analysis.evaluation.text.main_points`), and every table the report shows a p-value in
is built from the same records, so a significant result cannot be in a table and missing from
the summary. A comparison across a boundary change is never tested, so never listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from analysis import config
from analysis.evaluation.model import Evaluation
from analysis.evaluation.status import Evidence

Kind = Literal["objective", "change", "trend", "pooled", "surroundings", "monitoring"]


@dataclass(frozen=True)
class Finding:
    """One significant result: where it comes from, and the record it was read from."""

    kind: Kind
    indicator: str  #: the indicator's id (survey) or the crime indicator's id
    p_value: float
    record: object  #: an ObjectiveRow, a table row (namedtuple), or a typed comparison


def _significant(p: float | None) -> bool:
    return p is not None and not math.isnan(p) and p < config.ALPHA


def significant_findings(ev: Evaluation) -> list[Finding]:
    """Every result of ``ev`` with p < ``config.ALPHA``, objectives first."""
    out = [
        Finding("objective", o.indicator, o.p_value, o)
        for o in ev.objectives
        if o.status.evidence in (Evidence.IMPROVEMENT, Evidence.WORSENING)
    ]
    annual = {o.indicator for o in ev.objectives if o.objective == "survey_annual"}
    for r in ev.survey_changes.itertuples(index=False):
        # the yearly comparison of an agreement with a yearly objective *is* that objective
        if r.comparison == "previous_year" and r.indicator in annual:
            continue
        if _significant(r.p_value):
            out.append(Finding("change", r.indicator, r.p_value, r))
    out += [
        Finding("trend", r.indicator, r.p_value, r)
        for r in ev.survey_trends.itertuples(index=False)
        if _significant(r.p_value)
    ]
    out += [
        Finding("pooled", p.indicator, p.result.p_value, p)
        for p in ev.pooled
        if _significant(p.result.p_value)
    ]
    out += [
        Finding("surroundings", c.indicator, c.result.p_value, c)
        for c in ev.surroundings
        if c.result is not None and _significant(c.result.p_value)
    ]
    out += [
        Finding("monitoring", r.indicator, r.p_value, r)
        for r in ev.monitoring.itertuples(index=False)
        if _significant(r.p_value)
    ]
    return out
