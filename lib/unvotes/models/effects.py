"""Average marginal effects with delta-method intervals, and the Holm adjustment within a family of effects.

An average marginal effect (AME) is the change in the probability of a target (``"not yes"``, ``"abstain"``,
``"absent"``...) averaged over the rows the model was fitted on:

* a standardised number: the derivative per standard deviation (central difference);
* a 0/1 covariate: the discrete change from 0 to 1 for every row;
* a level of a categorical covariate (a UN regional group): every row set to that level against every row
  set to the reference level (the sibling dummies set to 0), so no impossible row (two groups) is averaged.

Standard errors by the delta method, with the exact gradient of the AMEs with respect to the parameters
(:func:`unvotes.models.estimators.mean_probability_gradient`) and the model's cluster-robust covariance. The effects of one model on one target form a family:
their p-values are adjusted together by Holm's step-down method (``p_holm``; statsmodels' ``multipletests``),
which controls the family-wise error rate at 5% without assuming independence. :func:`holm` computes it as
``multipletests(p, method="holm")`` does, with the same arithmetic, without that function's full garbage
collection on every call (0.2 s each in a notebook's process, 4 of the abstention notebook's 50 s).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from unvotes.models.fitting import targets

_H = 1e-4


def _scenarios(model) -> list[tuple[str, str, np.ndarray, np.ndarray, float]]:
    """(term, kind, X_low, X_high, step) for each covariate term: AME = mean(p(X_high) - p(X_low)) / step."""
    X = model.design(model.sample)
    cols = model.columns
    data = model.data
    out = []
    for t in model.terms:
        j = cols.index(t)
        lo, hi = X.copy(), X.copy()
        covariate = data.term_covariate[t]
        if covariate in data.reference_levels:  # a level: every row at this level against the reference level
            siblings = [cols.index(s) for s in model.terms if data.term_covariate[s] == covariate]
            lo[:, siblings], hi[:, siblings] = 0.0, 0.0
            hi[:, j] = 1.0
            out.append((t, "level", lo, hi, 1.0))
        elif set(np.unique(X[:, j])) <= {0.0, 1.0}:
            lo[:, j], hi[:, j] = 0.0, 1.0
            out.append((t, "binary", lo, hi, 1.0))
        else:
            lo[:, j] -= _H
            hi[:, j] += _H
            out.append((t, "number", lo, hi, 2 * _H))
    return out


def unit(model, term: str, kind: str) -> str:
    data = model.data
    if term in data.scales:
        return f"+1 SD ({data.scales[term][1]:.3g})"
    if kind == "level":
        return f"vs {data.reference_levels[data.term_covariate[term]]}"
    if kind == "binary":
        return "0 -> 1"
    return "+1 unit"


def average_marginal_effects(model, target: str | None = None) -> pd.DataFrame:
    """AMEs of every covariate term on the probability of ``target`` (see
    :func:`unvotes.models.fitting.targets`; default the headline target): one row per term with the AME, its
    cluster-robust delta-method SE, 95% CI, p-value and Holm-adjusted p-value within this family."""
    cats = model.target_categories(target)
    target = target or next(iter(targets(model.data.outcome)))
    weights = np.array([c in cats for c in model.categories], dtype=float)
    est = model.estimate
    scen = _scenarios(model)
    if not scen:
        return pd.DataFrame(columns=AME_COLUMNS)

    per_category, jacobian = _category_effects(model, scen)
    value = per_category @ weights  # an AME on a set of categories is the sum of its categories' AMEs
    J = np.einsum("sck,c->sk", jacobian, weights)
    se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", J, est.cov, J), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.norm.sf(np.abs(value / se))
    p = np.where(se > 0, p, np.nan)
    p_holm = holm(p)
    data = model.data
    return pd.DataFrame({
        "target": target, "term": [s[0] for s in scen],
        "covariate": [data.term_covariate[s[0]] for s in scen],
        "label": [data.term_labels[s[0]] for s in scen],
        "unit": [unit(model, s[0], s[1]) for s in scen],
        "ame": value, "se": se, "ci_low": value - 1.96 * se, "ci_high": value + 1.96 * se, "p": p,
        "p_holm": p_holm}, columns=AME_COLUMNS)


def _category_effects(model, scen) -> tuple[np.ndarray, np.ndarray]:
    """Per scenario and outcome category, the average change in the category's probability (scenarios x
    categories) and its Jacobian in the parameters (exact). Computed once per model
    and shared by every target: the targets of a model (not yes, abstain, no ...) are sums of categories."""
    cached = model._memo.get(_PARTS)
    if cached is not None:
        return cached
    est = model.estimate
    value = np.array([(est.proba(hi) - est.proba(lo)).mean(axis=0) / step for _, _, lo, hi, step in scen])
    jacobian = np.array([(est.mean_proba_gradient(hi) - est.mean_proba_gradient(lo)) / step
                         for _, _, lo, hi, step in scen])
    model._memo[_PARTS] = (value, jacobian)
    return value, jacobian


_PARTS = ("per category",)  # the key of the shared parts in a model's cache of effects (targets are strings)


AME_COLUMNS = ["target", "term", "covariate", "label", "unit", "ame", "se", "ci_low", "ci_high", "p", "p_holm"]


def holm(p) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (NaN entries left out and kept NaN)."""
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q = p[ok]
        order = np.argsort(q)  # as multipletests: p_(i) (m - i + 1), running maximum, capped at 1
        adjusted = np.maximum.accumulate(q[order] * np.arange(len(q), 0, -1))
        adjusted[adjusted > 1] = 1
        out_ok = np.empty_like(adjusted)
        out_ok[order] = adjusted
        out[ok] = out_ok
    return out


def holds(row) -> bool:
    """Does an effect hold after the Holm adjustment (family-wise 5%)?"""
    return bool(pd.notna(row["p_holm"]) and row["p_holm"] < 0.05)
