"""Every test run writes under a temporary folder of its own, never into the checkout: the
processed tables and the reports folder come from the environment (see analysis.config), set
here before the package is imported, and inherited by the subprocesses and kernels tests start."""

from __future__ import annotations

import os
import shutil
import tempfile

_ROOT = tempfile.mkdtemp(prefix="analysis-tests-")
os.environ["ANALYSIS_PROCESSED_DIR"] = os.path.join(_ROOT, "processed")
os.environ["ANALYSIS_REPORTS_DIR"] = os.path.join(_ROOT, "reports")


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_ROOT, ignore_errors=True)
