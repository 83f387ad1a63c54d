"""Published reference figures (``data/raw/published/figures.csv``), each with its source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputError

COLUMNS = ["area", "year", "indicator", "value", "unit", "source", "note"]
UNITS = {"percent", "count", "per_1000"}


def load_published_figures(path: Path | str | None = None) -> pd.DataFrame:
    """Read the published figures, checking columns, units and that every row has a source."""
    path = Path(path) if path else config.PUBLISHED_FIGURES
    df = pd.read_csv(
        path, dtype={"area": str, "indicator": str, "unit": str, "source": str, "note": str}
    )
    if list(df.columns) != COLUMNS:
        raise InputError(path, f"expected the columns {COLUMNS}, found {list(df.columns)}")
    problems = []
    for i, row in df.iterrows():
        line = int(i) + 2  # header is line 1
        if row["unit"] not in UNITS:
            problems.append(
                f"row {line}, column 'unit': expected one of {sorted(UNITS)}, got {row['unit']!r}"
            )
        if pd.isna(row["source"]) or not str(row["source"]).strip():
            problems.append(f"row {line}, column 'source': every published figure needs a source")
        if row["unit"] == "percent" and not 0 <= row["value"] <= 100:
            problems.append(
                f"row {line}, column 'value': a percentage must lie in 0-100, got {row['value']}"
            )
    if problems:
        raise InputError(path, problems)
    df["note"] = df["note"].fillna("")
    return df
