"""Reference tables in ``data/raw/reference``: areas, boundary changes, crime-type mapping."""

from __future__ import annotations

from functools import cache

import pandas as pd
import yaml

from analysis import config


@cache
def areas() -> pd.DataFrame:
    """area, name, kind (city/district/partnership), district (for partnership areas)."""
    return pd.read_csv(config.REFERENCE_DIR / "areas.csv", dtype=str).fillna("")


def area_ids(kind: str | None = None) -> list[str]:
    a = areas()
    return a["area"].tolist() if kind is None else a.loc[a["kind"] == kind, "area"].tolist()


def area_name(area: str) -> str:
    names = dict(zip(areas()["area"], areas()["name"], strict=True))
    return names.get(area, area)


@cache
def boundary_changes() -> pd.DataFrame:
    """area, year, note: from ``year`` on the area is not like-for-like with earlier years."""
    return pd.read_csv(
        config.REFERENCE_DIR / "boundary_changes.csv", dtype={"area": str, "year": int, "note": str}
    )


def boundary_change_between(area: str, year_from: int, year_to: int) -> str | None:
    """The note of a boundary change in (year_from, year_to], or None when like-for-like."""
    lo, hi = sorted((year_from, year_to))
    b = boundary_changes()
    hit = b[(b["area"] == area) & (b["year"] > lo) & (b["year"] <= hi)]
    return None if hit.empty else str(hit["note"].iloc[0])


@cache
def crime_type_map() -> dict[str, str]:
    """The police's crime-type labels -> the agreements' categories."""
    m = pd.read_csv(config.REFERENCE_DIR / "crime_type_map.csv", dtype=str)
    return dict(zip(m["crime_type"], m["category"], strict=True))


@cache
def crime_categories() -> dict[str, dict]:
    with open(config.REFERENCE_DIR / "crime_categories.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)
