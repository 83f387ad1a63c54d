"""Argument checks shared by the statistical functions: one ValueError naming the argument."""

from __future__ import annotations

import math
from numbers import Real


def number(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: bool = False,
) -> float:
    """Check that ``value`` is a finite real number in range; return it as a float."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if integer and v != int(v):
        raise ValueError(f"{name} must be a whole number (a count), got {value!r}")
    if low is not None and (v <= low if low_open else v < low):
        bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be at most {high:g}, got {value!r}")
    return v


def alpha_level(alpha: object) -> float:
    return number("alpha", alpha, low=0.0, low_open=True, high=0.5)


def same_length(**seqs: object) -> int:
    lengths = {k: len(v) for k, v in seqs.items()}  # type: ignore[arg-type]
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"the lists must have the same length: {desc}")
    return next(iter(lengths.values()))
