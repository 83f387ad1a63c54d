"""What one evaluation returns: objective rows with a status from a fixed set, plus evidence."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

#: The only statuses an objective row can have.
STATUSES = ("opfyldt", "ikke opfyldt", "ikke signifikant", "baseline mangler", "data mangler",
            "for få besvarelser")


def combined_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 over the input files' hashes (sorted by name): a short provenance key."""
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective for one indicator in one partnership-year, judged."""

    objective: str          #: survey_annual, survey_city_level, survey_period, crime, ...
    objective_label: str    #: Danish, as the report shows it
    indicator: str
    indicator_label: str
    status: str
    explanation: str        #: one Danish sentence (or two) generated from the numbers
    value: float = math.nan          #: this year's share, count or rate
    reference: float = math.nan      #: what it is compared with (previous year, baseline, ...)
    reference_year: int | None = None
    change: float = math.nan         #: value - reference (or the change in the gap)
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    p_holm: float = math.nan         #: Holm-adjusted within the report's family of tests
    n_eff: float = math.nan
    mde: float = math.nan            #: minimum detectable change (survey objectives)
    verdict: str = ""                #: "signifikant fald", ..., "signifikant stigning"
    method: str = ""
    flags: str = ""                  #: e.g. not like-for-like, baseline taken from data

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")


@dataclass
class Evaluation:
    """Everything one yearly status needs; the notebook renders it, the index summarises it."""

    partnership: str
    partnership_name: str
    year: int
    agreement_id: str
    agreement_period: str
    area: str               #: the partnership's survey area id
    district: str           #: the district it lies in
    area_name: str
    district_name: str
    synthetic: bool
    dataset_name: str
    objectives: list[ObjectiveRow]
    survey_series: pd.DataFrame = field(repr=False)    #: area, city, district shares with CIs
    survey_changes: pd.DataFrame = field(repr=False)   #: year-on-year and since-start tests
    survey_trends: pd.DataFrame = field(repr=False)    #: trend over the agreement's years
    crime_series: pd.DataFrame = field(repr=False)     #: targets and monitored types by year
    monitoring: pd.DataFrame = field(repr=False)       #: monitored types: trend, no status
    published: pd.DataFrame = field(repr=False)        #: published figures with their source
    notes: list[str]
    provenance: dict[str, Any]

    def objectives_frame(self) -> pd.DataFrame:
        rows = [asdict(o) for o in self.objectives]
        df = pd.DataFrame(rows, columns=list(ObjectiveRow.__dataclass_fields__))
        df.insert(0, "year", self.year)
        df.insert(0, "agreement_id", self.agreement_id)
        df.insert(0, "partnership", self.partnership)
        df["example_data"] = self.synthetic
        prov = self.provenance
        df["package_version"] = prov.get("package_version", "")
        df["inputs_sha256"] = combined_digest(prov.get("inputs_sha256", {}))
        df["agreement_sha256"] = prov.get("agreement_sha256", "")
        df["parameters"] = json.dumps(prov.get("parameters", {}), sort_keys=True)
        return df

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for o in self.objectives:
            counts[o.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the objectives as a list of objects, NaN as null."""
        def clean(v: Any) -> Any:
            return None if isinstance(v, float) and math.isnan(v) else v
        return {
            "partnership": self.partnership, "partnership_name": self.partnership_name,
            "year": self.year, "agreement_id": self.agreement_id,
            "agreement_period": self.agreement_period, "synthetic": self.synthetic,
            "objectives": [{k: clean(v) for k, v in asdict(o).items()} for o in self.objectives],
            "notes": self.notes, "provenance": self.provenance,
            # the tidy rows, so that readers of this JSON need not rebuild them
            "results_rows": json.loads(self.objectives_frame().to_json(orient="records")),
        }
