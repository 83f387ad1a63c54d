"""The verdicts are trusted only if, with no real change, they raise false alarms at α.

The simulation judges draws from a known truth with the evaluation's own functions (see
:mod:`analysis.evaluation.calibration`); seeded, so the figures below are reproducible.
"""

from __future__ import annotations

import pytest

from analysis import config
from analysis.evaluation.calibration import PHI_GENERATED, SCENARIOS, simulate

#: simulations: left out of make test-fast
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results():
    return simulate(n_sims=2000, seed=2026).set_index("scenario")


@pytest.mark.parametrize(
    "scenario", [s.name for s in SCENARIOS if s.true_change == 0 and s.share is None]
)
def test_false_alarms_at_the_nominal_rate(results, scenario):
    # survey yearly and city-level objectives, police counts at dispersion 1 and at the
    # example data's smallest and largest
    row = results.loc[scenario]
    assert abs(row["significant"] - config.ALPHA) <= 3 * row["mc_se"], row
    # both directions are reported: a significant fall can be found as well as a rise
    assert row["significant_improvement"] > 0 and row["significant_worsening"] > 0
    # the literal reading alone misses in about half of the years with no change at all
    assert 0.4 < row["not_met"] < 0.6


def test_few_expected_answers_are_flagged_in_the_verdicts(results):
    # a 1 % share among 300 respondents: the normal approximation is not trusted, and every
    # verdict says so (the report's sentence: "testen er kun en grov tilnærmelse")
    row = results.loc["survey yearly, 1 % share, no change"]
    assert row["small_counts"] > 0.95
    assert results.loc["survey yearly, no change", "small_counts"] == 0


def test_power_for_the_changes_the_agreements_hope_for(results):
    # Reported, not a goal: with about 210 effective respondents a 2-point yearly fall is
    # rarely detected, a 5-point fall about one time in three; a 25 % rise in counts is found
    # less often the more the counts vary beyond Poisson.
    power = results["significant"]
    assert power["survey yearly, 2-point fall"] < power["survey yearly, 5-point fall"] < 0.6
    rise = [power[f"police counts φ={phi:g}, 25 % rise"] for phi in (1.0, *PHI_GENERATED)]
    assert rise == sorted(rise, reverse=True) and PHI_GENERATED == (2.0, 4.0)
    assert power["survey yearly, 2-point fall"] > config.ALPHA
