"""Model-based shares (issue 24): the simulation from a known population of areas, and the
estimates every report shows beside the direct ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import config
from analysis.evaluation import evaluate_partnership
from analysis.loaders import load_dataset
from analysis.stats.small_area_simulation import simulate


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(None, processed_dir=tmp_path_factory.mktemp("processed"))


@pytest.mark.slow  # a simulation, as the calibration's
def test_the_intervals_cover_and_the_model_beats_the_direct_estimate():
    # a short run (the full one: benchmarks/small_area_coverage.py); 200 replicates x 27
    # partnership-area years: Monte Carlo SE of the coverage about 0.3 points
    r = simulate(n_sims=200, seed=24)
    assert 0.93 <= r["coverage"] <= 0.97, r
    assert r["mse_ratio"] < 0.8, r
    # the area far above the others, falling faster than the city, is neither shrunk towards
    # the city nor towards its own past: its level and trend are fixed effects (bias in the
    # last year within half a point)
    assert abs(r["high_area_bias"]) < 0.005, r


@pytest.mark.slow
def test_without_the_areas_own_level_and_trend_the_high_area_is_misjudged():
    # levels without trends: its fall is pulled back towards its past (about 2 points)
    level = simulate(n_sims=200, seed=24, specification="level")
    assert level["high_area_bias"] > 0.01 and level["coverage"] < 0.935
    # districts and one partnership-area effect: pulled towards the other areas (about half a
    # point; the Monte Carlo SE of a bias from 200 replicates is about 0.1 point)
    district = simulate(n_sims=200, seed=24, specification="district")
    assert district["high_area_bias"] > 0.003 and district["coverage"] < 0.935


def test_every_report_has_the_model_beside_the_direct_share(example_evaluations):
    for ev in example_evaluations:
        p, y = ev.partnership, ev.year
        m, fit = ev.survey_model, ev.survey_model_fit
        assert set(fit["indicator"]) == set(ev.survey_series["indicator"]), (p, y)
        if m.empty:
            assert (fit["reason"] != "").all(), (p, y)
            continue
        assert m["year"].max() <= y and (m["year"] == y).any(), (p, y)
        # the direct share is the series' one; the model's interval holds its estimate
        s = ev.survey_series.set_index(["area", "indicator", "year"])["share"]
        for r in m.itertuples():
            assert r.direct == pytest.approx(s[(ev.area, r.indicator, r.year)])
            assert r.ci_low <= r.model <= r.ci_high and 0 <= r.shrinkage <= 1
        # narrower than the direct estimate's, as the model borrows strength
        assert (m["model_se"] < m["direct_se"]).all(), (p, y)


def test_no_model_share_for_a_year_below_the_floor(ds):
    # Folehaven 2022-2023 made to have too few respondents: no model-based share for them
    small = ds.survey.copy()
    rows = (small["area"] == "folehaven") & small["year"].isin([2022, 2023])
    small.loc[rows, "n"] = config.MIN_RESPONDENTS - 1
    import dataclasses

    thin = dataclasses.replace(ds, tables={**ds.tables, "survey": small})
    ev = evaluate_partnership("folehaven", 2024, dataset=thin)
    assert not ev.survey_model["year"].isin([2022, 2023]).any()
    assert math.isfinite(ev.survey_model.loc[ev.survey_model["year"] == 2024, "model"].iloc[0])
    assert np.isfinite(ev.survey_model_fit["model_variance"]).all()


def test_published_shares_without_respondents_say_why_there_is_no_model(tmp_path):
    published = load_dataset(config.PUBLISHED_DIR, processed_dir=tmp_path)
    ev = evaluate_partnership("tingbjerg_husum", 2020, dataset=published)
    assert ev.survey_model.empty
    assert all("antallet af besvarelser" in r for r in ev.survey_model_fit["reason"])


def test_a_model_the_data_cannot_identify_is_said_not_crashed(monkeypatch, ds):
    from analysis.evaluation import small_area
    from analysis.evaluation.survey import cells_of
    from analysis.reference import load_reference

    def singular(*_a, **_k):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(small_area, "model_shares", singular)
    model, fit = small_area.model_tables(
        "folehaven", cells_of(ds.survey), load_reference(), ("unsafe_share",), 2025
    )
    assert model.empty and "kan ikke adskille" in fit["reason"].iloc[0]
