"""Reading the files Danish offices produce: CSV (UTF-8 or cp1252, ``,`` or ``;``), XLSX, SPSS.

Every reader returns a :class:`RawTable`: the cells (text, or None when empty; native numbers
from SPSS and parquet), the column names as found, and how each row is named in messages (CSV
and XLSX: the spreadsheet row, the header being row 1; SPSS and parquet: the case number).
Encoding and delimiter are detected or declared and recorded; a file that cannot be read as
declared is an error, never a silent guess.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from analysis.errors import MAX_PROBLEMS, InputError
from analysis.loaders.cells import release_memory

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
            ["" if pd.isna(v) else str(v) for v in r]
            for r in self.frame.head(n).itertuples(index=False, name=None)
        ]


#: delimited text, whatever the delimiter (detected from the header, or declared)
TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


def read_raw(
    path: Path | str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> RawTable:
    """Read ``path`` by its extension (.csv, .tsv, .tab, .txt, .xlsx, .sav, .parquet);
    ``sheet`` picks an Excel sheet by name (default: the first visible, and the result says
    which)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder without a dataset.yaml; give a file or a data folder")
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_csv(path, encoding, delimiter)
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if suffix == ".sav":
        return read_sav(path)
    if suffix == ".parquet":
        return read_parquet(path)
    raise InputError(
        path,
        f"unsupported file type '{suffix}': expected {', '.join(TEXT_SUFFIXES)}, .xlsx, .sav or "
        ".parquet",
    )


_CHUNK = 1 << 20  # bytes read at a time when checking the encoding
_BOM = b"\xef\xbb\xbf"


def _encoding_problem(path: Path, encoding: str) -> tuple[int, Exception] | None:
    """None when all of ``path`` decodes as ``encoding``; else (line, error). Streams the file
    in chunks, so memory does not grow with its size; mojibake is an error at once."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
    except LookupError as exc:
        return 1, exc
    line, tail = 1, ""
    with path.open("rb") as f:
        while True:
            data = f.read(_CHUNK)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                return line + data[: exc.start].count(b"\n"), exc
            bad = _MOJIBAKE.search(tail + text)
            if bad:
                at = line + (tail + text)[: bad.start()].count("\n") - tail.count("\n")
                raise InputError(
                    path,
                    f"line {at}: '{bad.group()}' looks like UTF-8 text that was saved through "
                    f"the wrong encoding (read as {encoding}); re-export the file as CSV UTF-8",
                )
            if not data:
                return None
            line += data.count(b"\n")
            tail = text[-1:]


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return ""  # an unknown name: refused where it is used, with its own message


def _has_non_ascii(path: Path) -> bool:
    with path.open("rb") as f:
        while data := f.read(_CHUNK):
            if max(data) > 0x7F:
                return True
    return False


def _encoding(path: Path, declared: str | None) -> str:
    """The encoding to read ``path`` with: the declared one, else UTF-8 (with or without BOM),
    else Windows-1252 (Excel's "CSV" on Danish Windows, æøå as single bytes)."""
    with path.open("rb") as f:
        head = f.read(4096)
    if b"\x00" in head:
        raise InputError(
            path,
            "this looks like a binary file (or UTF-16 text), not CSV: save it "
            "as CSV in UTF-8 or Windows-1252",
        )
    if (
        declared
        and _codec_name(declared) not in ("utf-8", "utf-8-sig", "ascii", "")
        and _encoding_problem(path, "utf-8") is None
        and _has_non_ascii(path)
    ):
        raise InputError(
            path,
            f"declared as {declared}, but the file is UTF-8 text (its letters would read as "
            "Ã¸ and Ã¦): remove 'encoding' for this file in dataset.yaml",
        )
    if declared or head.startswith(_BOM):
        encoding = declared or "utf-8-sig"
        problem = _encoding_problem(path, encoding)
        if problem:
            line, exc = problem
            raise InputError(
                path,
                f"line {line}: cannot be read as {encoding} "
                f"({exc.__class__.__name__}); check the file's encoding",
            )
        return encoding
    if _encoding_problem(path, "utf-8") is None:
        return "utf-8"
    problem = _encoding_problem(path, "cp1252")
    if problem:
        raise InputError(
            path,
            f"line {problem[0]}: neither UTF-8 nor Windows-1252 text; save the file as CSV UTF-8",
        )
    return "cp1252"


#: the first line Excel writes to say which delimiter a CSV file uses
_EXCEL_SEP = re.compile(r"sep=([;,\t|])", re.IGNORECASE)


def _header(path: Path, encoding: str, delimiter: str | None) -> tuple[list[str], str, int]:
    """The column names, the delimiter (detected from the header when not declared) and the
    number of physical lines up to and including the header (blank lines before it count)."""
    with path.open(encoding=encoding, newline="") as f:
        skipped = 0
        for line in f:
            skipped += 1
            if not line.strip():
                continue
            sep = _EXCEL_SEP.fullmatch(line.strip())
            if sep and skipped == 1:  # Excel's 'sep=;' line names the delimiter
                delimiter = delimiter or sep.group(1)
                continue
            break
        else:
            raise InputError(path, "the file has no header row")
    if delimiter is None:
        counts = {d: line.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=counts.get)
        if counts[delimiter] == 0:
            raise InputError(path, "row 1: found no ';', ',' or tab between column names")
    columns = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
    return columns, delimiter, skipped


def _row_problems(path: Path, encoding: str, delimiter: str) -> list[str]:
    """The rows the fast reader could not take, named as a spreadsheet does (line numbers of the
    file): a stray quote that swallows the rows after it, or a wrong number of fields. Streams
    the file through the csv module; only called when something is wrong."""
    csv.field_size_limit(2**31 - 1)  # a long field is judged by what it holds, not its size
    problems, more = [], 0
    with path.open(encoding=encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        columns = next((r for r in reader if any(c.strip() for c in r)), [])
        if _EXCEL_SEP.fullmatch(delimiter.join(columns).strip()):
            columns = next((r for r in reader if any(c.strip() for c in r)), [])
        previous = reader.line_num
        for fields in reader:
            line_no, first_line = reader.line_num, previous + 1
            previous = line_no
            if any(f.count("\n") >= 2 and delimiter in f for f in fields):
                return [
                    f'row {first_line}: a quote (") opens a field that runs over '
                    f"{line_no - first_line + 1} lines and takes in the rows after it; close "
                    "the quote or remove it"
                ]
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(columns) and len(problems) == MAX_PROBLEMS - 1:
                more += 1
            elif len(fields) != len(columns):
                problems.append(
                    f"row {line_no}: {len(fields)} fields, expected {len(columns)} "
                    f"({', '.join(c.strip() for c in columns)}); a field is missing or a value "
                    f"contains an unquoted '{delimiter}'"
                )
    return problems + ([f"... and {more} more rows like these"] if more else [])


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> RawTable:
    """A CSV file as text cells, streamed through pyarrow's reader block by block.

    Cells are stripped; empty cells are missing; rows with nothing in them (blank lines, Excel's
    trailing ';;;;') are dropped. A quoted cell may hold line breaks (Alt-Enter in Excel). A
    column with few distinct values (years, districts, answers) is kept dictionary-encoded (a
    pandas categorical), so memory stays near the file's size however long the file is. A row
    longer than a block is read with larger blocks; no field is too long to read.
    """

    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputError(
            path, f"delimiter {delimiter!r}: expected one character such as ';', ',' or a tab"
        )
    used = _encoding(path, encoding)
    columns, delimiter, skipped = _header(path, used, delimiter)
    block = _BLOCK
    while True:
        try:
            chunks, problem = _read_blocks(path, used, delimiter, skipped, len(columns), block)
            break
        except pa.ArrowInvalid as exc:
            if "straddl" in str(exc) and block < path.stat().st_size:
                block = min(block * 16, 2**31 - 1)
                continue
            problems = _row_problems(path, used, delimiter)
            raise InputError(path, problems or f"cannot be read as CSV ({exc})") from exc
    if problem:
        # the csv module names the row as a spreadsheet does; pyarrow's own words otherwise
        raise InputError(path, _row_problems(path, used, delimiter) or problem)
    frame = pd.DataFrame({str(i): _to_pandas(parts) for i, parts in enumerate(chunks)})
    frame.columns = columns
    del chunks
    release_memory()
    # Danish convention: ';'-separated files use decimal commas and '.' for thousands.
    decimal = "," if delimiter == ";" else "."
    return RawTable(path, frame, encoding=used, delimiter=delimiter, decimal=decimal)


#: bytes pyarrow reads at a time (its default); larger only for a row longer than this
_BLOCK = 1 << 20


def _read_blocks(
    path: Path, encoding: str, delimiter: str, skipped: int, width: int, block: int
) -> tuple[list[list[pa.Array]], str | None]:
    """The cleaned cells of every column, block by block; or, at the first row that does not
    fit (a wrong number of fields, a stray quote), what pyarrow saw there."""

    names = [f"c{i}" for i in range(width)]
    invalid: list[str] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        if row.text.replace(delimiter, "").strip():  # a row of only ';;;' is no row
            invalid.append(
                f"a row has {row.actual_columns} fields, expected {row.expected_columns}: "
                f"{row.text[:60]!r}"
            )
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
            skip_rows=skipped,
            column_names=names,
            block_size=block,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    chunks: list[list[pa.Array]] = [[] for _ in names]
    coded: list[bool] | None = None
    for batch in reader:
        if invalid:
            return chunks, invalid[0]
        if any(_swallows(col, delimiter) for col in batch.columns):
            return chunks, "a quoted field runs over several lines and holds the delimiter"
        cells = [_clean(col) for col in batch.columns]
        if not cells or not batch.num_rows:
            continue
        if coded is None:
            coded = [_few_distinct(col) for col in cells]
        keep = _any_valid(cells)
        for i, col in enumerate(cells):
            col = col.filter(keep)
            chunks[i].append(col.dictionary_encode() if coded[i] else col)
    return chunks, invalid[0] if invalid else None


def _clean(col: pa.Array) -> pa.Array:
    """Cells stripped of surrounding whitespace; empty cells missing."""

    trimmed = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _swallows(col: pa.Array, delimiter: str) -> bool:
    """Whether a cell runs over several lines and holds delimiters: the mark of a stray quote
    that took in the rows after it (a partners cell with Alt-Enter breaks has no delimiter)."""

    lines = pc.greater_equal(pc.count_substring(col, "\n"), 2)
    return bool(pc.any(pc.and_(lines, pc.match_substring(col, delimiter))).as_py())


def _few_distinct(col: pa.Array) -> bool:
    """Whether a column is worth dictionary-encoding, judged on the first block."""

    return pc.count_distinct(col).as_py() <= min(1000, max(1, len(col) // 2))


def _any_valid(cells: list[pa.Array]) -> pa.Array:

    keep = pc.is_valid(cells[0])
    for col in cells[1:]:
        keep = pc.or_(keep, pc.is_valid(col))
    return keep


def _to_pandas(parts: list[pa.Array]) -> pd.Series:
    """Strings as pandas' Arrow-backed string dtype (missing = NA); dictionaries as categoricals."""

    col = pa.chunked_array(parts, type=parts[0].type if parts else pa.string())
    if pa.types.is_dictionary(col.type):
        return col.to_pandas()
    return pd.Series(pd.arrays.ArrowStringArray(col), dtype=pd.StringDtype("pyarrow"))


#: a workbook is refused before it is opened when its parts would expand beyond this, or
#: expand more than XLSX_MAX_RATIO times (a zip bomb: a few kB that fill the memory)
XLSX_MAX_BYTES = 1 << 30
XLSX_MAX_RATIO = 200


def _check_expansion(path: Path) -> None:
    """Refuse a workbook whose compressed parts would expand beyond the limits, from the zip
    directory alone (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            path, f"cannot be opened as an Excel workbook ({_one_line(exc)})"
        ) from None
    total = sum(p.file_size for p in parts)
    packed = max(1, sum(p.compress_size for p in parts))
    if total > XLSX_MAX_BYTES or (total > 10 << 20 and total / packed > XLSX_MAX_RATIO):
        raise InputError(
            path,
            f"the workbook would expand from {packed:,} to {total:,} bytes ({total / packed:,.0f} "
            "times): refused as a compressed bomb; save the sheet as CSV if the data are real",
        )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def read_xlsx(path: Path, sheet: str | None = None) -> RawTable:
    import openpyxl

    _check_expansion(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except MemoryError:
        raise InputError(path, "the workbook is too large to open in memory") from None
    except Exception as exc:  # openpyxl raises several types for a broken or hostile file
        raise InputError(
            path, f"cannot be opened as an Excel workbook ({_one_line(exc)})"
        ) from None
    names = wb.sheetnames
    if sheet is not None and sheet not in names:
        wb.close()
        raise InputError(path, f"no sheet named '{sheet}'; the workbook has {names}")
    visible = [w for w in wb.worksheets if getattr(w, "sheet_state", "visible") == "visible"]
    if sheet is None and not visible:
        wb.close()
        raise InputError(
            path,
            f"every sheet is hidden ({', '.join(names)}); show the data sheet or name it "
            "with 'sheet' in dataset.yaml",
        )
    # the first sheet a person sees: a hidden one is often an old version left in the file
    ws = wb[sheet] if sheet is not None else visible[0]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    if not grid:
        hidden = [w.title for w in wb.worksheets if w not in visible]
        raise InputError(
            path,
            f"sheet '{ws.title}' is empty"
            + (
                f"; the data may be on the hidden sheet(s) {', '.join(hidden)}: show the sheet "
                "or name it with 'sheet' in dataset.yaml"
                if hidden and sheet is None
                else ""
            ),
        )
    width = max(max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in grid)
    columns = [str(v).strip() if v is not None else "" for v in grid[0][:width]]
    columns += [""] * (width - len(columns))
    rows = [[_cell(v) for v in (r + [None] * width)[:width]] for r in grid[1:]]
    note = f"sheet '{ws.title}'"
    if len(names) > 1 and sheet is None:
        hidden = [n for n in names if n not in {w.title for w in visible}]
        note += (
            f" (the first visible of {len(names)}: {', '.join(names)}"
            + (f"; hidden: {', '.join(hidden)}" if hidden else "")
            + "; name another with 'sheet')"
        )
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
