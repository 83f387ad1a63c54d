"""``python -m analysis evaluate --partnership P --year Y [--format json|table]``."""

from __future__ import annotations

import json

from analysis.evaluation.inputs import evaluate_partnership
from analysis.evaluation.text import num


def run_evaluate(partnership: str, year: int, fmt: str, data_dir: str | None) -> int:
    ev = evaluate_partnership(partnership, year, data_dir)
    if fmt == "json":
        print(json.dumps(ev.to_dict(), ensure_ascii=False, indent=2, default=str))
        return 0
    banner = "EKSEMPELDATA (syntetiske data) – " if ev.synthetic else ""
    print(
        f"{banner}{ev.partnership_name} {ev.year} (aftale {ev.agreement_period}, {ev.agreement_id})"
    )
    width = max(len(o.indicator_label) for o in ev.objectives)
    for o in ev.objectives:
        p = "" if o.p_value != o.p_value else f"  p={num(o.p_value, 3)}"
        print(f"  {o.status:<30} {o.indicator_label:<{width}}  {o.objective_label}{p}")
        print(f"  {'':<30} {o.explanation}")
    for warning in ev.warnings:
        print(f"  Antagelse: {warning}")
    for note in ev.notes:
        print(f"  Note: {note}")
    return 0
