"""Why states abstain: logit models of the votes on Russia's war against Ukraine.

Three kinds of model, all through the statsmodels formula API (:func:`fit`):

``logit``
    one vote: abstaining versus voting yes (or another binary outcome of :data:`model_data.OUTCOMES`);
    heteroskedasticity-robust standard errors (clustering by state with one row per state).
``pooled_logit``
    several votes stacked, one row per (state, vote), with vote fixed effects (``C(vote_fe)``; the first vote
    is the reference) and standard errors clustered by state, since a state's votes are not independent.
    Given a single vote it is the ``logit``.
``mnlogit``
    multinomial logit over yes (base) / abstain / no / absent, pooled with vote fixed effects and clustered
    standard errors when there are several votes.

Who is in the sample is decided by :func:`unvotes.model_data.prepare` (complete roll calls only; the outcome
definition says which votes are left out; listwise deletion of states missing a covariate, listed).

**Separation.** When a covariate (or a combination) predicts the outcome perfectly for some states, e.g. every
CSTO member that voted either abstained or voted no, the maximum-likelihood coefficient is infinite and a
printed estimate would be meaningless. :func:`detect_separation` finds it exactly with the linear programme of
Konis (2007): is there a direction ``b`` with ``(2y - 1) x'b >= 0`` for every row and ``> 0`` for some? The
remedy, documented in every fitted model's ``separation`` table:

* binary models, **exact grouping**: the rows on the separated side are perfectly predicted (probability 0 or
  1 in the limit of the likelihood), reported by state and vote, and set aside; the covariate that then no
  longer varies (or is collinear) among the remaining rows is dropped, and the model is fitted to the rest.
  Iterated until no separation is left. The dropped covariate's direction is kept (its sign is reported, and
  new rows on the separated side are predicted 0 or 1), but it has no coefficient or marginal effect.
  Complete separation (every row perfectly predicted) is an error: no model can be estimated.
* multinomial model: vote categories with fewer than :data:`MIN_CATEGORY` rows are left out; separation
  is checked for every category against yes, and the separating covariate is dropped (or, when only the vote
  fixed effects separate, e.g. no African state voted no on A/RES/ES-11/4, that vote is left out).

Average marginal effects (AMEs) come from statsmodels' ``get_margeff(at="overall")`` with the delta method on
the cluster-robust covariance: for 0/1 covariates in binary models the discrete change from 0 to 1, for
standardised numbers the change in probability per standard deviation (the derivative). In the multinomial
model statsmodels cannot compute discrete changes, so every AME there is a derivative.

References: Konis, K. (2007), *Linear programming algorithms for detecting separated data in binary logistic
regression models*, DPhil thesis, University of Oxford; Albert, A. and Anderson, J. A. (1984), On the
existence of maximum likelihood estimates in logistic regression models, *Biometrika* 71(1).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import patsy
import statsmodels.formula.api as smf
from scipy import optimize, stats

from . import api, model_data
from .errors import UnvotesError
from .external import read_curated
from .model_data import ModelData, ModelParameterError, prepare
from .plotting import add_source, vote_data_source

MODELS = ("pooled_logit", "logit", "mnlogit")
MIN_CATEGORY = 10
#: Minimum number of states on each side of the binary outcome for a model to be attempted.
MIN_PER_CLASS = 3
#: Where the covariates of every model come from (the roll calls' sources are added per figure).
COVARIATE_SOURCES = "pre-war covariates from QoG (V-Dem, Freedom House, WDI), SIPRI and Voeten et al. (countries.parquet)"
_TOL = 1e-7
_FE = re.compile(r"^C\(vote_fe.*\)\[T\.(.+)\]$")


# ---------------------------------------------------------------------------------------------- separation

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


def _margin(direction: pd.Series, frame: pd.DataFrame) -> np.ndarray:
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


# ---------------------------------------------------------------------------------------------- fitting

@dataclass
class AbstentionModel:
    """A fitted model with everything the report states about it."""

    kind: str
    data: ModelData
    result: object                       # statsmodels results (Logit or MNLogit, cluster-robust)
    formula: str
    terms: list[str]                     # terms with a coefficient
    sample: pd.DataFrame                 # the rows the likelihood was fitted on
    separation: pd.DataFrame             # one row per remedy step
    perfectly_predicted: pd.DataFrame    # rows set aside by exact grouping (binary), with p 0/1
    directions: list[pd.Series] = field(default_factory=list)
    #: covariate -> sign of the separating direction, for covariates dropped because they separated the outcome
    separated_signs: dict[str, int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)  # multinomial: the categories kept, base first
    notes: list[str] = field(default_factory=list)

    # -- coefficients and marginal effects
    def coefficients(self) -> pd.DataFrame:
        """Coefficients (log-odds; multinomial: against yes) with cluster-robust SEs, covariate terms only."""
        r = self.result
        if self.kind == "mnlogit":
            rows = []
            for j, cat in enumerate(self.categories[1:]):
                for t in self.terms:
                    rows.append({"category": cat, "term": t, "label": self.data.term_labels[t],
                                 "coef": r.params.iloc[:, j][t], "se": r.bse.iloc[:, j][t],
                                 "p": r.pvalues.iloc[:, j][t]})
            return pd.DataFrame(rows)
        ci = r.conf_int()
        return pd.DataFrame({"term": self.terms, "label": [self.data.term_labels[t] for t in self.terms],
                             "coef": r.params[self.terms].values, "se": r.bse[self.terms].values,
                             "ci_low": ci.loc[self.terms, 0].values, "ci_high": ci.loc[self.terms, 1].values,
                             "p": r.pvalues[self.terms].values})

    def ame(self) -> pd.DataFrame:
        """Average marginal effects with 95% CIs (delta method, cluster-robust), one row per covariate term
        (multinomial: per category and term). ``unit`` says what a one-unit change is."""
        r = self.result
        if self.kind == "mnlogit":
            sf = r.get_margeff(at="overall", method="dydx", dummy=False).summary_frame()
            rows = []
            for (cat_label, term), row in sf.iterrows():
                if term not in self.terms:
                    continue
                code = int(str(cat_label).split("=")[1])
                rows.append(self._ame_row(term, row, category=model_data.VOTE_CATEGORIES[code]))
            return pd.DataFrame(rows)
        sf = r.get_margeff(at="overall", method="dydx", dummy=True).summary_frame()
        return pd.DataFrame([self._ame_row(t, sf.loc[t]) for t in self.terms if t in sf.index])

    def _ame_row(self, term, row, category=None) -> dict:
        out = {} if category is None else {"category": category}
        out.update({"term": term, "covariate": self.data.term_covariate[term], "label": self.data.term_labels[term],
                    "unit": self._unit(term), "ame": row["dy/dx"], "se": row["Std. Err."],
                    "ci_low": row["Conf. Int. Low"], "ci_high": row["Cont. Int. Hi."], "p": row["Pr(>|z|)"]})
        return out

    def _unit(self, term) -> str:
        if term in self.data.scales:
            return f"+1 SD ({self.data.scales[term][1]:.3g})"
        if set(np.unique(self.sample[term])) <= {0.0, 1.0}:
            return "0 -> 1" if self.kind != "mnlogit" else "derivative (0/1 covariate)"
        return "+1 unit"

    # -- fit
    def fit_stats(self) -> dict:
        r = self.result
        return {"model": self.kind, "outcome": self.data.outcome, "group": self.data.group,
                "n_votes": int(self.sample["vote_id"].nunique()), "n_states": int(self.sample["iso3"].nunique()),
                "n_obs": int(r.nobs), "n_perfectly_predicted": len(self.perfectly_predicted),
                "log_likelihood": float(r.llf), "aic": float(r.aic), "bic": float(r.bic),
                "pseudo_r2": float(r.prsquared), "converged": bool(r.mle_retvals.get("converged", True))}

    # -- predictions
    def predict(self, frame: pd.DataFrame) -> pd.DataFrame | pd.Series:
        """Predicted probabilities for rows laid out as ``data.frame`` (binary: P(y=1); multinomial: one column
        per category). Rows on the separated side of a remedy step get 0 or 1 (binary models)."""
        frame = frame.copy()
        frame["vote_fe"] = frame["vote_fe"].astype(str)
        fe_levels = set(self.sample["vote_fe"].astype(str))
        known = frame["vote_fe"].isin(fe_levels).to_numpy()
        if self.kind == "mnlogit":
            out = pd.DataFrame(np.nan, index=frame.index, columns=self.categories)
            if known.any():
                p = self.result.predict(frame[known])
                out.loc[frame.index[known]] = np.asarray(p)
            return out
        p = pd.Series(np.nan, index=frame.index)
        if known.any():
            p[known] = np.asarray(self.result.predict(frame[known]))
        decided = np.zeros(len(frame), dtype=bool)
        for direction in self.directions:  # earlier remedy steps take precedence, as in the fit
            m = _margin(direction, frame)
            pos, neg = (m > _TOL) & ~decided, (m < -_TOL) & ~decided
            p[pos], p[neg] = 1.0, 0.0
            decided |= pos | neg
        return p

    def predictions(self) -> pd.DataFrame:
        """One row per (state, vote) of the model's data: the vote, the outcome, the predicted probability
        (binary: of y=1; multinomial: of abstaining, plus the most likely category) and how it was obtained."""
        frame = self.data.frame
        if self.kind == "mnlogit":
            in_sample = frame.index.isin(self.sample.index)
            probs = self.predict(frame[in_sample])
            out = frame.loc[in_sample, ["iso3", "name", "un_group", "vote_id", "vote"]].copy()
            out["p_abstain"] = probs["abstain"] if "abstain" in probs else np.nan
            out["predicted"] = probs.idxmax(axis=1)
            out["how"] = "model"
            return out.reset_index(drop=True)
        out = frame[["iso3", "name", "un_group", "vote_id", "vote", "y"]].copy()
        out["p"] = self.predict(frame)
        out["how"] = np.where(frame.index.isin(self.perfectly_predicted.index), "perfectly predicted (separation)",
                              np.where(frame.index.isin(self.sample.index), "model", "not in the model"))
        return out.reset_index(drop=True)

    def state_summary(self) -> pd.DataFrame:
        """Per state: votes in the model, observed share of y=1 and mean predicted probability (binary)."""
        p = self.predictions()
        if self.kind == "mnlogit":
            return (p.assign(abstained=p["vote"].eq("abstain"))
                    .groupby(["iso3", "name", "un_group"], as_index=False)
                    .agg(n_votes=("vote_id", "size"), observed=("abstained", "mean"), predicted=("p_abstain", "mean")))
        p = p[p["p"].notna()]
        return (p.groupby(["iso3", "name", "un_group"], as_index=False)
                .agg(n_votes=("vote_id", "size"), observed=("y", "mean"), predicted=("p", "mean"))
                .assign(residual=lambda d: d["observed"] - d["predicted"])
                .sort_values("residual", ascending=False).reset_index(drop=True))

    def unexplained(self, threshold: float = 0.25) -> pd.DataFrame:
        """(state, vote) rows the model gets badly wrong: y=1 (e.g. abstained) with predicted probability
        below ``threshold``, or y=0 (yes) with probability above 1 - threshold."""
        if self.kind == "mnlogit":
            p = self.predictions()
            return p[p["vote"].eq("abstain") & (p["p_abstain"] < threshold)].sort_values("p_abstain")
        p = self.predictions()
        p = p[p["how"] == "model"]
        bad = ((p["y"] == 1) & (p["p"] < threshold)) | ((p["y"] == 0) & (p["p"] > 1 - threshold))
        return p[bad].assign(error=lambda d: (d["y"] - d["p"]).abs()).sort_values("error", ascending=False)


def _fe_term(frame: pd.DataFrame, votes: list[str]) -> str | None:
    present = [v for v in votes if v in set(frame["vote_id"])]
    if len(present) < 2:
        return None
    return f'C(vote_fe, Treatment(reference="{present[0]}"))'


def _formula(terms: list[str], frame: pd.DataFrame, votes: list[str]) -> str:
    rhs = list(terms)
    fe = _fe_term(frame, votes)
    if fe:
        rhs.append(fe)
    return "y ~ " + (" + ".join(rhs) if rhs else "1")


def _design(formula: str, frame: pd.DataFrame) -> pd.DataFrame:
    return patsy.dmatrix(formula.split("~", 1)[1], frame, return_type="dataframe")


def _varying_terms(terms, frame):
    return [t for t in terms if frame[t].nunique() > 1]


def _fit_statsmodels(kind, formula, frame):
    groups = pd.factorize(frame["iso3"])[0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence and perfect-prediction warnings are checked below
            if kind == "mnlogit":
                return smf.mnlogit(formula, frame).fit(disp=0, maxiter=500, method="newton",
                                                       cov_type="cluster", cov_kwds={"groups": groups})
            return smf.logit(formula, frame).fit(disp=0, maxiter=200, cov_type="cluster",
                                                 cov_kwds={"groups": groups})
    except np.linalg.LinAlgError as exc:
        raise ModelParameterError(f"{kind} {formula!r} on {len(frame)} rows: the information matrix is singular "
                                  f"({exc}); the covariates are (nearly) collinear in this sample. Use fewer "
                                  "covariates or a larger group.") from None


def _separation_row(step, kind, what, frame_rows, direction, data, remedy, dropped, remaining):
    """One row of a model's separation table. ``remaining``: the rows still in the model after the step."""
    merged = [data.term_labels[t].split(" (vs ")[0] for t in dropped
              if " (vs " in data.term_labels.get(t, "") and remaining[t].nunique() > 1]
    if merged:
        remedy += ("; dropping a level's dummy merges " + ", ".join(merged) + " into the reference level for "
                   "the remaining rows")
    signs = {t: int(np.sign(b)) for t, b in direction.items() if t in data.term_labels}
    return {"step": step, "kind": kind, "check": what,
            "covariates": ", ".join(data.term_labels[t] for t in signs) or "vote fixed effects only",
            "direction": ", ".join(f"{data.term_labels[t]} {'+' if s > 0 else '-'}" for t, s in signs.items()),
            "n_rows": len(frame_rows), "states": ", ".join(sorted(frame_rows["iso3"].unique())),
            "votes": ", ".join(sorted(frame_rows["vote_id"].unique())), "remedy": remedy,
            "dropped": ", ".join(data.term_labels.get(t, t) for t in dropped)}


def _signs_of_dropped(direction: pd.Series, dropped: list[str], data: ModelData, signs: dict) -> None:
    """Record, per covariate, the sign of the separating direction of a term dropped because of it."""
    for t in dropped:
        if t in direction.index and t in data.term_covariate:
            signs.setdefault(data.term_covariate[t], int(np.sign(direction[t])))


SEPARATION_COLUMNS = ["step", "kind", "check", "covariates", "direction", "n_rows", "states", "votes", "remedy", "dropped"]


def _fit_binary(data: ModelData, kind: str) -> AbstentionModel:
    frame = data.frame.copy()
    terms = list(data.terms)
    steps, directions, set_aside = [], [], []
    notes, signs = [], {}
    for step in range(1, 30):
        counts = frame["y"].value_counts()
        if len(counts) < 2 or counts.min() < MIN_PER_CLASS:
            raise ModelParameterError(
                f"{data.group}, {', '.join(data.votes)}: outcome '{data.outcome}' has "
                f"{counts.get(1, 0)} rows coded 1 and {counts.get(0, 0)} coded 0 in the sample"
                f"{' after setting aside perfectly predicted rows' if set_aside else ''}; at least {MIN_PER_CLASS} "
                "of each are needed. Choose other votes, a larger group or fewer covariates.")
        dropped_const = [t for t in terms if frame[t].nunique() < 2]
        if dropped_const:
            terms = [t for t in terms if t not in dropped_const]
            notes.append(f"dropped (constant among the remaining rows): {', '.join(dropped_const)}")
        formula = _formula(terms, frame, data.votes)
        X = _design(formula, frame)
        sep = detect_separation(X, frame["y"])
        if not sep.separated:
            break
        rows = frame.iloc[sep.rows]
        if sep.kind == "complete":
            raise ModelParameterError(
                f"complete separation: the covariates ({', '.join(data.term_labels[t] for t in sep.direction.index if t in data.term_labels) or 'vote fixed effects'}) "
                f"predict every {data.outcome} outcome of {data.group} on {', '.join(data.votes)} exactly, so no "
                "likelihood maximum exists. Choose fewer covariates, more votes or a larger group.")
        directions.append(sep.direction)
        set_aside.append(rows.assign(p=rows["y"].astype(float), step=step))
        frame = frame.drop(rows.index)
        # The separating direction is now constant (zero) on the remaining rows: drop what became constant
        # or collinear, choosing the covariate that carries most of the separating direction.
        dropped = [t for t in terms if frame[t].nunique() < 2]
        terms = [t for t in terms if t not in dropped]
        while True:
            formula = _formula(terms, frame, data.votes)
            Xr = _design(formula, frame)
            if np.linalg.matrix_rank(Xr.to_numpy()) == Xr.shape[1]:
                break
            cand = [t for t in terms if t in sep.direction.index]
            if not cand:
                cand = [t for t in terms if np.linalg.matrix_rank(_design(_formula([u for u in terms if u != t], frame, data.votes), frame).to_numpy())
                        == Xr.shape[1] - 1]
            if not cand:
                raise ModelParameterError(f"cannot resolve the separation in {data.group} on {', '.join(data.votes)}")
            worst = max(cand, key=lambda t: abs(sep.direction.get(t, 0.0)) * float(data.frame[t].std() or 1.0))
            dropped.append(worst)
            terms.remove(worst)
        steps.append(_separation_row(step, sep.kind, "outcome 1 vs 0", rows, sep.direction, data,
                                     "exact grouping: rows set aside as perfectly predicted; covariate dropped"
                                     if dropped else "exact grouping: rows set aside as perfectly predicted", dropped,
                                     frame))
        _signs_of_dropped(sep.direction, dropped, data, signs)
    result = _fit_statsmodels(kind, formula, frame)
    if not result.mle_retvals.get("converged", True):
        notes.append("the likelihood maximisation did not converge: treat the estimates with caution")
    if len(terms) and np.abs(result.params[terms]).max() > 15:
        notes.append("a coefficient exceeds 15 on the log-odds scale: likely near-separation; see the SEs")
    perfectly = (pd.concat(set_aside) if set_aside else data.frame.iloc[:0].assign(p=[], step=[]))
    return AbstentionModel(kind=kind, data=data, result=result, formula=formula, terms=terms, sample=frame,
                           separation=pd.DataFrame(steps, columns=SEPARATION_COLUMNS),
                           perfectly_predicted=perfectly, directions=directions, separated_signs=signs,
                           notes=data.notes + notes)


def _fit_multinomial(data: ModelData) -> AbstentionModel:
    frame = data.frame.copy()
    terms = _varying_terms(data.terms, frame)
    steps, notes, signs = [], [], {}
    counts = frame["vote"].value_counts()
    rare = [c for c in model_data.VOTE_CATEGORIES[1:] if 0 < counts.get(c, 0) < MIN_CATEGORY]
    if rare:
        notes.append("categories with fewer than %d rows left out of the multinomial model: %s" % (
            MIN_CATEGORY, ", ".join(f"{c} ({counts[c]} rows: {', '.join(sorted(frame.loc[frame['vote'] == c, 'iso3'].unique()))})"
                                    for c in rare)))
        frame = frame[~frame["vote"].isin(rare)]
    if counts.get("yes", 0) < MIN_CATEGORY:
        raise ModelParameterError(f"{data.group}: only {counts.get('yes', 0)} yes votes; the multinomial model "
                                  "needs yes as its base category")
    step = 0
    while True:
        cats = [c for c in model_data.VOTE_CATEGORIES if c in set(frame["vote"])]
        if len(cats) < 2:
            raise ModelParameterError(f"{data.group}: fewer than two vote categories left for the multinomial model")
        formula = _formula(terms, frame, data.votes)
        X = _design(formula, frame)
        found = None
        for cat in cats[1:]:
            pair = frame["vote"].isin(["yes", cat]).to_numpy()
            sep = detect_separation(X[pair], (frame.loc[pair, "vote"] == cat).astype(int))
            if sep.separated:
                found = (cat, sep, frame[pair].iloc[sep.rows])
                break
        if found is None:
            break
        step += 1
        cat, sep, rows = found
        cand = [t for t in terms if t in sep.direction.index]
        if cand:
            worst = max(cand, key=lambda t: abs(sep.direction[t]) * float(data.frame[t].std() or 1.0))
            terms.remove(worst)
            steps.append(_separation_row(step, sep.kind, f"{cat} vs yes", rows, sep.direction, data,
                                         "covariate dropped from the multinomial model", [worst], frame))
            _signs_of_dropped(sep.direction, [worst], data, signs)
        else:
            votes_out = sorted(rows["vote_id"].unique())
            frame = frame[~frame["vote_id"].isin(votes_out)]
            steps.append(_separation_row(step, sep.kind, f"{cat} vs yes", rows, sep.direction, data,
                                         "vote(s) left out of the multinomial model", votes_out, frame))
        if step > 30:
            raise ModelParameterError(f"cannot resolve the separation in {data.group} (multinomial)")
    cats = [c for c in model_data.VOTE_CATEGORIES if c in set(frame["vote"])]
    frame = frame.assign(y=frame["vote"].map({c: i for i, c in enumerate(model_data.VOTE_CATEGORIES)}))
    result = _fit_statsmodels("mnlogit", formula, frame)
    if not result.mle_retvals.get("converged", True):
        notes.append("the likelihood maximisation did not converge: treat the estimates with caution")
    return AbstentionModel(kind="mnlogit", data=data, result=result, formula=formula, terms=terms, sample=frame,
                           separation=pd.DataFrame(steps, columns=SEPARATION_COLUMNS),
                           perfectly_predicted=data.frame.iloc[:0], categories=cats, separated_signs=signs,
                           notes=data.notes + notes)


def check_model(model: str, votes: list[str]) -> None:
    if model not in MODELS:
        raise ModelParameterError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    if model == "logit" and len(votes) != 1:
        raise ModelParameterError(f"model 'logit' is for one vote, got {len(votes)} ({', '.join(votes)}); use "
                                  "'pooled_logit' (vote fixed effects, SEs clustered by state) for several")


def fit_data(data: ModelData, model: str = "pooled_logit") -> AbstentionModel:
    """Fit a model to prepared data (see :func:`fit`)."""
    check_model(model, data.votes)
    if model == "mnlogit":
        return _fit_multinomial(data)
    return _fit_binary(data, "logit" if len(data.votes) == 1 else "pooled_logit")


def fit(votes="ES-11", group=None, covariates=None, model="pooled_logit", outcome="abstain_vs_yes",
        standardize=True) -> AbstentionModel:
    """Fit an abstention model.

    votes: a vote id, a list of ids or a keyword of :data:`unvotes.model_data.VOTE_SETS` (``"ES-11"``);
    group: None/"all", a UN regional group ("African") or an organisation ("AU"); covariates: columns of
    countries.parquet (default :data:`unvotes.model_data.DEFAULT_COVARIATES`); model: one of :data:`MODELS`;
    outcome: a binary definition of :data:`unvotes.model_data.OUTCOMES` (ignored by ``mnlogit``)."""
    if model not in MODELS:
        raise ModelParameterError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    data = prepare(votes, group, covariates, outcome, multinomial=model == "mnlogit", standardize=standardize)
    return fit_data(data, model)


def subset_terms(data: ModelData, covariates: list[str]) -> ModelData:
    """The same rows, keeping only the terms of ``covariates`` (for comparisons on one common sample)."""
    terms = [t for t in data.terms if data.term_covariate[t] in covariates]
    return replace(data, covariates=list(covariates), terms=terms)


def compare_specifications(specs: dict[str, list[str]], votes="ES-11", group=None, model="pooled_logit",
                           outcome="abstain_vs_yes", folds=5, seed=2022) -> pd.DataFrame:
    """Fit statistics of several covariate sets on ONE sample (listwise deletion over the union of their
    covariates): n, AIC, BIC, McFadden pseudo-R2 and the cross-validated AUC. AIC/BIC compare only rows with
    the same number of observations (exact grouping can set different rows aside). A set that adds only
    covariates constant in the sample gets no row."""
    union = list(dict.fromkeys(c for cov in specs.values() for c in cov))
    data = prepare(votes, group, union, outcome, multinomial=model == "mnlogit")
    rows, seen = [], []
    for name, covs in specs.items():
        sub = subset_terms(data, covs)
        if sub.terms in seen:  # a covariate constant in this sample adds nothing: no row of its own
            continue
        seen.append(sub.terms)
        m = fit_data(sub, model)
        stats_ = m.fit_stats()
        rows.append({"specification": name, "covariates": ", ".join(covs) or "(vote fixed effects only)",
                     "n_obs": stats_["n_obs"], "n_perfectly_predicted": stats_["n_perfectly_predicted"],
                     "aic": stats_["aic"], "bic": stats_["bic"], "pseudo_r2": stats_["pseudo_r2"],
                     "cv_auc": cross_validated_auc(m, folds=folds, seed=seed)["auc"]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------- validation

def auc(y, score) -> float:
    """Area under the ROC curve (Mann-Whitney: probability that a random 1 scores above a random 0)."""
    y, score = np.asarray(y, dtype=int), np.asarray(score, dtype=float)
    n1, n0 = int(y.sum()), int((1 - y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = stats.rankdata(score)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def cross_validated_auc(model: AbstentionModel, folds: int = 5, seed: int = 2022) -> dict:
    """K-fold cross-validated AUC with folds of STATES (all of a state's votes in the same fold, so nothing
    about a held-out state is seen in training). The separation remedy is re-applied in each training fold.
    Multinomial models are scored on P(abstain) against abstaining."""
    data = model.data
    frame = data.frame
    states = np.array(sorted(frame["iso3"].unique()))
    rng = np.random.default_rng(seed)
    assignment = pd.Series(rng.permutation(len(states)) % folds, index=states)
    fold_of = frame["iso3"].map(assignment)
    score = pd.Series(np.nan, index=frame.index)
    failed = []
    for k in range(folds):
        train = replace(data, frame=frame[fold_of != k])
        try:
            fitted = fit_data(train, model.kind)
        except ModelParameterError as exc:
            failed.append(f"fold {k + 1}: {exc}")
            continue
        test = frame[fold_of == k]
        p = fitted.predict(test)
        score[test.index] = p["abstain"] if model.kind == "mnlogit" and "abstain" in p else p
    truth = frame["vote"].eq("abstain").astype(int) if model.kind == "mnlogit" else frame["y"]
    ok = score.notna()
    return {"auc": auc(truth[ok], score[ok]), "folds": folds, "n_scored": int(ok.sum()), "n_rows": len(frame),
            "failed_folds": failed}


@dataclass
class OutOfSample:
    by_vote: pd.DataFrame      # per test vote: n, accuracies, McNemar p
    predictions: pd.DataFrame  # per (state, test vote)
    model: AbstentionModel
    train_votes: list[str]
    test_votes: list[str]
    comparable: dict[str, str]
    notes: list[str]

    @property
    def overall(self) -> pd.Series:
        return self.by_vote.set_index("vote_id").loc["all test votes"]


def _baseline(vm: pd.DataFrame, votes_back: list[str], ones, zeros) -> pd.Series:
    """Each state's most recent vote among ``votes_back`` (latest first) that the outcome codes, as 0/1."""
    out = pd.Series(np.nan, index=vm.index)
    for v in votes_back:
        coded = vm[v].map(lambda x: 1.0 if x in ones else (0.0 if x in zeros else np.nan))
        out = out.fillna(coded)
    return out


def out_of_sample(train="2022-2023", test="2024-2025", group=None, covariates=None,
                  outcome="abstain_vs_yes") -> OutOfSample:
    """Fit a pooled logit on the ``train`` votes, predict the ``test`` votes, compare with naive baselines.

    A test vote has no fixed effect of its own: it takes the fixed effect of the training vote the catalogue
    says it is best compared with (``compare_with``, followed until a training vote is reached). Baselines:
    *last vote carried forward*, each state's most recent training vote that the outcome codes (walking back
    over votes it left out, e.g. absences); and *comparable vote carried forward*, the state's vote on that
    comparable training vote. States the baseline cannot code fall back to the training majority class.
    Accuracy = share of correct 0/1 predictions (model: probability > 0.5); model and baseline are compared
    with an exact McNemar test on the rows where exactly one of them is right."""
    from . import shifts

    train_ids = model_data.resolve_votes(train)
    test_ids = model_data.resolve_votes(test)
    overlap = set(train_ids) & set(test_ids)
    if overlap:
        raise ModelParameterError(f"votes both in training and test: {sorted(overlap)}")
    data = prepare(train_ids + test_ids, group, covariates, outcome)
    frame = data.frame
    train_data = replace(data, votes=train_ids, frame=frame[frame["vote_id"].isin(train_ids)])
    model = fit_data(train_data, "pooled_logit" if len(train_ids) > 1 else "logit")
    comparable = {v: model_data.comparable_training_vote(v, train_ids) for v in test_ids}
    notes = []
    fallback_vote = train_ids[-1]
    for v, c in comparable.items():
        if c is None:
            notes.append(f"{v}: no comparable training vote in the catalogue; the last training vote "
                         f"({fallback_vote}) supplies its fixed effect")
            comparable[v] = fallback_vote
    test_frame = frame[frame["vote_id"].isin(test_ids)].copy()
    test_frame["vote_fe"] = test_frame["vote_id"].map(comparable)
    p = model.predict(test_frame)

    ones, zeros = model_data.OUTCOMES[outcome]
    vm = shifts.vote_matrix(train_ids)
    majority = float(train_data.frame["y"].mean() > 0.5)
    last = _baseline(vm, train_ids[::-1], ones, zeros).reindex(test_frame["iso3"].unique())
    uncoded = sorted(last.index[last.isna()])
    last = last.fillna(majority)
    if uncoded:
        notes.append(f"{len(uncoded)} state(s) cast no training vote that the outcome codes ({', '.join(uncoded)}): "
                     f"the baselines predict the training majority class ({int(majority)}) for them")
    if p.isna().any():
        notes.append(f"{int(p.isna().sum())} test rows could not be predicted (their comparable vote has no fixed "
                     "effect in the fitted model) and count as wrong for the model")
    preds = test_frame[["iso3", "name", "un_group", "vote_id", "vote", "y"]].copy()
    preds["comparable_vote"] = preds["vote_id"].map(comparable)
    preds["p"] = p.values
    preds["model"] = (preds["p"] > 0.5).astype(int)
    preds["last_vote"] = preds["iso3"].map(last).fillna(majority).astype(int)
    preds["comparable_vote_baseline"] = majority
    for v in test_ids:  # the comparable vote first, then back through the training votes as for the last vote
        rows_v = preds["vote_id"] == v
        b = _baseline(vm, [comparable[v]] + train_ids[::-1], ones, zeros)
        preds.loc[rows_v, "comparable_vote_baseline"] = preds.loc[rows_v, "iso3"].map(b).fillna(majority)
    preds["comparable_vote_baseline"] = preds["comparable_vote_baseline"].astype(int)

    def summarise(d: pd.DataFrame, label: str) -> dict:
        correct_m = d["model"].eq(d["y"])
        correct_b = d["last_vote"].eq(d["y"])
        correct_c = d["comparable_vote_baseline"].eq(d["y"])
        only_m, only_b = int((correct_m & ~correct_b).sum()), int((~correct_m & correct_b).sum())
        mcnemar = (stats.binomtest(only_m, only_m + only_b, 0.5).pvalue if only_m + only_b else 1.0)
        return {"vote_id": label, "comparable_vote": d["comparable_vote"].iloc[0] if d["vote_id"].nunique() == 1 else "",
                "n": len(d), "share_1": d["y"].mean(), "model_accuracy": correct_m.mean(),
                "last_vote_accuracy": correct_b.mean(), "comparable_vote_accuracy": correct_c.mean(),
                "model_auc": auc(d["y"], d["p"]), "model_only_right": only_m, "baseline_only_right": only_b,
                "mcnemar_p": mcnemar}

    rows = [summarise(preds[preds["vote_id"] == v], v) for v in test_ids]
    rows.append(summarise(preds, "all test votes"))
    return OutOfSample(by_vote=pd.DataFrame(rows), predictions=preds, model=model, train_votes=train_ids,
                       test_votes=test_ids, comparable=comparable, notes=notes)


# ---------------------------------------------------------------------------------------------- published findings

PUBLISHED_FILE = "published_findings.csv"
PUBLISHED_COLUMNS = ["study", "citation", "url", "vote_id", "sample", "outcome", "finding", "published_sign",
                     "project_covariate", "proxy_direction", "proxy_note"]


def published_findings() -> pd.DataFrame:
    """The curated table of published findings (``data/external/published_findings.csv``), checked."""
    df = read_curated(PUBLISHED_FILE, PUBLISHED_COLUMNS)
    choices = set(model_data.covariate_choices())
    problems = []
    for i, row in df.iterrows():
        where = f"row {i + 2} ({row['study']}: {row['finding']})"
        if row["published_sign"] not in {"+1", "-1"}:
            problems.append(f"{where}: published_sign must be +1 or -1, got {row['published_sign']!r}")
        if row["project_covariate"] and row["project_covariate"] not in choices:
            problems.append(f"{where}: project_covariate {row['project_covariate']!r} is not a countries.parquet column")
        if row["project_covariate"] and row["proxy_direction"] not in {"+1", "-1"}:
            problems.append(f"{where}: proxy_direction must be +1 or -1 when a project covariate is named")
        if row["outcome"] not in model_data.OUTCOMES:
            problems.append(f"{where}: unknown outcome {row['outcome']!r}")
        if not row["citation"] or not row["url"]:
            problems.append(f"{where}: citation and url are required")
    if problems:
        raise UnvotesError(f"data/external/{PUBLISHED_FILE}: " + "; ".join(problems))
    df["published_sign"] = df["published_sign"].astype(int)
    df["proxy_direction"] = pd.to_numeric(df["proxy_direction"].replace("", np.nan)).astype("Int64")
    return df


def _verdict(sign_agrees: bool, significant: bool) -> str:
    if sign_agrees:
        return "agrees (95% CI excludes 0)" if significant else "same sign, CI includes 0"
    return "disagrees (95% CI excludes 0)" if significant else "opposite sign, CI includes 0"


def compare_with_published(model: AbstentionModel, findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each published finding: the project's estimate for its proxy in ``model`` and whether the sign
    agrees. Published signs are on *not voting yes*; a binary model's outcome (abstain, not-yes ...) has the
    same direction; for the multinomial model the AME on P(yes) is used with its sign reversed. A proxy that
    separated the outcome is judged by the sign of the separating direction."""
    findings = published_findings() if findings is None else findings
    ame = model.ame()
    if model.kind == "mnlogit":
        ame = ame[ame["category"] == "yes"].assign(ame=lambda d: -d["ame"], ci_low=lambda d: -d["ci_high"],
                                                   ci_high=lambda d: -d["ci_low"])
    ame = ame.set_index("covariate")
    sep_sign = model.separated_signs
    estimate_from = (f"{model.kind}, {model.data.group}, "
                     f"{model.data.votes[0] if len(model.data.votes) == 1 else str(len(model.data.votes)) + ' votes'}, "
                     f"outcome {model.data.outcome}")
    rows = []
    for _, f in findings.iterrows():
        cov = f["project_covariate"]
        out = {"study": f["study"], "finding": f["finding"], "published_sign": f["published_sign"],
               "vote_id": f["vote_id"], "proxy": cov or "", "ame": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        if not cov:
            out["verdict"] = "not in the project's data"
        elif cov not in model.data.covariates:
            out["verdict"] = "not in this model"
        elif cov in ame.index and cov in {model.data.term_covariate[t] for t in model.terms}:
            a = ame.loc[[cov]].iloc[0]
            direction = int(f["proxy_direction"])
            est_sign = int(np.sign(a["ame"])) * direction
            significant = a["ci_low"] > 0 or a["ci_high"] < 0
            out.update(ame=a["ame"], ci_low=a["ci_low"], ci_high=a["ci_high"],
                       verdict=_verdict(est_sign == f["published_sign"], significant))
        elif cov in sep_sign:
            est_sign = sep_sign[cov] * int(f["proxy_direction"])
            out["verdict"] = ("agrees (perfect prediction: separation)" if est_sign == f["published_sign"]
                              else "disagrees (perfect prediction: separation)")
        else:
            out["verdict"] = "dropped: constant in the sample"
        out["proxy_note"] = f["proxy_note"]
        out["estimate_from"] = estimate_from
        rows.append(out)
    return pd.DataFrame(rows)


def replicate_published(findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each study re-estimated on its own vote, sample and outcome with the project's proxies for its
    findings (one logit per study, all its proxies together), then compared sign by sign."""
    findings = published_findings() if findings is None else findings
    out = []
    for (study, vote_id, sample, outcome), rows in findings.groupby(["study", "vote_id", "sample", "outcome"], sort=False):
        covs = list(dict.fromkeys(c for c in rows["project_covariate"] if c))
        if covs:
            m = fit([vote_id], None if sample == "all" else sample, covs, "logit", outcome)
            table = compare_with_published(m, rows)
            table["sample"] = m.data.group
            table["n_obs"] = int(m.result.nobs) + len(m.perfectly_predicted)
        else:
            table = compare_with_published_empty(rows)
        out.append(table)
    return pd.concat(out, ignore_index=True)


def compare_with_published_empty(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"study": rows["study"], "finding": rows["finding"], "published_sign": rows["published_sign"],
                         "vote_id": rows["vote_id"], "proxy": "", "ame": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "verdict": "not in the project's data", "proxy_note": rows["proxy_note"],
                         "estimate_from": ""})


def published_summary(table: pd.DataFrame) -> str:
    """Sentences (markdown) generated from a comparison table: agreements, disagreements, missing covariates."""
    lines = []
    for study, rows in table.groupby("study", sort=False):
        agree = rows[rows["verdict"].str.startswith(("agrees", "same sign"))]
        disagree = rows[rows["verdict"].str.startswith(("disagrees", "opposite"))]
        lacking = rows[rows["verdict"] == "not in the project's data"]

        def fmt(d):
            return "; ".join(f"{r.finding} (proxy `{r.proxy}`: {r.verdict}"
                             + (f", AME {r.ame:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}])" if pd.notna(r.ame) else ")")
                             for r in d.itertuples())
        parts = [f"**{study}**:"]
        parts.append(f"same sign for {fmt(agree)}." if len(agree) else "no finding reproduced in sign.")
        if len(disagree):
            parts.append(f"Opposite sign for {fmt(disagree)}.")
        if len(lacking):
            parts.append("Not testable here (the project lacks the covariate): "
                         + ", ".join(lacking["finding"]) + ".")
        lines.append("- " + " ".join(parts))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- reporting

def headline(model: AbstentionModel, cv: dict | None = None, oos: OutOfSample | None = None,
             top: int | None = None) -> str:
    """Markdown bullets of the main results, every number computed: the largest AMEs with 95% CIs, the
    separation cases, the fit, and the out-of-sample accuracy against the baselines."""
    lines = []
    ame = model.ame()
    if model.kind == "mnlogit":
        ame = ame[ame["category"] == "abstain"]
    ame = ame.reindex(ame["ame"].abs().sort_values(ascending=False).index)
    ame = ame if top is None else ame.head(top)
    stats_ = model.fit_stats()
    what = "abstaining" if model.kind == "mnlogit" else {"abstain_vs_yes": "abstaining rather than voting yes",
                                                         "not_yes": "not voting yes",
                                                         "abstain_absent_vs_yes": "abstaining or staying away rather than voting yes"}[model.data.outcome]
    for r in ame.itertuples():
        sig = "95% CI excludes 0" if (r.ci_low > 0 or r.ci_high < 0) else "95% CI includes 0"
        lines.append(f"- {r.label}, {r.unit}: {r.ame * 100:+.1f} percentage points in the probability of {what} "
                     f"(95% CI {r.ci_low * 100:+.1f} to {r.ci_high * 100:+.1f}; {sig}).")
    for r in model.separation.itertuples():
        lines.append(f"- Separation ({r.check}): {r.covariates} predicts {r.n_rows} rows perfectly "
                     f"(states {r.states}); remedy: {r.remedy}{' (' + r.dropped + ')' if r.dropped else ''}.")
    fit_line = (f"- Fit: {stats_['n_obs']} rows, {stats_['n_states']} states, {stats_['n_votes']} vote(s); "
                f"McFadden pseudo-R² {stats_['pseudo_r2']:.2f}")
    if cv is not None:
        fit_line += f"; cross-validated AUC {cv['auc']:.2f} ({cv['folds']} folds of states)"
    lines.append(fit_line + ".")
    if oos is not None:
        o = oos.overall
        lines.append(f"- Out of sample (fitted on {len(oos.train_votes)} votes of 2022-2023, predicting "
                     f"{', '.join(oos.test_votes)}): accuracy {o['model_accuracy']:.1%} against "
                     f"{o['last_vote_accuracy']:.1%} for the last vote carried forward and "
                     f"{o['comparable_vote_accuracy']:.1%} for the comparable vote carried forward "
                     f"({int(o['n'])} state-votes; exact McNemar p = {o['mcnemar_p']:.3f} against the last vote).")
    return "\n".join(lines)


def source_line(model: AbstentionModel) -> str:
    return f"{vote_data_source(model.data.votes)}; {COVARIATE_SOURCES}"


def plot_ame(model: AbstentionModel, ax=None, title: str | None = None):
    """Coefficient plot: AMEs with 95% CIs (multinomial: one marker per category)."""
    import matplotlib.pyplot as plt

    ame = model.ame()
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(model.terms), 3) + 1.8))
    fig = ax.figure
    labels = list(dict.fromkeys(ame["label"]))
    ypos = {lab: i for i, lab in enumerate(labels[::-1])}
    if model.kind == "mnlogit":
        cats = list(dict.fromkeys(ame["category"]))
        offsets = np.linspace(-0.25, 0.25, len(cats))
        for off, cat in zip(offsets, cats):
            d = ame[ame["category"] == cat]
            y = d["label"].map(ypos) + off
            ax.errorbar(d["ame"] * 100, y, xerr=[(d["ame"] - d["ci_low"]) * 100, (d["ci_high"] - d["ame"]) * 100],
                        fmt="o", capsize=3, label=cat)
        ax.legend(title="P(vote)", loc="best", fontsize=8)
    else:
        y = ame["label"].map(ypos)
        ax.errorbar(ame["ame"] * 100, y, xerr=[(ame["ame"] - ame["ci_low"]) * 100, (ame["ci_high"] - ame["ame"]) * 100],
                    fmt="o", capsize=3, color="tab:blue")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(range(len(labels)), labels[::-1])
    ax.set_xlabel("Average marginal effect (percentage points, 95% CI, SEs clustered by state)")
    ax.set_ylabel("Covariate (change)")
    ax.set_title(title or f"What predicts the vote: {model.data.group}, {len(model.data.votes)} vote(s)")
    add_source(fig, source_line(model))
    fig.tight_layout()
    return fig


def plot_predicted(model: AbstentionModel, label: int = 12, title: str | None = None):
    """Per state: mean predicted probability (x) against the observed share (y), labelling the states the
    model explains worst. Perfectly predicted rows (separation) are left out."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    s = model.state_summary()
    fig, ax = plt.subplots(figsize=(9.5, 6))
    jitter = 0 if s["observed"].nunique() > 2 else np.random.default_rng(0).uniform(-0.03, 0.03, len(s))
    sns.scatterplot(x=s["predicted"], y=s["observed"] + jitter, hue=s["un_group"], ax=ax, s=30, alpha=0.8)
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
    worst = s.reindex((s["observed"] - s["predicted"]).abs().sort_values(ascending=False).index).head(label)
    offsets = [(4, 4), (4, -11), (-22, 8), (4, 14), (-22, -12)]  # staggered so that neighbours stay legible
    for i, r in enumerate(worst.sort_values(["observed", "predicted"]).itertuples()):
        ax.annotate(r.iso3, (r.predicted, r.observed), fontsize=7, xytext=offsets[i % len(offsets)],
                    textcoords="offset points", arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "grey"})
    what = "abstained" if model.kind == "mnlogit" or model.data.outcome == "abstain_vs_yes" else "coded 1 (did not vote yes)"
    ax.set_xlabel("Mean predicted probability (model)")
    ax.set_ylabel(f"Share of the state's votes in the model where it {what}")
    ax.set_title(title or f"Predicted versus actual, per state: {model.data.group}")
    ax.legend(title="UN regional group", fontsize=7, title_fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    add_source(fig, source_line(model))
    fig.tight_layout()
    return fig


def describe_sample(model: AbstentionModel) -> str:
    """One paragraph on who is in the model and who is not (markdown), computed."""
    d = model.data
    parts = [f"Sample: {d.group}, votes {', '.join(d.votes)}."]
    if model.kind == "mnlogit":
        parts.append("Outcome: the vote itself (yes = base, abstain, no, absent).")
    else:
        parts.append(f"Outcome: {model_data.OUTCOME_TEXT[d.outcome]}.")
        if len(d.left_out):
            lo = d.left_out.groupby("vote")["n"].sum()
            parts.append("Left out by this definition: " + ", ".join(f"{n} {v} rows" for v, n in lo.items()) + ".")
    if len(d.dropped_missing):
        parts.append(f"Listwise deletion: {len(d.dropped_missing)} state(s) lack a covariate and are left out: "
                     + "; ".join(f"{r.name} ({r.iso3}, no {r.missing})" for r in d.dropped_missing.itertuples()) + ".")
    else:
        parts.append("Listwise deletion: no state lacks a covariate.")
    if len(d.filled):
        per_col = d.filled.groupby("column")
        for col, rows in per_col:
            parts.append(f"Fill rule for {col} ({len(rows)} states: {', '.join(rows['iso3'])}): {rows['rule'].iloc[0]}.")
    for note in model.notes:
        parts.append(f"Note: {note}.")
    if len(model.perfectly_predicted):
        parts.append(f"{len(model.perfectly_predicted)} rows are perfectly predicted (separation) and set aside; "
                     "the AMEs average over the remaining rows.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------- notebook helpers

def check_parameters(votes, group, covariates, model, outcome, cv_folds=5) -> dict:
    """Validate a notebook's parameters before anything is fitted; the error names the valid choices."""
    vote_ids = model_data.resolve_votes(votes)
    countries = api.load_countries()
    group_label, _ = model_data.resolve_group(group, countries)
    model_data.check_covariates(covariates, countries)
    model_data.check_outcome(outcome)
    check_model(model, vote_ids)
    if not isinstance(cv_folds, int) or not 2 <= cv_folds <= 20:
        raise ModelParameterError(f"cv_folds must be a whole number from 2 to 20, got {cv_folds!r}")
    return {"votes": vote_ids, "group": group_label}


def nested_specifications(covariates: list[str]) -> dict[str, list[str]]:
    """Covariate sets for a fit comparison: vote fixed effects only, then the covariates added one at a time
    in the order given (the last set is the full model)."""
    specs = {"fixed effects only": []}
    for i, c in enumerate(covariates):
        specs[("+ " if i else "") + c] = list(covariates[: i + 1])
    return specs


def ame_table(model: AbstentionModel) -> pd.DataFrame:
    """AMEs for display: percentage points with 95% CI and p-value (multinomial: one column block per vote)."""
    a = model.ame()
    out = pd.DataFrame({"covariate": a["label"], "change": a["unit"],
                        "AME (pp)": (a["ame"] * 100).round(1),
                        "95% CI (pp)": [f"{lo * 100:+.1f} to {hi * 100:+.1f}" for lo, hi in zip(a["ci_low"], a["ci_high"])],
                        "p": a["p"].round(3)})
    if model.kind == "mnlogit":
        out.insert(0, "P(vote)", a["category"])
    return out


def outcome_table(model: AbstentionModel) -> pd.DataFrame:
    """How the sample's states voted on each vote (counts), by the model's data (before any remedy)."""
    f = model.data.frame
    t = pd.crosstab(f["vote_id"], f["vote"]).reindex(columns=[c for c in model_data.VOTE_CATEGORIES if c in set(f["vote"])])
    return t.reindex(model.data.votes)


def plot_out_of_sample(oos: OutOfSample, title: str | None = None):
    """Accuracy per test vote: the model against the two carried-forward baselines."""
    import matplotlib.pyplot as plt

    d = oos.by_vote.set_index("vote_id")[["model_accuracy", "last_vote_accuracy", "comparable_vote_accuracy"]]
    d.columns = ["model (pooled logit)", "last vote carried forward", "comparable vote carried forward"]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    (d * 100).plot.bar(ax=ax, rot=0, color=["#009E73", "#CC79A7", "#BBBBBB"])  # not the vote colours
    ax.set_ylim(0, 100)
    ax.set_xlabel("Test vote (fitted on the training votes only)")
    ax.set_ylabel("Correct predictions (%)")
    ax.set_title(title or f"Out-of-sample accuracy: {oos.model.data.group}")
    ax.legend(fontsize=8, loc="lower right")
    add_source(fig, f"{vote_data_source(oos.train_votes + oos.test_votes)}; {COVARIATE_SOURCES}")
    fig.tight_layout()
    return fig
