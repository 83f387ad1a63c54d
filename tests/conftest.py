"""Every test run writes under a temporary folder of its own, never into the checkout: the
processed tables and the reports folder come from the environment (see analysis.config), set
here before the package is imported, and inherited by the subprocesses and kernels tests start."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_ROOT = tempfile.mkdtemp(prefix="analysis-tests-")
os.environ["ANALYSIS_PROCESSED_DIR"] = os.path.join(_ROOT, "processed")
os.environ["ANALYSIS_REPORTS_DIR"] = os.path.join(_ROOT, "reports")


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_ROOT, ignore_errors=True)


# The package is imported inside the fixtures: the environment above must be set first.


@pytest.fixture(scope="session")
def example_evaluations(tmp_path_factory):
    """Every partnership-year on the example data, evaluated once for the whole run (tests
    read them, never change them)."""
    from analysis.agreements import load_agreements
    from analysis.evaluation import evaluable_years, evaluate_partnership
    from analysis.loaders import load_dataset

    ds = load_dataset(None, processed_dir=tmp_path_factory.mktemp("example-processed"))
    return [
        evaluate_partnership(p, y, dataset=ds) for p, y in evaluable_years(ds, load_agreements())
    ]


@pytest.fixture(scope="session")
def example_results(example_evaluations):
    """The tidy results table of :func:`example_evaluations` (as ``results_table`` makes it)."""
    import pandas as pd

    from analysis.evaluation.public import results_frame

    return pd.concat([results_frame(ev) for ev in example_evaluations], ignore_index=True)
