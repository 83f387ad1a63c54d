"""Significance tests for changes in (un)safety shares and in police report counts."""

from analysis.stats.proportions import (
    Proportion,
    diff_in_differences,
    diff_in_differences_shares,
    diff_of_gaps,
    diff_proportions,
    gap_to_city,
    kish_effective_n,
    minimum_detectable_change,
    sample_size_two_proportions,
    share_ci,
    trend_test,
)
from analysis.stats.rates import (
    Dispersion,
    count_trend,
    dispersion_from_series,
    rate_ci,
    rate_ratio,
    ratio_of_rate_ratios,
)
from analysis.stats.result import StatResult, to_frame

__all__ = [
    "Dispersion",
    "Proportion",
    "StatResult",
    "count_trend",
    "diff_in_differences",
    "diff_in_differences_shares",
    "diff_of_gaps",
    "diff_proportions",
    "dispersion_from_series",
    "gap_to_city",
    "kish_effective_n",
    "minimum_detectable_change",
    "rate_ci",
    "rate_ratio",
    "ratio_of_rate_ratios",
    "sample_size_two_proportions",
    "share_ci",
    "to_frame",
    "trend_test",
]
