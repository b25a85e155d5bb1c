"""The project's own alignment measures, computed from the processed vote tables.

* :func:`agreement`: for every state, the share of roll calls on which it voted like a reference state
  (Russia, the United States, China by default) within a window of roll calls.
* :func:`ideal_points`: a one-dimensional ideal point per state (ordinal IRT by maximum a posteriori, or
  iterative PCA).
* :func:`validate_sessions_against_voeten`: both compared, session by session, with the published scores of Bailey,
  Strezhnev & Voeten (``voeten-idealpoints``).
* :func:`table`: the pre-war columns for ``countries.parquet``, documented in ``data/external/data_dictionary.csv``.

    >>> from unvotes.analyses import alignment
    >>> alignment.agreement(window="prewar").head()         # the named pre-war window; RUS, USA, CHN
    >>> alignment.agreement(sessions=[75], with_=("Ukraine",))  # any window, reference states by code or name
    >>> alignment.agreement(vote_ids=unvotes.find("nuclear", start="2023-01-01"))  # any set of roll calls
    >>> alignment.ideal_points(sessions=[76])
    >>> alignment.validate_sessions_against_voeten()

**Agreement.** The published ``USAgree``/``RUSSAgree``/``ChinaAgree`` columns of Voeten's
``IdealpointestimatesAll_Jun2024.csv`` are the share of roll calls on which both states cast the *same* vote
(yes-yes, no-no or abstain-abstain), over the roll calls on which both cast a vote (absences excluded
pairwise): computed this way from this project's data they reproduce Voeten's columns exactly for every state
in sessions 74 and 77, where both datasets hold the same roll calls (Pearson r = 1.0000, mean absolute
difference 0.0000). That is ``scoring="exact"``, the default. The half-credit variant of Voeten's *dyadic*
agreement scores - 1 for the same vote, 0.5 when one state abstains and the other votes yes or no, 0 for yes
against no - is ``scoring="half"``; it does not reproduce the published columns (session 74: r = 0.975,
0.971, 0.985 for USAgree, RUSSAgree, ChinaAgree; mean absolute difference about 0.09).

**Windows.** There is no default window: each call names one, by ``window=`` (a name of :data:`WINDOWS`),
``start``/``end``, ``sessions``, ``vote_ids`` or a ``roll_calls`` table of its own; naming none is an error. The
named ``window="prewar"`` is 1 Sep 2019 to 23 Feb 2022: the General Assembly's recorded votes of session 74, session 75
and session 76 up to the eve of the invasion (24 Feb 2022): 268 resolution roll calls (91 + 100 + 77; from the
DGACM extracts when the official UN Digital Library file is absent), 218 of them not lopsided. Three sessions
rather than one because a single session holds 80-100 roll calls, of which a small state may miss many; they
are the last sessions before the war, so they measure pre-war alignment without the drift of older sessions.
``sessions=[75]`` (or any ``start``/``end``) gives one session.

**The Ukraine votes are not in the pre-war columns.** Six of those 268 roll calls are catalogued Ukraine votes
(the Crimea texts of sessions 74-76: human rights in Crimea, militarisation of Crimea; ``data/external/
ukraine_votes.csv``). :func:`table`, which builds the countries table's pre-war columns, leaves every
catalogued vote on the war out by construction (:func:`ukraine_vote_ids`, ``exclude=`` of
:func:`window_roll_calls`): the pre-war ideal point and agreement scores then measure general alignment, not
earlier votes on the same question that the models explain. The window they use holds 262 roll calls.
The general functions (:func:`agreement`, :func:`ideal_points`) keep every roll call unless told otherwise,
so that they can be compared with Voeten's published scores, which include them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from unvotes.errors import UnknownCountryError, UnvotesError

PREWAR_START = "2019-09-01"
PREWAR_END = "2022-02-23"
#: Named windows (``window=``): name -> (start, end).
WINDOWS = {"prewar": (PREWAR_START, PREWAR_END)}
REFERENCE_STATES = ("RUS", "USA", "CHN")
#: Abstention as the middle category (Bailey, Strezhnev & Voeten 2017).
VOTE_CODE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
SCORINGS = ("exact", "half")
METHODS = ("irt", "pca")
#: A roll call whose minority (every vote but the most common one) is below this share of the votes cast is
#: dropped before estimating ideal points: it says (almost) nothing about who stands where.
LOPSIDED_MINORITY = 0.025
MIN_VOTES = 10



# ---------------------------------------------------------------------------------------------------------
# the window of roll calls


def _load(votes: pd.DataFrame | None, roll_calls: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if votes is None or roll_calls is None:
        from unvotes.api import load_roll_calls, load_votes

        votes = load_votes() if votes is None else votes
        roll_calls = load_roll_calls() if roll_calls is None else roll_calls
    for name, frame, cols in (("votes", votes, {"vote_id", "iso3", "vote"}),
                              ("roll_calls", roll_calls, {"vote_id", "date", "session", "kind", "body"})):
        missing = cols - set(frame.columns)
        if missing:
            raise UnvotesError(f"the {name} table lacks column(s) {sorted(missing)}; expected at least {sorted(cols)}")
    return votes, roll_calls


def _as_list(value, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, Iterable):
        raise UnvotesError(f"{what} must be a string or a list of strings, got {value!r}")
    return [str(v) for v in value]


def ukraine_vote_ids() -> list[str]:
    """Every catalogued vote on the war (``data/external/ukraine_votes.csv``, the related votes such as
    Chornobyl aside): the roll calls the pre-war columns leave out by construction."""
    from unvotes.tables import catalogue

    cat = catalogue.curated()
    return cat.loc[~cat["theme"].str.startswith(catalogue.RELATED), "vote_id"].tolist()


def resolve_window(window=None, start=None, end=None, sessions=None, vote_ids=None, roll_calls_given=False):
    """(start, end) of a call's window. ``window`` names one of :data:`WINDOWS` and excludes ``start``/``end``;
    a call that names no window at all (no ``window``, ``start``, ``end``, ``sessions``, ``vote_ids``, nor a
    ``roll_calls`` table of its own) is an error: there is no silent default."""
    if window is not None:
        if window not in WINDOWS:
            raise UnvotesError(f"window={window!r}; choose one of {sorted(WINDOWS)} or give start/end")
        if start is not None or end is not None:
            raise UnvotesError(f"window={window!r} and start/end both given; give one or the other")
        return WINDOWS[window]
    if start is None and end is None and sessions is None and vote_ids is None and not roll_calls_given:
        raise UnvotesError("no window named: give window='prewar' (1 Sep 2019 to 23 Feb 2022), start= and/or end= "
                           "(dates), sessions= (e.g. [78] or ['ES-11']), vote_ids= (ids or a table from "
                           "unvotes.find) or a roll_calls table of your own; there is no default window")
    return start, end


def _vote_ids(vote_ids) -> list[str] | None:
    if vote_ids is None:
        return None
    if isinstance(vote_ids, pd.DataFrame):
        vote_ids = vote_ids["vote_id"]
    from unvotes.tables import catalogue

    return catalogue.vote_info(list(vote_ids))["vote_id"].tolist()  # an unknown id names close matches


def window_roll_calls(roll_calls: pd.DataFrame, *, window=None, start=None, end=None, sessions=None,
                      kinds: Sequence[str] | str | None = ("resolution",), body: str | None = "GA",
                      exclude: Iterable[str] | None = None, vote_ids=None) -> pd.DataFrame:
    """The roll calls of a window: a named ``window`` (:data:`WINDOWS`) or ``start`` <= date <= ``end`` (either
    may be None: unbounded; this lower-level function, given the table, takes all of it by default), in
    ``sessions`` (e.g. ``[75]`` or ``["ES-11"]``; None: all), among ``vote_ids`` (None: all), of ``kinds``
    (None: all) and ``body``, less the vote ids in ``exclude`` (e.g. :func:`ukraine_vote_ids`).
    Unknown kinds, bodies or sessions and an empty window are errors that name the valid choices.
    Partial roll calls (``complete`` False: only some states' votes known) never enter a window, since
    agreement and ideal points need every member's vote."""
    if window is not None:
        start, end = resolve_window(window, start, end)
    rc = roll_calls[roll_calls["complete"]]
    ids_ = _vote_ids(vote_ids)
    if ids_ is not None:
        rc = rc[rc["vote_id"].astype(str).isin(ids_)]
    if exclude is not None:
        rc = rc[~rc["vote_id"].astype(str).isin(set(_as_list(exclude, "exclude")))]
    try:
        lo = None if start is None else pd.Timestamp(start)
        hi = None if end is None else pd.Timestamp(end)
    except (ValueError, TypeError) as exc:
        raise UnvotesError(f"start={start!r} / end={end!r}: not a date ({exc}); use 'YYYY-MM-DD'") from None
    if lo is not None and hi is not None and lo > hi:
        raise UnvotesError(f"start={start!r} is after end={end!r}: the window is empty")
    if body is not None:
        bodies = sorted(rc["body"].dropna().astype(str).unique())
        if body not in bodies:
            raise UnvotesError(f"body={body!r} is not in roll_calls; choose one of {bodies} (or None for all)")
        rc = rc[rc["body"] == body]
    kinds_l = _as_list(kinds, "kinds")
    if kinds is not None:
        valid = sorted(roll_calls["kind"].dropna().astype(str).unique())
        bad = [k for k in kinds_l if k not in valid]
        if bad:
            raise UnvotesError(f"kinds {bad} not in roll_calls; choose among {valid} (or kinds=None for all)")
        rc = rc[rc["kind"].isin(kinds_l)]
    sessions_l = _as_list(sessions, "sessions")
    if sessions is not None:
        valid = set(roll_calls["session"].dropna().astype(str))
        bad = [s for s in sessions_l if s not in valid]
        if bad:
            raise UnvotesError(f"sessions {bad} not in roll_calls (sessions there: 1 to "
                               f"{max(int(s) for s in valid if s.isdigit())}, and e.g. ES-11)")
        rc = rc[rc["session"].astype(str).isin(sessions_l)]
    if lo is not None:
        rc = rc[rc["date"] >= lo]
    if hi is not None:
        rc = rc[rc["date"] <= hi]
    if rc.empty:
        dates = roll_calls["date"]
        raise UnvotesError(
            f"no complete roll call in the window start={start!r}, end={end!r}, sessions={sessions!r}, "
            f"kinds={kinds!r}, body={body!r}{'' if ids_ is None else f', among {len(ids_)} vote_ids'}; roll_calls runs from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}: widen the window")
    return rc


def vote_matrix(votes=None, roll_calls=None, *, window=None, start=None, end=None, sessions=None,
                kinds=("resolution",), body="GA", exclude=None, vote_ids=None) -> pd.DataFrame:
    """States x roll calls of the window (:func:`resolve_window`: named, never a default), coded yes=1,
    abstain=0.5, no=0, absent=NaN (rows: ISO3 codes of the states with at least one row in the window; columns:
    vote ids in date order). The votes as text, for any list of votes, are :func:`unvotes.analyses.shifts.vote_table`."""
    start, end = resolve_window(window, start, end, sessions, vote_ids, roll_calls is not None)
    votes, roll_calls = _load(votes, roll_calls)
    rc = window_roll_calls(roll_calls, start=start, end=end, sessions=sessions, kinds=kinds, body=body,
                           exclude=exclude, vote_ids=vote_ids)
    ids = rc.sort_values(["date", "vote_id"])["vote_id"].astype(str).tolist()
    v = votes[votes["vote_id"].isin(ids)]  # isin on the categorical column: no string copy of 1M rows
    v = pd.DataFrame({"vote_id": v["vote_id"].astype(str).to_numpy(), "iso3": v["iso3"].astype(str).to_numpy(),
                      "vote": v["vote"].astype(str).to_numpy()})
    bad = ~v["vote"].isin([*VOTE_CODE, "absent"])
    if bad.any():
        row = v[bad].iloc[0]
        raise UnvotesError(f"votes table: vote {row['vote']!r} of {row['iso3']} on {row['vote_id']} is not one of "
                           "yes/no/abstain/absent")
    dup = v.duplicated(["vote_id", "iso3"])
    if dup.any():
        row = v[dup].iloc[0]
        raise UnvotesError(f"votes table: {row['iso3']} has more than one row for {row['vote_id']}")
    if v.empty:
        raise UnvotesError(f"the {len(ids)} roll calls of the window have no country votes in the votes table")
    v["code"] = v["vote"].map(VOTE_CODE)  # absent -> NaN
    m = v.pivot(index="iso3", columns="vote_id", values="code")
    return m.reindex(columns=[i for i in ids if i in m.columns]).sort_index()


def _check_states(states: Sequence[str], m: pd.DataFrame, what: str) -> list[str]:
    states = [_code(s) for s in _as_list(states, what)]
    if not states:
        raise UnvotesError(f"{what} is empty: give at least one state, e.g. ('RUS', 'USA', 'CHN') or ('Russia',)")
    for s in states:
        if s not in m.index:
            raise UnknownCountryError(_unknown_state_message(s, m, what))
        if m.loc[s].notna().sum() == 0:
            raise UnvotesError(f"{what}: {s} cast no vote (only absences) in the {m.shape[1]} roll calls of the window;"
                               " choose another window or reference state")
    return states


def _code(state: str) -> str:
    """A state's ISO3 code from a code or a name (:func:`unvotes.api.iso3_of`); an ambiguous name is an error,
    anything else unknown is left as typed for the window's own error with close matches."""
    from unvotes.api import iso3_of

    try:
        return iso3_of(state)
    except UnknownCountryError as exc:
        if "more than one state" in str(exc):
            raise
    except (UnvotesError, OSError):  # no countries table (votes and roll calls passed in): codes only
        pass
    return str(state).strip().upper()


def _unknown_state_message(code: str, m: pd.DataFrame, what: str) -> str:
    from unvotes.tables.membership import state_names

    names = state_names()
    present = list(m.index)
    close = difflib.get_close_matches(code, present, n=4, cutoff=0.5)
    by_name = [c for c in present if c in names.index and code.lower() in str(names[c]).lower()]
    by_name += [c for c in present if c in names.index and c not in by_name
                and difflib.get_close_matches(code.lower(), [str(names[c]).lower()], n=1, cutoff=0.7)]
    hints = list(dict.fromkeys(by_name + close))[:6]
    hint = ("; close matches: " + ", ".join(f"{c} ({names.get(c, '?')})" for c in hints)) if hints else ""
    return (f"{what}: {code!r} is not the ISO3 code of a state voting in the {m.shape[1]} roll calls of the window "
            f"({len(present)} states){hint}. Give ISO3 codes or names, e.g. RUS, USA, China.")


# ---------------------------------------------------------------------------------------------------------
# agreement


def agreement(votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None, *,
              with_: Sequence[str] | str = REFERENCE_STATES, window=None, start=None, end=None, sessions=None,
              kinds: Sequence[str] | str | None = ("resolution",), body: str | None = "GA",
              scoring: str = "exact", exclude: Iterable[str] | None = None, vote_ids=None) -> pd.DataFrame:
    """Agreement of every state with each reference state over the roll calls of a window.

    The window must be named (:func:`resolve_window`): ``window="prewar"``, ``start``/``end``, ``sessions``,
    ``vote_ids`` (ids or a table from ``unvotes.find``) or a ``roll_calls`` table; they combine. ``with_``:
    reference states by ISO3 code or name ("Russia", "United States").

    For a pair of states, over the roll calls on which both cast a vote (absences excluded pairwise):
    ``scoring="exact"`` (default, = Voeten's published USAgree/RUSSAgree/ChinaAgree): the share with the same
    vote (abstain-abstain counts as agreement); ``scoring="half"``: mean of 1 (same vote), 0.5 (one abstains,
    the other votes yes or no), 0 (yes against no).

    Returns one row per state voting in the window: ``iso3``, ``agree_<ref>`` for each reference state (lower
    case, e.g. ``agree_rus``; NaN when the pair shares no vote), then ``n_votes_<ref>`` (roll calls counted
    for the pair). A reference state agrees with itself: 1.0.
    """
    if scoring not in SCORINGS:
        raise UnvotesError(f"scoring={scoring!r}; choose one of {list(SCORINGS)}")
    m = vote_matrix(votes, roll_calls, window=window, start=start, end=end, sessions=sessions, kinds=kinds,
                    body=body, exclude=exclude, vote_ids=vote_ids)
    refs = _check_states(with_, m, "with_")
    x = m.to_numpy()
    out = {"iso3": m.index.to_numpy()}
    counts = {}
    for ref in refs:
        r = m.loc[ref].to_numpy()
        both = ~np.isnan(x) & ~np.isnan(r)
        score = (x == r).astype(float) if scoring == "exact" else 1.0 - np.abs(x - r)
        n = both.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"agree_{ref.lower()}"] = np.where(n > 0, np.where(both, score, 0.0).sum(axis=1) / n, np.nan)
        counts[f"n_votes_{ref.lower()}"] = n
    return pd.DataFrame({**out, **counts}).reset_index(drop=True)


def agreement_by_year(with_: Sequence[str] | str = REFERENCE_STATES, first_year: int = 2014,
                      last_year: int | None = None, *, states=None, vote_ids=None,
                      kinds: Sequence[str] | str | None = ("resolution",), body: str | None = "GA",
                      scoring: str = "exact") -> pd.DataFrame:
    """Each state's agreement with each reference state (codes or names) per calendar year, over the year's
    roll calls (:func:`agreement`, absences left out pairwise), from ``first_year`` to ``last_year`` (default:
    the last year with a roll call of ``body``). ``states`` (codes or names) keeps only those rows; ``vote_ids``
    restricts every year to those roll calls. Long: ``iso3, year, agree_<ref>..., n_votes_<ref>...``. A year
    without a complete roll call in the window has no rows. The number of roll calls per year can change
    sharply (in 2025 the United States called for recorded votes on texts adopted by consensus before): read
    ``n_votes_*`` beside the shares."""
    from unvotes.api import load_roll_calls

    rc = load_roll_calls()
    pool = rc if body is None else rc[rc["body"] == body]
    last_year = int(last_year or pool["date"].max().year)
    frames = []
    for year in range(int(first_year), last_year + 1):
        try:
            a = agreement(start=f"{year}-01-01", end=f"{year}-12-31", with_=with_, kinds=kinds, body=body,
                          scoring=scoring, vote_ids=vote_ids)
        except UnknownCountryError:
            raise
        except UnvotesError as exc:
            if "no complete roll call in the window" in str(exc):
                continue  # a year without complete roll calls in the data: no rows
            raise
        frames.append(a.assign(year=year))
    if not frames:
        raise UnvotesError(f"no complete roll call from {first_year} to {last_year}: choose other years")
    out = pd.concat(frames, ignore_index=True)
    if states is not None:
        out = out[out["iso3"].isin([_code(s) for s in _as_list(states, "states")])]
    return out[["iso3", "year", *[c for c in out.columns if c not in ("iso3", "year")]]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# ideal points


def _informative(m: pd.DataFrame, min_minority: float) -> pd.DataFrame:
    """The roll calls that are not lopsided: minority (votes other than the most common one) at least
    ``min_minority`` of the votes cast."""
    cast = m.notna()
    top = pd.concat([(m == c).sum() for c in VOTE_CODE.values()], axis=1).max(axis=1)
    minority = 1.0 - top / cast.sum().replace(0, np.nan)
    return m.loc[:, minority >= min_minority]


def _pca(a: np.ndarray, tol: float = 1e-6, max_iter: int = 500) -> np.ndarray:
    """First principal component of the column-standardised matrix, missing cells imputed iteratively from the
    rank-1 reconstruction (EM-PCA: start from column means, refit, re-impute until the imputations settle)."""
    miss = np.isnan(a)
    z = np.where(miss, np.nanmean(a, axis=0), a)
    for _ in range(max_iter):
        mu, sd = z.mean(axis=0), z.std(axis=0)
        sd[sd == 0] = 1.0
        zs = (z - mu) / sd
        # the leading singular pair from the roll calls' small Gram matrix (an eigenproblem of roll calls x roll
        # calls): the same component as a full SVD of states x roll calls, at a fraction of its cost
        v = np.linalg.eigh(zs.T @ zs)[1][:, -1]
        score = zs @ v
        recon = np.outer(score, v) * sd + mu
        new = np.where(miss, recon, a)
        done = np.max(np.abs(new - z)) < tol
        z = new
        if done:
            break
    return score


#: Prior standard deviations of the ordinal IRT (MAP estimation): ideal points N(0, 1) fix the scale;
#: weakly informative N(0, 5) on discriminations and cutpoints, N(0, 2) on the log gap between the two
#: cutpoints, keep roll calls without 'no' votes or without abstentions finite.
IRT_PRIOR_SD = {"x": 1.0, "b": 5.0, "c": 5.0, "g": 2.0}


def _irt(a: np.ndarray, start: np.ndarray) -> np.ndarray:
    """One-dimensional ordered-logit IRT (no < abstain < yes) by maximum a posteriori with L-BFGS.

    P(vote >= abstain) = logistic(b_j x_i - c_j), P(vote = yes) = logistic(b_j x_i - c_j - exp(g_j)).
    """
    n, m = a.shape
    obs = ~np.isnan(a)
    ii, jj = np.nonzero(obs)
    y = np.rint(a[obs] * 2).astype(int)  # 0 no, 1 abstain, 2 yes
    y0, y1, y2 = y == 0, y == 1, y == 2
    sd = IRT_PRIOR_SD

    def unpack(p):
        return p[:n], p[n:n + m], p[n + m:n + 2 * m], p[n + 2 * m:]

    # the votes of each category apart, so that each term is computed only where it applies
    i0, j0, i1, j1, i2, j2 = ii[y0], jj[y0], ii[y1], jj[y1], ii[y2], jj[y2]

    def negpost(p):
        x, b, c, g = unpack(p)
        d = np.exp(g)
        ls, ex = special.log_expit, special.expit
        a0 = b[j0] * x[i0] - c[j0]                      # no: P = 1 - logistic(a1)
        a1 = b[j1] * x[i1] - c[j1]                      # abstain: logistic(a1) - logistic(a1 - d)
        a2 = b[j2] * x[i2] - c[j2] - d[j2]              # yes: logistic(a1 - d)
        d1 = d[j1]
        ll = ls(-a0).sum() + ls(a2).sum() + (ls(a1) + ls(d1 - a1) + np.log(-np.expm1(-d1))).sum()
        # d loglik / d a1 (gs: the two linear predictors move together) and d / d a2 (g2)
        g_no, g_yes = -ex(a0), ex(-a2)
        g_ab1, g_ab2 = ex(-a1), -ex(a1 - d1)
        gx = (np.bincount(i0, g_no * b[j0], n) + np.bincount(i2, g_yes * b[j2], n)
              + np.bincount(i1, (g_ab1 + g_ab2) * b[j1], n) - x / sd["x"] ** 2)
        gb = (np.bincount(j0, g_no * x[i0], m) + np.bincount(j2, g_yes * x[i2], m)
              + np.bincount(j1, (g_ab1 + g_ab2) * x[i1], m) - b / sd["b"] ** 2)
        gc = -(np.bincount(j0, g_no, m) + np.bincount(j2, g_yes, m) + np.bincount(j1, g_ab1 + g_ab2, m)) \
            - c / sd["c"] ** 2
        gd = -np.bincount(j2, g_yes, m) - np.bincount(j1, g_ab2, m) + np.bincount(j1, 1.0 / np.expm1(d1), m)
        gg = gd * d - g / sd["g"] ** 2
        lp = ll - 0.5 * ((x / sd["x"]) ** 2).sum() - 0.5 * ((b / sd["b"]) ** 2).sum() \
            - 0.5 * ((c / sd["c"]) ** 2).sum() - 0.5 * ((g / sd["g"]) ** 2).sum()
        return -lp, -np.concatenate([gx, gb, gc, gg])

    # Start: x from PCA; each roll call's discrimination from the sign of its correlation with x; cutpoints
    # from the shares of votes (so that the optimiser does not begin at the b = 0 saddle point).
    x0 = (start - start.mean()) / start.std()
    b0, c0, g0 = np.zeros(m), np.zeros(m), np.zeros(m)
    for j in range(m):
        col = a[obs[:, j], j]
        r = np.corrcoef(col, x0[obs[:, j]])[0, 1] if col.std() > 0 else 0.0
        b0[j] = 2.0 * np.sign(r) if np.isfinite(r) and r != 0 else 0.5
        p_ge1 = np.clip((col >= 0.5).mean(), 0.02, 0.98)
        p_2 = np.clip((col == 1.0).mean(), 0.01, p_ge1 - 0.01)
        c0[j] = -special.logit(p_ge1)
        g0[j] = np.log(max(special.logit(p_ge1) - special.logit(p_2), 0.05))
    res = optimize.minimize(negpost, np.concatenate([x0, b0, c0, g0]), jac=True, method="L-BFGS-B",
                            options={"maxiter": 5000, "maxfun": 10000})
    if not res.success and "ABNORMAL" not in str(res.message):
        raise UnvotesError(f"ideal points: the IRT fit did not converge ({res.message}); try method='pca'")
    return unpack(res.x)[0]


def ideal_points(votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None, *,
                 window=None, start=None, end=None, sessions=None, kinds: Sequence[str] | str | None = ("resolution",),
                 body: str | None = "GA", method: str = "irt", orient: str = "USA",
                 min_minority: float = LOPSIDED_MINORITY, min_votes: int = MIN_VOTES,
                 exclude: Iterable[str] | None = None, vote_ids=None) -> pd.DataFrame:
    """A one-dimensional ideal point per state over the roll calls of a window (one static point per state).
    The window must be named, as for :func:`agreement`; ``orient`` is a state's code or name.

    Votes are coded yes=1, abstain=0.5, no=0 (abstention as the middle category, as in Bailey, Strezhnev &
    Voeten 2017); absences are missing. Lopsided roll calls (minority < ``min_minority`` = 2.5% of the votes
    cast) are dropped, then states with fewer than ``min_votes`` votes on the rest (their ideal_point is NaN).

    ``method="irt"`` (default): ordered-logit item response model (no < abstain < yes), one discrimination and
    two cutpoints per roll call, fitted by maximum a posteriori (weak normal priors, :data:`IRT_PRIOR_SD`)
    with scipy's L-BFGS, absences ignored (missing at random), started from the PCA solution.
    ``method="pca"``: first principal component of the column-standardised matrix, absences imputed by
    iterative rank-1 PCA (EM-PCA).

    The scale is standardised (mean 0, sd 1 over the states estimated) and oriented so that ``orient``
    (the United States, Voeten's convention) is positive. Returns ``iso3, ideal_point, n_votes`` (votes cast
    on the informative roll calls), one row per state voting in the window.
    """
    if method not in METHODS:
        raise UnvotesError(f"method={method!r}; choose one of {list(METHODS)}")
    if not 0 <= min_minority < 0.5:
        raise UnvotesError(f"min_minority={min_minority!r} must be in [0, 0.5)")
    m = vote_matrix(votes, roll_calls, window=window, start=start, end=end, sessions=sessions, kinds=kinds,
                    body=body, exclude=exclude, vote_ids=vote_ids)
    orient = _check_states(orient, m, "orient")[0]
    informative = _informative(m, min_minority)
    n_votes = informative.notna().sum(axis=1)
    kept = informative.loc[n_votes >= min_votes]
    if kept.shape[1] < 2 or kept.shape[0] < 3:
        raise UnvotesError(f"ideal points: only {kept.shape[1]} roll call(s) with a minority of at least "
                           f"{min_minority:.1%} and {kept.shape[0]} state(s) with at least {min_votes} votes on "
                           f"them in the window ({m.shape[1]} roll calls): widen the window or lower min_votes")
    if orient not in kept.index:
        raise UnvotesError(f"orient={orient!r} cast fewer than {min_votes} votes on the informative roll calls of "
                           "the window; choose another state to orient the scale")
    a = kept.to_numpy()
    x = _pca(a)
    if method == "irt":
        x = _irt(a, x)
    x = (x - x.mean()) / x.std()
    if x[list(kept.index).index(orient)] < 0:
        x = -x
    out = pd.DataFrame({"iso3": m.index.to_numpy()})
    out["ideal_point"] = out["iso3"].map(pd.Series(x, index=kept.index))
    out["n_votes"] = out["iso3"].map(n_votes).astype(int)
    return out


# ---------------------------------------------------------------------------------------------------------
# Voeten's published scores and the validation


def voeten_scores(sessions: Iterable[int] | None = None) -> pd.DataFrame:
    """Voeten's per-session scores with the project's ISO3 codes (read by :func:`unvotes.tables.covariates.voeten_all`):
    ``session``, ``iso3``, ``voeten_n_votes``, ``ideal_point`` (IdealPointAll), ``agree_usa``, ``agree_rus``,
    ``agree_chn``."""
    from unvotes.tables.covariates import voeten_all

    df = voeten_all().rename(columns={"n_votes": "voeten_n_votes"})
    if sessions is not None:
        df = df[df["session"].isin([int(s) for s in sessions])]
    return df[["session", "iso3", "voeten_n_votes", "ideal_point", "agree_usa", "agree_rus", "agree_chn"]] \
        .reset_index(drop=True)


def validate_sessions_against_voeten(sessions: Iterable[int] = (74, 75, 76, 77, 78), *, votes=None, roll_calls=None,
                            method: str = "irt", scoring: str = "exact", kinds=("resolution",),
                            min_votes: int = MIN_VOTES) -> pd.DataFrame:
    """Per session, the project's measures against Voeten's: one row per (session, measure) with ``pearson``,
    ``spearman``, ``mad`` (mean absolute difference; agreement only, the ideal-point scales differ) and ``n``
    (states compared). Sessions are matched by number: Voeten's session 75 is this project's session 75
    (roll calls of Nov 2020 - Jun 2021). States with fewer than ``min_votes`` votes in either dataset are left
    out (Voeten's file counts only 2 votes for Türkiye in session 78)."""
    votes, roll_calls = _load(votes, roll_calls)
    sessions = [int(s) for s in sessions]
    ref = voeten_scores(sessions)
    rows = []
    pairs = {"ideal_point": "IdealPointAll", "agree_usa": "USAgree", "agree_rus": "RUSSAgree",
             "agree_chn": "ChinaAgree"}
    for s in sessions:
        theirs = ref[(ref["session"] == s) & (ref["voeten_n_votes"] >= min_votes)].set_index("iso3")
        if theirs.empty:
            raise UnvotesError(f"Voeten's ideal-point file has no scores for session {s} (it covers sessions "
                               f"{ref['session'].min()}-{ref['session'].max()} of those asked)")
        ours_ip = ideal_points(votes, roll_calls, start=None, end=None, sessions=[s], kinds=kinds, method=method,
                               min_votes=min_votes).set_index("iso3")
        ours_ag = agreement(votes, roll_calls, start=None, end=None, sessions=[s], kinds=kinds,
                            scoring=scoring).set_index("iso3")
        ours = ours_ag.join(ours_ip[["ideal_point"]])
        for col, vcol in pairs.items():
            j = pd.concat([ours[col].rename("ours"), theirs[col].rename("theirs")], axis=1, join="inner").dropna()
            rows.append({"session": s, "measure": col, "voeten_column": vcol, "n": len(j),
                         "pearson": j["ours"].corr(j["theirs"]) if len(j) > 2 else np.nan,
                         "spearman": stats.spearmanr(j["ours"], j["theirs"])[0] if len(j) > 2 else np.nan,
                         "mad": (j["ours"] - j["theirs"]).abs().mean() if col != "ideal_point" else np.nan})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------------
# the countries table


def table(votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None,
          exclude: Iterable[str] | None = None) -> pd.DataFrame:
    """Pre-war alignment of every state (window 2019-09-01 to 2022-02-23, resolutions of the GA, the catalogued
    Ukraine votes left out: ``exclude``, default :func:`ukraine_vote_ids`): agreement with Russia, the United
    States and China, the number of votes cast, and the ideal point."""
    votes, roll_calls = _load(votes, roll_calls)
    exclude = ukraine_vote_ids() if exclude is None else exclude
    ag = agreement(votes, roll_calls, window="prewar", exclude=exclude)
    ip = ideal_points(votes, roll_calls, window="prewar", exclude=exclude)
    m = vote_matrix(votes, roll_calls, window="prewar", exclude=exclude)
    out = pd.DataFrame({
        "iso3": ag["iso3"],
        "agree_rus_prewar": ag["agree_rus"],
        "agree_usa_prewar": ag["agree_usa"],
        "agree_chn_prewar": ag["agree_chn"],
        "n_prewar_votes": ag["iso3"].map(m.notna().sum(axis=1)).astype(int),
    })
    return out.merge(ip[["iso3", "ideal_point"]].rename(columns={"ideal_point": "ideal_point_prewar"}),
                     on="iso3", how="left")

#: The columns :func:`table` contributes to the countries table (documented in data/external/data_dictionary.csv).
COLUMNS = ("agree_rus_prewar", "agree_usa_prewar", "agree_chn_prewar", "n_prewar_votes", "ideal_point_prewar")


# Former names (DeprecationWarning; removed in 1.0.0): one "select_roll_calls" and one "validate_against_voeten"
# lived both here and in unvotes.analyses.dynamic_alignment, with different meanings.
from unvotes.deprecated import renamed  # noqa: E402

select_roll_calls = renamed(window_roll_calls, "unvotes.analyses.alignment.select_roll_calls")
validate_against_voeten = renamed(validate_sessions_against_voeten, "unvotes.analyses.alignment.validate_against_voeten")
