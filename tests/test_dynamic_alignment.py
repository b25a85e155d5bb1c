"""Session ideal points bridged across sessions (unvotes.analyses.dynamic_alignment): recovery of known drifting ideal
points from simulated votes, agreement with Voeten's published scores on the real data, the Ukraine scale,
and clear errors on bad sessions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from unvotes.analyses import dynamic_alignment as da
from unvotes import paths
from unvotes.errors import UnvotesError

# ---------------------------------------------------------------------------------------------------------
# (a) recovery on simulated votes


def simulate(seed: int, n: int = 60, sessions: int = 5, per_session: int = 40, tau: float = da.TAU,
             absent: float = 0.1):
    """Votes from the model itself: ideal points starting N(0, 1) and drifting by N(0, tau^2) a session,
    ``per_session`` roll calls a session with their own discrimination and cutpoints, some absences."""
    rng = np.random.default_rng(seed)
    x = np.cumsum(np.column_stack([rng.normal(0, 1, n), rng.normal(0, tau, (n, sessions - 1))]), axis=1)
    m = sessions * per_session
    item_session = np.repeat(np.arange(sessions), per_session)
    b = rng.choice([-1.0, 1.0], m) * rng.uniform(0.8, 2.5, m)
    c = rng.normal(0, 1, m)
    d = rng.uniform(0.5, 2.0, m)
    eta = b * x[:, item_session] - c
    u = rng.uniform(size=eta.shape)
    a = np.where(u < special.expit(eta - d), 1.0, np.where(u < special.expit(eta), 0.5, 0.0))
    a[rng.uniform(size=a.shape) < absent] = np.nan
    return a, item_session, x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_drifting_ideal_points_with_calibrated_intervals(seed):
    a, item_session, truth = simulate(seed)
    fit = da._fit(a, item_session, truth.shape[1])
    assert fit.x.shape == fit.se.shape == truth.shape
    est, se = da._standardise(fit.x, fit.se, np.ones(truth.shape, dtype=bool))
    truth = (truth - truth.mean()) / truth.std()
    r = np.corrcoef(est.ravel(), truth.ravel())[0, 1]
    if r < 0:  # the sign is not identified by the likelihood; the real fit orients it on Russia
        est = -est
    assert abs(r) > 0.9
    inside = np.abs(est - truth) <= da.Z95 * se
    assert inside.mean() >= 0.85, f"only {inside.mean():.0%} of the true points inside their 95% intervals"
    assert (se > 0).all() and np.isfinite(se).all()


def test_chain_interpolates_a_session_without_votes():
    """A state silent in one session keeps a finite point there (the random walk), with a wider interval."""
    a, item_session, truth = simulate(3)
    a[0, item_session == 2] = np.nan
    fit = da._fit(a, item_session, truth.shape[1])
    assert np.isfinite(fit.x[0, 2])
    assert fit.se[0, 2] > 1.5 * np.median(fit.se[:, 2])


def simulate_bridged(seed: int, n: int = 80, sessions: int = 5, per_session: int = 40, shared: int = 20,
                     tau: float = 0.3, absent: float = 0.1, jump: float = 0.0):
    """Votes from the bridged model: the first ``shared`` roll calls of every session are the same texts (one
    family each, the same parameters in every session); state 0's ideal point jumps by ``jump`` after the
    middle session."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, tau, (n, sessions - 1))
    steps[0, (sessions - 1) // 2] += jump
    x = np.cumsum(np.column_stack([rng.normal(0, 1, n), steps]), axis=1)
    family = np.concatenate([np.r_[np.arange(shared), shared + s * (per_session - shared) +
                                   np.arange(per_session - shared)] for s in range(sessions)])
    F = family.max() + 1
    b = rng.choice([-1.0, 1.0], F) * rng.uniform(0.8, 2.5, F)
    c = rng.normal(0, 1, F)
    d = rng.uniform(0.5, 2.0, F)
    item_session = np.repeat(np.arange(sessions), per_session)
    eta = b[family] * x[:, item_session] - c[family]
    u = rng.uniform(size=eta.shape)
    a = np.where(u < special.expit(eta - d[family]), 1.0, np.where(u < special.expit(eta), 0.5, 0.0))
    a[rng.uniform(size=a.shape) < absent] = np.nan
    return a, item_session, family, x


def test_estimates_the_random_walk_and_recovers_changes():
    """tau is estimated, not fixed: on the model's scale, whose unit the priors set, it is judged against the
    spread of the first session's points (true ratio 0.3); the changes between the first and last session
    are recovered."""
    a, item_session, family, truth = simulate_bridged(0)
    fit = da._fit(a, item_session, truth.shape[1], tau=None, family=family)
    assert fit.em_rounds > 0
    assert 0.22 < fit.tau / fit.x[:, 0].std() < 0.38
    change = np.corrcoef(fit.x[:, -1] - fit.x[:, 0], truth[:, -1] - truth[:, 0])[0, 1]
    assert abs(change) > 0.75


def test_student_t_walk_lets_a_jumping_state_move():
    """With nu degrees of freedom each state has its own step sd: a state that jumps gets a wider one."""
    a, item_session, family, truth = simulate_bridged(1, jump=2.0, tau=0.15)
    fit = da._fit(a, item_session, truth.shape[1], tau=None, family=family, nu=da.NU)
    assert fit.state_tau[0] > 2 * np.median(fit.state_tau)


def test_posterior_precision_is_the_exact_hessian():
    """The precision behind the draws equals the negative Hessian of the log posterior by finite differences."""
    a, item_session, family, _ = simulate_bridged(2, n=12, sessions=3, per_session=6, shared=3)
    fit = da._fit(a, item_session, 3, tau=0.3, family=family, full_precision=True)
    n, S, F = 12, 3, family.max() + 1
    ii, jj = np.nonzero(~np.isnan(a))
    y = np.rint(a[ii, jj] * 2).astype(int)
    kk, ff = ii * S + item_session[jj], family[jj]

    def logpost(p):
        x, b, c, g = p[:n * S], p[n * S:n * S + F], p[n * S + F:n * S + 2 * F], p[n * S + 2 * F:]
        a1 = b[ff] * x[kk] - c[ff]
        a2 = a1 - np.exp(g)[ff]
        prob = np.where(y == 0, special.expit(-a1), np.where(y == 2, special.expit(a2),
                                                              special.expit(a1) - special.expit(a2)))
        X = x.reshape(n, S)
        sd = da.IRT_PRIOR_SD
        return (np.log(prob).sum() - 0.5 * (X[:, 0] ** 2).sum() - 0.5 / 0.09 * (np.diff(X, axis=1) ** 2).sum()
                - 0.5 * ((b / sd["b"]) ** 2).sum() - 0.5 * ((c / sd["c"]) ** 2).sum() - 0.5 * ((g / sd["g"]) ** 2).sum())

    p0 = np.concatenate([fit.x.ravel(), fit.b, fit.c, fit.g])
    h, P = 1e-4, len(p0)
    H = np.zeros((P, P))
    eye = np.eye(P) * h
    for i in range(P):
        for j in range(i, P):
            H[i, j] = H[j, i] = (logpost(p0 + eye[i] + eye[j]) - logpost(p0 + eye[i] - eye[j])
                                 - logpost(p0 - eye[i] + eye[j]) + logpost(p0 - eye[i] - eye[j])) / (4 * h * h)
    assert np.abs(fit.precision + H).max() < 1e-4 * np.abs(H).max()
    assert np.linalg.eigvalsh(fit.precision).min() > 0  # a mode: the draws' covariance exists
    # the Newton steps solve with the same matrix by blocks (Schur complement of the chains' block)
    solve = da._hessian_solver(fit.x.ravel(), fit.b, fit.c, fit.g, y, kk, ff, n * S, F, n, S, np.full(n, 0.3))
    r = np.random.default_rng(0).standard_normal(P)
    assert np.allclose(solve(r), np.linalg.solve(fit.precision, r), rtol=1e-8, atol=1e-10)
    # the Gauss-Newton matrix, used where the Hessian is not positive definite, is positive definite
    gn = da._precision(fit.x.ravel(), fit.b, fit.c, fit.g, y, kk, ff, n * S, F, n, S, 0.3, gauss_newton=True)
    assert np.linalg.eigvalsh(gn).min() > 0


def test_item_families_bridge_identical_titles_across_sessions():
    rc = pd.DataFrame({"vote_id": ["A/RES/70/1", "A/RES/71/1", "A/RES/71/2", "A/RES/72/1", "A/RES/72/2", "A/RES/72/3",
                                   "A/RES/70/9"],
                       "title": ["The Syrian Golan", "The  Syrian Golan.", "Question of Palestine",
                                 "The Syrian Golan", "Question of Palestine", "Question of Palestine",
                                 "Non\u2011nuclear-weapon States"],
                       "model_session": [70, 71, 71, 72, 72, 72, 70]})
    fam = da.item_families(rc)
    assert fam["A/RES/70/1"] == fam["A/RES/71/1"] == fam["A/RES/72/1"] == "title: the syrian golan"
    # voted twice in session 72: two texts under one title, not bridged (nor, then, is session 71's)
    assert fam["A/RES/72/2"] == "vote: A/RES/72/2" and fam["A/RES/72/3"] == "vote: A/RES/72/3"
    assert fam["A/RES/71/2"] == "vote: A/RES/71/2"
    assert fam["A/RES/70/9"] == "vote: A/RES/70/9"  # one session only
    assert da.title_key("Non\u2011nuclear\u2013weapon States\u2019 rights.") == "non-nuclear-weapon states' rights"


def test_fit_rejects_bad_inputs():
    a, item_session, _ = simulate(0, n=10, sessions=2, per_session=5)
    with pytest.raises(UnvotesError, match="session in 0..1"):
        da._fit(a, item_session + 1, 2)
    with pytest.raises(UnvotesError, match="tau"):
        da._fit(a, item_session, 2, tau=0.0)


# ---------------------------------------------------------------------------------------------------------
# (c) bad parameters: clear errors that name the valid range


def small_tables():
    """Roll calls of sessions 1, 2 and 4 (none in 3) and their votes, enough for check_sessions."""
    rows = []
    for session, year in ((1, 1946), (2, 1947), (4, 1949)):
        for k in range(3):
            rows.append({"vote_id": f"A/RES/{session}/{k}", "body": "GA", "date": pd.Timestamp(year, 11, 1 + k),
                         "session": str(session), "kind": "resolution", "complete": True})
    rows.append({"vote_id": "A/RES/ES-1/1", "body": "GA", "date": pd.Timestamp(1948, 11, 1), "session": "ES-1",
                 "kind": "resolution", "complete": True})
    rc = pd.DataFrame(rows)
    votes = pd.DataFrame([{"vote_id": v, "iso3": s, "vote": "yes"} for v in rc["vote_id"] for s in ("AAA", "BBB")])
    return votes, rc


def test_first_session_after_last_is_an_error_naming_the_range():
    votes, rc = small_tables()
    with pytest.raises(UnvotesError, match=r"first_session=4 is after last_session=2.*1 <= first_session"):
        da.session_ideal_points(4, 2, votes=votes, roll_calls=rc)


def test_session_without_roll_calls_is_an_error_naming_the_range():
    votes, rc = small_tables()
    with pytest.raises(UnvotesError, match=r"session\(s\) \[3\].*run from 1 to 4 \(none in \[3\]\)"):
        da.session_ideal_points(1, 4, votes=votes, roll_calls=rc)
    with pytest.raises(UnvotesError, match=r"\[5, 6\].*run from 1 to 4"):
        da.session_ideal_points(4, 6, votes=votes, roll_calls=rc)
    with pytest.raises(UnvotesError, match="not a session number"):
        da.check_sessions("sixty-eight", 80, rc)


def test_notebook_parameters_are_checked():
    with pytest.raises(UnvotesError, match="compare_first=70 must come before compare_last=70"):
        _check_compare(70, 70)


def _real_like_roll_calls():
    return pd.DataFrame({"vote_id": [f"A/RES/{s}/1" for s in range(68, 81)], "body": "GA",
                         "date": [da.session_opening(s) + pd.Timedelta(days=60) for s in range(68, 81)],
                         "session": [str(s) for s in range(68, 81)], "kind": "resolution", "complete": True})


def _check_compare(compare_first, compare_last):
    """check_parameters without the tables: the same checks on compare_first/compare_last."""
    import unittest.mock

    with unittest.mock.patch.object(da, "check_sessions", lambda f, l: (f, l)):
        da.check_parameters(68, 80, compare_first, compare_last)


def test_compare_sessions_outside_the_range_are_errors():
    with pytest.raises(UnvotesError, match="compare_last=81: give a session from first_session=68 to last_session=80"):
        _check_compare(76, 81)


def test_emergency_session_votes_count_in_the_regular_session_open_on_their_date():
    assert da.session_opening(68) == pd.Timestamp("2013-09-17")
    assert da.session_opening(77) == pd.Timestamp("2022-09-13")
    assert da.session_opening(78) == pd.Timestamp("2023-09-05")
    assert da.session_opening(80) == pd.Timestamp("2025-09-09")
    assert da.session_of_date("2022-03-02") == 76  # A/RES/ES-11/1
    assert da.session_of_date("2024-09-18") == 79  # A/RES/ES-10/24
    assert da.session_of_date("2025-09-05") == 79
    rc = _real_like_roll_calls()
    rc = pd.concat([rc, pd.DataFrame({"vote_id": ["A/RES/ES-11/1"], "body": "GA",
                                      "date": [pd.Timestamp("2022-03-02")], "session": ["ES-11"],
                                      "kind": "resolution", "complete": True})])
    sel = da.session_roll_calls(75, 77, rc).set_index("vote_id")["model_session"]
    assert sel["A/RES/ES-11/1"] == 76 and len(sel) == 4


# ---------------------------------------------------------------------------------------------------------
# (b) the real data


@pytest.fixture(scope="module")
def fit(data_dir):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.DATA_ENV, str(data_dir))
        return da.bridge_fit()


@pytest.fixture(scope="module")
def points(fit):
    return fit.points


@pytest.fixture(scope="module")
def missing(fit):
    """The roll calls BSV's file leaves out (about 5 s): read by two tests."""
    return da.roll_calls_missing_from_voeten(fit)


def test_real_fit_is_tidy_and_complete(in_data_dir, fit, points):
    assert list(points.columns) == ["iso3", "session", "ideal_point", "se", "ci_low", "ci_high", "n_votes"]
    assert sorted(points["session"].unique()) == list(range(68, 81))
    est = points.dropna(subset=["ideal_point"])
    assert (est["n_votes"] >= 10).all() and points.loc[points["n_votes"] < 10, "ideal_point"].isna().all()
    assert (est["se"] > 0).all() and ((est["ci_low"] < est["ideal_point"]) & (est["ideal_point"] < est["ci_high"])).all()
    assert est.groupby("session").size().min() >= 185
    assert abs(est["ideal_point"].mean()) < 1e-9 and abs(est["ideal_point"].std(ddof=0) - 1) < 1e-9
    assert fit.draws.shape == (da.N_DRAWS, points["iso3"].nunique(), 13)
    assert np.isnan(fit.draws.reshape(da.N_DRAWS, -1)[:, points["ideal_point"].isna().to_numpy()]).all()
    # the bridge and the walk: most roll calls share parameters across sessions; tau estimated
    attrs = points.attrs
    assert attrs["tau_estimated"] and attrs["em_rounds"] > 0 and attrs["nu"] == da.NU
    assert attrs["bridged_roll_calls"] > 0.8 * attrs["roll_calls"] and attrs["families"] >= 100
    assert attrs["fit_cpu_seconds"] < 300  # ~30 s of processor time on the shared development machine (59-67 s before the Newton finish)


def test_agrees_with_voeten_in_every_overlapping_session(in_data_dir, points):
    v = da.validate_bridged_against_voeten(points)
    assert list(v["session"]) == list(range(68, 79))
    assert (v["pearson"] > 0.95).all(), v
    assert (v["spearman"] > 0.9).all(), v
    assert (v["n"] >= 180).all()


def test_changes_against_voeten_hold_the_measured_figures(in_data_dir, points):
    """Issue 25's test of the bridge, with the figures measured (Dec 2026): the raw changes correlate with BSV's
    at r = 0.82 (68->78), 0.79 (68->75), 0.73 (72->78), 0.71 (76->78), against 0.66, 0.56, 0.80, 0.79 before the
    bridge (fixed tau, no shared items); with both scales standardised within each session, 0.87, 0.84, 0.77,
    0.69. Short of the issue's 0.85 on the raw changes (the test), so the page states no trend (below); the
    African median moves in BSV's direction (+0.04 here, +0.15 there). Tried and not kept (branch bridge25b):
    all roll calls but the unanimous ones (0.80/0.79/0.71/0.71), a Gaussian walk (0.79/0.75/0.72/0.67), no
    shared items (0.84/0.79/0.78/0.69, African median the wrong way), tau at the Laplace evidence's maximum
    0.06 (0.82/0.79/0.75/0.72), lopsided threshold 5% instead of 2.5% (0.83/0.80/0.74/0.72); a tau of 0.3 or
    more (0.86/0.85/0.83/0.78) is rejected by the votes (:func:`unvotes.dynamic_alignment.log_evidence`), and no
    tau brings 76->78 above 0.79. Leaving out the ten ES-11 (Ukraine) roll calls on the scale raises 68->78 and
    68->75 to 0.85 but leaves 72->78 and 76->78 at 0.74 and 0.72: the Ukraine votes weigh on the whole scale
    through the walk; they are kept (they are what the project studies, and Voeten's roll calls hold the
    emergency sessions' votes too, e.g. A/RES/ES-10/19, though not those of ES-11 in sessions 76-77: below).
    Tried and not kept (branch bridge25c, raw r for 68->78/68->75/72->78/76->78; each with the African median in
    BSV's direction unless said): looser title matching (punctuation, hyphens and years ignored: 9 more roll calls
    bridged, 100 of 919 left alone, mostly one-off texts or a title voted twice in a session) 0.81/0.78/0.73/0.71,
    titles as sets of words 0.81/0.78/0.73/0.71; a tau per session step in the same Laplace EM 0.77/0.74/0.72/0.73
    (45 s of processor time, 677 EM rounds; the steps 68->69 and 79->80 near zero); the chain started at session
    64 (points reported from 68) 0.83/0.83/0.73/0.71, at session 60 0.84/0.84/0.74/0.69 (35 s without the draws);
    Student-t steps (a weight per state and step, not per state) 0.80/0.78/0.70/0.70; nu estimated in the EM
    (10.8) 0.80/0.75/0.72/0.68; nu fixed at 2, 1, 0.5: 0.83/0.80/0.74/0.71, 0.83/0.80/0.75/0.71,
    0.83/0.80/0.75/0.71 (about +0.01 on every pair, 21 s; not kept: chosen against BSV, while the EM's own
    estimate of nu is 10.8), nu 1 from session 64 0.84/0.84/0.75/0.71. On BSV's own roll calls (the eleven their
    file leaves out taken away, :func:`unvotes.analyses.dynamic_alignment.roll_calls_missing_from_voeten`)
    0.85/0.85/0.74/0.72 (African median +0.01), with nu 1 0.85/0.85/0.76/0.74 (African median -0.01, the wrong
    way): the ES-11 votes account for the 68-based pairs' gap, not for 72->78 and 76->78. BSV's intervals give
    no ceiling on any pair (:func:`test_voeten_intervals_bound_no_change_correlation`)."""
    changes = da.validate_changes_against_voeten(points)
    ch = changes.set_index(["first", "last"])
    assert list(ch.index) == list(da.CHANGE_PAIRS)
    floors = {(68, 78): 0.79, (68, 75): 0.76, (72, 78): 0.70, (76, 78): 0.67}
    for pair, floor in floors.items():
        assert floor < ch.loc[pair, "pearson"] < da.MIN_CHANGE_R, (pair, ch.loc[pair, "pearson"])
    per_session = {(68, 78): 0.84, (68, 75): 0.80, (72, 78): 0.74, (76, 78): 0.65}
    for pair, floor in per_session.items():
        assert floor < ch.loc[pair, "pearson_per_session"] < 0.9, (pair, ch.loc[pair, "pearson_per_session"])
    directions = da.group_direction_against_voeten(points).set_index("un_group")
    assert directions.loc["African", "same_direction"]
    assert directions.loc["African", "change_voeten"] > 0
    assert directions["same_direction"].sum() >= 4
    assert not da.change_validated(changes, directions.reset_index())


def test_voeten_intervals_bound_no_change_correlation(in_data_dir, fit):
    """Issue 25, the ceiling: BSV's intervals, taken as independent noise across sessions, would cap the change
    correlation any scale can reach at 0.70/0.68/0.60/0.02 (68->78, 68->75, 72->78, 76->78); the observed
    correlations are above that on every pair, so the intervals are not independent across sessions (or are
    shared with this scale's errors through the same votes) and give no ceiling: no evidence that 0.85 cannot
    be reached."""
    iv = da.voeten_intervals(range(60, 79))
    assert (iv["se"] > 0).all() and 0.12 < iv["se"].mean() < 0.18
    rel = da.change_reliability_voeten(fit=fit).set_index(["first", "last"])
    assert list(rel.index) == list(da.CHANGE_PAIRS)
    measured = {(68, 78): 0.70, (68, 75): 0.68, (72, 78): 0.60, (76, 78): 0.02}
    for pair, ceiling in measured.items():
        assert abs(rel.loc[pair, "ceiling_voeten"] - ceiling) < 0.03, (pair, rel.loc[pair])
    assert rel.loc[(76, 78), "reliability_voeten"] < 0.05  # BSV's 76->78 change is as wide as its noise
    assert (rel["pearson"] > rel["ceiling_voeten"]).all()  # the independence ceiling does not hold
    assert (rel["pearson"] > rel["ceiling_both"]).all()
    assert rel["rho_needed"].between(0.25, 0.6).all(), rel["rho_needed"]
    assert rel["reliability_here"].between(0.3, 0.9).all()
    assert rel.loc[(76, 78), "reliability_here"] < rel["reliability_here"].drop((76, 78)).min()


def test_voeten_file_leaves_out_the_ukraine_votes_of_2022_23(in_data_dir, fit, missing):
    """Voeten's per-state vote counts match the data here exactly once the ES-11 votes of sessions 76 and 77
    (and three roll calls of June-July 2022, one each in 69 and 71) are taken away: BSV's scale of those
    sessions does not include the Ukraine votes."""
    miss = missing.set_index("session")
    assert (miss.loc[[68, 70, 73, 74], "states_differing"] == 0).all()
    assert set(miss.loc[76, "missing"]) == {"A/RES/ES-11/1", "A/RES/ES-11/2", "A/RES/ES-11/3", "A/RES/76/267",
                                            "A/RES/76/290", "A/RES/76/300"}
    assert miss.loc[76, "states_differing_after"] == 0
    assert set(miss.loc[77, "missing"]) == {"A/RES/ES-11/4", "A/RES/ES-11/5", "A/RES/ES-11/6"}
    assert miss.loc[77, "states_differing_after"] <= 1
    assert miss.loc[69, "missing"] == ["A/RES/69/61"] and miss.loc[71, "missing"] == ["A/RES/71/250"]
    assert miss.loc[[72, 75, 78], "missing"].map(len).eq(0).all()
    # the page's sentence names the left-out Ukraine votes and, since every pair beats it, says the bound holds nothing
    text = da.voeten_checks_text(da.change_reliability_voeten(fit=fit), miss.reset_index())
    assert "In session 77 their file leaves out" in text and "The 6 Ukraine votes of ES-11" in text
    assert "Their intervals therefore bound nothing" in text
    assert list(da.ceiling_table(da.change_reliability_voeten(fit=fit)).columns) == list(da.CEILING_LABELS.values())


def test_on_bsvs_design_the_changes_agree_but_the_african_direction_turns(in_data_dir, missing):
    """Issue 25, found in BSV's replication code (evoeten/United-Nations-General-Assembly-Votes-and-Ideal-Points,
    read for its design, not copied): their chain ends at their last session, their step is a fixed smoothing
    prior, and their file leaves out the ES-11 votes. Fitted so (sessions 68-78, their roll calls), the changes
    correlate with BSV's at r >= 0.85 on every pair once the step is fixed as theirs is (0.87/0.88/0.86/0.92; 0.15
    and 0.3 give the same), while the step the votes choose gives 0.86/0.84/0.78/0.78. The African Group's median
    then moves against BSV's direction (-0.06 against +0.15 SD): on the published scale (+0.04) and on this one
    its sign depends on the design, so it is no finding either way."""
    design = da.voeten_design_check(missing).set_index("step")
    pairs = ["r_68_78", "r_68_75", "r_72_78", "r_76_78"]
    estimated, fixed = design.loc["estimated"], design.loc[f"fixed at {da.BSV_LIKE_TAU}"]
    for col, value in zip(pairs, (0.857, 0.843, 0.777, 0.779)):
        assert abs(estimated[col] - value) < 0.02, (col, estimated[col])
    assert (fixed[pairs] >= da.MIN_CHANGE_R).all(), fixed[pairs]
    assert estimated["african"] > 0 and fixed["african"] < 0 < fixed["african_voeten"]
    text = da.voeten_design_text(design.reset_index())
    assert "every pair at 0.85 or more" in text and "the direction of the group's move depends on the design" in text
    assert list(da.design_table(design.reset_index()).columns)[1] == "r, 68→78"


def test_orientation_on_russia(in_data_dir, points):
    """Russia's side is negative in every session: below Ukraine and the United States throughout, and below
    zero (the average state-session) and the median state in the sessions of the war."""
    p = points.pivot(index="session", columns="iso3", values="ideal_point")
    assert (p["RUS"] < p["UKR"]).all() and (p["RUS"] < p["USA"]).all()
    assert (p.loc[76:80, "RUS"] < 0).all()
    assert (p.loc[76:80, "RUS"] < p.loc[76:80].median(axis=1)).all()


def test_2025_texts_with_the_us_nearly_alone_are_off_the_scale(in_data_dir, fit):
    """In 2025 the United States voted no nearly alone on a hundred-odd texts (against 15-34 a session
    before): they are flagged in every session, left out of the scale from 20 January 2025, and Russia's and
    the DPRK's changes into session 80 are then indistinguishable from zero (before this, the scale moved them
    from -1.23 to -0.01 and from -1.36 to -0.33)."""
    rcs = fit.roll_calls
    per = rcs.groupby("session")["us_isolated"].sum()
    assert per[80] > 3 * per.loc[68:78].max()
    late = rcs["date"] >= pd.Timestamp(da.US_ISOLATED_FROM)
    assert not (rcs["in_scale"] & rcs["us_isolated"] & late).any()
    assert (rcs["in_scale"] & rcs["us_isolated"] & ~late).sum() > 50  # kept before 2025, as in BSV
    assert rcs.loc[rcs["us_isolated"] & late, "title"].str.contains("Rights of the child").any()
    ch = da.state_changes(fit, 78, 80).set_index("iso3")
    for state in ("RUS", "PRK"):
        assert ch.loc[state, "ci_low"] < 0 < ch.loc[state, "ci_high"], ch.loc[state]


def test_us_isolated_rule():
    m = pd.DataFrame({"r1": [0.0, 1.0, 1.0, 1.0] + [1.0] * 40, "r2": [0.0, 1.0, 1.0, 0.0] + [0.0] * 2 + [1.0] * 38,
                      "r3": [0.0, 0.0, 1.0, 1.0] + [1.0] * 40},
                     index=["USA", "GBR", "FRA", "RUS"] + [f"S{i:02d}" for i in range(40)])
    import unittest.mock

    groups = pd.DataFrame({"iso3": ["USA", "GBR", "FRA", "RUS"], "un_group": ["Western European and Others"] * 3
                           + ["Eastern European"]})
    with unittest.mock.patch("unvotes.api.load_countries", return_value=groups):
        flags = da.us_isolated(m)
    # r1: the US alone; r2: no votes 4 of 44 (9%), above 5%; r3: 2 of 44, but half its own group voted no too
    assert flags.to_dict() == {"r1": True, "r2": False, "r3": False}


def test_change_intervals_and_group_medians(in_data_dir, fit):
    ch = da.state_changes(fit, 76, 79)
    assert (ch["ci_low"] <= ch["change"]).mean() > 0.95 and (ch["change"] <= ch["ci_high"]).mean() > 0.95
    assert ch["change"].is_monotonic_increasing
    # the interval of a change is narrower than the two points' intervals added: the draws keep the chain's
    # correlation across sessions
    p = fit.points.set_index(["iso3", "session"])
    width_sum = (p.xs(76, level="session")["ci_high"] - p.xs(76, level="session")["ci_low"]
                 + p.xs(79, level="session")["ci_high"] - p.xs(79, level="session")["ci_low"]).reindex(ch["iso3"])
    assert ((ch["ci_high"] - ch["ci_low"]).to_numpy() < width_sum.to_numpy()).mean() > 0.9
    med = da.group_medians(fit)
    assert set(med["un_group"]) == set(da.GROUP_ORDER) and med.groupby("un_group").size().eq(13).all()
    assert ((med["ci_low"] <= med["median"]) & (med["median"] <= med["ci_high"])).mean() > 0.9
    change = da.group_medians(fit, 68, 78).set_index("un_group")
    assert (change["ci_low"] < change["ci_high"]).all() and (change["n"] > 20).all()
    with pytest.raises(UnvotesError, match="68-80"):
        da.state_changes(fit, 60, 80)


def test_ukraine_scale_correlates_less_within_the_african_group(in_data_dir):
    u = da.ukraine_scale()
    corr = u.correlations.set_index("states")
    assert corr.loc["African Group", "pearson"] < corr.loc["all states", "pearson"]
    assert corr.loc["all states", "pearson"] > 0.5
    assert corr.loc["African Group", "n"] >= 50
    s = u.scale.set_index("iso3")["ukraine_scale"]
    assert s["RUS"] < 0 < s["UKR"]
    out = da.ukraine_outliers(u.scale, n=5)
    assert len(out) == 5 and (out["un_group"] == "African").all()
    assert out["residual"].abs().is_monotonic_decreasing


def test_groups_movers_headline_and_figure(in_data_dir, fit, points):
    dist = da.group_distribution(points)
    assert set(dist["un_group"]) == set(da.GROUP_ORDER)
    assert (dist["q25"] <= dist["median"]).all() and (dist["median"] <= dist["q75"]).all()
    assert dist.groupby("session").size().eq(5).all()
    mv = da.movers(fit, 76, 79, n=15)
    assert len(mv) == 30 and mv["change"].iloc[0] < 0 < mv["change"].iloc[-1]
    assert {"ci_low", "ci_high"} <= set(mv.columns)
    changes, directions = da.validate_changes_against_voeten(points), da.group_direction_against_voeten(points)
    text = da.headline(fit, da.validate_bridged_against_voeten(points), changes, directions, 76, 79)
    assert "Bailey, Strezhnev & Voeten" in text and "68→78 r = " in text
    # trends only once the bridge passes the test
    assert ("states no trend" in text) == (not da.change_validated(changes, directions))
    assert ("session 79 (2024-25)" in text) == da.change_validated(changes, directions)
    import matplotlib

    matplotlib.use("Agg")
    fig = da.plot_group_distribution(points)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    widths = {line.get_label(): line.get_linewidth() for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert widths["African Group"] > max(w for k, w in widths.items() if k != "African Group")
    assert any(t.get_text().startswith("Source:") for t in fig.texts)


def test_ukraine_votes_against_general_alignment_session_by_session(in_data_dir, fit):
    t = da.ukraine_against_general(fit)
    assert {76, 77, 79, 80} <= set(t["session"])  # the sessions of the ES-11 votes
    assert t["ukraine_agreement"].between(0, 1).all() and (t["n_ukraine_votes"] >= 2).all()
    assert "UKR" not in set(t["iso3"])
    for _, g in t.groupby("session"):  # least-squares residuals: mean zero, uncorrelated with the ideal point
        assert abs(g["residual"].mean()) < 1e-9 and abs(np.corrcoef(g["residual"], g["ideal_point"])[0, 1]) < 1e-6
    r76 = t[t["session"] == 76].set_index("iso3")
    assert r76.loc["RUS", "ukraine_agreement"] == 0 and r76.loc["BLR", "residual"] < 0
    d = da.decoupling(t, 76, 79, n=5, group="African")
    assert len(d) == 10 and (d["un_group"] == "African").all()
    assert d["change"].iloc[0] < 0 < d["change"].iloc[5]
    with pytest.raises(UnvotesError, match="sessions with Ukraine votes"):
        da.decoupling(t, 70, 79)


def test_laplace_evidence_of_tau_peaks_near_the_true_walk():
    """The Laplace marginal likelihood of tau (ideal points and item parameters integrated out), the check on the
    EM's estimate: on votes simulated with tau = 0.3 (first session N(0, 1)), it is higher at 0.3 than at a
    tenth or three times that."""
    a, item_session, family, truth = simulate_bridged(4, n=60, tau=0.3)
    ev = {t: da.log_evidence(a, item_session, truth.shape[1], t, family) for t in (0.03, 0.3, 0.9)}
    assert ev[0.3] > ev[0.03] and ev[0.3] > ev[0.9], ev
