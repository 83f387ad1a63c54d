"""Peak memory of ``python -m analysis validate`` on survey CSVs of 1,000,000 and 5,000,000 rows.

Goal (issue 11): the peak stays within about 3x the file's size. Each run is a fresh process,
measured by the kernel (``ru_maxrss`` of the child); the interpreter with its imports is
measured the same way on a one-row file and printed as the baseline, and the ratio is given both
for the whole process and for what validating the file adds to that baseline. The files are
written by a child process too: a forked child starts with its parent's resident size, so the
measuring parent imports nothing large.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 1_000_000


def write_csv(path: Path, rows: int) -> None:
    """``rows`` synthetic respondents, written a million at a time (unique ids)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from _respondents import respondents

    for start in range(0, rows, CHUNK):
        part = respondents(min(CHUNK, rows - start), seed=start + 1)
        part["respondent_id"] = (part.index + start).astype(str)
        part.to_csv(path, index=False, mode="a" if start else "w", header=not start)


def peak_rss(path: Path) -> tuple[int, float]:
    """(peak resident bytes, seconds) of validating ``path`` in a fresh process."""
    t = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "analysis", "validate", str(path), "--kind", "survey"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"validate failed on {path}: {child.stderr.read().decode()}")
    return usage.ru_maxrss * 1024, time.perf_counter() - t


def write_in_child(path: Path, rows: int) -> None:
    subprocess.run([sys.executable, __file__, "--write", str(path), str(rows)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--write", nargs=2, metavar=("PATH", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_csv(Path(args.write[0]), int(args.write[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "one_row.csv"
        write_in_child(tiny, 1)
        base, _ = peak_rss(tiny)
        print(f"baseline (interpreter, imports, a one-row file): {base / 1e6:.0f} MB")
        for rows in args.rows:
            path = Path(tmp) / f"survey_{rows}.csv"
            write_in_child(path, rows)
            size = path.stat().st_size
            peak, seconds = peak_rss(path)
            print(
                f"{rows:>9,} rows, {size / 1e6:.0f} MB file: peak {peak / 1e6:.0f} MB "
                f"= {peak / size:.1f}x the file ({(peak - base) / size:.1f}x above the baseline; "
                f"goal about 3x), {seconds:.1f} s"
            )
            path.unlink()


if __name__ == "__main__":
    main()
