"""Dated covariates (unvotes.tables.dated): the curated tables checked where they enter, and joined at each date."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes.tables import dated
from unvotes.errors import DataFileError


def _append(path, line: str) -> int:
    """Append a CSV line; returns its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("name", sorted(dated.TABLES))
def test_every_curated_table_loads_and_cites_each_row(name):
    df = dated.load(name)
    assert len(df) > 0
    assert (df["source"].str.len() > 10).all()
    assert df["source_grade"].isin(list(dated.SOURCE_GRADES)).all()
    # a source graded "other" is allowed only where nothing better was found, and the note says why
    assert (df.loc[df["source_grade"] == "other", "note"].str.len() > 20).all()


@pytest.mark.parametrize("name", sorted(dated.TABLES))
def test_no_dated_table_rests_on_a_tertiary_site(name):
    assert dated.tertiary_citations(name) == []


def test_a_tertiary_citation_is_found(external_copy):
    path = external_copy / "liberation_movements.csv"
    _append(path, "BWA,Botswana,BDP,1966-09-30,2024-11-01,day,false,\"https://en.wikipedia.org/wiki/BDP\",news,")
    assert any("'wikipedia'" in hit for hit in dated.tertiary_citations("liberation_movements"))


def test_an_ungraded_row_or_a_grade_outside_the_list_is_an_error(external_copy):
    path = external_copy / "unfriendly_states.csv"
    original = path.read_text(encoding="utf-8")
    line = _append(path, "TCD,Chad,2022-03-05,,\"a source\",,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'source_grade': '' is not allowed; choose one of"):
        dated.load("unfriendly_states")
    path.write_text(original, encoding="utf-8")
    line = _append(path, "TCD,Chad,2022-03-05,,\"a source\",blog,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'source_grade': 'blog' is not allowed; choose one of"):
        dated.load("unfriendly_states")
    path.write_text(original, encoding="utf-8")
    line = _append(path, "TCD,Chad,2022-03-05,,\"a source\",other,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'note': '' is empty for a source graded 'other'"):
        dated.load("unfriendly_states")


def test_the_unfriendly_list_holds_from_its_order_and_expands_the_eu(mirror):
    table = dated.load("unfriendly_states")
    from unvotes.tables import organisations as memberships

    s = memberships.spells()
    eu = set(s.loc[(s["org"] == "EU") & (s["status"] == "member") & s["end"].isna(), "iso3"])
    assert eu <= set(table["iso3"]), "every EU member is on the list (the order names the EU as one item)"
    assert {"USA", "GBR", "JPN", "UKR", "BHS"} <= set(table["iso3"])
    assert not {"TUR", "SRB", "GEO", "CHN", "IND"} & set(table["iso3"])
    v = dated.values_at(pd.DataFrame({"iso3": ["DEU", "DEU", "BHS", "BHS", "TUR"],
                                      "date": ["2022-03-02", "2022-10-12", "2022-03-24", "2022-10-12", "2022-10-12"]}))
    # ES-11/1 (2 March 2022) came before the order; ES-11/4 (12 October 2022) after; the Bahamas from July 2022
    assert v["russia_unfriendly_list"].tolist() == [False, True, False, True, False]


def test_an_unknown_state_names_file_line_and_value(external_copy):
    line = _append(external_copy / "coups.csv", "XXK,Nowhere,2025-01-01,day,someone,someone,after_source,,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"coups\.csv: 1 problem\(s\):\n  line {line}, column 'iso3': 'XXK' is not a code"):
        dated.load("coups")


def test_overlapping_periods_are_an_error_naming_both_lines(external_copy):
    path = external_copy / "russian_security_presence.csv"
    first = _append(path, "TCD,Chad,wagner,2022-01-01,2023-01-01,,day,\"a source\",news,")
    second = _append(path, "TCD,Chad,wagner,2022-06-01,,2023-01-01,day,\"another source\",news,")
    with pytest.raises(DataFileError, match=rf"lines {first} and {second}: the periods of iso3=TCD, actor=wagner overlap"):
        dated.load("russian_security_presence")


def test_dates_out_of_range_badly_written_or_out_of_order_are_errors(external_copy):
    path = external_copy / "belt_and_road.csv"
    original = path.read_text(encoding="utf-8")
    line = _append(path, "TCD,Chad,2062-01-01,,day,after_source,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'valid_from': '2062-01-01' is not a YYYY-MM-DD date between 1945-01-01"):
        dated.load("belt_and_road")
    path.write_text(original, encoding="utf-8")
    line = _append(path, "TCD,Chad,1 March 2019,,day,after_source,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'valid_from': '1 March 2019' is not a YYYY-MM-DD date"):
        dated.load("belt_and_road")
    path.write_text(original, encoding="utf-8")
    line = _append(path, "TCD,Chad,2019-03-01,2018-01-01,day,after_source,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'valid_to': '2018-01-01' is not after valid_from"):
        dated.load("belt_and_road")


def test_a_value_outside_its_list_and_a_missing_source_are_errors(external_copy):
    path = external_copy / "russian_security_presence.csv"
    original = path.read_text(encoding="utf-8")
    line = _append(path, "TCD,Chad,Wagner,2022-01-01,,2022-02-01,day,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'actor': 'Wagner' is not allowed; choose one of"):
        dated.load("russian_security_presence")
    path.write_text(original, encoding="utf-8")
    line = _append(path, "TCD,Chad,wagner,2022-01-01,,2022-02-01,day,,news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'source': '' is empty"):
        dated.load("russian_security_presence")


def test_a_repeated_coup_is_an_error(external_copy):
    path = external_copy / "coups.csv"
    row = next(r for r in path.read_text(encoding="utf-8").splitlines()[1:] if r.startswith("NER,"))
    line = _append(path, row)
    with pytest.raises(DataFileError, match=rf"lines \[\d+, {line}\]: the same iso3, date .* twice, identical"):
        dated.load("coups")


def test_the_join_at_a_date_counts_a_state_before_and_after_its_changes(mirror):
    pairs = pd.DataFrame({
        "iso3": ["NER", "NER", "NER", "MLI", "MLI", "EGY", "EGY", "ITA", "ITA", "ZAF", "SWZ"],
        "date": ["2023-07-25", "2023-07-26", "2026-07-27", "2021-11-30", "2021-12-01", "2023-12-31",
                 "2024-01-01", "2024-03-21", "2024-03-22", "2022-03-02", "2022-03-02"]})
    v = dated.values_at(pairs)
    # Niger: the coup of 26 July 2023 counts from its day, for three years
    assert v["coup_within_3y"].tolist()[:3] == [False, True, False]
    # Mali: Wagner from December 2021; Niger: the Africa Corps from April 2024
    assert v["russian_forces"].tolist()[3:5] == [False, True]
    # Niger's Africa Corps is attested to April 2024: present two years on, unknown by July 2026
    assert not v.loc[1, "russian_forces"] and pd.isna(v.loc[2, "russian_forces"])
    # Egypt joined BRICS on 1 January 2024
    assert v["member_brics_at_vote"].tolist()[5:7] == [False, True]
    # Italy's Belt and Road memorandum lapsed on 22 March 2024 (the GFDC list's exit date is corrected); South
    # Africa is in the list from 2015; a UN member missing from the list is a non-signatory
    assert v["bri_signatory"].tolist()[7:11] == [True, False, True, False]
    assert v.loc[9, "flmsa_party_gov"] and v.loc[9, "member_sadc_at_vote"]
    # Niger left ECOWAS on 29 January 2025 and is in the AES from 16 September 2023
    later = dated.values_at(pd.DataFrame({"iso3": ["NER", "NER"], "date": ["2025-01-28", "2025-01-29"]}))
    assert later["member_ecowas_at_vote"].tolist() == [True, False]
    assert later["member_aes_at_vote"].all()
    # an open-ended deployment carries two years past its latest source, then is unknown, never "present"
    venezuela = dated.values_at(pd.DataFrame({"iso3": ["VEN", "VEN"], "date": ["2020-12-31", "2022-03-02"]}))
    assert venezuela.loc[0, "russian_forces"] and pd.isna(venezuela.loc[1, "russian_forces"])


def test_an_open_period_needs_its_latest_source(external_copy):
    path = external_copy / "russian_security_presence.csv"
    line = _append(path, "TCD,Chad,wagner,2022-01-01,,,day,\"a source\",news,")
    with pytest.raises(DataFileError, match=rf"line {line}, column 'attested_until': '' is empty for an open-ended"):
        dated.load("russian_security_presence")


def test_models_take_dated_covariates_by_name_at_each_votes_date(data_dir):
    from unvotes.models import model_data

    d = model_data.prepare("post-invasion", "African", ["ideal_point_prewar", "russian_forces", "coup_within_3y"],
                           outcome="choice")
    assert {"russian_forces", "coup_within_3y"} <= set(d.terms)
    rows = d.frame.set_index(["iso3", "vote_id"])
    assert rows.loc[("BFA", "A/RES/ES-11/1"), "russian_forces"] == 0      # 2 March 2022
    assert rows.loc[("BFA", "A/RES/79/284"), "russian_forces"] == 1       # 16 April 2025
    assert any("at each vote's date" in n for n in d.notes)
    # Belarus's Wagner camp is attested to September 2023: unknown on ES-11/9 (December 2025), so left out
    e = model_data.prepare("post-invasion", "Eastern European", ["russian_forces"], outcome="choice")
    assert ("BLR", "A/RES/ES-11/9") not in set(zip(e.frame["iso3"], e.frame["vote_id"]))
    assert any("left out where a dated covariate is unknown" in n and "BLR" in n for n in e.notes)
    for name in ("russia_treaty", "liberation_movement_gov"):
        with pytest.raises(model_data.ModelParameterError, match=f"{name}: "):
            model_data.prepare("ES-11", None, [name])
    # the GFDC list makes bri_signatory usable; China and the states listed without a date are left out
    b = model_data.prepare("ES-11", None, ["bri_signatory"])
    states = set(b.frame["iso3"])
    assert {"PAK", "HUN", "USA"} <= states and not {"CHN", "RUS", "AUT"} & states
    assert b.frame.loc[b.frame["iso3"] == "USA", "bri_signatory"].eq(0).all()


def test_every_dated_covariate_is_documented(mirror):
    from unvotes.tables import dictionary

    frame = dated.values_at(pd.DataFrame({"iso3": ["KEN"], "date": ["2022-03-02"]})).assign(vote_id="x")
    assert dictionary.undocumented({"dated": frame}) == {}


def test_coups_come_from_powell_and_thyne_with_the_curated_rows_only_where_it_cannot_give_them(mirror):
    events = dated.coup_events()
    by = events.set_index(["iso3", "date"])["origin"]
    assert by[("GAB", pd.Timestamp("2023-08-30"))] == "powell-thyne"
    # Niger: the upstream date (26 June 2023) replaced by the cited 26 July 2023
    assert by[("NER", pd.Timestamp("2023-07-26"))] == "corrected"
    assert ("NER", pd.Timestamp("2023-06-26")) not in by.index
    # after the list's last event (August 2023): the curated, cited rows
    assert by[("MDG", pd.Timestamp("2025-10-14"))] == "curated" and by[("GNB", pd.Timestamp("2025-11-26"))] == "curated"
    curated = dated.load("coups")
    last = dated.powell_thyne()["date"].max()
    assert ((curated["role"] == "corrects_source") | (curated["date"] > last)).all()
    found = dated.coup_findings()
    assert [(f["check"], f["published"], f["listed"]) for f in found if f["check"] == "upstream_defect"] == [
        ("upstream_defect", "2023-06-26", "2023-07-26")]
    assert not [f for f in found if f["severity"] == "error"]


def test_a_curated_coup_inside_the_lists_period_or_a_stray_correction_is_a_disagreement(external_copy, mirror):
    path = external_copy / "coups.csv"
    _append(path, "MLI,Mali,2021-05-24,day,someone,someone,after_source,,\"a source\",news,")
    _append(path, "TGO,Togo,2020-01-02,day,someone,someone,corrects_source,2020-01-01,\"a source\",news,")
    errors = {f["detail"][:3]: f["detail"] for f in dated.coup_findings() if f["severity"] == "error"}
    assert set(errors) == {"MLI", "TGO"}
    assert "Powell & Thyne date it 2021-05-21" in errors["MLI"]
    assert "replaces a coup of 2020-01-01 that Powell & Thyne" in errors["TGO"]


def test_the_coup_list_reader_names_a_bad_line(tmp_path):
    from unvotes.errors import RawFormatError
    from unvotes.sources.readers.powell_thyne import read_coups

    path = tmp_path / "coups.csv"
    path.write_text("country\tccode\tccode_gw\tccode_polity\tyear\tmonth\tday\tcoup\tversion\r\n"
                    '"Niger"\t436\t\t\t2023\t6\t26\t2\t"V2023.09.08"\r\n'
                    '"Niger"\t436\t\t\t2023\t13\t26\t2\t"V2023.09.08"\r\n', encoding="utf-8")
    with pytest.raises(RawFormatError, match=r"coups.csv line 3: .*date 2023-13-26"):
        read_coups(path, {436: "NER"})
    path.write_text(path.read_text().splitlines()[0] + "\n" + '"Atlantis"\t999\t\t\t2023\t6\t26\t2\t"V"\n')
    with pytest.raises(RawFormatError, match=r"line 2: COW code 999 \(Atlantis\) has no ISO3 code"):
        read_coups(path, {436: "NER"})


def test_belt_and_road_from_the_gfdc_list_with_cited_rows_in_place_of_its_entries(mirror):
    pairs = pd.DataFrame({"iso3": ["PAN", "PAN", "COL", "COL", "BFA", "RUS", "AUT", "CHN", "HUN", "USA"],
                          "date": ["2025-02-24", "2025-06-01", "2025-02-24", "2025-12-03", "2022-03-02", "2022-03-02",
                                   "2022-03-02", "2022-03-02", "2014-03-27", "2022-03-02"]})
    v = dated.values_at(pairs)["bri_signatory"]
    # Panama's notice of February 2025 took effect after the votes of 24 February 2025; Colombia joined in May 2025
    assert v.tolist()[:4] == [True, False, False, True]
    # Burkina Faso is missing from the list but signed in 2021 (a cited correction)
    assert v[4]
    # the list names Russia and Austria without a date; China is the initiator: unknown at every date
    assert v[5:8].isna().all()
    # Hungary joined in 2015 (the list); the United States never did
    assert v.tolist()[8:] == [False, False]
    periods = dated.bri_periods()
    assert set(periods["origin"]) == {"gfdc", "curated"} and "CHN" not in set(periods["iso3"])
    assert not {"COK", "NIU"} & set(periods["iso3"])  # in the list, not UN members


def test_every_disagreement_between_the_gfdc_list_and_the_curated_rows_is_a_finding(mirror):
    found = {(f["check"], f["detail"].split(" ")[0]): f for f in dated.bri_findings()}
    italy = found[("bri_disagreement", "ITA")]
    assert italy["published"] == "2019-03-01..2023-06-12" and italy["listed"] == "2019-03-01..2024-03-22"
    assert found[("bri_disagreement", "BFA")]["published"] == "not listed"
    assert ("bri_source", "Belt") in found and "AUT, COG, NER, RUS" in found[("bri_source", "Belt")]["detail"]


def test_a_row_marked_after_the_list_but_within_it_is_an_error_finding(external_copy, mirror):
    path = external_copy / "belt_and_road.csv"
    line = _append(path, "KEN,Kenya,2017-06-01,2020-01-01,month,after_source,\"a source\",news,")
    bad = [f for f in dated.bri_findings() if f["severity"] == "error"]
    assert len(bad) == 1 and f"belt_and_road.csv:{line} is marked after_source" in bad[0]["detail"]


def test_the_gfdc_reader_names_the_file_sheet_and_row_of_bad_input(tmp_path):
    from openpyxl import Workbook

    from unvotes.errors import RawFormatError
    from unvotes.sources.readers.gfdc_bri import read_bri

    def workbook(rows, sheet="BRI countries"):
        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        for r in rows:
            ws.append(r)
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx"
        wb.save(path)
        return path

    head = ["Country", "Country Code", "Region", "IncomeGroup", "Likely date of joining", "Likely date of exit"]
    import datetime as dt
    good = workbook([head, ["Kenya", "KEN", "SSA", "LMI", dt.datetime(2017, 6, 1), None],
                     ["Niger", "NER", "SSA", "LI", None, None]])
    out = read_bri(good)
    assert out["iso3"].tolist() == ["KEN", "NER"] and out["row"].tolist() == [2, 3]
    assert out.loc[0, "joined"] == pd.Timestamp("2017-06-01") and pd.isna(out.loc[1, "joined"])
    with pytest.raises(RawFormatError, match=r"no sheet 'BRI countries' \(sheets: \['Sheet1'\]\)"):
        read_bri(workbook([head], sheet="Sheet1"))
    with pytest.raises(RawFormatError, match=r"row 3, column 'Likely date of joining': 'June 2017' is not a date"):
        read_bri(workbook([head, ["Kenya", "KEN", "", "", dt.datetime(2017, 6, 1), None],
                           ["Chad", "TCD", "", "", "June 2017", None]]))
    with pytest.raises(RawFormatError, match=r"row 2, column 'Country Code': 'Kenya' \(Kenya\) is not an ISO3 code"):
        read_bri(workbook([head, ["Kenya", "Kenya", "", "", None, None]]))
    with pytest.raises(RawFormatError, match=r"row 1: column\(s\) \['Likely date of exit'\] missing"):
        read_bri(workbook([head[:5]]))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RawFormatError, match="broken.xlsx: cannot be read as an .xlsx workbook"):
        read_bri(broken)


def test_models_take_the_arms_deliveries_before_each_vote(data_dir, monkeypatch):
    """The SIPRI all-years register at each vote's date: a 2022 vote sees 2018-2021, a 2025 vote 2021-2024; a vote
    of 2026 would need 2025's deliveries, so its state-votes are left out, with a note."""
    from unvotes.tables import covariates
    from unvotes.models import model_data

    monkeypatch.setenv("UNVOTES_DATA", str(data_dir))
    d = model_data.prepare("post-invasion", None, ["ideal_point_prewar", "log_ru_arms_tiv_4y_before"])
    assert "log_ru_arms_tiv_4y_before" in d.terms
    rows = d.frame.set_index(["iso3", "vote_id"])["log_ru_arms_tiv_4y_before"]
    before_2022 = covariates.sipri_share_all_years(2018, 2021).set_index("iso3")["arms_imports_tiv_russia"]
    before_2025 = covariates.sipri_share_all_years(2021, 2024).set_index("iso3")["arms_imports_tiv_russia"]
    assert rows[("IND", "A/RES/ES-11/1")] == pytest.approx(np.log1p(before_2022["IND"]))
    assert rows[("IND", "A/RES/ES-11/7")] == pytest.approx(np.log1p(before_2025["IND"]))
    assert not d.frame["vote_id"].str.contains("ES-11/10").any()  # 24 February 2026
    assert any("left out where a dated covariate is unknown" in n for n in d.notes)
