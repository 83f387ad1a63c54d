"""The model-based shares' coverage, bias and MSE from a known population of areas (the full
run of the simulation ``tests/test_small_area.py`` runs short;
:mod:`analysis.stats.small_area_simulation`).

Prints, for the model with each domain's own level and trend (the one the reports use), for
levels without trends and for district levels with a partnership-area effect: the coverage of
the partnership areas' 95 % intervals, their MSE over the direct estimate's, and the
deliberately high (and falling) area's bias in the last year.
"""

from __future__ import annotations

import math
import time

from analysis.stats.small_area_simulation import simulate

N_SIMS = 2000


def main() -> None:
    for spec, what in (
        ("trend", "each domain's own level and trend (the reports' model)"),
        ("level", "each domain's own level, no trend"),
        ("district", "district levels and a partnership-area effect"),
    ):
        t = time.perf_counter()
        r = simulate(n_sims=N_SIMS, specification=spec)
        mc = math.sqrt(0.95 * 0.05 / (N_SIMS * 27))
        print(f"{what} ({N_SIMS} replicates, {time.perf_counter() - t:.1f} s):")
        print(
            f"  coverage of the partnership areas' 95 % intervals: {r['coverage']:.3f} "
            f"(MC SE {mc:.3f})"
        )
        print(f"  MSE of the model / MSE of the direct estimate: {r['mse_ratio']:.2f}")
        print(
            f"  the high area's bias in the last year: model "
            f"{r['high_area_bias'] * 100:+.2f} points, direct "
            f"{r['high_area_bias_direct'] * 100:+.2f} points"
        )


if __name__ == "__main__":
    main()
