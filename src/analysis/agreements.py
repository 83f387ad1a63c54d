"""The partnership agreements, read from ``data/raw/agreements/*.yaml`` into typed objects.

Each YAML file encodes one signed agreement (see the seeds in ``shared/seeds``). Reading is
strict: an unknown or missing key, a wrong type, an end before the start or a baseline for a
crime category the agreement does not measure is an :class:`~analysis.errors.InputError` that
names the file and the key. A baseline that becomes known later is written into the YAML in place
of ``pending``; no code changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from analysis import config
from analysis.errors import InputError
from analysis.indicators import SURVEY_INDICATORS
from analysis.reference import area_ids, crime_categories
from analysis.yamlfile import load_yaml

CRIME_UNITS = ("count", "per_1000")
CRIME_ROLES = ("target", "monitored")
PENDING = "pending"


@dataclass(frozen=True)
class Period:
    start: dt.date | None  #: None when the agreement runs "from the signing date"
    first_year: int
    end: dt.date

    @property
    def last_year(self) -> int:
        return self.end.year

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def __str__(self) -> str:
        return f"{self.first_year}–{self.last_year}"


@dataclass(frozen=True)
class Area:
    survey_area: str
    district: str
    description: str
    estates: tuple[str, ...]
    housing_associations: tuple[str, ...]


@dataclass(frozen=True)
class Budget:
    yearly_total_dkk: int
    project_management_dkk: int
    activity_funds_dkk: int
    note: str


@dataclass(frozen=True)
class SurveyObjective:
    indicators: tuple[str, ...]
    direction: Literal["decrease", "increase"]
    every_year: bool
    approach_city_by: int
    text: str


@dataclass(frozen=True)
class CrimeIndicator:
    id: str
    label: str
    unit: Literal["count", "per_1000"]
    components: tuple[str, ...]
    role: Literal["target", "monitored"]
    baseline: float | None  #: None when the agreement says the baseline is set later ("pending")
    baseline_stated: bool  #: False for ``pending`` and for monitored types given no figure


@dataclass(frozen=True)
class CrimeObjective:
    baseline_year: int
    source: str
    indicators: tuple[CrimeIndicator, ...]

    @property
    def targets(self) -> tuple[CrimeIndicator, ...]:
        return tuple(i for i in self.indicators if i.role == "target")

    @property
    def monitored(self) -> tuple[CrimeIndicator, ...]:
        return tuple(i for i in self.indicators if i.role == "monitored")


@dataclass(frozen=True)
class CollaborationObjective:
    min_share: float
    min_partners: int
    text: str


@dataclass(frozen=True)
class SspObjective:
    district: str
    baseline_year: int
    baseline: int
    target: Literal["at_most_baseline"]
    text: str


@dataclass(frozen=True)
class Agreement:
    id: str
    partnership: str
    name: str
    source: str
    period: Period
    area: Area
    parties: tuple[str, ...]
    focus_areas: tuple[str, ...]
    budget: Budget
    survey: SurveyObjective
    crime: CrimeObjective
    collaboration: CollaborationObjective | None
    ssp: SspObjective | None
    path: Path
    sha256: str = ""  #: of the YAML file as read: the evaluation's provenance

    def covers(self, year: int) -> bool:
        return self.period.first_year <= year <= self.period.last_year


# --------------------------------------------------------------------------- parsing helpers


class _Reader:
    """Reads one mapping strictly, collecting problems as ``key.path: what was expected``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def mapping(self, value: Any, where: str, keys: set[str], optional: set[str] = frozenset()):
        if not isinstance(value, Mapping):
            self.problems.append(f"key '{where}': expected a mapping, got {type(value).__name__}")
            return None
        unknown = sorted(set(value) - keys - optional)
        missing = sorted(keys - set(value))
        for k in unknown:
            self.problems.append(f"key '{_join(where, k)}': unknown key")
        for k in missing:
            self.problems.append(f"key '{_join(where, k)}': missing")
        return value

    def get(
        self,
        m: Mapping | None,
        where: str,
        key: str,
        kind: Callable[[Any], bool],
        expected: str,
        default: Any = None,
    ) -> Any:
        if m is None or key not in m:
            return default
        value = m[key]
        if not kind(value):
            self.problems.append(f"key '{_join(where, key)}': expected {expected}, got {value!r}")
            return default
        return value


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)


def _is_str(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v >= 0


def _is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and len(v) > 0 and all(_is_str(x) for x in v)


def _area_of(kind: str) -> Callable[[Any], bool]:
    return lambda v: v in area_ids(kind)


def _expected_area(kind: str) -> str:
    return f"a {kind} id of data/raw/reference/areas.csv ({', '.join(area_ids(kind))})"


def _one_of(*choices: object) -> Callable[[Any], bool]:
    return lambda v: v in choices


# --------------------------------------------------------------------------- the loader

_TOP = {
    "id",
    "partnership",
    "name",
    "source",
    "period",
    "area",
    "parties",
    "focus_areas",
    "budget",
    "survey",
    "crime",
    "collaboration",
    "ssp",
}


def load_agreement(path: Path | str) -> Agreement:
    """Read and validate one agreement YAML file."""
    path = Path(path)
    raw = load_yaml(path)  # duplicate keys, aliases, tags and oversize files are refused
    data = path.read_bytes()
    r = _Reader(path)
    top = r.mapping(raw, "", _TOP)
    if top is None:
        raise InputError(path, r.problems)

    p = r.mapping(top.get("period"), "period", {"start", "first_year", "end"})
    start = r.get(
        p,
        "period",
        "start",
        lambda v: v == "signing_date" or _is_date(v),
        "a date (YYYY-MM-DD) or 'signing_date'",
    )
    first_year = r.get(p, "period", "first_year", _is_int, "a year")
    end = r.get(p, "period", "end", _is_date, "a date (YYYY-MM-DD)")
    if _is_date(start) and _is_date(end) and end < start:
        r.problems.append(f"key 'period.end': {end} is before period.start {start}")
    if _is_int(first_year) and _is_date(end) and end.year < first_year:
        r.problems.append(f"key 'period.end': {end} is before period.first_year {first_year}")
    if _is_date(start) and _is_int(first_year) and start.year != first_year:
        r.problems.append(
            f"key 'period.first_year': {first_year} is not the year of period.start {start}"
        )

    a = r.mapping(
        top.get("area"),
        "area",
        {"survey_area", "district", "description", "estates", "housing_associations"},
    )
    area = Area(
        *(
            r.get(a, "area", k, f, e)
            for k, f, e in [
                ("survey_area", _area_of("partnership"), _expected_area("partnership")),
                ("district", _area_of("district"), _expected_area("district")),
                ("description", _is_str, "text"),
                ("estates", _is_str_list, "a list of names"),
                ("housing_associations", _is_str_list, "a list of names"),
            ]
        )
    )

    b = r.mapping(
        top.get("budget"),
        "budget",
        {"yearly_total_dkk", "project_management_dkk", "activity_funds_dkk", "note"},
    )
    budget = Budget(
        *(
            r.get(b, "budget", k, f, e)
            for k, f, e in [
                ("yearly_total_dkk", _is_int, "an amount in kr."),
                ("project_management_dkk", _is_int, "an amount in kr."),
                ("activity_funds_dkk", _is_int, "an amount in kr."),
                ("note", _is_str, "text"),
            ]
        )
    )
    if all(
        _is_int(x)
        for x in (budget.yearly_total_dkk, budget.project_management_dkk, budget.activity_funds_dkk)
    ) and (budget.project_management_dkk + budget.activity_funds_dkk != budget.yearly_total_dkk):
        r.problems.append(
            "key 'budget': project_management_dkk + activity_funds_dkk must equal yearly_total_dkk"
        )

    s = r.mapping(
        top.get("survey"),
        "survey",
        {"indicators", "direction", "every_year", "approach_city_by", "text"},
    )
    survey = SurveyObjective(
        tuple(
            r.get(
                s,
                "survey",
                "indicators",
                lambda v: _is_str_list(v) and set(v) <= set(SURVEY_INDICATORS),
                f"a list drawn from {list(SURVEY_INDICATORS)}",
                [],
            )
        ),
        r.get(
            s, "survey", "direction", _one_of("decrease", "increase"), "'decrease' or 'increase'"
        ),
        r.get(s, "survey", "every_year", lambda v: isinstance(v, bool), "true or false"),
        r.get(s, "survey", "approach_city_by", _is_int, "a year"),
        r.get(s, "survey", "text", _is_str, "text"),
    )

    crime = _read_crime(r, top.get("crime"))
    collaboration = None
    if top.get("collaboration") is not None:
        c = r.mapping(top["collaboration"], "collaboration", {"min_share", "min_partners", "text"})
        collaboration = CollaborationObjective(
            r.get(
                c,
                "collaboration",
                "min_share",
                lambda v: _is_number(v) and v <= 1,
                "a share between 0 and 1 (0.75, not 75)",
            ),
            r.get(c, "collaboration", "min_partners", _is_int, "a whole number"),
            r.get(c, "collaboration", "text", _is_str, "text"),
        )
    ssp = None
    if top.get("ssp") is not None:
        m = r.mapping(
            top["ssp"], "ssp", {"district", "baseline_year", "baseline", "target", "text"}
        )
        ssp = SspObjective(
            r.get(m, "ssp", "district", _is_str, "text"),
            r.get(m, "ssp", "baseline_year", _is_int, "a year"),
            r.get(m, "ssp", "baseline", _is_int, "a count"),
            r.get(m, "ssp", "target", _one_of("at_most_baseline"), "'at_most_baseline'"),
            r.get(m, "ssp", "text", _is_str, "text"),
        )

    values = {
        k: r.get(top, "", k, _is_str, "text") for k in ("id", "partnership", "name", "source")
    }
    lists = {
        k: r.get(top, "", k, _is_str_list, "a list of names", [])
        for k in ("parties", "focus_areas")
    }
    if r.problems:
        raise InputError(path, r.problems)
    return Agreement(
        id=values["id"],
        partnership=values["partnership"],
        name=values["name"],
        source=values["source"],
        period=Period(None if start == "signing_date" else start, first_year, end),
        area=area,
        parties=tuple(lists["parties"]),
        focus_areas=tuple(lists["focus_areas"]),
        budget=budget,
        survey=survey,
        crime=crime,
        collaboration=collaboration,
        ssp=ssp,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _read_crime(r: _Reader, raw: Any) -> CrimeObjective | None:
    c = r.mapping(raw, "crime", {"baseline_year", "source", "indicators"})
    baseline_year = r.get(c, "crime", "baseline_year", _is_int, "a year")
    source = r.get(c, "crime", "source", _is_str, "text")
    items = r.get(
        c,
        "crime",
        "indicators",
        lambda v: isinstance(v, list) and len(v) > 0,
        "a list of indicators",
        [],
    )
    categories = set(crime_categories())
    indicators = []
    for i, item in enumerate(items):
        where = f"crime.indicators[{i}]"
        m = r.mapping(item, where, {"id", "label", "unit", "components", "role"}, {"baseline"})
        if m is None:
            continue
        components = r.get(
            m,
            where,
            "components",
            lambda v: _is_str_list(v) and set(v) <= categories,
            f"a list drawn from the crime categories {sorted(categories)}",
            [],
        )
        role = r.get(m, where, "role", _one_of(*CRIME_ROLES), f"one of {list(CRIME_ROLES)}")
        baseline = m.get("baseline")
        stated = baseline not in (None, PENDING)
        if stated and not _is_number(baseline):
            r.problems.append(
                f"key '{where}.baseline': expected a non-negative number or "
                f"'{PENDING}', got {baseline!r}"
            )
            stated, baseline = False, None
        if role == "target" and "baseline" not in m:
            r.problems.append(
                f"key '{where}.baseline': missing (a number, or '{PENDING}' "
                "where the agreement sets it later)"
            )
        indicators.append(
            CrimeIndicator(
                id=r.get(m, where, "id", _is_str, "an id"),
                label=r.get(m, where, "label", _is_str, "text"),
                unit=r.get(m, where, "unit", _one_of(*CRIME_UNITS), f"one of {list(CRIME_UNITS)}"),
                components=tuple(components),
                role=role,
                baseline=float(baseline) if stated else None,
                baseline_stated=stated,
            )
        )
    ids = [i.id for i in indicators]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        r.problems.append(f"key 'crime.indicators': id '{dup}' appears more than once")
    if c is None:
        return None
    return CrimeObjective(baseline_year, source, tuple(indicators))


def load_agreements(directory: Path | str | None = None) -> list[Agreement]:
    """All agreements in ``directory`` (default ``data/raw/agreements``), by partnership and start.

    Two agreements of one partnership whose periods overlap are an error.
    """
    directory = Path(directory) if directory else config.AGREEMENTS_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise InputError(directory, "no agreement files (*.yaml) found")
    agreements = sorted(
        (load_agreement(f) for f in files), key=lambda a: (a.partnership, a.period.first_year)
    )
    seen: dict[str, Path] = {}
    for a in agreements:
        if a.id in seen:
            raise InputError(a.path, f"key 'id': '{a.id}' is also used by {seen[a.id].name}")
        seen[a.id] = a.path
    for prev, nxt in pairwise(agreements):
        if prev.partnership == nxt.partnership and nxt.period.first_year <= prev.period.last_year:
            raise InputError(
                nxt.path,
                f"key 'period': overlaps {prev.path.name} ({prev.period} and {nxt.period})",
            )
    return agreements


def agreement_for(
    partnership: str, year: int, agreements: list[Agreement] | None = None
) -> Agreement:
    """The agreement of ``partnership`` in force in ``year``; a clear error listing the periods."""
    agreements = agreements if agreements is not None else load_agreements()
    own = [a for a in agreements if a.partnership == partnership]
    if not own:
        known = sorted({a.partnership for a in agreements})
        raise LookupError(f"unknown partnership '{partnership}'; known: {', '.join(known)}")
    for a in own:
        if a.covers(year):
            return a
    periods = ", ".join(f"{a.period} ({a.id})" for a in own)
    raise LookupError(
        f"no agreement for '{partnership}' covers {year}; its agreements run {periods}"
    )


def partnerships(agreements: list[Agreement] | None = None) -> list[str]:
    agreements = agreements if agreements is not None else load_agreements()
    return sorted({a.partnership for a in agreements})
