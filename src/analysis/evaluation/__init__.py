"""The yearly evaluation of a partnership: each agreement's objectives judged with the evidence."""

from analysis.evaluation.engine import evaluable_years, evaluate, evaluate_all, write_results
from analysis.evaluation.model import STATUSES, Evaluation, ObjectiveRow

__all__ = ["STATUSES", "Evaluation", "ObjectiveRow", "evaluable_years", "evaluate",
           "evaluate_all", "write_results"]
