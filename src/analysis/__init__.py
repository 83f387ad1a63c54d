"""Evaluation of Copenhagen safety partnerships."""

from importlib.metadata import version

__version__ = version("analysis")
