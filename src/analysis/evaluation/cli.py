"""``python -m analysis evaluate --partnership P --year Y [--format json|table]``."""

from __future__ import annotations

import json
import shutil
import textwrap

from analysis.evaluation.inputs import evaluate_partnership
from analysis.evaluation.public import document
from analysis.evaluation.text import pval


def run_evaluate(partnership: str, year: int, fmt: str, data_dir: str | None) -> int:
    ev = evaluate_partnership(partnership, year, data_dir)
    if fmt == "json":
        print(json.dumps(document(ev), ensure_ascii=False, indent=2, default=str))
        return 0
    banner = "EKSEMPELDATA (syntetiske data) – " if ev.synthetic else ""
    print(
        f"{banner}{ev.partnership_name} {ev.year} (aftale {ev.agreement_period}, {ev.agreement_id})"
    )
    columns = shutil.get_terminal_size((100, 24)).columns
    wrap = textwrap.TextWrapper(
        width=max(60, columns), initial_indent="    ", subsequent_indent="    "
    )
    for o in ev.objectives:
        p = "" if o.p_value != o.p_value else f" ({pval(o.p_value)})"  # as the reports round it
        print(f"  {o.status}{p}: {o.indicator_label} – {o.objective_label}")
        print(wrap.fill(o.explanation))
    for warning in ev.warnings:
        print(wrap.fill(f"Antagelse: {warning}"))
    for note in ev.notes:
        print(wrap.fill(f"Note: {note}"))
    return 0
