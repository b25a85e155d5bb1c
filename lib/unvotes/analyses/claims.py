"""Checking what news articles say about UN votes against the data.

``data/external/claims.csv`` holds one row per claim found in the seed articles: ``claim_id``, ``article``
(the seed file's name), ``quote`` (the sentence, verbatim), ``claim`` (the claim in plain words), ``check``
(a machine-readable check, below) and ``notes``. :func:`evaluate_all` evaluates every check against the
processed tables and returns a verdict and the evidence for each: **confirmed**, **refuted**, **single source**
or **not checkable** (with the reason). Nothing is decided by hand: a verdict changes when the data change.

**Single source**: where the evidence is a curated record (a roll call or a state's vote typed from the press,
data/external/separate_*.csv) whose citation says it rests on one press report (:data:`SINGLE_SOURCE_MARK`:
"single press source", "unverified", "not verified"), the data agree or disagree with the claim only on that
report's word: the verdict is "single source", never "confirmed" (nor "refuted"), and the evidence says which
way the report points. Evidence that rests on the very article making the claim is "not checkable".

``data/external/news_articles.csv`` names each seed article as a reader can cite it: ``article`` (the seed file's
name, the key used in ``claims.csv``), ``outlet``, ``headline``, ``date`` (YYYY-MM-DD), ``url`` (each empty where
the text does not give it) and ``citation`` (where each value comes from: a line of the seed text, counting from
1, or a stored copy of the article). :func:`articles` reads it and :func:`article_title` gives
"Outlet, 'Headline' (D Month YYYY)"; the report, the summary and the plot show articles that way, with the file
name kept beside them.

A check is ``key=value`` pairs separated by ``;``, the first being ``kind``; lists are comma-separated and
alternatives ``|``-separated. Kinds (parameters; optional ones in brackets):

==================  ========================================================================================
vote_of             vote_id, states, expected (e.g. ``abstain`` or ``abstain|no|absent``): each state's vote
same_vote           vote_ids, states: the states cast the same vote on each vote
tally               vote_id, [yes], [no], [abstain], [absent]: the counts, against the published totals (and
                    the counts of the country votes when the roll call is complete)
voters_exactly      vote_id, vote, states: the states that cast ``vote`` are exactly these
share_of_members    vote_id, vote, and expected + tolerance or more_than: the share of the body's members
                    that cast ``vote``
members             vote_id, expected: the number of members of the body on the date
weekday, date       vote_id, expected: the day of the week (``Monday``) or the date (``2025-02-24``, or
                    ``2022-03`` for "in March 2022")
group_share         vote_id, vote, group, more_than, [exclude]: among the states casting ``vote`` (less the
                    excluded ones), the share in ``group`` (``un_group:African`` or a boolean column of the
                    countries table such as ``member_csto``) is more than ``more_than``
count_in_group      vote_id, votes, group, at_least, [exclude]: at least that many states of ``group`` cast
                    one of ``votes``
all_votes           state, expected, and vote_ids or between (``YYYY-MM-DD..YYYY-MM-DD``, catalogued votes
                    in the window), [body]: the state cast ``expected`` on every one of them
first_time          state, vote_id, vote, and since (catalogued votes from that date) or vote_ids, [body]:
                    the state cast ``vote`` on ``vote_id`` and on none of the earlier votes
compare_count       vote_id, count, rule (below_median or below_all), and vote_ids or between: the count
                    of ``count`` votes compared with the other votes'
similar             vote_id, other, min_agreement: the share of states casting the same vote on both
part_vote           whole, part_kind (paragraph, amendment), [label_contains], [adopted], [reason]: a
                    separate recorded vote on part of ``whole`` exists (and was adopted: more yes than no)
title_contains      vote_id, text: the roll call's title contains the text (case and punctuation ignored)
not_checkable       reason: why the data cannot settle the claim
==================  ========================================================================================

Partial roll calls (``complete == False``, curated from press reports) list only some states. A member
state they do not list has an *unknown* vote: a claim about it is not checkable, never refuted, unless
every vote of the claimed kind is listed (the listed count equals the published total), in which case
an unlisted state certainly did not cast it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from unvotes import api, paths
from unvotes.tables import catalogue, membership
from unvotes.errors import DataFileError, UnvotesError
from unvotes.tables.external import read_curated

CLAIMS_FILE = "claims.csv"
COLUMNS = ["claim_id", "article", "quote", "claim", "check", "notes"]
ARTICLES_FILE = "news_articles.csv"
ARTICLE_COLUMNS = ["article", "outlet", "headline", "date", "url", "citation"]
CONFIRMED, REFUTED, SINGLE_SOURCE, NOT_CHECKABLE = "confirmed", "refuted", "single source", "not checkable"
VERDICTS = [CONFIRMED, REFUTED, SINGLE_SOURCE, NOT_CHECKABLE]
#: A curated citation that says this rests on one press report, unchecked against an official record.
SINGLE_SOURCE_MARK = re.compile(r"single[- ]press[- ]source|\bunverified\b|\bnot verified\b", re.IGNORECASE)
VOTES = ("yes", "no", "abstain", "absent")
CAST = ("yes", "no", "abstain")
SEEDS_ENV, seeds_dir = paths.SEEDS_ENV, paths.seeds_dir  # where the seed articles are (their home: unvotes.paths)


@dataclass(frozen=True)
class Result:
    verdict: str
    evidence: str


@dataclass(frozen=True)
class Tables:
    """The processed tables a check reads (tests pass small hand-made ones)."""

    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    countries: pd.DataFrame
    #: Citations of curated records: (vote_id, iso3) -> source of one state's vote, and vote_id -> source
    #: of the published totals. Used to notice a claim whose only evidence is the article making it.
    vote_sources: dict = field(default_factory=dict)
    total_sources: dict = field(default_factory=dict)
    _roll_calls_read: dict = field(default_factory=dict, repr=False, compare=False)

    def roll_call(self, vote_id: str) -> "_RollCall":
        """The roll call ``vote_id`` as a check sees it (read once per Tables)."""
        if vote_id not in self._roll_calls_read:
            self._roll_calls_read[vote_id] = _RollCall(self, vote_id)
        return self._roll_calls_read[vote_id]

    @classmethod
    def processed(cls) -> "Tables":
        rc = api.load_roll_calls()
        vote_sources, total_sources = _curated_sources(set(rc.loc[rc["source"] == "curated", "vote_id"]))
        return cls(rc, api.load_votes(), api.load_countries(), vote_sources, total_sources)


def _curated_sources(curated_ids: set[str]) -> tuple[dict, dict]:
    """Per-row citations of the curated roll calls that the processed tables kept (none without them)."""
    if not curated_ids:
        return {}, {}
    from unvotes.tables import curated_votes

    rc, votes = curated_votes.load()
    votes = votes[votes["vote_id"].isin(curated_ids)]
    rc = rc[rc["vote_id"].isin(curated_ids)]
    return (dict(zip(zip(votes["vote_id"], votes["iso3"]), votes["source"])),
            dict(zip(rc["vote_id"], rc["source"])))


_SEED_STEM = re.compile(r"\d{3}_[0-9a-f]{16}")
_INDEPENDENT = re.compile(r"https?://|\b[AS]/(?:[\w.-]+/)*PV\.\d+")


def rests_on_article(source: str, article: str) -> bool:
    """True when a citation cites the article ``article`` (a seed file name) and nothing independent of
    it: no web address, no other seed article, no UN meeting record (A/77/PV.64, S/PV.9865)."""
    stem = Path(article).stem
    if not article or stem not in source:
        return False
    rest = source.replace(stem, "")
    return not (_INDEPENDENT.search(rest) or _SEED_STEM.search(rest))


class _Missing(Exception):
    """A roll call a check needs is not in the data: the claim is not checkable."""


# ---------------------------------------------------------------- reading one roll call


class _RollCall:
    """One roll call as a check sees it: published totals, listed votes, members, partial or not."""

    def __init__(self, t: Tables, vote_id: str):
        rc = t.roll_calls[t.roll_calls["vote_id"] == vote_id]
        if rc.empty:
            raise _Missing(f"the roll call {vote_id} is not in the processed data (no source available here "
                           "records it)")
        self.id = vote_id
        self.tables = t
        self.row = rc.iloc[0]
        self.body = str(self.row["body"])
        self.date = pd.Timestamp(self.row["date"])
        self.complete = bool(self.row["complete"])
        v = t.votes[t.votes["vote_id"] == vote_id]
        self.listed = dict(zip(v["iso3"].astype(str), v["vote"].astype(str)))
        c = t.countries.set_index("iso3")
        self.names = (c["display_name"].fillna(c["name"]) if "display_name" in c.columns else c["name"]).to_dict()
        if self.complete:
            self.members: set[str] | None = set(self.listed)
        elif self.body == "GA":
            self.members = membership.members_on(self.date)
        else:
            self.members = None  # which states sat on the Council is not recorded for a partial roll call
        self.counts = pd.Series(list(self.listed.values()), dtype=object).value_counts().reindex(VOTES, fill_value=0)
        self.published = {c: (None if pd.isna(self.row[c]) else int(self.row[c])) for c in VOTES}
        #: members - yes - no - abstain, where the source publishes no absent count (the UN's results don't)
        self.derived_absent = None
        if self.published["absent"] is None and self.members is not None and all(
                self.published[c] is not None for c in CAST):
            self.derived_absent = len(self.members) - sum(self.published[c] for c in CAST)

    def label(self) -> str:
        return f"{self.id} ({self.date:%Y-%m-%d}{'' if self.complete else ', partial roll call'})"

    def total(self, vote: str) -> int | None:
        """The published total of ``vote`` (for absent, else members less the published yes, no, abstain)."""
        return self.derived_absent if vote == "absent" and self.published[vote] is None else self.published[vote]

    def fully_listed(self, vote: str) -> bool:
        """Every ``vote`` of this roll call is listed (complete roll call, or listed count = published)."""
        return self.complete or (self.total(vote) is not None and self.counts[vote] == self.total(vote))

    def status(self, iso3: str) -> tuple[str, object]:
        """("known", vote) | ("not a member", None) | ("unknown", set of votes still possible)."""
        if iso3 in self.listed:
            return "known", self.listed[iso3]
        if self.members is not None and iso3 not in self.members:
            return "not a member", None
        return "unknown", {v for v in VOTES if not self.fully_listed(v)}

    def name(self, iso3: str) -> str:
        return self.names.get(iso3, iso3)

    def only_from(self, article: str, iso3: str | None = None) -> bool:
        """The vote of ``iso3`` (or, without it, the published totals) is recorded only on the word of
        ``article``: a claim of that article cannot be checked against it."""
        sources = self.tables.vote_sources if iso3 else self.tables.total_sources
        source = sources.get((self.id, iso3) if iso3 else self.id, "")
        return bool(article) and rests_on_article(source, article)

    def single_source(self, iso3: str | None = None) -> bool:
        """The vote of ``iso3`` (or, without it, the published totals) rests on one press report, by its own
        citation (:data:`SINGLE_SOURCE_MARK`)."""
        sources = self.tables.vote_sources if iso3 else self.tables.total_sources
        return bool(SINGLE_SOURCE_MARK.search(sources.get((self.id, iso3) if iso3 else self.id, "")))

    def casting(self, vote: str) -> set[str]:
        return {s for s, v in self.listed.items() if v == vote}

    def totals(self) -> str:
        pub = "-".join("?" if self.published[c] is None else str(self.published[c]) for c in CAST)
        return f"published {pub} (yes-no-abstain)"


# ---------------------------------------------------------------- the checks


def _list(value: str) -> list[str]:
    return [x.strip() for x in str(value).split(",") if x.strip()]


def _alternatives(value: str) -> set[str]:
    out = {x.strip() for x in str(value).split("|") if x.strip()}
    bad = out - set(VOTES)
    if bad:
        raise UnvotesError(f"unknown vote value(s) {sorted(bad)}; choose from {list(VOTES)}")
    return out


def _combine(parts: list[tuple[str, str]]) -> Result:
    """Refuted if any part is refuted; else not checkable if any part is; else single source if any part rests on
    one press report; else confirmed."""
    verdicts = [v for v, _ in parts]
    verdict = next((v for v in (REFUTED, NOT_CHECKABLE, SINGLE_SOURCE) if v in verdicts), CONFIRMED)
    return Result(verdict, "; ".join(e for _, e in parts))


_SINGLE = "recorded in the data only from a single press report, unverified against an official record"


def _weigh(verdict: str, evidence: str, single: bool) -> tuple[str, str]:
    """A confirmation or refutation that rests on one press report becomes "single source", saying which way."""
    if single and verdict in (CONFIRMED, REFUTED):
        way = "agrees with" if verdict == CONFIRMED else "contradicts"
        return SINGLE_SOURCE, f"{evidence} ({_SINGLE}; it {way} the claim)"
    return verdict, evidence


_CIRCULAR = "recorded in the data only on the word of this very article, so it cannot check it"


def _state_vote(r: _RollCall, iso3: str, expected: set[str], article: str = "") -> tuple[str, str]:
    status, value = r.status(iso3)
    want = "|".join(sorted(expected))
    if status == "known" and r.only_from(article, iso3):
        return NOT_CHECKABLE, f"{r.name(iso3)}: {value}, {_CIRCULAR}"
    if status == "known":
        return _weigh(CONFIRMED if value in expected else REFUTED, f"{r.name(iso3)}: {value}", r.single_source(iso3))
    if status == "not a member":
        where = "the Security Council" if r.body == "SC" else "the UN"
        return REFUTED, f"{r.name(iso3)}: not a member of {where} on that date (no vote)"
    if not (value & expected):
        return REFUTED, (f"{r.name(iso3)}: not listed, and every {'/'.join(sorted(expected))} vote is listed "
                         "(listed count = published total), so it did not vote " + want)
    if value <= expected:
        return CONFIRMED, f"{r.name(iso3)}: not listed, but every other kind of vote is fully listed"
    return NOT_CHECKABLE, f"{r.name(iso3)}: vote unknown (not listed on this partial roll call)"


def check_vote_of(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    expected = _alternatives(p["expected"])
    res = _combine([_state_vote(r, s, expected, p.get("_article", "")) for s in _list(p["states"])])
    return Result(res.verdict, f"{r.label()}: {res.evidence}")


def check_same_vote(t: Tables, p: dict) -> Result:
    states = _list(p["states"])
    parts = []
    for vote_id in _list(p["vote_ids"]):
        r = t.roll_call(vote_id)
        stat = {s: r.status(s) for s in states}
        circular = [s for s, (k, _) in stat.items() if k == "known" and r.only_from(p.get("_article", ""), s)]
        known = {s: v for s, (k, v) in stat.items() if k == "known" and s not in circular}
        desc = ", ".join(f"{r.name(s)} {v if k == 'known' else k}" for s, (k, v) in stat.items())
        if circular:
            desc += f" (the vote of {', '.join(r.name(s) for s in circular)} is {_CIRCULAR})"
        if len(set(known.values())) > 1 or any(k == "not a member" for k, _ in stat.values()):
            parts.append((REFUTED, f"{r.label()}: {desc}"))
        elif len(known) < len(states):
            parts.append((NOT_CHECKABLE, f"{r.label()}: {desc}"))
        else:
            parts.append((CONFIRMED, f"{r.label()}: {desc}"))
    return _combine(parts)


def check_tally(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    parts = []
    for c in VOTES:
        if c not in p:
            continue
        expected = int(p[c])
        published = r.total(c)
        computed = int(r.counts[c]) if r.complete else None
        said = [("no published total" if published is None else f"members less the published yes, no and abstain "
                 f"{published}" if r.published[c] is None else f"published {published}"),
                f"counted from the country votes {computed}" if computed is not None else
                f"{int(r.counts[c])} listed (partial roll call)"]
        value = published if published is not None else computed
        if value is None:
            parts.append((NOT_CHECKABLE, f"{c}: claimed {expected}; " + ", ".join(said)))
        else:
            ok = value == expected and (computed is None or computed == expected)
            parts.append((CONFIRMED if ok else REFUTED, f"{c}: claimed {expected}; " + ", ".join(said)))
    if not parts:
        raise UnvotesError("a tally check needs at least one of yes, no, abstain, absent")
    res = _combine(parts)
    if r.only_from(p.get("_article", "")) and res.verdict != REFUTED:
        return Result(NOT_CHECKABLE, f"{r.label()}: {res.evidence}; the published totals are {_CIRCULAR}")
    return Result(*_weigh(res.verdict, f"{r.label()}: {res.evidence}", r.single_source() and computed is None))


def check_voters_exactly(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    vote = p["vote"]
    claimed = set(_list(p["states"]))
    actual = r.casting(vote)
    names = lambda codes: ", ".join(sorted(r.name(s) for s in codes)) or "none"  # noqa: E731
    if not r.fully_listed(vote):
        missing = claimed - actual
        if missing and all(r.status(s)[0] == "known" for s in missing):
            return Result(REFUTED, f"{r.label()}: {names(missing)} did not vote {vote}")
        return Result(NOT_CHECKABLE, f"{r.label()}: the {vote} votes are not all listed ({int(r.counts[vote])} "
                                     f"of {r.total(vote)}); listed: {names(actual)}")
    if actual == claimed:
        return Result(CONFIRMED, f"{r.label()}: voted {vote}: {names(actual)}")
    return Result(REFUTED, f"{r.label()}: voted {vote}: {names(actual)}; claimed but did not: "
                           f"{names(claimed - actual)}; voted {vote} but not named: {names(actual - claimed)}")


def _members(r: _RollCall) -> int | None:
    return None if r.members is None else len(r.members)


def check_share_of_members(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    vote = p["vote"]
    count = r.total(vote) if r.total(vote) is not None else (int(r.counts[vote]) if r.complete else None)
    n = _members(r)
    if count is None or not n:
        return Result(NOT_CHECKABLE, f"{r.label()}: the number of {vote} votes or of members is not known")
    share = count / n
    if "more_than" in p:
        ok, said = share > float(p["more_than"]), f"more than {float(p['more_than']):.0%}"
    else:
        expected, tol = float(p["expected"]), float(p["tolerance"])
        ok, said = abs(share - expected) <= tol, f"about {expected:.0%}, tolerance ±{tol:.0%}"
    return Result(*_weigh(CONFIRMED if ok else REFUTED, f"{r.label()}: {count} {vote} of {n} members = {share:.1%} "
                                                        f"(claimed {said})", r.single_source() and not r.complete))


def check_members(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    n = _members(r)
    if n is None:
        return Result(NOT_CHECKABLE, f"{r.label()}: the members of the body are not recorded")
    where = "Security Council members on the roll call" if r.body == "SC" else "UN member states on that date"
    return Result(CONFIRMED if n == int(p["expected"]) else REFUTED, f"{r.label()}: {n} {where}")


def check_weekday(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    day = r.date.day_name()
    return Result(CONFIRMED if day.lower() == p["expected"].strip().lower() else REFUTED,
                  f"{r.id} was voted on {day}, {_day(r.date)}")


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%B %Y}"


def check_date(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    return Result(CONFIRMED if f"{r.date:%Y-%m-%d}".startswith(p["expected"].strip()) else REFUTED,
                  f"{r.id} was voted on {_day(r.date)}")


def _group(t: Tables, spec: str) -> tuple[set[str], str]:
    countries = t.countries.set_index("iso3")
    column, _, value = spec.partition(":")
    if column not in countries.columns:
        raise UnvotesError(f"group {spec!r}: no column {column!r} in the countries table")
    col = countries[column]
    members = set(col.index[col.astype(str) == value] if value else col.index[col.fillna(False).astype(bool)])
    if value:
        label = f"the {value} Group" if column == "un_group" else f"{column} {value}"
    else:
        label = f"{column.removeprefix('member_').upper()} (members on 23 February 2022)"
    return members, label


def check_group_share(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    vote = p["vote"]
    if not r.fully_listed(vote):
        return Result(NOT_CHECKABLE, f"{r.label()}: the {vote} votes are not all listed")
    group, label = _group(t, p["group"])
    states = r.casting(vote) - set(_list(p.get("exclude", "")))
    inside = states & group
    share = len(inside) / len(states) if states else np.nan
    verdict = CONFIRMED if share > float(p["more_than"]) else REFUTED
    excluded = f" (less {', '.join(_list(p['exclude']))})" if p.get("exclude") else ""
    return Result(verdict, f"{r.label()}: of the {len(states)} states voting {vote}{excluded}, {len(inside)} "
                           f"({share:.0%}) are in {label}; claimed more than {float(p['more_than']):.0%}")


def check_count_in_group(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    votes = _alternatives(p["votes"])
    group, label = _group(t, p["group"])
    group -= set(_list(p.get("exclude", "")))
    stat = {s: r.status(s) for s in sorted(group)}
    hits = [s for s, (k, v) in stat.items() if k == "known" and v in votes]
    unknown = [s for s, (k, _) in stat.items() if k == "unknown"]
    need = int(p["at_least"])
    desc = (f"{r.label()}: {len(hits)} of the {sum(k != 'not a member' for k, _ in stat.values())} states of {label} "
            f"voted {'/'.join(sorted(votes))} ({', '.join(r.name(s) for s in hits) or 'none'}); "
            f"claimed at least {need}")
    if len(hits) >= need:
        return Result(CONFIRMED, desc)
    return Result(NOT_CHECKABLE if len(hits) + len(unknown) >= need else REFUTED, desc)


def _select(t: Tables, p: dict, before: pd.Timestamp | None = None) -> tuple[list[str], list[str]]:
    """(ids in the data, catalogued ids missing from the data) of a vote_ids= selection or of the catalogued
    votes in a between=START..END window (or since=START); only votes dated before ``before`` if given."""
    rc_dates = t.roll_calls.set_index(t.roll_calls["vote_id"].astype(str))["date"]
    if "vote_ids" in p:
        ids = _list(p["vote_ids"])
        dates = pd.Series([rc_dates.get(v, pd.NaT) for v in ids], index=ids)
    elif "between" in p or "since" in p:
        start, _, end = p.get("between", f"{p.get('since')}..").partition("..")
        cat = catalogue.curated()
        dates = cat["date"].fillna(cat["vote_id"].map(rc_dates))
        keep = dates >= pd.Timestamp(start)
        if end:
            keep &= dates <= pd.Timestamp(end)
        if p.get("body"):
            keep &= cat["vote_id"].str.startswith("S/" if p["body"] == "SC" else "A/")
        cat = cat.loc[keep].assign(d=dates[keep]).sort_values(["d", "vote_id"])
        ids, dates = cat["vote_id"].tolist(), pd.Series(cat["d"].values, index=cat["vote_id"])
    else:
        raise UnvotesError("give vote_ids=... or between=YYYY-MM-DD..YYYY-MM-DD (or since=YYYY-MM-DD)")
    if before is not None:
        ids = [v for v in ids if pd.notna(dates[v]) and dates[v] < before]
    present = set(rc_dates.index)
    return [v for v in ids if v in present], [v for v in ids if v not in present]


def check_all_votes(t: Tables, p: dict) -> Result:
    ids, missing = _select(t, p)
    if not ids:
        raise _Missing(f"none of the selected votes is in the data ({', '.join(missing)})")
    expected = _alternatives(p["expected"])
    parts = []
    for vote_id in ids:
        r = t.roll_call(vote_id)
        verdict, ev = _state_vote(r, p["state"], expected, p.get("_article", ""))
        parts.append((verdict, f"{vote_id} {ev.split(': ', 1)[1]}"))
    res = _combine(parts)
    by_vote: dict[str, list[str]] = {}
    for vote_id, (_, ev) in zip(ids, parts):
        by_vote.setdefault(ev.split(" ", 1)[1], []).append(_short(vote_id))
    head = (f"{r.name(p['state'])} on the {len(ids)} selected votes: "
            + "; ".join(f"{what} on {', '.join(v)}" for what, v in by_vote.items()))
    if missing:
        tail = f"; not in the data: {', '.join(missing)}"
        return Result(NOT_CHECKABLE if res.verdict == CONFIRMED else res.verdict, head + tail)
    return Result(res.verdict, head)


def _short(vote_id: str) -> str:
    return vote_id.removeprefix("A/RES/")


def check_first_time(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    vote = p["vote"]
    verdict, ev = _state_vote(r, p["state"], {vote}, p.get("_article", ""))
    if verdict != CONFIRMED:
        return Result(verdict, f"{r.label()}: {ev}")
    earlier, missing = _select(t, {k: v for k, v in p.items() if k in ("since", "vote_ids", "body")}, before=r.date)
    before = []
    for vote_id in earlier:
        e = t.roll_call(vote_id)
        status, value = e.status(p["state"])
        before.append((vote_id, value if status == "known" else status))
    same = [v for v, x in before if x == vote]
    unknown = [v for v, x in before if x == "unknown"]
    tally = pd.Series([x for _, x in before]).value_counts()
    desc = (f"{r.label()}: {ev}; on the {len(before)} earlier votes"
            + (f" (catalogued votes since {p['since']})" if "since" in p else "") + ": "
            + (", ".join(f"{n} {k}" for k, n in tally.items()) or "none"))
    if same:
        return Result(REFUTED, desc + f"; it already voted {vote} on {', '.join(same)}")
    if unknown or missing:
        return Result(NOT_CHECKABLE, desc + f"; unknown on {', '.join(unknown + missing)}")
    return Result(CONFIRMED, desc)


def check_compare_count(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    count = p["count"]
    others, missing = _select(t, p)
    others = [o for o in others if o != r.id]
    values = {}
    for o in others:
        e = t.roll_call(o)
        values[o] = e.published[count] if e.published[count] is not None else (
            int(e.counts[count]) if e.complete else None)
    values = {k: v for k, v in values.items() if v is not None}
    mine = r.published[count]
    if mine is None or not values:
        return Result(NOT_CHECKABLE, f"{r.label()}: counts not available")
    rule = p["rule"]
    if rule == "below_median":
        ref = float(np.median(list(values.values())))
        ok, what = mine < ref, f"median {ref:g}"
    elif rule == "below_all":
        ref = min(values.values())
        ok, what = mine < ref, f"lowest {ref}"
    else:
        raise UnvotesError(f"unknown rule {rule!r}; choose below_median or below_all")
    listing = ", ".join(f"{_short(k)} {v}" for k, v in values.items())
    return Result(CONFIRMED if ok else REFUTED, f"{r.label()}: {mine} {count} votes against the {what} of the "
                                                 f"other votes ({listing})")


def check_similar(t: Tables, p: dict) -> Result:
    a, b = t.roll_call(p["vote_id"]), t.roll_call(p["other"])
    both = sorted(set(a.listed) & set(b.listed))
    if not (a.complete and b.complete):
        return Result(NOT_CHECKABLE, f"{a.label()} / {b.label()}: a partial roll call cannot show the pattern")
    same = sum(a.listed[s] == b.listed[s] for s in both)
    share = same / len(both)
    verdict = CONFIRMED if share >= float(p["min_agreement"]) else REFUTED
    return Result(verdict, f"{same} of the {len(both)} states ({share:.1%}) cast the same vote on {a.id} "
                           f"({a.totals()}) and {b.id} ({b.totals()}); claimed similar = at least "
                           f"{float(p['min_agreement']):.0%} the same")


def check_part_vote(t: Tables, p: dict) -> Result:
    whole = p["whole"]
    t.roll_call(whole)
    rc = t.roll_calls
    parts = rc[(rc["part_of"].astype(str) == whole) & (rc["kind"].astype(str) == p["part_kind"])]
    if p.get("label_contains"):
        parts = parts[parts["vote_id"].astype(str).str.contains(p["label_contains"], case=False, regex=False)]
    if parts.empty:
        return Result(NOT_CHECKABLE, p.get("reason") or (
            f"no separate recorded vote ({p['part_kind']}) on part of {whole} is in the data; the bulk sources hold "
            "none after January 2020, so its absence here proves nothing"))
    parts_desc, verdicts = [], []
    for vote_id in parts["vote_id"].astype(str):
        r = t.roll_call(vote_id)
        y, n = r.published["yes"], r.published["no"]
        desc = f"{r.label()}, {r.totals()}"
        if "adopted" in p:
            if y is None or n is None:
                verdicts.append(NOT_CHECKABLE)
            else:
                verdict, desc = _weigh(CONFIRMED if (y > n) == (p["adopted"].lower() == "true") else REFUTED, desc,
                                       r.single_source() and not r.complete)
                verdicts.append(verdict)
        else:
            verdicts.append(CONFIRMED)
        parts_desc.append(desc)
    verdict = next((v for v in (CONFIRMED, SINGLE_SOURCE, REFUTED) if v in verdicts), NOT_CHECKABLE)
    return Result(verdict, "separate vote(s) in the data: " + "; ".join(parts_desc))


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def check_title_contains(t: Tables, p: dict) -> Result:
    r = t.roll_call(p["vote_id"])
    title = str(r.row["title"])
    if not title.strip():
        return Result(NOT_CHECKABLE, f"{r.id}: no title in the data")
    ok = _plain(p["text"]) in _plain(title)
    return Result(CONFIRMED if ok else REFUTED, f"{r.id} is titled \u201c{title}\u201d")


def check_not_checkable(t: Tables, p: dict) -> Result:
    return Result(NOT_CHECKABLE, p["reason"])


CHECKS = {
    "vote_of": (check_vote_of, ["vote_id", "states", "expected"]),
    "same_vote": (check_same_vote, ["vote_ids", "states"]),
    "tally": (check_tally, ["vote_id"]),
    "voters_exactly": (check_voters_exactly, ["vote_id", "vote", "states"]),
    "share_of_members": (check_share_of_members, ["vote_id", "vote"]),
    "members": (check_members, ["vote_id", "expected"]),
    "weekday": (check_weekday, ["vote_id", "expected"]),
    "date": (check_date, ["vote_id", "expected"]),
    "group_share": (check_group_share, ["vote_id", "vote", "group", "more_than"]),
    "count_in_group": (check_count_in_group, ["vote_id", "votes", "group", "at_least"]),
    "all_votes": (check_all_votes, ["state", "expected"]),
    "first_time": (check_first_time, ["state", "vote_id", "vote"]),
    "compare_count": (check_compare_count, ["vote_id", "count", "rule"]),
    "similar": (check_similar, ["vote_id", "other", "min_agreement"]),
    "part_vote": (check_part_vote, ["whole", "part_kind"]),
    "title_contains": (check_title_contains, ["vote_id", "text"]),
    "not_checkable": (check_not_checkable, ["reason"]),
}


#: The optional parameters of each kind (the required ones are in CHECKS): any other key is an error, never
#: ignored (a misspelt ``abstian=33`` would otherwise leave a tally "confirmed" on the other counts).
OPTIONAL = {
    "tally": ["yes", "no", "abstain", "absent"],
    "share_of_members": ["expected", "tolerance", "more_than"],
    "group_share": ["exclude"],
    "count_in_group": ["exclude"],
    "all_votes": ["vote_ids", "between", "body"],
    "first_time": ["since", "vote_ids", "body"],
    "compare_count": ["vote_ids", "between"],
    "part_vote": ["label_contains", "adopted", "reason"],
}
#: Parameters that are counts, and parameters that are shares (fractions 0..1; ``expected`` is a share only
#: for share_of_members and a count only for members).
WHOLE_NUMBERS = ("yes", "no", "abstain", "absent", "at_least")
FRACTIONS = ("more_than", "min_agreement", "tolerance")
VOTE_ID_KEYS = ("vote_id", "vote_ids", "whole", "other")


# ---------------------------------------------------------------- specs, the claims file, evaluation


def parse_check(spec: str, where: str = "check") -> dict:
    """``"kind=vote_of; vote_id=...; ..."`` -> dict; a malformed spec, an unknown kind or a missing
    parameter is an error naming ``where`` and what is wrong."""
    params = {}
    for item in str(spec).split(";"):
        if not item.strip():
            continue
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UnvotesError(f"{where}: {item.strip()!r} is not key=value (in {spec!r})")
        params[key.strip()] = value.strip()
    kind = params.get("kind")
    if kind not in CHECKS:
        raise UnvotesError(f"{where}: unknown check kind {kind!r}; choose one of {sorted(CHECKS)}")
    missing = [k for k in CHECKS[kind][1] if k not in params]
    if missing:
        raise UnvotesError(f"{where}: check {kind} needs {', '.join(missing)} (got {sorted(params)})")
    allowed = ["kind", *CHECKS[kind][1], *OPTIONAL.get(kind, [])]
    unknown = [k for k in params if k not in allowed]
    if unknown:
        raise UnvotesError(f"{where}: check {kind} takes no parameter(s) {unknown}"
                           + "".join(_did_you_mean(k, allowed) for k in unknown) + f"; its parameters are {allowed}")
    if kind == "share_of_members" and "more_than" not in params and not {"expected", "tolerance"} <= set(params):
        raise UnvotesError(f"{where}: check share_of_members needs expected and tolerance, or more_than")
    _check_values(kind, params, where)
    _check_numbers(kind, params, where)
    _check_vote_ids(params, where)
    return params


def _did_you_mean(value: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def _check_numbers(kind: str, params: dict, where: str) -> None:
    """Counts are whole numbers and shares fractions in 0..1: ``expected=75`` for 75% would be a verdict
    on 7500%."""
    whole = [*WHOLE_NUMBERS, *(["expected"] if kind == "members" else [])]
    shares = [*FRACTIONS, *(["expected"] if kind == "share_of_members" else [])]
    for key in whole:
        if key in params and not re.fullmatch(r"\d+", params[key]):
            raise UnvotesError(f"{where}: {key} {params[key]!r} is not a whole number (a count of states)")
    for key in shares:
        if key not in params:
            continue
        try:
            value = float(params[key])
        except ValueError:
            value = None
        if value is None or not 0 <= value <= 1:
            hint = f"; for {params[key]}% write {float(params[key]) / 100:g}" if value is not None and 1 < value <= 100 else ""
            raise UnvotesError(f"{where}: {key} {params[key]!r} is not a share (a fraction from 0 to 1){hint}")


def _known_vote_ids() -> set[str]:
    """The vote ids a claim may name: the catalogue's (votes this project tracks, recorded or not) and every
    roll call of the processed tables, where they are built."""
    from unvotes.tables import catalogue

    known = set(catalogue.curated()["vote_id"])
    tables = paths.processed_dir() / "roll_calls.parquet"
    if tables.is_file():
        known |= _roll_call_ids(str(tables), tables.stat().st_mtime_ns)
    return known


@lru_cache(maxsize=2)
def _roll_call_ids(path: str, _mtime: int) -> frozenset[str]:
    return frozenset(pd.read_parquet(path, columns=["vote_id"])["vote_id"].astype(str))


def _check_vote_ids(params: dict, where: str) -> None:
    """A vote id that is neither catalogued nor in the data is a typo (A/RES/ES-11/44, a/res/es-11/4), an error
    here with the close matches: checked later it would become a "not checkable" verdict."""
    named = [(k, v) for k in VOTE_ID_KEYS if k in params for v in _list(params[k])]
    if not named:
        return
    known = _known_vote_ids()
    for key, vote_id in named:
        if vote_id not in known:
            by_case = [k for k in known if k.upper() == vote_id.upper()]
            hint = f" (did you mean {by_case[0]!r}?)" if by_case else _did_you_mean(vote_id, known)
            raise UnvotesError(f"{where}: {key} {vote_id!r} is neither in data/external/ukraine_votes.csv nor in the "
                               f"processed roll calls{hint}")


def _check_values(kind: str, params: dict, where: str) -> None:
    """A state code or vote value that cannot exist is an error here, where the claim is read: checked
    later it would become a verdict ("refuted: not a member") that the data never gave."""
    from unvotes.tables import membership

    known = membership.known_codes()
    for key in ("states", "state"):
        unknown = [c for c in _list(params.get(key, "")) if c not in known]
        if unknown:
            raise UnvotesError(f"{where}: {key} {unknown} are not ISO3 codes of data/external/"
                               f"{membership.MEMBERSHIP_FILE} (write e.g. USA, RUS, CHN)")
    vote_fields = [("vote", params.get("vote", ""))] + [("votes", params.get("votes", ""))]
    if kind in ("vote_of", "all_votes"):
        vote_fields.append(("expected", params.get("expected", "")))
    for key, value in vote_fields:
        bad = sorted({v.strip() for v in value.replace(",", "|").split("|") if v.strip()} - set(VOTES))
        if bad:
            raise UnvotesError(f"{where}: {key} {bad} is not a vote value; choose from {'|'.join(VOTES)}")


def evaluate(spec: str | dict, tables: Tables | None = None, article: str = "") -> Result:
    """The verdict and evidence of one check against ``tables`` (default: the processed tables). ``article``
    (the seed file the claim comes from) lets a check notice evidence that rests on that article alone."""
    p = dict(parse_check(spec) if isinstance(spec, str) else spec, _article=article)
    t = Tables.processed() if tables is None else tables
    try:
        return CHECKS[p["kind"]][0](t, p)
    except _Missing as missing:
        return Result(NOT_CHECKABLE, str(missing)[0].upper() + str(missing)[1:])


def load() -> pd.DataFrame:
    """``data/external/claims.csv``, validated: unique ids, every field filled, every check well formed."""
    df = read_curated(CLAIMS_FILE, COLUMNS)
    problems = []
    dup = df.loc[df["claim_id"].duplicated(), "claim_id"].tolist()
    if dup:
        problems.append(f"duplicate claim_id {dup}")
    for column in ("claim_id", "article", "quote", "claim", "check"):
        empty = [i + 2 for i in df.index[df[column].str.strip() == ""]]
        if empty:
            problems.append(f"empty {column} on line(s) {empty}")
    for i, row in df.iterrows():
        try:
            parse_check(row["check"], where=f"line {i + 2} ({row['claim_id']})")
        except UnvotesError as exc:
            problems.append(str(exc))
    if problems:
        raise UnvotesError(f"data/external/{CLAIMS_FILE}: " + "; ".join(problems) + ". Fix the file.")
    return df


def quote_problems(claims: pd.DataFrame | None = None, folder: Path | None = None) -> list[str]:
    """Claims whose article is not a file in the seeds folder or whose quote is not verbatim in it."""
    claims = load() if claims is None else claims
    folder = seeds_dir() if folder is None else Path(folder)
    problems, texts = [], {}
    for row in claims.itertuples():
        path = folder / row.article
        if row.article not in texts:
            texts[row.article] = path.read_text(encoding="utf-8") if path.is_file() else None
        if texts[row.article] is None:
            problems.append(f"{row.claim_id}: no article {path}")
        elif row.quote not in texts[row.article]:
            problems.append(f"{row.claim_id}: quote not found verbatim in {row.article}: {row.quote[:60]!r}...")
    return problems


def evaluate_all(articles: list[str] | None = None, tables: Tables | None = None) -> pd.DataFrame:
    """Every claim (of ``articles``, default all) with its check kind, verdict and evidence."""
    claims = load()
    if articles is not None:
        known = sorted(claims["article"].unique())
        unknown = sorted(set(articles) - set(known))
        if unknown:
            raise UnvotesError(f"no claims for article(s) {unknown}; articles with claims: {known}")
        claims = claims[claims["article"].isin(articles)]
    t = Tables.processed() if tables is None else tables
    results = [evaluate(c, t, a) for c, a in zip(claims["check"], claims["article"])]
    out = claims.copy()
    out.insert(4, "kind", [parse_check(c)["kind"] for c in claims["check"]])
    out["verdict"] = [r.verdict for r in results]
    out["evidence"] = [r.evidence for r in results]
    return out.reset_index(drop=True)


def summary(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Counts of verdicts per article (rows, labelled by :func:`article_title`) with totals; the column ``file``
    gives each article's seed file."""
    table = pd.crosstab(evaluated["article"], pd.Categorical(evaluated["verdict"], VERDICTS), dropna=False,
                        margins=True, margins_name="total")
    table.columns = table.columns.astype(str)
    table.columns.name = None
    labels = article_labels([a for a in table.index if a != "total"])
    table["file"] = ["" if a == "total" else a for a in table.index]
    table.index = pd.Index([labels.get(a, a) for a in table.index], name="article")
    return table


VOTE_PARAMS = ("vote_id", "vote_ids", "whole", "other")


def referenced_votes(checks: pd.Series | list[str]) -> list[str]:
    """Every vote id the checks name explicitly (vote_id, vote_ids, whole, other), in first-seen order."""
    out: dict[str, None] = {}
    for spec in checks:
        p = parse_check(spec)
        for key in VOTE_PARAMS:
            for vote_id in _list(p.get(key, "")):
                out.setdefault(vote_id)
    return list(out)


#: A vote as the rule in words counts it.
_VOTE_WORDS = {"yes": "yes votes", "no": "no votes", "abstain": "abstentions", "absent": "absences"}
_EXPECT_WORDS = {"yes": "yes", "no": "no", "abstain": "abstain", "absent": "absent"}


def _states_in_words(value: str) -> str:
    """ISO3 codes as the states' names ("China and India"); a code the countries table does not know as is."""
    try:
        names = api.load_countries().set_index("iso3")["name"]
    except UnvotesError:
        names = pd.Series(dtype=str)
    said = [str(names.get(c, c)) for c in _list(value)]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1] if said else "every state"


def _either(value: str, words: dict) -> str:
    return " or ".join(words.get(v, v) for v in sorted(_alternatives(value)))


def _votes_in_words(p: dict) -> str:
    body = {"GA": " of the General Assembly", "SC": " of the Security Council"}.get(p.get("body", ""), "")
    if "vote_ids" in p:
        return ", ".join(_list(p["vote_ids"]))
    if "between" in p:
        start, _, end = p["between"].partition("..")
        return f"every catalogued vote{body} on the war from {start} to {end}"
    if "since" in p:
        return f"every catalogued vote{body} on the war since {p['since']}"
    return f"every catalogued vote{body} on the war"


def _group_in_words(spec: str) -> str:
    column, _, value = spec.partition(":")
    if column == "un_group" and value:
        return f"the {value} Group"
    return f"the members of the {column.removeprefix('member_').upper()}" if not value else f"{column} {value}"


def rule_in_words(spec: str) -> str:
    """A claim's check (``kind=...; ...``, see the module docstring) as a reader reads it: what is looked up or
    counted in the recorded votes, e.g. "We count the abstentions on A/RES/ES-11/4 in the recorded votes and
    compare them with 35". The rule as the program reads it stays in the claims table."""
    p = parse_check(spec)
    kind, vote = p["kind"], p.get("vote_id", "")
    if kind == "vote_of":
        return (f"We look up the vote of {_states_in_words(p['states'])} on {vote} in the recorded votes; the claim "
                f"says {_either(p['expected'], _EXPECT_WORDS)}.")
    if kind == "same_vote":
        return f"We check that {_states_in_words(p['states'])} cast the same vote on {_votes_in_words(p)}."
    if kind == "tally":
        counted = [f"{p[c]} {_VOTE_WORDS[c]}" for c in VOTES if c in p]
        return (f"We count the {' and '.join(_VOTE_WORDS[c] for c in VOTES if c in p) or 'votes'} on {vote} in the "
                f"recorded votes and the published totals, and compare them with the claim's "
                f"{', '.join(counted) or 'numbers'}.")
    if kind == "voters_exactly":
        return (f"We list the states that cast {_either(p['vote'], _VOTE_WORDS)} on {vote} and compare the list with "
                f"the claim's: {_states_in_words(p['states'])}.")
    if kind == "share_of_members":
        claimed = (f"more than {float(p['more_than']):.0%}" if "more_than" in p else
                   f"about {float(p['expected']):.0%}, give or take {float(p['tolerance']):.0%}")
        return (f"We divide the {_either(p['vote'], _VOTE_WORDS)} on {vote} by the number of member states on the day; "
                f"the claim says {claimed}.")
    if kind == "members":
        return f"We count the member states on the day of {vote}; the claim says {p['expected']}."
    if kind == "weekday":
        return f"We look up the day of the week of {vote}; the claim says {p['expected']}."
    if kind == "date":
        return f"We look up the date of {vote}; the claim says {p['expected']}."
    if kind == "group_share":
        less = f" (leaving out {_states_in_words(p['exclude'])})" if p.get("exclude") else ""
        return (f"Among the states that cast {_either(p['vote'], _VOTE_WORDS)} on {vote}{less}, we count the share "
                f"from {_group_in_words(p['group'])}; the claim says more than {float(p['more_than']):.0%}.")
    if kind == "count_in_group":
        less = f" (leaving out {_states_in_words(p['exclude'])})" if p.get("exclude") else ""
        return (f"We count the states in {_group_in_words(p['group'])}{less} that cast "
                f"{_either(p['votes'], _VOTE_WORDS)} on {vote}; the claim says at least {p['at_least']}.")
    if kind == "all_votes":
        return (f"We look up the vote of {_states_in_words(p['state'])} on {_votes_in_words(p)}; the claim says "
                f"{_either(p['expected'], _EXPECT_WORDS)} every time.")
    if kind == "first_time":
        return (f"We look up the vote of {_states_in_words(p['state'])} on {vote} and on {_votes_in_words(p)} "
                f"before it; the claim says {_EXPECT_WORDS.get(p['vote'], p['vote'])} on {vote} for the first time.")
    if kind == "compare_count":
        than = "the middle value (median) of" if p["rule"] == "below_median" else "every one of"
        return (f"We count the {_VOTE_WORDS.get(p['count'], p['count'])} on {vote} and compare the number with "
                f"{than} the other votes' ({_votes_in_words(p)}); the claim says it is lower.")
    if kind == "similar":
        return (f"We compare each state's vote on {vote} with its vote on {p['other']}; the claim says that at least "
                f"{float(p['min_agreement']):.0%} voted the same way on both.")
    if kind == "part_vote":
        what = f" ({p['label_contains']})" if p.get("label_contains") else ""
        article = "an" if p["part_kind"][:1] in "aeiou" else "a"
        return (f"We look for a separate recorded vote on {article} {p['part_kind']}{what} of {p['whole']} in the data"
                + ("; the claim says it was adopted." if p.get("adopted", "").lower() == "true" else "."))
    if kind == "title_contains":
        return f"We look for the words “{p['text']}” in the title of {vote}."
    if kind == "not_checkable":
        return f"Not checked against the recorded votes: {p['reason'].rstrip('.')}."
    return f"Checked with the rule {spec}."  # a kind added to CHECKS without its words here


_MARK = {CONFIRMED: "[confirmed]", REFUTED: "[REFUTED]", SINGLE_SOURCE: "[single source]", NOT_CHECKABLE: "[not checkable]"}  # plain text: emoji fonts are not everywhere


def report_markdown(evaluated: pd.DataFrame) -> str:
    """Every evaluated claim as Markdown, one section per article (titled by :func:`article_title`, with its
    opening line unless that is the headline, and its link where known): the quote, the claim, the verdict with
    its evidence, how it was checked in plain words (:func:`rule_in_words`) and any note on how the claim was read.
    The rules as the program reads them and the files of the texts examined are in :func:`rules_html`."""
    from unvotes.site.markup import heading_text, md_text

    lines = []
    table = articles()
    labels = article_labels(sorted(evaluated["article"].unique()), table)
    headlines = dict(zip(table["article"], table["headline"]))
    urls = dict(zip(table["article"], table["url"]))
    for article, rows in evaluated.groupby("article", sort=True):
        counts = rows["verdict"].value_counts()
        opening = opening_line(article)
        if opening and headlines.get(article) and opening.rstrip("…") in headlines[article]:
            opening = ""  # the headline, already in the section title
        tally = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS)
        text = md_text  # every curated or data string is literal text on the page (site.markup, the one escaper)
        # the article as a reader finds it: its link where known, else the gap stated
        where = (f"[Read the article]({urls[article]})" if urls.get(article) else "No web address known for this article")
        lines.append(f"### {heading_text(labels[article])}\n\n" + (f"*{text(opening)}*  \n" if opening else "")
                     + f"{where}\n\n" + tally + "\n")
        for quote, same in rows.groupby("quote", sort=False):
            lines.append(f"> “{text(quote)}”\n")
            for r in same.itertuples():
                lines.append(f"- **{text(r.claim_id)}** {text(r.claim)} **{_MARK[r.verdict]}**: {text(r.evidence)}  \n"
                             f"  How we checked: {text(rule_in_words(r.check))}"
                             + (f"  \n  How the claim was read: {text(r.notes)}" if r.notes else ""))
            lines.append("")
    return "\n".join(lines)


def articles_markdown(evaluated: pd.DataFrame) -> str:
    """The articles checked, as a reader cites them (Markdown list): outlet, headline, date and link, each
    from :func:`articles` (a value the table does not give is said to be unknown, never guessed), and the number of
    claims taken from each."""
    from unvotes.site.markup import md_text

    table = articles().set_index("article")
    counts = evaluated["article"].value_counts()
    lines = []
    for article in sorted(evaluated["article"].unique()):
        r = table.loc[article] if article in table.index else pd.Series(dtype=str)
        outlet = str(r.get("outlet", "") or "").strip()
        headline_ = str(r.get("headline", "") or "").strip()
        date, url = str(r.get("date", "") or "").strip(), str(r.get("url", "") or "").strip()
        parts = [f"**{md_text(outlet)}**" if outlet else "**outlet not known**",
                 f"“{md_text(headline_)}”" if headline_ else "headline not given in the text",
                 _format_date(date) if date else "date not given in the text",
                 f"[read the article]({url})" if url else "no web address known"]
        n = int(counts.get(article, 0))
        lines.append(f"- {', '.join(parts)}: {n} claim{'s' * (n != 1)}")
    return "\n".join(lines)


def rules_html(evaluated: pd.DataFrame) -> str:
    """The rule of each claim as the program reads it (``kind=...``) and the file of the article's text the quote
    was found in, for a reader who wants to re-run a check: an HTML table in a closed ``<details>`` element."""
    from unvotes.tables.labels import table_html

    shown = pd.DataFrame({"claim": evaluated["claim_id"].astype(str), "rule": evaluated["check"].astype(str),
                          "text examined": evaluated["article"].astype(str)})
    return ("<details><summary>The rules as the program reads them, and the texts examined</summary>\n"
            + table_html(shown) + "\n</details>")


def plot_summary(evaluated: pd.DataFrame, ax=None):
    """Horizontal stacked bars: verdicts per article."""
    import matplotlib.pyplot as plt

    table = summary(evaluated).drop(index="total")[VERDICTS]
    table.index = [textwrap.fill(label, 46) for label in table.index]
    if ax is None:
        lines = sum(label.count("\n") + 1 for label in table.index)
        _, ax = plt.subplots(figsize=(8, 0.25 * lines + 0.3 * len(table) + 1.6))
    colors = {CONFIRMED: "#009E73", REFUTED: "#D55E00", SINGLE_SOURCE: "#E69F00", NOT_CHECKABLE: "#BBBBBB"}
    table.iloc[::-1].plot.barh(stacked=True, ax=ax, color=[colors[v] for v in VERDICTS], width=0.7, edgecolor="white")
    ax.set_xlabel("Number of claims")
    ax.set_ylabel("")
    ax.set_title("Claims about UN votes in the news articles, by verdict", pad=22)
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    from unvotes.analyses import plotting

    plotting.add_source(ax.figure, f"claims: data/external/{CLAIMS_FILE}; articles: data/external/{ARTICLES_FILE}; "
                        "votes: "
                        + plotting.vote_data_source(referenced_votes(evaluated["check"])))
    return ax


def opening_line(article: str) -> str:
    """The first line of a seed article with some substance (its headline or lead), cut at 100 characters."""
    path = seeds_dir() / article
    if not path.is_file():
        return ""
    line = next((x.strip() for x in path.read_text(encoding="utf-8").splitlines() if len(x.strip()) > 30), "")
    return line if len(line) <= 100 else line[:99].rstrip() + "…"


def seed_files() -> list[str]:
    """The seed article files (names) in the seeds folder, sorted; empty if the folder is absent."""
    folder = seeds_dir()
    return sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []


# ---------------------------------------------------------------- the articles as a reader cites them


def articles() -> pd.DataFrame:
    """``data/external/news_articles.csv``: one row per seed article (``article`` = the seed file name) with its
    outlet, headline, date (YYYY-MM-DD), url and the citation of each value; empty where the text does not give
    a value. Validated: every article named in ``claims.csv`` has exactly one row, every date parses, every url
    is a web address and every row has a citation; a bad row is an error naming the file, the line and the value."""
    df = read_curated(ARTICLES_FILE, ARTICLE_COLUMNS)
    path = paths.external_dir() / ARTICLES_FILE
    problems = []
    for i, r in df.iterrows():
        at = f"line {i + 2} ({r['article'] or 'no article'})"
        if not r["article"].strip():
            problems.append(f"{at}: empty article (the seed file name)")
        if r["date"] and (not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
                          or pd.isna(pd.to_datetime(r["date"], format="%Y-%m-%d", errors="coerce"))):
            problems.append(f"{at}: date {r['date']!r} is not a YYYY-MM-DD date "
                            "(leave it empty if the text gives none)")
        if r["url"] and not re.match(r"https?://\S+$", r["url"]):
            problems.append(f"{at}: url {r['url']!r} is not a web address")
        if not r["citation"].strip():
            problems.append(f"{at}: no citation (say where each value comes from, or that the text does not give it)")
    dup = sorted(set(df.loc[df["article"].duplicated() & (df["article"] != ""), "article"]))
    if dup:
        problems.append(f"more than one row for {dup}")
    missing = sorted(set(load()["article"]) - set(df["article"]))
    if missing:
        problems.append(f"no row for {missing}, named in data/external/{CLAIMS_FILE}")
    if problems:
        raise DataFileError(f"{path}: " + "; ".join(problems) + ". Fix the file.")
    return df


def _format_date(value: str) -> str:
    d = pd.Timestamp(value)
    return f"{d.day} {d:%B %Y}"


def article_title(article: str, table: pd.DataFrame | None = None) -> str:
    """The article as a reader cites it: "Outlet, 'Headline' (D Month YYYY)", leaving out what the table does not
    give ("Newsweek" when only the outlet is known); the file name when the table has no row or no value for it.
    ``table`` defaults to :func:`articles`."""
    table = articles() if table is None else table
    rows = table[table["article"] == article]
    if rows.empty:
        return article
    r = rows.iloc[0]
    outlet, headline_, date = (str(r[c]).strip() for c in ("outlet", "headline", "date"))
    title = ", ".join(x for x in (outlet, f"'{headline_}'" if headline_ else "") if x)
    if date:
        title = f"{title} ({_format_date(date)})" if title else _format_date(date)
    return title or article


def article_labels(names: list[str], table: pd.DataFrame | None = None) -> dict[str, str]:
    """{seed file name: :func:`article_title`} for ``names``, made unique: a title two articles share gets the
    file name in parentheses."""
    table = articles() if table is None else table
    titles = {a: article_title(a, table) for a in names}
    shared = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {a: (f"{t} ({a})" if t in shared and t != a else t) for a, t in titles.items()}


def headline(evaluated: pd.DataFrame) -> str:
    """The claims check in one sentence (Markdown)."""
    counts = evaluated["verdict"].value_counts()
    return (f"Of the {len(evaluated)} claims about UN votes in the {evaluated['article'].nunique()} news articles that started this project, "
            + ", ".join(f"{int(counts.get(v, 0))} {v}" for v in VERDICTS) + " against the data.")
