"""Random changes to valid files: a meaning-preserving one gives the same table; any other is
refused with a message naming the file (never a traceback, never a silently different table)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.errors import InputError
from analysis.loaders.validation import load_file

POLICE = (config.EXAMPLE_DIR / "police.csv").read_bytes().decode("cp1252")
POPULATION = (config.EXAMPLE_DIR / "population.csv").read_text(encoding="utf-8")
#: the first 1,500 respondents: ';'-separated, decimal commas
SURVEY = "\n".join(
    (config.EXAMPLE_DIR / "survey.csv").read_text(encoding="utf-8").splitlines()[:1500]
)
FILES = {
    "police": ("police.csv", POLICE),
    "population": ("population.csv", POPULATION),
    "survey": ("survey.csv", SURVEY),
}


def _load(tmp_path, name: str, data: bytes, kind: str) -> pd.DataFrame:
    path = tmp_path / name
    path.write_bytes(data)
    _, df, _ = load_file(path, kind)
    coded = df.select_dtypes("category").columns  # rows stay in the file's order
    return df.astype(dict.fromkeys(coded, str)).reset_index(drop=True)


def _preserving(text: str, how: str, delimiter: str) -> bytes:
    lines = text.splitlines()
    if how == "bom":
        return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    if how == "crlf":
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if how == "padding":
        return (
            "\n".join(delimiter.join(f" {c} " for c in ln.split(delimiter)) for ln in lines) + "\n"
        ).encode("utf-8")
    if how == "case":
        head, *rest = lines
        return ("\n".join([head.upper(), *rest]) + "\n").encode("utf-8")
    if how == "cp1252":  # Excel's "CSV" on Danish Windows
        return ("\n".join(lines) + "\n").encode("cp1252")
    if how == "delimiter":  # the other convention: ',' with decimal points, or ';'
        other = "," if delimiter == ";" else ";"
        if delimiter == ";":
            lines = [re.sub(r"(\d),(\d)", r"\1.\2", ln) for ln in lines]
        return ("\n".join(ln.replace(delimiter, other) for ln in lines) + "\n").encode("utf-8")
    if how == "order":
        rows = [ln.split(delimiter) for ln in lines]
        return ("\n".join(delimiter.join(reversed(r)) for r in rows) + "\n").encode("utf-8")
    raise ValueError(how)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(sorted(FILES)),
    st.sampled_from(["bom", "crlf", "padding", "case", "order", "cp1252", "delimiter"]),
)
def test_meaning_preserving_changes_give_the_same_table(tmp_path, kind, how):
    name, text = FILES[kind]
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    original = _load(tmp_path, name, text.encode("utf-8"), kind)
    changed = _load(tmp_path, name, _preserving(text, how, delimiter), kind)
    pd.testing.assert_frame_equal(
        original[sorted(original.columns)], changed[sorted(changed.columns)]
    )


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(sorted(FILES)), st.data())
def test_a_corrupted_cell_is_refused_or_harmless(tmp_path, kind, data):
    name, text = FILES[kind]
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    lines = text.splitlines()
    row = data.draw(st.integers(1, len(lines) - 1))
    cells = lines[row].split(delimiter)
    col = data.draw(st.integers(0, len(cells) - 1))
    cells[col] = data.draw(
        st.sampled_from(
            [
                "",
                "-1",
                "abc",
                "1e999",
                "12.5",
                "2031",
                "x;y",
                '"',
                "1,5",
                "NaN",
                "0x10",
                "999999999999999999999",
                "  ",
                "Folehaven ",
                "FOLEHAVEN",
                "1.000",
            ]
        )
    )
    mutated = "\n".join([*lines[:row], delimiter.join(cells), *lines[row + 1 :]]) + "\n"
    original = _load(tmp_path, name, text.encode("utf-8"), kind)
    try:
        changed = _load(tmp_path, name, mutated.encode("utf-8"), kind)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(str(tmp_path / name)), message
        assert "Traceback" not in message
        return
    # accepted: then only the mutated row may differ, and only where the value is the same
    # thing written differently (case or spacing of an area name)
    same = (original == changed).fillna(False) | (original.isna() & changed.isna())
    diff = ~same.all(axis=1)
    assert diff.sum() <= 1
