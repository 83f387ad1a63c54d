"""What the reader sees, over every report and status document the example data give: no
verdict across a boundary change, main points that agree with the tables, plain Danish, and
status colours that can be told apart."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from bs4 import BeautifulSoup

from analysis import config
from analysis.evaluation import Status, evaluate_partnership
from analysis.evaluation.findings import significant_findings
from analysis.evaluation.status import STATUS_COLOURS
from analysis.evaluation.text import main_points
from analysis.reporting import batch

#: several minutes of batches and browsers: left out of make test-fast
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every report, the index and every status document, as the batch writes them."""
    out = tmp_path_factory.mktemp("all-reports")
    assert batch.run_reports(workers=2, out_dir=str(out), processed_dir=out / "processed") == 0
    pages = sorted([*out.glob("*/*.html"), out / "index.html"])
    assert len(list(out.glob("status/*.html"))) >= 5 and len(pages) > 20
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in pages}


def soup(page: str) -> BeautifulSoup:
    s = BeautifulSoup(page, "html.parser")
    for t in s(["style", "script"]):
        t.decompose()
    return s


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


# ---------------------------------------------------------------- boundary changes


def test_no_verdict_across_the_tingbjerg_boundary_change():
    ev = evaluate_partnership("tingbjerg_husum", 2021)
    for o in ev.objectives:
        if o.objective.startswith("survey") or o.objective == "crime":
            # 2020 lies on the old boundary: shown, neither judged nor tested
            assert o.status is Status.NOT_COMPARABLE, o
            assert o.boundary_year == 2021 and math.isnan(o.p_value) and o.literal is None
            assert "p =" not in o.explanation
    annual = next(o for o in ev.objectives if o.objective == "survey_annual")
    assert annual.explanation.startswith("Andelen af utrygge faldt fra 16\u00a0% i 2020")
    assert [b.year for b in ev.breaks] == [2021]
    assert ev.survey_changes["p_value"].isna().all()  # no test across the break
    assert significant_findings(ev) == []
    assert any("nye grænser i 2021" in p for p in main_points(ev, []))


def test_the_year_after_a_boundary_change_is_judged_within_the_new_boundary():
    ev = evaluate_partnership("tingbjerg_husum", 2022)
    annual = [o for o in ev.objectives if o.objective == "survey_annual"]
    assert all(o.status is not Status.NOT_COMPARABLE and o.reference.year == 2021 for o in annual)
    city = [o for o in ev.objectives if o.objective == "survey_city_level"]
    # against 2020 (the starting point, old boundary) unless already at the city level
    assert all(o.status is Status.NOT_COMPARABLE or o.p_value == o.p_value for o in city)
    assert (ev.survey_trends["from_year"] >= 2021).all()  # the trend uses one boundary


def test_folehaven_2026_extension_is_not_compared():
    ev = evaluate_partnership("folehaven", 2026)
    survey = [o for o in ev.objectives if o.objective.startswith("survey")]
    assert survey and all(o.status is Status.NOT_COMPARABLE for o in survey)


def test_the_break_is_noted_once_and_marked(rendered):
    s = soup(rendered["tingbjerg_husum/2023.html"])
    notes = s.select("#note-graenser")
    assert len(notes) == 1 and "2021" in text_of(notes[0])
    assert "Skolevangen" in text_of(notes[0])
    # said once, not in every cell
    assert text_of(s).count("tal fra 2021 og senere kan ikke sammenlignes") == 1
    assert s.select("sup.mark a[href='#note-graenser']")
    status = soup(rendered["status/2023.html"])
    assert "nye grænser i 2021" in text_of(status.select_one(".summary"))


# ---------------------------------------------------------------- main points and tables


def _significant_rows(s: BeautifulSoup) -> list[str]:
    """The first cell of every table row whose p-value column shows p < 0.05."""
    found = []
    for table in s.find_all("table"):
        heads = [text_of(th) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            cells = [text_of(c) for c in tr.find_all(["th", "td"])]
            for head, cell in zip(heads, cells, strict=False):
                m = re.search(r"p\s*([<=])\s*(\d+,\d+)", cell)
                if ("p-værdi" in head or "udsving" in head) and m:
                    p = float(m.group(2).replace(",", "."))
                    if m.group(1) == "<" or p < config.ALPHA:
                        found.append(
                            cells[1]
                            if cells[0].startswith(("Skal", "Nærme", "Minimum"))
                            else cells[0]
                        )
    return found


REPORT = re.compile(r"(?!status/)\w+/\d{4}\.html")


def test_every_significant_result_in_a_table_is_in_the_main_points(rendered):
    reports = {k: v for k, v in rendered.items() if REPORT.fullmatch(k)}
    assert len(reports) == 17
    seen = 0
    for name, page in reports.items():
        s = soup(page)
        points = text_of(s.select_one(".main-points"))
        rows = _significant_rows(s)
        seen += len(rows)
        for label in rows:
            assert label.lower() in points.lower(), (name, label, points)
        if rows:
            assert not re.search(r"Ingen[^.]*signifikant", points), (name, points)
    assert seen > 0  # the example data have significant results somewhere


def test_main_points_open_every_report(rendered):
    for name, page in rendered.items():
        if not REPORT.fullmatch(name):
            continue
        s = soup(page)
        box = s.select_one(".main-points")
        assert box is not None, name
        assert 3 <= len(box.find_all("li")) <= 5, name
        # directly under the title and the banner: the first section heading of the report
        assert s.find("h2") is box.find("h2"), name


def test_one_minimum_detectable_change_per_indicator_in_every_report(rendered):
    for name, page in rendered.items():
        if not REPORT.fullmatch(name):
            continue
        text = text_of(soup(page))
        said = set(re.findall(r"(?:mindst|ændring på) (\d+,\d)\s*procentpoint", text))
        indicators = {
            m.group(0)
            for m in re.finditer(r"Andel (utrygge|trygge)( i aften- og nattetimer)?", text)
        }
        assert len(said) <= max(1, len(indicators)), (name, said)


def test_one_minimum_detectable_change_per_indicator():
    for p, y in [("folehaven", 2025), ("tingbjerg_husum", 2023), ("folehaven", 2022)]:
        ev = evaluate_partnership(p, y)
        annual = {o.indicator: o.mde for o in ev.objectives if o.objective == "survey_annual"}
        for need in ev.sample_sizes:
            if need.indicator in annual and not math.isnan(annual[need.indicator]):
                assert need.mde == annual[need.indicator]


def test_status_document_opens_with_an_overview(rendered):
    s = soup(rendered["status/2023.html"])
    overview = s.select_one(".overview table")
    heads = [text_of(th) for th in overview.select("thead th")]
    assert heads[1:] == ["Tryghedspartnerskabet Folehaven", "Tingbjerg-Husum Partnerskab"]
    assert all(th.get("scope") == "row" for th in overview.select("tbody th"))
    assert "forklaringen står i tabellen" not in text_of(s)


def test_every_reference_to_an_annex_or_note_has_its_target(rendered):
    for name, page in rendered.items():
        s = soup(page)
        text = text_of(s)
        if "bilaget om metode" in text:
            assert s.find(id="bilag-metode") or s.find(id="metode"), name
        if "se note om områdets grænser" in text:
            assert s.select("[id$=note-graenser]"), name
        for a in s.select("a[href^='#']"):
            assert s.find(id=a["href"][1:]), (name, a["href"])
        assert not re.search(r"står i tabellen|se kolonnen", text), name


# ---------------------------------------------------------------- plain Danish


#: patterns no sentence a reader sees may contain (kept general: any doubled punctuation, any
#: zero change in points, a singular count with a plural noun, a file name, a bare domain)
BAD = {
    "doubled punctuation": r"[.;:,]\s*[.;,]|\(\s*\)",
    "space before punctuation": r"\w\s+[.,;](?:\s|$)",
    "zero change": r"(?<![\d,.])0(?:,0)?\s+procentpoint",
    "singular count, plural noun": r"(?<![\d,.])1\s+(?:\w+e\s+)?(?:anmeldelser|aktiveringer|"
    r"besvarelser|aktiviteter|svar\w+|partnere)\b",
    "file name": r"\b[\w-]+\.(?:txt|csv|ya?ml|xlsx|sav|json|md|py|ipynb)\b",
    "bare domain": r"\b[a-z0-9-]+\.(?:dk|com|org|net)\b",
    "missing value": r"\b(?:nan|NaN|None|null)\b",
}
#: jargon that belongs in the methods annex and the tables' notes, not the main text
JARGON = r"p\s*[=<]|p-værdi|effektiv|Poisson|χ²|rate ratio|Kish|konfidensinterval|designeffekt"


def test_no_pattern_a_reader_should_not_see(rendered):
    for name, page in rendered.items():
        s = soup(page)
        text = (s.find("main") or s).get_text()  # text nodes as they run, no added spaces
        for what, pattern in BAD.items():
            m = re.search(pattern, text)
            assert m is None, f"{name}: {what}: …{text[max(0, m.start() - 60) : m.end() + 20]}…"


def test_main_text_has_no_jargon(rendered):
    for name, page in rendered.items():
        s = soup(page)
        main = [*s.select(".main-points"), *s.select(".summary")]
        main += [
            tr.find_all("td")[-1]
            for tr in s.select("table tbody tr")
            if name.count("/") and "Forklaring" in text_of(tr.find_parent("table").find("thead"))
        ]
        for node in main:
            m = re.search(JARGON, text_of(node))
            assert m is None, f"{name}: {m.group(0)} in {text_of(node)[:200]}"


def test_one_name_per_partnership_in_a_document(rendered):
    names = ["Tryghedspartnerskabet Folehaven", "Folehaven Tryghedspartnerskab"]
    for name, page in rendered.items():
        if name.startswith("folehaven/"):
            s = soup(page)
            for cited in s.select("ol.sources"):  # the list of sources cites other agreements
                cited.decompose()
            text = text_of(s)
            assert sum(n in text for n in names) == 1, name


def test_sources_are_cited_by_title_not_file(rendered):
    s = soup(rendered["folehaven/2025.html"])
    sources = text_of(s.select_one("ol.sources"))
    assert "Aftale om Tryghedspartnerskabet Folehaven 2022–2025" in sources
    assert "1. januar 2022" in sources and "seed" not in sources
    assert s.select("ol.sources a[href^='https://']")


# ---------------------------------------------------------------- tables and accessibility


def test_tables_have_scope_captions_and_scroll_containers(rendered):
    for name, page in rendered.items():
        s = soup(page)
        for th in s.find_all("th"):
            assert th.get("scope") in ("col", "row"), (name, str(th)[:120])
        for table in s.find_all("table"):
            assert table.find("caption") is not None, name
            wrap = table.find_parent("div", class_="table-wrap")
            assert wrap is not None and wrap.get("role") == "region" and wrap.get("aria-label")


def test_figures_are_numbered_with_captions(rendered):
    s = soup(rendered["folehaven/2025.html"])
    captions = [text_of(c) for c in s.find_all("figcaption")]
    assert captions and all(c.startswith(f"Figur {i}.") for i, c in enumerate(captions, 1))


def test_index_links_have_unique_names_and_no_tooltips(rendered):
    s = soup(rendered["index.html"])
    links = [(text_of(a), a["href"]) for a in s.find_all("a")]
    by_name: dict[str, set[str]] = {}
    for label, href in links:
        by_name.setdefault(label, set()).add(href)
    assert all(len(h) == 1 for h in by_name.values()), [n for n, h in by_name.items() if len(h) > 1]
    assert not s.select("[title]")


def _lab(colour: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_status_colours_can_be_told_apart():
    assert set(STATUS_COLOURS) == set(Status)
    for (a, (_, bg_a)), (b, (_, bg_b)) in itertools.combinations(STATUS_COLOURS.items(), 2):
        assert math.dist(_lab(bg_a), _lab(bg_b)) >= 10, (a, b)


def test_status_pdf_has_metadata_bookmarks_and_figure_alternatives(rendered, tmp_path):
    import shutil

    import pikepdf

    from analysis.reporting.pdf import Page, _children, print_pdfs
    from analysis.reporting.status import DESCRIPTION, title

    if not shutil.which("chromium"):
        pytest.skip("Chromium is not installed")
    html = tmp_path / "2023.html"
    html.write_text(rendered["status/2023.html"], encoding="utf-8")
    page = Page(2023, html, tmp_path / "2023.pdf", title(2023), DESCRIPTION)
    assert print_pdfs([page]) == [""]
    with pikepdf.open(tmp_path / "2023.pdf") as pdf:
        assert pdf.docinfo["/Title"] == "Status på tryghed og kriminalitet 2023"
        assert pdf.Root.Lang == "da-DK" and pdf.Root.ViewerPreferences.DisplayDocTitle
        assert pdf.open_metadata()["dc:title"] == "Status på tryghed og kriminalitet 2023"
        with pdf.open_outline() as outline:
            headings = [c.title for c in outline.root[0].children]
        assert "Overblik 2023" in headings and "Kilder" in headings
        figures, todo = [], [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            todo += _children(node)
        assert figures and all(figures), figures  # every tagged figure has its alternative
