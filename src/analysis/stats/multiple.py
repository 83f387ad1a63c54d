"""Adjusting a family of p-values (the tests in one report) for multiple comparisons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np


def adjust_pvalues(
    p_values: Sequence[float | None], method: Literal["holm", "fdr_bh"] = "holm"
) -> list[float]:
    """Holm (1979) step-down or Benjamini-Hochberg (1995) step-up adjusted p-values.

    With the m present p-values sorted ascending, p(1) <= ... <= p(m):
    Holm: p~(i) = max_{j<=i} min(1, (m - j + 1) p(j));
    BH:   p~(i) = min_{j>=i} min(1, m p(j) / j).
    These are statsmodels' ``multipletests(method="holm")`` and ``"fdr_bh"`` (whose default,
    Holm-Šidák, is not used here), written out because ``multipletests`` forces a garbage
    collection on every call. Missing p-values (None or NaN: objectives with no test) stay
    missing and are not counted in m.
    """
    if method not in ("holm", "fdr_bh"):
        raise ValueError(f"method must be 'holm' or 'fdr_bh', got {method!r}")
    values = np.array([math.nan if v is None else float(v) for v in p_values], dtype=float)
    present = np.flatnonzero(~np.isnan(values))
    bad = present[(values[present] < 0) | (values[present] > 1)]
    if bad.size:
        raise ValueError(f"p_values[{bad[0]}] = {values[bad[0]]!r} is not between 0 and 1")
    out = np.full(len(values), math.nan)
    m = present.size
    if m:
        order = present[np.argsort(values[present], kind="stable")]
        p = values[order]
        rank = np.arange(1, m + 1)
        if method == "holm":
            adjusted = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * p))
        else:
            adjusted = np.minimum.accumulate(np.minimum(1.0, m * p / rank)[::-1])[::-1]
        out[order] = adjusted
    return out.tolist()
