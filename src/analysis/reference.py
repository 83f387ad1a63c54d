"""Reference tables in ``data/raw/reference``: areas, boundary changes, crime-type mapping.

The module-level functions read (and cache) the files; :func:`load_reference` gathers what an
evaluation needs into one :class:`Reference`, so that judging and wording get it handed in and
never read a file themselves.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property

import pandas as pd
import yaml

from analysis import config


@cache
def areas() -> pd.DataFrame:
    """area, name, kind (city/district/partnership), district (for partnership areas)."""
    return pd.read_csv(config.REFERENCE_DIR / "areas.csv", dtype=str).fillna("")


def area_ids(kind: str | None = None) -> list[str]:
    a = areas()
    return a["area"].tolist() if kind is None else a.loc[a["kind"] == kind, "area"].tolist()


def area_name(area: str) -> str:
    names = dict(zip(areas()["area"], areas()["name"], strict=True))
    return names.get(area, area)


@cache
def ssp_districts() -> pd.DataFrame:
    """district (SSP's name, e.g. '15 Sundbyvester'), number, city_district, source."""
    return pd.read_csv(config.REFERENCE_DIR / "ssp_districts.csv", dtype=str).fillna("")


@cache
def boundary_changes() -> pd.DataFrame:
    """area, year, note: from ``year`` on the area is not like-for-like with earlier years."""
    return pd.read_csv(
        config.REFERENCE_DIR / "boundary_changes.csv", dtype={"area": str, "year": int, "note": str}
    )


@dataclass(frozen=True)
class BoundaryBreak:
    """A change of an area's boundary: from ``year`` on, its figures are not like-for-like with
    earlier years'. ``note`` says what changed, in Danish, from ``boundary_changes.csv``."""

    area: str
    year: int
    note: str


@dataclass(frozen=True)
class Reference:
    """The reference tables an evaluation reads: area names, boundary changes, and the published
    figures shown beside the data (with their sources)."""

    areas: pd.DataFrame = field(repr=False)
    boundary_changes: pd.DataFrame = field(repr=False)
    published: pd.DataFrame = field(repr=False)

    def area_name(self, area: str) -> str:
        names = dict(zip(self.areas["area"], self.areas["name"], strict=True))
        return names.get(area, area)

    @cached_property
    def _changes(self) -> dict[str, list[tuple[int, str]]]:
        """Each area's boundary changes as (year, note), by year (an evaluation asks hundreds
        of times; a filter of the table each time was a tenth of an evaluation)."""
        changes: dict[str, list[tuple[int, str]]] = {}
        for area, year, note in self.boundary_changes[["area", "year", "note"]].itertuples(
            index=False
        ):
            changes.setdefault(area, []).append((int(year), str(note)))
        return {a: sorted(c, key=lambda change: change[0]) for a, c in changes.items()}

    def boundary_break(self, area: str, year_from: int, year_to: int) -> BoundaryBreak | None:
        """The latest boundary change in (year_from, year_to]: the two years lie on different
        boundaries. None when they are like-for-like."""
        lo, hi = sorted((year_from, year_to))
        hits = [(y, note) for y, note in self._changes.get(area, ()) if lo < y <= hi]
        return BoundaryBreak(area, *hits[-1]) if hits else None

    def last_boundary_year(self, area: str, year: int) -> int | None:
        """The first year of the boundary ``area`` has in ``year`` (None: never changed)."""
        years = [y for y, _ in self._changes.get(area, ()) if y <= year]
        return years[-1] if years else None


def load_reference() -> Reference:
    from analysis.published import load_published_figures

    return Reference(areas(), boundary_changes(), load_published_figures())


@cache
def crime_type_map() -> dict[str, str]:
    """The police's crime-type labels -> the agreements' categories."""
    m = pd.read_csv(config.REFERENCE_DIR / "crime_type_map.csv", dtype=str)
    return dict(zip(m["crime_type"], m["category"], strict=True))


@cache
def crime_categories() -> dict[str, dict]:
    with open(config.REFERENCE_DIR / "crime_categories.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def spelling(value: object) -> str:
    """A lookup key that ignores how a value is written: 1, 1.0, "1" and "1.0" alike (a code
    written by a program that stored it as a decimal); text without case or extra spaces
    ('15  SUNDBYVESTER' ~ '15 Sundbyvester')."""
    if isinstance(value, bool):
        return str(value).casefold()
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return plain_text(str(value)).casefold()


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

#: characters that show as nothing: zero-width space, non-joiner, joiner, word joiner, byte
#: order mark, soft hyphen
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def plain_text(text: str) -> str:
    """Text as people mean it: Unicode NFC (an 'ø' typed as 'o' + a combining stroke, as macOS
    file names and some exports write it, is the same 'ø'), invisible characters removed,
    every kind of space (no-break, thin, tab) a single space, no space at either end."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def text_repairs(text: str) -> list[str]:
    """What :func:`plain_text` changes in ``text``, in words, for ``validate`` to list."""
    out = []
    if unicodedata.normalize("NFC", text) != text:
        out.append("Unicode NFC")
    if _INVISIBLE.search(text):
        out.append("invisible characters removed")
    if any(c.isspace() and c != " " for c in text):
        out.append("special spaces made plain")
    return out


#: letters of other scripts that look like Latin ones (Cyrillic and Greek), for telling a
#: reader why a name that looks right is not (a look-alike is refused, never read as the name)
CONFUSABLES = str.maketrans(
    "АВЕКМНОРСТУХаеорсуххіјѕԁӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοκνρτυ",
    "ABEKMHOPCTYXaeopcyxxijsdlABEZHIKMNOPTYXokvptu",
)


#: the same, as (letter, Latin letter) pairs
CONFUSABLE_PAIRS = tuple((chr(k), chr(v)) for k, v in CONFUSABLES.items())


def confusable_letters(text: str) -> list[str]:
    """The look-alike letters of another script in ``text``, named: ["'о' (Cyrillic, U+043E)"]."""
    out = []
    for ch in dict.fromkeys(text):
        if ch.translate(CONFUSABLES) != ch:
            script = unicodedata.name(ch, "").split(" ")[0].title()
            out.append(f"'{ch}' ({script}, U+{ord(ch):04X})")
    return out


def latin_lookalike(text: str) -> str:
    """``text`` with look-alike letters of other scripts replaced by the Latin ones."""
    return text.translate(CONFUSABLES)


@dataclass(frozen=True)
class ReferenceColumn:
    """The values a data column may hold, from one file of ``data/raw/reference``."""

    file: str
    #: any spelling (see :func:`spelling`) of a value, or of its Danish name or number -> the value
    names: dict[str, str] = field(repr=False)


@cache
def reference_columns(kind: str) -> dict[str, ReferenceColumn]:
    """The columns of a file ``kind`` whose values the reference lists: an SSP file's districts
    (ssp_districts.csv, by name or number); otherwise areas and districts (areas.csv, by id or
    Danish name) and police crime types (crime_type_map.csv)."""
    if kind == "ssp":
        d = ssp_districts()
        names = {spelling(n): n for n in d["district"]}
        names |= {spelling(k): n for k, n in zip(d["number"], d["district"], strict=True)}
        return {"district": ReferenceColumn("ssp_districts.csv", names)}
    a = areas()
    places = {spelling(n): i for n, i in zip(a["name"], a["area"], strict=True)}
    places |= {spelling(i): i for i in a["area"]}
    crime = {spelling(t): t for t in crime_type_map()}
    return {
        "area": ReferenceColumn("areas.csv", places),
        "district": ReferenceColumn("areas.csv", places),
        "crime_type": ReferenceColumn("crime_type_map.csv", crime),
    }
