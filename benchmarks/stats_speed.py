"""Shares, CIs and year-on-year tests for every area-year from 1,000,000 weighted rows.

Prints the time and its ratio to a bare pandas groupby-sum over the same rows.
Goal (issue 3): at most 1 s and at most 3 x the groupby.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _respondents import respondents

from analysis.loaders.survey import aggregate_microdata
from analysis.stats import Proportion, diff_proportions, share_ci


def all_tests(df):
    tidy = aggregate_microdata(df, example_data=False)
    results = []
    for (_area, _ind), g in tidy.groupby(["area", "indicator"], sort=False):
        props = [Proportion.from_share(s, n) for s, n in zip(g["share"], g["n_eff"], strict=True)]
        results += [share_ci(p) for p in props]
        results += [diff_proportions(a, b) for a, b in zip(props[1:], props[:-1], strict=True)]
    return results


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    df = respondents()
    floor, _ = best_of(
        lambda: df.groupby(["year", "district", "area"], dropna=False)["weight"].sum()
    )
    spent, results = best_of(lambda: all_tests(df))
    print(f"rows: {len(df):,}; results: {len(results)} (shares with CI, year-on-year tests)")
    print(f"bare groupby-sum:            {floor:.3f} s")
    print(f"shares, CIs and tests:       {spent:.3f} s  (goal <= 1 s)")
    print(f"ratio to the groupby-sum:    {spent / floor:.2f} x  (goal <= 3 x)")


if __name__ == "__main__":
    main()
