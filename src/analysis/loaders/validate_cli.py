"""``python -m analysis validate PATH [--kind KIND]``: check one file, print a short summary."""

from __future__ import annotations

from analysis.loaders.validation import load_file


def run_validate(
    path: str, kind: str | None, encoding: str | None = None, delimiter: str | None = None
) -> int:
    """0 and a summary when the file is valid; the InputError propagates otherwise (exit 1)."""
    kind_name, df, raw = load_file(path, kind, encoding, delimiter)
    lines = [
        f"{raw.path}: valid {kind_name} file",
        f"  rows: {len(df)}",
        f"  columns: {', '.join(df.columns)}",
    ]
    if raw.encoding:
        lines.append(
            f"  encoding: {raw.encoding}; delimiter: {raw.delimiter!r}; decimal: {raw.decimal!r}"
        )
    lines += [f"  note: {n}" for n in raw.notes]
    if "year" in df:
        lines.append(f"  years: {int(df['year'].min())}–{int(df['year'].max())}")
    for col in ("area", "district", "partnership", "crime_type"):
        if col in df:
            values = sorted(v for v in df[col].dropna().unique())
            lines.append(f"  {col}: {', '.join(map(str, values))}")
    print("\n".join(lines))
    return 0
