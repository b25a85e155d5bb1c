"""On the real mirrored data: published totals and known roll calls reproduced, defects detected, API."""

import pandas as pd
import pytest

import unvotes
from unvotes.tables import build
from unvotes.errors import UnknownVoteError

pytestmark = pytest.mark.mirror


@pytest.mark.parametrize("vote_id, yes, no, abstain", [
    ("A/RES/ES-11/1", 141, 5, 35),
    ("A/RES/ES-11/4", 143, 5, 35),
    ("A/RES/77/284", 122, 5, 18),
    ("A/RES/79/284", 105, 9, 33),
    ("A/RES/68/262", 100, 11, 58),  # 2014, from unvotes (which publishes no totals)
])
def test_published_totals_reproduced(in_data_dir, vote_id, yes, no, abstain):
    t = unvotes.tally(vote_id)
    assert (t["yes"], t["no"], t["abstain"]) == (yes, no, abstain)
    rc = unvotes.roll_call(vote_id)
    if rc["source"] != "unvotes-r":
        assert (rc["yes"], rc["no"], rc["abstain"]) == (yes, no, abstain)
    members = t.sum()
    assert members == (193 if rc["date"] > pd.Timestamp("2011-07-14") else 192)


def test_known_roll_calls(in_data_dir):
    assert unvotes.vote_of("USA", "A/RES/79/284") == "no"       # the US reversal of 2025
    assert unvotes.vote_of("USA", "A/RES/77/284") == "yes"
    assert unvotes.vote_of("China", "A/RES/ES-11/1") == "abstain"
    assert unvotes.vote_of("RUS", "A/RES/ES-11/4") == "no"
    assert unvotes.vote_of("Russian Federation", "A/RES/68/262") == "no"
    no_es11_1 = set(unvotes.votes_on("A/RES/ES-11/1").query("vote == 'no'")["iso3"])
    assert no_es11_1 == {"BLR", "PRK", "ERI", "RUS", "SYR"}
    assert unvotes.vote_of("SSD", "A/RES/68/262") == "abstain"  # admitted 2011, so a member in 2014
    assert unvotes.vote_of("SSD", "A/RES/ES-11/1") == "abstain"
    assert unvotes.vote_of("ISR", "A/RES/68/262") == "absent"  # Israel did not vote: a member, no vote cast
    assert unvotes.vote_of("CSK", "A/RES/ES-11/1") is None     # not a member on that date: no row


def test_one_id_scheme(in_data_dir):
    rc = unvotes.load_roll_calls()
    assert not rc["vote_id"].str.startswith("R/").any()
    assert rc["vote_id"].is_unique
    session74 = rc[rc["session"] == "74"]
    # DGACM ranks above unvotes: of the 91 session-74 roll calls in unvotes, the 90 DGACM also holds come from DGACM
    assert session74["source"].value_counts().to_dict() == {"dgacm-ga": 90, "unvotes-r": 1}


def test_every_member_has_one_row_per_vote(in_data_dir):
    v = unvotes.load_votes()
    rc = unvotes.load_roll_calls().set_index("vote_id")
    es11 = v[v["vote_id"] == "A/RES/ES-11/1"]
    assert len(es11) == 193 and es11["iso3"].is_unique
    assert not v.duplicated(["vote_id", "iso3"]).any()
    assert set(v["vote"].cat.categories) == {"yes", "no", "abstain", "absent"}
    assert rc.loc["A/RES/ES-11/1", "source"] == "dgacm-ga"


def test_data_quality_findings_detected(in_data_dir):
    qf = unvotes.load_findings()
    mism = qf[qf["check"] == "count_mismatch"].set_index(["vote_id", "published"])["listed"]
    assert mism[("A/RES/75/290 A", "90")] == "180"
    assert mism[("A/RES/75/290 A", "47")] == "94"
    assert mism[("A/RES/77/293", "59")] == "58"
    assert ("A/RES/75/254 A-C", "168") in mism.index
    assert (qf["check"] == "na_count").sum() >= 8
    assert "'2019-12-12 00:00:00' in 74.json" in qf.loc[qf["check"] == "date_formats", "detail"].iloc[0]
    dups = qf[qf["check"] == "duplicate_record"]
    assert len(dups) >= 20 and {"A/RES/79/266", "A/RES/79/270"} <= set(dups["vote_id"])
    # data kept as published
    assert unvotes.roll_call("A/RES/77/293")["abstain"] == 59
    assert unvotes.tally("A/RES/77/293")["abstain"] == 58


def test_no_disagreement_between_dgacm_and_unvotes_in_session_74(in_data_dir):
    qf = unvotes.load_findings()
    overlap = qf[qf["check"].isin(["source_overlap", "source_disagreement"]) & (qf["source"] == "unvotes-r")]
    assert len(overlap) == 90
    assert (overlap["check"] == "source_overlap").all()
    summary = qf[(qf["check"] == "overlap_summary") & (qf["source"] == "unvotes-r")]["detail"].tolist()
    assert len(summary) == 1 and summary[0].startswith("90 roll call(s) also in dgacm-ga (kept)")


def test_unknown_vote_id_suggests_close_matches(in_data_dir):
    with pytest.raises(UnknownVoteError) as err:
        unvotes.roll_call("A/RES/ES-11/44")
    assert "A/RES/ES-11/4" in str(err.value) and "Did you mean" in str(err.value)


def test_missing_tables_say_what_to_do(empty_data_dir):
    with pytest.raises(unvotes.UnvotesError, match="make data"):
        unvotes.load_votes()


def test_failed_write_leaves_previous_tables_intact(data_dir, tmp_path, monkeypatch):
    import shutil

    out = tmp_path / "processed"
    shutil.copytree(data_dir / "processed", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    built = build.Built(roll_calls=pd.read_parquet(out / "roll_calls.parquet"),
                        votes=pd.read_parquet(out / "votes.parquet"), countries=pd.read_parquet(out / "countries.parquet"),
                        quality_findings=pd.read_parquet(out / "quality_findings.parquet"),
                        roll_call_issues=pd.read_parquet(out / "roll_call_issues.parquet"))
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError, match="disk full"):
        build.write_tables(built, out)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing replaced, no temporary files left


def test_official_files_take_precedence_when_present(data_dir, tmp_path, monkeypatch):
    """With UN Digital Library files in data/raw (here: the small fixtures in their exact layouts), their
    roll calls supersede DGACM/unvotes, differences are reported, and SC votes get no GA 'absent' rows."""
    import shutil

    import pandas as pd
    from conftest import FIXTURES
    from unvotes.tables import countries
    from unvotes import paths

    # The vote tables are what this test is about: the countries table (whose alignment columns cost an IRT
    # fit) is taken from the session's build instead of being rebuilt.
    session_countries = pd.read_parquet(data_dir / "processed" / "countries.parquet")
    monkeypatch.setattr(countries, "build_countries", lambda *args, **kwargs: session_countries)

    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    (tmp_path / "raw" / "undl-ga").mkdir(parents=True)
    (tmp_path / "raw" / "undl-sc").mkdir(parents=True)
    # the 2024 layout and the SC file have no pinned checksum, so fixtures can stand in for them
    shutil.copy(FIXTURES / "undl" / "ga_2024.csv", tmp_path / "raw" / "undl-ga" / "2024_09_12_ga_resolutions_voting.csv")
    shutil.copy(FIXTURES / "undl" / "sc_2026.csv", tmp_path / "raw" / "undl-sc" / "2026_02_06_sc_voting.csv")
    said = []
    built = build.build_tables(download=False, say=said.append)
    assert not any("not in data/raw or the mirror" in s for s in said)
    rc = built.roll_calls.set_index("vote_id")
    # the GA fixture names a dozen states per vote: partial records, which never replace complete roll calls
    assert rc.loc["A/RES/ES-11/1", ["source", "complete"]].tolist() == ["dgacm-ga", True]
    assert rc.loc["A/RES/68/262", ["source", "complete"]].tolist() == ["unvotes-r", True]
    assert rc.loc["A/RES/ES-11/4", "source"] == "dgacm-ga"
    assert rc.loc["S/RES/2774", ["body", "yes", "no", "abstain"]].tolist() == ["SC", 10, 0, 5]
    sc_votes = built.votes[built.votes["vote_id"] == "S/RES/2774"]
    assert "absent" not in set(sc_votes["vote"]) and len(sc_votes) < 16
    qf = built.quality_findings
    lost = qf[(qf["check"] == "partial_superseded") & (qf["source"] == "undl-ga")]
    assert set(lost["vote_id"]) == {"A/RES/ES-11/1", "A/RES/68/262"}
    assert any("complete roll call of dgacm-ga is kept" in d for d in lost["detail"])
    assert any("names 12 states, but 193 were UN members on 2022-03-02" in d
               for d in qf.loc[qf["check"] == "incomplete_roll_call", "detail"])
    # the official SC record supersedes the curated one of S/RES/2774, and the overlap is reported
    assert rc.loc["S/RES/2774", ["source", "complete"]].tolist() == ["undl-sc", True]
    curated = qf[(qf["source"] == "curated") & (qf["vote_id"] == "S/RES/2774")]
    assert curated["check"].tolist() == ["source_overlap"] and "undl-sc (kept)" in curated["detail"].iloc[0]
    scraped = qf[(qf["source"] == "unga-2025") & (qf["vote_id"] == "S/RES/2774")]
    assert scraped["check"].tolist() == ["source_overlap"]  # the 2025 file ranks below the official file too
    assert rc.loc["A/RES/ES-11/7", "source"] == "unga-2025"  # not in the fixtures: the 2025 file's record stays
    assert {p["file"] for p in built.provenance if not p["pinned"]} == {
        "2024_09_12_ga_resolutions_voting.csv", "2026_02_06_sc_voting.csv"}


def test_curated_separate_votes_in_the_tables(in_data_dir):
    """Roll calls no bulk dataset holds, from data/external/separate_*.csv: only the listed states have rows."""
    from unvotes.tables import curated_votes

    rc = unvotes.load_roll_calls().set_index("vote_id")
    assert rc["complete"].dtype == bool
    para = "A/RES/77/284 [preambular paragraph 9]"
    assert rc.loc[para, ["part_of", "kind", "body", "source", "complete"]].tolist() == [
        "A/RES/77/284", "paragraph", "GA", "curated", False]
    assert unvotes.vote_of("CHN", para) == "abstain"
    assert unvotes.vote_of("CHN", "A/RES/77/284") == "yes"  # then voted for the whole text (seed article 002)
    assert unvotes.vote_of("NGA", para) is None            # not listed: unknown, not absent
    es10 = unvotes.votes_on("A/RES/ES-11/10")               # 24 February 2026: derived, every member
    assert (es10["vote"] == "no").sum() == 12 and len(es10) == 193
    assert rc.loc["A/RES/ES-11/10", ["complete", "source"]].tolist() == [True, "derived"]
    assert rc.loc["A/RES/ES-11/10", ["yes", "no", "abstain"]].tolist() == [107, 12, 51]
    assert unvotes.vote_of("USA", "A/RES/ES-11/10") == "abstain"
    veto = unvotes.votes_on("S/2022/155")                   # a failed Council draft: its draft symbol is its id
    assert rc.loc["S/2022/155", ["body", "kind", "complete"]].tolist() == ["SC", "failed_draft", True]
    assert len(veto) == 15 and unvotes.tally("S/2022/155").tolist() == [11, 1, 3, 0]
    assert unvotes.vote_of("RUS", "S/2022/155") == "no" and unvotes.vote_of("IND", "S/2022/155") == "abstain"
    # curated roll calls bring exactly their listed rows (no absent rows for partial ones), and the bulk
    # roll calls are untouched
    v = unvotes.load_votes()
    curated_ids = set(rc.index[rc["source"] == "curated"])
    assert "A/RES/ES-11/10" not in curated_ids  # the derived roll call supersedes the press list
    mine = v[v["vote_id"].isin(curated_ids)]
    _, listed = curated_votes.load()
    listed = listed[listed["vote_id"].isin(curated_ids)]
    assert set(zip(mine["vote_id"].astype(str), mine["iso3"].astype(str), mine["vote"].astype(str))) == set(
        zip(listed["vote_id"], listed["iso3"], listed["vote"]))
    # a bulk roll call is complete unless the build's completeness check found it is not (and said why)
    qf = pd.read_parquet(in_data_dir / "processed" / "quality_findings.parquet")
    demoted = set(qf.loc[qf["check"] == "incomplete_roll_call", "vote_id"].astype(str))
    assert demoted == {"A/RES/75/254 A-C"}  # a recorded vote whose names the DGACM extract lacks
    assert rc.loc[~rc.index.isin(curated_ids | demoted), "complete"].all()
    assert unvotes.tally("A/RES/77/284").tolist() == [122, 5, 18, 48]
    # ES-11/7, ES-11/8 and S/RES/2774 are also in the 2025 file, which supersedes them: the overlaps agree
    qf = unvotes.load_findings()
    curated_findings = qf[(qf["source"] == "curated") & ~qf["check"].isin(["published_totals", "curated_correction"])]
    # ... and the press list of 24 February 2026 differs from the derived roll call on one state (Singapore)
    differ = curated_findings[curated_findings["check"] == "source_disagreement"]
    assert differ["vote_id"].tolist() == ["A/RES/ES-11/10"] and differ["detail"].str.contains("SGP").all()
    assert set(curated_findings["check"]) == {"source_overlap", "overlap_summary", "source_disagreement"}
    assert set(curated_findings["vote_id"]) - {""} == {"A/RES/ES-11/7", "A/RES/ES-11/8", "S/RES/2774", "A/RES/ES-11/10"}


# ---------------------------------------------------------------- the 2025 roll calls (source unga-2025)


@pytest.mark.parametrize("vote_id, yes, no, abstain, source", [
    ("A/RES/ES-11/7", 93, 18, 65, "unga-2025"),
    ("A/RES/ES-11/8", 93, 8, 73, "unga-2025"),
    ("A/RES/ES-11/9", 91, 12, 57, "unga-2025"),
    ("A/RES/79/284", 105, 9, 33, "dgacm-ga"),   # in both: DGACM ranks above the 2025 file
    ("A/RES/80/223", 79, 16, 73, "dgacm-ga"),
])
def test_2025_totals_reproduced_with_every_member(in_data_dir, vote_id, yes, no, abstain, source):
    t = unvotes.tally(vote_id)
    assert (t["yes"], t["no"], t["abstain"]) == (yes, no, abstain)
    assert t.sum() == 193
    rc = unvotes.roll_call(vote_id)
    assert rc["complete"] and rc["source"] == source


def test_2025_votes_the_news_reports(in_data_dir):
    assert unvotes.vote_of("USA", "A/RES/ES-11/7") == "no"
    assert unvotes.vote_of("USA", "A/RES/ES-11/8") == "abstain"
    assert unvotes.vote_of("UKR", "A/RES/ES-11/8") == "abstain"
    assert unvotes.vote_of("CHN", "A/RES/ES-11/7") == "abstain"
    # Afghanistan and Venezuela have no column: absent, because the listed votes add up to the totals
    assert unvotes.vote_of("VEN", "A/RES/ES-11/7") == "absent" and unvotes.vote_of("AFG", "A/RES/ES-11/9") == "absent"


def test_2025_security_council_votes_are_in(in_data_dir):
    rc = unvotes.load_roll_calls()
    sc2025 = rc[(rc["body"] == "SC") & (rc["date"].dt.year == 2025)]
    assert len(sc2025) == 44 and set(sc2025["source"]) == {"unga-2025"}
    t = unvotes.tally("S/RES/2774")
    assert (t["yes"], t["no"], t["abstain"]) == (10, 0, 5)
    assert unvotes.vote_of("GBR", "S/RES/2774") == "abstain" and unvotes.vote_of("RUS", "S/RES/2774") == "yes"


def test_overlap_with_dgacm_is_reported(in_data_dir):
    f = unvotes.load_findings()
    summary = f[(f["check"] == "overlap_summary") & (f["source"] == "unga-2025")]
    assert len(summary) == 1
    assert summary["detail"].iloc[0].startswith("184 roll call(s) also in dgacm-ga (kept): ")
    assert summary["detail"].iloc[0].endswith(" 0 differ")
    overlaps = f[(f["check"] == "source_overlap") & (f["source"] == "unga-2025")]
    assert len(overlaps) == 184


def test_ids_and_names_as_users_type_them(in_data_dir):
    import warnings

    from unvotes.api import PartialRollCallWarning

    assert unvotes.roll_call("a/res/es-11/4 ")["vote_id"] == "A/RES/ES-11/4"      # case and spaces forgiven
    assert unvotes.vote_of("China", "  A/RES/ES-11/4") == "abstain"
    assert unvotes.roll_call("S/RES/2774 (2025)")["vote_id"] == "S/RES/2774"
    assert unvotes.vote_of("DRC", "A/RES/ES-11/4") == unvotes.vote_of("COD", "A/RES/ES-11/4")
    for ambiguous in ("Korea", "Congo"):
        with pytest.raises(unvotes.UnknownCountryError, match="names more than one state"):
            unvotes.vote_of(ambiguous, "A/RES/ES-11/4")
    with pytest.warns(PartialRollCallWarning, match=r"A/RES/77/284 \[preambular paragraph 9\] is a partial roll call: these counts are of the 20 states .*published 81-10-48"):
        unvotes.tally("A/RES/77/284 [preambular paragraph 9]")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        unvotes.tally("A/RES/ES-11/4")  # complete: no warning


def test_a_bad_date_in_the_catalogue_names_the_line(tmp_path, monkeypatch):
    import shutil

    from unvotes.tables import catalogue
    from unvotes import paths

    for f in paths.external_dir().glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    cat = tmp_path / "ukraine_votes.csv"
    cat.write_text(cat.read_text().replace("A/RES/68/262,Territorial integrity of Ukraine (Crimea referendum),"
                                           "Territorial integrity,2014-03-27", "A/RES/68/262,Territorial integrity of "
                                           "Ukraine (Crimea referendum),Territorial integrity,27/03/2014"))
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    with pytest.raises(unvotes.UnvotesError, match=r"line 2, column 'date': '27/03/2014' is not a YYYY-MM-DD date"):
        catalogue.curated()


def test_a_catalogue_date_the_roll_call_contradicts_is_an_error(tmp_path, monkeypatch, in_data_dir):
    import shutil

    from unvotes.tables import catalogue
    from unvotes import paths

    for f in paths.external_dir().glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    cat = tmp_path / "ukraine_votes.csv"
    cat.write_text(cat.read_text().replace("Territorial integrity,2014-03-27", "Territorial integrity,2014-03-28"))
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    with pytest.raises(unvotes.UnvotesError, match=r"line 2 \(A/RES/68/262\): date 2014-03-28, but the roll call "
                                                   r"\(.+\) is dated 2014-03-27"):
        catalogue.load()


def test_the_corrected_press_error_stays_on_record(in_data_dir):
    """Ukraine on ES-11/8: curated as 'yes' from the press, corrected to the UN record's 'abstain'."""
    f = unvotes.load_findings()
    rows = f[f["check"] == "curated_correction"]
    assert rows[["vote_id", "severity", "listed", "published"]].values.tolist() == [
        ["A/RES/ES-11/8", "warning", "yes", "abstain"]]
    assert "The Vaultz News" in rows["detail"].iloc[0] and "digitallibrary.un.org/record/4076673" in rows["detail"].iloc[0]
