"""JSON for typed records, driven by their type hints: encode, decode and a JSON Schema.

Dataclasses (nested), enums, ``pandas.DataFrame``, ``list``/``tuple``, ``X | None`` and plain
values. The rules, chosen so that a record read back is equal to the one written and renders
byte for byte the same:

- a ``float`` NaN is ``null``; in a field that may also be None (``float | None``), NaN is the
  string ``"NaN"`` so that the two stay apart; infinities are ``"Infinity"``/``"-Infinity"``;
- a table is ``{"columns": [...], "dtypes": [...], "data": [[...]]}`` (and ``"index"`` when it
  is not 0, 1, 2, ...), with the pandas dtypes restored on reading;
- an enum is its value; a path its text.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_NAN, _INF = "NaN", "Infinity"


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); anything else -> (tp, False)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0], True
    return tp, False


def _float(v: float, optional: bool) -> float | str | None:
    if math.isnan(v):
        return _NAN if optional else None
    if math.isinf(v):
        return _INF if v > 0 else f"-{_INF}"
    return v


def encode(value: Any, tp: Any = Any) -> Any:
    """Plain JSON values for ``value`` of type ``tp`` (see the module's docstring)."""
    tp, optional = _optional(tp)
    if value is None:
        return None
    if is_dataclass(value):
        hints = _hints(type(value))
        return {f.name: encode(getattr(value, f.name), hints[f.name]) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, pd.DataFrame):
        return _encode_frame(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return _float(value, optional or tp is Any)
    if isinstance(value, list | tuple):
        args = typing.get_args(tp)
        item = args[0] if args and (len(args) == 1 or args[1] is Ellipsis) else Any
        return [encode(v, item) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def _encode_frame(df: pd.DataFrame) -> dict[str, Any]:
    columns = []
    for name in df.columns:
        obj = df[name].dtype == object
        columns.append(
            [
                encode(v) if obj else _float(v, False) if isinstance(v, float) else v
                for v in df[name].tolist()
            ]
        )
    out: dict[str, Any] = {
        "columns": [str(c) for c in df.columns],
        "dtypes": [str(t) for t in df.dtypes],
        "data": [list(row) for row in zip(*columns, strict=True)] if columns else [],
    }
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
        out["index"] = [encode(v) for v in df.index.tolist()]
    return out


def decode(value: Any, tp: Any) -> Any:
    """The inverse of :func:`encode` for a value of type ``tp``."""
    tp, optional = _optional(tp)
    if value is None:
        return None if optional or tp is not float else math.nan
    if tp is Any:
        return _special(value)
    if tp is float:
        return _special(value)
    if tp is pd.DataFrame:
        return _decode_frame(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if isinstance(tp, type) and is_dataclass(tp):
        hints = _hints(tp)
        return tp(
            **{f.name: decode(value[f.name], hints[f.name]) for f in fields(tp) if f.name in value}
        )
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(v, args[0]) for v in value)
        return tuple(decode(v, a) for v, a in zip(value, args, strict=True))
    if origin is list:
        return [decode(v, args[0]) for v in value]
    return value  # str, int, bool, dict[str, Any]


def _special(value: Any) -> Any:
    if value == _NAN:
        return math.nan
    if value in (_INF, f"-{_INF}"):
        return math.inf if value == _INF else -math.inf
    return value


def _decode_frame(d: dict[str, Any]) -> pd.DataFrame:
    rows = d["data"]
    data = {}
    for i, (name, dtype) in enumerate(zip(d["columns"], d["dtypes"], strict=True)):
        values = [r[i] for r in rows]
        if dtype == "object":
            data[name] = pd.Series([_special(v) for v in values], dtype=object)
        else:
            data[name] = pd.Series(
                [math.nan if v is None else _special(v) for v in values]
                if dtype.startswith("float")
                else values,
                dtype=dtype,
            )
    df = pd.DataFrame(data, columns=d["columns"])
    if "index" in d:
        df.index = [_special(v) for v in d["index"]]
    return df


TABLE_SCHEMA = {
    "type": "object",
    "description": "a table: column names, their pandas dtypes, and the rows",
    "properties": {
        "columns": {"type": "array", "items": {"type": "string"}},
        "dtypes": {"type": "array", "items": {"type": "string"}},
        "data": {"type": "array", "items": {"type": "array"}},
        "index": {"type": "array"},
    },
    "required": ["columns", "dtypes", "data"],
    "additionalProperties": False,
}


def _described(f: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema with its ``metadata["doc"]`` as the description, when it has one."""
    doc = f.metadata.get("doc")
    return schema if doc is None else {"description": doc, **schema}


def schema_of(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema (draft-07) of ``tp``; dataclasses and tables go into ``defs``
    (``definitions``)."""
    tp, optional = _optional(tp)
    if optional:
        inner = schema_of(tp, defs)
        if tp is float:
            inner = {"anyOf": [inner, {"const": _NAN}]}
        return {"anyOf": [inner, {"type": "null"}]}
    if tp is Any:
        return {}
    if tp is float:
        return {"anyOf": [{"type": ["number", "null"]}, {"enum": [_INF, f"-{_INF}"]}]}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is str:
        return {"type": "string"}
    if tp is pd.DataFrame:
        defs.setdefault("Table", TABLE_SCHEMA)
        return {"$ref": "#/definitions/Table"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if isinstance(tp, type) and is_dataclass(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # recursion guard
            hints = _hints(tp)
            defs[tp.__name__] = {
                "type": "object",
                "description": (tp.__doc__ or "").strip().splitlines()[0],
                "properties": {
                    f.name: _described(f, schema_of(hints[f.name], defs)) for f in fields(tp)
                },
                # every field is written, defaults included
                "required": [f.name for f in fields(tp)],
            }
        return {"$ref": f"#/definitions/{tp.__name__}"}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": schema_of(args[0], defs)}
        return {
            "type": "array",
            "items": [schema_of(a, defs) for a in args],
            "minItems": len(args),
            "additionalItems": False,
        }
    if origin is list:
        return {"type": "array", "items": schema_of(args[0], defs)}
    if origin is dict:
        return {"type": "object"}
    raise TypeError(f"no schema for {tp!r}")
