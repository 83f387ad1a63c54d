"""The public results of an evaluation: every objective, every comparison of two survey years,
every comparison with the surroundings and every pair of pooled years under the one set of keys
of :mod:`analysis.evaluation.measures`, nested (the JSON's ``information``) or flat (the tidy
results table, ``reference_*`` and ``change_*`` columns). Built from the typed evaluation, so
that every number is the one the report shows.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, fields
from statistics import NormalDist
from typing import Any

import pandas as pd

from analysis import config
from analysis.evaluation.measures import (
    Change,
    Figure,
    InformationRow,
    Measure,
    Result,
    fields_of_test,
    measure_of,
)
from analysis.evaluation.model import Evaluation, ObjectiveRow, combined_digest
from analysis.evaluation.status import evidence_of
from analysis.evaluation.survey import share_figure
from analysis.stats import StatResult
from analysis.typed_json import encode


def document(ev: Evaluation) -> dict[str, Any]:
    """The evaluation's JSON: the typed fields (:meth:`Evaluation.to_dict`), the information
    rows with the public keys, and the tidy results rows, so that readers need not rebuild
    them."""
    information = information_rows(ev)
    frame = results_frame(ev, information)
    return ev.to_dict() | {
        "information": [encode(r, InformationRow) for r in information],
        "results_rows": json.loads(frame.to_json(orient="records", double_precision=15)),
    }


#: the Danish label of each kind of information row in the results table
KIND_LABELS = {
    "comparison": "Ændring mellem to år (information, intet mål)",
    "surroundings": "Sammenligning med omgivelserne (information, intet mål)",
    "pooled": "To år lagt sammen (information, intet mål)",
}


def information_rows(ev: Evaluation) -> list[InformationRow]:
    """The comparisons of two survey years (the changes table), with the surroundings and the
    pooled years, each as a public row."""
    return [*_comparisons(ev), *_surroundings(ev), *_pooled(ev)]


def _share_figures(ev: Evaluation) -> dict[tuple[str, int], Figure]:
    s = ev.survey_series
    s = s[s["area"] == ev.area]
    return {
        (r.indicator, int(r.year)): Figure(
            year=int(r.year),
            estimate=r.share,
            se=r.se,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=math.nan if pd.isna(r.n) else float(r.n),
            n_eff=r.n_eff,
            deff=r.deff,
        )
        for r in s.itertuples()
    }


def _num(v: object) -> float:
    return math.nan if v is None or pd.isna(v) else float(v)


def _comparisons(ev: Evaluation) -> list[InformationRow]:
    figures = _share_figures(ev)
    rows = []
    for r in ev.survey_changes.itertuples():
        # a compared share is above the floor, so the series has it
        rows.append(
            InformationRow(
                **measure_of(figures[(r.indicator, int(r.to_year))]),
                reference=figures[(r.indicator, int(r.from_year))],
                change=Change(
                    quantity=r.quantity,
                    estimate=r.change,
                    se=_num(r.se),
                    ci_low=_num(r.ci_low),
                    ci_high=_num(r.ci_high),
                ),
                test=r.method,
                statistic=_num(r.statistic),
                df=_num(r.df),
                p_value=_num(r.p_value),
                kind="comparison",
                indicator=r.indicator,
                comparison=r.comparison,
                year=int(r.to_year),
                evidence=r.evidence,
            )
        )
    return rows


def _normal(estimate: float, se: float, year: int | None = None) -> Figure:
    """A change in share points with its normal 95 % interval (NaN without an SE: a ratio)."""
    half = NormalDist().inv_cdf(1 - config.ALPHA / 2) * se
    return Figure(
        year=year, estimate=estimate, se=se, ci_low=estimate - half, ci_high=estimate + half
    )


def _surroundings(ev: Evaluation) -> list[InformationRow]:
    """The area's change is the figure, its surroundings' over the same years the reference
    (``reference.year``: the earlier year), the difference of the two the contrast."""
    rows = []
    for c in ev.surroundings:
        if c.result is None:
            continue
        rows.append(
            InformationRow(
                **measure_of(_normal(c.area_change, c.area_se)),
                reference=_normal(c.other_change, c.other_se, c.from_year),
                **fields_of_test(c.result),
                kind="surroundings",
                indicator=c.indicator,
                comparison=c.comparison,
                year=c.to_year,
                evidence=_evidence(c.result, c.kind == "crime", ev.survey_direction),
            )
        )
    return rows


def _evidence(r: StatResult, ratio: bool, direction: str) -> str:
    """The evidence as for the objectives: a ratio below 1 (police counts) or a share moving
    the agreement's way is the improvement."""
    improvement = 1 - r.estimate if ratio else (1 if direction == "increase" else -1) * r.estimate
    return str(evidence_of(improvement, r.p_value))


def _pooled(ev: Evaluation) -> list[InformationRow]:
    return [
        InformationRow(
            **measure_of(share_figure(p.after, p.late[-1])),
            reference=share_figure(p.before, p.early[-1]),
            **fields_of_test(p.result),
            kind="pooled",
            indicator=p.indicator,
            comparison="pooled",
            year=p.late[-1],
            evidence=_evidence(p.result, False, ev.survey_direction),
        )
        for p in ev.pooled
    ]


def flat(row: Result) -> dict[str, Any]:
    """One public row as one table row: the reference's and the change's keys prefixed."""
    d = asdict(row)
    out = {k: v for k, v in d.items() if k not in ("reference", "change")}
    out |= {f"reference_{k}": v for k, v in d["reference"].items()}
    out |= {f"change_{k}": v for k, v in d["change"].items()}
    return out


#: the results table's columns, in order
RESULT_COLUMNS = (
    "partnership",
    "agreement_id",
    "year",
    "kind",
    "objective",
    "objective_label",
    "indicator",
    "indicator_label",
    "comparison",
    "status",
    "literal",
    "evidence",
    "explanation",
    *(f.name for f in fields(Measure)),
    *(f"reference_{f.name}" for f in fields(Figure)),
    *(f"change_{f.name}" for f in fields(Change)),
    "test",
    "statistic",
    "df",
    "phi",
    "p_value",
    "mde",
    "flags",
    "boundary_year",
    "example_data",
    "package_version",
    "package_source_sha256",
    "inputs_sha256",
    "agreement_sha256",
    "parameters",
)


def _objective(o: ObjectiveRow) -> dict[str, Any]:
    d = flat(o)
    d["status"] = str(o.status)
    return d | {"kind": "objective", "comparison": "", "literal": o.literal, "evidence": o.evidence}


def results_frame(ev: Evaluation, information: list[InformationRow] | None = None) -> pd.DataFrame:
    """The tidy results rows of one evaluation: every objective, then the information rows
    (``kind`` comparison, surroundings, pooled; no status; ``information``: already built)."""
    rows = [_objective(o) for o in ev.objectives]
    labels = {o.indicator: o.indicator_label for o in ev.objectives}
    for r in information_rows(ev) if information is None else information:
        d = flat(r)
        rows.append(
            d
            | {
                "objective": "",
                "objective_label": KIND_LABELS[r.kind],
                "indicator_label": labels.get(r.indicator, r.indicator),
                "status": None,
                "literal": None,
                "explanation": "",
            }
        )
    prov = ev.provenance
    common = {
        "partnership": ev.partnership,
        "agreement_id": ev.agreement_id,
        "year": ev.year,
        "example_data": ev.synthetic,
        "package_version": prov.get("package_version", ""),
        "package_source_sha256": prov.get("package_source_sha256", ""),
        "inputs_sha256": combined_digest(prov.get("inputs_sha256", {})),
        "agreement_sha256": prov.get("agreement_sha256", ""),
        "parameters": json.dumps(prov.get("parameters", {}), sort_keys=True),
    }
    # an information row's own year (the later year compared) replaces the evaluation's
    return pd.DataFrame([common | r for r in rows], columns=list(RESULT_COLUMNS))
