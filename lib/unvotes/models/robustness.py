"""Robustness that compares like with like: a specification curve with the estimand held fixed.

Every specification of :data:`SPECIFICATIONS` states the **estimand** its effects are on. The curve holds one
fixed, :data:`ESTIMAND`: the average marginal effect on the probability of *not voting yes* (abstain or no: the
ordered logit's P(abstain) + P(no); the binary ``not_yes`` logit's P(y = 1), where absences also count as not
yes). Across those specifications the covariate set varies (without the pre-war ideal point; arms ties as a
share; with the CSTO; with the dated identities and security ties), and so do the estimator (maximum likelihood;
the binary logit) and the prior's scale; :func:`specification_curve` adds the samples of votes (ES-11/1-6, every
vote since the invasion). Specifications on **other estimands** (the choice model's P(abstain); abstain against
yes with the No votes dropped; the former exact-grouping remedy) are fitted and shown apart, labelled as
measuring something else: they are never counted against the others.

**One unit in every sample.** The fits standardise numeric covariates with the pooled all-member-states mean and
standard deviation (``standardize="pooled"``, so the prior means the same in every sample) and the effects are
reported in raw units (:data:`COMMON_UNITS`: Freedom House per 10 points, the pre-war ideal point per unit of its
all-states scale, Russian arms per unit of log TIV): an African Group effect and an all-states effect are in the
same unit, never in per-sample standard deviations.

**Stability, not a count of significant columns.** :func:`stability` reports, per covariate, over the
specifications that hold the estimand fixed: the main estimate with its interval, the median and the range of
the estimates, the share with the main estimate's sign and the share whose 95% interval excludes zero. These are
reported as such; no rule turns them into a verdict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from unvotes.models import model_data
from unvotes.memo import shared
from unvotes.models.model_data import ModelData, ModelParameterError
from unvotes.models.fitting import fit

_MAIN = model_data.DEFAULT_COVARIATES
_ARMS_LEVELS = ["log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021"]
#: The dated covariates of the curated tables, taken at each vote's date: group identity and security ties.
DATED_TIES = ["flmsa_party_gov", "member_arab_league_at_vote", "russian_forces", "coup_within_3y"]

#: The estimand every specification of the curve holds fixed.
ESTIMAND = "P(not yes)"
#: How the specifications standardise numeric covariates: one transformation in every sample.
STANDARDIZE = "pooled"
#: Numeric covariates' common raw unit: column -> (size in the column's raw units, how it is written).
COMMON_UNITS = {"fh_total": (10.0, "+10 points (of 100)"),
                "ideal_point_prewar": (1.0, "+1 on the all-states scale"),
                "log_ru_arms_tiv_2010_2021": (1.0, "+1 log TIV")}


def _without(covs, drop):
    return [c for c in covs if c not in drop]


def specifications_for(covariates=None, prior_scale: float = 2.5, estimator: str = "penalised") -> dict[str, dict]:
    """The specifications of the table, built around the caller's main specification: name -> keyword arguments
    of :func:`unvotes.models.fit` (covariates, outcome, estimator, prior_scale), ``target`` (the probability the
    effects are on), ``estimand`` and ``varies`` (what differs from the main specification). The first is the main
    specification: the ordered logit with ``covariates`` (default :data:`unvotes.models.model_data.DEFAULT_COVARIATES`),
    ``prior_scale`` and ``estimator``. The variants are derived from that list: without the pre-war ideal point and
    with arms ties as a share (when the list has them), with the CSTO and with the dated ties (when it lacks
    them), without each covariate the default list does not have (a caller's own), the prior's scale at 1 and 10,
    maximum likelihood and the binary logit; then the specifications on other estimands. With the defaults this
    is :data:`SPECIFICATIONS`."""
    main = list(_MAIN if covariates is None else covariates)
    common = dict(covariates=main)
    if estimator == "ml":
        name = "main: ordered logit, maximum likelihood"
    else:
        name = f"main: ordered logit, prior scale {prior_scale:g}"
    out = {name: dict(outcome="ordered", estimator=estimator, prior_scale=prior_scale, varies="main", **common)}
    if "ideal_point_prewar" in main and len(main) > 1:
        out["without the pre-war ideal point"] = dict(outcome="ordered", covariates=_without(main, ["ideal_point_prewar"]),
                                                      varies="covariates")
    if set(_ARMS_LEVELS) <= set(main) and "ru_arms_share_2010_2021" not in main:
        out["arms as a share (0 without imports)"] = dict(
            outcome="ordered", covariates=_without(main, _ARMS_LEVELS) + ["ru_arms_share_2010_2021"], varies="covariates")
    if "member_csto" not in main:
        out["with CSTO membership"] = dict(outcome="ordered", covariates=main + ["member_csto"], varies="covariates")
    ties = [t for t in DATED_TIES if t not in main]
    if ties:
        out["with dated identities and security ties"] = dict(outcome="ordered", covariates=main + ties,
                                                              varies="covariates")
    if len(main) > 1:
        from unvotes.tables.labels import label

        for c in main:
            if c not in _MAIN:  # a caller's own covariate: how much the others change without it
                out[f"without {label(c)}"] = dict(outcome="ordered", covariates=_without(main, [c]), varies="covariates")
    if prior_scale != 1.0:
        out["prior scale 1"] = dict(outcome="ordered", prior_scale=1.0, varies="prior", **common)
    if prior_scale != 10.0:
        out["prior scale 10"] = dict(outcome="ordered", prior_scale=10.0, varies="prior", **common)
    if estimator != "ml":
        out["maximum likelihood (no prior)"] = dict(outcome="ordered", estimator="ml", varies="estimator", **common)
    out["binary logit of not yes (Firth; absences count)"] = dict(outcome="not_yes", varies="estimator", **common)
    # other estimands: shown apart, never counted with the curve
    out["choice model: P(abstain)"] = dict(outcome="choice", target="abstain", estimand="P(abstain), choice model",
                                           varies="estimand", **common)
    out["Firth logit, abstain vs yes (No votes dropped)"] = dict(
        outcome="abstain_vs_yes", estimand="P(abstain | abstain or yes)", varies="estimand", **common)
    out["ML logit, abstain vs yes, exact grouping (former remedy)"] = dict(
        outcome="abstain_vs_yes", estimator="ml", estimand="P(abstain | abstain or yes), perfectly predicted rows set aside",
        varies="estimand", **common)
    return out


#: The default specifications (:func:`specifications` of the default covariates). The first is the main one.
SPECIFICATIONS = specifications_for()


def in_common_units(ame: pd.DataFrame, data: ModelData) -> pd.DataFrame:
    """AMEs (from :meth:`AbstentionModel.ame`) of standardised numeric terms re-expressed per
    :data:`COMMON_UNITS` (else per one raw unit): the effect per SD divided by the SD the model used and times
    the unit. Contrasts (0 -> 1, a group against the reference) are unchanged; p-values do not change."""
    out = ame.copy()
    for i, r in out.iterrows():
        if r["term"] not in data.scales:
            continue
        size, text = COMMON_UNITS.get(r["covariate"], (1.0, "+1 unit"))
        factor = size / data.scales[r["term"]][1]
        for col in ("ame", "se", "ci_low", "ci_high"):
            out.at[i, col] = r[col] * factor
        out.at[i, "unit"] = text
    return out


def specification_effects(votes="ES-11", group=None, specifications=None, *, covariates=None, extra=None,
                          exclude=None, prior_scale: float = 2.5, estimator: str = "penalised") -> pd.DataFrame:
    """The AMEs of every specification on one sample of votes, in common units (long: one row per
    specification and covariate term, with its ``estimand``, whether that is :data:`ESTIMAND`
    (``same_estimand``) and what it varies). A specification that cannot be fitted in this sample gets one row
    saying why.

    The specifications are built around the caller's main specification (:func:`specifications_for` of
    ``covariates``, ``prior_scale`` and ``estimator``) unless given; ``extra`` (the caller's own covariates) and
    ``exclude`` are passed to every fit (:func:`unvotes.models.fit`), each specification keeping only the
    columns of ``extra`` its covariate list names."""
    # One spelling per table, so that a build's runs share it (unvotes.memo): the default list named as such.
    if covariates is not None and list(covariates) == list(model_data.DEFAULT_COVARIATES):
        covariates = None
    return _specification_effects(votes, group, specifications, covariates=covariates, extra=extra, exclude=exclude,
                                  prior_scale=float(prior_scale), estimator=estimator)


@shared
def _specification_effects(votes, group, specifications, *, covariates, extra, exclude, prior_scale,
                           estimator) -> pd.DataFrame:
    main_covariates = list(model_data.DEFAULT_COVARIATES if covariates is None else covariates)
    if extra is not None:  # the caller's columns are part of the main specification, as in fit
        main_covariates += [c for c in extra.columns if c not in model_data.EXTRA_KEYS and c not in main_covariates]
    if specifications is None:
        specifications = specifications_for(main_covariates, prior_scale, estimator)
    rows = []
    for name, spec in specifications.items():
        spec = dict(spec)
        target = spec.pop("target", None)
        estimand = spec.pop("estimand", ESTIMAND)
        varies = spec.pop("varies", "")
        spec.setdefault("covariates", main_covariates)
        head = {"specification": name, "estimand": estimand, "same_estimand": estimand == ESTIMAND, "varies": varies}
        try:
            m = fit(votes, group, standardize=STANDARDIZE, exclude=exclude, extra=_extra_for(extra, spec["covariates"]),
                    **spec)
        except ModelParameterError as exc:
            rows.append(pd.DataFrame([{**head, "error": str(exc)}]))
            continue
        a = in_common_units(m.ame(target), m.data)
        for i, (k, v) in enumerate(head.items()):
            a.insert(i, k, v)
        a["n_obs"] = m.estimate.n_obs
        a["n_set_aside"] = len(m.perfectly_predicted)
        rows.append(a)
    out = pd.concat(rows, ignore_index=True)
    if "error" not in out:
        out["error"] = np.nan
    return out


def _extra_for(extra, covariates):
    """The caller's table reduced to the columns a specification names (None if it names none)."""
    if extra is None:
        return None
    keep = [c for c in extra.columns if c in covariates]
    return extra[[c for c in extra.columns if c in model_data.EXTRA_KEYS] + keep] if keep else None


def specification_curve(groups: dict[str, str | None], vote_samples: dict[str, str | list]) -> pd.DataFrame:
    """:func:`specification_effects` for every group (a population: ``{"All member states": "all"}``) and every
    sample of votes (``{"ES-11/1-6": "ES-11", "since the invasion": "post-invasion"}``), in one long table with
    ``group`` and ``sample`` columns. The first sample's main specification is each group's main estimate."""
    frames = []
    with model_data.dated_covariates_shared():  # the groups' tables on one sample read its dated covariates once
        for group_label, group in groups.items():
            for sample_label, votes in vote_samples.items():
                e = specification_effects(votes, group)
                frames.append(e.assign(group=group_label, sample=sample_label))
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "sample", *[c for c in out.columns if c not in ("group", "sample")]]]


def _main_rows(effects: pd.DataFrame) -> pd.Series:
    main = effects["specification"] == effects["specification"].iloc[0]
    if "sample" in effects:
        main &= effects["sample"] == effects["sample"].iloc[0]
    return main


def stability(effects: pd.DataFrame) -> pd.DataFrame:
    """Per covariate (and group, if the table has one): over the fitted specifications that hold
    :data:`ESTIMAND` fixed, the main estimate with its 95% CI, how many specifications include the covariate,
    the median and range of the estimates, the share with the main estimate's sign and the share whose 95%
    interval excludes zero (percentage points, common units). A covariate outside the main specification
    (the CSTO, the dated ties) has no main estimate; its sign share is then that of the median's sign."""
    ok = effects[effects["error"].isna() & effects["same_estimand"].astype(bool)]
    main = ok[_main_rows(ok)] if len(ok) else ok
    keys = ["group"] if "group" in ok else []
    rows = []
    for key, d in ok.groupby(keys + ["label"], sort=False):
        key = key if isinstance(key, tuple) else (key,)
        m = main[(main["label"] == d["label"].iloc[0]) & (main["group"] == key[0] if keys else True)]
        ref = m.iloc[0] if len(m) else None
        sign = np.sign(ref["ame"]) if ref is not None else np.sign(d["ame"].median())
        excludes = (d["ci_low"] > 0) | (d["ci_high"] < 0)
        row = dict(zip(keys, key[:len(keys)]))
        row.update({
            "covariate": d["label"].iloc[0], "unit": d["unit"].iloc[0],
            "main (pp)": np.nan if ref is None else ref["ame"] * 100,
            "main 95% CI (pp)": "" if ref is None else f"{ref['ci_low'] * 100:+.1f} to {ref['ci_high'] * 100:+.1f}",
            "specifications": len(d), "median (pp)": d["ame"].median() * 100,
            "lowest (pp)": d["ame"].min() * 100, "highest (pp)": d["ame"].max() * 100,
            "same sign": float((np.sign(d["ame"]) == sign).mean()),
            "95% CI excludes 0": float(excludes.mean()),
            "same sign, CI excludes 0": float((excludes & (np.sign(d["ame"]) == sign)).mean())})
        rows.append(row)
    return pd.DataFrame(rows)


def robustness_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Per covariate term: its AME (percentage points, common units, 95% CI) in each specification, the
    specifications on other estimands marked as such, then the stability columns of :func:`stability` (over
    the specifications that hold the estimand fixed)."""
    ok = effects[effects["error"].isna()]
    specs = list(dict.fromkeys(ok["specification"]))
    other = set(ok.loc[~ok["same_estimand"].astype(bool), "specification"])
    rows = []
    for label, d in ok.groupby("label", sort=False):
        row = {"covariate": label, "change": d["unit"].iloc[0]}
        for s in specs:
            r = d[d["specification"] == s]
            row[f"{s} [other estimand]" if s in other else s] = "" if r.empty else _cell(r.iloc[0])
        rows.append(row)
    table = pd.DataFrame(rows)
    stable = stability(effects).drop(columns=["unit", "main (pp)", "main 95% CI (pp)"])
    return table.merge(stable, on="covariate", how="left")


def _cell(r) -> str:
    return f"{r['ame'] * 100:+.1f} [{r['ci_low'] * 100:+.1f}, {r['ci_high'] * 100:+.1f}]"


def _clause(r) -> str:
    main = "not in the main specification" if pd.isna(r["main (pp)"]) else \
        f"main {r['main (pp)']:+.1f} pp ({r['main 95% CI (pp)']})"
    n = int(r["specifications"])
    unit = "" if r["unit"].startswith("vs ") else " (from 0 to 1)" if "->" in r["unit"] else f" (per {r['unit'].removeprefix('+')})"
    return (f"{r['covariate']}{unit}: {main}; median {r['median (pp)']:+.1f}, range {r['lowest (pp)']:+.1f} to "
            f"{r['highest (pp)']:+.1f}; same sign in {round(r['same sign'] * n)} of {n}, 95% interval excluding "
            f"zero in {round(r['95% CI excludes 0'] * n)} of {n}")


def stability_headline(effects: pd.DataFrame, group_label: str) -> str:
    """One paragraph (Markdown) on one sample's specification table: per covariate of the main specification,
    the main estimate and how stable it is across the specifications that hold the estimand fixed, stated as
    numbers (see :func:`stability`); the specifications on other estimands are counted apart."""
    table = stability(effects)
    table = table[table["main (pp)"].notna()]
    table = table.reindex(table["main (pp)"].abs().sort_values(ascending=False).index)
    ok = effects[effects["error"].isna()]
    n_same = ok.loc[ok["same_estimand"].astype(bool), "specification"].nunique()
    n_other = ok.loc[~ok["same_estimand"].astype(bool), "specification"].nunique()
    where = f"Across {group_label}" if group_label.startswith("all") else f"Within the {group_label}"
    main = ok[ok["specification"] == ok["specification"].iloc[0]]
    from unvotes.tables.labels import label

    covariates = ", ".join(label(c) for c in dict.fromkeys(main["covariate"]))
    return (f"{where}, average marginal effects on the probability of not voting yes (abstaining or voting no; "
            f"percentage points) in the main specification (covariates: {covariates}) and across the {n_same} "
            "specifications that hold this "
            "estimand fixed (covariate sets, estimators, prior scales): "
            + "; ".join(_clause(r) for _, r in table.iterrows())
            + f". {n_other} further specifications measure other probabilities (abstaining; abstaining rather "
            "than voting yes with the No votes dropped) and are shown apart. These are associations across states, "
            "not causal effects.")


#: Prior scales of the sensitivity analysis: from a strong pull towards 0 to almost none (the main specification of the pooled ordered logit: 2.5).
PRIOR_SCALES = (0.5, 1.0, 2.5, 5.0, 10.0)


@shared
def prior_sensitivity(votes="ES-11", group=None, scales=PRIOR_SCALES, outcome="ordered", *, covariates=None,
                      extra=None, exclude=None) -> pd.DataFrame:
    """The pooled ordered logit's AMEs (headline target, common units) under each scale of the normal prior on the
    covariates: how much the estimates owe to the penalty that handles separation. Long: prior_scale, term,
    label, ame, CI, p_holm."""
    frames = []
    for scale in scales:
        m = fit(votes, group, covariates, outcome=outcome, prior_scale=float(scale), standardize=STANDARDIZE,
                exclude=exclude, extra=extra)
        frames.append(in_common_units(m.ame(), m.data).assign(prior_scale=float(scale)))
    return pd.concat(frames, ignore_index=True)


def robustness_headline(curve: pd.DataFrame, priors: pd.DataFrame) -> str:
    """One paragraph (Markdown) on a :func:`specification_curve`: per group, each main-specification covariate's
    estimate and its stability across the specifications (both samples of votes) that hold the estimand fixed;
    then how far the prior moves the effects of the first group's main specification."""
    parts = []
    for group, d in curve.groupby("group", sort=False):
        table = stability(d)
        table = table[table["main (pp)"].notna()]
        table = table.reindex(table["main (pp)"].abs().sort_values(ascending=False).index)
        parts.append(f"**{group}**: " + "; ".join(_clause(r) for _, r in table.iterrows()) + ".")
    scales = sorted(priors["prior_scale"].unique())
    ends = priors[priors["prior_scale"].isin([scales[0], scales[-1]])].pivot(index="label", columns="prior_scale",
                                                                             values="ame") * 100
    moved = (ends[scales[-1]] - ends[scales[0]]).abs().sort_values(ascending=False)
    first = moved.index[0]
    samples = ", ".join(dict.fromkeys(curve["sample"]))
    return (f"Average marginal effects on the probability of not voting yes (abstaining or voting no), in percentage "
            f"points and in one unit in every sample (Freedom House per 10 points, the pre-war ideal point per unit of "
            f"its all-states scale, Russian arms per unit of log TIV): the main specification on the first sample of "
            f"votes, then the median, range and sign of the estimates across every specification that holds this "
            f"estimand fixed, on the samples {samples}. " + " ".join(parts)
            + f" Under priors from scale {scales[0]:g} (a strong pull towards zero) to {scales[-1]:g} (almost none), "
            f"the effect that moves most in the first group's main specification is {first}: {ends.loc[first, scales[0]]:+.1f} "
            f"pp at scale {scales[0]:g}, {ends.loc[first, scales[-1]]:+.1f} pp at scale {scales[-1]:g}. "
            "These are associations across states, not causal effects.")


def other_estimands(curve: pd.DataFrame) -> pd.DataFrame:
    """The specifications on other estimands, apart: per group, sample, specification and covariate, the
    estimand and the AME with its 95% CI (percentage points, common units)."""
    d = curve[curve["error"].isna() & ~curve["same_estimand"].astype(bool)]
    keys = [c for c in ("group", "sample") if c in d]
    return pd.DataFrame({**{k: d[k] for k in keys}, "specification": d["specification"], "estimand": d["estimand"],
                         "covariate": d["label"], "change": d["unit"],
                         "AME [95% CI] (pp)": [_cell(r) for _, r in d.iterrows()]}).reset_index(drop=True)


def prior_table(priors: pd.DataFrame) -> pd.DataFrame:
    """:func:`prior_sensitivity` as a table: one row per covariate, one column per prior scale, each cell the AME
    with its 95% CI in percentage points (common units)."""
    cells = [_cell(r) for _, r in priors.iterrows()]
    table = priors.assign(cell=cells).pivot(index="label", columns="prior_scale", values="cell")
    table.columns = [f"prior scale {c:g}" for c in table.columns]
    return table.rename_axis("covariate").reset_index()
