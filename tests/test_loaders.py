"""Loaders on good input: the three survey formats agree, tidy shapes, caching, calibration."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.loaders import load_dataset
from analysis.loaders.dataset import processed_dir_of
from analysis.loaders.survey import COLUMNS as survey_columns
from analysis.loaders.survey import aggregate_microdata, from_aggregates
from analysis.loaders.validation import load_file
from analysis.published import load_published_figures


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.mark.slow
def test_csv_xlsx_and_sav_give_the_same_shares():
    frames = {}
    for name in ("survey.csv", "survey.xlsx", "survey.sav"):
        _, df, _ = load_file(config.EXAMPLE_DIR / name)
        frames[name] = aggregate_microdata(df, True)
    pd.testing.assert_frame_equal(frames["survey.csv"], frames["survey.xlsx"], rtol=1e-6)
    pd.testing.assert_frame_equal(frames["survey.csv"], frames["survey.sav"], rtol=1e-6)


def test_danish_csv_and_cp1252_are_read():
    _, _, raw = load_file(config.EXAMPLE_DIR / "survey.csv")
    assert (raw.delimiter, raw.decimal) == (";", ",")
    _, df, raw = load_file(config.EXAMPLE_DIR / "police.csv")
    assert raw.encoding == "cp1252" and "Hærværk" in set(df["crime_type"])


def test_weighted_share_and_kish_n_by_hand():
    df = pd.DataFrame(
        {
            "respondent_id": ["1", "2", "3", "4", "5"],
            "year": 2020,
            "district": ["valby"] * 4 + ["norrebro"],
            "area": ["folehaven", "folehaven", None, None, None],
            "weight": [1.0, 3.0, 2.0, 2.0, 4.0],
            "safety": ["utryg", "tryg", "meget utryg", "ved ikke", None],
            "safety_night": ["utryg"] * 5,
        }
    )
    out = aggregate_microdata(df, False).set_index(["area", "indicator"])
    fole = out.loc[("folehaven", "unsafe_share")]
    assert fole["share"] == pytest.approx(1 / 4) and fole["n"] == 2
    # Kish's weighting effect n Σw² / (Σw)² = 2 · 10 / 16; the tests' n_eff is the binomial n
    # of the design-based variance
    assert fole["weighting_effect"] == pytest.approx(2 * 10 / 16)
    assert fole["n_eff"] == pytest.approx(fole["share"] * (1 - fole["share"]) / fole["se"] ** 2)
    assert fole["variance"] == "taylor"
    valby = out.loc[("valby", "unsafe_share")]  # "ved ikke" is left out of the denominator
    assert valby["n"] == 3 and valby["share"] == pytest.approx(3 / 6)
    city = out.loc[("kobenhavn", "unsafe_share_night")]
    assert city["n"] == 5 and city["share"] == 1.0


def test_aggregates_take_the_same_shape():
    df = pd.DataFrame(
        {
            "area": ["folehaven"],
            "year": [2021],
            "indicator": ["unsafe_share"],
            "share": [None],
            "count": [51.0],
            "n": [300],
            "deff": [1.5],
        }
    )
    out = from_aggregates(df, False)
    assert list(out.columns) == survey_columns
    assert out["share"].iloc[0] == pytest.approx(0.17) and out["n_eff"].iloc[0] == 200
    # Kish's route: the variance of n_eff = n / deff binomial answers, named as such
    assert out["variance"].iloc[0] == "kish" and out["deff"].iloc[0] == 1.5
    assert out["se"].iloc[0] == pytest.approx((0.17 * 0.83 / 200) ** 0.5)
    assert not out["deff_assumed"].iloc[0]


def test_aggregate_design_effect_from_dataset_or_assumed_visibly(tmp_path):
    from analysis.evaluation import evaluate_partnership

    rows = ["area,year,indicator,share,n"]
    for year, area_share, city_share in ((2021, 0.17, 0.09), (2022, 0.12, 0.09)):
        rows += [
            f"folehaven,{year},unsafe_share,{area_share},260",
            f"kobenhavn,{year},unsafe_share,{city_share},9000",
        ]
    (tmp_path / "agg.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = "name: agg\nsynthetic: false\nfiles: {survey_aggregate: agg.csv}\n"
    (tmp_path / "dataset.yaml").write_text(spec, encoding="utf-8")
    ds = load_dataset(tmp_path, processed_dir=tmp_path / "processed")
    assert ds.survey["deff_assumed"].all() and (ds.survey["n_eff"] == ds.survey["n"]).all()
    ev = evaluate_partnership("folehaven", 2022, dataset=ds)
    assert ev.warnings and "antaget 1" in ev.warnings[0]  # said at the top of the report
    (tmp_path / "dataset.yaml").write_text(spec + "deff: 1.3\n", encoding="utf-8")
    ds = load_dataset(tmp_path, processed_dir=tmp_path / "processed")
    assert not ds.survey["deff_assumed"].any()
    assert ds.survey["n_eff"].iloc[0] == pytest.approx(ds.survey["n"].iloc[0] / 1.3)
    assert not evaluate_partnership("folehaven", 2022, dataset=ds).warnings
    (tmp_path / "dataset.yaml").write_text(spec + "deff: 0.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="key 'deff'"):
        load_dataset(tmp_path, processed_dir=tmp_path / "processed")


def test_tidy_tables_and_synthetic_flag(dataset):
    assert dataset.synthetic and dataset.survey["example_data"].all()
    assert set(dataset.survey["area"]) >= {"kobenhavn", "valby", "folehaven"}
    assert (
        dataset.survey.query("area == 'kobenhavn' and indicator == 'unsafe_share'")["n"].min()
        >= 3500
    )
    police = dataset.police.set_index(["area", "year", "category"])["count"]
    # the agreements' 2015 baselines (seeds 003 and 002)
    assert police[("amager_partnerskab", 2015, "indbrud")] == 48
    assert (
        police[("tingbjerg_husum", 2015, "vold_vaaben")]
        + police[("tingbjerg_husum", 2015, "trusler")]
    ) == 86
    assert police[("tingbjerg_husum", 2019, "borgervendt")] == 229
    assert police[("folehaven", 2020, "borgervendt")] == 64
    acts = dataset.activities
    assert {"partnership", "year", "activity", "partners", "n_partners"} <= set(acts.columns)


def test_published_rates_reproduced(dataset):
    police = dataset.police.set_index(["area", "year", "category"])["count"]
    pop = dataset.population.set_index(["area", "year"])["residents"]
    for area, year, rate in [
        ("tingbjerg_husum", 2019, 20.4),
        ("folehaven", 2020, 28.8),
        ("kobenhavn", 2019, 55.6),
        ("kobenhavn", 2021, 35.0),
    ]:
        got = police[(area, year, "borgervendt")] / pop[(area, year)] * 1000
        assert round(got, 1) == rate


def test_example_survey_reproduces_every_published_figure(dataset):
    shares = dataset.survey.set_index(["area", "year", "indicator"])["share"]
    pub = load_published_figures()
    pub = pub[
        pub["indicator"].isin(
            ["unsafe_share", "unsafe_share_night", "safe_share", "safe_share_night"]
        )
        & pub["year"].between(2014, 2026)
    ]
    assert len(pub) > 50
    for r in pub.itertuples():
        decimals = 0 if float(r.value).is_integer() else 1
        assert round(shares[(r.area, r.year, r.indicator)] * 100, decimals) == r.value, r


def test_cache_manifest_and_rebuild(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    processed = tmp_path / "processed"
    first = load_dataset(data, processed_dir=processed)
    cache = processed_dir_of(first, processed)
    assert cache.parent == processed and cache.name.startswith("example-")
    manifest = json.loads((cache / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {
        "survey.csv",
        "police.csv",
        "population.csv",
        "activities.csv",
        "ssp.csv",
        "dataset.yaml",
    }
    before = (cache / "survey.parquet").stat().st_mtime_ns
    again = load_dataset(data, processed_dir=processed)
    assert (cache / "survey.parquet").stat().st_mtime_ns == before
    pd.testing.assert_frame_equal(first.survey, again.survey)
    with open(data / "ssp.csv", "a", encoding="utf-8") as fh:
        fh.write("2021,15 Sundbyvester,2\n")
    changed = load_dataset(data, processed_dir=processed)
    assert 2021 in set(changed.ssp["year"])


def test_validate_cli(capsys):
    from analysis.cli import main

    assert main(["validate", str(config.EXAMPLE_DIR / "police.csv")]) == 0
    out = capsys.readouterr().out
    assert "valid police file" in out and "encoding: cp1252" in out
    assert main(["validate", "tests/data/bad/police_negative_count.csv"]) == 1
    assert "row 2, column 'count'" in capsys.readouterr().err
