"""What the evaluation notebook displays: Danish HTML blocks and tables built from an Evaluation.

The notebook stays thin: it gets its Evaluation from :mod:`analysis.reporting.runner` and then
calls one function per section. Nothing here reads or writes a file, and nothing shows
respondent-level data; every table is built from aggregates.
"""

from __future__ import annotations

import html
import json
import math
import re

import pandas as pd

from analysis import config
from analysis.assumptions import Assumption
from analysis.evaluation import Evaluation
from analysis.evaluation.status import EVIDENCE_LABELS, Evidence, Reading
from analysis.evaluation.survey import COMPARISONS
from analysis.evaluation.text import (
    INDICATOR_LABELS,
    INDICATOR_SUBJECT,
    change_description,
    crime_alt,
    mde_clause,
    method_name,
    monitoring_alt,
    num,
    pct,
    pooled_sentence,
    pval,
    sample_size_sentence,
    surroundings_alt,
    surroundings_label,
    surroundings_sentence,
    survey_alt,
)
from analysis.indicators import PUBLISHED_LABELS
from analysis.reporting import plots
from analysis.reporting.html import svg_data_uri
from analysis.reporting.style import status_badge


class HTML:
    """Minimal rich-display object (avoids importing IPython in the package)."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


#: SVG text as <text> in the page's font stack; element ids reproducible from run to run
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "analysis-report"}


class Figure:
    """A matplotlib figure embedded as SVG (sharp on A4 paper, text kept as text), with a text
    alternative generated from its numbers and the numbers themselves as a table a screen
    reader can reach (in a ``<details>`` element), as WCAG 2.1 asks of a figure."""

    def __init__(self, fig, alt: str, data: pd.DataFrame | None = None) -> None:
        self.fig, self.alt, self.data = fig, alt, data

    def svg(self) -> str:
        """The figure as compact SVG: no metadata block, coordinates to 0.1 pt, no layout
        white space (a report stays small; 0.1 pt is far below what print or screen shows)."""
        import io
        import re

        import matplotlib

        buf = io.StringIO()
        with matplotlib.rc_context(SVG_RC):  # layout is set by the plot functions
            self.fig.savefig(buf, format="svg", metadata={"Date": None})
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
        svg = _unwrap_groups(re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", svg)))
        return svg

    def html(self, svg: str | None = None) -> str:
        svg = svg if svg is not None else self.svg()
        data = svg_data_uri(svg)
        table = ""
        if self.data is not None and not self.data.empty:
            table = (
                "<details><summary>Tallene bag figuren</summary>"
                + self.data.to_html(index=False, escape=True, na_rep="–", border=0)
                + "</details>"
            )
        return f'<figure><img src="{data}" alt="{_e(self.alt)}">{table}</figure>'

    def _repr_mimebundle_(self, include=None, exclude=None):
        svg = self.svg()
        return (
            {"text/html": self.html(svg), "image/svg+xml": svg},
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


def show(figure: Figure | None) -> Figure | HTML:
    """Display a figure (None: nothing to plot)."""
    return figure if figure is not None else HTML("<p>Ingen data at vise.</p>")


def survey_figure(ev: Evaluation) -> Figure | None:
    """The shares of the area, its district and the city per year."""
    fig = plots.survey_figure(ev)
    if fig is None:
        return None
    s = ev.survey_series
    names = {ev.area: ev.area_name, ev.district: ev.district_name, "kobenhavn": "København"}
    wide = s.assign(name=s["area"].map(names), pct=(s["share"] * 100).round(0)).pivot_table(
        index=["indicator", "year"], columns="name", values="pct", aggfunc="first"
    )
    wide = wide.reset_index()
    wide["indicator"] = wide["indicator"].map(INDICATOR_LABELS)
    cols = [c for c in (ev.area_name, ev.district_name, "København") if c in wide]
    table = wide[["indicator", "year", *cols]].rename(
        columns={"indicator": "Indikator", "year": "År", **{c: f"{c} (%)" for c in cols}}
    )
    return Figure(fig, survey_alt(ev.survey_series, ev.area, ev.area_name, ev.year), table)


def crime_figure(ev: Evaluation) -> Figure | None:
    fig = plots.crime_figure(ev)
    if fig is None:
        return None
    rows = [o for o in ev.objectives if o.objective == "crime"]
    data = ev.crime_series[ev.crime_series["role"] == "target"]
    table = data.pivot_table(index="year", columns="label", values="value", aggfunc="first")
    table = table.round(1).reset_index().rename(columns={"year": "År"})
    return Figure(fig, crime_alt(rows, ev.area_name, ev.year), table)


def monitoring_figure(ev: Evaluation) -> Figure | None:
    fig = plots.monitoring_figure(ev)
    if fig is None:
        return None
    data = ev.crime_series[ev.crime_series["role"] == "monitored"]
    table = data.pivot_table(index="year", columns="label", values="count", aggfunc="first")
    table = table.reset_index().rename(columns={"year": "År"})
    return Figure(fig, monitoring_alt(data, ev.area_name), table)


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
    return Figure(fig, surroundings_alt(found, ev.area_name, ev.district_name), pd.DataFrame(rows))


def section(title: str, intro: str = "", level: int = 2) -> HTML:
    """A section heading (and an introductory paragraph) for the report."""
    para = f"<p>{_e(intro)}</p>" if intro else ""
    return HTML(f"<h{level}>{_e(title)}</h{level}>{para}")


#: the tests' method names as the report tables show them
SURVEY_INTRO = (
    "Andelen af beboerne i området, i bydelen og i hele København pr. år, med "
    "95 %-konfidensintervaller (skraveret). Aftaleperioden er markeret med gult; den "
    "stiplede linje er det evaluerede år. Krydserne er tal, kommunen har "
    "offentliggjort (kilder nederst)."
)
CRIME_INTRO = (
    "Anmeldelser i partnerskabsområdet. Målet er »minimum fastholdelse«: tallet må "
    "højst være på baselineårets niveau (stiplet rød linje). Lodrette streger er "
    "95 %-konfidensintervaller under Poisson-antagelsen; tallene svinger ofte mere "
    "end det fra år til år, og testen mod baseline tager højde for det."
)


def _e(text: object) -> str:
    return html.escape(str(text))


def synthetic_banner(ev: Evaluation) -> str:
    if not ev.synthetic:
        return ""
    return (
        '<div style="background:#b71c1c;color:white;padding:10px 14px;font-size:1.15em;'
        'font-weight:700;border-radius:4px;margin-bottom:10px">EKSEMPELDATA – denne rapport '
        "bygger på syntetiske data, ikke på rigtige besvarelser eller politiets tal. Tallene "
        "viser kun, hvordan rapporten ser ud.</div>"
    )


def title_block(ev: Evaluation) -> HTML:
    prov = ev.provenance
    sources = (
        "Københavns Kommunes Tryghedsundersøgelse (andele af trygge og utrygge), "
        "Københavns Politi (anmeldelser), befolkningstal, tryghedsplanens aktiviteter"
    )
    warnings = "".join(
        '<div style="border:2px solid #8e1b1b;background:#fde0dc;color:#5d1010;padding:8px 12px;'
        f'border-radius:4px;margin-bottom:8px"><b>Antagelse:</b> {_e(w)}</div>'
        for w in ev.warnings
    )
    return HTML(
        f"{synthetic_banner(ev)}{warnings}"
        f"<h1 style='margin-bottom:2px'>{_e(ev.partnership_name)}: status {ev.year}</h1>"
        f"<p style='font-size:1.05em;margin-top:0'>Aftaleperiode {_e(ev.agreement_period)} · "
        f"område: {_e(ev.area_name)} (bydel {_e(ev.district_name)})</p>"
        f"<p><b>Datakilder:</b> {_e(sources)}. Datasæt: <code>{_e(prov['dataset'])}</code>. "
        f"Aftaletekst: {_e(prov['agreement_source'])}.</p>"
    )


READING_LABELS = {Reading.MET: "opfyldt", Reading.NOT_MET: "ikke opfyldt"}

STATUS_INTRO = (
    "Hvert mål læses på to måder. <b>Aftalens ordlyd</b>: er tallet gået den vej, "
    "aftalen siger (vurderet på selve tallet, som udvalget læser det)? <b>Ud over "
    "tilfældige udsving?</b>: er ændringen statistisk signifikant (5 %-niveau), "
    "eller kan den skyldes tilfældigheder i, hvem der svarede, og almindelige "
    "udsving fra år til år? Status samler begge. Aktiviteter og SSP er optællinger "
    "uden stikprøve og har kun ordlyden."
)


def status_table(ev: Evaluation) -> HTML:
    def cells(o) -> str:
        reading, evidence = o.status.reading, o.status.evidence
        literal = "–" if reading is None else READING_LABELS[reading]
        beyond = (
            "–"
            if evidence is None
            else "ingen stikprøve"
            if evidence is Evidence.NO_TEST and o.objective in ("collaboration", "ssp")
            else EVIDENCE_LABELS[evidence]
        )
        p = "" if math.isnan(o.p_value) else f" ({pval(o.p_value)})"
        return f"<td>{_e(literal)}</td><td>{_e(beyond + p)}</td>"

    rows = "".join(
        f"<tr><td>{_e(o.objective_label)}</td><td>{_e(o.indicator_label)}</td>"
        f"<td>{status_badge(o.status)}</td>{cells(o)}"
        f"<td style='text-align:left'>{_e(o.explanation)}</td></tr>"
        for o in ev.objectives
    )
    counts = ", ".join(f"{n} {s}" for s, n in ev.status_counts().items() if n)
    return HTML(
        f"<p>{STATUS_INTRO}</p><p><b>Målopfyldelse {ev.year}:</b> {counts}.</p>"
        f"<table><caption>Målopfyldelse {ev.year}</caption><thead><tr><th>Mål</th>"
        "<th>Indikator</th><th>Status</th><th>Aftalens ordlyd</th>"
        "<th>Ud over tilfældige udsving?</th>"
        f"<th style='text-align:left'>Forklaring</th></tr></thead><tbody>{rows}</tbody>"
        "</table>"
    )


def _table(df: pd.DataFrame, caption: str) -> HTML:
    """A table with header cells and a caption (WCAG 2.1: a screen reader can name it)."""
    html = df.to_html(index=False, escape=True, na_rep="–", border=0)
    return HTML(
        html.replace(">\n  <thead>", f">\n  <caption>{_e(caption)}</caption>\n  <thead>", 1)
    )


def changes_table(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    if c.empty:
        return HTML("<p>Ingen sammenligninger: data mangler.</p>")
    out = pd.DataFrame(
        {
            "Indikator": c["indicator"].map(INDICATOR_LABELS),
            "Sammenligning": [
                f"{f} → {t} ({COMPARISONS[k]})"
                for f, t, k in zip(c["from_year"], c["to_year"], c["comparison"], strict=True)
            ],
            "Fra": c["from_share"].map(pct),
            "Til": c["to_share"].map(pct),
            "Svar (fra / til)": [
                f"{num(a)} / {num(b)}" for a, b in zip(c["n_from"], c["n_to"], strict=True)
            ],
            "Ændring (procentpoint)": c["change"].map(lambda v: num(v * 100, 1)),
            "95 %-konfidensinterval": [
                f"{num(lo * 100, 1)} til {num(hi * 100, 1)}"
                for lo, hi in zip(c["ci_low"], c["ci_high"], strict=True)
            ],
            "p-værdi": c["p_value"].map(pval),
            "Vurdering": [
                change_description(ch, p) for ch, p in zip(c["change"], c["p_value"], strict=True)
            ],
            "I aftalens retning?": c["evidence"].map(lambda v: EVIDENCE_LABELS[Evidence(v)]),
            "Bemærkning": c["flags"],
        }
    )
    return _table(out, "Ændringer i andelene og deres test")


def mde_text(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    c = c[c["comparison"] == "previous_year"]
    if c.empty:
        return HTML("")
    direction = ev.survey_direction
    items = "".join(
        f"<li>{_e(INDICATOR_LABELS[r.indicator])}: "
        f"{_e(mde_clause(r.n_to, r.n_eff_to, r.mde, direction))}</li>"
        for r in c.itertuples()
    )
    return HTML(
        "<p><b>Hvor store ændringer kan data vise?</b> En ændring i aftalens retning, "
        "der er mindre end den mindste påviselige ændring, kan ikke skelnes fra "
        "tilfældige udsving med dette antal svar (tosidet test på 5 %-niveau, 80 % "
        "styrke). Det effektive antal svar er mindre end antallet af svar, fordi "
        f"svarene er vægtede.</p><ul>{items}</ul>"
    )


def trend_table(ev: Evaluation) -> HTML:
    t = ev.survey_trends
    if t.empty:
        return HTML("<p>For få år til en trendtest.</p>")
    out = pd.DataFrame(
        {
            "Indikator": t["indicator"].map(INDICATOR_LABELS),
            "År": [f"{a}–{b}" for a, b in zip(t["from_year"], t["to_year"], strict=True)],
            "Hældning (procentpoint pr. år)": t["slope_per_year"].map(lambda v: num(v * 100, 1)),
            "χ² (trend)": t["chi2"].map(lambda v: num(v, 2)),
            "p-værdi": t["p_value"].map(pval),
            "Bemærkning": t["flags"],
        }
    )
    return _table(out, "Trend over aftalens år (information)")


def crime_table(ev: Evaluation) -> HTML:
    rows = [o for o in ev.objectives if o.objective == "crime"]
    if not rows:
        return HTML("")

    def fmt(o, v):  # rates per 1,000 have decimals, counts do not
        return num(v, 1 if v % 1 else 0)

    out = pd.DataFrame(
        {
            "Indikator": [o.indicator_label for o in rows],
            "Baseline": [
                f"{fmt(o, o.reference)} ({o.reference_year})"
                if not math.isnan(o.reference)
                else "–"
                for o in rows
            ],
            f"{ev.year}": [fmt(o, o.value) for o in rows],
            "Rate ratio (95 %-KI)": [
                f"{num(o.value / o.reference if o.reference else math.nan, 2)}"
                f" ({num(o.ci_low, 2)}–{num(o.ci_high, 2)})"
                if not math.isnan(o.ci_low)
                else "–"
                for o in rows
            ],
            "p-værdi (tosidet)": [pval(o.p_value) for o in rows],
            "Test": [method_name(o.method) for o in rows],
            "Status": [str(o.status) for o in rows],
        }
    )
    return _table(out, f"Anmeldelser mod baseline, {ev.year}")


def monitoring_table(ev: Evaluation) -> HTML:
    m = ev.monitoring
    if m.empty:
        return HTML("")
    out = pd.DataFrame(
        {
            "Gerningstype": m["label"],
            "År": [
                f"{a}–{b}" if a == a and a is not None else "–"
                for a, b in zip(m["from_year"], m["to_year"], strict=True)
            ],
            f"Seneste ({ev.year})": m["latest"],
            "Ændring pr. år (rate ratio)": m["rate_ratio_per_year"].map(lambda v: num(v, 2)),
            "p-værdi (trend)": m["p_value"].map(pval),
            "Model": m["method"].map(method_name),
        }
    )
    return _table(out, "Monitorerede gerningstyper (information, intet mål)")


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


def methods_note(caveats: tuple[Assumption, ...]) -> HTML:
    """The methods note; its caveats are the assumptions log's report texts
    (``docs/assumptions.md``, handed in by :func:`analysis.reporting.runner.caveats`)."""
    items = "".join(f"<li>{_e(a.report_text)} ({_e(a.id)})</li>" for a in caveats)
    return HTML(f"""
<h3>Metode og forbehold</h3>
<ul>
<li><b>Én regel for alle mål.</b> Hvert mål, der bygger på en stikprøve eller på anmeldelser,
læses på to måder: aftalens ordlyd (er tallet faldet, holdt sig på eller under baseline, eller
kommet nærmere københavnerniveauet – vurderet på selve tallet) og om ændringen er statistisk
signifikant på 5 %-niveau (tosidet test: signifikant forbedring, inden for tilfældige udsving,
eller signifikant forværring). Status samler begge, fx »opfyldt, ikke signifikant«. Tryghedsplanens
aktiviteter og SSP's aktiveringer er optællinger uden stikprøve og får kun ordlyden.</li>
<li><b>Vægte og effektivt antal svar.</b> Andelene er vægtede. Ulige vægte gør tallene mere
usikre, end antallet af svar tyder på; usikkerheden beregnes derfor med det effektive antal svar
(Kish: (Σw)²/Σw²). Under {config.MIN_RESPONDENTS} svar (besvarelser, ikke effektivt antal)
beregnes, vises og gemmes ingen andel eller test (»for få besvarelser«).</li>
<li><b>Tryghed.</b> Andele har Wilson-intervaller. En ændring fra ét år til et andet testes med
den sædvanlige z-test for to andele; intervallet for ændringen er Mees score-interval, som er
testens spejlbillede: intervallet udelukker 0, netop når p &lt; 0,05 (Mee 1984). Afstanden til
københavnerniveauet sammenlignes med udgangspunktet med en z-test for ændringen i afstanden;
ligger området allerede på eller under københavnerniveauet, testes selve afstanden.</li>
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
Wald-interval med uafhængige stikprøver og effektivt antal svar; for anmeldelser forholdet mellem
områdets og resten af byens forholdstal mod baseline, med overspredning som i vurderingen).
Sammenligningen kan skille et godt eller dårligt år for hele byen fra partnerskabets egen
udvikling, men kun under antagelsen om, at området ellers ville have fulgt omgivelserne
(parallelle tendenser). Områder, der er udvalgt, fordi de var utrygge, nærmer sig desuden ofte
gennemsnittet af sig selv (regression mod middelværdien), så en forbedring kan være større end
partnerskabets virkning. Aggregerede tal uden bydelens svar og sammenligninger på tværs af en
grænseændring giver intet tal.</li>
<li><b>Stikprøvens størrelse</b>: det årlige fald, der skal til for at nå københavnerniveauet ved
periodens slutning, og de svar, der skal til for at påvise det med 80 % sandsynlighed (tosidet
test på 5 %-niveau, som R's power.prop.test), ganget med områdets designeffekt. Hvor ét år ikke
kan påvise den ændring, vises også to år lagt sammen mod to år.</li>
<li><b>Hvad betyder »ikke signifikant«?</b> At ændringen er så lille i forhold til antallet af
svar (eller de årlige udsving i anmeldelserne), at den kan skyldes tilfældigheder. Det betyder
ikke, at der ingen ændring er – kun at data ikke kan vise den. Den mindste påviselige ændring
står ved hvert årligt mål.</li>
<li><b>Minimum fastholdelse</b> betyder, at tallet højst må være på baselineårets niveau.
Monitorerede gerningstyper har intet mål.</li>
</ul>
<p><b>Forbehold</b> (fra projektets log over antagelser, docs/assumptions.md):</p>
<ul>{items}</ul>""")


SURROUNDINGS_INTRO = (
    "Er området gået mere frem end omgivelserne? Ændringen i området siden aftalens "
    "udgangspunkt sammenlignes med ændringen i resten af bydelen og resten af København over "
    "de samme år (forskel i forskelle). Et godt eller dårligt år for hele byen trækkes dermed "
    "fra. Det er information ved siden af målene, ikke et mål i aftalen. Sammenligningen "
    "antager, at området uden partnerskabet ville have fulgt omgivelserne; områder, der er "
    "valgt, fordi de var utrygge, har desuden en tendens til at nærme sig gennemsnittet af sig "
    "selv."
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
    return HTML(f"<ul>{items}</ul>" if items else "<p>Ingen sammenligning: data mangler.</p>")


def sample_size_text(ev: Evaluation) -> HTML:
    if not ev.sample_sizes:
        return HTML("<p>For få svar i området til at regne på stikprøvens størrelse.</p>")
    items = "".join(
        f"<li>{_e(sample_size_sentence(n, ev.survey_direction, ev.year))}</li>"
        for n in ev.sample_sizes
    )
    pooled = "".join(f"<li>{_e(pooled_sentence(p))}</li>" for p in ev.pooled)
    pooled_block = (
        "<p><b>Flere år lagt sammen.</b> Hvor et enkelt år ikke kan påvise den "
        "ændring, aftalen håber på, sammenlignes to år med to år (sammenlagte år, "
        f"vægtet med det effektive antal svar):</p><ul>{pooled}</ul>"
        if pooled
        else ""
    )
    return HTML(
        "<p>Hvor mange svar skal der til for at kunne se den ændring, aftalen håber "
        "på? (Tosidet test på 5 %-niveau, 80 % sandsynlighed; tallet er det, Sikker By "
        f"kan bestille som ekstra stikprøve hos analysefirmaet.)</p><ul>{items}</ul>"
        f"{pooled_block}"
    )


def notes(ev: Evaluation) -> HTML:
    if not ev.notes:
        return HTML("")
    return HTML(
        "<p><b>Bemærkninger:</b></p><ul>" + "".join(f"<li>{_e(n)}</li>" for n in ev.notes) + "</ul>"
    )


def published_sources(ev: Evaluation) -> HTML:
    p = ev.published
    if p.empty:
        return HTML("")
    p = p[p["year"] <= ev.year]
    sources = list(dict.fromkeys(p["source"]))  # each source once, cited by its number
    out = pd.DataFrame(
        {
            "Område": p["area"].map(
                {ev.area: ev.area_name, ev.district: ev.district_name, "kobenhavn": "København"}
            ),
            "År": p["year"],
            "Tal": p["indicator"].map(lambda i: PUBLISHED_LABELS.get(i, i)),
            "Værdi": p["value"].map(lambda v: num(v, 1 if v % 1 else 0)),
            "Kilde": p["source"].map(lambda src: f"[{sources.index(src) + 1}]"),
        }
    )
    cited = "".join(f"<li>[{i}] {_e(src)}</li>" for i, src in enumerate(sources, start=1))
    return HTML(
        "<h3>Offentliggjorte tal (til sammenligning)</h3>"
        "<p>Tal offentliggjort af Københavns Kommune og i partnerskabsaftalerne, med "
        f"kilde.</p>{_table(out, 'Offentliggjorte tal med kilde').data}"
        f"<p><b>Kilder</b></p><ul>{cited}</ul>"
    )


def provenance_footer(ev: Evaluation) -> HTML:
    prov = ev.provenance
    inputs = ", ".join(f"{_e(k)} ({v[:12]})" for k, v in sorted(prov["inputs_sha256"].items()))
    code = prov.get("package_source_sha256", "")[:12]
    return HTML(
        "<hr><p style='font-size:0.85em;color:#555'><b>Herkomst.</b> Aftale "
        f"{_e(prov['agreement_id'])} ({_e(prov['agreement_file'])}, sha256 "
        f"{prov['agreement_sha256'][:12]}); datasæt {_e(prov['dataset'])}; inputfiler (sha256): "
        f"{inputs}; analysepakke version {_e(prov['package_version'])} (kode sha256 {code}); "
        "parametre "
        f"{_e(json.dumps(prov['parameters'], ensure_ascii=False))}.</p>"
    )


def key_numbers(ev: Evaluation) -> str:
    """A few stable, rounded numbers for nbval to compare (not shown in the HTML report)."""
    lines = [f"{ev.partnership} {ev.year} {ev.agreement_id}"]
    for o in ev.objectives:
        value = "" if math.isnan(o.value) else f" {o.value:.3f}"
        lines.append(f"{o.objective}/{o.indicator}: {o.status}{value}")
    lines += [f"warning: {w}" for w in ev.warnings]
    return "\n".join(lines)
