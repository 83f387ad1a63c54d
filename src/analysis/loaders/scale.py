"""The survey's answer scale and what counts as safe or unsafe: the one place that says so."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The five-point scale of Københavns Kommunes Tryghedsundersøgelse, plus "ved ikke".
SCALE = ("meget tryg", "tryg", "hverken tryg eller utryg", "utryg", "meget utryg")
DONT_KNOW = "ved ikke"
ANSWERS = (*SCALE, DONT_KNOW)

UNSAFE = frozenset({"utryg", "meget utryg"})
SAFE = frozenset({"tryg", "meget tryg"})

#: indicator -> (answer column, answers counted). "ved ikke" and blanks are left out of the
#: denominator of every indicator.
INDICATORS: dict[str, tuple[str, frozenset[str]]] = {
    "unsafe_share": ("safety", UNSAFE),
    "unsafe_share_night": ("safety_night", UNSAFE),
    "safe_share": ("safety", SAFE),
    "safe_share_night": ("safety_night", SAFE),
}


def normalise_answers(values: pd.Series) -> pd.Series:
    """Lower-case, single-spaced answer text ('Meget  Tryg' -> 'meget tryg'); blanks -> None."""
    codes, uniques = pd.factorize(values)  # normalise each distinct answer once
    clean = [" ".join(str(u).split()).lower() or None for u in uniques]
    lut = np.array([*clean, None], dtype=object)
    return pd.Series(lut[codes], index=values.index, dtype="string")
