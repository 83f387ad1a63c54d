"""One content key for every cache: the SHA-256 of everything that shapes an output.

Each output declares the sources it is made from (:data:`DEPENDS`); its key hashes those
sources' files (path and bytes), the data folder's identity (its resolved path) and its input
files' hashes, and the output's parameters. The processed tables, each report's skip, the
evaluations, the status documents and the results table all take their key from
:func:`content_key`, so an edit to any file that shapes a result (``indicators.py``,
``config.py``, a stylesheet, an agreement, a reference table, the notebook template, an input
file) re-makes exactly the outputs made from it, and nothing is ever read from a cache made
by other code or other data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from analysis import config

Source = Literal["package", "agreements", "reference", "published", "notebook", "docs"]
Output = Literal["tables", "evaluation", "report", "status", "results", "batch"]

#: what each output is made from, besides the data folder and its parameters
DEPENDS: dict[Output, tuple[Source, ...]] = {
    # the loaders check partnership ids against the agreements and map with the reference
    "tables": ("package", "agreements", "reference"),
    "evaluation": ("package", "agreements", "reference", "published"),
    # the notebook renders the evaluation; the methods annex quotes the assumptions log
    "report": ("package", "agreements", "reference", "published", "notebook", "docs"),
    "status": ("package", "agreements", "reference", "published"),
    "results": ("package", "agreements", "reference", "published"),
    # a whole run of the batch (:mod:`analysis.reporting.uptodate`)
    "batch": ("package", "agreements", "reference", "published", "notebook", "docs"),
}


def _files(source: Source) -> tuple[Path, list[Path]]:
    """The folder of one source and its files (the package: every file but bytecode)."""
    if source == "package":
        root = config.PACKAGE_DIR
        return root, [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    if source == "agreements":
        return config.AGREEMENTS_DIR, list(config.AGREEMENTS_DIR.glob("*.yaml"))
    if source in ("reference", "published"):
        root = config.REFERENCE_DIR if source == "reference" else config.PUBLISHED_DIR
        return root, [p for p in root.iterdir() if p.is_file()]
    one = config.EVALUATION_TEMPLATE if source == "notebook" else config.ASSUMPTIONS_LOG
    return one.parent, [one]


def source_digest(source: Source) -> str:
    """SHA-256 over one source's files, each by its path inside the source and its bytes."""
    root, files = _files(source)
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def content_key(
    output: Output,
    data_dir: Path | str,
    inputs: Mapping[str, str],
    parameters: Mapping[str, Any] | None = None,
    sources: Mapping[Source, str] | None = None,
) -> str:
    """The key of one output made from the data folder ``data_dir`` (its input files' hashes
    ``inputs``) with ``parameters`` (JSON values). ``sources`` may hand in digests already
    computed by :func:`source_digests` (a batch computes them once for all its outputs)."""
    digests = sources if sources is not None else source_digests()
    h = hashlib.sha256()
    record = {
        "output": output,
        "sources": {s: digests[s] for s in DEPENDS[output]},
        "data_dir": str(Path(data_dir).resolve()),
        "inputs": dict(inputs),
        "parameters": dict(parameters or {}),
    }
    h.update(json.dumps(record, sort_keys=True, default=str).encode())
    return h.hexdigest()


def source_digests() -> dict[Source, str]:
    """Every source's digest, once (see :func:`content_key`)."""
    return {s: source_digest(s) for s in get_args(Source)}
