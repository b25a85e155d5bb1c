"""The build's rules on small hand-made inputs: reconciliation, duplicates, totals, precedence, absent."""

import pandas as pd
import pytest

from unvotes.tables import build, membership, schemas
from unvotes.errors import SchemaError, UnknownCountryError
from unvotes.quality import ErrorFindings
from unvotes.sources.readers import SourceVotes
from unvotes.sources.readers.dgacm import read_dgacm

from conftest import FIXTURES


@pytest.fixture(scope="module")
def dgacm():
    return read_dgacm([FIXTURES / "dgacm" / "sample.json"])


@pytest.fixture(scope="module")
def prepared(dgacm):
    return build.prepare_source(dgacm)


def findings_of(findings, check):
    return [f for f in findings if f["check"] == check]


def test_duplicate_record_identical_after_reconciliation(prepared):
    rc, votes, findings = prepared
    dup = findings_of(findings, "duplicate_record")
    assert len(dup) == 1 and dup[0]["vote_id"] == "A/RES/ES-11/1" and dup[0]["severity"] == "info"
    assert "identical votes after reconciling names" in dup[0]["detail"]  # TÜRKÝYE == TÜRKİYE
    assert (rc["vote_id"] == "A/RES/ES-11/1").sum() == 1


def test_count_mismatches_are_reported_and_data_kept(prepared):
    rc, votes, findings = prepared
    mism = {(f["vote_id"], f["published"], f["listed"]) for f in findings_of(findings, "count_mismatch")}
    assert ("A/RES/75/290 A", "2", "4") in mism            # names listed twice
    assert ("A/RES/75/254 A-C", "168", "0") in mism         # recorded vote without names
    assert ("A/RES/75/254 A-C", "2", "0") in mism
    assert not any(v[0] == "A/RES/ES-11/1" for v in mism)
    rep = findings_of(findings, "duplicate_listing")
    assert rep and rep[0]["vote_id"] == "A/RES/75/290 A"
    assert (votes["vote_id"] == "A/RES/75/290 A").sum() == 3  # one row per state
    assert rc.set_index("vote_id").loc["A/RES/75/290 A", "yes"] == 2  # published total untouched


def test_conflicting_listing_is_an_error_finding(prepared):
    rc, votes, findings = prepared
    conflict = findings_of(findings, "conflicting_listing")
    assert len(conflict) == 1 and conflict[0]["severity"] == "error" and "CIV" in conflict[0]["detail"]
    civ = votes[(votes["vote_id"] == "A/RES/74/168") & (votes["iso3"] == "CIV")]
    assert civ["vote"].tolist() == ["yes"]  # first listing kept


def _other_source(vote_changes: dict[str, str]) -> SourceVotes:
    """A lower-ranked source holding A/RES/ES-11/1 too, with some votes changed."""
    base = {"UKRAINE": "yes", "United States": "yes", "Turkey": "yes", "France": "yes",
            "Russia": "no", "Belarus": "no", "China": "abstain", "India": "abstain"}
    base.update(vote_changes)
    rc = pd.DataFrame([{"vote_id": "A/RES/ES-11/1", "body": "GA", "date": pd.Timestamp("2022-03-02"),
                        "session": "ES-11", "title": "Aggression against Ukraine", "draft": "", "kind": "resolution",
                        "part_of": "", "yes": pd.NA, "no": pd.NA, "abstain": pd.NA, "absent": pd.NA,
                        "source": "unvotes-r", "source_ref": "rcid 1"}])
    for c in ("yes", "no", "abstain", "absent"):
        rc[c] = rc[c].astype("Int64")
    v = pd.DataFrame([{"vote_id": "A/RES/ES-11/1", "country": k, "country_code": "", "vote": x,
                       "source_ref": "rcid 1"} for k, x in base.items()])
    return SourceVotes("unvotes-r", rc, v)


def test_precedence_and_disagreement(prepared):
    rc, votes, _ = prepared
    other = build.prepare_source(_other_source({"India": "no"}))
    chosen_rc, chosen_votes, findings = build.apply_precedence(
        {"dgacm-ga": (rc, votes), "unvotes-r": (other[0], other[1])})
    assert chosen_rc.set_index("vote_id").loc["A/RES/ES-11/1", "source"] == "dgacm-ga"
    india = chosen_votes[(chosen_votes["vote_id"] == "A/RES/ES-11/1") & (chosen_votes["iso3"] == "IND")]
    assert india["vote"].tolist() == ["abstain"]  # DGACM ranks above unvotes
    dis = findings_of(findings, "source_disagreement")
    assert len(dis) == 1 and "IND: no in unvotes-r, abstain in dgacm-ga" in dis[0]["detail"]


def test_agreeing_overlap_is_recorded_as_info(prepared):
    rc, votes, _ = prepared
    other = build.prepare_source(_other_source({}))
    _, _, findings = build.apply_precedence({"dgacm-ga": (rc, votes), "unvotes-r": (other[0], other[1])})
    assert [f["check"] for f in findings] == ["source_overlap", "overlap_summary"]
    assert [f["severity"] for f in findings] == ["info", "info"]
    assert findings[1]["detail"].endswith("state votes agree, 0 differ")


def test_absent_rows_come_from_membership(prepared):
    rc, votes, _ = prepared
    absent, findings = build.add_absent(rc, votes)
    es11 = absent[absent["vote_id"] == "A/RES/ES-11/1"]
    assert len(es11) == 193 - 8  # every member on 2 March 2022 not listed
    assert "UKR" not in set(es11["iso3"]) and "ERI" in set(es11["iso3"])
    assert len(membership.members_on("2022-03-02")) == 193
    assert not findings


def test_a_vote_by_a_non_member_is_an_error_naming_the_vote_and_its_record(prepared):
    rc, votes, _ = prepared
    early = rc.assign(date=rc["date"].where(rc["vote_id"] != "A/RES/ES-11/1", pd.Timestamp("1950-01-01")))
    _, findings = build.add_absent(early, votes)
    hits = [f for f in findings if f["check"] == "vote_by_non_member" and f["vote_id"] == "A/RES/ES-11/1"]
    assert hits and all(f["severity"] == "error" for f in hits)
    assert "correct the record's date or state" in hits[0]["detail"] and hits[0]["source_ref"] in hits[0]["detail"]


def test_membership_dates_that_contradict_recorded_votes_stop_the_build(prepared, external_copy):
    """The QA report's mutation: France admitted in 2023, after the votes it cast."""
    rc, votes, _ = prepared
    path = external_copy / membership.MEMBERSHIP_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("FRA,France,1945-10-24,", "FRA,France,2023-01-01,"), encoding="utf-8")
    membership.spells.cache_clear()
    try:
        _, findings = build.add_absent(rc, votes)
        hits = [f for f in findings if f["check"] == "vote_by_non_member" and "FRA" in f["detail"]]
        assert hits and hits[0]["severity"] == "error"
        with pytest.raises(ErrorFindings, match="FRA"):
            build.stop_on_errors(findings)
    finally:
        membership.spells.cache_clear()


def test_approximate_dates_of_the_unvotes_package_are_tolerated_near_the_membership_only(prepared):
    rc, votes, _ = prepared
    vote_id = rc["vote_id"].iloc[0]
    fra_admitted = pd.Timestamp("1945-10-24")
    for days, severity in [(30, "warning"), (build.APPROXIMATE_DAYS + 30, "error")]:
        moved = rc.assign(date=rc["date"].where(rc["vote_id"] != vote_id, fra_admitted - pd.Timedelta(days=days)),
                          source=rc["source"].where(rc["vote_id"] != vote_id, "unvotes-r"))
        _, findings = build.add_absent(moved, votes[(votes["vote_id"] == vote_id) & (votes["iso3"] == "FRA")])
        mine = [f for f in findings if f["check"] == "vote_by_non_member" and f["vote_id"] == vote_id]
        assert mine and {f["severity"] for f in mine} == {severity}, (days, mine[:1])


def test_a_security_council_vote_by_a_non_member_of_the_council_is_an_error():
    """The QA report's mutation: Germany in place of Denmark on S/RES/2774 (2025)."""
    rc = pd.DataFrame({"vote_id": ["S/RES/2774"], "body": ["SC"], "date": [pd.Timestamp("2025-02-24")],
                       "source": ["undl-records"], "source_ref": ["record 4077111"], "complete": [True]})
    members = sorted(membership.council_members("2025-02-24") - {"DNK"})
    votes = pd.DataFrame({"vote_id": "S/RES/2774", "iso3": [*members, "DEU"], "vote": "yes"})
    _, findings = build.add_absent(rc, votes)
    hit = [f for f in findings if f["check"] == "vote_by_non_member"]
    assert len(hit) == 1 and hit[0]["severity"] == "error" and "DEU" in hit[0]["detail"]


@pytest.mark.parametrize("date, why", [("2031-02-24", "after today"), ("1900-01-01", "before the UN Charter")])
def test_a_roll_call_with_an_impossible_date_is_an_error(date, why):
    rc = pd.DataFrame({"vote_id": ["S/RES/2774", "A/RES/ES-11/4"], "date": [pd.Timestamp(date), pd.Timestamp("2022-10-12")],
                       "source": ["undl-records", "dgacm-ga"], "source_ref": ["record 4077111", "ES-11.json:4"]})
    found = build.impossible_dates(rc, today=pd.Timestamp("2026-12-07"))
    assert len(found) == 1 and found[0]["severity"] == "error" and found[0]["vote_id"] == "S/RES/2774"
    assert date in found[0]["detail"] and why in found[0]["detail"] and "record 4077111" in found[0]["detail"]


def test_a_session_far_from_the_date_is_reported_and_kept():
    """The unvotes package's A/RES/677/46 (3 December 2012, session 67); a resumed session in the summer after, a
    special or emergency session and the Security Council are not flagged."""
    rc = pd.DataFrame({
        "vote_id": ["A/RES/677/46", "A/RES/76/300", "A/RES/ES-11/1", "A/RES/S-10/2", "S/RES/2774"],
        "body": ["GA", "GA", "GA", "GA", "SC"], "session": ["677", "76", "ES-11", "S-10", "9866"],
        "date": pd.to_datetime(["2012-12-03", "2022-07-28", "2022-03-02", "1978-06-30", "2025-02-24"]),
        "source": "unvotes-r", "source_ref": ["un_roll_calls.rda rcid 5924", "a", "b", "c", "d"]})
    found = build.session_date_mismatches(rc)
    assert [f["vote_id"] for f in found] == ["A/RES/677/46"] and found[0]["severity"] == "warning"
    assert "session 677 by the source (un_roll_calls.rda rcid 5924) but dated 2012-12-03, in session 67" in \
        found[0]["detail"]


def test_unknown_country_lists_every_unmatched_name(dgacm):
    bad = SourceVotes(dgacm.source, dgacm.roll_calls, pd.concat([dgacm.votes, pd.DataFrame([
        {"vote_id": "A/RES/ES-11/1", "country": "ATLANTIS", "country_code": "", "vote": "yes", "source_ref": "sample.json:1"},
        {"vote_id": "A/RES/74/168", "country": "ELDORADO", "country_code": "", "vote": "no", "source_ref": "sample.json:2"},
    ])], ignore_index=True))
    with pytest.raises(UnknownCountryError) as err:
        build.prepare_source(bad)
    assert "'ATLANTIS'" in str(err.value) and "'ELDORADO'" in str(err.value) and "sample.json:2" in str(err.value)


def test_schema_violation_names_table_column_and_rows():
    votes = pd.DataFrame({"vote_id": pd.Categorical(["A/RES/1/1", "A/RES/1/1"]),
                          "iso3": pd.Categorical(["FRA", "fr"]),
                          "vote": pd.Categorical(["yes", "yes"], categories=["yes", "no", "abstain", "absent"])})
    with pytest.raises(SchemaError) as err:
        schemas.validate(votes, schemas.VOTES)
    msg = str(err.value)
    assert "'votes'" in msg and "column 'iso3'" in msg and "rows [1]" in msg and "fr" in msg


def test_the_makefile_tracks_every_processed_table():
    """make must see the tables as one unit: a missing one (or a stale one) rebuilds them all."""
    import re

    from unvotes import paths

    makefile = (paths.PROJECT_ROOT / "Makefile").read_text()
    tables = re.search(r"^TABLES := (.+)$", makefile, re.M).group(1).split()
    assert tables == list(build.TABLES)
    rule = re.search(r"^\$\(PROCESSED\) &:(.*)$", makefile, re.M)
    assert rule, "a grouped target: one recipe makes them all"
    assert "data/raw/undl-records/*.xml" in rule.group(1), "a record added with add-vote must trigger a rebuild"


def test_make_rebuilds_the_tables_when_a_curated_table_the_build_read_changes(tmp_path):
    """The Makefile's curated inputs are the tables the last build listed in curated_inputs.mk: editing
    another one leaves the tables current; before a first build, or when a listed table is gone, every
    curated table counts."""
    import os
    import shutil
    import subprocess

    from unvotes import paths

    shutil.copy(paths.PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "requirements.lock", "lib/unvotes/sources/sources.toml", "data/external/read.csv",
                 "data/external/unread.csv", "venv/.unvotes-installed",
                 *(f"data/processed/{t}.parquet" for t in build.TABLES), "data/processed/build_info.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("PAR1 a table PAR1" if name.endswith(".parquet") else "x")
    processed = tmp_path / "data" / "processed"
    (processed / build.CURATED_INPUTS).write_text(build.curated_inputs_makefile(["read.csv"]))
    for f in tmp_path.rglob("*"):  # inputs older than the install, older than the tables
        age = 300 if f.parent.name in ("external", "unvotes") or f.suffix in (".toml", ".lock") else 200
        if "processed" in f.parts:
            age = 100
        os.utime(f, (f.stat().st_mtime - age,) * 2)

    def rebuilds() -> bool:
        env = {**os.environ, "VIRTUAL_ENV": str(tmp_path / "venv"), "UNVOTES_MIRROR": ""}
        out = subprocess.run(["make", "-n", "data"], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return "unvotes data" in out.stdout

    assert not rebuilds()
    (tmp_path / "data" / "external" / "unread.csv").touch()
    assert not rebuilds(), "a curated table the build did not read must not rebuild the tables"
    (tmp_path / "data" / "external" / "read.csv").touch()
    assert rebuilds()
    os.utime(tmp_path / "data" / "external" / "read.csv", (1, 1))
    (processed / build.CURATED_INPUTS).write_text(build.curated_inputs_makefile(["read.csv", "gone.csv"]))
    assert rebuilds(), "a listed table that is gone: every curated table counts"
    (processed / build.CURATED_INPUTS).unlink()
    assert rebuilds(), "no list (before a first build): every curated table counts"


def _fake_project(tmp_path, recipe: str = "exit 0"):
    """A copy of the Makefile with every input in place and older than the tables; ``recipe`` is the shell the
    fake environment's python runs (for ``make data``). Returns a function running make with that environment."""
    import os
    import shutil
    import subprocess

    from unvotes import paths

    shutil.copy(paths.PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "requirements.lock", "lib/unvotes/sources/sources.toml", "data/external/read.csv",
                 "venv/.unvotes-installed", "data/raw/undl-records/4100001.xml",
                 *(f"data/processed/{t}.parquet" for t in build.TABLES), "data/processed/build_info.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("PAR1 a table PAR1" if name.endswith(".parquet") else "x")
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f"#!/bin/sh\n{recipe}\n")
    python.chmod(0o755)
    processed = tmp_path / "data" / "processed"
    (processed / build.CURATED_INPUTS).write_text(build.curated_inputs_makefile(
        ["read.csv"], [tmp_path / "data" / "raw" / "undl-records" / "4100001.xml"]))
    for f in tmp_path.rglob("*"):
        if f.is_file():
            os.utime(f, (f.stat().st_mtime - (100 if "processed" in f.parts else 300),) * 2)
    env = {**os.environ, "VIRTUAL_ENV": str(tmp_path / "venv"), "UNVOTES_MIRROR": ""}

    def make(*args, **kw):
        return subprocess.run(["make", *args], cwd=tmp_path, env=env, capture_output=True, text=True, **kw)
    return make


def test_make_rebuilds_a_processed_table_that_is_cut_short(tmp_path):
    make = _fake_project(tmp_path)
    assert "unvotes data" not in make("-n", "data").stdout
    votes = tmp_path / "data" / "processed" / "votes.parquet"
    votes.write_bytes(votes.read_bytes()[:-3])  # cut short (and now newer than every input): no magic bytes at its end
    assert "unvotes data" in make("-n", "data").stdout


def test_make_rebuilds_the_tables_when_a_raw_file_the_build_read_is_deleted(tmp_path):
    make = _fake_project(tmp_path)
    listed = (tmp_path / "data" / "processed" / build.CURATED_INPUTS).read_text()
    assert "RAW_INPUTS := data/raw/undl-records/4100001.xml" not in listed  # a path outside the project: absolute
    assert f"RAW_INPUTS := {tmp_path}/data/raw/undl-records/4100001.xml" in listed
    assert "unvotes data" not in make("-n", "data").stdout
    (tmp_path / "data" / "raw" / "undl-records" / "4100001.xml").unlink()
    assert "unvotes data" in make("-n", "data").stdout, "a removed record must rebuild the tables"


def test_ctrl_c_during_make_data_leaves_the_previous_tables(tmp_path):
    """The build replaces the tables atomically; make must not delete them when interrupted (grouped target)."""
    import os
    import signal
    import subprocess
    import time

    tables = tmp_path / "data" / "processed"
    _fake_project(tmp_path, recipe=f"touch {tables}/votes.parquet {tables}/build_info.json; exec sleep 30")
    (tmp_path / "data" / "external" / "read.csv").touch()  # an input newer than the tables: make rebuilds
    env = {**os.environ, "VIRTUAL_ENV": str(tmp_path / "venv"), "UNVOTES_MIRROR": ""}
    before = (tables / "votes.parquet").stat().st_mtime
    proc = subprocess.Popen(["make", "data"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True,  # its own group, SIGINT at its default (as a terminal)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 20
        while (tables / "votes.parquet").stat().st_mtime == before and time.monotonic() < deadline:
            time.sleep(0.1)  # wait for the recipe to start and touch the tables
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert "Deleting" not in out, out
    assert all((tables / f"{t}.parquet").exists() for t in build.TABLES) and (tables / "build_info.json").exists()


def test_the_build_lists_every_curated_table_when_it_was_not_traced_from_its_start():
    listed = build.curated_inputs_makefile(None)
    assert "data/external/claims.csv" in listed and "data/external/un_membership.csv" in listed
    assert build.curated_inputs_makefile(["un_membership.csv"]).splitlines()[-1] == \
        "CURATED_INPUTS := data/external/un_membership.csv"


def test_a_corrupt_table_is_a_clear_error(empty_data_dir):
    import unvotes

    processed = empty_data_dir / "processed"
    processed.mkdir()
    (processed / "votes.parquet").write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(unvotes.UnvotesError, match=r"votes.parquet cannot be read .*python -m unvotes data"):
        unvotes.load_votes()


def test_leftovers_of_a_killed_build_are_removed(tmp_path, prepared):
    rc, votes, _ = prepared
    stale = tmp_path / ".votes.abc123.part"
    stale.write_bytes(b"half a table")
    built = build.Built(roll_calls=pd.DataFrame({"a": [1]}), votes=pd.DataFrame({"a": [1]}),
                        countries=pd.DataFrame({"a": [1]}), quality_findings=pd.DataFrame({"a": [1]}),
                        roll_call_issues=pd.DataFrame({"a": [1]}))
    build.write_tables(built, tmp_path)
    assert not stale.exists() and not list(tmp_path.glob(".*.part"))
    assert {p.name for p in tmp_path.iterdir()} == ({f"{t}.parquet" for t in build.TABLES}
                                                   | {"build_info.json", build.CURATED_INPUTS})


# ---------------------------------------------------------------- severity and completeness (issue 26)


def _listing(names: dict[str, str], vote_id="A/RES/ES-11/4", date="2022-10-12", totals=(None, None, None),
             source="dgacm-ga") -> SourceVotes:
    """One GA roll call of ``source`` listing ``names`` (name -> vote), with published ``totals``."""
    rc = pd.DataFrame([{"vote_id": vote_id, "body": "GA", "date": pd.Timestamp(date), "session": "ES-11",
                        "title": "t", "draft": "", "kind": "resolution", "part_of": "", "yes": totals[0],
                        "no": totals[1], "abstain": totals[2], "absent": None, "source": source,
                        "source_ref": f"{source}:1"}])
    for c in ("yes", "no", "abstain", "absent"):
        rc[c] = rc[c].astype("Int64")
    v = pd.DataFrame([{"vote_id": vote_id, "country": k, "country_code": "", "vote": x, "source_ref": f"{source}:1"}
                      for k, x in names.items()])
    return SourceVotes(source, rc, v)


def test_two_names_on_one_code_is_an_error_that_stops_the_build():
    from unvotes.quality import ErrorFindings, stop_on_errors

    # both names are Germany's: one of them must have been mapped wrongly (the FRANCE->DEU alias case)
    _, votes, findings = build.prepare_source(_listing({"Germany": "yes", "Federal Republic of Germany": "yes",
                                                        "Ukraine": "yes"}))
    collision = findings_of(findings, "alias_collision")
    assert len(collision) == 1 and collision[0]["severity"] == "error" and "DEU" in collision[0]["detail"]
    with pytest.raises(ErrorFindings) as err:
        stop_on_errors(findings)
    message = str(err.value)
    assert "alias_collision: A/RES/ES-11/4 at dgacm-ga:1" in message and "country_aliases.csv" in message
    assert "previous tables are kept" in message
    stop_on_errors([f for f in findings if f["severity"] != "error"])  # warnings and info pass


def test_the_build_stops_on_error_findings_before_writing(monkeypatch):
    """build_tables hands its findings to stop_on_errors before any table is built or written."""
    import inspect

    source = inspect.getsource(build.build_tables)
    assert source.index("stop_on_errors(findings)") < source.index("return Built(")
    assert source.index("curated_votes.correction_findings") < source.index("stop_on_errors(findings)")


def test_a_record_naming_few_members_is_partial_and_loses_to_a_complete_roll_call(prepared):
    from unvotes.sources.readers.undl import read_undl_ga

    cut = build.prepare_source(read_undl_ga(FIXTURES / "undl" / "ga_2024.csv"))  # 12 states of 193 per vote
    rc_cut = cut[0].set_index("vote_id")
    assert not rc_cut.loc["A/RES/ES-11/1", "complete"]
    why = [f for f in findings_of(cut[2], "incomplete_roll_call") if f["vote_id"] == "A/RES/ES-11/1"]
    assert why and "names 12 states, but 193 were UN members on 2022-03-02" in why[0]["detail"]
    rc, votes, _ = prepared
    chosen_rc, chosen_votes, findings = build.apply_precedence({"undl-ga": cut[:2], "dgacm-ga": (rc, votes)})
    kept = chosen_rc.set_index("vote_id")
    assert kept.loc["A/RES/ES-11/1", "source"] == "dgacm-ga" and kept.loc["A/RES/ES-11/1", "complete"]
    assert kept.loc["A/RES/68/262", "source"] == "undl-ga"  # no complete record of it: the partial one stays
    lost = findings_of(findings, "partial_superseded")
    assert [f["vote_id"] for f in lost] == ["A/RES/ES-11/1"] and lost[0]["source"] == "undl-ga"
    assert "complete roll call of dgacm-ga is kept" in lost[0]["detail"]
    absent, _ = build.add_absent(chosen_rc, chosen_votes)
    assert not (absent["vote_id"] == "A/RES/68/262").any()  # a partial roll call invents no absences


@pytest.mark.parametrize("names, totals, complete, reason", [
    ({"Ukraine": "yes", "France": "yes", "Russia": "no"}, (2, 1, 0), True, ""),
    ({"Ukraine": "yes", "France": "yes", "Russia": "no"}, (143, 5, 35), False, "lists 2 yes against the published 143"),
    ({"Ukraine": "yes", "France": "yes", "Russia": "no"}, (4, 1, 0), True, ""),  # within TOTALS_TOLERANCE
])
def test_completeness_holds_listed_votes_to_published_totals(names, totals, complete, reason):
    sv = _listing(names, totals=totals)
    got = build.completeness(sv.roll_calls, sv.votes.assign(iso3=sv.votes["country"]), lists_every_member=False)
    assert bool(got.at["A/RES/ES-11/4", "complete"]) is complete and reason in got.at["A/RES/ES-11/4", "reason"]
    assert got.at["A/RES/ES-11/4", "members"] == 193


def test_completeness_of_a_source_naming_every_member_counts_the_members():
    members = sorted(membership.members_on("2022-10-12"))
    whole = _listing({m: "yes" for m in members}, source="undl-records")
    short = _listing({m: "yes" for m in members[:6]}, source="undl-records")
    for sv, complete in ((whole, True), (short, False)):
        got = build.completeness(sv.roll_calls, sv.votes.assign(iso3=sv.votes["country"]), lists_every_member=True)
        assert bool(got["complete"].iloc[0]) is complete
    assert "names 6 states, but 193 were UN members on 2022-10-12" in got["reason"].iloc[0]


def test_a_data_build_is_refused_while_a_report_reads_the_tables(tmp_path, monkeypatch, capsys):
    from unvotes import cli, paths

    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    with build.tables_lock("a report build into reports", exclusive=False):
        with build.tables_lock("another report build", exclusive=False):
            pass  # reports share the tables
        assert cli.main(["data", "--offline"]) == 2
    err = capsys.readouterr().err
    assert "in use by a report build into reports (pid" in err and "a data build (python -m unvotes data)" in err
    with build.tables_lock("a data build", exclusive=True):
        with pytest.raises(build.TablesBusy, match="in use by a data build .*a second data build cannot run"):
            with build.tables_lock("a second data build", exclusive=True):
                pass  # never: two data builds would share staging files
        with pytest.raises(build.TablesBusy, match="a report build into x cannot run"):
            with build.tables_lock("a report build into x", exclusive=False):
                pass
    assert not list((tmp_path / "processed").glob("*.parquet"))


@pytest.mark.parametrize("edit, message", [
    (lambda line: line.replace("AFG,Afghanistan,1946-11-19,,", "AFG,Afghanistan,1946-11-19,1900-01-01,"),
     r"line 2, column 'left': '1900-01-01' is not after admitted '1946-11-19'"),
    (lambda line: line.replace("AFG,Afghanistan,1946-11-19,,", "AFG,Afghanistan,1946-11-19,1946-01-01,"),
     r"line 2, column 'left': '1946-01-01' is not after admitted '1946-11-19'"),
    (lambda line: line + "\nAFG,Afghanistan,2000-01-01,,,a source", r"\(AFG\): this spell overlaps another spell of AFG"),
])
def test_membership_spells_that_contradict_themselves_are_errors(external_copy, edit, message):
    from unvotes.errors import DataFileError

    path = external_copy / membership.MEMBERSHIP_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], edit(lines[1]), *lines[2:]]) + "\n", encoding="utf-8")
    membership.spells.cache_clear()
    try:
        with pytest.raises(DataFileError, match=message):
            membership.spells()
    finally:
        membership.spells.cache_clear()
