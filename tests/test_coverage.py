"""Coverage audit (unvotes.tables.coverage): on a small synthetic frame, and on the real mirror's tables."""

import pandas as pd
import pytest

from unvotes.tables import coverage


def _roll_calls(rows):
    return pd.DataFrame([{"vote_id": v, "body": b, "date": pd.Timestamp(d), "session": s} for v, b, d, s in rows])


def test_synthetic_gaps_changes_and_voeten():
    rows = [("A/RES/ES-11/1", "GA", "2022-03-02", "ES-11"), ("A/RES/ES-11/3", "GA", "2022-04-07", "ES-11"),
            ("A/RES/ES-10/2", "GA", "2021-01-01", "ES-10"), ("S/RES/1", "SC", "2022-01-01", "")]
    rows += [(f"A/RES/75/{i}", "GA", "2020-12-01", "75") for i in range(10)]
    rows += [(f"A/RES/76/{i}", "GA", "2021-12-01", "76") for i in range(10)]  # 11 in 2021 with ES-10/2
    rows += [(f"A/RES/77/{i}", "GA", "2023-12-01", "77") for i in range(30)]  # 2022: 2, 2023: 30
    rows += [("A/RES/78/1", "GA", "2024-01-01", "78")]  # the latest year: in progress, never flagged
    rc = _roll_calls(rows)
    assert coverage.es_missing_numbers(rc) == {"ES-10": [1], "ES-11": [2]}
    gaps = coverage.emergency_session_gaps(rc, {"A/RES/ES-11/2": "cited"})
    assert [(f["vote_id"], f["severity"]) for f in gaps] == [("A/RES/ES-10/1", "info"), ("A/RES/ES-11/2", "info")]
    assert "recorded vote or not unknown" in gaps[0]["detail"] and gaps[1]["detail"].endswith("cited")
    changes = coverage.sharp_year_changes(rc)
    assert [(f["source_ref"], f["published"], f["listed"]) for f in changes] == [
        ("roll_calls.parquet 2022", "11", "2"), ("roll_calls.parquet 2023", "2", "30")]
    assert all(f["severity"] == "warning" for f in changes)
    voeten = pd.DataFrame({"session": [75, 75, 76], "NVotesAll": [9, 12, 10]})
    fewer = coverage.voeten_comparison(rc, voeten)
    assert [(f["published"], f["listed"]) for f in fewer] == [("12", "10")]
    assert coverage.voeten_comparison(rc, None)[0]["check"] == "voeten_counts_unavailable"


@pytest.fixture
def real(in_data_dir):
    from unvotes import api

    return api.load_roll_calls(), api.load_findings()


def test_es10_gaps_found_on_real_data(real):
    rc, findings = real
    missing = coverage.es_missing_numbers(rc)
    assert {20, 23, 25, 26} <= set(missing["ES-10"]) and 21 not in missing["ES-10"]
    assert missing["ES-11"] == []
    found = findings[findings["check"] == "missing_resolution_number"]
    assert {f"A/RES/ES-10/{k}" for k in (20, 23, 25, 26)} <= set(found["vote_id"])
    assert (found.loc[found["vote_id"] == "A/RES/ES-10/23", "detail"].str.contains("known_gaps.csv")).all()
    assert not findings[findings["source"] == coverage.SOURCE]["severity"].eq("error").any()


def test_2025_change_flagged_on_real_data(real):
    rc, findings = real
    counts = coverage.year_counts(rc)
    assert counts[2025] > 1.5 * counts[2024]
    flagged = findings[findings["check"] == "sharp_year_change"]
    assert "roll_calls.parquet 2025" in set(flagged["source_ref"])
    assert "roll_calls.parquet 2024" not in set(flagged["source_ref"])
