"""Exact detection of separation (Konis 2007): where a combination of covariates predicts an outcome perfectly.

When a covariate (or a combination) predicts the outcome perfectly for some rows, e.g. every CSTO member that
voted either abstained or voted no, the maximum-likelihood coefficient is infinite. The penalised estimators
(:mod:`.estimators`) keep the estimates finite; this module says where it happens, so that the report can
name the rows and the covariates whose estimates rest on the penalty.

:func:`detect_separation` solves the linear programme of Konis (2007): is there a direction ``b`` with
``(2y - 1) x'b >= 0`` for every row and ``> 0`` for some? Ordered outcomes are checked at every cut
(``y >= j`` against ``y < j``), multinomial ones category by category against the base.

References: Konis, K. (2007), *Linear programming algorithms for detecting separated data in binary logistic
regression models*, DPhil thesis, University of Oxford; Albert, A. and Anderson, J. A. (1984), On the
existence of maximum likelihood estimates in logistic regression models, *Biometrika* 71(1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

_FE = re.compile(r"^C\(vote_fe.*\)\[T\.(.+)\]$")


@dataclass
class Separation:
    """Result of :func:`detect_separation`. ``rows``: positions of the perfectly predicted rows;
    ``direction``: the separating direction over the design's columns (zeros left out)."""

    kind: str  # "none", "quasi-complete" or "complete"
    rows: np.ndarray
    direction: pd.Series

    @property
    def separated(self) -> bool:
        return self.kind != "none"


def detect_separation(X, y) -> Separation:
    """Is the binary outcome ``y`` (0/1) separated by the columns of ``X`` (a design matrix with intercept)?

    Linear programme (Konis 2007): maximise sum_i s_i x_i'b subject to s_i x_i'b >= 0 for all i and
    -1 <= b_j <= 1, with s_i = 2 y_i - 1, columns scaled to a maximum of 1. A positive optimum means
    separation; the rows with s_i x_i'b > 0 are perfectly predicted; all rows: complete separation."""
    names = list(X.columns) if isinstance(X, pd.DataFrame) else [f"x{j}" for j in range(np.shape(X)[1])]
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or len(y) != X.shape[0]:
        raise ValueError(f"X has shape {X.shape} but y has {len(y)} values")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must be 0/1")
    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    signed = (X / scale) * (2 * y - 1)[:, None]
    res = optimize.linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(y)),
                           bounds=[(-1, 1)] * X.shape[1], method="highs")
    if res.status != 0:
        raise RuntimeError(f"separation check: linear programme failed ({res.message})")
    margins = signed @ res.x
    rows = np.flatnonzero(margins > 1e-6)
    if rows.size == 0:
        return Separation("none", rows, pd.Series(dtype=float))
    b = res.x
    # Complete separation: is there a direction with every margin strictly positive? (maximise the smallest)
    k = X.shape[1]
    res_c = optimize.linprog(np.r_[np.zeros(k), -1.0], A_ub=np.c_[-signed, np.ones(len(y))], b_ub=np.zeros(len(y)),
                             bounds=[(-1, 1)] * k + [(0, 1)], method="highs")
    complete = res_c.status == 0 and -res_c.fun > 1e-6
    if complete:
        b, rows = res_c.x[:k], np.arange(len(y))
    direction = pd.Series(b / scale, index=names)
    direction = direction[np.abs(b) > 1e-9]
    return Separation("complete" if complete else "quasi-complete", rows, direction)


def margin(direction: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    """x'b for the rows of ``frame`` along a separating direction expressed over design column names."""
    out = np.zeros(len(frame))
    for name, b in direction.items():
        if name == "Intercept":
            out += b
        elif (m := _FE.match(name)) is not None:
            out += b * (frame["vote_fe"].astype(str) == m.group(1)).to_numpy()
        else:
            out += b * frame[name].to_numpy(dtype=float)
    return out
