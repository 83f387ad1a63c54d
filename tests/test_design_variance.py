"""The design-based variance against R's survey package (tests/reference/design_variance.R,
its output committed beside it with the R and survey versions): domain shares, their standard
errors and design effects with and without the finite population correction, a difference
between years, the gap between an area and the city that contains it, a change in the gap, a
difference in differences, and design-based logistic trends."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.loaders.spec import DesignSpec
from analysis.loaders.survey import design_table, shares_from_design, surroundings_id
from analysis.stats.design import design_regression, domain_covariance, linear_contrast

HERE = Path(__file__).parent / "reference"
INDICATORS = {"unsafe": "unsafe_share", "unsafe_night": "unsafe_share_night"}


def _reference() -> pd.DataFrame:
    return pd.read_csv(HERE / "design_variance.csv", comment="#")


def _ref(case: str, fpc: str, indicator: str) -> pd.Series:
    r = _reference()
    return r[(r["case"] == case) & (r["fpc"] == fpc) & (r["indicator"] == indicator)].iloc[0]


def _respondents() -> pd.DataFrame:
    df = pd.read_csv(HERE / "design_sample.csv", keep_default_na=False)
    return df.assign(area=df["area"].replace("", None))


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    df = _respondents()
    return {fpc: design_table(df, DesignSpec(fpc=fpc)) for fpc in ("none", "population")}


@pytest.fixture(scope="module")
def shares(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {fpc: shares_from_design(t, example_data=True) for fpc, t in tables.items()}


def _close(got: float, want: float) -> None:
    assert got == pytest.approx(want, rel=1e-6, abs=1e-12)


def test_the_reference_records_its_versions() -> None:
    first = (HERE / "design_variance.csv").read_text().splitlines()[0]
    assert first.startswith("# R version") and "survey" in first
    assert len(_reference()) >= 100


CELL_KINDS = ("area:", "district:", "city:", "rest_of_district:")


@pytest.mark.parametrize(
    "row",
    [r for r in _reference().to_dict("records") if r["case"].startswith(CELL_KINDS)],
    ids=lambda r: f"{r['case']}-{r['fpc']}-{r['indicator']}",
)
def test_cells_match_r(shares: dict[str, pd.DataFrame], row: dict) -> None:
    shares = shares[row["fpc"]]
    kind, *rest = row["case"].split(":")
    year = int(rest[-1])
    area = {
        "area": lambda: rest[0],
        "district": lambda: rest[0],
        "city": lambda: "kobenhavn",
        "rest_of_district": lambda: surroundings_id(rest[0], "rest_of_district"),
    }[kind]()
    ind = INDICATORS[row["indicator"]]
    cell = shares[(shares["area"] == area) & (shares["year"] == year)]
    cell = cell[cell["indicator"] == ind].iloc[0]
    _close(cell["share"], row["estimate"])
    _close(cell["se"], row["se"])
    _close(cell["deff"], row["deff"])
    # the effective n is the binomial n of the same variance
    _close(cell["share"] * (1 - cell["share"]) / cell["n_eff"], row["se"] ** 2)


def _mask(t: pd.DataFrame, year: int, area: str | None = None, district: str | None = None,
          outside: bool = False) -> np.ndarray:  # fmt: skip
    m = t["year"].to_numpy() == year
    if district is not None:
        m &= t["district"].to_numpy() == district
    if area is not None:
        m &= (t["area"].to_numpy() != area) if outside else (t["area"].to_numpy() == area)
    return m.astype(float)


def _contrast(t: pd.DataFrame, masks: list[np.ndarray], coefs: list[float]):
    r, _, cov = domain_covariance(t, np.column_stack(masks))
    return linear_contrast(r, cov, coefs, "contrast")


CONTRASTS = {
    "difference:folehaven:2021-2020": lambda t: _contrast(
        t, [_mask(t, 2021, "folehaven"), _mask(t, 2020, "folehaven")], [1, -1]
    ),
    "gap:folehaven:2021": lambda t: _contrast(
        t, [_mask(t, 2021, "folehaven"), _mask(t, 2021)], [1, -1]
    ),
    "change_in_gap:folehaven:2021-2019": lambda t: _contrast(
        t,
        [_mask(t, 2021, "folehaven"), _mask(t, 2021), _mask(t, 2019, "folehaven"), _mask(t, 2019)],
        [1, -1, -1, 1],
    ),
    "did:folehaven-rest_of_district:2021-2019": lambda t: _contrast(
        t,
        [
            _mask(t, 2021, "folehaven"),
            _mask(t, 2019, "folehaven"),
            _mask(t, 2021, "", "valby"),
            _mask(t, 2019, "", "valby"),
        ],
        [1, -1, -1, 1],
    ),
}


@pytest.mark.parametrize("case", sorted(CONTRASTS))
@pytest.mark.parametrize("fpc", ["none", "population"])
@pytest.mark.parametrize("indicator", sorted(INDICATORS))
def test_contrasts_match_r(tables, case: str, fpc: str, indicator: str) -> None:
    ref = _ref(case, fpc, indicator)
    t = tables[fpc].query("indicator == @i", local_dict={"i": INDICATORS[indicator]})
    t = t.reset_index(drop=True)
    got = CONTRASTS[case](t)
    _close(got.estimate, ref["estimate"])
    _close(got.se, ref["se"])
    assert got.p_value == pytest.approx(math.erfc(abs(ref["estimate"] / ref["se"]) / 2**0.5))


@pytest.mark.parametrize("fpc", ["none", "population"])
@pytest.mark.parametrize("indicator", sorted(INDICATORS))
@pytest.mark.parametrize("case", ["trend", "gap_trend", "gap_trend_points"])
def test_design_regressions_match_r(tables, case: str, fpc: str, indicator: str) -> None:
    ref = _ref(f"{case}:tingbjerg_husum:2019-2021", fpc, indicator)
    t = tables[fpc].query("indicator == @i", local_dict={"i": INDICATORS[indicator]})
    t = t.reset_index(drop=True)
    year = t["year"].to_numpy(float)
    inside = (t["area"] == "tingbjerg_husum").to_numpy(float)
    if case == "trend":
        x, coef = np.column_stack([inside, inside * year]), 1
    else:
        x, coef = np.column_stack([np.ones(len(t)), year, inside, inside * year]), 3
    link = "identity" if case == "gap_trend_points" else "logit"
    got, _ = design_regression(t, x, coef, link=link)
    _close(got.estimate, ref["estimate"])
    _close(got.se, ref["se"])
    assert got.df == ref["df"]
    _close(got.statistic, ref["statistic"])
    _close(got.p_value, ref["p_value"])


def test_weights_that_do_not_add_up_to_residents_are_refused_with_fpc() -> None:
    df = _respondents()
    df["weight"] = df.groupby(["year", "district"])["weight"].transform(lambda w: w / w.mean())
    with pytest.raises(InputError, match=r"sampling fraction of 100%.*design.fpc: none"):
        design_table(df, DesignSpec(fpc="population"), "survey.csv")
    design_table(df, DesignSpec(fpc="none"))  # without the correction they are fine
