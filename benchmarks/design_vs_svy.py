"""The design-based shares of the bundled example survey: the project's sufficient-statistics
route (:mod:`analysis.stats.design`, via the loader) against the maintained library ``svy``.

Prints, for the partnership areas' cells (every year, both unsafe indicators, with the finite
population correction), the largest relative difference of the SEs and the time each takes;
and the time of the project's whole reduction (every domain the evaluation uses, with the
covariances of an area with the city and with its surroundings, which svy's ``by=`` estimates
do not give: they are separate partitions of the sample).

Issue 21 asks to prefer ``svy`` unless a measurement says otherwise; this is that measurement.
``svy`` is not a project dependency: ``.venv/bin/pip install svy`` to run the comparison
(without it, only the project's times are printed).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis import config
from analysis.indicators import SCALE
from analysis.loaders.spec import DesignSpec, read_spec
from analysis.loaders.survey import design_table, shares_from_design, surroundings_id
from analysis.loaders.validation import load_file

AREAS = ("amager_partnerskab", "tingbjerg_husum", "folehaven")
UNSAFE = {SCALE[3], SCALE[4]}
COLUMNS = {"unsafe_share": "safety", "unsafe_share_night": "safety_night"}


def respondents() -> tuple[pd.DataFrame, DesignSpec]:
    """The example's validated respondent rows, as the loader reads them, and its design."""
    spec, files = read_spec(config.EXAMPLE_DIR)
    f = spec.file_specs()["survey"]
    _, df, _ = load_file(files["survey"], "survey", f.encoding, f.delimiter, f)
    return df, spec.design


def ours(df: pd.DataFrame, design: DesignSpec) -> tuple[float, pd.DataFrame]:
    t = time.perf_counter()
    shares = shares_from_design(design_table(df, design), example_data=True)
    return time.perf_counter() - t, shares


def with_svy(df: pd.DataFrame) -> tuple[float, dict[tuple[str, int, str], float]]:
    """Every domain's SE that svy's ``by=`` gives: the areas, the districts, the city and the
    rest of each partnership district (four partitions per indicator; no covariances)."""
    import polars as pl
    import svy

    d = df.astype({"district": str, "area": str, "year": int})
    d["stratum"] = d["year"].astype(str) + "|" + d["district"]
    d["N"] = d.groupby("stratum")["weight"].transform("sum")
    # the rest of each partnership area's district, named as the loader names it
    rest = {
        d.loc[d["area"] == a, "district"].iloc[0]: surroundings_id(a, "rest_of_district")
        for a in AREAS
    }
    t = time.perf_counter()
    out = {}
    for indicator, col in COLUMNS.items():
        valid = (d[col].notna() & (d[col] != "ved ikke")).to_numpy()
        partitions = {
            "area": np.where(d["area"].isin(AREAS), d["area"], ""),
            "district": d["district"].to_numpy(),
            "city": np.full(len(d), "kobenhavn"),
            "rest": d["district"].map(rest).where(~d["area"].isin(AREAS), "").fillna("").to_numpy(),
        }
        frame = pl.DataFrame(
            {
                "stratum": d["stratum"],
                "weight": d["weight"],
                "N": d["N"],
                "year": d["year"],
                "y": d[col].isin(UNSAFE).astype(float),
                **{k: np.where(valid, v, "") for k, v in partitions.items()},
            }
        )
        sample = svy.Sample(frame, svy.Design(stratum="stratum", wgt="weight", pop_size="N"))
        for key in partitions:
            for row in sample.estimation.mean("y", by=["year", key]).to_polars().to_dicts():
                if row[key]:
                    out[(row[key], int(row["year"]), indicator)] = row["se"]
    return time.perf_counter() - t, out


def main() -> None:
    df, design = respondents()
    best, shares = min((ours(df, design) for _ in range(3)), key=lambda r: r[0])
    print(f"respondents: {len(df):,}; domains with covariances: {len(shares):,} cells")
    print(
        f"project (design table + every domain of the four indicators, covariances included): "
        f"{best:.3f} s"
    )
    try:
        seconds, se = min((with_svy(df) for _ in range(3)), key=lambda r: r[0])
    except ImportError:
        print("svy not installed (.venv/bin/pip install svy): no comparison")
        return
    ours_se = shares.set_index(["area", "year", "indicator"])["se"]
    diff = max(abs(ours_se[k] / v - 1) for k, v in se.items())
    print(
        f"svy (the {len(se)} domain SEs of the two unsafe indicators its by= gives, "
        f"no covariances): {seconds:.3f} s"
    )
    print(f"largest relative difference of the SEs: {diff:.1e}")


if __name__ == "__main__":
    main()
