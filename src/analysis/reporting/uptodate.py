"""A re-run of the batch with nothing changed, decided from file hashes alone.

The batch's own skips (each report, status document and the index by its content key) need the
validated tables and the package's heavy modules, which take seconds to import; a re-run with
nothing changed should take a fraction of a second. So a complete run without failures records
one key over everything it was made from — every file of the data folder, every source of
:mod:`analysis.content_key`, the request — with the outputs it wrote; a later run whose key is
the same and whose outputs are all still there says so and stops, before the batch is imported.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from analysis import config
from analysis.content_key import content_key, source_digests

MANIFEST = "manifest.json"
LOCK = ".batch.lock"


def request_key(data_dir: Path, request: dict[str, Any], sources: dict | None = None) -> str:
    """The key of one request (partnership, year, kernels) of the batch on ``data_dir``."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    inputs = {
        p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
    }
    return content_key("batch", data_dir, inputs, request, sources or source_digests())


def unchanged(out: Path, key: str) -> int | None:
    """The number of evaluations the recorded run made, when ``key`` is the recorded run's and
    every output it wrote is there (and no batch is running in ``out``); None otherwise."""
    if (out / LOCK).exists():
        return None
    try:
        run = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("batch", {})
    except (OSError, json.JSONDecodeError):
        return None
    if run.get("key") != key or not all(Path(p).exists() for p in run.get("outputs", [])):
        return None
    return int(run.get("evaluations", 0))


def record(manifest: dict, key: str, outputs: list[Path], evaluations: int) -> None:
    manifest["batch"] = {
        "key": key,
        "outputs": sorted(str(p) for p in outputs),
        "evaluations": evaluations,
    }


def check(
    partnership: str | None,
    year: int | None,
    data_dir: str | None,
    out: Path,
    processed_dir: Path | None,
    fresh_kernels: bool,
    force: bool = False,
    sources: dict | None = None,
) -> str | None:
    """The key of this request of the batch; None, with the summary printed, when nothing has
    changed since the recorded run (the caller then stops; never when ``force``)."""
    request = {
        "partnership": partnership,
        "year": year,
        "fresh_kernels": fresh_kernels,
        "out": str(out.resolve()),
        "processed": str((processed_dir or config.PROCESSED_DIR).resolve()),
    }
    key = request_key(Path(data_dir) if data_dir else config.DEFAULT_DATA_DIR, request, sources)
    done = None if force else unchanged(out, key)
    if done is None:
        return key
    print(
        f"{done} evaluations: 0 rendered, {done} unchanged (skipped), 0 failed. "
        f"Index: {out / 'index.html'}",
        file=sys.stderr,
    )
    return None
