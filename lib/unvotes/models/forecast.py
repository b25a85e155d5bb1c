"""A published forecast of the next Ukraine vote in the Assembly, stored before the vote and scored after it.

:func:`make` draws each state's probabilities of yes, abstain, no and absent on a coming vote from the report's
hierarchical model (:mod:`unvotes.models.hierarchical`): the coming text is taken to behave like the last vote
of the same text (its *template*: the same item parameters, with their posterior uncertainty), each state at its
own position with its covariates on the forecast date (the dated tables as they stand; a dated covariate unknown
then keeps its value at the template vote), and its absence step told whether it voted at its latest vote in the
data. :func:`write` stores it under ``forecasts/`` in the repository
(``<id>.csv``: one row per state; ``<id>.json``: when it was made, from what, and which roll call it is for) and
refuses to overwrite a stored forecast: a forecast is published once, before its vote.

:func:`score` finds each stored forecast's roll call (the first complete catalogued Assembly vote of the stated
theme dated after the forecast was made) and, once it is in the data, scores it (mean log score, multi-category
Brier score, share of states whose most likely vote happened) against a persistence baseline fixed in the same
file: each state's vote on the template carried forward through the transition rates observed between
consecutive votes of the same text before the forecast. Until that roll call is in the data, the forecast waits.
States the model leaves out (the parties, states lacking a covariate) are not forecast, and say so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from unvotes.tables import catalogue
from unvotes import paths
from unvotes.errors import UnvotesError

CATEGORIES = ("yes", "abstain", "no", "absent")
PROBABILITY_COLUMNS = [f"p_{c}" for c in CATEGORIES]
BASELINE_COLUMNS = [f"baseline_{c}" for c in CATEGORIES]
#: The forecast of record: the yearly text on human rights in the occupied territories, due in December 2026.
NEXT_VOTE = {"id": "2026-12-human-rights-occupied-territories", "theme": "Human rights in occupied Crimea and territories",
             "template": "A/RES/80/223", "expected": "2026-12-15",
             "description": "the General Assembly's yearly resolution on human rights in the temporarily occupied "
                           "territories of Ukraine (session 81), expected in mid-December 2026"}


class ForecastError(UnvotesError, ValueError):
    """A stored forecast that cannot be read or scored, or a forecast that would overwrite one."""


def folder() -> Path:
    """Where forecasts are stored: ``forecasts/`` in the repository (``UNVOTES_FORECASTS`` overrides it)."""
    return paths.forecasts_dir()


def _transitions(theme: str, before: pd.Timestamp) -> pd.DataFrame:
    """Rates of moving from each vote to each vote between consecutive complete votes of one text (theme), over
    the votes before ``before``, with add-one smoothing: rows = category on the earlier vote."""
    from unvotes import api

    cat = catalogue.load()
    chain = cat[(cat["theme"] == theme) & cat["complete"].astype(bool) & (pd.to_datetime(cat["date"]) < before)]
    chain = chain.sort_values("date")["vote_id"].tolist()
    v = api.load_votes()
    counts = pd.DataFrame(1.0, index=list(CATEGORIES), columns=list(CATEGORIES))
    for earlier, later in zip(chain, chain[1:]):
        a = v[v["vote_id"] == earlier].set_index("iso3")["vote"].astype(str)
        b = v[v["vote_id"] == later].set_index("iso3")["vote"].astype(str)
        both = pd.concat([a.rename("from"), b.rename("to")], axis=1, join="inner")
        both = both[both["from"].isin(CATEGORIES) & both["to"].isin(CATEGORIES)]
        counts = counts.add(pd.crosstab(both["from"], both["to"]).reindex(index=list(CATEGORIES), columns=list(CATEGORIES)).fillna(0), fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def make(fit, spec: dict = NEXT_VOTE, made_on: str | None = None, most_draws: int = 1000) -> tuple[pd.DataFrame, dict]:
    """Each state's probabilities on the coming vote (``spec``: theme, template vote, expected date) from ``fit``."""
    from unvotes import api
    from unvotes.tables import dated
    from unvotes.models import hierarchical as h

    made_on = pd.Timestamp(made_on or pd.Timestamp.today().normalize())
    data = fit.data
    items = data.items["vote_id"].tolist()
    if spec["template"] not in items:
        raise ForecastError(f"the template vote {spec['template']} is not among the model's votes")
    j = items.index(spec["template"])
    a = data.arrays()
    x = a["x"][:, j, :].copy()                                   # each state's covariates at the template vote
    in_template = a["observed"][:, j]
    # dated covariates on the forecast date where the tables know them
    dated_terms = [t for t in data.terms if t in dated.COVARIATES]
    if dated_terms:
        when = pd.Timestamp(spec["expected"])
        now = dated.values_at(pd.DataFrame({"iso3": list(data.states), "date": when}))
        for t in dated_terms:
            k = data.terms.index(t)
            known = now[t].notna().to_numpy()
            x[known, k] = now.loc[known, t].astype(float).to_numpy() - a["center"][k]
    # states with a row at the template vote or at an earlier vote: the latest row's covariates stand in
    seen = a["observed"].any(axis=1)
    for s in np.nonzero(seen & ~in_template)[0]:
        last = np.nonzero(a["observed"][s])[0].max()
        x[s] = a["x"][s, last]
    grid = np.repeat(a["x"][:, :1, :], len(items), axis=1)
    grid[:, j, :] = x
    idx = h._thin(fit, most_draws)
    # whether each state voted at its latest vote in the data (the absence step's persistence term)
    before = a["away_before"].copy()
    latest = np.where(seen, a["observed"].shape[1] - 1 - np.argmax(a["observed"][:, ::-1], axis=1), 0)
    before[:, j] = (a["absence"][np.arange(len(latest)), latest] > h.VOTED).astype(np.float32)
    pos = h.position_probabilities(fit, idx, grid)[:, :, j, :]     # draw, state, 3
    away = h.absence_probabilities(fit, idx, grid, before)[:, :, j, :]
    p = np.concatenate([pos * away[..., :1], (1 - away[..., :1])], axis=-1).mean(axis=0)
    countries = api.load_countries().set_index("iso3")
    out = pd.DataFrame(p, columns=PROBABILITY_COLUMNS)
    out.insert(0, "iso3", list(data.states))
    out.insert(1, "name", out["iso3"].map(countries["name"]))
    out = out[seen].reset_index(drop=True)
    # the persistence baseline, fixed now: the state's template vote through the text's transition rates
    rates = _transitions(spec["theme"], made_on)
    last = api.load_votes()
    last = last[last["vote_id"] == spec["template"]].set_index("iso3")["vote"].astype(str)
    prior = last.reindex(out["iso3"]).where(lambda s: s.isin(CATEGORIES), "absent")
    out[BASELINE_COLUMNS] = rates.loc[prior.to_numpy()].to_numpy()
    out[PROBABILITY_COLUMNS + BASELINE_COLUMNS] = out[PROBABILITY_COLUMNS + BASELINE_COLUMNS].round(4)
    meta = {**spec, "made_on": f"{made_on:%Y-%m-%d}", "model": "unvotes.models.hierarchical",
            "settings": fit.settings.describe(), "model_version": _model_version(),
            "votes_fitted": items, "covariates": data.terms,
            "states": int(len(out)), "left_out": "the parties to the war (Russia, Ukraine) and states lacking a "
                                                 "covariate are not forecast",
            "baseline": "the state's vote on the template carried forward through the transition rates between "
                        "consecutive votes of the same text before the forecast (add-one smoothed)"}
    return out, meta


def _model_version() -> str:
    """The package version and, in a git checkout, the commit: what a stored forecast was made with."""
    import subprocess

    from unvotes import __version__

    root = Path(__file__).resolve().parents[3]
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"unvotes {__version__}" + (f", commit {commit}" if commit else "")


def write(table: pd.DataFrame, meta: dict, overwrite: bool = False) -> Path:
    """Store a forecast (atomically); an existing forecast of the same id is never replaced unless asked."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    csv, js = where / f"{meta['id']}.csv", where / f"{meta['id']}.json"
    if (csv.exists() or js.exists()) and not overwrite:
        raise ForecastError(f"a forecast {meta['id']} is already stored in {where}: a published forecast is not "
                            "replaced. Give the new one another id.")
    for path, text in ((csv, table.to_csv(index=False)), (js, json.dumps(meta, indent=2) + "\n")):
        paths.write_atomic(path, text)
    return csv


@dataclass
class Stored:
    meta: dict
    table: pd.DataFrame


def stored() -> list[Stored]:
    """Every forecast under :func:`folder`, checked: probabilities in [0, 1] summing to 1 per state."""
    out = []
    for js in sorted(folder().glob("*.json")):
        meta = json.loads(js.read_text())
        csv = js.with_suffix(".csv")
        if not csv.exists():
            raise ForecastError(f"{js} has no table {csv.name}; restore it from the repository's history")
        table = pd.read_csv(csv)
        for cols in (PROBABILITY_COLUMNS, BASELINE_COLUMNS):
            missing = [c for c in cols + ["iso3"] if c not in table.columns]
            if missing:
                raise ForecastError(f"{csv}: columns {missing} are missing")
            p = table[cols].to_numpy(float)
            bad = ~((p >= 0) & (p <= 1)).all(axis=1) | (np.abs(p.sum(axis=1) - 1) > 0.01)
            if bad.any():
                row = int(np.nonzero(bad)[0][0])
                raise ForecastError(f"{csv}, line {row + 2} ({table.at[row, 'iso3']}): probabilities {cols} must lie in "
                                    "[0, 1] and sum to 1")
        out.append(Stored(meta, table))
    return out


def target(meta: dict) -> str | None:
    """The roll call a forecast is for, once a complete catalogued Assembly vote of its theme after it exists."""
    cat = catalogue.load()
    later = cat[(cat["theme"] == meta["theme"]) & cat["vote_id"].str.startswith("A/")
                & (pd.to_datetime(cat["date"]) > pd.Timestamp(meta["made_on"]))]
    later = later.sort_values("date")
    if later.empty or not bool(later.iloc[0]["complete"]):
        return None
    return str(later.iloc[0]["vote_id"])


def _scores(p: np.ndarray, actual: np.ndarray) -> dict:
    chosen = p[np.arange(len(actual)), actual]
    onehot = np.eye(len(CATEGORIES))[actual]
    return {"log score": float(np.log(np.clip(chosen, 1e-6, 1)).mean()),
            "Brier score": float(((p - onehot) ** 2).sum(axis=1).mean()),
            "most likely vote happened": float((p.argmax(axis=1) == actual).mean())}


def score() -> pd.DataFrame:
    """One row per stored forecast: its target, and once the target's roll call is in the data, the model's and
    the baseline's scores over the states forecast (higher log score is better; lower Brier is better)."""
    from unvotes import api

    rows = []
    for f in stored():
        vote_id = target(f.meta)
        row = {"forecast": f.meta["id"], "made_on": f.meta["made_on"], "for": f.meta["description"],
               "target": vote_id or "not yet in the data", "states": len(f.table)}
        if vote_id is not None:
            v = api.load_votes()
            actual = v[v["vote_id"] == vote_id].set_index("iso3")["vote"].astype(str)
            t = f.table[f.table["iso3"].isin(actual.index)]
            code = actual.reindex(t["iso3"]).map({c: i for i, c in enumerate(CATEGORIES)}).to_numpy(int)
            model, base = _scores(t[PROBABILITY_COLUMNS].to_numpy(float), code), _scores(
                t[BASELINE_COLUMNS].to_numpy(float), code)
            row.update({"scored states": len(t), **{f"model: {k}": val for k, val in model.items()},
                        **{f"baseline: {k}": val for k, val in base.items()}})
        rows.append(row)
    return pd.DataFrame(rows)


def expected_totals(f: Stored) -> pd.DataFrame:
    """Expected numbers of yes, abstain, no and absent over the states forecast (model and baseline)."""
    return pd.DataFrame({"model": f.table[PROBABILITY_COLUMNS].sum().to_numpy().round(1),
                         "baseline": f.table[BASELINE_COLUMNS].sum().to_numpy().round(1)},
                        index=pd.Index(CATEGORIES, name="vote"))


def least_certain(f: Stored, top: int = 15) -> pd.DataFrame:
    t = f.table.copy()
    t["most likely"] = t[PROBABILITY_COLUMNS].idxmax(axis=1).str.removeprefix("p_")
    t["its probability"] = t[PROBABILITY_COLUMNS].max(axis=1)
    return t[t["its probability"] < 0.5].sort_values("its probability").head(top)[
        ["name", "most likely", "its probability", *PROBABILITY_COLUMNS]]


def headline(scores: pd.DataFrame) -> str:
    """One sentence per stored forecast: waiting for its vote, or how it scored against the baseline."""
    if scores.empty:
        return "No forecast is stored yet."
    out = []
    for r in scores.to_dict("records"):
        if r["target"] == "not yet in the data":
            out.append(f"The forecast of {r['made_on']} for {r['for']} ({r['states']} states) waits for its vote; it "
                       "will be scored against a persistence baseline when the roll call is in the data.")
        else:
            better = r["model: log score"] > r["baseline: log score"]
            out.append(f"The forecast of {r['made_on']} for {r['target']} scored a mean log score of "
                       f"{r['model: log score']:.2f} against the persistence baseline's {r['baseline: log score']:.2f} "
                       f"({'better' if better else 'worse'}); its most likely vote happened for "
                       f"{r['model: most likely vote happened']:.0%} of {r['scored states']} states "
                       f"(baseline {r['baseline: most likely vote happened']:.0%}).")
    return " ".join(out)
