"""The kernel side of a report: evaluate once, hand the result to the notebook, save it for the
batch. (The parameters were checked before the kernel started: see
:func:`analysis.reporting.template.check_parameters`.)
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from analysis.assumptions import Assumption, load_assumptions
from analysis.atomic import write_text
from analysis.evaluation import Evaluation
from analysis.evaluation.inputs import evaluate_partnership


def start(
    partnership: str,
    year: int,
    data_dir: str | None = None,
    results_path: str | None = None,
    tables_dir: str | None = None,
) -> Evaluation:
    """Evaluate, and save the result beside the report when the batch runner asks for it.

    ``tables_dir`` is the batch's already validated and cached tables (read as they are).
    The modules and data loaded by now stay until the kernel ends, so they are moved out of
    the garbage collector's sight (``gc.freeze``): otherwise the many objects the figures
    create trigger a full collection that rescans all of them, a tenth of a second per report.
    """
    ev = evaluate_partnership(partnership, int(year), data_dir, tables_dir=tables_dir)
    if results_path:
        save_result(ev, Path(results_path))
    gc.freeze()
    return ev


def caveats() -> tuple[Assumption, ...]:
    """The assumptions log, for the methods note."""
    return load_assumptions()


def save_result(ev: Evaluation, path: Path) -> None:
    """The evaluation as JSON (objectives and provenance): the index page's source."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(ev.to_dict(), ensure_ascii=False, indent=1, default=str))
