"""A kept (warm) kernel renders the same reports as a new kernel per report: byte for byte, in
another order, with a failed notebook between them."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.reporting import batch, worker

pytestmark = pytest.mark.slow

PICK = ("amager/2019", "folehaven/2025", "tingbjerg_husum/2021", "folehaven/2026")


@pytest.fixture(scope="module")
def tasks(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    planned, _ = batch.plan(None, None, None, out, out / "processed")
    return [t for t in planned if t.name in PICK]


def _render(tasks, out, warm: bool) -> dict[str, bytes]:
    pages = {}
    for t in tasks:
        done = worker.run_one(dataclasses.replace(t, out_dir=str(out), warm=warm))
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
        again = _render(tasks[:2], tmp_path / "again", warm=True)  # the same kernel, reused
    finally:
        worker.discard_kernel()
    assert warm.keys() == fresh.keys()
    for name in fresh:
        assert warm[name] == fresh[name], name
    for name in again:
        assert again[name] == fresh[name], name
