"""Writes design_sample.csv: respondent rows for the R reference of the design-based variance
(design_variance.R). Synthetic, fixed seed; weights correlate with the answers (as real
post-stratification weights do) and vary between strata; some answers are "ved ikke".

    python tests/reference/make_design_sample.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ANSWERS = ["meget tryg", "tryg", "hverken tryg eller utryg", "utryg", "meget utryg", "ved ikke"]
#: district -> (partnership area or None, residents of the area, residents of the rest)
DISTRICTS = {
    "valby": ("folehaven", 2200, 60000),
    "bronshoj_husum": ("tingbjerg_husum", 11000, 35000),
    "indre_by": (None, 0, 58000),
    "vanlose": (None, 0, 40000),
}


def main() -> None:
    rng = np.random.default_rng(20261201)
    rows = []
    for year in (2019, 2020, 2021):
        for district, (area, n_area_pop, n_rest_pop) in DISTRICTS.items():
            for where, pop, n in ((area, n_area_pop, 260), (None, n_rest_pop, 300)):
                if pop == 0:
                    continue
                young = rng.random(n) < 0.4
                # the young are less often unsafe and weigh more (fewer of them answer)
                unsafe = 0.30 if where else 0.12
                p = np.where(young, unsafe * 0.6, unsafe * 1.3) + 0.01 * (year - 2019)
                night = rng.random(n) < np.clip(p * 1.6, 0, 1)
                day = rng.random(n) < p
                raw = np.where(young, 2.0, 1.0) * rng.lognormal(0, 0.3, n)
                w = raw / raw.sum() * pop
                for i in range(n):
                    dk = rng.random() < 0.04
                    rows.append(
                        {
                            "year": year,
                            "district": district,
                            "area": where or "",
                            "weight": round(float(w[i]), 6),
                            "safety": "ved ikke" if dk else ANSWERS[3 if day[i] else 1],
                            "safety_night": ANSWERS[4 if night[i] else 0],
                        }
                    )
    df = pd.DataFrame(rows)
    df.insert(0, "respondent_id", [f"r{i:05d}" for i in range(len(df))])
    df.to_csv(HERE / "design_sample.csv", index=False)


if __name__ == "__main__":
    main()
