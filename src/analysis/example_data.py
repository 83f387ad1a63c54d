"""Generate the synthetic example data in ``data/raw/example/`` (``make data``; fixed seed).

Nothing here is real microdata. The survey is simulated respondent by respondent with unequal
weights that correlate with the answers (:data:`WEIGHT_ANSWER`) and add up to each stratum's
residents, and calibrated so that the weighted shares reproduce
``data/raw/published/figures.csv`` wherever it has a figure (to its published rounding);
between published figures the series follow the synthetic anchors below. Police counts vary
beyond Poisson by crime type (:data:`POLICE_DISPERSION`); they reproduce the 2015 baselines in
the 2017-2020 agreements and the published totals (Tingbjerg-Husum 2019: 229 reports, 20.4 per
1,000; Folehaven 2020: 64, 28.8 per 1,000; the city's rates). Two designed contrasts let the
reports show both outcomes: Tingbjerg-Husum 2021 (unsafe 16 % -> 10 %, about 600 respondents:
a fall that would be significant, across the area's boundary change) and Folehaven 2022
(17 % -> 12 %, about 260 respondents: not significant).

Run ``python -m analysis.example_data`` to rewrite the files.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.indicators import SCALE
from analysis.published import load_published_figures

SEED = 20261123
SURVEY_YEARS = range(2014, 2027)
POLICE_YEARS = range(2013, 2026)
PARTNERSHIP_AREAS = {
    "amager_partnerskab": "amager_vest",
    "tingbjerg_husum": "bronshoj_husum",
    "folehaven": "valby",
}
OTHER_DISTRICTS = [
    "indre_by",
    "osterbro",
    "norrebro",
    "vesterbro_kongens_enghave",
    "vanlose",
    "bispebjerg",
    "amager_ost",
]

# Respondents: the city total where published, otherwise about 4,000.
CITY_N = {
    2014: 4100,
    2015: 4000,
    2016: 3950,
    2017: 3900,
    2018: 3863,
    2019: 3833,
    2020: 4880,
    2021: 4300,
    2022: 3596,
    2023: 4037,
    2024: 4150,
    2025: 4200,
    2026: 4250,
}
AREA_N = {"amager_partnerskab": 420, "tingbjerg_husum": 600, "folehaven": 265}
DISTRICT_REST_N = 330  # respondents of each of the three districts outside the partnership area
WEIGHT_SIGMA = 0.45  # log-normal spread of the post-stratification factor
#: how strongly the answers follow the weights: an unsafe answer is drawn with probability
#: proportional to weight**WEIGHT_ANSWER, a safe one to weight**-WEIGHT_ANSWER (real
#: post-stratification weights up-weight groups, such as young men in social housing, that
#: answer differently), so Kish's and the design-based SEs differ as in real surveys
WEIGHT_ANSWER = 1.5

# Inhabitants, for the design weights (the city, districts and areas grow a little each year).
CITY_POP = 570_000
DISTRICT_POP = {"valby": 60_000, "amager_vest": 78_000, "bronshoj_husum": 44_000}
FOLEHAVEN_2026 = 5_100  # residents of the extended area (the police years end in 2025)

# Synthetic anchors in percent, 2014-2026, used where no published figure exists.
_U = "unsafe_share"
_UN = "unsafe_share_night"
_S = "safe_share"
_SN = "safe_share_night"
ANCHORS: dict[str, dict[str, list[float]]] = {
    "kobenhavn": {
        _U: [7.1, 6.6, 6.4, 9, 12, 9, 9, 9, 9, 7, 6, 6, 6],
        _UN: [17, 17, 18, 22, 20, 18, 15, 16, 17, 15, 12, 12, 12],
        _S: [87, 88, 88, 85, 82, 85, 85, 85, 85, 87, 88, 88, 88],
        _SN: [75, 75, 74, 70, 72, 74, 77, 76, 76, 77, 80, 80, 80],
    },
    "valby": {
        _U: [9, 9, 10, 13, 12, 11, 11, 10, 10, 8, 7, 6, 6],
        _UN: [18, 18, 20, 24, 22, 21, 20, 19, 19, 17, 15, 14, 14],
    },
    "amager_vest": {
        _U: [12, 11, 11, 15, 13, 11, 10, 8, 8, 7, 6, 6, 6],
        _UN: [24, 23, 22, 26, 24, 20, 18, 15, 15, 14, 12, 12, 12],
    },
    "bronshoj_husum": {
        _U: [11, 10, 9, 13, 12, 12, 13, 12, 11, 10, 9, 9, 8],
        _UN: [25, 24, 27, 27, 26, 26, 23, 22, 21, 19, 18, 17, 16],
    },
    "amager_partnerskab": {
        _U: [16, 14, 12, 13, 14, 13, 15, 17, 15, 14, 13, 12, 12],
        _UN: [34, 31, 29, 30, 31, 30, 29, 27, 26, 25, 24, 23, 22],
    },
    "tingbjerg_husum": {
        _U: [22, 17, 13, 15, 14, 15, 16, 10, 12, 11, 10, 10, 10],
        _UN: [38, 36, 34, 33, 31, 30, 28, 24, 24, 22, 21, 21, 20],
    },
    "folehaven": {
        _U: [18, 19, 20, 21, 20, 19, 16, 17, 12, 14, 12, 11, 10],
        _UN: [30, 31, 31, 32, 30, 28, 27, 26, 24, 23, 22, 20, 19],
        _S: [62, 61, 60, 59, 60, 61, 64, 63, 68, 66, 71, 77, 79],
        _SN: [55, 54, 54, 53, 55, 57, 58, 59, 61, 60, 65, 70, 71],
    },
}
NEUTRAL = {
    "kobenhavn": 6,
    "valby": 6,
    "amager_vest": 5,
    "bronshoj_husum": 8,
    "amager_partnerskab": 9,
    "tingbjerg_husum": 9,
}
NEUTRAL_NIGHT_EXTRA = 3
DONT_KNOW_RATE = 0.015
BLANK_RATE = 0.005


def survey_targets() -> pd.DataFrame:
    """area, year, indicator, target share (0-1), published (bool): the calibration targets."""
    rows = []
    for area, series in ANCHORS.items():
        for i, year in enumerate(SURVEY_YEARS):
            u, un = series[_U][i], series[_UN][i]
            s = series[_S][i] if _S in series else 100 - u - NEUTRAL[area]
            sn = series[_SN][i] if _SN in series else 100 - un - NEUTRAL[area] - NEUTRAL_NIGHT_EXTRA
            for ind, v in ((_U, u), (_UN, un), (_S, s), (_SN, sn)):
                rows.append(
                    {
                        "area": area,
                        "year": year,
                        "indicator": ind,
                        "target": v / 100,
                        "published": False,
                    }
                )
    targets = pd.DataFrame(rows).set_index(["area", "year", "indicator"])
    pub = load_published_figures()
    pub = pub[
        pub["indicator"].isin([_U, _UN, _S, _SN])
        & pub["year"].isin(SURVEY_YEARS)
        & pub["area"].isin(ANCHORS)
    ]
    for r in pub.itertuples():
        targets.loc[(r.area, r.year, r.indicator), ["target", "published"]] = [r.value / 100, True]
    targets = targets.reset_index()
    wide = targets.pivot_table(index=["area", "year"], columns="indicator", values="target")
    bad = wide[(wide[_U] + wide[_S] > 1) | (wide[_UN] + wide[_SN] > 1)]
    if not bad.empty:
        raise AssertionError(f"unsafe + safe above 100 % in the targets:\n{bad}")
    return targets


def _assign(
    weights: np.ndarray,
    unsafe: float,
    safe: float,
    rng: np.random.Generator,
    fixed_w: float = 0.0,
    fixed_unsafe: float = 0.0,
    fixed_safe: float = 0.0,
) -> np.ndarray:
    """Answers (0 unsafe, 1 neutral, 2 safe, 3 don't know, 4 blank) for free respondents.

    Chosen so that, together with already fixed respondents of total valid weight ``fixed_w``
    (of which ``fixed_unsafe`` and ``fixed_safe`` unsafe and safe), the weighted shares reach
    the targets: random respondents first, then the lightest ones to land just above it.
    """
    n = len(weights)
    code = np.full(n, 1)
    order = rng.permutation(n)
    missing = order[: int(round(n * (DONT_KNOW_RATE + BLANK_RATE)))]
    code[missing] = np.where(
        rng.random(len(missing)) < DONT_KNOW_RATE / (DONT_KNOW_RATE + BLANK_RATE), 3, 4
    )
    free = np.setdiff1d(order, missing, assume_unique=True)
    total = fixed_w + weights[free].sum()
    for value, goal, tilt in (
        (0, unsafe * total - fixed_unsafe, WEIGHT_ANSWER),
        (2, safe * total - fixed_safe, -WEIGHT_ANSWER),
    ):
        pool = free[code[free] == 1]
        # weighted sampling without replacement (Efraimidis & Spirakis 2006): the key
        # u**(1/p) sorted descending draws in proportion to p = weight**tilt
        keys = rng.random(len(pool)) ** (1 / weights[pool] ** tilt)
        pool = pool[np.argsort(-keys, kind="stable")]
        if goal <= 0:
            continue
        cum = np.cumsum(weights[pool])
        bulk = int(np.searchsorted(cum, goal * 0.97))
        code[pool[:bulk]] = value
        rest = pool[bulk:]
        rest = rest[np.argsort(weights[rest], kind="stable")]
        cum = np.cumsum(weights[rest]) + (cum[bulk - 1] if bulk else 0.0)
        code[rest[: int(np.searchsorted(cum, goal)) + 1]] = value
    return code


def residents(area: str, year: int) -> float:
    """A partnership area's residents in a survey year: the population file's (so that the
    area stratum's weights add up to the residents the FPC and the rates use); 2026, after the
    police years, from the survey's own figure (Folehaven extended)."""
    if year in POLICE_YEARS:
        return POPULATION[area][year - POLICE_YEARS.start]
    return FOLEHAVEN_2026 if area == "folehaven" else POPULATION[area][-1]


def _survey_year(year: int, targets: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    growth = 1 + 0.012 * (year - 2014)
    area_n = dict(AREA_N)
    area_pop = {area: residents(area, year) for area in PARTNERSHIP_AREAS}
    if year >= 2026:
        area_n["folehaven"] = 400  # extended in 2026
    strata = []  # (district, area, n, population)
    for area, district in PARTNERSHIP_AREAS.items():
        n = int(round(area_n[area] * rng.uniform(0.95, 1.05)))
        strata.append((district, area, n, area_pop[area]))
        strata.append(
            (district, "", DISTRICT_REST_N, DISTRICT_POP[district] * growth - area_pop[area])
        )
    rest_n = CITY_N[year] - sum(s[2] for s in strata)
    rest_pop = CITY_POP * growth - sum(DISTRICT_POP.values()) * growth
    for d in OTHER_DISTRICTS:
        strata.append((d, "", rest_n // len(OTHER_DISTRICTS), rest_pop / len(OTHER_DISTRICTS)))
    frames = []
    for district, area, n, pop in strata:
        factor = rng.lognormal(0, WEIGHT_SIGMA, n)
        frames.append(
            pd.DataFrame(
                {"district": district, "area": area, "weight": pop / n * factor / factor.mean()}
            )
        )
    df = pd.concat(frames, ignore_index=True)
    t = targets[targets["year"] == year].set_index(["area", "indicator"])["target"]
    w = df["weight"].to_numpy()
    for col, (u_ind, s_ind) in {"safety": (_U, _S), "safety_night": (_UN, _SN)}.items():
        code = np.full(len(df), -1)
        # Level by level: each area, then the rest of its district, then the rest of the city.
        groups = [(df["area"] == a).to_numpy() for a in PARTNERSHIP_AREAS]
        groups += [
            ((df["district"] == d) & (df["area"] == "")).to_numpy()
            for d in PARTNERSHIP_AREAS.values()
        ]
        groups += [df["district"].isin(OTHER_DISTRICTS).to_numpy()]
        names = [*PARTNERSHIP_AREAS, *PARTNERSHIP_AREAS.values(), "kobenhavn"]
        for name, mask in zip(names, groups, strict=True):
            fixed = (code >= 0) & (code <= 2)
            in_level = True if name == "kobenhavn" else (df["district"] == name).to_numpy()
            scope = fixed & in_level
            code[mask] = _assign(
                w[mask],
                t[(name, u_ind)],
                t[(name, s_ind)],
                rng,
                w[scope].sum(),
                w[scope & (code == 0)].sum(),
                w[scope & (code == 2)].sum(),
            )
        df[col] = _labels(code, rng)
    df.insert(0, "year", year)
    df.insert(0, "respondent_id", [f"{year}-{i:05d}" for i in range(1, len(df) + 1)])
    return df


def _labels(code: np.ndarray, rng: np.random.Generator) -> list[str | None]:
    r = rng.random(len(code))
    out: list[str | None] = []
    for c, x in zip(code, r, strict=True):
        if c == 0:
            out.append(SCALE[4] if x < 0.3 else SCALE[3])
        elif c == 1:
            out.append(SCALE[2])
        elif c == 2:
            out.append(SCALE[0] if x < 0.45 else SCALE[1])
        elif c == 3:
            out.append("ved ikke")
        else:
            out.append(None)
    return out


def survey(rng: np.random.Generator) -> pd.DataFrame:
    targets = survey_targets()
    return pd.concat([_survey_year(y, targets, rng) for y in SURVEY_YEARS], ignore_index=True)


# ----------------------------------------------------------------------------------- police

# 2015 counts by police crime type. Amager and Tingbjerg-Husum sum to the agreements' baselines
# (indbrud 48/145, tyveri/røveri 128/323, vold/trusler/våben 66/86, hærværk 21/42,
# narkotika 24/37, chikane 37/38).
POLICE_2015 = {
    "amager_partnerskab": {
        "Indbrud i beboelse": 41,
        "Indbrud i forretning": 7,
        "Tyveri": 109,
        "Røveri": 19,
        "Vold": 42,
        "Våben": 6,
        "Trusler": 18,
        "Hærværk": 21,
        "Narkotika": 24,
        "Chikane": 37,
    },
    "tingbjerg_husum": {
        "Indbrud i beboelse": 128,
        "Indbrud i forretning": 17,
        "Tyveri": 290,
        "Røveri": 33,
        "Vold": 55,
        "Våben": 8,
        "Trusler": 23,
        "Hærværk": 42,
        "Narkotika": 37,
        "Chikane": 38,
    },
    "folehaven": {
        "Indbrud i beboelse": 9,
        "Indbrud i forretning": 1,
        "Tyveri": 20,
        "Røveri": 3,
        "Vold": 8,
        "Våben": 1,
        "Trusler": 4,
        "Hærværk": 6,
        "Narkotika": 7,
        "Chikane": 3,
    },
}
#: the year-to-year variation of each crime type beyond Poisson, Var = φ μ (synthetic, within
#: the 2-5 of real small-area counts: burglaries and drugs come in series and police actions)
POLICE_DISPERSION = {
    "Indbrud i beboelse": 3.0,
    "Indbrud i forretning": 2.0,
    "Tyveri": 2.5,
    "Røveri": 2.0,
    "Vold": 2.5,
    "Våben": 2.0,
    "Trusler": 2.0,
    "Hærværk": 3.0,
    "Narkotika": 4.0,
    "Chikane": 2.5,
    "Borgervendt kriminalitet i alt": 3.0,
}
#: published counts that stay as published (Tingbjerg-Husum 2019, Folehaven 2020)
PUBLISHED_COUNTS = {("tingbjerg_husum", 2019), ("folehaven", 2020)}


def overdispersed(rng: np.random.Generator, mean: float, phi: float) -> int:
    """A count with mean ``mean`` and variance φ·mean: gamma-Poisson (negative binomial with
    size μ / (φ - 1)); Poisson at φ = 1."""
    if phi == 1 or mean == 0:
        return int(rng.poisson(mean))
    shape = mean / (phi - 1)
    return int(rng.poisson(rng.gamma(shape, mean / shape)))


# Multiplier on the 2015 level, 2013-2025 (synthetic).
POLICE_PATH = {
    "amager_partnerskab": [
        1.10,
        1.05,
        1.00,
        0.97,
        0.95,
        1.02,
        1.08,
        0.96,
        0.92,
        0.90,
        0.93,
        0.88,
        0.86,
    ],
    "tingbjerg_husum": [
        1.15,
        1.08,
        1.00,
        0.80,
        0.62,
        0.50,
        0.40,
        0.41,
        0.37,
        0.42,
        0.44,
        0.39,
        0.38,
    ],
    "folehaven": [1.20, 1.10, 1.00, 1.05, 1.00, 0.95, 0.90, 0.85, 0.95, 0.92, 1.05, 1.15, 0.98],
}
# Borgervendt kriminalitet per area and year; published: Tingbjerg-Husum 2019 = 229,
# Folehaven 2020 = 64. The rest are synthetic.
BORGERVENDT = {
    "amager_partnerskab": [410, 395, 380, 372, 365, 390, 402, 360, 352, 346, 355, 340, 332],
    "tingbjerg_husum": [760, 735, 700, 560, 430, 330, 229, 240, 215, 250, 262, 231, 226],
    "folehaven": [88, 82, 79, 80, 76, 72, 70, 64, 70, 66, 75, 82, 71],
}
POPULATION = {
    "amager_partnerskab": [
        6900,
        6950,
        7000,
        7000,
        7050,
        7100,
        7100,
        7150,
        9000,
        9050,
        9100,
        9150,
        9200,
    ],
    "tingbjerg_husum": [
        11050,
        11100,
        11150,
        11180,
        11200,
        11210,
        11225,
        11300,
        11320,
        11350,
        11380,
        11400,
        11420,
    ],
    "folehaven": [2180, 2190, 2200, 2205, 2210, 2215, 2220, 2222, 2230, 2235, 2240, 2245, 2250],
}
# The city: published rates of borgervendt kriminalitet per 1,000 (2018-2023), synthetic before
# and after; the 2021 count is the published 22,042.
CITY_RATE = [68.0, 66.5, 65.0, 63.5, 62.0, 60.1, 55.6, 37.9, 35.0, 40.0, 39.0, 38.5, 38.0]
CITY_POPULATION = [
    569_000,
    580_000,
    591_000,
    602_000,
    613_000,
    624_000,
    632_000,
    636_000,
    629_771,
    644_000,
    653_000,
    660_000,
    667_000,
]
STRAFFELOV_FACTOR = 1.55


def police(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, pop = [], []
    for area, base in POLICE_2015.items():
        for i, year in enumerate(POLICE_YEARS):
            for crime_type, count in base.items():
                mean, phi = count * POLICE_PATH[area][i], POLICE_DISPERSION[crime_type]
                value = count if year == 2015 else overdispersed(rng, mean, phi)
                rows.append((area, year, crime_type, value))
            bv = BORGERVENDT[area][i]
            if (area, year) not in PUBLISHED_COUNTS:
                bv = overdispersed(rng, bv, POLICE_DISPERSION["Borgervendt kriminalitet i alt"])
            rows.append((area, year, "Borgervendt kriminalitet i alt", bv))
            rows.append(
                (
                    area,
                    year,
                    "Straffelovskriminalitet i alt",
                    int(round(bv * STRAFFELOV_FACTOR + rng.normal(0, math.sqrt(bv)))),
                )
            )
            pop.append((area, year, POPULATION[area][i]))
    for i, year in enumerate(POLICE_YEARS):
        count = 22_042 if year == 2021 else int(round(CITY_RATE[i] * CITY_POPULATION[i] / 1000))
        rows.append(("kobenhavn", year, "Borgervendt kriminalitet i alt", count))
        rows.append(
            (
                "kobenhavn",
                year,
                "Straffelovskriminalitet i alt",
                int(round(count * STRAFFELOV_FACTOR)),
            )
        )
        pop.append(("kobenhavn", year, CITY_POPULATION[i]))
    return (
        pd.DataFrame(rows, columns=["area", "year", "crime_type", "count"]),
        pd.DataFrame(pop, columns=["area", "year", "residents"]),
    )


# ------------------------------------------------------------------- activities and SSP

ACTIVITY_NAMES = [
    "Tryghedsvandring",
    "Natteravne",
    "Belysning af stier",
    "Sommerferieaktiviteter",
    "Fritidsjob til unge",
    "Beboerdialogmøde",
    "Gadeplansindsats",
    "Forældrenetværk",
    "Oprydningsdag",
    "Lektiecafé",
    "Idrætsnat",
    "Tryghedsmåling i opgange",
    "Kommunikationsindsats",
    "Kulturarrangement",
    "Mentorforløb",
    "Ungdomsklub-samarbejde",
    "Trafiksikkerhed",
    "Nabohjælp",
    "Fællesspisning",
    "Graffitifjernelse",
    "Juniorklub",
    "Legepladsfornyelse",
]
PARTNERS = [
    "Københavns Politi",
    "SSP København",
    "Sikker By",
    "Boligsocial helhedsplan",
    "Kultur- og Fritidsforvaltningen",
    "Børne- og Ungdomsforvaltningen",
    "Teknik- og Miljøforvaltningen",
    "Lokaludvalget",
    "Natteravnene",
]
HOUSING = {
    "amager": ["Boligforeningen 3B"],
    "tingbjerg_husum": ["fsb", "SAB/KAB", "AAB"],
    "folehaven": ["Boligforeningen 3B", "SAB"],
}
# Share of activities with two or more partners (synthetic; some years miss the 75 % goal).
COLLABORATION = {
    "amager": {2017: 0.70, 2018: 0.74, 2019: 0.80, 2020: 0.78},
    "tingbjerg_husum": {
        2017: 0.72,
        2018: 0.75,
        2019: 0.78,
        2020: 0.80,
        2021: 0.80,
        2022: 0.72,
        2023: 0.78,
        2024: 0.85,
    },
    "folehaven": {2022: 0.76, 2023: 0.82, 2024: 0.70, 2025: 0.80, 2026: 0.78},
}
GOAL = 0.75  #: the agreements' collaboration goal (75 % with two or more partners)
SSP = {2014: 2, 2015: 1, 2016: 1, 2017: 0, 2018: 3, 2019: 1, 2020: 1}


def activities(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for partnership, years in COLLABORATION.items():
        for year, share in years.items():
            k = int(rng.integers(14, 23))
            # a designed miss stays a miss however many activities the year has
            multi = math.ceil(share * k - 1e-9) if share >= GOAL else math.floor(share * k)
            names = rng.choice(ACTIVITY_NAMES, size=k, replace=False)
            pool = PARTNERS + HOUSING[partnership]
            for j, name in enumerate(names):
                size = int(rng.integers(2, 5)) if j < multi else 1
                chosen = rng.choice(pool, size=size, replace=False)
                rows.append((partnership, year, str(name), "; ".join(sorted(chosen))))
    return pd.DataFrame(rows, columns=["partnership", "year", "activity", "partners"])


def ssp() -> pd.DataFrame:
    return pd.DataFrame(
        {"year": list(SSP), "district": "15 Sundbyvester", "count": list(SSP.values())}
    )


# ----------------------------------------------------------------------------------- writing

DATASET_YAML = """\
# The bundled example data: SYNTHETIC, generated by src/analysis/example_data.py (seed {seed}).
name: example
synthetic: true
description: >-
  Syntetiske eksempeldata, kalibreret til offentliggjorte tal. Ikke rigtige besvarelser.
files:
  survey: survey.csv
  police: police.csv
  population: population.csv
  activities: activities.csv
  ssp: ssp.csv
"""


def _danish_csv(df: pd.DataFrame, path: Path, encoding: str) -> None:
    """';'-separated with decimal commas, as Excel writes CSV on a Danish machine."""
    df.to_csv(path, sep=";", decimal=",", index=False, encoding=encoding, float_format="%.6f")


def write(out_dir: Path = config.EXAMPLE_DIR) -> None:
    import pyreadstat

    rng = np.random.default_rng(SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    resp = survey(rng)
    crime, population = police(rng)
    _danish_csv(resp, out_dir / "survey.csv", "utf-8")
    _danish_csv(crime, out_dir / "police.csv", "cp1252")  # Windows-1252, as Excel saves
    population.to_csv(out_dir / "population.csv", index=False)
    activities(rng).to_csv(out_dir / "activities.csv", index=False)
    ssp().to_csv(out_dir / "ssp.csv", index=False)
    resp.to_excel(out_dir / "survey.xlsx", index=False, sheet_name="besvarelser")
    codes = {label: i for i, label in enumerate([*SCALE, "ved ikke"], start=1)}
    codes["ved ikke"] = 9
    sav = resp.copy()
    for col in ("safety", "safety_night"):
        sav[col] = sav[col].map(codes).astype(float)
    labels = {v: k for k, v in codes.items()}
    pyreadstat.write_sav(
        sav,
        out_dir / "survey.sav",
        variable_value_labels={"safety": labels, "safety_night": labels},
        compress=True,
    )
    (out_dir / "dataset.yaml").write_text(DATASET_YAML.format(seed=SEED), encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote the synthetic example data to {config.EXAMPLE_DIR}")
