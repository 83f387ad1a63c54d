"""A report's survey figure as its kernel drew it, kept for the year's status document.

The status document shows each partnership's survey figure, the same figure the report shows
(the same function of the same saved evaluation). The batch's report kernel saves the SVG it
draws for its report anyway (:func:`save`, as ``survey.svg`` beside the saved evaluation), the
worker moves it into the run's own folder (:func:`move`), and the status job reads it there
(:func:`load`) instead of drawing it again. (The Word document's PNG is drawn by the status
job: drawing it in the report's kernel would put it on the reports' own path.)

That folder is made for one batch run and removed after it, so a drawing read from it was made
in this run from the evaluation saved with it. A report not rendered in this run (unchanged,
skipped) has no drawing there, and its status document draws the figure itself: the same bytes
either way (tested).
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.atomic import write_text

#: what the report's kernel writes beside its saved evaluation
NAME = "survey.svg"


def save(folder: Path, svg: str) -> None:
    """The drawing beside the saved evaluation in ``folder``."""
    write_text(folder / NAME, svg)


def _path(drawings: Path, partnership: str, year: int) -> Path:
    return drawings / f"{partnership}-{year}.svg"


def move(folder: Path, drawings: Path, partnership: str, year: int) -> None:
    """Move the drawing the kernel saved in ``folder`` (if it drew one: a report without
    survey data has none) into the run's ``drawings`` folder."""
    if (folder / NAME).exists():
        os.replace(folder / NAME, _path(drawings, partnership, year))


def load(drawings: Path, partnership: str, year: int) -> str | None:
    """The drawing made in this run for the partnership-year (None: the figure is drawn)."""
    path = _path(drawings, partnership, year)
    return path.read_text(encoding="utf-8") if path.exists() else None
