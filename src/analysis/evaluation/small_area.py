"""Information beside the survey objectives: the partnership area's model-based share
(:mod:`analysis.stats.small_area`), fitted over every non-overlapping domain the survey measures
up to the evaluated year, shown next to the direct share and never instead of it.

The domains are the partnership areas, the rest of their districts and the districts without a
partnership area, each with its own level and trend (a district that contains an area overlaps
it, and the city contains all: both are left out, so that the domains' sampling errors are
independent). An area whose boundary
changed is a new domain from the change on (and so is the rest of its district). A share below
the respondent floor is not used and gets no model-based share. The police rates are not a
covariate: the data hold them for the partnership areas and the city only, not for the other
domains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.evaluation import text
from analysis.evaluation.model import Cell
from analysis.loaders.survey import surroundings_id
from analysis.reference import Reference
from analysis.stats.small_area import design_matrix, model_shares

#: the area's rows: one per year with the direct and the model-based share
MODEL_COLUMNS = [
    "indicator",
    "year",
    "direct",
    "direct_se",
    "model",
    "ci_low",
    "ci_high",
    "model_se",
    "shrinkage",
]
#: one row per indicator: the fit's diagnostics, or why there is no model
FIT_COLUMNS = [
    "indicator",
    "from_year",
    "to_year",
    "n_domains",
    "n_fixed",
    "model_variance",
    "residual_sd",
    "residuals_beyond_2",
    "method",
    "reason",
]


#: the fewest domains a model is fitted to (each needs its own level), and the fewest years
#: the area's own domain needs: its level is estimated from them, and from one year alone the
#: model has nothing to borrow (its MSE is above the direct estimate's)
MIN_DOMAINS = 3
MIN_YEARS = 2


def _why_not(frame: pd.DataFrame, area: str, year: int, n_fixed: int) -> str:
    """Why no model with ``n_fixed`` fixed effects can be fitted ("": it can): a code of
    :data:`text.NO_MODEL`."""
    now = frame[(frame["area"] == area) & (frame["year"] == year)]
    if now.empty:
        return "no_share"
    if (frame["domain"] == now["domain"].iloc[0]).sum() < MIN_YEARS:
        return "new_domain"
    if frame["domain"].nunique() < MIN_DOMAINS:
        return "few_domains"
    # the fixed effects, A, and a degree of freedom left
    if len(frame) < n_fixed + 2:
        return "few_years"
    return ""


def _domain_frame(
    cells: dict[tuple[str, str, int], Cell], reference: Reference, indicator: str, year: int
) -> pd.DataFrame:
    areas = reference.areas
    partnership = areas.loc[areas["kind"] == "partnership"]
    home = set(partnership["district"])
    own = set(partnership["area"])
    rest = {surroundings_id(a, "rest_of_district"): a for a in own}
    districts = set(areas.loc[areas["kind"] == "district", "area"]) - home
    rows = []
    for (area, ind, y), cell in cells.items():
        if ind != indicator or y > year or not (cell.enough and cell.testable):
            continue
        base = rest.get(area, area)
        if base in own:
            since = reference.last_boundary_year(base, y)
            domain = area if since is None else f"{area}@{since}"
        elif area in districts:
            domain = area
        else:
            continue
        rows.append((domain, area, y, cell.share, cell.n_eff))
    return pd.DataFrame(rows, columns=["domain", "area", "year", "share", "n_eff"])


def model_tables(
    area: str,
    cells: dict[tuple[str, str, int], Cell],
    reference: Reference,
    indicators: tuple[str, ...],
    year: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The area's model-based shares (:data:`MODEL_COLUMNS`) and each indicator's fit
    (:data:`FIT_COLUMNS`) for an evaluation of ``year``."""
    shares, fits = [], []
    for ind in indicators:
        frame = _domain_frame(cells, reference, ind, year)
        frame = frame.sort_values(["domain", "year"]).reset_index(drop=True)
        x = design_matrix(frame["domain"], frame["year"])
        this_year = cells.get((area, ind, year))
        published = this_year is not None and this_year.enough and not this_year.testable
        reason = "no_n" if published else _why_not(frame, area, year, x.shape[1])
        if not reason:
            try:
                fit = model_shares(frame, x=x)
            except np.linalg.LinAlgError:  # domains and years that do not identify the model
                reason = "not_identified"
        if reason:
            fits.append({"indicator": ind, "reason": text.NO_MODEL[reason]})
            continue
        mine = fit.shares[frame["area"].to_numpy() == area]
        shares.append(mine.drop(columns="domain").assign(indicator=ind))
        fits.append(
            {
                "indicator": ind,
                "from_year": int(frame["year"].min()),
                "to_year": int(frame["year"].max()),
                "n_domains": fit.n_domains,
                "n_fixed": fit.n_fixed,
                "model_variance": fit.model_variance,
                "residual_sd": fit.residual_sd,
                "residuals_beyond_2": fit.residuals_beyond_2,
                "method": fit.method,
                "reason": "",
            }
        )
    model = pd.concat(shares, ignore_index=True) if shares else pd.DataFrame()
    return (
        model.reindex(columns=MODEL_COLUMNS),
        pd.DataFrame(fits).reindex(columns=FIT_COLUMNS),
    )
