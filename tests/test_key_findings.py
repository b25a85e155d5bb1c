"""The key findings in plain words (issue 23): computed from the data and the models' tables, never typed, so a
change of the input changes the sentence; no model jargon in a sentence; the findings page shows them first,
in order, linked, with "how we know" one click further; a section page opens with its own."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from unvotes import api, report
from unvotes.site import key_findings

JARGON = ("AME", "Holm", "SD", "log TIV", "p =", "logit", "[", "FLMSA")
KEY_VOTES = ["A/RES/ES-11/4", "A/RES/ES-11/7"]


def _plain(sentence: str) -> None:
    for word in JARGON:
        assert word not in sentence, (word, sentence)


def _flip(monkeypatch, vote_id: str, iso3: str, to: str) -> None:
    """The votes table with one state's vote on one roll call changed."""
    votes = api.load_votes().copy()
    votes["vote"] = votes["vote"].astype(str)
    votes.loc[(votes["vote_id"] == vote_id) & (votes["iso3"] == iso3), "vote"] = to
    monkeypatch.setattr(api, "load_votes", lambda *a, **k: votes)


def test_support_counts_the_key_votes_and_follows_the_data(in_data_dir, monkeypatch):
    before = key_findings.support(KEY_VOTES)
    counts = key_findings.counts(KEY_VOTES)
    assert f"{counts.at['A/RES/ES-11/4', 'yes']} of the {counts.loc['A/RES/ES-11/4'].sum()} member states" in before.sentence
    assert "October 2022" in before.sentence and "February 2025" in before.sentence and "fell to" in before.sentence
    _plain(before.sentence)
    assert "A/RES/ES-11/7" in before.how
    kenya = api.load_votes().query("vote_id == 'A/RES/ES-11/4' and iso3 == 'KEN'")["vote"].astype(str).item()
    assert kenya == "yes"
    _flip(monkeypatch, "A/RES/ES-11/4", "KEN", "abstain")
    after = key_findings.support(KEY_VOTES)
    assert after.sentence != before.sentence
    assert f"{counts.at['A/RES/ES-11/4', 'yes'] - 1} of the" in after.sentence


def test_movers_count_the_states_that_left_yes_and_follow_the_data(in_data_dir, monkeypatch):
    before = key_findings.movers(*KEY_VOTES)
    _plain(before.sentence)
    n = int(before.sentence.split()[0])
    # a state that voted yes on both now abstains on the second: one more mover
    both_yes = api.load_votes().query("vote_id in @KEY_VOTES").pivot(index="iso3", columns="vote_id", values="vote")
    both_yes = both_yes[(both_yes[KEY_VOTES[0]].astype(str) == "yes") & (both_yes[KEY_VOTES[1]].astype(str) == "yes")]
    _flip(monkeypatch, KEY_VOTES[1], both_yes.index[0], "abstain")
    assert key_findings.movers(*KEY_VOTES).sentence.startswith(f"{n + 1} states that voted yes")


def test_the_groups_share_of_abstentions_follows_the_data(in_data_dir, monkeypatch):
    before = key_findings.africa_share(KEY_VOTES)
    assert "of the seats but cast" in before.sentence
    _plain(before.sentence)
    african_yes = (api.load_votes().query("vote_id == 'A/RES/ES-11/4' and vote == 'yes'")["iso3"]
                   .isin(api.load_countries().query("un_group == 'African'")["iso3"]))
    state = api.load_votes().query("vote_id == 'A/RES/ES-11/4' and vote == 'yes'")["iso3"][african_yes].iloc[0]
    _flip(monkeypatch, "A/RES/ES-11/4", state, "abstain")
    assert key_findings.africa_share(KEY_VOTES).sentence != before.sentence


def _effects(low: float, high: float) -> pd.DataFrame:
    return pd.DataFrame([
        {"term": "ideal_point_prewar", "covariate": "Pre-war ideal point (towards the US)", "unit": "+1 SD (0.4)",
         "effect_pp": (low + high) / 2, "low": low, "high": high},
        {"term": "member_arab_league_at_vote", "covariate": "Arab League member at the vote", "unit": "0 -> 1",
         "effect_pp": 1.0, "low": -3.0, "high": 5.0}])


def test_the_main_model_in_plain_words_gives_the_interval_and_follows_the_estimates():
    finding = key_findings.main_model(_effects(-22.4, -12.1), 28, 191, "2014-2026")
    assert "a voting record closer to the United States' before the war (less likely, by between 12 and 22 points" in finding.sentence
    assert "for 1 of the 2 traits measured the data cannot tell" in finding.sentence
    _plain(finding.sentence)
    assert "95% posterior intervals" in finding.how and "-22.4" in finding.how
    assert key_findings.main_model(_effects(-30.0, -10.0), 28, 191, "2014-2026").sentence != finding.sentence
    nothing = key_findings.main_model(_effects(-5.0, 3.0), 28, 191, "2014-2026")
    assert "no trait we measured is clearly associated" in nothing.sentence


def test_the_africa_model_names_only_what_holds_after_the_adjustment():
    table = pd.DataFrame([
        {"specification": "pre-specified Africa model", "term": "flmsa_party_gov", "covariate": "FLMSA party in government",
         "change": "0 -> 1", "ame": 0.32, "ci_low": 0.16, "ci_high": 0.47, "p_holm": 0.001},
        {"specification": "pre-specified Africa model", "term": "coup_within_3y", "covariate": "Coup",
         "change": "0 -> 1", "ame": -0.02, "ci_low": -0.48, "ci_high": 0.45, "p_holm": 1.0}])
    table.attrs = {"votes": ["A/RES/ES-11/1", "A/RES/ES-11/6"], "n_states": 53, "n_rows": 280}
    finding = key_findings.africa_model(table)
    assert ("a former southern African liberation movement in government (more likely, by between 16 and 47 points)"
            in finding.sentence)
    assert "1 of the 2 traits measured show no reliable link" in finding.sentence
    _plain(finding.sentence)
    # every trait that holds is named, not only the largest two (the "how we know" box lists them all)
    three = pd.concat([table] + [table.iloc[[0]].assign(term=t, covariate=c, ame=a, p_holm=0.01)
                                 for t, c, a in [("fh_total", "Freedom House score", -0.2),
                                                 ("ideal_point_prewar", "Pre-war ideal point", 0.1)]],
                      ignore_index=True)
    three.attrs = table.attrs
    named = key_findings.africa_model(three).sentence
    assert all(word in named for word in ("liberation movement", "Freedom House", "voting record closer")), named
    assert "Holm" in finding.how and "53 states" in finding.how
    table.loc[0, "p_holm"] = 0.2
    assert "none of the traits we measured" in key_findings.africa_model(table).sentence


def _rolling(cov_ci: tuple[float, float], accuracy: float) -> SimpleNamespace:
    pooled = pd.DataFrame({"predictor": ["persistence", "covariates", "covariates + persistence"],
                           "accuracy": [0.81, accuracy, 0.81], "n": [2880, 2880, 2880]})
    comparisons = pd.DataFrame({"model": ["covariates", "covariates + persistence"],
                                "against": ["persistence", "persistence"],
                                "ci_low": [cov_ci[0], -0.03], "ci_high": [cov_ci[1], 0.01]})
    return SimpleNamespace(pooled=pooled, comparisons=comparisons, verdict="The verdict.")


def test_the_prediction_verdict_follows_the_comparison():
    same = key_findings.prediction(_rolling((-0.05, 0.04), 0.78))
    assert "no better and no worse than their own past votes (right on 78% of 2,880 state votes against 81%)" in same.sentence
    assert "did not clearly help" in same.sentence
    _plain(same.sentence)
    assert "did better than" in key_findings.prediction(_rolling((-0.05, -0.01), 0.84)).sentence
    assert "did worse than" in key_findings.prediction(_rolling((0.01, 0.05), 0.70)).sentence


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown key finding"):
        key_findings.KeyFinding("weather", "s", "h")


# ------------------------------------------------------------------------------------------------ the site

def _glued_notebook(path: Path, *findings: key_findings.KeyFinding, meaning: str = "") -> None:
    """An executed notebook as key_findings.publish leaves it (glue with display=False)."""
    import json
    from dataclasses import asdict

    prefix = "application/papermill.record/"
    cell = nbformat.v4.new_code_cell("key_findings.publish(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={prefix + "text/plain": json.dumps(asdict(f))},
                                           metadata={"scrapbook": {"name": key_findings.PREFIX + f.kind,
                                                                   "mime_prefix": prefix}}) for f in findings]
    if meaning:
        cell.outputs.append(nbformat.v4.new_output(
            "display_data", data={prefix + "text/markdown": meaning},
            metadata={"scrapbook": {"name": key_findings.MEANING, "mime_prefix": prefix}}))
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\n\nText."), cell]), path)


def test_the_findings_page_opens_with_the_key_findings_in_order_linked_with_how_we_know(tmp_path):
    from unvotes.site import summary

    late = key_findings.KeyFinding("prediction", "Past votes predict <best>.", "A rolling origin.", anchor="oos")
    early = key_findings.KeyFinding("support", "143 voted yes.", "Counted from the roll calls.")
    again = key_findings.KeyFinding("support", "A second run's count.", "Other.")
    _glued_notebook(tmp_path / "models.ipynb", late)
    _glued_notebook(tmp_path / "overview.ipynb", early)
    _glued_notebook(tmp_path / "overview-again.ipynb", again)
    runs = [report.Run(id=i, notebook=Path("x.ipynb"), group="G", title=f"Section {i}", summary="s")
            for i in ("models", "overview", "overview-again")]
    src = tmp_path / "src"
    src.mkdir()
    page = summary.page({"title": "T", "description": "D"}, runs, tmp_path, "today", src)
    top = page[:page.index("D\n")]  # before the description
    assert "## Key findings" in top
    assert top.index("143 voted yes.") < top.index("Past votes predict &lt;best&gt;.")  # ORDER, escaped
    assert "A second run's count." not in page  # the first run in the plan gives a kind
    assert '<a href="overview.html">' in top and '<a href="models.html#oos">' in top
    assert "<details><summary>How we know</summary>" in top and "A rolling origin." in top


def test_a_section_page_opens_with_what_it_means(tmp_path):
    from unvotes.site import build

    _glued_notebook(tmp_path / "a.ipynb", key_findings.KeyFinding("movers", "43 states moved.", "h"))
    _glued_notebook(tmp_path / "b.ipynb", meaning="Most claims were right: 43 of 55.")
    _glued_notebook(tmp_path / "c.ipynb")
    for name in "abc":
        build._copy_notebook(tmp_path / f"{name}.ipynb", tmp_path / f"out-{name}.ipynb", "Plan title", "Summary.")
    first = {n: nbformat.read(tmp_path / f"out-{n}.ipynb", as_version=4).cells[0].source for n in "abc"}
    assert first["a"].startswith("# Plan title\n\n**What this means.** 43 states moved.")
    assert "**What this means.** Most claims were right: 43 of 55." in first["b"]
    assert "What this means" not in first["c"]


# ------------------------------------------------------------------------------------------------ page openers

def test_the_absence_opener_counts_the_absences_where_presence_can_be_seen():
    presence = pd.DataFrame({"reason": ["present, not voting"] * 3 + ["absent all day"] + ["no vote right"] * 2})
    text = key_findings.absence_meaning(presence)
    assert text.startswith("Where the data can tell, 3 of 4 absences (75%)") and "2 absences were of states" in text
    _plain(text)
    assert "cannot tell" in key_findings.absence_meaning(pd.DataFrame({"reason": ["not observable"]}))


def test_the_claims_opener_follows_the_verdicts():
    from unvotes.analyses import claims

    verdicts = [claims.CONFIRMED] * 3 + [claims.REFUTED] + [claims.NOT_CHECKABLE]
    text = key_findings.claims_meaning(pd.DataFrame({"verdict": verdicts}))
    assert text.startswith("Most of") and "of 5 claims, 3 are confirmed" in text and "1 are wrong" in text
    assert key_findings.claims_meaning(pd.DataFrame({"verdict": [claims.REFUTED] * 2})).startswith("Not most of")


def test_the_forecast_opener_says_whether_it_waits_or_how_it_scored():
    waiting = pd.DataFrame([{"target": "not yet in the data", "for": "the next vote", "made_on": "2026-12-07"}])
    assert "waits for the vote" in key_findings.forecast_meaning(waiting)
    scored = pd.DataFrame([{"target": "A/RES/81/1", "made_on": "2026-12-07", "scored states": 190,
                            "model: most likely vote happened": 0.84, "baseline: most likely vote happened": 0.8}])
    assert "picked the vote that happened for 84% of 190 states, against 80%" in key_findings.forecast_meaning(scored)


def test_the_council_opener_counts_the_outcomes(in_data_dir):
    from unvotes.tables import catalogue

    cat = catalogue.load()
    council = cat[cat["vote_id"].str.startswith("S/")]
    text = key_findings.council_meaning()
    assert f"voted on {len(council)} texts" in text
    assert f"a Russian veto blocked {int(council['outcome'].str.contains('vetoed by Russia').sum())}" in text


def test_the_movers_opener_names_only_events_clear_beyond_chance_and_the_placebo():
    panel = pd.DataFrame({"event": ["had a coup", "joined BRICS"], "Ukraine: pp": [20.0, 6.0],
                          "Ukraine: p": [0.01, 0.4], "Ukraine: randomisation p": [0.02, 0.4],
                          "placebo: p": [0.5, 0.05], "states switching": [4, 5]})
    panel.attrs = {"n_states": 191}
    text = key_findings.movers_meaning(panel)
    assert "had a coup (abstaining or voting no more often by about 20 points; 4 states switched)" in text
    assert "BRICS" not in text
    panel.loc[0, "Ukraine: randomisation p"] = 0.3
    assert "none of the 2 events measured" in key_findings.movers_meaning(panel)


def test_the_alignment_opener_follows_the_group_medians(monkeypatch):
    from unvotes.analyses import dynamic_alignment

    dist = pd.DataFrame({"session": [76, 76, 76, 79, 79, 79], "un_group": ["African", "Asia-Pacific", "WEOG"] * 2,
                         "median": [-0.5, -0.2, 1.0, -0.8, -0.1, 1.1]})
    monkeypatch.setattr(dynamic_alignment, "group_distribution", lambda points: dist)
    text = key_findings.alignment_meaning(None, 76, 79)
    assert ("moved away from the Western side by 0.30 of the spread between states between session 76 (2021-22) and "
            "session 79 (2024-25)") in text
    dist.loc[3, "median"] = -0.501
    assert "African Group's middle state hardly moved" in key_findings.alignment_meaning(None, 76, 79)
    assert "between +0.10 and +0.10" in text
    _plain(text)


def test_the_drivers_opener_names_the_traits_steady_in_every_specification(monkeypatch):
    from unvotes.models import robustness

    table = pd.DataFrame({"covariate": ["Freedom House score (0-100)", "CSTO member", "Coup in the previous three years"],
                          "unit": ["+10 points (of 100)", "0 -> 1", "0 -> 1"], "main (pp)": [-4.2, None, 3.0],
                          "main 95% CI (pp)": ["-6.9 to -1.4", "", "-2.0 to +8.0"],
                          "same sign, CI excludes 0": [1.0, 1.0, 0.4]})
    monkeypatch.setattr(robustness, "stability", lambda effects: table)
    text = key_findings.robust_meaning(pd.DataFrame(), "All member states")
    assert text.startswith("Across all member states, 1 of the 2 traits measured goes with abstaining or voting no")
    assert "a higher Freedom House democracy score (less likely, by between 1 and 7 points for 10 more points out of 100)" in text
    _plain(text)
    table.loc[0, "same sign, CI excludes 0"] = 0.9
    assert "none of the 2 traits measured" in key_findings.robust_meaning(pd.DataFrame(), "African Group")
    assert key_findings.robust_meaning(pd.DataFrame(), "African Group").startswith("Within the African Group")


def test_the_data_opener_counts_the_tables(in_data_dir):
    text = key_findings.data_meaning()
    assert f"on {len(api.load_roll_calls()):,} roll calls" in text and f"({len(api.load_votes()):,} entries)" in text


def test_a_section_pages_outputs_are_put_in_reader_wording(tmp_path):
    """Notes and tables the package writes (a curated row's reference, a command to complete a vote) reach the
    page in reader wording; the glued key findings are left as they are."""
    from unvotes.site import build, markup

    _glued_notebook(tmp_path / "a.ipynb", key_findings.KeyFinding("movers", "43 states moved.", "h"))
    nb = nbformat.read(tmp_path / "a.ipynb", as_version=4)
    cell = nbformat.v4.new_code_cell("display(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/markdown": "A partial roll call (curated: separate_roll_calls.csv:2). Complete it with "
                         "python -m unvotes add-vote A/RES/ES-11/10. From the seed article.",
        "text/html": "<td>separate_roll_calls.csv:2</td>"})]
    nb.cells.append(cell)
    nbformat.write(nb, tmp_path / "a.ipynb")
    build._copy_notebook(tmp_path / "a.ipynb", tmp_path / "out.ipynb", "T", "S.")
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    shown = out.cells[-1].outputs[0]["data"]
    assert not markup.developer_text(shown["text/markdown"]) and not markup.developer_text(shown["text/html"])
    assert "From the news article." in shown["text/markdown"] and shown["text/html"].startswith("<td>")
    assert "43 states moved." in out.cells[0].source


def test_each_findings_link_points_to_a_heading_of_its_notebook():
    """A finding links to a heading of its section (``ANCHORS``): renaming the heading must fail here, not leave
    a dead link on the first page."""
    from docutils.nodes import make_id

    notebooks = Path(report.PLAN_FILE).parent
    for kind, (notebook, anchor) in key_findings.ANCHORS.items():
        headings = [line.lstrip("#").strip() for cell in nbformat.read(notebooks / notebook, as_version=4).cells
                    if cell.cell_type == "markdown" for line in cell.source.splitlines() if line.startswith("#")]
        assert anchor in {make_id(h) for h in headings}, (kind, notebook, anchor)


def test_support_takes_a_partial_roll_calls_published_totals(in_data_dir, monkeypatch):
    """A key vote known only in part is never counted from its known votes: its published totals are used."""
    rc = api.load_roll_calls().copy()
    rc.loc[rc["vote_id"] == KEY_VOTES[1], "complete"] = False
    rc.loc[rc["vote_id"] == KEY_VOTES[1], ["yes", "no", "abstain"]] = [90, 20, 60]
    monkeypatch.setattr(api, "load_roll_calls", lambda *a, **k: rc)
    finding = key_findings.support(KEY_VOTES)
    assert "the yes votes fell to 90 (60 abstained, 20 voted no)" in finding.sentence
    assert f"Only some members' votes are known on {KEY_VOTES[1]}" in finding.how


def _covariates(gamma: float) -> pd.DataFrame:
    return pd.DataFrame({"term": ["ideal_point_prewar", "russian_forces"],
                         "covariate": ["Pre-war ideal point (towards the US)", "Wagner or Africa Corps deployed"],
                         "gamma": [gamma, 0.2]})


def test_the_main_model_opener_weighs_the_traits_against_the_states_own_stance():
    ppc = pd.DataFrame({"inside": [True] * 110 + [False] * 2})
    text = key_findings.main_model_meaning(_covariates(-0.6), 0.42, 7, ppc, 28, "2014-2026")
    assert text.startswith("Taking all 28 Assembly votes on the war (2014-2026) together, what sets states apart most "
                           "is each state's own steady stance")
    assert "a voting record closer to the United States' before the war, moves a state by 0.6 of the typical gap" in text
    assert "On the 7 texts voted since February 2025" in text and "which partly follows their stance" in text
    assert "110 of 112 counts" in text
    _plain(text)
    stronger = key_findings.main_model_meaning(_covariates(-1.8), 0.9, 7, ppc, 28, "2014-2026")
    assert "by more than the typical gap between two states' own stances (1.8 times it)" in stronger
    assert "which closely follows their stance" in stronger
    assert "is unrelated to their stance" in key_findings.main_model_meaning(_covariates(-0.6), 0.05, 7, ppc, 28, "x")
    assert "February 2025" not in key_findings.main_model_meaning(_covariates(-0.6), 0.1, 0, ppc, 20, "2014-2024")


def _africa_effects(holm_flmsa: float, holm_fh_new: float, holm_fh_old: float) -> pd.DataFrame:
    rows = []
    for spec, covs in (("report's covariates", [("fh_total", "Freedom House score (0-100)", holm_fh_old)]),
                       ("pre-specified Africa model", [("fh_total", "Freedom House score (0-100)", holm_fh_new),
                                                       ("flmsa_party_gov", "FLMSA party in government", holm_flmsa)])):
        rows += [{"specification": spec, "term": t, "covariate": c, "p_holm": p} for t, c, p in covs]
    table = pd.DataFrame(rows)
    table.attrs = {"votes": ["A/RES/ES-11/1", "A/RES/ES-11/6"], "n_states": 53, "n_rows": 280,
                   "scores": {"report's covariates": {"auc": 0.70, "log_loss": 0.60, "brier": 0.20},
                              "pre-specified Africa model": {"auc": 0.75, "log_loss": 0.62, "brier": 0.19}}}
    return table


def test_the_africa_opener_shows_the_subgroups_pulling_apart():
    groups = pd.DataFrame({"subgroup": ["the African Group, pooled", "Arab League members", "FLMSA party in government",
                                        "none of these"],
                           "state-votes": [280, 40, 30, 0], "share yes": [0.43, 0.9, 0.1, 0.0],
                           "share abstain": [0.38, 0.1, 0.86, 0.0], "share no": [0.02, 0.0, 0.0, 0.0],
                           "share absent": [0.17, 0.0, 0.04, 0.0]})
    text = key_findings.africa_model_meaning(groups, _africa_effects(0.001, 0.01, 0.04))
    assert "Arab League members mostly voted yes (90% of their votes)" in text
    assert "states governed by a former southern African liberation movement mostly abstained (86%" in text
    assert "against 43% yes and 38% abstentions for the group as a whole" in text
    assert "better by some measures and worse by others" in text and "other African states" not in text
    _plain(text)
    groups.loc[1, ["share yes", "share no"]] = [0.0, 0.9]
    assert "Arab League members mostly voted no" in key_findings.africa_model_meaning(groups, _africa_effects(1, 1, 1))


def test_the_two_africa_pages_are_reconciled_from_both_tables(monkeypatch):
    from unvotes.models import robustness

    steady = pd.DataFrame({"covariate": ["Freedom House score (0-100)", "Pre-war ideal point (towards the US)"],
                           "main (pp)": [-4.0, -10.0], "same sign, CI excludes 0": [0.5, 0.5]})
    monkeypatch.setattr(robustness, "stability", lambda effects: steady)
    drivers = pd.DataFrame({"specification": [f"s{i}" for i in range(9)], "error": [None] * 9, "same_estimand": [True] * 9})
    votes = ["A/RES/ES-11/1", "A/RES/ES-11/6"]
    text = key_findings.africa_pages(_africa_effects(0.001, 0.01, 0.04), drivers, votes,
                                     drivers_page="the page [African Group](abstention-african-group.html)")
    assert "on the same 2 votes from A/RES/ES-11/1 to A/RES/ES-11/6, 53 states and 280 state-votes" in text
    assert "The page [African Group](abstention-african-group.html) tests only the 2 traits" in text
    assert "in all 9 versions of the model tried: none passes" in text
    assert "Freedom House score (0-100) and a former southern African liberation movement in government pass" in text
    assert "a former southern African liberation movement in government is not among the traits the other page tests" in text
    assert "Freedom House score (0-100) passes one fixed model's test but not every version" in text
    steady.loc[0, "same sign, CI excludes 0"] = 1.0
    agree = key_findings.africa_pages(_africa_effects(0.5, 0.01, 0.04), drivers, votes)
    assert "Freedom House score (0-100) passes." in agree and "The numbers differ" not in agree
    steady["same sign, CI excludes 0"] = 0.5
    nothing = key_findings.africa_pages(_africa_effects(0.5, 0.5, 0.5), drivers, ["A/RES/ES-11/1"])
    assert "nothing measured reliably goes with the group's votes" in nothing
    assert "1 votes from A/RES/ES-11/1 to A/RES/ES-11/1 on the other page" in nothing


def test_who_moved_is_one_pair_with_counts_and_two_sorted_named_lists(in_data_dir, monkeypatch):
    """Issue 23: "who moved 2022 -> 2025" is the same pair everywhere (the key finding, the shifts page's lists, the
    movers page's pointer), counted as the key finding counts it, with the states named in two sorted lists, and
    the key finding links to that section."""
    import ast

    from unvotes import report as report_module

    first, second = key_findings.MOVERS_PAIR
    cells = nbformat.read(Path(report_module.PLAN_FILE).parent / "shifts.ipynb", as_version=4).cells
    defaults = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(cells[1].source).body
                if isinstance(n, ast.Assign)}
    assert tuple(defaults["also_compare"]) == key_findings.MOVERS_PAIR
    finding = key_findings.movers(first, second)
    assert finding.anchor == "who-moved-between-2022-and-2025"
    groups = key_findings.moved(first, second)
    n_away, n_towards = int(finding.sentence.split()[0]), int(finding.sentence.split("; ")[1].split()[0])
    assert (len(groups["away"]), len(groups["towards"])) == (n_away, n_towards)
    assert list(groups["away"]["name"]) == sorted(groups["away"]["name"])
    text = key_findings.movers_section(first, second)
    assert f"**{n_away} states moved away from yes**" in text and f"**Moved towards yes ({n_towards})**" in text
    away = text.split("**Moved away from yes")[1].split("**Moved towards yes")[0]
    assert '<a href="states/KEN.html">Kenya</a> (abstained)' in away and '<a href="states/USA.html">' in away
    assert away.index("Argentina") < away.index("Brazil") < away.index("Kenya")
    pointer = key_findings.movers_pointer(["A/RES/ES-11/1", "A/RES/ES-11/7"], page="shifts.html#x")
    assert f"{first} to {second}, {n_away} states from yes" in pointer and "(shifts.html#x)" in pointer
    assert "their counts differ" in pointer
    # one more state moving away shows in the count and in the list
    both = api.load_votes().query("vote_id in @key_findings.MOVERS_PAIR").pivot(index="iso3", columns="vote_id", values="vote")
    stayed = both[(both[first].astype(str) == "yes") & (both[second].astype(str) == "yes")].index[0]
    _flip(monkeypatch, second, stayed, "no")
    assert len(key_findings.moved(first, second)["away"]) == n_away + 1
    assert f"**{n_away + 1} states moved away from yes**" in key_findings.movers_section(first, second)


def test_the_shifts_opener_counts_the_movers_and_who_followed_the_reversal_in_plain_words(in_data_dir):
    """Issue 23: the shifts page's opener (the findings page showed its Fisher's p and difference-in-differences):
    the movers as :func:`key_findings.moved` counts them, and how many states that voted with the United States
    in 2023 voted with it after its reversal, computed from the votes."""
    from unvotes.analyses import shifts

    first, second = key_findings.MOVERS_PAIR
    sentence = key_findings.shifts_meaning(first, second, ("A/RES/77/284", "A/RES/79/284"), "USA")
    groups = key_findings.moved(first, second)
    assert f"{len(groups['away'])} states that had voted yes abstained or voted no" in sentence
    table = shifts.vote_table(["A/RES/77/284", "A/RES/79/284"]).drop(index="USA")
    with_us = table[table["A/RES/77/284"] == "yes"]
    followed = int((with_us["A/RES/79/284"] == "no").sum())
    assert f"of the {len(with_us)} states that had voted yes with it, {followed or 'none'} voted no with it" in sentence
    _plain(sentence)
