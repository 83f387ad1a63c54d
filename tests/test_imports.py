"""What a process imports before it does any work: the batch's workers start with the
papermill and nbconvert stack only (the statistics and plotting libraries are the kernel's),
so that starting them costs no more than it must."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "statsmodels", "pandas", "matplotlib", "seaborn")


def _imported(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_a_worker_imports_no_statistics_or_plotting():
    # the worker's module and what its initializer imports (papermill, the HTML exporter)
    code = (
        "import analysis.reporting.worker, papermill\n"
        "from analysis.reporting.html import exporter\nexporter()"
    )
    assert _imported(code) == []
