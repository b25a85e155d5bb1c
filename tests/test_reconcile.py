import pandas as pd
import pytest

from unvotes.errors import DataFileError, UnknownCountryError
from unvotes.tables.membership import known_codes
from unvotes.tables.reconcile import name_key, to_iso3


def resolve(names, date="2022-03-02", codes=None):
    frame = pd.DataFrame({"country": names, "country_code": codes or [""] * len(names),
                          "date": pd.Timestamp(date), "source_ref": "test"})
    return to_iso3(frame, known_codes=known_codes()).tolist()


def test_one_state_many_spellings():
    spellings = ["TURKEY", "TURKIYE", "TÜRKIYE", "TÜRKİYE", "TÜRKÝYE", "Turkey"]
    assert resolve(spellings) == ["TUR"] * len(spellings)
    assert resolve(["COTE D'IVOIRE", "CÔTE D'IVOIRE", "Côte d’Ivoire"]) == ["CIV"] * 3
    assert resolve(["NETHERLANDS", "NETHERLANDS (KINGDOM OF THE)"]) == ["NLD"] * 2
    assert resolve(["UNITED STATES", "UNITED STATES OF AMERICA", "United States"]) == ["USA"] * 3
    assert resolve(["NIGER", "NIGERIA", "CONGO", "DEMOCRATIC REPUBLIC OF THE CONGO", "DOMINICA",
                    "DOMINICAN REPUBLIC", "GUINEA", "EQUATORIAL GUINEA", "GUINEA-BISSAU"]) == \
        ["NER", "NGA", "COG", "COD", "DMA", "DOM", "GIN", "GNQ", "GNB"]


@pytest.mark.parametrize("name, date, iso3", [
    ("USSR", "1980-01-01", "RUS"),
    ("Czechoslovakia", "1980-01-01", "CSK"),          # country_converter alone would say CZE
    ("German Democratic Republic", "1980-01-01", "DDR"),
    ("Federal Republic of Germany", "1980-01-01", "DEU"),
    ("Yemen Arab Republic", "1980-01-01", "YEM"),
    ("Yemen People's Republic", "1980-01-01", "YMD"),  # country_converter alone would say YEM
    ("Yugoslavia", "1980-01-01", "YUG"),
    ("Yugoslavia", "2005-01-01", "SRB"),
    ("China", "1960-01-01", "TWN"),                    # the Republic of China held the seat until 25 Oct 1971
    ("China", "1980-01-01", "CHN"),
    ("Taiwan", "1960-01-01", "TWN"),
    ("Zanzibar", "1963-12-16", "ZZB"),
])
def test_historical_states(name, date, iso3):
    assert resolve([name], date) == [iso3]


def test_code_fallback_for_unknown_names():
    assert resolve(["SOME NEW OFFICIAL NAME"], codes=["FRA"]) == ["FRA"]


def test_unknown_names_are_all_listed():
    with pytest.raises(UnknownCountryError) as err:
        resolve(["FRANCE", "ATLANTIS", "NARNIA", "ATLANTIS"])
    message = str(err.value)
    assert "'ATLANTIS'" in message and "'NARNIA'" in message and "2 countries" in message
    assert "country_aliases.csv" in message  # says what to do


def test_dated_alias_outside_its_windows_is_an_error_not_a_guess():
    with pytest.raises(UnknownCountryError, match="Yugoslavia.*not for this date"):
        resolve(["Yugoslavia"], "1995-01-01")  # the FRY took no part in the GA from 1992 to 2000


def test_name_key():
    assert name_key("Côte d’Ivoire") == name_key("COTE D'IVOIRE") == "COTE D'IVOIRE"
    assert name_key("St. Kitts & Nevis") == "ST. KITTS AND NEVIS"


def test_three_letter_names_are_not_taken_for_codes():
    # country_converter returns "UAE" unchanged; only the alias table (SIPRI's spelling) maps it
    assert resolve(["UAE"]) == ["ARE"]
    with pytest.raises(UnknownCountryError, match="'XYZ'"):
        resolve(["XYZ"])


def test_an_alias_to_an_unknown_code_or_a_bad_date_is_an_error(tmp_path, monkeypatch):
    """FRANCE -> FRX would make France absent on every vote: the alias file is checked where it is read."""
    import shutil

    from unvotes import paths
    from unvotes.tables import reconcile
    from unvotes.errors import UnknownCountryError

    for f in paths.external_dir().glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    aliases = tmp_path / "country_aliases.csv"
    aliases.write_text(aliases.read_text() + "FRANCE,FRX,,,a typo,test\nZAIRE,COD,17/05/1997,,bad date,test\n")
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    reconcile.aliases.cache_clear()
    try:
        with pytest.raises(DataFileError) as err:
            reconcile.aliases()
        n = len(aliases.read_text().splitlines())
        assert f"line {n - 1}, column 'iso3': 'FRX' is not a code of data/external/un_membership.csv" in str(err.value)
        assert f"line {n}, column 'valid_from': '17/05/1997' is not a YYYY-MM-DD date" in str(err.value)
    finally:
        reconcile.aliases.cache_clear()
