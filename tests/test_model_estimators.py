"""The estimators on simulated and hand-checkable data: known coefficients recovered, agreement with
statsmodels where statsmodels has the estimator, Firth under separation, scores and Holm by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from unvotes import models
from unvotes.models.model_data import ModelData, ModelParameterError
from unvotes.models import estimators


def _groups(n, per=3):
    return np.repeat(np.arange(n // per + 1), per)[:n]


def test_firth_equals_the_haldane_correction_in_a_saturated_2x2_table():
    # y by d: d=0 -> 3 ones, 5 zeros; d=1 -> 4 ones, 0 zeros (quasi-complete separation: ML is infinite)
    d = np.r_[np.zeros(8), np.ones(4)]
    y = np.r_[np.ones(3), np.zeros(5), np.ones(4)]
    X = np.c_[np.ones(12), d]
    e = estimators.fit_binary(X, y, np.arange(12), ["Intercept", "d"], method="firth")
    assert e.converged
    assert e.params[0] == pytest.approx(np.log(3.5 / 5.5), abs=1e-6)
    assert e.params[1] == pytest.approx(np.log((4.5 / 0.5) / (3.5 / 5.5)), abs=1e-6)


def test_firth_is_finite_under_complete_separation():
    x = np.arange(-5, 5, dtype=float)
    y = (x > 0).astype(int)
    e = estimators.fit_binary(np.c_[np.ones(10), x], y, np.arange(10), ["Intercept", "x"])
    assert e.converged and np.isfinite(e.params).all() and 0 < e.params[1] < 10


def _binary_sim(n=1500, seed=3):
    rng = np.random.default_rng(seed)
    x, d = rng.normal(size=n), (rng.random(n) < 0.4).astype(float)
    X = np.c_[np.ones(n), x, d]
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [-0.5, 1.0, -1.5])))).astype(int)
    return X, y


def test_binary_ml_matches_statsmodels_with_clustered_errors_and_firth_recovers_coefficients():
    X, y = _binary_sim()
    g = _groups(len(y))
    ml = estimators.fit_binary(X, y, g, ["c", "x", "d"], method="ml")
    ref = sm.Logit(y, X).fit(disp=0, cov_type="cluster", cov_kwds={"groups": g})
    assert np.allclose(ml.params, ref.params, atol=1e-8)
    assert np.allclose(ml.se, ref.bse, rtol=1e-6)
    firth = estimators.fit_binary(X, y, g, ["c", "x", "d"])
    assert np.allclose(firth.params, [-0.5, 1.0, -1.5], atol=3 * firth.se)
    assert np.all(np.abs(firth.params) <= np.abs(ml.params) + 1e-9)  # Firth shrinks towards 0


def test_ordered_logit_recovers_coefficients_and_matches_statsmodels():
    rng = np.random.default_rng(11)
    n = 2000
    X = np.c_[rng.normal(size=n), (rng.random(n) < 0.5).astype(float)]
    latent = X @ [1.2, -0.7] + rng.logistic(size=n)
    y = np.digitize(latent, [-0.3, 1.5])
    g = _groups(n)
    ml = estimators.fit_ordered(X, y, g, ["x", "d"], 3, prior_scale=None)
    assert np.allclose(ml.params[:2], [1.2, -0.7], atol=3 * ml.se[:2])
    assert np.allclose(estimators.cut_points(ml.params[2:]), [-0.3, 1.5], atol=0.2)
    ref = OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=0, maxiter=5000, gtol=1e-10,
                                                 cov_type="cluster", cov_kwds={"groups": g})
    assert np.allclose(ml.params, ref.params, atol=1e-4)
    assert np.allclose(ml.se, ref.bse, rtol=1e-3)
    # The prior shrinks towards 0, less as its scale grows.
    tight = estimators.fit_ordered(X, y, g, ["x", "d"], 3, prior_scale=0.1)
    loose = estimators.fit_ordered(X, y, g, ["x", "d"], 3, prior_scale=10)
    assert abs(tight.params[0]) < abs(loose.params[0]) <= abs(ml.params[0]) + 1e-6


def test_multinomial_recovers_coefficients_and_matches_statsmodels():
    rng = np.random.default_rng(5)
    n = 3000
    X = np.c_[np.ones(n), rng.normal(size=n)]
    B = np.array([[0.3, 1.0], [-0.5, -1.0], [-1.0, 0.5]])
    P = np.exp(np.c_[np.zeros(n), X @ B.T])
    P /= P.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > P.cumsum(axis=1)).sum(axis=1)
    g = _groups(n)
    ml = estimators.fit_multinomial(X, y, g, ["c", "x"], 4, prior_scale=None)
    assert np.allclose(ml.params, B.ravel(), atol=3 * ml.se)
    ref = sm.MNLogit(y, X).fit(disp=0, cov_type="cluster", cov_kwds={"groups": g})
    assert np.allclose(ml.params, np.asarray(ref.params).T.ravel(), atol=1e-7)
    assert np.allclose(ml.se, np.asarray(ref.bse).T.ravel(), rtol=1e-6)


def test_scores_by_hand():
    y, p = [1, 0, 1, 0], [0.9, 0.2, 0.4, 0.5]
    assert models.brier(y, p) == pytest.approx((0.01 + 0.04 + 0.36 + 0.25) / 4)
    assert models.log_loss(y, p) == pytest.approx(-(np.log(0.9) + np.log(0.8) + np.log(0.4) + np.log(0.5)) / 4)
    assert models.accuracy(y, p) == pytest.approx(0.75)  # predicts 1, 0, 0, 0 (0.5 is not above 0.5)
    assert models.auc(y, p) == pytest.approx(0.75)
    assert models.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert np.isnan(models.auc([1, 1], [0.2, 0.3]))
    assert np.isnan(models.scores(y, [1, 0, 0, 0], probabilistic=False)["log_loss"])


def test_holm_worked_example():
    # sorted p: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> monotone: 0.06
    assert np.allclose(models.holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    assert np.isnan(models.holm([np.nan, 0.01])[0]) and models.holm([np.nan, 0.01])[1] == pytest.approx(0.01)


def _data(frame, terms, outcome="abstain_vs_yes", categories=("yes", "abstain")):
    frame = frame.copy()
    frame["vote_fe"] = frame["vote_id"]
    frame["vote"] = np.asarray(categories)[frame["y"]]
    frame["name"], frame["un_group"], frame["theme"] = frame["iso3"], "simulated", "t"
    empty = pd.DataFrame()
    return ModelData(votes=sorted(frame["vote_id"].unique()), group="simulated", outcome=outcome, covariates=terms,
                     frame=frame, terms=terms, term_labels={t: t for t in terms}, term_covariate={t: t for t in terms},
                     scales={}, dropped_missing=empty, filled=empty, left_out=pd.DataFrame(columns=["vote", "n"]),
                     standardize=False)


def test_marginal_effect_of_one_covariate_matches_hand_computation():
    rng = np.random.default_rng(2)
    n = 500
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 0.8 * x)))).astype(int)
    frame = pd.DataFrame({"iso3": [f"S{i}" for i in range(n)], "vote_id": "v1", "x": x, "y": y})
    m = models.fit_data(_data(frame, ["x"]), "ml")
    b0, b1 = m.estimate.params
    p = 1 / (1 + np.exp(-(b0 + b1 * x)))
    row = m.ame().iloc[0]
    assert row["ame"] == pytest.approx(np.mean(b1 * p * (1 - p)), rel=1e-5)
    assert row["ci_low"] < row["ame"] < row["ci_high"]


def test_separating_membership_is_found_and_estimated_finite():
    rng = np.random.default_rng(5)
    n = 300
    x = rng.normal(size=n)
    bloc = (np.arange(n) < 12).astype(float)
    rows = []
    for v, fe in (("v1", 0.0), ("v2", 0.3)):
        y = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + x + fe)))).astype(int)
        y[bloc == 1] = 1  # every member of the bloc abstains on every vote
        rows.append(pd.DataFrame({"iso3": [f"S{i:03d}" for i in range(n)], "vote_id": v, "x": x, "bloc": bloc, "y": y}))
    data = _data(pd.concat(rows, ignore_index=True), ["x", "bloc"])
    firth = models.fit_data(data)
    sep = firth.separation.iloc[0]
    assert sep["kind"] == "quasi-complete" and sep["n_rows"] == 24 and "bloc" in sep["covariates"]
    assert sep["states"] == ", ".join(f"S{i:03d}" for i in range(12))
    assert np.isfinite(firth.estimate.params).all() and len(firth.perfectly_predicted) == 0
    assert "bloc" in set(firth.ame()["term"])  # estimated, not set aside
    # The former remedy sets the rows aside and drops the covariate.
    ml = models.fit_data(data, "ml")
    assert len(ml.perfectly_predicted) == 24 and "bloc" not in ml.terms and ml.separated_signs == {"bloc": 1}


def test_ordered_model_on_prepared_data_gives_effects_on_every_target():
    rng = np.random.default_rng(8)
    n = 400
    x = rng.normal(size=n)
    rows = []
    for v in ("v1", "v2"):
        y = np.digitize(0.9 * x + rng.logistic(size=n), [0.5, 2.0])
        rows.append(pd.DataFrame({"iso3": [f"S{i}" for i in range(n)], "vote_id": v, "x": x, "y": y}))
    m = models.fit_data(_data(pd.concat(rows, ignore_index=True), ["x"], "ordered", ("yes", "abstain", "no")))
    assert m.family == "ordered" and m.estimate.converged
    not_yes, abstain, no = (m.ame(t).iloc[0]["ame"] for t in ("not yes", "abstain", "no"))
    assert not_yes > 0 and no > 0 and not_yes == pytest.approx(abstain + no, abs=1e-8)
    with pytest.raises(ModelParameterError, match="unknown target 'maybe'.*not yes"):
        m.ame("maybe")


def test_bad_estimator_parameters():
    with pytest.raises(ModelParameterError, match="unknown estimator 'bayes'.*penalised"):
        models.fit_data(None, "bayes")
    with pytest.raises(ModelParameterError, match="prior_scale must be a positive number"):
        models.fit_data(None, "penalised", prior_scale=-1)


def _central_differences(f, theta, eps=1e-6):
    columns = []
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = eps
        columns.append((f(theta + e) - f(theta - e)) / (2 * eps))
    return np.stack(columns, axis=-1)


def test_exact_derivatives_agree_with_finite_differences():
    # the ordered Hessian (Newton steps and the covariance) and the AME gradient (delta method) are analytic
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, 3))
    y = rng.integers(0, 4, 400)
    theta = np.r_[0.4, -0.3, 0.8, -0.5, np.log(0.7), np.log(0.4)]
    numerical = _central_differences(lambda t: estimators._ordered_score_obs(t, X, y, 4).sum(axis=0), theta)
    np.testing.assert_allclose(estimators._ordered_hessian(theta, X, y, 4), (numerical + numerical.T) / 2,
                               atol=1e-5)
    for family, K, th in [("ordered", 4, theta), ("binary", 2, theta[:3]), ("multinomial", 3, theta)]:
        exact = estimators.mean_probability_gradient(family, X, th, K)
        finite = _central_differences(lambda t: estimators.probabilities(family, X, t, K).mean(axis=0), th)
        np.testing.assert_allclose(exact, finite, atol=1e-7, err_msg=family)


def test_holm_equals_statsmodels_multipletests(monkeypatch):
    import gc

    from statsmodels.stats.multitest import multipletests

    monkeypatch.setattr(gc, "collect", lambda *a: 0)  # multipletests collects garbage on every call (0.3 s each)
    rng = np.random.default_rng(4)
    for n in (1, 2, 5, 12):
        for _ in range(20):
            p = rng.uniform(size=n) ** 3
            p[rng.integers(0, n, n // 2)] = p[0]  # ties
            assert np.array_equal(models.holm(p), multipletests(p, method="holm")[1])


def test_design_matrix_equals_patsys():
    import patsy
    from unvotes.models import fitting

    rng = np.random.default_rng(6)
    n = 60
    frame = pd.DataFrame({"iso3": [f"S{i % 20}" for i in range(n)], "vote_id": np.repeat(["v2", "v1", "v3"], 20),
                          "x": rng.normal(size=n), "k": rng.integers(0, 3, n), "y": rng.integers(0, 2, n)})
    data = _data(frame, ["x", "k"])
    frame = data.frame
    X, design = fitting._design(["x", "k"], frame, data)
    ref = patsy.dmatrix(fitting._rhs(["x", "k"], frame, data), frame, return_type="dataframe")
    pd.testing.assert_frame_equal(X, ref, check_exact=True)
    assert design.reference == "v1" and design.patsy_info is None  # the first of the model's votes
    other = frame.iloc[[5, 45, 30]].assign(x=[1.0, np.nan, 2.0])  # a missing term: the row is left out, as patsy does
    pd.testing.assert_frame_equal(design.build(other), patsy.build_design_matrices(
        [ref.design_info], other, return_type="dataframe")[0], check_exact=True)
    # one level: no fixed effects; a term patsy reads otherwise (true/false) is left to patsy
    one = frame[frame["vote_id"] == "v1"].assign(b=lambda d: d["x"] > 0)
    X1, d1 = fitting._design(["x", "b"], one, data)
    assert d1.patsy_info is not None and "b[T.True]" in X1.columns
    X2, d2 = fitting._design(["x"], one, data)
    assert list(X2.columns) == ["Intercept", "x"] and d2.reference is None
