"""What the evaluation notebook displays: Danish HTML blocks and tables built from an Evaluation.

The notebook stays thin: it gets its Evaluation from :mod:`analysis.reporting.runner` and then
calls one function per section. Nothing here reads or writes a file, and nothing shows
respondent-level data; every table is built from aggregates.
"""

from __future__ import annotations

import html
import io
import math
import re
import weakref
from statistics import NormalDist

import matplotlib
import pandas as pd

from analysis import config
from analysis.assumptions import Assumption
from analysis.evaluation import Evaluation, text
from analysis.evaluation.findings import significant_findings
from analysis.evaluation.status import EVIDENCE_LABELS, Evidence, Reading
from analysis.evaluation.text import (
    INDICATOR_LABELS,
    INDICATOR_SUBJECT,
    boundary_note,
    change_description,
    count_text,
    crime_alt,
    main_points,
    mde_clause,
    method_name,
    monitoring_alt,
    num,
    pct,
    pooled_sentence,
    pval,
    sample_size_sentence,
    source_list,
    surroundings_alt,
    surroundings_label,
    surroundings_sentence,
    survey_alt,
)
from analysis.indicators import PUBLISHED_LABELS
from analysis.reporting import plots
from analysis.reporting.style import status_badge
from analysis.reporting.svg import svg_data_uri


class HTML:
    """Minimal rich-display object (avoids importing IPython in the package)."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


#: SVG text as <text> in the page's font stack; element ids reproducible from run to run
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "analysis-report"}


class Drawing:
    """A matplotlib figure's drawings, each made once: compact SVG for the pages, PNG for Word
    (the SVG may be given as already drawn: :mod:`analysis.reporting.drawings`)."""

    def __init__(self, fig, svg: str | None = None) -> None:
        self.fig, self._svg, self._png = fig, svg, None

    def svg(self) -> str:
        if self._svg is None:
            self._svg = _compact_svg(self.fig)
        return self._svg

    def png(self) -> bytes:
        if self._png is None:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=PNG_DPI)
            self._png = buf.getvalue()
        return self._png


#: the Word document's figures: 16 cm wide at 200 dots per inch
PNG_DPI = 200


def _compact_svg(fig) -> str:
    """The figure as compact SVG: no metadata block, coordinates to 0.1 pt, no layout white
    space (a report stays small; 0.1 pt is far below what print or screen shows)."""
    buf = io.StringIO()
    with matplotlib.rc_context(SVG_RC):  # layout is set by the plot functions
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML prolog or DOCTYPE in an embedded image
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # coordinates to 0.1 pt, in attribute values only (never in the figure's text)
    svg = re.sub(r'="[^"]*"', lambda m: re.sub(r"(\d+\.\d)\d+", r"\1", m.group(0)), svg)
    refs = set(re.findall(r"#([\w.-]+)", svg))  # ids nothing points at are dropped
    svg = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in refs else "", svg)
    svg = re.sub(r'style="[^"]+"', lambda m: re.sub(r"([:;]) ", r"\1", m.group(0)), svg)
    svg = re.sub(r' transform="rotate\(-?0 [\d. ]+\)"', "", svg)  # rotations by 0
    # one font rule for every text instead of the family repeated on each
    svg = re.sub(r"font-family:[^;\"]+;?", "", svg)
    svg = svg.replace("</style>", "text{font-family:" + FONT_STACK + "}</style>", 1)
    return _unwrap_groups(re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", svg)))


class Figure:
    """A figure embedded as SVG (sharp on A4 paper, text kept as text), with a text
    alternative generated from its numbers and the numbers themselves as a table a screen
    reader can reach (in a ``<details>`` element), as WCAG 2.1 asks of a figure."""

    def __init__(
        self,
        drawing: Drawing,
        alt: str,
        data: pd.DataFrame | None = None,
        caption: str = "",
        number: int | None = None,
    ) -> None:
        self.drawing, self.alt, self.data = drawing, alt, data
        self.caption, self.number = caption, number

    def numbered(self, number: int) -> Figure:
        """The same figure (drawn once) as figure ``number`` of its document."""
        return Figure(self.drawing, self.alt, self.data, self.caption, number)

    def svg(self) -> str:
        return self.drawing.svg()

    def html(self) -> str:
        data = svg_data_uri(self.svg())
        name = f"Figur {self.number}" if self.number else "Figur"
        table = ""
        if self.data is not None and not self.data.empty:
            table = (
                "<details><summary>Tallene bag figuren</summary>"
                + table_html(self.data, f"Tallene bag {name.lower()}: {self.caption}")
                + "</details>"
            )
        caption = f"<figcaption><b>{name}.</b> {_e(self.caption)}</figcaption>"
        return f'<figure><img src="{data}" alt="{_e(self.alt)}">{caption}{table}</figure>'

    def _repr_mimebundle_(self, include=None, exclude=None):
        return (
            {"text/html": self.html(), "image/svg+xml": self.svg()},
            {"image/svg+xml": {"alt": self.alt}},
        )


#: the figures' font, as the reports' stylesheet names it
FONT_STACK = "Arial,'Liberation Sans','DejaVu Sans',sans-serif"


def _unwrap_groups(svg: str) -> str:
    """Drop <g> elements without attributes (keeping their content): they only nest."""
    out, keep, last = [], [], 0
    for m in re.finditer(r"<g\b[^>]*>|</g>", svg):
        out.append(svg[last : m.start()])
        tag = m.group(0)
        if tag == "</g>":
            if keep.pop():
                out.append(tag)
        else:
            keep.append(tag != "<g>")
            if tag != "<g>":
                out.append(tag)
        last = m.end()
    out.append(svg[last:])
    return "".join(out)


class Numbering:
    """Numbers a document's figures in the order they are shown (a missing one takes none)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def show(figure: Figure | None, numbering: Numbering | None = None) -> Figure | HTML:
    """Display a figure, numbered (None: nothing to plot)."""
    if figure is None:
        return HTML("<p>Ingen data at vise.</p>")
    return figure.numbered(numbering.next()) if numbering is not None else figure


def _share_cell(v: float) -> str:
    return "–" if v != v else num(v * 100, 0)


def survey_figure(ev: Evaluation, svg: str | None = None) -> Figure | None:
    """The shares of the area, its district and the city per year. ``svg``: the figure as
    already drawn for this evaluation (see :mod:`analysis.reporting.drawings`); the figure that
    :func:`prepare_survey_figure` made for ``ev`` is handed out once instead of a new one."""
    global _prepared
    if svg is None and _prepared is not None and _prepared[0]() is ev:
        figure, _prepared = _prepared[1], None
        return figure
    fig = plots.survey_figure(ev)
    if fig is None:
        return None
    drawing = Drawing(fig, svg)
    s = ev.survey_series
    names = {ev.area: ev.area_name, ev.district: ev.district_name, "kobenhavn": "København"}
    model = {(r.indicator, int(r.year)): r.model for r in ev.survey_model.itertuples()}
    rows = []
    for (ind, year), g in s.groupby(["indicator", "year"], sort=False):
        by_area = dict(zip(g["area"], g["share"], strict=True))
        rows.append(
            {
                "Indikator": INDICATOR_LABELS[ind],
                "År": str(year),
                **{f"{n} (%)": _share_cell(by_area.get(a, math.nan)) for a, n in names.items()},
            }
        )
        if model:
            rows[-1][f"{ev.area_name}, modelbaseret (%)"] = _share_cell(
                model.get((ind, int(year)), math.nan)
            )
    caption = (
        f"{' og '.join(INDICATOR_LABELS[i].lower() for i in dict.fromkeys(s['indicator']))} "
        f"i {ev.area_name}, {ev.district_name} og hele København pr. år"
    )
    return Figure(
        drawing,
        text.sentences(
            survey_alt(ev.survey_series, ev.area, ev.area_name, ev.year),
            text.model_alt(ev.survey_model, ev.area_name, ev.year),
        ),
        pd.DataFrame(rows),
        caption[0].upper() + caption[1:],
    )


#: the survey figure :func:`prepare_survey_figure` made, with its evaluation (held weakly)
_prepared: tuple[weakref.ref, Figure | None] | None = None


def prepare_survey_figure(ev: Evaluation) -> Figure | None:
    """The survey figure of ``ev``, made now and handed to the next :func:`survey_figure` call
    for ``ev``: the batch's kernel saves its drawing for the status document before the
    report shows it, and the report then shows the same figure without drawing it again."""
    global _prepared
    _prepared = None
    figure = survey_figure(ev)
    _prepared = (weakref.ref(ev), figure)
    return figure


def _wide(data: pd.DataFrame, value: str) -> pd.DataFrame:
    """Year per row, one column per indicator label, numbers in Danish."""
    labels = list(dict.fromkeys(data["label"]))
    rows = []
    for year, g in data.groupby("year"):
        by = dict(zip(g["label"], g[value], strict=True))
        rows.append({"År": str(year), **{lab: count_text(by.get(lab, math.nan)) for lab in labels}})
    return pd.DataFrame(rows)


def crime_figure(ev: Evaluation) -> Figure | None:
    fig = plots.crime_figure(ev)
    if fig is None:
        return None
    rows = [o for o in ev.objectives if o.objective == "crime"]
    data = ev.crime_series[ev.crime_series["role"] == "target"]
    return Figure(
        Drawing(fig),
        crime_alt(rows, ev.area_name, ev.year),
        _wide(data, "value"),
        f"Politiets anmeldelser i {ev.area_name} pr. år for aftalens mål, med baselineåret",
    )


def monitoring_figure(ev: Evaluation) -> Figure | None:
    fig = plots.monitoring_figure(ev)
    if fig is None:
        return None
    data = ev.crime_series[ev.crime_series["role"] == "monitored"]
    return Figure(
        Drawing(fig),
        monitoring_alt(data, ev.area_name),
        _wide(data, "count"),
        f"Monitorerede gerningstyper i {ev.area_name} pr. år (intet mål)",
    )


def surroundings_figure(ev: Evaluation) -> Figure | None:
    fig = plots.surroundings_figure(ev)
    if fig is None:
        return None
    found = [c for c in ev.surroundings if c.kind == "survey" and c.result is not None]
    rows = []
    for c in found:
        if not rows or rows[-1]["Indikator"] != INDICATOR_LABELS[c.indicator]:
            rows.append(
                {
                    "Indikator": INDICATOR_LABELS[c.indicator],
                    "Gruppe": ev.area_name,
                    "Ændring (procentpoint)": num(c.area_change * 100, 1),
                }
            )
        rows.append(
            {
                "Indikator": INDICATOR_LABELS[c.indicator],
                "Gruppe": surroundings_label(c.comparison, ev.district_name),
                "Ændring (procentpoint)": num(c.other_change * 100, 1),
            }
        )
    return Figure(
        Drawing(fig),
        surroundings_alt(found, ev.area_name, ev.district_name),
        pd.DataFrame(rows),
        f"Ændringen siden aftalens udgangspunkt i {ev.area_name} og i omgivelserne",
    )


def section(title: str, intro: str = "", level: int = 2) -> HTML:
    """A section heading (and an introductory paragraph) for the report."""
    para = f"<p>{_e(intro)}</p>" if intro else ""
    return HTML(f"<h{level}>{_e(title)}</h{level}>{para}")


SURVEY_INTRO = (
    "Andelen af beboerne i området, i bydelen og i hele København pr. år. Det skraverede bånd "
    "viser usikkerheden, fordi kun en del af beboerne svarer. Aftaleperioden er markeret med "
    "gult; den stiplede linje er det evaluerede år. Krydserne er tal, kommunen har "
    "offentliggjort (kilder i bilaget)."
)
CRIME_INTRO = (
    "Anmeldelser i partnerskabsområdet. Målet er »minimum fastholdelse«: tallet må "
    "højst være på baselineårets niveau (stiplet rød linje). Lodrette streger viser, hvor "
    "meget tallet kan svinge af sig selv; tallene svinger ofte mere end det fra år til år, og "
    "vurderingen mod baseline tager højde for det."
)


def _e(text: object) -> str:
    return html.escape(str(text))


#: the id of the one note on boundary changes each report carries (where it has one)
BOUNDARY_NOTE_ID = "note-graenser"


def boundary_mark(year: int | None, prefix: str = "") -> str:
    """A footnote mark linking an affected figure to the note on boundary changes (``prefix``:
    the note's, where a document holds several partnerships)."""
    if year is None or year != year:
        return ""
    return (
        f'<sup class="mark"><a href="#{prefix}{BOUNDARY_NOTE_ID}" aria-label="note om områdets '
        f'grænser ({int(year)})">¹</a></sup>'
    )


def table_html(
    df: pd.DataFrame,
    caption: str,
    numeric: tuple[str, ...] = (),
    note: str = "",
    marks: list[str] | None = None,
    raw: tuple[str, ...] = (),
) -> str:
    """An accessible table: a caption, header cells with ``scope`` (the first column as row
    headers), text left and numbers right (``numeric`` columns, kept on one line), in a
    labelled container that scrolls on its own on a narrow screen. ``marks``: HTML appended
    to each row's first cell (footnote marks); ``raw``: columns whose values are HTML."""
    head = "".join(
        f'<th scope="col"{" class=num" if c in numeric else ""}>{_e(c)}</th>' for c in df.columns
    )
    body = []
    for i, row in enumerate(df.itertuples(index=False)):
        cells = []
        for j, (c, v) in enumerate(zip(df.columns, row, strict=True)):
            text = "–" if v is None or (isinstance(v, float) and math.isnan(v)) else v
            text = str(text) if c in raw else _e(text)
            if j == 0:
                cells.append(f'<th scope="row">{text}{(marks or [""] * (i + 1))[i]}</th>')
            else:
                kind = " class=num" if c in numeric else " class=prose" if len(text) > 60 else ""
                cells.append(f"<td{kind}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    note_html = f'<p class="table-note">{_e(note)}</p>' if note else ""
    return (
        f'<div class="table-wrap" role="region" aria-label="{_e(caption)}" tabindex="0">'
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{note_html}"
    )


def synthetic_banner(ev: Evaluation) -> str:
    if not ev.synthetic:
        return ""
    return (
        '<div class="banner" role="note">EKSEMPELDATA – denne rapport bygger på syntetiske '
        "data, ikke på rigtige besvarelser eller politiets tal. Tallene viser kun, hvordan "
        "rapporten ser ud.</div>"
    )


def title_block(ev: Evaluation) -> HTML:
    warnings = "".join(
        f'<div class="warning" role="note"><b>Antagelse:</b> {_e(w)}</div>' for w in ev.warnings
    )
    return HTML(
        f"{synthetic_banner(ev)}{warnings}"
        f"<h1>{_e(ev.partnership_name)}: status {ev.year}</h1>"
        f"<p class='subtitle'>Partnerskabsaftalen {_e(ev.agreement_period)} · område: "
        f"{_e(ev.area_name)} i {_e(ev.district_name)} · Tryghedsundersøgelsen {ev.year} og "
        f"politiets tal for {ev.year}</p>"
    )


def main_points_block(ev: Evaluation) -> HTML:
    """The report's opening: its main points in plain Danish, and the one note on a boundary
    change when the report has one."""
    items = "".join(f"<li>{_e(p)}</li>" for p in main_points(ev, significant_findings(ev)))
    return HTML(
        '<section class="main-points" aria-labelledby="hovedpunkter">'
        f'<h2 id="hovedpunkter">Hovedpunkter</h2><ul>{items}</ul></section>'
        f"{boundary_notes([boundary_note(b.year, b.note) for b in ev.breaks])}"
    )


def boundary_notes(notes: list[str], prefix: str = "") -> str:
    """The one note on boundary changes, which the ¹ marks link to (``prefix``: for its id,
    where a document holds several partnerships)."""
    if not notes:
        return ""
    paragraphs = "".join(f"<p><sup>¹</sup> {_e(n)}</p>" for n in notes)
    return (
        f'<aside class="note" id="{prefix}{BOUNDARY_NOTE_ID}" aria-label="Note om områdets '
        'grænser">'
        f"<h3>Note om områdets grænser</h3>{paragraphs}</aside>"
    )


READING_LABELS = {Reading.MET: "opfyldt", Reading.NOT_MET: "ikke opfyldt"}

STATUS_INTRO = (
    "Hvert mål læses på to måder: er tallet gået den vej, aftalen siger (som udvalget læser "
    "det), og er ændringen større, end tilfældige udsving kan forklare? Status samler begge. "
    "Aktiviteter og SSP er optællinger af det hele og har kun den første læsning."
)


def evidence_words(o) -> str:
    evidence = o.status.evidence
    if evidence is None:
        return "–"
    if evidence is Evidence.NO_TEST and o.objective in ("collaboration", "ssp"):
        return "ingen stikprøve"
    p = "" if math.isnan(o.p_value) else f" ({pval(o.p_value)})"
    return EVIDENCE_LABELS[evidence] + p


def status_table(ev: Evaluation) -> HTML:
    rows = "".join(
        f'<tr><th scope="row">{_e(o.objective_label)}</th><td>{_e(o.indicator_label)}</td>'
        f'<td class="status-cell">{status_badge(o.status)}{boundary_mark(o.boundary_year)}</td>'
        f'<td>{_e(evidence_words(o))}</td><td class="prose">{_e(o.explanation)}</td></tr>'
        for o in ev.objectives
    )
    caption = f"Mål og status {ev.year}"
    return HTML(
        f"<p>{_e(STATUS_INTRO)}</p>"
        f'<div class="table-wrap" role="region" aria-label="{caption}" tabindex="0">'
        f"<table><caption>{caption}</caption><thead><tr><th scope='col'>Mål</th>"
        "<th scope='col'>Indikator</th><th scope='col'>Status</th>"
        "<th scope='col'>Større end tilfældige udsving?</th>"
        f"<th scope='col'>Forklaring</th></tr></thead><tbody>{rows}</tbody></table></div>"
        '<p class="table-note">p-værdien i parentes er sandsynligheden for en mindst lige så '
        f"stor ændring, hvis intet reelt havde ændret sig; under {num(config.ALPHA, 2)} kaldes "
        "ændringen "
        "statistisk signifikant (se bilaget om metode).</p>"
    )


def _fmt_change(v: float) -> str:
    return "–" if v != v else num(v * 100, 1)


def changes_table(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    if c.empty:
        return HTML("<p>Ingen sammenligninger: data mangler.</p>")
    out = pd.DataFrame(
        {
            "Indikator": c["indicator"].map(INDICATOR_LABELS),
            "Sammenligning": [
                f"{f}–{t} ({text.COMPARISONS[k]})"
                for f, t, k in zip(c["from_year"], c["to_year"], c["comparison"], strict=True)
            ],
            "Fra": c["from_share"].map(pct),
            "Til": c["to_share"].map(pct),
            "Svar (fra / til)": [
                f"{num(a)} / {num(b)}" for a, b in zip(c["n_from"], c["n_to"], strict=True)
            ],
            "Ændring (procentpoint)": c["change"].map(_fmt_change),
            "95 %-konfidensinterval": [
                "–" if lo != lo else f"{num(lo * 100, 1)} til {num(hi * 100, 1)}"
                for lo, hi in zip(c["ci_low"], c["ci_high"], strict=True)
            ],
            "p-værdi": c["p_value"].map(pval),
            "Vurdering": [
                "ikke sammenligneligt (nye grænser)"
                if b == b and b is not None
                else change_description(ch, None if e is None else Evidence(e))
                for ch, e, b in zip(c["change"], c["evidence"], c["boundary_year"], strict=True)
            ],
        }
    )
    marks = [boundary_mark(b) for b in c["boundary_year"]]
    return HTML(
        table_html(
            out,
            "Ændringer i andelene",
            numeric=("Fra", "Til", "Svar (fra / til)", "Ændring (procentpoint)", "p-værdi"),
            note="Konfidensintervallet er det interval, ændringen med 95 % sandsynlighed ligger "
            "i; p-værdien er forklaret under målene. Sammenligninger på tværs af en "
            "grænseændring testes ikke.",
            marks=marks,
        )
    )


def mde_text(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    c = c[(c["comparison"] == "previous_year") & c["mde"].notna()]
    if c.empty:
        return HTML("")
    direction = ev.survey_direction
    items = "".join(
        f"<li>{_e(INDICATOR_LABELS[r.indicator])}: {_e(mde_clause(r.n_to, r.mde, direction))}</li>"
        for r in c.itertuples()
    )
    return HTML(
        "<p><b>Hvor store ændringer kan data vise?</b> En ændring, der er mindre end den "
        "mindste påviselige ændring, kan ikke skelnes fra tilfældige udsving med dette antal "
        f"svar:</p><ul>{items}</ul>"
    )


def trend_table(ev: Evaluation) -> HTML:
    t = ev.survey_trends
    if t.empty:
        return HTML("<p>For få år til at beregne udviklingen over årene.</p>")
    out = pd.DataFrame(
        {
            "Indikator": t["indicator"].map(INDICATOR_LABELS),
            "Hvad": t["kind"].map(text.TREND_KINDS),
            "År": [f"{a}–{b}" for a, b in zip(t["from_year"], t["to_year"], strict=True)],
            "Ændring pr. år (procentpoint)": t["slope_per_year"].map(lambda v: num(v * 100, 1)),
            "p-værdi": t["p_value"].map(pval),
        }
    )
    after_break = [y for y in t["boundary_year"] if y == y and y is not None]
    note = "Udviklingen over aftalens år er information ved siden af målene."
    if after_break:
        note += f" Kun år fra {int(after_break[0])}, med områdets nuværende grænser."
    return HTML(
        table_html(
            out,
            "Udviklingen over aftalens år (information)",
            numeric=("Ændring pr. år (procentpoint)", "p-værdi"),
            note=note,
        )
    )


def model_table(ev: Evaluation) -> HTML:
    """The area's model-based share beside the direct one, from the agreement's starting point
    to this year (information; the figure shows every year fitted)."""
    m, fit = ev.survey_model, ev.survey_model_fit
    if m.empty:
        reasons = [r for r in fit["reason"] if r] if not fit.empty else []
        return HTML(f"<p>{_e(reasons[0] if reasons else text.NO_MODEL['no_share'])}</p>")
    since = ev.period_years[0] - 1
    m = m[m["year"] >= since].sort_values(["indicator", "year"])

    def interval(lo: float, hi: float) -> str:
        return f"{num(lo * 100, 1)}–{num(hi * 100, 1)}"

    out = pd.DataFrame(
        {
            "Indikator": m["indicator"].map(INDICATOR_LABELS),
            "År": m["year"].astype(str),
            "Direkte måling (%)": m["direct"].map(lambda v: num(v * 100, 1)),
            "Modelbaseret skøn (%)": m["model"].map(lambda v: num(v * 100, 1)),
            "95 %-interval (%)": [
                interval(lo, hi) for lo, hi in zip(m["ci_low"], m["ci_high"], strict=True)
            ],
        }
    )
    sentence = text.model_sentence(ev.survey_model, ev.area_name, ev.year)
    return HTML(
        f"<p>{_e(text.MODEL_INTRO)}</p>"
        + (f"<p>{_e(sentence)}</p>" if sentence else "")
        + table_html(
            out,
            f"Direkte måling og modelbaseret skøn for {ev.area_name}, {since}–{ev.year} "
            "(information)",
            numeric=("Direkte måling (%)", "Modelbaseret skøn (%)", "95 %-interval (%)"),
            note="Metode og modellens kontrol står i metodeafsnittet.",
        )
    )


def crime_table(ev: Evaluation) -> HTML:
    rows = [o for o in ev.objectives if o.objective == "crime"]
    if not rows:
        return HTML("")
    out = pd.DataFrame(
        {
            "Indikator": [o.indicator_label for o in rows],
            "Baseline": [
                "–"
                if math.isnan(o.reference.estimate)
                else f"{count_text(o.reference.estimate)} ({o.reference.year})"
                for o in rows
            ],
            f"{ev.year}": [count_text(o.estimate) for o in rows],
            "Forhold til baseline (95 %-interval)": [
                "–"
                if math.isnan(o.change.ci_low)
                else f"{num(o.change.estimate, 2)} "
                f"({num(o.change.ci_low, 2)}–{num(o.change.ci_high, 2)})"
                for o in rows
            ],
            "p-værdi": [pval(o.p_value) for o in rows],
            "Status": [status_badge(o.status) for o in rows],
            "Bemærkning": [o.flags or "–" for o in rows],
        }
    )
    methods = sorted({method_name(o.test) for o in rows if o.test})
    return HTML(
        table_html(
            out,
            f"Anmeldelser mod baseline, {ev.year}",
            numeric=("Baseline", f"{ev.year}", "Forhold til baseline (95 %-interval)", "p-værdi"),
            note="Forholdet er årets tal delt med baselineårets (under 1: færre anmeldelser). "
            f"Test: {', '.join(methods) or 'ingen'} (se bilaget om metode).",
            marks=[boundary_mark(o.boundary_year) for o in rows],
            raw=("Status",),
        )
    )


def monitoring_table(ev: Evaluation) -> HTML:
    m = ev.monitoring
    if m.empty:
        return HTML("")
    out = pd.DataFrame(
        {
            "Gerningstype": m["label"],
            "År": [
                f"{int(a)}–{int(b)}" if a == a and a is not None else "–"
                for a, b in zip(m["from_year"], m["to_year"], strict=True)
            ],
            f"Seneste ({ev.year})": m["latest"].map(count_text),
            "Ændring pr. år": m["rate_ratio_per_year"].map(
                lambda v: "–" if v != v else f"{'+' if v >= 1 else '−'}{pct(abs(v - 1))}"
            ),
            "p-værdi": m["p_value"].map(pval),
        }
    )
    methods = sorted({method_name(x) for x in m["method"] if x})
    return HTML(
        table_html(
            out,
            "Monitorerede gerningstyper (information, intet mål)",
            numeric=(f"Seneste ({ev.year})", "Ændring pr. år", "p-værdi"),
            note=f"Ændringen pr. år er den gennemsnitlige udvikling. Model: "
            f"{', '.join(methods) or 'ingen'} (se bilaget om metode).",
        )
    )


def plan_rows(ev: Evaluation) -> HTML:
    rows = [o for o in ev.objectives if o.objective in ("collaboration", "ssp")]
    if not rows:
        return HTML("<p>Aftalen har ingen mål for samarbejde eller SSP.</p>")
    return HTML(
        "".join(
            f"<p>{status_badge(o.status)} <b>{_e(o.objective_label)}.</b> {_e(o.explanation)}</p>"
            for o in rows
        )
    )


def _variance_items(variance: str) -> str:
    """The methods note on the survey's uncertainty: the variance this evaluation used."""
    alpha = num(config.ALPHA, 2)
    z = num(NormalDist().inv_cdf(1 - config.ALPHA / 2), 2)
    floor = (
        f"Under {config.MIN_RESPONDENTS} svar (besvarelser eller effektivt antal) beregnes, "
        "vises og gemmes ingen andel eller test (»for få besvarelser«)."
    )
    at_city = "ligger området allerede på eller under københavnerniveauet, testes selve afstanden."
    if variance == "taylor":
        return f"""<li><b>Usikkerheden følger undersøgelsens design.</b> Andelene er vægtede. Deres
usikkerhed er beregnet ud fra, hvordan stikprøven er trukket: vægtene, strata efter bydel og år
og den del af beboerne, der er spurgt (designbaseret varians ved Taylor-linearisering, som R's
survey-pakke beregner den; Lumley 2010, Complex Surveys). Designeffekten er forholdet mellem denne
varians og variansen i en simpel tilfældig stikprøve med samme antal svar; vægteffekten
(Kish: n·Σw²/(Σw)²) er vægtenes ulighed alene. {floor}</li>
<li><b>Tryghed.</b> Andele har Wilson-intervaller med det effektive antal svar. En ændring fra ét
år til et andet testes med en z-test på de to års designbaserede varians; intervallet er
estimatet ± {z} standardfejl, så intervallet udelukker 0, netop når p &lt; {alpha}. Afstanden
til københavnerniveauet sammenlignes med udgangspunktet med en z-test for ændringen i
afstanden, hvor det regnes med, at områdets svar også indgår i københavnertallet; {at_city}</li>"""
    return f"""<li><b>Vægte og effektivt antal svar.</b> Andelene er offentliggjorte eller
aggregerede tal uden de enkelte besvarelser. Usikkerheden beregnes med det effektive antal
svar, antallet af svar divideret med den oplyste designeffekt (Kish). {floor}</li>
<li><b>Tryghed.</b> Andele har Wilson-intervaller. En ændring fra ét år til et andet testes med
den sædvanlige z-test for to andele; intervallet for ændringen er Mees score-interval, som er
testens spejlbillede: intervallet udelukker 0, netop når p &lt; {alpha} (Mee 1984). Afstanden til
københavnerniveauet sammenlignes med udgangspunktet med en z-test for ændringen i afstanden;
{at_city}</li>"""


def _model_item(ev: Evaluation) -> str:
    """The methods note on the model-based share, with each indicator's fit diagnostics."""
    fit = ev.survey_model_fit
    fitted = fit[fit["reason"] == ""] if not fit.empty else fit
    gamma = ev.survey_model[ev.survey_model["year"] == ev.year].set_index("indicator")
    checks = "; ".join(
        f"{INDICATOR_LABELS[r.indicator].lower()}: {r.n_domains} områdeår "
        f"{r.from_year}–{r.to_year}, modelvarians {num(r.model_variance * 1e4, 1)}·10⁻⁴, "
        f"den direkte målings andel af skønnet (krympningsfaktoren) i {ev.year} "
        f"{num(gamma['shrinkage'].get(r.indicator, math.nan), 2)}, standardiserede residualer "
        f"med spredning {num(r.residual_sd, 2)} og {num(r.residuals_beyond_2 * 100)} % uden for ±2"
        for r in fitted.itertuples()
    )
    return f"""<li><b>Modelbaseret skøn</b> (information, intet mål): en Fay–Herriot-model
(Fay &amp; Herriot 1979; Rao &amp; Molina 2015, Small Area Estimation, 2. udgave, kapitel 6) over
alle områder, undersøgelsen måler uden overlap (partnerskabsområderne, resten af deres bydele og
de andre bydele), i alle år til og med {ev.year}, på arcus-sinus-kvadratrod-skala, hvor
usikkerheden kun afhænger af det effektive antal svar. Modellen har hvert områdes eget niveau og
egen lineære udvikling over årene, hvert års niveau for hele byen og et tilfældigt bidrag for
hvert område og år; modelvariansen skønnes med REML (Li og Lahiris justerede REML, hvis REML
giver 0), usikkerheden med Prasad–Raos formel. Skønnet vægter den direkte måling med
modelvariansen over summen af den og målingens egen varians og resten med modellens
forudsigelse. En simulation med undersøgelsens stikprøvestørrelser viser, at 95 %-intervallerne
rammer den sande andel i omkring 95 % af årene for partnerskabsområderne, og at et område, der
ligger langt over de andre og falder hurtigere end byen, hverken trækkes mod byen eller mod sin
egen fortid. Politiets anmeldelser indgår ikke: de
findes kun for partnerskabsområderne. Kontrol: {_e(checks or "ingen model i denne rapport")}.
</li>"""


def methods_note(ev: Evaluation, caveats: tuple[Assumption, ...]) -> HTML:
    """The methods note; its caveats are the assumptions log's report texts
    (``docs/assumptions.md``, handed in by :func:`analysis.reporting.runner.caveats`). It says
    which variance the evaluation's survey figures were tested on (``ev.survey_variance``)."""
    variance = ev.survey_variance
    items = "".join(f"<li>{_e(a.report_text)} ({_e(a.id)})</li>" for a in caveats)
    a_pct, p_pct = num(config.ALPHA * 100), num(config.POWER * 100)
    return HTML(f"""
<h2 id="bilag-metode">Bilag A. Metode og forbehold</h2>
<ul>
<li><b>Én regel for alle mål.</b> Hvert mål, der bygger på en stikprøve eller på anmeldelser,
læses på to måder: aftalens ordlyd (er tallet faldet, holdt sig på eller under baseline, eller
kommet nærmere københavnerniveauet – vurderet på selve tallet) og om ændringen er statistisk
signifikant på {a_pct} %-niveau (tosidet test: signifikant forbedring, inden for tilfældige
udsving, eller signifikant forværring). Status samler begge, fx »opfyldt, ikke signifikant«.
Tryghedsplanens aktiviteter og SSP's aktiveringer er optællinger uden stikprøve og får kun
ordlyden.</li>
{_variance_items(variance)}
<li><b>Anmeldelser.</b> Et lille områdes anmeldelser svinger mere fra år til år, end en
Poisson-model tillader. Udsvingene (overspredningen φ) måles derfor på områdets egen tidsserie –
op til {config.DISPERSION_YEARS} år før det evaluerede år, uden det evaluerede år og baselineåret –
som Pearson χ²/frihedsgrader i en log-lineær Poisson-regression, og året sammenlignes med
baseline med en kvasi-Poisson-test (betinget score-test med variansen ganget med φ og
t-fordeling på φ's frihedsgrader; McCullagh &amp; Nelder 1989, Generalized Linear Models, 2. udg.).
Forholdstallet, intervallet og p-værdien er alle mod den samme baseline – aftalens eget tal,
når aftalen angiver et. Er tidsserien for kort (under {config.MIN_DISPERSION_DF + 2} andre år),
bruges den eksakte betingede Poisson-test, og rapporten siger, at den antager, at der ingen
ekstra variation er. Udviklingen i de monitorerede gerningstyper er en Poisson-regression på år
(kvasi-Poisson med t-fordeling ved overspredning); den er information, ikke et mål.</li>
<li><b>Flere test.</b> Hvert mål er aftalt på forhånd og testes for sig; p-værdierne er ikke
justeret for, at der er flere mål i samme rapport. Med omkring ti test pr. rapport vil et af dem
i gennemsnit hvert andet år være signifikant ved et tilfælde. En simulation uden reelle
ændringer (i testene) viser, at hver test giver signifikant udfald i omkring 5 % af årene.</li>
<li><b>Sammenligning med omgivelserne</b> (information, intet mål): områdets ændring siden
udgangspunktet minus ændringen i resten af bydelen og resten af København (forskel i forskelle,
i procentpoint, med samme usikkerhed som ændringerne; for anmeldelser forholdet mellem
områdets og resten af byens forholdstal mod baseline, med overspredning som i vurderingen).
Sammenligningen kan skille et godt eller dårligt år for hele byen fra partnerskabets egen
udvikling, men kun under antagelsen om, at området ellers ville have fulgt omgivelserne
(parallelle tendenser). Områder, der er udvalgt, fordi de var utrygge, nærmer sig desuden ofte
gennemsnittet af sig selv (regression mod middelværdien), så en forbedring kan være større end
partnerskabets virkning. Aggregerede tal uden bydelens svar og sammenligninger på tværs af en
grænseændring giver intet tal.</li>
<li><b>Stikprøvens størrelse</b>: det årlige fald, der skal til for at nå københavnerniveauet ved
periodens slutning, og de svar, der skal til for at påvise det med {p_pct} % sandsynlighed
(tosidet test på {a_pct} %-niveau, som R's power.prop.test), ganget med forholdet mellem antal
svar og effektivt antal svar.
Hvor ét år ikke kan påvise den ændring, vises også to år lagt sammen mod to år.</li>
<li><b>Hvad betyder »ikke signifikant«?</b> At ændringen er så lille i forhold til antallet af
svar (eller de årlige udsving i anmeldelserne), at den kan skyldes tilfældigheder. Det betyder
ikke, at der ingen ændring er – kun at data ikke kan vise den. Den mindste påviselige ændring
står ved hvert årligt mål.</li>
<li><b>Minimum fastholdelse</b> betyder, at tallet højst må være på baselineårets niveau.
Monitorerede gerningstyper har intet mål.</li>
<li><b>Grænseændringer.</b> Når et område har fået nye grænser mellem to år, sammenlignes de to
år ikke: målet får status »ikke sammenligneligt«, tallene vises, og der laves ingen test.
Udviklingen over årene beregnes kun for år med områdets nuværende grænser.</li>
<li><b>Udviklingen over årene</b> (information): for området selv en logistisk trend på årstal
over aftalens år, vist som den gennemsnitlige ændring pr. år i procentpoint; for området mod
resten af København (ændrer afstanden sig?) en lineær trend i procentpoint. Begge med
designbaseret usikkerhed og t-test. Ændringstabellen viser også ændringen over de seneste to år
og siden områdets første måling, som undersøgelsen selv opgør dem.</li>
{_model_item(ev)}
</ul>
<p><b>Forbehold</b> (fra projektets log over antagelser):</p>
<ul>{items}</ul>""")


SURROUNDINGS_INTRO = (
    "Er området gået mere frem end omgivelserne? Ændringen i området siden aftalens "
    "udgangspunkt sammenlignes med ændringen i resten af bydelen og resten af København over "
    "de samme år. Et godt eller dårligt år for hele byen trækkes dermed fra. Det er "
    "information ved siden af målene, ikke et mål i aftalen. Sammenligningen antager, at "
    "området uden partnerskabet ville have fulgt omgivelserne; områder, der er valgt, fordi de "
    "var utrygge, har desuden en tendens til at nærme sig gennemsnittet af sig selv."
)


def surroundings_text(ev: Evaluation) -> HTML:
    labels = {o.indicator: o.indicator_label for o in ev.objectives} | INDICATOR_SUBJECT

    def sentence(c) -> str:
        return surroundings_sentence(
            c,
            ev.area_name,
            ev.district_name,
            labels.get(c.indicator, c.indicator),
            ev.survey_direction,
        )

    items = "".join(f"<li>{_e(sentence(c))}</li>" for c in ev.surroundings)
    if not items:
        return HTML("<p>Ingen sammenligning: data mangler.</p>")
    tested = [c for c in ev.surroundings if c.result is not None]
    table = ""
    if tested:
        short = {o.indicator: o.indicator_label for o in ev.objectives} | INDICATOR_LABELS
        out = pd.DataFrame(
            {
                "Indikator": [short.get(c.indicator, c.indicator) for c in tested],
                "Mod": [surroundings_label(c.comparison, ev.district_name) for c in tested],
                "År": [f"{c.from_year}–{c.to_year}" for c in tested],
                "Forskel (95 %-interval)": [_difference(c) for c in tested],
                "p-værdi": [pval(c.result.p_value) for c in tested],
            }
        )
        table = table_html(
            out,
            "Området mod omgivelserne",
            numeric=("Forskel (95 %-interval)", "p-værdi"),
            note="For andele: forskellen i ændring, i procentpoint; for anmeldelser: forholdet "
            "mellem områdets og omgivelsernes udvikling (1: samme udvikling).",
        )
    return HTML(f"<ul>{items}</ul>{table}")


def _difference(c) -> str:
    r = c.result
    if c.kind == "crime":
        return f"{num(r.estimate, 2)} ({num(r.ci_low, 2)}–{num(r.ci_high, 2)})"
    return f"{num(r.estimate * 100, 1)} ({num(r.ci_low * 100, 1)} til {num(r.ci_high * 100, 1)})"


def sample_size_text(ev: Evaluation) -> HTML:
    if not ev.sample_sizes:
        return HTML("<p>For få svar i området til at regne på stikprøvens størrelse.</p>")
    items = "".join(
        f"<li>{_e(sample_size_sentence(n, ev.survey_direction, ev.year))}</li>"
        for n in ev.sample_sizes
    )
    pooled = ""
    if ev.pooled:
        sentences = "".join(f"<li>{_e(pooled_sentence(p))}</li>" for p in ev.pooled)
        out = pd.DataFrame(
            {
                "Indikator": [INDICATOR_LABELS[p.indicator] for p in ev.pooled],
                "Før": [f"{pct(p.before.share)} ({p.early[0]}–{p.early[1]})" for p in ev.pooled],
                "Efter": [f"{pct(p.after.share)} ({p.late[0]}–{p.late[1]})" for p in ev.pooled],
                "Ændring (procentpoint)": [_fmt_change(p.result.estimate) for p in ev.pooled],
                "p-værdi": [pval(p.result.p_value) for p in ev.pooled],
            }
        )
        pooled = (
            "<p><b>To år lagt sammen.</b> Hvor et enkelt år ikke kan påvise den ændring, aftalen "
            f"håber på, sammenlignes to år med to år:</p><ul>{sentences}</ul>"
            + table_html(
                out,
                "To år lagt sammen mod to år",
                numeric=("Før", "Efter", "Ændring (procentpoint)", "p-værdi"),
            )
        )
    return HTML(
        "<p>Hvor mange svar skal der til for at kunne se den ændring, aftalen håber på? "
        "Tallet er det, Sikker By kan bestille som ekstra stikprøve hos analysefirmaet.</p>"
        f"<ul>{items}</ul>{pooled}"
    )


def notes(ev: Evaluation) -> HTML:
    if not ev.notes:
        return HTML("")
    return HTML(
        "<p><b>Bemærkninger:</b></p><ul>" + "".join(f"<li>{_e(n)}</li>" for n in ev.notes) + "</ul>"
    )


def sources_html(entries: list[tuple[str, str]]) -> str:
    """The numbered list of sources, each a link where there is one."""
    items = "".join(
        f'<li><a href="{_e(url)}">{_e(text)}</a></li>' if url else f"<li>{_e(text)}</li>"
        for text, url in entries
    )
    return f"<ol class='sources'>{items}</ol>"


def published_sources(ev: Evaluation) -> HTML:
    """Annex B: the published figures with their sources, then the list of sources."""
    p = ev.published
    p = p[p["year"] <= ev.year] if not p.empty else p
    entries = source_list([ev], p)
    table = ""
    if not p.empty:
        sources = list(dict.fromkeys(p["source"]))
        first = len(entries) - len(sources) + 1  # the number of the first published source
        out = pd.DataFrame(
            {
                "Område": p["area"].map(
                    {ev.area: ev.area_name, ev.district: ev.district_name, "kobenhavn": "København"}
                ),
                "År": p["year"].map(str),
                "Tal": p["indicator"].map(lambda i: PUBLISHED_LABELS.get(i, i)),
                "Værdi": p["value"].map(count_text),
                "Kilde": p["source"].map(lambda src: f"[{sources.index(src) + first}]"),
            }
        )
        table = table_html(
            out,
            "Offentliggjorte tal med kilde",
            numeric=("Værdi",),
            note="Kildenumrene henviser til kildelisten nedenfor.",
        )
    return HTML(
        '<h2 id="bilag-tal">Bilag B. Offentliggjorte tal</h2>'
        "<p>Tal offentliggjort af Københavns Kommune, i partnerskabsaftalerne og i lokale "
        f"medier, til sammenligning.</p>{table}"
        f'<h2 id="kilder">Kilder</h2>{sources_html(entries)}'
    )


def provenance_footer(ev: Evaluation) -> HTML:
    prov = ev.provenance
    inputs = ", ".join(
        f"{_e(k.rsplit('.', 1)[0])} ({v[:12]})" for k, v in sorted(prov["inputs_sha256"].items())
    )
    code = prov.get("package_source_sha256", "")[:12]
    return HTML(
        "<hr><p class='provenance'><b>Herkomst</b> (til genberegning): aftale "
        f"{_e(prov['agreement_id'])} (sha256 {prov['agreement_sha256'][:12]}); datasæt "
        f"»{_e(prov['dataset'])}«; inddata (sha256): {inputs}; analysepakke version "
        f"{_e(prov['package_version'])} (kode sha256 {code}).</p>"
    )


def key_numbers(ev: Evaluation) -> str:
    """A few stable, rounded numbers for nbval to compare (not shown in the HTML report)."""
    lines = [f"{ev.partnership} {ev.year} {ev.agreement_id}"]
    for o in ev.objectives:
        value = "" if math.isnan(o.estimate) else f" {o.estimate:.3f}"
        lines.append(f"{o.objective}/{o.indicator}: {o.status}{value}")
    lines += [f"warning: {w}" for w in ev.warnings]
    return "\n".join(lines)
