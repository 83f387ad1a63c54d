"""The committee's status document as a Word file (``reports/status/<year>.docx``), for the
secretariat to add its commentary and publish, from the same content as the HTML and the PDF
(:func:`analysis.reporting.status.content`).

python-docx writes the document with Word's own styles (Title, Heading 1–2, Caption, List
Bullet), so Word's navigation pane and its PDF export have the structure. What python-docx has
no call for is added as the documented OOXML elements (ECMA-376 Part 1): the text alternative
of each figure (``wp:docPr/@descr``), a header row that repeats on every page
(``w:trPr/w:tblHeader``), cell shading for the statuses (``w:tcPr/w:shd``) and the document
language (``w:rPr/w:lang`` in the default style).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analysis.atomic import write_atomically

LANGUAGE = "da-DK"
#: the marked place for the secretariat's own text
COMMENTARY = (
    "[Sekretariatets bemærkninger: skriv her, hvad Sikker By lægger vægt på i årets status. "
    "Teksten ovenfor og tabellerne nedenfor er lavet af analysen og bør ikke rettes i hånden.]"
)


def _shade(element, fill: str) -> None:
    """Background colour of a cell's or a paragraph's properties element."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#"))
    element.append(shd)


def _language(document: docx.document.Document) -> None:
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), LANGUAGE)
    rpr.append(lang)


def _caption(document, text: str) -> None:
    document.add_paragraph(text, style="Caption")


def _table(document, caption: str, header: list[str], rows: list[list[object]]) -> None:
    """A table with a caption above it and a header row that repeats on every page; a cell
    given as a dict ``{status, fg, bg}`` is a status in its colours."""
    _caption(document, caption)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell._tc.get_or_add_tcPr(), "#e9e9e9")
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, dict):
                run = cell.paragraphs[0].add_run(
                    value["status"] + ("¹" if value.get("boundary_year") else "")
                )
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(value["fg"].lstrip("#").upper())
                _shade(cell._tc.get_or_add_tcPr(), value["bg"])
            else:
                cell.text = "–" if value is None else str(value)
    document.add_paragraph()


def _figure(document, figure) -> None:
    """The figure as a PNG with its Danish text alternative on the drawing, and its caption."""
    run = document.add_paragraph().add_run()
    run.add_picture(io.BytesIO(figure.drawing.png()), width=Cm(16))
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", figure.alt)
        doc_pr.set("title", f"Figur {figure.number}")
    _caption(document, f"Figur {figure.number}. {figure.caption}")


def build(doc: dict) -> docx.document.Document:
    """The Word document of one year's status content."""
    document = docx.Document()
    _language(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    props = document.core_properties
    props.title, props.subject, props.language = doc["title"], doc["description"], LANGUAGE
    props.author, props.keywords = "Sikker By (analysen)", "tryghed; partnerskaber; status"
    if doc["synthetic"]:
        banner = document.add_paragraph()
        run = banner.add_run(
            "EKSEMPELDATA – dokumentet bygger på syntetiske data, ikke på rigtige besvarelser "
            "eller politiets tal. Tallene viser kun, hvordan dokumentet ser ud."
        )
        run.bold, run.font.color.rgb = True, RGBColor(0xFF, 0xFF, 0xFF)
        _shade(banner._p.get_or_add_pPr(), "#b71c1c")
    document.add_heading(doc["title"], level=0)
    document.add_paragraph(doc["description"])

    document.add_heading("Sekretariatets bemærkninger", level=1)
    note = document.add_paragraph(COMMENTARY)
    _shade(note._p.get_or_add_pPr(), "#fff2cc")

    document.add_heading(f"Overblik {doc['year']}", level=1)
    overview = doc["overview"]
    _table(
        document,
        f"Tabel 1. Status for hvert mål og partnerskab {doc['year']}",
        ["Mål", *overview["partnerships"]],
        [
            [r["label"], *[c or "ikke et mål i aftalen" for c in r["cells"]]]
            for r in overview["rows"]
        ],
    )
    if any(c and c["boundary_year"] for r in overview["rows"] for c in r["cells"]):
        document.add_paragraph(
            "¹ Området har fået nye grænser mellem de to år, der sammenlignes: se noten under "
            "partnerskabet."
        )
    document.add_heading("Hvad betyder status?", level=2)
    for item in doc["legend"]:
        document.add_paragraph(f"{item['status']}: {item['meaning']}.", style="List Bullet")

    document.add_heading("Hovedpunkter", level=1)
    for p in doc["partnerships"]:
        document.add_heading(p["label"], level=2)
        for point in p["summary"]:
            document.add_paragraph(point, style="List Bullet")

    number = 2
    for p in doc["partnerships"]:
        document.add_heading(p["label"], level=1)
        document.add_paragraph(
            f"Partnerskabsaftalen {p['period']} · område {p['area']} i {p['district']}"
        )
        for text in p["breaks"]:
            box = document.add_paragraph(f"¹ {text}")
            _shade(box._p.get_or_add_pPr(), "#fffbe6")
        _table(
            document,
            f"Tabel {number}. {p['label']}: mål og status {doc['year']}",
            ["Mål", "Indikator", "Status", "Større end tilfældige udsving?"],
            [[o["objective"], o["indicator"], {**o}, o["evidence"]] for o in p["objectives"]],
        )
        number += 1
        document.add_heading("Nøgletal", level=2)
        if p["shares"]:
            _table(
                document,
                f"Tabel {number}. {p['label']}: andele i {doc['year']} med 95 %-konfidensinterval",
                ["Indikator", p["area"], "Hele København"],
                [[r["label"], r["area"], r["city"]] for r in p["shares"]],
            )
            number += 1
        if p["counts"]:
            _table(
                document,
                f"Tabel {number}. {p['label']}: politiets anmeldelser mod baseline",
                ["Indikator", "Baseline", str(doc["year"]), "Status"],
                [[r["label"], r["baseline"], r["now"], {**r}] for r in p["counts"]],
            )
            number += 1
        if p["figure"] is not None:
            _figure(document, p["figure"])

    document.add_heading("Bilag: Metode i korte træk", level=1)
    for head, body in doc["methods"]:
        para = document.add_paragraph(style="List Bullet")
        para.add_run(head + " ").bold = True
        para.add_run(body)
    document.add_heading("Kilder", level=1)
    for text, url in doc["sources"]:
        document.add_paragraph(text + (f" {url}" if url else ""), style="List Number")
    document.add_heading("Herkomst", level=2)
    document.add_paragraph(
        f"Analysepakke version {doc['version']} (kode sha256 {doc['code'][:12]}); datasæt "
        f"»{doc['dataset']}«; inddata (sha256): {doc['inputs']}."
    )
    return document


def write_docx(path: Path, doc: dict) -> Path:
    """Write the Word document of ``doc`` to ``path`` (atomically)."""
    document = build(doc)
    return write_atomically(path, lambda tmp: document.save(str(tmp)))
