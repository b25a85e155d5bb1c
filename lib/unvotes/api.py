"""The public API: load the processed tables, look up a roll call, the vote of a state.

    >>> import unvotes
    >>> unvotes.roll_call("A/RES/ES-11/1")[["date", "yes", "no", "abstain"]]
    >>> unvotes.vote_of("CHN", "A/RES/ES-11/1")
    'abstain'
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd

from unvotes import paths
from unvotes.errors import BadArgumentError, UnknownCountryError, UnknownVoteError, UnvotesError
from unvotes.ids import normalize_symbol

TABLE_FILES = {"roll_calls": "roll_calls.parquet", "votes": "votes.parquet", "countries": "countries.parquet",
               "quality_findings": "quality_findings.parquet", "roll_call_issues": "roll_call_issues.parquet"}


def _path(table: str):
    path = paths.processed_dir() / TABLE_FILES[table]
    if not path.is_file():
        raise UnvotesError(f"{path} does not exist: build the processed tables first with `make data` "
                           "(or `python -m unvotes data`).")
    return path


@lru_cache(maxsize=16)
def _load(table: str, mtime_ns: int, path_str: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(path_str)
    except Exception as exc:  # pyarrow raises several kinds for a truncated or corrupt file
        raise UnvotesError(f"{path_str} cannot be read ({type(exc).__name__}: {str(exc)[:160]}); it is corrupt or "
                           "truncated. Rebuild the tables with `python -m unvotes data` (or delete the file and "
                           "run `make data`).") from None


def load(table: str) -> pd.DataFrame:
    """One processed table (roll_calls, votes, countries, quality_findings); cached until the file changes.
    Returns a copy, so callers may modify it freely."""
    return _cached(table).copy()


def _cached(table: str) -> pd.DataFrame:
    """The cached table itself, for this module's read-only look-ups (a copy of the million-row votes table
    costs more than the look-up; pages that look up hundreds of votes pay it hundreds of times)."""
    if table not in TABLE_FILES:
        raise UnvotesError(f"unknown table {table!r}; choose one of {sorted(TABLE_FILES)}")
    path = _path(table)
    return _load(table, path.stat().st_mtime_ns, str(path))


def load_roll_calls() -> pd.DataFrame:
    """One row per recorded vote (roll call): its id, body, date, session, title, draft, kind and published
    totals, with the source it was read from. A copy; see the data dictionary for every column."""
    return load("roll_calls")


def load_votes() -> pd.DataFrame:
    """One row per (roll call, member state that day): ``vote_id``, ``iso3``, ``vote`` (yes, no, abstain,
    absent). A copy."""
    return load("votes")


def load_countries() -> pd.DataFrame:
    """One row per state: ISO3, name, UN regional group, memberships and the pre-war covariates, each
    documented (year and source) in the data dictionary. A copy."""
    return load("countries")


def names_and_groups(iso3) -> pd.DataFrame:
    """``name`` and ``un_group`` of each code in ``iso3`` (in its order, indexed by it), for labelling tables."""
    codes = pd.Index([str(c) for c in iso3], name="iso3")
    return load_countries().set_index("iso3")[["name", "un_group"]].reindex(codes)


def load_findings() -> pd.DataFrame:
    """The data-quality findings of the last build: what each source got wrong or left out, with its
    severity and where in the raw file (a copy)."""
    return load("quality_findings")


def load_roll_call_issues() -> pd.DataFrame:
    """What each roll call is about, one row per (vote, topic): vote_id, topic, code, scheme, assigned_by
    ("UN", "researchers" or "machine"), source."""
    return load("roll_call_issues")


def _date_argument(name: str, value) -> pd.Timestamp | None:
    """A date given to find(): a 'YYYY-MM-DD' string, a date or a Timestamp. A number is refused (pandas would read
    2025 as 2025 nanoseconds after 1970), and so is text that is not a date, with the value named."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        raise BadArgumentError(f"{name}={value!r} is a number, not a date; give e.g. {name}='{int(value)}-01-01'"
                               if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 2100 else
                               f"{name}={value!r} is not a date; give e.g. {name}='2025-01-01'")
    try:
        d = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise BadArgumentError(f"{name}={value!r} is not a date ({exc}); give e.g. {name}='2025-01-01'") from None
    if pd.isna(d):
        raise BadArgumentError(f"{name}={value!r} is not a date; give e.g. {name}='2025-01-01'")
    return d.tz_localize(None) if d.tzinfo else d


def find(text: str, *, body: str | None = None, start=None, end=None, machine_topics: bool = False,
         kind: str | None = None, session: int | str | None = None) -> pd.DataFrame:
    """Roll calls whose symbol, title or topic contains ``text`` (case-insensitive), in date order: the
    roll_calls columns vote_id, body, date, title, kind, yes, no, abstain, complete, source, plus ``matched``
    (where the text was found). Topics assigned by a machine (the 2025 file's tags) are searched only with
    ``machine_topics=True``. ``body`` ("GA" or "SC"), ``start`` and ``end`` (dates), ``kind`` (a roll_calls kind:
    "resolution", "paragraph", "amendment", ...) and ``session`` (a General Assembly session: 78, or "ES-11" for an
    emergency special session) narrow the search.

        >>> unvotes.find("Ukrain", start="2025-01-01")   # ES-11/7, ES-11/9 (Ukrainian children), 80/111, 80/223, S/RES/2774

    A text search finds what its words name: the US text ES-11/8 ("The path to peace") names neither Russia nor
    Ukraine in its title, and the 2025 file's topics are machine tags; ``unvotes.tables.catalogue.load()`` is the curated
    list of the Ukraine votes.
    """
    needle = str(text).strip().lower()
    if not needle:
        raise UnvotesError("find() needs some text to look for, e.g. unvotes.find('Ukraine')")
    if body not in (None, "GA", "SC"):
        raise UnvotesError(f"body={body!r}; use 'GA', 'SC' or None")
    start, end = _date_argument("start", start), _date_argument("end", end)
    if start is not None and end is not None and end < start:
        raise BadArgumentError(f"end={end:%Y-%m-%d} is before start={start:%Y-%m-%d}; give end on or after start")
    rc = load_roll_calls()
    if kind is not None and kind not in set(rc["kind"]):
        raise BadArgumentError(f"kind={kind!r}; use one of {', '.join(sorted(set(rc['kind'])))} or None")
    if session is not None:
        wanted = str(session).strip().upper()
        if isinstance(session, bool) or wanted not in set(rc["session"].dropna()):
            raise BadArgumentError(f"session={session!r}; give a General Assembly session the tables hold: its "
                                   "number (e.g. 78), or an emergency or special session as roll_calls.session "
                                   "writes it (e.g. 'ES-11'), or None")
    topics = load_roll_call_issues()
    if not machine_topics:
        topics = topics[topics["assigned_by"] != "machine"]
    in_topic = topics.loc[topics["topic"].str.lower().str.contains(needle, regex=False)]
    matched = pd.Series("", index=rc.index)
    matched[rc["vote_id"].str.lower().str.contains(needle, regex=False)] = "symbol"
    in_title = rc["title"].str.lower().str.contains(needle, regex=False)
    matched[in_title & (matched == "")] = "title"
    by_topic = rc["vote_id"].map(in_topic.groupby("vote_id")["scheme"].agg(lambda s: ", ".join(sorted(set(s))))).astype(object)
    by_topic_hit = (matched == "") & by_topic.notna()
    matched[by_topic_hit] = "topic: " + by_topic[by_topic_hit]
    keep = matched != ""
    if body is not None:
        keep &= rc["body"] == body
    if start is not None:
        keep &= rc["date"] >= start
    if end is not None:
        keep &= rc["date"] <= end
    if kind is not None:
        keep &= rc["kind"] == kind
    if session is not None:
        keep &= rc["session"] == wanted
    cols = ["vote_id", "body", "date", "title", "kind", "yes", "no", "abstain", "complete", "source"]
    return rc.loc[keep, cols].assign(matched=matched[keep]).reset_index(drop=True)


def resolve_vote_id(vote_id: str, roll_calls: pd.DataFrame | None = None) -> str:
    """``vote_id`` as the tables write it: spacing and case as typed are forgiven (``a/res/es-11/4 ``,
    ``S/RES/2774 (2025)``); an id that is not in the tables is an error that suggests close matches."""
    rc = _cached("roll_calls") if roll_calls is None else roll_calls
    known = set(rc["vote_id"])
    if vote_id in known:
        return vote_id
    text = " ".join(str(vote_id).split())
    candidates = [text, text.upper()]
    try:
        candidates.append(normalize_symbol(text))
    except ValueError:
        pass
    for candidate in candidates:
        if candidate in known:
            return candidate
    _check_vote_id(text, rc)
    return text


def _check_vote_id(vote_id: str, roll_calls: pd.DataFrame) -> None:
    if vote_id in set(roll_calls["vote_id"]):
        return
    ids = roll_calls["vote_id"].tolist()
    close = difflib.get_close_matches(str(vote_id), ids, n=5, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownVoteError(f"No roll call {vote_id!r} in roll_calls.parquet ({len(ids):,} roll calls, "
                           f"{roll_calls['date'].min():%Y-%m-%d} to {roll_calls['date'].max():%Y-%m-%d}).{hint}")


def roll_call(vote_id: str) -> pd.Series:
    """The roll_calls row of ``vote_id`` (published totals, date, source ...)."""
    rc = _cached("roll_calls")
    vote_id = resolve_vote_id(vote_id, rc)
    return rc.loc[rc["vote_id"] == vote_id].iloc[0].copy()


def votes_on(vote_id: str) -> pd.DataFrame:
    """Every member's vote on ``vote_id``, with country names: columns iso3, name, vote."""
    vote_id = resolve_vote_id(vote_id)
    v = _cached("votes")
    out = v.loc[v["vote_id"] == vote_id, ["iso3", "vote"]].astype({"iso3": str})
    names = _cached("countries").set_index("iso3")["name"]
    return out.assign(name=out["iso3"].map(names))[["iso3", "name", "vote"]].reset_index(drop=True)


def tally(vote_id: str) -> pd.Series:
    """Counts of yes/no/abstain/absent computed from the country votes (compare with ``roll_call``'s totals).
    On a partial roll call (a press list) they count the listed states only, and a warning says so."""
    counts = recorded_counts(vote_id)
    rc = roll_call(vote_id)
    if not rc["complete"]:
        import warnings

        warnings.warn(f"{rc['vote_id']} is a partial roll call: these counts are of the {int(counts.sum())} states "
                      f"whose votes are known, not the result (published {rc['yes']}-{rc['no']}-{rc['abstain']})",
                      PartialRollCallWarning, stacklevel=2)
    return counts


def recorded_counts(vote_id: str) -> pd.Series:
    """yes/no/abstain/absent counts of the recorded country votes, without tally()'s warning: for code that
    says itself whether the roll call is partial."""
    return votes_on(vote_id)["vote"].value_counts().reindex(["yes", "no", "abstain", "absent"], fill_value=0)


class PartialRollCallWarning(UserWarning):
    """Counts computed from a partial roll call are not the vote's result."""


def vote_of(state: str, vote_id: str) -> str | None:
    """How ``state`` (ISO3 code or a name, e.g. "CHN" or "China") voted on ``vote_id``:
    "yes", "no", "abstain", "absent", or None if it was not a UN member on that date or, on a partial
    roll call (``roll_call(vote_id)["complete"]`` False), if its vote is not recorded (unknown, not absent)."""
    rc = roll_call(vote_id)
    iso3 = iso3_of(state, rc["date"])
    v = _cached("votes")
    row = v.loc[(v["vote_id"] == rc["vote_id"]) & (v["iso3"] == iso3), "vote"]
    return None if row.empty else str(row.iloc[0])


#: Everyday names that fit two member states: an error that lists both, never a silent choice.
AMBIGUOUS_NAMES = {"KOREA": [("KOR", "Republic of Korea"), ("PRK", "Democratic People's Republic of Korea")],
                   "CONGO": [("COG", "Republic of the Congo"), ("COD", "Democratic Republic of the Congo")],
                   "GUINEA": [("GIN", "Guinea"), ("GNB", "Guinea-Bissau"), ("GNQ", "Equatorial Guinea")]}
#: Abbreviations in common use that the name table does not hold.
ABBREVIATIONS = {"DRC": "COD", "DR CONGO": "COD", "ROK": "KOR", "UAE": "ARE", "UK": "GBR"}


def iso3_of(state: str, date=None) -> str:
    """The ISO3 code of ``state``: an ISO3 code of the countries table (any case), a name or display name
    of that table, or a name as a source spells it (reconciled as of ``date``, default today). Anything
    else is an error that suggests the codes of close names."""
    countries = load_countries()
    code = str(state).strip().upper()
    if code in set(countries["iso3"]):
        return code
    if code in AMBIGUOUS_NAMES:
        options = ", ".join(f"{c} ({n})" for c, n in AMBIGUOUS_NAMES[code])
        raise UnknownCountryError(f"{state!r} names more than one state: {options}; pass the code")
    if code in ABBREVIATIONS:
        return ABBREVIATIONS[code]
    names = {str(n).lower(): i for col in ("name", "display_name") if col in countries.columns
             for i, n in zip(countries["iso3"], countries[col]) if pd.notna(n)}
    if str(state).strip().lower() in names:
        return names[str(state).strip().lower()]
    from unvotes.tables.reconcile import to_iso3

    try:
        return to_iso3(pd.DataFrame({"country": [state], "country_code": [""],
                                     "date": [pd.Timestamp(date if date is not None else "today")],
                                     "source_ref": ["argument"]}), what="argument")[0]
    except UnknownCountryError:
        close = difflib.get_close_matches(str(state).strip().lower(), list(names), n=5, cutoff=0.6)
        codes = list(dict.fromkeys(names[c] for c in close))[:3]
        shown = countries.set_index("iso3")["name"]
        hint = ("; did you mean " + ", ".join(f"{c} ({shown.get(c, c)})" for c in codes) + "?") if codes else ""
        raise UnknownCountryError(f"{state!r} is neither an ISO3 code in countries.parquet (e.g. USA, RUS, CHN) "
                                  f"nor a recognised country name{hint}") from None


def history(state: str, *, start=None, end=None, body: str | None = None) -> pd.DataFrame:
    """Every vote of one state (an ISO3 code or a name, :func:`iso3_of`), in date order: ``vote_id``, ``date``,
    ``body``, ``session``, ``title``, ``kind``, ``vote`` (yes/no/abstain/absent), ``absent_reason`` and
    ``complete`` (False on a partial roll call, where an unrecorded vote is unknown, not absent). ``start``,
    ``end`` (dates) and ``body`` ("GA" or "SC") narrow it.

        >>> unvotes.history("India", start="2022-01-01")"""
    code = iso3_of(state)
    if body not in (None, "GA", "SC"):
        raise UnvotesError(f"body={body!r}; use 'GA', 'SC' or None")
    v = _cached("votes")
    mine = v[v["iso3"] == code]
    mine = pd.DataFrame({"vote_id": mine["vote_id"].astype(str).to_numpy(), "vote": mine["vote"].astype(str).to_numpy(),
                         "absent_reason": mine["absent_reason"].astype("string").to_numpy()})
    rc = _cached("roll_calls")[["vote_id", "date", "body", "session", "title", "kind", "complete"]]
    out = mine.merge(rc, on="vote_id", how="left")
    if body is not None:
        out = out[out["body"] == body]
    if start is not None:
        out = out[out["date"] >= pd.Timestamp(start)]
    if end is not None:
        out = out[out["date"] <= pd.Timestamp(end)]
    cols = ["vote_id", "date", "body", "session", "title", "kind", "vote", "absent_reason", "complete"]
    return out.sort_values(["date", "vote_id"])[cols].reset_index(drop=True)
