"""The assumptions and caveats log (``docs/assumptions.md``): the one source of the caveats the
reports print and the README lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis import config
from analysis.errors import InputError


@dataclass(frozen=True)
class Assumption:
    id: str  #: "A1"
    title: str
    quality: str  #: green, amber or red, with the reasoning
    impact: str
    report_text: str  #: the Danish sentence every report's methods note carries


@cache
def load_assumptions(path: Path = config.ASSUMPTIONS_LOG) -> tuple[Assumption, ...]:
    """Parse the log: '## A<n>. title' then '- Quality:', '- Impact:', '- Report text:' lines."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        m = re.match(r"(A\d+)\. (.+)", head.strip())
        fields = dict(re.findall(r"^- (Quality|Impact|Report text): (.+)$", body, flags=re.M))
        if not m or set(fields) != {"Quality", "Impact", "Report text"}:
            raise InputError(
                path,
                f"section '{head.strip()}': expected 'A<n>. title' and the "
                "lines '- Quality:', '- Impact:' and '- Report text:'",
            )
        found.append(
            Assumption(
                m.group(1), m.group(2), fields["Quality"], fields["Impact"], fields["Report text"]
            )
        )
    return tuple(found)
