"""Executed notebook -> one self-contained HTML report (code hidden, plots embedded)."""

from __future__ import annotations

from functools import cache

import nbformat

from analysis.reporting.style import REPORT_CSS, TEMPLATES

#: Cells the report never shows: the template notes, the parameters, the nbval check.
HIDDEN_TAGS = {"parameters", "injected-parameters", "nbval-only", "template-only"}
ERROR_TAG = "papermill-error-cell-tag"


def has_error(nb: nbformat.NotebookNode) -> bool:
    """True when papermill marked an error cell, or any output is an error."""
    for cell in nb.cells:
        if ERROR_TAG in cell.get("metadata", {}).get("tags", []):
            return True
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return True
    return False


def printed_text(nb: nbformat.NotebookNode) -> str:
    """The first line a shown cell printed ('' when none did): a report shows its blocks, and
    text that a library or the kernel writes to stdout or stderr (a warning, a message about
    the kernel's own state) is not for the committee."""
    for cell in nb.cells:
        if HIDDEN_TAGS.intersection(cell.get("metadata", {}).get("tags", [])):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("text", "").strip():
                return o["text"].strip().splitlines()[0]
    return ""


@cache
def exporter():
    """The report's HTML exporter (made once per process: nbconvert's import and templates
    take 0.6 s)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="sikkerby",
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="da",
    )
    # Offline: no scripts from the web. The report has no maths and no widgets.
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True
    )
    return exporter


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    if has_error(nb):
        raise ValueError("the notebook has error cells; it is not rendered as a report")
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    resources = {"report_css": REPORT_CSS.read_text(encoding="utf-8")}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body.replace('<script src=""></script>', "")  # the unset require.js/MathJax URLs
