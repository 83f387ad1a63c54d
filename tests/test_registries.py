"""One source per concept: the assumptions log, the indicators, the statuses, the method names."""

from __future__ import annotations

import re

from analysis import config
from analysis.assumptions import load_assumptions
from analysis.evaluation import STATUSES
from analysis.evaluation.text import INDICATOR_LABELS, METHOD_NAMES
from analysis.indicators import SURVEY_INDICATORS


def test_assumptions_log_is_complete_and_in_order():
    log = load_assumptions()
    assert [a.id for a in log] == [f"A{i}" for i in range(1, len(log) + 1)]
    for a in log:
        assert a.quality.split(".")[0].split()[0] in ("green", "amber", "red"), a
        assert a.impact.split(".")[0].split()[0] in ("high", "medium", "low"), a


def test_readme_lists_exactly_the_logged_assumptions():
    readme = (config.PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^  - (A\d+)\. (.+)$", readme, flags=re.M)
    assert listed == [(a.id, a.title) for a in load_assumptions()]


def test_methods_note_carries_every_caveat_from_the_log_and_names_its_variance():
    from analysis.evaluation import evaluate_partnership
    from analysis.loaders import load_dataset
    from analysis.reporting.blocks import methods_note

    ev = evaluate_partnership("folehaven", 2023)
    note = methods_note(ev, load_assumptions())._repr_html_()
    for a in load_assumptions():
        assert a.report_text.replace("»", "&raquo;")[:40] in note or a.report_text[:40] in note
    # microdata: the design-based variance; published shares: Kish's route
    assert "Usikkerheden følger undersøgelsens design" in note
    published = load_dataset(config.RAW_DIR / "published")
    ev = evaluate_partnership("folehaven", 2023, dataset=published)
    note = methods_note(ev, load_assumptions())._repr_html_()
    assert "den oplyste designeffekt (Kish)" in note
    assert "Usikkerheden følger undersøgelsens design" not in note


def test_indicators_defined_once():
    from analysis.agreements import SURVEY_INDICATORS as in_agreements
    from analysis.loaders.schemas import SurveyAggregate

    assert in_agreements is SURVEY_INDICATORS
    checks = SurveyAggregate.to_schema().columns["indicator"].checks
    assert set(checks[0].statistics["allowed_values"]) == set(SURVEY_INDICATORS)
    assert {k: v.label for k, v in SURVEY_INDICATORS.items()} == INDICATOR_LABELS


def test_every_method_and_status_in_the_results_has_its_danish_name(example_results):
    results = example_results
    assert set(results["test"]) <= set(METHOD_NAMES)
    assert set(results["status"].dropna()) <= {str(s) for s in STATUSES}


def test_pre_commit_guards_the_raw_data_folder():
    import yaml

    cfg = yaml.safe_load((config.PROJ_ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in cfg["repos"] for h in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "nbstripout", "check-added-large-files"} <= set(hooks)
    guard = re.compile(hooks["no-data-outside-the-bundled-folders"]["files"])
    assert guard.search("data/raw/tryg2026/survey.sav")
    assert guard.search("data/raw/survey.csv")
    for bundled in (
        "data/raw/example/survey.csv",
        "data/raw/agreements/x.yaml",
        "data/raw/published/figures.csv",
        "data/raw/README.md",
    ):
        assert not guard.search(bundled)
    # the nbval-checked cell keeps its output through nbstripout
    import nbformat

    nb = nbformat.read(config.EVALUATION_TEMPLATE, as_version=4)
    kept = [c for c in nb.cells if c.metadata.get("keep_output")]
    assert len(kept) == 1 and "NBVAL_CHECK_OUTPUT" in kept[0].source
