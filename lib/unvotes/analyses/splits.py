"""Split votes: a separate recorded vote on part of a text (a paragraph, an amendment) paired with the vote
on the whole text, and the wider pattern of chosen states' votes across related texts.

A part vote has its own id, ``<whole id> [<what>]`` (e.g. ``A/RES/77/284 [preambular paragraph 9]``), and
``part_of`` = the whole's id in roll_calls. Curated part votes may be partial roll calls: a member state
they do not list has vote ``"unknown"`` here, never a guess.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from unvotes import api
from unvotes.tables import catalogue
from unvotes.analyses import shifts
from unvotes.errors import UnknownVoteError, UnvotesError

#: Catalogue themes of the "related texts" drawn beside a split vote by default.
RELATED_THEMES = ["Emergency special session", "Council of Europe cooperation",
                  "Human rights in occupied Crimea and territories", "Militarization of Crimea",
                  "Territorial integrity"]


def pairs(roll_calls: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (part, whole) pair in roll_calls whose whole text is itself a roll call: part, whole, kind,
    date, and whether each roll call is complete."""
    rc = api.load_roll_calls() if roll_calls is None else roll_calls
    complete = shifts.completeness(rc)
    parts = rc[(rc["part_of"].astype(str) != "") & rc["part_of"].isin(rc["vote_id"])]
    out = pd.DataFrame({"part": parts["vote_id"].astype(str).values, "whole": parts["part_of"].astype(str).values,
                        "kind": parts["kind"].values, "date": parts["date"].values})
    out["part_complete"] = out["part"].map(complete).astype(bool)
    out["whole_complete"] = out["whole"].map(complete).astype(bool)
    return out.sort_values(["date", "whole", "part"]).reset_index(drop=True)


def parts_of(whole: str) -> list[str]:
    """Ids of the separate votes on parts of ``whole`` (in date, then id order); empty if none is recorded."""
    api.roll_call(whole)
    p = pairs()
    return p.loc[p["whole"] == whole, "part"].tolist()


def check_pair(whole: str, part: str) -> None:
    """Raise a clear error unless ``part`` is a recorded separate vote on part of ``whole``."""
    api.roll_call(whole)
    known = parts_of(whole)
    if part not in known:
        api.roll_call(part)  # an id not in the data at all fails here, with close matches
        p = pairs()
        raise UnknownVoteError(
            f"{part!r} is not a separate vote on part of {whole!r} (its part_of is "
            f"{api.roll_call(part)['part_of']!r}). Separate votes on {whole}: {known or 'none in the data'}; "
            f"texts with separate votes in the data include {sorted(p['whole'].unique())[-5:]}")


def pair_votes(whole: str, part: str) -> pd.DataFrame:
    """Each member state's pair of votes (part, whole): iso3, name, un_group, part, whole, pattern.

    ``part`` or ``whole`` is "unknown" where a partial roll call does not list the state; ``pattern`` reads
    e.g. "abstain on the part, yes on the whole", or "not known" when either vote is unknown. States that
    were members for neither vote are left out."""
    check_pair(whole, part)
    m = shifts.known_matrix([part, whole]).dropna(how="all").fillna("not a member")
    countries = api.load_countries().set_index("iso3")
    out = pd.DataFrame({"name": countries["name"].reindex(m.index), "un_group": countries["un_group"].reindex(m.index),
                        "part": m[part], "whole": m[whole]})
    known = (out["part"] != shifts.UNKNOWN) & (out["whole"] != shifts.UNKNOWN)
    out["pattern"] = (out["part"] + " on the part, " + out["whole"] + " on the whole").where(known, "not known")
    out.index.name = "iso3"
    return out.reset_index().sort_values(["pattern", "name"]).reset_index(drop=True)


def pattern_counts(whole: str, part: str) -> pd.DataFrame:
    """States by vote on the part (rows) x vote on the whole (columns), "unknown" included, with totals."""
    pv = pair_votes(whole, part)
    order = shifts.VOTE_ORDER + [shifts.UNKNOWN, "not a member"]
    table = pd.crosstab(pd.Categorical(pv["part"], order), pd.Categorical(pv["whole"], order), dropna=False,
                        margins=True, margins_name="total")
    keep = table.index[(table["total"] > 0)]
    table = table.loc[keep, [c for c in table.columns if table.loc["total", c] > 0]]
    table.index.name, table.columns.name = f"vote on the part ({part})", f"vote on the whole ({whole})"
    return table


def describe_pair(whole: str, part: str) -> str:
    """A paragraph (Markdown) on the split vote: what is known of each roll call and which states voted
    differently on the part than on the whole."""
    pv = pair_votes(whole, part)
    known = pv[pv["pattern"] != "not known"]
    differ = known[known["part"] != known["whole"]]
    rc = api.load_roll_calls().set_index("vote_id")
    complete = shifts.completeness()

    def what(v):
        row = rc.loc[v]
        totals = "-".join("?" if pd.isna(row[c]) else str(int(row[c])) for c in ("yes", "no", "abstain"))
        return (f"{v} ({row['date']:%d %B %Y}, published {totals}; "
                + ("complete roll call" if complete[v] else "**partial roll call**: only some states' votes known")
                + ")")

    groups = differ.groupby("pattern")["name"].agg(lambda s: ", ".join(sorted(s)))
    diff_text = ("; ".join(f"{p} — {names}" for p, names in groups.items()) if len(differ) else "none")
    return (f"The separate vote: {what(part)}. The whole text: {what(whole)}. Both votes are known for "
            f"{len(known)} of {len(pv)} member states; {len(differ)} of them voted differently on the part than on "
            f"the whole: {diff_text}.")


def related_votes(whole: str, themes: list[str] | None = None, body: str = "GA") -> list[str]:
    """Votes to draw beside a split vote: the catalogued votes of ``themes`` (default RELATED_THEMES) that
    have a roll call in the data (partial ones included), the whole text and every recorded part vote of
    it, in date order."""
    api.roll_call(whole)
    ids = catalogue.ids(available_only=True, themes=themes or RELATED_THEMES, body=body)
    ids = list(dict.fromkeys(ids + [whole] + parts_of(whole)))
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    part_ids = set(parts_of(whole))
    return sorted(ids, key=lambda v: (dates[v], v not in part_ids, v))  # a part is voted before its whole


def timeline(states: list[str], vote_ids: list[str]) -> pd.DataFrame:
    """Long table of the ``states``' votes on ``vote_ids``: iso3, name, vote_id, label, date, theme, vote
    ("unknown" where a partial roll call does not list the state, "not a member" where it was not one),
    partial."""
    iso3s = [api.iso3_of(s) for s in states]
    m = shifts.known_matrix(vote_ids).reindex(iso3s)
    rc = api.load_roll_calls().set_index("vote_id")
    complete = shifts.completeness()
    themes = catalogue.curated().set_index("vote_id")["theme"]
    names = api.load_countries().set_index("iso3")["name"]
    rows = [{"iso3": s, "name": names.get(s, s), "vote_id": v, "label": shifts.label_of(v), "date": rc.at[v, "date"],
             "theme": themes.get(v, themes.get(rc.at[v, "part_of"], "separate vote")),
             "vote": m.at[s, v] if pd.notna(m.at[s, v]) else "not a member", "partial": not complete[v]}
            for s in iso3s for v in vote_ids]
    return pd.DataFrame(rows)


def theme_summary(states: list[str], vote_ids: list[str]) -> pd.DataFrame:
    """Per focus state (rows) and theme of the catalogue (columns): its votes counted, e.g. "2 yes, 4 abstain,
    1 no" (unknown and not-a-member cells counted too, so the reader sees what the counts rest on)."""
    tl = timeline(states, vote_ids)
    order = shifts.VOTE_ORDER + [shifts.UNKNOWN, "not a member"]
    counts = tl.groupby(["name", "theme", "vote"]).size()

    def cell(group):
        c = group.droplevel(["name", "theme"])
        return ", ".join(f"{int(c[v])} {v}" for v in order if v in c.index)

    out = counts.groupby(["name", "theme"]).apply(cell).unstack("theme").fillna("")
    names = tl.drop_duplicates("iso3").set_index("name")["iso3"]
    out = out.loc[[n for n in names.index if n in out.index]]
    out.columns.name, out.index.name = "theme (number of votes)", "state"
    return out


def plot_timeline(states: list[str], vote_ids: list[str], ax=None):
    """The states' votes (rows) across ``vote_ids`` (columns in date order), coloured by vote; a partial roll
    call is starred in its label and its unlisted states drawn as "?"."""
    iso3s = [api.iso3_of(s) for s in states]
    m = shifts.known_matrix(vote_ids).reindex(iso3s)
    rc = api.load_roll_calls().set_index("vote_id")
    complete = shifts.completeness()
    labels = [f"{_short(v)}{'*' if not complete[v] else ''} ({rc.at[v, 'date']:%b %Y})" for v in vote_ids]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8.0, 0.5 * len(vote_ids) + 3), 0.42 * len(iso3s) + 2.6))
    return shifts.plot_vote_grid(m, ax=ax, column_labels=labels,
                                 title="Votes of the focus states on related texts, in date order",
                                 xlabel="Vote (* partial roll call: only some states' votes are known)")


def _short(vote_id: str) -> str:
    return (vote_id.removeprefix("A/RES/").replace("[preambular paragraph", "[PP")
            .replace("[operative paragraph", "[OP"))


def check_states(states: list[str]) -> list[str]:
    """ISO3 codes of ``states`` (codes of the countries table); an unknown code is an error naming it."""
    if isinstance(states, str):  # papermill's -p focus_states CHN gives a string, which would be read letter by letter
        raise UnvotesError(f"focus_states must be a list of ISO3 codes, e.g. ['{states}'], not the string {states!r}")
    if not states:
        raise UnvotesError("give at least one focus state (ISO3 code, e.g. CHN)")
    return [api.iso3_of(s) for s in states]


def headline(whole: str, part: str, state: str = "CHN") -> str:
    """One sentence (Markdown) on ``state``'s two votes on a split text, and who else split the same way."""
    pv = pair_votes(whole, part).set_index("iso3")
    iso3 = api.iso3_of(state)
    if iso3 not in pv.index or pv.loc[iso3, "pattern"] == "not known":
        return f"{state}'s votes on {part} and {whole} are not both recorded."
    mine = pv.loc[iso3]
    same = pv[(pv["pattern"] == mine["pattern"]) & (pv.index != iso3)]["name"].sort_values().tolist()
    known = int((pv["pattern"] != "not known").sum())
    draft = api.roll_call(whole)["draft"]
    text = f"draft {draft} ({whole})" if draft else whole
    return (f"{mine['name']} voted **{mine['part']}** on the separate vote on {part.removeprefix(whole).strip(' []')} "
            f"of {text} and **{mine['whole']}** on the whole text. Of the {known} states whose two votes are both "
            f"recorded (a partial roll call of the separate vote), {len(same)} split the same way"
            + (f": {', '.join(same)}." if same else "."))
