"""Danish wording: numbers with decimal commas, verdicts, and the objective sentences."""

from __future__ import annotations

import math

INDICATOR_LABELS = {
    "unsafe_share": "Andel utrygge",
    "unsafe_share_night": "Andel utrygge i aften- og nattetimer",
    "safe_share": "Andel trygge",
    "safe_share_night": "Andel trygge i aften- og nattetimer",
}
#: Subject of a sentence: "Andelen af utrygge ..."
INDICATOR_SUBJECT = {
    "unsafe_share": "Andelen af utrygge",
    "unsafe_share_night": "Andelen af utrygge i aften- og nattetimer",
    "safe_share": "Andelen af trygge",
    "safe_share_night": "Andelen af trygge i aften- og nattetimer",
}


def num(x: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Danish separators)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def pct(share: float, decimals: int = 0) -> str:
    """0.172 -> '17 %'."""
    return f"{num(share * 100, decimals)} %"


def pp(change: float, decimals: int = 0) -> str:
    """Absolute change in shares as percentage points: 0.031 -> '3 procentpoint'."""
    return f"{num(abs(change) * 100, decimals)} procentpoint"


def pval(p: float) -> str:
    if p is None or math.isnan(p):
        return "–"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {num(p, 3 if p < 0.01 else 2)}"


def verdict(change: float, p: float, alpha: float = 0.05) -> str:
    """The verdict on a change in a share (rounded to whole points first): "signifikant fald",
    "fald, ikke signifikant", "uændret", "stigning, ikke signifikant" or "signifikant stigning"."""
    if round(change * 100) == 0:
        return "uændret"
    significant = not math.isnan(p) and p < alpha
    if change < 0:
        return "signifikant fald" if significant else "fald, ikke signifikant"
    return "signifikant stigning" if significant else "stigning, ikke signifikant"


def improvement_word(change: float, direction: str) -> str:
    """'forbedring' when the change goes the agreement's way, else 'forværring'."""
    if round(change * 100) == 0:
        return "uændret"
    good = change < 0 if direction == "decrease" else change > 0
    return "forbedring" if good else "forværring"


def significance_clause(change: float, p: float, alpha: float = 0.05) -> str:
    """'faldet er (ikke) statistisk signifikant (p = 0,21)'."""
    noun = "faldet" if change < 0 else "stigningen"
    sig = "statistisk signifikant" if p < alpha else "ikke statistisk signifikant"
    return f"{noun} er {sig} ({pval(p)})"


def mde_clause(n_eff: float, mde: float) -> str:
    if math.isnan(mde):
        return ""
    return (f"Med ca. {num(round(n_eff, -1))} svar kan kun ændringer over "
            f"{pp(mde)} skelnes fra tilfældigheder.")
