"""How states' votes change between votes: a states x votes matrix, transition tables, switchers, and
agreement with a reference state (e.g. the United States before and after its 2025 reversal).

Partial roll calls (curated from press reports, ``complete == False`` in roll_calls) list only some
states. :func:`vote_table` leaves the others empty, exactly like non-members; :func:`known_matrix` tells
the two apart by writing ``"unknown"`` for a member whose vote is not recorded. Every function that
counts states counts only known votes, and :func:`data_notes` says in words which votes are unknown.
"""

from __future__ import annotations


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from unvotes import api
from unvotes.tables import catalogue, curated_votes, membership
from unvotes.analyses import plotting
from unvotes.errors import UnvotesError

VOTE_ORDER = plotting.VOTE_ORDER
#: Reading order from most to least supportive of a text, used to call a change "towards yes" or "away".
SUPPORT_RANK = {"yes": 0, "abstain": 1, "absent": 2, "no": 3}
#: A member state whose vote a partial roll call does not record.
UNKNOWN = "unknown"
#: Votes that take a position (absences are left out of agreement shares, as in Voeten's agreement scores).
CAST = ("yes", "no", "abstain")


def vote_table(vote_ids: list[str]) -> pd.DataFrame:
    """States (rows, ISO3) x votes (columns, in the order given) of yes/no/abstain/absent, as text (formerly
    ``vote_matrix``; the numeric matrix of a window is :func:`unvotes.analyses.alignment.vote_matrix`).

    A missing cell means the state was not a UN member on that date (or, for a partial roll call, that
    its vote is not recorded: use :func:`known_matrix` to tell the two apart)."""
    for vote_id in vote_ids:
        api.roll_call(vote_id)  # unknown ids fail here with close matches
    v = api.load_votes()
    v = v[v["vote_id"].isin(vote_ids)].astype({"vote_id": str, "iso3": str, "vote": str})
    m = v.pivot(index="iso3", columns="vote_id", values="vote").reindex(columns=vote_ids)
    m.columns.name = None
    return m.sort_index()


def completeness(roll_calls: pd.DataFrame | None = None) -> pd.Series:
    """vote_id -> True when the roll call lists every member's vote (``roll_calls.complete``)."""
    rc = api.load_roll_calls() if roll_calls is None else roll_calls
    return pd.Series(rc["complete"].astype(bool).values, index=rc["vote_id"].astype(str).values, name="complete")


def is_complete(vote_id: str) -> bool:
    """Whether the roll call of ``vote_id`` lists every member's vote (False for a curated partial one)."""
    return bool(api.roll_call(vote_id)["complete"])


def known_matrix(vote_ids: list[str]) -> pd.DataFrame:
    """Like :func:`vote_table`, but a General Assembly member not listed on a partial roll call gets
    ``"unknown"`` instead of an empty cell. Empty cells then mean only: not a member of the body (not a
    UN member on the date; for the Security Council, not on the Council)."""
    m = vote_table(vote_ids)
    rc = api.load_roll_calls().set_index("vote_id")
    complete = completeness()
    for vote_id in vote_ids:
        if complete[vote_id] or rc.at[vote_id, "body"] != "GA":
            continue
        members = sorted(membership.members_on(rc.at[vote_id, "date"]))
        m = m.reindex(m.index.union(members))
        unlisted = m.index.isin(members) & m[vote_id].isna()
        m.loc[unlisted, vote_id] = UNKNOWN
    return m.sort_index()


def ukraine_votes(start: str | None = None, end: str | None = None, body: str | None = None,
                  complete_only: bool = False, related: bool = False) -> list[str]:
    """Catalogued Ukraine votes with a roll call in the data, in date order, optionally within [start, end],
    of one body ("GA"/"SC"), and only complete roll calls; related votes (Chornobyl) only with ``related``."""
    cat = catalogue.load()
    cat = cat[cat["available"]]
    if not related:
        cat = cat[~cat["theme"].str.startswith(catalogue.RELATED)]
    if start is not None:
        cat = cat[cat["date"] >= pd.Timestamp(start)]
    if end is not None:
        cat = cat[cat["date"] <= pd.Timestamp(end)]
    if body is not None:
        if body not in ("GA", "SC"):
            raise UnvotesError(f"unknown body {body!r}; choose GA or SC")
        cat = cat[cat["vote_id"].str.startswith("S/" if body == "SC" else "A/")]
    if complete_only:
        cat = cat[cat["complete"]]
    return cat["vote_id"].tolist()


def check_votes(vote_ids: list[str]) -> tuple[list[str], list[str]]:
    """(ids with a roll call in the data, notes on the others). A catalogued vote whose roll call is not in
    the data is noted, not an error (the official files may bring it); any other unknown id is an error
    naming close matches."""
    rc_ids = set(api.load_roll_calls()["vote_id"])
    present, notes = [], []
    for vote_id in vote_ids:
        if vote_id in rc_ids:
            present.append(vote_id)
            continue
        if vote_id not in set(catalogue.curated()["vote_id"]):
            api.roll_call(vote_id)  # raises UnknownVoteError with close matches
        notes.append(f"**{vote_id}** ({catalogue.entry(vote_id)['label']}) is catalogued but its roll call is not in "
                     "the processed data, so it is left out here (it is in the official UN Digital Library files or "
                     "the curated table of separate votes; rebuild the tables once they are installed).")
    return present, notes


def label_of(vote_id: str) -> str:
    """A short label: the catalogue's, else the roll call's title (with the part voted on, if any)."""
    labels = catalogue.curated().set_index("vote_id")["label"]
    if vote_id in labels.index:
        return labels[vote_id]
    rc = api.roll_call(vote_id)
    part = vote_id[len(rc["part_of"]):].strip() if rc["part_of"] else ""
    return f"{rc['title']} {part}".strip() if part else str(rc["title"])


def data_notes(vote_ids: list[str]) -> list[str]:
    """One sentence (Markdown) for each vote that is a partial roll call or is not in the data at all,
    saying which votes are known and which are not; empty when every roll call is complete."""
    rc = api.load_roll_calls().set_index("vote_id")
    complete = completeness()
    votes = api.load_votes()
    notes_of_curated = curated_notes()
    notes = []
    for vote_id in vote_ids:
        if vote_id not in rc.index:
            notes.append(f"**{vote_id}** is not in the processed data: no source available here records its "
                         "country-level votes (the official UN Digital Library files, once installed, or the curated "
                         "table of separate votes may add it).")
            continue
        if complete[vote_id]:
            continue
        row = rc.loc[vote_id]
        rows = votes.loc[votes["vote_id"] == vote_id, "vote"].astype(str)
        listed = rows.value_counts().reindex(list(CAST) + ["absent"], fill_value=0)
        published = {v: row[v] for v in CAST}
        full = [v for v in CAST if pd.notna(published[v]) and listed[v] == published[v]]
        absent_part = f" and {listed['absent']} not voting" if listed["absent"] else ""
        unknown_part = ("" if row["body"] != "GA" else
                        f"; the votes of the other {len(membership.members_on(row['date'])) - len(rows)} "
                        "member states are unknown")
        full_part = (f" Every {' and every '.join(repr(v) for v in full)} vote is listed, so an unlisted state "
                     f"did not vote {' or '.join(full)}." if full else "")
        curated_note = notes_of_curated.get(vote_id, "") if row["source"] == curated_votes.SOURCE else ""
        notes.append(
            f"**{vote_id}** is a *partial* roll call ({row['source']}: {row['source_ref'] or 'curated'}): "
            f"published {_fmt_totals(published)}, of which the data list {listed['yes']} yes, {listed['no']} no "
            f"and {listed['abstain']} abstain{absent_part}{unknown_part}.{full_part}"
            + (f" About its sources: {curated_note}" if curated_note else ""))
    return notes


def curated_notes() -> dict[str, str]:
    """vote_id -> the note of its curated roll call (how sure, how many sources), data/external/separate_roll_calls.csv."""
    rc, _ = curated_votes.load()
    return dict(zip(rc["vote_id"], rc["note"]))


def _fmt_totals(t) -> str:
    return "-".join("?" if pd.isna(t[v]) else str(int(t[v])) for v in CAST)


# ---------------------------------------------------------------- transitions between two votes


def transition_table(first: str, second: str, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of states by (vote on ``first``) x (vote on ``second``), states in both roll calls only.

    Rows and columns follow VOTE_ORDER; margins are the row and column totals. States whose vote on a
    partial roll call is unknown are not counted."""
    m = vote_table([first, second]) if matrix is None else matrix[[first, second]]
    both = m[m[first].isin(VOTE_ORDER) & m[second].isin(VOTE_ORDER)]
    table = pd.crosstab(pd.Categorical(both[first], VOTE_ORDER), pd.Categorical(both[second], VOTE_ORDER),
                        dropna=False, margins=True, margins_name="total")
    table.index.name, table.columns.name = first, second
    return table


def switchers(first: str, second: str, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """States whose vote differs between ``first`` and ``second``: iso3, name, both votes and the direction
    ("towards yes" when the second vote is more supportive in SUPPORT_RANK order, else "away from yes")."""
    m = vote_table([first, second]) if matrix is None else matrix[[first, second]]
    both = m[m[first].isin(VOTE_ORDER) & m[second].isin(VOTE_ORDER)]
    changed = both[both[first] != both[second]].copy()
    rank_change = changed[second].map(SUPPORT_RANK) - changed[first].map(SUPPORT_RANK)
    changed["direction"] = rank_change.map(lambda d: "towards yes" if d < 0 else "away from yes")
    names = api.load_countries().set_index("iso3")["name"]
    changed.insert(0, "name", changed.index.map(names))
    changed.index.name = "iso3"
    return changed.reset_index().sort_values(["direction", first, second, "name"]).reset_index(drop=True)


def switch_summary(first: str, second: str, by: str = "un_group") -> pd.DataFrame:
    """Per group of the countries table (``by``, e.g. un_group): states in both roll calls, how many kept
    their vote, moved towards yes, moved away from yes; plus an "All" row."""
    countries = api.load_countries().set_index("iso3")
    if by not in countries.columns:
        raise UnvotesError(f"unknown grouping {by!r}; choose a column of the countries table, e.g. un_group")
    m = vote_table([first, second])
    both = m[m[first].isin(VOTE_ORDER) & m[second].isin(VOTE_ORDER)].copy()
    sw = switchers(first, second, both).set_index("iso3")["direction"]
    both["direction"] = sw.reindex(both.index).fillna("same vote")
    both["group"] = countries[by].reindex(both.index).fillna("no group").astype(str)
    cols = ["same vote", "towards yes", "away from yes"]
    table = pd.crosstab(both["group"], pd.Categorical(both["direction"], cols), dropna=False)
    table.columns = table.columns.astype(str)
    table.columns.name = None
    table.loc["All"] = table.sum()
    table.insert(0, "states", table.sum(axis=1))
    table.index.name = by
    return table


# ---------------------------------------------------------------- successive votes


def plot_agreement_by_year(reference: str, vote_ids: list[str], ax=None):
    """Share of states casting the same vote as the reference, per year (pooled over the year's votes; the
    line), and each single vote of the year (grey dots: how much it depends on the text; not an interval).
    Years without a vote are gaps in the line, not joined across."""
    by_year = agreement_by_year(reference, vote_ids)
    ref = api.iso3_of(reference)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    years = range(int(by_year["year"].min()), int(by_year["year"].max()) + 1)
    line = by_year.set_index("year")["share_same"].reindex(years)
    ax.plot(line.index, line.to_numpy(), marker="o", color=plotting.VOTE_COLORS["yes"], label="all the year's votes, pooled")
    singles = agreement_with(reference, vote_ids)
    ax.scatter(singles["year"], singles["share_same"], s=14, color="#888888", zorder=3, label="one vote")
    for year, share, n in by_year[["year", "share_same", "votes"]].itertuples(index=False):
        ax.annotate(f"{n} vote{'s' if n > 1 else ''}", (year, share), textcoords="offset points", xytext=(0, 8),
                    ha="center", fontsize=7, color="#444444")
    ax.set_ylim(0, 1)
    ax.set_xticks(list(years))
    ax.set_xlabel("Year of the votes (no line across a year without a vote)")
    ax.set_ylabel(f"Share of states voting as {ref}")
    ax.set_title(f"States casting the same vote as {ref} on the Ukraine votes, by year")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.figure.tight_layout()
    plotting.add_source(ax.figure, plotting.vote_data_source(vote_ids) + "; absences and partial roll calls left out")
    return ax


def successive_pairs(vote_ids: list[str]) -> list[tuple[str, str]]:
    return list(zip(vote_ids[:-1], vote_ids[1:]))


def stability(vote_ids: list[str]) -> pd.DataFrame:
    """For each pair of successive votes: states with a known vote on both, how many cast the same vote,
    moved towards yes or away from yes, the share unchanged, and whether either roll call is partial."""
    m = vote_table(vote_ids)
    complete = completeness()
    rows = []
    for first, second in successive_pairs(vote_ids):
        both = m[m[first].isin(VOTE_ORDER) & m[second].isin(VOTE_ORDER)]
        sw = switchers(first, second, both)
        n = len(both)
        same = n - len(sw)
        rows.append({"first": first, "second": second, "states": n, "same vote": same,
                     "towards yes": int((sw["direction"] == "towards yes").sum()),
                     "away from yes": int((sw["direction"] == "away from yes").sum()),
                     "share unchanged": same / n if n else np.nan,
                     "partial": not (complete[first] and complete[second])})
    return pd.DataFrame(rows)


def plot_transitions(vote_ids: list[str], ncols: int = 3):
    """Small multiples: one transition table (counts, as a heat map) for each pair of successive votes.
    Titles of pairs involving a partial roll call say so."""
    pairs = successive_pairs(vote_ids)
    if not pairs:
        raise UnvotesError("plot_transitions needs at least two votes")
    complete = completeness()
    nrows = -(-len(pairs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.7 * nrows), squeeze=False)
    for ax, (first, second) in zip(axes.flat, pairs):
        table = transition_table(first, second).drop(index="total", columns="total")
        partial = not (complete[first] and complete[second])
        _count_heatmap(ax, table)
        ax.set_title(f"{_short(first)} → {_short(second)}" + ("\n(partial roll call: listed states only)"
                                                             if partial else ""), fontsize=9)
        ax.set_ylabel(f"vote on {_short(first)}", fontsize=8)
        ax.set_xlabel(f"vote on {_short(second)}", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in axes.flat[len(pairs):]:
        ax.set_visible(False)
    fig.suptitle("How states moved between successive votes (number of states)", y=1.0)
    fig.tight_layout()
    plotting.add_source(fig, plotting.vote_data_source(vote_ids))
    return fig


def _count_heatmap(ax, table: pd.DataFrame) -> None:
    """A table of counts as annotated cells (what seaborn's heatmap draws, without the whole-figure redraw
    it makes for every panel, which made 17 panels take 10 s)."""
    values = table.to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(values.max(), 1))
    for (i, j), n in np.ndenumerate(values):
        ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=8,
                color="white" if n > 0.6 * values.max() else "#222222")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
    ax.set_yticks(range(table.shape[0]), [str(r) for r in table.index])
    ax.set_xticks(np.arange(-0.5, table.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, table.shape[0]), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)


def _short(vote_id: str) -> str:
    return vote_id.removeprefix("A/RES/")


# ---------------------------------------------------------------- one state's record; agreement with it


def state_record(state: str, vote_ids: list[str]) -> pd.DataFrame:
    """``state``'s vote on each of ``vote_ids``: vote_id, label, date, vote ("unknown" on a partial roll call
    that does not list it, empty if not a member), and whether the roll call is partial."""
    iso3 = api.iso3_of(state)
    m = known_matrix(vote_ids)
    rc = api.load_roll_calls().set_index("vote_id")
    complete = completeness()
    out = pd.DataFrame({"vote_id": vote_ids,
                        "label": [label_of(v) for v in vote_ids],
                        "body": [rc.at[v, "body"] for v in vote_ids],
                        "date": [rc.at[v, "date"] for v in vote_ids],
                        "vote": [m.at[iso3, v] if iso3 in m.index else np.nan for v in vote_ids],
                        "partial": [not complete[v] for v in vote_ids]})
    out["vote"] = out["vote"].fillna("not a member")
    return out


def agreement_with(reference: str, vote_ids: list[str], include_partial: bool = False) -> pd.DataFrame:
    """Per vote: the reference state's vote and the share of the other states that cast the same vote.

    Only states casting a vote (yes, no, abstain) count; absences are left out, as in Voeten's agreement
    scores, and so is a vote on which the reference itself was absent. Partial roll calls list a non-random
    few states, so they are left out unless ``include_partial``. Columns: vote_id, date, year,
    reference_vote, states (other states casting a vote), same, share_same, partial."""
    ref = api.iso3_of(reference)
    complete = completeness()
    ids = [v for v in vote_ids if include_partial or complete.get(v, True)]
    m = vote_table(ids)
    rc = api.load_roll_calls().set_index("vote_id")
    rows = []
    for vote_id in ids:
        ref_vote = m.at[ref, vote_id] if ref in m.index else np.nan
        if ref_vote not in CAST:
            continue
        others = m.loc[m.index != ref, vote_id]
        others = others[others.isin(CAST)]
        same = int((others == ref_vote).sum())
        rows.append({"vote_id": vote_id, "date": rc.at[vote_id, "date"], "year": rc.at[vote_id, "date"].year,
                     "reference_vote": ref_vote, "states": len(others), "same": same,
                     "share_same": same / len(others) if len(others) else np.nan, "partial": not complete[vote_id]})
    return pd.DataFrame(rows, columns=["vote_id", "date", "year", "reference_vote", "states", "same", "share_same",
                                       "partial"])


def agreement_by_year(reference: str, vote_ids: list[str], include_partial: bool = False) -> pd.DataFrame:
    """Per calendar year: number of votes, state-vote pairs, pairs agreeing with the reference, the pooled
    share agreeing, and the lowest and highest share over that year's votes (how much it depends on the
    text). Every member's vote is counted, so the shares are not estimates from a sample."""
    per_vote = agreement_with(reference, vote_ids, include_partial)
    g = per_vote.groupby("year")
    out = pd.DataFrame({"votes": g.size(), "pairs": g["states"].sum(), "same": g["same"].sum(),
                        "lowest": g["share_same"].min(), "highest": g["share_same"].max(),
                        "vote_ids": g["vote_id"].agg(lambda s: ", ".join(_short(v) for v in s))})
    out.insert(3, "share_same", out["same"] / out["pairs"])
    return out.reset_index()


def agreement_change(reference: str, before: list[str], after: list[str], min_votes: int = 1) -> pd.DataFrame:
    """Per state: share of the ``before`` votes and of the ``after`` votes on which it cast the same vote
    as the reference (votes both cast, absences excluded), the counts behind them, and the change; the change
    is left empty (not ranked) for a state that cast fewer than ``min_votes`` on either side, where one vote
    would move its share by a half or more."""
    ref = api.iso3_of(reference)
    m = vote_table(list(dict.fromkeys(before + after)))
    if ref not in m.index:
        raise UnvotesError(f"{ref} cast no vote on any of {before + after}")

    ref_votes = m.loc[ref]

    def share(ids):
        ids = [v for v in ids if ref_votes[v] in CAST]  # a vote the reference did not cast says nothing
        cast = m[ids].isin(CAST)
        same = m[ids].eq(ref_votes[ids], axis=1) & cast
        return same.sum(axis=1), cast.sum(axis=1)

    same_b, n_b = share(before)
    same_a, n_a = share(after)
    names = api.load_countries().set_index("iso3")
    out = pd.DataFrame({"name": names["name"].reindex(m.index), "un_group": names["un_group"].reindex(m.index),
                        "same_before": same_b, "votes_before": n_b, "same_after": same_a, "votes_after": n_a})
    out = out.drop(index=ref)
    out["share_before"] = out["same_before"] / out["votes_before"].replace(0, np.nan)
    out["share_after"] = out["same_after"] / out["votes_after"].replace(0, np.nan)
    out["change"] = (out["share_after"] - out["share_before"]).where(
        (out["votes_before"] >= min_votes) & (out["votes_after"] >= min_votes))
    out.index.name = "iso3"
    return out.sort_values(["change", "name"]).reset_index()


def voted_with(reference: str, vote_id: str) -> pd.DataFrame:
    """The states that cast the same vote as the reference on ``vote_id`` (known votes only): iso3, name,
    un_group, vote."""
    ref = api.iso3_of(reference)
    v = api.votes_on(vote_id).astype({"vote": str})
    ref_vote = v.loc[v["iso3"] == ref, "vote"]
    if ref_vote.empty or ref_vote.iloc[0] not in CAST:
        raise UnvotesError(f"{ref} cast no vote on {vote_id} ({'not listed' if ref_vote.empty else ref_vote.iloc[0]})")
    out = v[(v["vote"] == ref_vote.iloc[0]) & (v["iso3"] != ref)]
    groups = api.load_countries().set_index("iso3")["un_group"]
    return out.assign(un_group=out["iso3"].map(groups))[["iso3", "name", "un_group", "vote"]].sort_values("name") \
        .reset_index(drop=True)


def with_reference_before_after(reference: str, before: str, after: str) -> pd.DataFrame:
    """Cross-tab of states by whether they voted as the reference on ``before`` and on ``after`` (states
    with a known vote on both; an absence counts as not voting with it)."""
    ref = api.iso3_of(reference)
    m = vote_table([before, after])
    ref_before, ref_after = m.at[ref, before], m.at[ref, after]
    m = m[m[before].isin(VOTE_ORDER) & m[after].isin(VOTE_ORDER)].drop(index=ref, errors="ignore")
    with_b = np.where(m[before] == ref_before, "with", "not with")
    with_a = np.where(m[after] == ref_after, "with", "not with")
    table = pd.crosstab(pd.Series(with_b, name=f"{_short(before)}"), pd.Series(with_a, name=f"{_short(after)}"),
                        margins=True, margins_name="total")
    return table


#: The parties to the war: they are neither followers nor others in a cue test (Russia's no on ES-11/7 is not
#: a state following the United States; Ukraine votes yes on every text).
PARTIES = ("RUS", "UKR")


def cue_test(reference: str, before: list[str], after: list[str], counterpart: str = "RUS",
             exclude: tuple[str, ...] = PARTIES) -> pd.DataFrame:
    """Did the states that followed ``reference`` before follow it after it changed course?

    *Followers*: states that cast the reference's vote on every one of the ``before`` votes they cast (at
    least one). *Others*: the remaining states **except** those that cast the ``counterpart``'s vote (Russia's)
    on every ``before`` vote they cast: a state already voting no with Russia votes no again whatever the
    reference does, so counting it among the "others" who "follow" the reference's new no would compare unlike
    groups. The parties (``exclude``) are in neither group. For each ``after`` vote: how many followers and
    others (present on that vote) cast the reference's vote, the shares with Wilson 95% intervals, and Fisher's
    exact test of the difference; ``counterpart's camp: n`` says how many states were set aside as already with
    the counterpart. An absence counts as not following. A description, not a causal cue: followers and others
    differ in much else (:func:`cue_did` conditions on the prior position)."""
    from scipy.stats import fisher_exact
    from statsmodels.stats.proportion import proportion_confint

    ref, other = api.iso3_of(reference), api.iso3_of(counterpart)
    m = vote_table(list(before) + list(after))
    prior = m[list(before)]
    cast = prior.isin(CAST)

    def always_with(state: str) -> pd.Series:
        same = prior.eq(prior.loc[state]) & cast
        return (same.sum(axis=1) == cast.sum(axis=1)) & cast.any(axis=1)

    follower = always_with(ref)
    camp = always_with(other) & ~follower
    left_out = m.index.isin([ref, other, *exclude])
    rows = []
    for v in after:
        ref_vote = m.at[ref, v]
        present = m[v].isin(VOTE_ORDER) & cast.any(axis=1) & ~left_out
        d = m[present & ~camp]
        f = follower[present & ~camp]
        followed = d[v].eq(ref_vote)
        row = {"vote": v, "reference vote": ref_vote}
        counts = {}
        for name, mask in (("followers", f), ("others", ~f)):
            k, n = int(followed[mask].sum()), int(mask.sum())
            lo, hi = proportion_confint(k, n, method="wilson") if n else (np.nan, np.nan)
            row.update({f"{name}: n": n, f"{name}: with {ref}": k, f"{name}: share": k / n if n else np.nan,
                        f"{name}: 95% CI": f"{lo:.0%} to {hi:.0%}" if n else ""})
            counts[name] = (k, n - k)
        row[f"{other}'s camp: n"] = int((present & camp).sum())
        row["Fisher p"] = fisher_exact([counts["followers"], counts["others"]])[1]
        rows.append(row)
    return pd.DataFrame(rows)


def cue_headline(reference: str, table: pd.DataFrame, did: pd.DataFrame | None = None) -> str:
    """The US-cue test in two or three sentences (Markdown), from :func:`cue_test`'s table (on the first vote
    where the reference voted no, how many followers and others voted with it) and, if given, the verdict of
    the difference-in-differences (:func:`cue_did`)."""
    ref = api.iso3_of(reference)
    name = api.load_countries().set_index("iso3").at[ref, "display_name"]
    turned = table[table["reference vote"] == "no"]
    row = (turned if len(turned) else table).iloc[0]
    share = lambda who: (f"{row[f'{who}: with {ref}']} of {row[f'{who}: n']} "  # noqa: E731
                         f"({row[f'{who}: share']:.0%}, 95% CI {row[f'{who}: 95% CI']})")
    votes = "; ".join(f"{v} {r}" for v, r in zip(table["vote"], table["reference vote"]))
    camp = next((c for c in table.columns if c.endswith("'s camp: n")), None)
    set_aside = (f" (the parties and the {int(row[camp])} states that had voted with "
                 f"{camp.split(chr(39))[0]} on every one of those votes left out)") if camp else ""
    text = (f"In 2025 the reference state, {name}, voted: {votes}. Of the states that had voted with it on every "
            f"emergency-session vote of 2022-2023 they cast, {share('followers')} voted with it on {row['vote']}, "
            f"against {share('others')} of the other states{set_aside} (Fisher's exact p = {row['Fisher p']:.2g}): "
            + _cue_reading(row, ref) + " (a description: the two groups differ in much else).")
    if did is not None:
        text += " " + cue_did_sentence(did)
    return text


def _cue_reading(row: pd.Series, ref: str) -> str:
    if row["Fisher p"] >= 0.05:
        return "no clear difference between the two groups"
    more = row["followers: share"] > row["others: share"]
    return f"the states that had voted with it were {'more' if more else 'less'} likely than the others to vote with it"


#: The pairs of the difference-in-differences of the US reversal: (before, after) on the same kind of text; the
#: placebo pair is one where the United States voted yes on both (ES-11/9, the return of Ukrainian children).
CUE_PAIRS = (("A/RES/ES-11/6", "A/RES/ES-11/7"), ("A/RES/77/284", "A/RES/79/284"))
CUE_PLACEBO = (("A/RES/ES-11/6", "A/RES/ES-11/9"),)


def cue_did_frame(reference: str = "USA", counterpart: str = "RUS", pairs=CUE_PAIRS, placebo=CUE_PLACEBO,
                  exclude: tuple[str, ...] = PARTIES) -> pd.DataFrame:
    """The rows of :func:`cue_did`: one per (state, pair) of a state that voted yes on the pair's first vote
    and cast a vote on its second, the parties left out. Columns: iso3, name, un_group, pair, placebo (the
    reference voted the same on both votes), moved (the second vote not yes), to_no (the second vote no) and
    intensity (pre-war agreement with the reference minus agreement with the counterpart, shares of the
    2019-2022 roll calls, ``countries.agree_*_prewar``)."""
    ref, other = api.iso3_of(reference), api.iso3_of(counterpart)
    countries = api.load_countries().set_index("iso3")
    columns = {ref: "agree_usa_prewar", other: "agree_rus_prewar"}
    for state, column in columns.items():
        if column not in countries or not column.endswith(f"{state.lower()[:3]}_prewar"):
            raise UnvotesError(f"no pre-war agreement column for {state}: the intensity is defined for the "
                               "United States (reference) net of Russia (counterpart) only")
    intensity = countries["agree_usa_prewar"] - countries["agree_rus_prewar"]
    frames = []
    for is_placebo, chosen in ((False, pairs), (True, placebo)):
        for before, after in chosen:
            m = vote_table([before, after])
            ref_votes = m.loc[ref]
            if is_placebo != (ref_votes[before] == ref_votes[after]):
                raise UnvotesError(f"{before} -> {after}: {ref} voted {ref_votes[before]} then {ref_votes[after]}; "
                                   f"a {'placebo' if is_placebo else 'reversal'} pair needs "
                                   f"{'the same vote' if is_placebo else 'a change'}")
            d = m[(m[before] == "yes") & m[after].isin(CAST) & ~m.index.isin([ref, other, *exclude])]
            frames.append(pd.DataFrame({"iso3": d.index, "pair": f"{_short(before)} → {_short(after)}",
                                        "placebo": is_placebo, "moved": (d[after] != "yes").astype(int).values,
                                        "to_no": (d[after] == "no").astype(int).values}))
    out = pd.concat(frames, ignore_index=True)
    out["intensity"] = out["iso3"].map(intensity)
    out = api.names_and_groups(out["iso3"]).reset_index().join(out.drop(columns="iso3"))
    return out.dropna(subset=["intensity"]).reset_index(drop=True)


def cue_did(reference: str = "USA", counterpart: str = "RUS", pairs=CUE_PAIRS, placebo=CUE_PLACEBO) -> pd.DataFrame:
    """The United States' reversal as a difference-in-differences with a continuous intensity.

    Each pair is a text voted before and after the reversal (ES-11/6 -> ES-11/7, 77/284 -> 79/284). Conditional
    on the prior position (states that voted yes on the first text, so every state starts from the same
    outcome and the change is the second vote itself), a linear probability model of moving off yes on the
    second text on the intensity of the state's tie to the reference (pre-war agreement with the US minus
    agreement with Russia), with a fixed effect per pair and standard errors clustered by state. With the
    outcome 0 for everyone before, the intensity slope is the difference-in-differences of a state-by-period
    panel with state and period effects. The placebo pair (ES-11/6 -> ES-11/9, the US voting yes on both)
    says how much the slope owes to drift unrelated to the reversal; ``reversal minus placebo`` is the
    design's estimate. Rows: for each outcome (moved off yes; voted no), the slope on the reversal pairs, on
    the placebo and their difference, per 0.1 of intensity (ten points of agreement), in percentage points,
    with 95% CI and p; states and rows behind each."""
    import statsmodels.formula.api as smf

    d = cue_did_frame(reference, counterpart, pairs, placebo)
    d = d.assign(reversal=(~d["placebo"]).astype(float), x=d["intensity"] * 10)  # per 0.1 of intensity
    groups = pd.factorize(d["iso3"])[0]
    rows = []
    for outcome, what in (("moved", "moved off yes"), ("to_no", "voted no")):
        fit = smf.ols(f"{outcome} ~ C(pair) + x:reversal + x:placebo", data=d.assign(placebo=d["placebo"].astype(float))
                      ).fit(cov_type="cluster", cov_kwds={"groups": groups})
        for term, label, sub in (("x:reversal", "the reversal pairs", d[~d["placebo"]]),
                                 ("x:placebo", "the placebo pair", d[d["placebo"]]),
                                 (None, "reversal minus placebo", d)):
            if term is None:
                test = fit.t_test("x:reversal - x:placebo")
                est, se, p = float(test.effect[0]), float(test.sd[0][0]), float(test.pvalue)
            else:
                est, se, p = float(fit.params[term]), float(fit.bse[term]), float(fit.pvalues[term])
            rows.append({"outcome": what, "slope on": label, "per": "+0.1 agreement with the US net of Russia",
                         "pp": est * 100, "ci_low": (est - 1.96 * se) * 100, "ci_high": (est + 1.96 * se) * 100,
                         "p": p, "rows": len(sub), "states": sub["iso3"].nunique(),
                         "share moved": sub[outcome].mean()})
    return pd.DataFrame(rows)


def cue_did_sentence(did: pd.DataFrame) -> str:
    """The difference-in-differences in one or two sentences, the verdict by the report's rule (p < 0.05),
    reading the slope on the reversal pairs and its difference from the placebo together: a cue is shown only
    if both point the same way."""
    def row(label):
        return did[(did["outcome"] == "moved off yes") & (did["slope on"] == label)].iloc[0]

    t, pl, r = row("the reversal pairs"), row("the placebo pair"), row("reversal minus placebo")
    fmt = lambda x: f"{x['pp']:+.1f} pp (95% CI {x['ci_low']:+.1f} to {x['ci_high']:+.1f}; p = {x['p']:.2g})"  # noqa: E731
    sign = lambda x: 0 if x["p"] >= 0.05 else (1 if x["pp"] > 0 else -1)  # noqa: E731
    if sign(t) == sign(r) == 1:
        verdict = "states tied more closely to the United States were more likely to follow its reversal"
    elif sign(t) == sign(r) == 0:
        verdict = "no clear sign that states tied more closely to the United States followed its reversal"
    elif sign(t) <= 0 <= sign(r):
        verdict = (f"states tied more closely to the United States moved off yes {'less' if sign(t) < 0 else 'no more'} "
                   "than the others after its reversal, not more; the positive difference comes from the placebo "
                   "text, on which the gradient was steeper still, so the design gives no clear evidence that they "
                   "followed the United States")
    else:
        verdict = "the slope and its difference from the placebo disagree: no clear reading"
    return (f"Among the states that had voted yes on the earlier text (parties left out), each ten points of pre-war "
            f"agreement with the US net of Russia went with a change of {fmt(t)} in the probability of moving off yes "
            f"after the reversal ({int(t['rows'])} state-pairs), against {fmt(pl)} on the placebo text where the US "
            f"did not reverse ({int(pl['rows'])} states); the difference-in-differences is {fmt(r)}: {verdict} "
            "(linear probability models with standard errors clustered by state; associations conditional on the "
            "prior vote).")


# ---------------------------------------------------------------- two bodies side by side


def council_beside_assembly(sc_vote_id: str, ga_vote_ids: list[str]) -> pd.DataFrame:
    """The states on a Security Council roll call (rows) with their Council vote and their known votes
    on ``ga_vote_ids`` ("unknown" on partial GA roll calls), names in the first column."""
    rc = api.roll_call(sc_vote_id)
    if rc["body"] != "SC":
        raise UnvotesError(f"{sc_vote_id} is a {rc['body']} roll call, not a Security Council one; Security "
                           f"Council roll calls in the data: {security_council_ids() or 'none'}")
    m = known_matrix([sc_vote_id] + list(ga_vote_ids))
    m = m[m[sc_vote_id].notna()].fillna("not a member")
    names = api.load_countries().set_index("iso3")["name"]
    m.insert(0, "name", m.index.map(names))
    m.index.name = "iso3"
    order = m[sc_vote_id].map(SUPPORT_RANK).fillna(9)
    return m.assign(_o=order).sort_values(["_o", "name"]).drop(columns="_o")


def council_vs_assembly(sc_vote_id: str, ga_vote_ids: list[str]) -> pd.DataFrame:
    """Council members counted by their Council vote (rows, within each General Assembly vote) and their
    vote on that Assembly vote (columns, "unknown" where a partial roll call does not list them)."""
    side = council_beside_assembly(sc_vote_id, ga_vote_ids)
    cols = VOTE_ORDER + [UNKNOWN, "not a member"]
    frames = []
    for vote_id in ga_vote_ids:
        t = pd.crosstab(pd.Categorical(side[sc_vote_id], VOTE_ORDER), pd.Categorical(side[vote_id], cols), dropna=False)
        t.index = pd.MultiIndex.from_product([[vote_id], t.index.astype(str)],
                                             names=["Assembly vote", f"Council vote on {sc_vote_id}"])
        t.columns = t.columns.astype(str)
        frames.append(t)
    out = pd.concat(frames)
    out = out.loc[out.sum(axis=1) > 0, out.sum(axis=0) > 0]
    out.columns.name = "vote in the Assembly"
    return out


def breakdown(states: list[str], vote_id: str) -> str:
    """One line: how ``states`` voted on ``vote_id``, e.g. "2 no (Russia, ...); 1 abstain (China); 12 unknown"."""
    m = known_matrix([vote_id]).reindex([api.iso3_of(s) for s in states])[vote_id].fillna("not a member")
    names = display_names()
    parts = []
    for vote in VOTE_ORDER + [UNKNOWN, "not a member"]:
        who = sorted(names.get(s, s) for s in m.index[m == vote])
        if who:
            parts.append(f"{len(who)} {vote}" + (f" ({', '.join(who)})" if vote != UNKNOWN or len(who) <= 5 else ""))
    return "; ".join(parts)


def security_council_ids() -> list[str]:
    rc = api.load_roll_calls()
    return rc.loc[rc["body"] == "SC", "vote_id"].astype(str).tolist()


# ---------------------------------------------------------------- a grid of votes


def display_names() -> pd.Series:
    """ISO3 -> short display name ("North Korea", "United Kingdom"); the UN short name where none is set."""
    c = api.load_countries().set_index("iso3")
    return c["display_name"].fillna(c["name"]) if "display_name" in c.columns else c["name"]


def plot_vote_grid(matrix: pd.DataFrame, ax=None, title: str = "", column_labels: list[str] | None = None,
                   divider_after: int | None = None, xlabel: str = "Vote", ylabel: str = "State",
                   source: str | None = None):
    """Draw a states (ISO3 index) x votes matrix of vote strings as coloured squares: one colour per vote, a
    white square with "?" for a vote that a partial roll call does not record, nothing where the state was not
    a member; a vertical rule after column ``divider_after`` if given; the source line under the figure
    (default: the data sources of the matrix's roll calls)."""
    from matplotlib.lines import Line2D

    nrows, ncols = matrix.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.62 * ncols + 3), max(2.5, 0.36 * nrows + 1.6)))
    for j, col in enumerate(matrix.columns):
        for i, value in enumerate(matrix[col]):
            if value in VOTE_ORDER:
                ax.scatter(j, i, s=150, marker="s", color=plotting.VOTE_COLORS[value], edgecolor="white")
            elif value == UNKNOWN:
                ax.scatter(j, i, s=150, marker="s", facecolor="white", edgecolor="#777777", linewidth=0.8)
                ax.text(j, i, "?", ha="center", va="center", fontsize=7, color="#555555")
    ax.set_xticks(range(ncols))
    ax.set_xticklabels(column_labels or [str(c) for c in matrix.columns], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(nrows))
    names = display_names()
    ax.set_yticklabels([names.get(s, s) for s in matrix.index], fontsize=8)
    if divider_after is not None:
        ax.axvline(divider_after + 0.5, color="#444444", linewidth=0.8, linestyle=":")
    ax.set_xlim(-0.6, ncols - 0.4)
    ax.set_ylim(nrows - 0.5, -0.5)
    ax.grid(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker="s", linestyle="", markersize=9, color=plotting.VOTE_COLORS[v], label=v)
               for v in VOTE_ORDER]
    handles.append(Line2D([], [], marker="s", linestyle="", markersize=9, markerfacecolor="white",
                          markeredgecolor="#777777", label="unknown (partial roll call)"))
    ax.legend(handles=handles, ncol=5, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    if title:
        ax.set_title(title, pad=26)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.tight_layout()  # keep the rotated labels inside the figure, above the source line
    plotting.add_source(ax.figure, source or plotting.vote_data_source(list(matrix.columns)))
    return ax


# ---------------------------------------------------------------- every Council vote


def council_record(vote_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per catalogued Security Council vote (date order): date, label, outcome, the computed
    yes-no-abstain, how many members' votes the curated roll call infers (from published totals and named
    votes, rather than reading them in a source), the General Assembly vote the catalogue pairs it with
    (``compare_with``) and how the Council's members voted on that Assembly vote."""
    cat = catalogue.load()
    sc = cat[cat["vote_id"].str.startswith("S/") & cat["available"]]
    if vote_ids is not None:
        sc = sc[sc["vote_id"].isin(vote_ids)]
    inferred = curated_votes.inferred_votes()
    rows = []
    for r in sc.itertuples(index=False):
        t = api.recorded_counts(r.vote_id)
        members = api.votes_on(r.vote_id)["iso3"].tolist()
        paired = r.compare_with or ""
        rows.append({"vote_id": r.vote_id, "date": r.date, "label": r.label, "outcome": r.outcome,
                     "yes-no-abstain": f"{t['yes']}-{t['no']}-{t['abstain']}",
                     "members' votes inferred": int(inferred.get(r.vote_id, 0)) if r.data_source == "curated" else 0,
                     "Assembly vote": paired,
                     "Council members in the Assembly": breakdown(members, paired) if paired else ""})
    return pd.DataFrame(rows)


def council_grid(vote_ids: list[str] | None = None) -> pd.DataFrame:
    """States that sat on the Council for any of ``vote_ids`` (default: every catalogued Council vote in the
    data) x those votes; empty where the state was not on the Council. Permanent members first, then the
    others by how often they voted yes."""
    ids = vote_ids or catalogue.ids(body="SC")
    m = vote_table(ids)
    permanent = set(membership.council().loc[lambda c: c["permanent"], "iso3"])
    order = pd.DataFrame({"perm": ~m.index.isin(permanent),
                          "support": m.apply(lambda row: row.map(SUPPORT_RANK).mean(), axis=1)}, index=m.index)
    return m.loc[order.sort_values(["perm", "support"]).index]


# Former name (DeprecationWarning; removed in 1.0.0): unvotes.analyses.alignment.vote_matrix is a different, numeric matrix.
from unvotes.deprecated import renamed  # noqa: E402

vote_matrix = renamed(vote_table, "unvotes.analyses.shifts.vote_matrix")
