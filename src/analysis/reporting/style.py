"""The stylesheet, the page templates and the colours shared by the plots, the report tables,
the index page and the status documents (the statuses' own colours are defined with the
statuses, in :mod:`analysis.evaluation.status`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, Template, select_autoescape

if TYPE_CHECKING:  # the annotation only: the worker processes import this module for its paths,
    # and the statuses' package would bring the statistics with it (1.1 s of each worker's start)
    from analysis.evaluation.status import Status

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
#: the one stylesheet of every page the project writes (reports, index, status document)
REPORT_CSS = TEMPLATES / "report.css"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("analysis", "templates"), autoescape=select_autoescape(["html", "j2"])
    )


def page_template(name: str) -> Template:
    """A page template of ``templates/`` (the index's, the status document's), compiled once per
    process (compiling one takes longer than rendering it)."""
    return _environment().get_template(name)


#: series colours: the partnership area, its district, the whole city
AREA_COLOUR = "#0b5394"
DISTRICT_COLOUR = "#6aa84f"
CITY_COLOUR = "#7f7f7f"
BASELINE_COLOUR = "#b71c1c"
PERIOD_SHADE = "#fff2cc"
#: figure width that fits an A4 page with margins, in inches
A4_WIDTH = 7.0


def status_badge(status: Status) -> str:
    """The status as text on its colour: the words carry the meaning, the colour repeats it."""
    fg, bg = status.colours
    return (
        f'<span class="status-badge" style="background:{bg};color:{fg};padding:0.1em 0.5em;'
        f'border-radius:0.7em;font-weight:600;white-space:nowrap">{status}</span>'
    )
