"""The estimators: binary, ordered and multinomial logit by (penalised) maximum likelihood, with standard
errors clustered by state.

Why not statsmodels' own fits: statsmodels has neither Firth's correction nor a penalised ordered or
multinomial logit, and penalisation is how separation is handled here (one rule for every model, with
finite estimates and valid intervals, instead of setting rows aside). The unpenalised fits agree with
statsmodels' ``Logit``, ``OrderedModel`` and ``MNLogit`` to numerical precision (tested).

* **Binary, Firth** (Firth 1993; Heinze & Schemper 2002): the score is modified by the hat values,
  ``U*(b) = X'(y - p + h (1/2 - p))``, equivalent to a Jeffreys prior. Estimates are finite under
  complete or quasi-complete separation; in the saturated 2x2 case they equal the log odds ratio with 1/2
  added to every cell (tested). ``method="ml"`` is plain maximum likelihood.
* **Ordered and multinomial, weakly informative normal prior**: ``N(0, prior_scale^2)`` on every covariate's
  coefficient (covariates standardised, so the scale is per standard deviation or per 0 -> 1 change;
  Gelman et al. 2008 propose a Cauchy with scale 2.5 on a similar scale) and ``N(0, 10^2)`` on the
  intercept, the fixed effects and nothing on the cut points. ``prior_scale=None`` is plain maximum
  likelihood. The report shows the estimates at scales 1, 2.5 and 10 (Rainey 2016 on the sensitivity).
* **Cluster-robust covariance**: the sandwich ``H^-1 M H^-1`` with ``H`` the penalised information at the
  estimate and ``M = G/(G-1) sum_g s_g s_g'`` the outer product of each state's summed (modified) scores,
  as statsmodels computes it for maximum likelihood models with ``cov_type="cluster"``.

References: Firth, D. (1993), Bias reduction of maximum likelihood estimates, *Biometrika* 80(1); Heinze, G.
and Schemper, M. (2002), A solution to the problem of separation in logistic regression, *Statistics in
Medicine* 21(16); Zorn, C. (2005), A solution to separation in binary response models, *Political Analysis*
13(2); Gelman, A., Jakulin, A., Pittau, M. G. and Su, Y.-S. (2008), A weakly informative default prior
distribution for logistic and other regression models, *Annals of Applied Statistics* 2(4); Rainey, C.
(2016), Dealing with separation in logistic regression models, *Political Analysis* 24(3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit, log_expit, logsumexp

from unvotes.models.model_data import ModelParameterError

#: The prior's scale on fixed effects and intercepts when the covariates get a prior (almost flat).
FE_PRIOR_SCALE = 10.0
FAMILIES = ("binary", "ordered", "multinomial")


@dataclass
class Estimate:
    """Estimated parameters with their cluster-robust covariance. ``names``: design columns, then (ordered)
    the cut-point parameters; multinomial: one block of design columns per non-base category."""

    family: str
    method: str
    names: list[str]
    params: np.ndarray
    cov: np.ndarray
    n_categories: int
    n_obs: int
    n_clusters: int
    loglik: float
    converged: bool
    iterations: int
    n_columns: int                 # columns of the design matrix
    notes: list[str] = field(default_factory=list)

    def proba(self, X: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """Probabilities of every category (n x K) for a design matrix laid out as in the fit."""
        return probabilities(self.family, np.asarray(X, dtype=float), self.params if params is None else params,
                             self.n_categories)

    def mean_proba_gradient(self, X: np.ndarray) -> np.ndarray:
        """The derivative of the row-averaged probabilities in the parameters at the estimate (K x p)."""
        return mean_probability_gradient(self.family, np.asarray(X, dtype=float), self.params, self.n_categories)

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.clip(np.diag(self.cov), 0, None))


# ---------------------------------------------------------------------------------------------- probabilities

def cut_points(raw: np.ndarray) -> np.ndarray:
    """Ordered cut points from their unconstrained parameters: the first, then log increments."""
    return np.cumsum(np.r_[raw[0], np.exp(raw[1:])])


def probabilities(family: str, X: np.ndarray, theta: np.ndarray, n_categories: int) -> np.ndarray:
    k = X.shape[1]
    if family == "binary":
        p = expit(X @ theta)
        return np.c_[1 - p, p]
    if family == "ordered":
        eta = X @ theta[:k]
        cum = expit(cut_points(theta[k:])[None, :] - eta[:, None])
        cum = np.c_[np.zeros(len(eta)), cum, np.ones(len(eta))]
        return np.diff(cum, axis=1)
    if family == "multinomial":
        eta = np.c_[np.zeros(len(X)), X @ theta.reshape(n_categories - 1, k).T]
        return np.exp(eta - logsumexp(eta, axis=1, keepdims=True))
    raise ValueError(f"unknown family {family!r}")


def mean_probability_gradient(family: str, X: np.ndarray, theta: np.ndarray, n_categories: int) -> np.ndarray:
    """The derivative of the row-averaged probability of every category in the parameters (K x p), exactly:
    what the delta method needs for an average marginal effect, without 2p re-evaluations of the model."""
    n, k = X.shape
    if family == "binary":
        p = expit(X @ theta)
        g = (X * (p * (1 - p))[:, None]).mean(axis=0)
        return np.vstack([-g, g])
    if family == "ordered":
        K = n_categories
        eta = X @ theta[:k]
        F = expit(cut_points(theta[k:])[None, :] - eta[:, None])     # n x (K-1): F(kappa_j - eta)
        f = F * (1 - F)
        f_full = np.c_[np.zeros(n), f, np.zeros(n)]                  # with kappa_0 = -inf, kappa_K = +inf
        grad = np.zeros((K, k + K - 1))
        for j in range(K):  # P_j = F(kappa_{j+1} - eta) - F(kappa_j - eta), in the padded indexing
            grad[j, :k] = -(X * (f_full[:, j + 1] - f_full[:, j])[:, None]).mean(axis=0)
            d_kappa = np.zeros(K - 1)
            if j < K - 1:
                d_kappa[j] += f[:, j].mean()
            if j > 0:
                d_kappa[j - 1] -= f[:, j - 1].mean()
            grad[j, k:] = d_kappa @ _cut_point_jacobian(theta[k:])
        return grad
    if family == "multinomial":
        K = n_categories
        P = probabilities("multinomial", X, theta, K)
        grad = np.zeros((K, (K - 1) * k))
        for j in range(K):
            for m in range(1, K):
                w = P[:, j] * ((j == m) - P[:, m])
                grad[j, (m - 1) * k:m * k] = (X * w[:, None]).mean(axis=0)
        return grad
    raise ValueError(f"unknown family {family!r}")


def _cut_point_jacobian(raw: np.ndarray) -> np.ndarray:
    """d kappa / d raw for :func:`cut_points`: kappa_j = raw_0 + sum_{1 <= m <= j} exp(raw_m)."""
    K1 = len(raw)
    J = np.zeros((K1, K1))
    J[:, 0] = 1.0
    for m in range(1, K1):
        J[m:, m] = np.exp(raw[m])
    return J


# ---------------------------------------------------------------------------------------------- likelihoods

def _binary_parts(theta, X, y):
    eta = X @ theta
    p = expit(eta)
    ll = float(np.sum(y * log_expit(eta) + (1 - y) * log_expit(-eta)))
    w = p * (1 - p)
    return ll, p, w


def _ordered_loglik_obs(theta, X, y, K):
    k = X.shape[1]
    eta = X @ theta[:k]
    full = np.r_[-np.inf, cut_points(theta[k:]), np.inf]
    hi, lo = full[y + 1] - eta, full[y] - eta
    p = expit(hi) - expit(lo)
    return np.log(np.clip(p, 1e-300, None)), eta, hi, lo, p


def _ordered_score_obs(theta, X, y, K):
    k = X.shape[1]
    _, _, hi, lo, p = _ordered_loglik_obs(theta, X, y, K)
    p = np.clip(p, 1e-300, None)
    f_hi = np.where(np.isfinite(hi), expit(hi) * expit(-hi), 0.0)
    f_lo = np.where(np.isfinite(lo), expit(lo) * expit(-lo), 0.0)
    d_beta = X * (-(f_hi - f_lo) / p)[:, None]
    # d ll / d kappa_j for cut points j = 1..K-1 (full[j]); row i touches kappa_{y+1} (upper) and kappa_y (lower)
    d_kappa = np.zeros((len(y), K - 1))
    rows = np.arange(len(y))
    up, low = y, y - 1  # column of kappa_{y+1} and of kappa_y in 0-based cut-point indexing
    ok = up < K - 1
    d_kappa[rows[ok], up[ok]] += f_hi[ok] / p[ok]
    ok = low >= 0
    d_kappa[rows[ok], low[ok]] -= f_lo[ok] / p[ok]
    # chain rule to (kappa_1, log increments): kappa_j = kappa_1 + sum_{m<=j} exp(delta_m)
    return np.c_[d_beta, d_kappa @ _cut_point_jacobian(theta[k:])]


def _ordered_hessian(theta, X, y, K) -> np.ndarray:
    """The exact Hessian of the ordered log-likelihood in (beta, raw cut points). With a = kappa_{y+1} - eta and
    b = kappa_y - eta, linear in phi = (beta, kappa) with gradients u and v, ll = log(F(a) - F(b)) gives
    d2 ll / d phi2 = sum_i [f'(a) u u' - f'(b) v v'] / p - g g' (g: the score); the reparametrisation of the
    cut points adds J' H J and, for each log increment m, exp(raw_m) times the score of the cut points above it."""
    k = X.shape[1]
    n = len(y)
    _, _, hi, lo, p = _ordered_loglik_obs(theta, X, y, K)
    p = np.clip(p, 1e-300, None)

    def density_and_slope(t):
        finite = np.isfinite(t)
        F = expit(np.where(finite, t, 0.0))
        f = np.where(finite, F * (1 - F), 0.0)
        return f, f * (1 - 2 * F)

    f_hi, df_hi = density_and_slope(hi)
    f_lo, df_lo = density_and_slope(lo)
    rows = np.arange(n)
    E_up, E_low = np.zeros((n, K - 1)), np.zeros((n, K - 1))
    ok = y < K - 1
    E_up[rows[ok], y[ok]] = 1.0
    ok = y >= 1
    E_low[rows[ok], y[ok] - 1] = 1.0
    U, V = np.c_[-X, E_up], np.c_[-X, E_low]
    G = (U * f_hi[:, None] - V * f_lo[:, None]) / p[:, None]   # the score of each row in phi
    H_phi = (U * (df_hi / p)[:, None]).T @ U - (V * (df_lo / p)[:, None]).T @ V - G.T @ G
    raw = theta[k:]
    T = np.zeros((k + K - 1, k + K - 1))
    T[:k, :k] = np.eye(k)
    T[k:, k:] = _cut_point_jacobian(raw)
    H = T.T @ H_phi @ T
    g_kappa = G[:, k:].sum(axis=0)
    for m in range(1, K - 1):
        H[k + m, k + m] += np.exp(raw[m]) * g_kappa[m:].sum()
    return (H + H.T) / 2


def _multinomial_parts(theta, X, y, K):
    n, k = X.shape
    P = probabilities("multinomial", X, theta, K)
    ll = float(np.sum(np.log(np.clip(P[np.arange(n), y], 1e-300, None))))
    Y = np.zeros((n, K))
    Y[np.arange(n), y] = 1.0
    resid = (Y - P)[:, 1:]
    score_obs = np.concatenate([X * resid[:, [j]] for j in range(K - 1)], axis=1)
    H = np.zeros((k * (K - 1), k * (K - 1)))
    for j in range(K - 1):
        for m in range(K - 1):
            w = P[:, j + 1] * ((j == m) - P[:, m + 1])
            H[j * k:(j + 1) * k, m * k:(m + 1) * k] = -(X * w[:, None]).T @ X
    return ll, score_obs, H


# ---------------------------------------------------------------------------------------------- the optimiser

def _newton(objective, theta, maxiter=100, tol=1e-8):
    """Maximise ``objective(theta) -> (value, gradient, hessian)`` by Newton steps with step halving."""
    value, grad, hess = objective(theta)
    for it in range(1, maxiter + 1):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(-hess, grad, rcond=None)[0]
        t = 1.0
        while True:
            new = theta + t * step
            v_new, g_new, h_new = objective(new)
            if np.isfinite(v_new) and v_new >= value - 1e-10:
                break
            t /= 2
            if t < 1e-6:
                return theta, it, False
        theta, value, grad, hess = new, v_new, g_new, h_new
        if np.max(np.abs(t * step)) < tol or np.max(np.abs(grad)) < tol:
            return theta, it, True
    return theta, maxiter, False


def cluster_covariance(information: np.ndarray, score_obs: np.ndarray, groups) -> tuple[np.ndarray, int]:
    """Sandwich covariance clustered by ``groups``: ``I^-1 M I^-1`` with ``M = c sum_g s_g s_g'`` and the
    small-sample factor ``c = G/(G-1) (N-1)/(N-K)`` that statsmodels applies."""
    codes, uniques = _codes(groups)
    G = len(uniques)
    N, K = score_obs.shape
    S = np.zeros((G, K))
    np.add.at(S, codes, score_obs)
    meat = S.T @ S * ((G / (G - 1)) * ((N - 1) / (N - K)) if G > 1 and N > K else 1.0)
    bread = np.linalg.pinv(information)
    cov = bread @ meat @ bread
    return (cov + cov.T) / 2, G


def _codes(groups):
    groups = np.asarray(groups)
    uniques, codes = np.unique(groups, return_inverse=True)
    return codes, uniques


def _prior_precision(n_params: int, penalised: np.ndarray, prior_scale: float | None) -> np.ndarray:
    """Diagonal precision of the normal prior: 1/scale^2 on covariates, 1/10^2 on the rest, 0 without prior."""
    if prior_scale is None:
        return np.zeros(n_params)
    if not prior_scale > 0:
        raise ModelParameterError(f"prior_scale must be a positive number or None, got {prior_scale!r}")
    return np.where(penalised, 1 / prior_scale ** 2, 1 / FE_PRIOR_SCALE ** 2)


# ---------------------------------------------------------------------------------------------- the fits

def _check(X, y, groups, K):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or len(y) != X.shape[0] or len(np.asarray(groups)) != len(y):
        raise ValueError(f"X {X.shape}, y {len(y)} and groups {len(np.asarray(groups))} do not match")
    if not np.isfinite(X).all():
        raise ValueError("the design matrix has missing or infinite values")
    y = y.astype(int)
    if y.min() < 0 or y.max() >= K:
        raise ValueError(f"y must be coded 0..{K - 1}")
    return X, y


def fit_binary(X, y, groups, names, method: str = "firth", maxiter: int = 100) -> Estimate:
    """Logit of ``y`` (0/1) on ``X`` (with its intercept), by Firth's penalised likelihood or ML."""
    if method not in ("firth", "ml"):
        raise ModelParameterError(f"unknown binary method {method!r}; choose 'firth' or 'ml'")
    X, y = _check(X, y, groups, 2)

    def parts(theta):
        ll, p, w = _binary_parts(theta, X, y)
        info = (X * w[:, None]).T @ X
        if method == "ml":
            return ll, X.T @ (y - p), -info, p, np.zeros(len(y)), info
        sign, logdet = np.linalg.slogdet(info)
        if sign <= 0:
            return -np.inf, None, None, p, None, info
        h = w * np.einsum("ij,ij->i", X @ np.linalg.inv(info), X)  # the hat values; X A X' row by row, through BLAS
        return ll + 0.5 * logdet, X.T @ (y - p + h * (0.5 - p)), -info, p, h, info

    def objective(theta):
        v, g, H, *_ = parts(theta)
        return v, g, H

    theta, it, converged = _newton(objective, np.zeros(X.shape[1]), maxiter=maxiter)
    _, _, _, p, h, info = parts(theta)
    score_obs = X * (y - p + h * (0.5 - p))[:, None]
    cov, G = cluster_covariance(info, score_obs, groups)
    ll = _binary_parts(theta, X, y)[0]
    return Estimate("binary", method, list(names), theta, cov, 2, len(y), G, ll, converged, it, X.shape[1])


def fit_ordered(X, y, groups, names, n_categories: int, prior_scale: float | None = 2.5, penalised=None,
                maxiter: int = 200) -> Estimate:
    """Ordered logit ``P(y <= j) = F(kappa_j - x'b)``: ``X`` without an intercept (the cut points are the
    intercepts), ``y`` coded 0..K-1 in order, every category present."""
    K = n_categories
    X, y = _check(X, y, groups, K)
    counts = np.bincount(y, minlength=K)
    if (counts == 0).any():
        raise ModelParameterError(f"ordered logit: category {int(np.flatnonzero(counts == 0)[0])} has no rows")
    k = X.shape[1]
    penalised = np.ones(k, dtype=bool) if penalised is None else np.asarray(penalised, dtype=bool)
    precision = np.r_[_prior_precision(k, penalised, prior_scale), np.zeros(K - 1)]

    def score(theta):
        return _ordered_score_obs(theta, X, y, K).sum(axis=0) - precision * theta

    def hessian(theta):
        return _ordered_hessian(theta, X, y, K) - np.diag(precision)

    def objective(theta):
        ll = _ordered_loglik_obs(theta, X, y, K)[0].sum() - 0.5 * np.sum(precision * theta ** 2)
        return ll, score(theta), hessian(theta)

    cum = np.cumsum(counts)[:-1] / len(y)
    kappa = np.log(cum / (1 - cum))
    theta0 = np.r_[np.zeros(k), kappa[0], np.log(np.diff(kappa))]
    theta, it, converged = _newton(objective, theta0, maxiter=maxiter)
    info = -hessian(theta)
    cov, G = cluster_covariance(info, _ordered_score_obs(theta, X, y, K), groups)
    ll = float(_ordered_loglik_obs(theta, X, y, K)[0].sum())
    cut_names = ["cut 1"] + [f"log(cut {j + 1} - cut {j})" for j in range(1, K - 1)]
    return Estimate("ordered", _method(prior_scale), list(names) + cut_names, theta, cov, K, len(y), G, ll,
                    converged, it, k)


def fit_multinomial(X, y, groups, names, n_categories: int, prior_scale: float | None = 2.5, penalised=None,
                    category_names=None, maxiter: int = 200) -> Estimate:
    """Multinomial logit with category 0 as the base; ``X`` with its intercept."""
    K = n_categories
    X, y = _check(X, y, groups, K)
    k = X.shape[1]
    penalised = np.ones(k, dtype=bool) if penalised is None else np.asarray(penalised, dtype=bool)
    precision = np.tile(_prior_precision(k, penalised, prior_scale), K - 1)

    def objective(theta):
        ll, s, H = _multinomial_parts(theta, X, y, K)
        return ll - 0.5 * np.sum(precision * theta ** 2), s.sum(axis=0) - precision * theta, H - np.diag(precision)

    theta, it, converged = _newton(objective, np.zeros(k * (K - 1)), maxiter=maxiter)
    ll, s, H = _multinomial_parts(theta, X, y, K)
    cov, G = cluster_covariance(-(H - np.diag(precision)), s, groups)
    cats = category_names or [str(j) for j in range(K)]
    full_names = [f"{cats[j]}: {n}" for j in range(1, K) for n in names]
    return Estimate("multinomial", _method(prior_scale), full_names, theta, cov, K, len(y), G, ll, converged, it, k)


def _method(prior_scale):
    return "ml" if prior_scale is None else f"normal prior (scale {prior_scale:g})"
