"""``python -m analysis validate PATH [--kind KIND]``: check one file, print a short summary.

When the file's folder has a ``dataset.yaml`` that names the file, its long-form mapping is
applied and shown. When the columns do not match a kind, a ``dataset.yaml`` entry is suggested
from the file's own columns (closest names, the distinct values of coded columns).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pandas as pd

from analysis.errors import InputError
from analysis.loaders.readers import read_raw
from analysis.loaders.spec import FileSpec, read_spec
from analysis.loaders.validation import KINDS, load_file

#: Danish and survey-firm column names -> the project's (lower case, no accents folded)
SYNONYMS = {
    "år": "year",
    "aar": "year",
    "årstal": "year",
    "område": "area",
    "omraade": "area",
    "bydel": "district",
    "vægt": "weight",
    "vaegt": "weight",
    "antal": "count",
    "gerningstype": "crime_type",
    "respondent": "respondent_id",
    "id": "respondent_id",
    "beboere": "residents",
    "indbyggere": "residents",
    "partnere": "partners",
    "aktivitet": "activity",
    "partnerskab": "partnership",
}


def _mapping_for(path: Path) -> tuple[str | None, FileSpec | None]:
    """The kind and long-form entry of ``path`` in its folder's dataset.yaml, if any."""
    if not (path.parent / "dataset.yaml").exists():
        return None, None
    spec, files = read_spec(path.parent)
    for kind, f in files.items():
        if f == path.resolve():
            return kind, spec.file_specs()[kind]
    return None, None


def run_validate(
    path: str, kind: str | None, encoding: str | None = None, delimiter: str | None = None
) -> int:
    """0 and a summary when the file is valid; 1 with the problems (and a suggested mapping
    when the columns do not match) otherwise. A ``.yaml`` file is a folder's ``dataset.yaml`` or
    a partnership agreement; a folder with a ``dataset.yaml`` is checked file by file, a folder
    of agreements as the set they make."""
    file = Path(path)
    if file.is_dir() and (file / "dataset.yaml").exists():
        return _validate_folder(file)
    if file.is_dir() and any(file.glob("*.yaml")):
        return _validate_agreements(file)
    if file.suffix.lower() in (".yaml", ".yml"):
        print(_validate_yaml(file))
        return 0
    mapped_kind, mapping = _mapping_for(file)
    kind = kind or mapped_kind
    try:
        kind_name, df, raw = load_file(file, kind, encoding, delimiter, mapping)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        if mapping is None and kind is not None and any("column '" in p for p in exc.problems):
            print(suggest_entry(file, kind))
        return 1
    lines = [
        f"{raw.path}: valid {kind_name} file"
        + (" (mapped by dataset.yaml)" if mapping and mapping.mapped else ""),
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


def suggest_entry(path: Path, kind: str) -> str:
    """A long-form dataset.yaml entry for ``path`` as ``kind``, to be checked and completed."""
    raw = read_raw(path)
    wanted = KINDS[kind].columns
    columns, used = {}, set()
    for target in wanted:
        by_name = [
            c
            for c in raw.columns
            if SYNONYMS.get(c.strip().lower()) == target or c.strip().lower() == target
        ]
        close = by_name or difflib.get_close_matches(
            target, [c for c in raw.columns if c not in used], n=1, cutoff=0.5
        )
        if close:
            columns[target] = close[0]
            used.add(close[0])
    lines = [
        "# suggested by python -m analysis validate; check every line",
        "files:",
        f"  {kind}:",
        f"    path: {path.name}",
        "    columns:",
    ]
    for target in wanted:
        source = columns.get(target, "?")
        lines.append(
            f"      {target}: {source}" + ("   # no column found" if source == "?" else "")
        )
    unused = [c for c in raw.columns if c not in used]
    if unused:
        lines.append(f"    # columns not used: {', '.join(unused)}")
    coded = []
    for target, source in columns.items():
        cells = raw.frame[source].dropna()
        distinct = pd.unique(cells)
        labels = raw.value_labels.get(source, {})
        if labels or (0 < len(distinct) <= 12 and target not in ("year", "count", "weight")):
            coded.append((target, distinct, labels))
    if coded:
        lines.append("    values:   # map each code or label to the project's value")
        for target, distinct, labels in coded:
            shown = ", ".join(
                f"{_code(v)}: {labels.get(v, '?')}" if labels else f"{v!r}: ?"
                for v in sorted(distinct, key=str)[:12]
            )
            lines.append(f"      {target}: {{{shown}}}")
    return "\n".join(lines)


def _code(v: object) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else repr(v)


def _validate_folder(folder: Path) -> int:
    """A data folder: its dataset.yaml, then every file it names (each with its mapping); 1 when
    any of them has a problem, after all have been checked."""
    print(_validate_yaml(folder / "dataset.yaml"))
    spec, files = read_spec(folder)
    specs = spec.file_specs()
    worst = 0
    for kind, f in files.items():
        worst = max(worst, run_validate(str(f), kind, specs[kind].encoding, specs[kind].delimiter))
    return worst


def _validate_agreements(folder: Path) -> int:
    """A folder of agreements: each file, then the set (ids unique, periods not overlapping)."""
    from analysis.agreements import load_agreements

    agreements = load_agreements(folder)
    print(f"{folder}: {len(agreements)} valid agreements, no two of one partnership overlapping")
    for a in agreements:
        print(f"  {a.path.name}: {a.partnership} {a.period}")
    return 0


def _validate_yaml(path: Path) -> str:
    """A summary of a valid ``dataset.yaml`` (its files found) or agreement; InputError else."""
    if path.name == "dataset.yaml":
        spec, files = read_spec(path.parent)
        lines = [f"{path}: valid dataset.yaml ('{spec.name}', synthetic: {spec.synthetic})"]
        lines += [f"  {kind}: {f.name}" for kind, f in files.items()]
        return "\n".join(lines)
    from analysis.agreements import load_agreement

    a = load_agreement(path)
    return "\n".join(
        [
            f"{path}: valid agreement '{a.id}' ({a.partnership}, {a.period})",
            f"  survey area: {a.area.survey_area}; district: {a.area.district}",
            f"  crime indicators: {', '.join(i.id for i in a.crime.indicators)}",
        ]
        + ([f"  SSP district: {a.ssp.district}"] if a.ssp else [])
    )
