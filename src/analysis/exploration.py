"""Helpers for ``notebooks/explore.ipynb``: every partnership side by side."""

from __future__ import annotations

import pandas as pd

from analysis import __version__, config
from analysis.evaluation import Status, results_table
from analysis.loaders import load_dataset


def load_results(data_dir: str | None = None) -> pd.DataFrame:
    """The tidy results table written by the last batch run with this package version, or
    evaluated now if there is none."""
    dataset = load_dataset(data_dir)
    path = config.PROCESSED_DIR / f"{dataset.name}_results.parquet"
    if path.exists():
        results = pd.read_parquet(path)
        if (results["package_version"] == __version__).all():
            return results
    return results_table(dataset)


def status_matrix(results: pd.DataFrame):
    """Objectives × years per partnership, coloured by status (a pandas Styler)."""
    wide = results.pivot_table(
        index=["partnership", "objective", "indicator"],
        columns="year",
        values="status",
        aggfunc="first",
    )

    def css(v: object) -> str:
        if not isinstance(v, str) or v not in Status._value2member_map_:
            return ""
        fg, bg = Status(v).colours
        return f"background-color: {bg}; color: {fg}"

    return wide.style.map(css)


def survey_panel(data_dir: str | None = None):
    """Unsafe and safe shares of the three partnership areas and the city, all years."""
    import seaborn as sns

    survey = load_dataset(data_dir).survey
    areas = ["amager_partnerskab", "tingbjerg_husum", "folehaven", "kobenhavn"]
    data = survey[survey["area"].isin(areas)].assign(percent=lambda d: d["share"] * 100)
    grid = sns.relplot(
        data=data,
        x="year",
        y="percent",
        hue="area",
        col="indicator",
        col_wrap=2,
        kind="line",
        marker="o",
        height=2.6,
        aspect=1.4,
        facet_kws={"sharey": False},
    )
    grid.set_axis_labels("År", "Procent")
    return grid
