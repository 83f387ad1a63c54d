"""The one result type of every statistical function, and its tidy form."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from analysis import config


@dataclass(frozen=True)
class StatResult:
    """An estimate with its confidence interval and, where there is one, a test.

    ``n`` holds the sample size(s) used, and ``n_kind`` says which: ``"n"`` (respondents or
    counts as given), ``"n_eff"`` (Kish's effective n, or n divided by a design effect) or
    ``"exposure"`` (person-years or inhabitants, for rates). ``insufficient`` is True when the
    data were below the floor and no estimate or test was made: every number is then NaN.
    """

    quantity: str
    estimate: float
    ci_low: float
    ci_high: float
    method: str
    n: tuple[float, ...]
    n_kind: str
    statistic: float | None = None
    p_value: float | None = None
    alternative: str = "two-sided"
    note: str = ""
    insufficient: bool = False
    #: the estimate's standard error where the method has one (NaN otherwise)
    se: float = math.nan
    #: the reference distribution's degrees of freedom (None: normal, or no test)
    df: float | None = None
    #: an expected count below 5 in a group: the normal approximation is unreliable (the
    #: p-value is then Fisher's exact one where the counts are whole)
    small_counts: bool = False

    @classmethod
    def insufficient_data(
        cls, quantity: str, n: tuple[float, ...], n_kind: str, min_n: float
    ) -> StatResult:
        nan = math.nan
        return cls(
            quantity,
            nan,
            nan,
            nan,
            "insufficient data",
            n,
            n_kind,
            None,
            None,
            note=f"fewer than {min_n:g} respondents: no estimate or test",
            insufficient=True,
        )

    @property
    def significant(self) -> bool:
        """p < config.ALPHA; False when there is no test."""
        return (
            self.p_value is not None
            and not math.isnan(self.p_value)
            and self.p_value < config.ALPHA
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["n"] = list(self.n)
        for key in ("estimate", "ci_low", "ci_high", "statistic", "p_value", "se"):
            if isinstance(d[key], float) and math.isnan(d[key]):
                d[key] = None
        return d


def to_frame(results: Iterable[StatResult], **labels: Iterable) -> pd.DataFrame:
    """A tidy DataFrame, one row per result; ``labels`` add aligned columns (e.g. year=...)."""
    rows = [r.to_dict() for r in results]
    df = pd.DataFrame(rows)
    for name, values in labels.items():
        df.insert(0, name, list(values))
    return df
