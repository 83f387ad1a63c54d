"""``python -m analysis reports``: papermill runs of the template per partnership and year.

The runs are shared out to worker processes (:mod:`analysis.reporting.worker`), each with one
kernel kept warm for its notebooks (IPC transport, so parallel kernels cannot race for TCP
ports). Failures do not stop the other runs; the summary names each with its error, and the
exit status is 1 if any failed.

Each report's kernel saves its evaluation (``<year>.json``, :mod:`analysis.evaluation.saved`);
the index, the results table and the status documents are rendered from those saved
evaluations, never evaluated again. Every output is keyed by :func:`analysis.content_key`
(``reports/manifest.json``): a run whose key is unchanged since the last good run is skipped,
and a re-run with nothing changed reads and writes nothing; ``--force`` re-makes everything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import sys
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import pandas as pd
import psutil
from tqdm import tqdm

from analysis import config
from analysis.agreements import agreement_for, load_agreements
from analysis.atomic import write_text
from analysis.content_key import content_key, source_digests
from analysis.errors import InputError
from analysis.evaluation import evaluable_years, write_results
from analysis.evaluation.model import combined_digest
from analysis.evaluation.public import results_frame
from analysis.loaders import load_dataset
from analysis.loaders.dataset import processed_dir_of
from analysis.reporting import uptodate
from analysis.reporting.index import collect, write_index
from analysis.reporting.pdf import Printer
from analysis.reporting.worker import (
    Outcome,
    StatusJob,
    StatusOutcome,
    Task,
    describe,
    discard_kernel,
    run_one,
    start_pool,
    write_status,
)

MANIFEST = "manifest.json"
DRAWINGS_PREFIX = ".drawings-"


def plan(
    partnership: str | None,
    year: int | None,
    data_dir: str | None,
    out_dir: Path,
    processed_dir: Path | None = None,
    warm: bool = True,
    sources: dict | None = None,
) -> tuple[list[Task], object]:
    """The tasks to consider (every partnership-year with data, or the chosen subset)."""
    # validates and caches once, before any kernel starts
    dataset = load_dataset(data_dir, processed_dir=processed_dir)
    tables_dir = str(processed_dir_of(dataset, processed_dir))
    agreements = load_agreements()
    pairs = evaluable_years(dataset, agreements)
    if partnership is not None or year is not None:
        if partnership is not None and year is not None:
            agreement_for(partnership, year, agreements)  # a clear error when out of period
        pairs = [
            (p, y)
            for p, y in pairs
            if (partnership is None or p == partnership) and (year is None or y == year)
        ]
        if not pairs:
            raise LookupError(f"no data to evaluate for partnership={partnership}, year={year}")
    sources = sources or source_digests()
    tasks = [
        Task(
            p,
            y,
            data_dir,
            str(out_dir),
            content_key(
                "report", dataset.source_dir, dataset.inputs, {"partnership": p, "year": y}, sources
            ),
            tables_dir,
            warm,
        )
        for p, y in pairs
    ]
    return tasks, dataset


def run_reports(
    partnership: str | None = None,
    year: int | None = None,
    workers: int | None = None,
    force: bool = False,
    data_dir: str | None = None,
    out_dir: str | None = None,
    processed_dir: Path | None = None,
    fresh_kernels: bool = False,
    pool: ProcessPoolExecutor | None = None,
) -> int:
    """Run the batch; print a summary; 0 when everything succeeded, 1 otherwise.

    Each worker keeps one kernel for its notebooks (:class:`WarmKernel`); ``fresh_kernels``
    starts a new kernel for every notebook instead (slower, the same reports). ``pool``: the
    workers, when the caller started them before importing this module
    (:func:`~analysis.reporting.worker.start_pool`); otherwise they start here, and warm up
    while this process plans.

    The index and the results table cover every good report in ``out_dir`` made from the same
    dataset, so a run for one partnership-year leaves the others listed.
    """
    out = Path(out_dir) if out_dir else config.REPORTS_DIR
    data_dir = str(Path(data_dir).resolve()) if data_dir else None
    sources = source_digests()  # once for every key of this run
    key = uptodate.check(
        partnership, year, data_dir, out, processed_dir, fresh_kernels, force, sources
    )
    if key is None:
        _kill_pool(pool)
        return 0
    if pool is None:
        pool = start_pool(workers or os.cpu_count() or 1, warm=not fresh_kernels)
    try:
        # input errors before any output
        tasks, dataset = plan(
            partnership, year, data_dir, out, processed_dir, not fresh_kernels, sources
        )
        out.mkdir(parents=True, exist_ok=True)
        with batch_lock(out):
            return _run_locked(tasks, dataset, out, pool, force, processed_dir, sources, key)
    finally:  # the workers of a run stopped by an input error or another batch's lock
        _kill_pool(pool)


def _record_run(manifest: dict, out: Path, tasks: list[Task], dataset, processed_dir, key) -> None:
    """A complete run without failures: its key and outputs, for :mod:`uptodate` (not when a
    PDF was skipped: the next run tries again)."""
    results = (processed_dir or config.PROCESSED_DIR) / f"{dataset.name}_results"
    outputs = [out / "index.html", results.with_suffix(".csv"), results.with_suffix(".parquet")]
    for t in tasks:
        outputs += [out / t.partnership / f"{t.year}.{ext}" for ext in ("ipynb", "html", "json")]
    for year in {t.year for t in tasks}:
        outputs += [out / "status" / f"{year}.{ext}" for ext in ("html", "docx", "pdf")]
    if all(p.exists() for p in outputs):
        uptodate.record(manifest, key, outputs, len(tasks))


def _run_locked(
    tasks: list[Task],
    dataset,
    out: Path,
    pool: ProcessPoolExecutor | None,
    force: bool,
    processed_dir: Path | None,
    sources: dict,
    key: str,
) -> int:
    manifest_path = out / MANIFEST
    manifest = _read_manifest(manifest_path)
    todo = [t for t in tasks if force or not _up_to_date(t, manifest, out)]
    outcomes = [Outcome(t, True, skipped=True) for t in tasks if t not in todo]
    # this run's survey figures, as the reports' kernels draw them for the status documents
    # (removed with the batch's other temporary folders when it ends)
    drawn = tempfile.mkdtemp(dir=out, prefix=DRAWINGS_PREFIX)
    todo = [dataclasses.replace(t, drawings_dir=drawn) for t in todo]
    status = _status_jobs(tasks, dataset, out, manifest, force, sources, drawn)
    run = _Run(todo, status)
    # Ctrl-C or SIGTERM anywhere in the run stops it the same way: the browser and the workers
    # stopped, what finished kept (a status document or the index whose work was cut short is
    # not recorded, so the next run makes it), exit status 130
    try:
        if todo or status:
            run.execute(pool)
        outcomes += _record(run.outcomes, manifest)
        notes = run.status_notes() + _status_pdfs(run, manifest)
        notes += _index_and_results(dataset, out, outcomes, manifest, force, sources, processed_dir)
        run.join_workers()
    except KeyboardInterrupt:
        run.printer.abort()
        _kill_pool(pool)
        _record(run.outcomes, manifest)
        _write_json(manifest_path, manifest)
        finished = sum(1 for o in run.outcomes if o.ok)
        print(
            f"interrupted: {finished} of {len(todo)} evaluations finished and kept; run "
            "again to continue",
            file=sys.stderr,
        )
        return 130
    failed = [o for o in outcomes if not o.ok]
    status_failed = any(n.startswith("FAILED") for n in notes)
    if not failed and not status_failed:
        _record_run(manifest, out, tasks, dataset, processed_dir, key)
    _write_json(manifest_path, manifest)
    ran = sum(1 for o in outcomes if o.ok and not o.skipped)
    skipped = sum(1 for o in outcomes if o.skipped)
    print(
        f"{len(outcomes)} evaluations: {ran} rendered, {skipped} unchanged (skipped), "
        f"{len(failed)} failed. Index: {out / 'index.html'}",
        file=sys.stderr,
    )
    results_dir = processed_dir or config.PROCESSED_DIR
    print(
        f"  reports: {out}/<partnership>/<year>.html (.ipynb, .json); status documents: "
        f"{out / 'status'}/<year>.html, .pdf and .docx; results table: "
        f"{results_dir / dataset.name}_results.csv and .parquet",
        file=sys.stderr,
    )
    for o in failed:
        print(f"  FAILED {o.task.name}: {o.error}", file=sys.stderr)
    for note in notes:
        print(f"  {note}", file=sys.stderr)
    return 1 if failed or status_failed else 0


def _record(outcomes: list[Outcome], manifest: dict) -> list[Outcome]:
    """Each finished report's key in the manifest (the next run skips it); ``outcomes``."""
    for o in outcomes:
        if o.ok and not o.skipped:
            manifest[o.task.name] = o.task.key
    return outcomes


def _index_and_results(
    dataset, out: Path, outcomes: list[Outcome], manifest: dict, force: bool, sources, processed_dir
) -> list[str]:
    """The index page and the results table, from every saved evaluation in ``out`` made from
    this dataset; neither is touched when its content key is unchanged. Returns summary lines."""
    made = {k: v for k, v in manifest.items() if "/" in k}  # every report and status document
    failed = sorted(o.task.name for o in outcomes if not o.ok)
    key = content_key(
        "results", dataset.source_dir, dataset.inputs, {"made": made, "failed": failed}, sources
    )
    results_dir = processed_dir or config.PROCESSED_DIR
    table = results_dir / f"{dataset.name}_results.parquet"
    kept = manifest.get("index", {})
    if not force and kept.get("key") == key and (out / "index.html").exists() and table.exists():
        return kept.get("notes", [])
    evaluations, notes = collect(out, dataset.name)
    write_index(out, dataset, outcomes, evaluations)
    versions = {combined_digest(ev.provenance["inputs_sha256"]) for ev in evaluations}
    if len(versions) > 1:
        notes.append(
            f"note: the index and results table hold reports made on {len(versions)} "
            "versions of the input data; --force remakes them all on the current data"
        )
    if evaluations:  # the batch, not the index, writes the results table
        frame = pd.concat([results_frame(ev) for ev in evaluations], ignore_index=True)
        write_results(frame, dataset.name, processed_dir)
    manifest["index"] = {"key": key, "notes": notes}
    return notes


def _status_jobs(
    tasks: list[Task], dataset, out: Path, manifest: dict, force: bool, sources, drawn: str
) -> dict[int, StatusJob]:
    """The committee's yearly status documents (HTML, Word and PDF) to make for the years of
    ``tasks``, from the saved evaluations of each year's reports; a year whose key is unchanged
    and whose files are there is left as it is."""
    by_year: dict[int, list[Task]] = {}
    for t in tasks:
        by_year.setdefault(t.year, []).append(t)
    folder = out / "status"
    jobs = {}
    for year, group in sorted(by_year.items()):
        names = sorted(t.name for t in group)
        key = content_key(
            "status", dataset.source_dir, dataset.inputs, {"year": year, "made": names}, sources
        )
        if (
            force
            or manifest.get(f"status/{year}") != key
            or not all((folder / f"{year}.{ext}").exists() for ext in ("html", "docx"))
        ):
            saved = tuple(str(out / t.partnership / f"{t.year}.json") for t in group)
            jobs[year] = StatusJob(str(out), year, saved, key, drawn)
    return jobs


def _status_pdfs(run: _Run, manifest: dict) -> list[str]:
    """Print the status documents' PDFs (the browser started with the first of them); a year
    is recorded as made only with its PDF (a skipped PDF is tried again by the next run).
    Returns summary lines."""
    written = [o for o in run.pages if o.page is not None]
    notes = []
    for o, note in zip(written, run.printer.close(), strict=True):
        if note:
            notes.append(note)
        else:
            manifest[f"status/{o.job.year}"] = o.job.key
    return list(dict.fromkeys(notes))


class _Run:
    """The reports to render and the status documents to write, shared out to the workers.

    The reports go first, in year order, so that a year's status document can be written
    (in whichever worker is free) as soon as the last of that year's reports is done, while
    the others still render; a year with a failed report keeps its previous document.
    """

    def __init__(self, tasks: list[Task], status: dict[int, StatusJob]) -> None:
        self.tasks = sorted(tasks, key=lambda t: (t.year, t.partnership))
        self.status = status
        self.waiting = {year: {t.name for t in self.tasks if t.year == year} for year in status}
        self.outcomes: list[Outcome] = []
        self.pages: list[StatusOutcome] = []
        self.printer = Printer()  #: each written status document's PDF, printed at once
        self.exiting: list = []  #: the workers, once they have been told to exit
        self.tty = sys.stderr.isatty()
        self.bar = tqdm(
            total=len(self.tasks),
            desc="rapporter",
            unit="rapport",
            file=sys.stderr,
            disable=not self.tty,
        )

    def ready(self) -> list[StatusJob]:
        """The status documents whose reports are all done, each returned once."""
        jobs = [self.status.pop(y) for y, left in list(self.waiting.items()) if not left]
        for job in jobs:
            del self.waiting[job.year]
        return jobs

    def report_done(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if outcome.ok:
            self.waiting.get(outcome.task.year, set()).discard(outcome.task.name)
        else:  # the year's document stays as it was
            self.waiting.pop(outcome.task.year, None)
        self.bar.set_postfix_str(outcome.task.name)
        self.bar.update()
        if not self.tty:  # a log file gets one line per evaluation instead of a bar
            state = "ok" if outcome.ok else f"FAILED ({outcome.error})"
            print(
                f"[{len(self.outcomes)}/{len(self.tasks)}] {outcome.task.name} {state}",
                file=sys.stderr,
                flush=True,
            )

    def status_done(self, outcome: StatusOutcome) -> None:
        self.pages.append(outcome)
        if outcome.page is not None:
            self.printer.add(outcome.page)
        if not self.tty:
            state = "written" if outcome.page else f"FAILED ({outcome.error})"
            print(f"status {outcome.job.year} {state}", file=sys.stderr, flush=True)

    def status_notes(self) -> list[str]:
        failed_years = {o.task.year for o in self.outcomes if not o.ok}
        notes = [
            f"status {year} not remade: a report of that year failed"
            for year in sorted(failed_years)
        ]
        return notes + [
            f"FAILED status documents {o.job.year}: {o.error}" for o in self.pages if not o.page
        ]

    def execute(self, pool: ProcessPoolExecutor | None) -> None:
        """Everything, in the pool's workers (or in this process when there is none), then the
        pool shut down; KeyboardInterrupt (Ctrl-C, SIGTERM) stops it at once with the workers
        and their kernels killed."""
        try:
            if pool is None:
                self._here()
            else:
                self._pool(pool)
        finally:
            self.bar.close()

    def _here(self) -> None:
        try:
            for t in self.tasks:
                self.report_done(run_one(t))
                for job in self.ready():
                    self.status_done(write_status(job))
            for job in self.ready():  # years whose reports were all up to date
                self.status_done(write_status(job))
            discard_kernel()
        except KeyboardInterrupt:
            _stop(psutil.Process().children(recursive=True))
            raise

    def _pool(self, pool: ProcessPoolExecutor) -> None:
        try:
            pending = {pool.submit(run_one, t): t for t in self.tasks}
            pending |= {pool.submit(write_status, job): job for job in self.ready()}
            while pending:
                # a signal stops the run within 0.2 s, once what the wait brought is recorded
                with _interrupts_deferred():
                    finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    self._collect(finished, pending)
                for job in self.ready():
                    pending[pool.submit(write_status, job)] = job
        except KeyboardInterrupt:
            _kill_pool(pool)
            raise
        # the workers shut their kernels down while this process goes on (:meth:`join_workers`)
        self.exiting = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False)

    def _collect(self, finished, pending: dict) -> None:
        """The outcomes of the finished jobs (a worker that died: a failed one)."""
        for f in finished:
            what = pending.pop(f)
            try:
                result = f.result()
            except Exception as exc:  # a worker that died
                result = (
                    Outcome(what, False, describe(exc))
                    if isinstance(what, Task)
                    else StatusOutcome(what, None, describe(exc))
                )
            if isinstance(what, Task):
                self.report_done(result)
            else:
                self.status_done(result)

    def join_workers(self) -> None:
        """Wait for the workers to have shut their kernels down and exited."""
        for process in self.exiting:
            process.join()


def _kill_pool(pool: ProcessPoolExecutor | None) -> None:
    """Kill the pool's workers and their kernels at once (none are left after a shutdown)."""
    if pool is None:
        return
    _stop(list((getattr(pool, "_processes", None) or {}).values()))
    # with the workers dead, joining the pool's manager thread is quick; left running, it
    # races the interpreter's exit hook over a closed pipe (a traceback at exit)
    pool.shutdown(wait=True, cancel_futures=True)
    _remove_kernel_folders()


#: Ctrl-C and SIGTERM raise KeyboardInterrupt wherever the batch is, except while it waits for
#: its workers (:func:`_interrupts_deferred`); once raised, a second signal is dropped (the
#: batch is stopping already)
_SIGNALS = {"deferred": False, "pending": False, "raised": False}


def _raise_interrupt(signum, frame) -> None:
    if _SIGNALS["raised"]:
        return
    if _SIGNALS["deferred"]:
        _SIGNALS["pending"] = True
        return
    _SIGNALS["raised"] = True
    raise KeyboardInterrupt


@contextlib.contextmanager
def _interrupts_deferred():
    """A signal inside the block raises KeyboardInterrupt when the block ends. For
    ``concurrent.futures.wait``: raised while it takes the futures' locks one by one, an
    interrupt can leave some of them held, and the pool's shutdown then waits for ever on the
    thread that needs them (one test run saw a batch not stop within 300 s after SIGTERM). The
    block must end soon (a wait with a timeout)."""
    _SIGNALS["deferred"] = True
    try:
        yield
    finally:
        _SIGNALS["deferred"] = False
    if _SIGNALS["pending"]:
        _SIGNALS["pending"], _SIGNALS["raised"] = False, True
        raise KeyboardInterrupt


@contextlib.contextmanager
def batch_lock(out: Path):
    """One batch at a time per output folder: a second one is refused with a clear message; a
    lock left by a batch that no longer runs is taken over."""
    lock = out / ".batch.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and psutil.pid_exists(pid) and pid != os.getpid():
                raise InputError(
                    out,
                    f"another batch (process {pid}) is writing here; wait for "
                    "it to finish, or give --out another folder",
                ) from None
            lock.unlink(missing_ok=True)  # left by a batch that has stopped
    else:
        raise InputError(out, "cannot take the batch lock (.batch.lock)")
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    # a batch started in the background by a shell script inherits SIGINT as ignored: Ctrl-C
    # and kill -INT must stop it all the same
    _SIGNALS.update(deferred=False, pending=False, raised=False)
    previous_int = signal.signal(signal.SIGINT, _raise_interrupt)
    os.environ[config.BATCH_PID_VAR] = str(os.getpid())
    try:
        yield
    finally:
        # the clean-up is not cut short: a second signal while it runs is dropped
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _remove_leftovers(out)
        lock.unlink(missing_ok=True)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def _remove_kernel_folders() -> None:
    """The IPC folders of this batch's kernels (a killed kernel leaves its own)."""
    for d in Path(tempfile.gettempdir()).glob(f"kernel-ipc-{os.getpid()}-*"):
        shutil.rmtree(d, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Temporary folders of this batch: its kernels' IPC folders, unfinished runs and the
    run's survey figures (one batch at a time writes here: any such folder is left over)."""
    _remove_kernel_folders()
    for d in [*out.glob("*/.[0-9][0-9][0-9][0-9]-*"), *out.glob(f"{DRAWINGS_PREFIX}*")]:
        shutil.rmtree(d, ignore_errors=True)
    for d in out.iterdir():
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()  # a partnership folder an interrupted run made and left empty


def _stop(processes) -> None:
    """Kill worker processes and everything they started (their kernels), at once."""
    for p in processes:
        try:
            proc = psutil.Process(p.pid)
            for child in proc.children(recursive=True):
                child.kill()
            proc.kill()
        except psutil.NoSuchProcess:
            pass


def _up_to_date(task: Task, manifest: dict, out: Path) -> bool:
    folder = out / task.partnership
    return manifest.get(task.name) == task.key and all(
        (folder / f"{task.year}.{ext}").exists() for ext in ("ipynb", "html", "json")
    )


def _read_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_json(path: Path, data: dict) -> None:
    write_text(path, json.dumps(data, indent=1, sort_keys=True))
