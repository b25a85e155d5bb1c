"""Support across votes: shares per vote over time, a group drawn out, a heat map, a two-sentence overview.

Made for the catalogued votes on Russia's war against Ukraine, and usable on any roll calls of the General
Assembly (by id, a list, or the table ``unvotes.find`` returns): a vote outside the catalogue is labelled by its
recorded title and session (:func:`unvotes.tables.catalogue.vote_info`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from unvotes import api
from unvotes.tables import catalogue
from unvotes.analyses import plotting, shifts
from unvotes.errors import UnvotesError


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


def _ids(vote_ids) -> list[str]:
    """Vote ids from a list, one id, a table with a vote_id column (``unvotes.find``) or a search, each checked to be a
    roll call (an unknown id is an error naming close matches)."""
    if isinstance(vote_ids, dict):  # a search: {"find": "Gaza", "body": "GA"} (its complete roll calls)
        from unvotes.models.model_data import votes_found

        vote_ids = votes_found(vote_ids)
    if isinstance(vote_ids, pd.DataFrame):
        vote_ids = vote_ids["vote_id"].tolist()
    if not len(vote_ids):
        raise UnvotesError("no votes given")
    return catalogue.vote_info(vote_ids)["vote_id"].tolist()


def _on_the_war(vote_ids: list[str]) -> bool:
    return bool(catalogue.vote_info(vote_ids)["catalogued"].all())


def plot_support_over_time(vote_ids, drawn_out: str = "African", title: str | None = None):
    """Two panels of stacked bars, one bar per vote in date order: the shares of yes/abstain/no/absent among
    all member states (top) and within the ``drawn_out`` UN regional group (bottom). ``title`` defaults to the
    votes on the war when every vote is catalogued, else to a neutral one."""
    vote_ids = _ids(vote_ids)
    cat = catalogue.vote_info(vote_ids).set_index("vote_id")
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
    fig.suptitle(title or ("Votes on Russia's war against Ukraine in the General Assembly" if _on_the_war(vote_ids)
                           else "Votes in the General Assembly"), y=1.0)
    key = "; ".join(f"[{i}] {theme}" for theme, i in markers.items())
    plotting.add_source(fig, f"{plotting.vote_data_source(vote_ids)}. Themes: {key}")
    fig.tight_layout()
    return fig


HEATMAP_CODES = {"yes": 0, "abstain": 1, "absent": 2, "no": 3}


def heatmap_matrix(vote_ids: list[str]) -> pd.DataFrame:
    """States x votes coded for the heat map (yes 0, abstain 1, absent 2, no 3: category codes, not a scale;
    NaN = not a member), states ordered by their share of yes votes (most first), then of no votes (fewest
    first), then by name: an order that does not assume absence lies between abstaining and voting no."""
    votes = shifts.vote_table(vote_ids)
    m = votes.apply(lambda col: col.map(HEATMAP_CODES))
    names = api.load_countries().set_index("iso3")["name"]
    key = pd.DataFrame({"yes": (votes == "yes").sum(axis=1) / votes.notna().sum(axis=1),
                        "no": (votes == "no").sum(axis=1) / votes.notna().sum(axis=1),
                        "name": votes.index.map(names)}, index=votes.index)
    order = key.sort_values(["yes", "no", "name"], ascending=[False, True, True]).index
    out = m.loc[order]
    out.index = out.index.map(names)
    return out


def plot_heatmap(vote_ids: list[str]):
    """Every state's votes (rows) on the given votes (columns, in date order), one panel per UN regional
    group so that each state's label is readable; a line marks the full-scale invasion; categorical colours
    with a legend (the codes are categories, not a scale)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    m = heatmap_matrix(vote_ids)
    groups = api.load_countries().set_index("name")["un_group"].reindex(m.index).fillna("no group")
    order = groups.value_counts().index.tolist()
    dates = catalogue.load().set_index("vote_id")["date"].reindex(vote_ids)
    invasion = int((dates < pd.Timestamp("2022-02-24")).sum())
    fig, axes = plt.subplots(len(order), 1, figsize=(0.34 * len(vote_ids) + 4.5, 0.15 * len(m) + 1.2 * len(order)),
                             gridspec_kw={"height_ratios": [int((groups == g).sum()) for g in order]})
    cmap = ListedColormap([plotting.VOTE_COLORS[v] for v in HEATMAP_CODES])
    for ax, group in zip(axes, order):
        part = m[groups == group]
        ax.imshow(part.to_numpy(dtype=float), aspect="auto", cmap=cmap, vmin=-0.5, vmax=3.5, interpolation="none")
        ax.set_yticks(range(len(part)), part.index, fontsize=6.5)
        ax.set_xticks(range(len(vote_ids)), [v.removeprefix("A/RES/") for v in vote_ids] if ax is axes[-1] else [],
                      rotation=90, fontsize=7)
        ax.axvline(invasion - 0.5, color="black", linewidth=1.2)
        ax.set_title(f"{group} ({len(part)} states)", loc="left", fontsize=9)
    axes[0].legend(handles=[Patch(color=plotting.VOTE_COLORS[v], label=v) for v in HEATMAP_CODES]
                   + [Patch(facecolor="white", edgecolor="#999999", label="not a member")],
                   ncol=5, loc="lower right", bbox_to_anchor=(1.0, 1.02), frameon=False, fontsize=8)
    axes[-1].set_xlabel("Vote, in date order (the black line: the full-scale invasion of 24 February 2022)")
    fig.suptitle("Every member state's votes on the General Assembly's Ukraine votes, by UN regional group\n"
                 "(within a group: most yes votes first)", y=1.0, fontsize=11)
    fig.tight_layout()
    plotting.add_source(fig, plotting.vote_data_source(vote_ids))
    return fig


def group_shares(vote_ids: list[str], group: str = "African") -> tuple[float, float]:
    """``group``'s share of all abstentions on ``vote_ids`` and its share of the seats (members on those votes)."""
    everyone = shares(vote_ids).pivot(index="vote_id", columns="vote", values="n").reindex(vote_ids)
    mine = shares(vote_ids, group).pivot(index="vote_id", columns="vote", values="n").reindex(vote_ids)
    return float(mine["abstain"].sum() / everyone["abstain"].sum()), float(mine.sum(axis=1).sum() / everyone.sum(axis=1).sum())


def headline(vote_ids, group: str = "African") -> str:
    """The overview in two sentences (Markdown), for the findings page: the range of support across the
    votes, the most abstentions on one vote, and ``group``'s share of all abstentions beside its share of
    the seats. Any General Assembly roll calls (ids, a list or a ``find`` table); the votes are called votes
    "on the war" only when every one is in the Ukraine catalogue."""
    vote_ids = _ids(vote_ids)
    info = catalogue.vote_info(vote_ids)
    incomplete = info.loc[~info["vote_id"].map(api.load_roll_calls().set_index("vote_id")["complete"]).astype(bool),
                          "vote_id"].tolist()
    if incomplete:
        raise UnvotesError(f"{', '.join(incomplete)}: partial roll call(s) (some states' votes unknown); shares need "
                           "complete roll calls")
    everyone = shares(vote_ids).pivot(index="vote_id", columns="vote", values="n").reindex(vote_ids)
    members = everyone.sum(axis=1)
    yes_share = everyone["yes"] / members
    cat = info.set_index("vote_id")
    low, high = yes_share.idxmin(), yes_share.idxmax()
    most = everyone["abstain"].idxmax()
    abstain_share, seat_share = group_shares(vote_ids, group)
    first, last = cat["date"].min(), cat["date"].max()
    years = f"{first:%Y}" if first.year == last.year else f"{first:%Y}-{last:%Y}"
    about = "General Assembly votes on the war" if _on_the_war(vote_ids) else "General Assembly votes"
    groups = (f"The {group} Group cast {abstain_share:.0%} of all abstentions on these votes while holding "
              f"{seat_share:.0%} of the seats.")
    if len(vote_ids) == 1:  # one vote: no range to state
        (only,) = vote_ids
        return (f"On {only} ({cat.loc[only, 'label']}, {years}), {yes_share[only]:.0%} of member states voted yes "
                f"and {int(everyone.loc[only, 'abstain'])} abstained. " + groups.replace("these votes", "it"))
    return (f"On the {len(vote_ids)} {about} with complete roll calls ({years}), the share of "
            f"member states voting yes ranged from {yes_share[low]:.0%} ({low}, {cat.loc[low, 'label']}) to "
            f"{yes_share[high]:.0%} ({high}); the most abstentions on one vote were {int(everyone.loc[most, 'abstain'])} "
            f"({most}). " + groups)
