"""Checks of the hand-curated table data/external/un_membership.csv.

One row per membership spell of a UN member state. Uses only pandas and
country_converter (no project code), so it can run before the package exists.
"""

from pathlib import Path

import country_converter
import pandas as pd
import pytest

CSV = Path(__file__).resolve().parents[1] / "data" / "external" / "un_membership.csv"
COLUMNS = ["iso3", "name", "admitted", "left", "note", "source"]
ORIGINAL = pd.Timestamp("1945-10-24")

# Current members whose current spell does not start in the year that
# country_converter's `UNmember` column gives. Each value is the iso3 of the row
# whose *first* spell must instead start in coco's year.
COCO_EXCEPTIONS = {
    # coco gives 1945: China is an original Member. The project splits China's
    # seat by representation: TWN (Republic of China) 1945-10-24 to 1971-10-25,
    # CHN (People's Republic of China) from 1971-10-25, GA res. 2758 (XXVI).
    "CHN": "TWN",
    # coco gives 1950, the first admission. Indonesia withdrew on 20 Jan 1965 and
    # resumed its seat on 28 Sep 1966, so its current spell starts in 1966.
    "IDN": "IDN",
    # coco gives 1945 (original Member). Syria left as a separate Member when it
    # joined the United Arab Republic (21 Feb 1958) and resumed separate
    # membership on 13 Oct 1961, so its current spell starts in 1961.
    "SYR": "SYR",
}


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(CSV, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def table(raw):
    t = raw.copy()
    t["admitted"] = pd.to_datetime(t["admitted"], format="%Y-%m-%d")
    t["left"] = pd.to_datetime(t["left"].replace("", None), format="%Y-%m-%d")
    return t


@pytest.fixture(scope="module")
def current(table):
    return table[table["left"].isna()]


@pytest.fixture(scope="module")
def coco_years():
    data = country_converter.CountryConverter().data[["ISO3", "UNmember"]]
    data = data.dropna(subset=["UNmember"])
    return dict(zip(data["ISO3"], data["UNmember"].astype(int)))


def test_header_exact():
    with open(CSV, encoding="utf-8") as f:
        assert f.readline().rstrip("\r\n") == ",".join(COLUMNS)


def test_columns_exact(raw):
    assert list(raw.columns) == COLUMNS


def test_iso3_codes_well_formed(raw):
    assert raw["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert (raw["name"].str.strip() != "").all()


def test_dates_parse_strictly(raw):
    assert raw["admitted"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    left = raw.loc[raw["left"] != "", "left"]
    assert left.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    # raise on impossible dates such as 1960-02-30
    pd.to_datetime(raw["admitted"], format="%Y-%m-%d", errors="raise")
    pd.to_datetime(left, format="%Y-%m-%d", errors="raise")


def test_no_admission_before_charter_entry_into_force(table):
    assert (table["admitted"] >= ORIGINAL).all()


def test_admitted_before_left(table):
    ended = table.dropna(subset=["left"])
    bad = ended[ended["admitted"] >= ended["left"]]
    assert bad.empty, bad[["iso3", "admitted", "left"]]


def test_no_overlapping_spells(table):
    for iso3, g in table.sort_values("admitted").groupby("iso3"):
        spells = list(g[["admitted", "left"]].itertuples(index=False))
        for prev, nxt in zip(spells, spells[1:]):
            assert pd.notna(prev.left), f"{iso3}: open spell followed by another"
            assert prev.left <= nxt.admitted, f"{iso3}: overlapping spells"


def test_no_duplicate_rows(raw):
    assert not raw.duplicated(["iso3", "admitted"]).any()


def test_193_current_members(current):
    assert len(current) == 193
    assert current["iso3"].nunique() == 193


def test_sources_non_empty(raw):
    assert (raw["source"].str.strip() != "").all()


def test_51_original_members(table):
    # China counted once (TWN row); Egypt and Syria separately.
    assert (table["admitted"] == ORIGINAL).sum() == 51


def test_current_members_match_coco(current, coco_years):
    assert set(current["iso3"]) == set(coco_years)


def test_admission_year_matches_coco(table, current, coco_years):
    first_year = table.groupby("iso3")["admitted"].min().dt.year
    mismatches = []
    for row in current.itertuples(index=False):
        expected = coco_years[row.iso3]
        if row.iso3 in COCO_EXCEPTIONS:
            got = first_year[COCO_EXCEPTIONS[row.iso3]]
        else:
            got = row.admitted.year
        if got != expected:
            mismatches.append((row.iso3, got, expected))
    assert not mismatches, mismatches


def test_coco_exceptions_are_still_needed(current, coco_years):
    year = current.set_index("iso3")["admitted"].dt.year
    for iso3 in COCO_EXCEPTIONS:
        assert year[iso3] != coco_years[iso3], f"{iso3} no longer an exception"


@pytest.mark.parametrize(
    "iso3, admitted, left",
    [
        ("RUS", "1945-10-24", None),
        ("BLR", "1945-10-24", None),
        ("UKR", "1945-10-24", None),
        ("EGY", "1945-10-24", None),
        ("SYR", "1945-10-24", "1958-02-21"),
        ("SYR", "1961-10-13", None),
        ("TWN", "1945-10-24", "1971-10-25"),
        ("CHN", "1971-10-25", None),
        ("CSK", "1945-10-24", "1993-01-01"),
        ("YUG", "1945-10-24", "1992-09-23"),
        ("DEU", "1973-09-18", None),
        ("DDR", "1973-09-18", "1990-10-03"),
        ("YEM", "1947-09-30", None),
        ("YMD", "1967-12-14", "1990-05-22"),
        ("TZA", "1961-12-14", None),
        ("ZZB", "1963-12-16", "1964-04-26"),
        ("IDN", "1950-09-28", "1965-01-20"),
        ("IDN", "1966-09-28", None),
        ("SRB", "2000-11-01", None),
        ("MNE", "2006-06-28", None),
        ("SSD", "2011-07-14", None),
        ("CZE", "1993-01-19", None),
        ("SVK", "1993-01-19", None),
    ],
)
def test_project_conventions(table, iso3, admitted, left):
    g = table[(table["iso3"] == iso3) & (table["admitted"] == pd.Timestamp(admitted))]
    assert len(g) == 1, f"no {iso3} spell from {admitted}"
    got = g["left"].iloc[0]
    if left is None:
        assert pd.isna(got)
    else:
        assert got == pd.Timestamp(left)


def test_spell_counts_per_state(table):
    counts = table["iso3"].value_counts()
    assert set(counts[counts > 1].index) == {"IDN", "SYR"}
    for code in ["SUN", "FRG", "YAR", "TAN", "ZAR", "BUR", "ROC"]:
        assert code not in counts.index
