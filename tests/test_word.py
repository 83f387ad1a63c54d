"""The committee's status as a Word document: Word's own structure, text alternatives, header
rows that repeat, Danish as the language, and every figure the same as the evaluation's."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from analysis.agreements import agreement_for, load_agreements
from analysis.evaluation.engine import evaluate
from analysis.loaders import load_dataset
from analysis.reference import load_reference
from analysis.reporting.status import content
from analysis.reporting.word import COMMENTARY, write_docx


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("word")
    dataset = load_dataset(None, processed_dir=out / "processed")
    agreements, reference = load_agreements(), load_reference()
    evaluations = [
        evaluate(agreement_for(p, 2023, agreements), 2023, dataset, reference)
        for p in ("folehaven", "tingbjerg_husum")
    ]
    doc = content(2023, evaluations)
    path = write_docx(out / "2023.docx", doc)
    return path, doc, evaluations


def test_headings_are_words_own_styles(made):
    path, doc, _ = made
    d = docx.Document(str(path))
    headings = [
        (p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith(("Head", "Title"))
    ]
    assert ("Title", doc["title"]) in headings
    for text in ("Sekretariatets bemærkninger", "Overblik 2023", "Hovedpunkter", "Kilder"):
        assert ("Heading 1", text) in headings, headings
    for p in doc["partnerships"]:
        assert ("Heading 1", p["label"]) in headings and ("Heading 2", p["label"]) in headings


def test_language_title_banner_and_commentary(made):
    path, doc, _ = made
    d = docx.Document(str(path))
    lang = d.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "da-DK"
    assert d.core_properties.title == doc["title"] and d.core_properties.language == "da-DK"
    assert d.paragraphs[0].text.startswith("EKSEMPELDATA")
    assert COMMENTARY in [p.text for p in d.paragraphs]


def test_every_image_has_its_danish_alternative(made):
    path, doc, _ = made
    d = docx.Document(str(path))
    described = [e.get("descr") for e in d.element.body.iter(qn("wp:docPr"))]
    figures = [p["figure"] for p in doc["partnerships"] if p["figure"] is not None]
    assert described == [f.alt for f in figures] and all(described)
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert all(any(c.startswith(f"Figur {f.number}.") for c in captions) for f in figures)


def test_every_table_has_a_caption_and_a_repeating_header_row(made):
    path, _, _ = made
    d = docx.Document(str(path))
    assert d.tables
    for table in d.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
        before = table._tbl.getprevious()
        assert before is not None and "Tabel" in "".join(before.itertext())


def test_every_number_and_status_is_the_evaluations(made):
    path, doc, evaluations = made
    d = docx.Document(str(path))
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    paragraphs = {p.text for p in d.paragraphs}
    for ev, p in zip(evaluations, doc["partnerships"], strict=True):
        for o in ev.objectives:
            mark = "¹" if o.boundary_year is not None else ""
            assert f"{o.status}{mark}" in cells, (ev.partnership, o.status)
        for r in p["shares"]:
            assert {r["area"], r["city"]} <= cells
        for r in p["counts"]:
            assert {r["baseline"], r["now"]} <= cells
        for point in p["summary"]:
            assert point in paragraphs


@pytest.mark.slow
def test_libreoffice_renders_it(made, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (make check-word installs it)")
    path, _, _ = made
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "2023.pdf"
    assert pdf.exists(), done.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000
