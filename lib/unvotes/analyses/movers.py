"""The movers: how states' votes on Ukraine changed between 2019 and 2025, set against what changed in them
(coups, the arrival of Wagner or the Africa Corps, BRICS and AES membership, exits from ECOWAS), and who follows
whom (China's abstentions against Russia's no votes).

The main evidence is a within-state panel (:func:`event_panel`): every state's votes on the Ukraine texts and on
the country human-rights resolutions of the same years (placebo items), with a fixed effect per state and per
item, so that each event is set against the same state's votes without it. It is still an **association**: the
events are few and overlap (Niger had all of them), a handful of states identify each one, their timing is
coarse (an arrival dated to the month), and governments also change by elections, which the data do not date.

Each *move* (:func:`movers`) is a state's change between its vote on the first text of a chain and on the last
(:data:`CHAINS`), with the events between them; :func:`association` gives Fisher's exact tests on those small
tables, one per event, not adjusted for their number: descriptions of differences between states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from unvotes import api, memo
from unvotes.tables import dated
from unvotes.analyses import shifts

#: Chains of texts of the same kind, first to last: the aggression texts of the emergency session (the
#: US text ES-11/8 is of another kind), and the yearly resolutions on human rights in the occupied territories.
#: On ES-11/7 (24 February 2025) the United States voted no with Russia, so a move towards Russia's position
#: on the first chain is also a move with the United States: the second chain, which the US reversal did not
#: touch in the same way, is the cleaner comparison.
CHAINS = {
    "aggression (ES-11/1 to ES-11/7)": ["A/RES/ES-11/1", "A/RES/ES-11/4", "A/RES/ES-11/6", "A/RES/ES-11/7"],
    "human rights in the occupied territories (2021 to 2025)": ["A/RES/76/179", "A/RES/77/229", "A/RES/78/221",
                                                                 "A/RES/79/184", "A/RES/80/223"],
}
#: Positions ordered from Ukraine's side to Russia's; an absence is not on this scale.
POSITION = {"yes": 0, "abstain": 1, "no": 2}
EVENTS = ("coup", "russian_forces_arrived", "joined_brics", "left_ecowas")
EVENT_LABELS = {"coup": "a coup", "russian_forces_arrived": "Wagner or the Africa Corps arrived",
                "joined_brics": "joined BRICS", "left_ecowas": "left ECOWAS", "any event": "any of these"}
#: What a reader must know about a chain before reading its moves.
CHAIN_NOTES = {
    "aggression (ES-11/1 to ES-11/7)": "On ES-11/7 the United States voted no with Russia, so a move towards "
                                      "Russia's position on this chain is also a move with the United States.",
}
PARTIES = ("RUS", "UKR")


def _dates(vote_ids) -> pd.Series:
    return api.load_roll_calls().set_index("vote_id").loc[list(vote_ids), "date"]


def movers(chain: str | list[str] = next(iter(CHAINS))) -> pd.DataFrame:
    """Every state's first and last vote on a chain (a name of :data:`CHAINS` or a list of vote ids), the
    direction of its move and the events between the two votes. Columns: iso3, name, un_group, first, last,
    direction (towards Russia, towards Ukraine, unchanged, absent on one), moves (number of changes of
    position along the chain) and one boolean per event of :data:`EVENTS` with ``events`` naming them."""
    ids = CHAINS[chain] if isinstance(chain, str) else list(chain)
    matrix = shifts.vote_table(ids).dropna(subset=[ids[0], ids[-1]])
    dates = _dates(ids)
    first_date, last_date = dates[ids[0]], dates[ids[-1]]
    iso3 = matrix.index.astype(str)
    at_first = dated.values_at(pd.DataFrame({"iso3": iso3, "date": first_date})).set_index("iso3")
    at_last = dated.values_at(pd.DataFrame({"iso3": iso3, "date": last_date})).set_index("iso3")
    coups = dated.coup_events()  # Powell & Thyne with the cited later events and corrections
    forces = dated.load("russian_security_presence")
    countries = api.load_countries().set_index("iso3")
    # Presence at the first vote, as a plain bool: unknown (<NA>, a stale report) is not a presence. A new period
    # that begins while forces were already there (Wagner relabelled the Africa Corps) is not an arrival.
    present_at_first = at_first["russian_forces"].fillna(False).astype(bool)
    rows = []
    for state, votes in matrix.iterrows():
        state = str(state)
        first, last = votes[ids[0]], votes[ids[-1]]
        if first in POSITION and last in POSITION:
            step = POSITION[last] - POSITION[first]
            direction = "towards Russia" if step > 0 else "towards Ukraine" if step < 0 else "unchanged"
        else:
            direction = "absent on one"
        cast = [POSITION[v] for v in votes[ids] if v in POSITION]
        coup = coups[(coups["iso3"] == state) & (coups["date"] > first_date) & (coups["date"] <= last_date)]
        arrived = forces[(forces["iso3"] == state) & (forces["valid_from"] > first_date)
                         & (forces["valid_from"] <= last_date)]
        events = {
            "coup": len(coup) > 0,
            "russian_forces_arrived": len(arrived) > 0 and not present_at_first[state],
            "joined_brics": bool(at_last.at[state, "member_brics_at_vote"] and not at_first.at[state, "member_brics_at_vote"]),
            "left_ecowas": bool(at_first.at[state, "member_ecowas_at_vote"] and not at_last.at[state, "member_ecowas_at_vote"]),
        }
        rows.append({"iso3": state, "name": countries.at[state, "name"], "un_group": countries.at[state, "un_group"],
                     "first_vote": first, "last_vote": last, "direction": direction,
                     "moves": sum(a != b for a, b in zip(cast, cast[1:])), **events,
                     "events": ", ".join(e.replace("_", " ") for e, hit in events.items() if hit)})
    return pd.DataFrame(rows)


def _at_risk(table: pd.DataFrame) -> pd.DataFrame:
    """The states that could move towards Russia: a vote cast on both texts, not already at no on the first,
    not a party to the war."""
    return table[(table["direction"] != "absent on one") & (table["first_vote"] != "no")
                 & ~table["iso3"].isin(PARTIES)]


def association(table: pd.DataFrame) -> pd.DataFrame:
    """For each event and for any event: of the states that could move towards Russia (a vote on both texts,
    not at no already, not a party), how many moved with and without it, and Fisher's exact test (two-sided,
    unadjusted: descriptions, one per event). States absent on either text are left out (listed by
    :func:`movers` as 'absent on one')."""
    cast = _at_risk(table)
    moved = cast["direction"] == "towards Russia"
    rows = []
    for event in [*EVENTS, "any event"]:
        hit = cast[list(EVENTS)].any(axis=1) if event == "any event" else cast[event]
        a, b = int((hit & moved).sum()), int((hit & ~moved).sum())
        c, d = int((~hit & moved).sum()), int((~hit & ~moved).sum())
        p = stats.fisher_exact([[a, b], [c, d]])[1] if (a + b) and (c + d) else float("nan")
        rows.append({"event": EVENT_LABELS[event], "states_with": a + b, "moved_with": a,
                     "share_moved_with": a / (a + b) if a + b else float("nan"), "states_without": c + d,
                     "moved_without": c, "share_moved_without": c / (c + d) if c + d else float("nan"), "p": p})
    return pd.DataFrame(rows)


def headline(table: pd.DataFrame, chain: str) -> str:
    """One sentence with the numbers behind it."""
    cast = table[(table["direction"] != "absent on one") & ~table["iso3"].isin(PARTIES)]
    towards = cast[cast["direction"] == "towards Russia"]
    away = cast[cast["direction"] == "towards Ukraine"]
    a = association(table).set_index("event").loc[EVENT_LABELS["any event"]]
    absent = table[(table["direction"] == "absent on one") & ~table["iso3"].isin(PARTIES)]
    to_no = towards[towards["last_vote"] == "no"].sort_values("name")["name"]
    return (f"On the chain of {chain}, {len(towards)} of the {len(cast)} states that voted on both texts (the "
            f"parties left out; {len(absent)} more were absent on one) moved towards Russia's position "
            f"({len(to_no)} of them to a no: {', '.join(to_no) or 'none'}) and {len(away)} towards Ukraine's. Of the "
            f"{int(a.states_with)} states that could move (not at no already) and had a coup, an arrival of Wagner or "
            f"the Africa Corps, BRICS accession or an exit from ECOWAS in between, {int(a.moved_with)} moved towards "
            f"Russia's position ({a.share_moved_with:.0%}), against {int(a.moved_without)} of the "
            f"{int(a.states_without)} others ({a.share_moved_without:.0%}; Fisher's exact p = {a.p:.2g}): a "
            "description of changes between states, not a measured effect. " + CHAIN_NOTES.get(chain, "")).strip()


#: China-following is shown only for states that cast at least this many of the votes where China and Russia
#: differed (a share of 4 votes says little).
CHINA_MIN_VOTES = 8


def china_following(vote_ids: list[str] | None = None, min_votes: int = CHINA_MIN_VOTES) -> pd.DataFrame:
    """Per state that cast at least ``min_votes`` of them: how often it cast China's vote and how often Russia's
    on the complete Assembly votes on Ukraine where China and Russia voted differently (default: all of them),
    and the difference (China-following net of agreement with Russia). Absences are left out, as in agreement
    scores."""
    vote_ids = shifts.ukraine_votes(body="GA", complete_only=True) if vote_ids is None else list(vote_ids)
    m = shifts.vote_table(vote_ids)
    differ = [v for v in vote_ids if m.at["CHN", v] in POSITION and m.at["RUS", v] in POSITION
              and m.at["CHN", v] != m.at["RUS", v]]
    sub = m[differ].drop(index=["CHN", "RUS"])
    cast = sub.isin(list(POSITION))
    with_china = (sub.eq(m.loc["CHN", differ]) & cast).sum(axis=1)
    with_russia = (sub.eq(m.loc["RUS", differ]) & cast).sum(axis=1)
    n = cast.sum(axis=1)
    out = api.names_and_groups(sub.index).assign(votes_cast=n.values, with_china=with_china.values,
                                                 with_russia=with_russia.values)
    out = out[out["votes_cast"] >= min_votes]
    out["share_china"] = (out["with_china"] / out["votes_cast"]).where(out["votes_cast"] > 0)
    out["share_russia"] = (out["with_russia"] / out["votes_cast"]).where(out["votes_cast"] > 0)
    out["china_net"] = out["share_china"] - out["share_russia"]
    out.attrs["votes"] = differ
    return out.reset_index().sort_values(["china_net", "with_china"], ascending=False, ignore_index=True)


# ---------------------------------------------------------------------------------------------- the panel

#: The dated events of the within-state panel (:func:`event_panel`): column -> what it says at a vote's date.
PANEL_EVENTS = {
    "coup_within_3y": "had a coup in the three years before",
    "russian_forces": "hosted Wagner or the Africa Corps",
    "member_brics_at_vote": "was a member of BRICS",
    "member_aes_at_vote": "was in the Alliance of Sahel States (AES)",
    "left_ecowas": "had left ECOWAS",
}
#: The Ukraine items of the panel are the complete General Assembly votes on the war from this date (the years
#: of the benchmark), without the US text ES-11/8, whose yes is not Ukraine's side.
PANEL_START = "2019-01-01"
#: Permutations of the randomisation p-values of the panel.
PANEL_PERMUTATIONS = 1000
PANEL_LEAVE_OUT = ("A/RES/ES-11/8",)
UKRAINE, BENCHMARK = "Ukraine", "benchmark (placebo)"


def panel_frame(group: str | None = None, start: str = PANEL_START) -> pd.DataFrame:
    """One row per (state, item) of the within-state panel: the complete General Assembly votes on Ukraine from
    ``start`` (family "Ukraine") and the country human-rights benchmark of the same years (Iran, Syria,
    Myanmar; :func:`unvotes.analyses.regions.benchmark_votes`, family "benchmark (placebo)"), the votes cast (absences
    left out), the parties left out; ``group`` None or a UN regional group ("African"). Columns: iso3, name,
    un_group, vote_id, date, family, vote, not_yes (abstain or no = 1) and the events of :data:`PANEL_EVENTS`
    at the vote's date (0/1). ``left_ecowas``: a member of ECOWAS at ``start`` and not at the vote. Rows where
    an event is unknown (a deployment past its latest source) are left out; ``attrs['left_out']`` counts them."""
    from unvotes.analyses import regions

    ukraine = [v for v in shifts.ukraine_votes(start=start, body="GA", complete_only=True) if v not in PANEL_LEAVE_OUT]
    bench, _ = regions.benchmark_votes(start)
    items = pd.DataFrame({"vote_id": ukraine + bench["vote_id"].tolist(),
                          "family": [UKRAINE] * len(ukraine) + [BENCHMARK] * len(bench)})
    v = api.load_votes()
    v = v[v["vote_id"].isin(items["vote_id"]) & v["vote"].isin(list(POSITION))].astype(
        {"vote_id": str, "iso3": str, "vote": str})[["vote_id", "iso3", "vote"]]
    v = v[~v["iso3"].isin(PARTIES)]
    countries = api.load_countries().set_index("iso3")
    if group is not None:
        groups = sorted(countries["un_group"].dropna().unique())
        if group not in groups:
            raise shifts.UnvotesError(f"unknown group {group!r}; choose None or one of {groups}")
        v = v[v["iso3"].map(countries["un_group"]) == group]
    v = v.merge(items, on="vote_id")
    v["date"] = v["vote_id"].map(api.load_roll_calls().set_index("vote_id")["date"])
    states = sorted(set(v["iso3"]))
    # one join for the votes' dates and the start date (each join reads and checks every dated table)
    both = dated.values_at(pd.concat([v[["iso3", "date"]],
                                      pd.DataFrame({"iso3": states, "date": pd.Timestamp(start)})], ignore_index=True))
    at, base = both.iloc[:len(v)].reset_index(drop=True), both.iloc[len(v):].set_index("iso3")
    at["left_ecowas"] = at["iso3"].map(base["member_ecowas_at_vote"]).astype(bool) & ~at["member_ecowas_at_vote"]
    events = at[list(PANEL_EVENTS)]
    unknown = events.isna().any(axis=1).to_numpy()
    out = v.reset_index(drop=True).assign(**{e: events[e] for e in PANEL_EVENTS})
    out = out[~unknown].copy()
    for e in PANEL_EVENTS:
        out[e] = out[e].astype(float)
    out["not_yes"] = (out["vote"] != "yes").astype(int)
    out.insert(1, "name", out["iso3"].map(countries["name"]))
    out.insert(2, "un_group", out["iso3"].map(countries["un_group"]))
    out = out.reset_index(drop=True)
    out.attrs["left_out"] = int(unknown.sum())
    out.attrs["left_out_states"] = sorted(set(v.loc[unknown, "iso3"]))
    return out


@memo.shared  # the movers section and the tests share the fit
def event_panel(group: str | None = None, start: str = PANEL_START, permutations: int = PANEL_PERMUTATIONS,
                seed: int = 2022) -> pd.DataFrame:
    """What the dated events go with **within states**: a linear probability model of not voting yes on the
    panel of :func:`panel_frame`, with a fixed effect per item and per state and family of items (each state's
    own level on the Ukraine texts and on the benchmark), each event entered separately for the Ukraine items
    and for the benchmark items, standard errors clustered by state. An event's coefficient on the Ukraine
    items is the change in a state's probability of not voting yes while the event holds, against its own
    level on the other Ukraine items and the item's level across states; the same on the benchmark items is a
    **placebo**: an event that moves a state off yes on every country resolution speaks of a reluctance to
    censure, not of a position on Russia's war. An event no state switches in the sample is dropped.

    Rows: per event, the Ukraine and placebo coefficients (percentage points, 95% CI, p), their difference, and
    the states whose status changes within the sample (they alone identify it). Since two to ten states switch,
    the clustered p-values can be far too small: ``Ukraine: randomisation p`` permutes the events' paths over
    the items among the sample's states (``permutations`` times, seeded) and recomputes the residuals of the
    model without the event's Ukraine term summed over the treated state-votes (Rosenbaum's covariance-adjusted
    statistic), a test of the sharp null that the event changed no state's vote."""
    import statsmodels.api as sm

    d = panel_frame(group, start)
    d = d.assign(state_family=d["iso3"] + ":" + d["family"].str[:3])
    switching = {e: sorted(s for s, x in d[d["family"] == UKRAINE].groupby("iso3")[e] if x.nunique() > 1)
                 for e in PANEL_EVENTS}
    used = [e for e in PANEL_EVENTS if switching[e]]
    X = pd.DataFrame({f"{e}:{fam}": d[e] * (d["family"] == family)
                      for e in used for fam, family in (("is_ukraine", UKRAINE), ("is_bench", BENCHMARK))})
    # The fixed effects are absorbed (Frisch-Waugh-Lovell, as pyfixest and reghdfe do) rather than entered as
    # some 400 dummies: the same slopes, in a fraction of the time.
    y, X = _absorb(d["not_yes"].astype(float), X, [d["vote_id"], d["state_family"]])
    fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    ri = _panel_randomisation(d, y, X, used, permutations, seed)
    names = api.load_countries().set_index("iso3")["name"]
    rows = []
    for e in PANEL_EVENTS:
        row = {"event": PANEL_EVENTS[e], "column": e, "states switching": len(switching[e]),
               "which": ", ".join(str(names.get(s, s)) for s in switching[e])}
        if e in used:
            for label, term in (("Ukraine", f"{e}:is_ukraine"), ("placebo", f"{e}:is_bench"), ("difference", None)):
                if term is None:
                    t = fit.t_test(f"{e}:is_ukraine - {e}:is_bench")
                    est, se, p = float(t.effect[0]), float(t.sd[0][0]), float(t.pvalue)
                else:
                    est, se, p = float(fit.params[term]), float(fit.bse[term]), float(fit.pvalues[term])
                row.update({f"{label}: pp": est * 100, f"{label}: 95% CI": f"{(est - 1.96 * se) * 100:+.1f} to "
                            f"{(est + 1.96 * se) * 100:+.1f}", f"{label}: p": p})
                if label == "Ukraine":
                    row["Ukraine: randomisation p"] = ri[e]
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update(n_rows=int(fit.nobs), n_states=int(d["iso3"].nunique()),
                     ukraine_items=int(d.loc[d["family"] == UKRAINE, "vote_id"].nunique()),
                     benchmark_items=int(d.loc[d["family"] == BENCHMARK, "vote_id"].nunique()),
                     left_out=d.attrs["left_out"], left_out_states=d.attrs["left_out_states"],
                     group="the African Group" if group == "African" else f"the {group} Group" if group
                     else "all member states")
    return out


def _panel_randomisation(d: pd.DataFrame, y: pd.Series, X: pd.DataFrame, events: list[str], permutations: int,
                         seed: int) -> dict[str, float]:
    """Randomisation p of each event's Ukraine coefficient (see :func:`event_panel`). ``y`` and ``X`` have the
    fixed effects absorbed; the residual of ``y`` on every other column is orthogonal to the fixed effects, so
    the permuted treatment need not be absorbed again."""
    ukraine = (d["family"] == UKRAINE).to_numpy()
    items = d.loc[ukraine].sort_values("date")["vote_id"].unique()
    states = pd.Index(sorted(d["iso3"].unique()))
    state_of = states.get_indexer(d["iso3"])
    item_of = pd.Index(items).get_indexer(d["vote_id"])
    rng = np.random.default_rng(seed)
    perms = np.vstack([np.arange(len(states))] + [rng.permutation(len(states)) for _ in range(permutations)])
    out = {}
    for e in events:
        term = f"{e}:is_ukraine"
        other = X.drop(columns=term).to_numpy()
        beta, *_ = np.linalg.lstsq(other, y.to_numpy(), rcond=None)
        residual = y.to_numpy() - other @ beta
        # each state's path over the Ukraine items; a state absent on an item takes its value at the nearest one
        path = (d[ukraine].pivot(index="iso3", columns="vote_id", values=e).reindex(index=states, columns=items)
                .ffill(axis=1).bfill(axis=1).fillna(0.0).to_numpy())
        x = np.zeros((len(perms), len(d)))
        x[:, ukraine] = path[perms[:, state_of[ukraine]], item_of[ukraine]]
        # Rosenbaum's statistic, the residuals summed over the treated rows (a statistic studentised by state
        # would be bounded by the square root of the two or three switching states)
        stats = x @ residual
        out[e] = float(np.mean(np.abs(stats) >= abs(stats[0]) - 1e-12))
    return out


def _absorb(y: pd.Series, X: pd.DataFrame, factors: list[pd.Series], tol: float = 1e-12, max_iter: int = 10_000):
    """``y`` and ``X`` with the fixed effects of ``factors`` partialled out, by alternating projections (demean
    within each factor in turn until nothing changes)."""
    codes = [pd.factorize(f)[0] for f in factors]
    data = pd.concat([y.rename("__y"), X], axis=1).to_numpy(dtype=float)
    for _ in range(max_iter):
        before = data.copy()
        for c in codes:
            sums = np.zeros((c.max() + 1, data.shape[1]))
            np.add.at(sums, c, data)
            data -= (sums / np.bincount(c)[:, None])[c]
        if np.abs(data - before).max() < tol:
            break
    else:
        raise shifts.UnvotesError("the fixed effects could not be absorbed (no convergence)")
    return (pd.Series(data[:, 0], index=y.index, name=y.name),
            pd.DataFrame(data[:, 1:], index=X.index, columns=X.columns))


def panel_headline(panel: pd.DataFrame) -> str:
    """The panel in two sentences: the events whose association on the Ukraine items is clear (p < 0.05), each
    with its placebo, and the sample."""
    a = panel.attrs
    est = panel.dropna(subset=["Ukraine: pp"]) if "Ukraine: pp" in panel else panel.iloc[:0]
    clear = est[est["Ukraine: p"] < 0.05]

    def said(r):
        placebo = ("and not on the benchmark" if r["placebo: p"] >= 0.05 else
                   f"but also {r['placebo: pp']:+.0f} pp on the benchmark (placebo), so not specific to Ukraine")
        ri = r["Ukraine: randomisation p"]
        by_ri = (f"randomisation p = {ri:.2g}" + (", so not clear once the few switching states are taken into "
                                                  "account" if ri >= 0.05 else ""))
        return (f"{r['event']} ({r['Ukraine: pp']:+.0f} pp, 95% CI {r['Ukraine: 95% CI']}, clustered p = "
                f"{r['Ukraine: p']:.2g}, {by_ri}; {r['states switching']} state(s) switching: {r['which']}) {placebo}")

    lead = (f"Within states ({a['group']}, {a['n_states']} states, {a['ukraine_items']} Ukraine items and "
            f"{a['benchmark_items']} benchmark items, state and item fixed effects), ")
    if clear.empty:
        body = "no dated event goes with a clear change in a state's probability of not voting yes on the Ukraine texts"
    else:
        body = "a state's probability of not voting yes on the Ukraine texts changed while it " + "; while it ".join(
            said(r) for _, r in clear.iterrows())
    rest = est[est["Ukraine: p"] >= 0.05]["event"].tolist()
    tail = f". Not clear (p ≥ 0.05), while it {'; '.join(rest)}" if rest and not clear.empty else ""
    return (lead + body + tail + ". Few states switch, so the randomisation p-values are the ones to read: "
            "associations within a handful of states, not measured effects.")
