"""The countries table (identity, groups, history) and the data dictionary."""

import pandas as pd
import pytest

import unvotes
from unvotes.tables import countries, dictionary

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def table(data_dir):  # data_dir points UNVOTES_DATA at the session's processed tables
    return unvotes.load_countries()


def current(table):
    return table[table["un_member_to"].isna()]


def test_one_row_per_state_ever_a_member(table):
    assert table["iso3"].is_unique
    assert len(current(table)) == 193
    assert {"TWN", "CSK", "YUG", "DDR", "YMD", "ZZB"} <= set(table.loc[table["un_member_to"].notna(), "iso3"])


def test_regional_groups(table):
    sizes = current(table)["un_group"].value_counts().to_dict()
    assert sizes == {"African": 54, "Asia-Pacific": 54, "Latin American and Caribbean": 33,
                     "Western European and Others": 29, "Eastern European": 23}
    by = table.set_index("iso3")["un_group"]
    assert by["TUR"] == "Western European and Others"  # the documented rule for Türkiye
    assert by["ISR"] == "Western European and Others" and by["KIR"] == "Asia-Pacific"
    assert by["RUS"] == by["UKR"] == "Eastern European"
    assert pd.isna(by["CSK"])


def test_geography_and_names(table):
    t = table.set_index("iso3")
    assert t.loc["EGY", "continent"] == "Africa" and t.loc["MEX", "continent"] == "Americas"
    assert t.loc["KAZ", "un_subregion"] == "Central Asia"
    assert t.loc["RUS", "name"] == "Russian Federation" and t.loc["RUS", "display_name"] == "Russia"
    assert t.loc["CSK", "display_name"] == "Czechoslovakia"


def test_history(table):
    t = table.set_index("iso3")
    soviet = set(t.index[t["former_soviet"].fillna(False)])
    assert soviet == {"ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "RUS", "TJK", "TKM",
                      "UKR", "UZB"}
    assert not t.loc["FIN", "former_soviet"]  # independent from the Russian Empire in 1917
    assert t.loc["IND", "colonial_ruler"] == "United Kingdom" and t.loc["DZA", "colonial_ruler"] == "France"
    assert t.loc["AGO", "colonial_ruler"] == "Portugal" and t.loc["THA", "colonial_ruler"] == "none"


def test_missing_report_lists_states(table):
    report = countries.missing_report(table.assign(fake=table["iso3"].where(table["iso3"] != "FRA")))
    row = report.set_index("column").loc["fake"]
    assert row["missing"] == 1 and row["states"] == "France" and row["of"] == 193


def test_every_processed_column_is_documented(data_dir):
    tables = {name: pd.read_parquet(data_dir / "processed" / f"{name}.parquet")
              for name in ("roll_calls", "votes", "roll_call_issues", "countries", "quality_findings")}
    assert dictionary.undocumented(tables) == {}
    d = dictionary.load()
    assert (d["meaning"].str.len() > 0).all() and (d["source"].str.len() > 0).all()
