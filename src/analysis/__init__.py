"""Evaluation of Copenhagen safety partnerships."""
