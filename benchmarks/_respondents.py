"""A million synthetic respondent rows for the speed scripts (not the example data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators import ANSWERS
from analysis.reference import area_ids, areas


def respondents(n: int = 1_000_000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    districts = np.array(area_ids("district"))
    home = areas().set_index("area")["district"]
    partnership = np.array(area_ids("partnership"))
    area = np.where(rng.random(n) < 0.15, rng.choice(partnership, n), None)
    district = np.where(
        np.equal(area, None),
        rng.choice(districts, n),
        home.reindex(area.astype(str)).to_numpy(),
    )
    answers = np.array(ANSWERS, dtype=object)
    p = [0.35, 0.4, 0.1, 0.08, 0.05, 0.02]
    return pd.DataFrame(
        {
            "respondent_id": np.arange(n).astype(str),
            "year": rng.integers(2014, 2027, n),
            "district": district,
            "area": area,
            "weight": rng.lognormal(0, 0.45, n),
            "safety": rng.choice(answers, n, p=p),
            "safety_night": rng.choice(answers, n, p=p),
        }
    )
