"""``reports/index.html``: partnership × year × objective statuses, linking to each report.

Built from the evaluations the notebooks saved (``reports/<partnership>/<year>.json``), so the
index shows exactly what the reports show. (The batch writes the same rows as the tidy results
table.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analysis import __version__, config
from analysis.atomic import write_text
from analysis.errors import InputError
from analysis.evaluation import saved
from analysis.evaluation.model import Evaluation, combined_digest
from analysis.evaluation.status import STATUS_COLOURS, STATUS_MEANINGS
from analysis.reporting.style import page_template


def collect(out: Path, dataset_name: str) -> tuple[list[Evaluation], list[str]]:
    """Every saved evaluation in ``out`` made from this dataset (this run's and earlier ones),
    and a line for each saved file that cannot be read (left out of the index)."""
    found, notes = [], []
    for path in sorted(out.glob("*/*.json")):
        try:
            ev = saved.read(path)
        except InputError as exc:
            notes.append(f"not in the index: {exc} (run again with --force to remake it)")
            continue
        if ev.dataset_name == dataset_name:
            found.append(ev)
    return found, notes


def _matrix(evaluations: list[Evaluation]) -> list[dict]:
    by_partnership: dict[str, list[Evaluation]] = {}
    for ev in sorted(evaluations, key=lambda e: (e.partnership, e.year)):
        by_partnership.setdefault(ev.partnership, []).append(ev)
    out = []
    for pid, evs in by_partnership.items():
        # Keyed by the labels, which name the baseline or target year: an objective of one
        # agreement ("fastholdelse af 2015-niveau") is not merged with the next one's.
        rows: dict[tuple[str, str], dict] = {}
        for ev in evs:
            for o in ev.objectives:
                key = (o.objective_label, o.indicator_label)
                row = rows.setdefault(
                    key, {"objective_label": key[0], "indicator_label": key[1], "cells": {}}
                )
                row["cells"][ev.year] = o
        names = list(dict.fromkeys(e.partnership_name for e in evs))
        out.append(
            {
                "id": pid,
                # each agreement's own name, with its period where the name changed
                "name": names[0]
                if len(names) == 1
                else " / ".join(f"{n} ({_period(evs, n)})" for n in names),
                "has_break": any(o.boundary_year for e in evs for o in e.objectives),
                "years": [e.year for e in evs],
                "rows": list(rows.values()),
            }
        )
    return out


def _period(evaluations: list[Evaluation], name: str) -> str:
    return next(e.agreement_period for e in evaluations if e.partnership_name == name)


def write_index(out: Path, dataset, outcomes: list, evaluations: list[Evaluation]) -> Path:
    """Write ``out/index.html`` from the evaluations in hand (see :func:`collect`)."""
    failed = []
    for o in outcomes:
        if not o.ok:  # a previous good report is kept: the index shows it, marked stale
            kept = out / o.task.partnership / f"{o.task.year}.json"
            date = dt.date.fromtimestamp(kept.stat().st_mtime).isoformat() if kept.exists() else ""
            failed.append({"name": o.task.name, "error": o.error, "kept": date})
    stale = {f["name"] for f in failed if f["kept"]}
    digests = {combined_digest(ev.provenance["inputs_sha256"]) for ev in evaluations}
    colours = {str(s): c for s, c in STATUS_COLOURS.items()}
    legend = [
        {"status": str(s), "fg": s.colours[0], "bg": s.colours[1], "meaning": m}
        for s, m in STATUS_MEANINGS.items()
    ]
    status = sorted(
        (
            {
                "year": int(p.stem),
                "pdf": p.with_suffix(".pdf").exists(),
                "docx": p.with_suffix(".docx").exists(),
            }
            for p in (out / "status").glob("*.html")
        ),
        key=lambda d: d["year"],
    )
    page = page_template("index.html.j2").render(
        synthetic=dataset.synthetic,
        dataset=dataset.name,
        colours=colours,
        legend=legend,
        alpha_pct=f"{config.ALPHA * 100:g}",
        partnerships=_matrix(evaluations),
        failed=failed,
        stale=stale,
        input_versions=len(digests),
        status=status,
        version=__version__,
    )
    path = out / "index.html"
    write_text(path, page)
    return path
