"""Adjusting a family of p-values (the tests in one report) for multiple comparisons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from statsmodels.stats.multitest import multipletests


def adjust_pvalues(p_values: Sequence[float | None],
                   method: Literal["holm", "fdr_bh"] = "holm") -> list[float]:
    """Holm (1979) step-down or Benjamini-Hochberg (1995) adjusted p-values.

    Missing p-values (None or NaN: objectives with no test) stay missing and are not counted
    in the family size m. ``method`` is passed to statsmodels' ``multipletests`` by name; its own
    default would be Holm-Šidák (``hs``), which is not what is asked for here.
    """
    if method not in ("holm", "fdr_bh"):
        raise ValueError(f"method must be 'holm' or 'fdr_bh', got {method!r}")
    values = [math.nan if v is None else float(v) for v in p_values]
    for i, v in enumerate(values):
        if not math.isnan(v) and not 0 <= v <= 1:
            raise ValueError(f"p_values[{i}] = {v!r} is not between 0 and 1")
    out = np.full(len(values), math.nan)
    present = [i for i, v in enumerate(values) if not math.isnan(v)]
    if present:
        out[present] = multipletests([values[i] for i in present], method=method)[1]
    return out.tolist()
