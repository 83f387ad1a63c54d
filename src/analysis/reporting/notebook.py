"""What the evaluation notebook displays: Danish HTML blocks and tables built from an Evaluation.

The notebook stays thin: it calls :func:`start` and then one function per section. Nothing here
shows respondent-level data; every table is built from aggregates.
"""

from __future__ import annotations

import gc
import html
import json
import math
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.evaluation import Evaluation, evaluate
from analysis.evaluation.text import INDICATOR_LABELS, mde_clause, num, pct, pval
from analysis.reference import area_name
from analysis.reporting.style import status_badge

PARAMETERS = ("partnership", "year", "data_dir", "results_path")
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def check_parameters(injected: set[str]) -> None:
    """Fail on a parameter name the template does not know (papermill only warns)."""
    unknown = sorted(n for n in injected if not n.startswith("_") and n not in _IPYTHON_NAMES
                     and n not in PARAMETERS)
    if unknown:
        raise NameError(f"unknown notebook parameter(s) {unknown}; the template takes "
                        f"{list(PARAMETERS)}")


def start(partnership: str, year: int, data_dir: str | None = None,
          results_path: str | None = None) -> Evaluation:
    """Evaluate, and save the result beside the report when the batch runner asks for it.

    The modules and data loaded by now stay until the kernel ends, so they are moved out of
    the garbage collector's sight (``gc.freeze``): otherwise the many objects the figures
    create trigger a full collection that rescans all of them, a tenth of a second per report.
    """
    ev = evaluate(partnership, int(year), data_dir)
    if results_path:
        save_result(ev, Path(results_path))
    gc.freeze()
    return ev


def save_result(ev: Evaluation, path: Path) -> None:
    """The evaluation as JSON (objectives and provenance): the index page's source."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(ev.to_dict(), ensure_ascii=False, indent=1, default=str),
                   encoding="utf-8")
    tmp.replace(path)


class HTML:
    """Minimal rich-display object (avoids importing IPython in the package)."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


#: SVG text as <text> in the page's font stack; element ids reproducible from run to run
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "analysis-report"}


class Figure:
    """A matplotlib figure embedded as SVG: vector graphics stay sharp on A4 paper, and text
    stays text (searchable, smaller). SVG is also cheaper to draw than a PNG raster."""

    def __init__(self, fig) -> None:
        self.fig = fig

    def _repr_svg_(self) -> str:
        import io

        import matplotlib

        buf = io.StringIO()
        with matplotlib.rc_context(SVG_RC):  # layout is set by the plot functions
            self.fig.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()


def show(fig) -> Figure | HTML:
    """Display a figure from :mod:`analysis.reporting.plots` (None: nothing to plot)."""
    return Figure(fig) if fig is not None else HTML("<p>Ingen data at vise.</p>")


def section(title: str, intro: str = "", level: int = 2) -> HTML:
    """A section heading (and an introductory paragraph) for the report."""
    para = f"<p>{_e(intro)}</p>" if intro else ""
    return HTML(f"<h{level}>{_e(title)}</h{level}>{para}")


MODEL_NAMES = {"poisson-glm": "Poisson-regression",
               "quasi-poisson-glm (overdispersed)": "kvasi-Poisson (overspredning)",
               "insufficient data": "kan ikke beregnes (for få anmeldelser)",
               "": "for få år"}

SURVEY_INTRO = ("Andelen af beboerne i området, i bydelen og i hele København pr. år, med "
                "95 %-konfidensintervaller (skraveret). Aftaleperioden er markeret med gult; den "
                "stiplede linje er det evaluerede år. Krydserne er tal, kommunen har "
                "offentliggjort (kilder nederst).")
CRIME_INTRO = ("Anmeldelser i partnerskabsområdet. Målet er »minimum fastholdelse«: tallet må "
               "højst være på baselineårets niveau (stiplet rød linje). Lodrette streger er "
               "95 %-konfidensintervaller (eksakte Poisson-intervaller).")


def _e(text: object) -> str:
    return html.escape(str(text))


def synthetic_banner(ev: Evaluation) -> str:
    if not ev.synthetic:
        return ""
    return ('<div style="background:#b71c1c;color:white;padding:10px 14px;font-size:1.15em;'
            'font-weight:700;border-radius:4px;margin-bottom:10px">EKSEMPELDATA – denne rapport '
            'bygger på syntetiske data, ikke på rigtige besvarelser eller politiets tal. Tallene '
            'viser kun, hvordan rapporten ser ud.</div>')


def title_block(ev: Evaluation) -> HTML:
    prov = ev.provenance
    sources = ("Københavns Kommunes Tryghedsundersøgelse (andele af trygge og utrygge), "
               "Københavns Politi (anmeldelser), befolkningstal, tryghedsplanens aktiviteter")
    return HTML(
        f"{synthetic_banner(ev)}"
        f"<h1 style='margin-bottom:2px'>{_e(ev.partnership_name)}: status {ev.year}</h1>"
        f"<p style='font-size:1.05em;margin-top:0'>Aftaleperiode {_e(ev.agreement_period)} · "
        f"område: {_e(ev.area_name)} (bydel {_e(ev.district_name)})</p>"
        f"<p><b>Datakilder:</b> {_e(sources)}. Datasæt: <code>{_e(prov['dataset'])}</code>. "
        f"Aftaletekst: {_e(prov['agreement_source'])}.</p>")


def status_table(ev: Evaluation) -> HTML:
    rows = "".join(
        f"<tr><td>{_e(o.objective_label)}</td><td>{_e(o.indicator_label)}</td>"
        f"<td>{status_badge(o.status)}</td><td style='text-align:left'>{_e(o.explanation)}</td>"
        f"</tr>" for o in ev.objectives)
    counts = ", ".join(f"{n} {s}" for s, n in ev.status_counts().items() if n)
    return HTML(f"<p><b>Målopfyldelse {ev.year}:</b> {counts}.</p>"
                "<table><thead><tr><th>Mål</th><th>Indikator</th><th>Status</th>"
                f"<th style='text-align:left'>Forklaring</th></tr></thead><tbody>{rows}</tbody>"
                "</table>")


def _table(df: pd.DataFrame) -> HTML:
    return HTML(df.to_html(index=False, escape=True, na_rep="–", border=0))


def changes_table(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    if c.empty:
        return HTML("<p>Ingen sammenligninger: data mangler.</p>")
    out = pd.DataFrame({
        "Indikator": c["indicator"].map(INDICATOR_LABELS),
        "Sammenligning": [f"{f} → {t}" + (" (udgangspunkt)" if k == "udgangspunkt" else "")
                          for f, t, k in zip(c["from_year"], c["to_year"], c["comparison"],
                                             strict=True)],
        "Fra": c["from_share"].map(pct), "Til": c["to_share"].map(pct),
        "Ændring (procentpoint)": c["change"].map(lambda v: num(v * 100, 1)),
        "95 %-konfidensinterval": [f"{num(lo * 100, 1)} til {num(hi * 100, 1)}"
                                   for lo, hi in zip(c["ci_low"], c["ci_high"], strict=True)],
        "p-værdi": c["p_value"].map(pval), "Vurdering": c["verdict"],
        "Retning": c["assessment"], "Bemærkning": c["flags"]})
    return _table(out)


def mde_text(ev: Evaluation) -> HTML:
    c = ev.survey_changes
    c = c[c["comparison"] == "forrige år"]
    if c.empty:
        return HTML("")
    items = "".join(f"<li>{_e(INDICATOR_LABELS[r.indicator])}: {_e(mde_clause(r.n_eff_to, r.mde))}"
                    "</li>" for r in c.itertuples())
    return HTML("<p><b>Hvor store ændringer kan data vise?</b> En ændring mindre end den "
                "mindste påviselige ændring kan ikke skelnes fra tilfældige udsving med dette "
                f"antal svar (5 % signifikansniveau, 80 % styrke).</p><ul>{items}</ul>")


def trend_table(ev: Evaluation) -> HTML:
    t = ev.survey_trends
    if t.empty:
        return HTML("<p>For få år til en trendtest.</p>")
    out = pd.DataFrame({
        "Indikator": t["indicator"].map(INDICATOR_LABELS),
        "År": [f"{a}–{b}" for a, b in zip(t["from_year"], t["to_year"], strict=True)],
        "Hældning (procentpoint pr. år)": t["slope_per_year"].map(lambda v: num(v * 100, 1)),
        "χ² (trend)": t["chi2"].map(lambda v: num(v, 2)), "p-værdi": t["p_value"].map(pval),
        "Bemærkning": t["flags"]})
    return _table(out)


def crime_table(ev: Evaluation) -> HTML:
    rows = [o for o in ev.objectives if o.objective == "crime"]
    if not rows:
        return HTML("")
    def fmt(o, v):  # rates per 1,000 have decimals, counts do not
        return num(v, 1 if v % 1 else 0)

    out = pd.DataFrame({
        "Indikator": [o.indicator_label for o in rows],
        "Baseline": [f"{fmt(o, o.reference)} ({o.reference_year})"
                     if not math.isnan(o.reference) else "–" for o in rows],
        f"{ev.year}": [fmt(o, o.value) for o in rows],
        "Rate ratio (95 %-KI)": [f"{num(o.value / o.reference if o.reference else math.nan, 2)}"
                                 f" ({num(o.ci_low, 2)}–{num(o.ci_high, 2)})"
                                 if not math.isnan(o.ci_low) else "–" for o in rows],
        "p (stigning)": [pval(o.p_value) for o in rows],
        "Status": [o.status for o in rows], "Flag": [o.verdict for o in rows]})
    return _table(out)


def monitoring_table(ev: Evaluation) -> HTML:
    m = ev.monitoring
    if m.empty:
        return HTML("")
    out = pd.DataFrame({
        "Gerningstype": m["label"],
        "År": [f"{a}–{b}" if a == a and a is not None else "–"
               for a, b in zip(m["from_year"], m["to_year"], strict=True)],
        f"Seneste ({ev.year})": m["latest"],
        "Ændring pr. år (rate ratio)": m["rate_ratio_per_year"].map(lambda v: num(v, 2)),
        "p-værdi (trend)": m["p_value"].map(pval),
        "Model": m["method"].map(lambda v: MODEL_NAMES.get(v, v))})
    return _table(out)


def plan_rows(ev: Evaluation) -> HTML:
    rows = [o for o in ev.objectives if o.objective in ("collaboration", "ssp")]
    if not rows:
        return HTML("<p>Aftalen har ingen mål for samarbejde eller SSP.</p>")
    return HTML("".join(f"<p>{status_badge(o.status)} <b>{_e(o.objective_label)}.</b> "
                        f"{_e(o.explanation)}</p>" for o in rows))


def methods_note(ev: Evaluation) -> HTML:
    return HTML(f"""
<h3>Metode og forbehold</h3>
<ul>
<li><b>Vægte og effektivt antal svar.</b> Andelene er vægtede. Ulige vægte gør tallene mere
usikre, end antallet af svar tyder på; usikkerheden beregnes derfor med det effektive antal svar
(Kish: (Σw)²/Σw²).</li>
<li><b>Test.</b> 95 %-konfidensintervaller for andele er Wilson-intervaller; for ændringer
Newcombes hybrid-score-interval, med p-værdi fra den sædvanlige z-test for to andele (Fishers
eksakte test ved små tal). Trend over årene: Cochran–Armitage-test. Anmeldelser sammenlignes med
baseline med en eksakt betinget Poisson-test (ensidet: er tallet steget?). Udviklingen i de
monitorerede gerningstyper er en Poisson-regression på år; spreder tallene sig mere end
Poisson-modellen tillader (Pearson χ²/df over 1,5), bruges kvasi-Poisson med t-fordeling. Alle
p-værdier i rapporten justeres også efter Holms metode for mange samtidige test (kolonnen p_holm i
resultattabellen).</li>
<li><b>Hvad betyder »ikke signifikant«?</b> At ændringen er så lille i forhold til antallet af
svar, at den kan skyldes tilfældigheder i, hvem der svarede. Det betyder ikke, at der ingen
ændring er – kun at data ikke kan vise den. Årlige mål vurderes på selve tallet
(punktestimatet); signifikansen står ved siden af.</li>
<li><b>Udgangspunkt.</b> Aftalens udgangspunkt er undersøgelsen året før aftalens første år (de
tal, aftalen selv citerer). Afstanden til københavnerniveauet sammenlignes med udgangspunktet;
områdets svar indgår også i københavnertallet, hvilket gør testen en anelse forsigtig.</li>
<li><b>Minimum fastholdelse</b> betyder, at tallet højst må være på baselineårets niveau.
Monitorerede gerningstyper har intet mål.</li>
<li>Under {config.MIN_RESPONDENTS} svar beregnes ingen andel eller test (»for få besvarelser«).</li>
</ul>""")


def notes(ev: Evaluation) -> HTML:
    if not ev.notes:
        return HTML("")
    return HTML("<p><b>Bemærkninger:</b></p><ul>" + "".join(f"<li>{_e(n)}</li>"
                                                           for n in ev.notes) + "</ul>")


def published_sources(ev: Evaluation) -> HTML:
    p = ev.published
    if p.empty:
        return HTML("")
    labels = {"unsafe_share": "andel utrygge", "unsafe_share_night": "andel utrygge (aften/nat)",
              "safe_share": "andel trygge", "safe_share_night": "andel trygge (aften/nat)",
              "reports_per_1000": "anmeldelser pr. 1.000", "respondents": "antal svar",
              "reports_count": "anmeldelser", "residents": "beboere",
              "reports_count_four_types": "anmeldelser, fire gerningstyper",
              "ssp_extraordinary_activations": "ekstraordinære SSP-aktiveringer"}
    p = p[p["year"] <= ev.year]
    out = pd.DataFrame({"Område": p["area"].map(area_name), "År": p["year"],
                        "Tal": p["indicator"].map(lambda i: labels.get(i, i)),
                        "Værdi": p["value"].map(lambda v: num(v, 1 if v % 1 else 0)),
                        "Kilde": p["source"]})
    return HTML("<h3>Offentliggjorte tal (til sammenligning)</h3>"
                "<p>Tal offentliggjort af Københavns Kommune og i partnerskabsaftalerne, med "
                f"kilde.</p>{out.to_html(index=False, border=0)}")


def provenance_footer(ev: Evaluation) -> HTML:
    prov = ev.provenance
    inputs = ", ".join(f"{_e(k)} ({v[:12]})" for k, v in sorted(prov["inputs_sha256"].items()))
    return HTML(
        "<hr><p style='font-size:0.85em;color:#555'><b>Herkomst.</b> Aftale "
        f"{_e(prov['agreement_id'])} ({_e(prov['agreement_file'])}, sha256 "
        f"{prov['agreement_sha256'][:12]}); datasæt {_e(prov['dataset'])}; inputfiler (sha256): "
        f"{inputs}; analysepakke version {_e(prov['package_version'])}; parametre "
        f"{_e(json.dumps(prov['parameters'], ensure_ascii=False))}.</p>")


def key_numbers(ev: Evaluation) -> str:
    """A few stable, rounded numbers for nbval to compare (not shown in the HTML report)."""
    lines = [f"{ev.partnership} {ev.year} {ev.agreement_id}"]
    for o in ev.objectives:
        value = "" if math.isnan(o.value) else f" {o.value:.3f}"
        lines.append(f"{o.objective}/{o.indicator}: {o.status}{value}")
    return "\n".join(lines)
