"""Dated memberships of international organisations (lib/unvotes/tables/organisations.py) on the mirrored lists."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from unvotes.tables import membership, organisations as m
from unvotes import paths
from unvotes.tables import organisations as memberships
from unvotes.errors import DataFileError


@pytest.fixture(autouse=True)
def _needs_mirror(mirror):
    return mirror


# ---------------------------------------------------------------- base lists as published

def test_base_lists_as_published():
    au = m.mirror_list("AU")
    # 54 UN members: the AU's 55th, the Sahrawi Republic, is neither in the mirror nor a UN member
    assert len(au) == 54 and "NAM" in set(au["iso3"])  # Namibia's ISO2 "NA" read as a string
    nato = set(m.mirror_list("NATO")["iso3"])
    assert len(nato) == 32 and "NOR" in nato  # Norway's "NO" not read as YAML false
    assert len(m.mirror_list("NAM")) == 122 and "MEX" in set(m.mirror_list("NAM")["iso3"])
    assert {"GEO", "UKR"} <= set(m.mirror_list("CIS")["iso3"])
    eaeu = m.mirror_list("EAEU").set_index("iso3")["joined"]
    assert eaeu["KGZ"] == "2015-08-12"


def test_palestine_left_out_and_every_code_a_un_member():
    s = m.spells()
    assert set(s["iso3"]) <= membership.known_codes()
    assert "PSE" in set(m.mirror_list("ARAB_LEAGUE")["iso3"]) and "PSE" not in set(s["iso3"])
    assert set(s["org"]) == set(m.ORGS)
    assert set(s["status"]) == set(m.STATUSES)


# ---------------------------------------------------------------- sizes on dates

@pytest.mark.parametrize("org, date, size", [
    ("AU", "2022-02-23", 50),      # 54 less Mali, Guinea, Sudan, Burkina Faso (suspended)
    ("AU", "2025-12-31", 47),      # 54 less seven suspended states
    ("NATO", "2022-02-23", 30),
    ("NATO", "2024-03-06", 31),
    ("NATO", "2024-03-07", 32),
    ("BRICS", "2023-12-31", 5),
    ("BRICS", "2024-01-01", 9),    # Saudi Arabia not counted: invited, never confirmed
    ("BRICS", "2025-01-05", 9),
    ("BRICS", "2025-01-06", 10),
    ("EU", "2019-06-01", 28),
    ("EU", "2022-02-23", 27),
    ("SCO", "2017-06-08", 6),
    ("SCO", "2022-02-23", 8),
    ("SCO", "2024-07-04", 10),
    ("CIS", "2022-02-23", 9),      # Charter member states
    ("CSTO", "2022-02-23", 6),
    ("EAEU", "2014-06-01", 0),     # founded 1 January 2015
    ("EAEU", "2015-01-01", 3),     # Armenia from 2 January 2015
    ("EAEU", "2022-02-23", 5),
    ("NAM", "2022-02-23", 119),    # 120 members less Palestine; Mexico observer; South Sudan from 2024
    ("NAM", "2024-01-19", 120),
    ("G77", "2022-02-23", 133),    # 134 less Palestine
    ("G77", "2023-09-16", 134),    # Mexico rejoins
    ("ARAB_LEAGUE", "2022-02-23", 20),  # 21 UN members less Syria (suspended)
    ("ARAB_LEAGUE", "2023-05-07", 21),
    ("OIC", "2022-02-23", 55),
    ("COMMONWEALTH", "2016-10-13", 52),  # the Gambia (2013) and the Maldives out
    ("COMMONWEALTH", "2022-02-23", 54),
    ("COMMONWEALTH", "2022-06-25", 56),
])
def test_sizes(org, date, size):
    assert len(m.members_on(org, date)) == size


def test_brics_members():
    assert m.members_on("BRICS", "2023-12-31") == {"BRA", "RUS", "IND", "CHN", "ZAF"}
    assert m.members_on("BRICS", "2025-01-06") - m.members_on("BRICS", "2023-12-31") == {
        "EGY", "ETH", "IRN", "ARE", "IDN"}
    assert m.status_on("SAU", "BRICS", "2025-06-01") is None


# ---------------------------------------------------------------- dated statuses

@pytest.mark.parametrize("iso3, org, date, status", [
    ("MLI", "AU", "2022-03-02", "suspended"),
    ("MLI", "AU", "2020-12-01", "member"),      # between the 2020 and 2021 suspensions
    ("MLI", "AU", "2020-09-01", "suspended"),
    ("GAB", "AU", "2023-08-30", "member"),
    ("GAB", "AU", "2024-01-01", "suspended"),
    ("GAB", "AU", "2025-05-01", "member"),
    ("GIN", "AU", "2025-12-31", "suspended"),
    ("MAR", "AU", "2016-12-31", None),
    ("MAR", "AU", "2017-01-30", "member"),
    ("EGY", "AU", "2014-06-16", "suspended"),
    ("EGY", "AU", "2014-06-17", "member"),
    ("MEX", "NAM", "2022-02-23", "observer"),
    ("GEO", "CIS", "2014-01-01", None),
    ("UKR", "CIS", "2017-01-01", "observer"),
    ("UKR", "CIS", "2022-02-23", None),
    ("TKM", "CIS", "2022-02-23", "observer"),
    ("FIN", "NATO", "2023-04-03", None),
    ("FIN", "NATO", "2023-04-04", "member"),
    ("GBR", "EU", "2020-01-31", "member"),
    ("GBR", "EU", "2020-02-01", None),
    ("SYR", "ARAB_LEAGUE", "2023-05-06", "suspended"),
    ("SYR", "ARAB_LEAGUE", "2023-05-07", "member"),
    ("SYR", "OIC", "2025-03-07", "member"),
    ("MDV", "COMMONWEALTH", "2018-01-01", None),
    ("MDV", "COMMONWEALTH", "2020-02-01", "member"),
    ("FJI", "COMMONWEALTH", "2014-09-25", "suspended"),
    ("GMB", "COMMONWEALTH", "2018-02-07", None),
    ("ARM", "EAEU", "2015-01-02", "member"),
])
def test_status_on(iso3, org, date, status):
    assert m.status_on(iso3, org, date) == status
    assert m.member_of(iso3, org, date) is (status == "member")


def test_suspended_and_observers_are_not_members():
    assert not m.member_of("MLI", "AU", "2022-03-02")
    assert "MLI" not in m.members_on("AU", "2022-03-02")
    assert not m.member_of("MEX", "NAM", "2022-03-02")
    assert not m.member_of("GEO", "CIS", "2022-03-02")


def test_au_suspended_at_end_of_2025():
    t = m.table("2025-12-31", with_status=True)
    assert set(t.loc[t["status_au"] == "suspended", "iso3"]) == {"MLI", "BFA", "NER", "SDN", "GIN", "MDG", "GNB"}


def test_spells_do_not_overlap_and_end_after_start():
    s = m.spells()
    both = s.dropna(subset=["start", "end"])
    assert (both["start"] < both["end"]).all()
    assert list(s.columns) == ["org", "iso3", "start", "end", "status", "source"]
    assert s["source"].str.len().gt(0).all()


# ---------------------------------------------------------------- the countries-table contribution

def test_table_default_is_eve_of_invasion():
    t = m.table()
    assert list(t.columns) == ["iso3"] + [f"member_{o.lower()}" for o in m.ORGS]
    assert len(t) == t["iso3"].nunique() == len(membership.known_codes())
    assert all(t[c].dtype == bool for c in t.columns[1:])
    by = t.set_index("iso3")
    assert by.loc["FIN", "member_eu"] and not by.loc["FIN", "member_nato"]
    assert not by.loc["MLI", "member_au"] and by.loc["SEN", "member_au"]
    for org in m.ORGS:
        assert set(t.loc[t[m.column(org)], "iso3"]) == m.members_on(org, "2022-02-23")
    later = m.table("2024-03-07").set_index("iso3")
    assert later.loc["SWE", "member_nato"]


def test_every_correction_has_a_source():
    raw = pd.read_csv(paths.external_dir() / m.CORRECTIONS_FILE, dtype=str, keep_default_na=False)
    assert list(raw.columns) == m.CORRECTION_COLUMNS
    assert raw["source"].str.strip().str.len().gt(10).all()
    assert raw["note"].str.strip().str.len().gt(0).all()
    assert set(raw["iso3"]) <= membership.known_codes()
    assert len(m.corrections()) == len(raw)


def test_sources_disagree_only_where_explained():
    diff = m.compare_sources()
    # countrygroups has the original five BRICS; country_converter has 8 CIS states
    assert set(diff.loc[diff["org"] == "BRICS", "iso3"]) == {"EGY", "ETH", "IRN", "ARE", "IDN"}
    assert set(diff.loc[diff["org"] == "CIS", "iso3"]) == {"GEO", "KGZ", "TKM", "UKR"}
    unresolved = diff[diff["resolved_by"] == ""]
    assert unresolved.empty, unresolved.to_string()


# ---------------------------------------------------------------- bad input

def test_unknown_org_names_the_choices():
    with pytest.raises(ValueError, match=r"Unknown organisation 'OSCE'.*AU, NAM, G77"):
        m.members_on("OSCE", "2022-02-23")
    assert m.members_on("nato", "2022-02-23") == m.members_on("NATO", "2022-02-23")


def test_bad_state_and_date():
    with pytest.raises(ValueError, match="not the ISO3 code of a UN member.*Palestine"):
        m.status_on("PSE", "ARAB_LEAGUE", "2022-02-23")
    with pytest.raises(ValueError, match="not a date"):
        m.member_of("FRA", "EU", "23/02/2022x")


def test_dates_outside_the_window_warn_once(monkeypatch):
    monkeypatch.setattr(m, "_warned_window", False)
    with pytest.warns(UserWarning, match="dated only within 2014-01-01 .. 2025-12-31"):
        assert m.member_of("FRA", "NATO", "2030-01-01")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.member_of("FRA", "NATO", "2031-01-01")  # second time: silent


@pytest.fixture
def scratch_external(tmp_path, monkeypatch):
    """An external folder holding a copy of un_membership.csv; the corrections file is the test's."""
    shutil.copy(paths.external_dir() / membership.MEMBERSHIP_FILE, tmp_path)
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    m.corrections.cache_clear()
    m.spells.cache_clear()
    yield tmp_path
    m.corrections.cache_clear()
    m.spells.cache_clear()


HEADER = "org,iso3,action,start,end,status,note,source\n"


@pytest.mark.parametrize("row, message", [
    ("AU,MLI,suspend,2021-06-01,,suspended,coup,\n", r"line 2, column 'source': '' is empty"),
    ("AU,ESH,suspend,2021-06-01,,suspended,x,y\n", r"line 2, column 'iso3': 'ESH' is not a code of data/external/un_membership.csv"),
    ("OSCE,FRA,add,2021-06-01,,member,x,y\n", r"line 2, column 'org': 'OSCE' is not allowed; choose one of \['ARAB_LEAGUE', 'AU'"),
    ("NATO,FIN,join,2023-04-04,,member,x,y\n", r"line 2, column 'action': 'join' is not allowed"),
    ("NATO,FIN,dated,4 April 2023,,member,x,y\n", r"line 2, column 'start': '4 April 2023' is not a YYYY-MM-DD date"),
    ("NATO,FIN,suspend,2023-04-04,,member,x,y\n", r"action 'suspend' gives status 'suspended'"),
    ("NATO,FIN,add,2023-04-04,,member,x,y\n", r"line 2: FIN is already in the NATO base list; use action 'dated'"),
    ("NATO,AUT,dated,2023-04-04,,member,x,y\n", r"line 2: AUT is not in the NATO base list; use action 'add'"),
    ("CIS,GEO,remove,,,,x,y\nCIS,GEO,suspend,2020-01-01,,suspended,x,y\n",
     r"line 3: no member spell of GEO in CIS covers the suspension"),
])
def test_bad_corrections_name_the_line(scratch_external, row, message):
    (scratch_external / m.CORRECTIONS_FILE).write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        m.spells()


# ---------------------------------------------------------------- admission dates (Arab League, OIC)

def test_arab_league_and_oic_spells_start_on_their_sourced_admission_dates():
    s = memberships.spells()

    def first(org, iso3, column="start"):
        return s.loc[(s["org"] == org) & (s["iso3"] == iso3), column].iloc[0]

    assert first("ARAB_LEAGUE", "EGY") == pd.Timestamp("1945-03-22")
    assert first("ARAB_LEAGUE", "COM") == pd.Timestamp("1993-01-01")
    assert first("OIC", "CIV") == pd.Timestamp("2001-01-01")
    assert "io_admissions.csv:" in first("OIC", "CIV", "source")
    # Syria: admitted, then suspended (2011-2023 in the League, 2012-2025 in the OIC), then a member again
    syr = memberships.spells().query("org == 'OIC' and iso3 == 'SYR'").sort_values("start")
    assert syr["status"].tolist() == ["member", "suspended", "member"]
    assert syr["start"].iloc[0] == pd.Timestamp("1972-01-01")


def test_every_admission_row_is_cited_graded_and_not_tertiary():
    from unvotes.tables import dated

    a = memberships.admissions()
    assert len(a) == 21 + 56
    assert a["source"].str.strip().ne("").all() and a["source_grade"].isin(list(dated.SOURCE_GRADES)).all()
    assert not a["source"].str.contains(dated.TERTIARY_SITES).any()
    assert not a["note"].str.contains(dated.TERTIARY_SITES).any()
    # a date known to the year only says so
    assert (a.loc[a["date_precision"] == "year", "admitted"].dt.strftime("%m-%d") == "01-01").all()
    # a row graded 'other' says why in its note
    assert a.loc[a["source_grade"] == "other", "note"].str.contains("could not be reached").all()


def test_a_member_without_an_admission_row_or_a_row_for_a_non_member_is_an_error(external_copy):
    path = external_copy / "io_admissions.csv"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("OIC,CIV,")), encoding="utf-8")
    memberships.admissions.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"io_admissions\.csv: no admission row for OIC member\(s\) \['CIV'\]"):
            memberships.admissions()
        path.write_text(original + 'OIC,FRA,France,1969-01-01,year,"a source",primary,\n', encoding="utf-8")
        memberships.admissions.cache_clear()
        with pytest.raises(DataFileError, match=rf"line {len(lines) + 1}, column 'iso3': 'FRA' is not a member of OIC"):
            memberships.admissions()
    finally:
        memberships.admissions.cache_clear()
