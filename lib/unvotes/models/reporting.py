"""What the report says about a model, as text and tables generated from the estimates (never typed).

:func:`headline_findings` is the one-paragraph answer a summary page can call: each association with its
interval, and how stable it is across the specifications that hold the estimand fixed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from unvotes import api
from unvotes.tables import catalogue
from unvotes.models import model_data
from unvotes.models.model_data import ModelParameterError
from unvotes.analyses.plotting import vote_data_source
from unvotes.models import robustness
from unvotes.models.effects import holds
from unvotes.models.fitting import AbstentionModel, check_estimator, targets

#: Where the covariates of every model come from (the roll calls' sources are added per figure).
COVARIATE_SOURCES = "pre-war covariates from QoG (V-Dem, Freedom House, WDI), SIPRI and Voeten et al. (countries.parquet)"

_TARGET_TEXT = {"not yes": "not voting yes (abstaining or voting no)", "abstain": "abstaining", "no": "voting no",
                "absent": "staying away", "abstain or absent": "abstaining or staying away rather than voting yes",
                "yes": "voting yes"}


def target_text(target: str) -> str:
    return _TARGET_TEXT.get(target, target)


def source_line(model: AbstentionModel) -> str:
    own = model.data.extra
    mine = f"; the analyst's own covariates ({', '.join(own.columns)})" if own is not None else ""
    return f"{vote_data_source(model.data.votes)}; {COVARIATE_SOURCES}{mine}"


def check_parameters(votes, group, covariates, outcome, estimator="penalised", prior_scale=2.5, cv_folds=5, *,
                     extra=None, exclude=None) -> dict:
    """Validate a notebook's parameters before anything is fitted; the error names the valid choices. Returns the
    vote ids, the group's label and ``catalogued`` (every vote is in the Ukraine catalogue: the sections on the
    war's votes, the rolling origin and the published studies, apply)."""
    vote_ids = model_data.resolve_votes(votes)
    countries = api.load_countries()
    group_label, _ = model_data.resolve_group(group, countries)
    checked = model_data.check_extra(extra, countries)
    dated_extra = []
    if checked is not None and checked.by == "iso3":
        countries = countries.merge(checked.frame, on="iso3", how="left")
    elif checked is not None:
        dated_extra = checked.columns
    model_data.check_covariates([c for c in covariates if c not in dated_extra]
                                if isinstance(covariates, (list, tuple)) else covariates, countries)
    model_data.resolve_exclude(exclude, vote_ids)
    model_data.check_outcome(outcome)
    check_estimator(estimator, prior_scale)
    if not isinstance(cv_folds, int) or not 2 <= cv_folds <= 20:
        raise ModelParameterError(f"cv_folds must be a whole number from 2 to 20, got {cv_folds!r}")
    catalogued = bool(catalogue.vote_info(vote_ids)["catalogued"].all())
    return {"votes": vote_ids, "group": group_label, "catalogued": catalogued}


def describe_sample(model: AbstentionModel) -> str:
    """One paragraph on the model, who is in it and who is not (markdown), computed."""
    d = model.data
    parts = [f"Model: {model.description}. Sample: {d.group}, votes {', '.join(d.votes)}; "
             f"{model.estimate.n_obs} state-votes of {model.sample['iso3'].nunique()} states.",
             f"Outcome: {model_data.OUTCOME_TEXT[d.outcome]}."]
    if len(d.left_out):
        lo = d.left_out.groupby("vote")["n"].sum()
        parts.append("Left out by this definition: " + ", ".join(f"{n} {v} rows" for v, n in lo.items()) + ".")
    if len(d.dropped_missing):
        parts.append(f"Listwise deletion: {len(d.dropped_missing)} state(s) lack a covariate and are left out: "
                     + "; ".join(f"{r.name} ({r.iso3}, no {r.missing})" for r in d.dropped_missing.itertuples()) + ".")
    else:
        parts.append("Listwise deletion: no state lacks a covariate.")
    for col, rows in d.filled.groupby("column"):
        parts.append(f"Fill rule for {col} ({len(rows)} states: {', '.join(rows['iso3'])}): {rows['rule'].iloc[0]}.")
    for note in model.notes:
        parts.append(f"Note: {note}.")
    if len(model.perfectly_predicted):
        parts.append(f"{len(model.perfectly_predicted)} rows are perfectly predicted (separation) and set aside; "
                     "the AMEs average over the remaining rows only.")
    return " ".join(parts)


def outcome_table(model: AbstentionModel) -> pd.DataFrame:
    """How the sample's states voted on each vote (counts of each category of the outcome)."""
    f = model.data.frame
    cats = model.categories
    t = pd.crosstab(f["vote_id"], f["y"].map(dict(enumerate(cats)))).reindex(columns=cats, fill_value=0)
    return t.reindex(model.data.votes).rename_axis(index="vote", columns=None).reset_index()


def ame_table(model: AbstentionModel, target_names: list[str] | None = None) -> pd.DataFrame:
    """AMEs for display: percentage points with 95% CI, p and Holm-adjusted p, one block per target."""
    frames = []
    for t in target_names or list(targets(model.data.outcome)):
        a = model.ame(t)
        frames.append(pd.DataFrame({
            "probability of": target_text(t), "covariate": a["label"], "change": a["unit"],
            "AME (pp)": (a["ame"] * 100).round(1),
            "95% CI (pp)": [f"{lo * 100:+.1f} to {hi * 100:+.1f}" for lo, hi in zip(a["ci_low"], a["ci_high"])],
            "p": a["p"].round(3), "p (Holm)": a["p_holm"].round(3),
            "holds after Holm": np.where(a.apply(holds, axis=1), "yes", "no")}))
    return pd.concat(frames, ignore_index=True)


def _effect_sentence(r, target: str) -> str:
    change = "" if r["unit"].startswith("vs ") else (" (from 0 to 1)" if "->" in r["unit"]
                                                     else f" (per {r['unit'].removeprefix('+')})")
    return (f"{r['label']}{change}: {r['ame'] * 100:+.1f} percentage points in the probability of "
            f"{target_text(target)} (95% CI {r['ci_low'] * 100:+.1f} to {r['ci_high'] * 100:+.1f}; Holm p = "
            f"{r['p_holm']:.3f})")


def headline(model: AbstentionModel, cv: dict | None = None) -> str:
    """Markdown bullets for one model: every effect on the headline target, the separation found, the fit."""
    target = next(iter(targets(model.data.outcome)))
    a = model.ame(target)
    a = a.reindex(a["ame"].abs().sort_values(ascending=False).index)
    lines = [f"- {_effect_sentence(r, target)}{'' if holds(r) else ' - not significant after Holm'}."
             for _, r in a.iterrows()]
    for r in model.separation.itertuples():
        lines.append(f"- Separation ({r.check}): {r.covariates} predicts {r.n_rows} rows perfectly "
                     f"(states {r.states}); {r.remedy}.")
    s = model.fit_stats()
    fit_line = f"- Fit: {s['n_obs']} state-votes, {s['n_states']} states, {s['n_votes']} vote(s)"
    if cv is not None:
        fit_line += (f"; cross-validated ({cv['folds']} folds of states) AUC {cv['auc']:.2f}, Brier "
                     f"{cv['brier']:.3f}, log-loss {cv['log_loss']:.3f}, accuracy {cv['accuracy']:.1%}")
    return "\n".join(lines + [fit_line + "."])


def headline_findings(effects: pd.DataFrame, group_label: str) -> str:
    """The headline, stated plainly from a specification table (:func:`robustness.specification_effects`): each
    covariate's main estimate and its stability across the specifications that hold the estimand fixed
    (:func:`robustness.stability_headline`)."""
    return robustness.stability_headline(effects, group_label)
