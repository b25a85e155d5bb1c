"""The pre-specified Africa model: within the African Group, group identities and security ties dated to each
vote, beside the report's pre-war covariates, with inference built for few treated states.

Why a model of its own. With the report's five pre-war covariates the African Group looks like a bloc that no
covariate explains; the group is a composite of subgroups that vote in opposite directions (Arab League states
vote yes although their pre-war ideal points are low, the governments of the former liberation movements of
southern Africa abstain, states hosting Russian forces vote no), which cancel when pooled. The specification is
fixed here, before looking at its results on any new vote:

* :data:`REPORT_COVARIATES`: the report's covariates within the group (the ideal point, Freedom House, the
  arms imported from Russia and the no-imports indicator; the regional group does not vary);
* :data:`DATED_COVARIATES`: FLMSA party in government, Arab League membership, Wagner or Africa Corps
  deployed, a coup in the previous three years, a Soviet friendship treaty, each at the vote's date
  (:mod:`unvotes.tables.dated`);
* the pooled ordered logit of :mod:`unvotes.models.fitting` (not the report's main model, which is the
  hierarchical model of :mod:`unvotes.models.hierarchical`): yes < abstain < no with a fixed effect per vote,
  penalised, standard errors clustered by state; effects on the probability of not voting yes. Numeric
  covariates are standardised with the mean and standard deviation over all member states
  (``standardize="pooled"``), so a "+1 SD" here is the same change as in the all-states models.

Inference for few treated states (:func:`randomisation_inference`, which counts them per sample): with so few
treated states cluster-robust p-values can be far too small. Each state-level treatment is permuted among the African
states (a state's whole path over the votes moves with it), and the covariance-adjusted statistic of Rosenbaum
(2002) is recomputed: the residuals of the model without the treatment (on the probability of not voting yes),
summed over the treated state-votes. Its p-value is exact under the sharp null that the treatment changes no
state's vote, whatever the number of treated states.

Which covariates carry prediction (:func:`log_loss_shapley`): the cross-validated log-loss of every model on
a subset of :data:`COVARIATE_GROUPS`, and each group's Shapley value, its average reduction of the
log-loss over the orders in which the groups can be added. How the subgroups cancel (:func:`subgroups`):
their vote shares beside the pooled group's.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

from unvotes import api, memo
from unvotes.models import model_data
from unvotes.models.model_data import ModelParameterError
from unvotes.models.evaluation import cross_validate
from unvotes.models.fitting import fit_data, subset_terms

GROUP = "African"
#: The report's covariates within the African Group (its default covariates without the regional group).
REPORT_COVARIATES = [c for c in model_data.DEFAULT_COVARIATES if c != "un_group"]
#: The group identities and security ties, dated to each vote.
DATED_COVARIATES = ["flmsa_party_gov", "member_arab_league_at_vote", "russian_forces", "coup_within_3y",
                    "soviet_treaty"]
COVARIATES = REPORT_COVARIATES + DATED_COVARIATES
#: The two samples: the emergency-session texts of 2022-2023 (the report's sample) and every complete vote since
#: the invasion (2022-2026).
SAMPLES = {"ES-11/1-6 (2022-2023)": "ES-11", "every complete vote, 2022-2026": "post-invasion"}
#: The groups of covariates whose share of prediction is decomposed.
COVARIATE_GROUPS = {
    "identity (Arab League, FLMSA party)": ["member_arab_league_at_vote", "flmsa_party_gov"],
    "security ties (Russian forces, coup, Soviet treaty)": ["russian_forces", "coup_within_3y", "soviet_treaty"],
    "alignment (pre-war ideal point)": ["ideal_point_prewar"],
    "regime (Freedom House)": ["fh_total"],
    "arms (from Russia; no imports)": ["log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021"],
}
#: The state-level treatments tested by randomisation.
TREATMENTS = DATED_COVARIATES
PERMUTATIONS = 2000
SEED = 2022
TARGET = "not yes"


def check_sample(votes) -> str:
    """A key of :data:`SAMPLES` or a vote set of :mod:`unvotes.models.model_data`; the error names the choices."""
    if votes in SAMPLES:
        return SAMPLES[votes]
    if votes in SAMPLES.values():
        return votes
    raise ModelParameterError(f"unknown Africa sample {votes!r}; choose one of {list(SAMPLES)} (or "
                              f"{list(SAMPLES.values())})")


#: Numeric covariates per standard deviation over all member states: the unit of the all-states models, not the
#: African sample's narrower spread (the pre-war ideal point's SD is far smaller among the African states).
STANDARDIZE = "pooled"


def prepared(votes="ES-11", covariates=None):
    """The prepared rows of the Africa model (:func:`unvotes.models.model_data.prepare`, ordered outcome, numeric
    covariates standardised over all member states)."""
    return model_data.prepare(check_sample(votes), GROUP, COVARIATES if covariates is None else covariates,
                              standardize=STANDARDIZE)


def _unit(change: str) -> str:
    """Say which standard deviation a "+1 SD (x)" is: all member states', as in the all-states models."""
    return change.replace("+1 SD (", "+1 SD of all member states (", 1) if change.startswith("+1 SD (") else change


def _ame_rows(model, specification: str) -> pd.DataFrame:
    a = model.ame(TARGET)
    return pd.DataFrame({"specification": specification, "term": a["term"], "covariate": a["label"],
                         "change": a["unit"].map(_unit), "ame": a["ame"], "ci_low": a["ci_low"], "ci_high": a["ci_high"],
                         "p": a["p"], "p_holm": a["p_holm"]})


@memo.shared
def effects(votes="ES-11", folds: int = 5) -> pd.DataFrame:
    """The old and the pre-specified Africa model side by side, fitted on the same rows: each covariate's average
    marginal effect on the probability of not voting yes (95% CI, p, Holm p within the model), with the
    models' cross-validated scores in ``attrs`` (``scores``: model -> AUC, Brier, log-loss, failed folds;
    ``fixed_effects_only``: the same scores of the fixed effects per vote alone, the baseline both must beat)."""
    data = prepared(votes)
    specs = {"report's covariates": REPORT_COVARIATES, "pre-specified Africa model": COVARIATES}
    frames, scores = [], {}

    def scored(model):
        cv = cross_validate(model, folds=folds)
        return {k: cv[k] for k in ("auc", "brier", "log_loss", "n_scored", "n_rows")} | {
            "failed_folds": len(cv["failed_folds"])}

    for name, covs in specs.items():
        model = fit_data(subset_terms(data, covs))
        frames.append(_ame_rows(model, name))
        scores[name] = scored(model)
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(scores=scores, fixed_effects_only=scored(fit_data(subset_terms(data, []))),
                     n_rows=len(data.frame), n_states=data.n_states, votes=data.votes, notes=list(data.notes))
    return out


def _paths(data, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(states x votes matrix of the treatment, state index of each row, vote index of each row). A state's
    missing cell (it was absent on that vote) takes its value at the nearest vote it cast."""
    f = data.frame
    matrix = f.pivot(index="iso3", columns="vote_id", values=column).reindex(columns=data.votes)
    matrix = matrix.ffill(axis=1).bfill(axis=1).fillna(0.0)
    states = {s: i for i, s in enumerate(matrix.index)}
    votes = {v: j for j, v in enumerate(matrix.columns)}
    return matrix.to_numpy(dtype=float), f["iso3"].map(states).to_numpy(), f["vote_id"].map(votes).to_numpy()


def _statistic(x: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Rosenbaum's covariance-adjusted statistic for each row of ``x`` (permutations x rows): the residuals of
    the model without the treatment, summed over the treated state-votes. Unstudentised on purpose: a
    cluster-studentised statistic with a few treated states is bounded (by the square root of their number)
    and measures only whether their residuals share a sign."""
    return x @ residual


@memo.shared
def randomisation_inference(votes="ES-11", permutations: int = PERMUTATIONS, seed: int = SEED) -> pd.DataFrame:
    """Randomisation p-values of the dated state-level treatments of the Africa model.

    For each treatment: the model without it is fitted once; its residuals on the probability of not voting
    yes are the outcome adjusted for every other covariate. The treatment paths are permuted among the
    sample's states ``permutations`` times (seeded), and the p-value is the share of permutations (the
    observed one included) whose statistic is at least as large in absolute value. Columns:
    treatment, covariate, treated states (ever treated in the sample), the statistic, the randomisation p and
    the number of permutations."""
    if not isinstance(permutations, int) or permutations < 100:
        raise ModelParameterError(f"permutations must be a whole number of at least 100, got {permutations!r}")
    data = prepared(votes)
    f = data.frame
    observed = f["vote"].isin(["abstain", "no"]).to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    rows = []
    for term in [t for t in TREATMENTS if t in data.terms]:
        null = fit_data(subset_terms(data, [c for c in COVARIATES if c != term]))
        residual = observed - null.probability(f, TARGET).to_numpy()
        matrix, state, vote = _paths(data, term)
        n_states = matrix.shape[0]
        perms = np.vstack([np.arange(n_states)] + [rng.permutation(n_states) for _ in range(permutations)])
        x = matrix[perms[:, state], vote]  # row i of permutation k takes the path of state perms[k, state_i]
        stats = _statistic(x, residual)
        rows.append({"term": term, "covariate": data.term_labels[term],
                     "treated states": int((matrix.max(axis=1) > 0).sum()), "statistic": stats[0],
                     "randomisation p": float(np.mean(np.abs(stats) >= abs(stats[0]) - 1e-12)),
                     "permutations": permutations})
    return pd.DataFrame(rows)


@memo.shared
def log_loss_shapley(votes="ES-11", folds: int = 5, seed: int = 2022) -> pd.DataFrame:
    """Which groups of covariates (:data:`COVARIATE_GROUPS`) carry the cross-validated prediction of not voting
    yes: the models on every subset of the groups (a fixed effect per vote in all of them, the same rows, folds
    of states), and each group's Shapley value, its reduction of the log-loss averaged over the orders in which
    the groups can be added. The values sum to the reduction from the fixed effects alone to the full model.
    ``attrs``: the log-loss and AUC of the fixed effects alone and of the full model, the folds that failed."""
    data = prepared(votes)
    names = [g for g, covs in COVARIATE_GROUPS.items() if any(c in data.terms for c in covs)]
    loss, auc, failed = {}, {}, 0
    for k in range(len(names) + 1):
        for subset in combinations(names, k):
            covs = [c for g in subset for c in COVARIATE_GROUPS[g]]
            cv = cross_validate(fit_data(subset_terms(data, covs)), folds=folds, seed=seed)
            loss[frozenset(subset)], auc[frozenset(subset)] = cv["log_loss"], cv["auc"]
            failed += len(cv["failed_folds"])
    values = shapley_values(loss, names)
    rows = []
    for g in names:
        value = values[g]
        rows.append({"group": g, "covariates": ", ".join(data.term_labels.get(c, c) for c in COVARIATE_GROUPS[g]
                                                          if c in data.terms),
                     "log-loss reduction (Shapley)": value,
                     "log-loss, this group alone": loss[frozenset([g])],
                     "AUC, this group alone": auc[frozenset([g])]})
    out = pd.DataFrame(rows)
    total = loss[frozenset()] - loss[frozenset(names)]
    # a share of the total means something only when the full model predicts better than the fixed effects
    out["share of the reduction"] = out["log-loss reduction (Shapley)"] / total if total > 0 else np.nan
    out = out.sort_values("log-loss reduction (Shapley)", ascending=False, ignore_index=True)
    out.attrs.update(fixed_effects_only={"log_loss": loss[frozenset()], "auc": auc[frozenset()]},
                     full={"log_loss": loss[frozenset(names)], "auc": auc[frozenset(names)]},
                     failed_folds=failed, models=len(loss), folds=folds)
    return out


def shapley_values(loss: dict, players: list[str]) -> dict[str, float]:
    """Each player's Shapley value of a game given as the loss of every coalition (frozensets of ``players``):
    the reduction of the loss when it joins, averaged over the orders of joining. The values sum to
    ``loss[empty] - loss[all]``."""
    n = len(players)
    out = {}
    for g in players:
        others = [h for h in players if h != g]
        out[g] = sum(factorial(k) * factorial(n - k - 1) / factorial(n)
                     * (loss[frozenset(s)] - loss[frozenset(s) | {g}])
                     for k in range(n) for s in combinations(others, k))
    return out


#: The subgroups whose votes are set beside the pooled group's: column -> label.
SUBGROUPS = {"member_arab_league_at_vote": "Arab League members", "flmsa_party_gov": "FLMSA party in government",
             "russian_forces": "Wagner or the Africa Corps deployed", "coup_within_3y": "a coup in the previous three years"}


def subgroups(votes="ES-11") -> pd.DataFrame:
    """How opposing subgroups cancel when pooled: the African Group's votes on the sample (every state-vote,
    absences included; the parties are not African) pooled, then for each subgroup of :data:`SUBGROUPS` at the
    vote's date and for the states in none of them: states, state-votes, the shares of yes, abstain, no and
    absent, and the mean pre-war ideal point (towards the US)."""
    vote_ids = model_data.resolve_votes(check_sample(votes))
    countries = api.load_countries().set_index("iso3")
    african = countries.index[countries["un_group"] == GROUP]
    v = api.load_votes()
    v = v[v["vote_id"].isin(vote_ids) & v["iso3"].isin(african)].astype({"vote_id": str, "iso3": str, "vote": str})
    at = model_data._vote_covariates(vote_ids)[["vote_id", "iso3", *SUBGROUPS]]
    v = v.merge(at, on=["vote_id", "iso3"], how="left")
    flags = v[list(SUBGROUPS)].fillna(False).astype(bool)
    groups = [("the African Group, pooled", pd.Series(True, index=v.index))]
    groups += [(label, flags[col]) for col, label in SUBGROUPS.items()]
    groups.append(("none of these", ~flags.any(axis=1)))
    rows = []
    for label, mask in groups:
        d = v[mask]
        shares = d["vote"].value_counts(normalize=True)
        rows.append({"subgroup": label, "states": d["iso3"].nunique(), "state-votes": len(d),
                     **{f"share {k}": float(shares.get(k, 0.0)) for k in ("yes", "abstain", "no", "absent")},
                     "mean pre-war ideal point": float(countries.loc[d["iso3"].unique(), "ideal_point_prewar"].mean())})
    return pd.DataFrame(rows)


#: The cross-validated scores, how each is written and whether higher is better.
SCORES = {"auc": ("AUC", True), "log_loss": ("log-loss", False), "brier": ("Brier score", False)}


def scores_sentence(effects_table: pd.DataFrame) -> str:
    """The cross-validated AUC, log-loss and Brier score (folds of states) of the fixed effects alone, the report's
    covariates and the pre-specified model (``effects_table``: :func:`effects`), and which scores the pre-specified
    model improves on the report's covariates and which it worsens: the measures can disagree (a better ranking or
    Brier score with a worse log-loss means some confident predictions that are wrong), so all three are stated."""
    a = effects_table.attrs
    fe, old, full = a["fixed_effects_only"], a["scores"]["report's covariates"], a["scores"]["pre-specified Africa model"]
    digits = {"auc": 2, "log_loss": 3, "brier": 3}
    listed = "; ".join(f"{name} {fe[k]:.{digits[k]}f}, {old[k]:.{digits[k]}f} and {full[k]:.{digits[k]}f}"
                       for k, (name, _) in SCORES.items())
    better = [name for k, (name, up) in SCORES.items() if (full[k] > old[k]) == up and full[k] != old[k]]
    worse = [name for k, (name, up) in SCORES.items() if (full[k] < old[k]) == up and full[k] != old[k]]
    text = (f"Cross-validated over folds of states, the fixed effects per vote alone, the report's covariates and the "
            f"pre-specified model score: {listed} (higher AUC, lower log-loss and Brier score are better)")
    if better and worse:
        text += (f"; against the report's covariates the pre-specified model is better by {' and '.join(better)} "
                 f"but worse by {' and '.join(worse)}")
    elif better:
        text += "; the pre-specified model is better than the report's covariates by all three"
    elif worse:
        text += "; the pre-specified model is worse than the report's covariates by all three"
    old_gain = fe["log_loss"] - old["log_loss"]
    text += (f". The report's covariates alone {'lower' if old_gain > 0 else 'raise'} the log-loss of the fixed "
             f"effects by {abs(old_gain):.3f} per state-vote")
    return text


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def headline(effects_table: pd.DataFrame, ri: pd.DataFrame, shapley: pd.DataFrame,
             groups: pd.DataFrame | None = None) -> str:
    """What the pre-specified Africa model supports, in words and numbers from its tables: the covariates whose
    association holds after Holm (with the randomisation p of the dated treatments), those that do not, the
    cross-validated AUC of both models, the groups that carry and that spoil prediction, and (``groups``, from
    :func:`subgroups`) how the subgroups' abstention rates cancel in the pooled rate."""
    new = effects_table[effects_table["specification"] == "pre-specified Africa model"]
    ri_p = ri.set_index("term")["randomisation p"] if len(ri) else pd.Series(dtype=float)
    held = new[new["p_holm"] < 0.05]
    held = held.loc[held["ame"].abs().sort_values(ascending=False).index]

    def said(r):
        extra = f"; randomisation p = {ri_p[r['term']]:.3f}" if r["term"] in ri_p.index else ""
        change = "" if r["change"].startswith("vs ") or "->" in r["change"] else f" per {r['change'].removeprefix('+')}"
        return (f"{r['covariate']}{change} {r['ame'] * 100:+.1f} pp (95% CI {r['ci_low'] * 100:+.1f} to "
                f"{r['ci_high'] * 100:+.1f}; Holm p {_p(r['p_holm'])}{extra})")

    a = effects_table.attrs
    votes = a["votes"]
    lead = (f"Within the African Group ({a['n_states']} states, {a['n_rows']} state-votes on {len(votes)} votes, "
            f"{votes[0]} to {votes[-1]}), the pre-specified model with group identities and security ties dated to "
            "each vote ")
    if held.empty:
        body = "finds no covariate whose association with not voting yes holds after the Holm adjustment"
    else:
        body = "finds these associations with the probability of not voting yes: " + "; ".join(
            said(r) for _, r in held.iterrows())
    weak = new.loc[new["p_holm"] >= 0.05, "covariate"].tolist()
    parts = [lead + body]
    if weak:
        parts.append(f"Not significant after Holm: {', '.join(weak)}")
    ri_weak = [r["covariate"] for _, r in ri.iterrows() if r["randomisation p"] >= 0.05 and r["term"] in set(held["term"])]
    if ri_weak:
        parts.append(f"By randomisation over states, not clear (p ≥ 0.05): {', '.join(ri_weak)}")
    parts.append(scores_sentence(effects_table))
    top, worst = shapley.iloc[0], shapley.iloc[-1]
    carry = (f"Of the groups of covariates, {top['group']} lowers the cross-validated log-loss most (Shapley value "
             f"{top['log-loss reduction (Shapley)']:.3f} per state-vote)")
    if worst["log-loss reduction (Shapley)"] < 0:
        carry += (f", while {worst['group']} raises it (by {-worst['log-loss reduction (Shapley)']:.3f}): with so "
                  "few treated states it adds more noise than prediction out of sample")
    parts.append(carry)
    if groups is not None:
        g = groups.set_index("subgroup")["share abstain"]
        pooled = g.iloc[0]
        sub = "; ".join(f"{label} {share:.0%}" for label, share in g.iloc[1:-1].items())
        parts.append(f"Opposing subgroups cancel when pooled: the African Group abstained on {pooled:.0%} of its "
                     f"state-votes, {sub}, the others {g.iloc[-1]:.0%}")
    parts.append("These are associations across states, not causal effects.")
    return ". ".join(parts)


def display_effects(effects_table: pd.DataFrame) -> pd.DataFrame:
    """:func:`effects` for reading: the two models side by side, one row per covariate, effects in percentage
    points with their intervals, p and Holm p (a dash where a covariate is not in the model)."""
    t = effects_table.assign(
        cell=lambda d: [f"{a * 100:+.1f} [{lo * 100:+.1f}, {hi * 100:+.1f}]; Holm p {_p(ph)}"
                        for a, lo, hi, ph in zip(d["ame"], d["ci_low"], d["ci_high"], d["p_holm"])])
    wide = t.pivot(index=["term", "covariate", "change"], columns="specification", values="cell")
    order = {term: i for i, term in enumerate(COVARIATES)}
    wide = wide.reset_index().sort_values("term", key=lambda c: c.map(order)).drop(columns="term")
    wide.columns.name = None
    wide = wide.fillna("-")
    scores = effects_table.attrs["scores"]
    fit = {"covariate": "cross-validated AUC / Brier / log-loss (folds of states)", "change": ""}
    fit.update({name: f"{sc['auc']:.2f} / {sc['brier']:.3f} / {sc['log_loss']:.3f}"
                + (f" ({sc['failed_folds']} folds failed)" if sc["failed_folds"] else "") for name, sc in scores.items()})
    return pd.concat([wide, pd.DataFrame([fit])], ignore_index=True)[["covariate", "change", *scores]]


def limits(sample, ri: pd.DataFrame, second_sample=None, second_ri: pd.DataFrame | None = None) -> str:
    """The limits of the Africa model's section as Markdown bullets, counted from the samples: how far the second
    sample overlaps the first (so whether it is an out-of-sample check), and how many states hold each dated
    treatment in each sample (``ri``/``second_ri``: :func:`randomisation_inference` of each)."""
    samples = [(sample, ri)] + ([(second_sample, second_ri)] if second_sample is not None else [])
    bullets = []
    first_votes = set(model_data.resolve_votes(check_sample(sample)))
    fixed = ("The specification was fixed after the referee's re-analysis had shown that these covariates matter on "
             "ES-11/1-6, so that sample does not test it")
    if second_sample is not None:
        rows = prepared(second_sample).frame["vote_id"]
        overlap = rows.isin(first_votes)
        later = [v for v in dict.fromkeys(rows[~overlap]) if v not in first_votes]
        fixed += (f". Nor is the second sample ({second_sample}) an out-of-sample check: it overlaps the first, "
                  f"{int(overlap.sum())} of its {len(rows)} state-votes are on the votes of the first sample, and "
                  f"only its {int((~overlap).sum())} state-votes on the {len(later)} later votes "
                  f"({later[0]} to {later[-1]}) are new" if later else
                  f". The second sample ({second_sample}) holds no vote outside the first")
    bullets.append(fixed + ".")
    bullets.append("The dated tables cite news and reference sources per row; Russian forces' presence after a "
                   "deployment's latest source is unknown and those state-votes are left out (the note above the "
                   "tables says how many).")
    counts = "; ".join(f"on {name}: " + ", ".join(f"{r['covariate']} {r['treated states']}" for _, r in table.iterrows())
                       for name, table in samples if table is not None and len(table))
    bullets.append(f"The treated states (ever treated in the sample) are few ({counts}): the randomisation p-values "
                   "are the ones to read, and a subgroup's effect rests on those states alone.")
    bullets.append("Associations across states, not causal effects: an identity goes with much else (history, region, "
                   "religion, aid).")
    return "\n".join(f"- {b}" for b in bullets)
