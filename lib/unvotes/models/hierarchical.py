"""The report's main model: one hierarchical ordinal item-response model of every complete Ukraine vote in the
General Assembly, 2014-2026, with covariates taken at each vote's date and absence as a process of its own.

Outcome and sample
    Every complete, catalogued Assembly roll call on the war (:func:`default_votes`: 2014's A/RES/68/262, the
    yearly Crimea and occupied-territories texts, the eleventh emergency special session, the Council of Europe
    and nuclear-safety texts; the related Chornobyl text is left out), every UN member but the two parties, one
    row per (state, vote) with a vote right (Article 19 arrears left out: that absence is not a choice).

The position a state takes (yes < abstain < no)
    An ordered logit per item ``j`` (vote) with its own cut points ``c_j`` and its own discrimination::

        P(position_ij <= k) = logistic(c_jk - eta_ij)
        eta_ij = beta1_j * theta_ij + beta2_j * u2_i
        theta_ij = x_ij . gamma + u1_i

    ``theta_ij`` is the state's latent reluctance to back Ukraine on the date of vote ``j``: the covariates
    ``x_ij`` (state-level, and dated ones at the vote's date, e.g. a coup in the three years before it) shift it
    by ``gamma`` (in units of the state effect's standard deviation), and ``u1_i`` is the state's own random
    effect. The texts voted on and after 24 February 2025, when the United States turned against the
    Ukrainian-European drafts, load on a **second dimension** ``u2_i`` (:data:`SECOND_DIMENSION_FROM`), with
    their own loadings; ``(u1, u2)`` are correlated (an LKJ prior on their correlation). Identification: the
    state effects have unit variance; ``beta1_j > 0`` on the texts before 2025 (all of them drafts of Ukraine and
    its supporters, so a higher ``theta`` is a step away from yes); on the later texts ``beta1_j`` is free in
    sign, and ``beta2 > 0`` orients the second dimension (a higher ``u2``: more reluctant on the 2025 texts than
    the first dimension says). The item parameters carry the polarity: a text on which abstaining is not a step
    towards Russia gets a small or negative ``beta1``.

Absence as its own process, informed by same-day presence
    Every row is either a vote cast (category 0), an absence of a state that voted on another recorded vote of
    the same day (1: present, not voting), or an absence of a state that cast no vote that day (2: absent all
    day), by :func:`unvotes.analyses.absence.same_day_presence`. A multinomial logit per row::

        log P(k) / P(0) = delta_kj + phi_k * theta_ij + sigma_k * v_ki + rho_k * away_before_ij        (k = 1, 2)

    with item intercepts ``delta`` drawn around a common mean, a state propensity ``v`` per kind, and ``rho``, the
    persistence of absence: ``away_before`` is 1 when the state did not vote at its previous vote in the sample (0
    at its first). A constant propensity alone cannot follow a state whose habits changed (Burkina Faso, absent from
    most votes until 2023, has voted No on every text since 2024). Where the
    data hold no other vote of the day (``not observable``), the absence contributes P(1) + P(2): the model
    does not pretend to know which it was. ``phi_1`` says whether staying in the hall without voting rises with
    the same reluctance that makes a state abstain.

Fit
    NUTS (NumPyro, JAX) on the whole model; diagnostics (R-hat, bulk and tail effective sample sizes,
    divergences) by ArviZ; a posterior predictive check per vote; a power-scaling prior sensitivity check
    (Kallioinen et al. 2023, ``arviz.psens``). The report fits the model once per build and shares the draws
    (:func:`shared_fit`, :mod:`unvotes.memo`). The estimates are associations across states and over time, not
    causes.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from unvotes.tables import catalogue
from unvotes import memo
from unvotes.models import model_data
from unvotes.errors import UnvotesError

#: Texts voted on or after this date load on the second dimension: the United States' reversal of 2025.
SECOND_DIMENSION_FROM = pd.Timestamp("2025-02-24")
#: The first text on the second dimension, which the United States voted against (a higher u2: more reluctant on it).
SECOND_DIMENSION_ANCHOR = "A/RES/ES-11/7"
#: Catalogue themes that are not about the war itself: not items of the model.
NOT_ITEMS = ("Related: Chornobyl", "Security Council")

#: The latent equation's covariates: the report's pre-war cross-section (regional group, the pre-war ideal
#: point, regime, arms ties) and the dated tables at each vote's date (group identities, security ties).
DEFAULT_COVARIATES = [
    "un_group", "ideal_point_prewar", "fh_total", "log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021",
    "flmsa_party_gov", "member_arab_league_at_vote", "russian_forces", "coup_within_3y", "soviet_treaty",
    "member_brics_at_vote",
]
ABSENCE_KINDS = ("present, not voting", "absent all day")
POSITIONS = ("yes", "abstain", "no")


class SamplingError(UnvotesError, RuntimeError):
    """The sampler could not be run or its settings are unusable."""


@dataclass(frozen=True)
class Settings:
    """NUTS settings. :data:`REPORT` is what the report uses; :data:`FAST` is for tests and quick looks."""

    chains: int = 4
    warmup: int = 200
    draws: int = 200
    seed: int = 20261207
    target_accept: float = 0.85
    max_tree_depth: int = 8   # at most 255 leapfrog steps a kept draw
    #: During warm-up, before the mass matrix is adapted, trees hit any cap (255 steps a draw at depth 8); 63 is
    #: ample for adaptation and halves its cost.
    warmup_tree_depth: int = 6
    prior_scale: float = 1.0  # multiplies every prior scale of gamma, beta and phi (prior sensitivity)

    def describe(self) -> str:
        return (f"NUTS (NumPyro), {self.chains} chains of {self.warmup} warm-up and {self.draws} kept draws each, "
                f"target acceptance {self.target_accept}, maximum tree depth {self.warmup_tree_depth} in warm-up and "
                f"{self.max_tree_depth} after it, seed {self.seed}")


REPORT = Settings(warmup=200, draws=200)
#: Enough to exercise every step, not to trust the numbers: tests and quick looks.
FAST = Settings(chains=2, warmup=60, draws=60, max_tree_depth=6, warmup_tree_depth=5)
SETTINGS = {"report": REPORT, "fast": FAST}


# ------------------------------------------------------------------------------------------------ the data

def default_votes() -> list[str]:
    """Every complete catalogued Assembly vote on the war, in date order (the model's items)."""
    cat = catalogue.load()
    ga = cat[cat["vote_id"].str.startswith("A/") & cat["complete"].astype(bool) & ~cat["theme"].isin(NOT_ITEMS)]
    return ga.sort_values("date", kind="stable")["vote_id"].tolist()


@dataclass
class ItemData:
    """The arrays the model reads, with the tables that say what each index is."""

    rows: pd.DataFrame        # one per (state, vote): iso3, name, un_group, vote_id, vote, position, absence
    states: pd.Index          # iso3 by state index
    items: pd.DataFrame       # vote_id, label, date, theme, second_dimension, anchor
    terms: list[str]
    term_labels: dict[str, str]
    scales: dict[str, tuple[float, float]]
    notes: list[str] = field(default_factory=list)
    _arrays: tuple | None = field(default=None, repr=False, compare=False)  # (key, grids): see arrays()

    def arrays(self) -> dict[str, np.ndarray]:
        """Dense (state, item) grids: the model never gathers by row, which keeps its gradient cheap.
        ``observed`` marks the cells in the sample; ``position`` is -1 where the state did not vote.

        Built once per table (every summary of the draws reads them, 140 times in the notebook) and handed out as
        copies; a new ``rows``, ``items``, ``states`` or ``terms`` builds them again."""
        key = (id(self.rows), id(self.items), id(self.states), tuple(self.terms))
        if self._arrays is None or self._arrays[0] != key:
            self._arrays = (key, self._build_arrays())
        return {name: value.copy() for name, value in self._arrays[1].items()}

    def _build_arrays(self) -> dict[str, np.ndarray]:
        r = self.rows
        n, j, k = len(self.states), len(self.items), len(self.terms)
        s, i = r["state_index"].to_numpy(), r["item_index"].to_numpy()
        x = np.zeros((n, j, k), np.float32)
        values = r[self.terms].to_numpy(np.float32)
        # Centred on the sample's mean: otherwise every 0/1 covariate trades off against every vote's cut points,
        # a ridge that makes the sampler take ten times more steps. Effects are unchanged (see ``center``).
        center = values.mean(axis=0) if len(values) else np.zeros(k, np.float32)
        x[s, i] = values - center
        position = np.full((n, j), -1, np.int32)
        position[s, i] = r["position"].to_numpy(np.int32)
        absence = np.full((n, j), -1, np.int32)
        absence[s, i] = r["absence"].to_numpy(np.int32)
        return {"x": x, "center": center, "position": position, "absence": absence, "observed": absence >= 0,
                "away_before": away_before(absence),
                "second": self.items["second_dimension"].to_numpy(bool),
                "anchor": self.items["anchor"].to_numpy(bool)}


def away_before(absence: np.ndarray) -> np.ndarray:
    """(state, item) 1.0 where the state did not vote at its previous item in the sample (cells outside the sample
    carry the last observed value forward), 0.0 at its first."""
    out = np.zeros(absence.shape, np.float32)
    for s in range(absence.shape[0]):
        last = 0.0
        for j in range(absence.shape[1]):
            out[s, j] = last
            if absence[s, j] >= 0:
                last = float(absence[s, j] != VOTED)
    return out


#: ``rows.absence`` codes: 0 voted, 1 present but not voting, 2 absent all day, 3 absent (which is unknown).
VOTED, PRESENT_NOT_VOTING, ABSENT_ALL_DAY, ABSENT_UNOBSERVED = 0, 1, 2, 3


def prepare(votes=None, covariates=None) -> ItemData:
    """The model's table: :func:`unvotes.models.model_data.prepare` (outcome ``choice``: states without a vote right left
    out; listwise deletion on state covariates; dated covariates at each vote's date, state-votes with an unknown
    one left out), each absence sorted by same-day presence."""
    from unvotes.analyses import absence

    votes = default_votes() if votes is None else model_data.resolve_votes(votes)
    covariates = DEFAULT_COVARIATES if covariates is None else list(covariates)
    md = model_data.prepare(votes=votes, covariates=covariates, outcome="choice")
    rows = md.frame.copy()
    cat = catalogue.load().set_index("vote_id")
    items = pd.DataFrame({"vote_id": md.votes})
    items["label"] = items["vote_id"].map(cat["label"])
    items["theme"] = items["vote_id"].map(cat["theme"])
    items["date"] = pd.to_datetime(items["vote_id"].map(cat["date"]))
    items = items.sort_values("date", kind="stable").reset_index(drop=True)
    items["second_dimension"] = items["date"] >= SECOND_DIMENSION_FROM
    items["anchor"] = items["vote_id"].eq(SECOND_DIMENSION_ANCHOR) & items["second_dimension"]
    if (~items["second_dimension"]).sum() < 2:
        raise model_data.ModelParameterError("the model needs at least two votes before 24 February 2025")

    presence = absence.same_day_presence(items["vote_id"].tolist())
    reason = rows.merge(presence[["vote_id", "iso3", "reason"]], on=["vote_id", "iso3"], how="left")["reason"]
    code = {"present, not voting": PRESENT_NOT_VOTING, "absent all day": ABSENT_ALL_DAY,
            "not observable": ABSENT_UNOBSERVED}
    is_absent = rows["vote"].eq("absent").to_numpy()
    rows["absence"] = np.where(is_absent, reason.map(code).fillna(ABSENT_UNOBSERVED).to_numpy(), VOTED).astype(int)
    rows["position"] = rows["vote"].map({p: i for i, p in enumerate(POSITIONS)}).fillna(-1).astype(int)
    states = pd.Index(sorted(rows["iso3"].unique()))
    rows["state_index"] = states.get_indexer(rows["iso3"])
    rows["item_index"] = pd.Index(items["vote_id"]).get_indexer(rows["vote_id"])
    notes = list(md.notes)
    if len(md.dropped_missing):
        notes.append(f"{len(md.dropped_missing)} states left out for a missing covariate: "
                     + ", ".join(f"{r.name} ({r.missing})" for r in md.dropped_missing.itertuples()))
    return ItemData(rows=rows.reset_index(drop=True), states=states, items=items, terms=list(md.terms),
                    term_labels=dict(md.term_labels), scales=dict(md.scales), notes=notes)


# ------------------------------------------------------------------------------------------------ the model

#: Virtual CPU devices JAX starts with: one per chain of :data:`REPORT`, so that each chain runs on its own thread
#: (the machine's cores shared between them) and stops its own trees; chains vectorised on one device all wait for
#: the deepest tree of the step. Only takes effect before JAX first starts in a process.
HOST_DEVICES = 4


def _jax():
    """Import JAX with :data:`HOST_DEVICES` CPU devices (float32 throughout: ample here, twice as fast as float64)
    and its persistent compilation cache (:func:`compilation_cache_dir`)."""
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")
    import numpyro

    numpyro.set_host_device_count(HOST_DEVICES)
    import jax

    folder = compilation_cache_dir()
    if folder is not None and not jax.config.jax_compilation_cache_dir:  # JAX_COMPILATION_CACHE_DIR, if set, wins
        jax.config.update("jax_compilation_cache_dir", str(folder))
    return jax, numpyro


#: Names the folder of JAX's compilation cache (``off``: none); default ``$XDG_CACHE_HOME/unvotes/jax``.
JAX_CACHE_ENV = "UNVOTES_JAX_CACHE"


def compilation_cache_dir():
    """Where JAX keeps the sampler it compiled, across processes: compiling the NUTS sampler of this model is most
    of a fit's cost (16-30 s of processor time; the sampling with the fast settings takes a third of that), and
    it is the same program for the same data, settings and versions, which JAX's key covers (the program, the
    compiler options, the devices, the versions). A process that finds it runs the very program it would have
    compiled, so the draws are identical (checked: 2 x 160 simulated draws, bit for bit; a recompiled fit of
    the fast settings 26.3 s, from the cache 7.6 s). None when turned off or when the folder cannot be made."""
    from pathlib import Path

    from unvotes import paths

    if os.environ.get(JAX_CACHE_ENV, "").strip().lower() in ("off", "0", "no", "none", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    folder = paths.setting(JAX_CACHE_ENV, (Path(base) if base else Path.home() / ".cache") / "unvotes" / "jax")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _chain_method(jax, chains: int) -> str:
    """``parallel`` (chains spread over the CPU devices) when every chain has a device, else ``vectorized``."""
    return "parallel" if chains > 1 and jax.local_device_count() >= chains else "vectorized"


#: Stands for the open ends of the first and last categories' intervals on the latent scale (finite, so that
#: gradients stay finite; far beyond any cut point the priors allow).
_OPEN_END = 1e4


def _log_likelihood(params: dict, a: dict):
    """Log-likelihood per (state, item) cell of the position taken (0 where the state did not vote or the cell
    is not in the sample) and of the absence step (0 outside the sample).

    Only the observed category's probability is computed (its interval (lower, upper] of the latent scale), and
    the absence step's normaliser once: the gradient is bound by these transcendental functions, and computing
    every category's probability and selecting one afterwards cost half as much again."""
    import jax.numpy as jnp
    from jax.nn import log_sigmoid

    u = params["u"]
    theta = jnp.einsum("njk,k->nj", a["x"], params["gamma"]) + u[:, :1]
    eta = params["beta1"][None, :] * theta + params["beta2"][None, :] * u[:, 1:]
    cut = params["cutpoints"]                       # (item, 2), ordered
    pos = a["position"]
    lower = jnp.where(pos == 0, -_OPEN_END, jnp.where(pos == 1, cut[None, :, 0], cut[None, :, 1]))
    upper = jnp.where(pos == 0, cut[None, :, 0], jnp.where(pos == 1, cut[None, :, 1], _OPEN_END))
    # log(sigmoid(upper - eta) - sigmoid(lower - eta)), stably: the last term is 0 for the open-ended categories
    log_width = jnp.log(-jnp.expm1(cut[:, 0] - cut[:, 1]))[None, :]
    log_p = log_sigmoid(upper - eta) + log_sigmoid(eta - lower) + jnp.where(pos == 1, log_width, 0.0)
    ll_position = jnp.where(pos >= 0, log_p, 0.0)

    away = (params["delta"].T[None, :, :] + theta[:, :, None] * params["phi"][None, None, :]
            + (params["v"] * params["sigma_v"][None, :])[:, None, :]
            + a["away_before"][:, :, None] * params["rho"][None, None, :])          # (state, item, 2)
    a1, a2 = away[..., 0], away[..., 1]
    top = jnp.maximum(jnp.maximum(a1, a2), 0.0)       # log-sum-exp over (voted = 0, a1, a2), stabilised
    e1, e2 = jnp.exp(a1 - top), jnp.exp(a2 - top)
    log_norm = top + jnp.log(jnp.exp(-top) + e1 + e2)
    kind = a["absence"]
    log_numerator = jnp.where(kind == VOTED, 0.0,
                              jnp.where(kind == PRESENT_NOT_VOTING, a1,
                                        jnp.where(kind == ABSENT_ALL_DAY, a2, top + jnp.log(e1 + e2))))
    ll_absence = jnp.where(a["observed"], log_numerator - log_norm, 0.0)
    return ll_position, ll_absence


#: Prior SD of a covariate's effect on the latent position, in units of the state effect's SD: 2.5, weakly
#: informative (effects of two units, as the Western group's, are plausible). At 1.0 the power-scaling check
#: flagged 11 of 14 effects; at 2.5 it still flags most of them as prior-data conflict (the page shows which).
GAMMA_PRIOR_SD = 2.5


def _model(a: dict, n_states: int, n_items: int, prior_scale: float = 1.0, likelihood: bool = True):
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.distributions import transforms

    s = prior_scale
    k = a["x"].shape[2]
    gamma = numpyro.sample("gamma", dist.Normal(0.0, GAMMA_PRIOR_SD * s).expand([k]).to_event(1))
    corr = numpyro.sample("corr_chol", dist.LKJCholesky(2, 2.0))
    z = numpyro.sample("z", dist.Normal(0.0, 1.0).expand([n_states, 2]).to_event(2))
    u = numpyro.deterministic("u", z @ corr.T)
    second = a["second"]
    # beta1 > 0 before the reversal (sign of dimension 1); free in sign after it. beta2 only after it, and > 0:
    # with free signs the dimension could flip item by item (chains stuck in mirror modes, R-hat 1.7 seen);
    # unconstrained, every one of its loadings came out positive (lowest 95% bound 0.58).
    b1_pos = numpyro.sample("beta1_pos", dist.HalfNormal(2.0 * s).expand([n_items]).to_event(1))
    b1_free = numpyro.sample("beta1_free", dist.Normal(0.0, 2.0 * s).expand([n_items]).to_event(1))
    beta1 = numpyro.deterministic("beta1", jnp.where(second, b1_free, b1_pos))
    b2_pos = numpyro.sample("beta2_pos", dist.HalfNormal(2.0 * s).expand([n_items]).to_event(1))
    beta2 = numpyro.deterministic("beta2", jnp.where(second, b2_pos, 0.0))
    cutpoints = numpyro.sample("cutpoints", dist.TransformedDistribution(
        dist.Normal(0.0, 4.0).expand([n_items, 2]), transforms.OrderedTransform()).to_event(1))
    delta_mean = numpyro.sample("delta_mean", dist.Normal(-3.0, 2.0).expand([2]).to_event(1))
    delta_sd = numpyro.sample("delta_sd", dist.HalfNormal(1.5).expand([2]).to_event(1))
    delta_z = numpyro.sample("delta_z", dist.Normal(0.0, 1.0).expand([2, n_items]).to_event(2))
    delta = numpyro.deterministic("delta", delta_mean[:, None] + delta_sd[:, None] * delta_z)
    phi = numpyro.sample("phi", dist.Normal(0.0, 1.0 * s).expand([2]).to_event(1))
    sigma_v = numpyro.sample("sigma_v", dist.HalfNormal(1.5).expand([2]).to_event(1))
    v = numpyro.sample("v", dist.Normal(0.0, 1.0).expand([n_states, 2]).to_event(2))
    rho = numpyro.sample("rho", dist.Normal(0.0, 2.0).expand([2]).to_event(1))
    if likelihood:
        params = {"gamma": gamma, "u": u, "beta1": beta1, "beta2": beta2, "cutpoints": cutpoints,
                  "delta": delta, "phi": phi, "sigma_v": sigma_v, "v": v, "rho": rho}
        ll_position, ll_absence = _log_likelihood(params, a)
        numpyro.factor("log_likelihood", ll_position.sum() + ll_absence.sum())


#: Sites kept from the sampler (the deterministic ones are what the results read).
KEEP = ("gamma", "corr_chol", "u", "beta1", "beta2", "cutpoints", "delta", "phi", "sigma_v", "v",
        "delta_mean", "delta_sd", "rho")


@dataclass
class Fit:
    """Posterior draws (chain, draw, ...) and what they were fitted on. Pickles (no JAX objects)."""

    data: ItemData
    settings: Settings
    draws: dict[str, np.ndarray]
    divergences: np.ndarray           # (chain, draw) booleans
    seconds: float
    log_likelihood: np.ndarray | None = None   # (chain, draw, row): position + absence
    log_prior: np.ndarray | None = None        # (chain, draw)
    # summaries computed once per fit and shared by the tables, figures and sentences that read them (the
    # notebook asked for the same marginal effects five times and the diagnostics twice)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def flat(self, name: str) -> np.ndarray:
        d = self.draws[name]
        return d.reshape((-1,) + d.shape[2:])


def sample(data: ItemData, settings: Settings = REPORT, progress: bool | None = None) -> Fit:
    """Run NUTS on :func:`_model` for ``data``; returns the draws with per-row log-likelihood and log prior."""
    import time

    jax, numpyro = _jax()
    from numpyro.infer import MCMC, NUTS

    arrays = data.arrays()
    cells = np.nonzero(arrays["observed"])  # the (state, item) cells in the sample, row order of the log-likelihood
    a = {k: jax.numpy.asarray(v) for k, v in arrays.items()}
    n_states, n_items = len(data.states), len(data.items)
    kwargs = dict(a=a, n_states=n_states, n_items=n_items, prior_scale=settings.prior_scale)
    progress = _watched() if progress is None else progress
    started = time.perf_counter()
    kernel = NUTS(_model, target_accept_prob=settings.target_accept,
                  max_tree_depth=(settings.warmup_tree_depth, settings.max_tree_depth))
    mcmc = MCMC(kernel, num_warmup=settings.warmup, num_samples=settings.draws, num_chains=settings.chains,
                chain_method=_chain_method(jax, settings.chains), progress_bar=progress)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "There are not enough devices to run parallel chains"
        mcmc.run(jax.random.PRNGKey(settings.seed), **kwargs)
    samples = jax.block_until_ready(mcmc.get_samples(group_by_chain=True))  # chains on devices run asynchronously
    extra = mcmc.get_extra_fields(group_by_chain=True)
    seconds = time.perf_counter() - started
    draws = {k: np.asarray(samples[k]) for k in KEEP}

    # Per-draw log-likelihood by row and log prior, for the prior sensitivity check and model comparison.
    flat = {k: v.reshape((-1,) + v.shape[2:]) for k, v in samples.items()}

    def one(p):
        lp, la = _log_likelihood(p, a)
        return (lp + la)[cells], _log_scaled_prior(p, a, settings.prior_scale)

    ll, prior = jax.lax.map(one, flat)
    shape = (settings.chains, settings.draws)
    return Fit(data=data, settings=settings, draws=draws,
               divergences=np.asarray(extra["diverging"]).reshape(shape), seconds=seconds,
               log_likelihood=np.asarray(ll).reshape(shape + (-1,)),
               log_prior=np.asarray(prior).reshape(shape))


def _watched() -> bool:
    """Does someone watch this fit (a progress bar)? Not in CI, nor in the runs of a report build or a test session
    (they set :data:`unvotes.memo.ENV`): their output goes to a page or a log, and the bar's host callbacks keep
    JAX from caching the compiled sampler (:func:`compilation_cache_dir`); the draws are the same either way."""
    return not os.environ.get("CI") and not os.environ.get(memo.ENV)


def _log_scaled_prior(p: dict, a: dict, s: float):
    """Log density of the priors the sensitivity check scales (the covariate effects, the discriminations and the
    absence slopes), at the values in use; the hierarchical priors of the state and item effects are structure,
    not prior belief about effects, and are left out (as priorsense advises for hierarchical models)."""
    import jax.numpy as jnp
    import numpyro.distributions as dist

    second = jnp.asarray(a["second"])
    normal, half = dist.Normal(0.0, 2.0 * s), dist.HalfNormal(2.0 * s)
    lp = (dist.Normal(0.0, GAMMA_PRIOR_SD * s).log_prob(p["gamma"]).sum()
          + dist.Normal(0.0, 1.0 * s).log_prob(p["phi"]).sum())
    lp += jnp.where(second, normal.log_prob(p["beta1"]), half.log_prob(jnp.abs(p["beta1"]))).sum()
    return lp + jnp.where(second, half.log_prob(jnp.abs(p["beta2"])), 0.0).sum()


#: Names the sampler settings of :func:`shared_fit` when its caller does not (the test session sets ``fast``).
SAMPLER_ENV = "UNVOTES_SAMPLER"


def settings_named(name: str | None = None) -> Settings:
    """``report`` or ``fast``; empty: the :data:`SAMPLER_ENV` setting, else ``report``."""
    name = name or os.environ.get(SAMPLER_ENV) or "report"
    if name not in SETTINGS:
        raise SamplingError(f"unknown sampler settings {name!r}; choose one of {', '.join(SETTINGS)}")
    return SETTINGS[name]


@memo.shared
def shared_fit(votes: list | None = None, covariates: list | None = None, sampler: str = "") -> Fit:
    """The model fitted once per report build (or test session) and shared by its runs (:mod:`unvotes.memo`):
    ``votes`` and ``covariates`` default to :func:`default_votes` and :data:`DEFAULT_COVARIATES`."""
    return sample(prepare(votes or None, covariates or None), settings_named(sampler))


# ------------------------------------------------------------------------------------------------ results

def _interval(draws: np.ndarray, axis: int = 0, level: float = 0.95):
    tail = (1 - level) / 2 * 100
    return np.percentile(draws, tail, axis=axis), np.percentile(draws, 100 - tail, axis=axis)


def _thin(fit: Fit, most: int = 400) -> np.ndarray:
    """Indices of at most ``most`` draws, evenly spread over the flattened chains (for costly summaries)."""
    n = fit.settings.chains * fit.settings.draws
    return np.unique(np.linspace(0, n - 1, min(most, n)).astype(int))


def _latent(fit: Fit, idx: np.ndarray, x: np.ndarray | None = None):
    """theta (draw, state, item) and eta at the thinned draws ``idx``, optionally with another covariate grid."""
    a = fit.data.arrays()
    x = a["x"] if x is None else x
    gamma, u = fit.flat("gamma")[idx], fit.flat("u")[idx]
    theta = np.einsum("njk,dk->dnj", x, gamma) + u[:, :, None, 0]
    eta = fit.flat("beta1")[idx][:, None, :] * theta + fit.flat("beta2")[idx][:, None, :] * u[:, :, 1][:, :, None]
    return theta, eta


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def position_probabilities(fit: Fit, idx: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
    """P(yes), P(abstain), P(no) given a vote is cast: (draw, state, item, 3)."""
    _, eta = _latent(fit, idx, x)
    cut = fit.flat("cutpoints")[idx][:, None, :, :]
    p_yes = _sigmoid(cut[..., 0] - eta)
    p_not_no = _sigmoid(cut[..., 1] - eta)
    return np.stack([p_yes, p_not_no - p_yes, 1 - p_not_no], axis=-1)


def absence_probabilities(fit: Fit, idx: np.ndarray, x: np.ndarray | None = None,
                          away_before: np.ndarray | None = None) -> np.ndarray:
    """P(vote cast), P(present, not voting), P(absent all day): (draw, state, item, 3); ``x`` and ``away_before``
    (state, item) replace the sample's covariates and previous absences (a forecast)."""
    theta, _ = _latent(fit, idx, x)
    delta, phi = fit.flat("delta")[idx], fit.flat("phi")[idx]
    v, sigma_v = fit.flat("v")[idx], fit.flat("sigma_v")[idx]
    before = fit.data.arrays()["away_before"] if away_before is None else away_before
    away = (delta.transpose(0, 2, 1)[:, None, :, :] + theta[..., None] * phi[:, None, None, :]
            + (v * sigma_v[:, None, :])[:, :, None, :]
            + before[None, :, :, None] * fit.flat("rho")[idx][:, None, None, :])
    logits = np.concatenate([np.zeros(theta.shape + (1,)), away], axis=-1)
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)


def _once(fit: Fit, key: tuple, compute) -> pd.DataFrame:
    """``compute()`` for this fit, computed once (a copy each time: callers may change their table)."""
    if key not in fit._memo:
        fit._memo[key] = compute()
    return fit._memo[key].copy()


def diagnostics(fit: Fit) -> pd.DataFrame:
    """R-hat and bulk / tail effective sample sizes (ArviZ) for each group of parameters, worst case shown,
    and the sampler's divergences. Thresholds: R-hat below 1.01, ESS above 400 (Vehtari et al. 2021)."""
    return _once(fit, ("diagnostics",), lambda: _diagnostics(fit))


def _diagnostics(fit: Fit) -> pd.DataFrame:
    az = _arviz()
    groups = {"gamma": "covariate effects (gamma)", "beta1": "discrimination, dimension 1",
              "beta2": "discrimination, dimension 2 (2025 texts)", "cutpoints": "cut points",
              "phi": "absence: slope on the position (phi)", "sigma_v": "absence: state propensity scale",
              "delta_mean": "absence: mean intercepts", "u": "state effects"}
    post = {k: fit.draws[k] for k in groups}
    post["beta2"] = post["beta2"][:, :, fit.data.items["second_dimension"].to_numpy()]
    posterior = az.from_dict(posterior=post).posterior
    rhat, bulk, tail = az.rhat(posterior), az.ess(posterior, method="bulk"), az.ess(posterior, method="tail")
    rows = []
    for key, label in groups.items():
        rows.append({"parameters": label, "number": int(rhat[key].size), "max R-hat": float(rhat[key].max()),
                     "min bulk ESS": float(bulk[key].min()), "min tail ESS": float(tail[key].min())})
    out = pd.DataFrame(rows)
    out.attrs["divergences"] = int(fit.divergences.sum())
    out.attrs["draws"] = fit.settings.chains * fit.settings.draws
    return out


def diagnostics_sentence(fit: Fit) -> str:
    d = diagnostics(fit)
    worst_rhat, worst_ess = d["max R-hat"].max(), d["min bulk ESS"].min()
    ok = worst_rhat < 1.01 and d.attrs["divergences"] == 0 and worst_ess >= 400
    verdict = ("the chains agree and mix well" if ok else
               "some parameters fall short of the usual thresholds (R-hat < 1.01, ESS >= 400): read their intervals "
               "as approximate")
    return (f"{fit.settings.describe()}; {d.attrs['divergences']} divergent transitions; largest R-hat "
            f"{worst_rhat:.3f}; smallest bulk effective sample size {worst_ess:.0f} of {d.attrs['draws']} draws: "
            f"{verdict}. Sampling took {fit.seconds:.0f} s.")


def _arviz():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ArviZ's notice of its coming refactor
        import arviz as az
    return az


def _term_is_binary(fit: Fit, term: str) -> bool:
    values = fit.data.rows[term].dropna().unique()
    return set(np.round(values, 9)) <= {0.0, 1.0}


def marginal_effects(fit: Fit, by_item: bool = False, most_draws: int = 200) -> pd.DataFrame:
    """Average effect of each covariate on the probability of NOT voting yes (abstain or no), given a vote is cast,
    over the cells in the sample (percentage points): a 0 -> 1 switch for a yes/no covariate, one standard
    deviation for a number (the derivative times one SD). ``by_item``: one row per (covariate, vote), the
    item-level slopes."""
    return _once(fit, ("marginal effects", bool(by_item), most_draws),
                 lambda: _marginal_effects(fit, by_item, most_draws))


def _marginal_effects(fit: Fit, by_item: bool, most_draws: int) -> pd.DataFrame:
    idx = _thin(fit, most_draws)
    a = fit.data.arrays()
    voted = (a["position"] >= 0)
    items = fit.data.items["vote_id"].tolist()
    base = position_probabilities(fit, idx)[..., 0]                          # P(yes): draw, state, item
    rows = []
    for k, term in enumerate(fit.data.terms):
        if _term_is_binary(fit, term):
            x1, x0 = a["x"].copy(), a["x"].copy()
            x1[..., k], x0[..., k] = 1.0 - a["center"][k], 0.0 - a["center"][k]
            effect = position_probabilities(fit, idx, x0)[..., 0] - position_probabilities(fit, idx, x1)[..., 0]
            unit = "0 -> 1"
        else:
            slope = fit.flat("beta1")[idx][:, None, :] * fit.flat("gamma")[idx][:, k][:, None, None]
            effect = slope * base * (1 - base)
            mean, sd = fit.data.scales.get(term, (np.nan, np.nan))
            unit = f"+1 SD ({sd:.3g})"
        effect = np.where(voted[None], effect, np.nan) * 100
        groups = [(None, slice(None))] if not by_item else [(v, j) for j, v in enumerate(items)]
        for vote_id, j in groups:
            per_draw = np.nanmean(effect[:, :, j].reshape(len(idx), -1), axis=1)
            lo, hi = _interval(per_draw)
            rows.append({"term": term, "covariate": fit.data.term_labels.get(term, term), "vote_id": vote_id,
                         "unit": unit, "effect_pp": per_draw.mean(), "low": lo, "high": hi,
                         "p_positive": (per_draw > 0).mean()})
    out = pd.DataFrame(rows)
    return out if by_item else out.drop(columns="vote_id")


def covariate_table(fit: Fit) -> pd.DataFrame:
    """The latent-scale coefficients with 95% intervals and the average effects on P(not yes)."""
    g = fit.flat("gamma")
    lo, hi = _interval(g)
    latent = pd.DataFrame({"term": fit.data.terms, "gamma": g.mean(0), "gamma_low": lo, "gamma_high": hi,
                           "p_positive": (g > 0).mean(0)})
    effects = marginal_effects(fit).drop(columns="p_positive")
    return latent.merge(effects, on="term")[["covariate", "unit", "effect_pp", "low", "high", "gamma", "gamma_low",
                                             "gamma_high", "p_positive", "term"]]


def item_table(fit: Fit) -> pd.DataFrame:
    """Each vote's discrimination on both dimensions (95% intervals) and its shares of the positions taken."""
    items = fit.data.items.copy()
    for name in ("beta1", "beta2"):
        d = fit.flat(name)
        lo, hi = _interval(d)
        items[name], items[f"{name}_low"], items[f"{name}_high"] = d.mean(0), lo, hi
    shares = fit.data.rows.groupby("vote_id")["vote"].value_counts(normalize=True).unstack().fillna(0)
    for p in POSITIONS + ("absent",):
        items[f"share_{p}"] = items["vote_id"].map(shares.get(p, pd.Series(dtype=float))).fillna(0)
    return items


def posterior_predictive(fit: Fit, most_draws: int = 300, level: float = 0.9) -> pd.DataFrame:
    """Observed counts of yes, abstain, no and absent per vote against replicated data from the posterior (mean
    and a ``level`` interval): a vote whose observed count falls outside is one the model does not reproduce."""
    idx = _thin(fit, most_draws)
    a = fit.data.arrays()
    observed = a["observed"]
    pos = position_probabilities(fit, idx)
    away = absence_probabilities(fit, idx)
    p = np.concatenate([pos * away[..., :1], (away[..., 1] + away[..., 2])[..., None]], axis=-1)  # yes abst no absent
    rng = np.random.default_rng(fit.settings.seed)
    cum = p.cumsum(axis=-1)
    draws = (rng.random(p.shape[:-1])[..., None] > cum).sum(axis=-1)          # category index per cell
    rows = []
    labels = POSITIONS + ("absent",)
    for j, vote_id in enumerate(fit.data.items["vote_id"]):
        in_sample = observed[:, j]
        actual = fit.data.rows.loc[fit.data.rows["vote_id"] == vote_id, "vote"].value_counts()
        for c, label in enumerate(labels):
            replicated = (draws[:, in_sample, j] == c).sum(axis=1)
            lo, hi = _interval(replicated, level=level)
            obs = int(actual.get(label, 0))
            rows.append({"vote_id": vote_id, "position": label, "observed": obs, "predicted": replicated.mean(),
                         "low": lo, "high": hi, "inside": lo <= obs <= hi})
    return pd.DataFrame(rows)


def prior_sensitivity(fit: Fit) -> pd.DataFrame:
    """Power-scaling sensitivity of the covariate effects to the prior and to the likelihood (ArviZ ``psens``,
    Kallioinen et al. 2023): a prior sensitivity above 0.05 together with a likelihood sensitivity above it signals
    prior-data conflict; a prior sensitivity above 0.05 alone, a weak likelihood (the prior decides)."""
    az = _arviz()
    idata = az.from_dict(posterior={"gamma": fit.draws["gamma"]}, log_likelihood={"cells": fit.log_likelihood})
    idata.add_groups({"log_prior": {"prior": fit.log_prior}})
    prior = np.asarray(az.psens(idata, component="prior", var_names=["gamma"])).ravel()
    likelihood = np.asarray(az.psens(idata, component="likelihood", var_names=["gamma"])).ravel()
    out = pd.DataFrame({"covariate": [fit.data.term_labels.get(t, t) for t in fit.data.terms],
                        "prior sensitivity": prior, "likelihood sensitivity": likelihood})
    out["diagnosis"] = np.where((out["prior sensitivity"] > 0.05) & (out["likelihood sensitivity"] > 0.05),
                                "prior-data conflict",
                                np.where(out["prior sensitivity"] > 0.05, "weak likelihood", "-"))
    return out


def absence_table(fit: Fit) -> pd.DataFrame:
    """The absence step: how each kind of absence moves with the latent reluctance (phi, per unit of theta) and
    with an absence at the state's previous vote (rho, log-odds)."""
    phi, rho = fit.flat("phi"), fit.flat("rho")
    lo, hi = _interval(phi)
    rho_lo, rho_hi = _interval(rho)
    return pd.DataFrame({"absence": list(ABSENCE_KINDS), "slope on reluctance (phi)": phi.mean(0), "low": lo,
                         "high": hi, "P(slope > 0)": (phi > 0).mean(0),
                         "absent at the previous vote (rho)": rho.mean(0), "rho low": rho_lo, "rho high": rho_hi,
                         "state-propensity scale": fit.flat("sigma_v").mean(0)})


def second_dimension(fit: Fit, top: int = 12) -> pd.DataFrame:
    """States furthest on the second dimension (the 2025-2026 texts): high = more reluctant on them than the first
    dimension predicts."""
    from unvotes import api

    u = fit.flat("u")
    corr = fit.flat("corr_chol")[:, 1, 0]
    names = api.load_countries().set_index("iso3")["name"]
    lo, hi = _interval(u[:, :, 1])
    out = pd.DataFrame({"iso3": fit.data.states, "name": fit.data.states.map(names), "second dimension": u[:, :, 1].mean(0),
                        "low": lo, "high": hi, "first dimension (state effect)": u[:, :, 0].mean(0)})
    out = out.sort_values("second dimension", ascending=False)
    out.attrs["correlation"] = (float(corr.mean()), *map(float, _interval(corr)))
    return pd.concat([out.head(top), out.tail(top)]).reset_index(drop=True)


def _fmt(row) -> str:
    return f"{row.effect_pp:+.1f} points [{row.low:+.1f}, {row.high:+.1f}]"


def headline(fit: Fit) -> str:
    """The model's answer in two sentences, from the draws: the covariates whose 95% interval excludes zero."""
    table = covariate_table(fit)
    clear = table[(table["low"] > 0) | (table["high"] < 0)].copy()
    clear["size"] = clear["effect_pp"].abs()
    clear = clear.sort_values("size", ascending=False)
    up = clear[clear["effect_pp"] > 0]
    down = clear[clear["effect_pp"] < 0]
    unclear = table[(table["low"] <= 0) & (table["high"] >= 0)]["covariate"].tolist()
    n_votes, n_states = len(fit.data.items), len(fit.data.states)

    def say(rows) -> str:
        return "; ".join(f"{r.covariate} ({_fmt(r)}, {r.unit})" for r in rows.itertuples())

    text = (f"In one hierarchical model of all {n_votes} complete General Assembly votes on the war (2014-2026, "
            f"{n_states} states, covariates at each vote's date), the chance that a state voting does not vote yes "
            f"is higher with {say(up) or 'no covariate'}, and lower with {say(down) or 'no covariate'} "
            "(average effects on the probability of abstaining or voting no, 95% intervals; associations, not causes).")
    if unclear:
        text += " The data cannot tell the sign of: " + "; ".join(unclear) + "."
    return text


def plot_effects(fit: Fit):
    """Average effects on P(not yes) with 95% intervals, yes/no covariates apart from per-SD ones."""
    import matplotlib.pyplot as plt

    t = covariate_table(fit)
    t["kind"] = np.where(t["unit"] == "0 -> 1", "a yes/no covariate: 0 -> 1", "a number: +1 standard deviation")
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.42 * len(t) + 1.5), sharex=False)
    for ax, (kind, part) in zip(axes, t.groupby("kind", sort=False)):
        part = part.sort_values("effect_pp")
        y = np.arange(len(part))
        ax.errorbar(part["effect_pp"], y, xerr=[part["effect_pp"] - part["low"], part["high"] - part["effect_pp"]],
                    fmt="o", color="#333", ecolor="#888", capsize=3)
        ax.axvline(0, color="#c00", lw=0.8)
        ax.set_yticks(y, [f"{c} ({u})" if u != "0 -> 1" else c for c, u in zip(part["covariate"], part["unit"])],
                      fontsize=8)
        ax.set_title(kind, fontsize=10)
        ax.set_xlabel("change in P(abstain or no), percentage points")
    largest = t.reindex(t["effect_pp"].abs().sort_values(ascending=False).index).head(2)
    fig.suptitle("Largest associations with not voting yes: " + " and ".join(
        f"{r.covariate} ({r.effect_pp:+.0f} points)" for r in largest.itertuples()), fontsize=11)
    fig.text(0.01, 0.005, "Source: UN roll calls (DGACM, unvotes, UN Digital Library); covariates: QoG, SIPRI, "
                          "Voeten, dated tables of this project. Hierarchical ordinal IRT, posterior means, 95% intervals.",
             fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    return fig


def plot_item_slopes(fit: Fit, terms: tuple[str, ...] = ("ideal_point_prewar", "flmsa_party_gov",
                                                          "member_arab_league_at_vote", "russian_forces")):
    """Item-level effects of a few covariates on P(not yes), vote by vote (the slopes are not assumed equal)."""
    import matplotlib.pyplot as plt

    by_item = marginal_effects(fit, by_item=True)
    terms = [t for t in terms if t in set(by_item["term"])]
    labels = fit.data.items.set_index("vote_id")["label"]
    fig, axes = plt.subplots(1, len(terms), figsize=(3.2 * len(terms) + 2, 0.3 * len(fit.data.items) + 1.6),
                             sharey=True)
    axes = np.atleast_1d(axes)
    order = fit.data.items["vote_id"].tolist()
    y = np.arange(len(order))[::-1]
    for ax, term in zip(axes, terms):
        part = by_item[by_item["term"] == term].set_index("vote_id").loc[order]
        second = fit.data.items["second_dimension"].to_numpy()
        ax.errorbar(part["effect_pp"], y, xerr=[part["effect_pp"] - part["low"], part["high"] - part["effect_pp"]],
                    fmt="none", ecolor="#999")
        ax.scatter(part["effect_pp"], y, c=np.where(second, "#d55e00", "#0072b2"), zorder=3, s=18)
        ax.axvline(0, color="#c00", lw=0.8)
        ax.set_title(part["covariate"].iloc[0], fontsize=9)
        ax.set_xlabel("pp, P(abstain or no)", fontsize=8)
    axes[0].set_yticks(y, [f"{v} {labels[v][:34]}" for v in order], fontsize=7)
    fig.suptitle("The same covariate weighs differently on each vote (orange: the 2025-2026 texts, also on a second dimension)",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


# ------------------------------------------------------------------------------------------------ simulation

def simulate(n_states: int = 90, n_items: int = 14, n_second: int = 4, seed: int = 1) -> tuple[ItemData, dict]:
    """Data drawn from the model itself with known parameters (for recovery tests): two covariates (a number and a
    yes/no), ``n_second`` items on the second dimension (the first of them the anchor), absences of both kinds
    and some whose kind is not observed."""
    rng = np.random.default_rng(seed)
    truth = {"gamma": np.array([-1.0, 0.8]),
             "beta1": np.r_[rng.uniform(1.0, 2.5, n_items - n_second), rng.uniform(0.5, 1.5, n_second)],
             "beta2": np.r_[np.zeros(n_items - n_second), rng.uniform(1.0, 2.0, n_second)],
             "phi": np.array([0.5, 0.0])}
    x_num = rng.normal(size=n_states)
    x_bin = (rng.random(n_states) < 0.3).astype(float)
    u = rng.normal(size=(n_states, 2))
    theta = np.outer(x_num * truth["gamma"][0] + x_bin * truth["gamma"][1] + u[:, 0], np.ones(n_items))
    eta = truth["beta1"] * theta + np.outer(u[:, 1], truth["beta2"])
    cuts = np.sort(rng.normal(0, 1, size=(n_items, 2)), axis=1) + np.array([0.0, 1.0])
    p_yes = _sigmoid(cuts[:, 0] - eta)
    p_not_no = _sigmoid(cuts[:, 1] - eta)
    r = rng.random(eta.shape)
    position = np.where(r < p_yes, 0, np.where(r < p_not_no, 1, 2))
    away_logits = np.stack([np.zeros_like(theta), -2.5 + truth["phi"][0] * theta, -3.0 + 0 * theta], axis=-1)
    pa = np.exp(away_logits) / np.exp(away_logits).sum(-1, keepdims=True)
    kind = (rng.random(theta.shape)[..., None] > pa.cumsum(-1)).sum(-1)
    kind = np.where((kind > 0) & (rng.random(theta.shape) < 0.3), ABSENT_UNOBSERVED, kind)
    states = pd.Index([f"S{i:03d}" for i in range(n_states)])
    items = pd.DataFrame({"vote_id": [f"V{j:02d}" for j in range(n_items)], "label": "simulated", "theme": "simulated",
                          "date": pd.date_range("2020-01-01", periods=n_items, freq="MS")})
    items["second_dimension"] = np.arange(n_items) >= n_items - n_second
    items["anchor"] = np.arange(n_items) == n_items - n_second
    s, j = np.meshgrid(np.arange(n_states), np.arange(n_items), indexing="ij")
    rows = pd.DataFrame({"iso3": states[s.ravel()], "vote_id": items["vote_id"].to_numpy()[j.ravel()],
                         "state_index": s.ravel(), "item_index": j.ravel(), "absence": kind.ravel(),
                         "x_num": x_num[s.ravel()], "x_bin": x_bin[s.ravel()]})
    rows["position"] = np.where(rows["absence"] == VOTED, position.ravel(), -1)
    rows["vote"] = np.where(rows["position"] >= 0, np.array(POSITIONS, dtype=object)[rows["position"].clip(0)], "absent")
    data = ItemData(rows=rows, states=states, items=items, terms=["x_num", "x_bin"],
                    term_labels={"x_num": "a number", "x_bin": "a yes/no"}, scales={"x_num": (0.0, 1.0)})
    return data, truth
