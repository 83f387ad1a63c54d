"""Rendering evaluations: the notebook's displays and plots, HTML export, batch runs, the index."""
