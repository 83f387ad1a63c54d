"""Papermill runs of the template and the HTML reports they produce (one kernel per run)."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import papermill as pm
import pytest

from analysis import config
from analysis.browser_check import svg_size
from analysis.evaluation import evaluate_partnership
from analysis.reporting import batch
from analysis.reporting.html import has_error
from analysis.reporting.svg import svg_images

#: several minutes of batches and browsers: left out of make test-fast
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    code = batch.run_reports(
        partnership="folehaven",
        year=2025,
        workers=1,
        out_dir=str(out),
        processed_dir=out / "processed",
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def page(reports):
    return (reports / "folehaven" / "2025.html").read_text(encoding="utf-8")


def test_report_files(reports):
    folder = reports / "folehaven"
    assert {p.name for p in folder.iterdir()} == {"2025.ipynb", "2025.html", "2025.json"}
    nb = nbformat.read(folder / "2025.ipynb", as_version=4)
    assert not has_error(nb)
    assert (reports / "index.html").exists() and (reports / "manifest.json").exists()
    assert not list(reports.glob(".drawings-*")), "the run's drawings folder was left"


def test_banner_title_and_every_objective_named(page):
    assert "EKSEMPELDATA" in page
    assert "<title>Tryghedspartnerskabet Folehaven 2025" in page
    ev = evaluate_partnership("folehaven", 2025)
    for o in ev.objectives:
        assert o.objective_label in page and o.indicator_label in page
        assert o.explanation.split(";")[0][:60] in page.replace("&#x27;", "'")


def test_no_code_shown_and_plots_embedded(page):
    for code in (
        "report.status_table",
        "import ",
        "report.start(",
        "NBVAL_CHECK_OUTPUT",
        "runner.start(",
        "results_path =",
    ):
        assert code not in page
    plots = svg_images(page)
    assert len(plots) >= 3
    for data in plots:  # vector figures, A4 width (7 in = 504 pt), no timestamp inside
        svg = data
        assert svg_size(svg)[0] == 504 and b"<dc:date>" not in svg
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', page)


def visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'src="data:image/[^"]*"', " ", page)
    return re.sub(r"<[^>]+>", " ", page)


def test_no_respondent_level_values(page):
    # Respondent ids of the example data look like 2025-00017; no id, weight or single answer
    # may appear, only aggregates.
    text = visible_text(page)
    assert not re.search(r"\b20\d\d-\d{5}\b", text)
    for word in ("respondent_id", "weight", "vægt ", "meget utryg"):
        assert word not in text.lower()


def test_index_links_and_statuses(reports):
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert (reports / "processed" / "example_results.csv").exists()
    assert 'href="folehaven/2025.html"' in index and "EKSEMPELDATA" in index
    saved = json.loads((reports / "folehaven" / "2025.json").read_text(encoding="utf-8"))
    for o in saved["objectives"]:
        assert o["status"] in index


def test_rerun_skips_and_force_reruns(reports, capsys):
    before = (reports / "folehaven" / "2025.html").stat().st_mtime_ns
    assert (
        batch.run_reports(
            partnership="folehaven",
            year=2025,
            out_dir=str(reports),
            processed_dir=reports / "processed",
        )
        == 0
    )
    assert "1 unchanged (skipped)" in capsys.readouterr().err
    assert (reports / "folehaven" / "2025.html").stat().st_mtime_ns == before
    assert (
        batch.run_reports(
            partnership="folehaven",
            year=2025,
            out_dir=str(reports),
            force=True,
            workers=1,
            processed_dir=reports / "processed",
        )
        == 0
    )
    assert "1 rendered" in capsys.readouterr().err
    assert (reports / "folehaven" / "2025.html").stat().st_mtime_ns > before


def test_failure_keeps_previous_report_and_others_run(tmp_path):
    good = tmp_path / "folehaven" / "2019.html"
    good.parent.mkdir(parents=True)
    good.write_text("an earlier good report", encoding="utf-8")
    tasks = [
        batch.Task("folehaven", 2019, None, str(tmp_path), "k1"),  # outside every agreement
        batch.Task("tingbjerg_husum", 2024, None, str(tmp_path), "k2"),
    ]
    run = batch._Run(tasks, {})
    run.execute(batch.start_pool(2))
    outcomes = {o.task.name: o for o in run.outcomes}
    assert not outcomes["folehaven/2019"].ok
    assert "no agreement for 'folehaven' covers 2019" in outcomes["folehaven/2019"].error
    assert outcomes["tingbjerg_husum/2024"].ok
    assert (tmp_path / "tingbjerg_husum" / "2024.html").exists()
    assert good.read_text(encoding="utf-8") == "an earlier good report"
    assert (tmp_path / "folehaven" / "2019.failed.ipynb").exists()


def test_summary_names_failures_and_exits_1(tmp_path, monkeypatch, capsys):
    def fake(run, workers):
        for t in run.tasks:
            run.report_done(batch.Outcome(t, False, "ValueError: broken on purpose"))

    monkeypatch.setattr(batch._Run, "execute", fake)
    assert (
        batch.run_reports(
            partnership="amager",
            year=2018,
            out_dir=str(tmp_path),
            processed_dir=tmp_path / "processed",
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "1 failed" in err and "FAILED amager/2018: ValueError: broken on purpose" in err
    assert "broken on purpose" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_unknown_parameter_is_refused_before_any_kernel_starts():
    from analysis.reporting.template import check_parameters

    with pytest.raises(ValueError, match=r"unknown notebook parameter\(s\) \['yaer'\]"):
        check_parameters({"partnership": "folehaven", "yaer": 2024})
    check_parameters({"partnership": "amager", "year": 2018, "tables_dir": None})


def test_notebook_reruns_after_a_parameter_change_in_one_kernel():
    # What an analyst does in JupyterLab: Run All, edit the parameters cell, run it and the
    # cells after it again, in the same kernel. (Before: NameError from the in-kernel check.)
    from nbclient import NotebookClient

    nb = nbformat.read(config.EVALUATION_TEMPLATE, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=config.KERNEL_NAME,
        resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
    )
    params = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        nb.cells[params].source = 'partnership = "amager"\nyear = 2018\n'
        for i in range(params, len(nb.cells)):
            client.execute_cell(nb.cells[i], i)
    assert not has_error(nb)
    html_out = "".join(
        str(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "Amager Partnerskab: status 2018" in html_out


def test_template_declares_its_parameters():
    params = pm.inspect_notebook(str(config.EVALUATION_TEMPLATE))
    assert set(params) == {"partnership", "year", "data_dir", "results_path", "tables_dir"}
    nb = nbformat.read(config.EVALUATION_TEMPLATE, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    outputs = [c for c in nb.cells if c.cell_type == "code" and c.outputs]
    assert all("NBVAL_CHECK_OUTPUT" in c.source for c in outputs)  # committed clean


def test_year_out_of_period_is_a_clear_cli_error(tmp_path, capsys):
    from analysis.cli import main

    out = tmp_path / "reports"
    assert main(["reports", "--partnership", "folehaven", "--year", "2019", "--out", str(out)]) == 2
    assert "no agreement for 'folehaven' covers 2019" in capsys.readouterr().err
    assert not out.exists()  # nothing written


def test_index_keeps_agreements_apart(tmp_path):
    from analysis.loaders import load_dataset
    from analysis.reporting.index import collect, write_index

    outcomes = []
    for year in (2025, 2026):  # two agreements: baselines 2021 and 2025
        ev = evaluate_partnership("folehaven", year)
        path = tmp_path / "folehaven" / f"{year}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(ev.to_dict(), default=str), encoding="utf-8")
        outcomes.append(batch.Outcome(batch.Task("folehaven", year, None, str(tmp_path), ""), True))
    dataset = load_dataset()
    evaluations, _ = collect(tmp_path, dataset.name)
    page = write_index(tmp_path, dataset, outcomes, evaluations).read_text(encoding="utf-8")
    assert "Minimum fastholdelse af 2021-niveau" in page
    assert "Minimum fastholdelse af 2025-niveau" in page


def test_report_is_accessible_and_slim(reports, page):
    # WCAG 2.1 AA basics a test can read; axe-core in Chromium checks the rest (.ci/run)
    assert '<html lang="da">' in page
    assert "No description has been provided" not in page
    alts = re.findall(r'<img[^>]+alt="([^"]*)"', page)
    assert len(alts) >= 3 and all(len(a) > 40 for a in alts)
    assert any("Andelen af utrygge i Folehaven gik fra" in a for a in alts)
    assert page.count("<details><summary>Tallene bag figuren</summary>") == len(alts)
    assert page.count("<caption>") >= page.count("<table") - page.count("<details>")
    assert "jp-RenderedHTMLCommon {" not in page  # not the 260 KB JupyterLab stylesheet
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # nothing loaded from elsewhere
    assert len(page.encode("utf-8")) <= 150_000  # a report with its four figures


def test_figures_keep_their_text(page):
    # compacting the SVG never touches the figure's own words and numbers
    assert any(b"1.000" in svg for svg in svg_images(page))


def test_status_document_for_the_committee(reports):
    # the batch writes one document per survey year, beside the index, covering every
    # partnership with an agreement in force (here: Folehaven 2025)
    html = (reports / "status" / "2025.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in html and "EKSEMPELDATA" in html
    assert "Status på tryghed og kriminalitet 2025" in html
    assert "Tryghedspartnerskabet Folehaven" in html and "Hovedpunkter" in html
    assert "Overblik 2025" in html and "Større end tilfældige udsving?" in html
    assert "Bilag: Metode i korte træk" in html and "Kilder" in html
    assert "status/2025.html" in (reports / "index.html").read_text(encoding="utf-8")
    pdf = reports / "status" / "2025.pdf"
    if shutil.which("chromium"):
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


def test_summary_sentences_are_plain_danish():
    from analysis.evaluation.findings import significant_findings
    from analysis.evaluation.text import main_points

    ev = evaluate_partnership("folehaven", 2025)
    sentences = main_points(ev, significant_findings(ev))
    assert 3 <= len(sentences) <= 5
    text = " ".join(sentences)
    assert "statistisk signifikant" in text.lower() and "p =" not in text
    assert "p-værdi" not in text
    # the pooled years' significant fall is in the summary, and nothing says "no significance"
    assert "to år lagt sammen" in text and "Ingen af ændringerne" not in text


def test_a_stale_report_is_marked_in_the_index(tmp_path, monkeypatch):
    # a good report of amager/2018 exists; the next run of it fails: the index keeps it and
    # marks it with its date and the reason
    ev = evaluate_partnership("amager", 2018)
    kept = tmp_path / "amager" / "2018.json"
    kept.parent.mkdir(parents=True)
    kept.write_text(json.dumps(ev.to_dict(), default=str), encoding="utf-8")

    def fake(run, workers):
        for t in run.tasks:
            run.report_done(batch.Outcome(t, False, "ValueError: broken on purpose"))

    monkeypatch.setattr(batch._Run, "execute", fake)
    batch.run_reports(
        partnership="amager", year=2018, out_dir=str(tmp_path), processed_dir=tmp_path / "processed"
    )
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "forældet" in index and "er bevaret og vist nedenfor" in index


def test_a_second_batch_on_the_same_folder_is_refused(tmp_path):
    import os

    from analysis.errors import InputError

    (tmp_path / ".batch.lock").write_text(str(os.getppid()))  # a process that is alive
    with pytest.raises(InputError, match=r"another batch \(process \d+\) is writing here"):
        batch.run_reports(
            partnership="amager",
            year=2018,
            out_dir=str(tmp_path),
            processed_dir=tmp_path / "processed",
        )
    (tmp_path / ".batch.lock").write_text("999999999")  # left by a batch that has stopped
    with batch.batch_lock(tmp_path):
        assert (tmp_path / ".batch.lock").read_text() == str(os.getpid())
    assert not (tmp_path / ".batch.lock").exists()


def test_text_a_cell_prints_is_caught_before_it_reaches_a_report():
    from analysis.reporting.html import printed_text

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('x')"), nbformat.v4.new_code_cell("")]
    nb.cells[0].metadata["tags"] = ["nbval-only"]  # hidden: its print is the nbval check
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="key numbers")]
    assert printed_text(nb) == ""
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="\nFutureWarning: soon\nmore\n")
    ]
    assert printed_text(nb) == "FutureWarning: soon"


def test_a_years_status_document_follows_its_reports_and_a_failure_keeps_the_old_one(
    example_evaluations, tmp_path, monkeypatch
):
    from analysis.evaluation import saved

    evs = {(ev.partnership, ev.year): ev for ev in example_evaluations}
    pairs = [
        ("amager", 2019),
        ("tingbjerg_husum", 2019),
        ("amager", 2020),
        ("tingbjerg_husum", 2020),
    ]
    tasks = [batch.Task(p, y, None, str(tmp_path), f"k{i}") for i, (p, y) in enumerate(pairs)]
    old = tmp_path / "status" / "2020.html"
    old.parent.mkdir(parents=True)
    old.write_text("the earlier status document", encoding="utf-8")
    order = []

    def report(task):  # a report "renders": its evaluation is saved; tingbjerg 2020 fails
        order.append(task.name)
        if task.name == "tingbjerg_husum/2020":
            return batch.Outcome(task, False, "ValueError: broken on purpose")
        path = tmp_path / task.partnership / f"{task.year}.json"
        path.parent.mkdir(exist_ok=True)
        saved.save(evs[(task.partnership, task.year)], path)
        return batch.Outcome(task, True)

    write_status = batch.write_status

    def status(job):
        order.append(f"status/{job.year}")
        return write_status(job)

    monkeypatch.setattr(batch, "run_one", report)
    monkeypatch.setattr(batch, "write_status", status)
    jobs = {
        y: batch.StatusJob(
            str(tmp_path),
            y,
            tuple(str(tmp_path / p / f"{y}.json") for p, at in pairs if at == y),
            y,
        )
        for y in (2019, 2020)
    }
    run = batch._Run(list(reversed(tasks)), jobs)  # the reports go in year order all the same
    run.execute(None)  # in this process
    assert order == [
        "amager/2019",
        "tingbjerg_husum/2019",
        "status/2019",
        "amager/2020",
        "tingbjerg_husum/2020",
    ]
    assert [o.job.year for o in run.pages] == [2019] and run.pages[0].page is not None
    assert "Status på tryghed og kriminalitet 2019" in (
        tmp_path / "status" / "2019.html"
    ).read_text(encoding="utf-8")
    assert old.read_text(encoding="utf-8") == "the earlier status document"
    assert run.status_notes() == ["status 2020 not remade: a report of that year failed"]


def test_status_pdfs_without_a_browser_or_when_it_fails_say_why(tmp_path, monkeypatch):
    from analysis.reporting import chromium, pdf

    html = tmp_path / "2025.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    pages = [pdf.Page(2025, html, tmp_path / "2025.pdf", "t", "d")]
    monkeypatch.setattr(chromium, "find", lambda: None)
    assert pdf.print_pdfs(pages) == [
        "PDF skipped: Chromium is not installed (make reports installs it with apt-get install "
        "chromium); the HTML is written"
    ]

    class Broken:  # a browser that starts and then stops answering
        killed = False

        def start(self):
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def print_pdfs(self, jobs):
            for _, tmp in jobs:
                tmp.write_bytes(b"half a PDF")
            raise chromium.BrowserError("Chromium stopped or did not answer")

        def kill(self):
            Broken.killed = True

    monkeypatch.setattr(chromium, "find", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(chromium, "Browser", Broken)
    assert pdf.print_pdfs(pages) == [
        "PDF skipped: Chromium could not print (Chromium stopped or did not answer)"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025.html"]  # no half PDF left
    # a fault after printing (the finishing pass, a full disk) fails the run, leaving nothing
    monkeypatch.setattr(Broken, "print_pdfs", lambda self, jobs: None)

    def no_room(path, title, description):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "finish", no_room)
    assert pdf.print_pdfs(pages) == [
        "FAILED status PDFs: OSError: [Errno 28] No space left on device"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025.html"]
    printer = pdf.Printer()
    printer.add(pages[0])
    printer.abort()  # Ctrl-C: the browser is stopped, nothing is printed
    assert Broken.killed and not (tmp_path / "2025.pdf").exists()


def test_status_pdfs_print_under_a_deep_temporary_folder(tmp_path, monkeypatch):
    # Chromium makes a socket in the temporary folder, and a socket's path is short: under a
    # deep TMPDIR it stopped at once, and no status PDF was printed
    import tempfile

    from analysis.reporting import chromium, pdf

    if chromium.find() is None:
        pytest.skip("Chromium is not installed")
    deep = tmp_path / ("a-rather-long-folder-name-" * 3) / "tmp"
    deep.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(deep))  # what Chromium reads
    monkeypatch.setattr(tempfile, "tempdir", str(deep))  # what this process reads
    html = tmp_path / "2025.html"
    html.write_text('<html lang="da"><title>t</title><p>x</p></html>', encoding="utf-8")
    pages = [pdf.Page(2025, html, tmp_path / "2025.pdf", "t", "d")]
    assert pdf.print_pdfs(pages) == [""]
    assert (tmp_path / "2025.pdf").read_bytes().startswith(b"%PDF")
