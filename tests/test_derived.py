"""The roll call derived in code (source ``derived``): the vote of 24 February 2026 as each state's 2026
counts (unga-2025/annual_scores) minus its votes of 10 March 2026. On the real mirror: 193 rows, the published
totals, the press No list, every disagreement with the press a finding. On small synthetic inputs: each check
fails with an error naming the state and the numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from unvotes.sources.readers.derived import (
    DerivationError, ResidualVote, check_against_press, derive_residual, read_annual_counts,
)

SPEC = ResidualVote(vote_id="A/RES/X/1", year=2026, later=("A/RES/X/2",), rule="test rule")
MEMBERS = {"AAA", "BBB", "CCC", "DDD"}


def _counts(rows: list[tuple]) -> pd.DataFrame:
    """rows of (iso3, yes, no, abstain[, total]) as read_annual_counts returns them."""
    out = []
    for line, r in enumerate(rows, start=2):
        iso3, yes, no, abstain, *total = r
        out.append({"iso3": iso3, "line": line, "yes": yes, "no": no, "abstain": abstain,
                    "total": total[0] if total else yes + no + abstain})
    return pd.DataFrame(out)


LATER = pd.DataFrame({"vote_id": "A/RES/X/2", "iso3": ["AAA", "BBB", "CCC", "DDD"],
                      "vote": ["yes", "yes", "no", "absent"]})
# AAA: yes then yes -> yes; BBB: abstain + yes -> abstain; CCC: no + no -> no; DDD: no row -> absent
GOOD = [("AAA", 2, 0, 0), ("BBB", 1, 0, 1), ("CCC", 0, 2, 0)]


def test_residual_gives_each_members_vote():
    got = derive_residual(SPEC, _counts(GOOD), LATER, MEMBERS, {"yes": 1, "no": 1, "abstain": 1})
    assert dict(zip(got["iso3"], got["vote"])) == {"AAA": "yes", "BBB": "abstain", "CCC": "no", "DDD": "absent"}


@pytest.mark.parametrize("rows, later, published, message", [
    # two votes left over: the counts cover another vote
    ([("AAA", 3, 0, 0), ("BBB", 1, 0, 1), ("CCC", 0, 2, 0)], LATER, {"yes": 1, "no": 1, "abstain": 1},
     r"AAA \(line 2\): 2026 counts 3-0-0, later votes 1-0-0, residual 2-0-0 \(yes-no-abstain\)"),
    # one vote in two categories
    ([("AAA", 2, 1, 0), ("BBB", 1, 0, 1), ("CCC", 0, 2, 0)], LATER, {"yes": 1, "no": 1, "abstain": 1},
     r"1 state\(s\) whose residual is not 0 or 1 vote in one category: AAA"),
    # a negative residual: DDD voted later but has no row
    (GOOD, LATER.assign(vote=["yes", "yes", "no", "yes"]), {"yes": 1, "no": 1, "abstain": 1},
     r"DDD \(no row\): 2026 counts 0-0-0, later votes 1-0-0, residual -1-0-0"),
    # the totals differ from the published ones
    (GOOD, LATER, {"yes": 2, "no": 1, "abstain": 1}, r"residuals total 1-1-1 .* published totals are 2-1-1"),
    # a row that does not add up
    ([("AAA", 2, 0, 0, 3), ("BBB", 1, 0, 1), ("CCC", 0, 2, 0)], LATER, {"yes": 1, "no": 1, "abstain": 1},
     r"line 2 \(AAA\): yes 2 \+ no 0 \+ abstain 0 != total 3"),
    # a state listed twice
    ([("AAA", 2, 0, 0), ("AAA", 2, 0, 0), ("CCC", 0, 2, 0)], LATER, {"yes": 1, "no": 1, "abstain": 1},
     r"AAA has 2 rows for 2026 \(lines 2, 3\)"),
    # a row for a non-member
    ([("ZZZ", 1, 0, 0), ("BBB", 1, 0, 1), ("CCC", 0, 2, 0)], LATER, {"yes": 1, "no": 1, "abstain": 1},
     r"line 2 names 'ZZZ', not a UN member"),
    # the later vote is missing
    (GOOD, LATER.assign(vote_id="A/RES/X/9"), {"yes": 1, "no": 1, "abstain": 1},
     r"later vote\(s\) \['A/RES/X/2'\] are not in the data"),
])
def test_each_failing_check_is_a_clear_error(rows, later, published, message):
    with pytest.raises(DerivationError, match=message):
        derive_residual(SPEC, _counts(rows), later, MEMBERS, published)


def test_press_no_list_must_match_and_other_differences_are_findings():
    derived = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC", "DDD"], "vote": ["yes", "abstain", "no", "absent"]})
    press = pd.DataFrame({"iso3": ["CCC", "AAA"], "vote": ["no", "abstain"], "source": "press"})
    disputes = pd.DataFrame({"iso3": ["BBB", "BBB"], "vote": ["yes", "abstain"], "source": ["a.example", "b.example"]})
    found = check_against_press("V", derived, press, no_list_complete=True, disputes=disputes)
    warnings = [f for f in found if f["severity"] == "warning"]
    assert [(f["detail"][:3], f["published"], f["listed"]) for f in warnings] == [("AAA", "abstain", "yes"),
                                                                                 ("BBB", "yes", "abstain")]
    assert "disputed press claim (a.example)" in warnings[1]["detail"]
    assert any("1 of the 2 votes of the curated press list agree" in f["detail"] for f in found)
    with pytest.raises(DerivationError, match=r"only derived \[\] , only in the press \['AAA'\]".replace(" ,", ",")):
        check_against_press("V", derived, press.assign(vote="no"), no_list_complete=True)
    check_against_press("V", derived, press.assign(vote="no"), no_list_complete=False)  # an incomplete list: no error


def test_read_annual_counts_names_bad_values(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("Country name,Year,Yes Votes,No Votes,Abstain Votes,Total Votes in Year\n"
                    "AAA,2025,1,0,0,1\nAAA,2026,1,x,0,1\n")
    with pytest.raises(DerivationError, match=r"scores.csv line 3: No Votes of AAA in 2026 is 'x'"):
        read_annual_counts(path, 2026)
    path.write_text("Country name,Year,Yes Votes\nAAA,2026,1\n")
    with pytest.raises(DerivationError, match=r"column\(s\) \['No Votes', 'Abstain Votes', 'Total Votes in Year'\] missing"):
        read_annual_counts(path, 2026)


def test_derived_vote_of_24_february_2026_on_the_mirror(in_data_dir):
    import unvotes

    rc = unvotes.load_roll_calls().set_index("vote_id").loc["A/RES/ES-11/10"]
    assert rc["source"] == "derived" and bool(rc["complete"])
    v = unvotes.votes_on("A/RES/ES-11/10")
    assert len(v) == 193 and v["iso3"].is_unique
    assert v["vote"].value_counts().to_dict() == {"yes": 107, "abstain": 51, "absent": 23, "no": 12}
    assert sorted(v.loc[v["vote"] == "no", "iso3"]) == ["BDI", "BFA", "BLR", "CUB", "ERI", "IRN", "MLI", "NER",
                                                        "NIC", "PRK", "RUS", "SDN"]
    # Venezuela had no vote right in 2026 (Article 19): absent, with that reason
    all_votes = unvotes.load_votes()
    ven = all_votes[(all_votes["vote_id"] == "A/RES/ES-11/10") & (all_votes["iso3"] == "VEN")].iloc[0]
    assert ven["vote"] == "absent" and str(ven["absent_reason"]).startswith("no_vote_right")
    qf = unvotes.load_findings()
    mine = qf[qf["vote_id"] == "A/RES/ES-11/10"]
    assert (mine["check"] == "derived_roll_call").sum() == 1
    differ = mine[(mine["check"] == "derived_vs_press") & (mine["severity"] == "warning")]
    # Singapore (one press report: abstain) and Slovakia (disputed: 24.kg abstain, charter97 yes)
    assert sorted(zip(differ["detail"].str[:3], differ["published"], differ["listed"])) == [
        ("SGP", "abstain", "yes"), ("SVK", "abstain", "yes")]


def test_a_digital_library_record_added_later_supersedes_and_every_difference_is_reported():
    from unvotes.tables.build import apply_precedence

    def record(source, votes):
        rc = pd.DataFrame([{"vote_id": "V", "date": pd.Timestamp("2026-02-24"), "yes": 1, "no": 1, "abstain": 0,
                            "source": source, "source_ref": f"{source}:1", "complete": True}])
        return rc, pd.DataFrame({"vote_id": "V", "iso3": list(votes), "vote": list(votes.values())})

    prepared = {"undl-records": record("undl-records", {"AAA": "yes", "BBB": "no"}),
                "derived": record("derived", {"AAA": "no", "BBB": "yes"})}
    rc, votes, found = apply_precedence(prepared)
    assert rc["source"].tolist() == ["undl-records"]
    differ = [f for f in found if f["check"] == "source_disagreement"]
    assert len(differ) == 1 and differ[0]["source"] == "derived"
    assert "AAA: no in derived, yes in undl-records" in differ[0]["detail"] and "BBB" in differ[0]["detail"]
