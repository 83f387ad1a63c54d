"""Which partnership-years can be evaluated (cheap: no statistics are loaded)."""

from __future__ import annotations

from analysis.agreements import Agreement, load_agreements
from analysis.loaders import Dataset


def evaluable_years(
    dataset: Dataset, agreements: list[Agreement] | None = None
) -> list[tuple[str, int]]:
    """Every (partnership, year) inside an agreement for which survey or police data exist."""
    agreements = agreements if agreements is not None else load_agreements()
    survey_years = dataset.survey.groupby("area")["year"].agg(set).to_dict()
    police_years = dataset.police.groupby("area")["year"].agg(set).to_dict()
    out = []
    for a in agreements:
        area = a.area.survey_area
        have = survey_years.get(area, set()) | police_years.get(area, set())
        out += [(a.partnership, y) for y in a.period.years if y in have]
    return out
