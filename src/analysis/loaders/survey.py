"""Survey microdata and published aggregates -> one tidy table of weighted shares.

Output columns: area, year, indicator, n (respondents with a valid answer), n_eff (Kish's
effective n, (Σw)²/Σw²), share (weighted, Σwy/Σw), deff_assumed (an aggregate row without a
design effect, given 1), example_data. The city (``kobenhavn``) is
every respondent; a district is every respondent living in it; a partnership area is the
respondents whose ``area`` names it.

The sums are taken once per (year, district, area) cell with ``np.bincount`` and rolled up to
the area, district and city levels from those cells, so a million rows cost a few passes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.indicators import DONT_KNOW, SURVEY_INDICATORS
from analysis.stats.proportions import kish_from_sums

COLUMNS = [
    "area",
    "year",
    "indicator",
    "n",
    "n_eff",
    "share",
    "rounded_to",
    "deff_assumed",
    "example_data",
]

#: The surroundings a partnership area is compared with: its district's respondents outside the
#: area, and the city's. Computed from microdata only (aggregates cannot be split).
SURROUNDINGS = ("rest_of_district", "rest_of_city")


def surroundings_id(area: str, surroundings: str) -> str:
    """The tidy table's area id of an area's surroundings, e.g. 'folehaven~rest_of_district'."""
    if surroundings not in SURROUNDINGS:
        raise ValueError(f"surroundings must be one of {SURROUNDINGS}, got {surroundings!r}")
    return f"{area}~{surroundings}"


def aggregate_microdata(df: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    """Weighted shares per area, year and indicator from respondent rows (validated)."""
    w = df["weight"].to_numpy(dtype=float)
    year_codes, years = pd.factorize(df["year"])
    district_codes, districts = pd.factorize(df["district"])
    area_codes, area_names = pd.factorize(df["area"])  # -1 where no partnership area
    n_d, n_a = len(districts), len(area_names) + 1
    cell = (year_codes * n_d + district_codes) * n_a + (area_codes + 1)
    n_cells = len(years) * n_d * n_a
    index = pd.MultiIndex.from_product(
        [list(years), list(districts), ["", *area_names]], names=["year", "district", "area"]
    )
    sums = {}
    for col in dict.fromkeys(i.column for i in SURVEY_INDICATORS.values()):
        codes, uniques = pd.factorize(df[col])
        uniques = list(uniques)
        valid = np.array([u != DONT_KNOW for u in uniques] + [False])[codes]
        wv = np.where(valid, w, 0.0)
        n, sw, sw2 = (
            np.bincount(cell, weights=x, minlength=n_cells)
            for x in (valid.astype(float), wv, wv * wv)
        )
        for ind, spec in SURVEY_INDICATORS.items():
            if spec.column != col:
                continue
            # code -1 (missing) picks the trailing False
            hit = np.array([u in spec.counted for u in uniques] + [False])[codes]
            sums[f"{ind}|n"], sums[f"{ind}|w"], sums[f"{ind}|w2"] = n, sw, sw2
            sums[f"{ind}|wy"] = np.bincount(cell, weights=np.where(hit, w, 0.0), minlength=n_cells)
    cells = pd.DataFrame(sums, index=index)
    city = cells.groupby(level="year").sum()
    district = cells.groupby(level=["year", "district"]).sum()
    area = cells.drop(index="", level="area").groupby(level=["year", "district", "area"]).sum()
    area = area[area.filter(like="|n").sum(axis=1) > 0]  # the cells of the product that exist
    keys = area.index.to_frame(index=False)
    # sums are additive, so the surroundings are exact differences of the cell sums
    rest_district = district.reindex(pd.MultiIndex.from_frame(keys[["year", "district"]]))
    rest_city = city.reindex(keys["year"])
    levels = [
        city.assign(area="kobenhavn"),
        district.reset_index("district").rename(columns={"district": "area"}),
        area.reset_index(["district", "area"]).drop(columns="district"),
        *(
            pd.DataFrame(
                whole.to_numpy() - area.to_numpy(),
                columns=area.columns,
                index=pd.Index(keys["year"], name="year"),
            ).assign(area=[surroundings_id(a, name) for a in keys["area"]])
            for name, whole in (("rest_of_district", rest_district), ("rest_of_city", rest_city))
        ),
    ]
    wide = pd.concat(levels).reset_index()
    return _shares(wide, example_data)


def _shares(wide: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    parts = []
    for ind in SURVEY_INDICATORS:
        n, sw, sw2, swy = (wide[f"{ind}|{k}"] for k in ("n", "w", "w2", "wy"))
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(
                pd.DataFrame(
                    {
                        "area": wide["area"],
                        "year": wide["year"].astype("int64"),
                        "indicator": ind,
                        "n": n.round().astype("int64"),
                        "n_eff": kish_from_sums(sw, sw2),
                        "share": (swy / sw).clip(0, 1),
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True)
    out = out[out["n"] > 0].assign(
        n=lambda d: d["n"].astype("Int64"),
        rounded_to=math.nan,
        deff_assumed=False,
        example_data=example_data,
    )
    return out.sort_values(["area", "indicator", "year"], ignore_index=True)[COLUMNS]


def from_aggregates(
    df: pd.DataFrame,
    example_data: bool,
    default_deff: float | None = None,
    rounded_to: float | None = None,
) -> pd.DataFrame:
    """Aggregates (share or count, n, design effect) in the same shape.

    The design effect comes from the row's ``deff``, else from ``default_deff`` (dataset.yaml's
    ``deff``); with neither it is taken as 1 and ``deff_assumed`` says so, for the report to
    show. A row without ``n`` (a published share) keeps n and n_eff empty: its share can be
    read, not tested. ``rounded_to`` (percentage points) records that published shares are
    rounded.
    """
    assumed = df["deff"].isna() & df["n"].notna() & (default_deff is None)
    deff = df["deff"].fillna(1.0 if default_deff is None else default_deff)
    share = df["share"].where(df["share"].notna(), df["count"] / df["n"])
    out = pd.DataFrame(
        {
            "area": df["area"],
            "year": df["year"].astype("int64"),
            "indicator": df["indicator"],
            "n": df["n"].astype("Int64"),
            "n_eff": df["n"] / deff,
            "share": share.astype(float),
            "rounded_to": math.nan if rounded_to is None else rounded_to / 100,
            "deff_assumed": assumed.astype(bool),
            "example_data": example_data,
        }
    )
    return out.sort_values(["area", "indicator", "year"], ignore_index=True)[COLUMNS]
