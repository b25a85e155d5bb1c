"""The SIPRI register with 2024 deliveries (deal-per-row layout): its reader, on the real file and broken copies,
and the arms measures built on it (the Soviet-era stock, the deliveries before each vote, China by the same rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes.tables import covariates as cov
from unvotes.errors import RawFormatError
from unvotes.sources.readers import sipri_deals

NOTES = ["Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made",
         *[f"note {i}" for i in range(2, 11)], "Data generated: 13 Mar 2025 10:02:49 AM"]
HEADER = ("Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered,"
          " ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,"
          "SIPRI TIV of delivered weapons")


def write(path, rows, *, header=HEADER, encoding="latin-1"):
    path.write_bytes("\n".join([*NOTES, header, *rows, ""]).encode(encoding))
    return path


ROWS = [
    "India,Russia,2015,,4,,Bü-181,frigate,4,,2019; 2020; 2021; 2022,New,,100,400,400",
    "India,France,2016,,36,,Rafale,FGA aircraft,36,,2023,New,Comment broken\n,60,2160,60",
    "India,China,2018,?,2,?,Type-X,APC,0,,,New,,1,2,",
    "Mali,China,2019,,10,,VN-2,APC,10,,2020; 2024,New,,1,10,10",
]


@pytest.fixture
def small(tmp_path):
    return write(tmp_path / "register.csv", ROWS)


def test_reader_one_row_per_deal_joins_broken_records_and_reads_latin1(small):
    deals = sipri_deals.read_deals(small)
    assert len(deals) == 4
    assert deals.loc[0, "designation"] == "Bü-181" and deals.loc[0, "delivery_years"] == (2019, 2020, 2021, 2022)
    assert deals.loc[1, "tiv_delivered"] == 60 and deals.loc[1, "line"] == 14  # the record broken over two lines
    assert deals.loc[2, "delivery_years"] == () and deals.loc[2, "tiv_delivered"] == 0
    assert deals.loc[3, "line"] == 17


def test_deliveries_spread_a_deals_tiv_equally_over_its_years(small):
    d = sipri_deals.deliveries(sipri_deals.read_deals(small))
    india_ru = d[(d["recipient"] == "India") & (d["supplier"] == "Russia")]
    assert india_ru["delivery_year"].tolist() == [2019, 2020, 2021, 2022] and (india_ru["tiv"] == 100).all()
    assert d["tiv"].sum() == pytest.approx(400 + 60 + 10)
    assert d["source_ref"].iloc[0] == f"{sipri_deals.FILE} line 13"


@pytest.mark.parametrize("rows, header, message", [
    (["India,Russia,2015,,4,,X,frigate,4,,2019, 2020,New,,100,400,400"], HEADER, "line 13: a record of 17 fields"),
    (["India,Russia,2015,,4,,X,frigate,4,,2019/2020,New,,100,400,400"], HEADER,
     "line 13: Year(s) of delivery '2019/2020' is not a list of years"),
    (["India,Russia,2015,,4,,X,frigate,4,,1899,New,,100,400,400"], HEADER, "has a year outside 1950-2100"),
    (["India,Russia,2015,,4,,X,frigate,4,,2019,New,,100,400,abc"], HEADER,
     "line 13: SIPRI TIV of delivered weapons 'abc' is not a number"),
    (["India,Russia,2015,,4,,X,frigate,4,,,New,,100,400,5"], HEADER, "'5' with no Year(s) of delivery"),
    (["India,Russia,2015,,4,,X,frigate,4,,2019,New,,100,400,4"], HEADER.replace("Year(s) of delivery", "Years"),
     "line 12: the header is not the layout this reader knows"),
    (["India,Russia,2015,,4,,X,frigate,4,,2019,New,,100"], HEADER, "line 13: a record of 14 fields, not 16"),
    ([], HEADER, "no deal after the header"),
])
def test_reader_broken_copies_name_file_line_and_value(tmp_path, rows, header, message):
    path = write(tmp_path / "broken.csv", rows, header=header)
    with pytest.raises(RawFormatError) as e:
        sipri_deals.read_deals(path)
    assert message in str(e.value) and str(path) in str(e.value)


def test_reader_names_the_other_layout(tmp_path):
    path = tmp_path / "per_year.csv"
    path.write_text("\n".join(NOTES) + "\nSIPRI AT Database ID,Supplier,Recipient,Delivery year\n1,Russia,India,2020\n")
    with pytest.raises(RawFormatError, match="per-delivery-year layout.*read_trade_register"):
        sipri_deals.read_deals(path)


def test_a_vote_sees_only_the_four_years_before_its_own(small, monkeypatch):
    monkeypatch.setattr(cov, "sipri_deliveries_all_years",
                        lambda: sipri_deals.deliveries(sipri_deals.read_deals(small)))
    pairs = pd.DataFrame({"iso3": ["IND", "IND", "IND", "MLI", "MLI", "MLI"],
                          "date": ["2023-06-01", "2024-01-10", "2026-02-24", "2024-12-31", "2025-03-01", "2020-01-01"]})
    v = cov.arms_before(pairs)
    # 2023 vote: 2019-2022, Russia only (the Rafale of 2023 is not seen)
    assert v.loc[0, "ru_arms_share_4y_before"] == 1.0
    # 2024 vote: 2020-2023: 300 from Russia, 60 from France
    assert v.loc[1, "ru_arms_share_4y_before"] == pytest.approx(300 / 360)
    assert v.loc[1, "cn_arms_share_4y_before"] == 0
    # a window past the register's last year (2024) is unknown, not zero
    assert v.iloc[2].isna().all()
    # Mali's deal of 10 delivered in 2020 and 2024: 5 a year; a 2024 vote sees 2020-2023, a 2025 vote 2021-2024
    assert v.loc[3, "cn_arms_share_4y_before"] == 1.0 and v.loc[3, "log_cn_arms_tiv_4y_before"] == pytest.approx(np.log(6))
    assert v.loc[4, "log_cn_arms_tiv_4y_before"] == pytest.approx(np.log(6))
    # nothing imported in 2016-2019: the share is undefined, the level 0
    assert pd.isna(v.loc[5, "cn_arms_share_4y_before"]) and v.loc[5, "log_cn_arms_tiv_4y_before"] == 0


# --------------------------------------------------------------------------------------- the real file (mirror)

@pytest.fixture(scope="module")
def real(mirror, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("UNVOTES_DATA", str(tmp_path_factory.mktemp("sipri")))
    cov.sipri_deliveries_all_years.cache_clear()
    cov._sipri_register.cache_clear()
    yield
    cov.sipri_deliveries_all_years.cache_clear()
    cov._sipri_register.cache_clear()
    mp.undo()


def test_real_register_reads_every_deal(real):
    from unvotes.sources.fetch import path_of

    deals = sipri_deals.read_deals(path_of(*cov.SIPRI_ALL_YEARS))
    assert len(deals) == 29515  # 29,519 physical records after the header, four of them broken over two lines
    years = deals["delivery_years"].explode().dropna().astype(int)
    assert years.min() == 1950 and years.max() == 2024
    assert "Bü-181 Bestmann" in set(deals["designation"])
    d = cov.sipri_deliveries_all_years()
    assert d["tiv"].sum() == pytest.approx(deals["tiv_delivered"].sum())


def test_equal_spread_agrees_with_the_per_year_register_on_2010_2021(real):
    c = cov.compare_registers(2010, 2021)
    assert len(c) == 193
    assert c["tiv_all_years_register"].sum() == pytest.approx(c["tiv_per_year_register"].sum(), rel=0.005)
    assert c["ru_tiv_all_years_register"].sum() == pytest.approx(c["ru_tiv_per_year_register"].sum(), rel=0.02)
    a = cov.sipri_russia_share(2010, 2021).set_index("iso3")["ru_arms_share"]
    b = cov.sipri_share_all_years(2010, 2021).set_index("iso3")["ru_arms_share"]
    both = pd.concat([a, b], axis=1, keys=["a", "b"]).dropna()
    assert len(both) > 150 and (both["a"] - both["b"]).abs().max() < 0.05


def test_soviet_era_stock(real):
    s = cov.soviet_era_arms().set_index("iso3")
    assert s.loc["IND", "soviet_arms_tiv_1950_1991"] > 10000 and 0.5 < s.loc["IND", "soviet_arms_share_1950_1991"] < 1
    assert s.loc["VNM", "soviet_arms_share_1950_1991"] > 0.9
    assert s.loc["USA", "soviet_arms_tiv_1950_1991"] == 0
    # former Soviet republics: their Soviet equipment was never a transfer, so no share (not 0)
    assert pd.isna(s.loc["UKR", "soviet_arms_share_1950_1991"]) and pd.isna(s.loc["KAZ", "soviet_arms_share_1950_1991"])
    # predecessors keep their own codes: South Yemen is not united Yemen, Northern Cyprus is not Cyprus
    assert s.loc["YMD", "soviet_arms_tiv_1950_1991"] > 0
    rec = cov._recipients(cov.sipri_deliveries_all_years(), 1950, 2024).set_index("sipri_name")
    assert rec.loc["Northern Cyprus", "kind"] == "unrecognised" and pd.isna(rec.loc["Northern Cyprus", "iso3"])
    assert rec.loc["South Yemen", "iso3"] == "YMD" and rec.loc["Yugoslavia", "iso3"] == "YUG"


def test_recent_deliveries_2021_2024_at_a_2025_vote(real):
    recent = cov.sipri_share_all_years(2021, 2024).set_index("iso3")
    v = cov.arms_before(pd.DataFrame({"iso3": ["IND", "MLI", "DZA"], "date": ["2025-02-24"] * 3}))
    for i, iso3 in enumerate(["IND", "MLI", "DZA"]):
        assert v.loc[i, "ru_arms_share_4y_before"] == pytest.approx(recent.loc[iso3, "ru_arms_share"])
        assert v.loc[i, "cn_arms_share_4y_before"] == pytest.approx(recent.loc[iso3, "cn_arms_share"])
