"""Saved evaluations: the JSON every output is rendered from reads back to the same evaluation,
follows the committed schema, and a status document rendered from it is byte for byte the one
rendered from the evaluation itself."""

from __future__ import annotations

import json

import fastjsonschema
import pytest

from analysis.errors import InputError
from analysis.evaluation import saved
from analysis.reporting.status import content, render


@pytest.fixture(scope="module")
def evaluations(example_evaluations):
    return example_evaluations


def test_the_committed_schema_is_the_generated_one():
    committed = json.loads(saved.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == saved.schema(), "run: python -m analysis.evaluation.saved"


def test_every_evaluation_follows_the_schema_and_reads_back_the_same(evaluations, tmp_path):
    validate = fastjsonschema.compile(saved.schema())
    for ev in evaluations:
        path = tmp_path / f"{ev.partnership}-{ev.year}.json"
        saved.save(ev, path)
        data = json.loads(path.read_text(encoding="utf-8"))
        validate(data)
        back = saved.read(path)
        assert back.to_dict() == ev.to_dict(), (ev.partnership, ev.year)
        for name in ("survey_series", "survey_changes", "crime_series", "published"):
            assert getattr(back, name).dtypes.equals(getattr(ev, name).dtypes), name
        assert [o.status for o in back.objectives] == [o.status for o in ev.objectives]


def test_a_status_document_from_saved_evaluations_is_byte_identical(evaluations, tmp_path):
    for year in (2019, 2021, 2025):
        evs = [ev for ev in evaluations if ev.year == year]
        back = []
        for ev in evs:
            path = tmp_path / f"{ev.partnership}-{year}.json"
            saved.save(ev, path)
            back.append(saved.read(path))
        assert render(content(year, back)) == render(content(year, evs)), year


def test_nan_and_none_stay_apart():
    from analysis.stats import StatResult
    from analysis.typed_json import decode, encode

    r = StatResult("x", 0.1, float("nan"), 0.2, "m", (3.0,), "n", None, float("nan"))
    back = decode(json.loads(json.dumps(encode(r, StatResult))), StatResult)
    assert back.statistic is None and back.p_value != back.p_value  # None, NaN
    assert back.ci_low != back.ci_low and back.n == (3.0,)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["objectives"][0].update(status="godt nok"), "objectives[0].status"),
        (lambda d: d.pop("year"), "year"),
        (lambda d: d.update(schema_version=99), "schema_version"),
    ],
)
def test_a_damaged_saved_evaluation_is_refused_in_one_line(evaluations, tmp_path, edit, message):
    path = tmp_path / "2019.json"
    saved.save(evaluations[0], path)
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as err:
        saved.read(path)
    text = str(err.value)
    assert str(path) in text and message in text and "\n" not in text


def test_a_saved_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "2019.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a saved evaluation") as err:
        saved.read(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
