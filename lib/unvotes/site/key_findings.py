"""The key findings in plain words: the sentences at the top of the site's first page.

Each finding is one sentence a newspaper could print, with its numbers, computed here from the data or from a
section's results (never typed), and a "how we know" paragraph with the statistic behind it (model, sample,
interval). A section notebook hands its finding to the site through :func:`publish` (one glued value per
finding, ``key_finding:<kind>``); the site's first page (:mod:`unvotes.site.summary`) shows them in the order
of :data:`ORDER`, each linked to the section that holds its evidence, and every section page opens with its own
findings as "what this means" (:mod:`unvotes.site.build`). A notebook without a key finding can state its
meaning with :func:`publish_meaning`.

Plain words: "associated with", never a cause; an interval in words ("between 12 and 22 points"); no model
jargon in the sentence itself (the jargon goes into "how we know").
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

import pandas as pd

#: The findings in the order a reader wants them: how the votes went and moved, who abstains and what goes
#: with it, the United States' reversal, and whether anything predicts the next vote.
ORDER = ("support", "movers", "africa_share", "main_model", "africa_model", "us_reversal", "prediction")
#: Glued names: ``key_finding:<kind>`` for a finding, ``what_this_means`` for a page's opener without one.
PREFIX, MEANING = "key_finding:", "what_this_means"

#: The one pair of votes behind "who moved between 2022 and 2025" everywhere on the site (the key finding, the
#: shifts page's named lists, the movers page's pointer): the annexations (October 2022) and the third anniversary
#: (February 2025). The shifts notebook's ``also_compare`` default is this pair (a test checks it).
MOVERS_PAIR = ("A/RES/ES-11/4", "A/RES/ES-11/7")

#: The heading a finding links to on the page of the notebook that publishes it: (notebook, the heading's id as
#: Sphinx makes it). A test checks each heading is still in its notebook.
ANCHORS = {
    "main_model": ("hierarchical_model.ipynb", "what-moves-the-chance-of-not-voting-yes"),
    "us_reversal": ("shifts.ipynb", "the-united-states-reversal"),
    "movers": ("shifts.ipynb", "who-moved-between-2022-and-2025"),
    "prediction": ("abstention_drivers.ipynb", "out-of-sample-each-vote-predicted-from-all-earlier-votes"),
}

#: The covariates in plain words, as the trait a state has (a number's phrase says which way it grows).
PLAIN = {
    "ideal_point_prewar": "a voting record closer to the United States' before the war",
    "fh_total": "a higher Freedom House democracy score",
    "log_ru_arms_tiv_2010_2021": "more arms bought from Russia in 2010-21",
    "no_arms_imports_2010_2021": "no major arms bought from anyone in 2010-21",
    "flmsa_party_gov": "a former southern African liberation movement in government",
    "member_arab_league_at_vote": "Arab League membership",
    "russian_forces": "Wagner or Africa Corps forces in the country",
    "coup_within_3y": "a coup in the three years before the vote",
    "soviet_treaty": "a friendship treaty with the Soviet Union",
    "member_brics_at_vote": "BRICS membership",
}


@dataclass(frozen=True)
class KeyFinding:
    kind: str          # one of ORDER
    sentence: str      # plain words, with the numbers
    how: str           # how we know: the statistic, model, sample and interval
    link: str = ""     # the page holding the evidence, relative to the site's root ("" = the section's page)
    anchor: str = ""   # a heading's id on the section's page

    def __post_init__(self):
        if self.kind not in ORDER:
            raise ValueError(f"unknown key finding {self.kind!r}; choose one of {ORDER}")


def publish(finding: KeyFinding) -> None:
    """Hand ``finding`` to the site from a section notebook (hidden on the notebook's page, where it opens the
    page as "what this means")."""
    from myst_nb import glue

    glue(PREFIX + finding.kind, _AsJsonText(asdict(finding)), display=False)


class _AsJsonText:
    """A value glued as JSON text: a notebook's glued (prefixed) mime types must hold text to be valid."""

    def __init__(self, value: dict):
        self.value = value

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": json.dumps(self.value)}


def publish_meaning(text: str) -> None:
    """A section's opener in plain words when it has no key finding (numbers in it computed by the caller).
    Returns nothing: as a cell's last line its value would show on the page as a quoted string."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(MEANING, Markdown(text), display=False)


def from_glued(values: dict[str, dict]) -> tuple[list[KeyFinding], str]:
    """The key findings and the opener a notebook glued (:func:`unvotes.site.build.glued`)."""
    findings = [KeyFinding(**json.loads(bundle["text/plain"])) for name, bundle in values.items()
                if name.startswith(PREFIX) and "text/plain" in bundle]
    return findings, values.get(MEANING, {}).get("text/markdown", "")


# ------------------------------------------------------------------------------------------------ wording

def _month(date) -> str:
    return f"{pd.Timestamp(date):%B %Y}"


def _points(low: float, high: float) -> str:
    """An interval of percentage points in words, as magnitudes (the caller says more or less likely)."""
    a, b = sorted((abs(low), abs(high)))
    return f"between {a:.0f} and {b:.0f} points"


def _plain(term: str, label: str) -> str:
    if term in PLAIN:
        return PLAIN[term]
    group = re.match(r"UN regional group: (.+) \(vs (.+)\)$", label)
    if group:
        return f"membership of the {group.group(1)} Group rather than the {group.group(2)} Group"
    return re.sub(r"\s*\((?:log TIV|0-100)\)", "", label)


def _per(unit: str) -> str:
    """A number's unit of change in words (the model tables' ``unit`` or ``change``); "" for a yes/no trait."""
    unit = str(unit)
    if unit.startswith(("0 -> 1", "vs ")):
        return ""
    if unit.startswith("+1 SD"):
        return " for a typical difference between states"
    if "log TIV" in unit:
        return " for about 2.7 times as much in arms"
    if "all-states scale" in unit:
        return " for one unit on that scale of pre-war voting"
    if re.match(r"\+10 points \(of 100\)", unit):
        return " for 10 more points out of 100"
    return f" per {unit.lstrip('+')}"


def _said_effect(term: str, label: str, low: float, high: float, unit: str) -> str:
    """"<trait> (<more or less> likely by between a and b points<, per its unit>)"."""
    way = "more" if low > 0 else "less"
    return f"{_plain(term, label)} ({way} likely, by {_points(low, high)}{_per(unit)})"


def _name(iso3: str) -> str:
    """A member state's name as a sentence uses it ("the United States of America", "Kenya")."""
    from unvotes import api

    name = api.load_countries().set_index("iso3")["name"][iso3]
    return f"the {name}" if re.match(r"(United|Russian|Republic|Democratic|Islamic|Syrian|Central|Dominican|"
                                     r"Czech|Philippines|Netherlands|Gambia|Bahamas|Comoros|Marshall|Solomon|"
                                     r"Maldives|Niger\b|Sudan|Lao)", name) else name


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cite_votes(vote_ids: list[str]) -> str:
    from unvotes.tables import catalogue

    cat = catalogue.load().set_index("vote_id")
    return "; ".join(f"{v} ({cat.at[v, 'label']}, {pd.Timestamp(cat.at[v, 'date']):%d %b %Y})"
                     if v in cat.index else v for v in vote_ids)


# ------------------------------------------------------------------------------------------------ findings

def counts(vote_ids: list[str]) -> pd.DataFrame:
    """Members' votes (yes, abstain, no, absent) per vote: counted from the votes table for a complete roll call;
    for a partial one (only some members' votes known) the totals the source publishes, absent left blank, and
    ``partial`` True."""
    from unvotes import api

    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(vote_ids)]
    table = votes.groupby(["vote_id", "vote"], observed=True).size().unstack(fill_value=0)
    table = table.reindex(index=vote_ids, columns=["yes", "abstain", "no", "absent"], fill_value=0).astype("Int64")
    if table.sum(axis=1).eq(0).any():
        missing = table.index[table.sum(axis=1).eq(0)].tolist()
        raise ValueError(f"no recorded votes for {missing} in the votes table; choose votes with a roll call")
    rc = api.load_roll_calls().set_index("vote_id")
    table["partial"] = [not (pd.notna(rc.at[v, "complete"]) and bool(rc.at[v, "complete"])) for v in vote_ids]
    for vote_id in table.index[table["partial"]]:
        table.loc[vote_id, ["yes", "abstain", "no"]] = [rc.at[vote_id, k] for k in ("yes", "abstain", "no")]
        table.loc[vote_id, "absent"] = pd.NA
    return table


def support(vote_ids: list[str]) -> KeyFinding:
    """How many member states voted yes, abstained and voted no on the key votes, and how that moved."""
    from unvotes import api

    table = counts(vote_ids)
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    parts, previous = [], None
    for vote_id, row in table.iterrows():
        rest = f"{row['abstain']} abstained, {row['no']} voted no"
        if previous is None:
            whole = "" if row["partial"] else f" of the {int(row[['yes', 'abstain', 'no', 'absent']].sum())} member states"
            parts.append(f"{row['yes']}{whole} voted yes in {_month(dates[vote_id])} ({rest})")
        else:
            verb = "rose to" if row["yes"] > previous else "fell to" if row["yes"] < previous else "stayed at"
            parts.append(f"in {_month(dates[vote_id])} the yes votes {verb} {row['yes']} ({rest})")
        previous = row["yes"]
    sentence = ("On the General Assembly's main resolutions on the war, " + "; ".join(parts) + ".")
    partial = table.index[table["partial"]].tolist()
    how = (f"Recorded votes of every member state on {_cite_votes(vote_ids)}, counted from the roll calls; the "
           "members that did not vote are counted as absent. Each vote's page gives the published totals beside "
           "these and names every state."
           + (f" Only some members' votes are known on {', '.join(partial)}: its totals are the published ones."
              if partial else ""))
    return KeyFinding("support", sentence, how)


def movers(first: str, second: str) -> KeyFinding:
    """How many states that voted yes on ``first`` abstained or voted no on ``second``, and how many moved back."""
    from unvotes import api
    from unvotes.analyses import shifts

    table = shifts.transition_table(first, second)
    away_abstain, away_no = int(table.at["yes", "abstain"]), int(table.at["yes", "no"])
    towards = int(table.loc[["abstain", "no"], "yes"].sum())
    absent = int(table.at["yes", "absent"])
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    sentence = (f"{away_abstain + away_no} states that voted yes in {_month(dates[first])} abstained "
                f"({away_abstain}) or voted no ({away_no}) in {_month(dates[second])}; {towards} moved the "
                "other way, from abstaining or voting no to yes.")
    how = (f"Each state's recorded vote on {_cite_votes([first, second])}, compared state by state; {absent} states "
           "that voted yes on the first were absent on the second and are not counted as movers. The two texts "
           "differ, so part of the movement is about the text, not the state.")
    return KeyFinding("movers", sentence, how, anchor=ANCHORS["movers"][1])


def moved(first: str, second: str) -> dict[str, pd.DataFrame]:
    """The states behind :func:`movers`, by name: ``away`` (yes on ``first``, abstain or no on ``second``),
    ``towards`` (abstain or no on ``first``, yes on ``second``) and ``yes_then_absent``; each sorted by name, with
    both votes (``iso3``, ``name``, ``first``, ``second``)."""
    from unvotes import api
    from unvotes.analyses import shifts

    m = shifts.vote_table([first, second])
    m = m[m[first].isin(shifts.VOTE_ORDER) & m[second].isin(shifts.VOTE_ORDER)]
    names = api.load_countries().set_index("iso3")["name"]
    table = pd.DataFrame({"iso3": m.index, "name": m.index.map(names), "first": m[first].astype(str).values,
                          "second": m[second].astype(str).values})
    groups = {"away": table[(table["first"] == "yes") & table["second"].isin(["abstain", "no"])],
              "towards": table[table["first"].isin(["abstain", "no"]) & (table["second"] == "yes")],
              "yes_then_absent": table[(table["first"] == "yes") & (table["second"] == "absent")]}
    return {k: v.sort_values("name").reset_index(drop=True) for k, v in groups.items()}


def shifts_meaning(first: str, second: str, reversal: tuple[str, str], reference: str = "USA") -> str:
    """The shifts page's opener in plain words: who moved between the site's pair of votes (:func:`moved`), and how
    many of the states that voted as ``reference`` did on the first vote of ``reversal`` voted as it did on the
    second (the findings page showed the section's statistical headline: Fisher's p, a difference-in-differences)."""
    from unvotes import api
    from unvotes.analyses import shifts

    groups = moved(first, second)
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    away, towards = len(groups["away"]), len(groups["towards"])
    said = (f"Between {shifts.label_of(first)} ({dates[first]:%B %Y}) and {shifts.label_of(second)} "
            f"({dates[second]:%B %Y}), {away} {'state' if away == 1 else 'states'} that had voted yes abstained or "
            f"voted no, and {towards} moved the other way.")
    before, after = reversal
    table = shifts.vote_table([before, after])
    if reference in table.index:
        mine_before, mine_after = table.loc[reference, before], table.loc[reference, after]
        others = table.drop(index=reference)
        with_it = others[others[before] == mine_before]
        followed = int((with_it[after] == mine_after).sum())
        name = api.load_countries().set_index("iso3")["name"].get(reference, reference)
        said += (f" {name} voted {mine_before} on {shifts.label_of(before)} and {mine_after} on "
                 f"{shifts.label_of(after)}; of the {len(with_it)} states that had voted {mine_before} with it, "
                 f"{followed or 'none'} voted {mine_after} with it.")
    return said


def movers_section(first: str, second: str) -> str:
    """The movers between ``first`` and ``second`` as the key finding counts them (:func:`movers`), with the states
    named: the counts, then two lists sorted by name (moved away from yes, moved towards yes), each state linked to
    its page (the section pages sit beside the folder ``states/``), and the states that voted yes and were then
    absent, not counted as movers (Markdown)."""
    from unvotes import api
    from unvotes.site import markup

    groups = moved(first, second)
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    away, towards = groups["away"], groups["towards"]
    said = {"abstain": "abstained", "no": "voted no", "yes": "voted yes"}

    def listed(rows, column: str, prefix: str) -> str:
        if rows.empty:
            return "none"
        return "; ".join(f"{markup.state_link(r['iso3'], r['name'], prefix='states/')} ({prefix}{said[r[column]]})"
                         for _, r in rows.iterrows())

    n_no = int((away["second"] == "no").sum())
    return (f"Between {first} ({_month(dates[first])}) and {second} ({_month(dates[second])}), **{len(away)} states moved "
            f"away from yes**: they voted yes on the first and abstained ({len(away) - n_no}) or voted no ({n_no}) on the "
            f"second. **{len(towards)} moved towards yes**, from abstaining or voting no to yes.\n\n"
            f"**Moved away from yes ({len(away)})**: {listed(away, 'second', '')}.\n\n"
            f"**Moved towards yes ({len(towards)})**: {listed(towards, 'first', 'had ')}.\n\n"
            f"Not counted as movers: {len(groups['yes_then_absent'])} states that voted yes on the first were absent on "
            "the second, and states that moved between abstaining, voting no and being absent; every change is in "
            "the table below. The two texts differ, so part of the movement is about the text, not the state.")


def africa_share(vote_ids: list[str], group: str = "African") -> KeyFinding:
    """A group's share of the seats beside its share of all abstentions on ``vote_ids``."""
    from unvotes.analyses import trends

    abstain_share, seat_share = trends.group_shares(vote_ids, group)
    years = sorted({_month(d)[-4:] for d in trends.shares(vote_ids)["date"]})
    sentence = (f"The {group} Group holds {seat_share:.0%} of the seats but cast {abstain_share:.0%} of all "
                f"abstentions on the {len(vote_ids)} Assembly votes on the war from {years[0]} to {years[-1]}.")
    how = (f"Abstentions counted on every complete roll call of the catalogued votes ({len(vote_ids)} votes); the "
           f"{group} Group's share of the members on those votes beside its share of the abstentions.")
    return KeyFinding("africa_share", sentence, how)


def main_model_of(fit) -> KeyFinding:
    """:func:`main_model` of a fit of :mod:`unvotes.models.hierarchical` (its average effects and sample)."""
    from unvotes.models import hierarchical

    dates = pd.to_datetime(fit.data.items["date"])
    return main_model(hierarchical.marginal_effects(fit), len(fit.data.items), len(fit.data.states),
                      f"{dates.min().year}-{dates.max().year}")


def main_model(effects: pd.DataFrame, n_votes: int, n_states: int, years: str, top: int = 3) -> KeyFinding:
    """The main model's clearest associations (``effects``: :func:`unvotes.models.hierarchical.marginal_effects`,
    percentage points with 95% intervals) in plain words."""
    clear = effects[(effects["low"] > 0) | (effects["high"] < 0)].copy()
    clear = clear.loc[clear["effect_pp"].abs().sort_values(ascending=False).index]
    unclear = len(effects) - len(clear)
    if clear.empty:
        sentence = (f"Across {n_votes} Assembly votes on the war ({years}), no trait we measured is clearly "
                    "associated with a state abstaining or voting no.")
    else:
        said = [_said_effect(r.term, r.covariate, r.low, r.high, r.unit)
                for r in clear.head(top).itertuples()]
        sentence = (f"Across {n_votes} Assembly votes on the war ({years}), the traits most clearly associated "
                    f"with a state abstaining or voting no are {_join(said)}; for {unclear} of the "
                    f"{len(effects)} traits measured the data cannot tell whether they raise or lower that chance.")
    listed = "; ".join(f"{r.covariate} {r.effect_pp:+.1f} points (95% interval {r.low:+.1f} to {r.high:+.1f}, "
                       f"{r.unit})" for r in effects.itertuples())
    how = (f"A hierarchical ordinal item-response model of {n_votes} complete votes and {n_states} states, with "
           "each covariate at the vote's date; the figures are average marginal effects on the probability that "
           "a state casting a vote abstains or votes no, with 95% posterior intervals (a typical difference is "
           f"one standard deviation): {listed}. Associations, not causes.")
    return KeyFinding("main_model", sentence, how, anchor=ANCHORS["main_model"][1])


def africa_model(effects: pd.DataFrame) -> KeyFinding:
    """The pre-specified Africa model's associations that hold after the Holm adjustment
    (``effects``: :func:`unvotes.models.africa.effects`), in plain words: every one that holds, largest first (naming
    only the largest two left the others to the "how we know" box, which then seemed to contradict the sentence)."""
    new = effects[effects["specification"] == "pre-specified Africa model"]
    held = new[new["p_holm"] < 0.05]
    held = held.loc[held["ame"].abs().sort_values(ascending=False).index]
    a = effects.attrs
    if held.empty:
        sentence = ("Within the African Group, none of the traits we measured is reliably associated with "
                    "abstaining or voting no.")
    else:
        said = [_said_effect(r["term"], r["covariate"], r["ci_low"] * 100, r["ci_high"] * 100, r["change"])
                for _, r in held.iterrows()]
        sentence = (f"Within the African Group, the traits reliably associated with abstaining or voting no are "
                    f"{_join(said)}; {len(new) - len(held)} of the {len(new)} traits measured show no reliable link.")
    listed = "; ".join(f"{r['covariate']} {r['ame'] * 100:+.1f} points (95% interval {r['ci_low'] * 100:+.1f} to "
                       f"{r['ci_high'] * 100:+.1f}, {r['change']}, Holm-adjusted p {r['p_holm']:.3f})"
                       for _, r in new.iterrows())
    votes = a.get("votes", [])
    sample = f"{votes[0]} to {votes[-1]}, " if votes else ""
    how = (f"The pre-specified Africa model, a penalised ordered logit ({sample}{a.get('n_states', '?')} states, "
           f"{a.get('n_rows', '?')} state-votes), each covariate at the vote's date; average marginal effects on the "
           "probability of abstaining or voting no with 95% intervals, called reliable when the p-value adjusted "
           f"for the number of covariates (Holm) is below 0.05: {listed}. Associations, not causes.")
    return KeyFinding("africa_model", sentence, how)


def us_reversal(reversal: tuple[str, str], change_year: int = 2025, reference: str = "USA",
                counterpart: str = "RUS") -> KeyFinding:
    """The reference state's record before ``change_year`` beside its votes from then, and with whom."""
    from unvotes import api
    from unvotes.analyses import shifts

    votes = shifts.ukraine_votes(body="GA", complete_only=True)
    matrix = shifts.vote_matrix(votes)
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    before = [v for v in votes if dates[v].year < change_year]
    after = [v for v in votes if dates[v].year >= change_year]
    mine = matrix.loc[reference]
    yes_before = int((mine[before] == "yes").sum())
    no_after = [v for v in after if mine[v] == "no"]
    with_counterpart = sum(matrix.at[counterpart, v] == "no" for v in no_after)
    old, new = reversal
    cat_label = re.sub(r"\s*\(\d{4}\)$", "", shifts.label_of(old))
    ref, other = _name(reference), _name(counterpart)
    share = f"all {len(before)}" if yes_before == len(before) else f"{yes_before} of the {len(before)}"
    sentence = (f"{ref[0].upper() + ref[1:]} voted yes on {share} Assembly votes on the war "
                f"from {dates[before[0]].year} to {dates[before[-1]].year}; from {change_year} it voted no on "
                f"{len(no_after)} of {len(after)}, "
                + (f"each time alongside {other}" if with_counterpart == len(no_after)
                   else f"{with_counterpart} of them alongside {other}")
                + f", including the resolution on {cat_label.lower()[0] + cat_label[1:]}: {mine[old]} in "
                f"{dates[old].year}, {mine[new]} in {dates[new].year}.")
    how = (f"The recorded votes of {ref} and {other} on the {len(votes)} complete Assembly "
           f"votes on the war; the texts it voted no on from {change_year}: {_cite_votes(no_after)}. The section also "
           "tests whether other states followed the reversal (a difference-in-differences with a placebo).")
    return KeyFinding("us_reversal", sentence, how, anchor=ANCHORS["us_reversal"][1])


def prediction(ro) -> KeyFinding:
    """Whether the pre-war covariates beat each state's past votes (persistence) in predicting each vote since
    the invasion (``ro``: :func:`unvotes.models.evaluation.rolling_origin`)."""
    pooled = ro.pooled.set_index("predictor")
    comp = ro.comparisons.set_index(["model", "against"])
    alone = comp.loc[("covariates", "persistence")]
    both = comp.loc[("covariates + persistence", "persistence")]

    def verdict(row) -> str:
        if row["ci_high"] < 0:
            return "better"
        if row["ci_low"] > 0:
            return "worse"
        return "no clearly different"

    acc = {k: pooled.at[k, "accuracy"] for k in ("persistence", "covariates", "covariates + persistence")}
    alone_v, both_v = verdict(alone), verdict(both)
    sentence = (f"Predicting each vote since the invasion from the earlier ones, states' traits before the war "
                f"did {alone_v.replace('no clearly different', 'no better and no worse')} than their own past votes "
                f"(right on {acc['covariates']:.0%} of {int(pooled.at['covariates', 'n']):,} state votes against "
                f"{acc['persistence']:.0%}), and adding them to the past votes "
                f"{'helped' if both_v == 'better' else 'did not clearly help'} ({acc['covariates + persistence']:.0%}).")
    how = ("A rolling origin: each complete Assembly vote on the war since 24 February 2022 predicted by logit models "
           "fitted on all earlier votes only; the models are compared by paired tests on the log-loss over the same "
           f"state-votes, clustered by state. {ro.verdict}")
    return KeyFinding("prediction", sentence, how, anchor=ANCHORS["prediction"][1])


# ------------------------------------------------------------------------------------------------ page openers

#: Words of the covariates' labels (the model tables' ``covariate`` or ``label``) -> the term of :data:`PLAIN`.
_LABEL_TERMS = {"Pre-war ideal point": "ideal_point_prewar", "Freedom House": "fh_total",
                "Russian arms imports": "log_ru_arms_tiv_2010_2021", "No major-arms imports": "no_arms_imports_2010_2021",
                "FLMSA": "flmsa_party_gov", "Arab League": "member_arab_league_at_vote",
                "Wagner or Africa Corps": "russian_forces", "Coup in": "coup_within_3y",
                "Friendship treaty": "soviet_treaty", "BRICS": "member_brics_at_vote"}


def robust_meaning(effects: pd.DataFrame, group_label: str) -> str:
    """A drivers section's opener (``effects``: :func:`unvotes.models.robustness.specification_effects`): the
    traits whose association with abstaining or voting no keeps its sign and a clear interval in every
    specification that holds the estimand fixed, with the main estimate's interval in words."""
    from unvotes.models import robustness

    table = robustness.stability(effects)
    table = table[table["main (pp)"].notna()]
    steady = table[table["same sign, CI excludes 0"] == 1.0]
    steady = steady.loc[steady["main (pp)"].abs().sort_values(ascending=False).index]
    where = f"Across {group_label.lower()}" if group_label.lower().startswith("all") else f"Within the {group_label}"
    if steady.empty:
        return (f"{where}, none of the {len(table)} traits measured goes clearly with abstaining or voting no in every "
                "version of the model we tried: what the main model finds depends on how it is set up.")
    said = []
    for _, r in steady.iterrows():
        low, high = (float(x) for x in r["main 95% CI (pp)"].split(" to "))  # "+a to +b"
        term = next((t for words, t in _LABEL_TERMS.items() if words in r["covariate"]), "")
        said.append(_said_effect(term, r["covariate"], low, high, r["unit"]))
    verb = "goes" if len(steady) == 1 else "go"
    return (f"{where}, {len(steady)} of the {len(table)} traits measured {verb} with abstaining or voting no in every "
            f"version of the model we tried: {_join(said)}. The others depend on how the model is set up. "
            "These are associations, not causes.")


def absence_meaning(presence: pd.DataFrame) -> str:
    """The absence section's opener (``presence``: :func:`unvotes.analyses.absence.same_day_presence`)."""
    reasons = presence["reason"].value_counts()
    present, away = int(reasons.get("present, not voting", 0)), int(reasons.get("absent all day", 0))
    if not present + away:
        return "On these votes the data cannot tell whether an absent state was in the hall."
    return (f"Where the data can tell, {present} of {present + away} absences ({present / (present + away):.0%}) were "
            "states that voted on another text the same day, a sign (not a proof) that they were in the hall and "
            f"chose not to vote on the Ukraine text. {int(reasons.get('no vote right', 0))} absences were of states that had lost their "
            "vote over unpaid UN dues, which is not a choice.")


def claims_meaning(evaluated: pd.DataFrame) -> str:
    """The claims section's opener (``evaluated``: :func:`unvotes.analyses.claims.evaluate_all`)."""
    from unvotes.analyses import claims

    counts = evaluated["verdict"].value_counts()
    confirmed, refuted = int(counts.get(claims.CONFIRMED, 0)), int(counts.get(claims.REFUTED, 0))
    lead = "Most of" if confirmed > len(evaluated) / 2 else "Not most of"
    return (f"{lead} what the news articles said about the votes holds up: of {len(evaluated)} claims, {confirmed} are "
            f"confirmed by the recorded votes and {refuted} are wrong; the others rest on a single press report or "
            "cannot be checked against the data.")


def forecast_meaning(scores: pd.DataFrame) -> str:
    """The forecast section's opener (``scores``: :func:`unvotes.models.forecast.score`)."""
    if scores.empty:
        return "No forecast is stored yet."
    out = []
    for r in scores.to_dict("records"):
        if r["target"] == "not yet in the data":
            out.append(f"A forecast of every state's vote on {r['for']}, made on {r['made_on']} before the vote, waits "
                       "for the vote; it will be scored against simply carrying each state's past votes forward.")
        else:
            out.append(f"The forecast made on {r['made_on']} before {r['target']} picked the vote that happened for "
                       f"{r['model: most likely vote happened']:.0%} of {r['scored states']} states, against "
                       f"{r['baseline: most likely vote happened']:.0%} for carrying each state's past votes forward.")
    return " ".join(out)


def council_meaning() -> str:
    """The Security Council section's opener: how its votes on the war ended, from the catalogue's outcomes."""
    from unvotes.tables import catalogue

    cat = catalogue.load()
    council = cat[cat["vote_id"].str.startswith("S/") & cat["outcome"].astype(str).ne("")]
    outcome = council["outcome"].astype(str)
    vetoed = int(outcome.str.contains("vetoed by Russia").sum())
    adopted = int(outcome.eq("adopted").sum())
    years = pd.to_datetime(council["date"])
    return (f"The Security Council voted on {len(council)} texts about the war from {years.min().year} to "
            f"{years.max().year}: a Russian veto blocked {vetoed}, {len(council) - vetoed - adopted} others failed "
            f"and {adopted} were adopted.")


def alignment_meaning(points: pd.DataFrame, since: int, until: int) -> str:
    """The alignment section's opener (``points``: :func:`unvotes.analyses.dynamic_alignment.session_ideal_points`): how
    the African Group's middle state moved on all the Assembly's recorded votes, beside the other groups."""
    from unvotes.analyses import dynamic_alignment

    med = dynamic_alignment.group_distribution(points).pivot(index="session", columns="un_group", values="median")
    change = (med.loc[until] - med.loc[since]).dropna()
    others = change.drop("African")
    african = round(float(change["African"]), 2)
    moved = ("hardly moved" if african == 0 else
             f"moved {'towards' if african > 0 else 'away from'} the Western side by {abs(african):.2f} of the spread "
             "between states")
    return (f"On all the Assembly's recorded votes, not only those on Ukraine, the African Group's middle state {moved} "
            f"between session {dynamic_alignment.session_label(since)} and session "
            f"{dynamic_alignment.session_label(until)}; the other groups' middle states moved by between "
            f"{others.min():+.2f} and {others.max():+.2f} (towards the Western side is +).")


def movers_meaning(panel: pd.DataFrame) -> str:
    """The movers section's opener (``panel``: :func:`unvotes.analyses.movers.event_panel`): the dated events that go with
    a change in the same state's votes on Ukraine, clearly, beyond chance among the few states that switch, and
    not on the benchmark texts."""
    est = panel.dropna(subset=["Ukraine: pp"]) if "Ukraine: pp" in panel else panel.iloc[:0]
    steady = est[(est["Ukraine: p"] < 0.05) & (est["Ukraine: randomisation p"] < 0.05) & (est["placebo: p"] >= 0.05)]
    a = panel.attrs
    lead = f"Following the same {a.get('n_states', '?')} states over time, "
    if steady.empty:
        return (lead + f"none of the {len(est)} events measured (such as a coup or the arrival of Russian forces) goes "
                "with a clear change in how a state votes on Ukraine that is not also seen on other texts or "
                "explained by chance among the few states that switched.")
    said = [f"{r['event']} (abstaining or voting no {'more' if r['Ukraine: pp'] > 0 else 'less'} often by about "
            f"{abs(r['Ukraine: pp']):.0f} points; {r['states switching']} states switched)" for _, r in steady.iterrows()]
    return lead + f"{_join(said)} went with a change in its votes on Ukraine not seen on other texts. Associations within a handful of states, not causes."


def robustness_meaning(curve: pd.DataFrame) -> str:
    """The robustness section's opener (``curve``: :func:`unvotes.models.robustness.specification_curve`): per
    group, :func:`robust_meaning` over every specification and sample of votes."""
    return " ".join(robust_meaning(d.drop(columns="group"), str(group)).removesuffix(" These are associations, not causes.")
                    for group, d in curve.groupby("group", sort=False)) + " These are associations, not causes."


def data_meaning() -> str:
    """The data overview's opener: what the tables hold, and how many of the Ukraine votes are complete."""
    from unvotes import api
    from unvotes.tables import catalogue

    roll_calls, votes = api.load_roll_calls(), api.load_votes()
    cat = catalogue.load()
    ukraine = cat[cat["available"].astype(bool)]
    complete = int(ukraine["complete"].astype(bool).sum())
    return (f"The tables hold each member state's vote or absence on {len(roll_calls):,} roll calls from "
            f"{pd.Timestamp(roll_calls['date'].min()).year} to {pd.Timestamp(roll_calls['date'].max()).year} "
            f"({len(votes):,} entries); of the "
            f"{len(cat)} votes on the war in the catalogue, {complete} have every member's vote, "
            f"{len(ukraine) - complete} only some and {len(cat) - len(ukraine)} none.")


def main_model_meaning(table: pd.DataFrame, correlation: float, n_second: int, ppc: pd.DataFrame, n_votes: int,
                       years: str) -> str:
    """The main model's opener, beside its key finding (:func:`main_model`, which names the traits): how much of
    the votes the traits leave to each state's own steady stance, whether states line up on the texts voted since
    February 2025 as they did before, and how well the model reproduces the votes. ``table``:
    :func:`unvotes.models.hierarchical.covariate_table` (``gamma``: a trait's shift on the latent scale, in units
    of the spread of the states' own stances); ``correlation``: the two dimensions' state effects (the first value
    of :func:`unvotes.models.hierarchical.second_dimension`'s ``attrs["correlation"]``); ``n_second``: the texts
    loading on the second dimension; ``ppc``: :func:`unvotes.models.hierarchical.posterior_predictive`."""
    strongest = table.loc[table["gamma"].abs().idxmax()]
    size = abs(float(strongest["gamma"]))
    trait = _plain(str(strongest["term"]), str(strongest["covariate"]))
    if size < 1:
        stance = (f"what sets states apart most is each state's own steady stance from vote to vote, which none of the "
                  f"{len(table)} traits we measured accounts for: the strongest of them, {trait}, moves a state by "
                  f"{size:.1f} of the typical gap between two states' stances")
    else:
        stance = (f"the strongest of the {len(table)} traits we measured, {trait}, moves a state by more than the "
                  f"typical gap between two states' own stances ({size:.1f} times it)")
    text = f"Taking all {n_votes} Assembly votes on the war ({years}) together, {stance}."
    if n_second:
        how = ("closely follows" if correlation >= 0.7 else "partly follows" if correlation >= 0.3
               else "runs partly against" if correlation <= -0.3 else "is unrelated to")
        text += (f" On the {n_second} texts voted since February 2025, when the United States turned against them, "
                 f"states also split along a second line, which {how} their stance on the earlier votes (the two "
                 f"correlate at {correlation:.2f}).")
    inside = int(ppc["inside"].sum())
    text += (f" Checked against the votes themselves, {inside} of {len(ppc)} counts of yes, abstain, no and absent "
             "fall within the range the model expects. These are associations, not causes.")
    return text


#: The African Group's subgroups (:data:`unvotes.models.africa.SUBGROUPS`' labels) in plain words.
_SUBGROUPS_PLAIN = {"Arab League members": "Arab League members",
                    "FLMSA party in government": "states governed by a former southern African liberation movement",
                    "Wagner or the Africa Corps deployed": "states hosting Wagner or Africa Corps forces",
                    "a coup in the previous three years": "states with a coup in the three years before the vote",
                    "none of these": "the other African states"}
_POSITIONS_PLAIN = {"yes": "voted yes", "abstain": "abstained", "no": "voted no", "absent": "stayed away"}


def africa_model_meaning(groups: pd.DataFrame, effects: pd.DataFrame) -> str:
    """The Africa model's opener, beside its key finding (:func:`africa_model`, which names the traits): how the
    group's subgroups vote in different directions and cancel when pooled (``groups``:
    :func:`unvotes.models.africa.subgroups`), and whether the dated ties improve predictions for states left out of
    the fit (``effects``: :func:`unvotes.models.africa.effects`, its cross-validated scores)."""
    from unvotes.models import africa

    shares = [f"share {p}" for p in _POSITIONS_PLAIN]
    pooled, parts = groups.iloc[0], []
    for _, r in groups.iloc[1:].iterrows():
        if not r["state-votes"]:
            continue
        top = max(shares, key=lambda c: r[c])
        parts.append(f"{_SUBGROUPS_PLAIN.get(r['subgroup'], r['subgroup'])} mostly "
                     f"{_POSITIONS_PLAIN[top.removeprefix('share ')]} ({r[top]:.0%} of their votes)")
    votes = effects.attrs.get("votes", [])
    on = f" on {votes[0]} to {votes[-1]}" if votes else ""
    text = (f"The African Group is not one bloc{on}: {_join(parts)}, against {pooled['share yes']:.0%} yes and "
            f"{pooled['share abstain']:.0%} abstentions for the group as a whole, so pulls in opposite directions "
            "cancel when the group is taken together.")
    scores = effects.attrs.get("scores", {})
    old, new = scores.get("report's covariates"), scores.get("pre-specified Africa model")
    if old and new:
        better = [name for k, (name, up) in africa.SCORES.items() if new[k] != old[k] and (new[k] > old[k]) == up]
        verdict = ("better by every measure" if len(better) == len(africa.SCORES) else
                   "no better by any measure" if not better else "better by some measures and worse by others")
        text += (f" Adding these identities and security ties to the pre-war traits makes predictions for states left "
                 f"out of the fit {verdict}.")
    return text + " These are associations, not causes."


def africa_pages(africa_effects: pd.DataFrame, drivers_effects: pd.DataFrame, drivers_votes: list[str],
                 africa_page: str = "", drivers_page: str = "") -> str:
    """Why the two pages on the African Group can seem to disagree, from both pages' own tables: the Africa model
    (``africa_effects``: :func:`unvotes.models.africa.effects`) names the traits that hold after the Holm
    adjustment in one pre-specified model with dated identities and security ties; the drivers page of the
    African Group (``drivers_effects``: :func:`unvotes.models.robustness.specification_effects` of its sample)
    names those that keep their sign and a clear interval in every specification of the report's pre-war traits,
    on ``drivers_votes`` (its vote ids). ``africa_page`` and ``drivers_page``: Markdown links to the two pages ("" names them without a link)."""
    from unvotes.models import africa, robustness

    a = africa_effects.attrs
    votes = a.get("votes", [])
    sample = (f"{len(votes)} votes from {votes[0]} to {votes[-1]}, {a.get('n_states', '?')} states and "
              f"{a.get('n_rows', '?')} state-votes")
    if list(votes) == list(drivers_votes):
        sample = f"the same {sample}"
    else:
        sample = (f"{sample} here, {len(drivers_votes)} votes from {drivers_votes[0]} to {drivers_votes[-1]} on the "
                  "other page")
    new = africa_effects[africa_effects["specification"] == "pre-specified Africa model"]
    old = africa_effects[africa_effects["specification"] == "report's covariates"]
    held = new[new["p_holm"] < 0.05]
    held_old = old[old["p_holm"] < 0.05]
    dated = held[held["term"].isin(africa.DATED_COVARIATES)]
    prewar = held[~held["term"].isin(africa.DATED_COVARIATES)]
    table = robustness.stability(drivers_effects)
    table = table[table["main (pp)"].notna()]
    steady = table[table["same sign, CI excludes 0"] == 1.0]
    ok = drivers_effects[drivers_effects["error"].isna() & drivers_effects["same_estimand"].astype(bool)]
    n_specs = ok["specification"].nunique()

    def names(rows) -> str:  # the dated yes/no traits in plain words, the pre-war measures by their labels
        said = [PLAIN[t] if t in africa.DATED_COVARIATES and t in PLAIN else str(c)
                for t, c in zip(rows.get("term", rows["covariate"]), rows["covariate"])]
        return _join(said) if said else "none"

    def passes(rows) -> str:
        return f"{names(rows)} {'pass' if len(rows) > 1 else 'passes'}"

    drivers = drivers_page or "the page on the African Group's pre-war traits"
    this = africa_page or "the pre-specified Africa model"
    text = (f"**Why the two pages on the African Group differ.** Both ask what goes with an African state abstaining "
            f"or voting no rather than voting yes (one outcome, on the scale yes < abstain < no), on "
            f"{sample}. {drivers[0].upper() + drivers[1:]} tests only the {len(table)} traits measured "
            f"before the war and calls one clear only when it keeps its direction with an interval clear of zero in "
            f"all {n_specs} versions of the model tried: {passes(steady)}. {this[0].upper() + this[1:]} adds "
            f"{len(africa.DATED_COVARIATES)} identities and security ties dated to each vote and fits one model fixed "
            "in advance, calling a trait reliable when its p-value adjusted for the number of traits (Holm) is below "
            f"0.05: {passes(held)}.")
    reasons = []
    if len(dated):
        reasons.append(f"{names(dated)} {'is' if len(dated) == 1 else 'are'} not among the traits the other page tests")
    if len(prewar):
        loose = prewar[~prewar["covariate"].isin(set(steady["covariate"]))]
        if len(loose):
            reasons.append(f"{passes(loose)} one fixed model's test but not every version of the model "
                           f"(with the pre-war traits alone, on the same rows: {passes(held_old)})")
    if reasons:
        text += " The numbers differ because " + "; and ".join(reasons) + "."
    elif not len(held) and not len(steady):
        text += " The two pages agree: nothing measured reliably goes with the group's votes."
    return text + " Associations, not causes."


def movers_pointer(chain_votes: list[str], first: str = MOVERS_PAIR[0], second: str = MOVERS_PAIR[1],
                   page: str = "") -> str:
    """On a page that counts movers over a chain of votes (``chain_votes``): the pair the site quotes and its
    counts (:func:`moved`), linked to the named lists (``page``: a Markdown link target, "" for none), and why
    the chain's counts differ."""
    groups = moved(first, second)
    lists = f" ([the states by name]({page}))" if page else ""
    same = list(chain_votes[:1]) + list(chain_votes[-1:]) == [first, second]
    return (f"Who moved between 2022 and 2025 is counted on one pair of votes across the site: {first} to {second}, "
            f"{len(groups['away'])} states from yes to abstaining or voting no and {len(groups['towards'])} from "
            f"abstaining or voting no to yes{lists}."
            + ("" if same else f" The chains below compare each state's first and last vote on a longer run of texts "
               f"(from {chain_votes[0]} to {chain_votes[-1]} on the first chain), counted as moves towards Russia's "
               "or Ukraine's position, so their counts differ from that pair's."))
