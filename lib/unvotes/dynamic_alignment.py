"""Alignment over time: General Assembly ideal points per state and per session, bridged across sessions.

    >>> from unvotes import dynamic_alignment as da
    >>> points = da.session_ideal_points()            # sessions 68 (2013-14) to 80 (2025-26), ~10 s
    >>> da.validate_bridged_against_voeten(points)     # per session, against Bailey, Strezhnev & Voeten
    >>> da.group_distribution(points)                  # median and quartiles per UN regional group
    >>> da.movers(points, first=76, last=80)
    >>> da.ukraine_scale().correlations                # a scale of the Ukraine votes only

**Model.** One ordered-logit item response model (no < abstain < yes; abstention the middle category, as in
Bailey, Strezhnev & Voeten 2017; absences missing, treated as missing at random) over every complete recorded
General Assembly *resolution* roll call of the sessions asked: P(vote >= abstain) = logistic(b_j x_is - c_j),
P(yes) = logistic(b_j x_is - c_j - exp(g_j)), with a discrimination b_j and two cutpoints per roll call and
one ideal point x_is per state i and session s. Lopsided roll calls (minority below 2.5% of the votes cast,
:func:`unvotes.alignment._informative`) are dropped. The roll calls of emergency special sessions (ES-10,
ES-11) are counted in the regular session open on their date (A/RES/ES-11/1 of 2 March 2022 in session 76).

**Bridge.** The item parameters are roll-call specific, so what makes sessions comparable is the prior that
links a state's ideal points from one session to the next, a random walk (Martin & Quinn 2002):
x_i,first ~ N(0, 1) and x_is ~ N(x_i,s-1, tau^2), tau = :data:`TAU` = 0.3 (on the model's scale before
standardisation). Discriminations and cutpoints have the weak normal priors of
:data:`unvotes.alignment.IRT_PRIOR_SD`. The fit is the maximum a posteriori by L-BFGS with an analytic gradient.
A state-session estimate is reported only for a state with at least ``min_votes`` (10) votes cast on the
informative roll calls of that session; the chain passes through the other sessions (the prior interpolates).

**Orientation and scale.** The scale is standardised once, over all reported state-sessions (mean 0, sd 1),
never per session: a per-session standardisation would erase the movement the bridge measures. Its sign is
fixed on Russia: Russia's side is the negative one (Russia's mean over the sessions below Ukraine's, :data:`ORIENT`;
the United States is not used, since it voted with Russia on Ukraine in 2025). That is Voeten's orientation
(the United States high). Russia is *not* below zero in every session: zero is the average state-session, and
in sessions 68-74 Russia stood above it, closer to the Western states than most of the Assembly (in Voeten's
file too, where it ranks at the 66th-72nd percentile in sessions 68-76); it is below zero from session 75 to 79.

**Uncertainty.** Given the item parameters, the posterior of one state's chain of ideal points is, to second
order, Gaussian with a tridiagonal precision: the likelihood's information per session on the diagonal plus the
random-walk prior. It is inverted state by state; ``se``, ``ci_low`` and ``ci_high`` (95%, +-1.96 se) come from
it. **The uncertainty of the item parameters is not propagated**, nor that of the choice of tau, nor the
possibility that one dimension does not fit a session: the intervals are too narrow, most for states with few
votes and in sessions with few roll calls.

**Sessions.** Session s runs from the opening of the General Assembly in September of year 1945 + s to the
opening of the next: session 68 from 17 September 2013 to September 2014, ..., session 79 from 10 September 2024
to 8 September 2025, session 80 from 9 September 2025. Session 80 is partial: the data hold its roll calls only
up to their last recorded date (mostly the votes of December 2025), and the session was still open when the
data were built.

**Ukraine scale.** :func:`ukraine_scale` is a separate, static scale: the same ordinal model on the complete
catalogued Ukraine votes of the Assembly 2014-2025 only (:func:`unvotes.shifts.ukraine_votes`), set against the
pre-war ideal point of the countries table.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from . import alignment, plotting
from .alignment import IRT_PRIOR_SD, LOPSIDED_MINORITY, MIN_VOTES
from .errors import BadArgumentError, UnvotesError
from .memo import shared

#: Standard deviation of the random walk linking a state's ideal points from one session to the next (model
#: scale, before standardisation; the first session's ideal points are N(0, 1)).
TAU = 0.3
#: The sign of the scale: the first state's mean ideal point over the sessions is below the second's (Russia's
#: side negative). Two states, not one: the zero of the standardised scale is the average state-session, and a
#: state near it (Russia before 2022) would fix the sign by a hair.
ORIENT = ("RUS", "UKR")
FIRST_SESSION, LAST_SESSION = 68, 80
#: Regular sessions opened on the Tuesday of the third week of September (counting from the first week with a
#: working day) up to session 77 (2022), of the second week from session 78 (2023: 5 September).
SECOND_WEEK_FROM = 78
PARTIAL_SESSION = 80
Z95 = 1.959963984540054
GROUP_ORDER = ["African", "Asia-Pacific", "Eastern European", "Latin American and Caribbean",
               "Western European and Others"]
#: Okabe-Ito colours, one per regional group; the African Group drawn out in vermillion.
GROUP_COLORS = {"African": "#D55E00", "Asia-Pacific": "#009E73", "Eastern European": "#0072B2",
                "Latin American and Caribbean": "#CC79A7", "Western European and Others": "#555555"}


# ---------------------------------------------------------------------------------------------------------
# sessions


def session_opening(session: int) -> pd.Timestamp:
    """The opening date of regular session ``session`` by the rules of procedure (Tuesday of the third week of
    September, of the second week from session 78); exact for the sessions of 1979 onwards."""
    year = 1945 + int(session)
    first = pd.Timestamp(year=year, month=9, day=1)
    monday = first - pd.Timedelta(days=first.weekday()) if first.weekday() < 5 else \
        first + pd.Timedelta(days=7 - first.weekday())
    week = 2 if session >= SECOND_WEEK_FROM else 3
    return monday + pd.Timedelta(days=1 + 7 * (week - 1))


def session_of_date(date) -> int:
    """The regular session open on ``date``."""
    date = pd.Timestamp(date)
    s = date.year - 1945
    return s if date >= session_opening(s) else s - 1


def session_label(session: int) -> str:
    """'68 (2013-14)'."""
    y = 1945 + int(session)
    return f"{session} ({y}-{str(y + 1)[-2:]})"


def _regular_sessions(roll_calls: pd.DataFrame) -> list[int]:
    rc = roll_calls[(roll_calls["body"] == "GA") & (roll_calls["kind"] == "resolution") & roll_calls["complete"]]
    return sorted({int(s) for s in rc["session"].dropna().astype(str) if s.isdigit()})


def check_sessions(first_session, last_session, roll_calls: pd.DataFrame | None = None) -> tuple[int, int]:
    """``(first_session, last_session)`` as integers, or an error naming the valid range: both must be
    regular sessions with complete recorded resolution roll calls of the General Assembly, first <= last."""
    if roll_calls is None:
        from .api import load_roll_calls

        roll_calls = load_roll_calls()
    valid = _regular_sessions(roll_calls)
    lo, hi = valid[0], valid[-1]
    out = []
    for name, value in (("first_session", first_session), ("last_session", last_session)):
        try:
            out.append(int(value))
            if out[-1] != value and not isinstance(value, str):
                raise ValueError
        except (TypeError, ValueError):
            raise BadArgumentError(f"{name}={value!r} is not a session number; give an integer from {lo} to {hi} "
                                   f"(e.g. {FIRST_SESSION} for 2013-14)") from None
    first, last = out
    if first > last:
        raise BadArgumentError(f"first_session={first} is after last_session={last}; give "
                               f"{lo} <= first_session <= last_session <= {hi}")
    missing = [s for s in range(first, last + 1) if s not in valid]
    if missing:
        raise BadArgumentError(f"session(s) {missing} have no complete recorded General Assembly resolution roll "
                               f"call in roll_calls; the sessions with some run from {lo} to {hi}"
                               + (f" (none in {[s for s in range(lo, hi + 1) if s not in valid]})"
                                  if len(valid) < hi - lo + 1 else "")
                               + ": choose first_session and last_session within them")
    return first, last


def check_parameters(first_session, last_session, compare_first, compare_last) -> tuple[int, int, int, int]:
    """The notebook's parameters checked: the sessions (:func:`check_sessions`) and the two sessions compared
    by :func:`movers`, within them and in order."""
    first, last = check_sessions(first_session, last_session)
    for name, value in (("compare_first", compare_first), ("compare_last", compare_last)):
        if not isinstance(value, (int, np.integer)) or not first <= value <= last:
            raise BadArgumentError(f"{name}={value!r}: give a session from first_session={first} to "
                                   f"last_session={last}")
    if compare_first >= compare_last:
        raise BadArgumentError(f"compare_first={compare_first} must come before compare_last={compare_last}")
    return first, last, int(compare_first), int(compare_last)


def session_roll_calls(first_session: int, last_session: int, roll_calls: pd.DataFrame) -> pd.DataFrame:
    """The roll calls of the sessions: complete recorded GA resolutions of regular sessions first..last and
    of the emergency special sessions held meanwhile, with column ``model_session`` (the regular session)."""
    rc = roll_calls[(roll_calls["body"] == "GA") & (roll_calls["kind"] == "resolution") & roll_calls["complete"]]
    sess = rc["session"].astype(str)
    regular = sess.str.fullmatch(r"\d+")
    out = rc.assign(model_session=np.where(regular, pd.to_numeric(sess.where(regular), errors="coerce"),
                                           [session_of_date(d) for d in rc["date"]]).astype(int))
    keep = (regular | sess.str.startswith("ES-")) & out["model_session"].between(first_session, last_session)
    return out[keep]


# ---------------------------------------------------------------------------------------------------------
# the model


class Fit(NamedTuple):
    """A fit of :func:`_fit` on the model's scale (before orientation and standardisation): ideal points
    ``x`` and their conditional standard errors ``se`` (states x sessions), item parameters, the optimiser's
    result."""
    x: np.ndarray
    se: np.ndarray
    b: np.ndarray
    c: np.ndarray
    g: np.ndarray
    result: optimize.OptimizeResult


def _start(a: np.ndarray, n_sessions: int):
    """Starting values: every state's first principal component of the pooled (mean-imputed, standardised)
    matrix in every session; each roll call's discrimination from the sign of its correlation with it and
    its cutpoints from the shares of votes (so that the optimiser does not begin at the b = 0 saddle)."""
    obs = ~np.isnan(a)
    mu = np.nanmean(a, axis=0)
    sd = np.nanstd(a, axis=0)
    sd[sd == 0] = 1.0
    z = np.where(obs, (a - mu) / sd, 0.0)
    u, s, _ = np.linalg.svd(z, full_matrices=False)
    x0 = u[:, 0] * s[0]
    x0 = (x0 - x0.mean()) / x0.std()
    xc = np.where(obs, x0[:, None] - (np.where(obs, x0[:, None], 0).sum(0) / obs.sum(0)), 0.0)
    r = (xc * z).sum(axis=0)
    b0 = np.where(r > 0, 2.0, np.where(r < 0, -2.0, 0.5))
    n_cast = obs.sum(axis=0)
    p_ge1 = np.clip((np.where(obs, a, 0) >= 0.5).sum(0) / n_cast, 0.02, 0.98)
    p_2 = np.clip(np.minimum((np.where(obs, a, 0) == 1.0).sum(0) / n_cast, p_ge1 - 0.01), 0.01, None)
    c0 = -special.logit(p_ge1)
    g0 = np.log(np.maximum(special.logit(p_ge1) - special.logit(p_2), 0.05))
    return np.repeat(x0, n_sessions), b0, c0, g0


def _fit(a: np.ndarray, item_session: np.ndarray, n_sessions: int, tau: float = TAU) -> Fit:
    """The dynamic ordinal IRT on a matrix ``a`` (states x roll calls, coded no 0, abstain 0.5, yes 1, absent
    NaN) whose roll call j belongs to session ``item_session[j]`` (0 .. n_sessions-1): MAP by L-BFGS with an
    analytic gradient, then each state's conditional posterior standard errors (tridiagonal precision)."""
    a = np.asarray(a, dtype=float)
    item_session = np.asarray(item_session, dtype=int)
    n, m = a.shape
    S = int(n_sessions)
    if item_session.shape != (m,) or item_session.min() < 0 or item_session.max() >= S:
        raise UnvotesError(f"item_session must give each of the {m} roll calls a session in 0..{S - 1}")
    if not tau > 0:
        raise BadArgumentError(f"tau={tau!r} must be positive (e.g. {TAU})")
    ii, jj = np.nonzero(~np.isnan(a))
    y = np.rint(a[ii, jj] * 2).astype(int)  # 0 no, 1 abstain, 2 yes
    order = np.argsort(y, kind="stable")  # observations grouped by category: slices instead of masks
    ii, jj, y = ii[order], jj[order], y[order]
    n0, n1 = int((y == 0).sum()), int((y == 1).sum())
    s0, s1, s2 = slice(0, n0), slice(n0, n0 + n1), slice(n0 + n1, None)
    kk = ii * S + item_session[jj]  # flat state-session index
    nx = n * S
    sd = IRT_PRIOR_SD
    inv_t2 = 1.0 / tau ** 2
    ls = special.log_expit

    def unpack(p):
        return p[:nx], p[nx:nx + m], p[nx + m:nx + 2 * m], p[nx + 2 * m:]

    def negpost(p):
        x, b, c, g = unpack(p)
        d = np.exp(g)
        bj = b[jj]
        a1 = bj * x[kk] - c[jj]
        a2 = a1 - d[jj]
        # log-likelihood and its derivatives by the two linear predictors a1 and a2, category by category
        l0 = ls(-a1[s0])
        l1a, l1b = ls(a1[s1]), ls(-a2[s1])
        l2 = ls(a2[s2])
        d1 = d[jj[s1]]
        ll = l0.sum() + l1a.sum() + l1b.sum() + np.log(-np.expm1(-d1)).sum() + l2.sum()
        g1 = np.empty_like(a1)
        g2 = np.zeros_like(a1)
        g1[s0] = -np.exp(ls(a1[s0]))          # -expit(a1)
        g1[s1] = np.exp(ls(-a1[s1]))          # expit(-a1)
        g1[s2] = 0.0
        g2[s1] = -np.exp(ls(a2[s1]))          # -expit(a2)
        g2[s2] = np.exp(ls(-a2[s2]))          # expit(-a2)
        gs = g1 + g2
        gx = np.bincount(kk, gs * bj, nx)
        X = x.reshape(n, S)
        gX = gx.reshape(n, S)
        gX[:, 0] -= X[:, 0]
        step = np.diff(X, axis=1) * inv_t2
        gX[:, 1:] -= step
        gX[:, :-1] += step
        gb = np.bincount(jj, gs * x[kk], m) - b / sd["b"] ** 2
        gc = -np.bincount(jj, gs, m) - c / sd["c"] ** 2
        gd = -np.bincount(jj, g2, m) + np.bincount(jj[s1], 1.0 / np.expm1(d1), m)
        gg = gd * d - g / sd["g"] ** 2
        lp = ll - 0.5 * (X[:, 0] ** 2).sum() - 0.5 * inv_t2 * (np.diff(X, axis=1) ** 2).sum() \
            - 0.5 * ((b / sd["b"]) ** 2).sum() - 0.5 * ((c / sd["c"]) ** 2).sum() - 0.5 * ((g / sd["g"]) ** 2).sum()
        return -lp, -np.concatenate([gx, gb, gc, gg])

    p0 = np.concatenate(_start(a, S))
    res = optimize.minimize(negpost, p0, jac=True, method="L-BFGS-B",
                            options={"maxiter": 20000, "maxfun": 40000, "maxcor": 20})
    if not res.success and "ABNORMAL" not in str(res.message):
        raise UnvotesError(f"session ideal points: the fit did not converge ({res.message})")
    x, b, c, g = unpack(res.x)
    # information of each state-session given the item parameters: -d2 loglik / dx2
    a1 = b[jj] * x[kk] - c[jj]
    a2 = a1 - np.exp(g)[jj]
    w = np.zeros_like(a1)
    w[s0] = special.expit(a1[s0]) * special.expit(-a1[s0])
    w[s1] = special.expit(a1[s1]) * special.expit(-a1[s1]) + special.expit(a2[s1]) * special.expit(-a2[s1])
    w[s2] = special.expit(a2[s2]) * special.expit(-a2[s2])
    info = np.bincount(kk, w * b[jj] ** 2, nx).reshape(n, S)
    prec = np.zeros((n, S, S))
    idx = np.arange(S)
    prior_diag = np.full(S, 2.0 * inv_t2)
    prior_diag[0] = prior_diag[-1] = inv_t2
    prior_diag[0] += 1.0
    if S == 1:
        prior_diag[:] = 1.0
    prec[:, idx, idx] = info + prior_diag
    prec[:, idx[:-1], idx[1:]] = -inv_t2
    prec[:, idx[1:], idx[:-1]] = -inv_t2
    cov = np.linalg.inv(prec)
    se = np.sqrt(cov[:, idx, idx])
    return Fit(x.reshape(n, S), se, b, c, g, res)


def _standardise(x: np.ndarray, se: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and se on a scale with mean 0 and sd 1 over the cells ``keep`` (one standardisation for all
    sessions)."""
    mu, sd = x[keep].mean(), x[keep].std()
    return (x - mu) / sd, se / sd


@shared
def session_ideal_points(first_session: int = FIRST_SESSION, last_session: int = LAST_SESSION, *,
                         votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None,
                         tau: float = TAU, min_votes: int = MIN_VOTES,
                         min_minority: float = LOPSIDED_MINORITY, orient: tuple[str, str] = ORIENT,
                         verbose: bool = False) -> pd.DataFrame:
    """General Assembly ideal points per state and per session, bridged by a random walk (module docstring).

    Returns one row per state and session: ``iso3, session, ideal_point, se, ci_low, ci_high, n_votes``
    (n_votes: votes cast on the session's informative roll calls; the estimates are NaN below ``min_votes``).
    ``se`` and the 95% interval are conditional on the item parameters (their uncertainty is not propagated).
    ``attrs`` hold the vote ids, the number of roll calls per session, tau and the fit time.
    """
    t0 = time.perf_counter()
    votes, roll_calls = alignment._load(votes, roll_calls)
    first, last = check_sessions(first_session, last_session, roll_calls)
    if not 0 <= min_minority < 0.5:
        raise BadArgumentError(f"min_minority={min_minority!r} must be in [0, 0.5)")
    rc = session_roll_calls(first, last, roll_calls)
    m = alignment.vote_matrix(votes, rc, start=None, end=None, sessions=None)
    m = alignment._informative(m, min_minority)
    m = m.loc[m.notna().any(axis=1)]
    item_session = m.columns.map(rc.set_index("vote_id")["model_session"]).to_numpy().astype(int) - first
    S = last - first + 1
    per_session = np.bincount(item_session, minlength=S)
    if (per_session < 2).any():
        bad = [first + s for s in np.flatnonzero(per_session < 2)]
        raise UnvotesError(f"session(s) {bad}: fewer than 2 roll calls with a minority of at least "
                           f"{min_minority:.1%}; choose other sessions within {first}-{last} or lower min_minority")
    if len(orient) != 2 or any(o not in m.index for o in orient):
        raise BadArgumentError(f"orient={orient!r}: give two ISO3 codes of states that voted in sessions "
                               f"{first}-{last}, the first to be on the negative side (e.g. {ORIENT})")
    fit = _fit(m.to_numpy(), item_session, S, tau)
    a = m.to_numpy()
    n_votes = np.zeros((len(m), S), dtype=int)
    for s in range(S):
        n_votes[:, s] = (~np.isnan(a[:, item_session == s])).sum(axis=1)
    keep = n_votes >= min_votes
    if not keep.any():
        raise UnvotesError(f"no state cast {min_votes} votes in any session {first}-{last}: lower min_votes")
    x, se = _standardise(fit.x, fit.se, keep)
    low, high = (list(m.index).index(o) for o in orient)
    if np.nanmean(np.where(keep[low], x[low], np.nan)) > np.nanmean(np.where(keep[high], x[high], np.nan)):
        x = -x
    x = np.where(keep, x, np.nan)
    se = np.where(keep, se, np.nan)
    out = pd.DataFrame({"iso3": np.repeat(m.index.to_numpy(), S), "session": np.tile(np.arange(first, last + 1), len(m)),
                        "ideal_point": x.ravel(), "se": se.ravel(), "ci_low": (x - Z95 * se).ravel(),
                        "ci_high": (x + Z95 * se).ravel(), "n_votes": n_votes.ravel()})
    elapsed = time.perf_counter() - t0
    out.attrs.update({"vote_ids": list(m.columns), "roll_calls_per_session": dict(zip(range(first, last + 1),
                      per_session.tolist())), "tau": tau, "fit_seconds": elapsed, "iterations": int(fit.result.nit),
                      "last_date": rc["date"].max()})
    if verbose:
        print(f"{m.shape[0]} states, {m.shape[1]} roll calls, sessions {first}-{last}: {fit.result.nit} iterations, "
              f"{elapsed:.1f} s")
    return out


# ---------------------------------------------------------------------------------------------------------
# validation and the Ukraine scale


def validate_bridged_against_voeten(points: pd.DataFrame, min_votes: int = MIN_VOTES) -> pd.DataFrame:
    """Per session that Voeten's published file covers (:func:`unvotes.alignment.voeten_scores`, sessions to 78),
    the correlation of the session ideal points with IdealPointAll: ``session, pearson, spearman, n``. Both
    scales put Russia low and the United States high, so the correlations are expected positive; states with
    fewer than ``min_votes`` votes in Voeten's file are left out."""
    ref = alignment.voeten_scores(sorted(points["session"].unique()))
    ref = ref[ref["voeten_n_votes"] >= min_votes]
    j = points.dropna(subset=["ideal_point"]).merge(ref[["session", "iso3", "ideal_point"]], on=["session", "iso3"],
                                                    suffixes=("", "_voeten"))
    if j.empty:
        raise UnvotesError("no session in common with Voeten's file (it covers sessions "
                           f"{alignment.voeten_scores()['session'].min()}-{alignment.voeten_scores()['session'].max()})")
    rows = [{"session": s, "pearson": g["ideal_point"].corr(g["ideal_point_voeten"]),
             "spearman": stats.spearmanr(g["ideal_point"], g["ideal_point_voeten"])[0], "n": len(g)}
            for s, g in j.groupby("session")]
    return pd.DataFrame(rows)


class UkraineScale(NamedTuple):
    scale: pd.DataFrame
    correlations: pd.DataFrame


def ukraine_scale(start: str = "2014-01-01", end: str = "2025-12-31", min_votes: int = 5, *,
                  outside_prewar_window: bool = True,
                  votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None) -> UkraineScale:
    """A static ordinal IRT (:func:`unvotes.alignment.ideal_points`) on the complete catalogued Ukraine votes
    of the General Assembly from ``start`` to ``end`` only, oriented with Russia negative (standardised).
    ``outside_prewar_window`` (default) leaves out the Ukraine votes of the pre-war ideal point's own window
    (Sept 2019 - Feb 2022: six Crimea texts), so that the two share no roll call and their correlation is not
    built in.

    Returns ``(scale, correlations)``: ``scale`` has iso3, name, un_group, ukraine_scale, n_votes,
    ideal_point_prewar; ``correlations`` the Pearson and Spearman correlations of the scale with the pre-war
    ideal point (countries.ideal_point_prewar, Sept 2019 - Feb 2022) over all states and within the African
    Group, with n."""
    from . import api, shifts

    votes, roll_calls = alignment._load(votes, roll_calls)
    ids = shifts.ukraine_votes(start=start, end=end, body="GA", complete_only=True)
    if outside_prewar_window:
        dates = roll_calls.set_index("vote_id")["date"]
        inside = (dates.reindex(ids) >= alignment.PREWAR_START) & (dates.reindex(ids) <= alignment.PREWAR_END)
        ids = [v for v in ids if not inside.get(v, False)]
    if len(ids) < 2:
        raise UnvotesError(f"only {len(ids)} complete catalogued Ukraine vote(s) of the Assembly from {start} to "
                           f"{end}: widen the window")
    rc = roll_calls[roll_calls["vote_id"].isin(ids)]
    ip = alignment.ideal_points(votes, rc, start=None, end=None, kinds=None, orient="UKR", min_votes=min_votes)
    ip = ip.rename(columns={"ideal_point": "ukraine_scale"})
    if ip.loc[ip["iso3"] == "RUS", "ukraine_scale"].iloc[0] > 0:
        ip["ukraine_scale"] = -ip["ukraine_scale"]
    countries = api.load_countries()[["iso3", "name", "un_group", "ideal_point_prewar"]]
    scale = ip.merge(countries, on="iso3", how="left")[["iso3", "name", "un_group", "ukraine_scale", "n_votes",
                                                         "ideal_point_prewar"]]
    scale.attrs["vote_ids"] = ids
    rows = []
    for label, sub in (("all states", scale), ("African Group", scale[scale["un_group"] == "African"])):
        j = sub.dropna(subset=["ukraine_scale", "ideal_point_prewar"])
        rows.append({"states": label, "pearson": j["ukraine_scale"].corr(j["ideal_point_prewar"]),
                     "spearman": stats.spearmanr(j["ukraine_scale"], j["ideal_point_prewar"])[0], "n": len(j)})
    return UkraineScale(scale, pd.DataFrame(rows))


def ukraine_outliers(scale: pd.DataFrame, group: str | None = "African", n: int = 10) -> pd.DataFrame:
    """The states (of ``group``; None: all) furthest from the line of the Ukraine scale on the pre-war ideal
    point fitted over all states: ``residual`` > 0 is more on Ukraine's side than the pre-war ideal point
    predicts, < 0 more on Russia's."""
    j = scale.dropna(subset=["ukraine_scale", "ideal_point_prewar"]).copy()
    slope, intercept = np.polyfit(j["ideal_point_prewar"], j["ukraine_scale"], 1)
    j["predicted"] = intercept + slope * j["ideal_point_prewar"]
    j["residual"] = j["ukraine_scale"] - j["predicted"]
    if group is not None:
        if group not in set(j["un_group"].dropna()):
            raise BadArgumentError(f"group={group!r}; choose one of {sorted(j['un_group'].dropna().unique())}")
        j = j[j["un_group"] == group]
    j = j.reindex(j["residual"].abs().sort_values(ascending=False).index).head(n)
    return j[["name", "un_group", "ideal_point_prewar", "ukraine_scale", "predicted", "residual"]] \
        .reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# groups and movers


def _with_groups(points: pd.DataFrame) -> pd.DataFrame:
    from . import api

    countries = api.load_countries()[["iso3", "name", "un_group"]]
    return points.merge(countries, on="iso3", how="left")


def group_distribution(points: pd.DataFrame) -> pd.DataFrame:
    """Per session and UN regional group (countries.un_group): ``median``, ``q25``, ``q75`` of the ideal
    points and ``n`` (states with an estimate). States in no group are left out."""
    p = _with_groups(points).dropna(subset=["ideal_point", "un_group"])
    g = p.groupby(["session", "un_group"])["ideal_point"]
    out = pd.DataFrame({"median": g.median(), "q25": g.quantile(0.25), "q75": g.quantile(0.75), "n": g.size()})
    return out.reset_index()


def movers(points: pd.DataFrame, first: int = 76, last: int = 80, n: int | None = None) -> pd.DataFrame:
    """The states ranked by the change of their ideal point from session ``first`` to ``last`` (most negative,
    towards Russia's side, first): ``name, un_group, ideal_point_first, ideal_point_last, change``. No interval for the change: the
    random walk correlates a state's points across sessions, and their covariance is not computed, so
    comparing the two sessions' intervals would not test the change.
    ``n``: only the ``n`` largest moves each way."""
    sessions = sorted(points["session"].unique())
    for name, s in (("first", first), ("last", last)):
        if s not in sessions:
            raise BadArgumentError(f"{name}={s!r} is not among the sessions of points ({sessions[0]}-{sessions[-1]})")
    p = _with_groups(points)
    a = p[p["session"] == first].set_index("iso3")
    b = p[p["session"] == last].set_index("iso3")
    j = a[["name", "un_group", "ideal_point", "ci_low", "ci_high"]].join(
        b[["ideal_point", "ci_low", "ci_high"]], lsuffix="_first", rsuffix="_last", how="inner") \
        .dropna(subset=["ideal_point_first", "ideal_point_last"])
    j["change"] = j["ideal_point_last"] - j["ideal_point_first"]
    j = j.sort_values("change").reset_index()
    if n is not None:
        j = pd.concat([j.head(n), j.tail(n).iloc[::-1]]).drop_duplicates("iso3")
    return j[["iso3", "name", "un_group", "ideal_point_first", "ideal_point_last", "change"]] \
        .reset_index(drop=True)


def headline(points: pd.DataFrame, validation: pd.DataFrame, since: int = 76, until: int = PARTIAL_SESSION - 1) -> str:
    """Two sentences: how each regional group's median moved between session ``since`` (76, 2021-22: the
    invasion) and ``until`` (the last complete session), and over the whole span from the first session to
    ``until``, the African Group first; then the range of the correlations with Voeten's scores. Medians of
    point estimates, without intervals (the intervals are per state)."""
    dist = group_distribution(points)
    first = int(dist["session"].min())
    med = dist.pivot(index="session", columns="un_group", values="median")
    for s in (since, until):
        if s not in med.index or pd.isna(med.loc[s].get("African")):
            raise UnvotesError(f"the African Group has no estimate in session {s}; sessions with estimates: "
                               f"{sorted(med.index)}")
    recent = (med.loc[until] - med.loc[since]).dropna()
    long_run = (med.loc[until] - med.loc[first]).dropna()

    def changes(c):
        return ", ".join(f"{g} {v:+.2f}" for g, v in c.drop("African").sort_values().items())

    text = (f"Between session {session_label(since)} and session {session_label(until)}, the last complete one, "
            f"the African Group's median ideal point changed by {recent['African']:+.2f} standard deviations of the "
            f"pooled scale (from {med.loc[since, 'African']:.2f} to {med.loc[until, 'African']:.2f}); the other "
            f"groups' medians changed by {changes(recent)}. Over the whole span from session {session_label(first)}, "
            f"the African median changed by {long_run['African']:+.2f} (the others: {changes(long_run)}), most of it "
            f"before the invasion." if abs(recent["African"]) < abs(long_run["African"]) / 2 else
            f"Between session {session_label(since)} and session {session_label(until)}, the last complete one, "
            f"the African Group's median ideal point changed by {recent['African']:+.2f} standard deviations of the "
            f"pooled scale; the other groups' medians changed by {changes(recent)}. Over the whole span from "
            f"session {session_label(first)}, it changed by {long_run['African']:+.2f} (the others: "
            f"{changes(long_run)}).")
    if not validation.empty:
        text += (f" Against Voeten's published ideal points, sessions {int(validation['session'].min())}-"
                 f"{int(validation['session'].max())}, the Pearson correlation within each session ranges from "
                 f"{validation['pearson'].min():.2f} to {validation['pearson'].max():.2f} (an ordering of states "
                 "per session, not a check of the bridge between sessions).")
    return text


# ---------------------------------------------------------------------------------------------------------
# the figure


def plot_group_distribution(points: pd.DataFrame, ax=None):
    """Per UN regional group, the median ideal point per session (line) and the interquartile range (band),
    the African Group drawn out; a session without estimates breaks the line."""
    import matplotlib.pyplot as plt

    dist = group_distribution(points)
    sessions = np.arange(int(points["session"].min()), int(points["session"].max()) + 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 5))
    else:
        fig = ax.figure
    groups = [g for g in GROUP_ORDER if g in set(dist["un_group"])] + \
        sorted(set(dist["un_group"]) - set(GROUP_ORDER))
    for group in groups:
        d = dist[dist["un_group"] == group].set_index("session").reindex(sessions)
        african = group == "African"
        color = GROUP_COLORS.get(group, "#999999")
        ok = d["median"].notna().to_numpy()
        ax.fill_between(sessions, d["q25"], d["q75"], where=ok, color=color, alpha=0.25 if african else 0.12,
                        linewidth=0, interpolate=False)
        ax.plot(sessions, d["median"], color=color, linewidth=3.2 if african else 1.4, marker="o",
                markersize=4 if african else 2.5, label=f"{group} Group" if african else group,
                zorder=3 if african else 2)
    ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=1)
    ax.set_xticks(sessions)
    ax.set_xticklabels([session_label(s).replace(" (", "\n(") for s in sessions], fontsize=7)
    ax.set_xlabel("General Assembly session (years)")
    ax.set_ylabel("Ideal point (pooled sd; Russia's side negative)")
    last = int(sessions[-1])
    ax.set_title("General Assembly ideal points by UN regional group, per session: median and interquartile range"
                 + (f"\n(session {last} partial)" if last == PARTIAL_SESSION else ""), fontsize=10)
    ax.legend(fontsize=8, frameon=False, loc="best")
    vote_ids = points.attrs.get("vote_ids")
    source = plotting.vote_data_source(vote_ids) if vote_ids else "UN General Assembly recorded votes; unvotes package"
    plotting.add_source(fig, f"{source}; dynamic ordinal IRT over the sessions' resolution roll calls "
                             "(unvotes.dynamic_alignment).")
    return fig


# Former names (DeprecationWarning; removed in 1.0.0): unvotes.alignment had functions of the same names.
from .deprecated import renamed  # noqa: E402

select_roll_calls = renamed(session_roll_calls, "unvotes.dynamic_alignment.select_roll_calls")
validate_against_voeten = renamed(validate_bridged_against_voeten, "unvotes.dynamic_alignment.validate_against_voeten")
