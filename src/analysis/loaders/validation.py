"""Reading one input file into a typed, validated DataFrame, or one error listing every problem.

Checks, in order: the columns (missing, extra or misspelled; a header that is not on the first
row); numbers (decimal commas, whole numbers where counts are required); the pandera schema
(allowed values, ranges, empty cells); then what a schema cannot say (duplicate keys, shares given
as percentages, count > n, an area in the wrong district). Problems name the row or column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from analysis import config
from analysis.errors import MAX_PROBLEMS, InputError
from analysis.loaders import schemas
from analysis.loaders.cells import (
    as_category,
    as_text,
    duplicated,
    normalise_answers,
    on_text,
    partner_list,
    release_memory,
)
from analysis.loaders.mapping import map_values, rename_columns
from analysis.loaders.readers import RawTable, read_raw
from analysis.loaders.spec import FileSpec
from analysis.reference import (
    CONFUSABLE_PAIRS,
    INVISIBLE,
    areas,
    plain_text,
    reference_columns,
    text_repairs,
)

#: cells named per check (an error shows at most MAX_PROBLEMS problems in all)
MAX_LISTED = MAX_PROBLEMS


def _fmt(value: object) -> str:
    """A cell value as a user wrote it: 2020 rather than 2020.0, text quoted."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return f"{value:g}"
    return repr(value)


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[pandera.DataFrameModel]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    #: coded text columns held as categoricals (millions of rows, a few distinct values)
    categories: tuple[str, ...] = ()
    #: of those, the survey's answers: normalised to lower case and single spaces
    answers: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "survey",
            schemas.SurveyMicrodata,
            ("respondent_id", "year", "district", "area", "weight", "safety", "safety_night"),
            integers=("year",),
            floats=("weight",),
            key=("year", "respondent_id"),
            categories=("district", "area", "safety", "safety_night"),
            answers=("safety", "safety_night"),
        ),
        Kind(
            "survey_aggregate",
            schemas.SurveyAggregate,
            ("area", "year", "indicator"),
            ("n", "share", "count", "deff"),
            integers=("year",),
            floats=("n", "share", "count", "deff"),  # n may be empty (published shares)
            key=("area", "year", "indicator"),
        ),
        Kind(
            "police",
            schemas.PoliceReports,
            ("area", "year", "crime_type", "count"),
            integers=("year", "count"),
            key=("area", "year", "crime_type"),
        ),
        Kind(
            "population",
            schemas.Population,
            ("area", "year", "residents"),
            integers=("year", "residents"),
            key=("area", "year"),
        ),
        Kind(
            "activities",
            schemas.Activities,
            ("partnership", "year", "activity", "partners"),
            integers=("year",),
            key=("partnership", "year", "activity"),
        ),
        Kind(
            "ssp",
            schemas.SspActivations,
            ("year", "district", "count"),
            integers=("year", "count"),
            key=("year", "district"),
        ),
    ]
}


def infer_kind(columns: list[str]) -> str | None:
    """The kind the columns describe, or None when no kind is a clear match.

    A kind matches when all its required columns are present (the one leaving fewest columns
    over wins), or, failing that, when it alone has most of its required columns (so that a
    misspelled column is reported as such rather than as an unknown kind).
    """
    cols = {c.strip().lower() for c in columns}
    fits = [k for k in KINDS.values() if set(k.required) <= cols]
    if fits:
        return min(fits, key=lambda k: len(cols - set(k.columns))).name
    score = {k.name: len(set(k.required) & cols) / len(k.required) for k in KINDS.values()}
    best = max(score, key=score.get)
    runner_up = max(v for k, v in score.items() if k != best)
    return best if score[best] >= 0.6 and score[best] > runner_up else None


def _unknown_kind(raw: RawTable) -> InputError:
    for i, row in enumerate(raw.head_rows()):
        kind = infer_kind(row)
        if kind is not None:
            return InputError(
                raw.path,
                f"the header is on {raw.row_name(i)}, not on row 1: "
                "delete the rows above the column names",
            )
    kinds = "; ".join(f"{k.name}: {', '.join(k.required)}" for k in KINDS.values())
    return InputError(
        raw.path,
        f"cannot tell what kind of file this is from its columns "
        f"{_listed(raw.columns)}; pass --kind, or use the columns of one of "
        f"the kinds ({kinds})",
    )


def _without_blank_columns(raw: RawTable) -> RawTable:
    """Columns with neither a name nor a value (what a trailing delimiter on every line makes)
    are dropped, and the notes say so; a named or filled column is never dropped."""
    blank = [
        i for i, c in enumerate(raw.columns) if not c.strip() and raw.frame.iloc[:, i].isna().all()
    ]
    if not blank:
        return raw
    keep = [i for i in range(len(raw.columns)) if i not in blank]
    notes = [*raw.notes, f"{len(blank)} empty column(s) without a name ignored"]
    return dataclasses.replace(raw, frame=raw.frame.iloc[:, keep], notes=notes)


def _listed(columns: list[str], most: int = 12) -> str:
    """Column names as a list, the first ``most`` of a wide file and how many there are."""
    if len(columns) <= most:
        return str(columns)
    return f"{columns[:most]} ... ({len(columns)} columns)"


def _column_problems(raw: RawTable, kind: Kind) -> list[str]:
    cols = [c.strip().lower() for c in raw.columns]
    missing = [c for c in kind.required if c not in cols]
    extra = [c for c in cols if c not in kind.columns]
    if not missing and not extra and len(set(cols)) == len(cols):
        return []
    # A title above the table: look for the real header further down.
    for i, row in enumerate(raw.head_rows()):
        cells = {v.strip().lower() for v in row}
        if set(kind.required) <= cells:
            return [
                f"the header is on {raw.row_name(i)}, not on row 1: delete the rows above "
                "the column names"
            ]
    problems = []
    for c in extra:
        close = difflib.get_close_matches(c, [m for m in kind.columns if m not in cols], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(f"column '{c}': not a column of a {kind.name} file{hint}")
    for c in missing:
        problems.append(
            f"column '{c}': missing (a {kind.name} file needs {', '.join(kind.required)})"
        )
    dups = sorted({c for c in cols if cols.count(c) > 1})
    problems += [f"column '{c}': appears more than once" for c in dups]
    return problems


#: a number as pandas would read it once spaces are gone and the decimal mark is '.'
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$"
#: digits grouped in threes by '.', with an optional decimal comma (Danish: 1.234,5)
_GROUPED = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"


def _without_spaces(text: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(text, r"[\s\p{Zs}]", "")


def _parse_numbers(text: pa.Array, decimal: str) -> pa.Array:
    """Text cells as float64: null where a cell is missing or not a number. With a decimal comma,
    '.' groups thousands; with a decimal point, a lone '12,5' still means 12.5."""
    t = _without_spaces(text)
    if decimal == ",":
        t = pc.replace_substring(pc.replace_substring(t, ".", ""), ",", ".")
    else:
        comma = pc.match_substring_regex(t, r"^[+-]?\d+,\d+$")
        t = pc.if_else(comma, pc.replace_substring(t, ",", "."), t)
    number = pc.match_substring_regex(t, _NUMBER, ignore_case=True)
    return pc.cast(pc.if_else(number, t, pa.scalar(None, pa.string())), pa.float64())


def _convert(
    df: pd.DataFrame, raw: RawTable, kind: Kind, problems: list[str]
) -> tuple[pd.DataFrame, set[int]]:
    """Numeric columns to float, vectorised; unparseable cells are reported by row.

    A ';'-separated file follows the Danish convention (decimal comma, '.' grouping thousands)
    unless its numbers show decimal points (e.g. '11.45', what ``to_csv(sep=";")`` writes):
    then '.' is the decimal mark. A file that mixes both, or groups digits other than in
    threes, is refused with the row and column: a number is never read by guesswork.
    """
    bad_rows: set[int] = set()
    decimal = _decimal_convention(df, raw, kind, problems)
    for col in kind.integers + kind.floats:
        if col not in df:
            continue
        cells = df[col]
        if pd.api.types.is_numeric_dtype(cells):
            values = pd.Series(cells.astype(float), index=df.index)
            from_text = False
        else:
            parsed = on_text(cells, lambda t: _parse_numbers(t, decimal))
            values = pd.Series(parsed, index=df.index)
            from_text = True
            unparsed = values.isna() & cells.notna()
            want = "a whole number" if col in kind.integers else "a number"
            for i in unparsed[unparsed].index[:MAX_LISTED]:
                problems.append(
                    f"{raw.row_name(i)}, column '{col}': expected {want}, got {cells[i]!r}"
                )
            bad_rows.update(unparsed[unparsed].index)
        infinite = values.notna() & ~np.isfinite(values)
        for i in infinite[infinite].index[:MAX_LISTED]:
            problems.append(f"{raw.row_name(i)}, column '{col}': expected a finite number")
        if infinite.any():
            bad_rows.update(infinite[infinite].index)
            values = values.where(~infinite)
        if col in kind.integers:
            huge = values.notna() & (values.abs() > 2**53)
            for i in huge[huge].index[:MAX_LISTED]:
                problems.append(
                    f"{raw.row_name(i)}, column '{col}': {cells[i]!s:.20} is too large for a count"
                )
            if huge.any():
                bad_rows.update(huge[huge].index)
                values = values.where(~huge)
            fractional = values.notna() & (values % 1 != 0)
            for i in fractional[fractional].index[:MAX_LISTED]:
                shown = cells[i] if from_text else _fmt(values[i])
                problems.append(
                    f"{raw.row_name(i)}, column '{col}': expected a whole number, got {shown!r}"
                )
            bad_rows.update(fractional[fractional].index)
        df[col] = values
    return df, bad_rows


def _rows(raw: RawTable, index: Sequence[int]) -> str:
    """Rows as a user names them, the first three and how many more: a message stays short."""
    named = ", ".join(raw.row_name(i) for i in index[:3])
    return named + (f" and {len(index) - 3} more rows" if len(index) > 3 else "")


def _first(flags: np.ndarray, cells: pd.Series) -> int | None:
    """The index label of the first flagged cell, or None."""
    return cells.index[int(flags.argmax())] if flags.any() else None


def _odd_point(text: pa.Array) -> pa.Array:
    """Cells with a '.' that does not group thousands in threes (so a decimal point)."""
    t = _without_spaces(text)
    return pc.and_(pc.match_substring(t, "."), pc.invert(pc.match_substring_regex(t, _GROUPED)))


def _decimal_convention(df: pd.DataFrame, raw: RawTable, kind: Kind, problems: list[str]) -> str:
    """The decimal mark of a CSV's numbers: ',' (Danish, ';' files) or '.'."""
    if raw.decimal != ",":
        return raw.decimal
    comma, point = None, None
    for col in kind.integers + kind.floats:
        if col not in df or pd.api.types.is_numeric_dtype(df[col]):
            continue
        cells = df[col]
        if comma is None:
            has_comma = on_text(
                cells, lambda t: pc.match_substring_regex(_without_spaces(t), r"\d,\d"), False
            )
            row = _first(has_comma, cells)
            comma = None if row is None else (col, row)
        if point is None:
            row = _first(on_text(cells, _odd_point, False), cells)
            point = None if row is None else (col, row)
    if point is None:
        return ","
    p_col, p_row = point
    if re.search(r"\d,\d", str(df[p_col][p_row])):  # 1.23,5: a comma, and odd grouping
        problems.append(
            f"{raw.row_name(p_row)}, column '{p_col}': {df[p_col][p_row]!r}: digits grouped by "
            "'.' must come in threes before the decimal comma (1.234,5)"
        )
        return ","
    if comma is not None:
        (c_col, c_row), (p_col, p_row) = comma, point
        problems.append(
            f"{raw.row_name(p_row)}, column '{p_col}': {df[p_col][p_row]!r} has a decimal point, "
            f"but {raw.row_name(c_row)}, column '{c_col}' has a decimal comma "
            f"({df[c_col][c_row]!r}); a ';'-separated file must use one convention (12,5 with "
            "'.' only grouping thousands in threes, or 12.5 throughout)"
        )
        return ","
    raw.notes.append("numbers with decimal points ('.'), not the Danish decimal comma")
    raw.decimal = "."
    return "."


def _totals_with_subtypes(df: pd.DataFrame, raw: RawTable) -> list[str]:
    """A category's total ('Indbrud') and its subtypes ('Indbrud i beboelse', ...) for one
    area-year would be counted twice: refused."""
    from analysis.reference import crime_categories, crime_type_map

    categories = crime_categories()
    category_of = crime_type_map()
    totals = {
        t
        for t, c in category_of.items()
        if t.casefold() == str(categories[c].get("label", "")).casefold()
    }
    problems = []
    typed = df.assign(category=df["crime_type"].map(category_of))
    for (area, year, _), g in typed.groupby(["area", "year", "category"]):
        types = set(g["crime_type"])
        total = types & totals
        if total and len(types) > 1:
            others = sorted(types - total)
            problems.append(
                f"{_rows(raw, g.index)}: '{next(iter(total))}' is the total of {others} for area "
                f"{area}, year {_fmt(year)}; give the total or its subtypes, not both "
                "(they would be counted twice)"
            )
    return problems


def _describe_check(check: str, kind: str, column: str) -> str:
    m = re.match(r"(\w+)\((.*)\)$", check)
    name, arg = (m.group(1), m.group(2)) if m else (check, "")
    if name == "isin":
        allowed = [a.strip().strip("'\"") for a in arg.strip("[]").split(",")]
        shown = ", ".join(allowed[:15]) + (", ..." if len(allowed) > 15 else "")
        what = "SSP district" if (kind, column) == ("ssp", "district") else column
        listed = reference_columns(kind).get(column)
        where = f" (data/raw/reference/{listed.file})" if listed else ""
        return f"not a known {what}; expected one of: {shown}{where}"
    words = {
        "greater_than_or_equal_to": "at least",
        "less_than_or_equal_to": "at most",
        "greater_than": "above",
        "less_than": "below",
    }
    if name in words:
        if column == "year":
            return f"outside the known years {schemas.YEARS['ge']}–{schemas.YEARS['le']}"
        return f"expected a value {words[name]} {arg}"
    if name == "not_nullable":
        return "empty; a value is required"
    return f"fails the check {check}"


def _schema_problems(df: pd.DataFrame, raw: RawTable, kind: Kind) -> list[str]:
    typed = df.copy(deep=False)  # columns are replaced, never written into
    for col in kind.integers:
        if col in typed and typed[col].notna().all():
            typed[col] = typed[col].astype("int64")
    for col in kind.floats:
        if col in typed:
            typed[col] = typed[col].astype("float64")
    for col in kind.columns:
        if col not in typed:
            typed[col] = pd.Series(
                [None] * len(typed),
                index=typed.index,
                dtype="float64" if col in kind.floats else "string",
            )
        elif col not in kind.integers + kind.floats + kind.categories:
            typed[col] = typed[col].astype("string")  # no-op unless a text column held numbers
    try:
        kind.model.validate(typed[list(kind.columns)], lazy=True)
    except pandera.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[~fc["check"].astype(str).str.startswith("dtype(")]  # reported elsewhere
        out = []
        # one line per column, check and value: a value that is wrong in many rows (an
        # unmapped code, say) is named once, with its rows
        groups = fc.assign(
            value=fc["failure_case"].map(lambda v: None if pd.isna(v) else _fmt(v)).astype(object)
        )
        for (column, check, value), g in groups.groupby(
            ["column", "check", "value"], sort=False, dropna=False
        ):
            rows = [int(i) for i in g["index"] if pd.notna(i)]
            where = f"{_rows(raw, rows)}, " if rows else ""
            shown = "" if value is None or value != value else f"{value}: "
            why = _describe_check(str(check), kind.name, str(column))
            out.append(f"{where}column '{column}': {shown}{why}")
        return out
    return []


def _folded(cells: pd.Series) -> pd.Series | np.ndarray:
    """Text as it reads (' Tryghed  Vandring' ~ 'tryghed vandring'): without case or extra
    spaces, in Unicode NFC, without invisible characters, look-alike letters of other scripts
    read as Latin, so that two rows a reader cannot tell apart are one key; numbers as they are.
    Arrow kernels, so a key column of millions of ids costs no Python object per row."""
    if pd.api.types.is_numeric_dtype(cells):
        return cells

    def fold(t: pa.Array) -> pa.Array:
        if not pc.any(pc.match_substring_regex(t, r"\s\s|[^\S ]|\p{Lu}|[^\x00-\x7f]")).as_py():
            return t  # nothing to fold: no copy (cells come stripped)
        t = pc.utf8_normalize(t, form="NFC")
        t = pc.replace_substring_regex(t, f"[{INVISIBLE}]", "")
        t = pc.replace_substring_regex(t, r"[\s\x{00a0}\x{2007}\x{202f}]+", " ")
        for other, latin in CONFUSABLE_PAIRS:
            t = pc.replace_substring(t, other, latin)
        return pc.utf8_lower(pc.utf8_trim_whitespace(t))

    return on_text(cells, fold)


def _plain_column_names(raw: RawTable) -> RawTable:
    """Column names without invisible characters (a byte-order mark pasted into the middle of
    a header, a zero-width space) or special spaces: the column is the one its name reads as."""
    names = {c: plain_text(str(c)) for c in raw.frame.columns}
    changed = [c for c, n in names.items() if n != c]
    if not changed:
        return raw
    frame = raw.frame.rename(columns=names)
    where = ", ".join(repr(names[c]) for c in changed[:5])
    note = f"column names: {', '.join(text_repairs(str(changed[0])))} ({where})"
    return dataclasses.replace(raw, frame=frame, notes=[*raw.notes, note])


#: a number as Excel shows a long one: the digits after the first few are gone
_SCIENTIFIC = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"


def _id_problems(df: pd.DataFrame, raw: RawTable) -> list[str]:
    """Respondent ids that a spreadsheet turned into numbers in scientific notation: the
    original ids cannot be recovered, and different respondents may now share one."""
    ids = df["respondent_id"].dropna().astype(str)
    bad = ids[ids.str.match(_SCIENTIFIC)]
    if bad.empty:
        return []
    i = bad.index[0]
    return [
        f"{raw.row_name(i)}, column 'respondent_id': {bad[i]!r} is a number in scientific "
        f"notation, as a spreadsheet shows a long id ({len(bad)} such ids); the original ids "
        "are lost: export the column as text"
    ]


def _weight_problems(df: pd.DataFrame, raw: RawTable) -> list[str]:
    """Weights far outside the file's own distribution: one respondent at a million times the
    others turns a share of 11 % into 99.8 %, and the weight itself is a valid number."""
    w = df["weight"].dropna()
    if w.empty:
        return []
    median = float(w.median())
    limit = config.MAX_WEIGHT_RATIO * median
    high = w[w > limit]
    problems = [
        f"{raw.row_name(i)}, column 'weight': {_fmt(w[i])} is {w[i] / median:,.0f} times the "
        f"file's median weight ({median:.3g}); a weight above {config.MAX_WEIGHT_RATIO:g} x the "
        "median is refused as implausible (set allow_extreme_weights: true for the file in "
        "dataset.yaml if it is right)"
        for i in high.index[:MAX_LISTED]
    ]
    if len(high) > MAX_LISTED:
        problems.append(f"... and {len(high) - MAX_LISTED} more such weights")
    return problems


def _rule_problems(
    df: pd.DataFrame, raw: RawTable, kind: Kind, mapping: FileSpec | None = None
) -> list[str]:
    problems = []
    if kind.name == "survey":
        problems += _id_problems(df, raw)
    if kind.name == "survey" and not (mapping is not None and mapping.allow_extreme_weights):
        problems += _weight_problems(df, raw)
    this_year = dt.date.today().year
    if "year" in df:
        future = df["year"].notna() & (df["year"] > this_year)
        for i in future[future].index[:MAX_LISTED]:
            problems.append(
                f"{raw.row_name(i)}, column 'year': {_fmt(df['year'][i])} has not "
                f"happened yet (it is {this_year})"
            )
    if kind.name == "population":
        small = df["residents"].notna() & (df["residents"] < config.MIN_RESIDENTS)
        for i in small[small].index[:MAX_LISTED]:
            problems.append(
                f"{raw.row_name(i)}, column 'residents': {_fmt(df['residents'][i])} "
                f"inhabitants cannot carry a rate per 1,000; expected at least "
                f"{config.MIN_RESIDENTS}"
            )
    if kind.name == "activities":
        empty = df["partners"].notna() & df["partners"].map(
            lambda s: not partner_list(str(s))
        ).astype(bool)
        for i in empty[empty].index[:MAX_LISTED]:
            problems.append(
                f"{raw.row_name(i)}, column 'partners': {df['partners'][i]!r} names no partner"
            )
    if kind.key:
        folded = pd.DataFrame({k: _folded(df[k]) for k in kind.key}, index=df.index)
        dup = df[duplicated([folded[k] for k in kind.key])]
        groups = dup.groupby([folded.loc[dup.index, k] for k in kind.key], sort=False)
        for n, (_, group) in enumerate(groups):
            if n == MAX_LISTED:
                problems.append(f"... and {groups.ngroups - n} more duplicate keys")
                break
            key = ", ".join(f"{k}={_fmt(group[k].iloc[0])}" for k in kind.key)
            problems.append(
                f"{_rows(raw, group.index)}: duplicate key ({key}); each must appear once (case, "
                "spacing, invisible characters and look-alike letters do not make two rows "
                "different)"
            )
    if kind.name == "police":
        problems += _totals_with_subtypes(df, raw)
    if kind.name == "survey_aggregate":
        for i, r in df.iterrows():
            has_share, has_count = pd.notna(r["share"]), pd.notna(r["count"])
            if has_share == has_count:
                problems.append(
                    f"{raw.row_name(i)}: give either 'share' or 'count', not "
                    f"{'both' if has_share else 'neither'}"
                )
            if pd.notna(r["n"]) and r["n"] % 1:
                problems.append(
                    f"{raw.row_name(i)}, column 'n': expected a whole number, got {r['n']:g}"
                )
            if pd.notna(r["count"]) and pd.isna(r["n"]):
                problems.append(
                    f"{raw.row_name(i)}, column 'n': a count needs the number of respondents n"
                )
            if pd.notna(r["count"]) and pd.notna(r["n"]) and r["count"] > r["n"]:
                problems.append(
                    f"{raw.row_name(i)}, column 'count': {r['count']:g} is larger "
                    f"than n = {r['n']:g}"
                )
    if kind.name == "survey":
        home = dict(zip(areas()["area"], areas()["district"], strict=True))
        pairs = df.groupby(["area", "district"], observed=True).size().index
        bad = [(a, d) for a, d in pairs if a in home and home[a] != d]
        wrong = df[pd.MultiIndex.from_frame(df[["area", "district"]]).isin(bad)] if bad else df[:0]
        for i, r in wrong.head(MAX_LISTED).iterrows():
            problems.append(
                f"{raw.row_name(i)}, column 'district': area '{r['area']}' lies in "
                f"'{home[r['area']]}', not '{r['district']}'"
            )
    return problems


def load_file(
    path: Path | str,
    kind: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: FileSpec | None = None,
) -> tuple[str, pd.DataFrame, RawTable]:
    """Read and validate one input file: (kind, typed DataFrame, the raw table read).

    ``mapping`` is the file's long-form entry in ``dataset.yaml`` (columns, values, rows, unit,
    sheet); the table's notes record what it did.
    """
    raw = read_raw(path, encoding, delimiter, mapping.sheet if mapping else None)
    raw = _plain_column_names(raw)
    if kind is not None and kind not in KINDS:
        raise InputError(raw.path, f"unknown kind '{kind}'; expected one of {sorted(KINDS)}")
    raw = rename_columns(raw, mapping)
    kind_name = kind or infer_kind(raw.columns)
    if kind_name is None:
        raise _unknown_kind(raw)
    spec = KINDS[kind_name]
    raw = map_values(raw, spec.name, spec.columns, mapping)
    raw = _without_blank_columns(raw)
    problems = _column_problems(raw, spec)
    if problems:
        raise InputError(raw.path, problems)
    if raw.frame.empty:
        raise InputError(raw.path, "the file has a header but no data rows")
    # Text columns as pandas' string dtype or, coded ones, categoricals; numbers are converted
    # below. Survey answers are normalised once per distinct answer.
    columns = {}
    for c in raw.columns:
        name, cells = c.strip().lower(), raw.frame[c]
        if name in spec.answers:
            columns[name] = normalise_answers(cells)
        elif name in spec.categories:
            columns[name] = as_category(cells)
        elif name in spec.integers + spec.floats or pd.api.types.is_numeric_dtype(cells):
            columns[name] = cells
        else:
            columns[name] = as_text(cells)
    df = pd.DataFrame(columns)
    del columns, cells
    raw = dataclasses.replace(raw, frame=raw.frame.head(0))  # the cells are in df now
    release_memory()
    for col in spec.optional:  # every consumer sees the kind's full set of columns
        if col not in df:
            df[col] = pd.Series(
                float("nan") if col in spec.floats else None,
                index=df.index,
                dtype="float64" if col in spec.floats else "string",
            )
    problems = []
    df, bad_rows = _convert(df, raw, spec, problems)
    release_memory()
    percent = mapping is not None and mapping.unit == "percent"
    if percent and "share" in df:
        given = df["share"].dropna()
        if len(given) and (given <= 1).all():
            raise InputError(
                raw.path,
                f"column 'share': dataset.yaml says unit: percent, but every value is at most 1 "
                f"(such as {given.iloc[0]:g} in {raw.row_name(given.index[0])}): these are "
                "shares; remove unit: percent (a spreadsheet cell shown as 11 % holds 0.11)",
            )
        df["share"] = df["share"] / 100
    checked = df.drop(index=list(bad_rows)) if bad_rows else df
    problems += _schema_problems(checked, raw, spec)
    release_memory()
    problems += _rule_problems(checked, raw, spec, mapping)
    if "share" in checked and not percent:
        shares = checked["share"].dropna()
        if len(shares) and (shares > 1).mean() > 0.5 and (shares <= 100).all():
            first = shares[shares > 1].index[0]
            problems = [p for p in problems if not ("column 'share'" in p and "at most" in p)]
            problems.insert(
                0,
                f"column 'share': values such as {shares[first]:g} "
                f"({raw.row_name(first)}) look like percentages; give shares "
                "between 0 and 1 (0.17, not 17)",
            )
    if problems:
        raise InputError(raw.path, problems)
    for col in spec.integers:
        if col in df and df[col].notna().all():
            df[col] = df[col].astype("int64")
    return spec.name, df, raw
