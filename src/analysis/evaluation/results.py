"""The tidy results table written to data/processed (cheap: no statistics are loaded)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.atomic import write_atomically


def write_results(
    results: pd.DataFrame, name: str, processed_dir: Path | None = None
) -> tuple[Path, Path]:
    """Write ``<name>_results.csv`` and ``.parquet`` to data/processed (via temporary files)."""
    out = processed_dir or config.PROCESSED_DIR
    out.mkdir(parents=True, exist_ok=True)
    csv_path, pq_path = out / f"{name}_results.csv", out / f"{name}_results.parquet"
    write_atomically(csv_path, lambda p: spreadsheet_safe(results).to_csv(p, index=False))
    write_atomically(pq_path, lambda p: results.to_parquet(p, index=False))
    return csv_path, pq_path


#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``=HYPERLINK(...)``) get a leading
    apostrophe, which Excel and LibreOffice show as text; numbers are left as numbers. The
    Parquet table keeps the text as it is."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    return out
