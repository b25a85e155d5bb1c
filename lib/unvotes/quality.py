"""Data-quality findings: what is wrong or odd in the raw files, kept as data, never silently fixed."""

from __future__ import annotations

import pandas as pd

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
