"""``evaluate(partnership, year)``: the one function behind the notebook, the batch runner and
the index page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import __version__, config
from analysis.agreements import Agreement, agreement_for, load_agreements
from analysis.evaluation.crime import CrimeEvaluator
from analysis.evaluation.model import Evaluation, ObjectiveRow
from analysis.evaluation.plan import collaboration_row, ssp_row
from analysis.evaluation.scope import evaluable_years
from analysis.evaluation.surroundings import SurroundingsEvaluator
from analysis.evaluation.survey import SurveyEvaluator, changes_frame, series, trends_frame
from analysis.loaders import Dataset, load_dataset
from analysis.loaders.dataset import sha256
from analysis.published import load_published_figures
from analysis.reference import area_name, boundary_changes


def evaluate(
    partnership: str,
    year: int,
    data_dir: Path | str | None = None,
    dataset: Dataset | None = None,
    agreements: list[Agreement] | None = None,
) -> Evaluation:
    """Judge every objective of the agreement in force for ``partnership`` in ``year``.

    Raises LookupError (listing the agreements' periods) when no agreement covers the year.
    Missing data never fails the evaluation: the objective gets "data mangler".
    """
    agreement = agreement_for(partnership, year, agreements)
    ds = dataset if dataset is not None else load_dataset(data_dir)
    area, district = agreement.area.survey_area, agreement.area.district

    sv = SurveyEvaluator(agreement, year, ds.survey)
    cv = CrimeEvaluator(agreement, year, ds.police, ds.population)
    rows: list[ObjectiveRow] = sv.rows() + cv.rows()
    rows += [
        r
        for r in (
            collaboration_row(agreement, year, ds.activities),
            ssp_row(agreement, year, ds.ssp),
        )
        if r is not None
    ]

    notes = []
    if year == agreement.period.first_year:
        notes.append(
            f"{year} er aftalens første år; sammenligningen med forrige år går til "
            f"{year - 1}, før aftalen trådte i kraft."
        )
    changes = boundary_changes()
    relevant = (changes["area"] == area) & (changes["year"] <= year)
    for r in changes[relevant].itertuples():
        notes.append(str(r.note))
    if not any(r.status == "data mangler" for r in rows if r.objective == "crime"):
        notes.append(
            f"Politiets tal er for kalenderåret {year}; Tryghedsundersøgelsen {year} "
            f"er indsamlet i vinteren {year - 1}/{year}."
        )

    warnings = _assumed_design_effect(ds.survey, [area, "kobenhavn"], year)
    around = SurroundingsEvaluator(agreement, year, ds.survey, ds.police, ds.population)
    needs = around.sample_sizes()
    published = load_published_figures()
    published = published[published["area"].isin([area, district, "kobenhavn"])]
    return Evaluation(
        partnership=partnership,
        partnership_name=agreement.name,
        year=year,
        agreement_id=agreement.id,
        agreement_period=str(agreement.period),
        area=area,
        district=district,
        area_name=area_name(area),
        district_name=area_name(district),
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
        crime_series=cv.series(),
        monitoring=cv.monitoring(),
        published=published.reset_index(drop=True),
        notes=notes,
        warnings=warnings,
        provenance={
            "agreement_id": agreement.id,
            "agreement_file": agreement.path.name,
            "agreement_sha256": sha256(agreement.path),
            "agreement_source": agreement.source,
            "dataset": ds.name,
            "data_dir": str(ds.source_dir),
            "inputs_sha256": ds.inputs,
            "package_version": __version__,
            "parameters": {
                "partnership": partnership,
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
    )


def _assumed_design_effect(survey: pd.DataFrame, areas: list[str], year: int) -> list[str]:
    """A visible warning when aggregate shares came without a design effect (1 assumed)."""
    used = survey[survey["area"].isin(areas) & (survey["year"] <= year)]
    if "deff_assumed" not in used or not used["deff_assumed"].any():
        return []
    years = sorted(set(used.loc[used["deff_assumed"], "year"].astype(int)))
    return [
        f"Designeffekten er ikke oplyst for de aggregerede andele ({years[0]}–{years[-1]}); "
        "der er antaget 1, som om alle svar vejede ens. Vægtede data har normalt en "
        "designeffekt over 1, så testene kan kalde ændringer signifikante, som ikke er det. "
        "Angiv designeffekten pr. række (kolonnen deff) eller i dataset.yaml (deff)."
    ]


def evaluate_all(
    dataset: Dataset | None = None, agreements: list[Agreement] | None = None
) -> pd.DataFrame:
    """The tidy results table: one row per partnership x year x objective x indicator."""
    dataset = dataset if dataset is not None else load_dataset()
    agreements = agreements if agreements is not None else load_agreements()
    frames = [
        evaluate(p, y, dataset=dataset, agreements=agreements).objectives_frame()
        for p, y in evaluable_years(dataset, agreements)
    ]
    return pd.concat(frames, ignore_index=True)
