"""The tidy results table written to data/processed (cheap: no statistics are loaded)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import config


def write_results(
    results: pd.DataFrame, name: str, processed_dir: Path | None = None
) -> tuple[Path, Path]:
    """Write ``<name>_results.csv`` and ``.parquet`` to data/processed (via temporary files)."""
    out = processed_dir or config.PROCESSED_DIR
    out.mkdir(parents=True, exist_ok=True)
    csv_path, pq_path = out / f"{name}_results.csv", out / f"{name}_results.parquet"
    for path, write in (
        (csv_path, lambda p: results.to_csv(p, index=False)),
        (pq_path, lambda p: results.to_parquet(p, index=False)),
    ):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        write(tmp)
        os.replace(tmp, path)
    return csv_path, pq_path
