"""A profile of one roll call: votes by group, a world map, who voted no/abstained/was absent."""

from __future__ import annotations

import functools
import zipfile

import matplotlib.pyplot as plt
import pandas as pd

from unvotes import api
from unvotes.tables import catalogue, curated_votes, membership
from unvotes.sources import fetch
from unvotes.analyses import plotting
from unvotes.errors import UnvotesError

GROUPINGS = {"un_group": "UN regional group", "continent": "Continent (UN M49)"}
#: Natural Earth draws some territories apart from the UN member state that claims them or that they belong
#: to; the map colours them with that state's vote (Somaliland: Somalia; Northern Cyprus: Cyprus; Greenland,
#: part of the Kingdom of Denmark: Denmark). Kosovo, Western
#: Sahara, Taiwan and other non-members stay grey.
MAP_TERRITORY_OF = {"SOL": "SOM", "CYN": "CYP", "GRL": "DNK"}


def votes_with_countries(vote_id: str) -> pd.DataFrame:
    """The country votes of ``vote_id`` with the countries table's name, UN group and continent."""
    v = api.votes_on(vote_id)
    c = api.load_countries().set_index("iso3")[["un_group", "continent"]]
    return v.join(c, on="iso3")


def by_group(vote_id: str, by: str = "un_group") -> pd.DataFrame:
    """Counts of yes/abstain/no/absent per group (rows), with a total column; ``by`` is un_group or continent."""
    if by not in GROUPINGS:
        raise UnvotesError(f"unknown grouping {by!r}; choose one of {sorted(GROUPINGS)}")
    v = votes_with_countries(vote_id)
    v[by] = v[by].fillna("no group")
    table = pd.crosstab(v[by], pd.Categorical(v["vote"], plotting.VOTE_ORDER), dropna=False)
    table.columns = table.columns.astype(str)
    table.index.name, table.columns.name = GROUPINGS[by], None
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False)


def plot_by_group(vote_id: str, by: str = "un_group", ax=None):
    """Stacked horizontal bars of each group's shares of yes/abstain/no/absent (group sizes in the labels)."""
    table = by_group(vote_id, by)
    shares = table[plotting.VOTE_ORDER].div(table["total"], axis=0)
    shares.index = [f"{g} (n={n})" for g, n in table["total"].items()]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(shares) + 1.2))
    shares.iloc[::-1].plot.barh(stacked=True, ax=ax, color=[plotting.VOTE_COLORS[c] for c in shares.columns],
                                width=0.75, edgecolor="white")
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of the group's member states")
    ax.set_ylabel(GROUPINGS[by])
    ax.set_title(f"{vote_id}: votes by {GROUPINGS[by]}", pad=24)
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    plotting.add_source(ax.figure, plotting.vote_data_source([vote_id]))
    return ax


def states_by_vote(vote_id: str) -> dict[str, list[str]]:
    """Names of the states in each vote category (sorted), e.g. ``{"no": ["Belarus", ...], ...}``."""
    v = api.votes_on(vote_id)
    return {vote: sorted(v.loc[v["vote"] == vote, "name"]) for vote in plotting.VOTE_ORDER}


def world_shapes():
    """Natural Earth 1:110m countries (geopandas), with an ``iso3`` column for UN member states."""
    path = fetch.path_of("naturalearth", "ne_110m_admin_0_countries.zip")
    if not zipfile.is_zipfile(path):
        raise UnvotesError(f"{path} is not a zip archive; delete it and run `make data` to fetch it again.")
    return _read_shapes(str(path), path.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=1)
def _read_shapes(path: str, mtime_ns: int):
    """Read once per process (a page per vote draws one map each); the file's mtime keys the cache."""
    try:
        import geopandas as gpd
    except ImportError:  # the maps are part of the report extra, not of the core package
        raise UnvotesError("the maps need geopandas, which comes with the report extra: "
                           "pip install 'unvotes[report]' (make install includes it)") from None

    shapes = gpd.read_file(f"zip://{path}")
    code = shapes["ISO_A3_EH"].where(shapes["ISO_A3_EH"] != "-99", shapes["ADM0_A3"])
    shapes["iso3"] = code.replace(MAP_TERRITORY_OF)
    return shapes[["iso3", "NAME", "geometry"]]


def too_small_to_show(vote_id: str) -> list[str]:
    """Names of the states with a vote on ``vote_id`` that the 1:110m map does not draw (small islands ...)."""
    shown = set(world_shapes()["iso3"])
    v = api.votes_on(vote_id)
    return sorted(v.loc[~v["iso3"].isin(shown), "name"])


def map_categories(vote_id: str, shapes) -> pd.Series:
    """Each shape's category on ``vote_id``: its vote, ``unknown`` (a member not recorded on a partial roll
    call) or ``not a member`` (not a UN member on the date; for the Council, not on it)."""
    votes = api.votes_on(vote_id).set_index("iso3")["vote"].astype(str)
    row = catalogue.load().set_index("vote_id")
    partial = vote_id in row.index and row.loc[vote_id, "available"] and not row.loc[vote_id, "complete"]
    was_member = membership.members_on(api.roll_call(vote_id)["date"])
    fallback = shapes["iso3"].map(lambda c: "unknown" if (partial and c in was_member) else "not a member")
    return shapes["iso3"].map(votes).fillna(fallback)


class VoteMap:
    """A world map drawn once and recoloured for each vote: a page per vote costs a recolouring and a PNG,
    not a new map (geopandas builds the polygons once)."""

    def __init__(self, ax=None):
        shapes = world_shapes()
        self.shapes = shapes[shapes["iso3"] != "ATA"].to_crs("+proj=robin")  # Antarctica: no state, much space
        if ax is None:
            _, ax = plt.subplots(figsize=(11, 5.6))
        self.ax = ax
        self.shapes.plot(ax=ax, color=plotting.VOTE_COLORS["not a member"], edgecolor="#555555", linewidth=0.25)
        self.collection = ax.collections[-1]
        ax.set_axis_off()
        self.source = None

    def show(self, vote_id: str):
        """Colour every state by its vote on ``vote_id``, with legend, title and source line; returns the Axes."""
        from matplotlib.patches import Patch

        category = map_categories(vote_id, self.shapes)
        self.collection.set_facecolor([plotting.VOTE_COLORS[c] for c in category])
        shown = [v for v in plotting.VOTE_ORDER + ["unknown", "not a member"] if v in set(category)]
        council = api.roll_call(vote_id)["body"] == "SC"
        labels = {"unknown": "vote not recorded (partial roll call)",
                  "not a member": "not on the Security Council" if council else "not a UN member state on that date"}
        self.ax.legend(handles=[Patch(facecolor=plotting.VOTE_COLORS[v], edgecolor="#555555", label=labels.get(v, v))
                                for v in shown], loc="lower left", fontsize=8, frameon=False)
        self.ax.set_title(f"{vote_id}: how each member state voted")
        if self.source is not None:
            self.source.remove()
        plotting.add_source(self.ax.figure, plotting.vote_data_source([vote_id]) + "; boundaries: Natural Earth "
                            "1:110m (public domain), which does not draw small states")
        self.source = self.ax.figure.texts[-1]
        return self.ax


def plot_map(vote_id: str, ax=None):
    """A world map coloured by each state's vote on ``vote_id``; non-members and territories in light grey,
    and on a partial roll call the states whose vote is not recorded in white."""
    return VoteMap(ax).show(vote_id)


def describe(vote_id: str) -> str:
    """A Markdown paragraph introducing ``vote_id``: label, date, theme, published result, data source,
    citation, and a warning when the roll call is partial."""
    from html import escape  # text from data files reaches the page as text, never as markup

    rc = api.roll_call(vote_id)
    vote_id = rc["vote_id"]
    cat = catalogue.load().set_index("vote_id")
    label = cat.loc[vote_id, "label"] if vote_id in cat.index else rc["title"]
    lines = [f"**{escape(vote_id)}: {escape(label)}**", "",
             f"- Date: {rc['date']:%d %B %Y}; body: {rc['body']}; session {escape(rc['session'])}",
             f"- Title as recorded: {escape(rc['title'])}"]
    if vote_id in cat.index:
        lines.append(f"- Theme: {escape(cat.loc[vote_id, 'theme'])}; catalogue citation: "
                     f"{escape(cat.loc[vote_id, 'source'])}")
    totals = [rc[c] for c in ("yes", "no", "abstain")]
    lines.append("- Published result (yes-no-abstain): " + ("-".join(str(int(t)) for t in totals)
                 if all(pd.notna(t) for t in totals) else "not published in the source (the R unvotes data "
                 "carry no totals; the counts below are computed from the country votes)"))
    lines.append(f"- Data: {plotting.vote_data_source([vote_id])} (`{rc['source']}`)")
    inferred = curated_votes.inferred_votes().get(vote_id, 0) if rc["source"] == curated_votes.SOURCE else 0
    if inferred:
        lines.append(f"- {inferred} of the {int(api.recorded_counts(vote_id).sum())} members' votes are inferred from the "
                     "published totals and the votes the sources name (their citations say so), not read "
                     "in a source")
    if vote_id in cat.index and not cat.loc[vote_id, "complete"]:
        known = api.recorded_counts(vote_id)
        lines += ["", f"> **Partial roll call.** Only {int(known.sum())} states' votes are recorded here (from "
                  "press reports, each cited); every other member's vote is unknown, "
                  "not absent. Shares and maps below describe the recorded votes only."]
    return "\n".join(lines)


def vote_lists(vote_id: str, link=None, name_yes: bool = False) -> str:
    """Markdown lists of the states voting no, abstaining and absent (yes voters are counted, or named with
    ``name_yes``). ``link(iso3, name)`` writes each state, e.g. as a link to its page (default: its name)."""
    votes = api.votes_on(vote_id).sort_values("name")
    show = link or (lambda iso3, name: name)
    out = []
    for vote, heading in (("no", "Voted no"), ("abstain", "Abstained"), ("absent", "Absent (member, no vote recorded)"),
                          ("yes", "Voted yes")):
        states = votes[votes["vote"] == vote]
        if vote == "yes" and not name_yes:
            out.append(f"**Voted yes:** {len(states)} states.")
            continue
        names = ", ".join(show(i, n) for i, n in zip(states["iso3"], states["name"]))
        out.append(f"**{heading} ({len(states)}):** " + (names or "none") + ".")
    without = without_vote_right(vote_id)
    if any(without.values()):
        out.append("**Absent without a vote right** (Article 19 of the Charter, arrears): "
                   + "; ".join(f"{label}: {', '.join(names)}" for label, names in without.items() if names)
                   + ". A confirmed absence of this kind was not a choice; the others may have regained their "
                   "vote before the date.")
    return "\n\n".join(out)


def without_vote_right(vote_id: str) -> dict[str, list[str]]:
    """Absent members that had lost their vote: {"confirmed": [...], "listed earlier that year, not
    confirmed on the date": [...]} (names, sorted)."""
    from unvotes.tables.vote_rights import NO_VOTE_RIGHT, UNCONFIRMED

    v = api.load_votes()
    mine = v[v["vote_id"] == vote_id]
    names = api.votes_on(vote_id).set_index("iso3")["name"]
    pick = lambda reason: sorted(names[mine.loc[mine["absent_reason"] == reason, "iso3"].astype(str)])  # noqa: E731
    return {"confirmed": pick(NO_VOTE_RIGHT), "listed earlier that year, not confirmed on the date": pick(UNCONFIRMED)}
