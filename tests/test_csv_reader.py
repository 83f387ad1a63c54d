"""The CSV reader streams files through pyarrow block by block (1 MiB): what it reads must not
depend on where the blocks fall. Each test puts the interesting row past the first block."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.loaders.readers import read_csv
from analysis.loaders.validation import load_file

HEADER = "respondent_id,year,district,area,weight,safety,safety_night\n"
ROW = "{i},2025,valby,,1.25,tryg,meget tryg\n"
#: rows that fill more than two pyarrow blocks
MANY = 60_000


def survey(tmp_path, rows: list[str], name: str = "s.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + "".join(rows)).encode(encoding))
    assert path.stat().st_size > 2 * 2**20 or len(rows) < MANY
    return path


def filler(n: int = MANY) -> list[str]:
    return [ROW.format(i=i) for i in range(n)]


def test_wrong_field_count_far_into_the_file_names_its_row(tmp_path):
    rows = filler()
    rows[50_000] = "50000,2025,valby,,1.25,tryg\n"
    with pytest.raises(InputError) as err:
        read_csv(survey(tmp_path, rows))
    # the header is row 1, so the 50,001st data row is row 50,002
    assert "row 50002: 6 fields, expected 7" in str(err.value)


def test_stray_quote_far_into_the_file_names_the_row_it_opens_on(tmp_path):
    rows = filler()
    rows[40_000] = '40000,2025,valby,,1.25,"tryg,meget tryg\n'
    with pytest.raises(InputError) as err:
        read_csv(survey(tmp_path, rows))
    assert 'row 40002: a quote (") opens a field' in str(err.value)


def test_a_field_longer_than_a_block_is_read(tmp_path):
    path = tmp_path / "a.csv"
    long = "Politi; SSP; " + "x" * 3_000_000
    path.write_text(
        f'partnership,year,activity,partners\nfolehaven,2022,"{long}",Politi\n', encoding="utf-8"
    )
    raw = read_csv(path)
    assert raw.frame["activity"].iloc[0] == long.strip()


def test_line_breaks_inside_quoted_cells_across_blocks(tmp_path):
    path = tmp_path / "a.csv"
    rows = [f'folehaven,2022,aktivitet {i},"Politi\nSSP\nBoligsocial"\n' for i in range(40_000)]
    path.write_text("partnership,year,activity,partners\n" + "".join(rows), encoding="utf-8")
    _, df, _ = load_file(path, "activities")
    assert len(df) == 40_000
    assert set(df["partners"]) == {"Politi\nSSP\nBoligsocial"}


def test_a_column_repetitive_at_first_and_varied_later_is_read_whole(tmp_path):
    # the first block decides that 'area' is dictionary-encoded; later blocks differ
    rows = filler(40_000) + [
        f"{i},2025,{d},{a},0.5,utryg,tryg\n"
        for i, (d, a) in enumerate(
            [("valby", "folehaven"), ("bronshoj_husum", "tingbjerg_husum")] * 10_000, 40_000
        )
    ]
    path = survey(tmp_path, rows)
    raw = read_csv(path)
    expected = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in expected:
        got = raw.frame[col].astype(object).where(raw.frame[col].notna(), "")
        assert got.tolist() == expected[col].tolist(), col


def test_blank_lines_excel_trailing_rows_crlf_and_bom(tmp_path):
    path = tmp_path / "s.csv"
    body = HEADER + "".join(filler(3)) + "\n,,,,,,\n,,,,,,\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode())
    _, df, raw = load_file(path, "survey")
    assert len(df) == 3 and raw.encoding == "utf-8-sig"
    assert df["safety_night"].tolist() == ["meget tryg"] * 3


def police_rows(n: int = 60_000) -> str:
    """More than a megabyte of police rows (read, not validated: they repeat)."""
    return "area,year,crime_type,count\n" + "folehaven,2020,Tyveri,5\n" * n


def test_windows_1252_detected_past_the_first_megabyte(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes((police_rows() + "folehaven,2021,Hærværk,3\n").encode("cp1252"))
    raw = read_csv(path)
    assert raw.encoding == "cp1252" and raw.frame["crime_type"].iloc[-1] == "Hærværk"


def test_mojibake_past_the_first_megabyte_names_its_line(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(police_rows() + "folehaven,2021,HÃ¦rvÃ¦rk,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 60002: 'Ã¦' looks like UTF-8 text"):
        read_csv(path)


def test_a_duplicated_file_gives_a_short_message(tmp_path):
    rows = filler(30_000)
    with pytest.raises(InputError) as err:
        load_file(survey(tmp_path, rows + rows), "survey")
    message = str(err.value)
    assert "row 2, row 30002: duplicate key" in message and len(message) < 20_000
    assert "... and " in message


def test_numbers_read_as_pandas_reads_them(tmp_path):
    rng = np.random.default_rng(3)
    weights = rng.lognormal(0, 1, 5000)
    rows = [f"{i},2025,valby,,{float(w)!r},tryg,tryg\n" for i, w in enumerate(weights)]
    rows += ["5000,2025,valby,,1e-3,tryg,tryg\n", "5001,2025,valby,, +7 ,tryg,tryg\n"]
    _, df, _ = load_file(survey(tmp_path, rows), "survey")
    assert df["weight"].tolist() == [*weights.tolist(), 0.001, 7.0]


def test_coded_survey_columns_are_categoricals_whatever_the_file_type(tmp_path):
    path = survey(tmp_path, filler(5))
    _, from_csv, _ = load_file(path, "survey")
    xlsx = tmp_path / "s.xlsx"
    pd.read_csv(path, dtype=str).to_excel(xlsx, index=False)
    _, from_xlsx, _ = load_file(xlsx, "survey")
    for df in (from_csv, from_xlsx):
        assert all(
            isinstance(df[c].dtype, pd.CategoricalDtype)
            for c in ("district", "area", "safety", "safety_night")
        )
    pd.testing.assert_frame_equal(from_csv.astype(str), from_xlsx.astype(str), check_dtype=False)


def test_a_file_of_bad_rows_gives_a_short_message(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("\n\narea,year,residents\n" + "folehaven,2020\n" * 50_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_csv(path)
    message = str(err.value)
    assert "row 4: 2 fields, expected 3" in message  # blank lines before the header count
    assert "... and 49961 more rows like these" in message and len(message) < 10_000
