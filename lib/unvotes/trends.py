"""Support for Ukraine across the catalogued votes: shares per vote over time, a group drawn out, a heat map."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from . import api, catalogue, plotting, shifts
from .errors import UnvotesError


def complete_votes(themes: list[str] | None = None, body: str = "GA") -> pd.DataFrame:
    """Catalogued votes with a complete country-level roll call (partial curated ones are left out), on the
    war itself: related votes (Chornobyl) only when their theme is asked for."""
    cat = catalogue.load()
    cat = cat[cat["complete"] & cat["vote_id"].isin(catalogue.ids(themes=themes, body=body, related=themes is not None))]
    return cat.reset_index(drop=True)


def shares(vote_ids: list[str], group: str | None = None) -> pd.DataFrame:
    """Per vote: count and share of member states voting yes/abstain/no/absent, optionally within one UN
    regional group (e.g. "African"). Columns: vote_id, date, vote, n, share, group."""
    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(vote_ids)].astype({"vote_id": str, "iso3": str, "vote": str})
    if group is not None:
        countries = api.load_countries()
        groups = sorted(countries["un_group"].dropna().unique())
        if group not in groups:
            raise UnvotesError(f"unknown UN regional group {group!r}; choose one of {groups}")
        votes = votes[votes["iso3"].isin(countries.loc[countries["un_group"] == group, "iso3"])]
    counts = (votes.groupby(["vote_id", "vote"]).size().unstack(fill_value=0)
              .reindex(columns=plotting.VOTE_ORDER, fill_value=0).reindex(vote_ids))
    out = counts.stack().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby("vote_id")["n"].transform("sum")
    out["date"] = out["vote_id"].map(api.load_roll_calls().set_index("vote_id")["date"])
    out["group"] = group or "All member states"
    return out[["vote_id", "date", "vote", "n", "share", "group"]]


def plot_support_over_time(vote_ids: list[str], drawn_out: str = "African"):
    """Two panels of stacked bars, one bar per vote in date order: the shares of yes/abstain/no/absent among
    all member states (top) and within the ``drawn_out`` UN regional group (bottom)."""
    cat = catalogue.load().set_index("vote_id")
    fig, axes = plt.subplots(2, 1, figsize=(12, 8.5), sharex=True)
    for ax, group in zip(axes, (None, drawn_out)):
        table = shares(vote_ids, group).pivot(index="vote_id", columns="vote", values="share")
        table = table.reindex(index=vote_ids, columns=plotting.VOTE_ORDER)
        table.index = [f"{v.removeprefix('A/RES/')} ({cat.loc[v, 'date']:%Y})" for v in vote_ids]
        table.plot.bar(stacked=True, ax=ax, width=0.8, edgecolor="white", legend=False,
                       color=[plotting.VOTE_COLORS[v] for v in plotting.VOTE_ORDER])
        n = shares(vote_ids, group).groupby("vote_id")["n"].sum().max()
        ax.set_title(f"{group + ' Group' if group else 'All member states'} (up to {n} states)", loc="left")
        ax.set_ylabel("Share of member states")
        ax.set_ylim(0, 1)
    axes[-1].set_xlabel("Vote (resolution symbol without A/RES/, year), in date order")
    themes = cat.reindex(vote_ids)["theme"]
    markers = {theme: i + 1 for i, theme in enumerate(dict.fromkeys(themes))}
    axes[-1].set_xticklabels([f"{label.get_text()} [{markers[t]}]" for label, t in
                              zip(axes[-1].get_xticklabels(), themes)], rotation=60, ha="right", fontsize=8)
    axes[0].legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.08), frameon=False)
    fig.suptitle("Votes on Russia's war against Ukraine in the General Assembly", y=1.0)
    key = "; ".join(f"[{i}] {theme}" for theme, i in markers.items())
    plotting.add_source(fig, f"{plotting.vote_data_source(vote_ids)}. Themes: {key}")
    fig.tight_layout()
    return fig


def heatmap_matrix(vote_ids: list[str]) -> pd.DataFrame:
    """States x votes coded for the heat map (yes 0, abstain 1, absent 2, no 3; NaN = not a member),
    states ordered by their mean code so blocs cluster, then by name."""
    codes = {"yes": 0, "abstain": 1, "absent": 2, "no": 3}
    m = shifts.vote_matrix(vote_ids).apply(lambda col: col.map(codes))
    names = api.load_countries().set_index("iso3")["name"]
    m.index = m.index.map(names)
    order = m.mean(axis=1).sort_values(kind="stable")
    return m.loc[order.index]


def plot_heatmap(vote_ids: list[str], ax=None):
    """A heat map of every state's votes (rows) on the given votes (columns, in date order)."""
    import seaborn as sns
    from matplotlib.colors import ListedColormap

    m = heatmap_matrix(vote_ids)
    m.columns = [c.removeprefix("A/RES/") for c in m.columns]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.42 * len(vote_ids) + 3, 0.13 * len(m) + 1.5))
    cmap = ListedColormap([plotting.VOTE_COLORS[v] for v in ("yes", "abstain", "absent", "no")])
    sns.heatmap(m, ax=ax, cmap=cmap, vmin=-0.5, vmax=3.5, cbar_kws={"ticks": [0, 1, 2, 3], "shrink": 0.3},
                linewidths=0, yticklabels=True)
    ax.collections[0].colorbar.set_ticklabels(["yes", "abstain", "absent", "no"])
    ax.tick_params(axis="y", labelsize=5)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("Vote (in date order)")
    ax.set_ylabel("Member state (ordered from most to least supportive)")
    ax.set_title("Every member state's votes on the catalogued Ukraine votes (blank: not a member)")
    plotting.add_source(ax.figure, plotting.vote_data_source(vote_ids))
    return ax


def headline(vote_ids: list[str], group: str = "African") -> str:
    """The overview in two sentences (Markdown), for the findings page: the range of support across the
    votes, the most abstentions on one vote, and ``group``'s share of all abstentions beside its share of
    the seats."""
    everyone = shares(vote_ids).pivot(index="vote_id", columns="vote", values="n").reindex(vote_ids)
    members = everyone.sum(axis=1)
    yes_share = everyone["yes"] / members
    cat = catalogue.load().set_index("vote_id")
    low, high = yes_share.idxmin(), yes_share.idxmax()
    most = everyone["abstain"].idxmax()
    mine = shares(vote_ids, group).pivot(index="vote_id", columns="vote", values="n").reindex(vote_ids)
    abstain_share = mine["abstain"].sum() / everyone["abstain"].sum()
    seat_share = mine.sum(axis=1).sum() / members.sum()
    years = f"{cat.loc[vote_ids[0], 'date']:%Y}-{cat.loc[vote_ids[-1], 'date']:%Y}"
    return (f"On the {len(vote_ids)} General Assembly votes on the war with complete roll calls ({years}), the share of "
            f"member states voting yes ranged from {yes_share[low]:.0%} ({low}, {cat.loc[low, 'label']}) to "
            f"{yes_share[high]:.0%} ({high}); the most abstentions on one vote were {int(everyone.loc[most, 'abstain'])} "
            f"({most}). The {group} Group cast {abstain_share:.0%} of all abstentions on these votes while holding "
            f"{seat_share:.0%} of the seats.")
