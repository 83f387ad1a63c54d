"""Helpers for ``notebooks/explore.ipynb``: every partnership side by side."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.content_key import source_digest
from analysis.evaluation import STATUSES, Status, results_table
from analysis.evaluation.model import combined_digest
from analysis.evaluation.public import RESULT_COLUMNS
from analysis.evaluation.text import INDICATOR_LABELS
from analysis.loaders import load_dataset
from analysis.reporting import style


def load_results(data_dir: str | None = None) -> pd.DataFrame:
    """The tidy results table written by the last batch run from this very source and these
    inputs, or evaluated now if there is none (a table from other code or other data is not
    read: its columns and numbers may differ)."""
    dataset = load_dataset(data_dir)
    path = config.PROCESSED_DIR / f"{dataset.name}_results.parquet"
    if path.exists():
        results = pd.read_parquet(path)
        current = (
            list(results.columns) == list(RESULT_COLUMNS)
            and (results["package_source_sha256"] == source_digest("package")).all()
            and (results["inputs_sha256"] == combined_digest(dataset.inputs)).all()
        )
        if current:
            return results
    return results_table(dataset)


def status_counts(results: pd.DataFrame) -> pd.DataFrame:
    """How many objectives got each status, per partnership and year: the statuses in their
    defined order (strongest evidence first), not alphabetically."""
    judged = results[results["status"].notna()]
    counts = judged.groupby(["partnership", "year"])["status"].value_counts().unstack(fill_value=0)
    order = [str(s) for s in STATUSES if str(s) in counts.columns]
    return counts[order]


def status_matrix(results: pd.DataFrame):
    """Objectives × years per partnership, in Danish, coloured by status as the reports colour
    them (a pandas Styler); an objective a year does not have is blank."""
    judged = results[results["status"].notna()]
    wide = judged.pivot_table(
        index=["partnership", "objective_label", "indicator_label"],
        columns="year",
        values="status",
        aggfunc="first",
    )
    wide.index.names = ["Partnerskab", "Mål", "Indikator"]
    wide.columns.name = "År"

    def css(v: object) -> str:
        if not isinstance(v, str) or v not in Status._value2member_map_:
            return ""
        fg, bg = Status(v).colours
        return f"background-color: {bg}; color: {fg}"

    return wide.style.map(css).format(na_rep="")


#: the survey panel's areas, in Danish, with the reports' colours (the city grey, as there)
PANEL_AREAS = {
    "amager_partnerskab": ("Amager Partnerskab", style.AREA_COLOUR),
    "tingbjerg_husum": ("Tingbjerg-Husum", "#8e44ad"),
    "folehaven": ("Folehaven", "#d35400"),
    "kobenhavn": ("Hele København", style.CITY_COLOUR),
}


def survey_panel(data_dir: str | None = None):
    """Unsafe and safe shares of the three partnership areas and the city, all years."""
    import seaborn as sns

    survey = load_dataset(data_dir).survey
    data = survey[survey["area"].isin(PANEL_AREAS)].assign(
        Procent=lambda d: d["share"] * 100,
        Område=lambda d: d["area"].map(lambda a: PANEL_AREAS[a][0]),
        Indikator=lambda d: d["indicator"].map(INDICATOR_LABELS),
        År=lambda d: d["year"],
    )
    grid = sns.relplot(
        data=data,
        x="År",
        y="Procent",
        hue="Område",
        palette={name: colour for name, colour in PANEL_AREAS.values()},
        col="Indikator",
        col_wrap=2,
        kind="line",
        marker="o",
        height=2.6,
        aspect=1.4,
        facet_kws={"sharey": False},
    )
    grid.set_titles("{col_name}")
    grid.set_axis_labels("År", "Procent")
    return grid
