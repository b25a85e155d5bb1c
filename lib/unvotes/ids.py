"""One vote-id scheme across sources: the official document symbol, e.g. ``A/RES/ES-11/4``.

Spellings met in the sources and their canonical form:

=============================  ===========================
``A/RES/ES-11/1``              ``A/RES/ES-11/1``
``A/RES/75/290A``              ``A/RES/75/290 A``
``A/RES/2467(XXIII)[A]``       ``A/RES/2467(XXIII) A``
``R/68/262`` (unvotes)         ``A/RES/68/262``
``R/23/2467A`` (unvotes)       ``A/RES/2467(XXIII) A`` (sessions 1-30 numbered resolutions serially)
``ESS/10/19`` (unvotes)        ``A/RES/ES-10/19``
``SS/10/2`` (unvotes)          ``A/RES/S-10/2``
``S/RES/2774 (2025)``          ``S/RES/2774``
``A/DEC/80/506``               ``A/DEC/80/506`` (a recorded vote on a decision)
``S/2022/155``                 ``S/2022/155`` (a Security Council draft that was not adopted)
=============================  ===========================

A draft resolution that failed (vetoed, or too few votes) has no resolution symbol: its draft symbol
is its id.

A separate vote on part of a text gets its own id, ``<whole id> [<what>]``, and a ``part_of`` link.
"""

from __future__ import annotations

import re

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


_WS = re.compile(r"\s+")
_GA_RES = re.compile(r"^A/RES/(?P<body>(?:ES-|S-)?\d+/\d+|\d+\s*\([IVXLC]+\))\s*\[?(?P<part>[A-Z]{1,2}(?:-[A-Z]{1,2})?)?\]?$")
_SC_RES = re.compile(r"^S/RES/(?P<num>\d+)(?:\s*\(\d{4}\))?$")
_GA_DEC = re.compile(r"^A/DEC/(?P<body>(?:ES-|S-)?\d+/\d+)$")
_SC_DRAFT = re.compile(r"^S/(?P<year>(?:19|20)\d\d)/(?P<num>\d+)$")
_UNVOTES = re.compile(r"^(?P<kind>R|ESS|SS)/(?P<session>\d+)/(?P<num>\d+)\s*/?(?P<part>[A-Z]{1,2})?$")


def normalize_symbol(symbol: str) -> str:
    """Canonical form of a GA or SC resolution symbol; raises ValueError if it is not one."""
    s = _WS.sub(" ", str(symbol).replace("\xa0", " ")).strip().upper()
    m = _GA_RES.match(s)
    if m:
        body = re.sub(r"\s+", "", m.group("body"))
        return f"A/RES/{body}" + (f" {m.group('part')}" if m.group("part") else "")
    m = _SC_RES.match(s)
    if m:
        return f"S/RES/{m.group('num')}"
    m = _GA_DEC.match(s)
    if m:
        return f"A/DEC/{m.group('body')}"
    m = _SC_DRAFT.match(s)
    if m:
        return f"S/{m.group('year')}/{int(m.group('num'))}"
    raise ValueError(f"not a GA or SC resolution, decision or Council draft symbol: {symbol!r}")


def from_unvotes_unres(unres: str) -> str | None:
    """Canonical id for an ``unres`` value of the R unvotes data; None when it is not a parseable symbol."""
    s = _WS.sub(" ", str(unres or "")).strip().upper()
    if not s:
        return None
    if s.startswith("A/RES/"):
        try:
            return normalize_symbol(s)
        except ValueError:
            return None
    m = _UNVOTES.match(s)
    if not m:
        return None
    session, num, part = int(m.group("session")), int(m.group("num")), m.group("part")
    suffix = f" {part}" if part else ""
    if m.group("kind") == "ESS":
        return f"A/RES/ES-{session}/{num}{suffix}"
    if m.group("kind") == "SS":
        return f"A/RES/S-{session}/{num}{suffix}"
    if session <= 30:  # until 1975 resolutions were numbered serially, with the session in roman numerals
        return f"A/RES/{num}({roman(session)}){suffix}"
    return f"A/RES/{session}/{num}{suffix}"


def part_id(whole: str, what: str) -> str:
    """Id of a separate vote on part of a text (a paragraph, an amendment)."""
    return f"{whole} [{what}]"


_SESSION_OF = [
    (re.compile(r"^A/(?:RES|DEC)/(ES-\d+)/"), lambda m: m.group(1)),
    (re.compile(r"^A/(?:RES|DEC)/(S-\d+)/"), lambda m: m.group(1)),
    (re.compile(r"^A/(?:RES|DEC)/(\d+)/"), lambda m: m.group(1)),
]
_OLD_SESSION = re.compile(r"^A/RES/\d+\(([IVXLC]+)\)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _from_roman(s: str) -> int:
    total = 0
    for ch, nxt in zip(s, s[1:] + " "):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt != " " and _ROMAN_VALUES[nxt] > value else value
    return total


def session_of(vote_id: str) -> str:
    """The session a GA symbol belongs to: "77", "ES-11", "S-10"; "" if the id is not a GA symbol."""
    for pattern, get in _SESSION_OF:
        m = pattern.match(vote_id)
        if m:
            return get(m)
    m = _OLD_SESSION.match(vote_id)
    return str(_from_roman(m.group(1))) if m else ""


def kind_of(vote_id: str) -> str:
    """The kind of a whole-text vote from its symbol: ``decision`` (A/DEC/...), ``failed_draft`` (a Council
    draft symbol: only a draft that was not adopted keeps it as its id), else ``resolution``."""
    if vote_id.startswith("A/DEC/"):
        return "decision"
    if _SC_DRAFT.match(vote_id):
        return "failed_draft"
    return "resolution"
