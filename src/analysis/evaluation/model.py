"""What one evaluation returns: objective rows with a status from a fixed set, plus evidence, and
the typed records of the information beside them (a survey cell, the comparisons with the
surroundings, the sample-size need, pooled years)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import config
from analysis.evaluation.measures import Result
from analysis.evaluation.status import Status
from analysis.reference import BoundaryBreak
from analysis.stats import Proportion, StatResult
from analysis.stats.design import WALD_METHOD
from analysis.typed_json import decode, encode

#: the version of the saved evaluation's JSON (:mod:`analysis.evaluation.saved`)
SCHEMA_VERSION = 3


def combined_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 over the input files' hashes (sorted by name): a short provenance key."""
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Cell:
    """One area's share in one year: weighted share, respondents and their effective number.

    ``n`` is None for a published share without its number of respondents: it can be read
    (the literal reading) but not tested. ``rounded_to`` is the rounding of a published share
    (as a share, 0.01 for whole percent), NaN when exact.
    """

    share: float
    n: int | None
    #: the effective n the tests use: from the design-based variance, share(1-share)/se², for
    #: microdata; n / deff (Kish's route) for aggregates
    n_eff: float
    rounded_to: float = math.nan
    se: float = math.nan  #: the share's standard error (NaN: a published share without n)
    #: the design effect, a ratio of variances (design / simple random sample of the same n)
    deff: float = math.nan
    weighting_effect: float = math.nan  #: Kish's n / n_eff of the weights alone (microdata)
    variance: str = "kish"  #: "taylor" (design-based, microdata) or "kish" (aggregates)
    cov_city: float = math.nan  #: covariance with the city's share of the same year (taylor)
    cov_area: float = math.nan  #: an area's surroundings: covariance with the area's share

    @property
    def floor_n_eff(self) -> float:
        """The effective n the floor is applied to: the smaller of the tests' and Kish's
        n / weighting effect. One respondent with a huge weight leaves hundreds of answers the
        evidence of a few, and the linearised variance of a share it dominates is itself
        unreliable (it can even shrink), so Kish's n_eff guards the floor as well."""
        kish = math.nan if math.isnan(self.weighting_effect) else self.n / self.weighting_effect
        return min(self.n_eff, kish) if not math.isnan(kish) else self.n_eff

    @property
    def enough(self) -> bool:
        """Not below the respondent floor, in respondents and in their effective number
        (:attr:`floor_n_eff`); an unknown n is published, so not below it."""
        if self.n is None:
            return True
        return self.n >= config.MIN_RESPONDENTS and not self.floor_n_eff < config.MIN_RESPONDENTS

    @property
    def testable(self) -> bool:
        return self.n is not None and self.n_eff > 0

    @property
    def design_based(self) -> bool:
        """The share's variance is the design-based one of microdata (with its covariances)."""
        return self.variance == "taylor" and self.testable

    @property
    def var(self) -> float:
        return self.se * self.se

    def proportion(self) -> Proportion:
        return Proportion.from_share(self.share, self.n_eff, self.n)


@dataclass(frozen=True)
class SurroundingsComparison:
    """The area's change against its surroundings' over the same years (no status)."""

    kind: str  #: "survey" (change in a share) or "crime" (ratio of rate ratios)
    indicator: str
    comparison: str  #: one of SURROUNDINGS
    from_year: int
    to_year: int
    result: StatResult | None = None
    reason: str = ""  #: why there is no number (empty when there is one)
    area_change: float = math.nan  #: share difference, or rate ratio
    other_change: float = math.nan
    area_se: float = math.nan  #: standard errors of the two share changes (survey), else NaN
    other_se: float = math.nan


@dataclass(frozen=True)
class SampleSizeNeed:
    """Respondents needed next year to detect the hoped-for yearly change."""

    indicator: str
    share: float
    target_change: float  #: per year, in the agreement's direction (NaN: no target)
    target_year: int  #: the year the Copenhagen level is to be reached
    #: respondents per effective respondent this year, n / n_eff (from the design-based
    #: variance, finite population correction included; Kish's n / n_eff for aggregates): the
    #: factor the planner multiplies the binomial sample size by
    deff: float
    n_needed: float  #: respondents per year (NaN when there is no target)
    n_had: int
    mde: float  #: the change this year's sample could detect


@dataclass(frozen=True)
class PooledComparison:
    """Two survey years pooled against two earlier years, where single years cannot speak."""

    indicator: str
    early: tuple[int, int]
    late: tuple[int, int]
    before: Cell
    after: Cell
    result: StatResult


@dataclass(frozen=True)
class ObjectiveRow(Result):
    """One objective for one indicator in one partnership-year, judged: this year's figure
    (``estimate`` ... ``deff``), what it is compared with (``reference``: the previous year, the
    starting point's gap, the baseline, the goal), the contrast tested and its test."""

    objective: str  #: survey_annual, survey_city_level, crime, collaboration, ssp
    objective_label: str  #: Danish, as the report shows it
    indicator: str
    indicator_label: str
    status: Status
    explanation: str  #: one Danish sentence (or two) generated from the numbers
    mde: float = math.nan  #: smallest change in the agreement's direction detectable
    flags: str = ""  #: notes on the figures, e.g. baseline taken from data (for the tables)
    #: the first year of a new area boundary between the two figures compared (status
    #: "ikke sammenligneligt"); None when they are like-for-like
    boundary_year: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            raise TypeError(f"status must be a Status, got {self.status!r}")

    @property
    def literal(self) -> str | None:
        """The agreement's literal reading: "met", "not_met", or None (nothing to judge)."""
        reading = self.status.reading
        return None if reading is None else str(reading)

    @property
    def evidence(self) -> str | None:
        """Beyond chance? "significant_improvement", "not_significant",
        "significant_worsening", "no_test", or None (nothing to judge)."""
        evidence = self.status.evidence
        return None if evidence is None else str(evidence)

    @property
    def difference(self) -> float:
        """This year's figure minus the one it is compared with (the literal reading's)."""
        return self.estimate - self.reference.estimate


@dataclass
class Evaluation:
    """Everything one yearly status needs; the notebook renders it, the index summarises it."""

    partnership: str
    partnership_name: str
    year: int
    agreement_id: str
    agreement_period: str
    agreement_title: str  #: how a reader cites the agreement: title and period in force
    area: str  #: the partnership's survey area id
    district: str  #: the district it lies in
    area_name: str
    district_name: str
    synthetic: bool
    dataset_name: str
    objectives: list[ObjectiveRow]
    survey_series: pd.DataFrame = field(repr=False)  #: area, city, district shares with CIs
    survey_changes: pd.DataFrame = field(repr=False)  #: year-on-year and since-start tests
    survey_trends: pd.DataFrame = field(repr=False)  #: trend over the agreement's years
    #: the area's model-based shares beside the direct ones (information), and each
    #: indicator's fit (:mod:`analysis.evaluation.small_area`)
    survey_model: pd.DataFrame = field(repr=False)
    survey_model_fit: pd.DataFrame = field(repr=False)
    crime_series: pd.DataFrame = field(repr=False)  #: targets and monitored types by year
    monitoring: pd.DataFrame = field(repr=False)  #: monitored types: trend, no status
    published: pd.DataFrame = field(repr=False)  #: published figures with their source
    notes: list[str]
    provenance: dict[str, Any]
    #: assumptions the reader must see at the top of the report (e.g. a design effect assumed)
    warnings: list[str] = field(default_factory=list)
    #: "decrease" (unsafe shares) or "increase" (safe shares): the way the agreement wants
    survey_direction: str = "decrease"
    #: information beside the verdicts (no status): the area against its surroundings, the
    #: respondents needed to detect the hoped-for change, and pooled years
    surroundings: list[SurroundingsComparison] = field(default_factory=list, repr=False)
    sample_sizes: list[SampleSizeNeed] = field(default_factory=list, repr=False)
    pooled: list[PooledComparison] = field(default_factory=list, repr=False)
    #: the boundary changes that lie between figures this report compares (each marked once)
    breaks: list[BoundaryBreak] = field(default_factory=list)

    @property
    def period_years(self) -> tuple[int, int]:
        """The agreement's first and last year (from ``agreement_period``, '2022–2025')."""
        first, last = self.agreement_period.split("–")
        return int(first), int(last)

    @property
    def survey_variance(self) -> str:
        """``taylor`` when the survey objectives were tested on the design-based variance of
        microdata, else ``kish`` (aggregates: n / deff; published shares: not tested)."""
        methods = {o.test for o in self.objectives if o.objective.startswith("survey")}
        return "taylor" if WALD_METHOD in methods else "kish"

    def status_counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for o in self.objectives:
            counts[o.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every typed field (:mod:`analysis.typed_json`; NaN as null), each
        objective with its two readings (:func:`analysis.evaluation.public.document` adds the
        derived views)."""
        d = {"schema_version": SCHEMA_VERSION, **encode(self, Evaluation)}
        for row, o in zip(d["objectives"], self.objectives, strict=True):
            row["literal"], row["evidence"] = o.literal, o.evidence
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evaluation:
        """The evaluation :meth:`to_dict` wrote (the derived views are not read)."""
        return decode(d, cls)
