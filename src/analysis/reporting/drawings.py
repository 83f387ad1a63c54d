"""A report's survey figure as its kernel drew it, kept for the year's status document.

The status document shows each partnership's survey figure, the same figure the report shows
(the same function of the same saved evaluation). Drawing it is most of a status document's
work, so the batch's report kernel saves the drawing it makes anyway, the SVG the report
embeds, with the PNG the Word document embeds (:func:`save`, as ``survey.svg`` and
``survey.png`` beside the saved evaluation). The worker moves the pair into the run's own
folder (:func:`move`), and the status job reads it there (:func:`load`).

That folder is made for one batch run and removed after it, so a drawing read from it was made
in this run from the evaluation saved with it. A report not rendered in this run (unchanged,
skipped) has no drawing there, and its status document draws the figure itself: the same bytes
either way (tested).
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.atomic import write_atomically, write_text

#: what the report's kernel writes beside its saved evaluation
NAME = "survey"


def save(folder: Path, svg: str, png: bytes) -> None:
    """The drawing beside the saved evaluation in ``folder``."""
    write_text(folder / f"{NAME}.svg", svg)
    write_atomically(folder / f"{NAME}.png", lambda tmp: tmp.write_bytes(png))


def stem(partnership: str, year: int) -> str:
    """A partnership-year's name in the run's drawings folder."""
    return f"{partnership}-{year}"


def move(folder: Path, drawings: Path, partnership: str, year: int) -> None:
    """Move the drawing the kernel saved in ``folder`` (if it drew one: a report without
    survey data has none) into the run's ``drawings`` folder."""
    for suffix in (".svg", ".png"):
        src = folder / f"{NAME}{suffix}"
        if src.exists():
            os.replace(src, drawings / f"{stem(partnership, year)}{suffix}")


def load(drawings: Path, partnership: str, year: int) -> tuple[str, bytes] | None:
    """The drawing made in this run for the partnership-year (None: the figure is drawn)."""
    svg, png = (drawings / f"{stem(partnership, year)}{s}" for s in (".svg", ".png"))
    if not (svg.exists() and png.exists()):
        return None
    return svg.read_text(encoding="utf-8"), png.read_bytes()
