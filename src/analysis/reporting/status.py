"""The committee's document: one yearly status for every partnership with an agreement in force,
as an accessible HTML page and an A4 PDF (``reports/status/<year>.html`` and ``.pdf``).

The batch's workers write each year's HTML and Word document (:func:`write_year`) as soon as
the year's reports are done, with the survey figures as the reports' kernels drew them. The
PDF is Chromium's print of the HTML (its print stylesheet sets A4 pages, a running header,
page numbers and rows that do not split; Chromium embeds the fonts it uses), every year in one
browser (:func:`analysis.reporting.pdf.print_pdfs`).
Chromium comes from Debian's packages: ``make reports`` installs it when missing; without it
the HTML is still written and the run says that the PDF was skipped and why.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.atomic import write_text
from analysis.evaluation.findings import significant_findings
from analysis.evaluation.model import Evaluation
from analysis.evaluation.saved import read
from analysis.evaluation.status import STATUS_MEANINGS
from analysis.evaluation.text import (
    INDICATOR_LABELS,
    boundary_note,
    count_text,
    main_points,
    methods_short_points,
    pct,
    source_list,
)
from analysis.reporting import blocks, drawings
from analysis.reporting.pdf import Page
from analysis.reporting.style import REPORT_CSS, page_template
from analysis.reporting.word import write_docx

DESCRIPTION = "Tryghedspartnerskaberne i Københavns Kommune: status til Økonomiudvalget"


def title(year: int) -> str:
    return f"Status på tryghed og kriminalitet {year}"


#: the overview's rows: each objective kind, with the words the committee reads
OVERVIEW_KINDS = {
    "survey_annual": "",
    "survey_city_level": "",
    "crime": "højst på baselineårets niveau",
    "collaboration": "mindst 75 % af aktiviteterne med 2+ partnere",
    "ssp": "SSP-beredskab på normalt niveau",
}


def _overview_label(o) -> str:
    """'Andel utrygge: skal falde hvert år' (survey objectives say their own direction)."""
    what = (
        o.objective_label[:1].lower() + o.objective_label[1:]
        if o.objective.startswith("survey")
        else OVERVIEW_KINDS.get(o.objective, o.objective_label)
    )
    return f"{o.indicator_label}: {what}"


def overview(evaluations: list[Evaluation]) -> dict:
    """The objective × partnership table: one row per objective and indicator, a cell per
    partnership (None where its agreement has no such objective)."""
    rows: dict[tuple[str, str], dict] = {}
    for i, ev in enumerate(evaluations):
        for o in ev.objectives:
            key = (o.objective, o.indicator)
            row = rows.setdefault(
                key,
                {
                    "label": _overview_label(o),
                    "cells": [None] * len(evaluations),
                },
            )
            row["cells"][i] = _status_cell(o)
    order = list(OVERVIEW_KINDS)
    ranked = sorted(rows.items(), key=lambda kv: order.index(kv[0][0]))
    return {
        "partnerships": [ev.partnership_name for ev in evaluations],
        "rows": [r for _, r in ranked],
    }


def _status_cell(o) -> dict:
    fg, bg = o.status.colours
    return {"status": str(o.status), "fg": fg, "bg": bg, "boundary_year": o.boundary_year}


def content(
    year: int, evaluations: list[Evaluation], drawn: list[str | None] | None = None
) -> dict:
    """Everything the status document of ``year`` says, as plain values and figures: the one
    source of its HTML (and PDF) and its Word document (evaluations: this year's, in order;
    ``drawn``: each one's survey figure as SVG as its report's kernel drew it, None: draw it
    here)."""
    partnerships = []
    numbering = blocks.Numbering()
    published = []
    for ev, svg in zip(evaluations, drawn or [None] * len(evaluations), strict=True):
        rows = [
            {
                "objective": o.objective_label,
                "indicator": o.indicator_label,
                "evidence": blocks.evidence_words(o),
                **_status_cell(o),
            }
            for o in ev.objectives
        ]
        shares = [
            {
                "label": INDICATOR_LABELS[ind],
                "area": _share_text(ev.survey_series, ev.area, ind, ev.year),
                "city": _share_text(ev.survey_series, "kobenhavn", ind, ev.year),
            }
            for ind in dict.fromkeys(ev.survey_series["indicator"])
        ]
        counts = [
            {
                "label": o.indicator_label,
                "baseline": "–"
                if o.reference.estimate != o.reference.estimate
                else f"{count_text(o.reference.estimate)} ({o.reference.year})",
                "now": count_text(o.estimate),
                **_status_cell(o),
            }
            for o in ev.objectives
            if o.objective == "crime"
        ]
        figure = blocks.survey_figure(ev, svg)
        if not ev.published.empty:
            published.append(ev.published[ev.published["year"] <= ev.year])
        partnerships.append(
            {
                "id": ev.partnership,
                "label": ev.partnership_name,
                "period": ev.agreement_period,
                "area": ev.area_name,
                "district": ev.district_name,
                "objectives": rows,
                "shares": shares,
                "counts": counts,
                "figure": None if figure is None else figure.numbered(numbering.next()),
                "summary": main_points(ev, significant_findings(ev)),
                "breaks": [boundary_note(b.year, b.note) for b in ev.breaks],
                "agreement_id": ev.agreement_id,
                "agreement_sha": ev.provenance["agreement_sha256"],
            }
        )
    first = evaluations[0]
    inputs = ", ".join(
        f"{k.rsplit('.', 1)[0]} ({v[:12]})"
        for k, v in sorted(first.provenance["inputs_sha256"].items())
    )
    return {
        "title": title(year),
        "description": DESCRIPTION,
        "year": year,
        "synthetic": first.synthetic,
        "dataset": first.dataset_name,
        "partnerships": partnerships,
        "overview": overview(evaluations),
        "legend": [
            {"status": str(st), "fg": st.colours[0], "bg": st.colours[1], "meaning": m}
            for st, m in STATUS_MEANINGS.items()
        ],
        "methods": methods_short_points(),
        "sources": source_list(evaluations, pd.concat(published) if published else None),
        "version": __version__,
        "code": first.provenance["package_source_sha256"],
        "inputs": inputs,
    }


def render(doc: dict) -> str:
    """The status document as one HTML page (Chromium prints it to the PDF)."""
    figures = {
        p["id"]: "" if p["figure"] is None else p["figure"].html() for p in doc["partnerships"]
    }
    return page_template("status.html.j2").render(
        **doc,
        figures=figures,
        css=REPORT_CSS.read_text(encoding="utf-8"),
        boundary_mark=blocks.boundary_mark,
        boundary_notes=blocks.boundary_notes,
        sources_html=blocks.sources_html,
    )


def _share_text(series, area: str, indicator: str, year: int) -> str:
    """'11 % (8 %–15 %)': a share with its interval (just the share when there is none)."""
    r = series[
        (series["area"] == area) & (series["indicator"] == indicator) & (series["year"] == year)
    ]
    if r.empty or r["share"].isna().all():
        return "–"
    r = r.iloc[0]
    if r["ci_low"] != r["ci_low"]:
        return pct(r["share"])
    return f"{pct(r['share'])} ({pct(r['ci_low'])}–{pct(r['ci_high'])})"


def write_year(out: Path, year: int, saved: list[Path], drawings_dir: Path | None = None) -> Page:
    """``out/status/<year>.html`` and ``.docx`` from the saved evaluations of every partnership
    with an agreement in force and data that year (in the index's order), with the survey
    figures their reports' kernels drew in this run (``drawings_dir``, see
    :mod:`analysis.reporting.drawings`; a figure not there is drawn); the PDF is printed
    afterwards, with the other years' (:func:`analysis.reporting.pdf.print_pdfs`)."""
    folder = out / "status"
    folder.mkdir(parents=True, exist_ok=True)
    evaluations = [read(p) for p in saved]
    drawn = [
        None if drawings_dir is None else drawings.load(drawings_dir, ev.partnership, ev.year)
        for ev in evaluations
    ]
    doc = content(year, evaluations, drawn)
    html = write_text(folder / f"{year}.html", render(doc))
    write_docx(folder / f"{year}.docx", doc)
    return Page(year, html, folder / f"{year}.pdf", doc["title"], doc["description"])
