"""Data-quality findings: what is wrong or odd in the raw files, kept as data, never silently fixed."""

from __future__ import annotations

import pandas as pd

from unvotes.errors import UnvotesError

FINDING_COLUMNS = ["source", "source_ref", "vote_id", "check", "severity", "published", "listed", "detail"]
SEVERITIES = ("info", "warning", "error")


def finding(source: str, check: str, detail: str, *, severity: str = "warning", vote_id: str = "",
            source_ref: str = "", published: object = None, listed: object = None) -> dict:
    """One finding. ``published``/``listed`` hold the two numbers a count check compares."""
    assert severity in SEVERITIES, severity
    return {"source": source, "source_ref": source_ref, "vote_id": vote_id, "check": check,
            "severity": severity, "published": None if published is None else str(published),
            "listed": None if listed is None else str(listed), "detail": detail}


def findings_frame(findings: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(findings, columns=FINDING_COLUMNS)
    return df.astype({c: "string" for c in FINDING_COLUMNS})


class ErrorFindings(UnvotesError):
    """The build met findings of severity "error": its tables would be wrong, so none are written."""


def stop_on_errors(findings: list[dict], *, shown: int = 12) -> None:
    """Raise :class:`ErrorFindings` naming the rows behind every finding of severity "error". An error
    finding is one the build cannot publish through (two names on one code, two votes of one state, a curated
    correction the tables do not hold); what can be right as published is a warning or info."""
    errors = [f for f in findings if f["severity"] == "error"]
    if not errors:
        return
    by_check = pd.Series([f["check"] for f in errors]).value_counts()
    lines = [f"  - {f['check']}: {f['vote_id'] or '(no vote)'} at {f['source_ref'] or f['source']} ({f['source']}): "
             f"{f['detail']}" for f in errors[:shown]]
    more = f"\n  ... and {len(errors) - shown} more" if len(errors) > shown else ""
    raise ErrorFindings(
        f"the build found {len(errors)} finding(s) of severity 'error' ("
        + ", ".join(f"{check} {n}" for check, n in by_check.items())
        + "), so no table was written and the previous tables are kept:\n" + "\n".join(lines) + more
        + "\nFix the rows named (a curated table in data/external, or a raw record) and run `make data` again.")
