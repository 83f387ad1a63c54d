"""The status document takes each survey figure as the report's kernel drew it in this run (the
same bytes as drawing it afresh: see ``test_warm_kernels``), and draws it itself when the run
has no drawing of it."""

from __future__ import annotations

import pytest

from analysis.evaluation import saved
from analysis.reporting import drawings
from analysis.reporting.status import write_year
from analysis.reporting.svg import svg_images

MARK = '<svg xmlns="http://www.w3.org/2000/svg"><title>drawn in the run</title></svg>'


@pytest.fixture
def saved_2020(example_evaluations, tmp_path):
    paths = []
    for ev in example_evaluations:
        if ev.year == 2020:
            path = tmp_path / ev.partnership / "2020.json"
            saved.save(ev, path)
            paths.append(path)
    assert len(paths) == 2  # amager and tingbjerg_husum
    return paths


def test_a_drawing_of_this_run_is_used_and_a_missing_one_is_drawn(saved_2020, tmp_path):
    run = tmp_path / "drawings"
    run.mkdir()
    report = tmp_path / "kernel"  # what the report's kernel saved beside its evaluation
    report.mkdir()
    drawings.save(report, MARK)
    drawings.move(report, run, "amager", 2020)
    assert not list(report.iterdir())

    page = write_year(tmp_path / "out", 2020, saved_2020, run)
    figures = svg_images(page.html.read_text(encoding="utf-8"))
    assert figures[0] == MARK.encode()  # amager's, as drawn in the run
    assert figures[1].startswith(b"<svg") and b"drawn in the run" not in figures[1]

    fresh = write_year(tmp_path / "fresh", 2020, saved_2020)
    assert svg_images(fresh.html.read_text(encoding="utf-8"))[1] == figures[1]


def test_a_report_without_survey_figure_moves_no_drawing(tmp_path):
    (tmp_path / "run").mkdir()
    drawings.move(tmp_path, tmp_path / "run", "amager", 2020)
    assert drawings.load(tmp_path / "run", "amager", 2020) is None
