"""The catalogue of Ukraine-related votes (``data/external/ukraine_votes.csv``), joined with what the data hold.

Each catalogued vote has a short label, a theme, the vote it is best compared with and a citation. Some
catalogued votes have no country-level roll call in the mirrored sources (A/RES/ES-11/7 to ES-11/9,
S/RES/2774); ``load()`` marks them ``available=False`` so every report section can say so where the vote
would appear, and they become available by themselves once the official UN Digital Library files are
installed (``python -m unvotes add-official FILE``) and the tables rebuilt.
"""

from __future__ import annotations

import difflib

import pandas as pd

from . import api
from .errors import UnknownVoteError, UnvotesError
from .external import read_curated

CATALOGUE_FILE = "ukraine_votes.csv"
COLUMNS = ["vote_id", "label", "theme", "date", "compare_with", "source"]


def curated() -> pd.DataFrame:
    """The catalogue file as written (text columns; ``date`` parsed, NaT where unverified)."""
    df = read_curated(CATALOGUE_FILE, COLUMNS)
    problems = []
    if df["vote_id"].duplicated().any():
        problems.append(f"duplicate vote ids {sorted(df.loc[df['vote_id'].duplicated(), 'vote_id'])}")
    unknown_compare = set(df["compare_with"]) - set(df["vote_id"]) - {""}
    if unknown_compare:
        problems.append(f"compare_with names votes not in the catalogue: {sorted(unknown_compare)}")
    for column in ("label", "theme", "source"):
        empty = df.loc[df[column] == "", "vote_id"].tolist()
        if empty:
            problems.append(f"empty {column} for {empty}")
    if problems:
        raise UnvotesError(f"data/external/{CATALOGUE_FILE}: " + "; ".join(problems) + ". Fix the file.")
    return df.assign(date=pd.to_datetime(df["date"].replace("", None), format="%Y-%m-%d"))


def load() -> pd.DataFrame:
    """The catalogue with what the processed data hold for each vote.

    Added columns: ``available`` (a roll call with country votes is in votes.parquet), ``complete``
    (country votes recorded for every member, i.e. not a partial roll call), ``n_states`` (country rows),
    the published ``yes``/``no``/``abstain`` totals and the data ``data_source``. Sorted by date.
    """
    cat = curated()
    rc = api.load_roll_calls().set_index("vote_id")
    votes = api.load_votes()
    n_states = votes[votes["vote_id"].isin(cat["vote_id"])].groupby("vote_id", observed=True).size()
    out = cat.copy()
    out["n_states"] = out["vote_id"].map(n_states).fillna(0).astype(int)
    out["available"] = out["vote_id"].isin(rc.index) & (out["n_states"] > 0)
    # Curated partial roll calls (a few states' votes known from the press) carry complete=False.
    out["complete"] = out["vote_id"].map(rc["complete"]).eq(True) & out["available"]
    for col in ("yes", "no", "abstain"):
        out[col] = out["vote_id"].map(rc[col]).astype("Int64")
    out["data_source"] = out["vote_id"].map(rc["source"]).fillna("")
    out["date"] = out["date"].fillna(out["vote_id"].map(rc["date"]))
    return out.sort_values(["date", "vote_id"], na_position="last").reset_index(drop=True)


def ids(available_only: bool = True, themes: list[str] | None = None, body: str | None = None) -> list[str]:
    """Catalogued vote ids in date order; by default only those with country-level votes in the data."""
    cat = load()
    if available_only:
        cat = cat[cat["available"]]
    if themes is not None:
        unknown = set(themes) - set(curated()["theme"])
        if unknown:
            raise UnvotesError(f"unknown theme(s) {sorted(unknown)}; choose from {sorted(set(curated()['theme']))}")
        cat = cat[cat["theme"].isin(themes)]
    if body is not None:
        cat = cat[cat["vote_id"].str.startswith("S/" if body == "SC" else "A/")]
    return cat["vote_id"].tolist()


def missing() -> pd.DataFrame:
    """Catalogued votes without country-level roll calls in the processed data (with their citations)."""
    cat = load()
    return cat.loc[~cat["available"], ["vote_id", "label", "date", "source"]].reset_index(drop=True)


def entry(vote_id: str) -> pd.Series:
    """The catalogue row of ``vote_id``; an id not in the catalogue is an error naming close matches."""
    cat = load().set_index("vote_id")
    if vote_id not in cat.index:
        close = difflib.get_close_matches(str(vote_id), cat.index.tolist(), n=5, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownVoteError(f"{vote_id!r} is not in data/external/{CATALOGUE_FILE}.{hint} "
                               f"Catalogued votes: {', '.join(cat.index)}")
    return cat.loc[vote_id]


def check_available(vote_ids: list[str]) -> None:
    """Raise a clear error for any id that is not catalogued or has no country-level votes in the data."""
    for vote_id in vote_ids:
        row = entry(vote_id)
        if not row["available"]:
            raise UnknownVoteError(
                f"{vote_id} ({row['label']}) is catalogued but its country-level roll call is not in the "
                "processed data (it is only in the official UN Digital Library file; install it with "
                f"`python -m unvotes add-official FILE`). Votes available: {', '.join(ids())}")

