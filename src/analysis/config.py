"""Project paths and run-wide settings: the one place that knows where things live.

Every path is derived from the project root, which is found from this file's own location
(``src/analysis/config.py`` -> three levels up), never from the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT: Path = Path(__file__).resolve().parents[2]
#: the package's own code, templates and stylesheet (one source of the content key)
PACKAGE_DIR: Path = Path(__file__).resolve().parent

DATA_DIR: Path = PROJ_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
#: rebuilt by code; ANALYSIS_PROCESSED_DIR moves it (the tests point it at a temporary folder,
#: so that a test run never races a batch, or another test run, on the checkout's own)
PROCESSED_DIR: Path = Path(os.environ.get("ANALYSIS_PROCESSED_DIR") or DATA_DIR / "processed")
AGREEMENTS_DIR: Path = RAW_DIR / "agreements"
PUBLISHED_DIR: Path = RAW_DIR / "published"
PUBLISHED_FIGURES: Path = PUBLISHED_DIR / "figures.csv"
REFERENCE_DIR: Path = RAW_DIR / "reference"
EXAMPLE_DIR: Path = RAW_DIR / "example"

NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"
EVALUATION_TEMPLATE: Path = NOTEBOOKS_DIR / "evaluation.ipynb"
#: ANALYSIS_REPORTS_DIR moves it, as ANALYSIS_PROCESSED_DIR does the processed tables
REPORTS_DIR: Path = Path(os.environ.get("ANALYSIS_REPORTS_DIR") or PROJ_ROOT / "reports")
DOCS_DIR: Path = PROJ_ROOT / "docs"
#: The assumptions and caveats log: the source of every report's caveats
ASSUMPTIONS_LOG: Path = DOCS_DIR / "assumptions.md"

#: seconds a report's notebook cell may run before that report fails (the others go on)
CELL_TIMEOUT: int = 600

#: Default input folder for evaluations: the bundled synthetic example data.
DEFAULT_DATA_DIR: Path = EXAMPLE_DIR

#: Survey respondents below which no test is run ("for få besvarelser").
MIN_RESPONDENTS: int = 30
#: Significance level used throughout the reports.
ALPHA: float = 0.05
#: Power used for the minimum detectable change.
POWER: float = 0.8
#: Police counts: years before the evaluated one from which the year-to-year variation
#: (dispersion) is estimated, and the fewest residual degrees of freedom it may rest on.
DISPERSION_YEARS: int = 10
#: Fewer inhabitants than this cannot carry a rate per 1,000 (a population file is refused).
MIN_RESIDENTS: int = 100
#: a survey weight above this many times its file's median is refused as implausible (an
#: export that multiplied a row) unless the file's dataset.yaml entry allows extreme weights
MAX_WEIGHT_RATIO: float = 50.0
MIN_DISPERSION_DF: int = 2
#: Kernel used by papermill and nbval: the running environment's own.
KERNEL_NAME: str = "python3"
#: Set by the batch for its workers: the kernels' IPC folders carry the batch's process id, so
#: that an interrupted batch removes its own.
BATCH_PID_VAR: str = "ANALYSIS_BATCH_PID"

#: Years an input file may contain: from the survey's first measurement (2009) to the end of
#: the latest agreement (2029). Anything outside is reported as an error.
YEAR_MIN: int = 2009
YEAR_MAX: int = 2029
