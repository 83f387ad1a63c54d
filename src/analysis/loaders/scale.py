"""Normalising the survey's answer text (the scale itself is defined in
:mod:`analysis.indicators`)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def normalise_answers(values: pd.Series) -> pd.Series:
    """Lower-case, single-spaced answer text ('Meget  Tryg' -> 'meget tryg'); blanks -> None."""
    codes, uniques = pd.factorize(values)  # normalise each distinct answer once
    clean = [" ".join(str(u).split()).lower() or None for u in uniques]
    lut = np.array([*clean, None], dtype=object)
    return pd.Series(lut[codes], index=values.index, dtype="string")
