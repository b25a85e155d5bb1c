"""Readers: one per raw format, each returning a :class:`SourceVotes` in the same intermediate shape.

The intermediate shape keeps names and codes as the source spells them; reconciling them to ISO3,
adding ``absent`` rows from UN membership and choosing between sources happen once, in
:mod:`unvotes.tables.build`.

``roll_calls`` columns (one row per recorded vote):
    vote_id     canonical id (see :func:`unvotes.ids.normalize_symbol`); it may repeat only where the
                source itself records one vote twice (the build compares the copies and keeps the first)
    body        "GA" or "SC"
    date        datetime64[ns], the date of the vote
    session     string: "77", "ES-11" (GA); "" for SC
    title       str
    draft       str ("" when unknown)
    kind        "resolution", "paragraph", "amendment", "motion" or "other"
    part_of     vote_id of the whole text for a separate vote on part of it, else ""
    yes, no, abstain, absent    published totals (pandas nullable Int64; <NA> where the source
                                publishes none; absent = the source's "non-voting")
    source      source id of the registry (e.g. "dgacm-ga")
    source_ref  where in the raw file (file name and line / record id), for error messages and audits;
                unique per roll call

``votes`` columns (one row per listed vote; linked to their roll call by ``vote_id`` or, where a
source repeats a vote id, by ``source_ref``, which then equals the roll call's):
    vote_id, country (name as spelled in the source), country_code (the source's code or ""),
    vote in {"yes", "no", "abstain", "absent"} ("absent" only where the source lists non-voting
    members explicitly), source_ref

``findings``: data-quality findings met while reading (see :mod:`unvotes.quality`).

``topics`` (optional): what each roll call is about, as the source records it (one row per topic), linked
    to its roll call by ``source_ref``: source_ref, topic, code (the scheme's code or ""), scheme (e.g.
    "UNBIS Thesaurus (DGACM)", "unvotes issue (Voeten)"), assigned_by ("UN", "researchers", "US government"
    for the State Department's important votes, or "machine": the 2025 file's tags were assigned by a language
    model).

``complete``: vote_id -> whether every state's vote is in the listing (absent ones excepted). A roll call
not named is complete. A partial roll call (a curated press list, or a file row whose listed votes fall
short of its published totals) gets no ``absent`` rows: its unlisted states' votes are unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ROLL_CALL_COLUMNS = ["vote_id", "body", "date", "session", "title", "draft", "kind", "part_of",
                     "yes", "no", "abstain", "absent", "source", "source_ref"]
VOTE_COLUMNS = ["vote_id", "country", "country_code", "vote", "source_ref"]
TOPIC_COLUMNS = ["source_ref", "topic", "code", "scheme", "assigned_by"]
ASSIGNED_BY = ("UN", "researchers", "machine", "US government")
VOTE_VALUES = ("yes", "no", "abstain", "absent")
#: ``decision``: a recorded vote on a GA decision (A/DEC/...); ``failed_draft``: a draft resolution put to the
#: vote and not adopted (vetoed, or too few votes), identified by its draft symbol (S/2022/155).
KINDS = ("resolution", "decision", "failed_draft", "paragraph", "amendment", "motion", "other")


@dataclass
class SourceVotes:
    source: str
    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    findings: list[dict] = field(default_factory=list)
    complete: dict[str, bool] = field(default_factory=dict)
    topics: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        missing_rc = set(ROLL_CALL_COLUMNS) - set(self.roll_calls.columns)
        missing_v = set(VOTE_COLUMNS) - set(self.votes.columns)
        if missing_rc or missing_v:  # a programming error in a reader, not a data error
            raise AssertionError(f"reader for {self.source} left out columns: {sorted(missing_rc | missing_v)}")
        self.roll_calls = self.roll_calls[ROLL_CALL_COLUMNS]
        self.votes = self.votes[VOTE_COLUMNS]
        self.topics = (pd.DataFrame(columns=TOPIC_COLUMNS) if self.topics is None
                       else pd.DataFrame(self.topics, columns=TOPIC_COLUMNS))
