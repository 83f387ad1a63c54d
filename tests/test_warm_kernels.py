"""A kept (warm) kernel renders the same reports as a new kernel per report: byte for byte, in
another order, with a failed notebook between them; a status document made from the figures
the reports' kernels drew is the one drawn afresh."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from analysis.reporting import batch, worker
from analysis.reporting.status import write_year

pytestmark = pytest.mark.slow

PICK = ("amager/2019", "folehaven/2025", "tingbjerg_husum/2021", "folehaven/2026")


@pytest.fixture(scope="module")
def tasks(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    planned, _ = batch.plan(None, None, None, out, out / "processed")
    return [t for t in planned if t.name in PICK]


def _render(tasks, out, warm: bool) -> dict[str, bytes]:
    pages = {}
    (out / "drawings").mkdir(parents=True)
    for t in tasks:
        task = dataclasses.replace(
            t, out_dir=str(out), warm=warm, drawings_dir=str(out / "drawings")
        )
        done = worker.run_one(task)
        assert done.ok, done.error
        pages[t.name] = (out / t.partnership / f"{t.year}.html").read_bytes()
    return pages


def test_warm_and_fresh_kernels_render_the_same_bytes(tasks, tmp_path, monkeypatch):
    assert len(tasks) == len(PICK)
    fresh = _render(tasks, tmp_path / "fresh", warm=False)
    # a notebook that fails in the warm kernel: the kernel is discarded and a new one used
    broken = dataclasses.replace(tasks[0], out_dir=str(tmp_path / "broken"), year=1900)
    assert not worker.run_one(dataclasses.replace(broken, warm=True)).ok
    try:
        warm = _render(list(reversed(tasks)), tmp_path / "warm", warm=True)
        # a status document written in the same kernel between its notebooks, with the survey
        # figure as the report's kernel drew it
        drawn = tmp_path / "warm" / "drawings"
        assert [p.name for p in drawn.glob("folehaven-2025.*")] == ["folehaven-2025.svg"]
        saved = (_saved(tmp_path / "warm", 2025),)
        job = worker.StatusJob(str(tmp_path / "warm"), 2025, saved, "", str(drawn))
        assert worker._WARM.alive
        in_kernel = worker.write_status(job)
        again = _render(tasks[:2], tmp_path / "again", warm=True)  # the same kernel, reused
    finally:
        worker.discard_kernel()
    assert warm.keys() == fresh.keys()
    for name in fresh:
        assert warm[name] == fresh[name], name
    for name in again:
        assert again[name] == fresh[name], name
    # the same status document written in this process, without a kernel, drawing its figure:
    # the same bytes (the report showed the drawing the status document took)
    assert in_kernel.page is not None, in_kernel.error
    here = write_year(tmp_path / "here", 2025, [Path(_saved(tmp_path / "warm", 2025))])
    assert here.html.read_bytes() == in_kernel.page.html.read_bytes()
    assert _members(here.html.with_suffix(".docx")) == _members(
        in_kernel.page.html.with_suffix(".docx")
    )
    assert (here.year, here.title, here.description) == (
        in_kernel.page.year,
        in_kernel.page.title,
        in_kernel.page.description,
    )


def _members(docx: Path) -> dict[str, bytes]:
    """A Word file's parts (the zip's own dates aside)."""
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def _saved(out, year: int) -> str:
    return str(out / "folehaven" / f"{year}.json")


def test_an_error_in_a_kernel_call_names_the_exception(tmp_path):
    job = worker.StatusJob(str(tmp_path), 2025, (str(tmp_path / "missing.json"),), "")
    try:
        worker._WARM.start(str(tmp_path))
        done = worker.write_status(job)
    finally:
        worker.discard_kernel()
    assert done.page is None and done.error.startswith("InputError: "), done.error
    assert "missing.json" in done.error
