"""Every malformed file in tests/data/bad/ gets one clear error naming the file and the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.errors import InputError
from analysis.loaders import load_dataset
from analysis.loaders.validation import load_file

BAD = Path(__file__).parent / "data" / "bad"

CASES = [
    ("survey_missing_column.csv", "column 'weight': missing"),
    (
        "survey_misspelled_column.csv",
        "column 'wieght': not a column of a survey file (did you mean 'weight'?)",
    ),
    ("survey_extra_column.csv", "column 'age': not a column of a survey file"),
    ("survey_weight_text.csv", "row 3, column 'weight': expected a number, got 'abc'"),
    ("survey_weight_zero.csv", "row 2, column 'weight': 0: expected a value above 0"),
    ("survey_weight_negative.csv", "row 3, column 'weight': -1.5: expected a value above 0"),
    ("survey_empty_weight.csv", "row 3, column 'weight': empty; a value is required"),
    (
        "survey_answer_outside_scale.csv",
        "row 3, column 'safety': 'ret tryg': not a known safety; expected one of: meget tryg, tryg",
    ),
    ("survey_unknown_district.csv", "row 3, column 'district': 'hellerup': not a known district"),
    ("survey_unknown_area.csv", "row 3, column 'area': 'vesterbro': not a known area"),
    ("survey_year_outside.csv", "row 3, column 'year': 2031: outside the known years 2009–2029"),
    ("survey_year_decimal.csv", "row 3, column 'year': expected a whole number, got '2020.5'"),
    ("survey_duplicate_id.csv", "row 2, row 4: duplicate key (year=2020, respondent_id='2020-1')"),
    (
        "survey_area_wrong_district.csv",
        "row 2, column 'district': area 'folehaven' lies in 'valby', not 'amager_vest'",
    ),
    ("survey_missing_field.csv", "row 3: 6 fields, expected 7"),
    ("survey_header_only.csv", "the file has a header but no data rows"),
    ("survey_no_delimiter.csv", "row 1: found no ';', ',' or tab between column names"),
    ("survey_title_row.xlsx", "the header is on row 3, not on row 1"),
    (
        "aggregate_percentages.csv",
        "column 'share': values such as 17 (row 2) look like "
        "percentages; give shares between 0 and 1",
    ),
    ("aggregate_share_above_one.csv", "row 3, column 'share': 1.6: expected a value at most 1"),
    ("aggregate_count_above_n.csv", "row 2, column 'count': 320 is larger than n = 300"),
    ("aggregate_share_and_count.csv", "row 2: give either 'share' or 'count', not both"),
    ("aggregate_negative_count.csv", "row 2, column 'count': -4: expected a value at least 0"),
    (
        "aggregate_unknown_indicator.csv",
        "row 2, column 'indicator': 'utryghed': not a known indicator",
    ),
    ("aggregate_deff_below_one.csv", "row 2, column 'deff': 0.5: expected a value at least 1"),
    (
        "police_unknown_crime_type.csv",
        "row 2, column 'crime_type': 'Lommetyveri': not a known crime_type",
    ),
    ("police_negative_count.csv", "row 2, column 'count': -3: expected a value at least 0"),
    (
        "police_duplicate.csv",
        "row 2, row 3: duplicate key (area='folehaven', year=2020, crime_type='Tyveri')",
    ),
    ("police_unknown_area.csv", "row 2, column 'area': 'valby': not a known area"),
    (
        "police_mojibake.csv",
        "line 2: 'Ã¦' looks like UTF-8 text that was saved through the wrong encoding",
    ),
    ("population_zero_residents.csv", "row 2, column 'residents': 0: expected a value above 0"),
    (
        "population_text_residents.csv",
        "row 2, column 'residents': expected a whole number, got 'ca. 2000'",
    ),
    (
        "activities_unknown_partnership.csv",
        "row 2, column 'partnership': 'vesterbro': not a known partnership",
    ),
    ("ssp_count_decimal.csv", "row 2, column 'count': expected a whole number, got '1.5'"),
    ("unknown_kind.csv", "cannot tell what kind of file this is from its columns ['foo', 'bar']"),
    ("survey.json", "unsupported file type '.json': expected .csv, .xlsx, .sav or .parquet"),
    ("broken.xlsx", "cannot be opened as an Excel workbook"),
    ("broken.sav", "cannot be read as an SPSS .sav file"),
    ("empty.csv", "the file is empty"),
    ("binary.csv", "this looks like a binary file"),
]


def test_corpus_is_complete():
    assert len(CASES) >= 30
    named = {name for name, _ in CASES} | {"police_cp1252.csv"}
    assert named == {p.name for p in BAD.iterdir()}


@pytest.mark.parametrize(("name", "message"), CASES)
def test_bad_file_message(name, message):
    path = BAD / name
    with pytest.raises(InputError) as info:
        load_file(path)
    text = str(info.value)
    assert text.startswith(str(path)), text
    assert message in text, text


def test_declared_encoding_that_does_not_fit():
    path = BAD / "police_cp1252.csv"
    with pytest.raises(InputError, match=r"line 2: cannot be read as utf-8"):
        load_file(path, encoding="utf-8")
    _, df, raw = load_file(path)  # detected: Windows-1252, and read correctly
    assert raw.encoding == "cp1252" and df["crime_type"].tolist() == ["Hærværk"]


def test_all_problems_listed_at_once(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("area,year,residents\nfolehaven,2031,0\nvalby,2020,-5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(path)
    problems = info.value.problems
    assert len(problems) >= 4
    assert any("row 2, column 'year'" in p for p in problems)
    assert any("2031 has not happened yet" in p for p in problems)
    assert any("cannot carry a rate per 1,000" in p for p in problems)
    assert any("row 3, column 'area': 'valby'" in p for p in problems)


def test_bad_file_in_dataset_writes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    shutil.copy(BAD / "police_negative_count.csv", data / "police.csv")
    processed = tmp_path / "processed"
    with pytest.raises(InputError, match=r"police\.csv: row 2, column 'count'"):
        load_dataset(data, processed_dir=processed)
    assert not processed.exists() or not any(processed.rglob("*.parquet"))
