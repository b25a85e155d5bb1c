"""A fitted model of the votes: the design, the estimator, where separation occurs, predictions.

:func:`fit` takes the parameters a researcher gives and returns an :class:`AbstentionModel`. The outcome
decides the family (:data:`unvotes.models.model_data.OUTCOME_TEXT`):

``ordered`` (the pooled ordered logit)
    yes < abstain < no, an ordered logit: one set of slopes, cut points as intercepts, a fixed effect per
    vote (or per kind of text) and standard errors clustered by state.
``choice`` (the absence model)
    yes (base), abstain, no or absent, a multinomial logit with the same fixed effects and clustering;
    states without a vote right are left out of the votes they could not cast.
binary outcomes (robustness checks and the participation step)
    ``abstain_vs_yes``, ``not_yes``, ``abstain_absent_vs_yes``, ``absent_vs_voted``: a logit.

``estimator="penalised"`` (default): Firth's correction for binary outcomes, a weakly informative normal
prior (``prior_scale``, default 2.5) for the ordered and multinomial ones; separation is detected exactly
and reported (:mod:`.separation`), and needs no remedy. ``estimator="ml"``: plain maximum likelihood; for a
binary outcome with the exact-grouping remedy this package used before (perfectly predicted rows set aside,
the separating covariate dropped), kept as a robustness check because it changes the estimand.
"""

from __future__ import annotations

import functools
import keyword
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import patsy
from scipy import stats

from unvotes.models import model_data
from unvotes.models.model_data import ModelData, ModelParameterError, prepare
from unvotes.models import estimators
from unvotes.models.separation import detect_separation, margin

ESTIMATORS = ("penalised", "ml")
DEFAULT_PRIOR_SCALE = 2.5
#: Minimum number of rows in every category of the outcome for a model to be attempted.
MIN_PER_CLASS = 3
_TOL = 1e-7


def family_of(outcome: str) -> str:
    if outcome in model_data.ORDERED:
        return "ordered"
    if outcome in model_data.CHOICE:
        return "multinomial"
    return "binary"


def targets(outcome: str) -> dict[str, list[str]]:
    """The probabilities a model's effects are stated on: name -> the categories summed (first = headline)."""
    cats = model_data.OUTCOME_CATEGORIES[outcome]
    if outcome in model_data.ORDERED:
        return {"not yes": ["abstain", "no"], "abstain": ["abstain"], "no": ["no"]}
    if outcome in model_data.CHOICE:
        return {c: [c] for c in cats[1:]}
    return {cats[1]: [cats[1]]}


def check_estimator(estimator: str, prior_scale) -> None:
    if estimator not in ESTIMATORS:
        raise ModelParameterError(f"unknown estimator {estimator!r}; choose one of {', '.join(ESTIMATORS)}")
    if prior_scale is not None and not (isinstance(prior_scale, (int, float)) and prior_scale > 0):
        raise ModelParameterError(f"prior_scale must be a positive number, got {prior_scale!r}")


@dataclass
class AbstentionModel:
    """A fitted model with everything the report states about it."""

    data: ModelData
    estimator: str
    prior_scale: float | None
    estimate: estimators.Estimate
    design_info: "Design"               # the right-hand side, which builds the design matrix of any rows
    columns: list[str]                  # design columns entering the estimator (ordered: no intercept)
    terms: list[str]                    # covariate terms with a coefficient
    sample: pd.DataFrame                # the rows the likelihood was fitted on
    #: where separation occurs: the table, or the detection that makes it when first read (:attr:`separation`)
    _separation: pd.DataFrame | Callable[[], pd.DataFrame] = field(repr=False)
    perfectly_predicted: pd.DataFrame   # rows set aside by exact grouping (estimator "ml", binary only)
    directions: list[pd.Series] = field(default_factory=list)
    separated_signs: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # results computed once per model and shared by its tables and figures: AMEs per target, their per-category
    # parts, cross-validation per number of folds
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def separation(self) -> pd.DataFrame:
        """Where separation occurs (and, for exact grouping, the remedy). Found when first read: the detection (two
        linear programmes per binary comparison) says where the penalty carries estimates, which nothing asks of
        the many models fitted only to predict (cross-validation folds, the rolling origin, the Africa model's
        subsets: half of their fitting time). It is built from the fitted rows and design alone, so the table is
        the one an immediate detection gives."""
        if callable(self._separation):
            self._separation = self._separation()
        return self._separation

    @property
    def family(self) -> str:
        return family_of(self.data.outcome)

    @property
    def categories(self) -> list[str]:
        return self.data.categories

    @property
    def method(self) -> str:
        """What the estimator is, in words."""
        if self.estimator == "ml":
            return ("maximum likelihood, perfectly predicted rows set aside (exact grouping)"
                    if self.family == "binary" else "maximum likelihood")
        if self.family == "binary":
            return "Firth's penalised likelihood"
        return f"penalised likelihood, normal prior with scale {self.prior_scale:g} on each covariate"

    @property
    def description(self) -> str:
        kind = {"ordered": "ordered logit", "multinomial": "multinomial logit", "binary": "logit"}[self.family]
        fe = ("" if self.sample["vote_fe"].nunique() < 2 else
              ", a fixed effect per vote" if self.data.intercepts == "vote" else ", a fixed effect per kind of text")
        return f"{kind} ({self.method}{fe}, standard errors clustered by state)"

    # -- design and predictions
    def design(self, frame: pd.DataFrame) -> np.ndarray:
        return self.design_info.build(frame)[self.columns].to_numpy(dtype=float)

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Probability of each category for rows laid out as ``data.frame``. Rows whose fixed-effect level
        was not in the fit get NaN; rows on the separated side of an exact-grouping step get 0 or 1."""
        frame = frame.copy()
        frame["vote_fe"] = frame["vote_fe"].astype(str)
        known = frame["vote_fe"].isin(set(self.sample["vote_fe"].astype(str))).to_numpy()
        out = pd.DataFrame(np.nan, index=frame.index, columns=self.categories)
        if known.any():
            out.loc[frame.index[known]] = self.estimate.proba(self.design(frame[known]))
        decided = np.zeros(len(frame), dtype=bool)
        for direction in self.directions:  # earlier remedy steps take precedence, as in the fit
            m = margin(direction, frame)
            pos, neg = (m > _TOL) & ~decided, (m < -_TOL) & ~decided
            out.iloc[pos, :] = [0.0, 1.0]
            out.iloc[neg, :] = [1.0, 0.0]
            decided |= pos | neg
        return out

    def probability(self, frame: pd.DataFrame, target: str | None = None) -> pd.Series:
        """Probability of ``target`` (see :func:`targets`; default the headline one) for each row."""
        cats = self.target_categories(target)
        return self.predict(frame)[cats].sum(axis=1, min_count=1)

    def target_categories(self, target: str | None = None) -> list[str]:
        t = targets(self.data.outcome)
        target = target or next(iter(t))
        if target not in t:
            raise ModelParameterError(f"unknown target {target!r} for outcome {self.data.outcome!r}; choose one "
                                      f"of {', '.join(t)}")
        return t[target]

    def predictions(self, target: str | None = None) -> pd.DataFrame:
        """One row per (state, vote) of the model's data: the vote, whether it is the target, the predicted
        probability of the target and how it was obtained."""
        frame = self.data.frame
        cats = self.target_categories(target)
        out = frame[["iso3", "name", "un_group", "vote_id", "vote"]].copy()
        out["observed"] = frame["vote"].isin(cats).astype(int)
        out["p"] = self.probability(frame, target).to_numpy()
        out["how"] = np.where(frame.index.isin(self.perfectly_predicted.index), "perfectly predicted (separation)",
                              np.where(frame.index.isin(self.sample.index), "model", "not in the model"))
        return out.reset_index(drop=True)

    def state_summary(self, target: str | None = None) -> pd.DataFrame:
        """Per state: votes in the model, observed share of the target and mean predicted probability."""
        p = self.predictions(target)
        p = p[p["p"].notna()]
        return (p.groupby(["iso3", "name", "un_group"], as_index=False)
                .agg(n_votes=("vote_id", "size"), observed=("observed", "mean"), predicted=("p", "mean"))
                .assign(residual=lambda d: d["observed"] - d["predicted"])
                .sort_values("residual", ascending=False).reset_index(drop=True))

    def unexplained(self, threshold: float = 0.25, target: str | None = None) -> pd.DataFrame:
        """(state, vote) rows the model gets badly wrong: the target observed with a predicted probability
        below ``threshold``, or not observed with a probability above 1 - threshold."""
        p = self.predictions(target)
        p = p[p["how"] == "model"]
        bad = ((p["observed"] == 1) & (p["p"] < threshold)) | ((p["observed"] == 0) & (p["p"] > 1 - threshold))
        return p[bad].assign(error=lambda d: (d["observed"] - d["p"]).abs()).sort_values("error", ascending=False)

    # -- estimates
    def coefficients(self) -> pd.DataFrame:
        """Covariate coefficients (log-odds; multinomial: against yes) with cluster-robust SEs, 95% CIs."""
        e = self.estimate
        rows = []
        blocks = ([(None, 0)] if self.family != "multinomial"
                  else [(c, j * e.n_columns) for j, c in enumerate(self.categories[1:])])
        for cat, offset in blocks:
            for t in self.terms:
                i = offset + self.columns.index(t)
                coef, se = e.params[i], e.se[i]
                row = {} if cat is None else {"category": cat}
                row.update({"term": t, "label": self.data.term_labels[t], "coef": coef, "se": se,
                            "ci_low": coef - 1.96 * se, "ci_high": coef + 1.96 * se,
                            "p": 2 * stats.norm.sf(abs(coef / se)) if se > 0 else np.nan})
                rows.append(row)
        return pd.DataFrame(rows)

    def ame(self, target: str | None = None) -> pd.DataFrame:
        """Average marginal effects on the probability of ``target``, with delta-method CIs and Holm-adjusted
        p-values (see :func:`unvotes.models.effects.average_marginal_effects`)."""
        from unvotes.models.effects import average_marginal_effects

        if target not in self._memo:  # the delta method is the costly part of a section: tables and figures share it
            self._memo[target] = average_marginal_effects(self, target)
        return self._memo[target].copy()

    def fit_stats(self) -> dict:
        e = self.estimate
        return {"outcome": self.data.outcome, "family": self.family, "estimator": self.method,
                "group": self.data.group, "n_votes": int(self.sample["vote_id"].nunique()),
                "n_states": int(self.sample["iso3"].nunique()), "n_obs": e.n_obs,
                "n_perfectly_predicted": len(self.perfectly_predicted), "log_likelihood": e.loglik,
                "converged": e.converged}


# ---------------------------------------------------------------------------------------------- the design

def _rhs(terms: list[str], frame: pd.DataFrame, data: ModelData) -> str:
    rhs = list(terms)
    levels = list(dict.fromkeys(frame["vote_fe"].astype(str)))
    if len(levels) >= 2:
        order = [v for v in data.votes if v in levels] if data.intercepts == "vote" else levels
        rhs.append(f'C(vote_fe, Treatment(reference="{order[0]}"))')
    return " + ".join(rhs) if rhs else "1"


@dataclass(frozen=True)
class Design:
    """A model's right-hand side (:func:`_rhs`) and the design matrix it gives for any rows laid out as the
    fitted ones: the intercept, one dummy per level of ``vote_fe`` other than the reference (levels sorted),
    then the numeric terms; a row with a missing term is left out. These are the columns, names and values
    ``patsy.dmatrix(_rhs(...))`` gives, built directly: patsy's evaluation of every column, element by element
    for the fixed effects, cost more than the fits themselves (a fifth of the abstention notebook). A term that
    is not a plain numeric column (or not a name) is left to patsy (``patsy_info``), which reads it as it always
    did."""

    terms: tuple[str, ...]
    reference: str | None        # the fixed effects' reference level; None: no fixed effects
    levels: tuple[str, ...]      # the levels of vote_fe in the rows fitted, sorted (patsy's order)
    patsy_info: object = None    # patsy's DesignInfo, where patsy builds the matrix

    @property
    def column_names(self) -> list[str]:
        if self.patsy_info is not None:
            return list(self.patsy_info.column_names)
        fe = f'C(vote_fe, Treatment(reference="{self.reference}"))'
        dummies = [] if self.reference is None else [f"{fe}[T.{v}]" for v in self.levels if v != self.reference]
        return ["Intercept"] + dummies + list(self.terms)

    def build(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The design matrix of ``frame``'s rows (a row with a missing term left out, as patsy does)."""
        if self.patsy_info is not None:
            return patsy.build_design_matrices([self.patsy_info], frame, return_type="dataframe")[0]
        n = len(frame)
        values = frame[list(self.terms)].to_numpy(dtype=float) if self.terms else np.empty((n, 0))
        parts = [np.ones((n, 1))]
        if self.reference is not None:
            fe = frame["vote_fe"].astype(str)
            codes = pd.Categorical(fe, categories=list(self.levels)).codes
            if (codes < 0).any():
                raise ModelParameterError(f"vote_fe level {fe[codes < 0].iloc[0]!r} is not among the model's levels")
            others = np.array([j for j, level in enumerate(self.levels) if level != self.reference], dtype=codes.dtype)
            parts.append((codes[:, None] == others[None, :]).astype(float))
        parts.append(values)
        keep = ~np.isnan(values).any(axis=1)
        return pd.DataFrame(np.hstack(parts)[keep], index=frame.index[keep], columns=self.column_names)


def _design(terms: list[str], frame: pd.DataFrame, data: ModelData) -> tuple[pd.DataFrame, Design]:
    """The design matrix of the fitted rows and the :class:`Design` that builds it for other rows."""
    levels = list(dict.fromkeys(frame["vote_fe"].astype(str)))
    plain = all(t.isidentifier() and not keyword.iskeyword(t) and t in frame
                and frame[t].dtype.kind in "fiu" and isinstance(frame[t].dtype, np.dtype) for t in terms)
    if not plain:
        X = patsy.dmatrix(_rhs(terms, frame, data), frame, return_type="dataframe")
        return X, Design(tuple(terms), None, (), X.design_info)
    reference = None
    if len(levels) >= 2:
        reference = ([v for v in data.votes if v in levels] if data.intercepts == "vote" else levels)[0]
    design = Design(tuple(terms), reference, tuple(sorted(levels)))
    return design.build(frame), design


def _check_counts(frame: pd.DataFrame, data: ModelData, after_remedy: bool = False) -> None:
    counts = frame["y"].value_counts()
    cats = data.categories
    needed = range(len(cats)) if family_of(data.outcome) != "multinomial" else [0]
    short = [cats[j] for j in needed if counts.get(j, 0) < MIN_PER_CLASS]
    if short:
        raise ModelParameterError(
            f"{data.group}, {', '.join(data.votes)}: outcome '{data.outcome}' has "
            + ", ".join(f"{counts.get(j, 0)} '{c}'" for j, c in enumerate(cats))
            + f" rows{' after setting aside perfectly predicted rows' if after_remedy else ''}; at least "
            f"{MIN_PER_CLASS} of each are needed. Choose other votes, a larger group or another outcome.")


def _splits(frame: pd.DataFrame, data: ModelData) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The binary comparisons whose separation matters: (label, rows, 0/1 outcome on those rows)."""
    y = frame["y"].to_numpy()
    cats = data.categories
    family = family_of(data.outcome)
    if family == "binary":
        return [(f"{cats[1]} vs {cats[0]}", np.ones(len(y), dtype=bool), y)]
    if family == "ordered":
        return [(f"{' or '.join(cats[j:])} vs {' or '.join(cats[:j])}", np.ones(len(y), dtype=bool),
                 (y >= j).astype(int)) for j in range(1, len(cats))]
    return [(f"{cats[j]} vs {cats[0]}", np.isin(y, [0, j]), (y[np.isin(y, [0, j])] == j).astype(int))
            for j in range(1, len(cats)) if (y == j).any()]


def _separation_row(check, sep, rows, data, remedy, dropped=()):
    signs = {t: int(np.sign(b)) for t, b in sep.direction.items() if t in data.term_labels}
    return {"check": check, "kind": sep.kind,
            "covariates": ", ".join(data.term_labels[t] for t in signs) or "fixed effects only",
            "direction": ", ".join(f"{data.term_labels[t]} {'+' if s > 0 else '-'}" for t, s in signs.items()),
            "n_rows": len(rows), "states": ", ".join(sorted(rows["iso3"].unique())),
            "votes": ", ".join(sorted(rows["vote_id"].unique())), "remedy": remedy,
            "dropped": ", ".join(data.term_labels.get(t, t) for t in dropped)}


SEPARATION_COLUMNS = ["check", "kind", "covariates", "direction", "n_rows", "states", "votes", "remedy", "dropped"]


def detect(frame: pd.DataFrame, data: ModelData, X: pd.DataFrame, remedy: str) -> pd.DataFrame:
    """Where separation occurs in each of the outcome's binary comparisons (exact, Konis 2007)."""
    out = []
    for check, rows, y in _splits(frame, data):
        sep = detect_separation(X[rows], y)
        if sep.separated:
            out.append(_separation_row(check, sep, frame[rows].iloc[sep.rows], data, remedy))
    return pd.DataFrame(out, columns=SEPARATION_COLUMNS)


def _exact_grouping(data: ModelData, frame: pd.DataFrame, terms: list[str]):
    """The former remedy (binary ML only): set aside the perfectly predicted rows, drop the covariate that no
    longer varies, repeat until no separation is left."""
    steps, directions, set_aside, notes, signs = [], [], [], [], {}
    for _ in range(30):
        _check_counts(frame, data, after_remedy=bool(set_aside))
        constant = [t for t in terms if frame[t].nunique() < 2]
        if constant:
            terms = [t for t in terms if t not in constant]
            notes.append(f"dropped (constant among the remaining rows): {', '.join(constant)}")
        X, _ = _design(terms, frame, data)
        sep = detect_separation(X, frame["y"])
        if not sep.separated:
            return frame, terms, steps, directions, set_aside, notes, signs
        rows = frame.iloc[sep.rows]
        if sep.kind == "complete":
            raise ModelParameterError(
                f"complete separation: the covariates predict every {data.outcome} outcome of {data.group} on "
                f"{', '.join(data.votes)} exactly, so no likelihood maximum exists; use estimator='penalised'.")
        directions.append(sep.direction)
        set_aside.append(rows.assign(p=rows["y"].astype(float)))
        frame = frame.drop(rows.index)
        dropped = [t for t in terms if frame[t].nunique() < 2]
        terms = [t for t in terms if t not in dropped]
        while True:  # drop what became collinear, the covariate carrying most of the separating direction
            Xr, _ = _design(terms, frame, data)
            if np.linalg.matrix_rank(Xr.to_numpy()) == Xr.shape[1]:
                break
            cand = [t for t in terms if t in sep.direction.index]
            if not cand:
                raise ModelParameterError(f"cannot resolve the separation in {data.group} on {', '.join(data.votes)}")
            worst = max(cand, key=lambda t: abs(sep.direction.get(t, 0.0)) * float(data.frame[t].std() or 1.0))
            dropped.append(worst)
            terms.remove(worst)
        merged = [data.term_labels[t].split(" (vs ")[0] for t in dropped
                  if " (vs " in data.term_labels.get(t, "") and frame[t].nunique() > 1]
        remedy = "exact grouping: rows set aside as perfectly predicted" + ("; covariate dropped" if dropped else "")
        if merged:
            remedy += "; dropping a level's dummy merges " + ", ".join(merged) + " into the reference level"
        steps.append(_separation_row("outcome 1 vs 0", sep, rows, data, remedy, dropped))
        for t in dropped:
            if t in sep.direction.index and t in data.term_covariate:
                signs.setdefault(data.term_covariate[t], int(np.sign(sep.direction[t])))
    raise ModelParameterError(f"cannot resolve the separation in {data.group} on {', '.join(data.votes)}")


# ---------------------------------------------------------------------------------------------- fitting

def fit_data(data: ModelData, estimator: str = "penalised", prior_scale: float | None = DEFAULT_PRIOR_SCALE
             ) -> AbstentionModel:
    """Fit a model to prepared data (see :func:`fit`)."""
    check_estimator(estimator, prior_scale)
    family = family_of(data.outcome)
    frame = data.frame.copy()
    frame = frame.assign(vote_fe=frame["vote_fe"].astype(str))
    terms = [t for t in data.terms if frame[t].nunique() > 1]
    notes = list(data.notes)
    if len(terms) < len(data.terms):
        notes.append("dropped (constant in the sample): " + ", ".join(t for t in data.terms if t not in terms))
    if family == "multinomial":
        counts = frame["y"].value_counts()
        rare = [c for j, c in enumerate(data.categories) if j and 0 < counts.get(j, 0) < MIN_PER_CLASS]
        if rare:  # a category too small to estimate is left out with its rows, and said
            codes = [data.categories.index(c) for c in rare]
            notes.append(f"categories with fewer than {MIN_PER_CLASS} rows left out of the model: "
                         + ", ".join(f"{c} ({counts[data.categories.index(c)]} rows)" for c in rare))
            frame = frame[~frame["y"].isin(codes)]
    _check_counts(frame, data)
    steps, directions, set_aside, signs = [], [], [], {}
    if estimator == "ml" and family == "binary":
        frame, terms, steps, directions, set_aside, extra, signs = _exact_grouping(data, frame, terms)
        notes += extra
    X, design = _design(terms, frame, data)
    if estimator == "penalised" or family != "binary":
        remedy = ("none: the penalised likelihood keeps the estimates finite; the covariates named rest partly on "
                  "the penalty" if estimator == "penalised" else
                  "none: maximum likelihood estimates of these covariates diverge; use the penalised estimator")
        separation = functools.partial(detect, frame, data, X, remedy)  # when first read (see below)
    else:
        separation = pd.DataFrame(steps, columns=SEPARATION_COLUMNS)
    columns = [c for c in X.columns if not (family == "ordered" and c == "Intercept")]
    penalised = np.array([c in terms for c in columns])
    groups = frame["iso3"].to_numpy()
    y = frame["y"].to_numpy(dtype=int)
    Xc = X[columns].to_numpy(dtype=float)
    scale = None if estimator == "ml" else prior_scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if family == "binary":
            est = estimators.fit_binary(Xc, y, groups, columns, method="ml" if estimator == "ml" else "firth")
        elif family == "ordered":
            est = estimators.fit_ordered(Xc, y, groups, columns, len(data.categories), scale, penalised)
        else:
            present = sorted(set(y))
            if present != list(range(len(present))):  # recode after leaving out a rare category
                y = np.searchsorted(present, y)
            est = estimators.fit_multinomial(Xc, y, groups, columns, len(present), scale, penalised,
                                             [data.categories[j] for j in present])
    if not est.converged:
        notes.append("the likelihood maximisation did not converge: treat the estimates with caution")
    perfectly = pd.concat(set_aside) if set_aside else data.frame.iloc[:0].assign(p=[])
    model = AbstentionModel(data=data, estimator=estimator, prior_scale=scale, estimate=est,
                            design_info=design, columns=columns, terms=terms, sample=frame,
                            _separation=separation, perfectly_predicted=perfectly, directions=directions,
                            separated_signs=signs, notes=notes)
    if family == "multinomial" and est.n_categories < len(data.categories):
        model.estimate = _MissingCategories(est, present, len(data.categories))
    return model


class _MissingCategories:
    """An estimate of a multinomial model fitted without some categories: their probability is 0."""

    def __init__(self, est, present, n_all):
        self._est, self._present, self._n = est, present, n_all

    def __getattr__(self, name):
        return getattr(self._est, name)

    def proba(self, X, params=None):
        p = self._est.proba(X, params)
        out = np.zeros((p.shape[0], self._n))
        out[:, self._present] = p
        return out


def fit(votes="ES-11", group=None, covariates=None, outcome="ordered", estimator="penalised",
        prior_scale=DEFAULT_PRIOR_SCALE, intercepts="vote", standardize=True, *, exclude=None,
        extra=None) -> AbstentionModel:
    """Fit a model of the votes.

    votes: any complete roll call of either body, by id (``"A/RES/ES-10/21"``), a list of ids, the table
    ``unvotes.find(...)`` returns, or a keyword of :data:`unvotes.models.model_data.VOTE_SETS` (``"ES-11"``); the
    Ukraine catalogue supplies labels and themes when a vote is in it, the title and session otherwise.
    group: None/"all", a UN regional group ("African") or an organisation ("AU"); covariates: columns of
    countries.parquet or dated covariates (default :data:`unvotes.models.model_data.DEFAULT_COVARIATES`); outcome: one
    of :data:`unvotes.models.model_data.ALL_OUTCOMES`; estimator: "penalised" or "ml"; prior_scale: the normal prior's
    scale (ordered and multinomial, penalised); intercepts: "vote" or "theme"; standardize: "sample" (True),
    "pooled" or False.

    exclude: the states left out; None (default) leaves out the parties to the war, Russia and Ukraine, when
    every vote is in the Ukraine catalogue and nobody otherwise; a list of states (codes or names) leaves out
    those, ``[]`` nobody. extra: your own covariates, a table with an ``iso3`` column (one row per state), or
    ``iso3`` and ``vote_id`` / ``date`` (dated), and one column per covariate; they join ``covariates``, are
    merged before the listwise deletion, standardised and labelled like the others
    (:func:`unvotes.models.model_data.prepare`)::

        trade = pd.DataFrame({"iso3": ["IND", "CHN", ...], "trade_dep_rus": [0.03, 0.02, ...]})
        m = models.fit(["A/RES/ES-10/21", "A/RES/ES-10/22"], extra=trade, exclude=["Israel"])
    """
    check_estimator(estimator, prior_scale)
    data = prepare(votes, group, covariates, outcome, intercepts=intercepts, standardize=standardize,
                   exclude=exclude, extra=extra)
    return fit_data(data, estimator, prior_scale)


def subset_terms(data: ModelData, covariates: list[str]) -> ModelData:
    """The same rows, keeping only the terms of ``covariates`` (for comparisons on one common sample)."""
    terms = [t for t in data.terms if data.term_covariate[t] in covariates]
    return replace(data, covariates=list(covariates), terms=terms)
