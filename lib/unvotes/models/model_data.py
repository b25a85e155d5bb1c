"""The data behind the abstention models: which votes, which states, which outcome, which covariates.

:func:`prepare` turns the parameters a researcher gives (votes, a group filter, covariates, an outcome
definition) into one long table, one row per (state, vote), with the outcome ``y`` and one numeric column per
model term, and records every decision taken on the way so the report can state it:

* **votes**: any roll call of either body by id, a list of ids, the table ``unvotes.find(...)`` returns, or a
  keyword (:data:`VOTE_SETS`: the catalogued Ukraine votes). The catalogue of Ukraine-related votes
  (``data/external/ukraine_votes.csv``) supplies labels and themes when a vote is in it; any other vote takes
  its title and, as theme, its body and session (:func:`unvotes.tables.catalogue.vote_info`). Only votes whose roll call is **complete** (``catalogue.load()["complete"]``)
  may enter a model: a partial roll call (a few states' votes known from the press) would turn unknown
  votes into missing rows that are not missing at random.
* **group**: ``None``/``"all"``, a UN regional group (``"African"`` is the African Group, i.e.
  ``countries.un_group == "African"``), an organisation (``"AU"``, ``"G77"``, ... membership on
  23 February 2022, the eve of the invasion), or a list of states of one's own (ISO3 codes or names, e.g. the
  Sahel's ``["MLI", "BFA", "NER", "TCD", "MRT"]``). Too few states is an error.
* **outcome** (:data:`OUTCOME_TEXT`): ``ordered`` (yes < abstain < no, absences left out; the pooled ordered logit),
  ``choice`` (yes, abstain, no or absent: the absence model), or a binary definition: ``abstain_vs_yes``
  (no-votes and absences left out), ``not_yes`` (abstain, no or absent = 1, the definition of the published
  studies), ``abstain_absent_vs_yes`` (no-votes left out), ``absent_vs_voted`` (participation). Wherever
  absence is coded, a state without a vote right on that day (Article 19 arrears, ``votes.absent_reason``) is
  left out of that vote: its absence is not a choice.
* **covariates**: columns of ``countries.parquet`` (documented in ``data/external/data_dictionary.csv``).
  Numbers are standardised (:data:`STANDARDIZE`): by default one unit = one standard deviation across the
  sample's states (``standardize="sample"``, or True); ``"pooled"`` uses the mean and standard deviation over
  every current member state, the same transformation in every sample, so that effects estimated in
  different samples (all states, the African Group) are in one unit; False keeps the raw units; booleans enter as 0/1; text columns (``un_group``, ``colonial_ruler``...) become one dummy per
  level against a reference level (:data:`REFERENCE_LEVELS`: Asia-Pacific for the regional groups; else the
  most common level), levels with fewer than :data:`MIN_LEVEL_STATES` states pooled as
  ``other``.
* **missing values**: one documented fill rule (:data:`FILL_RULES`: a state that imported no major arms in
  2010-2021 has a Russian share of 0), then **listwise deletion**: a state missing any covariate is left
  out, and listed with the covariates it lacks.
* a covariate that does not vary in the sample (NATO membership among African states) is dropped, with a note.
* **exclude**: Russia and Ukraine, the parties to the war (:data:`PARTIES`), are left out when every vote is in
  the Ukraine catalogue (``exclude=None``, the default) and nobody is on other votes; ``exclude=[...]`` names the
  states to leave out (codes or names), ``exclude=[]`` none.
* **extra**: the caller's own covariates (:func:`check_extra`): a table by ``iso3`` (state-level, merged into the
  countries table before the fill rules and the listwise deletion, then expanded and standardised like its
  columns) or by ``iso3`` and ``vote_id`` or ``date`` (dated: each vote takes the latest value dated on or before
  it; numbers standardised over the sample's state-votes). Its columns join the covariates, labelled by name.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from unvotes import api, memo
from unvotes.tables import catalogue
from unvotes.errors import UnknownVoteError, UnvotesError


class ModelParameterError(UnvotesError, ValueError):
    """A model parameter (vote set, group, covariate, outcome, model kind) that cannot be used."""


#: Keywords accepted for ``votes``: each maps to the complete catalogued votes it names.
VOTE_SETS = {
    "ES-11": ("the resolutions of the eleventh emergency special session of 2022-2023 (A/RES/ES-11/1-6), the texts "
              "on the aggression before the United States' reversal; the 2025-2026 texts (among them the US text "
              "ES-11/8) ask a different question and are left out of this set (the post-invasion set pools "
              "them with it)"),
    "2022-2023": "every catalogued GA vote of 2022-2023 (the out-of-sample check's training votes)",
    "2024-2025": "every catalogued GA vote of 2024-2025 (the out-of-sample check's test votes)",
    "post-invasion": ("every catalogued GA vote since 24 February 2022, the 2025-2026 texts among them (their "
                      "polarity differs from the 2022-2023 texts: one slope for all is an assumption)"),
}

#: Binary outcome definitions: name -> (votes coded 1, votes coded 0); other votes are left out.
OUTCOMES = {
    "abstain_vs_yes": (("abstain",), ("yes",)),
    "not_yes": (("abstain", "no", "absent"), ("yes",)),
    "abstain_absent_vs_yes": (("abstain", "absent"), ("yes",)),
    "absent_vs_voted": (("absent",), ("yes", "abstain", "no")),
}
#: Outcomes with more than two categories: name -> the categories in code order (0, 1, ...).
ORDERED = {"ordered": ["yes", "abstain", "no"]}
CHOICE = {"choice": ["yes", "abstain", "no", "absent"]}
OUTCOME_TEXT = {
    "ordered": "the position taken, ordered yes < abstain < no (an ordered logit); absences are left out, "
               "since staying away is not a position on this scale (the choice model keeps them)",
    "choice": "the choice among yes (the base), abstain, no and staying away (a multinomial logit); states "
              "without a vote right (Article 19 arrears) are left out of the votes they could not cast",
    "abstain_vs_yes": "abstain (1) versus yes (0); states that voted no or were absent are left out of that vote",
    "not_yes": "did not vote yes (abstain, no or absent = 1) versus yes (0), as in the published studies",
    "abstain_absent_vs_yes": "abstain or absent (1) versus yes (0); states that voted no are left out",
    "absent_vs_voted": "absent (1) versus present and voting (0): the participation step of a hurdle model",
}
#: The categories of each outcome, code order (binary: 0 then 1).
OUTCOME_CATEGORIES = {**ORDERED, **CHOICE, "abstain_vs_yes": ["yes", "abstain"], "not_yes": ["yes", "not yes"],
                      "abstain_absent_vs_yes": ["yes", "abstain or absent"], "absent_vs_voted": ["voted", "absent"]}
#: Every outcome a model can use.
ALL_OUTCOMES = list(OUTCOME_CATEGORIES)
#: ``votes.absent_reason`` values that mean a state could not vote: left out wherever absence is an outcome.
NO_VOTE_RIGHT = ("no_vote_right", "no_vote_right_unconfirmed")
#: What a row's intercept is: its own vote's fixed effect, or that of its kind of text (catalogue theme), so
#: that a vote outside the training set can be predicted from its kind.
INTERCEPTS = ("vote", "theme")

#: Organisations usable as a group filter -> countries.parquet column (membership on 2022-02-23).
ORG_COLUMNS = {"AU": "member_au", "NAM": "member_nam", "G77": "member_g77", "CSTO": "member_csto",
               "SCO": "member_sco", "EAEU": "member_eaeu", "CIS": "member_cis", "BRICS": "member_brics",
               "NATO": "member_nato", "EU": "member_eu", "OIC": "member_oic", "ARAB_LEAGUE": "member_arab_league",
               "COMMONWEALTH": "member_commonwealth"}
GROUP_ALIASES = {"WEOG": "Western European and Others", "GRULAC": "Latin American and Caribbean",
                 "EEG": "Eastern European", "APG": "Asia-Pacific", "AFRICA": "African"}
#: The parties to the war, left out by default of every model whose votes are all catalogued: their votes on the war are not
#: choices among the positions the models explain (Russia votes no, Ukraine yes, on every text).
PARTIES = {"RUS": "Russia", "UKR": "Ukraine"}
MIN_STATES = 15
MIN_LEVEL_STATES = 5
#: A fixed reference level where the most common level would depend on who is in the sample (the African
#: and Asia-Pacific Groups are within a state of each other, so adding Sudan would swap every contrast).
REFERENCE_LEVELS = {"un_group": "Asia-Pacific"}

#: How numeric covariates are scaled: per sample (True is the same), with the pooled all-member-states mean and
#: sd (one unit in every sample), or not at all (raw units).
STANDARDIZE = ("sample", "pooled", False)

#: Columns of countries.parquet that are identifiers or dates, never covariates.
NOT_COVARIATES = {"iso3", "name", "display_name", "un_member_from", "un_member_to"}

#: Explicit fill rules applied before listwise deletion: column -> (condition column, condition value, fill, why).
FILL_RULES = {
    "ru_arms_share_2010_2021": ("arms_imports_tiv_2010_2021", 0.0, 0.0,
                                "no major-arms imports in 2010-2021 (SIPRI), so no dependence on Russian arms: "
                                "share set to 0"),
}

#: The default covariates: regional group, prior alignment, regime type, arms ties.
#: GDP per capita is left out by default: it is missing for 10 states (CUB, ERI, PRK, SDN, SSD, TKM, VEN,
#: YEM, LIE, MCO), several of them among the states that do not vote yes, so listwise deletion would bias
#: the sample; V-Dem (22 missing micro-states) is replaced by Freedom House (complete since Sudan's scores are taken from the source).
#: Arms ties enter in levels (log TIV from Russia) with a no-imports indicator, not as a share filled with 0
#: (a share is undefined without imports and noisy for small importers). No dummy for an alliance of a
#: handful of states (the CSTO has four besides Russia): its estimate would rest on four states.
DEFAULT_COVARIATES = ["un_group", "ideal_point_prewar", "fh_total", "log_ru_arms_tiv_2010_2021",
                      "no_arms_imports_2010_2021"]


#: Readable names of the covariates the report uses (others keep their column name, documented in
#: data/external/data_dictionary.csv).
def covariate_label(column: str) -> str:
    """A covariate's label in tables and figures: the one label dictionary (``unvotes.tables.labels``)."""
    from unvotes.tables import labels

    return labels.label(column)


@dataclass
class ModelData:
    """The prepared long table and what was decided to build it."""

    votes: list[str]
    group: str
    outcome: str
    covariates: list[str]
    frame: pd.DataFrame            # iso3, name, un_group, vote_id, vote_fe, vote, y, <terms>
    terms: list[str]               # model terms (numeric columns of frame)
    term_labels: dict[str, str]    # term -> readable label
    term_covariate: dict[str, str]  # term -> the countries.parquet column it comes from
    scales: dict[str, tuple[float, float]]  # standardised term -> (mean, sd) in original units
    dropped_missing: pd.DataFrame  # iso3, name, missing (listwise deletion)
    filled: pd.DataFrame           # iso3, name, column, value, rule
    left_out: pd.DataFrame         # vote_id, vote, n: rows the outcome definition leaves out
    notes: list[str] = field(default_factory=list)
    standardize: str | bool = "sample"  # one of STANDARDIZE
    reference_levels: dict[str, str] = field(default_factory=dict)
    intercepts: str = "vote"
    excluded: dict[str, str] = field(default_factory=dict)  # states left out by ``exclude``, ISO3 -> name
    extra: "ExtraCovariates | None" = None  # the caller's own covariates, as checked

    @property
    def categories(self) -> list[str]:
        return OUTCOME_CATEGORIES[self.outcome]

    @property
    def n_states(self) -> int:
        return int(self.frame["iso3"].nunique())


# ---------------------------------------------------------------------------------------------- parameters

def resolve_votes(votes) -> list[str]:
    """Vote ids (date order) for a keyword of :data:`VOTE_SETS`, one id, a list of ids, the table a search
    returns (``unvotes.find(...)``: any frame with a ``vote_id`` column) or a search itself
    (``{"find": "Gaza", "body": "GA"}``, :func:`votes_found`: its complete roll calls).

    Any roll call of either body may be named by id, catalogued or not (the Ukraine catalogue only supplies
    labels and themes, :func:`unvotes.tables.catalogue.vote_info`). Every id must be a roll call of the data with a
    complete country-level record; the errors say which condition fails: not a roll call (with close matches),
    catalogued but without a roll call in the data, or a partial roll call."""
    cat = catalogue.load()
    # Keywords name General Assembly votes on the war only: a Security Council roll call has 15 states, and a
    # related vote (Chornobyl) asks another question; both can still be named by id.
    complete = cat[cat["complete"] & cat["vote_id"].str.startswith("A/") & ~cat["theme"].str.startswith(catalogue.RELATED)]
    if isinstance(votes, dict):  # a search, as a notebook parameter can carry it: {"find": "Gaza", "body": "GA"}
        votes = votes_found(votes)
    if isinstance(votes, pd.DataFrame):
        if "vote_id" not in votes.columns:
            raise ModelParameterError("votes given as a table need a vote_id column (as unvotes.find() returns); "
                                      f"got columns {list(votes.columns)}")
        votes = votes["vote_id"].tolist()
    elif isinstance(votes, pd.Series):
        votes = votes.tolist()
    if isinstance(votes, str):
        key = votes.strip()
        if key in VOTE_SETS:
            if key == "ES-11":
                chosen = complete[complete["vote_id"].str.startswith("A/RES/ES-11/") & (complete["date"].dt.year <= 2023)]
            elif key == "post-invasion":
                chosen = complete[complete["date"] >= "2022-02-24"]
            else:
                first, last = key.split("-")
                chosen = complete[complete["date"].dt.year.between(int(first), int(last))]
            if chosen.empty:
                raise ModelParameterError(f"votes={key!r}: no complete catalogued roll call in the data")
            return chosen["vote_id"].tolist()
        votes = [key]
    if not isinstance(votes, (list, tuple)) or not votes:
        raise ModelParameterError(f"votes must be a vote id, a list of vote ids, a table with a vote_id column "
                                  f"(unvotes.find) or one of the keywords {', '.join(VOTE_SETS)}; got {votes!r}")
    rc = api.load_roll_calls()
    in_catalogue = cat.set_index("vote_id")
    n_states = api._cached("votes")["vote_id"].value_counts()
    out = []
    for vote_id in votes:
        if vote_id in in_catalogue.index and vote_id not in set(rc["vote_id"]):
            raise UnknownVoteError(f"{vote_id} ({in_catalogue.at[vote_id, 'label']}) is catalogued but has no "
                                   "country-level roll call in the processed data; it cannot enter a model. "
                                   f"Catalogued votes that can: {', '.join(complete['vote_id'])}")
        try:
            vote_id = api.resolve_vote_id(vote_id, rc)
        except UnknownVoteError as exc:  # not a roll call at all: say so, and list the keywords too
            raise UnknownVoteError(f"{exc} votes takes roll-call ids of either body, a list of them, a table from "
                                   f"unvotes.find() or one of the keywords {', '.join(VOTE_SETS)}.") from None
        row = rc.loc[rc["vote_id"] == vote_id].iloc[0]
        label = in_catalogue.at[vote_id, "label"] if vote_id in in_catalogue.index else row["title"]
        if not n_states.get(vote_id, 0):
            raise UnknownVoteError(f"{vote_id} ({label}) has no country-level votes in the processed data; it "
                                   "cannot enter a model.")
        if not bool(row["complete"]):
            raise UnknownVoteError(f"{vote_id} ({label}) has only a partial roll call (some states' votes "
                                   "unknown); it cannot enter a model.")
        if vote_id in in_catalogue.index and not bool(in_catalogue.at[vote_id, "complete"]):
            raise UnknownVoteError(f"{vote_id} ({label}) has only a partial roll call (some states' votes "
                                   "unknown); it cannot enter a model. Catalogued votes that can be modelled: "
                                   f"{', '.join(complete['vote_id'])}")
        if vote_id not in out:
            out.append(vote_id)
    dates = rc.set_index("vote_id")["date"]
    order = {v: i for i, v in enumerate(cat["vote_id"])}  # the catalogue's order among votes of one date
    return sorted(out, key=lambda v: (dates[v], order.get(v, len(order)), v))


def votes_found(query: dict) -> list[str]:
    """The complete roll calls a search finds: ``{"find": text, "body": ..., "start": ..., "end": ...}`` are the
    arguments of :func:`unvotes.find` (partial roll calls, which no model can take, are left out)."""
    query = dict(query)
    if "find" not in query:
        raise ModelParameterError(f"a search for votes needs a 'find' text, e.g. {{'find': 'Gaza', 'body': 'GA'}}; "
                                  f"got {query!r}")
    text = query.pop("find")
    unknown = set(query) - {"body", "start", "end", "machine_topics"}
    if unknown:
        raise ModelParameterError(f"unknown search argument(s) {sorted(unknown)}; use body, start, end, machine_topics")
    found = api.find(text, **query)
    found = found[found["complete"].astype(bool)]
    if found.empty:
        raise ModelParameterError(f"the search {text!r} ({query}) finds no complete roll call")
    return found["vote_id"].tolist()


def resolve_group(group, countries: pd.DataFrame) -> tuple[str, pd.Index]:
    """(label, ISO3 codes) of a group filter: None/"all", a UN regional group, an organisation, or a list of
    states of one's own (ISO3 codes or names, e.g. ``["MLI", "BFA", "NER"]``)."""
    if group is None or (isinstance(group, str) and group.strip().lower() in {"all", ""}):
        return "all member states", pd.Index(countries["iso3"])
    if isinstance(group, (list, tuple, set, pd.Index)):
        return _own_group(list(group), countries)
    if not isinstance(group, str):
        raise ModelParameterError(f"group must be None, 'all', a UN regional group, an organisation or a list of "
                                  f"states (ISO3 codes or names); got {group!r}")
    groups = sorted(countries["un_group"].dropna().unique())
    key = GROUP_ALIASES.get(group.strip().upper(), group.strip())
    matches = [g for g in groups if g.lower() == key.lower()]
    if matches:
        members = countries.loc[countries["un_group"] == matches[0], "iso3"]
        label = "African Group" if matches[0] == "African" else f"{matches[0]} Group"
        return label, pd.Index(members)
    org = group.strip().upper().replace(" ", "_")
    if org in ORG_COLUMNS:
        members = countries.loc[countries[ORG_COLUMNS[org]].fillna(False).astype(bool), "iso3"]
        return f"{org} members (on 23 February 2022)", pd.Index(members)
    raise ModelParameterError(f"unknown group {group!r}. Choose None or 'all', a UN regional group "
                              f"({', '.join(groups)}; aliases {', '.join(GROUP_ALIASES)}), an organisation "
                              f"({', '.join(ORG_COLUMNS)}) or a list of states (ISO3 codes or names).")


def _own_group(states: list, countries: pd.DataFrame) -> tuple[str, pd.Index]:
    """A group of one's own: every entry a state (an unknown one is an error naming close matches), none twice."""
    if not states:
        raise ModelParameterError("group is an empty list: name the states (ISO3 codes or names), or use 'all'")
    codes = [api.iso3_of(s) for s in states]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ModelParameterError(f"group names these states twice: {', '.join(twice)}")
    outside = [c for c in codes if c not in set(countries["iso3"])]
    if outside:
        raise ModelParameterError(f"group names states that are not in the countries table: {', '.join(outside)}")
    shown = ", ".join(codes[:8]) + (f" and {len(codes) - 8} more" if len(codes) > 8 else "")
    return f"{len(codes)} states chosen ({shown})", pd.Index(codes)


def covariate_choices(countries: pd.DataFrame | None = None) -> list[str]:
    """The covariates a model can use: columns of countries.parquet (one value per state) and the dated
    covariates of :mod:`unvotes.tables.dated` (their value at each vote's date)."""
    from unvotes.tables import dated

    countries = api.load_countries() if countries is None else countries
    return ([c for c in countries.columns if c not in NOT_COVARIATES]
            + [c for c in dated.COVARIATES if c not in dated.NOT_FOR_MODELS])


def check_covariates(covariates, countries: pd.DataFrame) -> list[str]:
    if isinstance(covariates, str) or not isinstance(covariates, (list, tuple)):
        raise ModelParameterError(f"covariates must be a list of column names, got {covariates!r}")
    choices = covariate_choices(countries)
    unknown = [c for c in covariates if c not in choices]
    if unknown:
        from unvotes.tables import dated

        why = "; ".join(f"{c}: {dated.NOT_FOR_MODELS[c]}" for c in unknown if c in dated.NOT_FOR_MODELS)
        raise ModelParameterError(f"unknown covariate(s) {unknown}: neither columns of countries.parquet nor "
                                  f"dated covariates{' (' + why + ')' if why else ''}. "
                                  f"Choose from: {', '.join(choices)} (see data/external/data_dictionary.csv), or "
                                  "bring your own as a table: models.fit(..., extra=frame)")
    if len(set(covariates)) != len(covariates):
        raise ModelParameterError(f"covariates listed twice: {sorted({c for c in covariates if covariates.count(c) > 1})}")
    return list(covariates)


def check_outcome(outcome: str) -> str:
    if outcome not in OUTCOME_CATEGORIES:
        raise ModelParameterError(f"unknown outcome {outcome!r}; choose one of {', '.join(ALL_OUTCOMES)}")
    return outcome


def uses_absence(outcome: str) -> bool:
    """Does the outcome code absences (so that states without a vote right must be left out)?"""
    if outcome in CHOICE:
        return True
    return outcome in OUTCOMES and any("absent" in side for side in OUTCOMES[outcome])


def missing_report(covariates: list[str] | None = None, group=None) -> pd.DataFrame:
    """For each covariate: how many of the group's current UN members lack it, and which (before fill rules)."""
    countries = api.load_countries()
    countries = countries[countries["un_member_to"].isna()]
    _, members = resolve_group(group, countries)
    sample = countries[countries["iso3"].isin(members)].set_index("iso3")
    covariates = covariate_choices(countries) if covariates is None else check_covariates(covariates, countries)
    rows = []
    for col in covariates:
        missing = sample.index[sample[col].isna()].tolist()
        rule = FILL_RULES.get(col)
        filled = []
        if rule:
            cond_col, cond_val, _, _ = rule
            filled = [s for s in missing if sample.loc[s, cond_col] == cond_val]
        rows.append({"covariate": col, "n_missing": len(missing), "filled_by_rule": len(filled),
                     "left_missing": len(missing) - len(filled),
                     "states": ", ".join(s for s in missing if s not in filled)})
    return pd.DataFrame(rows).sort_values(["left_missing", "covariate"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- the table

def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", str(text)).strip("_")


def check_standardize(standardize) -> str | bool:
    """The standardisation asked for, as one of :data:`STANDARDIZE` (True means "sample")."""
    if standardize is True:
        return "sample"
    if standardize is False or (isinstance(standardize, str) and standardize in STANDARDIZE):
        return standardize
    raise ModelParameterError(f"unknown standardize {standardize!r}; choose 'sample' (or True: per standard "
                              "deviation across the sample's states), 'pooled' (per standard deviation across all "
                              "member states, the same unit in every sample) or False (raw units)")


def pooled_scales(countries: pd.DataFrame, columns: list[str]) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation (ddof 0) of each numeric column over the current member states: the one
    transformation ``standardize="pooled"`` applies in every sample. The fill rules apply first, as in a model."""
    current = countries[countries["un_member_to"].isna()] if "un_member_to" in countries else countries
    out = {}
    for col in columns:
        s = current[col]
        if col in FILL_RULES:
            cond_col, cond_val, value, _ = FILL_RULES[col]
            s = s.where(~(s.isna() & (current[cond_col] == cond_val)), value)
        out[col] = (float(s.mean()), float(s.std(ddof=0)))
    return out


def _state_covariates(sample: pd.DataFrame, covariates: list[str], standardize, pooled=None):
    """Expand covariates into numeric term columns (state level). Returns terms table and metadata.
    ``standardize``: one of :data:`STANDARDIZE`; ``pooled``: the (mean, sd) per column for "pooled"."""
    terms = pd.DataFrame(index=sample.index)
    labels, source, scales, refs, notes = {}, {}, {}, {}, []
    for col in covariates:
        s = sample[col]
        if pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            if s.astype(float).nunique() < 2:
                notes.append(f"{col} dropped: {'every' if s.all() else 'no'} state in the sample is a member")
                continue
            terms[col] = s.astype(float)
            labels[col], source[col] = covariate_label(col), col
        elif pd.api.types.is_numeric_dtype(s):
            if s.nunique() < 2:
                notes.append(f"{col} dropped: constant in the sample")
                continue
            if standardize:
                mean, sd = pooled[col] if standardize == "pooled" else (float(s.mean()), float(s.std(ddof=0)))
                terms[col] = (s - mean) / sd
                scales[col] = (mean, sd)
            else:
                terms[col] = s.astype(float)
            labels[col] = covariate_label(col)
            source[col] = col
        else:
            s = s.astype(str)
            counts = s.value_counts()
            rare = counts.index[counts < MIN_LEVEL_STATES].tolist()
            if rare and len(rare) < len(counts):
                s = s.where(~s.isin(rare), "other")
                notes.append(f"{col}: levels with fewer than {MIN_LEVEL_STATES} states pooled as 'other' "
                             f"({', '.join(rare)})")
                counts = s.value_counts()
            if len(counts) < 2:
                notes.append(f"{col} dropped: one value ({counts.index[0]}) for every state in the sample")
                continue
            preferred = REFERENCE_LEVELS.get(col)
            ref = preferred if preferred in counts.index else sorted(counts.index[counts == counts.max()])[0]
            refs[col] = ref
            for level in sorted(counts.index):
                if level == ref:
                    continue
                name = f"{col}__{_slug(level)}"
                terms[name] = (s == level).astype(float)
                labels[name], source[name] = f"{covariate_label(col)}: {level} (vs {ref})", col
    return terms, labels, source, scales, refs, notes


def resolve_exclude(exclude, vote_ids: list[str]) -> dict[str, str]:
    """The states left out of a model, ISO3 -> name. ``exclude=None`` (the default) leaves out the parties to the
    war, Russia and Ukraine (:data:`PARTIES`), when every vote is in the Ukraine catalogue, and nobody
    otherwise (on another question the parties are others: name them); a list of states (ISO3 codes or names,
    resolved by :func:`unvotes.api.iso3_of`) leaves out exactly those; an empty list nobody."""
    if exclude is None:
        catalogued = set(catalogue.curated()["vote_id"])
        return dict(PARTIES) if set(vote_ids) <= catalogued else {}
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, (list, tuple, set)):
        raise ModelParameterError(f"exclude must be None (the parties to the war on catalogued votes), a list of "
                                  f"states (ISO3 codes or names) or an empty list; got {exclude!r}")
    names = api.load_countries().set_index("iso3")["name"]
    codes = [api.iso3_of(s) for s in exclude]  # an unknown state is an error naming close matches
    return {c: names.get(c, c) for c in codes}


#: Columns of an ``extra`` covariate table that say which rows it describes (never covariates themselves).
EXTRA_KEYS = ("iso3", "vote_id", "date")


@dataclass
class ExtraCovariates:
    """A caller's own covariates, checked: state-level (``by == "iso3"``) or dated (``"vote_id"``: one value per
    state and vote; ``"date"``: the value of the latest row dated on or before each vote)."""

    frame: pd.DataFrame
    by: str
    columns: list[str]


def check_extra(extra, countries: pd.DataFrame) -> ExtraCovariates | None:
    """Check a caller's covariate table (see :func:`prepare`): an ``iso3`` column (codes or names of the
    countries table), optionally ``vote_id`` or ``date``, and one column per covariate (numbers, true/false, or
    text for a state-level category). Errors name the column, row and value."""
    if extra is None:
        return None
    if not isinstance(extra, pd.DataFrame):
        raise ModelParameterError(f"extra must be a table (pandas DataFrame) with an iso3 column; got {type(extra).__name__}")
    if "iso3" not in extra.columns:
        raise ModelParameterError(f"extra needs an iso3 column naming each state; its columns are {list(extra.columns)}")
    if "vote_id" in extra.columns and "date" in extra.columns:
        raise ModelParameterError("extra has both vote_id and date columns: date it by one of them")
    by = "vote_id" if "vote_id" in extra.columns else "date" if "date" in extra.columns else "iso3"
    columns = [c for c in extra.columns if c not in EXTRA_KEYS]
    if not columns:
        raise ModelParameterError("extra has no covariate column besides " + ", ".join(c for c in EXTRA_KEYS if c in extra))
    clash = [c for c in columns if c in countries.columns or c in _dated_covariates()]
    if clash:
        raise ModelParameterError(f"extra column(s) {clash} already name covariates of the package; rename them")
    frame = extra.copy()
    # a code or a name exactly as the countries table writes it; anything else through the name resolver
    codes = {**dict(zip(countries["name"], countries["iso3"])), **dict(zip(countries["iso3"], countries["iso3"]))}
    for i, value in frame["iso3"].items():
        if value not in codes:
            try:
                codes[value] = api.iso3_of(str(value))
            except UnvotesError as exc:
                raise ModelParameterError(f"extra, row {i}, iso3 {value!r}: {exc}") from None
    frame["iso3"] = frame["iso3"].map(codes)
    if by == "date":
        dates = pd.to_datetime(frame["date"], errors="coerce")
        bad = frame.index[dates.isna()]
        if len(bad):
            raise ModelParameterError(f"extra, row {bad[0]}: date {frame.at[bad[0], 'date']!r} is not a date")
        frame["date"] = dates
    elif by == "vote_id":
        rc = api.load_roll_calls()
        frame["vote_id"] = [api.resolve_vote_id(v, rc) for v in frame["vote_id"]]
    keys = ["iso3"] + ([by] if by != "iso3" else [])
    twice = frame.index[frame.duplicated(keys, keep=False)]
    if len(twice):
        raise ModelParameterError(f"extra has more than one row for {', '.join(keys)} = "
                                  f"{tuple(frame.loc[twice[0], keys])} (rows {', '.join(map(str, twice[:5]))})")
    for c in columns:
        s = frame[c]
        numeric = pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean"
        if not numeric and by != "iso3":
            raise ModelParameterError(f"extra column {c!r}: a dated covariate must be a number or true/false")
    return ExtraCovariates(frame=frame.reset_index(drop=True), by=by, columns=columns)


def read_extra_csv(path) -> pd.DataFrame:
    """A caller's covariate table from a CSV file (the notebooks' ``extra_covariates_csv``), checked as
    :func:`check_extra` checks a table; an error names the file and the line."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise ModelParameterError(f"extra_covariates_csv: no file {path}; give the path of a CSV with an iso3 column "
                                  "and one column per covariate")
    try:
        frame = pd.read_csv(path, dtype={"iso3": str, "vote_id": str})
    except (ValueError, pd.errors.ParserError) as exc:
        raise ModelParameterError(f"{path}: not a readable CSV ({exc})") from None
    try:
        check_extra(frame, api.load_countries())
    except ModelParameterError as exc:  # the table's rows count from 0 below the header: line = row + 2
        message = re.sub(r"\brows? (\d+)", lambda m: f"line {int(m.group(1)) + 2}", str(exc))
        raise ModelParameterError(f"{path}: {message}") from None
    return frame


def _dated_covariates() -> list[str]:
    from unvotes.tables import dated

    return list(dated.COVARIATES)


def prepare(votes="ES-11", group=None, covariates=None, outcome="ordered", *, intercepts="vote",
            standardize=True, min_states=MIN_STATES, exclude=None, extra=None) -> ModelData:
    """Build the long (state, vote) table for a model; see the module docstring for every rule applied.

    ``exclude``: the states left out (:func:`resolve_exclude`; default: Russia and Ukraine on catalogued votes,
    nobody otherwise). ``extra``: the caller's own covariates, a table with an ``iso3`` column and one column
    per covariate, one row per state (state-level), or also a ``vote_id`` column (one value per state and vote)
    or a ``date`` column (each vote takes the state's latest value dated on or before it). Its columns join
    ``covariates`` (default :data:`DEFAULT_COVARIATES`) unless already listed, are merged before the listwise
    deletion (a state without a value is left out and named), standardised by the same rule as the others
    (``standardize``; a dated number over the sample's state-votes) and labelled by their column name."""
    vote_ids = resolve_votes(votes)
    countries_all = api.load_countries()
    extra = check_extra(extra, countries_all)
    if extra is not None and extra.by == "iso3":
        countries_all = countries_all.merge(extra.frame, on="iso3", how="left")
    extra_dated = extra.columns if extra is not None and extra.by != "iso3" else []
    covariates = DEFAULT_COVARIATES if covariates is None else covariates
    if isinstance(covariates, (list, tuple)) and extra is not None:  # the caller's columns join the list
        covariates = list(covariates) + [c for c in extra.columns if c not in covariates]
    if isinstance(covariates, (list, tuple)) and extra_dated:
        covariates = check_covariates([c for c in covariates if c not in extra_dated], countries_all) + extra_dated
    else:
        covariates = check_covariates(covariates, countries_all)
    check_outcome(outcome)
    standardize = check_standardize(standardize)
    if intercepts not in INTERCEPTS:
        raise ModelParameterError(f"unknown intercepts {intercepts!r}; choose 'vote' (a fixed effect per vote) or "
                                  "'theme' (one per kind of text, so that new votes can be predicted)")
    from unvotes.tables import dated

    dated_covariates = [c for c in covariates if c in dated.COVARIATES]
    covariates_by_state = [c for c in covariates if c not in dated.COVARIATES and c not in extra_dated]
    group_label, members = resolve_group(group, countries_all)
    notes: list[str] = []
    left_out = resolve_exclude(exclude, vote_ids)
    if left_out and members.isin(list(left_out)).any():
        members = members.difference(list(left_out))
        notes.append(f"{' and '.join(PARTIES.values())}, the parties to the war, are left out" if left_out == PARTIES
                     else f"left out as asked (exclude): {', '.join(left_out.values())}")

    v = api.load_votes()
    v = v[v["vote_id"].isin(vote_ids) & v["iso3"].isin(members)].astype({"vote_id": str, "iso3": str, "vote": str})
    v["absent_reason"] = v["absent_reason"].astype("string")
    states = pd.Index(sorted(v["iso3"].unique()))
    countries = countries_all.set_index("iso3").loc[states]

    # Fill rules, then listwise deletion, at the state level.
    filled_rows = []
    sample = countries.copy()
    for col in covariates_by_state:
        if col in FILL_RULES:
            cond_col, cond_val, value, why = FILL_RULES[col]
            fill = sample[col].isna() & (sample[cond_col] == cond_val)
            for iso3 in sample.index[fill]:
                filled_rows.append({"iso3": iso3, "name": sample.loc[iso3, "name"], "column": col, "value": value,
                                    "rule": why})
            sample.loc[fill, col] = value
    filled = pd.DataFrame(filled_rows, columns=["iso3", "name", "column", "value", "rule"])
    missing = sample[covariates_by_state].isna()
    dropped = missing.any(axis=1)
    dropped_missing = pd.DataFrame({
        "iso3": sample.index[dropped], "name": sample.loc[dropped, "name"].values,
        "missing": [", ".join(c for c in covariates_by_state if missing.loc[s, c]) for s in sample.index[dropped]]},
        columns=["iso3", "name", "missing"]).reset_index(drop=True)
    sample = sample[~dropped]
    if len(sample) < min_states:
        raise ModelParameterError(f"group {group!r} ({group_label}) has {len(sample)} states with every covariate "
                                  f"on these votes; at least {min_states} are needed for a model. Choose a larger "
                                  "group or fewer covariates with missing values.")

    numeric = [c for c in covariates_by_state if pd.api.types.is_numeric_dtype(countries_all[c])
               and not pd.api.types.is_bool_dtype(countries_all[c]) and str(countries_all[c].dtype) != "boolean"]
    pooled = pooled_scales(countries_all, numeric) if standardize == "pooled" else None
    terms, labels, source, scales, refs, cov_notes = _state_covariates(sample, covariates_by_state, standardize,
                                                                       pooled)
    notes += cov_notes

    long = v[v["iso3"].isin(sample.index)].copy()
    long["y"], left_rows = code_outcome(long, outcome)
    long = long[long["y"].notna()].copy()
    long["y"] = long["y"].astype(int)
    # The level a row's intercept comes from: its own vote or its kind of text (plain text, so that patsy
    # never builds a column for a level absent from the rows being fitted).
    themes = catalogue.vote_info(vote_ids).set_index("vote_id")["theme"]  # outside the catalogue: body and session
    long["theme"] = long["vote_id"].map(themes).astype(str)
    long["vote_fe"] = long["vote_id"] if intercepts == "vote" else long["theme"]
    long["name"] = long["iso3"].map(sample["name"])
    long["un_group"] = long["iso3"].map(sample["un_group"])
    long = long.join(terms, on="iso3")
    long, dated_terms = _join_dated(long, dated_covariates, labels, source, notes)
    if extra_dated:
        long, extra_terms = _join_extra_dated(long, extra, standardize, labels, source, scales, notes)
        dated_terms += extra_terms
    order = {vid: i for i, vid in enumerate(vote_ids)}
    long = long.sort_values(["vote_id", "iso3"], key=lambda c: c.map(order) if c.name == "vote_id" else c)
    long = long.reset_index(drop=True)
    model_terms = list(terms.columns) + dated_terms
    cols = ["iso3", "name", "un_group", "vote_id", "theme", "vote_fe", "vote", "y"] + model_terms
    return ModelData(votes=vote_ids, group=group_label, outcome=outcome, intercepts=intercepts,
                     covariates=covariates, frame=long[cols], terms=model_terms, term_labels=labels,
                     term_covariate=source, scales=scales, dropped_missing=dropped_missing, filled=filled,
                     left_out=left_rows, notes=notes, standardize=standardize, reference_levels=refs,
                     excluded=left_out, extra=extra)


def _join_extra_dated(long: pd.DataFrame, extra: ExtraCovariates, standardize, labels: dict, source: dict,
                      scales: dict, notes: list[str]):
    """The caller's dated covariates at each row: by (state, vote), or the state's latest value dated on or
    before the vote's date. State-votes without a value are left out, with a note; a number is standardised over
    the sample's state-votes (any standardisation asked for: the caller's table has no all-states frame)."""
    frame = extra.frame
    if extra.by == "vote_id":
        long = long.merge(frame, on=["iso3", "vote_id"], how="left")
    else:
        dates = api.load_roll_calls().set_index("vote_id")["date"]
        long = long.assign(_date=long["vote_id"].map(dates).astype("datetime64[ns]"), _row=np.arange(len(long)))
        right = frame.rename(columns={"date": "_date"}).astype({"_date": "datetime64[ns]"}).sort_values("_date")
        long = pd.merge_asof(long.sort_values("_date"), right, on="_date", by="iso3", direction="backward")
        long = long.sort_values("_row").drop(columns=["_date", "_row"])
    long = _leave_out_unknown(long, list(extra.columns), "a covariate of the caller's table (extra) has no value for "
                              "the vote", notes)
    kept = []
    for col in extra.columns:
        x = long[col].astype(float)
        if x.nunique() < 2:
            notes.append(f"{col} dropped: constant in the sample")
            long = long.drop(columns=col)
            continue
        if standardize and not (pd.api.types.is_bool_dtype(frame[col]) or str(frame[col].dtype) == "boolean"):
            mean, sd = float(x.mean()), float(x.std(ddof=0))
            x = (x - mean) / sd
            scales[col] = (mean, sd)
        long[col] = x
        labels[col], source[col] = covariate_label(col), col
        kept.append(col)
    return long.reset_index(drop=True), kept


def _leave_out_unknown(long: pd.DataFrame, columns: list[str], where: str, notes: list[str]) -> pd.DataFrame:
    """The state-votes with a value in every one of ``columns``; the others left out with a note naming the states."""
    unknown = long[columns].isna().any(axis=1)
    if unknown.any():
        states = ", ".join(sorted(long.loc[unknown, "iso3"].astype(str).unique()))
        notes.append(f"{int(unknown.sum())} state-votes left out where {where} ({states})")
        long = long[~unknown].copy()
    return long


def _join_dated(long: pd.DataFrame, covariates: list[str], labels: dict, source: dict, notes: list[str]):
    """Each dated covariate's value at each row's vote date (0/1 for a flag, the number for the arms measures),
    dropped with a note where it does not vary in the rows."""
    if not covariates:
        return long, []
    values = _vote_covariates(sorted(long["vote_id"].unique()))
    long = long.merge(values[["vote_id", "iso3", *covariates]], on=["vote_id", "iso3"], how="left")
    long = _leave_out_unknown(long, covariates, "a dated covariate is unknown on the vote's date", notes)
    kept = []
    for col in covariates:
        x = long[col].astype(float)
        if x.nunique() < 2:
            value = ("true" if x.iloc[0] else "false") if set(x.unique()) <= {0.0, 1.0} else f"{x.iloc[0]:g}"
            notes.append(f"{col} dropped: {value} for every state-vote in the sample")
            long = long.drop(columns=col)
            continue
        long[col] = x
        labels[col], source[col] = covariate_label(col), col
        kept.append(col)
    if kept:
        notes.append(f"dated covariates, at each vote's date: {', '.join(kept)}")
    return long, kept


_DATED_SCOPES: list[dict] = []


@contextmanager
def dated_covariates_shared():
    """Within this block, the dated covariates of one list of votes (:func:`unvotes.tables.dated.vote_covariates`,
    about 2 s a call: it reads and checks the dated tables and the arms deliveries) are computed once and shared
    by every model prepared, e.g. the specification tables of two groups on the same votes. Nothing is kept after
    the block, so a table edited between two calls is always read again."""
    outermost = not _DATED_SCOPES
    if outermost:
        _DATED_SCOPES.append({})
    try:
        yield
    finally:
        if outermost:
            _DATED_SCOPES.clear()


def _vote_covariates(vote_ids: list[str]) -> pd.DataFrame:
    """The dated covariates of ``vote_ids``: shared within a :func:`dated_covariates_shared` block, and by the runs
    of a report build or a test session (:func:`_dated_values`)."""
    if not _DATED_SCOPES:
        return _dated_values([str(v) for v in vote_ids])
    shared = _DATED_SCOPES[0]
    key = tuple(vote_ids)
    if key not in shared:
        shared[key] = _dated_values([str(v) for v in vote_ids])
    return shared[key].copy()


@memo.shared
def _dated_values(vote_ids: list) -> pd.DataFrame:
    """:func:`unvotes.tables.dated.vote_covariates`, once per build for each list of votes (:mod:`unvotes.memo`): the
    Africa model's page alone asked for the same two lists nine times (about 1.2 s each), and every model page
    and the main model ask for them again. Inputs as those of the specification tables that already share them."""
    from unvotes.tables import dated

    return dated.vote_covariates(vote_ids)


def code_outcome(long: pd.DataFrame, outcome: str) -> tuple[pd.Series, pd.DataFrame]:
    """The outcome's code for each (state, vote) row (NaN: left out) and a table of the rows left out, by vote
    and reason. A state without a vote right (``votes.absent_reason``) is left out wherever absence counts."""
    check_outcome(outcome)
    vote = long["vote"].astype(str)
    if outcome in OUTCOMES:
        ones, zeros = OUTCOMES[outcome]
        y = pd.Series(np.where(vote.isin(ones), 1.0, np.where(vote.isin(zeros), 0.0, np.nan)), index=long.index)
    else:
        y = vote.map({c: float(i) for i, c in enumerate(OUTCOME_CATEGORIES[outcome])}).astype(float)
    reason = long["absent_reason"].astype("string") if "absent_reason" in long else pd.Series(pd.NA, index=long.index)
    no_right = reason.isin(NO_VOTE_RIGHT).fillna(False).to_numpy(dtype=bool)
    if uses_absence(outcome):
        y[no_right & vote.eq("absent").to_numpy()] = np.nan
    why = np.where(no_right, "absent (no vote right: " + reason.fillna("").astype(str) + ")", vote)
    left = long.assign(vote=why)[y.isna()]
    left_out = left.groupby(["vote_id", "vote"]).size().rename("n").reset_index()
    return y, left_out


def comparable_training_vote(vote_id: str, training: list[str]) -> str | None:
    """The training vote a new vote is best compared with: follow the catalogue's ``compare_with`` chain until
    it reaches a training vote (A/RES/80/223 -> 79/184 -> 78/221). None if the chain never reaches one."""
    cat = catalogue.curated().set_index("vote_id")["compare_with"]
    seen, current = set(), vote_id
    while current and current not in seen:
        seen.add(current)
        current = cat.get(current, "")
        if current in training:
            return current
    return None

