"""A data folder (``dataset.yaml`` plus its files) -> validated tidy tables, cached as parquet.

``dataset.yaml`` names the folder's files per kind and says whether the data are synthetic::

    name: example
    synthetic: true
    description: ...
    files: {survey: survey.csv, police: police.csv, population: population.csv,
            activities: activities.csv, ssp: ssp.csv}
    deff: 1.3   # optional: the design effect of aggregate survey rows that give none
    design: {strata: [year, district], weights: weight, fpc: population}   # the defaults

``design`` (:class:`~analysis.loaders.spec.DesignSpec`) declares how microdata were sampled;
their design-based variance is computed from the ``survey_design`` table (sums per stratum and
area, :mod:`analysis.stats.design`).

The tidy tables are written to ``data/processed/<name>-<folder hash>/`` with ``manifest.json``
(SHA-256 of every input file, and the tables' content key: :mod:`analysis.content_key`). A
later load whose key is unchanged reads the parquet files; raw files are never modified. The
folder is written elsewhere first and renamed into place, so a failed load leaves no
half-written output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import __version__, config
from analysis.content_key import content_key
from analysis.errors import InputError
from analysis.loaders.cells import partner_list
from analysis.loaders.spec import FILE_KINDS, DatasetSpec, read_spec
from analysis.loaders.survey import COLUMNS as survey_columns
from analysis.stats.design import DESIGN_COLUMNS

TABLES = ("survey", "survey_design", "police", "population", "activities", "ssp")
EMPTY = {
    "survey": survey_columns,
    "survey_design": DESIGN_COLUMNS,
    "police": ["area", "year", "category", "count"],
    "population": ["area", "year", "residents"],
    "activities": ["partnership", "year", "activity", "partners", "n_partners"],
    "ssp": ["year", "district", "count"],
}


@dataclass
class Dataset:
    """The tidy tables of one data folder, with where they came from."""

    name: str
    synthetic: bool
    description: str
    source_dir: Path
    inputs: dict[str, str]  #: file name -> SHA-256
    tables: dict[str, pd.DataFrame] = field(repr=False)
    kinds: tuple[str, ...] = FILE_KINDS  #: the file kinds the folder has (others are empty)

    @property
    def survey(self) -> pd.DataFrame:
        return self.tables["survey"]

    @property
    def survey_design(self) -> pd.DataFrame:
        """Microdata's sums per stratum and area (empty for aggregates): the design table of
        :mod:`analysis.stats.design`."""
        return self.tables.get("survey_design", pd.DataFrame(columns=DESIGN_COLUMNS))

    @property
    def police(self) -> pd.DataFrame:
        return self.tables["police"]

    @property
    def population(self) -> pd.DataFrame:
        return self.tables["population"]

    @property
    def activities(self) -> pd.DataFrame:
        return self.tables["activities"]

    @property
    def ssp(self) -> pd.DataFrame:
        return self.tables["ssp"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_dataset(
    data_dir: Path | str | None = None, use_cache: bool = True, processed_dir: Path | None = None
) -> Dataset:
    """Load every file of ``data_dir`` (default: the bundled example data)."""
    data_dir = Path(data_dir) if data_dir else config.DEFAULT_DATA_DIR
    spec, files = read_spec(data_dir)
    inputs = {p.name: sha256(p) for p in sorted(files.values())}
    inputs["dataset.yaml"] = sha256(data_dir / "dataset.yaml")
    kinds = tuple(k for k in FILE_KINDS if k in files)
    manifest = {
        "name": spec.name,
        "synthetic": spec.synthetic,
        "description": spec.description,
        "source_dir": str(data_dir),
        "inputs": inputs,
        "kinds": list(kinds),
        "package_version": __version__,
        "key": content_key("tables", data_dir, inputs),
    }
    out_dir = (processed_dir or config.PROCESSED_DIR) / cache_name(spec.name, data_dir)
    tables = _read_cache(out_dir) if use_cache and _manifest_matches(out_dir, manifest) else None
    if tables is None:
        tables = _build_tables(files, spec)
        _write_atomically(out_dir, tables, manifest)
    return Dataset(spec.name, spec.synthetic, spec.description, data_dir, inputs, tables, kinds)


def load_processed(out_dir: Path) -> Dataset:
    """The tidy tables a load has validated and cached in ``out_dir``, read as they are (no
    hashing of the raw inputs): what the batch hands each report kernel."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        tables = {t: pd.read_parquet(out_dir / f"{t}.parquet") for t in TABLES}
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(out_dir, f"not a processed data folder ({exc})") from exc
    return Dataset(
        manifest["name"],
        manifest["synthetic"],
        manifest.get("description", ""),
        Path(manifest["source_dir"]),
        manifest["inputs"],
        tables,
    )


def cache_name(name: str, data_dir: Path) -> str:
    """The cache folder of a data folder: its ``name:`` and its identity (the folder's resolved
    path), so that two data folders that share a name never share tables."""
    where = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:12]
    return f"{name}-{where}"


def processed_dir_of(dataset: Dataset, processed_dir: Path | None = None) -> Path:
    """Where :func:`load_dataset` cached ``dataset``'s tables."""
    return (processed_dir or config.PROCESSED_DIR) / cache_name(dataset.name, dataset.source_dir)


def _read_cache(out_dir: Path) -> dict[str, pd.DataFrame] | None:
    """The cached tables, or None (said on stderr) when one cannot be read: the cache is only a
    copy of the raw inputs, so a truncated or foreign table is rebuilt, never trusted."""
    try:
        return {t: pd.read_parquet(out_dir / f"{t}.parquet") for t in TABLES}
    except Exception as exc:  # pyarrow raises several types for a damaged file
        print(
            f"{out_dir}: a cached table cannot be read ({type(exc).__name__}); rebuilding it "
            "from the raw inputs",
            file=sys.stderr,
        )
        return None


def _manifest_matches(out_dir: Path, manifest: dict) -> bool:
    path = out_dir / "manifest.json"
    if not path.exists():
        return False
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    return old == manifest and all((out_dir / f"{t}.parquet").exists() for t in TABLES)


def _build_tables(files: dict[str, Path], spec: DatasetSpec) -> dict[str, pd.DataFrame]:
    from analysis.loaders import survey as survey_mod
    from analysis.loaders.validation import load_file
    from analysis.reference import crime_type_map

    tables = {t: pd.DataFrame(columns=cols) for t, cols in EMPTY.items()}
    survey_parts = []
    synthetic, file_specs = spec.synthetic, spec.file_specs()
    for kind, path in files.items():
        f = file_specs[kind]
        _, df, _ = load_file(path, kind, f.encoding, f.delimiter, f)
        if kind == "survey":
            design = survey_mod.design_table(df, spec.design, path)
            tables["survey_design"] = design
            survey_parts.append(survey_mod.shares_from_design(design, synthetic))
        elif kind == "survey_aggregate":
            survey_parts.append(survey_mod.from_aggregates(df, synthetic, spec.deff, f.rounded_to))
        elif kind == "police":
            df["category"] = df["crime_type"].map(crime_type_map())
            tables["police"] = (
                df.groupby(["area", "year", "category"], as_index=False)["count"]
                .sum()
                .astype({"count": "int64"})
            )
        elif kind == "activities":
            parts = [partner_list(s) for s in df["partners"]]
            tables["activities"] = df.assign(partners=parts, n_partners=[len(p) for p in parts])
        else:
            tables[kind] = df
    if survey_parts:
        survey = pd.concat(survey_parts, ignore_index=True)
        dup = survey.duplicated(["area", "year", "indicator"])
        if dup.any():
            first = survey[dup].iloc[0]
            raise InputError(
                files.get("survey_aggregate", files.get("survey")),
                f"area {first['area']}, year {first['year']}, indicator "
                f"{first['indicator']} is given both as microdata and as an "
                "aggregate",
            )
        tables["survey"] = survey
    for t in TABLES:
        tables[t] = tables[t].reset_index(drop=True)
    return tables


def _write_atomically(out_dir: Path, tables: dict[str, pd.DataFrame], manifest: dict) -> None:
    try:
        _write_folder(out_dir, tables, manifest)
    except OSError as exc:
        raise InputError(
            out_dir.parent,
            f"cannot write the processed tables here ({exc.strerror or exc}); nothing changed",
        ) from None


def _write_folder(out_dir: Path, tables: dict[str, pd.DataFrame], manifest: dict) -> None:
    """The tables and their manifest in a temporary folder, renamed into place whole."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name, df in tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
