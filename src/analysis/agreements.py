"""The partnership agreements, read from ``data/raw/agreements/*.yaml`` into typed objects.

Each YAML file encodes one signed agreement (see the seeds in ``shared/seeds``). The types are
pydantic models, so reading is validation: an unknown or missing key, a wrong type, an area or
SSP district not in ``data/raw/reference``, an end before the start or a crime category the
agreement does not know is an :class:`~analysis.errors.InputError` that names the file and the
key, with every problem of the file listed at once. A baseline that becomes known later is
written into the YAML in place of ``pending``; no code changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from analysis import config
from analysis.errors import InputError
from analysis.indicators import SURVEY_INDICATORS
from analysis.reference import area_ids, areas, crime_categories, reference_columns, spelling
from analysis.yamlfile import MAX_BYTES, load_yaml

CRIME_UNITS = ("count", "per_1000")
CRIME_ROLES = ("target", "monitored")
PENDING = "pending"


def _expect(what: str) -> WrapValidator:
    """A field's check whose every failure reads 'expected <what>, got <value>'."""

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except (ValidationError, ValueError):
            raise PydanticCustomError(
                "expected", "expected {what}, got {got}", {"what": what, "got": _shown(value)}
            ) from None

    return WrapValidator(check)


def _shown(value: Any) -> str:
    """A value in a message, never longer than a line."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _rule(key: str, message: str) -> PydanticCustomError:
    """A check across keys of one mapping, reported at ``key``."""
    return PydanticCustomError("rule", "{message}", {"key": key, "message": message})


def _member_of(ids: list[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in ids:
            raise ValueError(value)
        return value

    return AfterValidator(check)


def _ssp_district(value: str) -> str:
    """The reference's name of an SSP district, whatever its case and spacing, or its number."""
    found = reference_columns("ssp")["district"].names.get(spelling(value))
    if found is None:
        raise ValueError(value)
    return found


Text = Annotated[str, StringConstraints(pattern=r"\S"), _expect("text")]
Names = Annotated[
    tuple[Annotated[str, StringConstraints(pattern=r"\S")], ...],
    Field(strict=False, min_length=1),
    _expect("a list of names"),
]
Year = Annotated[int, Field(ge=config.YEAR_MIN - 10, le=config.YEAR_MAX + 10), _expect("a year")]
Date = Annotated[dt.date, Strict(), _expect("a date (YYYY-MM-DD)")]
Kroner = Annotated[int, Field(ge=0), _expect("an amount in kr.")]
Share = Annotated[float, Field(ge=0, le=1), _expect("a share between 0 and 1 (0.75, not 75)")]


def _area(kind: str) -> Any:
    ids = area_ids(kind)
    return Annotated[
        str,
        _member_of(ids),
        _expect(f"a {kind} id of data/raw/reference/areas.csv ({', '.join(ids)})"),
    ]


def _start(value: Any, handler: ValidatorFunctionWrapHandler) -> dt.date | None:
    if value == "signing_date":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise PydanticCustomError(
        "expected",
        "expected a date (YYYY-MM-DD) or 'signing_date', got {got}",
        {"got": _shown(value)},
    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Period(_Model):
    #: None when the agreement runs "from the signing date" (``start: signing_date``)
    start: Annotated[dt.date | None, WrapValidator(_start)]
    first_year: Year
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        start = self.start
        if start is not None and self.end < start:
            raise _rule("end", f"{self.end} is before period.start {start}")
        if self.end.year < self.first_year:
            raise _rule("end", f"{self.end} is before period.first_year {self.first_year}")
        if start is not None and start.year != self.first_year:
            raise _rule("first_year", f"{self.first_year} is not the year of period.start {start}")
        return self

    @property
    def last_year(self) -> int:
        return self.end.year

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def __str__(self) -> str:
        return f"{self.first_year}–{self.last_year}"


class Area(_Model):
    survey_area: _area("partnership")
    district: _area("district")
    description: Text
    estates: Names
    housing_associations: Names

    @model_validator(mode="after")
    def _in_its_district(self) -> Area:
        a = areas()
        home = dict(zip(a["area"], a["district"], strict=True)).get(self.survey_area)
        if home and home != self.district:
            raise _rule(
                "district",
                f"'{self.district}', but {self.survey_area} lies in '{home}' "
                "(data/raw/reference/areas.csv)",
            )
        return self


class Budget(_Model):
    yearly_total_dkk: Kroner
    project_management_dkk: Kroner
    activity_funds_dkk: Kroner
    note: Text

    @model_validator(mode="after")
    def _adds_up(self) -> Budget:
        if self.project_management_dkk + self.activity_funds_dkk != self.yearly_total_dkk:
            raise _rule(
                "", "project_management_dkk + activity_funds_dkk must equal yearly_total_dkk"
            )
        return self


class SurveyObjective(_Model):
    indicators: Annotated[
        tuple[Literal[*SURVEY_INDICATORS], ...],
        Field(strict=False, min_length=1),
        _expect(f"a list drawn from {list(SURVEY_INDICATORS)}"),
    ]
    direction: Annotated[Literal["decrease", "increase"], _expect("'decrease' or 'increase'")]
    every_year: Annotated[bool, _expect("true or false")]
    approach_city_by: Year
    text: Text


_CATEGORIES = sorted(crime_categories())
#: the categories that are totals of police crime: they contain every other category
WHOLE_CATEGORIES = ("borgervendt", "straffelov")


class CrimeIndicator(_Model):
    id: Annotated[str, StringConstraints(pattern=r"\S"), _expect("an id")]
    label: Text
    unit: Annotated[Literal[*CRIME_UNITS], _expect(f"one of {list(CRIME_UNITS)}")]
    components: Annotated[
        tuple[Literal[*_CATEGORIES], ...],
        Field(strict=False, min_length=1),
        _expect(f"a list drawn from the crime categories {_CATEGORIES}"),
    ]
    role: Annotated[Literal[*CRIME_ROLES], _expect(f"one of {list(CRIME_ROLES)}")]
    #: None when the agreement sets it later ('pending') or, for a monitored type, gives none
    baseline: Annotated[
        Annotated[float, Field(ge=0)] | None,
        _expect(f"a non-negative number or '{PENDING}'"),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _pending(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if data.get("role") == "target" and "baseline" not in data:
                raise _rule(
                    "baseline",
                    f"missing (a number, or '{PENDING}' where the agreement sets it later)",
                )
            if data.get("baseline") == PENDING:
                data = {**data, "baseline": None}
        return data

    @model_validator(mode="after")
    def _components_once(self) -> CrimeIndicator:
        seen = [c for c in self.components if self.components.count(c) > 1]
        if seen:
            raise _rule(
                "components",
                f"'{seen[0]}' is listed {self.components.count(seen[0])} times; each category "
                "once (it would be counted twice)",
            )
        wholes = [c for c in self.components if c in WHOLE_CATEGORIES]
        if wholes and len(self.components) > 1:
            raise _rule(
                "components",
                f"'{wholes[0]}' is the whole of police crime and already holds "
                f"{[c for c in self.components if c != wholes[0]]}: they would be counted twice",
            )
        return self

    @property
    def baseline_stated(self) -> bool:
        """False for 'pending' and for monitored types given no figure."""
        return self.baseline is not None


class CrimeObjective(_Model):
    baseline_year: Year
    source: Text
    indicators: Annotated[tuple[CrimeIndicator, ...], Field(strict=False, min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> CrimeObjective:
        ids = [i.id for i in self.indicators]
        for dup in sorted({x for x in ids if ids.count(x) > 1}):
            raise _rule("indicators", f"id '{dup}' appears more than once")
        return self

    @property
    def targets(self) -> tuple[CrimeIndicator, ...]:
        return tuple(i for i in self.indicators if i.role == "target")

    @property
    def monitored(self) -> tuple[CrimeIndicator, ...]:
        return tuple(i for i in self.indicators if i.role == "monitored")


class CollaborationObjective(_Model):
    min_share: Share
    min_partners: Annotated[int, Field(ge=1), _expect("a whole number")]
    text: Text


class SspObjective(_Model):
    district: Annotated[
        str,
        AfterValidator(_ssp_district),
        _expect("an SSP district of data/raw/reference/ssp_districts.csv"),
    ]
    baseline_year: Year
    baseline: Annotated[int, Field(ge=0), _expect("a count")]
    target: Annotated[Literal["at_most_baseline"], _expect("'at_most_baseline'")]
    text: Text


class Agreement(_Model):
    """One signed agreement as its YAML file encodes it; ``path`` and ``sha256`` (the file as
    read: the evaluation's provenance) are set by :func:`load_agreement`, never by the YAML."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$"), _expect("an id (a-z, 0-9, _)")]
    partnership: Annotated[
        str, StringConstraints(pattern=r"^[a-z0-9_]+$"), _expect("an id (a-z, 0-9, _)")
    ]
    name: Text
    source: Text
    period: Period
    area: Area
    parties: Names
    focus_areas: Names
    budget: Budget
    survey: SurveyObjective
    crime: CrimeObjective
    collaboration: CollaborationObjective | None
    ssp: SspObjective | None
    _path: Path = PrivateAttr()
    _sha256: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _baselines_not_after_period(self) -> Agreement:
        last = self.period.last_year
        if self.crime.baseline_year > last:
            raise _rule(
                "crime.baseline_year",
                f"{self.crime.baseline_year} is after the period ends ({last}); a baseline is "
                "the year the period is measured against",
            )
        if self.ssp is not None and self.ssp.baseline_year > last:
            raise _rule(
                "ssp.baseline_year",
                f"{self.ssp.baseline_year} is after the period ends ({last})",
            )
        return self

    @property
    def path(self) -> Path:
        return self._path

    @property
    def sha256(self) -> str:
        return self._sha256

    def covers(self, year: int) -> bool:
        return self.period.first_year <= year <= self.period.last_year


def _message(error: ErrorDetails) -> str:
    """One pydantic error as 'key 'a.b[0].c': what was expected'."""
    loc = [p for p in error["loc"] if not (isinstance(p, str) and "[" in p)]  # union branches
    ctx = error.get("ctx") or {}
    if error["type"] == "rule" and ctx.get("key"):
        loc.append(ctx["key"])
    key = ""
    for p in loc:
        key += f"[{p}]" if isinstance(p, int) else (f".{p}" if key else str(p))
    if error["type"] == "extra_forbidden":
        what = "unknown key"
    elif error["type"] == "missing":
        what = "missing"
    elif error["type"] in ("model_type", "model_attributes_type", "dict_type"):
        what = f"expected a mapping, got {type(error['input']).__name__}"
    elif error["type"] in ("expected", "rule"):
        what = error["msg"]
    else:
        what = f"{error['msg']} (got {_shown(error['input'])})"
    return f"key '{key}': {what}" if key else what


def _messages(errors: list[ErrorDetails]) -> list[str]:
    """The errors' messages; an unknown key next to a missing one says which it may be."""
    missing = {e["loc"]: e for e in errors if e["type"] == "missing"}
    out = []
    for e in errors:
        message = _message(e)
        if e["type"] == "extra_forbidden":
            parent, key = e["loc"][:-1], str(e["loc"][-1])
            near = [str(loc[-1]) for loc in missing if loc[:-1] == parent]
            close = difflib.get_close_matches(key, near, n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
        out.append(message)
    return list(dict.fromkeys(out))


def load_agreement(path: Path | str) -> Agreement:
    """Read and validate one agreement YAML file: every problem names the file and the key.

    A file read before with the same bytes is not parsed again (a warm kernel evaluates many
    reports, and the YAML parser is a tenth of a second of each)."""
    path = Path(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    except OSError:
        data = None
    if data is None:  # missing, a folder or too big: load_yaml raises, naming the file and why
        load_yaml(path)
    return _parse_agreement(path, data)


@functools.lru_cache(maxsize=64)
def _parse_agreement(path: Path, data: bytes) -> Agreement:
    raw = load_yaml(path, data)  # duplicate keys, aliases and tags are refused
    if not isinstance(raw, dict):
        raise InputError(
            path, f"expected a mapping of keys (id, period, ...), got {type(raw).__name__}"
        )
    try:
        agreement = Agreement.model_validate(raw)
    except ValidationError as exc:
        raise InputError(path, _messages(exc.errors())) from None
    agreement._path = path
    agreement._sha256 = hashlib.sha256(data).hexdigest()
    return agreement


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
