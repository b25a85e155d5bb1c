"""Claims check: every check kind on small hand-made tables, once where the claim holds and once where it
does not; partial roll calls (unknown is not refuted); claims resting only on the article itself; the
claims file (well formed, quotes verbatim in the seeds); the articles table (outlet, headline, date) and the
report naming articles by it; and the real verdicts of key claims."""

from __future__ import annotations

import pandas as pd
import pytest

from unvotes.analyses import claims
from unvotes.analyses.claims import CONFIRMED, NOT_CHECKABLE, REFUTED, SINGLE_SOURCE, Tables
from unvotes.errors import UnvotesError

ARTICLE = "001_a1c0ee2f29c68514.txt"

# Complete roll calls list every member (absent included), so their members are the listed states.
ES1 = {"USA": "yes", "FRA": "yes", "RUS": "no", "BLR": "no", "CHN": "abstain", "IND": "abstain", "KAZ": "abstain",
       "ARM": "abstain", "ZAF": "abstain", "NGA": "yes", "ETH": "absent"}
ES4 = {"USA": "yes", "FRA": "yes", "RUS": "no", "BLR": "no", "CHN": "abstain", "IND": "abstain", "KAZ": "abstain",
       "ARM": "abstain", "ZAF": "abstain", "NGA": "yes", "ETH": "absent"}
ES6 = {"USA": "yes", "FRA": "yes", "RUS": "no", "BLR": "no", "CHN": "no", "IND": "abstain", "KAZ": "abstain",
       "ARM": "abstain", "ZAF": "absent", "NGA": "yes", "ETH": "yes"}
# A partial roll call: published 93-3-65, every "no" listed, one abstention listed.
ES7 = {"USA": "no", "RUS": "no", "BLR": "no", "CHN": "abstain"}
SC = {"USA": "yes", "RUS": "yes", "CHN": "yes", "FRA": "abstain", "GBR": "abstain"}


def _tables(es1=ES1, es4=ES4, sources=None, totals=None) -> Tables:
    rolls = [  # vote_id, body, date, kind, part_of, yes, no, abstain, complete, title, listed
        ("A/RES/ES-11/1", "GA", "2022-03-02", "resolution", "", 3, 2, 5, True, "Aggression against Ukraine", es1),
        ("A/RES/ES-11/4", "GA", "2022-10-12", "resolution", "", 3, 2, 5, True, "Territorial integrity", es4),
        ("A/RES/ES-11/6", "GA", "2023-02-23", "resolution", "", 4, 3, 3, True, "Lasting peace", ES6),
        ("A/RES/ES-11/6 [operative paragraph 2]", "GA", "2023-02-23", "paragraph", "A/RES/ES-11/6", 5, 2, 3, False,
         "Lasting peace", {"CHN": "abstain"}),
        ("A/RES/ES-11/7", "GA", "2025-02-24", "resolution", "", 93, 3, 65, False,
         "Advancing a comprehensive, just and lasting peace in Ukraine", ES7),
        ("S/RES/2774", "SC", "2025-02-24", "resolution", "", 3, 0, 2, True, "The path to peace", SC),
    ]
    rc = pd.DataFrame([r[:10] for r in rolls], columns=["vote_id", "body", "date", "kind", "part_of", "yes", "no",
                                                        "abstain", "complete", "title"])
    rc["date"] = pd.to_datetime(rc["date"])
    rc["absent"] = pd.array([None] * len(rc), dtype="Int64")
    rc["source"] = "test"
    votes = pd.DataFrame([(r[0], s, v) for r in rolls for s, v in r[10].items()], columns=["vote_id", "iso3", "vote"])
    groups = {"NGA": "African", "ZAF": "African", "ETH": "African", "CHN": "Asia-Pacific", "IND": "Asia-Pacific",
              "KAZ": "Asia-Pacific", "USA": "Western European and Others", "FRA": "Western European and Others",
              "GBR": "Western European and Others", "RUS": "Eastern European", "BLR": "Eastern European",
              "ARM": "Eastern European"}
    countries = pd.DataFrame({"iso3": list(groups), "name": list(groups), "un_group": list(groups.values()),
                              "member_csto": [s in ("RUS", "BLR", "KAZ", "ARM") for s in groups]})
    return Tables(rc, votes, countries, sources or {}, totals or {})


def verdict(spec: str, tables: Tables | None = None, article: str = "") -> str:
    return claims.evaluate(spec, tables or _tables(), article).verdict


# ---------------------------------------------------------------- each kind, holding and failing


def test_vote_of():
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/4; states=IND,CHN; expected=abstain") == CONFIRMED
    result = claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/4; states=IND,USA; expected=abstain", _tables())
    assert result.verdict == REFUTED and "USA: yes" in result.evidence
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/4; states=USA; expected=abstain|no") == REFUTED
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/4; states=ETH; expected=absent|abstain") == CONFIRMED
    # on the Council roll call a state not listed was not on the Council: the claim is false
    assert verdict("kind=vote_of; vote_id=S/RES/2774; states=IND; expected=yes") == REFUTED


def test_vote_of_on_a_partial_roll_call_is_not_checkable_for_unlisted_states():
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=USA,RUS; expected=no") == CONFIRMED
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=CHN; expected=yes") == REFUTED  # listed: abstain
    # India (a member) is not listed: its vote is unknown, so "India abstained" can be neither confirmed nor refuted
    result = claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/7; states=IND; expected=abstain", _tables())
    assert result.verdict == NOT_CHECKABLE and "unknown" in result.evidence
    # ...but every "no" vote is listed (3 of 3 published), so "India voted no" is refuted
    result = claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/7; states=IND; expected=no", _tables())
    assert result.verdict == REFUTED and "every no vote is listed" in result.evidence
    # one known state confirmed and one unknown: not checkable as a whole
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=USA,IND; expected=no") == REFUTED
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=CHN,IND; expected=abstain") == NOT_CHECKABLE


def test_missing_roll_call_is_not_checkable():
    result = claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/8; states=USA; expected=abstain", _tables())
    assert result.verdict == NOT_CHECKABLE and "A/RES/ES-11/8 is not in the processed data" in result.evidence


def test_same_vote():
    assert verdict("kind=same_vote; vote_ids=A/RES/ES-11/7,S/RES/2774; states=USA,RUS") == CONFIRMED
    assert verdict("kind=same_vote; vote_ids=A/RES/ES-11/4,S/RES/2774; states=USA,RUS") == REFUTED
    assert verdict("kind=same_vote; vote_ids=A/RES/ES-11/7; states=USA,IND") == NOT_CHECKABLE


def test_tally_published_and_counted():
    assert verdict("kind=tally; vote_id=A/RES/ES-11/4; yes=3; no=2; abstain=5") == CONFIRMED
    assert verdict("kind=tally; vote_id=A/RES/ES-11/4; yes=4") == REFUTED
    # absent has no published total: counted from the complete roll call (1), or members - yes - no - abstain
    assert verdict("kind=tally; vote_id=A/RES/ES-11/4; absent=1") == CONFIRMED
    assert verdict("kind=tally; vote_id=A/RES/ES-11/4; absent=2") == REFUTED
    # partial roll call: the published totals decide
    assert verdict("kind=tally; vote_id=A/RES/ES-11/7; yes=93; no=3; abstain=65") == CONFIRMED
    assert verdict("kind=tally; vote_id=A/RES/ES-11/7; no=18") == REFUTED


def test_tally_where_published_and_listed_disagree_is_refuted():
    es4 = dict(ES4, ETH="yes")  # 4 yes listed against 3 published
    result = claims.evaluate("kind=tally; vote_id=A/RES/ES-11/4; yes=3", _tables(es4=es4))
    assert result.verdict == REFUTED and "counted from the country votes 4" in result.evidence


def test_voters_exactly():
    assert verdict("kind=voters_exactly; vote_id=A/RES/ES-11/4; vote=no; states=RUS,BLR") == CONFIRMED
    result = claims.evaluate("kind=voters_exactly; vote_id=A/RES/ES-11/4; vote=no; states=RUS,BLR,CHN", _tables())
    assert result.verdict == REFUTED and "claimed but did not: CHN" in result.evidence
    assert verdict("kind=voters_exactly; vote_id=A/RES/ES-11/4; vote=no; states=RUS") == REFUTED
    # all 3 "no" votes of the partial roll call are listed, so the list is known
    assert verdict("kind=voters_exactly; vote_id=A/RES/ES-11/7; vote=no; states=USA,RUS,BLR") == CONFIRMED
    # only 1 of 65 abstentions listed
    assert verdict("kind=voters_exactly; vote_id=A/RES/ES-11/7; vote=abstain; states=CHN,IND") == NOT_CHECKABLE


def test_share_of_members():
    # 3 yes of 11 members = 27%
    assert verdict("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=yes; expected=0.25; tolerance=0.05") == CONFIRMED
    assert verdict("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=yes; expected=0.75; tolerance=0.05") == REFUTED
    assert verdict("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=abstain; more_than=0.4") == CONFIRMED
    assert verdict("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=yes; more_than=0.5") == REFUTED
    # partial GA roll call: members from the UN membership table on the date (193), totals as published
    result = claims.evaluate("kind=share_of_members; vote_id=A/RES/ES-11/7; vote=yes; more_than=0.45", _tables())
    assert result.verdict == CONFIRMED and "93 yes of 193 members" in result.evidence


def test_members():
    assert verdict("kind=members; vote_id=A/RES/ES-11/4; expected=11") == CONFIRMED
    assert verdict("kind=members; vote_id=A/RES/ES-11/4; expected=193") == REFUTED
    assert verdict("kind=members; vote_id=A/RES/ES-11/7; expected=193") == CONFIRMED
    assert verdict("kind=members; vote_id=S/RES/2774; expected=5") == CONFIRMED
    assert verdict("kind=members; vote_id=S/RES/2774; expected=15") == REFUTED


def test_weekday_and_date():
    assert verdict("kind=weekday; vote_id=A/RES/ES-11/4; expected=Wednesday") == CONFIRMED
    assert verdict("kind=weekday; vote_id=A/RES/ES-11/4; expected=tuesday") == REFUTED
    assert verdict("kind=date; vote_id=S/RES/2774; expected=2025-02-24") == CONFIRMED
    assert verdict("kind=date; vote_id=A/RES/ES-11/1; expected=2022-03") == CONFIRMED
    assert verdict("kind=date; vote_id=A/RES/ES-11/1; expected=2022-02") == REFUTED


def test_group_share():
    # abstainers on ES-11/4 less India and China: KAZ, ARM, ZAF -> 1 of 3 African
    spec = ("kind=group_share; vote_id=A/RES/ES-11/4; vote=abstain; group=un_group:African; exclude=IND,CHN; "
            "more_than={}")
    assert verdict(spec.format(0.3)) == CONFIRMED
    result = claims.evaluate(spec.format(0.5), _tables())
    assert result.verdict == REFUTED and "1 (33%) are in the African Group" in result.evidence
    # on a partial roll call the abstainers are not all known
    assert verdict("kind=group_share; vote_id=A/RES/ES-11/7; vote=abstain; group=un_group:African; "
                   "more_than=0.5") == NOT_CHECKABLE


def test_count_in_group():
    spec = ("kind=count_in_group; vote_id=A/RES/ES-11/1; votes=no|abstain|absent; group=member_csto; exclude=RUS; "
            "at_least={}")
    assert verdict(spec.format(3)) == CONFIRMED  # BLR no, KAZ and ARM abstain
    assert verdict(spec.format(4)) == REFUTED
    african_yes = "kind=count_in_group; vote_id=A/RES/ES-11/1; votes=yes; group=un_group:African; at_least={}"
    assert verdict(african_yes.format(2)) == REFUTED  # only Nigeria
    assert verdict(african_yes.format(1)) == CONFIRMED
    # KAZ and ARM are unknown on the partial roll call: 1 known (BLR) + 2 unknown may still reach 3
    assert verdict("kind=count_in_group; vote_id=A/RES/ES-11/7; votes=no|abstain; group=member_csto; exclude=RUS; "
                   "at_least=3") == NOT_CHECKABLE


def test_all_votes_by_ids_and_by_catalogue_window():
    assert verdict("kind=all_votes; state=USA; expected=yes; vote_ids=A/RES/ES-11/1,A/RES/ES-11/4,A/RES/ES-11/6") \
        == CONFIRMED
    result = claims.evaluate("kind=all_votes; state=CHN; expected=abstain; between=2022-02-24..2023-04-25; body=GA",
                             _tables())
    # the catalogue's votes in the window that the fixture holds: ES-11/1, ES-11/4, ES-11/6 (CHN no)
    assert result.verdict == REFUTED and "no on ES-11/6" in result.evidence
    assert "not in the data: A/RES/ES-11/2" in result.evidence
    # Kazakhstan abstained on the three in the fixture, but the others of the window are not there
    assert verdict("kind=all_votes; state=KAZ; expected=abstain; between=2022-02-24..2023-04-25; body=GA") \
        == NOT_CHECKABLE
    assert verdict("kind=all_votes; state=KAZ; expected=abstain; vote_ids=A/RES/ES-11/1,A/RES/ES-11/4,A/RES/ES-11/6") \
        == CONFIRMED


def test_first_time():
    spec = "kind=first_time; state={}; vote_id=A/RES/ES-11/7; vote=no; since=2022-01-01; body=GA"
    # the fixture lacks catalogued votes ES-11/2, ES-11/3 ...: the USA's record there is unknown
    result = claims.evaluate(spec.format("USA"), _tables())
    assert result.verdict == NOT_CHECKABLE and "A/RES/ES-11/2" in result.evidence
    full = "kind=first_time; state={}; vote_id=A/RES/ES-11/6; vote={}; vote_ids=A/RES/ES-11/1,A/RES/ES-11/4,S/RES/2774"
    assert verdict(full.format("CHN", "no")) == CONFIRMED  # abstained on ES-11/1 and ES-11/4; S/RES/2774 is later
    assert verdict(full.format("BLR", "no")) == REFUTED  # voted no on ES-11/1 and ES-11/4 already
    assert verdict(full.format("CHN", "yes")) == REFUTED  # it did not vote yes on ES-11/6 at all


def test_compare_count():
    spec = "kind=compare_count; vote_id=A/RES/ES-11/1; count=yes; rule={}; vote_ids=A/RES/ES-11/4,A/RES/ES-11/6"
    assert verdict(spec.format("below_median")) == CONFIRMED  # 3 < median(3, 4) = 3.5
    assert verdict(spec.format("below_all")) == REFUTED  # ties ES-11/4's 3
    with pytest.raises(UnvotesError, match="below_median or below_all"):
        claims.evaluate(spec.format("lower"), _tables())


def test_similar():
    assert verdict("kind=similar; vote_id=A/RES/ES-11/4; other=A/RES/ES-11/1; min_agreement=0.9") == CONFIRMED
    result = claims.evaluate("kind=similar; vote_id=A/RES/ES-11/6; other=A/RES/ES-11/1; min_agreement=0.9", _tables())
    assert result.verdict == REFUTED and "8 of the 11 states" in result.evidence
    assert verdict("kind=similar; vote_id=A/RES/ES-11/7; other=A/RES/ES-11/1; min_agreement=0.5") == NOT_CHECKABLE


def test_part_vote():
    assert verdict("kind=part_vote; whole=A/RES/ES-11/6; part_kind=paragraph") == CONFIRMED
    assert verdict("kind=part_vote; whole=A/RES/ES-11/6; part_kind=paragraph; label_contains=paragraph 2; "
                   "adopted=true") == CONFIRMED
    assert verdict("kind=part_vote; whole=A/RES/ES-11/6; part_kind=paragraph; adopted=false") == REFUTED
    result = claims.evaluate("kind=part_vote; whole=A/RES/ES-11/4; part_kind=paragraph", _tables())
    assert result.verdict == NOT_CHECKABLE and "proves nothing" in result.evidence
    assert claims.evaluate("kind=part_vote; whole=S/RES/2774; part_kind=amendment; reason=Not recorded here.",
                           _tables()).evidence == "Not recorded here."


def test_title_contains():
    assert verdict("kind=title_contains; vote_id=A/RES/ES-11/7; text=Advancing a Comprehensive, Just, and Lasting "
                   "Peace in Ukraine") == CONFIRMED
    assert verdict("kind=title_contains; vote_id=A/RES/ES-11/7; text=Path to peace") == REFUTED


def test_not_checkable():
    result = claims.evaluate("kind=not_checkable; reason=About a speech.", _tables())
    assert result == claims.Result(NOT_CHECKABLE, "About a speech.")


# ---------------------------------------------------------------- evidence resting on the article itself


def test_a_vote_recorded_only_from_the_article_cannot_confirm_it():
    only_seed = {("A/RES/ES-11/7", "CHN"): "Seed article 001_a1c0ee2f29c68514: 'China abstained'",
                 ("A/RES/ES-11/7", "USA"): "Seed article 001_a1c0ee2f29c68514; Reuters, https://example.org/x"}
    t = _tables(sources=only_seed)
    spec = "kind=vote_of; vote_id=A/RES/ES-11/7; states=CHN; expected=abstain"
    result = claims.evaluate(spec, t, ARTICLE)
    assert result.verdict == NOT_CHECKABLE and "only on the word of this very article" in result.evidence
    assert claims.evaluate(spec, t, "003_1088f6a4628cbe55.txt").verdict == CONFIRMED  # another article's claim
    # an independent source beside the article is enough
    assert claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/7; states=USA; expected=no", t, ARTICLE).verdict \
        == CONFIRMED
    # evidence resting on the article judges none of its claims, either way
    assert claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/7; states=CHN; expected=yes", t, ARTICLE).verdict \
        == NOT_CHECKABLE
    assert claims.evaluate("kind=same_vote; vote_ids=A/RES/ES-11/7; states=USA,CHN", t, ARTICLE).verdict \
        == NOT_CHECKABLE
    assert claims.evaluate("kind=same_vote; vote_ids=A/RES/ES-11/7; states=USA,CHN", t).verdict == REFUTED


def test_totals_recorded_only_from_the_article_cannot_confirm_them():
    t = _tables(totals={"A/RES/ES-11/7": "Seed article 001_a1c0ee2f29c68514 ('93 votes')"})
    assert claims.evaluate("kind=tally; vote_id=A/RES/ES-11/7; yes=93", t, ARTICLE).verdict == NOT_CHECKABLE
    t = _tables(totals={"A/RES/ES-11/7": "Seed articles 001_a1c0ee2f29c68514 and 003_1088f6a4628cbe55"})
    assert claims.evaluate("kind=tally; vote_id=A/RES/ES-11/7; yes=93", t, ARTICLE).verdict == CONFIRMED


def test_evidence_from_a_single_press_report_is_single_source_never_confirmed_or_refuted():
    single = "Shepherd Gazette, https://example.org/x; a single press source, not verified against A/77/PV.86"
    t = _tables(sources={("A/RES/ES-11/7", "CHN"): single, ("A/RES/ES-11/7", "USA"): "Reuters, https://example.org/y"},
                totals={"A/RES/ES-11/7": "press reports, unverified"})
    vote = "kind=vote_of; vote_id=A/RES/ES-11/7; states=CHN; expected="
    agree, disagree = claims.evaluate(vote + "abstain", t), claims.evaluate(vote + "yes", t)
    assert agree.verdict == disagree.verdict == SINGLE_SOURCE
    assert "agrees with the claim" in agree.evidence and "contradicts the claim" in disagree.evidence
    # a confirmed part beside a single-source part: the claim is single source; an independent refutation wins
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=USA,CHN; expected=no|abstain", t) == SINGLE_SOURCE
    assert verdict("kind=vote_of; vote_id=A/RES/ES-11/7; states=USA,CHN; expected=abstain", t) == REFUTED
    # totals from one press report: a tally or share rests on them alone
    assert verdict("kind=tally; vote_id=A/RES/ES-11/7; yes=93", t) == SINGLE_SOURCE
    assert verdict("kind=share_of_members; vote_id=A/RES/ES-11/7; vote=yes; more_than=0.4", t) == SINGLE_SOURCE
    # the same records, cited to an independent source, confirm
    assert verdict(vote + "abstain", _tables(sources={("A/RES/ES-11/7", "CHN"): "Reuters"})) == CONFIRMED


@pytest.mark.parametrize("source, expected", [
    ("Seed article 001_a1c0ee2f29c68514: 'quoted'", True),
    ("Seed article 001_a1c0ee2f29c68514; Interfax, https://en.interfax.com.ua/x", False),
    ("Seed article 001_a1c0ee2f29c68514; meeting record A/ES-11/PV.20", False),
    ("Seed article 001_a1c0ee2f29c68514; S/PV.9865", False),
    ("Seed articles 001_a1c0ee2f29c68514 and 003_1088f6a4628cbe55", False),
    ("UN press release", False),
])
def test_rests_on_article(source, expected):
    assert claims.rests_on_article(source, ARTICLE) is expected


# ---------------------------------------------------------------- specs and the claims file


@pytest.mark.parametrize("spec, message", [
    ("kind=vote_on; vote_id=X", "unknown check kind 'vote_on'"),
    ("kind=vote_of; vote_id=A/RES/ES-11/4; expected=yes", "needs states"),
    ("kind=tally; vote_id A/RES/ES-11/4", "is not key=value"),
])
def test_bad_specs_are_clear_errors(spec, message):
    with pytest.raises(UnvotesError, match=message):
        claims.parse_check(spec, where="line 7 (x)")


def test_bad_vote_value_is_a_clear_error():
    with pytest.raises(UnvotesError, match=r"check: expected \['abstained'\] is not a vote value"):
        claims.evaluate("kind=vote_of; vote_id=A/RES/ES-11/4; states=CHN; expected=abstained", _tables())
    with pytest.raises(UnvotesError, match=r"line 9 \(y\): votes \['maybe'\] is not a vote value"):
        claims.parse_check("kind=count_in_group; vote_id=A; votes=no|maybe; group=AU; at_least=1", where="line 9 (y)")


def test_an_unknown_state_is_an_error_not_a_verdict():
    """states=XXX used to become "refuted: not a member": a typo must not publish a verdict."""
    with pytest.raises(UnvotesError, match=r"line 7 \(x\): states \['XXX'\] are not ISO3 codes"):
        claims.parse_check("kind=vote_of; vote_id=A/RES/ES-11/4; states=CHN,XXX; expected=abstain", where="line 7 (x)")
    with pytest.raises(UnvotesError, match=r"state \['China'\] are not ISO3 codes"):
        claims.parse_check("kind=all_votes; state=China; expected=abstain; vote_ids=A/RES/ES-11/4")


@pytest.mark.parametrize("spec, message", [
    # a misspelt key was ignored: the tally was "confirmed" on the other counts
    ("kind=tally; vote_id=A/RES/ES-11/4; yes=143; abstian=33",
     r"line 7 \(x\): check tally takes no parameter\(s\) \['abstian'\] \(did you mean 'abstain'"),
    ("kind=vote_of; vote_id=A/RES/ES-11/4; states=CHN; expectd=abstain", r"needs expected"),
    ("kind=vote_of; vote_id=A/RES/ES-11/4; states=CHN; expected=abstain; noo=1", r"takes no parameter\(s\) \['noo'\]"),
    # a percent for a fraction was a verdict on 7500%
    ("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=yes; expected=75; tolerance=0.05",
     r"expected '75' is not a share \(a fraction from 0 to 1\); for 75% write 0.75"),
    ("kind=share_of_members; vote_id=A/RES/ES-11/4; vote=yes; expected=0.75", r"needs expected and tolerance, or more_than"),
    ("kind=group_share; vote_id=A/RES/ES-11/4; vote=no; group=member_csto; more_than=abc", r"more_than 'abc' is not a share"),
    ("kind=tally; vote_id=A/RES/ES-11/4; yes=abc", r"yes 'abc' is not a whole number"),
    ("kind=members; vote_id=A/RES/ES-11/4; expected=19.3", r"expected '19.3' is not a whole number"),
    # a mistyped vote id was "not checkable"
    ("kind=tally; vote_id=A/RES/ES-11/44; yes=1", r"vote_id 'A/RES/ES-11/44' is neither in .*ukraine_votes.csv nor in the "
                                                  r"processed roll calls \(did you mean 'A/RES/ES-11/4'"),
    ("kind=tally; vote_id=a/res/es-11/4; yes=1", r"\(did you mean 'A/RES/ES-11/4'\?\)"),
    ("kind=similar; vote_id=A/RES/ES-11/4; other=A/RES/ES-11/99; min_agreement=0.5", r"other 'A/RES/ES-11/99'"),
])
def test_parameters_are_checked_against_the_kind_of_check(spec, message):
    with pytest.raises(UnvotesError, match=message):
        claims.parse_check(spec, where="line 7 (x)")


def test_claims_file_is_well_formed_and_covers_every_seed_article():
    c = claims.load()
    assert c["claim_id"].is_unique and len(c) >= 50
    for spec in c["check"]:
        claims.parse_check(spec)
    seeds = claims.seed_files()
    if not seeds:
        pytest.skip(f"no seed articles in {claims.seeds_dir()}")
    assert set(c["article"]) == set(seeds)
    assert claims.quote_problems(c) == []


def test_quote_problems_names_the_claim(tmp_path):
    (tmp_path / "a.txt").write_text("The vote was 93-18-65.", encoding="utf-8")
    c = pd.DataFrame({"claim_id": ["x1", "x2", "x3"], "article": ["a.txt", "a.txt", "b.txt"],
                      "quote": ["The vote was 93-18-65.", "The vote was 93-18-66.", "Anything."]})
    problems = claims.quote_problems(c, tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("x2: quote not found") and problems[1].startswith("x3: no article")


def test_evaluate_all_rejects_unknown_articles():
    with pytest.raises(UnvotesError, match="no claims for article"):
        claims.evaluate_all(["999_nothing.txt"], tables=_tables())


# ---------------------------------------------------------------- the articles as a reader cites them


def test_articles_table_covers_every_article_with_claims():
    a = claims.articles()
    assert list(a.columns) == claims.ARTICLE_COLUMNS and a["article"].is_unique
    assert set(claims.load()["article"]) <= set(a["article"])
    assert a["citation"].str.strip().ne("").all()
    dated = a.loc[a["date"] != "", "date"]
    assert pd.to_datetime(dated, format="%Y-%m-%d").notna().all()
    seeds = claims.seed_files()
    if not seeds:
        pytest.skip(f"no seed articles in {claims.seeds_dir()}")
    for r in a.itertuples():  # a headline taken from the text is in the text, word for word
        text = (claims.seeds_dir() / r.article).read_text(encoding="utf-8")
        assert r.headline in text, r.article


def _external_copy(tmp_path, monkeypatch):
    import shutil

    from unvotes import paths

    ext = tmp_path / "external"
    shutil.copytree(paths.external_dir(), ext)
    monkeypatch.setattr(paths, "external_dir", lambda: ext)
    return ext / claims.ARTICLES_FILE


def test_a_bad_date_names_the_file_line_and_value(tmp_path, monkeypatch):
    f = _external_copy(tmp_path, monkeypatch)
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.loc[df["article"] == "003_1088f6a4628cbe55.txt", "date"] = "2025/02/25"
    df.loc[df["article"] == "000_cab51b8e2528f564.txt", "date"] = "2022-10-32"  # not a day
    df.to_csv(f, index=False)
    line_003 = int(df.index[df["article"] == "003_1088f6a4628cbe55.txt"][0]) + 2
    with pytest.raises(UnvotesError, match=r"news_articles\.csv: 2 problem\(s\):\n  line 2, column 'date': "
                                           r"'2022-10-32' is not a YYYY-MM-DD date") as err:
        claims.articles()
    assert f"line {line_003}, column 'date': '2025/02/25' is not a YYYY-MM-DD date" in str(err.value)
    with pytest.raises(UnvotesError, match="news_articles"):
        claims.report_markdown(pd.DataFrame(columns=["article", "verdict", "quote"]))


def test_an_article_with_claims_but_no_row_is_an_error(tmp_path, monkeypatch):
    f = _external_copy(tmp_path, monkeypatch)
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df[df["article"] != "004_2bd3a14c6b6e0df8.txt"].to_csv(f, index=False)
    with pytest.raises(UnvotesError, match=r"news_articles\.csv: no row for \['004_2bd3a14c6b6e0df8\.txt'\], named in "
                                           r"data/external/claims\.csv"):
        claims.articles()


def test_article_title_leaves_gaps_out():
    t = pd.DataFrame({"article": ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"],
                      "outlet": ["Newsweek", "Newsweek", "", "", ""],
                      "headline": ["Kremlin isolated", "", "Kremlin isolated", "", ""],
                      "date": ["2022-10-12", "", "", "2025-02-05", ""], "url": [""] * 5, "citation": ["x"] * 5})
    assert claims.article_title("a.txt", t) == "Newsweek, 'Kremlin isolated' (12 October 2022)"
    assert claims.article_title("b.txt", t) == "Newsweek"
    assert claims.article_title("c.txt", t) == "'Kremlin isolated'"
    assert claims.article_title("d.txt", t) == "5 February 2025"
    assert claims.article_title("e.txt", t) == "e.txt"  # nothing known: the file name
    assert claims.article_title("z.txt", t) == "z.txt"  # no row
    # two articles with the same title are told apart by their file
    t2 = t.assign(article=["a.txt", "b.txt", "c.txt", "d.txt", "f.txt"], outlet="Newsweek", headline="", date="")
    assert claims.article_labels(["a.txt", "b.txt"], t2) == {"a.txt": "Newsweek (a.txt)", "b.txt": "Newsweek (b.txt)"}


def _evaluated() -> pd.DataFrame:
    rows = [("001-00", "001_a1c0ee2f29c68514.txt", "93 member states approve", CONFIRMED),
            ("001-01", "001_a1c0ee2f29c68514.txt", "17 other countries", NOT_CHECKABLE),
            ("000-00", "000_cab51b8e2528f564.txt", "143 supporting it", REFUTED)]
    return pd.DataFrame([{"claim_id": i, "article": a, "quote": q, "claim": "c", "kind": "not_checkable",
                          "check": "kind=not_checkable; reason=r", "notes": "", "verdict": v, "evidence": "e"}
                         for i, a, q, v in rows])


def test_report_and_summary_name_articles_by_outlet_and_headline():
    e = _evaluated()
    md = claims.report_markdown(e)
    assert "### TV360 Nigeria, 'U.S. and Russia Align in UN Votes on Ukraine, Reflecting Deepening Global Divide'" in md
    assert "### Newsweek\n" in md
    assert "### 001_a1c0ee2f29c68514.txt" not in md and "### 000_cab51b8e2528f564.txt" not in md
    # no file names and no raw rules in the reader's text: the rule in plain words; both behind a <details>
    assert "001_a1c0ee2f29c68514.txt" not in md and "kind=" not in md and "Check:" not in md
    assert "How we checked: Not checked against the recorded votes: r." in md
    rules = claims.rules_html(e)
    assert rules.startswith("<details>") and "001_a1c0ee2f29c68514.txt" in rules and "kind=not_checkable" in rules
    listed = claims.articles_markdown(e)
    assert ("- **TV360 Nigeria**, “U.S. and Russia Align in UN Votes on Ukraine, Reflecting Deepening Global Divide”, "
            "date not given in the text, [read the article](https://tv360nigeria.com/") in listed
    assert "- **Newsweek**, headline not given in the text, date not given in the text, no web address known: 1 claim" in listed
    # the article's own link where news_articles.csv gives one; a stated gap where it does not
    url = claims.articles().set_index("article").at["001_a1c0ee2f29c68514.txt", "url"]
    assert url.startswith("https://") and f"[Read the article]({url})" in md
    assert "No web address known for this article" in md.split("### TV360")[0]  # Newsweek: none known
    assert md.index("### Newsweek") < md.index("### TV360")  # sections in file order
    s = claims.summary(e)
    assert list(s.index) == ["Newsweek", "TV360 Nigeria, 'U.S. and Russia Align in UN Votes on Ukraine, Reflecting "
                                         "Deepening Global Divide'", "total"]
    assert list(s["file"]) == ["000_cab51b8e2528f564.txt", "001_a1c0ee2f29c68514.txt", ""]
    assert s.loc["total", claims.VERDICTS].tolist() == [1, 1, 0, 1] and s.loc["total", "total"] == 3


# ---------------------------------------------------------------- the real data


def test_real_verdicts_of_key_claims(in_data_dir):
    e = claims.evaluate_all().set_index("claim_id")
    assert set(e["verdict"]) <= set(claims.VERDICTS) and e["evidence"].str.len().gt(0).all()
    # seed 000: ES-11/4 adopted 143-5-35; Russia joined by exactly Belarus, North Korea, Nicaragua, Syria
    assert e.loc["000-04", "verdict"] == CONFIRMED and "published 143" in e.loc["000-04", "evidence"]
    assert e.loc["000-05", "verdict"] == CONFIRMED
    assert e.loc["000-03", "verdict"] == CONFIRMED
    assert e.loc["000-07", "verdict"] == CONFIRMED  # 10 members did not vote
    assert e.loc["000-12", "verdict"] == CONFIRMED and "19 (58%)" in e.loc["000-12", "evidence"]
    # seed 002: the vote on A/77/L.65 was on a Wednesday, and China had voted no before (not only abstained)
    assert e.loc["002-05", "verdict"] == REFUTED and "Wednesday" in e.loc["002-05", "evidence"]
    assert e.loc["002-06", "verdict"] == REFUTED and "no on ES-11/3, ES-11/5, 77/229" in e.loc["002-06", "evidence"]
    assert e.loc["002-03", "verdict"] == CONFIRMED
    # the paragraph-9 vote's totals come from one press report: retained, but only on its word
    assert e.loc["002-10", "verdict"] == SINGLE_SOURCE and "single press report" in e.loc["002-10", "evidence"]
    # seed 003: the United States voted yes on every catalogued General Assembly vote before 2025
    assert e.loc["003-02", "verdict"] == CONFIRMED


def test_plot_and_headline_name_articles(in_data_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    e = claims.evaluate_all()
    ax = claims.plot_summary(e)
    labels = " ".join(t.get_text().replace("\n", " ") for t in ax.get_yticklabels())
    plt.close(ax.figure)
    assert "Newsweek" in labels and "News Centre24, 'US Shifts Stance at UN" in labels and ".txt" not in labels
    assert f"in the {e['article'].nunique()} news articles that started this project" in claims.headline(e)


def test_each_rule_is_put_in_plain_words(in_data_dir):
    """The claims page says how each claim was checked in words ("we count the abstentions on ..."), never as the
    rule the program reads; every kind of check has its words."""
    said = claims.rule_in_words("kind=tally; vote_id=A/RES/ES-11/4; abstain=35")
    assert said == ("We count the abstentions on A/RES/ES-11/4 in the recorded votes and the published totals, and "
                    "compare them with the claim's 35 abstentions.")
    assert claims.rule_in_words("kind=vote_of; vote_id=A/RES/ES-11/7; states=IND,CHN; expected=abstain|no") == (
        "We look up the vote of India and China on A/RES/ES-11/7 in the recorded votes; the claim says abstain or no.")
    assert "share from the African Group; the claim says more than 50%" in claims.rule_in_words(
        "kind=group_share; vote_id=A/RES/ES-11/4; vote=abstain; group=un_group:African; more_than=0.5")
    assert "every catalogued vote of the General Assembly on the war from 2022-02-24 to 2023-04-25" in claims.rule_in_words(
        "kind=all_votes; state=CHN; expected=abstain; between=2022-02-24..2023-04-25; body=GA")
    for spec in claims.load()["check"]:
        words = claims.rule_in_words(spec)
        assert "kind=" not in words and "Checked with the rule" not in words and "_" not in words, (spec, words)
