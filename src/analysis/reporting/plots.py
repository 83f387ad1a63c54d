"""The report's figures (seaborn on matplotlib), sized for A4 and coloured consistently.

Figures are made outside pyplot (nothing global to close, nothing a notebook shows on its own)
and shown by :class:`analysis.reporting.notebook.Figure` as SVG.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import matplotlib.ticker
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.evaluation import Evaluation
from analysis.evaluation.text import INDICATOR_LABELS, surroundings_label
from analysis.reporting import style

#: A fixed title height: otherwise matplotlib measures every axis to place its title, about a
#: third of the drawing time.
sns.set_theme(context="paper", style="whitegrid", font_scale=1.1, rc={"axes.titley": 1.0})


def _ticks(ax: Axes, years: Iterable[float], most: int, y_bins: int, integer: bool = False) -> None:
    """Whole years on x (at most ``most``, evenly spaced) and a few round values on y.

    Every tick is a handful of artists that matplotlib creates and measures one by one, the
    bulk of the drawing time, so the axes get no more ticks than a reader needs.
    """
    years = [int(y) for y in years]
    span = range(min(years), max(years) + 1)
    ax.set_xticks(list(span[:: -(-len(span) // most)]))
    ax.yaxis.set_major_locator(
        matplotlib.ticker.MaxNLocator(nbins=y_bins, steps=[1, 2, 5, 10], integer=integer)
    )


def _margins(
    fig: Figure,
    left: float = 0.6,
    right: float = 0.12,
    top: float = 0.35,
    bottom: float = 0.45,
    wspace: float = 0.3,
    hspace: float = 0.6,
) -> None:
    """Fixed margins in inches: a layout without the extra draw that tight_layout costs."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / w,
        right=1 - right / w,
        top=1 - top / h,
        bottom=bottom / h,
        wspace=wspace,
        hspace=hspace,
    )


def survey_figure(ev: Evaluation) -> Figure:
    """The area's share per year with 95 % CIs beside the district and the city."""
    data = ev.survey_series
    indicators = list(dict.fromkeys(data["indicator"]))
    fig = Figure(figsize=(style.A4_WIDTH, 3.6))
    axes = fig.subplots(1, max(1, len(indicators)), squeeze=False)
    first, last = ev.period_years
    series = [
        (ev.area, style.AREA_COLOUR, ev.area_name),
        (ev.district, style.DISTRICT_COLOUR, ev.district_name),
        ("kobenhavn", style.CITY_COLOUR, "Hele København"),
    ]
    for ax, ind in zip(axes[0], indicators, strict=False):
        sub = data[data["indicator"] == ind]
        ax.axvspan(
            first - 0.5, last + 0.5, color=style.PERIOD_SHADE, zorder=0, label="Aftaleperioden"
        )
        for area, colour, name in series:
            s = sub[sub["area"] == area].sort_values("year")
            if s.empty:
                continue
            ax.fill_between(
                s["year"],
                s["ci_low"] * 100,
                s["ci_high"] * 100,
                color=colour,
                alpha=0.18,
                linewidth=0,
            )
            ax.plot(
                s["year"],
                s["share"] * 100,
                marker="o",
                ms=3.5,
                color=colour,
                label=name,
                linewidth=1.8 if area == ev.area else 1.2,
            )
        model = ev.survey_model
        model = model[model["indicator"] == ind].sort_values("year")
        if not model.empty:
            ax.plot(
                model["year"],
                model["model"] * 100,
                linestyle="--",
                color=style.AREA_COLOUR,
                linewidth=1.4,
                label="Modelbaseret skøn for området",
            )
        pub = ev.published[
            (ev.published["indicator"] == ind)
            & ev.published["area"].isin([ev.area, "kobenhavn"])
            & ev.published["year"].between(sub["year"].min(), ev.year)
        ]
        if not pub.empty:
            ax.scatter(
                pub["year"],
                pub["value"],
                marker="x",
                s=22,
                color="black",
                zorder=5,
                linewidths=1,
                label="Offentliggjort tal",
            )
        ax.axvline(ev.year, color="black", linewidth=0.8, linestyle=":")
        ax.set_title(INDICATOR_LABELS[ind], fontsize=9.5)
        ax.set_xlabel("Tryghedsundersøgelsen (år)")
        ax.set_ylabel("Procent af beboerne")
        _ticks(ax, [*sub["year"], last], most=7, y_bins=5)
    handles, labels = axes[0][0].get_legend_handles_labels()
    for ax in axes[0][1:]:  # a label only the second panel has (published figures) counts too
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(
        handles,
        labels,
        loc="lower center",
        ncol=3,
        frameon=False,
        fontsize=8,
        bbox_to_anchor=(0.5, 0.0),
    )
    _margins(fig, bottom=1.15, wspace=0.25)
    return fig


def crime_figure(ev: Evaluation) -> Figure | None:
    """Target indicators per year against their baseline, with exact Poisson 95 % CIs."""
    data = ev.crime_series[ev.crime_series["role"] == "target"]
    if data.empty:
        return None
    labels = list(dict.fromkeys(data["label"]))
    cols = 2 if len(labels) <= 4 else 3
    rows = -(-len(labels) // cols)
    fig = Figure(figsize=(style.A4_WIDTH, 2.3 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    baselines = {o.indicator: o.reference.estimate for o in ev.objectives if o.objective == "crime"}
    for ax, label in zip(axes.flat, labels, strict=False):
        s = data[data["label"] == label].sort_values("year")
        ind = s["indicator"].iloc[0]
        ax.errorbar(
            s["year"],
            s["value"],
            yerr=[s["value"] - s["ci_low"], s["ci_high"] - s["value"]],
            fmt="o-",
            ms=3.5,
            color=style.AREA_COLOUR,
            ecolor="#9fb7d6",
            capsize=2,
        )
        base = baselines.get(ind)
        if base is not None and base == base:
            ax.axhline(
                base, color=style.BASELINE_COLOUR, linestyle="--", linewidth=1, label="Baseline"
            )
        ax.set_title(textwrap.fill(label, 30), fontsize=9)
        ax.set_ylim(bottom=0)
        _ticks(ax, s["year"], most=6, y_bins=5)
        ax.set_ylabel(
            "pr. 1.000"
            if s["unit"].iloc[0] == "per_1000"
            else ("Anmeldelser" if ax in axes[:, 0] else "")
        )
    for ax in list(axes.flat)[len(labels) :]:
        ax.set_visible(False)
    _margins(fig, top=0.5, bottom=0.35, wspace=0.35, hspace=0.75)
    return fig


def monitoring_figure(ev: Evaluation) -> Figure | None:
    """Monitored crime types as small multiples (counts per year, no target)."""
    data = ev.crime_series[ev.crime_series["role"] == "monitored"]
    if data.empty:
        return None
    labels = list(dict.fromkeys(data["label"]))
    fig = Figure(figsize=(style.A4_WIDTH, 2.1))
    axes = fig.subplots(1, len(labels), squeeze=False)
    for ax, label in zip(axes[0], labels, strict=True):
        s = data[data["label"] == label].sort_values("year")
        ax.plot(s["year"], s["count"], marker="o", ms=3, color=style.AREA_COLOUR)
        ax.set_title(label, fontsize=9)
        ax.set_ylim(bottom=0)
        _ticks(ax, s["year"], most=3, y_bins=4, integer=True)
    axes[0][0].set_ylabel("Anmeldelser")
    _margins(fig, top=0.3, bottom=0.35, wspace=0.4)
    return fig


def surroundings_figure(ev: Evaluation) -> Figure | None:
    """The area's change in each survey share since the starting point beside the rest of its
    district and the rest of the city, with 95 % intervals (information, no target)."""
    found = [c for c in ev.surroundings if c.kind == "survey" and c.result is not None]
    if not found:
        return None
    indicators = list(dict.fromkeys(c.indicator for c in found))
    fig = Figure(figsize=(style.A4_WIDTH, 0.9 + 0.75 * len(indicators) * 3 / 2))
    # one set of group names, on the left, wrapped: a long area name is never clipped or
    # drawn over the next panel
    axes = fig.subplots(1, len(indicators), squeeze=False, sharex=True, sharey=True)
    z = 1.959964
    for ax, ind in zip(axes[0], indicators, strict=True):
        rows = [c for c in found if c.indicator == ind]
        first = rows[0]
        points = [(ev.area_name, first.area_change, first.area_se, style.AREA_COLOUR)]
        points += [
            (
                _upper_first(surroundings_label(c.comparison, ev.district_name)),
                c.other_change,
                c.other_se,
                style.DISTRICT_COLOUR if c.comparison == "rest_of_district" else style.CITY_COLOUR,
            )
            for c in rows
        ]
        for i, (_, change, se, colour) in enumerate(points):
            ax.errorbar(
                [change * 100],
                [i],
                xerr=[[z * se * 100], [z * se * 100]],
                fmt="o",
                color=colour,
                capsize=3,
                ms=5,
            )
        ax.set_yticks(range(len(points)), [textwrap.fill(p[0], 22) for p in points])
        ax.tick_params(axis="y", labelleft=ax is axes[0][0])
        if ax is axes[0][0]:
            ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(
            textwrap.fill(f"{INDICATOR_LABELS[ind]}, {first.from_year}–{first.to_year}", 40),
            fontsize=9,
        )
        ax.set_xlabel("Ændring (procentpoint)")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5))
    _margins(fig, left=1.6, top=0.45, bottom=0.55, wspace=0.15)
    return fig


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
