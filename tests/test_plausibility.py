"""Issue 20: what a statistician checks before trusting a file, text as people type it, tables
that cannot run as formulas, and caches that two data folders never share."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata

import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.cli import main
from analysis.errors import InputError
from analysis.evaluation import evaluate_partnership
from analysis.evaluation.results import spreadsheet_safe, write_results
from analysis.loaders import load_dataset
from analysis.loaders.dataset import processed_dir_of
from analysis.loaders.validation import load_file


@pytest.fixture
def data(tmp_path):
    """A copy of the example data folder (CSV files only)."""
    folder = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, folder, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    return folder


def _spec(folder, **entries):
    spec = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    spec["files"].update(entries)
    (folder / "dataset.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")


def test_nfd_names_are_the_same_text_and_the_normalisation_is_listed(tmp_path, capsys):
    nfc = "area,year,crime_type,count\nAmager Partnerskab (Urbanplanen og Hørgården),2020,Våben,3\n"
    a, b = tmp_path / "nfc.csv", tmp_path / "nfd.csv"
    a.write_text(nfc, encoding="utf-8")
    b.write_text(unicodedata.normalize("NFD", nfc), encoding="utf-8")
    _, df_a, _ = load_file(a, "police")
    _, df_b, _ = load_file(b, "police")
    pd.testing.assert_frame_equal(df_a, df_b)
    assert main(["validate", str(b)]) == 0
    assert "(Unicode NFC)" in capsys.readouterr().out


def test_invisible_and_special_spaces_do_not_make_another_name(tmp_path):
    path = tmp_path / "police.csv"
    path.write_text("area,year,crime_type,count\nfole\u200bhaven,2020,Hær\u00adværk,3\n", "utf-8")
    _, df, raw = load_file(path, "police")
    assert list(df["area"]) == ["folehaven"] and list(df["crime_type"]) == ["Hærværk"]
    assert any("invisible characters removed" in n for n in raw.notes)


def test_a_weight_far_outside_the_file_is_refused_unless_allowed(data):
    survey = data / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(";")
    cells[4] = "1000000"
    lines[1] = ";".join(cells)
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2, column 'weight': 1000000 is"):
        load_dataset(data, processed_dir=data.parent / "p")
    assert not (data.parent / "p").exists() or not any((data.parent / "p").rglob("*.parquet"))
    entry = {"path": "survey.csv", "delimiter": ";", "allow_extreme_weights": True}
    _spec(data, survey=entry)
    ds = load_dataset(data, processed_dir=data.parent / "p")
    row = ds.survey.query("area == 'amager_partnerskab' and year == 2014").iloc[0]
    # allowed, the weight leaves the evidence of about one respondent (Kish): below the floor
    assert row["n"] / row["weighting_effect"] < config.MIN_RESPONDENTS <= row["n"]
    ev = evaluate_partnership("amager", 2017, dataset=ds)
    cells = ev.survey_series.query("area == 'amager_partnerskab' and year == 2014")
    assert cells["too_few"].all() and cells["share"].isna().all()


def test_percent_declared_for_fractions_is_refused(tmp_path):
    folder = tmp_path / "agg"
    folder.mkdir()
    (folder / "shares.csv").write_text(
        "area,year,indicator,share,n\nfolehaven,2024,unsafe_share,0.11,250\n"
        "folehaven,2025,unsafe_share,0.12,252\n",
        encoding="utf-8",
    )
    (folder / "dataset.yaml").write_text(
        "name: agg\nsynthetic: true\nfiles:\n  survey_aggregate:\n    path: shares.csv\n"
        "    unit: percent\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="says unit: percent, but every value is at most 1"):
        load_dataset(folder, processed_dir=tmp_path / "p")


def test_results_table_cannot_run_as_a_formula(tmp_path):
    df = pd.DataFrame(
        {
            "label": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "ok"],
            "value": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    csv, parquet = write_results(df, "t", tmp_path)
    back = pd.read_csv(csv)
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t")) for v in back["label"])
    assert list(back["value"]) == [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0]  # numbers stay numbers
    assert pd.read_parquet(parquet)["label"][0].startswith("=")  # the data as they are
    assert spreadsheet_safe(df)["label"].iloc[-1] == "ok"


@pytest.mark.slow
def test_every_text_cell_of_the_written_results_is_safe(tmp_path):
    from analysis.reporting import batch

    assert (
        batch.run_reports(
            partnership="folehaven",
            year=2025,
            workers=1,
            out_dir=str(tmp_path / "r"),
            processed_dir=tmp_path / "p",
        )
        == 0
    )
    table = pd.read_csv(tmp_path / "p" / "example_results.csv", dtype=str)
    for col in table.columns:
        assert not table[col].dropna().str.match(r"^[=+@\t\r]").any(), col


def test_a_damaged_cache_is_rebuilt_from_the_raw_inputs(data, capsys):
    processed = data.parent / "p"
    first = load_dataset(data, processed_dir=processed)
    cache = processed_dir_of(first, processed)
    (cache / "survey.parquet").write_bytes((cache / "survey.parquet").read_bytes()[:100])
    again = load_dataset(data, processed_dir=processed)
    pd.testing.assert_frame_equal(first.survey, again.survey)
    assert "cannot be read" in capsys.readouterr().err
    pd.read_parquet(cache / "survey.parquet")  # rewritten whole


@pytest.mark.slow
def test_two_data_folders_with_one_name_never_share_a_cache(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        shutil.copytree(
            config.EXAMPLE_DIR, folder, ignore=shutil.ignore_patterns("*.xlsx", "*.sav")
        )
    police = (b / "police.csv").read_text(encoding="cp1252").splitlines()
    police = [
        ";".join([*line.split(";")[:3], "26"])
        if line.startswith("folehaven;2025;Indbrud")
        else line
        for line in police
    ]
    (b / "police.csv").write_text("\n".join(police) + "\n", encoding="cp1252")
    processed = tmp_path / "processed"
    env = {**os.environ, "PYTHONPATH": str(config.PROJ_ROOT / "src")}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _BATCH,
                str(folder),
                str(tmp_path / f"out-{folder.name}"),
                str(processed),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for folder in (a, b)
    ]
    for run in runs:
        out, _ = run.communicate(timeout=600)
        assert run.returncode == 0, out
    indbrud = {}
    for folder in (a, b):
        ev = json.loads((tmp_path / f"out-{folder.name}" / "folehaven" / "2025.json").read_text())
        row = next(o for o in ev["objectives"] if o["indicator"] == "indbrud")
        indbrud[folder.name] = row["estimate"]

    def expected(folder):  # indbrud in the folder's own police file
        lines = (folder / "police.csv").read_text(encoding="cp1252").splitlines()[1:]
        cells = [line.split(";") for line in lines]
        return sum(
            int(c[3])
            for c in cells
            if c[:2] == ["folehaven", "2025"] and c[2].startswith("Indbrud")
        )

    assert indbrud == {"a": expected(a), "b": expected(b)} and expected(a) != expected(b)
    assert len({p.name for p in processed.iterdir() if p.name.startswith("example-")}) == 2


_BATCH = """
import sys
from pathlib import Path
from analysis.reporting import batch
sys.exit(batch.run_reports(partnership="folehaven", year=2025, workers=1, data_dir=sys.argv[1],
                           out_dir=sys.argv[2], processed_dir=Path(sys.argv[3])))
"""


def _workbook(path, sheets):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    wb.save(path)


POP = [["area", "year", "residents"], ["folehaven", 2025, 2222]]
OLD = [["area", "year", "residents"], ["folehaven", 2025, 2600]]


def test_a_workbook_is_read_from_its_first_visible_sheet(tmp_path, capsys):
    path = tmp_path / "population.xlsx"
    _workbook(path, [("gammel", OLD, "hidden"), ("2025", POP, "visible")])
    _, df, raw = load_file(path, "population")
    assert list(df["residents"]) == [2222]
    assert any("first visible" in n and "hidden: gammel" in n for n in raw.notes)
    assert main(["validate", str(path)]) == 0
    assert "hidden: gammel" in capsys.readouterr().out


def test_a_workbook_whose_only_data_sheet_is_hidden_is_refused(tmp_path):
    path = tmp_path / "population.xlsx"
    _workbook(path, [("Ark1", [], "visible"), ("data", POP, "hidden")])
    with pytest.raises(InputError, match="the data may be on the hidden sheet"):
        load_file(path, "population")


def test_a_compressed_bomb_is_refused_before_it_is_opened(tmp_path, capsys):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (40 << 20))
    assert path.stat().st_size < 1 << 20
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(str(path)) and "compressed bomb" in err and err.count("\n") == 1


def test_excel_sep_line_and_a_mark_in_a_header_are_read_as_meant(tmp_path):
    s = "respondent_id;year;district;area;weight;safety;safety_night"
    path = tmp_path / "survey.csv"
    path.write_text(f"sep=;\n{s[:20]}\ufeff{s[20:]}\n1;2025;valby;folehaven;1;tryg;tryg\n", "utf-8")
    _, df, raw = load_file(path, "survey")
    assert list(df.columns[:3]) == ["respondent_id", "year", "district"] and len(df) == 1
    assert any("invisible characters removed" in n for n in raw.notes)


def test_ids_in_scientific_notation_are_refused_in_one_line(tmp_path, capsys):
    s = "respondent_id,year,district,area,weight,safety,safety_night"
    path = tmp_path / "survey.csv"
    rows = "\n".join(
        "1,23E+11,2025,valby,folehaven,1,tryg,tryg".replace("1,23E", f"{i}.2E") for i in range(3)
    )
    path.write_text(f"{s}\n{rows}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "scientific notation" in err and err.count("\n") == 1, err


def test_shapes_not_written_for_give_the_same_evaluation(data, tmp_path):
    """The example as someone else would export it: the survey tab-separated (.tsv), the
    population in a workbook whose first sheet is an old, hidden one, and the activities in
    decomposed Unicode (as macOS writes file text): the evaluation is the example's."""
    import openpyxl

    from analysis.evaluation import evaluate_partnership

    survey = pd.read_csv(data / "survey.csv", sep=";", dtype=str)
    survey.to_csv(data / "survey.tsv", sep="\t", index=False)
    population = pd.read_csv(data / "population.csv")
    with pd.ExcelWriter(data / "population.xlsx") as xlsx:
        population.assign(residents=population["residents"] + 500).to_excel(
            xlsx, sheet_name="gammel", index=False
        )
        population.to_excel(xlsx, sheet_name="2025", index=False)
    book = openpyxl.load_workbook(data / "population.xlsx")
    book["gammel"].sheet_state = "hidden"
    book.save(data / "population.xlsx")
    activities = (data / "activities.csv").read_text(encoding="utf-8")
    (data / "activities.csv").write_text(unicodedata.normalize("NFD", activities), "utf-8")
    _spec(data, survey="survey.tsv", population="population.xlsx")
    theirs = load_dataset(data, processed_dir=tmp_path / "p")
    ours = load_dataset(config.EXAMPLE_DIR, processed_dir=tmp_path / "p")
    for p, year in [("folehaven", 2025), ("tingbjerg_husum", 2023), ("amager", 2019)]:
        a = evaluate_partnership(p, year, dataset=ours).to_dict()["objectives"]
        b = evaluate_partnership(p, year, dataset=theirs).to_dict()["objectives"]  # NaN: None
        assert [(o["status"], o["estimate"], o["p_value"]) for o in a] == [
            (o["status"], o["estimate"], o["p_value"]) for o in b
        ], p
