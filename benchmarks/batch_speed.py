"""Wall time of the full report batch against its floor, and of a re-run with nothing changed.

The floor is the same number of papermill runs, with the same workers and kernels, of a
notebook that only imports pandas, statsmodels, seaborn and ``analysis``: what any batch of
notebooks costs before it does any work. Goals (issue 6): the batch at most 1.25 x the floor;
the re-run at most 5 % of the full batch.

Wall times on a small shared machine vary by several per cent from run to run, and noise only
ever adds time, so the measurements are interleaved for ``--rounds`` rounds (default 2) and
the best of each is compared, as ``timeit`` does; every measurement is printed.
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

import nbformat

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


def batch(out: Path, force: bool) -> float:
    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "reports",
        "--workers",
        str(WORKERS),
        "--out",
        str(out),
    ] + (["--force"] if force else [])
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    floors, fulls, reruns = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        for i in range(rounds):
            fulls.append(batch(out, force=True))
            n = len([p for p in out.glob("*/*.html") if p.parent.name != "status"])
            reruns.append(batch(out, force=False))
            floors.append(floor(n, Path(tmp)))
            print(
                f"round {i + 1}: floor {floors[-1]:.1f} s, full batch {fulls[-1]:.1f} s, "
                f"re-run {reruns[-1]:.2f} s",
                flush=True,
            )
    base, full, rerun = min(floors), min(fulls), min(reruns)
    print(f"papermill runs: {n}, workers: {WORKERS}, best of {rounds} round(s)")
    print(f"floor (imports-only notebooks): {base:6.1f} s")
    print(
        f"full batch:                     {full:6.1f} s  = {full / base:.2f} x the floor "
        f"(goal <= 1.25 x)"
    )
    print(
        f"re-run, nothing changed:        {rerun:6.1f} s  = {rerun / full:.1%} of the full "
        f"batch (goal <= 5 %)"
    )


if __name__ == "__main__":
    main()
