"""Reader for the R package ``unvotes`` data (mirror source ``unvotes-r``): GA roll calls 1946 - Jan 2020.

``un_roll_calls.rda``: rcid, session, importantvote, date, unres, amend, para, short, descr.
``un_votes.rda``: rcid, country, country_code (ISO2), vote in {yes, no, abstain}; absences are dropped.
``un_roll_call_issues.rda`` (optional): rcid, short_name, issue: Voeten's six issue codes, read as topics.
``importantvote`` (1 on 411 roll calls of sessions 38-72, 1983-2017; missing outside those sessions): the US State
Department's "important votes" of its yearly report *Voting Practices in the United Nations*, read as a topic
(scheme "US State Department important votes", assigned by the US government), so ``unvotes.find("important
vote")`` lists them.

How roll calls become vote ids (:func:`unvotes.ids.from_unvotes_unres`): ``R/68/262`` is
``A/RES/68/262``. Several roll calls can share one ``unres``: separate votes on paragraphs
(``para == 1``) and amendments (``amend == 1``) get ``<id> [paragraph, rcid N]`` /
``<id> [amendment, rcid N]`` with ``part_of = <id>``; when exactly one roll call remains it is the
vote on the whole text and keeps ``<id>``; when several remain, none can be told to be the whole
text, so each gets ``<id> [rcid N]`` (kind ``other``) and a finding. A roll call whose ``unres`` is
empty or not a symbol (procedural votes, elections) gets ``unvotes rcid N`` (kind ``other``).
The data carry no published totals (yes/no/abstain are <NA>) and dates are sometimes approximate
(e.g. ``1946-01-01``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError
from unvotes.ids import from_unvotes_unres, part_id, session_of
from unvotes.quality import finding
from unvotes.sources.readers import TOPIC_COLUMNS, SourceVotes

SOURCE = "unvotes-r"
ROLL_CALL_COLS = ["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"]
VOTE_COLS = ["rcid", "country", "country_code", "vote"]


def _read_rda(path: Path, expected: list[str]) -> pd.DataFrame:
    import pyreadr

    try:
        frames = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError for corrupt files
        raise RawFormatError(f"{path}: cannot be read as an R data file ({type(exc).__name__}: {exc}); it may "
                             "be truncated or corrupt. Delete it from data/raw and run `make data`.") from None
    if len(frames) != 1:
        raise RawFormatError(f"{path}: expected one data frame, found {list(frames)}")
    df = next(iter(frames.values()))
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise RawFormatError(f"{path}: column(s) {missing} missing; found {list(df.columns)}. "
                             "Has the unvotes release changed? The registry pins commit 7eb7034.")
    return df


def read_unvotes(roll_calls_path: Path, votes_path: Path, issues_path: Path | None = None) -> SourceVotes:
    rc = _read_rda(Path(roll_calls_path), ROLL_CALL_COLS)
    v = _read_rda(Path(votes_path), VOTE_COLS)
    findings: list[dict] = []

    rc = rc.assign(rcid=rc["rcid"].astype(int))
    rc["symbol"] = rc["unres"].map(from_unvotes_unres)
    flag = lambda col: rc[col].astype("string").fillna("").str.strip() == "1"  # noqa: E731
    rc["kind"] = "resolution"
    rc.loc[flag("para"), "kind"] = "paragraph"
    rc.loc[flag("amend"), "kind"] = "amendment"  # an amendment to a paragraph is an amendment
    rc.loc[rc["symbol"].isna(), "kind"] = "other"

    whole_candidates = rc[rc["kind"] == "resolution"].groupby("symbol")["rcid"].transform("size")
    ambiguous = rc.index.isin(whole_candidates[whole_candidates > 1].index)
    rc["vote_id"] = rc["symbol"]
    rc["part_of"] = ""
    parts = rc["kind"].isin(["paragraph", "amendment"])
    rc.loc[parts, "vote_id"] = [part_id(s, f"{k}, rcid {r}") for s, k, r in
                                rc.loc[parts, ["symbol", "kind", "rcid"]].itertuples(index=False)]
    rc.loc[parts, "part_of"] = rc.loc[parts, "symbol"]
    rc.loc[ambiguous, "vote_id"] = [part_id(s, f"rcid {r}") for s, r in
                                    rc.loc[ambiguous, ["symbol", "rcid"]].itertuples(index=False)]
    rc.loc[ambiguous, "kind"] = "other"
    unparsed = rc["symbol"].isna()
    rc.loc[unparsed, "vote_id"] = "unvotes rcid " + rc.loc[unparsed, "rcid"].astype(str)

    for symbol, grp in rc[ambiguous].groupby("symbol"):
        findings.append(finding(SOURCE, "ambiguous_whole_vote", f"{len(grp)} roll calls (rcid "
                                f"{', '.join(map(str, grp['rcid']))}) share {symbol} and none is flagged as a "
                                "paragraph or amendment vote; none is taken as the vote on the whole text",
                                severity="info", vote_id=symbol, source_ref=f"un_roll_calls.rda rcid {grp['rcid'].iloc[0]}"))
    if unparsed.any():
        examples = ", ".join(repr(u) for u in rc.loc[unparsed, "unres"].astype(str).unique()[:8])
        findings.append(finding(SOURCE, "no_symbol", f"{unparsed.sum()} roll calls have an empty or non-standard "
                                f"unres (e.g. {examples}); they keep the id 'unvotes rcid N' and kind 'other'",
                                severity="info", source_ref="un_roll_calls.rda"))
    findings.append(finding(SOURCE, "no_published_totals", "the unvotes data carry no published totals, so its "
                            "listed votes cannot be checked against them", severity="info",
                            source_ref="un_roll_calls.rda"))
    if rc["vote_id"].duplicated().any():  # would be a bug in the rules above
        dups = rc.loc[rc["vote_id"].duplicated(keep=False), ["rcid", "unres", "vote_id"]]
        raise RawFormatError(f"un_roll_calls.rda: vote ids not unique:\n{dups.head(10).to_string()}")

    date = pd.to_datetime(rc["date"], format="%Y-%m-%d", errors="coerce")
    if date.isna().any():
        bad = rc.loc[date.isna(), ["rcid", "date"]].head(5).to_dict("records")
        raise RawFormatError(f"{roll_calls_path}: {date.isna().sum()} roll calls have no valid date, e.g. {bad}")
    session = rc["vote_id"].map(session_of)
    session = session.where(session != "", rc["session"].astype(int).astype(str))
    # descr holds the resolution's title in recent sessions ("Territorial integrity of Ukraine : resolution /
    # adopted by the General Assembly") and a description of the motion in older ones; short is a topic code.
    # In sessions 71-73 the two are swapped: short holds the title (with that suffix) and descr the agenda
    # item ("A/72/251 38 - Question of Palestine. - PALESTINE QUESTION"), shared by several resolutions; the
    # field with the suffix is the title (the bridge across sessions matches resolutions by title).
    adopted = r"\s*:\s*resolution\s*/\s*adopted by the General Assembly.*$"
    descr, short = rc["descr"].astype("string").fillna(""), rc["short"].astype("string").fillna("")
    swapped = short.str.contains(adopted, regex=True) & ~descr.str.contains(adopted, regex=True)
    title = (descr.where(~swapped, short).str.replace(adopted, "", regex=True)
             .str.split().str.join(" ").str.slice(0, 300))
    title = title.where(title != "", short.str.strip())
    roll_calls = pd.DataFrame({
        "vote_id": rc["vote_id"], "body": "GA", "date": date, "session": session, "title": title,
        "draft": "", "kind": rc["kind"], "part_of": rc["part_of"],
        "yes": pd.NA, "no": pd.NA, "abstain": pd.NA, "absent": pd.NA, "source": SOURCE,
        "source_ref": "un_roll_calls.rda rcid " + rc["rcid"].astype(str),
    })
    for col in ("yes", "no", "abstain", "absent"):
        roll_calls[col] = roll_calls[col].astype("Int64")

    v = v.assign(rcid=v["rcid"].astype(int))
    unknown_rcid = ~v["rcid"].isin(rc["rcid"])
    if unknown_rcid.any():
        raise RawFormatError(f"{votes_path}: {unknown_rcid.sum()} votes name roll calls missing from "
                             f"un_roll_calls.rda (rcid {sorted(map(int, v.loc[unknown_rcid, 'rcid'].unique()))[:10]})")
    vote = v["vote"].astype(str)
    bad = ~vote.isin(["yes", "no", "abstain"])
    if bad.any():
        raise RawFormatError(f"{votes_path}: vote values {sorted(vote[bad].unique())} are not yes/no/abstain")
    ref = rc.set_index("rcid")
    votes = pd.DataFrame({
        "vote_id": v["rcid"].map(ref["vote_id"]),
        "country": v["country"].astype(str),
        "country_code": v["country_code"].astype("string").fillna(""),
        "vote": vote,
        "source_ref": "un_roll_calls.rda rcid " + v["rcid"].astype(str),
    })
    topics = pd.concat([_issues(Path(issues_path), rc["rcid"]) if issues_path is not None else None,
                        _important_votes(rc)], ignore_index=True)
    return SourceVotes(SOURCE, roll_calls.reset_index(drop=True), votes, findings, topics=topics)


def _important_votes(rc: pd.DataFrame) -> pd.DataFrame:
    """The US State Department's important votes (``importantvote == 1``) as topics, one row per roll call."""
    important = rc.loc[rc["importantvote"].astype("string").fillna("").str.strip().isin(["1", "1.0"]), "rcid"]
    return pd.DataFrame({"source_ref": "un_roll_calls.rda rcid " + important.astype(str),
                         "topic": "Important vote (US State Department)", "code": "important",
                         "scheme": "US State Department important votes", "assigned_by": "US government"},
                        columns=TOPIC_COLUMNS)


ISSUE_COLS = ["rcid", "short_name", "issue"]


def _issues(path: Path, known_rcids: pd.Series) -> pd.DataFrame:
    """Voeten's six issue codes (me, nu, di, hr, co, ec), hand-coded by researchers, one row per roll call and issue."""
    df = _read_rda(path, ISSUE_COLS)
    rcid = df["rcid"].astype(int)
    unknown = ~rcid.isin(known_rcids)
    if unknown.any():
        raise RawFormatError(f"{path}: {unknown.sum()} issue codes name roll calls missing from un_roll_calls.rda "
                             f"(rcid {sorted(rcid[unknown].unique())[:10]})")
    return pd.DataFrame({"source_ref": "un_roll_calls.rda rcid " + rcid.astype(str),
                         "topic": df["issue"].astype(str), "code": df["short_name"].astype(str),
                         "scheme": "unvotes issue (Voeten)", "assigned_by": "researchers"}, columns=TOPIC_COLUMNS)
