"""The numbers behind the resolution profiles and the overview: group counts, shares, map coverage,
the heat map's ordering, the catalogue's availability flags."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import unvotes  # noqa: E402
from unvotes.tables import catalogue  # noqa: E402
from unvotes.analyses import plotting, profile, trends  # noqa: E402
from unvotes.errors import UnknownVoteError, UnvotesError  # noqa: E402


def test_votes_by_group_add_up_to_the_tally_and_match_known_counts(in_data_dir):
    table = profile.by_group("A/RES/ES-11/4", "un_group")
    assert table.loc["African", ["yes", "abstain", "no", "absent", "total"]].tolist() == [30, 19, 0, 5, 54]
    assert table.loc["Western European and Others", "yes"] == table.loc["Western European and Others", "total"] == 29
    assert table[plotting.VOTE_ORDER].sum().to_dict() == unvotes.tally("A/RES/ES-11/4").to_dict()
    by_continent = profile.by_group("A/RES/ES-11/4", "continent")
    assert by_continent["total"].sum() == 193 and by_continent.loc["Africa", "abstain"] == 19


def test_unknown_grouping_names_the_choices(in_data_dir):
    with pytest.raises(UnvotesError, match="choose one of \\['continent', 'un_group'\\]"):
        profile.by_group("A/RES/ES-11/4", "religion")


def test_states_by_vote_lists_the_five_no_votes_on_es_11_4(in_data_dir):
    lists = profile.states_by_vote("A/RES/ES-11/4")
    assert lists["no"] == ["Belarus", "Democratic People's Republic of Korea", "Nicaragua", "Russian Federation",
                           "Syrian Arab Republic"]
    assert len(lists["abstain"]) == 35 and "China" in lists["abstain"]
    assert "**Voted no (5):** Belarus" in profile.vote_lists("A/RES/ES-11/4")


def test_map_leaves_out_small_states_only(in_data_dir, mirror):
    small = profile.too_small_to_show("A/RES/ES-11/4")
    assert {"Tuvalu", "Nauru", "Monaco", "Singapore"} <= set(small)
    assert not {"France", "Norway", "Somalia", "Cyprus"} & set(small)  # ISO codes fixed / territories merged
    ax = profile.plot_map("A/RES/ES-11/4")
    assert ax.get_title() == "A/RES/ES-11/4: how each member state voted"
    assert any("Natural Earth" in t.get_text() for t in ax.figure.texts)


def test_shares_per_vote_and_for_the_african_group(in_data_dir):
    everyone = trends.shares(["A/RES/ES-11/1"]).set_index("vote")
    assert everyone.loc["yes", "n"] == 141 and everyone.loc["yes", "share"] == pytest.approx(141 / 193)
    african = trends.shares(["A/RES/ES-11/1"], "African").set_index("vote")
    assert african["n"].sum() == 54 and african.loc["abstain", "n"] == 17
    with pytest.raises(UnvotesError, match="unknown UN regional group 'Africa'"):
        trends.shares(["A/RES/ES-11/1"], "Africa")


def test_heatmap_orders_states_from_most_to_least_supportive(in_data_dir):
    ids = trends.complete_votes()["vote_id"].tolist()
    m = trends.heatmap_matrix(ids)
    assert m.shape == (193, len(ids))
    assert m.index[-1] in {"Russian Federation", "Belarus", "Democratic People's Republic of Korea", "Syrian Arab Republic"}
    # Ukraine voted yes on every catalogued vote but the amended US text ES-11/8, on which it abstained
    assert m.loc["Ukraine"].drop("A/RES/ES-11/8").eq(0).all() and m.loc["Ukraine", "A/RES/ES-11/8"] == 1
    yes_share = (m == 0).sum(axis=1) / m.notna().sum(axis=1)
    assert yes_share.is_monotonic_decreasing  # most yes votes first: no order assumed among abstain, absent, no


def test_catalogue_flags_what_the_data_hold(in_data_dir):
    cat = catalogue.load().set_index("vote_id")
    assert cat.loc["A/RES/ES-11/4", ["available", "complete", "n_states"]].tolist() == [True, True, 193]
    assert cat.loc["A/RES/ES-11/9", ["available", "complete", "n_states"]].tolist() == [True, True, 193]
    # derived from the annual counts (unga-2025) minus the votes of 10 March 2026: complete
    assert cat.loc["A/RES/ES-11/10", ["available", "complete", "n_states"]].tolist() == [True, True, 193]
    assert cat.loc["S/2022/155", ["available", "complete", "n_states"]].tolist() == [True, True, 15]
    complete = trends.complete_votes()["vote_id"].tolist()
    assert "A/RES/68/262" in complete and "A/RES/ES-11/10" in complete
    assert cat["date"].dropna().is_monotonic_increasing
    with pytest.raises(UnknownVoteError, match="Did you mean: A/RES/ES-11/4"):
        catalogue.entry("A/RES/ES-11/44")
    catalogue.check_available(["A/RES/ES-11/9", "A/RES/ES-11/10"])


def test_catalogue_file_errors_name_the_problem(tmp_path, monkeypatch):
    bad = tmp_path / "external"
    bad.mkdir()
    (bad / catalogue.CATALOGUE_FILE).write_text(
        ",".join(catalogue.COLUMNS) + "\nA/RES/1,a,t,2020-01-01,A/RES/9,s\nA/RES/1,b,t,2020-01-02,,\n")
    monkeypatch.setattr(unvotes.paths, "external_dir", lambda: bad)
    with pytest.raises(UnvotesError) as err:
        catalogue.curated()
    message = str(err.value)
    assert "lines [2, 3]: the same vote_id (vote_id='A/RES/1') twice, conflicting" in message
    assert "line 3, column 'source': '' is empty" in message
    (bad / catalogue.CATALOGUE_FILE).write_text(",".join(catalogue.COLUMNS) + "\nA/RES/1,a,t,2020-01-01,A/RES/9,s\n")
    with pytest.raises(UnvotesError, match=r"compare_with names votes not in the catalogue: \['A/RES/9'\]"):
        catalogue.curated()


def test_describe_states_the_source_and_missing_totals(in_data_dir):
    text = profile.describe("A/RES/68/262")
    assert "27 March 2014" in text and "not published in the source" in text and "R unvotes" in text
    assert "Published result (yes-no-abstain): 143-5-35" in profile.describe("A/RES/ES-11/4")
    assert isinstance(pd.Timestamp(catalogue.entry("A/RES/68/262")["date"]), pd.Timestamp)


def test_council_map_greys_out_states_not_on_the_council(in_data_dir, mirror):
    ax = profile.plot_map("S/RES/2774")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["yes", "abstain", "not on the Security Council"]
    assert profile.by_group("S/RES/2774")["total"].sum() == 15


def test_text_from_the_data_is_escaped(in_data_dir, monkeypatch):
    import pandas as pd

    from unvotes import api

    real = api.roll_call

    def with_markup(vote_id):
        rc = real(vote_id).copy()
        rc["title"] = "<script>alert('x')</script> & more"
        return rc

    monkeypatch.setattr(api, "roll_call", with_markup)
    text = profile.describe("A/RES/ES-11/4")
    assert "<script>" not in text and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in text
