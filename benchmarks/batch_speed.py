"""Wall time of the full report batch against its two limits, and of a re-run with nothing changed.

- **The papermill floor**: the same number of papermill runs, on the same workers, of a notebook
  that only imports pandas, statsmodels, seaborn and ``analysis`` in a new kernel each: what a
  batch of notebooks costs before it does any work.
- **The work itself**: the same evaluations and renders (the template's cells, their blocks
  formatted as a kernel's ``display`` formats them, and the status documents' HTML and Word) in
  one Python process, without any kernel.

Goals (issue 22): the 17 reports at most 0.5 x the floor, the whole batch (reports, index,
status HTML, Word and PDF) at most 0.75 x the floor, the ten status PDFs at most a fifth of the
time one Chromium per PDF takes (the way before, which printed them in series after the status
documents: measured here alone on the batch's ten pages). The PDFs' time in the batch runs from
the last status document to the last PDF written; the browser starts earlier, beside the
workers, so the same printing is also measured alone with the browser's start. A re-run with
nothing changed at most 2 % of a full run. The parts of the batch are timed
inside it (this script runs the batch in its own process, with the batch's functions wrapped in
timers).

Wall times on a small shared machine vary by several per cent from run to run, and noise only
ever adds time, so the measurements are interleaved for ``--rounds`` rounds (default 2) and the
best of each is compared, as ``timeit`` does; every measurement is printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

# Nothing heavy at the top: the timed batch runs this script as its main module, and its spawned
# workers import it again, so a module-level ``import nbformat`` (jsonschema's grammars, 1.2 s)
# charged the batch a cost the command line does not have. The functions import what they use.

WORKERS = 2


def _floor_run(args: tuple[str, str]) -> None:
    import papermill as pm

    from analysis import config
    from analysis.reporting.kernel import IPCKernelManager

    src, dst = args
    pm.execute_notebook(
        src,
        dst,
        kernel_name=config.KERNEL_NAME,
        progress_bar=False,
        kernel_manager_class=IPCKernelManager,
    )


def floor(n: int, tmp: Path) -> float:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas, statsmodels, seaborn, analysis")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    src = tmp / "imports_only.ipynb"
    nbformat.write(nb, src)
    start = time.perf_counter()
    with ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn")) as pool:
        list(pool.map(_floor_run, [(str(src), str(tmp / f"out{i}.ipynb")) for i in range(n)]))
    return time.perf_counter() - start


def batch(out: Path, force: bool) -> dict[str, float]:
    """One batch in a process of its own; its parts as it timed them."""
    cmd = [sys.executable, __file__, "--timed-batch", str(out)] + (["--force"] if force else [])
    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    parts = dict(line.split("=") for line in done.stdout.split() if "=" in line)
    return {"total": time.perf_counter() - start, **{k: float(v) for k, v in parts.items()}}


def rerun(out: Path) -> float:
    """A re-run with nothing changed, as a user starts it (the command line decides it before
    the batch's modules are imported)."""
    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "reports",
        "--workers",
        str(WORKERS),
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def timed_batch(out: str, force: bool) -> None:
    """The batch, with its parts timed (run by :func:`batch`): ``reports`` from the start of the
    workers (started first, as the command line starts them, to warm up while the batch
    process imports and plans; the floor's pool, too, starts inside its timer) to the last
    report done, ``status`` to the last status document's HTML and Word written (they are
    written in the workers as each year's reports are done, so the two overlap), ``pdfs`` the
    printing of every PDF afterwards, in one browser (started with the first status
    document)."""
    from analysis.reporting.worker import start_pool

    started = time.perf_counter()
    pool = start_pool(WORKERS)
    from analysis.reporting import batch as b

    spent: dict[str, float] = {}

    def since_start(name: str, label: str) -> None:
        inner = getattr(b._Run, name)

        def wrapper(self, *args, **kwargs):
            result = inner(self, *args, **kwargs)
            spent[label] = time.perf_counter() - started
            return result

        setattr(b._Run, name, wrapper)

    since_start("report_done", "reports")
    since_start("status_done", "status")
    pdfs = b._status_pdfs

    def timed_pdfs(*args, **kwargs):
        t = time.perf_counter()
        try:
            return pdfs(*args, **kwargs)
        finally:
            spent["pdfs"] = time.perf_counter() - t

    b._status_pdfs = timed_pdfs
    b.run_reports(workers=WORKERS, out_dir=out, force=force, pool=pool)
    print(" ".join(f"{k}={v:.3f}" for k, v in spent.items()))


def one_browser_per_pdf(out: Path, tmp: Path) -> float:
    """The status PDFs printed as they were before one browser printed them all: a Chromium
    started for each (``--print-to-pdf``), each PDF then finished the same way."""
    from analysis.reporting import chromium
    from analysis.reporting.pdf import finish

    start = time.perf_counter()
    for html in sorted((out / "status").glob("*.html")):
        pdf = tmp / f"{html.stem}.pdf"
        chromium.run("--generate-pdf-document-outline", f"--print-to-pdf={pdf}", html.as_uri())
        finish(pdf, html.stem, "")
    return time.perf_counter() - start


def one_browser_for_all(out: Path, tmp: Path) -> float:
    """The same status PDFs printed the way the batch prints them, alone as the above: one
    browser for them all (:func:`analysis.reporting.pdf.print_pdfs`)."""
    from analysis.reporting.pdf import Page, print_pdfs

    pages = [
        Page(int(html.stem), html, tmp / f"all-{html.stem}.pdf", html.stem, "")
        for html in sorted((out / "status").glob("*.html"))
    ]
    start = time.perf_counter()
    assert print_pdfs(pages) == [""] * len(pages)
    return time.perf_counter() - start


def in_process() -> float:
    """The same evaluations and renders in this process, no kernel (imports not counted)."""
    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from analysis import config
    from analysis.agreements import load_agreements
    from analysis.evaluation import evaluable_years
    from analysis.loaders import load_dataset
    from analysis.reporting import blocks, drawings, runner  # noqa: F401
    from analysis.reporting.status import write_year

    template = nbformat.read(config.EVALUATION_TEMPLATE, as_version=4)
    skip = {"parameters", "nbval-only", "template-only"}
    cells = [
        c.source
        for c in template.cells
        if c.cell_type == "code" and not skip.intersection(c.metadata.get("tags", []))
    ]
    dataset = load_dataset()
    pairs = evaluable_years(dataset, load_agreements())
    formats = DisplayFormatter()  # what a kernel's display() runs (no shell: it takes __main__)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        by_year: dict[int, list] = {}
        drawn = Path(tmp) / "drawings"  # the survey figures, drawn once, as the batch keeps them
        drawn.mkdir()
        for p, y in pairs:
            shown: list[str] = []
            path = Path(tmp) / p / f"{y}.json"
            namespace = {
                "partnership": p,
                "year": y,
                "data_dir": None,
                "results_path": str(path),
                "tables_dir": None,
                "display": lambda x, shown=shown: shown.append(formats.format(x)),
            }
            for source in cells:
                exec(source, namespace)
            drawings.move(path.parent, drawn, p, y)
            by_year.setdefault(y, []).append(path)
        for year, paths in by_year.items():
            write_year(Path(tmp), year, paths, drawn)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, metavar="N", help="interleaved rounds")
    parser.add_argument("--timed-batch", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.timed_batch:
        timed_batch(args.timed_batch, args.force)
        return
    floors, fulls, reruns, works, singles, alls = [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        for i in range(args.rounds):
            fulls.append(batch(out, force=True))
            n = len([p for p in out.glob("*/*.html") if p.parent.name != "status"])
            reruns.append(rerun(out))
            floors.append(floor(n, Path(tmp)))
            works.append(in_process())
            singles.append(one_browser_per_pdf(out, Path(tmp)))
            alls.append(one_browser_for_all(out, Path(tmp)))
            f = fulls[-1]
            print(
                f"round {i + 1}: floor {floors[-1]:.1f} s, full batch {f['total']:.1f} s "
                f"(from the workers' start, the reports done at {f['reports']:.1f} s, the "
                f"status documents' HTML and Word at {f['status']:.1f} s; then the PDFs "
                f"{f['pdfs']:.1f} s), "
                f"in-process work {works[-1]:.1f} s, the ten PDFs alone: one browser per PDF "
                f"{singles[-1]:.1f} s, one for all {alls[-1]:.1f} s, "
                f"re-run {reruns[-1]:.2f} s",
                flush=True,
            )
    base, work, again = min(floors), min(works), min(reruns)
    best = min(fulls, key=lambda f: f["total"])
    reports = min(f["reports"] for f in fulls)
    pdfs = min(f["pdfs"] for f in fulls)
    single, alone = min(singles), min(alls)
    print(f"papermill runs: {n}, workers: {WORKERS}, best of {args.rounds} round(s)")
    print(f"papermill floor (imports-only notebooks): {base:6.1f} s")
    print(f"in-process work (no kernel):              {work:6.1f} s")
    print(f"the {n} reports:  {reports:6.1f} s = {reports / base:.2f} x the floor (goal <= 0.5 x)")
    print(
        f"full batch:       {best['total']:6.1f} s = {best['total'] / base:.2f} x the floor "
        f"(goal <= 0.75 x), {best['total'] / work:.2f} x the in-process work"
    )
    print(
        f"status PDFs:      {pdfs:6.1f} s in the batch = {pdfs / single:.2f} x one browser per "
        f"PDF, the way before ({single:.1f} s alone on the same pages; goal <= 0.2 x); "
        f"alone, the one browser's start included: {alone:.1f} s = {alone / single:.2f} x"
    )
    print(
        f"re-run, nothing changed: {again:6.2f} s = {again / best['total']:.1%} of the full "
        f"batch (goal <= 2 %)"
    )


if __name__ == "__main__":
    main()
