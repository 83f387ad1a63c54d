"""``evaluate(agreement, year, dataset, reference)``: the one function behind the notebook, the
batch runner and the index page. A pure function of loaded inputs: it reads and writes nothing
(loading happens in the caller, see :mod:`analysis.evaluation.inputs`)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis import __version__, config
from analysis.agreements import Agreement, agreement_for
from analysis.content_key import source_digest
from analysis.evaluation import text
from analysis.evaluation.crime import CrimeEvaluator
from analysis.evaluation.model import Evaluation, ObjectiveRow
from analysis.evaluation.plan import collaboration_row, ssp_row
from analysis.evaluation.public import results_frame
from analysis.evaluation.scope import evaluable_years
from analysis.evaluation.small_area import model_tables
from analysis.evaluation.status import Status
from analysis.evaluation.surroundings import SurroundingsEvaluator
from analysis.evaluation.survey import SurveyEvaluator, changes_frame, series, trends_frame
from analysis.loaders import Dataset
from analysis.reference import BoundaryBreak, Reference


def evaluate(agreement: Agreement, year: int, dataset: Dataset, reference: Reference) -> Evaluation:
    """Judge every objective of ``agreement`` in ``year`` on the loaded ``dataset``.

    Missing data never fails the evaluation: the objective gets "data mangler".
    """
    if not agreement.covers(year):
        raise LookupError(
            f"the agreement {agreement.id} ({agreement.period}) does not cover {year}"
        )
    ds = dataset
    area, district = agreement.area.survey_area, agreement.area.district
    sv = SurveyEvaluator(agreement, year, ds.survey, reference, ds.survey_design)
    cv = CrimeEvaluator(agreement, year, ds.police, ds.population, reference=reference)
    rows: list[ObjectiveRow] = sv.rows() + cv.rows()
    plan_rows = (
        collaboration_row(agreement, year, ds.activities),
        ssp_row(agreement, year, ds.ssp),
    )
    rows += [r for r in plan_rows if r is not None]
    rows = [_say_missing_kind(r, ds) for r in rows]

    notes = []
    if year == agreement.period.first_year:
        notes.append(text.first_year_note(year))
    if not any(r.status is Status.DATA_MISSING for r in rows if r.objective == "crime"):
        notes.append(text.police_year_note(year))

    warnings = _assumed_design_effect(ds.survey, [area, "kobenhavn"], year)
    around = SurroundingsEvaluator(agreement, year, sv.data, ds.police, ds.population, reference)
    needs = around.sample_sizes(
        {
            c.indicator: c.mde
            for c in sv.comparisons
            if c.comparison == "previous_year" and c.boundary is None
        }
    )
    breaks = _breaks_compared(rows, sv.comparisons, area, reference)
    model = model_tables(area, sv.data, reference, agreement.survey.indicators, year)
    published = reference.published
    published = published[published["area"].isin([area, district, "kobenhavn"])]
    return Evaluation(
        partnership=agreement.partnership,
        partnership_name=agreement.name,
        year=year,
        agreement_id=agreement.id,
        agreement_period=str(agreement.period),
        agreement_title=text.agreement_citation(
            agreement.name,
            agreement.period.start,
            agreement.period.end,
            agreement.period.first_year,
        ),
        area=area,
        district=district,
        area_name=reference.area_name(area),
        district_name=reference.area_name(district),
        synthetic=ds.synthetic,
        dataset_name=ds.name,
        objectives=rows,
        survey_series=series(
            ds.survey[ds.survey["year"] <= year],
            [area, district, "kobenhavn"],
            agreement.survey.indicators,
        ),
        survey_changes=changes_frame(sv.comparisons),
        survey_trends=trends_frame(sv.trends),
        survey_model=model[0],
        survey_model_fit=model[1],
        crime_series=cv.series(),
        monitoring=cv.monitoring(),
        published=published.reset_index(drop=True),
        notes=notes,
        warnings=warnings,
        provenance={
            "agreement_id": agreement.id,
            "agreement_file": agreement.path.name,
            "agreement_sha256": agreement.sha256,
            "agreement_source": agreement.source,
            "dataset": ds.name,
            "data_dir": str(ds.source_dir),
            "inputs_sha256": ds.inputs,
            "package_version": __version__,
            "package_source_sha256": source_digest("package"),
            "parameters": {
                "partnership": agreement.partnership,
                "year": year,
                "alpha": config.ALPHA,
                "power": config.POWER,
                "min_respondents": config.MIN_RESPONDENTS,
                "dispersion_years": config.DISPERSION_YEARS,
                "min_dispersion_df": config.MIN_DISPERSION_DF,
            },
        },
        survey_direction=agreement.survey.direction,
        surroundings=around.survey() + around.crime(),
        sample_sizes=needs,
        pooled=around.pooled(needs),
        breaks=breaks,
    )


def _breaks_compared(rows, comparisons, area: str, reference: Reference) -> list[BoundaryBreak]:
    """The boundary changes between figures that this evaluation compares, each once."""
    years = {r.boundary_year for r in rows} | {
        c.boundary.year for c in comparisons if c.boundary is not None
    }
    years.discard(None)
    found = [reference.boundary_break(area, y - 1, y) for y in sorted(years)]
    return [b for b in found if b is not None]


#: the file kinds each objective needs (any one of them)
KINDS_NEEDED = {
    "survey_annual": ("survey", "survey_aggregate"),
    "survey_city_level": ("survey", "survey_aggregate"),
    "crime": ("police",),
    "collaboration": ("activities",),
    "ssp": ("ssp",),
}


def _say_missing_kind(row: ObjectiveRow, ds: Dataset) -> ObjectiveRow:
    """'data mangler' because the data folder has no file of the kind the objective needs."""
    if row.status is not Status.DATA_MISSING:
        return row
    needed = KINDS_NEEDED.get(row.objective, ())
    missing = needed[0] if not set(needed) & set(ds.kinds) else None
    if (
        missing is None
        and row.objective == "crime"
        and "population" not in ds.kinds
        and "pr. 1.000" in row.indicator_label
    ):
        missing = "population"
    if missing is None:
        return row
    return dataclasses.replace(row, explanation=text.no_file_of_kind(ds.name, missing))


def _assumed_design_effect(survey: pd.DataFrame, areas: list[str], year: int) -> list[str]:
    """A visible warning when aggregate shares came without a design effect (1 assumed)."""
    used = survey[survey["area"].isin(areas) & (survey["year"] <= year)]
    if "deff_assumed" not in used or not used["deff_assumed"].any():
        return []
    years = sorted(set(used.loc[used["deff_assumed"], "year"].astype(int)))
    return [text.assumed_design_effect(years[0], years[-1])]


def evaluate_all(
    dataset: Dataset, agreements: list[Agreement], reference: Reference
) -> pd.DataFrame:
    """The tidy results table: one row per partnership x year x objective x indicator."""
    frames = [
        results_frame(evaluate(agreement_for(p, y, agreements), y, dataset, reference))
        for p, y in evaluable_years(dataset, agreements)
    ]
    return pd.concat(frames, ignore_index=True)
