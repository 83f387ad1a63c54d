"""Loading what an evaluation needs, once, at the edge: the dataset, the agreements and the
reference tables. :func:`evaluate_partnership` is the convenience for callers that start from
names (the command line, the notebook kernel, the tests); the judging itself is
:func:`analysis.evaluation.engine.evaluate`, which reads nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.agreements import Agreement, agreement_for, load_agreements
from analysis.evaluation.engine import evaluate, evaluate_all
from analysis.evaluation.model import Evaluation
from analysis.loaders import Dataset, load_dataset
from analysis.loaders.dataset import load_processed
from analysis.reference import Reference, load_reference


def evaluate_partnership(
    partnership: str,
    year: int,
    data_dir: Path | str | None = None,
    *,
    tables_dir: Path | str | None = None,
    dataset: Dataset | None = None,
    agreements: list[Agreement] | None = None,
    reference: Reference | None = None,
) -> Evaluation:
    """Load what is not given, pick the agreement in force, and evaluate.

    ``tables_dir`` is a processed folder the batch has already validated and cached: it is read
    as it is, without hashing the raw inputs again. Raises LookupError (listing the agreements'
    periods) when no agreement covers the year.
    """
    agreement = agreement_for(partnership, year, agreements)
    if dataset is None:
        dataset = load_processed(Path(tables_dir)) if tables_dir else load_dataset(data_dir)
    return evaluate(
        agreement, year, dataset, reference if reference is not None else load_reference()
    )


def results_table(dataset: Dataset | None = None) -> pd.DataFrame:
    """Every evaluable partnership-year of ``dataset`` (default: the example data), tidy."""
    return evaluate_all(
        dataset if dataset is not None else load_dataset(), load_agreements(), load_reference()
    )
