"""Text cells: column-wide operations that keep memory near the data's own size, and the
partners named in one activity cell.

A column is worked on either through Arrow's compute kernels (no Python object per cell) or, for
a function of one value, once per distinct value. A categorical column (what the CSV reader
gives for a column with few distinct values) is worked on through its categories alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.reference import latin_lookalike, plain_text

TEXT = pd.StringDtype("pyarrow")


#: rows worked on at a time, so that a kernel's temporaries stay small however long the column
STEP = 1 << 20


def release_memory() -> None:
    """Hand the blocks Arrow's pool keeps after a large step back to the system: numpy (pandas'
    other allocator) cannot reuse them, so without this the peak of a long file grows by them."""
    pa.default_memory_pool().release_unused()


def _arrow_text(cells: pd.Series) -> pa.ChunkedArray | pa.Array:
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        return pa.array(cells)
    return pa.array(cells.astype(TEXT))


def as_text(cells: pd.Series) -> pd.Series:
    """Cells as Arrow-backed text; a categorical is expanded by Arrow (no Python object per
    cell)."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return pd.Series(on_text(cells, lambda t: t), index=cells.index, dtype=TEXT)
    return cells.astype(TEXT)


def on_text(
    cells: pd.Series, fn: Callable[[pa.Array], pa.Array], fill: object = None
) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """``fn`` (an Arrow kernel over text) on every cell, a slice of rows at a time: booleans and
    integers as numpy with ``fill`` where a cell is missing, floats as numpy (NaN), text as
    Arrow-backed strings. A categorical is worked on through its categories."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        codes = pa.array(cells.cat.codes.to_numpy(), mask=cells.isna().to_numpy())
        values = fn(_arrow_text(pd.Series(cells.cat.categories)))
        return _to_column([pc.take(values, codes)], fill)
    text = _arrow_text(cells)
    parts = [fn(text.slice(start, STEP)) for start in range(0, max(len(text), 1), STEP)]
    return _to_column(parts, fill)


def _to_column(
    parts: list[pa.Array | pa.ChunkedArray], fill: object
) -> np.ndarray | pd.api.extensions.ExtensionArray:
    kind = parts[0].type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        chunks = [c for p in parts for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])]
        return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=kind))
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        return np.concatenate([pc.fill_null(p, fill).to_numpy(zero_copy_only=False) for p in parts])
    return np.concatenate([p.to_numpy(zero_copy_only=False) for p in parts])


def map_distinct(cells: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``func`` applied once to each distinct non-missing value (a result of None is missing).
    A categorical stays categorical; anything else becomes Arrow-backed text, built without a
    Python object per cell."""
    codes, uniques = pd.factorize(cells)
    mapped = [func(u) for u in uniques]
    if isinstance(cells.dtype, pd.CategoricalDtype):
        new_codes, categories = pd.factorize(pd.Series(mapped, dtype=object))
        codes = np.append(new_codes, -1)[codes]
        return pd.Series(
            pd.Categorical.from_codes(codes, categories=categories.astype(TEXT)),
            index=cells.index,
        )
    values = pa.array([None if m is None else _text(m) for m in mapped], pa.string())
    taken = pc.take(values, pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=cells.index, dtype=TEXT)


def as_category(cells: pd.Series) -> pd.Series:
    """Cells as a categorical of text (what the CSV reader already gives for a coded column)."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells
    return map_distinct(cells.astype("category"), _text)


def _text(value: object) -> str:
    """A cell as text: an SPSS code 1.0 as '1'."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def normalise_answers(values: pd.Series) -> pd.Series:
    """Lower-case, single-spaced answer text ('Meget  Tryg' -> 'meget tryg'); blanks -> missing;
    a categorical."""
    return map_distinct(as_category(values), lambda u: " ".join(str(u).split()).lower() or None)


def duplicated(columns: list[pd.Series]) -> np.ndarray:
    """Rows whose values in ``columns`` occur more than once (every occurrence; missing equals
    missing), found by sorting: Arrow's hash tables cost many times the data for a key of
    millions of distinct ids, a sort costs one copy of one column at a time."""
    arrays = [pa.array(c) for c in columns]
    arrays = [a.cast(a.type.value_type) if pa.types.is_dictionary(a.type) else a for a in arrays]
    table = pa.table({f"k{i}": a for i, a in enumerate(arrays)})
    del arrays
    n = table.num_rows
    if n < 2:
        return np.zeros(n, dtype=bool)
    order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in table.column_names])
    same = None
    for name in table.column_names:
        ordered = table[name].take(order)
        a, b = ordered[1:], ordered[:-1]
        both_missing = pc.and_(pc.is_null(a), pc.is_null(b))
        equal = pc.fill_null(pc.or_kleene(pc.equal(a, b), both_missing), False)
        same = equal if same is None else pc.and_(same, equal)
        del ordered, a, b
    same = np.asarray(same, dtype=bool)
    in_sorted = np.zeros(n, dtype=bool)
    in_sorted[1:] |= same
    in_sorted[:-1] |= same
    out = np.empty(n, dtype=bool)
    out[order.to_numpy()] = in_sorted
    return out


def partner_list(cell: str) -> list[str]:
    """The partners of one activity: separated by ; , | or a line break (Alt-Enter in Excel),
    each named once whatever its capitals, spacing, Unicode form, invisible characters or
    look-alike letters of another script."""
    found: dict[str, str] = {}
    for p in re.split(r"[;,|\r\n]", cell):
        name = plain_text(p)
        if name:
            found.setdefault(latin_lookalike(name).casefold(), name)
    return sorted(found.values())
