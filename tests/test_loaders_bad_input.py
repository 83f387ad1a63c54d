"""Every malformed input in tests/data/bad/ gets one clear error through the command line: the
exit code, one message naming the file and the place, and nothing written.

Data files are checked twice: ``validate FILE`` (the message), and ``evaluate`` on a copy of the
example data with the file in place of its kind (exit code 1, no processed data, no output).
``dataset_*`` folders are data folders whose ``dataset.yaml`` is wrong; ``agreement_*.yaml`` are
agreements. The corpus is written by tests/data/make_bad_corpus.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from analysis import config
from analysis.cli import main
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
    ("survey.json", "unsupported file type '.json': expected .csv, .tsv, .tab, .txt, .xlsx"),
    ("broken.xlsx", "cannot be opened as an Excel workbook"),
    ("broken.sav", "cannot be read as an SPSS .sav file"),
    ("empty.csv", "the file is empty"),
    ("binary.csv", "this looks like a binary file"),
]

#: issue 11: inputs that once passed validation and changed a verdict, and their neighbours
CASES += [
    ("survey_decimal_mixed.csv", "row 2, column 'weight': '11.45' has a decimal point, but row 3"),
    ("survey_grouping_odd.csv", "'1.23,5': digits grouped by '.' must come in threes"),
    ("survey_weight_inf.csv", "row 3, column 'weight': expected a finite number"),
    ("survey_weight_overflow.csv", "row 3, column 'weight': expected a finite number"),
    ("survey_weight_nan.csv", "row 3, column 'weight': expected a number, got 'nan'"),
    ("survey_stray_quote.csv", 'row 11: a quote (") opens a field that runs over 30 lines'),
    ("survey_bom_not_utf8.csv", "line 3: cannot be read as utf-8-sig"),
    ("police_total_and_subtypes.csv", "'Indbrud' is the total of ['Indbrud i beboelse'"),
    ("police_future_year.csv", "row 2, column 'year': 2029"),
    ("police_count_overflow.csv", "99999999999999999999 is too large for a count"),
    ("population_tiny.csv", "1 inhabitants cannot carry a rate per 1,000"),
    ("activities_no_partner.csv", "row 2, column 'partners': ';;' names no partner"),
    ("activities_duplicate_case.csv", "row 2, row 3: duplicate key"),
    ("ssp_unknown_district.csv", "'16 Sundby': not a known SSP district"),
]

#: issue 20: valid-looking input that moved a number, and text people type
CASES += [
    ("survey_weight_extreme.csv", "row 42, column 'weight': 1000000 is"),
    ("survey_id_scientific.csv", "'1.23457E+11' is a number in scientific notation"),
    ("survey_weight_r_na.csv", "row 3, column 'weight': expected a number, got 'NA'"),
    ("survey_xxe.xlsx", "cannot be opened as an Excel workbook"),
    ("survey_area_cyrillic.csv", "contains the letter(s) 'о' (Cyrillic, U+043E) of another alp"),
    ("activities_zero_width.csv", "row 2, row 3: duplicate key"),
    ("activities_nfd.csv", "row 2, row 3: duplicate key"),
    ("activities_cyrillic.csv", "row 2, row 3: duplicate key"),
]

AGREEMENTS = [
    ("agreement_baseline_after_period.yaml", "key 'crime.baseline_year': 2027 is after the perio"),
    ("agreement_components_twice.yaml", "'vold_vaaben' is listed 2 times; each category once"),
    ("agreement_components_total.yaml", "'borgervendt' is the whole of police crime"),
    ("agreement_list.yaml", "expected a mapping of keys"),
    ("agreement_cp1252.yaml", "not UTF-8 text; save the file as UTF-8"),
    ("agreement_syntax.yaml", "line 3, column 1: not valid YAML"),
    ("agreement_python_tag.yaml", "line 1, column 5: not valid YAML (could not determine a con"),
    ("agreement_billion_laughs.yaml", "not valid YAML (aliases (*name) are not allowed here)"),
    ("agreement_duplicate_key.yaml", "not valid YAML (duplicate key 'direction')"),
    ("agreement_unknown_area.yaml", "key 'area.survey_area': expected a partnership id"),
    ("agreement_wrong_district.yaml", "key 'area.district': 'amager_vest', but folehaven lies in"),
    ("agreement_unknown_ssp_district.yaml", "key 'ssp.district': expected an SSP district"),
    (
        "agreement_target_without_baseline.yaml",
        "key 'crime.indicators[0].baseline': missing (a number, or 'pending'",
    ),
]

DATASETS = [
    ("dataset_outside", "key 'files.survey': '../survey_missing_column.csv' lies outside"),
    ("dataset_absolute", "key 'files.survey': '/etc/hostname' lies outside the data folder"),
    ("dataset_symlink_out", "key 'files.survey': 'link.csv' lies outside the data folder"),
    ("dataset_syntax", "line 4, column 1: not valid YAML"),
    ("dataset_python_tag", "not valid YAML (could not determine a constructor"),
    ("dataset_list", "expected a mapping of keys (name, synthetic, files), got list"),
    ("dataset_entry_mapping", "key 'files.survey.file': unknown key"),
    ("dataset_folder_as_file", "key 'files.survey': file 'sub' is a folder"),
    ("dataset_duplicate_key", "not valid YAML (duplicate key 'survey')"),
    ("dataset_unknown_kind", "key 'files.surveys': unknown kind"),
    ("dataset_billion_laughs", "not valid YAML (aliases (*name) are not allowed here)"),
    ("dataset_missing_file", "key 'files.survey': file 'tryghed.csv' not found"),
    ("dataset_cp1252", "not UTF-8 text; save the file as UTF-8"),
    ("dataset_values_merged", "values.safety: the codes 2, 3 all map to 'tryg'; a mapping mu"),
    ("dataset_merge_unknown", "merge: ['area'] have no 'values' mapping"),
]

#: the kind a data file stands in for in the evaluate run, by its name's first word
KIND_OF = {"aggregate": "survey_aggregate", "police": "police", "population": "population"}
KIND_OF |= {"activities": "activities", "ssp": "ssp"}


def test_corpus_is_complete():
    assert len(CASES) + len(AGREEMENTS) + len(DATASETS) >= 70
    named = {name for name, _ in CASES + AGREEMENTS + DATASETS} | {"police_cp1252.csv"}
    assert named == {p.name for p in BAD.iterdir()}


def _one_clear_error(capsys, path: Path, message: str) -> None:
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err, err
    assert err.startswith(str(path)), err
    assert message in err, err


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """Processed data go to a temporary folder, which must stay empty."""
    processed = tmp_path / "processed"
    monkeypatch.setattr(config, "PROCESSED_DIR", processed)
    yield processed
    assert not processed.exists() or not any(processed.rglob("*")), list(processed.rglob("*"))


def _evaluate(data_dir: Path) -> int:
    return main(
        ["evaluate", "--partnership", "folehaven", "--year", "2025", "--data-dir", str(data_dir)]
    )


@pytest.mark.parametrize(("name", "message"), CASES)
def test_bad_data_file(name, message, capsys, nowhere):
    path = BAD / name
    assert main(["validate", str(path)]) == 1
    _one_clear_error(capsys, path, message)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "message"), CASES)
def test_bad_data_file_stops_evaluate(name, message, tmp_path, capsys, nowhere):
    # the same file in a data folder: evaluate stops with the file's name and writes nothing
    path = BAD / name
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    shutil.copy(path, data / name)
    spec = yaml.safe_load((data / "dataset.yaml").read_text(encoding="utf-8"))
    spec["files"][KIND_OF.get(name.split("_")[0], "survey")] = name
    (data / "dataset.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert _evaluate(data) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(str(data / name)) and "Traceback" not in err, err


@pytest.mark.parametrize(("name", "message"), AGREEMENTS)
def test_bad_agreement(name, message, capsys):
    path = BAD / name
    assert main(["validate", str(path)]) == 1
    _one_clear_error(capsys, path, message)


@pytest.mark.parametrize(("name", "message"), DATASETS)
def test_bad_dataset_yaml(name, message, capsys, nowhere):
    path = BAD / name / "dataset.yaml"
    assert main(["validate", str(path)]) == 1
    _one_clear_error(capsys, path, message)
    assert _evaluate(BAD / name) == 1
    _one_clear_error(capsys, path, message)


def test_declared_encoding_that_does_not_fit():
    path = BAD / "police_cp1252.csv"
    with pytest.raises(InputError, match=r"line 2: cannot be read as utf-8"):
        load_file(path, encoding="utf-8")
    _, df, raw = load_file(path)  # detected: Windows-1252, and read correctly
    assert raw.encoding == "cp1252" and df["crime_type"].tolist() == ["Hærværk"]


def test_utf8_declared_as_cp1252_is_refused(tmp_path):
    path = tmp_path / "police.csv"
    path.write_text("area,year,crime_type,count\nfolehaven,2025,Hærværk,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="declared as cp1252, but the file is UTF-8 text"):
        load_file(path, encoding="cp1252")
    ascii_only = tmp_path / "ascii.csv"  # the same bytes in either encoding: read
    ascii_only.write_text("area,year,crime_type,count\nfolehaven,2025,Vold,3\n", "utf-8")
    assert load_file(ascii_only, encoding="cp1252")[1]["count"].tolist() == [3]


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


def test_validate_a_data_folder_checks_every_file(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    assert main(["validate", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.count(": valid ") == 6  # dataset.yaml and its five files
    shutil.copy(BAD / "police_negative_count.csv", data / "police.csv")
    assert main(["validate", str(data)]) == 1
    out, err = capsys.readouterr()
    assert "population.csv: valid population file" in out  # the others are still checked
    assert err.startswith(str(data / "police.csv")) and "column 'count'" in err


def test_messages_stay_short_whatever_the_file(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(
        ",".join(f"c{i}" for i in range(1000)) + "\n" + ",".join("1" * 1000) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_file(wide)
    assert "(1000 columns)" in str(info.value) and len(str(info.value)) < 2000
    with pytest.raises(InputError) as info:
        load_file(wide, "survey")  # a problem per column: 40 shown, the rest counted
    assert "... and 967 more problems" in str(info.value) and len(str(info.value)) < 5000
    huge = tmp_path / "huge.csv"
    huge.write_text(f"area,year,residents\nfolehaven,2020,{'9x' * 500_000}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(huge)
    assert "row 2, column 'residents'" in str(info.value) and len(str(info.value)) < 2000


def test_a_trailing_delimiter_column_is_ignored_and_said(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("area;year;residents;\nfolehaven;2020;2000;\n", encoding="utf-8")
    _, df, raw = load_file(path)
    assert list(df.columns) == ["area", "year", "residents"]
    assert "1 empty column(s) without a name ignored" in raw.notes
    path.write_text("area;year;residents;\nfolehaven;2020;2000;x\n", encoding="utf-8")
    with pytest.raises(InputError, match="column '': not a column of a population file"):
        load_file(path)


def test_a_declared_delimiter_must_be_one_character(tmp_path, capsys):
    population = config.EXAMPLE_DIR / "population.csv"
    for bad in ("ab", "", '"'):
        assert main(["validate", str(population), "--delimiter", bad]) == 1
        _one_clear_error(capsys, population, "expected one character such as ';', ',' or a tab")
    shutil.copy(population, tmp_path / "population.csv")
    (tmp_path / "dataset.yaml").write_text(
        "name: x\nsynthetic: true\nfiles:\n  population: {path: population.csv, delimiter: ';;'}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(tmp_path)]) == 1
    _one_clear_error(capsys, tmp_path / "dataset.yaml", "key 'files.population.delimiter'")


@pytest.mark.parametrize(
    ("design", "message"),
    [
        ("{strata: [district]}", "key 'design': strata must include 'year'"),
        ("{strata: [year, bydel]}", "key 'design.strata.1': Input should be 'year'"),
        ("{fpc: yes}", "key 'design.fpc': Input should be 'population' or 'none'"),
        ("{clusters: [area]}", "key 'design.clusters': Input should be a valid string"),
        ("{clusters: household}", "cluster samples are not supported"),
    ],
)
def test_a_wrong_design_is_refused_naming_the_key(tmp_path, design, message):
    folder = tmp_path / "d"
    shutil.copytree(config.EXAMPLE_DIR, folder, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    spec = folder / "dataset.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + f"design: {design}\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as e:
        load_dataset(folder, processed_dir=tmp_path / "p")
    assert str(e.value).startswith(str(spec))
