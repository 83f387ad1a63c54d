"""The public result schema (issue 21, item 5): every objective, comparison, surroundings and
pooled row carries the same keys, the reference year's under ``reference``, and the numbers
agree with one another (an outsider can check each verdict from the row alone)."""

from __future__ import annotations

import json
import math

import fastjsonschema
import pandas as pd
import pytest
from scipy import stats

from analysis import config
from analysis.evaluation import saved
from analysis.evaluation.public import RESULT_COLUMNS, document, results_frame

#: the keys the issue names, on every row and (but the test's) on its reference
KEYS = {"estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff"}
TEST_KEYS = {"test", "statistic", "df", "phi", "p_value"}


@pytest.fixture(scope="module")
def documents(example_evaluations):
    return [(ev, document(ev)) for ev in example_evaluations]


def _rows(doc: dict) -> list[dict]:
    return doc["objectives"] + doc["information"]


def test_every_row_has_the_public_keys_and_the_json_follows_the_committed_schema(documents):
    validate = fastjsonschema.compile(json.loads(saved.SCHEMA_PATH.read_text("utf-8")))
    kinds = set()
    for _, doc in documents:
        validate(json.loads(json.dumps(doc, allow_nan=False)))
        for row in _rows(doc):
            assert KEYS | TEST_KEYS | {"reference", "change"} <= set(row), row
            assert KEYS | {"year"} <= set(row["reference"])
            assert {"quantity", "estimate", "se", "ci_low", "ci_high"} <= set(row["change"])
            kinds.add(row.get("kind", "objective"))
    assert kinds == {"objective", "comparison", "surroundings", "pooled"}


def test_a_survey_row_can_be_checked_from_its_own_numbers(documents):
    """Design-based rows: independent years, so the change's SE is the two shares' in
    quadrature; z = change / SE; p from the normal; the share's n_eff = p(1-p)/SE²."""
    checked = 0
    for _, doc in documents:
        for row in _rows(doc):
            ref, change = row["reference"], row["change"]
            if change["quantity"] != "difference" or row["p_value"] is None or row["se"] is None:
                continue
            if not row["test"].startswith("design-based"):
                continue
            assert change["estimate"] == pytest.approx(row["estimate"] - ref["estimate"])
            assert change["se"] == pytest.approx(math.hypot(row["se"], ref["se"]), rel=1e-9)
            assert row["statistic"] == pytest.approx(change["estimate"] / change["se"])
            assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(row["statistic"])))
            for f in (row, ref):
                share = f["estimate"]
                assert f["n_eff"] == pytest.approx(share * (1 - share) / f["se"] ** 2, rel=1e-9)
                assert f["ci_low"] < share < f["ci_high"] and f["deff"] > 0
            checked += 1
    assert checked > 100


def test_a_police_row_carries_its_dispersion_and_degrees_of_freedom(documents):
    rows = [r for _, doc in documents for r in doc["objectives"] if r["objective"] == "crime"]
    quasi = [r for r in rows if r["test"] == "quasi-poisson score"]
    assert quasi and all(r["phi"] > 0 and r["df"] >= config.MIN_DISPERSION_DF for r in quasi)
    for r in quasi:
        assert r["change"]["quantity"] == "rate ratio"
        assert r["p_value"] == pytest.approx(2 * stats.t(r["df"]).sf(abs(r["statistic"])))
        assert r["change"]["ci_low"] < r["change"]["estimate"] < r["change"]["ci_high"]
        # Poisson's SE of the figure: sqrt(count), scaled for a rate (so (rate / se)² is the
        # whole count behind it)
        count = (r["estimate"] / r["se"]) ** 2
        assert r["n"] is None and count == pytest.approx(round(count), abs=1e-6)
    exact = [r for r in rows if r["test"] == "exact conditional (binomial)"]
    assert all(r["phi"] == 1 and r["df"] is None for r in exact)


def test_the_results_table_is_the_same_rows_flat(documents, tmp_path):
    ev, doc = documents[0]
    frame = results_frame(ev)
    assert list(frame.columns) == list(RESULT_COLUMNS)
    assert len(frame) == len(_rows(doc))
    for flat, row in zip(frame.to_dict("records"), _rows(doc), strict=True):
        for key in KEYS:
            assert _same(flat[key], row[key]) and _same(
                flat[f"reference_{key}"], row["reference"][key]
            )
        assert _same(flat["change_estimate"], row["change"]["estimate"])
        assert _same(flat["p_value"], row["p_value"])
    frame.to_csv(tmp_path / "r.csv", index=False)
    back = pd.read_csv(tmp_path / "r.csv")
    assert list(back.columns) == list(RESULT_COLUMNS)


def _same(a: object, b: object) -> bool:
    missing = (a is None or (isinstance(a, float) and math.isnan(a)), b is None)
    return all(missing) if any(missing) else a == pytest.approx(b, rel=1e-12)


def test_the_design_effect_and_kishs_weighting_effect_are_both_in_the_json(documents):
    # two different things under two names (issue 21, item 2): the variance ratio, and
    # n / n_eff of the weights alone
    for _, doc in documents:
        series = doc["survey_series"]
        rows = [dict(zip(series["columns"], r, strict=True)) for r in series["data"]]
        shown = [r for r in rows if r["share"] is not None and r["n"] is not None]
        assert shown and all(r["deff"] > 0 and r["weighting_effect"] >= 1 for r in shown)
        assert any(abs(r["deff"] - r["weighting_effect"]) > 0.05 for r in shown)
