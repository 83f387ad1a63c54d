"""Survey microdata and published aggregates -> one tidy table of weighted shares.

Output columns: area, year, indicator, n (respondents with a valid answer), share (weighted,
Σwy/Σw), se (its standard error), n_eff (the effective n the tests use), deff (the design
effect, a variance ratio), weighting_effect (Kish's n / n_eff, a property of the weights),
variance (``taylor``: design-based, from microdata; ``kish``: n / deff, from aggregates),
cov_city (microdata: the covariance of the share with the city's share of the same year),
cov_area (an area's surroundings: the covariance with the area's share), rounded_to,
deff_assumed (an aggregate row without a design effect, given 1), example_data.

The city (``kobenhavn``) is every respondent; a district is every respondent living in it; a
partnership area is the respondents whose ``area`` names it; its surroundings are the rest of
its district and the rest of the city.

Microdata are reduced once, with ``np.bincount``, to the design table (one row per stratum ×
area and indicator, :data:`analysis.stats.design.DESIGN_COLUMNS`), from which every share, its
design-based variance and the covariances follow (:mod:`analysis.stats.design`), so a million
rows cost a few passes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.indicators import DONT_KNOW, SURVEY_INDICATORS
from analysis.loaders.spec import DesignSpec
from analysis.stats.design import DESIGN_COLUMNS, domain_estimates

COLUMNS = [
    "area",
    "year",
    "indicator",
    "n",
    "share",
    "se",
    "n_eff",
    "deff",
    "weighting_effect",
    "variance",
    "cov_city",
    "cov_area",
    "rounded_to",
    "deff_assumed",
    "example_data",
]

#: The surroundings a partnership area is compared with: its district's respondents outside the
#: area, and the city's. Computed from microdata only (aggregates cannot be split).
SURROUNDINGS = ("rest_of_district", "rest_of_city")

#: a sampling fraction above this is taken for weights that do not add up to residents
MAX_SAMPLING_FRACTION = 0.5


def surroundings_id(area: str, surroundings: str) -> str:
    """The tidy table's area id of an area's surroundings, e.g. 'folehaven~rest_of_district'."""
    if surroundings not in SURROUNDINGS:
        raise ValueError(f"surroundings must be one of {SURROUNDINGS}, got {surroundings!r}")
    return f"{area}~{surroundings}"


def design_table(df: pd.DataFrame, design: DesignSpec, source: object = "survey") -> pd.DataFrame:
    """The validated respondent rows reduced to the sums of :mod:`analysis.stats.design`: one
    row per (year, district, area) subcell and indicator that has answers."""
    w = df["weight"].to_numpy(dtype=float)
    year_codes, years = pd.factorize(df["year"])
    district_codes, districts = pd.factorize(df["district"])
    area_codes, area_names = pd.factorize(df["area"])  # -1 where no partnership area
    n_d, n_a = len(districts), len(area_names) + 1
    cell = (year_codes * n_d + district_codes) * n_a + (area_codes + 1)
    n_cells = len(years) * n_d * n_a
    keys = pd.MultiIndex.from_product(
        [list(years), list(districts), ["", *area_names]], names=["year", "district", "area"]
    ).to_frame(index=False)
    everyone = np.bincount(cell, minlength=n_cells).astype(float)
    weight_total = np.bincount(cell, weights=w, minlength=n_cells)
    stratum = keys[design.strata].astype(str).agg("|".join, axis=1)
    stratum_n = pd.Series(everyone).groupby(stratum).transform("sum").to_numpy()
    stratum_w = pd.Series(weight_total).groupby(stratum).transform("sum").to_numpy()
    f = np.zeros(n_cells)
    if design.fpc == "population":
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(stratum_n > 0, stratum_n / stratum_w, 0.0)
        worst = int(np.argmax(f))
        if f[worst] > MAX_SAMPLING_FRACTION:
            raise InputError(
                source,
                f"column weight: in stratum {stratum.iloc[worst]} the weights add up to "
                f"{stratum_w[worst]:.1f} for {stratum_n[worst]:.0f} respondents, a sampling "
                f"fraction of {f[worst]:.0%}; the finite population correction (dataset.yaml "
                "design.fpc: population) needs weights that add up to residents; give "
                "design.fpc: none for weights scaled otherwise",
            )
    parts = []
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
            wy = np.where(hit, w, 0.0)
            sums = {
                "swy": np.bincount(cell, weights=wy, minlength=n_cells),
                "sw2y": np.bincount(cell, weights=wy * w, minlength=n_cells),
            }
            part = keys.assign(
                indicator=ind,
                stratum=stratum,
                stratum_n=stratum_n.round().astype("int64"),
                stratum_f=f,
                n=n.round().astype("int64"),
                sw=sw,
                sw2=sw2,
                **sums,
            )
            parts.append(part[part["n"] > 0])
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"year": "int64"})[DESIGN_COLUMNS]


def aggregate_microdata(
    df: pd.DataFrame, example_data: bool, design: DesignSpec | None = None
) -> pd.DataFrame:
    """Weighted shares per area, year and indicator from validated respondent rows."""
    return shares_from_design(design_table(df, design or DesignSpec()), example_data)


def _domains(group: pd.DataFrame) -> list[tuple[str, np.ndarray, str | None]]:
    """(tidy area id, membership over ``group``'s rows, the area whose surroundings it is)."""
    district, area = group["district"].to_numpy(), group["area"].to_numpy()
    found = [("kobenhavn", np.ones(len(group)), None)]
    found += [(d, (district == d).astype(float), None) for d in dict.fromkeys(district)]
    for a in dict.fromkeys(area):
        if a == "":
            continue
        inside = area == a
        home = np.isin(district, district[inside])
        found += [
            (a, inside.astype(float), None),
            (surroundings_id(a, "rest_of_district"), (home & ~inside).astype(float), a),
            (surroundings_id(a, "rest_of_city"), (~inside).astype(float), a),
        ]
    return [(name, m, of) for name, m, of in found if m.any()]


def shares_from_design(design: pd.DataFrame, example_data: bool) -> pd.DataFrame:
    """Every domain's share with its design-based variance, design effect, Kish's weighting
    effect and the covariances the comparisons need."""
    rows = []
    for (year, ind), group in design.groupby(["year", "indicator"], sort=True):
        domains = _domains(group)
        names = [name for name, _, _ in domains]
        members = np.column_stack([m for _, m, _ in domains])
        found, cov = domain_estimates(group, members)
        for k, ((name, _, of), e) in enumerate(zip(domains, found, strict=True)):
            rows.append(
                {
                    "area": name,
                    "year": int(year),
                    "indicator": ind,
                    "n": e.n,
                    "share": e.share,
                    "se": e.se,
                    "n_eff": e.n_eff,
                    "deff": e.deff,
                    "weighting_effect": e.weighting_effect,
                    "variance": "taylor",
                    "cov_city": float(cov[k, 0]),
                    "cov_area": math.nan if of is None else float(cov[k, names.index(of)]),
                }
            )
    out = pd.DataFrame(rows, columns=COLUMNS[:12]).assign(
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
            "share": share.astype(float),
            "se": np.sqrt((share * (1 - share) * deff / df["n"]).astype(float)),
            "n_eff": df["n"] / deff,
            "deff": deff.where(df["n"].notna()).astype(float),
            "weighting_effect": math.nan,
            "variance": "kish",
            "cov_city": math.nan,
            "cov_area": math.nan,
            "rounded_to": math.nan if rounded_to is None else rounded_to / 100,
            "deff_assumed": assumed.astype(bool),
            "example_data": example_data,
        }
    )
    return out.sort_values(["area", "indicator", "year"], ignore_index=True)[COLUMNS]
