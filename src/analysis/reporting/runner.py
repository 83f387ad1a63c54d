"""The kernel side of a report: evaluate once, hand the result to the notebook, save it for the
batch. (The parameters were checked before the kernel started: see
:func:`analysis.reporting.template.check_parameters`.)
"""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from IPython import get_ipython

from analysis.assumptions import Assumption, load_assumptions
from analysis.evaluation import Evaluation
from analysis.evaluation.inputs import evaluate_partnership
from analysis.evaluation.saved import save
from analysis.reporting import drawings
from analysis.reporting.blocks import prepare_survey_figure
from analysis.reporting.status import write_year


def start(
    partnership: str,
    year: int,
    data_dir: str | None = None,
    results_path: str | None = None,
    tables_dir: str | None = None,
) -> Evaluation:
    """Evaluate, and save the result beside the report when the batch runner asks for it,
    with the survey figure's drawing for the status document (:mod:`analysis.reporting.drawings`).

    ``tables_dir`` is the batch's already validated and cached tables (read as they are).
    In a fresh kernel the modules and data loaded by now stay until the kernel ends, so they
    are moved out of the garbage collector's sight (``gc.freeze``): otherwise the many objects
    the figures create trigger a full collection that rescans all of them, a tenth of a second
    per report. A warm kernel froze its modules once (:func:`remember_fresh_state`).
    """
    ev = evaluate_partnership(partnership, int(year), data_dir, tables_dir=tables_dir)
    if results_path:
        save(ev, Path(results_path))
        figure = prepare_survey_figure(ev)  # the one the report shows, drawn once
        if figure is not None:  # for the year's status document
            drawings.save(Path(results_path).parent, figure.svg())
    if not _FRESH:  # a warm kernel froze its modules once, and keeps no report's objects
        gc.freeze()
    return ev


def write_status(out_dir: str, year: int, saved: list[str], drawings_dir: str) -> list:
    """One year's status HTML and Word document, written in a warm kernel between notebooks
    (its modules are imported there already); the page's fields as JSON values."""
    page = write_year(
        Path(out_dir), year, [Path(p) for p in saved], Path(drawings_dir) if drawings_dir else None
    )
    return [page.year, str(page.html), str(page.pdf), page.title, page.description]


def caveats() -> tuple[Assumption, ...]:
    """The assumptions log, for the methods note."""
    return load_assumptions()


#: what a fresh kernel has after the template's imports (a warm kernel's first step)
_FRESH: dict = {}


def remember_fresh_state() -> None:
    """In a new warm kernel, after the imports: what :func:`reset` puts back."""
    _FRESH["rc"] = matplotlib.rcParams.copy()
    _FRESH["warnings"] = list(warnings.filters)
    gc.freeze()  # the modules stay for every notebook: out of the collector's sight


def reset() -> None:
    """Before the next notebook in a warm kernel: the state a fresh kernel has after the
    template's imports. The modules stay imported (that is the point), with their caches, which
    are keyed by what they read. Figures are closed, matplotlib's settings and the warnings
    filters restored (``_filters_mutated``: "once" warnings show again), the previous
    report's objects collected, and the namespace emptied with the execution count back at 1
    (the batch's kernels keep no input history that could clash with it)."""
    plt.close("all")
    matplotlib.rcParams.update(_FRESH["rc"])
    warnings.filters[:] = _FRESH["warnings"]
    warnings._filters_mutated()
    shell = get_ipython()
    shell.reset(new_session=False)
    shell.execution_count = 1
    gc.collect()
