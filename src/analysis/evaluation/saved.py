"""Saved evaluations: the one record the index, the results table and the status documents are
rendered from (:func:`save` in the report's kernel, :func:`read` in the batch), so no output
evaluates a second time and every output shows the numbers its report shows.

The JSON is :meth:`~analysis.evaluation.model.Evaluation.to_dict` (the typed fields by
:mod:`analysis.typed_json`, plus derived views for readers); its JSON Schema is
:func:`schema`, committed as ``docs/evaluation.schema.json`` (``python -m
analysis.evaluation.saved`` rewrites it; a test keeps the two equal and validates every saved
evaluation against it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema

from analysis import config
from analysis.atomic import write_text
from analysis.errors import InputError
from analysis.evaluation.measures import InformationRow
from analysis.evaluation.model import SCHEMA_VERSION, Evaluation
from analysis.evaluation.public import RESULT_COLUMNS, document
from analysis.typed_json import schema_of

SCHEMA_PATH = config.DOCS_DIR / "evaluation.schema.json"


def save(ev: Evaluation, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(document(ev), ensure_ascii=False, indent=1, allow_nan=False))


def read(path: Path) -> Evaluation:
    """A saved evaluation, checked against the schema; InputError naming the file if not."""
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, f"not a saved evaluation ({exc})") from None
    try:
        _validator()(d)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise InputError(path, f"{exc.message} ({SCHEMA_PATH.name})") from None
    return Evaluation.from_dict(d)


@cache
def _validator():
    # fastjsonschema (draft-07), not jsonschema: importing jsonschema takes 1.3 s here (its
    # IRI format checker builds grammars at import), more than a re-run of the whole batch
    return fastjsonschema.compile(schema())


def schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a saved evaluation."""
    defs: dict[str, Any] = {}
    schema_of(Evaluation, defs)
    top = defs.pop("Evaluation")
    views = {
        "information": {
            "description": "derived view, ignored on reading: the comparisons of two survey "
            "years, with the surroundings and pooled years, under the objectives' keys",
            "type": "array",
            "items": schema_of(InformationRow, defs),
        },
        "results_rows": {
            "description": "derived view, ignored on reading: the tidy results table's rows "
            "(the reference's and the change's keys prefixed reference_ and change_)",
            "type": "array",
            "items": {
                "type": "object",
                "required": list(RESULT_COLUMNS),
                "additionalProperties": False,
                "properties": {c: {} for c in RESULT_COLUMNS},
            },
        },
    }
    top["properties"] = {"schema_version": {"const": SCHEMA_VERSION}, **top["properties"], **views}
    top["required"] = ["schema_version", *top["required"]]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "A saved evaluation of one safety partnership in one year",
        **top,
        "definitions": dict(sorted(defs.items())),
    }


if __name__ == "__main__":
    write_text(SCHEMA_PATH, json.dumps(schema(), ensure_ascii=False, indent=1) + "\n")
