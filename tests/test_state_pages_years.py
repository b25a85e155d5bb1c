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
