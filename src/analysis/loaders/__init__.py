"""Loaders and validation for every input: survey, police reports, population, activities, SSP."""

from analysis.loaders.dataset import Dataset, load_dataset
from analysis.loaders.validation import KINDS, infer_kind, load_file

__all__ = ["KINDS", "Dataset", "infer_kind", "load_dataset", "load_file"]
