"""Reading the files Danish offices produce: CSV (UTF-8 or cp1252, ``,`` or ``;``), XLSX, SPSS.

Every reader returns a :class:`RawTable`: the cells (text, or None when empty; native numbers
from SPSS and parquet), the column names as found, and how each row is named in messages (CSV
and XLSX: the spreadsheet row, the header being row 1; SPSS and parquet: the case number).
Encoding and delimiter are detected or declared and recorded; a file that cannot be read as
declared is an error, never a silent guess.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import InputError

#: Byte sequences of Danish letters in UTF-8 that were decoded as cp1252 (mojibake).
_MOJIBAKE = re.compile("Ã[¦¸¥†˜…]")


@dataclass
class RawTable:
    path: Path
    frame: pd.DataFrame  #: columns as found in the file
    row_offset: int = 2  #: add to a 0-based data row index to get the number a user sees
    row_word: str = "row"
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    notes: list[str] = field(default_factory=list)
    #: SPSS value labels, column -> {code: label}; the codes stay in ``frame`` until mapped
    value_labels: dict[str, dict] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def row_name(self, index: int) -> str:
        return f"{self.row_word} {index + self.row_offset}"

    def head_rows(self, n: int = 20) -> list[list[str]]:
        """The first rows as text, to look for a header that is not on row 1."""
        return [
            ["" if v is None else str(v) for v in r]
            for r in self.frame.head(n).itertuples(index=False, name=None)
        ]


def read_raw(
    path: Path | str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> RawTable:
    """Read ``path`` by its extension (.csv, .txt, .xlsx, .sav, .parquet); ``sheet`` picks an
    Excel sheet by name (default: the first, and the result says which)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder; give a file")
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv(path, encoding, delimiter)
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if suffix == ".sav":
        return read_sav(path)
    if suffix == ".parquet":
        return read_parquet(path)
    raise InputError(
        path, f"unsupported file type '{suffix}': expected .csv, .xlsx, .sav or .parquet"
    )


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise InputError(
            path,
            "this looks like a binary file (or UTF-16 text), not CSV: save it "
            "as CSV in UTF-8 or Windows-1252",
        )
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
            raise InputError(
                path,
                f"line {line}: cannot be read as {encoding} "
                f"({exc.__class__.__name__}); check the file's encoding",
            ) from exc
        used = encoding
    elif data.startswith(b"\xef\xbb\xbf"):
        text, used = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    else:
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Not UTF-8. cp1252 (Excel's "CSV" on Danish Windows) maps æøå to single bytes.
            try:
                text, used = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise InputError(
                    path,
                    f"line {line}: neither UTF-8 nor Windows-1252 text; save the file as CSV UTF-8",
                ) from exc
    bad = _MOJIBAKE.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise InputError(
            path,
            f"line {line}: '{bad.group()}' looks like UTF-8 text that was "
            f"saved through the wrong encoding (read as {used}); re-export "
            "the file as CSV UTF-8",
        )
    return text, used


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> RawTable:
    text, used = _decode(path, path.read_bytes(), encoding)
    lines = text.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    if not header:
        raise InputError(path, "the file has no header row")
    if delimiter is None:
        counts = {d: header.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=counts.get)
        if counts[delimiter] == 0:
            raise InputError(path, "row 1: found no ';', ',' or tab between column names")
    # no field limit of the csv module: a long field is checked below, by what it holds
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip() for c in next(reader)]
    rows: list[list[str | None]] = []
    problems = []
    previous = reader.line_num
    for fields in reader:
        line_no, first_line = reader.line_num, previous + 1
        previous = line_no
        if any(f.count("\n") >= 2 and delimiter in f for f in fields):
            raise InputError(
                path,
                f'row {first_line}: a quote (") opens a field that runs over '
                f"{line_no - first_line + 1} lines and takes in the rows after it; close the "
                "quote or remove it",
            )
        if not fields or all(not f.strip() for f in fields):
            continue  # blank lines and Excel's trailing ';;;;' rows carry nothing
        if len(fields) != len(columns):
            problems.append(
                f"row {line_no}: {len(fields)} fields, expected {len(columns)} "
                f"({', '.join(columns)}); a field is missing or a value contains "
                f"an unquoted '{delimiter}'"
            )
            continue
        rows.append([f.strip() or None for f in fields])
    if problems:
        raise InputError(path, problems)
    # Danish convention: ';'-separated files use decimal commas and '.' for thousands.
    decimal = "," if delimiter == ";" else "."
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return RawTable(path, frame, encoding=used, delimiter=delimiter, decimal=decimal)


def read_xlsx(path: Path, sheet: str | None = None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})") from exc
    names = wb.sheetnames
    if sheet is not None and sheet not in names:
        wb.close()
        raise InputError(path, f"no sheet named '{sheet}'; the workbook has {names}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    if not grid:
        raise InputError(path, f"sheet '{ws.title}' is empty")
    width = max(max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in grid)
    columns = [str(v).strip() if v is not None else "" for v in grid[0][:width]]
    columns += [""] * (width - len(columns))
    rows = [[_cell(v) for v in (r + [None] * width)[:width]] for r in grid[1:]]
    note = f"sheet '{ws.title}'"
    if len(names) > 1 and sheet is None:
        note += f" (the first of {len(names)}: {', '.join(names)}; name another with 'sheet')"
    return RawTable(path, pd.DataFrame(rows, columns=columns, dtype=object), notes=[note])


def _cell(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None


def read_sav(path: Path) -> RawTable:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(path, f"cannot be read as an SPSS .sav file ({exc})") from exc
    return RawTable(
        path,
        _blank_to_none(df),
        row_offset=1,
        row_word="case",
        value_labels={str(k): v for k, v in meta.variable_value_labels.items()},
    )


def read_parquet(path: Path) -> RawTable:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InputError(path, f"cannot be read as a parquet file ({exc})") from exc
    return RawTable(path, _blank_to_none(df), row_offset=1, row_word="case")


def _blank_to_none(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns: stripped, empty -> missing (string dtype); numeric columns kept as they are."""
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s):
            out[str(col)] = s
        else:
            t = s.astype("string").str.strip()
            out[str(col)] = t.mask(t == "")
    return pd.DataFrame(out, index=df.index)
