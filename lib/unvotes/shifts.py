"""How states' votes change between votes: a states x votes matrix, transition tables, switchers."""

from __future__ import annotations

import pandas as pd

from . import api

VOTE_ORDER = ["yes", "abstain", "no", "absent"]
#: Reading order from most to least supportive of a text, used to call a change "towards yes" or "away".
SUPPORT_RANK = {"yes": 0, "abstain": 1, "absent": 2, "no": 3}


def vote_matrix(vote_ids: list[str]) -> pd.DataFrame:
    """States (rows, ISO3) x votes (columns, in the order given) of yes/no/abstain/absent.

    A missing cell means the state was not a UN member on that date (or, for a partial roll call, that
    its vote is not recorded)."""
    for vote_id in vote_ids:
        api.roll_call(vote_id)  # unknown ids fail here with close matches
    v = api.load_votes()
    v = v[v["vote_id"].isin(vote_ids)].astype({"vote_id": str, "iso3": str, "vote": str})
    m = v.pivot(index="iso3", columns="vote_id", values="vote").reindex(columns=vote_ids)
    m.columns.name = None
    return m.sort_index()


def transition_table(first: str, second: str, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of states by (vote on ``first``) x (vote on ``second``), states in both roll calls only.

    Rows and columns follow VOTE_ORDER; margins are the row and column totals."""
    m = vote_matrix([first, second]) if matrix is None else matrix[[first, second]]
    both = m.dropna()
    table = pd.crosstab(pd.Categorical(both[first], VOTE_ORDER), pd.Categorical(both[second], VOTE_ORDER),
                        dropna=False, margins=True, margins_name="total")
    table.index.name, table.columns.name = first, second
    return table


def switchers(first: str, second: str, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """States whose vote differs between ``first`` and ``second``: iso3, name, both votes and the direction
    ("towards yes" when the second vote is more supportive in SUPPORT_RANK order, else "away from yes")."""
    m = vote_matrix([first, second]) if matrix is None else matrix[[first, second]]
    both = m.dropna()
    changed = both[both[first] != both[second]].copy()
    rank_change = changed[second].map(SUPPORT_RANK) - changed[first].map(SUPPORT_RANK)
    changed["direction"] = rank_change.map(lambda d: "towards yes" if d < 0 else "away from yes")
    names = api.load_countries().set_index("iso3")["name"]
    changed.insert(0, "name", changed.index.map(names))
    changed.index.name = "iso3"
    return changed.reset_index().sort_values(["direction", first, second, "name"]).reset_index(drop=True)
