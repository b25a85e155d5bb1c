"""UN membership by date, from the hand-curated ``data/external/un_membership.csv`` (one row per spell).

Columns: iso3, name, admitted (first day a member), left (first day no longer a member; empty while
still a member), note, source. A state is a member on date d when ``admitted <= d < left``.

Needed to tell ``absent`` (a member that cast no vote) from a non-member (no row at all).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from unvotes import paths
from unvotes.errors import DataFileError
from unvotes.tables.external import read_curated

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
            raise DataFileError(f"{path}: column {col!r} has invalid dates on line(s) {rows}; use YYYY-MM-DD")
        df[col] = parsed
    # a spell that ends before it starts, or two spells of one state that overlap, would silently change votes
    problems = [f"line {i + 2} ({df.at[i, 'iso3']}): left {df.at[i, 'left']:%Y-%m-%d} is not after admitted "
                f"{df.at[i, 'admitted']:%Y-%m-%d}" for i in df.index[df["left"].notna() & (df["left"] <= df["admitted"])]]
    for iso3, grp in df[df["iso3"].duplicated(keep=False)].sort_values("admitted").groupby("iso3"):
        ends = grp["left"].fillna(pd.Timestamp.max)
        overlap = grp.index[1:][grp["admitted"].iloc[1:].to_numpy() < ends.iloc[:-1].to_numpy()]
        problems += [f"line {i + 2} ({iso3}): this spell overlaps another spell of {iso3}" for i in overlap]
    if problems:
        raise DataFileError(f"{path}: " + "; ".join(problems[:10]) + ". Fix the dates (YYYY-MM-DD, with their source).")
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


# ---------------------------------------------------------------- the Security Council

COUNCIL_FILE = "sc_membership.csv"
COUNCIL_COLUMNS = ["year", "iso3", "permanent", "source"]
COUNCIL_SEATS, PERMANENT_SEATS = 15, 5


@lru_cache(maxsize=1)
def council() -> pd.DataFrame:
    """The Security Council's members by calendar year (elected terms run 1 January - 31 December), from the
    cited ``data/external/sc_membership.csv``: year (int), iso3, permanent (bool), source. Checked on reading:
    15 members a year, 5 of them permanent, every code a UN member, every row cited."""
    path = paths.external_dir() / COUNCIL_FILE
    df = read_curated(COUNCIL_FILE, COUNCIL_COLUMNS)
    problems = []
    bad_year = ~df["year"].str.fullmatch(r"\d{4}")
    problems += [f"line {i + 2}: year {df.at[i, 'year']!r} is not a year" for i in df.index[bad_year]]
    bad_flag = ~df["permanent"].isin(["true", "false"])
    problems += [f"line {i + 2}: permanent {df.at[i, 'permanent']!r}; use true or false" for i in df.index[bad_flag]]
    unknown = ~df["iso3"].isin(known_codes())
    problems += [f"line {i + 2}: {df.at[i, 'iso3']!r} is not a code of data/external/{MEMBERSHIP_FILE}"
                 for i in df.index[unknown]]
    problems += [f"line {i + 2}: no source citation" for i in df.index[df["source"].str.strip() == ""]]
    if not problems:
        df = df.assign(year=df["year"].astype(int), permanent=df["permanent"] == "true")
        for year, grp in df.groupby("year"):
            if len(set(grp["iso3"])) != COUNCIL_SEATS or len(grp) != COUNCIL_SEATS or grp["permanent"].sum() != PERMANENT_SEATS:
                problems.append(f"{year}: {grp['iso3'].nunique()} distinct members ({grp['permanent'].sum()} permanent); "
                                f"a year has {COUNCIL_SEATS}, {PERMANENT_SEATS} of them permanent")
    if problems:
        raise DataFileError(f"{path}: " + "; ".join(problems[:10]) + ". Fix the rows named.")
    return df


def council_members(date: str | pd.Timestamp) -> set[str]:
    """ISO3 codes of the Security Council's 15 members on ``date``; an error for a year not curated."""
    year = pd.Timestamp(date).year
    members = council()
    got = set(members.loc[members["year"] == year, "iso3"])
    if not got:
        raise DataFileError(f"The Security Council's membership in {year} is not in data/external/{COUNCIL_FILE} "
                         f"(it covers {members['year'].min()}-{members['year'].max()}); add that year's 15 members with a citation.")
    return got


def council_pairs(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """(vote_id, iso3) for every Council member in the year of each roll call (columns vote_id, date)."""
    members = council()[["year", "iso3"]]
    pairs = roll_calls[["vote_id", "date"]].assign(year=roll_calls["date"].dt.year).merge(members, on="year")
    return pairs[["vote_id", "iso3"]].reset_index(drop=True)
