"""Inside the African Group: votes by UN M49 sub-region, by regional economic community at each vote's date,
and of the African members of the Security Council; and the benchmark of the country-specific human-rights
resolutions, which tells a reluctance to censure any state apart from a stance on Russia.

The African Group's abstentions are not spread evenly: :func:`shares_by` gives, for any grouping of its
states, the shares of yes, abstain, no and absent on a set of votes, every state-vote counted once (a state
in two communities counts in both). :func:`human_rights_benchmark` sets each state's share of not voting yes
on the country resolutions on human rights put to a recorded vote (Iran, Syria, Myanmar's Rohingya; the
titles on the DPRK are matched too, but those texts are adopted without a vote; :data:`NOT_BENCHMARK` leaves
out the post-Assad Syria text) against its share on the resolutions on human rights in the occupied
territories of Ukraine, over the same years: a state about as reluctant on both is consistent with a general
reluctance to censure country resolutions, one reluctant only on Ukraine is not (Russia votes against the
benchmark texts too, so they are not neutral towards it).
"""

from __future__ import annotations

import pandas as pd

from unvotes import api
from unvotes.tables import dated, membership

#: The core texts of the emergency session: the aggression, its humanitarian consequences, the annexations
#: and the peace principles (the punitive ES-11/3 and ES-11/5 are another kind of text).
CORE_ES11 = ["A/RES/ES-11/1", "A/RES/ES-11/2", "A/RES/ES-11/4", "A/RES/ES-11/6"]
VOTES = ("yes", "abstain", "no", "absent")
#: Country-specific human-rights resolutions of the plenary, matched on their titles.
BENCHMARK_TITLES = (r"Situation of human rights in (?:the )?(?:Islamic Republic of Iran|Syrian Arab Republic|"
                    r"Democratic People's Republic of Korea|Myanmar)|Situation of human rights of Rohingya")
UKRAINE_TITLES = r"Situation of human rights in the (?:temporarily occupied|Autonomous Republic of Crimea)"


def _african_votes(vote_ids) -> pd.DataFrame:
    v = api.load_votes()
    countries = api.load_countries()
    african = countries.loc[countries["un_group"] == "African", ["iso3", "name", "un_subregion"]].astype(str)
    v = v[v["vote_id"].isin(list(vote_ids))].astype({"vote_id": str, "iso3": str, "vote": str})
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    return v.merge(african, on="iso3").assign(date=lambda d: d["vote_id"].map(dates))


def _shares(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    counts = frame.pivot_table(index=by, columns="vote", values="iso3", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(VOTES), fill_value=0)
    total = counts.sum(axis=1)
    out = pd.DataFrame({"states": frame.groupby(by)["iso3"].nunique(), "state_votes": total})
    for vote in VOTES:
        out[f"share_{vote}"] = counts[vote] / total
    return out.sort_values("share_abstain", ascending=False).reset_index()


def shares_by_subregion(vote_ids=CORE_ES11) -> pd.DataFrame:
    """The African Group's votes on ``vote_ids`` by UN M49 sub-region: states, state-votes and the shares of
    each vote."""
    return _shares(_african_votes(vote_ids), "un_subregion").rename(columns={"un_subregion": "group"})


def shares_by_community(vote_ids=CORE_ES11) -> pd.DataFrame:
    """The African Group's votes by regional economic community (:data:`unvotes.tables.dated.COMMUNITIES`), each
    state counted in the communities it belonged to on each vote's date."""
    v = _african_votes(vote_ids)
    at = dated.values_at(v[["iso3", "date"]])
    frames = []
    for org in dated.COMMUNITIES:
        member = at[f"member_{org.lower()}_at_vote"].to_numpy(dtype=bool)
        frames.append(v[member].assign(group=org))
    return _shares(pd.concat(frames, ignore_index=True), "group")


def shares_of_council_members(vote_ids=CORE_ES11) -> pd.DataFrame:
    """The African Group's votes split by whether the state sat on the Security Council on the vote's date
    (the A3)."""
    v = _african_votes(vote_ids)
    on_council = [iso3 in membership.council_members(date) for iso3, date in zip(v["iso3"], v["date"])]
    v = v.assign(group=["on the Security Council (A3)" if x else "not on the Council" for x in on_council])
    return _shares(v, "group")


def _roll_calls(pattern: str, start: str) -> pd.DataFrame:
    rc = api.load_roll_calls()
    hit = (rc["body"] == "GA") & (rc["date"] >= start) & rc["complete"].astype(bool) & (rc["kind"] == "resolution")
    hit &= rc["title"].str.contains(pattern, case=False, regex=True, na=False)
    return rc.loc[hit, ["vote_id", "date", "title"]].sort_values("date").reset_index(drop=True)


#: Left out of the benchmark: the Syria resolution of December 2025, after the fall of the Assad government
#: (114-2-47, Syria voting yes), is another kind of text.
NOT_BENCHMARK = ("A/RES/80/224",)


def benchmark_votes(start: str = "2019-01-01") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The complete recorded votes on the country-specific human-rights resolutions (the benchmark) and on
    human rights in the occupied territories of Ukraine, from ``start`` (the sessions where both are recorded
    with full roll calls), limited to the years both have."""
    bench, ukraine = _roll_calls(BENCHMARK_TITLES, start), _roll_calls(UKRAINE_TITLES, start)
    bench = bench[~bench["vote_id"].isin(NOT_BENCHMARK)]
    years = set(bench["date"].dt.year) & set(ukraine["date"].dt.year)
    return (bench[bench["date"].dt.year.isin(years)].reset_index(drop=True),
            ukraine[ukraine["date"].dt.year.isin(years)].reset_index(drop=True))


def human_rights_benchmark(start: str = "2019-01-01") -> pd.DataFrame:
    """Per state: the share of not voting yes (abstaining or voting no; absences left out) on the benchmark
    resolutions and on the Ukraine human-rights resolutions of the same years, and the difference (Ukraine
    minus benchmark, in shares). Russia and Ukraine, the parties, are left out."""
    bench, ukraine = benchmark_votes(start)
    v = api.load_votes()
    v = v[v["vote"].isin(["yes", "abstain", "no"])].astype({"vote_id": str, "iso3": str, "vote": str})
    v = v[~v["iso3"].isin(["RUS", "UKR"])]

    def not_yes(ids):
        w = v[v["vote_id"].isin(ids)]
        g = w.groupby("iso3")["vote"]
        return g.size(), g.apply(lambda s: (s != "yes").sum())

    n_b, b = not_yes(bench["vote_id"])
    n_u, u = not_yes(ukraine["vote_id"])
    out = pd.DataFrame({"benchmark_votes": n_b, "benchmark_not_yes": b, "ukraine_votes": n_u, "ukraine_not_yes": u})
    out = out.fillna(0).astype(int)
    out["benchmark_rate"] = (out["benchmark_not_yes"] / out["benchmark_votes"]).where(out["benchmark_votes"] > 0)
    out["ukraine_rate"] = (out["ukraine_not_yes"] / out["ukraine_votes"]).where(out["ukraine_votes"] > 0)
    out["difference"] = out["ukraine_rate"] - out["benchmark_rate"]
    out = api.names_and_groups(out.index).join(out.set_axis(out.index.astype(str)))
    return out.reset_index().sort_values("difference", ascending=False, ignore_index=True)


def describe_benchmark(bench: pd.DataFrame, ukraine: pd.DataFrame) -> str:
    """What the benchmark holds, counted: '15 benchmark votes (7 on the Islamic Republic of Iran, ...) and 7
    Ukraine human-rights votes, 2019-2025.'"""
    subjects = bench["title"].str.replace(r"^Situation of human rights (?:in|of) ", "", regex=True).value_counts()
    parts = ", ".join(f"{n} on {subject}" for subject, n in subjects.items())
    return (f"{len(bench)} benchmark votes ({parts}) and {len(ukraine)} Ukraine human-rights votes, "
            f"{bench['date'].dt.year.min()}-{bench['date'].dt.year.max()}.")


def benchmark_by_group(table: pd.DataFrame, margin: float = 0.25) -> pd.DataFrame:
    """Per UN regional group: mean not-yes rates on the benchmark and on Ukraine, and how many states refuse
    to censure Ukraine's occupier more than the benchmark's states (difference above ``margin``), about as often
    (within it) or less."""
    t = table.dropna(subset=["difference"])
    g = t.groupby("un_group")
    return pd.DataFrame({
        "states": g.size(), "benchmark_rate": g["benchmark_rate"].mean(), "ukraine_rate": g["ukraine_rate"].mean(),
        "more_on_ukraine": g["difference"].apply(lambda d: int((d > margin).sum())),
        "about_the_same": g["difference"].apply(lambda d: int(d.abs().le(margin).sum())),
        "less_on_ukraine": g["difference"].apply(lambda d: int((d < -margin).sum()))}).reset_index()
