"""Cited published totals (data/external/published_totals.csv), votes lost under Article 19
(data/external/vote_rights.csv), the topics table and find()."""

import pandas as pd
import pytest

import unvotes
from unvotes.tables import catalogue, published_totals, vote_rights
from unvotes.errors import UnvotesError


def _roll_call(vote_id, date, body="GA", complete=True, totals=(pd.NA, pd.NA, pd.NA)):
    return {"vote_id": vote_id, "body": body, "date": pd.Timestamp(date), "complete": complete, "source": "unvotes-r",
            "source_ref": "x", "yes": totals[0], "no": totals[1], "abstain": totals[2]}


def test_a_computed_total_that_differs_from_the_cited_one_is_a_finding():
    rc = pd.DataFrame([_roll_call("A/RES/71/205", "2016-12-19")])
    votes = pd.DataFrame({"vote_id": "A/RES/71/205", "iso3": [f"S{i:02d}" for i in range(172)],
                          "vote": ["yes"] * 70 + ["no"] * 25 + ["abstain"] * 77})
    found = [f for f in published_totals.check(rc, votes) if f["vote_id"] == "A/RES/71/205"]
    assert len(found) == 1 and found[0]["published"] == "70-26-77" and found[0]["listed"] == "70-25-77"
    assert "Zimbabwe" in found[0]["detail"] and "kept as published" in found[0]["detail"]
    # the same votes with the missing 'no' found: no finding
    votes.loc[len(votes)] = ["A/RES/71/205", "ZWE", "no"]
    assert not [f for f in published_totals.check(rc, votes) if f["vote_id"] == "A/RES/71/205"]


def test_a_bad_totals_row_names_its_line(tmp_path, monkeypatch):
    from unvotes import paths

    (tmp_path / "published_totals.csv").write_text("vote_id,yes,no,abstain,source,note\n"
                                                   "A/RES/71/205,70,26,seventy,a press report somewhere,\n")
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    published_totals.load.cache_clear()
    try:
        with pytest.raises(UnvotesError, match=r"published_totals.csv: 1 problem\(s\):\n  line 2, column 'abstain': 'seventy' is not a whole number"):
            published_totals.load()
    finally:
        published_totals.load.cache_clear()


def test_every_catalogued_general_assembly_vote_has_published_totals(in_data_dir):
    cat = catalogue.load()
    ga = cat[cat["vote_id"].str.startswith("A/")]
    assert ga[["yes", "no", "abstain"]].notna().all().all(), ga.loc[ga["yes"].isna(), "vote_id"].tolist()
    row = cat.set_index("vote_id").loc["A/RES/68/262"]  # unvotes publishes none: the cited ones fill in
    assert (row["yes"], row["no"], row["abstain"]) == (100, 11, 58) and "before-war-after.com" in row["totals_source"]


def test_the_71_205_mismatch_is_reported_not_patched(in_data_dir):
    f = unvotes.load_findings()
    rows = f[(f["check"] == "published_totals") & (f["vote_id"] == "A/RES/71/205")]
    assert rows["listed"].tolist() == ["70-25-77"] and "Zimbabwe" in rows["detail"].iloc[0]
    assert unvotes.vote_of("ZWE", "A/RES/71/205") == "absent"  # kept as published


# ---------------------------------------------------------------- Article 19


def test_the_71_205_mismatch_is_flagged_wherever_its_totals_are_printed(in_data_dir):
    from unvotes.tables import catalogue
    from unvotes.analyses import overview
    from unvotes.site import vote_pages

    table = overview.published_vs_computed(["A/RES/71/205", "A/RES/ES-11/2"]).set_index("vote_id")
    flag = table.loc["A/RES/71/205", "totals differ"]
    assert flag.startswith("published 70-26-77, computed 70-25-77: cited totals 70-26-77")
    assert table.loc["A/RES/ES-11/2", "totals differ"] == ""  # published = computed: no flag
    index = vote_pages.index_page(catalogue.load().query("available"))
    row = next(r for r in index.split("</tr>") if "A/RES/71/205" in r)
    assert "flagged: the published and computed totals differ, published 70-26-77, computed 70-25-77" in row
    assert "flagged" not in next(r for r in index.split("</tr>") if "A/RES/ES-11/2<" in r)


def test_spells_are_read_and_checked():
    s = vote_rights.spells()
    assert set(s["basis"]) == {"article19", "article19_exempted"}
    ven = s[(s["iso3"] == "VEN") & (s["valid_from"] == "2022-01-11")].iloc[0]
    assert ven["attested_until"] == pd.Timestamp("2026-02-03") and pd.isna(ven["valid_to"])


def test_absences_inside_a_spell_are_marked(monkeypatch):
    spells = pd.DataFrame({"iso3": ["VEN", "GRD", "COM"], "basis": ["article19", "article19", "article19_exempted"],
                           "valid_from": pd.to_datetime(["2022-01-11", "2025-01-13", "2025-01-01"]),
                           "valid_to": pd.to_datetime([None, None, None]), "valid_to_is": ["", "", ""],
                           "attested_until": pd.to_datetime(["2025-06-01", "2025-02-17", "2025-01-01"])})
    monkeypatch.setattr(vote_rights, "spells", lambda: spells)
    rc = pd.DataFrame([_roll_call("A", "2025-02-24"), _roll_call("B", "2026-01-05"), _roll_call("S", "2025-02-24", "SC")])
    votes = pd.DataFrame({"vote_id": ["A", "A", "A", "B", "B", "S"], "iso3": ["VEN", "GRD", "COM", "VEN", "GRD", "GRD"],
                          "vote": ["absent", "absent", "absent", "absent", "yes", "absent"]})
    reason, findings = vote_rights.mark(rc, votes)
    # VEN attested past the vote: confirmed; GRD listed in January, not attested on 24 Feb: unconfirmed;
    # COM exempted: no mark; 2026 is past every spell's year; the Council is not concerned
    assert [None if pd.isna(r) else r for r in reason] == ["no_vote_right", "no_vote_right_unconfirmed", None, None,
                                                           None, None]
    assert findings == []
    votes.loc[0, "vote"] = "abstain"  # voting inside a confirmed spell is a finding
    reason, findings = vote_rights.mark(rc, votes)
    assert pd.isna(reason.iloc[0]) and len(findings) == 1 and "VEN is recorded voting on 1 roll call" in findings[0]["detail"]


def test_real_absences_without_a_vote_right(in_data_dir):
    v = unvotes.load_votes()
    es7 = v[v["vote_id"] == "A/RES/ES-11/7"].set_index("iso3")
    assert es7.loc["VEN", "absent_reason"] == "no_vote_right" and es7.loc["AFG", "absent_reason"] == "no_vote_right"
    assert pd.isna(es7.loc["USA", "absent_reason"])
    assert v.loc[v["vote"] != "absent", "absent_reason"].isna().all()  # only absences get a reason


# ---------------------------------------------------------------- topics and find


def test_topics_come_with_who_assigned_them(in_data_dir):
    t = unvotes.load_roll_call_issues()
    assert set(t["assigned_by"]) == {"UN", "researchers", "machine", "US government"}
    assert set(t.loc[t["assigned_by"] == "machine", "source"]) == {"unga-2025"}
    es4 = set(t.loc[(t["vote_id"] == "A/RES/ES-11/4") & (t["scheme"] == "UNBIS Thesaurus (DGACM)"), "topic"])
    assert "UKRAINE" in es4
    voeten = t[t["scheme"] == "unvotes issue (Voeten)"]
    assert set(voeten["code"]) == {"me", "nu", "di", "hr", "co", "ec"}
    assert len(voeten) == 5745  # every row of un_roll_call_issues.rda
    # the US State Department's important votes (unvotes' importantvote): 411, sessions 38-72; the Cuba embargo
    # text of 2017 among them, found by find() through its topic
    important = t[t["scheme"] == "US State Department important votes"]
    assert len(important) == 411 and set(important["assigned_by"]) == {"US government"}
    found = unvotes.find("important vote", start="2017-01-01").set_index("vote_id")
    assert found.loc["A/RES/72/4", "matched"] == "topic: US State Department important votes"
    assert found["date"].max() < pd.Timestamp("2018-01-01")


def test_find_by_title_topic_and_symbol(in_data_dir):
    found = unvotes.find("ukrain", start="2025-01-01", end="2025-12-31")
    assert {"A/RES/ES-11/7", "A/RES/ES-11/9", "A/RES/80/223", "S/RES/2774"} <= set(found["vote_id"])
    assert found.set_index("vote_id").loc["A/RES/80/111", "matched"].startswith("topic: ")  # Chornobyl: UNBIS UKRAINE
    assert set(unvotes.find("ukraine", body="SC")["body"]) == {"SC"}
    assert unvotes.find("ES-11/4")["vote_id"].tolist() == ["A/RES/ES-11/4"]
    with pytest.raises(UnvotesError, match="needs some text"):
        unvotes.find("  ")


def test_find_by_kind_and_session(in_data_dir):
    from unvotes.errors import BadArgumentError

    assert unvotes.find("Crimea", session=73, kind="resolution")["vote_id"].tolist() == ["A/RES/73/194",
                                                                                       "A/RES/73/263"]
    emergency = unvotes.find("Ukrain", session="es-11")
    assert len(emergency) >= 8 and emergency["vote_id"].str.startswith("A/RES/ES-11/").all()
    # the paragraph voted apart on A/77/L.65 (the China split), not the resolution itself
    assert unvotes.find("Council of Europe", kind="paragraph")["vote_id"].tolist() == [
        "A/RES/77/284 [preambular paragraph 9]"]
    with pytest.raises(BadArgumentError, match=r"kind='resolutions'; use one of amendment, .*resolution"):
        unvotes.find("Ukrain", kind="resolutions")
    with pytest.raises(BadArgumentError, match=r"session=200; .*e\.g\. 78.*'ES-11'"):
        unvotes.find("Ukrain", session=200)


@pytest.mark.parametrize("kwargs, message", [
    ({"start": 2025}, r"start=2025 is a number, not a date; give e.g. start='2025-01-01'"),
    ({"end": 2.5}, r"end=2.5 is not a date"),
    ({"start": "2025-13-01"}, r"start='2025-13-01' is not a date \(.*\); give e.g."),
    ({"start": "soon"}, r"start='soon' is not a date"),
    ({"start": "2025-06-01", "end": "2025-01-01"}, r"end=2025-01-01 is before start=2025-06-01"),
])
def test_find_refuses_dates_it_would_misread(kwargs, message):
    from unvotes.errors import BadArgumentError

    with pytest.raises(BadArgumentError, match=message):
        unvotes.find("Ukrain", **kwargs)


def test_published_totals_are_read_again_when_the_file_changes(tmp_path, monkeypatch):
    import shutil

    from unvotes import paths

    for f in paths.external_dir().glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    before = published_totals.load()
    path = tmp_path / "published_totals.csv"
    path.write_text(path.read_text() + "A/RES/ES-11/4,143,5,35,a second report of these totals for the test,\n")
    after = published_totals.load()
    assert len(after) == len(before) + 1


def test_focus_states_given_as_one_string_is_a_clear_error():
    from unvotes.analyses import splits

    with pytest.raises(UnvotesError, match=r"focus_states must be a list of ISO3 codes, e.g. \['CHN'\], not the string"):
        splits.check_states("CHN")
