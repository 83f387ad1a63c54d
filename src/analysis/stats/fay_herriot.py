"""The Fay-Herriot area-level model: direct estimates with known sampling variances, borrowing
strength through fixed effects and a random area effect.

Model (Fay & Herriot 1979; Rao & Molina 2015, *Small Area Estimation*, 2nd ed., ch. 6):

    y_i = x_i'β + v_i + e_i,   v_i ~ N(0, A),   e_i ~ N(0, ψ_i),   ψ_i known,

for i = 1..m domains. With V = diag(A + ψ_i):

- β̂ = (X'V⁻¹X)⁻¹ X'V⁻¹ y (generalised least squares);
- the EBLUP θ̂_i = x_i'β̂ + γ_i (y_i − x_i'β̂), with the shrinkage factor γ_i = A / (A + ψ_i):
  the weight the direct estimate gets (1: the direct estimate; 0: the synthetic x_i'β̂);
- A by REML, Fisher scoring as R's ``sae::eblupFH`` does it (Rao & Molina §6.1.2): with
  P = V⁻¹ − V⁻¹X(X'V⁻¹X)⁻¹X'V⁻¹, score ½(y'P²y − tr P), information ½ tr P², started at the
  median ψ_i. A REML estimate at the boundary (A ≤ 0, all γ_i = 0: every domain its synthetic
  estimate), or one Fisher scoring does not reach, is replaced by the Li & Lahiri (2010)
  adjusted REML estimate, which maximises A · L_R(A) and is always positive (the result says
  so in ``method``);
- MSE by the Prasad & Rao (1990) formula for REML (Datta & Lahiri 2000), as ``sae::mseFH``:
  g1 + g2 + 2 g3 with g1 = γ_i ψ_i, g2 = (1 − γ_i)² x_i'(X'V⁻¹X)⁻¹x_i,
  g3 = ψ_i² / (A + ψ_i)³ · V̄(Â), V̄(Â) = 2 / Σ (A + ψ_j)⁻².

Reproduces ``sae::eblupFH``/``mseFH`` (REML) on the package's ``milk`` data
(``tests/test_fay_herriot.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from analysis.stats._checks import number

REML = "REML (Fisher scoring), Prasad-Rao MSE"
ADJUSTED = "Li-Lahiri adjusted REML (REML's estimate was 0), Prasad-Rao MSE"


@dataclass(frozen=True)
class FayHerriotFit:
    """A fitted Fay-Herriot model: the EBLUPs, their MSEs and the model's parts."""

    method: str
    beta: np.ndarray  #: the fixed effects
    beta_se: np.ndarray
    model_variance: float  #: A, the variance of the random area effects
    eblup: np.ndarray
    mse: np.ndarray
    shrinkage: np.ndarray  #: γ_i = A / (A + ψ_i), the direct estimate's weight
    synthetic: np.ndarray  #: x_i'β̂
    #: (y_i − x_i'β̂) / √(A + ψ_i): standard normal when the model holds
    standardised_residuals: np.ndarray


def _gls(a: float, x: np.ndarray, psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """V⁻¹'s diagonal and (X'V⁻¹X)⁻¹ at A = ``a``."""
    vinv = 1 / (a + psi)
    return vinv, np.linalg.inv(x.T @ (x * vinv[:, None]))


def _fisher_scoring(
    y: np.ndarray, x: np.ndarray, psi: np.ndarray, tol: float, max_iter: int
) -> tuple[float, int]:
    """REML's A by Fisher scoring from the median ψ, as ``sae::eblupFH`` (the number of
    iterations is ``max_iter`` when it did not converge). V is diagonal (v = its inverse's
    diagonal), so P y, tr P and tr P² come from k × k products (k fixed effects) rather than
    the m × m matrix P: with B = X'V⁻¹X and C_j = B⁻¹ X' diag(v^j) X, tr P = Σ v − tr C₂ and
    tr P² = Σ v² − 2 tr C₃ + tr C₂²."""
    a = float(np.median(psi))
    for k in range(1, max_iter + 1):
        v, b_inv = _gls(a, x, psi)
        vy = v * y
        py = vy - (x * v[:, None]) @ (b_inv @ (x.T @ vy))
        c2 = b_inv @ (x.T @ (x * (v**2)[:, None]))
        c3 = b_inv @ (x.T @ (x * (v**3)[:, None]))
        tr_p = v.sum() - np.trace(c2)
        tr_p2 = (v**2).sum() - 2 * np.trace(c3) + np.sum(c2 * c2.T)
        a_new = a + (py @ py - tr_p) / tr_p2
        if abs(a_new - a) <= tol * max(abs(a), tol):
            return a_new, k
        a = a_new
    return a, max_iter


def _restricted_loglik(a: float, y: np.ndarray, x: np.ndarray, psi: np.ndarray) -> float:
    """REML's log likelihood up to a constant: −½ (Σ log(A + ψ) + log |X'V⁻¹X| + y'Py)."""
    v, b_inv = _gls(a, x, psi)
    xvy = x.T @ (v * y)
    ypy = y @ (v * y) - xvy @ b_inv @ xvy
    return -0.5 * (np.sum(np.log(a + psi)) - np.linalg.slogdet(b_inv)[1] + ypy)


def _adjusted(y: np.ndarray, x: np.ndarray, psi: np.ndarray) -> float:
    """Li & Lahiri's (2010) A: the maximum of A · L_R(A), always positive; found by a bounded
    one-dimensional search on log A (Fisher scoring with the extra 1/A term oscillates)."""
    scale = float(np.median(psi))
    top = max(10 * float(np.var(y)), 10 * scale)
    found = optimize.minimize_scalar(
        lambda t: -(_restricted_loglik(math.exp(t), y, x, psi) + t),
        bounds=(math.log(scale * 1e-8), math.log(top)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return math.exp(found.x)


def fay_herriot(
    y: object,
    x: object,
    psi: object,
    method: str = "REML",
    tol: float = 1e-10,
    max_iter: int = 200,
) -> FayHerriotFit:
    """Fit the Fay-Herriot model to direct estimates ``y`` with sampling variances ``psi`` and
    the design matrix ``x`` (with its intercept column); see the module's docstring.

    ``method``: ``"REML"`` (the only one: the MSE formula is REML's).
    """
    if method != "REML":
        raise ValueError(f"method must be 'REML', got {method!r}")
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    psi = np.asarray(psi, dtype=float)
    if x.ndim != 2 or len(x) != len(y) or len(psi) != len(y):
        raise ValueError("y, x and psi must describe the same domains (x a matrix)")
    for i, v in enumerate(psi):
        number(f"psi[{i}]", v, low=0, low_open=True)
    if len(y) <= x.shape[1] + 1:
        raise ValueError(f"{len(y)} domains cannot fit {x.shape[1]} fixed effects and A")
    a, iterations = _fisher_scoring(y, x, psi, tol, max_iter)
    chosen = REML
    if a <= 0 or iterations == max_iter:
        a, chosen = _adjusted(y, x, psi), ADJUSTED
    vinv, xtvx_inv = _gls(a, x, psi)
    beta = xtvx_inv @ (x.T @ (vinv * y))
    synthetic = x @ beta
    gamma = a / (a + psi)
    eblup = synthetic + gamma * (y - synthetic)
    g1 = gamma * psi
    g2 = (1 - gamma) ** 2 * np.einsum("ij,jk,ik->i", x, xtvx_inv, x)
    var_a = 2 / np.sum(vinv**2)
    g3 = psi**2 * vinv**3 * var_a
    return FayHerriotFit(
        method=chosen,
        beta=beta,
        beta_se=np.sqrt(np.diag(xtvx_inv)),
        model_variance=a,
        eblup=eblup,
        mse=g1 + g2 + 2 * g3,
        shrinkage=gamma,
        synthetic=synthetic,
        standardised_residuals=(y - synthetic) * np.sqrt(vinv),
    )
