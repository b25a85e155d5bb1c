"""UN membership by date, from the hand-curated ``data/external/un_membership.csv`` (one row per spell).

Columns: iso3, name, admitted (first day a member), left (first day no longer a member; empty while
still a member), note, source. A state is a member on date d when ``admitted <= d < left``.

Needed to tell ``absent`` (a member that cast no vote) from a non-member (no row at all).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import paths
from .external import read_curated

MEMBERSHIP_FILE = "un_membership.csv"
COLUMNS = ["iso3", "name", "admitted", "left", "note", "source"]


@lru_cache(maxsize=1)
def spells() -> pd.DataFrame:
    """Membership spells: iso3, name, admitted, left (NaT while still a member), note, source."""
    path = paths.external_dir() / MEMBERSHIP_FILE
    df = read_curated(MEMBERSHIP_FILE, COLUMNS)
    for col in ("admitted", "left"):
        parsed = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & (df[col] != "")
        if bad.any() or (col == "admitted" and parsed.isna().any()):
            rows = [i + 2 for i in df.index[bad | (parsed.isna() if col == "admitted" else bad)]]
            raise ValueError(f"{path}: column {col!r} has invalid dates on line(s) {rows}; use YYYY-MM-DD")
        df[col] = parsed
    return df


def known_codes() -> frozenset[str]:
    return frozenset(spells()["iso3"])


def members_on(date: str | pd.Timestamp) -> set[str]:
    """ISO3 codes of the UN members on ``date`` (admitted on or before it, not yet left)."""
    d = pd.Timestamp(date)
    s = spells()
    return set(s.loc[(s["admitted"] <= d) & (s["left"].isna() | (s["left"] > d)), "iso3"])


def member_pairs(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """(vote_id, iso3) for every member of the UN on the date of each roll call (columns vote_id, date)."""
    s = spells()[["iso3", "admitted", "left"]]
    pairs = roll_calls[["vote_id", "date"]].merge(s, how="cross")
    keep = (pairs["admitted"] <= pairs["date"]) & (pairs["left"].isna() | (pairs["left"] > pairs["date"]))
    return pairs.loc[keep, ["vote_id", "iso3"]].drop_duplicates().reset_index(drop=True)


def state_names() -> pd.Series:
    """Short name of each ISO3 code (the latest spell's name)."""
    s = spells().sort_values("admitted")
    return s.drop_duplicates("iso3", keep="last").set_index("iso3")["name"]
