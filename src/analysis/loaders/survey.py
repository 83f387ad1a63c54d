"""Survey microdata and published aggregates -> one tidy table of weighted shares.

Output columns: area, year, indicator, n (respondents with a valid answer), n_eff (Kish's
effective n), share (weighted), example_data. The city (``kobenhavn``) is every respondent; a
district is every respondent living in it; a partnership area is the respondents whose ``area``
names it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.loaders.scale import DONT_KNOW, INDICATORS

COLUMNS = ["area", "year", "indicator", "n", "n_eff", "share", "example_data"]


def aggregate_microdata(df: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    """Weighted shares per area, year and indicator from respondent rows (validated)."""
    w = df["weight"].to_numpy(dtype=float)
    sums = {}
    for ind, (col, counted) in INDICATORS.items():
        answer = df[col]
        valid = (answer.notna() & (answer != DONT_KNOW)).to_numpy()
        hit = answer.isin(counted).to_numpy()
        wv = np.where(valid, w, 0.0)
        sums[f"{ind}|n"] = valid.astype(np.int64)
        sums[f"{ind}|w"] = wv
        sums[f"{ind}|w2"] = wv * wv
        sums[f"{ind}|wy"] = np.where(hit, w, 0.0)
    frame = pd.DataFrame(sums)
    frame["year"] = df["year"].to_numpy()
    frame["district"] = df["district"].to_numpy()
    frame["area"] = df["area"].fillna("").to_numpy()
    cells = frame.groupby(["year", "district", "area"], sort=False).sum()
    levels = [
        cells.groupby(level="year").sum().assign(area="kobenhavn"),
        cells.groupby(level=["year", "district"]).sum().reset_index("district")
        .rename(columns={"district": "area"}),
        cells.drop(index="", level="area").groupby(level=["year", "area"]).sum()
        .reset_index("area"),
    ]
    wide = pd.concat(levels).reset_index()
    return _shares(wide, example_data)


def _shares(wide: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    parts = []
    for ind in INDICATORS:
        n, sw, sw2, swy = (wide[f"{ind}|{k}"] for k in ("n", "w", "w2", "wy"))
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(pd.DataFrame({
                "area": wide["area"], "year": wide["year"], "indicator": ind,
                "n": n.astype("int64"), "n_eff": sw**2 / sw2, "share": swy / sw}))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["n"] > 0].assign(example_data=example_data)
    return out.sort_values(["area", "indicator", "year"], ignore_index=True)[COLUMNS]


def from_aggregates(df: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    """Published aggregates (share or count, n, optional design effect) in the same shape."""
    deff = df["deff"].fillna(1.0)
    share = df["share"].where(df["share"].notna(), df["count"] / df["n"])
    out = pd.DataFrame({"area": df["area"], "year": df["year"].astype("int64"),
                        "indicator": df["indicator"], "n": df["n"].astype("int64"),
                        "n_eff": df["n"] / deff, "share": share.astype(float),
                        "example_data": example_data})
    return out.sort_values(["area", "indicator", "year"], ignore_index=True)[COLUMNS]
