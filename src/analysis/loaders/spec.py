"""``dataset.yaml``: what a data folder holds, validated with pydantic so that every problem names
the key and what was expected.

Each file kind is given in the plain form (``survey: survey.csv``) or the long form, which maps
a file in its owner's shape onto the project's columns and values::

    files:
      survey:
        path: tryg.sav
        columns: {respondent_id: Respondent, year: Aar, district: Bydel, area: Omraade,
                  weight: Vaegt, safety: Q1, safety_night: Q2}
        values:
          area: {"Urbanplanen og Hørgården": amager_partnerskab}
          safety: {1: meget tryg, 2: tryg, 3: hverken tryg eller utryg, 4: utryg,
                   5: meget utryg, 9: ved ikke}
      police: {path: anmeldelser.xlsx, sheet: "2025",
               columns: {area: Område, year: År, crime_type: Gerningstype, count: Antal}}
      survey_aggregate: {path: figures.csv, rows: {unit: percent},
                         columns: {share: value}, unit: percent, rounded_to: 1}

``columns`` maps the project's column to the file's; ``values`` maps a column's codes or labels
to the project's values; ``rows`` keeps only the rows whose (file) column has one of the given
values; ``unit: percent`` says shares are in percent; ``rounded_to`` says published shares are
rounded to that many percentage points. Paths resolve inside the data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis.errors import InputError
from analysis.yamlfile import load_yaml

FileKind = Literal["survey", "survey_aggregate", "police", "population", "activities", "ssp"]
FILE_KINDS: tuple[str, ...] = FileKind.__args__  # type: ignore[attr-defined]


class FileSpec(BaseModel):
    """One file of a data folder, and how it maps onto the project's columns and values."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    path: str = Field(min_length=1)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = Field(default=None, pattern='^[^"\r\n]$')
    columns: dict[str, str] = {}
    values: dict[str, dict[str | int | float, str]] = {}
    rows: dict[str, str | list[str]] = {}
    unit: Literal["share", "percent"] = "share"
    rounded_to: float | None = Field(default=None, gt=0, le=10)
    #: columns whose ``values`` may map several codes to one label (a declared merge)
    merge: list[str] = []
    #: a survey weight above config.MAX_WEIGHT_RATIO x the file's median is refused unless true
    allow_extreme_weights: bool = False

    @model_validator(mode="after")
    def _one_to_one(self) -> FileSpec:
        """A value mapping is one-to-one unless its column is listed under ``merge``: two codes
        given one label change what a share counts (11 % became 23 % when two answers met)."""
        for column, mapping in self.values.items():
            if column in self.merge:
                continue
            by_label: dict[str, list[str]] = {}
            for code, label in mapping.items():
                by_label.setdefault(label, []).append(str(code))
            for label, codes in by_label.items():
                if len(codes) > 1:
                    raise ValueError(
                        f"values.{column}: the codes {', '.join(codes)} all map to {label!r}; a "
                        f"mapping must be one-to-one (if the merge is intended, add {column} "
                        "to 'merge')"
                    )
        unknown = [c for c in self.merge if c not in self.values]
        if unknown:
            raise ValueError(f"merge: {unknown} have no 'values' mapping")
        return self

    @property
    def mapped(self) -> bool:
        return bool(self.columns or self.values or self.rows)


Stratifier = Literal["year", "district", "area"]


class DesignSpec(BaseModel):
    """How the survey sample was drawn, for the design-based variance of microdata.

    The defaults describe the Copenhagen survey as the project reads it: respondents drawn
    within each district every year (strata year × district), each respondent a unit of its
    own (no clusters), weights calibrated to the residents, so that a stratum's weight total is
    its population and the finite population correction is 1 − n_h / Σ_h w (``fpc:
    population``; ``fpc: none`` drops it). Aggregate rows have no design: they keep Kish's route
    (``n`` and ``deff``).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    strata: list[Stratifier] = Field(default=["year", "district"], min_length=1)
    weights: Literal["weight"] = "weight"
    fpc: Literal["population", "none"] = "population"
    #: a cluster (primary sampling unit) column: not supported, refused with the reason
    clusters: str | None = None

    @model_validator(mode="after")
    def _years_apart(self) -> DesignSpec:
        if self.clusters is not None:
            raise ValueError(
                f"clusters ({self.clusters!r}): cluster samples are not supported; the "
                "variance treats every respondent as a sampling unit of its own, as the "
                "Copenhagen survey draws them (remove the key, or ask for a clustered design)"
            )
        if "year" not in self.strata:
            raise ValueError(
                "strata must include 'year': each year's survey is a sample of its own"
            )
        if len(set(self.strata)) < len(self.strata):
            raise ValueError(f"strata names a column twice: {self.strata}")
        return self


class DatasetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=64)
    synthetic: bool
    description: str = ""
    #: design effect of aggregate survey rows that give none
    deff: float | None = Field(default=None, ge=1, lt=100)
    #: the sample design of survey microdata (defaults: see DesignSpec)
    design: DesignSpec = DesignSpec()
    files: dict[FileKind, str | FileSpec]

    def file_specs(self) -> dict[str, FileSpec]:
        return {k: FileSpec(path=v) if isinstance(v, str) else v for k, v in self.files.items()}


def _message(error: dict) -> str:
    loc = ".".join(
        # pydantic names the member of a union it tried ('str', 'FileSpec'): not a key
        str(p)
        for p in error["loc"]
        if str(p) not in ("str", "FileSpec") and not str(p).startswith("[key]")
    )
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        msg = "unknown key"
    elif error["type"] == "missing":
        msg = "missing"
    elif error["type"] == "literal_error" and error["loc"][:1] == ("files",):
        msg = f"unknown kind; expected one of {list(FILE_KINDS)}"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1] == "delimiter":
        msg = f"expected one character such as ';', ',' or a tab, got {error['input']!r}"
    elif error["type"] == "string_pattern_mismatch":
        msg = "use lower-case letters, digits, '-' or '_'"
    elif error["type"] == "value_error":
        msg = msg.removeprefix("Value error, ")
    elif error["loc"] == ("deff",):
        msg = f"expected the survey's design effect, a number of at least 1 ({msg})"
    return f"key '{loc}': {msg}"


def read_spec(data_dir: Path) -> tuple[DatasetSpec, dict[str, Path]]:
    """The validated ``dataset.yaml`` of ``data_dir`` and each kind's file, resolved inside it."""
    spec_path = data_dir / "dataset.yaml"
    if not data_dir.is_dir():
        raise InputError(
            data_dir,
            "not a folder; --data-dir takes a data folder with a dataset.yaml (see data/README.md)",
        )
    if not spec_path.exists():
        raise InputError(
            data_dir, "no dataset.yaml: it names the folder's files per kind (see data/README.md)"
        )
    raw = load_yaml(spec_path)
    if not isinstance(raw, dict):
        raise InputError(
            spec_path,
            f"expected a mapping of keys (name, synthetic, files), got {type(raw).__name__}",
        )
    try:
        spec = DatasetSpec.model_validate(raw)
    except ValidationError as exc:
        # a validator of the long form shows in the path as 'function-after[..., FileSpec]'
        errors = [
            {**e, "loc": tuple("FileSpec" if "FileSpec" in str(p) else p for p in e["loc"])}
            for e in exc.errors()
        ]
        # a file entry given as a mapping is the long form: the plain form's error is noise
        long_form = {e["loc"][:3] for e in errors if e["loc"][2:3] == ("FileSpec",)}
        errors = [
            e
            for e in errors
            if not (e["loc"][2:3] == ("str",) and (*e["loc"][:2], "FileSpec") in long_form)
        ]
        problems = list(dict.fromkeys(_message(e) for e in errors))
        raise InputError(spec_path, problems) from None
    root = data_dir.resolve()
    files, problems = {}, []
    for kind, f in spec.file_specs().items():
        path = (root / f.path).resolve()
        if Path(f.path).is_absolute() or not path.is_relative_to(root):
            problems.append(
                f"key 'files.{kind}': '{f.path}' lies outside the data folder; "
                "paths resolve inside it"
            )
        elif not path.is_file():
            what = "is a folder" if path.is_dir() else "not found"
            problems.append(f"key 'files.{kind}': file '{f.path}' {what} in {data_dir}")
        files[kind] = path
    if problems:
        raise InputError(spec_path, problems)
    return spec, files
