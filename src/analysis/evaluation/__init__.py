"""The yearly evaluation of a partnership: each agreement's objectives judged with the evidence.

``evaluate`` (pure: loaded inputs in, an Evaluation out), ``evaluate_all``, and the loading
conveniences ``evaluate_partnership`` and ``results_table`` load the statistics (scipy,
statsmodels) on first use, so the batch runner can plan and index without them.
"""

from analysis.evaluation.model import Evaluation, ObjectiveRow
from analysis.evaluation.results import write_results
from analysis.evaluation.scope import evaluable_years
from analysis.evaluation.status import STATUSES, Evidence, Reading, Status

__all__ = [
    "STATUSES",
    "Evaluation",
    "Evidence",
    "ObjectiveRow",
    "Reading",
    "Status",
    "evaluable_years",
    "evaluate",
    "evaluate_all",
    "evaluate_partnership",
    "results_table",
    "write_results",
]


def __getattr__(name: str):
    if name in ("evaluate", "evaluate_all"):
        from analysis.evaluation import engine

        return getattr(engine, name)
    if name in ("evaluate_partnership", "results_table"):
        from analysis.evaluation import inputs

        return getattr(inputs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
