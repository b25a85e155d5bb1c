"""The models' figures: effects with intervals, predicted against observed, rolling-origin scores, and the
specification table as a forest plot. Every figure carries its source line."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from unvotes.analyses.plotting import add_source, vote_data_source
from unvotes.models.evaluation import RollingOrigin
from unvotes.models.fitting import AbstentionModel, targets
from unvotes.models.reporting import COVARIATE_SOURCES, source_line, target_text


def plot_ame(model: AbstentionModel, target_names: list[str] | None = None, ax=None, title: str | None = None):
    """AMEs with 95% CIs (delta method, SEs clustered by state); one marker per target probability, numbers in
    the common units of :data:`unvotes.models.COMMON_UNITS` (the same in every sample). Hollow markers: not
    significant after the Holm adjustment."""
    import matplotlib.pyplot as plt

    from unvotes.models.robustness import in_common_units

    target_names = target_names or list(targets(model.data.outcome))
    # numbers in one raw unit in every sample (Freedom House per 10 points...), never per sample SD
    frames = [in_common_units(model.ame(t), model.data) for t in target_names]
    # two kinds of effect on one axis: per unit of a number, and a contrast (a group against the reference, a
    # yes/no trait from 0 to 1); they are drawn in two blocks, each label saying its unit
    first = frames[0].assign(per_sd=frames[0]["term"].isin(list(model.data.scales)))
    first = first.sort_values("per_sd", ascending=False, kind="stable")
    tick = {r.label: r.label if r.unit.startswith("vs ") else f"{r.label} [{r.unit.replace('->', '→')}]"
            for r in first.itertuples()}
    labels = list(dict.fromkeys(first["label"]))
    n_sd = int(first.drop_duplicates("label")["per_sd"].sum())
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.5 * max(len(labels), 3) + 2.2))
    fig = ax.figure
    ypos = {lab: i for i, lab in enumerate(labels[::-1])}
    offsets = np.linspace(-0.25, 0.25, len(frames)) if len(frames) > 1 else [0.0]
    for off, t, a, color in zip(offsets, target_names, frames, ["#0072B2", "#E69F00", "#CC79A7", "#009E73"]):
        y = a["label"].map(ypos) + off
        ax.errorbar(a["ame"] * 100, y, xerr=[(a["ame"] - a["ci_low"]) * 100, (a["ci_high"] - a["ame"]) * 100],
                    fmt="none", ecolor=color, capsize=3)
        held = a["p_holm"] < 0.05
        ax.scatter(a.loc[held, "ame"] * 100, y[held], color=color, zorder=3, label=f"P({target_text(t)})")
        ax.scatter(a.loc[~held, "ame"] * 100, y[~held], facecolor="white", edgecolor=color, zorder=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(range(len(labels)), [tick[lab] for lab in labels[::-1]])
    if 0 < n_sd < len(labels):
        ax.axhline(len(labels) - n_sd - 0.5, color="#444444", lw=0.8, ls="--")
        ax.text(1.01, len(labels) - n_sd / 2 - 0.5, "per unit\nshown of\na number", transform=ax.get_yaxis_transform(),
                fontsize=7, va="center", color="#444444")
        ax.text(1.01, (len(labels) - n_sd) / 2 - 0.5, "a contrast:\ngroup or\nyes/no trait", fontsize=7,
                transform=ax.get_yaxis_transform(), va="center", color="#444444")
    ax.set_xlabel("Average marginal effect (percentage points; 95% CI; hollow = not significant after Holm)")
    ax.set_title(title or f"What predicts the vote: {model.data.group}, {len(model.data.votes)} vote(s)", pad=28)
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(frames), frameon=False)
    add_source(fig, f"{source_line(model)}; {model.description}")
    fig.tight_layout()
    return fig


def plot_predicted(model: AbstentionModel, label: int = 12, title: str | None = None):
    """Per state: mean predicted probability of the headline target (x) against the observed share (y),
    labelling the states the model explains worst."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    target = next(iter(targets(model.data.outcome)))
    s = model.state_summary()
    fig, ax = plt.subplots(figsize=(9.5, 6))
    sns.scatterplot(x=s["predicted"], y=s["observed"], hue=s["un_group"], ax=ax, s=30, alpha=0.8)
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
    worst = s.reindex((s["observed"] - s["predicted"]).abs().sort_values(ascending=False).index).head(label)
    offsets = [(4, 4), (4, -11), (-22, 8), (4, 14), (-22, -12)]  # staggered so that neighbours stay legible
    for i, r in enumerate(worst.sort_values(["observed", "predicted"]).itertuples()):
        ax.annotate(r.iso3, (r.predicted, r.observed), fontsize=7, xytext=offsets[i % len(offsets)],
                    textcoords="offset points", arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "grey"})
    ax.set_xlabel(f"Mean predicted probability of {target_text(target)} (model)")
    ax.set_ylabel(f"Share of the state's votes: {target_text(target)}")
    ax.set_title(title or f"Predicted versus actual, per state: {model.data.group}")
    ax.legend(title="UN regional group", fontsize=7, title_fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    add_source(fig, source_line(model))
    fig.tight_layout()
    return fig


def plot_rolling_origin(ro: RollingOrigin, title: str | None = None):
    """Log-loss and AUC per predicted vote (date order) for every predictor of the rolling-origin test: each
    vote predicted from all earlier votes."""
    import matplotlib.pyplot as plt

    d = ro.by_origin
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2), sharex=True)
    colors = ["#BBBBBB", "#E69F00", "#56B4E9", "#0072B2", "#CC79A7"]
    x = np.arange(len(ro.test_votes))
    for ax, score, label in zip(axes, ["log_loss", "auc"], ["Log-loss (lower is better)",
                                                            "AUC (higher is better; 0.5 = chance)"]):
        wide = d.pivot(index="vote_id", columns="predictor", values=score).reindex(index=ro.test_votes)
        for name, color in zip(dict.fromkeys(d["predictor"]), colors):
            ax.plot(x, wide[name], marker="o", ms=3, lw=1, color=color, label=name)
        ax.set_ylabel(label)
        ax.set_xticks(x, [v.replace("A/RES/", "") for v in ro.test_votes], rotation=60, fontsize=7)
        ax.set_xlabel("Predicted vote (fitted on every earlier vote)")
    axes[0].legend(fontsize=7, title="predictor", title_fontsize=8)
    fig.suptitle(title or f"Rolling origin: each of {len(ro.test_votes)} votes predicted from all earlier votes")
    add_source(fig, f"{vote_data_source(ro.sequence)}; {COVARIATE_SOURCES}")
    fig.tight_layout()
    return fig


def plot_specifications(effects: pd.DataFrame, title: str | None = None, source: str = ""):
    """Forest plot: each covariate's AME (percentage points, common units) across the specifications; rows of
    a :func:`unvotes.models.specification_curve` are (sample, specification). The specifications that hold the
    estimand fixed come first; those on other estimands are drawn below a dashed line in grey, labelled as
    such. Hollow: the 95% interval includes zero."""
    import matplotlib.pyplot as plt

    ok = effects[effects["error"].isna()].copy()
    ok["row"] = (ok["sample"] + ": " if "sample" in ok else "") + ok["specification"]
    ok.loc[~ok["same_estimand"].astype(bool), "row"] += " [other estimand]"
    same = ok["same_estimand"].astype(bool)
    rows = list(dict.fromkeys(ok.loc[same, "row"])) + list(dict.fromkeys(ok.loc[~same, "row"]))
    n_same = int(ok.loc[same, "row"].nunique())
    # the main specification's covariates (one added in a single specification is in the stability table)
    first = ok["row"] == ok["row"].iloc[0]
    labels = list(dict.fromkeys(ok.loc[first, "label"]))
    cols = min(4, len(labels))  # wrapped, so that ten covariates stay legible
    nrows = int(np.ceil(len(labels) / cols))
    fig, grid = plt.subplots(nrows, cols, figsize=(2.4 * cols + 5, (0.24 * len(rows) + 1.4) * nrows + 0.8),
                             sharey=True, squeeze=False)
    for ax in list(grid.flat)[len(labels):]:
        ax.set_visible(False)
    for ax, lab in zip(grid.flat, labels):
        d = ok[ok["label"] == lab].set_index("row").reindex(rows)
        y = np.arange(len(rows))
        for part, color in ((d["same_estimand"].eq(True).to_numpy(), "#0072B2"),
                            (d["same_estimand"].eq(False).to_numpy(), "#999999")):
            e = d[part]
            ax.errorbar(e["ame"] * 100, y[part], xerr=[(e["ame"] - e["ci_low"]) * 100, (e["ci_high"] - e["ame"]) * 100],
                        fmt="none", ecolor=color, capsize=2)
            excl = ((e["ci_low"] > 0) | (e["ci_high"] < 0)).to_numpy()
            ax.scatter(e["ame"][excl] * 100, y[part][excl], color=color, zorder=3, s=14)
            ax.scatter(e["ame"][~excl] * 100, y[part][~excl], facecolor="white", edgecolor=color, zorder=3, s=14)
        ax.axvline(0, color="grey", lw=0.8)
        if 0 < n_same < len(rows):
            ax.axhline(n_same - 0.5, color="#444444", lw=0.8, ls="--")
        unit = d["unit"].dropna().iloc[0]
        ax.set_title("\n".join(textwrap.wrap(f"{lab} [{unit.replace('->', '→')}]", 32)), fontsize=8)
        ax.set_xlabel("AME (pp)", fontsize=8)
        ax.tick_params(labelsize=6)
    for ax in grid[:, 0]:
        ax.set_yticks(range(len(rows)), ["\n".join(textwrap.wrap(r, 80)) for r in rows])
    grid[0, 0].invert_yaxis()
    fig.suptitle("\n".join(textwrap.wrap(title or "Each effect on P(not yes) across the specifications (95% CI; "
                                          "hollow = interval includes 0; below the dashed line, grey: other "
                                          "estimands)", 110)), fontsize=10)
    add_source(fig, source or COVARIATE_SOURCES)
    fig.tight_layout()
    return fig


def plot_prior_sensitivity(priors: pd.DataFrame, main_scale: float = 2.5, source: str = ""):
    """Each covariate's AME (95% CI) against the scale of the normal prior, one panel per covariate, the main
    model's scale marked; hollow = not significant after Holm."""
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(priors["label"]))
    cols = min(4, len(labels))
    rows = int(np.ceil(len(labels) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows + 0.8), squeeze=False, sharex=True)
    for ax, lab in zip(axes.flat, labels):
        d = priors[priors["label"] == lab].sort_values("prior_scale")
        x = d["prior_scale"].to_numpy()
        ax.errorbar(x, d["ame"] * 100, yerr=[(d["ame"] - d["ci_low"]) * 100, (d["ci_high"] - d["ame"]) * 100],
                    fmt="-", color="#0072B2", ecolor="#0072B2", capsize=2, lw=0.8)
        held = (d["p_holm"] < 0.05).to_numpy()
        ax.scatter(x[held], d["ame"][held] * 100, color="#0072B2", zorder=3)
        ax.scatter(x[~held], d["ame"][~held] * 100, facecolor="white", edgecolor="#0072B2", zorder=3)
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(main_scale, color="#999999", lw=0.8, ls=":")
        ax.set_xscale("log")
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.set_title("\n".join(textwrap.wrap(lab, 34)), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(labels):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("AME (pp)", fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("prior scale (log)", fontsize=8)
    fig.suptitle("Each effect under priors of different strength (dotted: the main specification's scale; 95% CI; "
                 "hollow = not significant after Holm)", fontsize=9)
    add_source(fig, source or COVARIATE_SOURCES)
    fig.tight_layout()
    return fig
