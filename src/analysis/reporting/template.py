"""Keeping the committed template clean: outputs only where nbval compares them.

``python -m analysis.reporting.template`` (``make notebook-outputs``) runs the template with its
default parameters and stores the output of the cells marked ``# NBVAL_CHECK_OUTPUT`` (and
nothing else) in ``notebooks/evaluation.ipynb``. Run it after a change that alters the checked
numbers, then review the diff.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import nbformat

from analysis import config

MARK = "NBVAL_CHECK_OUTPUT"


@cache
def template_parameters(path: Path = config.EVALUATION_TEMPLATE) -> tuple[str, ...]:
    """The names in the template's ``parameters`` cell (papermill's own reading of it)."""
    import papermill as pm

    return tuple(pm.inspect_notebook(str(path)))


def check_parameters(names: object, path: Path = config.EVALUATION_TEMPLATE) -> None:
    """Refuse a parameter the template does not take before any kernel starts: papermill only
    warns and silently keeps the default. The notebook itself checks nothing, so it re-runs
    freely in JupyterLab after the parameters cell is edited."""
    known = template_parameters(path)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(
            f"unknown notebook parameter(s) {unknown}; {path.name} takes {list(known)}"
        )


def strip_outputs(nb: nbformat.NotebookNode, keep_from: nbformat.NotebookNode | None = None):
    """Clear every code cell's outputs, except checked cells, which take ``keep_from``'s."""
    executed = [c for c in keep_from.cells if c.cell_type == "code"] if keep_from else []
    executed = {c.source: c for c in executed}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        ran = executed.get(cell.source)
        if MARK in cell.source and ran is not None:
            cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
            # for nbval, not for readers: folded away when the notebook is opened
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        else:
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    return nb


def refresh_checked_outputs(path: Path = config.EVALUATION_TEMPLATE) -> None:
    import papermill as pm

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.ipynb"
        pm.execute_notebook(
            str(path),
            str(out),
            kernel_name=config.KERNEL_NAME,
            progress_bar=False,
            cwd=str(config.NOTEBOOKS_DIR),
        )
        ran = nbformat.read(out, as_version=4)
    nb = strip_outputs(nbformat.read(path, as_version=4), ran)
    nbformat.write(nb, path)


if __name__ == "__main__":
    refresh_checked_outputs()
    print(f"stored the checked outputs in {config.EVALUATION_TEMPLATE}")
