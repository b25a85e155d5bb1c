"""How well the models predict: proper scoring rules, cross-validation by states, and honest prediction of
each vote from the earlier ones (:func:`rolling_origin`).

Every model is scored on its headline target (ordered: *not yes*; binary: the outcome coded 1) with four
measures, since each answers a different question: **AUC** (ranking: the probability that a random positive
scores above a random negative), **Brier score** (mean squared error of the probability), **log-loss** (mean
negative log-likelihood; punishes confident mistakes) and **accuracy** at a 0.5 threshold (the crudest:
it rewards a well-placed intercept more than a good ranking).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from unvotes.tables import catalogue
from unvotes.models import model_data
from unvotes.memo import shared
from unvotes.models.model_data import ModelParameterError, prepare
from unvotes.models.fitting import AbstentionModel, fit_data, subset_terms

#: Probabilities are clipped to [EPS, 1 - EPS] in the log-loss, so that one certain mistake is finite.
EPS = 1e-15


def auc(y, score) -> float:
    """Area under the ROC curve (Mann-Whitney: probability that a random 1 scores above a random 0; ties 1/2)."""
    y, score = np.asarray(y, dtype=int), np.asarray(score, dtype=float)
    n1, n0 = int(y.sum()), int((1 - y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = stats.rankdata(score)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y, p) -> float:
    """Mean squared difference between the 0/1 outcome and its predicted probability (0 is perfect)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(np.mean((p - y) ** 2))


def log_loss(y, p) -> float:
    """Mean negative log-likelihood of the 0/1 outcome under the predicted probabilities (natural log)."""
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def accuracy(y, p) -> float:
    """Share of correct predictions when a probability above 0.5 predicts 1."""
    return float(np.mean((np.asarray(p, dtype=float) > 0.5) == np.asarray(y, dtype=int)))


def scores(y, p, probabilistic: bool = True) -> dict:
    """The four scores of predictions ``p`` of the 0/1 outcome ``y``. A baseline that predicts 0 or 1 with
    certainty (``probabilistic=False``) gets no log-loss: it would be infinite at its first mistake."""
    return {"n": len(y), "auc": auc(y, p), "brier": brier(y, p),
            "log_loss": log_loss(y, p) if probabilistic else np.nan, "accuracy": accuracy(y, p)}


# ---------------------------------------------------------------------------------------------- cross-validation

def cross_validate(model: AbstentionModel, folds: int = 5, seed: int = 2022) -> dict:
    """K-fold cross-validation with folds of STATES (all of a state's votes in the same fold, so nothing about
    a held-out state is seen in training), refitting the same estimator in each fold; the held-out rows are
    scored on the model's headline target (AUC within folds: :func:`auc_within`). A fold that cannot be fitted
    is listed in ``failed_folds`` with its reason and its rows are not scored (``n_scored`` < ``n_rows``)."""
    if not isinstance(folds, int) or not 2 <= folds <= 20:
        raise ModelParameterError(f"folds must be a whole number from 2 to 20, got {folds!r}")
    key = ("cross-validation", folds, seed)  # a section's table and its headline share one run
    if key not in model._memo:
        model._memo[key] = _cross_validate(model, folds, seed)
    return dict(model._memo[key])


def _cross_validate(model: AbstentionModel, folds: int, seed: int) -> dict:
    data = model.data
    frame = data.frame
    states = np.array(sorted(frame["iso3"].unique()))
    rng = np.random.default_rng(seed)
    assignment = pd.Series(rng.permutation(len(states)) % folds, index=states)
    fold_of = frame["iso3"].map(assignment)
    p = pd.Series(np.nan, index=frame.index)
    failed = []
    for k in range(folds):
        try:
            fitted = fit_data(replace(data, frame=frame[fold_of != k]), model.estimator, model.prior_scale)
        except ModelParameterError as exc:
            failed.append(f"fold {k + 1}: {exc}")
            continue
        test = frame[fold_of == k]
        p[test.index] = fitted.probability(test).to_numpy()
    observed = frame["vote"].isin(model.target_categories()).astype(int)
    ok = p.notna()
    out = {**scores(observed[ok], p[ok]), "folds": folds, "n_scored": int(ok.sum()), "n_rows": len(frame),
           "failed_folds": failed}
    out["auc"] = auc_within(observed[ok], p[ok], fold_of[ok])
    return out


def auc_within(y, score, strata) -> float:
    """AUC over the pairs of a positive and a negative in the same stratum (a fold: one fitted model ranks its
    own held-out rows), i.e. the strata's AUCs weighted by their numbers of pairs. Pooling the folds instead
    ranks the predictions of different models against each other: with a prediction that is constant within a
    vote (a model of fixed effects only) the only variation left is between folds, and it runs against the
    outcome (a fold with many abstainers leaves fewer in its training set, hence a lower prediction), so the
    pooled AUC falls below 0.5."""
    y, score, strata = np.asarray(y, dtype=int), np.asarray(score, dtype=float), np.asarray(strata)
    total, pairs = 0.0, 0
    for s in pd.unique(strata):
        k = strata == s
        n1, n0 = int(y[k].sum()), int((1 - y[k]).sum())
        if n1 and n0:
            total += auc(y[k], score[k]) * n1 * n0
            pairs += n1 * n0
    return total / pairs if pairs else float("nan")


def cross_validation_table(fitted: dict[str, AbstentionModel], folds: int = 5) -> pd.DataFrame:
    """One row per named model: its cross-validated scores on its own headline probability (AUC within folds,
    :func:`auc_within`); then the first model refitted with its fixed effects only, on the same rows: what the
    votes' own levels predict (0.5 on a single vote: one constant prediction per fold). A fold whose model
    cannot be fitted is counted, its reason given (``why``) and its rows left unscored (``n_scored`` against
    ``n_rows``)."""
    from unvotes.models.fitting import targets

    first_name, first = next(iter(fitted.items()))
    fitted = {**fitted, f"{first_name}, fixed effects only": fit_data(subset_terms(first.data, []), first.estimator,
                                                                      first.prior_scale)}
    rows = []
    for name, model in fitted.items():
        cv = cross_validate(model, folds=folds)
        rows.append({"model": name, "scored on": next(iter(targets(model.data.outcome))),
                     **{k: cv[k] for k in ["n_rows", "n_scored", "auc", "brier", "log_loss", "accuracy"]},
                     "folds that failed": len(cv["failed_folds"]),
                     "why": "; ".join(cv["failed_folds"]) or "every fold fitted: every row scored"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------- rolling origin

#: The nested predictors of :func:`rolling_origin`: name -> (pre-war covariates?, persistence score?, last vote?).
PREDICTORS = {
    "last vote": (False, False, True),
    "persistence": (False, True, False),
    "covariates": (True, False, False),
    "covariates + persistence": (True, True, False),
    "covariates + persistence + last vote": (True, True, True),
}
#: The paired comparisons of log-loss: (model, against).
COMPARISONS = [("covariates", "persistence"), ("covariates + persistence", "persistence"),
               ("covariates + persistence", "covariates"), ("covariates + persistence + last vote", "covariates + persistence"),
               ("last vote", "persistence")]
LAG_LEVELS = ["abstain", "no", "absent"]  # the state's vote on the preceding vote, against yes
FIRST_TEST = "2022-02-24"


@dataclass
class RollingOrigin:
    by_origin: pd.DataFrame    # per test vote and predictor: n, share not yes, AUC, Brier, log-loss
    pooled: pd.DataFrame       # per predictor over every test state-vote
    comparisons: pd.DataFrame  # paired log-loss differences, clustered by state
    predictions: pd.DataFrame  # per (state, test vote): y and every predictor's probability
    sequence: list[str]        # every vote in date order (training history and test votes)
    test_votes: list[str]
    notes: list[str]
    verdict: str


def _history_columns(frame: pd.DataFrame, sequence: list[str]) -> pd.DataFrame:
    """For each (state, vote) row, from the votes before it in ``sequence`` only: the state's vote on the
    immediately preceding vote (dummies against yes; not yet a member counts as absent) and its not-yes share
    over every earlier vote it cast (abstain or no = 1, yes = 0; NaN before its first cast vote). The same
    construction for a training row and a test row."""
    from unvotes.analyses import shifts

    vm = shifts.vote_table(sequence).reindex(columns=sequence)
    cast = vm.isin(["yes", "abstain", "no"])
    not_yes = vm.isin(["abstain", "no"]).astype(float).where(cast)
    # share over the votes strictly before each vote: cumulative sums shifted by one vote
    earlier_sum = not_yes.fillna(0).cumsum(axis=1).shift(1, axis=1)
    earlier_n = cast.astype(float).cumsum(axis=1).shift(1, axis=1)
    share = earlier_sum / earlier_n.where(earlier_n > 0)
    previous = vm.shift(1, axis=1).fillna("absent").astype(str)
    previous.iloc[:, 0] = np.nan
    out = pd.DataFrame(index=frame.index)
    pos = [vm.index.get_loc(s) for s in frame["iso3"]], [sequence.index(v) for v in frame["vote_id"]]
    out["persistence"] = share.to_numpy()[pos]
    last = pd.Series(previous.to_numpy()[pos], index=frame.index)
    for level in LAG_LEVELS:
        out[f"last_{level}"] = (last == level).astype(float).where(last.notna())
    return out


def _with_terms(data, extra: pd.DataFrame, covariates: bool, persistence: bool, last: bool):
    cols = (["persistence"] if persistence else []) + ([f"last_{lv}" for lv in LAG_LEVELS] if last else [])
    terms = (list(data.terms) if covariates else []) + cols
    labels, source = dict(data.term_labels), dict(data.term_covariate)
    labels["persistence"], source["persistence"] = "not-yes share over all earlier votes", "persistence"
    for lv in LAG_LEVELS:
        labels[f"last_{lv}"], source[f"last_{lv}"] = f"previous vote: {lv} (vs yes)", "previous_vote"
    return replace(data, frame=data.frame.join(extra[cols]), terms=terms, term_labels=labels, term_covariate=source,
                   covariates=(list(data.covariates) if covariates else []) + cols)


def _intercept_levels(frame: pd.DataFrame, sequence: list[str], k: int, notes: list[str]) -> pd.Series:
    """Each row's intercept for origin ``k``: its kind of text (catalogue theme); a test vote whose kind has no
    earlier vote takes the kind of its comparable earlier vote (catalogue ``compare_with`` chain), and says so."""
    theme = frame["theme"].astype(str)
    test = sequence[k]
    earlier = [v for v in sequence[:k] if (frame["vote_id"] == v).any()]  # the votes with training rows
    seen = set(theme[frame["vote_id"].isin(earlier)])
    own = theme[frame["vote_id"] == test].iloc[0]
    if own not in seen:
        comp = model_data.comparable_training_vote(test, earlier) or earlier[-1]
        new = catalogue.curated().set_index("vote_id").at[comp, "theme"]
        notes.append(f"{test} ({own}): no earlier vote of its kind; it takes the intercept of {new}, the kind of "
                     f"its comparable earlier vote {comp}")
        theme = theme.where(frame["vote_id"] != test, new)
    return theme


def _paired(d: pd.DataFrame, a: str, b: str, n_boot: int, seed: int) -> dict:
    """Log-loss of ``a`` minus that of ``b`` over the same state-votes: the mean difference, a t test with
    standard errors clustered by state (Diebold-Mariano style; t with G - 1 degrees of freedom) and a 95%
    interval from a bootstrap of states."""
    la, lb = _row_loss(d["y"], d[a]), _row_loss(d["y"], d[b])
    diff = pd.Series(la - lb, index=d.index)
    by_state = diff.groupby(d["iso3"]).agg(["sum", "size"])
    n, g = len(diff), len(by_state)
    mean = diff.mean()
    resid = by_state["sum"] - by_state["size"] * mean
    se = np.sqrt(g / (g - 1) * (resid ** 2).sum()) / n
    t = mean / se if se > 0 else np.nan
    p = float(2 * stats.t.sf(abs(t), g - 1)) if se > 0 else np.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, g, size=(n_boot, g))
    sums, sizes = by_state["sum"].to_numpy(), by_state["size"].to_numpy()
    boot = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return {"model": a, "against": b, "n": n, "states": g, "log_loss_model": la.mean(), "log_loss_against": lb.mean(),
            "difference": mean, "ci_low": lo, "ci_high": hi, "t": t, "p": p}


def _row_loss(y, p) -> np.ndarray:
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def verdict(comparisons: pd.DataFrame, alpha: float = 0.05) -> str:
    """One sentence, computed from the paired tests: does persistence alone predict as well as the covariates,
    and do the covariates add anything to persistence?"""
    c = comparisons.set_index(["model", "against"])

    def said(a, b):
        r = c.loc[(a, b)]
        detail = (f"log-loss {r['log_loss_model']:.3f} against {r['log_loss_against']:.3f}, difference "
                  f"{r['difference']:+.3f}, 95% CI {r['ci_low']:+.3f} to {r['ci_high']:+.3f}, p = {r['p']:.3f}")
        if r["p"] >= alpha:
            return "no different from", detail
        return ("better than" if r["difference"] < 0 else "worse than"), detail

    alone, d1 = said("covariates", "persistence")
    added, d2 = said("covariates + persistence", "persistence")
    first = (f"the pre-war covariates alone predict {alone} persistence alone (each state's not-yes share over the "
             f"earlier votes; {d1})")
    second = ("adding the covariates to persistence does not improve the prediction" if added == "no different from"
              else "adding the covariates to persistence improves the prediction" if added == "better than"
              else "adding the covariates to persistence makes the prediction worse")
    return (f"Predicting each vote since the invasion from all earlier votes, {first}, and {second} ({d2}; paired "
            f"tests over {int(c.loc[('covariates', 'persistence'), 'n'])} state-votes, clustered by state).")


@shared
def rolling_origin(group=None, covariates=None, first_test: str = FIRST_TEST, n_boot: int = 2000,
                   seed: int = 2022) -> RollingOrigin:
    """Rolling-origin, one-step-ahead prediction: every complete catalogued Ukraine vote of the General
    Assembly from ``first_test`` on is predicted by models fitted on **all earlier** votes of the sequence
    (every complete Ukraine vote since 2014), then scored; nothing later is seen.

    Outcome: not voting yes (abstain or no = 1, yes = 0) among the states that voted; absences and states
    without a vote right are left out, as in the main ordered model. Every predictor is a Firth logit with an
    intercept per kind of text (a first vote of its kind takes its comparable earlier vote's kind, noted) and
    the terms of :data:`PREDICTORS`: the pre-war covariates; **persistence**, the state's not-yes share over
    all earlier votes it cast; the **last vote**, the state's vote on the immediately preceding vote in the
    sequence. Persistence and the last vote are built the same way for training and test rows
    (:func:`_history_columns`). Scores per origin and pooled (AUC, Brier, log-loss); paired log-loss tests of
    :data:`COMPARISONS` (:func:`_paired`); the :func:`verdict` in one sentence."""
    from unvotes.analyses import shifts

    sequence = shifts.ukraine_votes(body="GA", complete_only=True)
    tests = [v for v in sequence if v in set(shifts.ukraine_votes(start=first_test, body="GA", complete_only=True))]
    if not tests:
        raise ModelParameterError(f"no complete catalogued Assembly vote on or after {first_test!r} to predict")
    data = prepare(sequence, group, covariates, "not_yes", intercepts="theme")
    frame = data.frame[data.frame["vote"] != "absent"]  # the not yes of the states that voted
    extra = _history_columns(frame, sequence)
    notes = []
    missing = extra["persistence"].isna() & frame["vote_id"].isin(tests)
    if missing.any():
        notes.append(f"{int(missing.sum())} test state-votes of states that had cast no earlier vote take the "
                     "training share of not yes as their persistence score")
    frame = frame[frame["vote_id"] != sequence[0]]  # the first vote has no earlier vote
    extra = extra.loc[frame.index]
    data = replace(data, frame=frame)
    preds, rows = [], []
    for vote in tests:
        k = sequence.index(vote)
        is_train = frame["vote_id"].isin(sequence[:k])
        is_test = frame["vote_id"] == vote
        fill = float(frame.loc[is_train, "y"].mean())
        ex = extra.assign(persistence=extra["persistence"].fillna(fill))
        step = replace(data, frame=frame.assign(vote_fe=_intercept_levels(frame, sequence, k, notes)))
        out = frame.loc[is_test, ["iso3", "name", "un_group", "vote_id", "vote", "y"]].copy()
        for name, (cov, pers, last) in PREDICTORS.items():
            d = _with_terms(step, ex, cov, pers, last)
            m = fit_data(replace(d, frame=d.frame[is_train], votes=sequence[:k]), "penalised")
            out[name] = m.probability(d.frame[is_test]).to_numpy()
        preds.append(out)
        for name in PREDICTORS:
            rows.append({"vote_id": vote, "predictor": name, "share_not_yes": out["y"].mean(),
                         **scores(out["y"], out[name])})
    predictions = pd.concat(preds, ignore_index=True)
    by_origin = pd.DataFrame(rows)
    pooled = pd.DataFrame([{"predictor": name, "share_not_yes": predictions["y"].mean(),
                            **scores(predictions["y"], predictions[name]),
                            "auc_within_votes": auc_within(predictions["y"], predictions[name], predictions["vote_id"])}
                           for name in PREDICTORS])
    comparisons = pd.DataFrame([_paired(predictions, a, b, n_boot, seed) for a, b in COMPARISONS])
    return RollingOrigin(by_origin=by_origin, pooled=pooled, comparisons=comparisons, predictions=predictions,
                         sequence=sequence, test_votes=tests, notes=notes, verdict=verdict(comparisons))
