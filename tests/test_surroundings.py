"""Beside the verdicts: the area against its surroundings, the sample-size planner, pooled years."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.evaluation import evaluate_partnership
from analysis.evaluation.public import document, results_frame
from analysis.loaders import load_dataset
from analysis.loaders.validation import load_file
from analysis.stats import (
    Proportion,
    diff_in_differences,
    diff_in_differences_shares,
    ratio_of_rate_ratios,
    sample_size_two_proportions,
)


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_sample_size_matches_r_power_prop_test():
    # R documentation, ?power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90)
    # -> n = 76.7 in each group.
    r = sample_size_two_proportions(0.50, 0.75, power=0.90)
    assert round(r.estimate, 1) == 76.7 and r.n == (r.estimate,)
    # with a design effect the survey needs that many times the respondents
    assert sample_size_two_proportions(0.50, 0.75, 0.90, deff=1.3).estimate == pytest.approx(
        1.3 * r.estimate
    )
    # one-sided needs fewer; more power needs more
    assert (
        sample_size_two_proportions(0.5, 0.75, 0.9, alternative="one-sided").estimate
        < r.estimate
        < sample_size_two_proportions(0.5, 0.75, 0.95).estimate
    )
    with pytest.raises(ValueError, match="must differ"):
        sample_size_two_proportions(0.2, 0.2)


def test_sample_size_cli(capsys):
    from analysis.cli import main

    assert main(["stats", "sample-size", "0.5", "0.75", "--power", "0.9", "--deff", "1.5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert round(data["n_eff"], 1) == 76.7 and data["n"] == pytest.approx(1.5 * data["n_eff"])


def test_difference_in_differences_card_krueger():
    # Card D, Krueger AB (1994), Am Econ Rev 84:772-793, Table 3, row 3: change in mean FTE
    # employment, New Jersey 0.59 (SE 0.54), Pennsylvania -2.16 (SE 1.25); difference 2.76
    # (SE 1.36). (2.75 from the rounded changes.)
    r = diff_in_differences(0.59, 0.54, -2.16, 1.25)
    assert r.estimate == pytest.approx(2.75)
    assert float(r.note.split()[-1]) == pytest.approx(1.36, abs=0.005)
    assert r.ci_low > 0 and r.p_value < 0.05


def test_did_of_shares_is_the_change_in_gap():
    P = Proportion.from_counts
    a1, a0, c1, c0 = P(30, 200), P(40, 210), P(700, 9000), P(900, 9100)
    r = diff_in_differences_shares(a1, a0, c1, c0)
    se = math.sqrt(sum(p.share * (1 - p.share) / p.nobs for p in (a1, a0, c1, c0)))
    assert r.estimate == pytest.approx((a1.share - a0.share) - (c1.share - c0.share))
    assert r.ci_high - r.estimate == pytest.approx(1.959964 * se, rel=1e-5)


def test_ratio_of_rate_ratios_by_hand():
    r = ratio_of_rate_ratios((60, 1, 50, 1), (9000, 1, 9500, 1))
    assert r.estimate == pytest.approx((60 / 50) / (9000 / 9500))
    se = math.sqrt(1 / 60 + 1 / 50 + 1 / 9000 + 1 / 9500)
    assert math.log(r.ci_high) - math.log(r.estimate) == pytest.approx(1.959964 * se, rel=1e-5)
    assert ratio_of_rate_ratios((0, 1, 50, 1), (9000, 1, 9500, 1)).insufficient


def test_rest_of_district_by_hand_from_the_microdata(ds):
    # Valby's respondents outside Folehaven, 2025: the weighted share and Kish's weighting
    # effect (the design-based variance is checked against R in test_design_variance).
    _, df, _ = load_file(config.EXAMPLE_DIR / "survey.csv", "survey")
    rest = df[
        (df["year"] == 2025)
        & (df["district"] == "valby")
        & (df["area"] != "folehaven")  # coded columns are categoricals; missing != any value
        & df["safety"].notna()
        & (df["safety"] != "ved ikke")
    ]
    w = rest["weight"].to_numpy()
    unsafe = rest["safety"].isin(["utryg", "meget utryg"]).to_numpy()
    row = ds.survey.query(
        "area == 'folehaven~rest_of_district' and year == 2025 and indicator == 'unsafe_share'"
    ).iloc[0]
    assert row["n"] == len(rest)
    assert row["share"] == pytest.approx((w * unsafe).sum() / w.sum())
    assert row["weighting_effect"] == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)


def test_every_report_has_the_comparisons_and_the_sample_size(ds):
    ev = evaluate_partnership("folehaven", 2023, dataset=ds)
    survey = [c for c in ev.surroundings if c.kind == "survey"]
    assert {c.comparison for c in survey} == {"rest_of_district", "rest_of_city"}
    assert all(c.result is not None and c.from_year == 2021 for c in survey)
    # police: the area's rate ratio against the rest of the city's (kobenhavn minus the area)
    crime = {c.indicator: c for c in ev.surroundings if c.kind == "crime"}
    assert crime["borgervendt_per_1000"].result is not None
    assert crime["indbrud"].result is None and crime["indbrud"].reason
    sizes = ev.sample_sizes
    # the hoped-for fall: the gap to the city closed by 2025 in equal yearly steps
    s = ds.survey.set_index(["area", "indicator", "year"])["share"]
    gap = s[("folehaven", "unsafe_share", 2023)] - s[("kobenhavn", "unsafe_share", 2023)]
    assert sizes[0].target_change == pytest.approx(gap / 2)
    assert sizes[0].n_needed > sizes[0].n_had
    # the single year cannot detect it: two pooled years are shown, labelled as such
    assert ev.pooled and ev.pooled[0].late == (2022, 2023)
    # each tested comparison is a public row: the area's change, its surroundings' as the
    # reference, the difference in differences as the change
    info = [r for r in document(ev)["information"] if r["kind"] == "surroundings"]
    tested = [c for c in ev.surroundings if c.result is not None]
    assert len(info) == len(tested)
    for r, c in zip(info, tested, strict=True):
        assert r["estimate"] == pytest.approx(c.area_change)
        assert r["reference"]["estimate"] == pytest.approx(c.other_change)
        assert r["change"]["estimate"] == pytest.approx(c.result.estimate)
        assert r["reference"]["year"] == c.from_year and r["year"] == c.to_year
    frame = results_frame(ev)
    assert frame.loc[frame["kind"] == "surroundings", "status"].isna().all()
    assert (frame["kind"] == "pooled").sum() == len(ev.pooled)


def test_no_number_where_the_data_cannot_support_it(ds):
    # a boundary change in between (Tingbjerg-Husum from 2021; start 2020)
    ev = evaluate_partnership("tingbjerg_husum", 2022, dataset=ds)
    assert all(c.result is None and "nye grænser" in c.reason for c in ev.surroundings)
    # aggregates without the district's respondents
    survey = ds.survey[~ds.survey["area"].str.contains("~")]
    agg = dataclasses.replace(ds, tables={**ds.tables, "survey": survey})
    ev = evaluate_partnership("folehaven", 2024, dataset=agg)
    assert all(
        c.result is None and "mikrodata" in c.reason for c in ev.surroundings if c.kind == "survey"
    )


def test_no_report_crashes_on_the_comparisons(example_evaluations):
    for ev in example_evaluations:
        json.dumps(ev.to_dict(), allow_nan=False, default=str)  # no NaN leaks into the JSON


@pytest.mark.slow  # a simulation, as the calibration's
def test_did_false_alarms_when_the_area_moves_with_its_surroundings():
    from analysis.evaluation.calibration import SCENARIOS, simulate

    scenario = [s for s in SCENARIOS if s.objective == "comparison"]
    row = simulate(2000, seed=7, scenarios=tuple(scenario)).iloc[0]
    assert abs(row["significant"] - config.ALPHA) <= 3 * row["mc_se"]


def test_surroundings_aggregates_are_additive(ds):
    # area + rest of district = district, for n and for the weighted sums behind the share
    s = ds.survey.set_index(["area", "indicator", "year"])
    for year in (2016, 2025):
        key = ("unsafe_share", year)
        n = [s.loc[(a, *key), "n"] for a in ("folehaven", "folehaven~rest_of_district", "valby")]
        assert n[0] + n[1] == n[2]
    assert np.isfinite(pd.to_numeric(s["share"])).all()
