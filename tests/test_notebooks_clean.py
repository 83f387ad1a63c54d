"""The notebooks as they open in JupyterLab: valid nbformat 4.5 with cell ids and the kernel's
metadata, no outputs but the one cell nbval compares, and that cell folded away from readers."""

from __future__ import annotations

import nbformat
import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_opens_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)  # raises on anything JupyterLab would have to repair
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec.name == config.KERNEL_NAME
    assert {"name", "version", "mimetype", "file_extension"} <= set(nb.metadata.language_info)
    ids = [c.id for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        checked = "NBVAL_CHECK_OUTPUT" in cell.source
        if checked:
            assert cell.metadata.get("jupyter") == {"source_hidden": True, "outputs_hidden": True}
            assert "nbval-only" in cell.metadata.get("tags", [])
        else:
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata


def test_the_checked_cell_never_reaches_a_report():
    from analysis.reporting.html import to_html

    nb = nbformat.read(config.EVALUATION_TEMPLATE, as_version=4)
    page = to_html(nb, "x")
    assert "NBVAL_CHECK_OUTPUT" not in page and "folehaven 2025 folehaven_2022_2025" not in page


def test_results_keep_p_values_at_full_precision():
    from analysis.evaluation import evaluate_partnership
    from analysis.evaluation.public import document

    for partnership, year in [("amager", 2019), ("tingbjerg_husum", 2018), ("folehaven", 2025)]:
        ev = evaluate_partnership(partnership, year)
        rows = document(ev)["results_rows"][: len(ev.objectives)]
        for o, r in zip(ev.objectives, rows, strict=True):
            if o.p_value == o.p_value:
                assert r["p_value"] == pytest.approx(o.p_value, rel=1e-12, abs=0)
        tiny = [r["p_value"] for r in document(ev)["results_rows"] if r["p_value"] is not None]
        assert all(p > 0 for p in tiny)  # a p-value of 7.9e-13 is not written as 0
