"""Loaders and validation for every input: survey, police reports, population, activities, SSP.

Validation (``analysis.loaders.validation``, which imports pandera) is imported only when files
are read; loading cached tidy tables does not pay for it.
"""

from analysis.loaders.dataset import Dataset, load_dataset

__all__ = ["Dataset", "load_dataset"]
