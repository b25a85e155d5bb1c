"""Members without a vote in the General Assembly (Article 19 of the Charter: arrears), so that an absence
that was not a choice can be told from one that was.

``data/external/vote_rights.csv``, one row per spell, each cited:

- ``basis``: ``article19`` (the state had lost its vote) or ``article19_exempted`` (in arrears, but the
  Assembly allowed it to vote: documented, not used to mark absences);
- ``valid_from``: the first date known (the Secretary-General's letter listing it, or a stated placeholder);
- ``valid_to``: the date its vote was restored, where a source gives it; empty when unknown;
  ``valid_to_is``: ``exact``, or ``upper_bound`` where it is the date of an announcement (the vote may
  have come back earlier);
- ``attested_until``: the last date a cited source still shows it without a vote (at least ``valid_from``).

A member's absence from a GA vote on date *d* is marked in ``votes.absent_reason``:

- ``no_vote_right`` when ``valid_from <= d`` and *d* is on or before ``attested_until``, or before an exact
  ``valid_to``;
- ``no_vote_right_unconfirmed`` when *d* falls after ``attested_until`` and before an upper-bound
  ``valid_to``, or, where ``valid_to`` is unknown, in the same calendar year (the Secretary-General lists the states in arrears each January; a state may have
  paid in between), unless the state is recorded voting yes, no or abstain on an Assembly roll call after
  ``attested_until`` and by *d*: then it had its vote back.

A state recorded as voting yes, no or abstain inside a confirmed spell is a finding: the spell or the roll
call is wrong. Years without a list found (2019; most of 2026) are gaps stated in the README, not filled.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from unvotes.tables import membership
from unvotes import paths
from unvotes.errors import UnvotesError
from unvotes.tables.external import read_curated
from unvotes.quality import finding

RIGHTS_FILE = "vote_rights.csv"
COLUMNS = ["iso3", "name", "basis", "valid_from", "valid_to", "valid_to_is", "attested_until", "source", "note"]
VALID_TO_KINDS = ("exact", "upper_bound")
BASES = ("article19", "article19_exempted")
NO_VOTE_RIGHT, UNCONFIRMED = "no_vote_right", "no_vote_right_unconfirmed"
REASONS = (NO_VOTE_RIGHT, UNCONFIRMED)


@lru_cache(maxsize=1)
def spells() -> pd.DataFrame:
    """The cited spells, dates parsed; an error names every bad line and value."""
    df = read_curated(RIGHTS_FILE, COLUMNS)
    problems = []
    parsed = {}
    for col in ("valid_from", "valid_to", "attested_until"):
        parsed[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d", errors="coerce")
        bad = parsed[col].isna() & (df[col] != "")
        problems += [f"line {i + 2}: {col} {df.at[i, col]!r} is not YYYY-MM-DD" for i in df.index[bad]]
    for col in ("valid_from", "attested_until"):
        problems += [f"line {i + 2}: {col} is empty" for i in df.index[df[col] == ""]]
    problems += [f"line {i + 2}: basis {df.at[i, 'basis']!r}; use one of {', '.join(BASES)}"
                 for i in df.index[~df["basis"].isin(BASES)]]
    kind_ok = (df["valid_to"] == "") == (df["valid_to_is"] == "")
    kind_ok &= df["valid_to_is"].isin(("",) + VALID_TO_KINDS)
    problems += [f"line {i + 2}: valid_to_is {df.at[i, 'valid_to_is']!r}; with a valid_to use exact or upper_bound "
                 "(a date of announcement: the vote may have come back earlier), without one leave it empty"
                 for i in df.index[~kind_ok]]
    problems += [f"line {i + 2}: {df.at[i, 'iso3']!r} is not a code of data/external/{membership.MEMBERSHIP_FILE}"
                 for i in df.index[~df["iso3"].isin(membership.known_codes())]]
    problems += [f"line {i + 2}: no source citation" for i in df.index[df["source"].str.len() < 10]]
    out = df.assign(**parsed)
    order = out["attested_until"] < out["valid_from"]
    order |= out["valid_to"].notna() & (out["valid_to"] <= out["valid_from"])
    problems += [f"line {i + 2}: dates out of order (valid_from <= attested_until, valid_from < valid_to)"
                 for i in df.index[order]]
    if problems:
        raise UnvotesError(f"{paths.external_dir() / RIGHTS_FILE}: " + "; ".join(problems[:10])
                           + ". Fix the rows named.")
    return out


def reasons(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """(vote_id, iso3, reason) for every GA roll call and state inside a spell without a vote."""
    lost = spells()
    lost = lost[lost["basis"] == "article19"]
    ga = roll_calls.loc[roll_calls["body"] == "GA", ["vote_id", "date"]]
    pairs = ga.merge(lost[["iso3", "valid_from", "valid_to", "valid_to_is", "attested_until"]], how="cross")
    d = pairs["date"]
    started = pairs["valid_from"] <= d
    exact_end = pairs["valid_to_is"] == "exact"
    bounded = pairs["valid_to_is"] == "upper_bound"
    open_end = pairs["valid_to"].isna()
    attested = started & (d <= pairs["attested_until"])
    confirmed = attested | (started & exact_end & (d < pairs["valid_to"]))
    unconfirmed = started & ~confirmed & (
        (bounded & (d < pairs["valid_to"]))
        | (open_end & (d.dt.year == pairs["attested_until"].dt.year)))
    pairs["reason"] = None
    pairs.loc[unconfirmed, "reason"] = UNCONFIRMED
    pairs.loc[confirmed, "reason"] = NO_VOTE_RIGHT
    out = pairs.dropna(subset=["reason"])
    # overlapping spells: a confirmed one wins
    out = out.sort_values("reason").drop_duplicates(["vote_id", "iso3"], keep="first")
    return out[["vote_id", "iso3", "reason", "date", "attested_until"]].reset_index(drop=True)


def _drop_disproved(r: pd.DataFrame, roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """An unconfirmed spell ends, for the data, at the state's first recorded vote after its last attestation:
    a state that voted yes, no or abstain on an Assembly roll call had its vote back."""
    unconfirmed = r[r["reason"] == UNCONFIRMED]
    if unconfirmed.empty:
        return r
    ga = roll_calls.loc[roll_calls["body"] == "GA", ["vote_id", "date"]]
    cast = votes[votes["iso3"].isin(unconfirmed["iso3"]) & votes["vote"].isin(["yes", "no", "abstain"])]
    cast = cast[["vote_id", "iso3"]].astype(str).merge(ga.astype({"vote_id": str}), on="vote_id")
    # for each spell-and-vote row, the state's first vote cast after the last attestation (an as-of join:
    # pairing every row with every vote the state ever cast took most of the build's time)
    first_cast = pd.merge_asof(
        unconfirmed.reset_index().sort_values("attested_until"),
        cast[["iso3", "date"]].rename(columns={"date": "cast_on"}).sort_values("cast_on"),
        left_on="attested_until", right_on="cast_on", by="iso3", direction="forward", allow_exact_matches=False)
    voted_since = first_cast[first_cast["cast_on"].notna() & (first_cast["cast_on"] <= first_cast["date"])]
    return r.drop(index=voted_since["index"].unique())


def mark(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> tuple[pd.Series, list[dict]]:
    """``absent_reason`` for each row of ``votes`` (None where there is none), and findings for states that
    are recorded voting while a confirmed spell says they could not."""
    r = _drop_disproved(reasons(roll_calls), roll_calls, votes)
    near = votes[votes["vote_id"].isin(r["vote_id"])]  # only roll calls some spell touches
    keyed = near[["vote_id", "iso3", "vote"]].astype(str).reset_index().merge(r, on=["vote_id", "iso3"], how="inner")
    keyed = keyed.set_index("index")
    voted = keyed["reason"].eq(NO_VOTE_RIGHT) & keyed["vote"].isin(["yes", "no", "abstain"])
    findings = []
    src = roll_calls.set_index("vote_id")
    for (iso3,), grp in keyed[voted].groupby(["iso3"]):
        first = grp["vote_id"].iloc[0]
        findings.append(finding(
            src.at[first, "source"], "vote_without_vote_right",
            f"{iso3} is recorded voting on {len(grp)} roll call(s) ({', '.join(grp['vote_id'].head(5))}) while "
            f"data/external/{RIGHTS_FILE} says it had lost its vote under Article 19; either it had regained it "
            "(the spell's end is wrong) or the roll call is wrong", vote_id=first,
            source_ref=str(src.at[first, "source_ref"])))
    reason = keyed["reason"].where(keyed["vote"] == "absent").reindex(votes.index)
    return reason, findings
