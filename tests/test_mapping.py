"""Real data as users hold it: the survey firm's SPSS, a police Excel extract and published
shares, loaded through dataset.yaml's long form, never by editing the files."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.evaluation import evaluable_years, results_table
from analysis.evaluation.inputs import evaluate_partnership
from analysis.indicators import SCALE
from analysis.loaders import load_dataset
from analysis.loaders.validation import load_file
from analysis.reference import areas

FIRM_AREAS = {
    "amager_partnerskab": "Urbanplanen og Hørgården",
    "tingbjerg_husum": "Tingbjerg-Husum",
    "folehaven": "Folehaven",
}
POLICE_AREAS = {
    "amager_partnerskab": "Urbanplanen/Hørgården",
    "tingbjerg_husum": "Tingbjerg",
    "folehaven": "Folehaven",
    "kobenhavn": "København",
}
CODES = {label: i for i, label in enumerate([*SCALE, "ved ikke"], start=1)} | {"ved ikke": 9}
SPEC = """name: mapped
synthetic: true
files:
  survey:
    path: tryg.sav
    columns: {respondent_id: Respondent, year: Aar, district: Bydel, area: Omraade,
              weight: Vaegt, safety: Q1, safety_night: Q2}
    values:
      area: {"Urbanplanen og Hørgården": amager_partnerskab, "Tingbjerg-Husum": tingbjerg_husum}
      safety_night: {1: meget tryg, 2: tryg, 3: hverken tryg eller utryg, 4: utryg,
                     5: meget utryg, 9: ved ikke}
  police:
    path: anmeldelser.xlsx
    sheet: "Anmeldelser"
    columns: {area: Område, year: År, crime_type: Gerningstype, count: Antal}
    values:
      area: {"Urbanplanen/Hørgården": amager_partnerskab, "Tingbjerg": tingbjerg_husum}
  population: population.csv
  activities: activities.csv
  ssp: ssp.csv
"""


@pytest.fixture(scope="module")
def mapped_dir(tmp_path_factory):
    """The example data in the survey firm's and the police's own shapes."""
    folder = tmp_path_factory.mktemp("mapped")
    _, survey, _ = load_file(config.EXAMPLE_DIR / "survey.csv", "survey")
    names = dict(zip(areas()["area"], areas()["name"], strict=True))
    firm = pd.DataFrame(
        {
            "Respondent": survey["respondent_id"].astype(str),
            "Aar": survey["year"].astype(float),
            "Bydel": survey["district"].map(names).str.upper(),  # Danish names, other capitals
            "Omraade": survey["area"].map(lambda a: FIRM_AREAS.get(a, "")).fillna(""),
            "Vaegt": survey["weight"].astype(float),
            "Q1": survey["safety"].map(CODES).astype(float),
            "Q2": survey["safety_night"].map(CODES).astype(float),
            "Ekstra": 1.0,  # a column the mapping leaves aside
        }
    )
    labels = {code: label.capitalize() for label, code in CODES.items()}
    pyreadstat.write_sav(firm, folder / "tryg.sav", variable_value_labels={"Q1": labels})
    _, police, _ = load_file(config.EXAMPLE_DIR / "police.csv", "police")
    wb = openpyxl.Workbook()
    wb.active.title = "Noter"
    wb.active.append(["Udtræk fra politiet"])
    ws = wb.create_sheet("Anmeldelser")
    ws.append(["År", "Område", "Gerningstype", "Antal"])
    for r in police.itertuples():
        ws.append([int(r.year), POLICE_AREAS[r.area], r.crime_type, int(r.count)])
    wb.save(folder / "anmeldelser.xlsx")
    for name in ("population.csv", "activities.csv", "ssp.csv"):
        shutil.copy(config.EXAMPLE_DIR / name, folder / name)
    (folder / "dataset.yaml").write_text(SPEC, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_mapped_files_give_identical_evaluations(mapped_dir, tmp_path):
    plain = load_dataset(processed_dir=tmp_path / "p1")
    mapped = load_dataset(mapped_dir, processed_dir=tmp_path / "p2")
    for name in ("survey", "police", "population"):
        a = plain.tables[name].drop(columns=["example_data"], errors="ignore")
        b = mapped.tables[name].drop(columns=["example_data"], errors="ignore")
        key = [c for c in ("area", "indicator", "year", "category") if c in a]
        pd.testing.assert_frame_equal(
            a.sort_values(key, ignore_index=True),
            b.sort_values(key, ignore_index=True),
            check_exact=False,
        )
    drop = ["inputs_sha256", "parameters"]
    left = results_table(plain).drop(columns=drop)
    right = results_table(mapped).drop(columns=drop)
    pd.testing.assert_frame_equal(left, right, check_exact=False)


def test_validate_shows_the_mapping(mapped_dir, capsys):
    from analysis.cli import main

    assert main(["validate", str(mapped_dir / "tryg.sav"), "--kind", "survey"]) == 0
    out = capsys.readouterr().out
    assert "columns mapped: respondent_id <- Respondent" in out
    assert "columns ignored: Ekstra" in out
    assert "safety: value labels applied" in out and "district: reference names applied" in out
    assert main(["validate", str(mapped_dir / "anmeldelser.xlsx"), "--kind", "police"]) == 0
    assert "sheet 'Anmeldelser'" in capsys.readouterr().out


def test_an_unmapped_value_names_file_row_column_and_value(mapped_dir, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(mapped_dir, folder)
    spec = SPEC.replace('"Tingbjerg": tingbjerg_husum', '"Tingbjerg Nord": tingbjerg_husum')
    (folder / "dataset.yaml").write_text(spec, encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"(?s)anmeldelser\.xlsx.*row \d+.*, column .area.: "
        r"'Tingbjerg': not a known area",
    ):
        load_dataset(folder, processed_dir=tmp_path / "p")


def test_validate_suggests_a_mapping_for_unknown_columns(mapped_dir, tmp_path, capsys):
    from analysis.cli import main

    shutil.copy(mapped_dir / "tryg.sav", tmp_path / "tryg.sav")  # no dataset.yaml beside it
    assert main(["validate", str(tmp_path / "tryg.sav"), "--kind", "survey"]) == 1
    captured = capsys.readouterr()
    assert "column 'q1': not a column of a survey file" in captured.err
    out = captured.out
    assert "year: Aar" in out and "district: Bydel" in out and "weight: Vaegt" in out
    assert "files:" in out and "survey:" in out and "path: tryg.sav" in out
    assert "Q1" in out and "Bydel" in out  # the file's columns and the values to map


def test_public_record_renders_what_it_can_and_cannot_show(tmp_path):
    ds = load_dataset(config.PUBLISHED_DIR, processed_dir=tmp_path / "p")
    assert not ds.synthetic and ds.kinds == ("survey_aggregate",)
    assert ds.survey["n"].isna().all() and (ds.survey["rounded_to"] == 0.01).all()
    pairs = evaluable_years(ds)
    assert ("amager", 2020) in pairs and ("tingbjerg_husum", 2020) in pairs
    ev = evaluate_partnership("amager", 2020, dataset=ds)
    survey = [o for o in ev.objectives if o.objective.startswith("survey")]
    assert survey and all(str(o.status) in ("opfyldt", "ikke opfyldt") for o in survey)
    assert all("antallet af svar ikke er oplyst" in o.explanation for o in survey)
    crime = [o for o in ev.objectives if o.objective == "crime"]
    assert all("ingen fil med politiets anmeldelser (police)" in o.explanation for o in crime)
    assert json.dumps(ev.to_dict(), default=str)


def test_percent_and_rows_without_n(tmp_path):
    (tmp_path / "pub.csv").write_text(
        "Område,År,Mål,Procent,Kilde\nFolehaven,2021,unsafe_share,17,kk.dk\n"
        "København,2021,unsafe_share,8,kk.dk\nFolehaven,2022,unsafe_share,12,kk.dk\n"
        "København,2022,unsafe_share,9,kk.dk\n",
        encoding="utf-8",
    )
    (tmp_path / "dataset.yaml").write_text(
        "name: pub\nsynthetic: false\nfiles:\n  survey_aggregate:\n    path: pub.csv\n"
        "    columns: {area: Område, year: År, indicator: Mål, share: Procent}\n"
        "    unit: percent\n",
        encoding="utf-8",
    )
    ds = load_dataset(tmp_path, processed_dir=tmp_path / "p")
    assert ds.survey.query("area == 'folehaven' and year == 2021")["share"].iloc[0] == 0.17
    row = next(
        o
        for o in evaluate_partnership("folehaven", 2022, dataset=ds).objectives
        if o.objective == "survey_annual"
    )
    assert str(row.status) == "opfyldt" and row.evidence == "no_test"


@pytest.mark.slow
def test_public_record_reports_render_without_the_example_banner(tmp_path):
    from analysis.reporting import batch

    out = tmp_path / "reports"
    code = batch.run_reports(
        workers=2,
        data_dir=str(config.PUBLISHED_DIR),
        out_dir=str(out),
        processed_dir=tmp_path / "processed",
    )
    assert code == 0
    pages = sorted(p for p in out.glob("*/*.html") if p.parent.name != "status")
    assert len(pages) == 4  # every partnership-year the public record covers
    for status in (out / "status").glob("*.html"):  # the yearly documents: real data
        assert "EKSEMPELDATA" not in status.read_text(encoding="utf-8")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "EKSEMPELDATA" not in html
        # each survey objective is read literally, or named as not in the public record
        assert "antallet af svar ikke er oplyst" in html or "findes ikke i data" in html
        assert "Offentliggjorte tal" in html  # each figure with its source
    assert "EKSEMPELDATA" not in (out / "index.html").read_text(encoding="utf-8")


def test_reference_values_in_other_capitals_are_read_as_the_reference_writes_them(tmp_path):
    # a value that differs from the reference only by case or spacing is normalised, and
    # validate reports it; the counts are those of the reference's spelling
    police = tmp_path / "police.csv"
    police.write_text(
        "area,year,crime_type,count\nFolehaven,2020, tyveri ,12\nfolehaven,2021,HÆRVÆRK,3\n",
        encoding="utf-8",
    )
    _, df, raw = load_file(police, "police")
    assert df["crime_type"].tolist() == ["Tyveri", "Hærværk"]
    assert df["area"].tolist() == ["folehaven", "folehaven"]
    assert any("'tyveri' -> 'Tyveri'" in n for n in raw.notes)
    ssp = tmp_path / "ssp.csv"
    ssp.write_text("year,district,count\n2016,15  sundbyvester,1\n2017,15,0\n", encoding="utf-8")
    _, df, raw = load_file(ssp, "ssp")
    assert df["district"].tolist() == ["15 Sundbyvester"] * 2
    activities = tmp_path / "activities.csv"
    activities.write_text(
        "partnership,year,activity,partners\nFOLEHAVEN,2022,Vandring,Politi; SSP\n",
        encoding="utf-8",
    )
    _, df, _ = load_file(activities, "activities")
    assert df["partnership"].tolist() == ["folehaven"]


def test_codes_written_as_decimals_are_mapped_like_integers(tmp_path):
    # a program that stored the answer codes as floats writes "2.0": the declared code 2 maps it
    (tmp_path / "s.csv").write_text(
        "id\taar\tbydel\tomr\tvaegt\tq1\tq2\n"
        "1\t2025\tVALBY\tFolehaven\t1.5\t2.0\t4.0\n2\t2025\tvalby\t\t0.5\t9.0\t\n",
        encoding="utf-8",
    )
    answers = "{1: meget tryg, 2: tryg, 3: hverken tryg eller utryg, 4: utryg, 9: ved ikke}"
    (tmp_path / "dataset.yaml").write_text(
        "name: x\nsynthetic: true\nfiles:\n  survey:\n    path: s.csv\n"
        "    columns: {respondent_id: id, year: aar, district: bydel, area: omr, weight: vaegt,"
        " safety: q1, safety_night: q2}\n"
        f"    values: {{safety: {answers}, safety_night: {answers}}}\n",
        encoding="utf-8",
    )
    from analysis.loaders.spec import read_spec

    spec, files = read_spec(tmp_path)
    _, df, _ = load_file(files["survey"], "survey", mapping=spec.file_specs()["survey"])
    assert df["safety"].tolist() == ["tryg", "ved ikke"]
    assert df["safety_night"].astype(object).tolist()[0] == "utryg"
    assert df["district"].tolist() == ["valby", "valby"] and df["area"].tolist()[0] == "folehaven"
