"""Roll calls pasted from UN meeting records and press releases, turned into rows of the curated tables.

A General Assembly meeting record (``A/77/PV.xx``) prints a recorded vote as::

    A recorded vote was taken.
    In favour:
        Afghanistan, Albania, ..., Bolivia (Plurinational State of), ...
    Against:
        Belarus, Democratic People's Republic of Korea, ...
    Abstaining:
        Angola*, China, ...
    Draft resolution A/77/L.65 was adopted by 122 votes to 5, with 18 abstentions (resolution 77/284).

and a press release's voting annex as ``IN FAVOUR: ...  AGAINST: ...  ABSTAIN: ...  ABSENT: ...``. The
parser accepts both: headings in any case, lists broken over lines, words hyphenated at a line end
("Gren-\\nadines"; "Guinea-\\nBissau" keeps its hyphen), footnote marks ("Angola*", "Angola¹", a
pasted superscript "Angola1"), page headers and numbers of a PDF pasted in the middle of a list, and the
period that ends the last list. Names are reconciled to ISO3 by :mod:`unvotes.tables.reconcile` (the one place
for it): an unknown name is an error listing every unmatched name.

    >>> rec = parse(text, date="2023-04-26")
    >>> rec.votes            # iso3, vote, name (as printed)
    >>> rec.stated           # totals stated in the text ("adopted by 122 votes to 5, with 18 abstentions")
    >>> rows = curated_rows(rec, vote_id=..., date=..., source="A/77/PV.xx, p. 12", complete=True)

``python -m unvotes add-separate-vote RECORD.txt --vote-id ... --date ... --source ...`` appends the rows
to ``data/external/separate_roll_calls.csv`` and ``separate_votes.csv`` (see :mod:`unvotes.cli`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from unvotes import ids
from unvotes.tables import reconcile
from unvotes.errors import UnknownCountryError, UnvotesError

#: Headings of the lists, as the UN prints them, and the vote each stands for.
HEADINGS = {"in favour": "yes", "in favor": "yes", "against": "no", "abstaining": "abstain", "abstain": "abstain",
            "abstentions": "abstain", "absent": "absent", "non-voting": "absent", "did not vote": "absent"}
_HEADING = re.compile(r"\b(" + "|".join(sorted((re.escape(h) for h in HEADINGS), key=len, reverse=True))
                      + r")\s*:", re.IGNORECASE)
# lines a PDF puts in the middle of a list when it crosses a page: document symbol, date, page and job numbers
_PAGE_TOKEN = (r"(?:[AS]/(?:ES-)?\d+/PV\.\d+|\d{1,2}/\d{1,2}/\d{4}|\d{1,3}/\d{1,3}|\d{2}-\d{5}(?:[ \t]*\(E\))?"
               r"|\*\d{7,}\*|\d{1,3})")
_PAGE_NOISE = re.compile(rf"^[ \t]*{_PAGE_TOKEN}(?:[ \t]+{_PAGE_TOKEN})*[ \t]*(?:\n|$)", re.MULTILINE)
# words of a state's name as the UN prints it: capitalised, or one of these (a line that breaks the pattern
# after a line without a trailing comma is the text after the list, e.g. "Draft resolution ... was adopted")
_NAME_PARTICLES = {"and", "of", "the", "da", "del", "de"}
_FOOTNOTE = re.compile(r"[*\u2020\u2021\u00b9\u00b2\u00b3\u2070-\u2079]+|(?<=[A-Za-z)])[ \t]?\d+\b")
_TOTALS = [  # "adopted by 122 votes to 5, with 18 abstentions"; "recorded vote of 93 in favour to 18 against, with 65 abstentions"
    re.compile(r"\b(?P<yes>\d+) votes? to (?P<no>\d+|none)(?:,? with (?P<abstain>\d+|no) abstentions?)?", re.I),
    re.compile(r"(?P<yes>\d+) in favou?r,? to (?P<no>\d+|none) against(?:,? with (?P<abstain>\d+|no) abstentions?)?", re.I),
]


class MeetingRecordError(UnvotesError):
    """A pasted roll call that cannot be read (no lists, a state listed twice, counts that do not add up)."""


@dataclass
class Record:
    """A parsed roll call: one row per listed state (iso3, vote, name as printed) and the totals the text states."""

    votes: pd.DataFrame
    stated: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {v: int((self.votes["vote"] == v).sum()) for v in ("yes", "no", "abstain", "absent")}


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ").replace("\u00ad", "").replace("\r\n", "\n")
    text = _PAGE_NOISE.sub("", text)
    text = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", text)  # "Gren-\nadines": a word broken at the line end
    text = re.sub(r"-\s*\n\s*(?=[A-Z])", "-", text)           # "Guinea-\nBissau": a real hyphen
    return text


def sections(text: str) -> list[tuple[str, str]]:
    """(vote, list text) for each heading in ``text``, in order. A list runs to the next heading, its closing
    period, or the first line that reads as prose (see :func:`_list_text`)."""
    text = _clean(text)
    heads = list(_HEADING.finditer(text))
    if not heads:
        raise MeetingRecordError("no roll-call lists found: expected headings such as 'In favour:', 'Against:', "
                                 f"'Abstaining:' (or {', '.join(repr(h.title() + ':') for h in HEADINGS)})")
    return [(HEADINGS[head.group(1).lower()], _list_text(text[head.end(): nxt.start() if nxt else len(text)]))
            for head, nxt in zip(heads, heads[1:] + [None])]


def _looks_like_names(line: str) -> bool:
    """Whether the start of ``line`` (to its first comma) reads as a state's name rather than prose."""
    words = re.findall(r"[^\s()]+", _FOOTNOTE.sub("", line.split(",")[0]))
    return bool(words) and all(
        (w[0].isupper() and not re.search(r"[\d/:]", w)) or w.lower() in _NAME_PARTICLES or w[:2] in ("d'", "d’")
        for w in words)


def _list_text(body: str) -> str:
    """The list at the start of ``body``: up to its closing period, or to the first line that reads as prose after
    a line without a trailing comma (blank lines, e.g. around a page header, are skipped). Joined with spaces."""
    kept: list[str] = []
    for line in body.split("\n"):
        s = line.strip()
        if not s:
            continue
        if kept and not kept[-1].endswith(",") and not _looks_like_names(s):
            break
        kept.append(s)
        if re.search(r"\.(?:\s|$)", s):
            break
    return re.split(r"\.(?:\s|$)", " ".join(kept), maxsplit=1)[0]


def names_of(list_text: str) -> list[str]:
    """The state names of one list, as printed, without footnote marks, line breaks or the final period."""
    names = []
    for raw in re.split(r"[,;]", list_text):
        name = " ".join(_FOOTNOTE.sub("", raw).split()).strip(" .")
        if name and name.lower() != "none":
            names.append(name)
    return names


def stated_totals(text: str) -> dict[str, int]:
    """Totals the text states, e.g. {'yes': 122, 'no': 5, 'abstain': 18}; {} if it states none."""
    for pattern in _TOTALS:
        m = pattern.search(" ".join(text.split()))
        if m:
            return {k: 0 if v in ("none", "no") else int(v) for k, v in m.groupdict().items() if v is not None}
    return {}


def parse(text: str, *, date, what: str = "record") -> Record:
    """The roll call in ``text``: every listed state reconciled to ISO3 (names as of ``date``).

    Raises UnknownCountryError listing every name that cannot be reconciled, and MeetingRecordError when
    there are no lists or a state is listed twice."""
    rows = [(vote, name) for vote, body in sections(text) for name in names_of(body)]
    if not rows:
        raise MeetingRecordError(f"{what}: the roll-call lists are empty")
    frame = pd.DataFrame({"country": [n for _, n in rows], "country_code": "", "date": pd.Timestamp(date),
                          "source_ref": [f"the {what}'s '{v}' list" for v, _ in rows]})
    try:
        iso3 = reconcile.to_iso3(frame, what="listed states")
    except UnknownCountryError as exc:
        raise UnknownCountryError(f"{exc}\nIf a name is garbled in the pasted {what} (e.g. a word broken at a line "
                                  "end), correct the text instead.") from None
    votes = pd.DataFrame({"iso3": iso3.to_numpy(), "vote": [v for v, _ in rows], "name": frame["country"].to_numpy()})
    twice = votes[votes["iso3"].duplicated(keep=False)]
    if len(twice):
        listed = "; ".join(f"{iso}: {', '.join(f'{r.name} ({r.vote})' for r in g.itertuples())}"
                           for iso, g in twice.groupby("iso3"))
        raise MeetingRecordError(f"{what}: states listed more than once: {listed}")
    return Record(votes=votes, stated=stated_totals(text))


def check_counts(record: Record, totals: dict[str, int | None] | None = None, *, complete: bool = True) -> None:
    """The listed counts against the totals (``totals``, else those stated in the text). A complete roll call
    must match each total exactly; a partial one may not exceed any. Raises MeetingRecordError naming each."""
    totals = {k: v for k, v in (totals or record.stated).items() if v is not None}
    counts = record.counts()
    bad = [f"{vote}: {counts[vote]} listed, {n} stated" for vote, n in totals.items()
           if (counts[vote] != n if complete else counts[vote] > n)]
    if bad:
        raise MeetingRecordError("listed votes do not match the totals (" + "; ".join(bad) + "); check the pasted "
                                 "lists for a missing or merged name" + ("" if complete else
                                                                         " (a partial roll call may not exceed them)"))


def curated_rows(record: Record, *, vote_id: str, date: str, source: str, body: str = "GA", part_of: str = "",
                 what: str = "", kind: str | None = None, draft: str = "", title: str = "", note: str = "",
                 complete: bool = True, totals: dict[str, int | None] | None = None) -> tuple[dict, pd.DataFrame]:
    """One row of separate_roll_calls.csv and the rows of separate_votes.csv for ``record`` (all text).

    For a vote on part of a text give ``part_of`` and ``what`` and leave ``vote_id`` to be built
    (``ids.part_id``); pass ``vote_id=""`` then. Totals default to those stated in the text."""
    if part_of:
        built = ids.part_id(part_of, what)
        if vote_id and vote_id != built:
            raise MeetingRecordError(f"vote_id {vote_id!r} does not match part_of and what: expected {built!r}")
        vote_id = built
    if not vote_id:
        raise MeetingRecordError("give vote_id, or part_of and what for a vote on part of a text")
    totals = record.stated if totals is None else totals
    check_counts(record, totals, complete=complete)
    roll_call = {"vote_id": vote_id, "part_of": part_of, "body": body, "date": str(pd.Timestamp(date).date()),
                 "draft": draft, "title": title, "what": what,
                 "kind": kind or ("paragraph" if part_of else "resolution"),
                 **{f"{v}_total": "" if totals.get(v) is None else str(totals[v]) for v in ("yes", "no", "abstain")},
                 "complete": "true" if complete else "false", "note": note, "source": source}
    votes = pd.DataFrame({"vote_id": vote_id, "iso3": record.votes["iso3"], "vote": record.votes["vote"],
                          "source": source})
    return roll_call, votes
