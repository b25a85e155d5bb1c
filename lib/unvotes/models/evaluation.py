"""How well the models predict: proper scoring rules, cross-validation by states, and an out-of-sample test
against naive baselines and a dynamic model.

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

from .. import catalogue, model_data
from ..model_data import ModelParameterError, prepare
from .fitting import AbstentionModel, fit_data, subset_terms

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
    scored on the model's headline target."""
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
    return {**scores(observed[ok], p[ok]), "folds": folds, "n_scored": int(ok.sum()), "n_rows": len(frame),
            "failed_folds": failed}


def cross_validation_table(fitted: dict[str, AbstentionModel], folds: int = 5) -> pd.DataFrame:
    """One row per named model: its cross-validated scores on its own headline probability; then the first
    model refitted with its fixed effects only, on the same rows: what the votes' own levels predict."""
    from .fitting import targets

    first_name, first = next(iter(fitted.items()))
    fitted = {**fitted, f"{first_name}, fixed effects only": fit_data(subset_terms(first.data, []), first.estimator,
                                                                      first.prior_scale)}
    rows = []
    for name, model in fitted.items():
        cv = cross_validate(model, folds=folds)
        rows.append({"model": name, "scored on": next(iter(targets(model.data.outcome))),
                     **{k: cv[k] for k in ["n_scored", "auc", "brier", "log_loss", "accuracy"]},
                     "folds that failed": len(cv["failed_folds"])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------- out of sample

#: The lagged votes of the dynamic model: (column prefix, covariate name, what it is).
LAGS = {"last": "the state's previous catalogued vote (for a test vote: its last training vote)",
        "comparable": "the state's vote on the comparable earlier text (catalogue column compare_with)"}
LAG_LEVELS = ["abstain", "no", "absent"]  # against yes


@dataclass
class OutOfSample:
    by_vote: pd.DataFrame      # per test vote and predictor: n, share, AUC, Brier, log-loss, accuracy
    predictions: pd.DataFrame  # per (state, test vote): the outcome and every predictor's probability
    models: dict               # name -> fitted AbstentionModel
    train_votes: list[str]
    test_votes: list[str]
    themes: dict[str, str]     # test vote -> the kind of text whose intercept it takes
    notes: list[str]

    @property
    def overall(self) -> pd.DataFrame:
        return self.by_vote[self.by_vote["vote_id"] == "all test votes"].drop(columns="vote_id").reset_index(drop=True)


def _history() -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """States x every complete catalogued GA vote on the war (date order), and each vote's comparable vote."""
    from .. import shifts

    ids = shifts.ukraine_votes(body="GA", complete_only=True)
    return shifts.vote_matrix(ids), ids, catalogue.curated().set_index("vote_id")["compare_with"].to_dict()


def _lag_columns(frame: pd.DataFrame, train_ids: list[str], test_ids: list[str]) -> pd.DataFrame:
    """The lag dummies for each row: for a training vote the state's vote on the catalogued vote before it and
    on its comparable vote; for a test vote its last training vote and its comparable training vote (only
    what was known at the end of the training period)."""
    vm, ids, compare = _history()
    last_of, comp_of = {}, {}
    for v in set(frame["vote_id"]):
        if v in test_ids:
            last_of[v] = train_ids[-1]
            comp_of[v] = model_data.comparable_training_vote(v, train_ids) or train_ids[-1]
        else:
            i = ids.index(v)
            last_of[v] = ids[i - 1] if i else None
            comp_of[v] = compare.get(v) or last_of[v]
    out = pd.DataFrame(index=frame.index)
    for prefix, source in (("last", last_of), ("comparable", comp_of)):
        lagged = [vm.at[s, source[v]] if source[v] in vm.columns and s in vm.index else np.nan
                  for s, v in zip(frame["iso3"], frame["vote_id"])]
        lagged = pd.Series(lagged, index=frame.index).fillna("absent").astype(str)  # not yet a member: absent
        for level in LAG_LEVELS:
            out[f"{prefix}_{level}"] = (lagged == level).astype(float)
    return out


def _with_lags(data, lags: pd.DataFrame, keep_covariates: bool):
    terms = (list(data.terms) if keep_covariates else []) + list(lags.columns)
    labels = dict(data.term_labels)
    source = dict(data.term_covariate)
    refs = dict(data.reference_levels)
    for c in lags.columns:
        prefix, level = c.split("_", 1)
        labels[c] = f"{prefix} vote: {level} (vs yes)"
        source[c] = f"{prefix}_vote"
        refs[f"{prefix}_vote"] = "yes"
    return replace(data, frame=data.frame.join(lags), terms=terms, term_labels=labels, term_covariate=source,
                   reference_levels=refs, covariates=(list(data.covariates) if keep_covariates else [])
                   + [f"{p}_vote" for p in LAGS])


def out_of_sample(train="2022-2023", test="2024-2025", group=None, covariates=None,
                  outcome="abstain_vs_yes") -> OutOfSample:
    """Fit on the ``train`` votes, predict the ``test`` votes, and score every predictor on the same rows.

    Predictors (all Firth logits of the binary ``outcome``, with an intercept per **kind of text**, the
    catalogue's theme, so that a new vote takes the intercept of its kind rather than another vote's; a test
    vote whose kind has no training vote takes that of its comparable training vote, and says so):

    * *covariates*: the section's pre-war covariates;
    * *lags*: the state's last vote and its vote on the comparable text (see :data:`LAGS`);
    * *dynamic*: both together;
    * baselines, certain 0/1 predictions: the *last vote carried forward* (each state's most recent training
      vote that the outcome codes) and the *comparable vote carried forward*; states the baseline cannot code
      get the training majority.
    """
    from .. import shifts

    if outcome not in model_data.OUTCOMES:
        raise ModelParameterError(f"the out-of-sample test scores a binary outcome ({', '.join(model_data.OUTCOMES)}); "
                                  f"got {outcome!r}")
    train_ids = model_data.resolve_votes(train)
    test_ids = model_data.resolve_votes(test)
    overlap = set(train_ids) & set(test_ids)
    if overlap:
        raise ModelParameterError(f"votes both in training and test: {sorted(overlap)}")
    data = prepare(train_ids + test_ids, group, covariates, outcome, intercepts="theme")
    frame = data.frame
    is_train = frame["vote_id"].isin(train_ids)
    train_themes = set(frame.loc[is_train, "theme"])
    notes, themes = [], {}
    for v in test_ids:
        theme = frame.loc[frame["vote_id"] == v, "theme"].iloc[0]
        if theme not in train_themes:
            comp = model_data.comparable_training_vote(v, train_ids) or train_ids[-1]
            new = frame.loc[frame["vote_id"] == comp, "theme"].iloc[0]
            notes.append(f"{v} ({theme}): no training vote of its kind; it takes the intercept of {new}, the kind "
                         f"of its comparable training vote {comp}")
            theme = new
        themes[v] = theme
    frame = frame.assign(vote_fe=np.where(is_train, frame["theme"], frame["vote_id"].map(themes)))
    data = replace(data, frame=frame, votes=train_ids + test_ids)
    lags = _lag_columns(frame, train_ids, test_ids)
    specs = {"covariates": data, "lags": _with_lags(data, lags, keep_covariates=False),
             "dynamic (lags + covariates)": _with_lags(data, lags, keep_covariates=True)}
    models, preds = {}, frame.loc[~is_train, ["iso3", "name", "un_group", "vote_id", "vote", "y"]].copy()
    for name, d in specs.items():
        train_data = replace(d, frame=d.frame[is_train], votes=train_ids)
        models[name] = fit_data(train_data, "penalised")
        preds[name] = models[name].probability(d.frame[~is_train]).to_numpy()

    ones, zeros = model_data.OUTCOMES[outcome]
    vm = shifts.vote_matrix(train_ids)
    majority = float(frame.loc[is_train, "y"].mean() > 0.5)
    last = _carried(vm, train_ids[::-1], ones, zeros)
    uncoded = sorted(set(preds["iso3"]) - set(last.dropna().index))
    if uncoded:
        notes.append(f"{len(uncoded)} state(s) cast no training vote that the outcome codes ({', '.join(uncoded)}): "
                     f"the baselines predict the training majority ({int(majority)}) for them")
    preds["last vote carried forward"] = preds["iso3"].map(last).fillna(majority)
    preds["comparable vote carried forward"] = majority
    for v in test_ids:
        comp = model_data.comparable_training_vote(v, train_ids) or train_ids[-1]
        b = _carried(vm, [comp] + train_ids[::-1], ones, zeros)
        rows = preds["vote_id"] == v
        preds.loc[rows, "comparable vote carried forward"] = preds.loc[rows, "iso3"].map(b).fillna(majority)

    predictors = list(specs) + ["last vote carried forward", "comparable vote carried forward"]
    rows = []
    for v in test_ids + ["all test votes"]:
        d = preds if v == "all test votes" else preds[preds["vote_id"] == v]
        for name in predictors:
            rows.append({"vote_id": v, "predictor": name, "share_1": d["y"].mean(),
                         **scores(d["y"], d[name], probabilistic=name in specs)})
    return OutOfSample(by_vote=pd.DataFrame(rows), predictions=preds.reset_index(drop=True), models=models,
                       train_votes=train_ids, test_votes=test_ids, themes=themes, notes=notes)


def _carried(vm: pd.DataFrame, votes_back: list[str], ones, zeros) -> pd.Series:
    """Each state's most recent vote among ``votes_back`` (latest first) that the outcome codes, as 0/1."""
    out = pd.Series(np.nan, index=vm.index)
    for v in votes_back:
        out = out.fillna(vm[v].map(lambda x: 1.0 if x in ones else (0.0 if x in zeros else np.nan)))
    return out
