"""Readers of the UN Digital Library bulk voting files (unvotes.sources.readers.undl) and the synthetic writer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from unvotes.errors import RawFormatError
from unvotes.sources.readers import ROLL_CALL_COLUMNS, VOTE_COLUMNS, VOTE_VALUES
from unvotes.sources.readers import undl
from unvotes.sources.readers.undl import read_undl_ga, read_undl_sc
from unvotes.sources.synthetic import GA_2024_COLUMNS, GA_2026_COLUMNS, write_synthetic_undl_ga

FIXTURES = Path(__file__).parent / "fixtures" / "undl"
GA26 = FIXTURES / "ga_2026.csv"
GA24 = FIXTURES / "ga_2024.csv"
SC26 = FIXTURES / "sc_2026.csv"


def votes_of(sv, vote_id: str) -> dict[str, str]:
    v = sv.votes[sv.votes.vote_id == vote_id]
    return dict(zip(v.country_code, v.vote))


def rc(sv, vote_id: str) -> pd.Series:
    rows = sv.roll_calls[sv.roll_calls.vote_id == vote_id]
    assert len(rows) == 1, (vote_id, sv.roll_calls.vote_id.tolist())
    return rows.iloc[0]


def checks(sv) -> list[str]:
    return [f["check"] for f in sv.findings]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


GA26_TEXT = GA26.read_text(encoding="utf-8")
GA26_LINES = GA26_TEXT.splitlines(keepends=True)


# ---------------------------------------------------------------------------------------------
# the three layouts


def test_ga_2026_fixture():
    sv = read_undl_ga(GA26)
    assert sv.source == "undl-ga"
    assert list(sv.roll_calls.columns) == ROLL_CALL_COLUMNS and list(sv.votes.columns) == VOTE_COLUMNS
    assert sv.roll_calls.vote_id.tolist() == ["A/RES/ES-11/1", "A/RES/ES-11/6", "A/RES/68/262"]
    assert len(sv.votes) == 36 and sv.findings == []

    es1 = rc(sv, "A/RES/ES-11/1")
    assert es1.date == pd.Timestamp("2022-03-02") and es1.session == "ES-11" and es1.body == "GA"
    assert (es1.yes, es1.no, es1.abstain, es1.absent) == (141, 5, 35, 12)
    assert es1.title == "Aggression against Ukraine : resolution / adopted by the General Assembly"
    assert es1.draft == "A/ES-11/L.1" and es1.kind == "resolution" and es1.part_of == ""
    assert es1.source == "undl-ga" and es1.source_ref == "ga_2026.csv:2"
    assert votes_of(sv, "A/RES/ES-11/1") == {
        "RUS": "no", "BLR": "no", "CHN": "abstain", "IND": "abstain", "UKR": "yes", "USA": "yes", "DEU": "yes",
        "FRA": "yes", "BRA": "yes", "ZAF": "abstain", "VEN": "absent", "ISR": "yes"}

    es6 = rc(sv, "A/RES/ES-11/6")  # the quoted title with commas
    assert es6.title.startswith("Principles of the Charter of the United Nations underlying a comprehensive, just and")
    assert es6.date == pd.Timestamp("2023-02-23") and (es6.yes, es6.no, es6.abstain, es6.absent) == (141, 7, 32, 13)
    assert es6.source_ref == "ga_2026.csv:14"

    r262 = rc(sv, "A/RES/68/262")
    assert r262.session == "68" and r262.date == pd.Timestamp("2014-03-27")
    assert (r262.yes, r262.no, r262.abstain, r262.absent) == (100, 11, 58, 24)
    assert votes_of(sv, "A/RES/68/262")["ISR"] == "absent" and votes_of(sv, "A/RES/68/262")["BRA"] == "abstain"

    ven = sv.votes[(sv.votes.country_code == "VEN") & (sv.votes.vote_id == "A/RES/ES-11/1")].iloc[0]
    # votes carry their roll call's source_ref (its first line), the key the build links them by
    assert ven.country == "VENEZUELA (BOLIVARIAN REPUBLIC OF)" and ven.source_ref == "ga_2026.csv:2"
    assert str(sv.roll_calls.date.dtype) == "datetime64[ns]"
    assert all(str(sv.roll_calls[c].dtype) == "Int64" for c in ("yes", "no", "abstain", "absent"))


def test_ga_2024_fixture_layout_session_from_symbol_and_nv():
    sv = read_undl_ga(GA24)
    assert sv.roll_calls.vote_id.tolist() == ["A/RES/68/262", "A/RES/ES-11/1"]
    assert sv.roll_calls.session.tolist() == ["68", "ES-11"]
    assert sv.roll_calls.date.tolist() == [pd.Timestamp("2014-03-27"), pd.Timestamp("2022-03-02")]  # time dropped
    es1 = rc(sv, "A/RES/ES-11/1")
    assert (es1.yes, es1.no, es1.abstain, es1.absent) == (141, 5, 35, 12)
    assert votes_of(sv, "A/RES/ES-11/1")["VEN"] == "absent"  # NV
    assert votes_of(sv, "A/RES/68/262") == {
        "RUS": "no", "BLR": "no", "CHN": "abstain", "IND": "abstain", "UKR": "yes", "USA": "yes", "DEU": "yes",
        "FRA": "yes", "BRA": "abstain", "ZAF": "abstain", "VEN": "no", "ISR": "absent"}
    assert sv.findings == []


def test_ga_2024_accepts_singular_ms_columns(tmp_path):
    text = GA24.read_text(encoding="utf-8").replace("ms_codes,ms_names,ms_votes", "ms_code,ms_name,ms_vote", 1)
    sv = read_undl_ga(write(tmp_path, "ga24.csv", text))
    assert votes_of(sv, "A/RES/68/262")["UKR"] == "yes"


def test_sc_fixture():
    sv = read_undl_sc(SC26)
    assert sv.source == "undl-sc"
    assert sv.roll_calls.vote_id.tolist() == ["S/RES/2623", "S/RES/2774", "S/RES/82"]
    assert set(sv.roll_calls.body) == {"SC"} and set(sv.roll_calls.session) == {""}
    r2623 = rc(sv, "S/RES/2623")
    assert r2623.date == pd.Timestamp("2022-02-27")
    assert (r2623.yes, r2623.no, r2623.abstain, r2623.absent) == (11, 1, 3, 0)
    assert r2623.title.startswith("Security Council resolution 2623 (2022)")
    assert votes_of(sv, "S/RES/2623")["RUS"] == "no" and votes_of(sv, "S/RES/2623")["IND"] == "abstain"
    r2774 = rc(sv, "S/RES/2774")
    assert (r2774.yes, r2774.no, r2774.abstain) == (10, 0, 5) and r2774.draft == ""
    assert votes_of(sv, "S/RES/2774")["RUS"] == "yes" and votes_of(sv, "S/RES/2774")["FRA"] == "abstain"
    r82 = rc(sv, "S/RES/82")
    assert r82.date == pd.Timestamp("1950-06-25") and (r82.yes, r82.no, r82.abstain, r82.absent) == (9, 0, 1, 1)
    ussr = sv.votes[(sv.votes.vote_id == "S/RES/82") & (sv.votes.country_code == "RUS")].iloc[0]
    assert ussr.country == "UNION OF SOVIET SOCIALIST REPUBLICS" and ussr.vote == "absent"
    assert votes_of(sv, "S/RES/82")["YUG"] == "abstain"
    assert len(sv.votes) == 41 and sv.findings == []


def test_wrong_reader_points_to_the_right_one():
    with pytest.raises(RawFormatError, match="read_undl_sc") as exc:
        read_undl_ga(SC26)
    assert "sc_2026.csv" in str(exc.value)
    with pytest.raises(RawFormatError, match="read_undl_ga"):
        read_undl_sc(GA26)


# ---------------------------------------------------------------------------------------------
# values the reader interprets


def test_blank_vote_is_absent_with_one_finding(tmp_path):
    lines = list(GA26_LINES)
    for i in (2, 4):  # BLR on ES-11/1 (line 3), IND (line 5)
        lines[i] = lines[i].replace(",N,2022", ",,2022").replace(",A,2022", ",,2022")
    sv = read_undl_ga(write(tmp_path, "blank.csv", "".join(lines)))
    assert votes_of(sv, "A/RES/ES-11/1")["BLR"] == "absent" and votes_of(sv, "A/RES/ES-11/1")["IND"] == "absent"
    assert checks(sv) == ["blank_vote"]
    assert sv.findings[0]["listed"] == "2" and sv.findings[0]["source_ref"] == "blank.csv:3"


def test_shared_symbols_keep_the_plain_id_and_unparsed_ones_are_disambiguated(tmp_path):
    text = GA26_TEXT.replace("A/RES/68/262,", "A/RES/ES-11/1,")  # undl 767565 now claims ES-11/1 too
    sv = read_undl_ga(write(tmp_path, "dup.csv", text))
    # both records keep the plain id; the build compares them and keeps the first (build._dedupe_records)
    assert sorted(sv.roll_calls.vote_id) == ["A/RES/ES-11/1", "A/RES/ES-11/1", "A/RES/ES-11/6"]
    assert checks(sv) == ["duplicate_symbol", "session_mismatch"]  # 767565 still says session 68
    assert sv.findings[0]["vote_id"] == "A/RES/ES-11/1" and sv.findings[0]["source_ref"] == "dup.csv:2"
    second = sv.roll_calls[sv.roll_calls.vote_id == "A/RES/ES-11/1"].source_ref.iloc[1]
    isr = sv.votes[(sv.votes.source_ref == second) & (sv.votes.country_code == "ISR")]
    assert len(sv.votes) == 36 and isr.vote.tolist() == ["absent"]

    text = GA26_TEXT.replace("A/RES/68/262,", "Decision 68/547,")
    sv = read_undl_ga(write(tmp_path, "unparsed.csv", text))
    assert "Decision 68/547 [undl 767565]" in set(sv.roll_calls.vote_id)
    assert checks(sv) == ["unparsed_symbol"] and sv.findings[0]["source_ref"] == "unparsed.csv:26"


def test_roll_call_fields_that_differ_within_an_undl_id_are_reported(tmp_path):
    lines = list(GA26_LINES)
    lines[4] = lines[4].replace(",141.0,5.0,", ",140.0,5.0,")  # CHN's row of ES-11/1
    sv = read_undl_ga(write(tmp_path, "incons.csv", "".join(lines)))
    assert rc(sv, "A/RES/ES-11/1").yes == 141  # the first line's value
    assert checks(sv) == ["undl_id_inconsistent"]
    assert sv.findings[0]["source_ref"] == "incons.csv:5" and "total_yes" in sv.findings[0]["detail"]


def test_state_listed_twice_is_passed_on_to_the_build(tmp_path):
    """Repeated listings are judged once, after names are reconciled (build._dedupe_listings)."""
    from unvotes.tables import build

    sv = read_undl_ga(write(tmp_path, "twice.csv", "".join(GA26_LINES[:13] + [GA26_LINES[1]] + GA26_LINES[13:])))
    assert checks(sv) == [] and len(sv.votes) == 37
    _, votes, findings = build.prepare_source(sv)
    # (the fixture lists 12 of the 193 states, hence also count mismatches and a partial roll call)
    assert [f["check"] for f in findings if f["vote_id"] == "A/RES/ES-11/1"
            and f["check"] not in ("count_mismatch", "incomplete_roll_call")] == ["duplicate_listing"]
    assert not votes.duplicated(["vote_id", "iso3"]).any()


def test_blank_totals_and_session_variants(tmp_path):
    lines = list(GA26_LINES)
    for i in range(25, 37):  # 68/262: no published totals, session written as a float
        lines[i] = lines[i].replace(",100.0,11.0,58.0,24.0,", ",,,,,").replace(",68,A/RES", ",68.0,A/RES")
    for i in range(1, 13):  # ES-11/1: session as a MARC label
        lines[i] = lines[i].replace(",ES-11,", ",11emsp,")
    sv = read_undl_ga(write(tmp_path, "variants.csv", "".join(lines)))
    r262 = rc(sv, "A/RES/68/262")
    assert r262.session == "68" and all(pd.isna(r262[c]) for c in ("yes", "no", "abstain", "absent"))
    assert rc(sv, "A/RES/ES-11/1").session == "ES-11" and sv.findings == []


def test_line_breaks_inside_values_keep_line_numbers_exact(tmp_path):
    lines = list(GA26_LINES)
    for i in range(1, 13):
        lines[i] = lines[i].replace("Aggression against Ukraine :", '"Aggression\nagainst Ukraine :').replace(
            "General Assembly,Letter", 'General Assembly",Letter')
    sv = read_undl_ga(write(tmp_path, "multiline.csv", "".join(lines)))
    assert rc(sv, "A/RES/ES-11/1").title.startswith("Aggression\nagainst")
    assert rc(sv, "A/RES/ES-11/6").source_ref == "multiline.csv:26"  # 12 rows of 2 lines, then the header
    assert sv.votes.source_ref.iloc[-1] == "multiline.csv:38"  # the last roll call's first line


def test_bom_crlf_and_blank_lines(tmp_path):
    sv = read_undl_ga(write(tmp_path, "bom.csv", "\ufeff" + GA26_TEXT.replace("\n", "\r\n") + "\r\n"))
    assert len(sv.votes) == 36 and sv.findings == [] and sv.votes.source_ref.iloc[-1] == "bom.csv:26"
    sv = read_undl_ga(write(tmp_path, "gap.csv", "".join(GA26_LINES[:5] + ["\n"] + GA26_LINES[5:])))
    assert len(sv.votes) == 36 and checks(sv) == ["line_numbers_approximate"]


def test_progress_lines_for_large_files(monkeypatch, capsys):
    monkeypatch.setattr(undl, "PROGRESS_BYTES", 0)
    read_undl_ga(GA26)
    err = capsys.readouterr().err
    assert "[undl] ga_2026.csv: parsed 36 rows" in err and "3 roll calls, 36 votes" in err


# ---------------------------------------------------------------------------------------------
# broken files: each error names the file and the line (or column)


def raises(path: Path, *fragments: str, reader=read_undl_ga) -> str:
    with pytest.raises(RawFormatError) as exc:
        reader(path)
    msg = str(exc.value)
    for fragment in (path.name, *fragments):
        assert fragment in msg, (fragment, msg)
    return msg


def test_empty_file(tmp_path):
    raises(write(tmp_path, "empty.csv", ""), "line 1", "empty", "GA 2026 layout", "GA 2024 layout")
    raises(write(tmp_path, "header_only.csv", GA26_LINES[0]), "line 2", "no data rows")


def test_renamed_column(tmp_path):
    path = write(tmp_path, "renamed.csv", GA26_TEXT.replace("ms_vote", "vote", 1))
    msg = raises(path, "line 1", "'ms_vote'", "'vote'", "GA 2026 layout", "GA 2024 layout")
    assert "Closest is the GA 2026 layout" in msg
    path = write(tmp_path, "renamed_total.csv", GA26_TEXT.replace("total_non_voting", "total_nonvoting", 1))
    raises(path, "'total_non_voting'", "'total_nonvoting'")


def test_repeated_column(tmp_path):
    raises(write(tmp_path, "twice.csv", GA26_TEXT.replace("vote_note", "title", 1)), "line 1", "'title'")


def test_truncated_without_final_line_break(tmp_path):
    cut = GA26_TEXT[: GA26_TEXT.index("A/ES-11/PV.19", GA26_TEXT.index("4003917,CHN"))]
    raises(write(tmp_path, "cut.csv", cut), "line 16", "truncated", "does not end with a line break")


def test_truncated_last_row_with_fewer_fields(tmp_path):
    text = "".join(GA26_LINES[:-1]) + GA26_LINES[-1].split(",Prevention")[0] + "\n"
    raises(write(tmp_path, "short.csv", text), "line 37", "truncated file", "fields")


def test_row_with_an_extra_field_in_the_middle(tmp_path):
    lines = list(GA26_LINES)
    lines[7] = lines[7].replace("Aggression against Ukraine", "Aggression, against Ukraine")
    raises(write(tmp_path, "comma.csv", "".join(lines)), "line 8", "21 fields where the header has 20")


def test_unterminated_quote(tmp_path):
    lines = list(GA26_LINES)  # a quote opened in a middle field swallows the rest of the file
    lines[29] = lines[29].replace(",Territorial integrity", ',"Territorial integrity')
    raises(write(tmp_path, "quote.csv", "".join(lines)), "line 30", "unterminated quote")
    cut = GA26_TEXT.rstrip("\n").rsplit(",", 1)[0] + ',"https://digitallibrary.un.org/rec\n'
    raises(write(tmp_path, "quote_last.csv", cut), "line 37", "never closed")


def test_wrong_type_in_a_totals_column(tmp_path):
    lines = list(GA26_LINES)
    lines[20] = lines[20].replace(",7.0,32.0,", ",7.0,thirty-two,")
    raises(write(tmp_path, "type.csv", "".join(lines)), "line 21", "'total_abstentions'", "'thirty-two'")


def test_unknown_vote_code(tmp_path):
    lines = list(GA26_LINES)
    lines[9] = lines[9].replace(",BRAZIL,Y,", ",BRAZIL,Z,")
    raises(write(tmp_path, "vote.csv", "".join(lines)), "line 10", "'Z'", "'ms_vote'")


def test_bad_date_and_blank_undl_id(tmp_path):
    lines = list(GA26_LINES)
    lines[33] = lines[33].replace(",2014-03-27,", ",27/03/2014,")
    raises(write(tmp_path, "date.csv", "".join(lines)), "line 34", "'27/03/2014'", "'date'")
    lines = list(GA26_LINES)
    lines[3] = "," + lines[3].split(",", 1)[1]
    raises(write(tmp_path, "uid.csv", "".join(lines)), "line 4", "blank undl_id")


def test_sc_errors_name_file_and_line(tmp_path):
    text = SC26.read_text(encoding="utf-8").replace(",Y,2025-02-24,", ",YES,2025-02-24,", 1)
    raises(write(tmp_path, "sc_vote.csv", text), "line 17", "'YES'", reader=read_undl_sc)


# ---------------------------------------------------------------------------------------------
# synthetic files


@pytest.mark.parametrize("layout", ["2026", "2024"])
def test_synthetic_file_reads_back(tmp_path, layout):
    path = write_synthetic_undl_ga(tmp_path / f"syn_{layout}.csv", n_rows=5000, seed=3, layout=layout)
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert tuple(header) == (GA_2026_COLUMNS if layout == "2026" else GA_2024_COLUMNS)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    sv = read_undl_ga(path)
    assert len(sv.votes) == 5000 and len(sv.roll_calls) == raw["undl_id"].nunique()
    assert set(sv.votes.vote) <= set(VOTE_VALUES) and (sv.votes.vote == "absent").any()
    assert sv.roll_calls.vote_id.is_unique and sv.roll_calls.session.ne("").all()
    assert sv.roll_calls.date.notna().all() and sv.findings == []
    last_rc = sv.roll_calls.set_index("vote_id").loc[sv.votes.vote_id.iloc[-1], "source_ref"]
    assert sv.votes.source_ref.iloc[-1] == last_rc  # votes carry their roll call's first line
    # the synthetic totals agree with the listed votes (the reader itself never compares them)
    listed = sv.votes.groupby(["vote_id", "vote"]).size().unstack(fill_value=0)
    published = sv.roll_calls.set_index("vote_id")[["yes", "no", "abstain", "absent"]].astype(int)
    assert (listed.reindex(columns=published.columns, fill_value=0).loc[published.index] == published).all().all()


def test_synthetic_is_deterministic_and_atomic(tmp_path):
    a = write_synthetic_undl_ga(tmp_path / "a.csv", n_rows=800, seed=7)
    b = write_synthetic_undl_ga(tmp_path / "b.csv", n_rows=800, seed=7)
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]  # no temporary file left
    with pytest.raises(ValueError):
        write_synthetic_undl_ga(tmp_path / "c.csv", n_rows=10, layout="1999")
