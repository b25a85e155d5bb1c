"""Absence as a choice: which states recorded absent on a Ukraine vote were in the hall that day.

A state recorded ``absent`` on a General Assembly roll call either had no vote (Article 19 arrears:
``votes.absent_reason``), or stayed away all day, or was there and did not vote. The last can be seen: the
Assembly holds several recorded votes a day, and a state that voted on another roll call of the same day
was present. :func:`same_day_presence` sorts every absence on the catalogued Ukraine votes into:

* ``no vote right``        Article 19 arrears on the day (confirmed or not: the headline says how many of
                           each): not a choice;
* ``present, not voting``  it cast a vote on another General Assembly roll call of the same day in the data
                           (a partial roll call counts: one listed vote shows the delegation was there);
* ``absent all day``       it cast no vote on the day's other complete roll calls;
* ``not observable``       no other roll call of the day in the data shows either: the Ukraine vote was the
                           day's only recorded vote here (the data lack the day's procedural votes and
                           amendments, e.g. on ES-11/2 and ES-11/6), or the others are partial and do not
                           list the state.

"Present, not voting" is a **proxy** for a strategic absence, not a bound: a vote at another meeting of the
same day does not prove the delegation was in the hall for the Ukraine vote, and a delegation that avoided the
whole day is not counted. :func:`baseline_absence` sets each state's
absence on the Ukraine votes against its absence on every other recorded vote of the same years, so that a
delegation that is rarely in the hall is told apart from one that stays away from these votes.
"""

from __future__ import annotations

import pandas as pd

from unvotes import api
from unvotes.tables import catalogue
from unvotes.analyses import shifts
from unvotes.errors import BadArgumentError

REASONS = ("no vote right", "present, not voting", "absent all day", "not observable")
CAST = ("yes", "no", "abstain")


def _ga_votes_on(dates) -> pd.DataFrame:
    votes, rc = api.load_votes(), api.load_roll_calls()
    rc = rc[(rc["body"] == "GA") & rc["date"].isin(list(dates))][["vote_id", "date", "complete"]]
    votes = votes[votes["vote_id"].isin(rc["vote_id"])]  # partial roll calls included: a listed vote shows presence
    return votes.astype({"vote_id": str, "iso3": str, "vote": str}).merge(rc.astype({"vote_id": str}), on="vote_id")


def check_vote_ids(vote_ids) -> list[str]:
    """``vote_ids`` as complete General Assembly roll calls (what absence can be measured on): an unknown id is an
    error with close matches; a Council vote or a partial roll call (unlisted states' votes unknown, not absent)
    is an error naming it and why."""
    if isinstance(vote_ids, str):
        raise BadArgumentError(f"vote_ids must be a list of vote ids, e.g. [{vote_ids!r}], not the string {vote_ids!r}")
    rc = api.load_roll_calls().set_index("vote_id")
    ids = [v if v in rc.index else api.resolve_vote_id(v) for v in vote_ids]  # unknown: an error with close matches
    wrong = [f"{v} ({'a Security Council vote' if rc.at[v, 'body'] != 'GA' else 'a partial roll call'})"
             for v in ids if rc.at[v, "body"] != "GA" or not bool(rc.at[v, "complete"])]
    if wrong:
        raise BadArgumentError(f"absence is measured on complete General Assembly roll calls only; not: "
                               f"{', '.join(wrong)}. Leave vote_ids empty for every complete catalogued Assembly vote")
    return ids


def same_day_presence(vote_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per absence on each of ``vote_ids`` (default: every complete catalogued Assembly vote): vote_id,
    date, iso3, name, un_group, reason (:data:`REASONS`), no_vote_right (the Article 19 mark: confirmed or
    unconfirmed), other_roll_calls (recorded that day in the data, partial ones included), voted_on (of them,
    those the state cast a vote on)."""
    vote_ids = shifts.ukraine_votes(body="GA", complete_only=True) if vote_ids is None else check_vote_ids(vote_ids)
    dates = api.load_roll_calls().set_index("vote_id").loc[vote_ids, "date"]
    day = _ga_votes_on(set(dates))
    countries = api.load_countries().set_index("iso3")
    rows = []
    for vote_id in vote_ids:
        date = dates[vote_id]
        others = day[(day["date"] == date) & (day["vote_id"] != vote_id)]
        n_others = others["vote_id"].nunique()
        complete_others = others.loc[others["complete"].astype(bool), "vote_id"].nunique()
        cast = others[others["vote"].isin(CAST)].groupby("iso3")["vote_id"].nunique()
        absent = day[(day["vote_id"] == vote_id) & (day["vote"] == "absent")]
        for row in absent.itertuples(index=False):
            voted_on = int(cast.get(row.iso3, 0))
            if pd.notna(row.absent_reason):
                reason = "no vote right"
            elif voted_on:
                reason = "present, not voting"
            elif complete_others:
                reason = "absent all day"
            else:
                reason = "not observable"
            rows.append({"vote_id": vote_id, "date": date, "iso3": row.iso3, "name": countries.at[row.iso3, "name"],
                         "un_group": countries.at[row.iso3, "un_group"], "reason": reason,
                         "no_vote_right": "" if pd.isna(row.absent_reason) else str(row.absent_reason),
                         "other_roll_calls": n_others, "voted_on": voted_on})
    return pd.DataFrame(rows, columns=["vote_id", "date", "iso3", "name", "un_group", "reason", "no_vote_right",
                                       "other_roll_calls", "voted_on"])


def summary(presence: pd.DataFrame, by: str = "vote_id") -> pd.DataFrame:
    """Absences counted by reason, per vote (``by="vote_id"``) or per group (``by="un_group"``), with the
    share of the absences a state could have cast (vote right, other roll calls that day) that were
    ``present, not voting``."""
    counts = presence.pivot_table(index=by, columns="reason", values="iso3", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(REASONS), fill_value=0)
    counts.insert(0, "absent", counts.sum(axis=1))
    observable = counts["present, not voting"] + counts["absent all day"]
    counts["share_present_not_voting"] = (counts["present, not voting"] / observable).where(observable > 0)
    if by == "vote_id":
        order = list(dict.fromkeys(presence["vote_id"]))
        counts = counts.reindex(order)
    return counts.reset_index()


def baseline_absence(vote_ids: list[str] | None = None) -> pd.DataFrame:
    """Per state: its absence rate on ``vote_ids`` (default: the complete catalogued Assembly votes) and on every
    other recorded Assembly vote of the same years (its baseline), days without a vote right left out of both.
    Columns: iso3, name, un_group, ukraine_votes, ukraine_absent, ukraine_rate, other_votes, other_absent,
    baseline_rate, difference (Ukraine minus baseline, in shares)."""
    vote_ids = shifts.ukraine_votes(body="GA", complete_only=True) if vote_ids is None else check_vote_ids(vote_ids)
    rc = api.load_roll_calls()
    rc = rc[(rc["body"] == "GA") & rc["complete"].astype(bool)]
    years = set(rc.loc[rc["vote_id"].isin(vote_ids), "date"].dt.year)
    rc = rc[rc["date"].dt.year.isin(years)]
    v = api.load_votes()
    v = v[v["vote_id"].isin(rc["vote_id"]) & v["absent_reason"].isna()].astype({"vote_id": str, "iso3": str})
    v = v.assign(ukraine=v["vote_id"].isin(vote_ids), absent=v["vote"] == "absent")
    g = v.groupby(["iso3", "ukraine"])["absent"].agg(["size", "sum"]).unstack("ukraine", fill_value=0)
    out = pd.DataFrame({"ukraine_votes": g[("size", True)], "ukraine_absent": g[("sum", True)],
                        "other_votes": g[("size", False)], "other_absent": g[("sum", False)]})
    out["ukraine_rate"] = (out["ukraine_absent"] / out["ukraine_votes"]).where(out["ukraine_votes"] > 0)
    out["baseline_rate"] = (out["other_absent"] / out["other_votes"]).where(out["other_votes"] > 0)
    out["difference"] = out["ukraine_rate"] - out["baseline_rate"]
    out = api.names_and_groups(out.index).join(out.set_axis(out.index.astype(str))).reset_index()
    return out[["iso3", "name", "un_group", "ukraine_votes", "ukraine_absent", "ukraine_rate", "other_votes",
                "other_absent", "baseline_rate", "difference"]].sort_values("difference", ascending=False,
                                                                             ignore_index=True)


def headline(presence: pd.DataFrame) -> str:
    """Two sentences with the numbers: how many absences on the Ukraine votes were states that voted on another
    roll call that day, on which votes presence can be seen at all, and how many had no vote right."""
    by_reason = presence["reason"].value_counts()
    n = len(presence)
    present = int(by_reason.get("present, not voting", 0))
    no_right = presence[presence["reason"] == "no vote right"]
    unconfirmed = int((no_right["no_vote_right"] == "no_vote_right_unconfirmed").sum())
    observable = present + int(by_reason.get("absent all day", 0))
    african = presence[(presence["reason"] == "present, not voting") & (presence["un_group"] == "African")]
    votes = presence["vote_id"].nunique()
    seen_ids = presence.loc[presence["reason"].isin(["present, not voting", "absent all day"]), "vote_id"].unique()
    themes = catalogue.curated().set_index("vote_id")["theme"]
    crimea = sum("Crimea" in str(themes.get(v, "")) for v in seen_ids)
    seen = len(seen_ids)
    share = f"{present / observable:.0%}" if observable else "none"
    return (f"Of the {n} absences recorded on {votes} complete Assembly votes on Ukraine, {present} were states that "
            f"voted on another roll call the same day ({share} of the {observable} absences where presence can be "
            f"seen; {len(african)} of them African), a proxy for staying in the hall and not voting. Presence can be "
            f"seen on {seen} of the {votes} votes only ({crimea} of them the yearly texts on Crimea, voted among other "
            f"resolutions): on the others the data hold no other vote of the day. {len(no_right)} absences were of states without "
            f"a vote right under Article 19 ({unconfirmed} of them unconfirmed), which are not choices.")


COLOURS = {"no vote right": "#9e9e9e", "present, not voting": "#d95f02", "absent all day": "#7570b3",
           "not observable": "#e0e0e0"}


def plot_reasons(presence: pd.DataFrame):
    """One bar per vote (date order): its absences by reason, the states present that day in orange."""
    import matplotlib.pyplot as plt

    from unvotes.analyses import plotting

    table = summary(presence).set_index("vote_id")[list(REASONS)]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(table) + 1.6))
    left = pd.Series(0, index=table.index)
    for reason in REASONS:
        ax.barh(table.index, table[reason], left=left, color=COLOURS[reason], label=reason, height=0.75)
        left += table[reason]
    ax.invert_yaxis()
    ax.set_xlabel("states recorded absent")
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title("Why states were recorded absent on each Ukraine vote")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    plotting.add_source(fig, plotting.vote_data_source(list(table.index)) + ". Present: voted on another "
                        "General Assembly roll call the same day.")
    return fig
