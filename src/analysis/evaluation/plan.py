"""Objectives 3 and 4: collaboration in the safety plan, and SSP's extraordinary activations.

Both are a census (every activity of the plan, every activation), with no sampling error: they
get the literal reading alone.
"""

from __future__ import annotations

import pandas as pd

from analysis.agreements import Agreement
from analysis.evaluation import text
from analysis.evaluation.measures import Change, Figure
from analysis.evaluation.model import ObjectiveRow
from analysis.evaluation.status import Status


def collaboration_row(
    agreement: Agreement, year: int, activities: pd.DataFrame
) -> ObjectiveRow | None:
    """Share of the year's activities with two or more partners against the agreement's goal."""
    goal = agreement.collaboration
    if goal is None:
        return None
    label = f"Mindst {text.pct(goal.min_share)} af aktiviteterne med {goal.min_partners}+ partnere"
    own = activities[
        (activities["partnership"] == agreement.partnership) & (activities["year"] == year)
    ]
    if own.empty:
        return ObjectiveRow(
            "collaboration",
            label,
            "activities",
            text.PLAN_INDICATOR,
            Status.DATA_MISSING,
            text.plan_missing(year),
        )
    multi = int((own["n_partners"] >= goal.min_partners).sum())
    share = multi / len(own)
    met = share >= goal.min_share - 1e-12
    return ObjectiveRow(
        "collaboration",
        label,
        "activities",
        text.PLAN_INDICATOR,
        Status.MET if met else Status.NOT_MET,
        text.collaboration_sentence(multi, len(own), share, goal.min_partners, goal.min_share),
        estimate=share,
        reference=Figure(estimate=goal.min_share),
        change=Change(quantity="difference", estimate=share - goal.min_share),
        test="census: share of all activities",
    )


def ssp_row(agreement: Agreement, year: int, ssp: pd.DataFrame) -> ObjectiveRow | None:
    """SSP's extraordinary activations in the district against the agreement's baseline."""
    goal = agreement.ssp
    if goal is None:
        return None
    label = text.ssp_label(goal.baseline_year, goal.baseline)
    same = ssp["district"].map(lambda d: " ".join(str(d).split()).casefold())
    own = ssp[(same == " ".join(goal.district.split()).casefold()) & (ssp["year"] == year)]
    if own.empty:
        return ObjectiveRow(
            "ssp",
            label,
            "ssp_activations",
            text.SSP_INDICATOR,
            Status.DATA_MISSING,
            text.ssp_missing(goal.district, year, _districts_found(ssp, year)),
        )
    count = int(own["count"].sum())
    held = count <= goal.baseline
    return ObjectiveRow(
        "ssp",
        label,
        "ssp_activations",
        text.SSP_INDICATOR,
        Status.MET if held else Status.NOT_MET,
        text.ssp_sentence(count, goal.district, year, goal.baseline, goal.baseline_year),
        estimate=count,
        reference=Figure(year=goal.baseline_year, estimate=goal.baseline),
        change=Change(quantity="difference", estimate=count - goal.baseline),
        test="census: count",
    )


def _districts_found(ssp: pd.DataFrame, year: int) -> str:
    return text.districts_found(
        year, sorted(set(ssp.loc[ssp["year"] == year, "district"].astype(str)))
    )
