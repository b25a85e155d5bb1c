"""Coverage of the General Assembly's roll calls, audited: what the tables hold against what was held.

Four checks, each returning quality findings (never of severity "error": a gap in coverage is reported,
the tables are still right for what they hold):

* :func:`session_counts`: recorded roll calls per regular, special and emergency special session.
* :func:`emergency_session_gaps`: for the emergency special sessions numbered ES-N/k (ES-10 from 1997,
  ES-11 from 2022), the numbers k below the highest seen that are not in the data. Most resolutions are
  adopted without a vote, and a missing number cannot be told from one adopted without a vote, so each is
  "not in the data: recorded vote or not unknown" unless data/external/known_gaps.csv cites a source.
  The older sessions (ES-1 to ES-9) were numbered in the plenary sequence, so no sequence is inferred.
* :func:`sharp_year_changes`: a year whose count of roll calls differs by more than
  :data:`SHARP_CHANGE` from the previous year's (2025: the complete 2025 file against DGACM's extract).
  The latest year in the data is skipped: it is still in progress.
* :func:`voeten_comparison`: the mirror holds no per-session roll-call counts from Voeten (``unvotes-r``
  holds the roll calls themselves, which are read; the ideal-point file holds per state and session the
  votes it cast, ``NVotesAll``). The most votes any state cast in a session is a lower bound on the roll
  calls Voeten counted; a session with fewer roll calls here is reported.
"""

from __future__ import annotations

import re

import pandas as pd

from unvotes.quality import finding

SOURCE = "coverage"
#: A year's count of roll calls is flagged when it changes by more than this share against the year before.
SHARP_CHANGE = 0.5
#: Emergency special sessions whose resolutions carry their own sequence (A/RES/ES-10/1, A/RES/ES-11/1, ...).
NUMBERED_ES_SESSIONS = ("ES-10", "ES-11")
_ES_NUMBER = re.compile(r"^A/RES/(ES-\d+)/(\d+)")


def _ga(roll_calls: pd.DataFrame) -> pd.DataFrame:
    return roll_calls[roll_calls["body"] == "GA"]


def session_counts(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Roll calls per General Assembly session: session, first and last date, roll_calls."""
    ga = _ga(roll_calls)
    out = ga.groupby("session").agg(first=("date", "min"), last=("date", "max"), roll_calls=("vote_id", "size"))
    return out.sort_values("first").reset_index()


def es_numbers_seen(roll_calls: pd.DataFrame) -> dict[str, list[int]]:
    """Resolution numbers k of A/RES/ES-N/k seen in the General Assembly's roll calls, per numbered session."""
    seen: dict[str, set[int]] = {s: set() for s in NUMBERED_ES_SESSIONS}
    for vote_id in _ga(roll_calls)["vote_id"]:
        m = _ES_NUMBER.match(str(vote_id))
        if m and m.group(1) in seen:
            seen[m.group(1)].add(int(m.group(2)))
    return {s: sorted(ks) for s, ks in seen.items()}


def es_missing_numbers(roll_calls: pd.DataFrame) -> dict[str, list[int]]:
    """Per numbered emergency special session, the numbers from 1 to the highest seen that are not in the data."""
    return {s: [k for k in range(1, max(ks) + 1) if k not in set(ks)] if ks else []
            for s, ks in es_numbers_seen(roll_calls).items()}


def emergency_session_gaps(roll_calls: pd.DataFrame, documented: dict[str, str] | None = None) -> list[dict]:
    """One info finding per missing number of a numbered emergency special session. ``documented`` maps a
    resolution symbol (A/RES/ES-10/20) to what a cited known gap says of it; otherwise it is unknown."""
    documented = documented or {}
    out = []
    for session, missing in es_missing_numbers(roll_calls).items():
        highest = max(es_numbers_seen(roll_calls)[session], default=0)
        for k in missing:
            symbol = f"A/RES/{session}/{k}"
            what = documented.get(symbol, "recorded vote or not unknown")
            out.append(finding(SOURCE, "missing_resolution_number",
                               f"{symbol} not in the data ({session} numbers up to {highest} seen): {what}",
                               severity="info", vote_id=symbol, source_ref="roll_calls.parquet"))
    return out


def year_counts(roll_calls: pd.DataFrame) -> pd.Series:
    """General Assembly roll calls per calendar year."""
    ga = _ga(roll_calls)
    return ga.groupby(ga["date"].dt.year).size().sort_index()


def sharp_year_changes(roll_calls: pd.DataFrame, threshold: float = SHARP_CHANGE) -> list[dict]:
    """A warning per year (except the latest, in progress) whose roll calls differ from the previous
    year's by more than ``threshold`` (a share)."""
    counts = year_counts(roll_calls)
    out = []
    for (prev_year, prev), (year, n) in zip(list(counts.items())[:-2], list(counts.items())[1:-1]):
        change = n / prev - 1
        if abs(change) > threshold:
            gap = "" if year == prev_year + 1 else f" (no roll call in the data between {prev_year} and {year})"
            out.append(finding(SOURCE, "sharp_year_change",
                               f"{n} General Assembly roll calls in {year} against {prev} in {prev_year}"
                               f"{gap} ({change:+.0%}; threshold {threshold:.0%}): a change of source or of "
                               "coverage may stand behind it, check before comparing years",
                               severity="warning", source_ref=f"roll_calls.parquet {year}",
                               published=prev, listed=n))
    return out


def voeten_comparison(roll_calls: pd.DataFrame, idealpoints: pd.DataFrame | None) -> list[dict]:
    """Info findings where a regular session holds fewer roll calls than the most votes one state cast in
    it according to Voeten's ideal-point file (``session``, ``NVotesAll``)."""
    if idealpoints is None:
        return [finding(SOURCE, "voeten_counts_unavailable", "the ideal-point file of voeten-idealpoints is "
                        "not in the mirror, so no session's roll calls were compared with Voeten's",
                        severity="info")]
    most = idealpoints.groupby("session")["NVotesAll"].max()
    counts = session_counts(roll_calls)
    regular = counts[counts["session"].astype(str).str.fullmatch(r"\d+")]
    out = []
    for row in regular.itertuples():
        session = int(row.session)
        if session in most.index and row.roll_calls < most[session]:
            out.append(finding(SOURCE, "fewer_than_voeten",
                               f"session {session}: {row.roll_calls} roll calls here, but one state cast "
                               f"{int(most[session])} votes in it in Voeten's ideal-point file (NVotesAll; "
                               "Voeten may count a special or emergency session's votes in the regular session)",
                               severity="info", source_ref="IdealpointestimatesAll_Jun2024.csv",
                               published=int(most[session]), listed=row.roll_calls))
    return out


def documented_gaps() -> dict[str, str]:
    """Resolution symbols with a row in data/external/known_gaps.csv, mapped to a pointer to that row."""
    from unvotes.tables.external import read_curated
    from unvotes.analyses.overview import KNOWN_GAPS_FILE

    stated = read_curated(KNOWN_GAPS_FILE, ["vote_id", "gap", "detail", "how_to_close", "source"])
    return {v: f"a cited row of data/external/{KNOWN_GAPS_FILE} says what is known" for v in stated["vote_id"] if v}


def coverage_findings(roll_calls: pd.DataFrame, idealpoints: pd.DataFrame | None = None,
                      documented: dict[str, str] | None = None) -> list[dict]:
    """Every coverage finding of the build."""
    return (emergency_session_gaps(roll_calls, documented) + sharp_year_changes(roll_calls)
            + voeten_comparison(roll_calls, idealpoints))
