"""The catalogue of Ukraine-related votes (``data/external/ukraine_votes.csv``), joined with what the data hold.

Each catalogued vote has a short label, a theme, the vote it is best compared with and a citation: the General
Assembly's votes on Russia and Ukraine since 2014, related votes (Chornobyl), and the Security Council's votes
on Ukraine, failed drafts included (identified by their draft symbols). ``load()`` marks each ``available``
(country votes in the data) and ``complete`` (every member's vote known). A vote known only from a partial
press list is available but not complete: it gets a profile that says so and never enters shares or models
(the 24 February 2026 vote was one until its roll call was derived, :mod:`unvotes.sources.readers.derived`). A vote completes itself once a fuller record is added (``python -m unvotes add-vote
SYMBOL`` or the official UN Digital Library files) and the tables rebuilt.
"""

from __future__ import annotations

import difflib
import functools

import pandas as pd

from unvotes import api, paths
from unvotes.tables import published_totals
from unvotes.errors import NotCataloguedError, UnknownVoteError, UnvotesError
from unvotes.tables.external import read_curated

CATALOGUE_FILE = "ukraine_votes.csv"
COLUMNS = ["vote_id", "label", "theme", "date", "compare_with", "source"]


def curated() -> pd.DataFrame:
    """The catalogue file as written (text columns; ``date`` parsed, NaT where unverified)."""
    return read_curated(CATALOGUE_FILE, COLUMNS, derive=_checked)


def _checked(df: pd.DataFrame, _name: str) -> pd.DataFrame:
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
    dates = pd.to_datetime(df["date"].replace("", None), format="%Y-%m-%d", errors="coerce")
    bad = df.index[dates.isna() & (df["date"] != "")]
    problems += [f"line {i + 2} ({df.at[i, 'vote_id']}): date {df.at[i, 'date']!r} is not YYYY-MM-DD" for i in bad]
    if problems:
        raise UnvotesError(f"data/external/{CATALOGUE_FILE}: " + "; ".join(problems) + ". Fix the file.")
    return df.assign(date=dates)


def load() -> pd.DataFrame:
    """The catalogue with what the processed data hold for each vote.

    Computed once per state of its inputs (the processed tables and the curated tables, by modification
    time) and returned as a copy: a page per vote asks for it many times.

    Added columns: ``available`` (a roll call with country votes is in votes.parquet), ``complete``
    (country votes recorded for every member, i.e. not a partial roll call), ``n_states`` (country rows),
    the published ``yes``/``no``/``abstain`` totals (the vote source's, else the cited ones of
    data/external/published_totals.csv) with ``totals_source``, the data ``data_source`` and the ``outcome``
    ("adopted", or why a Council draft failed). Sorted by date.
    """
    return _load(_inputs_state()).copy()


def _inputs_state() -> tuple:
    files = [*paths.processed_dir().glob("*.parquet"), *paths.external_dir().glob("*.csv")]
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for f in files))


@functools.lru_cache(maxsize=2)
def _load(_state: tuple) -> pd.DataFrame:
    cat = curated()
    rc = api.load_roll_calls().set_index("vote_id")
    votes = api.load_votes()
    n_states = votes[votes["vote_id"].isin(cat["vote_id"])].groupby("vote_id", observed=True).size()
    out = cat.copy()
    out["n_states"] = out["vote_id"].map(n_states).fillna(0).astype(int)
    out["available"] = out["vote_id"].isin(rc.index) & (out["n_states"] > 0)
    # Curated partial roll calls (a few states' votes known from the press) carry complete=False.
    out["complete"] = out["vote_id"].map(rc["complete"]).eq(True) & out["available"]
    # published totals: the vote source's own, else the cited ones of data/external/published_totals.csv
    cited = published_totals.best().set_index("vote_id")
    for col in ("yes", "no", "abstain"):
        out[col] = out["vote_id"].map(rc[col]).astype("Int64").fillna(out["vote_id"].map(cited[col]).astype("Int64"))
    has_own = out["vote_id"].map(rc["yes"]).notna()
    out["totals_source"] = out["vote_id"].map(rc["source"]).where(has_own, out["vote_id"].map(cited["source"])).fillna("")
    out["data_source"] = out["vote_id"].map(rc["source"]).fillna("")
    out["outcome"] = [outcome(v, rc.at[v, "kind"], votes) if v in rc.index else "" for v in out["vote_id"]]
    recorded = out["vote_id"].map(rc["date"])
    differ = out["date"].notna() & recorded.notna() & (out["date"] != recorded)
    if differ.any():  # the catalogue's date is the vote's: one that the roll call contradicts is a typo in one of them
        shown = "; ".join(f"line {i + 2} ({out.at[i, 'vote_id']}): date {out.at[i, 'date']:%Y-%m-%d}, but the roll call "
                          f"({rc.at[out.at[i, 'vote_id'], 'source_ref']}) is dated {recorded[i]:%Y-%m-%d}"
                          for i in out.index[differ])
        raise UnvotesError(f"data/external/{CATALOGUE_FILE}: {shown}. Correct the catalogue's date (or leave it empty "
                           "to take the roll call's).")
    out["date"] = out["date"].fillna(recorded)
    return out.sort_values(["date", "vote_id"], na_position="last").reset_index(drop=True)


def outcome(vote_id: str, kind: str, votes: pd.DataFrame) -> str:
    """"adopted", or for a Council draft that failed, "not adopted: vetoed by <permanent members voting no>"
    (it had the nine votes in favour a decision needs, Article 27(3) of the Charter) or "not adopted: too
    few votes in favour" (fewer than nine, whoever voted no)."""
    if kind != "failed_draft":
        return "adopted"
    from unvotes.tables import membership

    mine = votes[votes["vote_id"] == vote_id]
    if (mine["vote"] == "yes").sum() < 9:
        return "not adopted: too few votes in favour"
    council = membership.council()
    permanent = set(council.loc[(council["year"] == api.roll_call(vote_id)["date"].year) & council["permanent"], "iso3"])
    vetoes = sorted(set(mine.loc[mine["vote"] == "no", "iso3"].astype(str)) & permanent)
    if not vetoes:  # nine in favour and no veto would have adopted it: the roll call or the kind is wrong
        return "not adopted, though the recorded votes would adopt it: check the roll call"
    names = api.load_countries().set_index("iso3")["display_name"]
    return "not adopted: vetoed by " + ", ".join(names.get(v, v) for v in vetoes)


RELATED = "Related:"  # a theme for votes about something else that bears on the war (Chornobyl)


def ids(available_only: bool = True, themes: list[str] | None = None, body: str | None = None,
        related: bool = True) -> list[str]:
    """Catalogued vote ids in date order; by default only those with country-level votes in the data.
    ``related=False`` leaves out the related votes (themes beginning "Related:")."""
    cat = load()
    if not related:
        cat = cat[~cat["theme"].str.startswith(RELATED)]
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
    """Catalogued votes without a complete country-level roll call in the processed data, with their citations
    and a ``status``: "no roll call", or "partial roll call: N states known" (a press list, never counted)."""
    cat = load()
    out = cat.loc[~cat["complete"], ["vote_id", "label", "date", "source", "available", "n_states"]]
    status = ["partial roll call: " + f"{n} states' votes known" if available else "no roll call"
              for available, n in zip(out["available"], out["n_states"])]
    return out.assign(status=status)[["vote_id", "label", "date", "status", "source"]].reset_index(drop=True)


def entry(vote_id: str) -> pd.Series:
    """The catalogue row of ``vote_id``. Two different errors: a roll call of the data that is not catalogued
    (:class:`~unvotes.errors.NotCataloguedError`: use :func:`vote_info`, which takes any roll call), and an id
    that is no roll call at all (:class:`~unvotes.errors.UnknownVoteError`, naming close roll-call ids)."""
    cat = load().set_index("vote_id")
    if vote_id not in cat.index:
        rc = api.load_roll_calls()
        if vote_id in set(rc["vote_id"]):
            raise NotCataloguedError(
                f"{vote_id!r} is a roll call in the data but not catalogued in data/external/{CATALOGUE_FILE} (the "
                "curated list of the votes on Russia's war against Ukraine), so it has no curated label or theme. "
                "Models, trends and profiles take it by id all the same; unvotes.tables.catalogue.vote_info() gives its "
                "title and session.")
        close = difflib.get_close_matches(str(vote_id), rc["vote_id"].tolist(), n=5, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownVoteError(f"{vote_id!r} is not a roll call in the data (roll_calls.parquet) and not catalogued "
                               f"in data/external/{CATALOGUE_FILE}.{hint}")
    return cat.loc[vote_id]


def vote_info(vote_ids) -> pd.DataFrame:
    """One row per roll call (any vote of either body, in the order given): ``vote_id``, ``label``, ``theme``,
    ``date``, ``body``, ``session`` and ``catalogued``. A vote of the Ukraine catalogue takes its curated label
    and theme; any other takes its recorded title as label and its body and session as theme ("General
    Assembly, session ES-10"), so that a model can still have one intercept per kind of text. An id that is no
    roll call is an :class:`~unvotes.errors.UnknownVoteError` naming close matches."""
    rc = api.load_roll_calls()
    ids_ = [api.resolve_vote_id(v, rc) for v in ([vote_ids] if isinstance(vote_ids, str) else list(vote_ids))]
    rows = rc.set_index("vote_id").loc[ids_]
    cat = curated().set_index("vote_id")
    catalogued = rows.index.isin(cat.index)
    body = rows["body"].map(BODY_NAMES).fillna(rows["body"])
    out = pd.DataFrame({
        "vote_id": ids_,
        "label": [cat.at[v, "label"] if c else title for v, c, title in zip(ids_, catalogued, rows["title"])],
        "theme": [cat.at[v, "theme"] if c else f"{b}, session {s}"
                  for v, c, b, s in zip(ids_, catalogued, body, rows["session"])],
        "date": rows["date"].to_numpy(), "body": rows["body"].to_numpy(), "session": rows["session"].to_numpy(),
        "catalogued": catalogued})
    return out


#: The bodies' names in themes written for roll calls outside the catalogue.
BODY_NAMES = {"GA": "General Assembly", "SC": "Security Council"}


def check_available(vote_ids: list[str]) -> None:
    """Raise a clear error for any id that is not catalogued or has no country-level votes in the data."""
    for vote_id in vote_ids:
        row = entry(vote_id)
        if not row["available"]:
            raise UnknownVoteError(
                f"{vote_id} ({row['label']}) is catalogued but its country-level roll call is not in the "
                "processed data (it is only in the official UN Digital Library file; install it with "
                f"`python -m unvotes add-official FILE`). Votes available: {', '.join(ids())}")

