"""Pre-war covariates: SIPRI parsing and shares, QoG cleaning, Voeten codes (hand-made inputs), and the real
data from the mirror (known values, ranges, 193 rows)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from unvotes.tables import covariates as cov
from unvotes.tables import membership
from unvotes.errors import RawFormatError, UnknownCountryError

# The SIPRI export's exact layout: 11 lines of notes (as in the 2025 export), the header, one row per
# (deal, delivery year).
SIPRI_NOTES = """\
Transfers of major conventional arms from All countries  to All countries . Deals with deliveries or orders made for year range '2000' to '2030' 
A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of deliveries' refer only to deliveries in the selected year(s).
An empty field for 'Number ordered' indicates that data is not yet available.
SIPRI trend-indicator values (TIVs) are in millions.
An empty field for 'SIPRI TIV for total order' indicates that data (on the number ordered and/or the TIV per unit) is not available.
A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is between 0 and 0.5 million SIPRI TIV; and an empty field indicates that no deliveries have been identified.
Figures may not add up to stated totals due to the conventions of rounding.
For the method used for the SIPRI TIV and explanations of the conventions; abbreviations and acronyms see <https://www.sipri.org/databases/armstransfers/sources-and-methods>.

Source: SIPRI Arms Transfers Database (c) SIPRI.
Data generated: 3 Jan 2025 9:16:02 PM
"""
SIPRI_HEADER = ("SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
                "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
                "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production")
SIPRI_ROWS = """\
1,Russia,India,Su-30MK,FGA aircraft,Aircraft,2007,No,10,No,2009,No,New,37.5,37.5,375,Yes
1,Russia,India,Su-30MK,FGA aircraft,Aircraft,2007,No,4,No,2010,No,New,37.5,37.5,150,Yes
1,Russia,India,Su-30MK,FGA aircraft,Aircraft,2007,No,2,No,2015,No,New,37.5,37.5,75,Yes
2,France,India,Rafale,FGA aircraft,Aircraft,2016,No,1,No,2020,No,New,50,50,50,No
3,unknown supplier(s),India,truck engine,vehicle engine,Engines,2012,Yes,10,Yes,2013,No,New,0.25,0.25,25,No
4,Russia,Houthi rebels (Yemen)*,9M133 Kornet,anti-tank missile,Missiles,2014,Yes,50,Yes,2015,Yes,New,0.04,0.04,2,No
5,United States,NATO**,E-3A,AEW aircraft,Aircraft,2015,No,1,No,2016,No,Second hand,80,40,40,No
6,Russia,unknown recipient(s),Mi-8,helicopter,Aircraft,2011,Yes,1,Yes,2012,No,New,4,4,4,No
7,United States,Germany,P-8A,ASW aircraft,Aircraft,2019,No,1,No,2020,No,New,100,100,100,No
8,Russia,Armenia,Su-30MK,FGA aircraft,Aircraft,2020,No,4,No,2022,No,New,37.5,37.5,150,No
9,Russia,Libya,Khrizantema,anti-tank missile,Missiles,2010,No,10,No,2010,No,New,1.05,1.05,10.5,No
10,Turkiye,Libya GNC,Bayraktar TB-2,UAV,Aircraft,2019,No,12,Yes,2019,No,New,2.4,2.4,29.5,No
11,France,UAE,Rafale,FGA aircraft,Aircraft,2021,No,2,No,2021,No,New,50,50,100,No
12,Italy,Germany,radar,radar,Sensors,2018,No,1,No,2018,No,New,0.1,0.1,,No
"""


@pytest.fixture
def sipri_file(tmp_path):
    path = tmp_path / "trade-register.csv"
    path.write_text(SIPRI_NOTES + SIPRI_HEADER + "\n" + SIPRI_ROWS, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------- SIPRI, hand-made file

def test_sipri_layout_one_row_per_deal_and_delivery_year(sipri_file):
    reg = cov.read_trade_register(sipri_file)
    assert len(reg) == 14
    deal1 = reg[reg["deal_id"] == "1"].set_index("delivery_year")["tiv"]
    assert deal1.to_dict() == {2009: 375.0, 2010: 150.0, 2015: 75.0}
    assert reg["source_ref"].iloc[0] == "trade-register.csv line 13"  # 11 notes + header before it
    assert reg.loc[reg["deal_id"] == "12", "tiv"].item() == 0.0  # empty = no deliveries identified


def test_sipri_share_counts_only_the_window_and_only_states(sipri_file):
    share = cov.russia_share(cov.read_trade_register(sipri_file), 2010, 2021).set_index("iso3")
    ind = share.loc["IND"]
    # 2010 + 2015 from Russia (the 2009 delivery is outside); France 2020 and an unknown supplier 2013 count
    assert ind["arms_imports_tiv_russia"] == 225.0
    assert ind["arms_imports_tiv"] == 225.0 + 50.0 + 25.0
    assert ind["ru_arms_share"] == pytest.approx(225 / 300)
    assert share.loc["DEU", "ru_arms_share"] == 0.0 and share.loc["DEU", "arms_imports_tiv"] == 100.0
    # Armenia's only delivery is in 2022: nothing in the window, so the share is undefined
    assert share.loc["ARM", "arms_imports_tiv"] == 0.0 and math.isnan(share.loc["ARM", "ru_arms_share"])
    # a UN member absent from the register: total 0, share NaN
    assert share.loc["FRA", "arms_imports_tiv"] == 0.0 and math.isnan(share.loc["FRA", "ru_arms_share"])
    # SIPRI's two Libyan names are one state; 'UAE' is the United Arab Emirates
    assert share.loc["LBY", "arms_imports_tiv"] == 10.5 + 29.5 and share.loc["LBY", "sipri_names"] == "Libya; Libya GNC"
    assert share.loc["ARE", "arms_imports_tiv"] == 100.0
    assert share["un_member"].all() and len(share) == len(membership.members_on(cov.MEMBERS_ON))
    # the starred non-state recipient, the organisation and 'unknown recipient(s)' are not states
    assert not share["sipri_names"].str.contains(r"\*|unknown").any()
    assert share["arms_imports_tiv_russia"].sum() == 225.0 + 10.5


def test_sipri_recipient_kinds(sipri_file):
    rec = cov._recipients(cov.read_trade_register(sipri_file), 2010, 2021).set_index("sipri_name")
    assert rec.loc["Houthi rebels (Yemen)*", "kind"] == "non-state"
    assert rec.loc["NATO**", "kind"] == "organisation"
    assert rec.loc["unknown recipient(s)", "kind"] == "unknown"
    assert rec.loc["Houthi rebels (Yemen)*", "tiv_russia"] == 2.0 and pd.isna(rec.loc["NATO**", "iso3"])


def test_sipri_window_of_one_year(sipri_file):
    share = cov.russia_share(cov.read_trade_register(sipri_file), 2020, 2020).set_index("iso3")
    assert share.loc["IND", "arms_imports_tiv"] == 50.0 and share.loc["IND", "ru_arms_share"] == 0.0


def test_sipri_bad_inputs(sipri_file, tmp_path):
    reg = cov.read_trade_register(sipri_file)
    with pytest.raises(ValueError, match="outside"):
        cov.russia_share(reg, 1990, 2021)
    with pytest.raises(ValueError, match="start <= end"):
        cov.russia_share(reg, 2021, 2010)
    no_header = tmp_path / "no_header.csv"
    no_header.write_text(SIPRI_NOTES + SIPRI_ROWS)
    with pytest.raises(RawFormatError, match="no header line"):
        cov.read_trade_register(no_header)
    bad_year = tmp_path / "bad_year.csv"
    bad_year.write_text(SIPRI_NOTES + SIPRI_HEADER + "\n" + SIPRI_ROWS.replace(",2015,No,New", ",2015?,No,New"))
    with pytest.raises(RawFormatError, match=r"line 15: Delivery year '2015\?'"):
        cov.read_trade_register(bad_year)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(SIPRI_NOTES + SIPRI_HEADER.replace("TIV delivery values", "TIV") + "\n" + SIPRI_ROWS)
    with pytest.raises(RawFormatError, match="TIV delivery values"):
        cov.read_trade_register(renamed)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(SIPRI_NOTES + SIPRI_HEADER + "\n" + SIPRI_ROWS.replace("Germany", "Atlantis"))
    with pytest.raises(UnknownCountryError, match="Atlantis"):
        cov.russia_share(cov.read_trade_register(unknown))


# -------------------------------------------------------------------------------------- QoG, hand-made rows

def qog_rows(**changes):
    rows = pd.DataFrame({
        "ccodealp": ["USA", "CHN", "TWN", "SDN"],
        "cname": ["United States", "China", "Taiwan", "Sudan (the)"],
        "cname_year": ["United States 2021", "China 2021", "Taiwan 2021", "Sudan (2012-) 2021"],
        "vdem_libdem": [0.756, 0.044, 0.8, np.nan], "vdem_polyarchy": [0.825, 0.077, 0.85, np.nan],
        "fh_ep": [10, 0, 12, np.nan], "fh_ppp": [13, 0, 15, np.nan], "fh_fog": [9, 1, 11, np.nan],
        "fh_feb": [14, 1, 15, np.nan], "fh_aor": [11, 2, 11, np.nan], "fh_rol": [11, 2, 14, np.nan],
        "fh_pair": [15, 6, 14, np.nan], "fh_status": [1, 3, 1, np.nan],
        "wdi_gdpcappppcon2021": [71055.9, 20406.7, np.nan, np.nan],
        "wdi_gdpcappppcur": [71055.9, 20406.7, np.nan, np.nan],
        "wdi_pop": [332048977, 1412360000, np.nan, np.nan], "wdi_trade": [25.3, 37.3, np.nan, np.nan],
        "wdi_expmil": [3.46, 1.61, np.nan, np.nan],
    })
    for col, values in changes.items():
        rows[col] = values
    return rows


def test_qog_frame_builds_totals_drops_non_members_and_keeps_nan():
    out = cov.qog_frame(qog_rows()).set_index("iso3")
    assert list(out.index) == ["CHN", "SDN", "USA"]  # Taiwan is not a UN member
    assert out.loc["USA", "fh_total"] == 83 and out.loc["CHN", "fh_total"] == 12
    assert out.loc["USA", "fh_status"] == "Free" and out.loc["CHN", "fh_status"] == "Not Free"
    assert out.loc["USA", "log_gdp_pc_ppp"] == pytest.approx(np.log(71055.9))
    assert out.loc["SDN"].drop("fh_status").isna().all()  # never imputed


def test_qog_frame_fh_total_needs_all_seven_subscores():
    out = cov.qog_frame(qog_rows(fh_ppp=[13, np.nan, 15, np.nan])).set_index("iso3")
    assert math.isnan(out.loc["CHN", "fh_total"]) and out.loc["USA", "fh_total"] == 83


def test_qog_frame_gdp_from_another_year_is_dropped():
    # constant-2021 and current PPP agree only in 2021: China's pair says "another year"
    out = cov.qog_frame(qog_rows(wdi_gdpcappppcur=[71055.9, 21999.0, np.nan, np.nan])).set_index("iso3")
    assert out.loc["USA", "gdp_pc_ppp"] == 71055.9 and math.isnan(out.loc["CHN", "gdp_pc_ppp"])


@pytest.mark.parametrize("changes, message", [
    ({"fh_ppp": [17, 0, 15, 0]}, "fh_ppp outside 0-16: USA=17"),
    ({"vdem_libdem": [75.6, 0.044, 0.8, np.nan]}, "vdem_libdem outside 0-1: USA=75.6"),
    ({"fh_status": [1, 4, 1, np.nan]}, "fh_status codes"),
    ({"cname_year": ["United States 2022", "China 2021", "Taiwan 2021", "Sudan 2021"]}, "cross-section year"),
    ({"ccodealp": ["USA", "USA", "TWN", "SDN"]}, "repeated"),
    ({"wdi_trade": ["25.3", "n/a", None, None]}, "non-numeric value 'n/a'"),
])
def test_qog_frame_bad_inputs(changes, message):
    with pytest.raises(RawFormatError, match=message):
        cov.qog_frame(qog_rows(**changes))


# ----------------------------------------------------------------------------------- Voeten, hand-made rows

def voeten_rows(ccodes, iso3cs, sessions):
    n = len(ccodes)
    return pd.DataFrame({"ccode": ccodes, "session": sessions, "NVotesAll": [90] * n, "IdealPointAll": [0.1] * n,
                         "iso3c": iso3cs, "Countryname": ["x"] * n, "USAgree": [0.2] * n,
                         "RUSSAgree": [0.6] * n, "ChinaAgree": [0.7] * n})


def test_voeten_codes_follow_project_conventions():
    rows = voeten_rows([345, 345, 678, 680, 260, 255, 713, 710],
                       ["YUG", "YUG", "YAR", "YAR", "DEU", "DEU", "TWN", "CHN"],
                       [47, 75, 30, 30, 30, 75, 20, 75])
    assert cov.voeten_frame(rows)["iso3"].tolist() == ["YUG", "SRB", "YEM", "YMD", "DEU", "DEU", "TWN", "CHN"]


def test_voeten_unknown_code_is_an_error():
    with pytest.raises(RawFormatError, match="XYZ"):
        cov.voeten_frame(voeten_rows([999], ["XYZ"], [75]))


def test_dictionary_documents_every_column_with_a_prewar_year():
    from unvotes.tables import dictionary

    d = dictionary.load()
    d = d[(d["table"] == "countries") & d["column"].isin(cov.COLUMNS)].set_index("column")
    assert set(d.index) == set(cov.COLUMNS)
    for column, row in d.iterrows():
        assert all(str(v).strip() for v in row.values), column
        assert "2022" not in row["year"] or "Flagged" in row["year"], column


# --------------------------------------------------------------------------------------- real data (mirror)

@pytest.fixture(scope="module")
def real(mirror, tmp_path_factory):
    """Raw files copied from the mirror into a temporary data folder (never the repository's data/)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("UNVOTES_DATA", str(tmp_path_factory.mktemp("covariates")))
    for f in (cov._sipri_register, cov.voeten_all, cov.sipri_deliveries_all_years):
        f.cache_clear()
    yield
    for f in (cov._sipri_register, cov.voeten_all, cov.sipri_deliveries_all_years):
        f.cache_clear()
    mp.undo()


@pytest.fixture(scope="module")
def countries(real):
    return cov.table()


def test_table_one_row_per_member(countries):
    assert len(countries) == 193 and countries["iso3"].is_unique
    assert set(countries["iso3"]) == membership.members_on("2022-02-23")
    assert list(countries.columns) == ["iso3", *cov.COLUMNS]


def test_a_bad_supplement_row_names_file_line_and_value(external_copy):
    from unvotes.errors import DataFileError

    path = external_copy / cov.SUPPLEMENT_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + ['SDN,Sudan,fh_total,2020,140,"Freedom House",']) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"regime_scores_supplement.csv: 1 problem\(s\):\n  line {len(lines) + 1}, column 'value': '140' is not a number from 0 to 100"):
        cov.regime_supplement()


def test_real_ranges(countries):
    t = countries.set_index("iso3")
    assert t["fh_total"].dropna().between(0, 100).all() and t["fh_total"].max() == 100
    for col in ("vdem_libdem", "vdem_polyarchy", "ru_arms_share_2010_2021"):
        assert t[col].dropna().between(0, 1).all(), col
    assert (t["arms_imports_tiv_2010_2021"] >= 0).all()
    # known 2021 values: Freedom in the World 2022 totals, sums of the subscores
    assert t.loc["USA", "fh_total"] == 83 and t.loc["RUS", "fh_total"] == 19 and t.loc["IND", "fh_total"] == 66
    assert t.loc["FIN", "fh_status"] == "Free" and t.loc["RUS", "fh_status"] == "Not Free"
    # the Free / Partly Free / Not Free bands do not overlap
    bands = t.groupby("fh_status")["fh_total"].agg(["min", "max"])
    assert bands.loc["Not Free", "max"] <= bands.loc["Partly Free", "min"] <= bands.loc["Partly Free", "max"] \
        <= bands.loc["Free", "min"]
    # micro-states without V-Dem stay missing; QoG's empty Sudan row takes its regime scores from the sources
    # directly (regime_scores_supplement.csv), and nothing else
    assert t.loc[["LIE", "MCO", "SMR", "TUV"], "vdem_libdem"].isna().all()
    assert t.loc["SDN", "fh_total"] == 10 and t.loc["SDN", "fh_status"] == "Not Free"
    assert 0 < t.loc["SDN", "vdem_polyarchy"] < 0.3 and pd.isna(t.loc["SDN", "population"])
    # China's share of arms imports by the same rule as Russia's
    assert t.loc["PAK", "cn_arms_share_2010_2021"] > 0.5 > t.loc["PAK", "ru_arms_share_2010_2021"]
    assert pd.isna(t.loc["ISL", "cn_arms_share_2010_2021"]) or t.loc["ISL", "cn_arms_tiv_2010_2021"] >= 0
    assert 10 < t.loc["USA", "log_gdp_pc_ppp"] < 12 and 300e6 < t.loc["USA", "population"] < 340e6


def test_real_russia_shares(countries):
    t = countries.set_index("iso3")
    share = t["ru_arms_share_2010_2021"]
    for iso in ("IND", "DZA", "VNM", "ARM", "KAZ", "BLR"):
        assert share[iso] > 0.4, (iso, share[iso])
    assert share["DEU"] == 0 and share["USA"] < 0.01
    assert share["IND"] == pytest.approx(0.600, abs=0.001) and share["ARM"] == pytest.approx(0.871, abs=0.001)
    assert t.loc["IND", "arms_imports_tiv_2010_2021"] > 30000
    # imported nothing in 2010-2021: total 0, share undefined
    none = t["arms_imports_tiv_2010_2021"] == 0
    assert share[none].isna().all() and share[~none].notna().all()
    assert {"AND", "LIE", "SMR"} <= set(t.index[none])


def test_every_un_member_sipri_recipient_is_matched(real):
    rec = cov.sipri_recipients()
    states = rec[rec["kind"] == "state"]
    assert states["iso3"].notna().all()  # to_iso3 raises on any unmatched name anyway
    members = membership.members_on(cov.MEMBERS_ON)
    # the state recipients that are not UN members, and nothing else
    assert set(states.loc[~states["un_member"], "iso3"]) == {"TWN", "XKX", "PSE", "ESH"}
    assert states["iso3"].isin(members | {"TWN", "XKX", "PSE", "ESH"}).all()
    assert states.groupby("iso3").size().max() == 2  # Libya and Libya GNC only
    assert set(states.loc[states["iso3"] == "LBY", "sipri_name"]) == {"Libya", "Libya GNC"}
    assert states.loc[states["sipri_name"] == "UAE", "iso3"].item() == "ARE"
    excluded = rec[rec["kind"] != "state"]
    assert excluded["sipri_name"].str.endswith("*").sum() == 23 and "unknown recipient(s)" in set(excluded["sipri_name"])
    assert {"Libya HoR*", "Ukraine Rebels*", "NATO**"} <= set(excluded["sipri_name"])
    # every UN member that imported in 2010-2021 is among the matched recipients
    imported = cov.sipri_russia_share().query("un_member and arms_imports_tiv > 0")
    assert set(imported["iso3"]) <= set(states["iso3"]) and len(imported) == 170


def test_sipri_real_file_has_no_soviet_deliveries_and_no_duplicate_rows(real):
    reg = cov._sipri_register()
    assert "Soviet Union" not in set(reg["supplier"])
    assert reg["delivery_year"].min() == 2000 and reg["delivery_year"].max() == 2023
    assert not reg.duplicated(["deal_id", "delivery_year"]).any()  # one row per (deal, delivery year)


def test_qog_iso3_agrees_with_reconcile(real):
    from unvotes.tables.reconcile import to_iso3
    path = cov._path(cov.QOG)
    raw = cov._read_qog(path)
    raw = raw[raw["ccodealp"] != "TWN"]
    frame = pd.DataFrame({"country": raw["cname"], "country_code": raw["ccodealp"], "date": cov.MEMBERS_ON,
                          "source_ref": "qog_std_cs_jan25.csv"})
    assert (to_iso3(frame, known_codes=membership.known_codes()).to_numpy() == raw["ccodealp"].to_numpy()).all()


def test_voeten_session_75(real):
    v = cov.voeten(75).set_index("iso3")
    assert len(v) == 193 and set(v.index) == membership.members_on("2021-06-01")
    assert v.loc["USA", "agree_usa"] == 1 and v.loc["RUS", "agree_rus"] == 1 and v.loc["CHN", "agree_chn"] == 1
    assert v["ideal_point"].idxmax() == "USA" and v.loc["ISR", "ideal_point"] > 2
    assert v.loc["SRB", "n_votes"] > 50  # Voeten's 'YUG' row, Serbia
    assert v.loc["SOM", "n_votes"] == 1
    with pytest.raises(ValueError, match="sessions 1-78"):
        cov.voeten(99)


def test_voeten_codes_agree_with_reconcile_for_recent_sessions(real):
    """For sessions 55-78 the mapped codes equal what reconcile.to_iso3 makes of Voeten's country names."""
    from unvotes.tables.reconcile import to_iso3
    raw = pd.read_csv(cov._path(cov.VOETEN))
    raw = raw[raw["session"] >= 55].drop_duplicates("ccode", keep="last")
    frame = pd.DataFrame({"country": raw["Countryname"], "country_code": "", "source_ref": "voeten",
                          "date": pd.to_datetime((1945 + raw["session"]).astype(str) + "-12-01")})
    mapped = cov.voeten_frame(raw)["iso3"].to_numpy()
    assert (to_iso3(frame, known_codes=membership.known_codes()).to_numpy() == mapped).all()


def _supplement_with(external_copy, edit):
    path = external_copy / cov.SUPPLEMENT_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return lines


def test_conflicting_supplement_rows_are_an_error_not_first_wins(external_copy):
    from unvotes.errors import DataFileError

    lines = _supplement_with(external_copy, lambda ls: ls + [ls[1].replace(",2021,10,", ",2021,90,")])
    with pytest.raises(DataFileError, match=rf"lines \[2, {len(lines) + 1}\]: the same iso3, variable, year \(iso3='SDN', variable='fh_total', "
                                            r"year='2021'\) twice, conflicting: value '10' vs '90'"):
        cov.regime_supplement()


def test_a_supplement_without_the_cross_section_year_is_an_error(external_copy):
    """A 2021 row whose year is mistyped used to leave Sudan's cell empty, and Sudan out of every model."""
    from unvotes.errors import DataFileError

    _supplement_with(external_copy, lambda ls: [ls[0], ls[1].replace(",2021,10,", ",2019,10,"), *ls[2:]])
    qog = pd.DataFrame({"iso3": ["SDN", "FRA"], "fh_total": [np.nan, 89.0], "fh_status": [np.nan, "Free"],
                        "vdem_polyarchy": [np.nan, 0.8], "vdem_libdem": [np.nan, 0.7]})
    with pytest.raises(DataFileError, match=r"SDN fh_total has rows for \[2019, 2022, 2023, 2024, 2025\] but none for 2021"):
        cov.fill_from_supplement(qog)


def test_supplement_rows_the_countries_table_does_not_read_are_stated():
    found = cov.supplement_findings()
    assert len(found) == 1 and found[0]["check"] == "supplement_not_read" and found[0]["severity"] == "info"
    assert "[2022, 2023, 2024, 2025]" in found[0]["detail"] and "are not read" in found[0]["detail"]
