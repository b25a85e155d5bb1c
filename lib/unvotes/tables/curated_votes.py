"""Hand-curated roll calls that no bulk dataset holds, typed from meeting records or cited reports.

Two version-controlled tables in ``data/external/``, cited row by row:

``separate_roll_calls.csv`` (one row per roll call)
    vote_id, part_of, body (GA/SC), date (YYYY-MM-DD), draft, title, what (the part voted on, e.g.
    "preambular paragraph 9"; empty for a whole text), kind (resolution/decision/failed_draft/paragraph/
    amendment/motion/other; a Council draft that was not adopted is a ``failed_draft`` whose vote_id is its draft
    symbol, e.g. S/2022/155),
    yes_total, no_total, abstain_total (published totals as reported; may be empty), complete (true: the
    listed states are the whole roll call; false: only some states' votes are known), note, source.
``separate_votes.csv`` (one row per known (roll call, state))
    vote_id, iso3, vote (yes/no/abstain/absent), source.

A separate vote on part of a text has the id ``ids.part_id(part_of, what)``, e.g.
``A/RES/77/284 [preambular paragraph 9]``. The build (:mod:`unvotes.tables.build`) reads these as the source
``curated``, ranked below every bulk source: an official UN Digital Library record of the same vote id
supersedes the curated one, and the overlap is reported. A partial roll call (complete=false) gets
rows only for the listed states: no ``absent`` rows are invented for the others. A complete Security
Council roll call lists the 15 members of that year (``data/external/sc_membership.csv``); an inferred
vote (e.g. "10 in favour, the five abstainers named") says so in its source.

Records pasted from a meeting record are turned into rows by :mod:`unvotes.sources.meeting_record`.
"""

from __future__ import annotations

import re

import pandas as pd

from unvotes import ids, paths
from unvotes.tables import membership
from unvotes.errors import UnvotesError
from unvotes.tables.external import read_curated
from unvotes.sources.readers import KINDS, VOTE_VALUES, SourceVotes

SOURCE = "curated"
ROLL_CALLS_FILE = "separate_roll_calls.csv"
VOTES_FILE = "separate_votes.csv"
ROLL_CALL_COLUMNS = ["vote_id", "part_of", "body", "date", "draft", "title", "what", "kind",
                     "yes_total", "no_total", "abstain_total", "complete", "note", "source"]
VOTE_COLUMNS = ["vote_id", "iso3", "vote", "source"]
TOTALS = {"yes": "yes_total", "no": "no_total", "abstain": "abstain_total"}
SC_SEATS = 15
_FLAGS = {"true": True, "false": False}


class CuratedVotesError(UnvotesError):
    """The curated separate-vote tables are inconsistent; the message names file, line and value."""


def line_of(i: int) -> int:
    """File line of data row ``i`` (the header is line 1)."""
    return i + 2


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables as written (text), after :func:`check` has found no problem."""
    rc = read_curated(ROLL_CALLS_FILE, ROLL_CALL_COLUMNS)
    votes = read_curated(VOTES_FILE, VOTE_COLUMNS)
    problems = check(rc, votes)
    if problems:
        raise CuratedVotesError(
            f"{len(problems)} problem(s) in the curated separate votes (data/external/{ROLL_CALLS_FILE}, "
            f"data/external/{VOTES_FILE}):\n" + "\n".join(f"  - {p}" for p in problems)
            + "\nFix the rows named and run `make data` again.")
    return rc, votes


def _count(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def check(rc: pd.DataFrame, votes: pd.DataFrame) -> list[str]:
    """Every problem of the two tables (text frames as read), each naming the file, line and value."""
    out: list[str] = []
    rcf, vf = f"data/external/{ROLL_CALLS_FILE}", f"data/external/{VOTES_FILE}"
    seen: set[str] = set()
    dates: dict[str, pd.Timestamp] = {}
    for i, r in rc.iterrows():
        at = f"{rcf} line {line_of(i)} ({r['vote_id'] or 'no vote_id'})"
        vote_id = r["vote_id"].strip()
        if not vote_id:
            out.append(f"{at}: empty vote_id")
        elif vote_id in seen:
            out.append(f"{at}: vote_id {vote_id!r} appears twice")
        seen.add(vote_id)
        if r["body"] not in ("GA", "SC"):
            out.append(f"{at}: body {r['body']!r}; use GA or SC")
        try:
            dates[vote_id] = pd.to_datetime(r["date"], format="%Y-%m-%d")
        except (ValueError, TypeError):
            out.append(f"{at}: date {r['date']!r} is not YYYY-MM-DD")
        if r["kind"] not in KINDS:
            out.append(f"{at}: kind {r['kind']!r}; use one of {', '.join(KINDS)}")
        elif (r["kind"] == "failed_draft") != bool(re.match(r"^S/\d{4}/\d+$", vote_id)):
            out.append(f"{at}: a failed Council draft has kind 'failed_draft' and its draft symbol as vote_id "
                       "(e.g. S/2022/155); an adopted resolution its S/RES or A/RES symbol")
        whole = r["part_of"] or vote_id
        try:
            canonical = ids.normalize_symbol(whole)
        except ValueError:
            canonical = None
            out.append(f"{at}: {'part_of' if r['part_of'] else 'vote_id'} {whole!r} is not a resolution symbol "
                       "(e.g. A/RES/ES-11/7, S/RES/2774, or a failed Council draft's symbol S/2022/155)")
        if canonical and canonical != whole:
            out.append(f"{at}: write the symbol {whole!r} as {canonical!r}")
        if canonical and r["body"] in ("GA", "SC") and canonical.startswith("S/") != (r["body"] == "SC"):
            out.append(f"{at}: body {r['body']!r} does not match the symbol {whole!r}")
        if r["part_of"]:
            if not r["what"]:
                out.append(f"{at}: a vote on part of {r['part_of']} needs 'what' (e.g. 'preambular paragraph 9')")
            elif vote_id != ids.part_id(r["part_of"], r["what"]):
                out.append(f"{at}: vote_id must be {ids.part_id(r['part_of'], r['what'])!r} (part_of [what])")
            if r["kind"] == "resolution":
                out.append(f"{at}: kind 'resolution' with part_of {r['part_of']!r}; use paragraph or amendment")
        elif r["kind"] in ("paragraph", "amendment"):
            out.append(f"{at}: kind {r['kind']!r} needs part_of, the id of the whole text")
        for col in TOTALS.values():
            if r[col].strip() and _count(r[col]) is None:
                out.append(f"{at}: {col} {r[col]!r} is not a whole number (leave it empty if not published)")
        if r["complete"] not in _FLAGS:
            out.append(f"{at}: complete {r['complete']!r}; use true or false")
        if not r["source"].strip():
            out.append(f"{at}: no source citation")

    known = membership.known_codes()
    body_of = dict(zip(rc["vote_id"], rc["body"]))
    dup = votes.duplicated(["vote_id", "iso3"], keep="first")
    for i, v in votes.iterrows():
        at = f"{vf} line {line_of(i)} ({v['vote_id']}, {v['iso3'] or 'no iso3'})"
        if v["vote_id"] not in seen:
            out.append(f"{at}: vote_id {v['vote_id']!r} is not in {rcf}")
        if v["iso3"] not in known:
            out.append(f"{at}: unknown iso3 {v['iso3']!r}; use an ISO3 code of data/external/un_membership.csv")
        elif v["vote_id"] in dates and body_of.get(v["vote_id"]) == "GA" and \
                v["iso3"] not in membership.members_on(dates[v["vote_id"]]):
            out.append(f"{at}: {v['iso3']} was not a UN member on {dates[v['vote_id']]:%Y-%m-%d}")
        elif v["vote_id"] in dates and body_of.get(v["vote_id"]) == "SC" and \
                dates[v["vote_id"]].year in set(membership.council()["year"]) and \
                v["iso3"] not in membership.council_members(dates[v["vote_id"]]):
            out.append(f"{at}: {v['iso3']} was not on the Security Council in {dates[v['vote_id']]:%Y} "
                       f"(data/external/{membership.COUNCIL_FILE})")
        if v["vote"] not in VOTE_VALUES:
            out.append(f"{at}: vote {v['vote']!r}; use one of {', '.join(VOTE_VALUES)}")
        if dup[i]:
            out.append(f"{at}: {v['iso3']} is listed twice for this vote")
        if not v["source"].strip():
            out.append(f"{at}: no source citation")
    if out:  # the counts below assume clean rows
        return out

    listed = votes.groupby(["vote_id", "vote"]).size()
    for i, r in rc.iterrows():
        at = f"{rcf} line {line_of(i)} ({r['vote_id']})"
        n = {vote: int(listed.get((r["vote_id"], vote), 0)) for vote in VOTE_VALUES}
        if sum(n.values()) == 0:
            out.append(f"{at}: no state's vote is listed in {vf}")
            continue
        complete = _FLAGS[r["complete"]]
        for vote, col in TOTALS.items():
            published = _count(r[col])
            if published is None:
                continue
            if n[vote] > published:
                out.append(f"{at}: {n[vote]} states listed as {vote} in {vf}, more than the published {col} {published}")
            elif complete and n[vote] != published:
                out.append(f"{at}: complete roll call lists {n[vote]} {vote} in {vf} but {col} is {published}")
        if r["body"] == "SC":
            if sum(n.values()) > SC_SEATS:
                out.append(f"{at}: {sum(n.values())} states listed for a Security Council vote (15 seats)")
            elif complete and sum(n.values()) != SC_SEATS:
                out.append(f"{at}: complete Security Council roll call lists {sum(n.values())} states, not 15")
        elif sum(n.values()) > len(membership.members_on(dates[r["vote_id"]])):
            out.append(f"{at}: more states listed than UN members on {r['date']}")
    return out


def read_curated_votes() -> SourceVotes:
    """The curated tables as a vote source for the build (roll calls, votes with ISO3 as name and code)."""
    rc, votes = load()
    whole = rc["part_of"].where(rc["part_of"] != "", rc["vote_id"])
    roll_calls = pd.DataFrame({
        "vote_id": rc["vote_id"], "body": rc["body"], "date": pd.to_datetime(rc["date"], format="%Y-%m-%d"),
        "session": [ids.session_of(w) for w in whole], "title": rc["title"], "draft": rc["draft"],
        "kind": rc["kind"], "part_of": rc["part_of"],
        **{vote: pd.array([_count(x) for x in rc[col]], dtype="Int64") for vote, col in TOTALS.items()},
        "absent": pd.array([None] * len(rc), dtype="Int64"),
        "source": SOURCE, "source_ref": [f"{ROLL_CALLS_FILE}:{line_of(i)}" for i in rc.index],
    })
    listed = pd.DataFrame({"vote_id": votes["vote_id"], "country": votes["iso3"], "country_code": votes["iso3"],
                           "vote": votes["vote"], "source_ref": [f"{VOTES_FILE}:{line_of(i)}" for i in votes.index]})
    return SourceVotes(SOURCE, roll_calls, listed,
                        complete={v: _FLAGS[c] for v, c in zip(rc["vote_id"], rc["complete"])})


def append(roll_call: dict, votes: pd.DataFrame, *, replace: bool = False) -> list:
    """Add one roll call (a row of separate_roll_calls.csv) and its votes (rows of separate_votes.csv) to the
    curated tables; with ``replace``, first drop an existing roll call of the same id. Both tables are checked
    as they will be written, then written atomically (temporary files, then renamed). Returns the paths."""
    rc = read_curated(ROLL_CALLS_FILE, ROLL_CALL_COLUMNS)
    old = read_curated(VOTES_FILE, VOTE_COLUMNS)
    vote_id = roll_call["vote_id"]
    if vote_id in set(rc["vote_id"]):
        if not replace:
            raise CuratedVotesError(f"{vote_id!r} is already in data/external/{ROLL_CALLS_FILE}; pass --replace "
                                    "to replace its rows")
        rc, old = rc[rc["vote_id"] != vote_id], old[old["vote_id"] != vote_id]
    rc = pd.concat([rc, pd.DataFrame([roll_call])[ROLL_CALL_COLUMNS]], ignore_index=True).fillna("").astype(str)
    new = pd.concat([old, votes[VOTE_COLUMNS]], ignore_index=True).fillna("").astype(str)
    problems = check(rc, new)
    if problems:
        raise CuratedVotesError("the new rows would make the curated tables inconsistent (nothing written):\n"
                                + "\n".join(f"  - {p}" for p in problems))
    targets = [paths.external_dir() / ROLL_CALLS_FILE, paths.external_dir() / VOTES_FILE]
    with paths.atomic_paths(*targets) as staged:
        for tmp, frame in zip(staged, (rc, new)):
            frame.to_csv(tmp, index=False, lineterminator="\n")
    return targets


def inferred_votes() -> pd.Series:
    """vote_id -> how many of its curated state votes are inferred (their citation begins "inferred:"),
    i.e. deduced from published totals and the other named votes rather than read in a source."""
    _, votes = load()
    return votes[votes["source"].str.strip().str.lower().str.startswith("inferred")].groupby("vote_id").size()


CORRECTIONS_FILE = "curated_corrections.csv"
CORRECTION_COLUMNS = ["vote_id", "iso3", "was", "now", "reported_by", "evidence", "corrected_on"]


def correction_findings(votes: pd.DataFrame) -> list[dict]:
    """Curated votes that were corrected (``data/external/curated_corrections.csv``: what a report said, what
    the record says), each a finding, so a press error stays visible after the row is fixed; and an error
    finding where the tables do not hold the corrected vote."""
    from unvotes.quality import finding

    out = []
    table = read_curated(CORRECTIONS_FILE, CORRECTION_COLUMNS)
    have = votes.astype({"vote_id": str, "iso3": str, "vote": str}).set_index(["vote_id", "iso3"])["vote"]
    for i, r in table.iterrows():
        ref = f"{CORRECTIONS_FILE}:{line_of(i)}"
        got = have.get((r["vote_id"], r["iso3"]), "no row")
        out.append(finding(SOURCE, "curated_correction", f"{r['iso3']} was curated as {r['was']!r} from {r['reported_by']}; "
                           f"corrected on {r['corrected_on']} to {r['now']!r}: {r['evidence']}", vote_id=r["vote_id"],
                           source_ref=ref, published=r["now"], listed=r["was"]))
        if got != r["now"]:
            out.append(finding(SOURCE, "curated_correction", f"{r['iso3']}: the tables hold {got!r}, not the corrected "
                               f"{r['now']!r}; check data/external/{VOTES_FILE}", vote_id=r["vote_id"],
                               source_ref=ref, severity="error"))
    return out


def files() -> list[dict]:
    """The curated files with their sha256, for the build's provenance record."""
    import hashlib

    out = []
    for name in (ROLL_CALLS_FILE, VOTES_FILE):
        path = paths.external_dir() / name
        out.append({"file": f"data/external/{name}", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return out
