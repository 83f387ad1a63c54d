"""The public shape of a result: a figure with its uncertainty, the figure it is compared with,
the change between them and the test of it.

Every objective row, every comparison of two survey years, every comparison with the
surroundings and every pair of pooled years carries the same keys (the result schema, issue 21):
``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``, ``n_eff``, ``deff`` for the evaluated
figure, the same keys (and ``year``) for the figure it is compared with under ``reference``, the
tested contrast under ``change`` (``quantity``, ``estimate``, ``se``, ``ci_low``, ``ci_high``)
and ``test``, ``statistic``, ``df``, ``phi``, ``p_value``. A NaN (``null`` in JSON) is a number
that does not exist for that row (no SE for a stated baseline, no n for a police count, no test
for a census). The descriptions below go into the committed JSON Schema.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from analysis.stats import StatResult

NAN = math.nan


def _doc(text: str, default: object = NAN) -> object:
    """A field with a default and its description for the JSON Schema."""
    return field(default=default, metadata={"doc": text})


@dataclass(frozen=True, kw_only=True)
class Measure:
    """A figure with its uncertainty."""

    estimate: float = _doc(
        "the figure: a share (0-1), the area's share minus the city's (the city level), a "
        "police count or a rate per 1,000 inhabitants, or a change (the surroundings)"
    )
    se: float = _doc(
        "its standard error: design-based (Taylor linearisation) for microdata, from n_eff "
        "for aggregates; Poisson's sqrt(count) for police figures (phi is the test's allowance "
        "for extra variation); null for a stated figure or a census"
    )
    ci_low: float = _doc("lower limit of its 95 % interval (Wilson on n_eff for a share)")
    ci_high: float = _doc("upper limit of its 95 % interval")
    n: float = _doc("respondents (survey); null for police counts and censuses")
    n_eff: float = _doc(
        "effective respondents, share (1 - share) / se^2 (the binomial n of the variance)"
    )
    deff: float = _doc(
        "design effect: the variance over a simple random sample's of the same n "
        "(R survey's svymean(deff = TRUE)); for aggregates the stated n / n_eff"
    )


def measure_of(m: Measure) -> dict[str, float]:
    """A figure's own keys (not its year), for the row that carries it flat."""
    return {f.name: getattr(m, f.name) for f in fields(Measure)}


@dataclass(frozen=True, kw_only=True)
class Figure(Measure):
    """The figure compared with, and its year."""

    year: int | None = _doc("the year of the figure (null: a stated goal)", None)


@dataclass(frozen=True, kw_only=True)
class Change:
    """The contrast the test is about, with its uncertainty."""

    quantity: str = _doc(
        "what the contrast is: difference (share points), gap to city, change in gap, "
        "difference in differences, rate ratio, ratio of rate ratios",
        "",
    )
    estimate: float = _doc("the contrast (for a ratio: the ratio, else the difference)")
    se: float = _doc("its standard error (null where the test has none, e.g. exact tests)")
    ci_low: float = _doc("lower limit of its 95 % interval")
    ci_high: float = _doc("upper limit of its 95 % interval")


@dataclass(frozen=True, kw_only=True)
class Result(Measure):
    """A figure, the figure it is compared with, and the test of the change between them."""

    # frozen records: one shared default instance is safe
    reference: Figure = _doc("the figure it is compared with", Figure())  # noqa: RUF009
    change: Change = _doc("the contrast tested", Change())  # noqa: RUF009
    test: str = _doc("the test or method (empty: none)", "")
    statistic: float = _doc("the test statistic (z or t)")
    df: float = _doc("degrees of freedom of a t reference (null: normal)")
    phi: float = _doc(
        "police counts: the dispersion the test allowed for (Var = phi mu; 1 = Poisson)"
    )
    p_value: float = _doc("two-sided p-value, unadjusted (null: no test)")


@dataclass(frozen=True, kw_only=True)
class InformationRow(Result):
    """A result beside the objectives, with no status."""

    kind: str = _doc(
        "comparison (two survey years), surroundings (the area's change against its "
        "surroundings') or pooled (two years against two earlier years)",
        "",
    )
    indicator: str = _doc("the indicator's id", "")
    comparison: str = _doc(
        "comparison: previous_year, start, two_years or first; surroundings: rest_of_district "
        "or rest_of_city; pooled: pooled",
        "",
    )
    year: int = _doc("the later year (pooled: the later of the later pair)", 0)
    evidence: str | None = _doc("beyond chance? as for the objectives (null: no test)", None)


def fields_of_test(test: StatResult | None, difference: float = NAN) -> dict[str, Any]:
    """``change``, ``test``, ``statistic``, ``df`` and ``p_value`` of a result from its test;
    without a test, the change is the literal ``difference`` alone."""
    if test is None:
        return {"change": Change(quantity="difference", estimate=difference)}

    def value(v: float | None) -> float:
        return math.nan if v is None else float(v)

    return {
        "change": Change(
            quantity=test.quantity,
            estimate=test.estimate,
            se=test.se,
            ci_low=test.ci_low,
            ci_high=test.ci_high,
        ),
        "test": test.method,
        "statistic": value(test.statistic),
        "df": value(test.df),
        "p_value": value(test.p_value),
    }
