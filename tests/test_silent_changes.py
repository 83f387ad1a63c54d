"""Inputs that once passed validation and then changed a verdict: each is now refused with one
clear message (file, row, column, what was expected) or read by a stated convention."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.loaders import load_dataset
from analysis.loaders.validation import load_file

SURVEY = "respondent_id;year;district;area;weight;safety;safety_night\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_semicolon_file_with_decimal_points_is_read_as_decimals(tmp_path):
    # what df.to_csv(sep=";") writes: before, 11.45 was read as 1145
    path = write(
        tmp_path,
        "s.csv",
        SURVEY + "a;2025;valby;folehaven;11.45;tryg;utryg\n"
        "b;2025;valby;;4.8;tryg;tryg\nc;2025;valby;;4.812;tryg;tryg\n",
    )
    _, df, raw = load_file(path, "survey")
    assert df["weight"].tolist() == [11.45, 4.8, 4.812] and raw.decimal == "."


def test_danish_semicolon_file_keeps_its_convention(tmp_path):
    path = write(
        tmp_path, "s.csv", SURVEY + "a;2025;valby;;1.234,5;tryg;tryg\nb;2025;valby;;4,8;tryg;tryg\n"
    )
    _, df, _ = load_file(path, "survey")
    assert df["weight"].tolist() == [1234.5, 4.8]


def test_mixed_decimal_conventions_are_refused(tmp_path):
    path = write(
        tmp_path, "s.csv", SURVEY + "a;2025;valby;;11.45;tryg;tryg\nb;2025;valby;;4,8;tryg;tryg\n"
    )
    with pytest.raises(
        InputError,
        match=r"row 2, column 'weight': '11.45' has a decimal point, "
        r"but row 3, column 'weight' has a decimal comma",
    ):
        load_file(path, "survey")


@pytest.mark.parametrize("weight", ["inf", "1e999", "-inf"])
def test_non_finite_weights_are_refused_by_row(tmp_path, weight):
    path = write(tmp_path, "s.csv", SURVEY + f"a;2025;valby;;{weight};tryg;tryg\n")
    with pytest.raises(InputError, match=r"s\.csv: row 2, column 'weight': expected a finite"):
        load_file(path, "survey")


def test_overflowing_count_is_refused(tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "area,year,crime_type,count\nfolehaven,2024,Indbrud,99999999999999999999\n",
    )
    with pytest.raises(InputError, match="too large for a count"):
        load_file(path, "police")


def test_total_and_subtypes_together_are_refused(tmp_path):
    # before: 'Indbrud' and its two subtypes were summed: 7 became 13
    path = write(
        tmp_path,
        "p.csv",
        "area,year,crime_type,count\nfolehaven,2024,Indbrud,7\n"
        "folehaven,2024,Indbrud i beboelse,5\nfolehaven,2024,Indbrud i forretning,1\n",
    )
    with pytest.raises(InputError, match=r"rows 2, 3, 4|row 2, row 3, row 4"):
        load_file(path, "police")
    with pytest.raises(InputError, match="give the total or its subtypes, not both"):
        load_file(path, "police")


def test_a_year_that_has_not_happened_is_refused(tmp_path):
    path = write(tmp_path, "p.csv", "area,year,crime_type,count\nfolehaven,2028,Indbrud,7\n")
    with pytest.raises(InputError, match="2028 has not happened yet"):
        load_file(path, "police")


def test_a_population_too_small_for_a_rate(tmp_path):
    path = write(tmp_path, "pop.csv", "area,year,residents\nfolehaven,2024,1\n")
    with pytest.raises(InputError, match="cannot carry a rate per 1,000"):
        load_file(path, "population")


def test_partners_without_names_and_repeated_activities(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        "partnership,year,activity,partners\n"
        'folehaven,2024,Vandring,";;"\nfolehaven,2024,Nattevandring,"SSP; Politi"\n'
        "folehaven,2024,NATTEVANDRING,SSP\n",
    )
    with pytest.raises(InputError) as info:
        load_file(path, "activities")
    text = str(info.value)
    assert "row 2, column 'partners'" in text and "names no partner" in text
    assert "row 3, row 4: duplicate key" in text


def test_partners_separated_by_line_breaks(tmp_path):
    from analysis.loaders.cells import partner_list

    assert partner_list("Københavns Politi\nSSP København\r\nsSp  københavn") == [
        "Københavns Politi",
        "SSP København",
    ]


def test_a_stray_quote_is_reported_where_it_opens(tmp_path):
    rows = "".join(f"folehaven,{2013 + i},Indbrud,{i}\n" for i in range(9))
    bad = rows + 'folehaven,2022,"Indbrud,3\n' + rows.replace("Indbrud", "Vold")
    path = write(tmp_path, "p.csv", "area,year,crime_type,count\n" + bad)
    with pytest.raises(InputError, match=r"row 11: a quote \(\"\) opens a field"):
        load_file(path, "police")


def test_a_huge_field_gives_one_line(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        f"partnership,year,activity,partners\nfolehaven,2024,{'x' * 200_000},SSP\n",
    )
    _, df, _ = load_file(path, "activities")  # read; no csv field-limit traceback
    assert len(df["activity"].iloc[0]) == 200_000


def test_dataset_yaml_problems_are_one_clear_error(tmp_path):
    spec = tmp_path / "dataset.yaml"
    cases = {
        "name: x\nname: y\nsynthetic: true\nfiles: {}\n": "duplicate key 'name'",
        "a: &a [1]\nb: [*a, *a]\n": "aliases",
        "!!python/object:os.system {}\n": "not valid YAML",
        "- a\n- b\n": "expected a mapping",
        "name: x\nsynthetic: true\nfiles: {survey: ../../etc/passwd}\n": "outside the data",
        "name: x\nsynthetic: true\nfiles: {survey: /etc/passwd}\n": "outside the data",
        "name: x\nsynthetic: maybe\nfiles: {}\n": "key 'synthetic'",
    }
    for text, expected in cases.items():
        spec.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=expected):
            load_dataset(tmp_path, processed_dir=tmp_path / "p")
    spec.write_bytes("name: æ\n".encode("cp1252"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_dataset(tmp_path, processed_dir=tmp_path / "p")


def test_ssp_district_case_and_spacing_and_a_missing_one(tmp_path):
    import dataclasses

    from analysis.evaluation import evaluate_partnership

    ds = load_dataset()
    ssp = ds.ssp.copy()
    ssp["district"] = ssp["district"].str.lower().str.replace(" ", "  ")  # '15  sundbyvester'
    row = next(
        o
        for o in evaluate_partnership(
            "amager", 2018, dataset=dataclasses.replace(ds, tables={**ds.tables, "ssp": ssp})
        ).objectives
        if o.objective == "ssp"
    )
    assert str(row.status) == "ikke opfyldt"  # read, not silently 'data mangler'
    ssp["district"] = "14 Amagerbro"
    row = next(
        o
        for o in evaluate_partnership(
            "amager", 2018, dataset=dataclasses.replace(ds, tables={**ds.tables, "ssp": ssp})
        ).objectives
        if o.objective == "ssp"
    )
    assert str(row.status) == "data mangler" and "har distrikterne 14 Amagerbro" in row.explanation


def test_unwritable_output_is_one_line(tmp_path, capsys):
    # an output path that cannot be made (a file stands where a folder must go): an OS error
    # on the user's path is one line, never a traceback (mode bits would not stop root)
    from analysis.cli import main

    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    code = main(
        [
            "reports",
            "--partnership",
            "folehaven",
            "--year",
            "2025",
            "--out",
            str(tmp_path / "taken" / "reports"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.startswith("python -m analysis reports: error: ") and "taken" in err
    assert len(err.strip().splitlines()) == 1
