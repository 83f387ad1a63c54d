"""One pandera schema per input kind (the data dictionary in ``data/README.md`` describes them).

Cells arrive as text; :mod:`analysis.loaders.validation` converts the numeric columns first
(reporting unparseable cells by row), then validates lazily against these models so that every
problem in a file is listed at once.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Category, Series

from analysis import config
from analysis.agreements import partnerships
from analysis.indicators import ANSWERS, SURVEY_INDICATORS
from analysis.reference import area_ids, crime_type_map, ssp_districts

YEARS = {"ge": config.YEAR_MIN, "le": config.YEAR_MAX}
DISTRICTS = area_ids("district")
PARTNERSHIP_AREAS = area_ids("partnership")
ALL_AREAS = area_ids()
REPORT_AREAS = [*PARTNERSHIP_AREAS, "kobenhavn"]
SSP_DISTRICTS = ssp_districts()["district"].tolist()


class _Strict:
    strict = True
    coerce = False


class SurveyMicrodata(pa.DataFrameModel):
    """One row per respondent; the coded text columns are categoricals (millions of rows, a few
    distinct values)."""

    respondent_id: Series[str]
    year: Series[int] = pa.Field(**YEARS)
    district: Series[Category] = pa.Field(isin=DISTRICTS)
    area: Series[Category] = pa.Field(isin=PARTNERSHIP_AREAS, nullable=True)
    weight: Series[float] = pa.Field(gt=0)
    safety: Series[Category] = pa.Field(isin=list(ANSWERS), nullable=True)
    safety_night: Series[Category] = pa.Field(isin=list(ANSWERS), nullable=True)

    class Config(_Strict):
        pass


class SurveyAggregate(pa.DataFrameModel):
    """One row per area, year and indicator: a published share (or count) and its n."""

    area: Series[str] = pa.Field(isin=ALL_AREAS)
    year: Series[int] = pa.Field(**YEARS)
    indicator: Series[str] = pa.Field(isin=list(SURVEY_INDICATORS))
    share: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    count: Series[float] = pa.Field(ge=0, nullable=True)
    n: Series[float] = pa.Field(gt=0, nullable=True)
    deff: Series[float] = pa.Field(ge=1, nullable=True)

    class Config(_Strict):
        pass


class PoliceReports(pa.DataFrameModel):
    """Reports per area, year and police crime type."""

    area: Series[str] = pa.Field(isin=REPORT_AREAS)
    year: Series[int] = pa.Field(**YEARS)
    crime_type: Series[str] = pa.Field(isin=sorted(crime_type_map()))
    count: Series[int] = pa.Field(ge=0)

    class Config(_Strict):
        pass


class Population(pa.DataFrameModel):
    """Inhabitants per area and year (the exposure for rates per 1,000)."""

    area: Series[str] = pa.Field(isin=REPORT_AREAS)
    year: Series[int] = pa.Field(**YEARS)
    residents: Series[int] = pa.Field(gt=0)

    class Config(_Strict):
        pass


class Activities(pa.DataFrameModel):
    """The safety plan's activities; ``partners`` lists the partners, separated by ; , or |."""

    partnership: Series[str] = pa.Field(isin=partnerships())
    year: Series[int] = pa.Field(**YEARS)
    activity: Series[str]
    partners: Series[str]

    class Config(_Strict):
        pass


class SspActivations(pa.DataFrameModel):
    """SSP's extraordinary activations per year and SSP district."""

    year: Series[int] = pa.Field(**YEARS)
    district: Series[str] = pa.Field(isin=SSP_DISTRICTS)
    count: Series[int] = pa.Field(ge=0)

    class Config(_Strict):
        pass
