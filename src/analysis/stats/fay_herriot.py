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
  estimate) is replaced by the Li & Lahiri (2010) adjusted REML estimate, which maximises
  A · L_R(A) and is always positive (the result says so in ``method``);
- MSE by the Prasad & Rao (1990) formula for REML (Datta & Lahiri 2000), as ``sae::mseFH``:
  g1 + g2 + 2 g3 with g1 = γ_i ψ_i, g2 = (1 − γ_i)² x_i'(X'V⁻¹X)⁻¹x_i,
  g3 = ψ_i² / (A + ψ_i)³ · V̄(Â), V̄(Â) = 2 / Σ (A + ψ_j)⁻².

Reproduces ``sae::eblupFH``/``mseFH`` (REML) on the package's ``milk`` data
(``tests/test_fay_herriot.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.stats._checks import number

REML = "REML (Fisher scoring), Prasad-Rao MSE"
ADJUSTED = "Li-Lahiri adjusted REML (the REML estimate was 0), Prasad-Rao MSE"


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
    iterations: int


def _parts(a: float, y: np.ndarray, x: np.ndarray, psi: np.ndarray):
    vinv = 1 / (a + psi)
    xtvx_inv = np.linalg.inv(x.T @ (x * vinv[:, None]))
    p = np.diag(vinv) - (x * vinv[:, None]) @ xtvx_inv @ (x * vinv[:, None]).T
    return vinv, xtvx_inv, p


def _reml(
    y: np.ndarray, x: np.ndarray, psi: np.ndarray, adjusted: bool, tol: float, max_iter: int
) -> tuple[float, int]:
    a = float(np.median(psi))
    for k in range(1, max_iter + 1):
        _, _, p = _parts(a, y, x, psi)
        py = p @ y
        score = 0.5 * (py @ py - np.trace(p))
        info = 0.5 * np.sum(p * p)
        if adjusted:  # d/dA log A
            score += 1 / a
        step = score / info
        a_new = a + step
        if adjusted and a_new <= 0:
            a_new = a / 2
        if abs(a_new - a) <= tol * max(abs(a), tol):
            return a_new, k
        a = a_new
    return a, max_iter


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
    a, iterations = _reml(y, x, psi, False, tol, max_iter)
    chosen = REML
    if a <= 0:
        a, iterations = _reml(y, x, psi, True, tol, max_iter)
        chosen = ADJUSTED
    vinv, xtvx_inv, _ = _parts(a, y, x, psi)
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
        iterations=iterations,
    )
