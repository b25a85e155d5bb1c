"""Published totals of the catalogued votes, cited, also where the vote source publishes none.

``data/external/published_totals.csv``: one row per (vote, source that reports its totals):
vote_id, yes, no, abstain, source (citation with the quoted figures), note. Where reports disagree, each
has its own row, so the disagreement is kept and reported rather than settled by choosing one.

:func:`check` compares every row with the totals computed from the country votes (on complete roll calls)
and with the totals the vote source itself publishes; each mismatch is a data-quality finding. The data are
never patched to match: a finding names the vote, both counts and the row's note (e.g. which state's vote is
probably missing, A/RES/71/205).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from unvotes import ids, paths
from unvotes.errors import UnvotesError
from unvotes.tables.external import read_curated
from unvotes.quality import finding

TOTALS_FILE = "published_totals.csv"
COLUMNS = ["vote_id", "yes", "no", "abstain", "source", "note"]
SOURCE = "curated"
CATEGORIES = ("yes", "no", "abstain")


def load() -> pd.DataFrame:
    """The table with integer totals; an error names the line and value of any bad row. Read again whenever the
    file changes (a long session sees an edit: the cache is keyed on the file's path and modification time)."""
    path = paths.external_dir() / TOTALS_FILE
    stat = path.stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size).copy()


def _cache_clear() -> None:
    _load.cache_clear()


load.cache_clear = _cache_clear  # the tests' way to forget the table, as with every cached loader


@lru_cache(maxsize=2)
def _load(_path: str, _mtime_ns: int, _size: int) -> pd.DataFrame:
    df = read_curated(TOTALS_FILE, COLUMNS)
    problems = []
    for i, r in df.iterrows():
        at = f"line {i + 2} ({r['vote_id'] or 'no vote_id'})"
        try:
            if ids.normalize_symbol(r["vote_id"]) != r["vote_id"]:
                problems.append(f"{at}: write the symbol as {ids.normalize_symbol(r['vote_id'])!r}")
        except ValueError:
            problems.append(f"{at}: {r['vote_id']!r} is not a vote symbol")
        for c in CATEGORIES:
            if not r[c].isdigit():
                problems.append(f"{at}: {c} {r[c]!r} is not a whole number")
        if len(r["source"].strip()) < 10:
            problems.append(f"{at}: no source citation")
    if problems:
        raise UnvotesError(f"{paths.external_dir() / TOTALS_FILE}: " + "; ".join(problems[:10]) + ". Fix the rows named.")
    return df.astype({c: int for c in CATEGORIES})


def _fmt(t) -> str:
    return "-".join(str(int(x)) for x in t)


def check(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> list[dict]:
    """Findings comparing the cited published totals with the computed and source-published ones."""
    table = load()
    rc = roll_calls.set_index("vote_id")
    listed = votes[votes["vote_id"].isin(table["vote_id"])]
    computed = (listed.groupby([listed["vote_id"].astype(str), listed["vote"].astype(str)]).size()
                .unstack(fill_value=0).reindex(columns=list(CATEGORIES), fill_value=0))
    out = []
    for i, r in table.iterrows():
        ref = f"{TOTALS_FILE}:{i + 2}"
        cited = (r["yes"], r["no"], r["abstain"])
        note = f" {r['note']}" if r["note"] else ""
        if r["vote_id"] not in rc.index:
            out.append(finding(SOURCE, "published_totals", f"{r['vote_id']} has cited totals {_fmt(cited)} but no roll "
                               "call in the data", vote_id=r["vote_id"], source_ref=ref, severity="info"))
            continue
        row = rc.loc[r["vote_id"]]
        own = tuple(row[c] for c in CATEGORIES)
        if not any(pd.isna(x) for x in own) and own != cited:
            out.append(finding(SOURCE, "published_totals", f"cited totals {_fmt(cited)} ({r['source'][:120]}...) differ "
                               f"from the {_fmt(own)} that {row['source']} publishes.{note}", vote_id=r["vote_id"],
                               source_ref=ref, published=_fmt(cited), listed=_fmt(own)))
        if row["complete"] and r["vote_id"] in computed.index:
            got = tuple(int(computed.at[r["vote_id"], c]) for c in CATEGORIES)
            # reported once: against the source's totals where it has them, else against the computed counts
            has_own = not any(pd.isna(x) for x in own)
            if got != cited and (not has_own or got != tuple(int(x) for x in own)):
                out.append(finding(SOURCE, "published_totals", f"cited totals {_fmt(cited)} ({r['source'][:120]}...), "
                                   f"computed {_fmt(got)} from the {row['source']} country votes; the data are kept "
                                   f"as published.{note}", vote_id=r["vote_id"], source_ref=ref,
                                   published=_fmt(cited), listed=_fmt(got)))
    return out


def best() -> pd.DataFrame:
    """One row of cited totals per vote: the first listed (the file lists the report the others agree with
    first, a UN press release where there is one): vote_id, yes, no, abstain, source."""
    return load().drop_duplicates("vote_id")[["vote_id", *CATEGORIES, "source"]].reset_index(drop=True)
