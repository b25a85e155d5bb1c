"""Build the processed tables from raw data: the one place where sources meet.

Steps (``build_tables``):

1. fetch the registered raw files (data/raw, the mirror, or upstream) and read each vote source;
2. reconcile country names to ISO3 (:mod:`unvotes.tables.reconcile`);
3. within a source: compare duplicate records of one vote and repeated listings of one state, keep
   the first, and report; compare published totals with listed votes (:func:`check_totals`);
4. across sources, one precedence rule per vote id: **UN Digital Library bulk files > single UN Digital
   Library records (added with ``add-vote``) > DGACM > the 2025 file (unga-2025) > unvotes > derived >
   curated** (derived: roll calls computed from other files by a checked rule, :mod:`unvotes.sources.readers.derived`;
   curated: the hand-curated roll calls of data/external/separate_*.csv, :mod:`unvotes.tables.curated_votes`); where
   two sources hold the same vote, their disagreements are reported;
5. add ``absent`` rows for members who are not listed (UN members on the date for the General Assembly,
   the year's 15 members for the Security Council) on roll calls that list every vote; a partial roll call
   keeps only its listed states; report listed votes by states that were not members on that date;
   compare the cited published totals of data/external/published_totals.csv with the computed ones; mark
   absences of members that had lost their vote under Article 19 (:mod:`unvotes.tables.vote_rights`);
6. build the countries table from the vote tables and the covariate sources (:mod:`unvotes.tables.countries`), and
   the topics table (``roll_call_issues``: UN subjects and agenda items, Voeten's issue codes, flagged
   machine-assigned tags) from what each source records;
7. validate every table against its schema (:mod:`unvotes.tables.schemas`) and write them atomically.

Nothing is silently fixed: every discrepancy becomes a row of ``quality_findings``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from tqdm import tqdm  # the plain bar: tqdm.auto warns in kernels without ipywidgets

from unvotes import __version__, paths
from unvotes.sources import add_vote
from unvotes.tables import (
    countries, curated_reads, curated_votes, membership, published_totals, reconcile, schemas, vote_rights,
)
from unvotes.errors import UnvotesError
from unvotes.sources.fetch import fetch, fetch_optional
from unvotes.quality import finding, findings_frame, stop_on_errors
from unvotes.sources.readers import VOTE_VALUES, SourceVotes
from unvotes.sources.raw_files import registry

#: Highest first. One rule decides which source's record of a vote is kept. Hand-curated roll calls come
#: last: they are for votes no bulk dataset holds, so any bulk record of the same vote supersedes them.
PRECEDENCE = schemas.VOTE_SOURCES
assert PRECEDENCE[-1] == curated_votes.SOURCE
TABLES = ("roll_calls", "votes", "roll_call_issues", "countries", "quality_findings")
OFFICIAL_ABSENT_NOTE = (
    "The official UN Digital Library bulk files (GA: undl-ga/2026_02_06_ga_voting.csv, SC: "
    "undl-sc/2026_02_06_sc_voting.csv) are not in data/raw or the mirror: building from the DGACM "
    "extracts (sessions 74-80, ES-10, ES-11/1-6), the 2025 roll calls scraped from the UN Digital Library "
    "(unga-2025: GA and Security Council, 2025) and unvotes (1946 - Jan 2020). Security Council votes before "
    "2025 and votes after 2025 come only from the curated tables (data/external/separate_roll_calls.csv). "
    "See README, 'Adding the official UN Digital Library files'."
)


@dataclass
class Built:
    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    countries: pd.DataFrame
    quality_findings: pd.DataFrame
    roll_call_issues: pd.DataFrame
    provenance: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    curated: list[dict] = field(default_factory=list)
    #: the curated tables (data/external) the build opened, when it was traced from the start (``unvotes
    #: data``); None otherwise
    curated_read: list[str] | None = None
    #: the raw files (data/raw) the build read, for the Makefile: one that is gone rebuilds the tables
    raw_read: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def read_sources(*, download: bool = True, say=print) -> tuple[list[SourceVotes], list[str]]:
    """Fetch and read every vote source that is available. Returns (sources, notes)."""
    from unvotes.sources.readers.dgacm import read_dgacm
    from unvotes.sources.readers.unga2025 import read_unga2025
    from unvotes.sources.readers.unvotes_r import read_unvotes

    reg = registry()
    notes: list[str] = []
    out: list[SourceVotes] = []

    official = {
        "undl-ga": next((g for f in reg.files_of("undl-ga") if (g := fetch_optional(f)) is not None), None),
        "undl-sc": next((g for f in reg.files_of("undl-sc") if (g := fetch_optional(f)) is not None), None),
    }
    if all(v is None for v in official.values()):
        notes.append(OFFICIAL_ABSENT_NOTE)
        say(OFFICIAL_ABSENT_NOTE)
    steps = [("dgacm-ga", None), ("unga-2025", None), ("unvotes-r", None)] + [
        (k, v) for k, v in official.items() if v is not None]
    for source_id, got in tqdm(steps, desc="Reading vote sources", unit="source", disable=None):
        if source_id == "dgacm-ga":
            files = [fetch(f, download=download) for f in reg.files_of("dgacm-ga")]
            out.append(read_dgacm([f.path for f in files]))
        elif source_id == "unga-2025":
            out.append(read_unga2025(fetch(reg.file("unga-2025", "un_votes_2025_processed.csv"), download=download).path))
        elif source_id == "unvotes-r":
            rc = fetch(reg.file("unvotes-r", "un_roll_calls.rda"), download=download)
            v = fetch(reg.file("unvotes-r", "un_votes.rda"), download=download)
            issues = fetch(reg.file("unvotes-r", "un_roll_call_issues.rda"), download=download)
            out.append(read_unvotes(rc.path, v.path, issues.path))
        else:
            from unvotes.sources.readers.undl import read_undl_ga, read_undl_sc

            if not got.pinned:
                say(f"Note: {got.file.relpath} has no pinned checksum; its sha256 is {got.sha256}.")
            out.append(read_undl_ga(got.path) if source_id == "undl-ga" else read_undl_sc(got.path))
    stored = add_vote.stored_records()
    if stored:
        from unvotes.sources.readers.undl_record import read_undl_records

        out.append(read_undl_records([fetch(f, download=False).path for f in stored]))
        say(f"Read {len(stored)} UN Digital Library record(s) added with add-vote (data/raw/undl-records).")
    out.append(curated_votes.read_curated_votes())
    return out, notes


# ---------------------------------------------------------------- within one source


def _attach_records(sv: SourceVotes) -> pd.DataFrame:
    """Votes with their roll call's record key and date. Readers give each roll call a unique
    source_ref; a source with repeated vote ids (duplicate records) links votes by source_ref."""
    rc, v = sv.roll_calls, sv.votes
    key = "vote_id" if rc["vote_id"].is_unique else "source_ref"
    indexed = rc.set_index(key, drop=False)
    dates, records = indexed["date"], indexed["source_ref"]
    out = v.assign(date=v[key].map(dates), record=v[key].map(records))
    orphan = out["date"].isna()
    if orphan.any():
        raise AssertionError(f"{sv.source}: {orphan.sum()} votes link to no roll call "
                             f"(e.g. {out.loc[orphan, key].iloc[0]!r})")
    return out


def _dedupe_records(sv: SourceVotes, votes: pd.DataFrame, findings: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the first record of a vote id that a source holds more than once; report how copies differ."""
    rc = sv.roll_calls
    dup_ids = rc.loc[rc["vote_id"].duplicated(), "vote_id"].unique()
    for vote_id in dup_ids:
        records = rc.loc[rc["vote_id"] == vote_id, "source_ref"].tolist()
        first = votes[votes["record"] == records[0]].set_index("iso3")["vote"]
        for other_ref in records[1:]:
            other = votes[votes["record"] == other_ref].set_index("iso3")["vote"]
            both = first.to_frame("a").join(other.to_frame("b"), how="outer")
            differ = both[both["a"].ne(both["b"])]
            detail = (f"recorded again at {other_ref}; identical votes after reconciling names, the first record "
                      f"({records[0]}) is kept" if differ.empty else
                      f"recorded again at {other_ref} with {len(differ)} different state vote(s) "
                      f"({', '.join(f'{i}: {a} vs {b}' for i, a, b in differ.fillna('not listed').itertuples())[:300]}); "
                      f"the first record ({records[0]}) is kept")
            findings.append(finding(sv.source, "duplicate_record", detail, vote_id=vote_id, source_ref=records[0],
                                    severity="info" if differ.empty else "warning"))
    keep_refs = rc.drop_duplicates("vote_id")["source_ref"]
    return rc[rc["source_ref"].isin(keep_refs)], votes[votes["record"].isin(keep_refs)]


def _dedupe_listings(source: str, votes: pd.DataFrame, findings: list[dict]) -> pd.DataFrame:
    """One row per (vote, state). A state listed twice is reported; if the listings conflict the first is kept."""
    dup = votes.duplicated(["vote_id", "iso3"], keep=False)
    if not dup.any():
        return votes
    for vote_id, grp in votes[dup].groupby("vote_id", sort=False):
        # two different names that became one code: a wrong alias or code, never a repeated listing
        names = grp.groupby("iso3")["country"].agg(lambda s: sorted({reconcile.name_key(n) for n in s}))
        merged = names[names.map(len) > 1]
        if len(merged):
            shown = "; ".join(f"{' and '.join(map(repr, n))} all became {iso3}" for iso3, n in merged.head(5).items())
            findings.append(finding(source, "alias_collision", f"{len(merged)} state code(s) given to two different "
                                    f"names on one roll call: {shown}. One of the names is mapped to the wrong "
                                    f"state: check its row in data/external/{reconcile.ALIASES_FILE} (or the "
                                    "source's code)", vote_id=vote_id, source_ref=grp["record"].iloc[0],
                                    severity="error"))
        per_state = grp.groupby("iso3")["vote"].agg(lambda s: sorted(set(s)))
        conflicting = per_state[per_state.map(len) > 1]
        if len(conflicting):
            findings.append(finding(source, "conflicting_listing", f"{len(conflicting)} state(s) listed under two "
                                    f"votes: {dict(conflicting.head(10))}; the first listing is kept",
                                    vote_id=vote_id, source_ref=grp["record"].iloc[0], severity="error"))
        repeated = per_state[per_state.map(len) == 1]
        if len(repeated):
            findings.append(finding(source, "duplicate_listing", f"{len(repeated)} state(s) listed more than once "
                                    f"with the same vote (e.g. {', '.join(repeated.index[:5])}); counted once",
                                    vote_id=vote_id, source_ref=grp["record"].iloc[0], severity="warning",
                                    listed=len(grp), published=None))
    return votes.drop_duplicates(["vote_id", "iso3"], keep="first")


def listed_counts(votes: pd.DataFrame) -> pd.DataFrame:
    """yes/no/abstain/absent counts of the listed votes per vote_id."""
    counts = votes.groupby([votes["vote_id"].astype(str), votes["vote"].astype(str)]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(VOTE_VALUES), fill_value=0)


def check_totals(source: str, roll_calls: pd.DataFrame, raw_votes: pd.DataFrame, votes: pd.DataFrame) -> list[dict]:
    """Published totals against listed votes, per roll call and category. ``raw_votes``: as listed in the file
    (repeats included); ``votes``: one row per state. Absent is compared only where the source lists absences."""
    out = []
    raw = listed_counts(raw_votes)
    distinct = listed_counts(votes)
    lists_absent = (raw_votes["vote"] == "absent").any()
    categories = ["yes", "no", "abstain"] + (["absent"] if lists_absent else [])
    for rc in roll_calls.itertuples(index=False):
        for cat in categories:
            published = getattr(rc, cat)
            if pd.isna(published):
                continue
            n_raw = int(raw.at[rc.vote_id, cat]) if rc.vote_id in raw.index else 0
            n_distinct = int(distinct.at[rc.vote_id, cat]) if rc.vote_id in distinct.index else 0
            if n_raw != published:
                extra = f" ({n_distinct} distinct states)" if n_distinct != n_raw else ""
                if n_raw == 0 and published > 0:
                    detail = f"published {published} {cat} but no names listed for that category"
                else:
                    detail = f"published {published} {cat}, listed {n_raw}{extra}"
                out.append(finding(source, "count_mismatch", detail + "; data kept as published",
                                   vote_id=rc.vote_id, source_ref=rc.source_ref, published=int(published),
                                   listed=n_raw))
    return out


#: Sources whose records name every member, voting or not (non-voting as X or blank): only for these can the
#: number of listed states be held against the number of members. The others list only the states that voted.
LISTS_EVERY_MEMBER = frozenset({"undl-ga", "undl-sc", "undl-records"})
#: How far the states a record names may fall from the members on the day and still be the whole roll call:
#: membership dates are curated to the day, but a record may name a state admitted that week or one whose
#: delegation was not seated, never dozens.
MEMBER_TOLERANCE = 3
#: How far a listed category may fall from its published total: records corrected after the meeting (a
#: delegation's vote changed in the listing, not in the count) differ by one or two, a cut record by many.
TOTALS_TOLERANCE = 2


def completeness(roll_calls: pd.DataFrame, votes: pd.DataFrame, *, lists_every_member: bool) -> pd.DataFrame:
    """Whether each roll call's listing is the whole vote, never assumed from its source. Returns a frame
    indexed by vote_id with ``listed`` (distinct states named), ``members`` (UN members on the date for the
    General Assembly, the year's Council members for the Security Council; <NA> where not curated),
    ``complete`` and ``reason`` (why not; "" when complete).

    A roll call is complete when each listed category (yes, no, abstain) is within ``TOTALS_TOLERANCE`` of
    its published total (where published) and, for a source that names every member (``lists_every_member``),
    it names about as many states as there were members (±``MEMBER_TOLERANCE``). (Naming more states than
    members is a dating or membership question, reported as ``vote_by_non_member``, not a missing listing.)
    ``votes``: one row per (vote_id, iso3), as listed by the source.
    This is the one check of completeness: the build applies it to every source, and a derived roll call
    can be held to it before it is added."""
    rc = roll_calls.drop_duplicates("vote_id").set_index("vote_id")
    counts = listed_counts(votes.drop_duplicates(["vote_id", "iso3"])).reindex(rc.index, fill_value=0)
    ga, sc = rc[rc["body"] == "GA"].reset_index(), rc[rc["body"] == "SC"].reset_index()
    sc = sc[sc["date"].dt.year.isin(membership.council()["year"])]
    pairs = pd.concat([membership.member_pairs(ga), membership.council_pairs(sc)], ignore_index=True)
    members = pairs.groupby("vote_id").size().reindex(rc.index).astype("Int64")
    listed = counts.sum(axis=1)
    reasons = []
    for vote_id, r in rc.iterrows():
        why = []
        for cat in ("yes", "no", "abstain"):
            published, n = r[cat], int(counts.at[vote_id, cat])
            if pd.notna(published) and abs(n - int(published)) > TOTALS_TOLERANCE:
                why.append(f"it lists {n} {cat} against the published {int(published)}")
        m = members.at[vote_id]
        if pd.notna(m):
            where = "UN members" if r["body"] == "GA" else "Security Council members"
            if lists_every_member and abs(listed[vote_id] - m) > MEMBER_TOLERANCE:
                why.append(f"it names {listed[vote_id]} states, but {m} were {where} on {r['date']:%Y-%m-%d}")
        reasons.append("; ".join(why))
    out = pd.DataFrame({"listed": listed, "members": members, "reason": reasons}, index=rc.index)
    out["complete"] = out["reason"] == ""
    return out


def prepare_source(sv: SourceVotes) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Reconciled, de-duplicated roll calls and votes (vote_id, iso3, vote) of one source, with its findings.
    The roll calls gain ``complete``: the source's own flag (bulk sources: every roll call; curated: the
    curated flag), kept only where :func:`completeness` confirms it; a roll call it rejects is kept as a
    partial one (no absent rows) with an ``incomplete_roll_call`` finding. Listed votes are checked against
    published totals where the source claims the whole roll call."""
    findings = list(sv.findings)
    votes = _attach_records(sv)
    votes["iso3"] = reconcile.to_iso3(votes, known_codes=membership.known_codes(), what=f"{sv.source} votes")
    rc, votes = _dedupe_records(sv, votes, findings)
    rc = rc.assign(complete=rc["vote_id"].map(sv.complete).fillna(True).astype(bool) if sv.complete else True)
    raw_votes = votes
    votes = _dedupe_listings(sv.source, votes, findings)
    checked = completeness(rc, votes, lists_every_member=sv.source in LISTS_EVERY_MEMBER)
    demoted = rc["complete"] & ~rc["vote_id"].map(checked["complete"]).astype(bool)
    for r in rc[demoted].itertuples(index=False):
        findings.append(finding(
            sv.source, "incomplete_roll_call", f"not the whole roll call: {checked.at[r.vote_id, 'reason']}; kept "
            "as a partial roll call (its unlisted states get no row, and it never replaces a complete record "
            "from another source)", vote_id=r.vote_id, source_ref=r.source_ref,
            published=checked.at[r.vote_id, "members"], listed=checked.at[r.vote_id, "listed"]))
    findings += check_totals(sv.source, rc[rc["complete"]], raw_votes, votes)  # what the source claims whole
    rc = rc.assign(complete=rc["complete"] & ~demoted)
    return rc.reset_index(drop=True), votes[["vote_id", "iso3", "vote", "date"]].reset_index(drop=True), findings


# ---------------------------------------------------------------- across sources


def apply_precedence(prepared: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """One record per vote id, from the highest-ranked source that holds it; disagreements reported."""
    findings: list[dict] = []
    order = [s for s in PRECEDENCE if s in prepared]
    taken = _winners(prepared, order, findings)  # vote_id -> source
    chosen_rc, chosen_votes = [], []
    for source in order:
        rc, votes = prepared[source]
        new = rc["vote_id"].map(taken) == source
        overlap = rc.loc[~new, "vote_id"]
        if len(overlap):
            mine = dict(tuple(votes[votes["vote_id"].isin(overlap)].groupby("vote_id")))
            for kept_source in sorted({taken[v] for v in overlap}):
                krc, kv = prepared[kept_source]
                theirs = dict(tuple(kv[kv["vote_id"].isin(overlap)].groupby("vote_id")))
                shared = overlap[overlap.map(taken) == kept_source]
                compared = differing = 0
                for vote_id in shared:
                    f, n_compared, n_differ = _compare_sources(
                        vote_id, kept_source, krc, theirs.get(vote_id, kv.iloc[:0]), source, rc,
                        mine.get(vote_id, votes.iloc[:0]))
                    findings += f
                    compared, differing = compared + n_compared, differing + n_differ
                findings.append(finding(
                    source, "overlap_summary", f"{len(shared)} roll call(s) also in {kept_source} (kept): "
                    f"{compared - differing:,} of {compared:,} state votes agree, {differing} differ",
                    severity="info" if differing == 0 else "warning", published=None, listed=str(compared)))
        chosen_rc.append(rc[new])
        chosen_votes.append(votes[votes["vote_id"].isin(rc.loc[new, "vote_id"])])
    return pd.concat(chosen_rc, ignore_index=True), pd.concat(chosen_votes, ignore_index=True), findings


def _winners(prepared: dict[str, tuple[pd.DataFrame, pd.DataFrame]], order: list[str],
             findings: list[dict]) -> dict[str, str]:
    """vote_id -> the source whose record is kept: the highest-ranked complete record, else (no source has the
    whole roll call) the highest-ranked partial one. A partial record never replaces a complete one; where a
    higher-ranked source loses for that reason, a ``partial_superseded`` finding says which and why."""
    winner: dict[str, str] = {}
    complete: dict[str, bool] = {}
    passed_over: dict[str, list[str]] = {}  # vote_id -> higher-ranked sources whose partial record lost
    for source in order:
        rc = prepared[source][0]
        for vote_id, is_complete in zip(rc["vote_id"], rc["complete"]):
            if vote_id not in winner:
                winner[vote_id], complete[vote_id] = source, bool(is_complete)
            elif is_complete and not complete[vote_id]:
                passed_over.setdefault(vote_id, []).append(winner[vote_id])
                winner[vote_id], complete[vote_id] = source, True
    for vote_id, losers in passed_over.items():
        for loser in losers:
            lrc = prepared[loser][0]
            ref = lrc.loc[lrc["vote_id"] == vote_id, "source_ref"].iloc[0]
            findings.append(finding(
                loser, "partial_superseded", f"the {loser} record is partial (see its incomplete_roll_call "
                f"finding), so the complete roll call of {winner[vote_id]} is kept although {loser} ranks higher",
                vote_id=vote_id, source_ref=ref))
    return winner


def _compare_sources(vote_id: str, kept: str, krc: pd.DataFrame, kv: pd.DataFrame,
                     other: str, orc: pd.DataFrame, ov: pd.DataFrame) -> tuple[list[dict], int, int]:
    """Compare two sources' records of one vote (kv/ov: that vote's rows only). Returns the findings and how
    many state votes were compared and differ (a state absent in one and unlisted in the other agrees)."""
    out = []
    k_row = krc.loc[krc["vote_id"] == vote_id].iloc[0]
    o_row = orc.loc[orc["vote_id"] == vote_id].iloc[0]
    if k_row["date"] != o_row["date"]:
        out.append(finding(other, "source_disagreement", f"date {o_row['date']:%Y-%m-%d} in {other}, "
                           f"{k_row['date']:%Y-%m-%d} in {kept} (kept)", vote_id=vote_id,
                           source_ref=o_row["source_ref"], severity="info"))
    totals = ["yes", "no", "abstain"]
    k_tot, o_tot = [k_row[c] for c in totals], [o_row[c] for c in totals]
    if not any(pd.isna(x) for x in k_tot + o_tot) and k_tot != o_tot:
        out.append(finding(other, "source_disagreement", f"published totals {'-'.join(map(str, o_tot))} in "
                           f"{other}, {'-'.join(map(str, k_tot))} in {kept} (kept)", vote_id=vote_id,
                           source_ref=o_row["source_ref"], published="-".join(map(str, k_tot)),
                           listed="-".join(map(str, o_tot))))
    # absent and "not listed" are the same thing for a comparison between sources
    a = kv.loc[kv["vote"] != "absent"].set_index("iso3")["vote"]
    b = ov.loc[ov["vote"] != "absent"].set_index("iso3")["vote"]
    partial = not o_row.get("complete", True)
    if partial:  # a partial listing (curated) says nothing about the states it leaves out
        a, b = a[a.index.isin(ov["iso3"])], b.reindex(ov["iso3"]).fillna("not listed")
    both = a.to_frame("kept").join(b.to_frame("other"), how="outer").fillna("not listed")
    differ = both[both["kept"] != both["other"]]
    if len(differ):
        shown = ", ".join(f"{iso3}: {r.other} in {other}, {r.kept} in {kept}" for iso3, r in differ.head(8).iterrows())
        out.append(finding(other, "source_disagreement", f"{len(differ)} state vote(s) differ from {kept} (kept): "
                           f"{shown}{' ...' if len(differ) > 8 else ''}", vote_id=vote_id,
                           source_ref=o_row["source_ref"], published=None, listed=len(differ)))
    else:
        checked = f"the {len(b)} states it lists agree" if partial else "the listed votes agree"
        out.append(finding(other, "source_overlap", f"also in {kept} (kept); {checked}",
                           vote_id=vote_id, source_ref=o_row["source_ref"], severity="info"))
    return out, len(both), len(differ)


#: Sources whose roll-call dates are approximate (the unvotes package dates many older votes by their session or
#: month), and how far outside a membership such a date may fall before it is taken as a contradiction.
APPROXIMATE_DATE_SOURCES = frozenset({"unvotes-r"})
APPROXIMATE_DAYS = 90  # the 40 such cases in unvotes (June 2024) are 2-42 days outside


def _days_outside_membership(pairs: pd.DataFrame) -> pd.Series:
    """For each (iso3, date, body) row listed outside the membership: how many days outside its nearest spell (UN
    membership for the Assembly, the Council's year for the Council; no spell at all: a large number)."""
    spells = membership.spells()
    out = []
    for row in pairs.itertuples(index=False):
        if row.body == "SC":
            out.append(366)  # the Council's membership is by calendar year: a non-member is never approximately one
            continue
        mine = spells[spells["iso3"] == row.iso3]
        gaps = [max((s.admitted - row.date).days, (row.date - s.left).days if pd.notna(s.left) else -1, 0)
                for s in mine.itertuples(index=False)]
        out.append(min(gaps) if gaps else 100_000)
    return pd.Series(out, index=pairs.index, dtype=int)


def impossible_dates(roll_calls: pd.DataFrame, today: pd.Timestamp | None = None) -> list[dict]:
    """A roll call dated before the United Nations existed (the Charter entered into force on 24 October 1945) or
    after today cannot be a record of a vote: an error finding naming the vote, its source and the date. (The
    unvotes package dates some votes of the first session a few days before it opened, 10 January 1946: an
    approximate date, not an impossible one.)"""
    today = pd.Timestamp.today().normalize() if today is None else today
    first = pd.Timestamp("1945-10-24")
    bad = roll_calls[(roll_calls["date"] < first) | (roll_calls["date"] > today)]
    return [finding(r.source, "impossible_date", f"{r.vote_id} is dated {r.date:%Y-%m-%d} ({r.source_ref}), "
                    f"{'before the UN Charter entered into force (1945-10-24)' if r.date < first else 'after today'}: "
                    "correct the record's date", vote_id=r.vote_id, source_ref=r.source_ref, severity="error")
            for r in bad.itertuples(index=False)]


def session_date_mismatches(roll_calls: pd.DataFrame) -> list[dict]:
    """A General Assembly roll call whose session number is more than one away from the session its date falls in
    (regular session n opens in September of 1945 + n, and a resumed session may run into the next summer): a typo
    in the source's symbol, session or date, kept as published and reported, as the unvotes package's
    A/RES/677/46 of 3 December 2012 (session 67)."""
    ga = roll_calls[(roll_calls["body"] == "GA") & roll_calls["session"].astype("string").str.fullmatch(r"\d+")
                    .fillna(False)]
    session = ga["session"].astype(int)
    year, month = ga["date"].dt.year, ga["date"].dt.month
    expected = (year - 1945).where(month >= 9, year - 1946)
    bad = ga[(session - expected).abs() > 1]
    return [finding(r.source, "session_date_mismatch", f"{r.vote_id} is in session {r.session} by the source "
                    f"({r.source_ref}) but dated {r.date:%Y-%m-%d}, in session {expected[i]}: one of the two is a "
                    "typo in the source; data kept as published", vote_id=r.vote_id, source_ref=r.source_ref)
            for i, r in zip(bad.index, bad.itertuples(index=False))]


def add_absent(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Absent rows for the members not listed on roll calls that list every vote (``complete``): UN members
    on the date for the General Assembly, the year's 15 members for the Security Council. Findings for listed
    votes of states that were not members (of the UN, or of the Council that year) on the date."""
    ga, sc = roll_calls[roll_calls["body"] == "GA"], roll_calls[roll_calls["body"] == "SC"]
    covered = sc["date"].dt.year.isin(membership.council()["year"])
    members = pd.concat([membership.member_pairs(ga), membership.council_pairs(sc[covered])], ignore_index=True)
    listed = votes[["vote_id", "iso3"]]
    # An unlisted member of a partial roll call may have voted: it gets no row.
    members_of_complete = members[members["vote_id"].isin(roll_calls.loc[roll_calls["complete"], "vote_id"])]
    merged = members_of_complete.merge(listed, on=["vote_id", "iso3"], how="left", indicator=True)
    absent = merged.loc[merged["_merge"] == "left_only", ["vote_id", "iso3"]].assign(vote="absent")
    checked = votes[votes["vote_id"].isin(ga["vote_id"]) | votes["vote_id"].isin(sc.loc[covered, "vote_id"])]
    outside = checked.merge(members, on=["vote_id", "iso3"], how="left", indicator=True)
    outside = outside[outside["_merge"] == "left_only"]
    findings = []
    src = roll_calls.set_index("vote_id")[["source", "source_ref", "date", "body"]]
    outside = outside.assign(body=outside["vote_id"].map(src["body"]), source=outside["vote_id"].map(src["source"]),
                             date=outside["vote_id"].map(src["date"]))
    outside["days_outside"] = _days_outside_membership(outside)
    for (iso3, body, source), grp in outside.groupby(["iso3", "body", "source"]):
        first = src.loc[grp["vote_id"]].sort_values("date")
        where = ("its UN membership (data/external/un_membership.csv)" if body == "GA" else
                 f"the Security Council's membership (data/external/{membership.COUNCIL_FILE})")
        # A vote by a state that was not a member is a contradiction: the date, the state or the membership table
        # is wrong. Only the unvotes package dates its older roll calls approximately (by session or month), so
        # its votes within APPROXIMATE_DATES of the membership stay a warning; anything else stops the build.
        tolerated = body == "GA" and source in APPROXIMATE_DATE_SOURCES and grp["days_outside"].max() <= APPROXIMATE_DAYS
        severity = "warning" if tolerated else "error"
        why = (f"kept as published: {source} dates its older roll calls approximately (at most "
               f"{int(grp['days_outside'].max())} days outside)" if tolerated else
               f"up to {int(grp['days_outside'].max())} days outside; a member's vote cannot precede its admission or "
               f"follow its departure: correct the record's date or state, or {where.split(' (')[0]}'s dates "
               f"(the file named)")
        findings.append(finding(
            first["source"].iloc[0], "vote_by_non_member",
            f"{iso3} is listed on {len(grp)} vote(s) dated outside {where}, first {first.index[0]} on "
            f"{first['date'].iloc[0]:%Y-%m-%d} ({first['source_ref'].iloc[0]}); {why}",
            vote_id=first.index[0], source_ref=first["source_ref"].iloc[0], severity=severity))
    uncovered = sc.loc[~covered]
    if len(uncovered):
        findings.append(finding(
            uncovered["source"].iloc[0], "council_membership_unknown", f"{len(uncovered)} Security Council roll "
            f"call(s) ({uncovered['date'].min():%Y}-{uncovered['date'].max():%Y}) fall in years whose Council membership "
            f"is not in data/external/{membership.COUNCIL_FILE}: no absent rows added, members not checked",
            severity="info", vote_id=uncovered["vote_id"].iloc[0]))
    return absent, findings


def roll_call_topics(sources: list[SourceVotes], roll_calls: pd.DataFrame) -> pd.DataFrame:
    """The topics every source records for the roll calls in the tables (whichever source's votes were kept),
    one row per (vote, topic, scheme): vote_id, topic, code, scheme, assigned_by, source."""
    parts = []
    for sv in sources:
        if sv.topics.empty:
            continue
        vote_of_ref = sv.roll_calls.set_index("source_ref")["vote_id"]
        parts.append(sv.topics.assign(vote_id=sv.topics["source_ref"].map(vote_of_ref), source=sv.source))
    if not parts:
        return pd.DataFrame(columns=list(schemas.ROLL_CALL_ISSUES.columns)).astype(str)
    topics = pd.concat(parts, ignore_index=True)
    topics = topics[topics["vote_id"].isin(roll_calls["vote_id"])]
    topics = topics.drop_duplicates(["vote_id", "topic", "code", "scheme"])
    order = {v: i for i, v in enumerate(roll_calls["vote_id"])}
    topics = topics.assign(_o=topics["vote_id"].map(order)).sort_values(["_o", "scheme"], kind="stable")
    return topics[list(schemas.ROLL_CALL_ISSUES.columns)].astype(str).reset_index(drop=True)


def _coverage_findings(roll_calls: pd.DataFrame, *, download: bool) -> list[dict]:
    """The General Assembly's coverage audited (unvotes.tables.coverage): missing ES numbers, sharp yearly changes,
    sessions against Voeten's counts (the ideal-point file is optional: its absence is itself a finding)."""
    from unvotes.tables import coverage
    from unvotes.tables.covariates import VOETEN

    voeten = fetch_optional(registry().file(*VOETEN), download=download)
    idealpoints = None if voeten is None else pd.read_csv(voeten.path, usecols=["session", "NVotesAll"])
    return coverage.coverage_findings(roll_calls, idealpoints, coverage.documented_gaps())


def build_tables(*, download: bool = True, say=print) -> Built:
    from unvotes.sources import fetch as fetch_module

    log_start = len(fetch_module.FETCH_LOG)
    sources, notes = read_sources(download=download, say=say)
    prepared, findings = {}, []
    for sv in tqdm(sources, desc="Reconciling and checking", unit="source", disable=None):
        rc, votes, f = prepare_source(sv)
        prepared[sv.source] = (rc, votes)
        findings += f
    # roll calls derived from the others (the vote of 24 Feb 2026): every check fails the build
    from unvotes.sources.readers.derived import COUNTS_FILE, COUNTS_SOURCE, read_derived

    counts = fetch(registry().file(COUNTS_SOURCE, COUNTS_FILE), download=download).path
    for sv in read_derived(prepared, counts, precedence=PRECEDENCE):
        rc, votes, f = prepare_source(sv)
        prepared[sv.source] = (rc, votes)
        findings += f
    roll_calls, votes, f = apply_precedence(prepared)
    findings += f
    findings += impossible_dates(roll_calls)
    findings += session_date_mismatches(roll_calls)
    absent, f = add_absent(roll_calls, votes)
    findings += f

    roll_calls = roll_calls.sort_values(["date", "vote_id"], kind="stable").reset_index(drop=True)
    order = {v: i for i, v in enumerate(roll_calls["vote_id"])}
    votes = pd.concat([votes[["vote_id", "iso3", "vote"]], absent], ignore_index=True)
    votes = votes.assign(_o=votes["vote_id"].map(order)).sort_values(["_o", "iso3"]).drop(columns="_o")
    votes = votes.astype({"vote_id": pd.CategoricalDtype(list(roll_calls["vote_id"])),
                          "iso3": "category", "vote": pd.CategoricalDtype(list(VOTE_VALUES))}).reset_index(drop=True)
    findings += published_totals.check(roll_calls, votes)
    from unvotes.tables.dated import (  # the registered lists (Powell & Thyne, GFDC) against the curated rows
        bri_findings, coup_findings,
    )

    findings += coup_findings()
    findings += bri_findings()
    from unvotes.tables.covariates import supplement_findings

    findings += supplement_findings()
    findings += curated_votes.correction_findings(votes)
    findings += _coverage_findings(roll_calls, download=download)
    reason, f = vote_rights.mark(roll_calls, votes)
    findings += f
    votes = votes.assign(absent_reason=pd.Categorical(reason, categories=list(vote_rights.REASONS)))
    for col in ("session", "title", "draft", "part_of", "source_ref"):
        roll_calls[col] = roll_calls[col].fillna("").astype(str)
    roll_calls["date"] = roll_calls["date"].astype("datetime64[ns]")
    roll_calls["complete"] = roll_calls["complete"].astype(bool)
    roll_calls = roll_calls[list(schemas.ROLL_CALLS.columns)]

    stop_on_errors(findings)
    country_table = countries.build_countries(votes, roll_calls)
    fetched: dict[tuple[str, str], object] = {}  # every raw file read during this build, once, in order
    for f in fetch_module.FETCH_LOG[log_start:]:
        fetched.setdefault((f.file.source.id, f.file.name), f)
    return Built(
        roll_calls=schemas.validate(roll_calls, schemas.ROLL_CALLS),
        votes=schemas.validate(votes, schemas.VOTES),
        countries=schemas.validate(country_table, schemas.COUNTRIES),
        quality_findings=schemas.validate(findings_frame(findings), schemas.FINDINGS),
        roll_call_issues=schemas.validate(roll_call_topics(sources, roll_calls), schemas.ROLL_CALL_ISSUES),
        provenance=[{"source": f.file.source.id, "file": f.file.name, "release": f.file.source.release,
                     "sha256": f.sha256, "pinned": f.pinned, "origin": f.origin,
                     "citation": f.file.source.citation} for f in fetched.values()],
        notes=notes,
        curated=curated_votes.files(),
        curated_read=curated_reads.seen(),
        raw_read=[f.path for f in fetched.values()],
    )


# ---------------------------------------------------------------- one lock for the tables


# TablesBusy and tables_lock live in unvotes.locks (the report takes the lock without importing the builder).
from unvotes.locks import TablesBusy, tables_lock  # noqa: E402,F401


# ---------------------------------------------------------------- writing


#: Written with the tables for the Makefile: the curated tables the build read, so that editing another
#: one (the claims, the news articles) does not rebuild the tables.
CURATED_INPUTS = "curated_inputs.mk"


def _make_name(path: Path) -> str:
    try:
        return path.relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _unnameable(files: list[str]) -> bool:
    return any(c.isspace() or c in "$#:\\" for f in files for c in f)  # make cannot name these


def curated_inputs_makefile(read: list[str] | None, raw: list[Path] | None = None) -> str:
    """The make variables of the last build's inputs. CURATED_INPUTS: the curated tables the build opened, or
    all of them when the build was not traced from its start (``read`` None: a process whose caches may have
    hidden some reads). RAW_INPUTS: the raw files it read (``raw``), so that make rebuilds the tables when one
    is deleted (a removed add-vote record or official file), which a prerequisite's wildcard cannot see."""
    root = paths.external_dir()
    names = read if read is not None else [f.name for f in sorted(root.glob("*.csv"))]
    files = [f"{_make_name(root)}/{name}" for name in sorted(names)]
    out = ""
    if not _unnameable(files):  # else every table counts
        out += ("# The curated tables the last build of these tables read (unvotes.tables.build): make rebuilds the tables\n"
                "# when one of them changes.\nCURATED_INPUTS := " + " ".join(files) + "\n")
    raw_files = sorted({_make_name(Path(p)) for p in raw or []})
    if raw_files and not _unnameable(raw_files):
        out += ("# The raw files it read: make rebuilds the tables when one of them is gone.\n"
                "RAW_INPUTS := " + " ".join(raw_files) + "\n")
    return out


def write_tables(built: Built, out_dir: Path | None = None) -> dict[str, Path]:
    """Write every table to a temporary file first, then rename them all: never a half-written set."""
    out_dir = Path(out_dir or paths.processed_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    info = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "package_version": __version__,
        "sources": built.provenance,
        "notes": built.notes,
        "curated": built.curated,
        "precedence": list(PRECEDENCE),
        "rows": {t: int(len(getattr(built, t))) for t in TABLES},
    }
    # leftovers of a build that was killed mid-write: never read, removed here
    for leftover in out_dir.glob(".*.part"):
        leftover.unlink(missing_ok=True)
    finals = [out_dir / f"{table}.parquet" for table in TABLES] + [out_dir / CURATED_INPUTS, out_dir / "build_info.json"]
    with paths.atomic_paths(*finals) as (*table_files, inputs_file, info_file):  # all replaced once all are written
        for tmp, table in zip(table_files, TABLES):
            getattr(built, table).to_parquet(tmp, index=False)
        inputs_file.write_text(curated_inputs_makefile(built.curated_read, built.raw_read))
        info_file.write_text(json.dumps(info, indent=2, default=str))
    return {final.stem: final for final in finals}


def summary(built: Built) -> str:
    rc, qf = built.roll_calls, built.quality_findings
    by_source = rc.groupby("source").agg(n=("vote_id", "size"), first=("date", "min"), last=("date", "max"))
    lines = [f"Built {len(rc):,} roll calls and {len(built.votes):,} country votes "
             f"({rc['date'].min():%Y-%m-%d} to {rc['date'].max():%Y-%m-%d})."]
    for source, r in by_source.iterrows():
        lines.append(f"  {source:<10} {r.n:>6,} roll calls  {r['first']:%Y-%m-%d} .. {r['last']:%Y-%m-%d}")
    counts = qf.groupby(["severity", "check"]).size()
    lines.append(f"Data-quality findings: {len(qf)} (table quality_findings.parquet)")
    for (severity, check), n in counts.items():
        lines.append(f"  {severity:<8}{check:<24}{n:>5}")
    for check in ("partial_superseded", "incomplete_roll_call", "count_mismatch"):  # which source lost, and why
        for r in qf[qf["check"] == check].head(8).itertuples():
            lines.append(f"    {r.vote_id}: {r.detail} [{r.source} {r.source_ref}]")
    return "\n".join(lines)
