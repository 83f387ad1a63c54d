"""Colours and labels shared by the plots, the report tables and the index page."""

from __future__ import annotations

#: status -> (text colour, background colour)
STATUS_COLOURS = {
    "opfyldt": ("#1b5e20", "#c8e6c9"),
    "ikke opfyldt": ("#b71c1c", "#ffcdd2"),
    "ikke signifikant": ("#7a5c00", "#ffecb3"),
    "baseline mangler": ("#37474f", "#cfd8dc"),
    "data mangler": ("#424242", "#e0e0e0"),
    "for få besvarelser": ("#4a148c", "#e1bee7"),
}
#: series colours: the partnership area, its district, the whole city
AREA_COLOUR = "#0b5394"
DISTRICT_COLOUR = "#6aa84f"
CITY_COLOUR = "#7f7f7f"
BASELINE_COLOUR = "#b71c1c"
PERIOD_SHADE = "#fff2cc"
#: figure width that fits an A4 page with margins, in inches
A4_WIDTH = 7.0


def status_badge(status: str) -> str:
    fg, bg = STATUS_COLOURS[status]
    return (f'<span style="background:{bg};color:{fg};padding:2px 8px;border-radius:10px;'
            f'font-weight:600;white-space:nowrap">{status}</span>')
