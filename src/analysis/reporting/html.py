"""Executed notebook -> one self-contained HTML report (code hidden, plots embedded)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat

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


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
#: the one stylesheet of every page the project writes (reports, index, status document)
REPORT_CSS = TEMPLATES / "report.css"


@cache
def _exporter():
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
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body.replace('<script src=""></script>', "")  # the unset require.js/MathJax URLs


def svg_data_uri(svg: str) -> str:
    """A UTF-8 data URI for an SVG (smaller than base64). Double quotes and < > are
    percent-encoded: the URI stands in a double-quoted attribute, and an HTML serialiser would
    otherwise write them as &quot; &lt; &gt;."""
    from urllib.parse import quote

    return "data:image/svg+xml," + quote(svg, safe=" '=:;,./()-_!*?[]{}@$~+")


def svg_images(page: str) -> list[bytes]:
    """The SVG figures embedded in a page (the reports' and the tests' one reader of them)."""
    from urllib.parse import unquote

    return [
        unquote(m).encode("utf-8")
        for m in re.findall(r'<img[^>]+src="data:image/svg\+xml,([^"]+)"', page)
    ]
