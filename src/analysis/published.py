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
    return df.merge(load_sources(set(df["source"]), path), on="source", how="left")


#: how a reader cites each source of the published figures (no file names, no bare domains)
SOURCES = config.REFERENCE_DIR / "published_sources.csv"
SOURCE_COLUMNS = ["source", "title", "publisher", "date", "url"]


def load_sources(needed: set[str], figures: Path) -> pd.DataFrame:
    """Title, publisher, date and link of every source the published figures name; a source
    without an entry is an error naming both files."""
    df = pd.read_csv(SOURCES, dtype=str).fillna("")
    if list(df.columns) != SOURCE_COLUMNS:
        raise InputError(
            SOURCES, f"expected the columns {SOURCE_COLUMNS}, found {list(df.columns)}"
        )
    missing = sorted(needed - set(df["source"]))
    if missing:
        raise InputError(
            figures,
            f"the sources {missing} have no title, publisher and date in {SOURCES.name}",
        )
    return df[df["source"].isin(needed)]
