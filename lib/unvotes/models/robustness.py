"""Specifications side by side, and which effects survive all of them.

:data:`SPECIFICATIONS` are the variations a referee asks for: the outcome (ordered, the choice model's
abstention, binary definitions), the estimator (Firth or a prior of another scale; the former exact-grouping
remedy), and the covariates (with and without the pre-war ideal point, which absorbs the structural
variables; arms ties as a share filled with 0 instead of levels; the CSTO dummy). An effect is a **headline**
only if it survives: it is in the main specification, and has the same sign and a Holm-adjusted p below
0.05 in every specification that includes it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import model_data
from ..memo import shared
from ..model_data import ModelParameterError
from .effects import holds
from .fitting import fit

_MAIN = model_data.DEFAULT_COVARIATES
_ARMS_LEVELS = ["log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021"]


def _without(covs, drop):
    return [c for c in covs if c not in drop]


#: name -> keyword arguments of :func:`unvotes.models.fit` (covariates, outcome, estimator, prior_scale,
#: target); the first is the main specification.
SPECIFICATIONS = {
    "main: ordered, P(not yes)": dict(outcome="ordered"),
    "ordered, without the pre-war ideal point": dict(outcome="ordered", covariates=_without(_MAIN, ["ideal_point_prewar"])),
    "ordered, arms as a share (0 without imports)": dict(
        outcome="ordered", covariates=_without(_MAIN, _ARMS_LEVELS) + ["ru_arms_share_2010_2021"]),
    "ordered, with CSTO membership": dict(outcome="ordered", covariates=_MAIN + ["member_csto"]),
    "ordered, prior scale 1": dict(outcome="ordered", prior_scale=1.0),
    "ordered, prior scale 10": dict(outcome="ordered", prior_scale=10.0),
    "choice model, P(abstain)": dict(outcome="choice", target="abstain"),
    "Firth logit, abstain vs yes": dict(outcome="abstain_vs_yes"),
    "Firth logit, not yes": dict(outcome="not_yes"),
    "ML logit, abstain vs yes, exact grouping (former remedy)": dict(outcome="abstain_vs_yes", estimator="ml"),
}


@shared
def specification_effects(votes="ES-11", group=None, specifications=None) -> pd.DataFrame:
    """The AMEs of every specification (long: one row per specification and covariate term). A specification
    that cannot be fitted in this sample gets one row saying why."""
    specifications = SPECIFICATIONS if specifications is None else specifications
    rows = []
    for name, spec in specifications.items():
        spec = dict(spec)
        target = spec.pop("target", None)
        try:
            m = fit(votes, group, **spec)
        except ModelParameterError as exc:
            rows.append(pd.DataFrame({"specification": [name], "error": [str(exc)]}))
            continue
        a = m.ame(target)
        a.insert(0, "specification", name)
        a["n_obs"] = m.estimate.n_obs
        a["n_set_aside"] = len(m.perfectly_predicted)
        rows.append(a)
    out = pd.concat(rows, ignore_index=True)
    if "error" not in out:
        out["error"] = np.nan
    return out


def robustness_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Per covariate term: its AME in each specification (percentage points, 95% CI, ``*`` when it holds after
    Holm) and whether it survives every specification that includes it."""
    ok = effects[effects["error"].isna()]
    specs = list(dict.fromkeys(effects["specification"]))
    in_main = set(ok.loc[ok["specification"] == specs[0], "term"])
    rows = []
    for term, d in ok.groupby("term", sort=False):
        row = {"covariate": d["label"].iloc[0], "change": d["unit"].iloc[0]}
        for s in specs:
            r = d[d["specification"] == s]
            row[s] = "" if r.empty else _cell(r.iloc[0])
        held = d.apply(holds, axis=1)
        signs = np.sign(d["ame"])
        row["specifications"] = len(d)
        row["holds in"] = int(held.sum())
        row["survives"] = bool(term in in_main and held.all() and signs.nunique() == 1)
        rows.append(row)
    return pd.DataFrame(rows)


def _cell(r) -> str:
    return f"{r['ame'] * 100:+.1f} [{r['ci_low'] * 100:+.1f}, {r['ci_high'] * 100:+.1f}]{'*' if holds(r) else ''}"


def surviving(effects: pd.DataFrame) -> pd.DataFrame:
    """The main specification's rows of the effects that survive every specification."""
    table = robustness_table(effects)
    main = effects[effects["specification"] == effects["specification"].iloc[0]]
    kept = table.loc[table["survives"], "covariate"]
    return main[main["label"].isin(kept)].reset_index(drop=True)


#: Prior scales of the sensitivity analysis: from a strong pull towards 0 to almost none (the main model: 2.5).
PRIOR_SCALES = (0.5, 1.0, 2.5, 5.0, 10.0)


@shared
def prior_sensitivity(votes="ES-11", group=None, scales=PRIOR_SCALES, outcome="ordered") -> pd.DataFrame:
    """The main model's AMEs (headline target) under each scale of the normal prior on the covariates: how
    much the estimates owe to the penalty that handles separation. Long: prior_scale, term, label, ame, CI,
    p_holm."""
    frames = []
    for scale in scales:
        a = fit(votes, group, outcome=outcome, prior_scale=float(scale)).ame()
        frames.append(a.assign(prior_scale=float(scale)))
    return pd.concat(frames, ignore_index=True)


def survival_by_sample(effects_by_sample: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The samples side by side: per covariate and sample, the main specification's AME with its 95% CI
    (``*`` when it holds after Holm), in how many specifications it holds, and whether it survives all."""
    rows = {}
    for sample, effects in effects_by_sample.items():
        table = robustness_table(effects).set_index("covariate")
        main = list(dict.fromkeys(effects["specification"]))[0]
        for covariate, r in table.iterrows():
            row = rows.setdefault(covariate, {"covariate": covariate, "change": r["change"]})
            row[f"{sample}: main specification"] = r[main] or "not in it"
            row[f"{sample}: holds in"] = f"{r['holds in']} of {r['specifications']}"
            row[f"{sample}: survives"] = "yes" if r["survives"] else "no"
    return pd.DataFrame(list(rows.values())).fillna("not in this sample's model")


def robustness_headline(effects_by_sample: dict[str, pd.DataFrame], priors: pd.DataFrame) -> str:
    """One paragraph (Markdown): what survives in each sample, and how far the prior moves the surviving
    effects (or the largest one when none survives)."""
    parts = []
    for sample, effects in effects_by_sample.items():
        kept = surviving(effects)
        parts.append(f"{sample}: " + ("; ".join(f"{r.label} ({r.ame * 100:+.1f} pp)" for r in kept.itertuples())
                                      if len(kept) else "no effect survives every specification"))
    scales = sorted(priors["prior_scale"].unique())
    ends = priors[priors["prior_scale"].isin([scales[0], scales[-1]])].pivot(index="label", columns="prior_scale",
                                                                             values="ame") * 100
    moved = (ends[scales[-1]] - ends[scales[0]]).abs().sort_values(ascending=False)
    survivors = [label for e in effects_by_sample.values() for label in surviving(e)["label"]]
    shown = list(dict.fromkeys([*[s for s in survivors if s in ends.index], moved.index[0]]))
    ranges = "; ".join(f"{label}: {ends.loc[label, scales[0]]:+.1f} pp at scale {scales[0]:g}, "
                       f"{ends.loc[label, scales[-1]]:+.1f} pp at scale {scales[-1]:g}" for label in shown)
    return (". ".join(parts) + f". Under priors from scale {scales[0]:g} (a strong pull towards zero) to {scales[-1]:g} "
            f"(almost none), in the first sample's main model: {ranges} (the last named moves most). "
            "These are associations across states, not causal effects.")


def prior_table(priors: pd.DataFrame) -> pd.DataFrame:
    """:func:`prior_sensitivity` as a table: one row per covariate, one column per prior scale, each cell the AME
    with its 95% CI in percentage points (``*`` when it holds after Holm)."""
    cells = [f"{a * 100:+.1f} [{lo * 100:+.1f}, {hi * 100:+.1f}]{'*' if p < 0.05 else ''}"
             for a, lo, hi, p in zip(priors["ame"], priors["ci_low"], priors["ci_high"], priors["p_holm"])]
    table = priors.assign(cell=cells).pivot(index="label", columns="prior_scale", values="cell")
    table.columns = [f"prior scale {c:g}" for c in table.columns]
    return table.rename_axis("covariate").reset_index()
