"""Files in their owners' shapes onto the project's columns and values, as ``dataset.yaml``
declares (see :mod:`analysis.loaders.spec`): never a hand edit of the file.

In order: keep the declared ``rows``; rename the declared ``columns`` (file names matched
case- and space-insensitively) and set the others aside; apply SPSS value labels; apply the
declared ``values`` (by code or by label); and read values that differ from the reference only
by case or spacing (or areas and districts given by their Danish name in
``data/raw/reference/areas.csv``) as the reference writes them. Every step is recorded in the
table's notes, which ``python -m analysis validate`` prints. A value that nothing maps stays as
it is and is reported by the schema with its row and column.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis.errors import InputError
from analysis.loaders.cells import map_distinct
from analysis.loaders.readers import RawTable
from analysis.loaders.spec import FileSpec
from analysis.reference import (
    confusable_letters,
    latin_lookalike,
    reference_columns,
    spelling,
    text_repairs,
)


def _find(columns: list[str], name: str) -> str | None:
    wanted = spelling(name)
    return next((c for c in columns if spelling(c) == wanted), None)


def rename_columns(raw: RawTable, spec: FileSpec | None) -> RawTable:
    """Keep the declared rows and give the declared columns the project's names."""
    if spec is None or not (spec.columns or spec.rows):
        return raw
    frame, notes, problems = raw.frame, list(raw.notes), []
    for source, allowed in spec.rows.items():
        col = _find(raw.columns, source)
        if col is None:
            problems.append(
                f"dataset.yaml 'rows': no column '{source}' in the file (columns: {raw.columns})"
            )
            continue
        keep = {spelling(v) for v in ([allowed] if isinstance(allowed, str) else allowed)}
        mask = map_distinct(frame[col], lambda v, keep=keep: "y" if spelling(v) in keep else None)
        mask = mask.notna().to_numpy()
        notes.append(f"rows kept where {col} is {sorted(keep)}: {int(mask.sum())} of {len(frame)}")
        frame = frame[mask]
    renames, labels = {}, {}
    for target, source in spec.columns.items():
        col = _find(raw.columns, source)
        if col is None:
            problems.append(
                f"dataset.yaml 'columns.{target}': no column '{source}' in the file "
                f"(columns: {raw.columns})"
            )
            continue
        renames[col] = target
        if col in raw.value_labels:
            labels[target] = raw.value_labels[col]
    if problems:
        raise InputError(raw.path, problems)
    if spec.columns:
        ignored = [
            c
            for c in frame.columns
            if c not in renames and spelling(c) not in {spelling(t) for t in spec.columns}
        ]
        frame = frame.drop(columns=ignored).rename(columns=renames)
        applied = ", ".join(f"{t} <- {s}" for s, t in renames.items() if s != t)
        notes.append(f"columns mapped: {applied or 'none renamed'}")
        if ignored:
            notes.append(f"columns ignored: {', '.join(map(str, ignored))}")
        for col, lab in raw.value_labels.items():
            if col not in renames and col not in ignored:
                labels[col] = lab
    else:
        labels = dict(raw.value_labels)
    return dataclasses.replace(raw, frame=frame, notes=notes, value_labels=labels)


def map_values(
    raw: RawTable, kind: str, columns: tuple[str, ...], spec: FileSpec | None
) -> RawTable:
    """SPSS labels, declared values and the reference's names, for the kind's columns."""
    frame, notes = raw.frame.copy(deep=False), list(raw.notes)  # columns replaced, not written
    declared = {} if spec is None else spec.values
    for target in declared:
        if target not in columns:
            raise InputError(
                raw.path,
                f"dataset.yaml 'values.{target}': not a column of this kind ({', '.join(columns)})",
            )
    names = _reference_names(kind)
    for col in frame.columns:
        key = str(col).strip().lower()
        labels = raw.value_labels.get(col, {})
        values = {spelling(k): v for k, v in declared.get(key, {}).items()}
        named = names.get(key) if key in columns else None
        if not (labels or values or named):
            continue
        lut, changed = {}, []
        for v in pd.unique(frame[col].dropna()):
            label = (
                labels.get(v, labels.get(int(v), None))
                if isinstance(v, float) and float(v).is_integer()
                else labels.get(v)
            )
            out = values.get(spelling(v))
            if out is None and label is not None:
                out = values.get(spelling(label), label)
            if out is None and named:
                out = named.get(spelling(v))
                if out is None and isinstance(v, str):
                    _refuse_lookalike(raw, key, v, named)
            if out is None:
                out = v
            if out != v:
                lut[v] = out
                repairs = text_repairs(v) if isinstance(v, str) else []
                changed.append(
                    f"{v!r} -> {out!r}" + (f" ({', '.join(repairs)})" if repairs else "")
                )
        if lut:
            frame[col] = map_distinct(frame[col], lambda v, lut=lut: lut.get(v, v))
            how = (
                "value labels and values"
                if labels and values
                else (
                    "value labels"
                    if labels and not values
                    else "values"
                    if values
                    else "reference names"
                )
            )
            shown = ", ".join(changed[:8]) + (
                f", ... ({len(changed)} in all)" if len(changed) > 8 else ""
            )
            notes.append(f"{key}: {how} applied ({shown})")
    return dataclasses.replace(raw, frame=frame, notes=notes)


def _refuse_lookalike(raw: RawTable, column: str, value: str, named: dict[str, str]) -> None:
    """A value that matches a reference name only once look-alike letters of another script are
    read as Latin ones is refused, with the letters named: it looks right and is not."""
    found = named.get(spelling(latin_lookalike(value)))
    if found is not None:
        raise InputError(
            raw.path,
            f"column '{column}': {value!r} looks like {found!r} but contains the letter(s) "
            f"{', '.join(confusable_letters(value))} of another alphabet; write {found!r}",
        )


def _reference_names(kind: str) -> dict[str, dict[str, str]]:
    """Per column of ``kind``, the reference's values by any of their spellings (see
    :func:`analysis.reference.reference_columns`), and partnerships by their agreements' id."""
    from analysis.agreements import partnerships

    names = {c: ref.names for c, ref in reference_columns(kind).items()}
    if kind != "ssp":
        names["partnership"] = {spelling(p): p for p in partnerships()}
    return names
