"""A worker process's jobs: one report (the template run by papermill in the worker's warm
kernel), or one year's status document from the saved evaluations.

The batch (:mod:`analysis.reporting.batch`) hands each worker :class:`Task` s and
:class:`StatusJob` s; this module is all a worker imports, so that a worker starts quickly. The
template runs into a temporary folder; only a run without errors replaces the previous report
(``<year>.ipynb``, ``.html`` and the saved evaluation ``.json``), so a failure never destroys a
good report. A failed run's notebook is kept as ``<year>.failed.ipynb`` for debugging and is
never rendered.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing.util
import os
import shutil
import signal
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.reporting import drawings
from analysis.reporting.kernel import IPCKernelManager, WarmKernel
from analysis.reporting.pdf import Page

# papermill validates notebooks with jsonschema, whose import compiles 38 grammars of RFC 3987
# (rfc3987_syntax, installed for Jupyter's server) for two format checks, "iri" and
# "iri-reference", that notebook validation never makes: 1.2 s of each worker's start, a
# twentieth of the batch. Declined here (jsonschema treats the module as absent and leaves
# those two checks out); a process that imported it before keeps it.
sys.modules.setdefault("rfc3987_syntax", None)


@dataclass(frozen=True)
class Task:
    partnership: str
    year: int
    data_dir: str | None
    out_dir: str
    key: str  #: the report's content key (:func:`analysis.content_key.content_key`)
    tables_dir: str = ""  #: the validated tables the kernel reads (cached by the plan)
    warm: bool = True  #: in the worker's kept kernel (False: a new kernel for this report)
    #: the run's folder for the survey figures the kernels draw (:mod:`analysis.reporting.drawings`)
    drawings_dir: str = ""

    @property
    def name(self) -> str:
        return f"{self.partnership}/{self.year}"


@dataclass(frozen=True)
class Outcome:
    task: Task
    ok: bool
    error: str = ""
    skipped: bool = False


@dataclass(frozen=True)
class StatusJob:
    """One year's status document, from the saved evaluations of that year's reports."""

    out_dir: str
    year: int
    saved: tuple[str, ...]  #: the saved evaluations, in the document's order
    key: str  #: the document's content key
    drawings_dir: str = ""  #: the survey figures drawn in this run (see :class:`Task`)


@dataclass(frozen=True)
class StatusOutcome:
    job: StatusJob
    page: Page | None  #: None: it failed (``error`` says why)
    error: str = ""


#: this process's kept kernel (each worker has its own)
_WARM = WarmKernel()


def discard_kernel() -> None:
    _WARM.discard()


@contextlib.contextmanager
def _fresh():
    """No kept kernel: papermill starts a new one for the notebook (and shuts it down)."""
    yield {}


def run_one(task: Task) -> Outcome:
    """Execute the template for one partnership-year; replace the report only on success."""
    # Imported here, in the worker: papermill with nbformat takes 0.3 s to import (with the
    # grammars declined above), and the batch process, which imports this module for the
    # pool, never runs a notebook itself when it has workers.
    import papermill as pm

    from analysis.reporting.html import has_error, printed_text, to_html
    from analysis.reporting.template import check_parameters

    out = Path(task.out_dir) / task.partnership
    out.mkdir(parents=True, exist_ok=True)
    final_nb, final_html = out / f"{task.year}.ipynb", out / f"{task.year}.html"
    final_json = out / f"{task.year}.json"
    failed_nb = out / f"{task.year}.failed.ipynb"
    with tempfile.TemporaryDirectory(dir=out, prefix=f".{task.year}-") as tmp:
        tmp_nb, tmp_json = Path(tmp) / "report.ipynb", Path(tmp) / "result.json"
        params = {
            "partnership": task.partnership,
            "year": task.year,
            "data_dir": task.data_dir,
            "results_path": str(tmp_json),
            "tables_dir": task.tables_dir or None,
        }
        check_parameters(params)
        try:
            with _WARM.notebook(str(config.NOTEBOOKS_DIR)) if task.warm else _fresh() as kernel:
                nb = pm.execute_notebook(
                    str(config.EVALUATION_TEMPLATE),
                    str(tmp_nb),
                    parameters=params,
                    kernel_name=config.KERNEL_NAME,
                    progress_bar=False,
                    cwd=str(config.NOTEBOOKS_DIR),
                    request_save_on_cell_execute=False,
                    kernel_manager_class=IPCKernelManager,
                    execution_timeout=config.CELL_TIMEOUT,  # a hung cell fails this report only
                    **kernel,
                )
        except Exception as exc:  # PapermillExecutionError and kernel failures alike
            _keep_failed(tmp_nb, failed_nb)
            return Outcome(task, False, describe(exc))
        if has_error(nb) or not tmp_json.exists():
            _WARM.discard()
            _keep_failed(tmp_nb, failed_nb)
            return Outcome(task, False, "the notebook finished with an error cell")
        if printed := printed_text(nb):
            _keep_failed(tmp_nb, failed_nb)
            return Outcome(
                task, False, f"the notebook printed text the report would show: {printed}"
            )
        title = json.loads(tmp_json.read_text(encoding="utf-8"))["partnership_name"]
        tmp_html = Path(tmp) / "report.html"
        try:  # a full disk: the temporary folder goes, the previous good report stays
            tmp_html.write_text(to_html(nb, f"{title} {task.year}"), encoding="utf-8")
            if task.drawings_dir:
                drawings.move(Path(tmp), Path(task.drawings_dir), task.partnership, task.year)
            for src, dst in ((tmp_nb, final_nb), (tmp_html, final_html), (tmp_json, final_json)):
                os.replace(src, dst)
        except OSError as exc:
            return Outcome(task, False, f"cannot write into {out} ({exc.strerror or exc})")
    failed_nb.unlink(missing_ok=True)
    return Outcome(task, True)


def write_status(job: StatusJob) -> StatusOutcome:
    """Write one year's status HTML and Word document, in the worker's warm kernel when it has
    one (the modules it needs are imported there already; a worker would spend 1.9 s importing
    them), else here; the same function writes the same bytes either way (tested). A failure
    is returned, not raised."""
    try:
        if _WARM.alive:
            year, html, pdf, title, description = _WARM.call(
                "analysis.reporting.runner",
                "write_status",
                job.out_dir,
                job.year,
                job.saved,
                job.drawings_dir,
            )
            page = Page(year, Path(html), Path(pdf), title, description)
        else:
            # imported here: the figures' and Word's modules, which a worker with a warm
            # kernel, and the batch process, never need
            from analysis.reporting.status import write_year

            page = write_year(
                Path(job.out_dir),
                job.year,
                [Path(p) for p in job.saved],
                Path(job.drawings_dir) if job.drawings_dir else None,
            )
    except Exception as exc:
        return StatusOutcome(job, None, describe(exc))
    return StatusOutcome(job, page)


def _keep_failed(notebook: Path, failed: Path) -> None:
    """Keep the failed run's notebook for a look, when there is room for it."""
    if not notebook.exists():
        return
    try:
        shutil.copy(notebook, failed)
    except OSError:
        failed.unlink(missing_ok=True)


def describe(exc: Exception) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc) else ''}"


def start_pool(workers: int, warm: bool = True) -> ProcessPoolExecutor | None:
    """The batch's worker processes, started now (None for one worker: the batch process does
    the work itself). Each worker arms :func:`die_with_parent` and, with warm kernels, starts
    its kernel and imports what a report needs before it is handed one, so that a pool started
    first does that while the batch process imports its modules and plans."""
    if workers <= 1:
        return None
    # spawn, not fork: a forked child of a process with threads (pyarrow, tqdm) can hang
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), warm),
    )
    for _ in range(workers):  # the pool starts a process per job it has no idle one for
        pool.submit(_started)
    return pool


def _started() -> None:
    """A worker's first job: none (its initializer has warmed it up)."""


def _start_worker(batch: int, warm: bool) -> None:
    die_with_parent(batch)
    os.environ[config.BATCH_PID_VAR] = str(batch)  # names its kernel's IPC folder
    if warm:
        try:  # the imports and the kernel the first report needs, while the batch plans
            import papermill  # noqa: F401

            from analysis.reporting.html import exporter

            exporter()
            _WARM.start(str(config.NOTEBOOKS_DIR))
        except Exception:  # the first report starts the kernel again, and says what fails
            _WARM.discard()


def die_with_parent(parent: int) -> None:
    """The kernel (Linux) kills this worker when the batch process dies, even by ``kill -9``,
    so that nothing writes into the output after the batch has gone (the worker's kernel then
    sees its parent gone and exits by itself). A worker that ends normally shuts its warm
    kernel down first (multiprocessing runs no atexit hooks)."""

    multiprocessing.util.Finalize(None, discard_kernel, exitpriority=10)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the batch died before the signal was armed
        os._exit(1)
