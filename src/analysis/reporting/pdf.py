"""Status documents printed to PDF (:class:`Printer`: one Chromium for all of them) and the
finishing pass over Chromium's tagged PDF (pikepdf, on qpdf).

Chromium prints a tagged PDF with the page language and, with
``--generate-pdf-document-outline``, bookmarks from the headings. What it leaves out, and this
pass adds, as PDF/UA-1 (ISO 14289-1) asks: the document title in the information dictionary
and in XMP metadata (``dc:title``, ``dc:language``, ``dc:description``), shown by the viewer
instead of the file name (``/DisplayDocTitle``); and the figures' text alternative on the
structure element a screen reader announces. Chromium tags a ``<figure>`` as a ``/Figure``
without ``/Alt`` around the image's ``/Figure`` that has it; the outer element is a grouping,
so it becomes a ``/Div``. The file is not declared PDF/UA (no ``pdfuaid`` entry): Chromium's
tags have not been checked against every rule of the standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from analysis.atomic import temporary_beside, write_atomically
from analysis.reporting import chromium


@dataclass(frozen=True)
class Page:
    """A written status document: its HTML, where its PDF goes, and the PDF's metadata."""

    year: int
    html: Path
    pdf: Path
    title: str
    description: str


class Printer:
    """The status documents printed to PDF in one Chromium, and finished with their metadata
    (:func:`finish`). The browser starts with the first page :meth:`add` is given, and opens
    a tab then without waiting for it, so that it is up by the time :meth:`close` prints every
    page at once (printed together, pages load and print in parallel: half the time of one
    after another, and printing beside the workers only slowed them down)."""

    def __init__(self) -> None:
        self._pages: list[Page] = []
        self._browser: chromium.Browser | None = None

    def add(self, page: Page) -> None:
        if not self._pages and chromium.find() is not None:
            self._browser = chromium.Browser().start()
        self._pages.append(page)

    def close(self) -> list[str]:
        """Print every page; per page '' when its PDF is written, else why it was skipped
        (the HTML is written either way)."""
        if not self._pages:
            return []
        if self._browser is None:
            note = (
                "PDF skipped: Chromium is not installed (make reports installs it with "
                "apt-get install chromium); the HTML is written"
            )
            return [note] * len(self._pages)
        tmps = [temporary_beside(p.pdf) for p in self._pages]
        browser, self._browser = self._browser, None  # stopped here, whatever happens
        try:
            with browser:
                browser.print_pdfs([(p.html, t) for p, t in zip(self._pages, tmps, strict=True)])
            for p, tmp in zip(self._pages, tmps, strict=True):
                finish(tmp, p.title, p.description)
                tmp.replace(p.pdf)
        except chromium.BrowserError as exc:
            return [f"PDF skipped: Chromium could not print ({exc})"] * len(self._pages)
        except Exception as exc:  # the finishing pass or a write: a fault, the run fails
            return [f"FAILED status PDFs: {type(exc).__name__}: {exc}"] * len(self._pages)
        finally:
            for tmp in tmps:
                tmp.unlink(missing_ok=True)
        return [""] * len(self._pages)

    def abort(self) -> None:
        """Stop the browser, printing nothing (Ctrl-C)."""
        if self._browser is not None:
            with self._browser:
                self._browser.kill()


def print_pdfs(pages: list[Page]) -> list[str]:
    """Print ``pages`` (see :class:`Printer`); per page '' when done, else why not."""
    printer = Printer()
    for page in pages:
        printer.add(page)
    return printer.close()


def _children(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if isinstance(kids, pikepdf.Dictionary):
        return [kids]
    if isinstance(kids, pikepdf.Array):
        return [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    return []


def _has_alt_figure(node: pikepdf.Dictionary) -> bool:
    return any(
        (c.get("/S") == "/Figure" and "/Alt" in c) or _has_alt_figure(c) for c in _children(node)
    )


def regroup_figures(root: pikepdf.Dictionary) -> int:
    """Make every ``/Figure`` without ``/Alt`` that holds a ``/Figure`` with one a ``/Div``;
    the number changed."""
    changed, todo = 0, [root]
    while todo:
        node = todo.pop()
        if node.get("/S") == "/Figure" and "/Alt" not in node and _has_alt_figure(node):
            node["/S"] = pikepdf.Name("/Div")
            changed += 1
        todo.extend(_children(node))
    return changed


def finish(path: Path, title: str, description: str, language: str = "da-DK") -> None:
    """Title, language and description as metadata, and figures' alternatives where a reader
    finds them; ``path`` is rewritten in place (through a temporary file)."""
    with pikepdf.open(path) as pdf:
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Subject"] = description
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:description"] = description
            meta["dc:language"] = [language]
        prefs = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        prefs["/DisplayDocTitle"] = True
        pdf.Root["/ViewerPreferences"] = prefs
        pdf.Root["/Lang"] = language
        if "/StructTreeRoot" in pdf.Root:
            regroup_figures(pdf.Root.StructTreeRoot)
        # pikepdf reads lazily: the new file is written beside, then replaces the old one
        write_atomically(path, lambda tmp: pdf.save(tmp))
