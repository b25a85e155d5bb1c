"""State pages: the yearly agreement table says when a year's roll calls changed in number or kind (issue 25:
2025 had about twice the roll calls of a usual year, most of them with the United States nearly alone)."""

import pandas as pd

from unvotes.site import state_pages


def test_note_names_the_years_that_changed_and_is_empty_otherwise():
    usual = pd.DataFrame({"year": range(2014, 2024), "roll_calls": [80, 90, 85, 88, 92, 86, 90, 89, 87, 91],
                          "us_isolated": [20, 18, 25, 22, 19, 21, 24, 20, 23, 17]})
    assert state_pages.changed_years_note(usual) == ""
    changed = pd.concat([usual, pd.DataFrame({"year": [2025], "roll_calls": [191], "us_isolated": [123]})])
    note = state_pages.changed_years_note(changed)
    assert "2025: 191 roll calls, 123 with the United States nearly alone" in note
    assert "median of 89 resolution roll calls" in note and "2014" not in note.split(";")[1]


def test_real_counts_flag_2025(in_data_dir):
    counts = state_pages.yearly_roll_calls().set_index("year")
    assert counts.loc[2025, "roll_calls"] > 1.5 * counts.loc[2014:2024, "roll_calls"].median()
    assert counts.loc[2025, "us_isolated"] > 3 * counts.loc[2014:2024, "us_isolated"].max()
    assert "2025:" in state_pages.changed_years_note(counts.reset_index())


def test_a_state_page_carries_the_note_under_its_agreement_table(in_data_dir):
    from unvotes.tables import dictionary
    from unvotes.site.vote_pages import catalogued

    cat = catalogued(["A/RES/ES-11/1"])
    state = state_pages.members().set_index("iso3", drop=False).loc["KEN"].to_dict()
    agreement = pd.DataFrame({"iso3": ["KEN"], "year": [2025], "agree_usa": [0.4], "agree_rus": [0.6],
                              "agree_chn": [0.7], "n_votes": [150]})
    sources = dictionary.load().query("table == 'countries'").set_index("column")["source"]
    page = state_pages.state_page(state, cat, state_pages.counted_votes(cat), None, agreement, sources, "", None,
                                  "**The years are not alike.** (test)\n")
    table_at = page.index("Agreement with the United States, Russia and China, year by year")
    assert page.index("**The years are not alike.** (test)") > table_at


def test_a_partial_or_changed_year_is_flagged_in_words_beside_its_numbers(in_data_dir):
    """Issue 23: 2026 (data to June) and 2025 (twice the roll calls) are flagged where the reader meets the number,
    in the agreement table's own row, as well as in the note under it."""
    from unvotes.tables import dictionary
    from unvotes.site.vote_pages import catalogued

    counts = pd.DataFrame({"year": [2023, 2024, 2025, 2026], "roll_calls": [88, 92, 191, 12],
                           "us_isolated": [16, 12, 123, 7],
                           "last_date": pd.to_datetime(["2023-12-22", "2024-12-24", "2025-12-18", "2026-06-04"])})
    flags = state_pages.year_flags(counts)
    assert flags[2026] == "partial year: votes to 4 June 2026 only, 12 roll calls"
    assert flags[2025].startswith("191 roll calls (a usual year: 90), 123 with the United States nearly alone")
    assert set(flags) == {2025, 2026}
    assert "2026 is a partial year: the data hold its votes to 4 June 2026 only" in state_pages.changed_years_note(counts)
    whole = counts.assign(last_date=counts["last_date"].where(counts["year"] < 2026, pd.Timestamp("2026-12-20")))
    assert 2026 not in state_pages.year_flags(whole)

    cat = catalogued(["A/RES/ES-11/1"])
    state = state_pages.members().set_index("iso3", drop=False).loc["IND"].to_dict()
    agreement = pd.DataFrame({"iso3": ["IND"] * 3, "year": [2024, 2025, 2026], "agree_usa": [0.25, 0.05, 0.3],
                              "agree_rus": [0.51, 0.74, 0.6], "agree_chn": [0.8, 0.8, 0.8], "n_votes": [92, 191, 12]})
    sources = dictionary.load().query("table == 'countries'").set_index("column")["source"]
    page = state_pages.state_page(state, cat, state_pages.counted_votes(cat), None, agreement, sources, "", None, "",
                                  flags)
    table = page.split("year by year")[1]
    row_2026 = table[table.index(">2026<"):].split("</tr>")[0]
    assert "partial year: votes to 4 June 2026 only" in row_2026
    row_2024 = table[table.index(">2024<"):].split("</tr>")[0]
    assert "partial year" not in row_2024 and "roll calls" not in row_2024
