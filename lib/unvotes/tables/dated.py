"""Covariates that change: dated, cited tables joined to each vote at its date.

The countries table holds one pre-war cross-section (2021). What changed during the war (coups, the arrival
of Wagner or the Africa Corps, accessions to BRICS, exits from ECOWAS) lives in hand-curated tables of
``data/external/``, one per concept, every row citing its source:

================================= ==========================================================================
``coups.csv``                     what Powell & Thyne's coup list cannot give: coups after its last event, and
                                  cited corrections of its errors (Niger 2023); the list itself is read from
                                  the mirror (source ``powell-thyne``, :func:`coup_events`)
``russian_security_presence.csv`` periods with Wagner Group or Africa Corps personnel deployed in a state
``liberation_movements.csv``      periods in which a former liberation movement governed (FLMSA parties flagged)
``friendship_treaties.csv``       treaties of friendship and cooperation with the USSR and their Russian successors
``belt_and_road.csv``             what the GFDC list of Belt and Road countries cannot give: exits and joinings
                                  after its vintage (Panama, Colombia) and cited corrections (Italy's exit, states
                                  it omits); the list itself is read from the mirror (source ``gfdc-bri``,
                                  :func:`bri_periods`)
``african_communities.csv``       membership of the African regional economic communities and the AES
``unfriendly_states.csv``         Russia's list of "unfriendly" states (Government Order No. 430-r of 5 March 2022)
================================= ==========================================================================

A period is ``[valid_from, valid_to)``: the first day the fact holds and the first day it no longer does
(empty: still held at the latest source). Every table is checked where it enters (:func:`load`): each code a
UN member state (or a former one) of ``un_membership.csv``, each date a date between 1945 and 2026 and in
order, each period of one key (state, and actor, party, treaty or organisation) apart from the others, every
value of a closed list in the list, every row with a source and that source's grade (:data:`SOURCE_GRADES`;
a row graded ``other`` says in its note why nothing better was found). A bad row is an error naming the file, the line,
the column and the value, and what to do.

:func:`values_at` joins them to (state, date) pairs; :func:`vote_covariates` to every (state, vote) of the
catalogued Ukraine votes, with the memberships of :mod:`unvotes.tables.organisations` at each vote's date. The
covariates are named in :data:`COVARIATES` and documented in the data dictionary (table ``dated``); the models
take them by name (``models.fit(covariates=[..., "russian_forces"])``), row by row at each vote's date.

Coverage, as the tables' sources allow (say so wherever they are used):

* ``bri_signatory`` comes from the Green Finance & Development Center's list (December 2023: 151 states with
  their likely joining and exit dates, month precision) with the cited rows of ``belt_and_road.csv`` in place of
  the list's entry for their state. A UN member state in neither is a non-signatory (False), also after the
  list's vintage: joinings since then are in the table only as far as cited (Colombia, May 2025). A state the
  list names without a joining date (Austria, the Republic of the Congo, Niger, Russia: GFDC found no
  confirmation of a full memorandum) is unknown (<NA>) at every date; so is China itself, whose initiative it
  is. :func:`bri_findings` reports every disagreement between the list and the table.
* A deployment that no source ends is taken to continue for two years after its latest source
  (``attested_until``, :data:`ATTESTATION_CARRIES`) and is unknown after that: Wagner in Venezuela (a single
  January 2019 report) is unknown from 2021, in Belarus (attested to September 2023) from September 2025.
  A model leaves out the state-votes where a dated covariate it uses is unknown, and says how many.
* ``russia_unfriendly_list`` is the list of Government Order No. 430-r (5 March 2022) and its amendments, which
  names "the member states of the European Union" as one item: the table expands the item to the 27 member
  states. It is false for every state before 5 March 2022 (the list did not exist) and is not the shorter
  diplomatic-staff list of Order No. 1230-r (May 2021: the United States and Czechia; July 2022: five more EU
  members), a different instrument.
* The arms covariates (``ru_arms_share_4y_before`` and the like) are numbers, not flags: the major arms delivered to
  the state in the four calendar years before the vote's year, from SIPRI's all-years register (generated 13 March
  2025, deliveries to 2024; :func:`unvotes.tables.covariates.arms_before`), so a vote of 2025 sees 2021-2024 and never a
  delivery of its own year. A deal's TIV is spread equally over its delivery years (the register gives no yearly
  TIV; on 2010-2021 every member's Russian share is within 0.033 of the exact per-year register's). A vote of 2026
  would need 2025's deliveries: its values are unknown (<NA>), and a model leaves those state-votes out.
* ``russia_treaty`` and ``liberation_movement_gov`` are not complete yet (:data:`NOT_FOR_MODELS` says what is
  missing); the models refuse them with that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from unvotes import paths
from unvotes.errors import BadArgumentError, DataFileError
from unvotes.tables.external import check_codes_and_sources, read_curated

#: The dates a curated date may take (a treaty of 1948 is in range; a typo of 2062 is not).
DATE_RANGE = (pd.Timestamp("1945-01-01"), pd.Timestamp("2026-12-31"))
PRECISIONS = {"day", "month", "year"}
#: How far back a coup counts for ``coup_within_3y``.
COUP_WINDOW = pd.DateOffset(years=3)
#: An open-ended deployment (no source ends it) is taken to continue for this long after its latest source
#: (``attested_until``); after that its state is unknown (<NA>), not "present": an old report is not a presence.
ATTESTATION_CARRIES = pd.DateOffset(years=2)
COMMUNITIES = ("SADC", "ECOWAS", "EAC", "ECCAS", "IGAD", "COMESA", "UMA", "CENSAD", "AES")
#: How good a row's source is (column ``source_grade``): the grade of the weakest source on which a date of the
#: row rests. ``other`` only where nothing better was found, and the row's note says why.
SOURCE_GRADES: dict[str, str] = {
    "primary": "the fact's own document: a treaty or its official text, a government order, statement or register, "
               "a UN document, an organisation's own site or communique (or a full-text copy of one)",
    "scholarly": "a scholarly dataset or reference work (e.g. Gibler's International Military Alliances, "
                 "Powell & Thyne, the Political Handbook of the World, a peer-reviewed article)",
    "news": "established news reporting (a news agency, newspaper or broadcaster, also in a copy on another site)",
    "other": "anything else (a reference web page, a blog, a partisan outlet), used only where nothing better was "
             "found; the note says why",
}
#: Tertiary or unreliable sites a row of a dated table must not rest on (issue 22): encyclopedias and their
#: copies, state propaganda outlets, content farms. Matched case-insensitively in the source and the note.
TERTIARY_SITES = re.compile(r"wikipedia|wiki\.|zxc\.wiki|miniwiki|wikimili|fandom\.com|sputnik|infolist|"
                            r"militias-guidebook|dailymailnews|liquisearch|infoplease|explained\.today|"
                            r"perceptiopt|richxsearch|rilpedia|piglix|mbji\.cn|afrinz\.ru", re.IGNORECASE)


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[str, ...]
    key: tuple[str, ...]                   # periods (or events) of one key must not overlap (repeat)
    dates: tuple[str, ...] = ("valid_from", "valid_to")
    choices: dict = field(default_factory=dict)  # column -> allowed values


TABLES: dict[str, Table] = {
    "coups": Table("coups.csv", ("iso3", "name", "date", "date_precision", "ousted", "seized_by", "role", "replaces",
                                 "source", "source_grade", "note"),
                   key=("iso3", "date"), dates=("date", "replaces"),
                   choices={"date_precision": PRECISIONS, "role": {"after_source", "corrects_source"}}),
    "russian_security_presence": Table(
        "russian_security_presence.csv",
        ("iso3", "name", "actor", "valid_from", "valid_to", "attested_until", "date_precision", "source",
         "source_grade", "note"),
        key=("iso3", "actor"), dates=("valid_from", "valid_to", "attested_until"),
        choices={"actor": {"wagner", "africa_corps"}, "date_precision": PRECISIONS}),
    "liberation_movements": Table(
        "liberation_movements.csv",
        ("iso3", "name", "party", "valid_from", "valid_to", "date_precision", "flmsa", "source", "source_grade",
         "note"),
        key=("iso3",), choices={"flmsa": {"true", "false"}, "date_precision": PRECISIONS}),
    "friendship_treaties": Table(
        "friendship_treaties.csv",
        ("iso3", "name", "treaty", "partner", "signed", "valid_from", "valid_to", "date_precision", "source",
         "source_grade", "note"),
        key=("iso3", "treaty", "partner"), dates=("signed", "valid_from", "valid_to"),
        choices={"partner": {"USSR", "Russia"}, "date_precision": PRECISIONS}),
    "belt_and_road": Table("belt_and_road.csv", ("iso3", "name", "valid_from", "valid_to", "date_precision", "role",
                                                 "source", "source_grade", "note"),
                           key=("iso3",), choices={"date_precision": PRECISIONS,
                                                   "role": {"after_source", "corrects_source"}}),
    "african_communities": Table(
        "african_communities.csv", ("org", "iso3", "name", "valid_from", "valid_to", "date_precision", "source",
                                    "source_grade", "note"),
        key=("org", "iso3"), choices={"org": set(COMMUNITIES), "date_precision": PRECISIONS}),
    "unfriendly_states": Table("unfriendly_states.csv", ("iso3", "name", "valid_from", "valid_to", "source",
                                                         "source_grade", "note"), key=("iso3",)),
}

#: The dated covariates, by name: what each says at a date. Booleans, except where stated.
COVARIATES: dict[str, str] = {
    "russian_forces": "Wagner Group or Africa Corps personnel deployed in the state on the date",
    "coup_within_3y": "a successful coup d'etat in the state in the three years up to the date",
    "liberation_movement_gov": "a former liberation movement governs on the date",
    "flmsa_party_gov": "a party of the Former Liberation Movements of Southern Africa governs on the date",
    "soviet_treaty": "the state had signed a treaty of friendship and cooperation with the USSR (before 1992)",
    "russia_treaty": "a treaty of friendship (or basic relations) with the Russian Federation in force on the date",
    "bri_signatory": "a Belt and Road memorandum (or cooperation plan) with China in force on the date (GFDC list "
                     "and cited rows; unknown for China and for states listed without a date: see coverage)",
    "russia_unfriendly_list": "on Russia's list of states that commit 'unfriendly actions' (Government Order "
                              "No. 430-r of 5 March 2022 and amendments; EU members as the EU) on the date",
    "ru_arms_share_4y_before": "numeric: Russia's (with the Soviet Union's) share of the state's major-arms imports "
                               "delivered in the four calendar years before the date's year (SIPRI, all-years "
                               "register; empty without imports or past the register's last year, 2024)",
    "log_ru_arms_tiv_4y_before": "numeric: log(1 + SIPRI TIV from Russia) delivered in those four years",
    "cn_arms_share_4y_before": "numeric: China's share of those imports, by the same rule",
    "log_cn_arms_tiv_4y_before": "numeric: log(1 + SIPRI TIV from China) delivered in those four years",
    **{f"member_{org.lower()}_at_vote": f"member of {org} on the date" for org in COMMUNITIES},
    **{f"member_{org.lower()}_at_vote": f"member of {org} on the date (memberships module)"
       for org in ("BRICS", "ARAB_LEAGUE", "OIC", "NAM", "AU")},
}
#: Dated covariates whose coverage does not allow their use in a model (an unknown is not a "no").
NOT_FOR_MODELS = {
    "russia_treaty": "the treaties with former Soviet republics (Ukraine 1997-2019, Belarus, Kazakhstan, ...) are "
                     "not in the table yet",
    "liberation_movement_gov": "parties outside southern Africa (Eritrea's PFDJ, South Sudan's SPLM, ...) are not "
                               "coded yet; flmsa_party_gov, complete for its six parties, can be used",
}
MEMBERSHIP_ORGS = ("BRICS", "ARAB_LEAGUE", "OIC", "NAM", "AU")


# ---------------------------------------------------------------------------------------------- loading

def _fail(path, line: int, column: str, value, problem: str, fix: str):
    raise DataFileError(f"{path}, line {line}, column {column!r}: {value!r} {problem}; {fix}")


def load(name: str) -> pd.DataFrame:
    """The curated table ``name`` (a key of :data:`TABLES`), checked, with its dates parsed and its CSV line
    numbers in ``line``."""
    if name not in TABLES:
        raise BadArgumentError(f"unknown dated table {name!r}; choose one of {sorted(TABLES)}")
    spec = TABLES[name]
    path = paths.external_dir() / spec.file
    if not path.is_file():
        raise DataFileError(f"{path} is missing: it is one of the project's curated tables (restore it from git)")
    return read_curated(spec.file, list(spec.columns), derive=_checked)


def _checked(df: pd.DataFrame, file: str) -> pd.DataFrame:
    spec = next(t for t in TABLES.values() if t.file == file)
    path = paths.external_dir() / file
    check_codes_and_sources(df, spec.file)
    df.insert(0, "line", df.index + 2)
    for row in df.itertuples(index=False):
        if row.source_grade == "":
            _fail(path, row.line, "source_grade", "", "is empty", f"grade the row's source: one of {list(SOURCE_GRADES)}")
        if row.source_grade == "other" and not row.note.strip():
            _fail(path, row.line, "note", "", "is empty for a source graded 'other'",
                  "say in the note why nothing better than this source was found")
        for column, allowed in {**spec.choices, "source_grade": set(SOURCE_GRADES)}.items():
            value = getattr(row, column)
            if value not in allowed:
                _fail(path, row.line, column, value, "is not allowed", f"choose one of {sorted(allowed)}")
    for column in spec.dates:
        required = column in ("date", "valid_from")
        parsed = pd.to_datetime(df[column].replace("", None), format="%Y-%m-%d", errors="coerce")
        for i in df.index:
            value = df.at[i, column]
            if value == "" and not required:
                continue
            if pd.isna(parsed[i]):
                _fail(path, df.at[i, "line"], column, value, "is not a date", "write it as YYYY-MM-DD")
            if not DATE_RANGE[0] <= parsed[i] <= DATE_RANGE[1]:
                _fail(path, df.at[i, "line"], column, value,
                      f"is outside {DATE_RANGE[0].date()} .. {DATE_RANGE[1].date()}", "check the year")
        df[column] = parsed
    if "valid_to" in df:
        for row in df[df["valid_to"].notna() & (df["valid_to"] <= df["valid_from"])].itertuples(index=False):
            _fail(path, row.line, "valid_to", str(row.valid_to.date()), f"is not after valid_from "
                  f"{row.valid_from.date()}", "valid_to is the first day the fact no longer holds (empty: still holds)")
        _check_no_overlap(df, spec, path)
        if "attested_until" in df:
            for row in df[df["valid_to"].isna() & df["attested_until"].isna()].itertuples(index=False):
                _fail(path, row.line, "attested_until", "", "is empty for an open-ended period",
                      "give the date of the latest source that attests the fact")
            for row in df[df["attested_until"] < df["valid_from"]].itertuples(index=False):
                _fail(path, row.line, "attested_until", str(row.attested_until.date()),
                      f"is before valid_from {row.valid_from.date()}", "check the dates")
    else:
        repeated = df[df.duplicated(list(spec.key), keep=False)]
        if len(repeated):
            lines = repeated["line"].tolist()
            raise DataFileError(f"{path}, lines {lines}: the same event twice ({', '.join(spec.key)}); keep one row")
    return df


def tertiary_citations(name: str) -> list[str]:
    """The rows of table ``name`` whose source or note cites a site of :data:`TERTIARY_SITES`, as
    ``"<file>, line N: <match>"`` (empty when none does)."""
    spec = TABLES[name]
    df = read_curated(spec.file, list(spec.columns))
    hits = []
    for i, row in df.iterrows():
        for column in ("source", "note"):
            match = TERTIARY_SITES.search(row[column])
            if match:
                hits.append(f"{spec.file}, line {i + 2}, {column}: {match.group(0)!r}")
    return hits


def _check_no_overlap(df: pd.DataFrame, spec: Table, path) -> None:
    end = df["valid_to"].fillna(pd.Timestamp.max)  # open periods run on
    for _, rows in df.assign(period_end=end).sort_values("valid_from").groupby(list(spec.key)):
        previous = None
        for row in rows.itertuples(index=False):
            if previous is not None and row.valid_from < previous.period_end:
                key = ", ".join(f"{k}={getattr(row, k)}" for k in spec.key)
                raise DataFileError(f"{path}, lines {previous.line} and {row.line}: the periods of {key} overlap "
                                    f"({previous.valid_from.date()} .. {_show(previous.valid_to)} and "
                                    f"{row.valid_from.date()} .. {_show(row.valid_to)}); end the first where the "
                                    "second begins, or merge them")
            previous = row


def _show(value) -> str:
    return "open" if pd.isna(value) else str(value.date())


# ---------------------------------------------------------------------------------------------- joins at a date

def _pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    if not {"iso3", "date"} <= set(pairs.columns):
        raise BadArgumentError(f"values_at needs columns iso3 and date, got {list(pairs.columns)}")
    out = pairs[["iso3", "date"]].copy()
    out["date"] = pd.to_datetime(out["date"])
    return out.reset_index(drop=True)


def _in_force(pairs: pd.DataFrame, periods: pd.DataFrame) -> pd.Series:
    """For each (iso3, date) pair: does any of ``periods`` (iso3, valid_from, valid_to) cover the date?"""
    m = pairs.reset_index().merge(periods[["iso3", "valid_from", "valid_to"]], on="iso3")
    covered = (m["valid_from"] <= m["date"]) & (m["valid_to"].isna() | (m["date"] < m["valid_to"]))
    hit = m.loc[covered, "index"].unique()
    return pd.Series(pairs.index.isin(hit), index=pairs.index)


def _presence(pairs: pd.DataFrame, periods: pd.DataFrame) -> pd.Series:
    """True inside a period; for an open-ended one, up to :data:`ATTESTATION_CARRIES` after its latest source,
    and <NA> after that (unless another period covers the date); False otherwise."""
    open_ended = periods["valid_to"].isna()
    horizon = periods["attested_until"] + ATTESTATION_CARRIES
    known = periods.assign(valid_to=periods["valid_to"].where(~open_ended, horizon))
    stale = periods[open_ended].assign(valid_from=horizon[open_ended], valid_to=pd.NaT)
    present, unknown = _in_force(pairs, known), _in_force(pairs, stale)
    return pd.array([True if a else (pd.NA if b else False) for a, b in zip(present, unknown)], dtype="boolean")


def values_at(pairs: pd.DataFrame) -> pd.DataFrame:
    """Every dated covariate (:data:`COVARIATES`) for each (``iso3``, ``date``) row of ``pairs``, in its order.
    ``bri_signatory`` is <NA> for China and the states the GFDC list names without a date (see the module's
    coverage notes)."""
    from unvotes.tables import covariates, organisations as memberships

    p = _pairs(pairs)
    out = p.copy()
    out["russian_forces"] = _presence(p, load("russian_security_presence"))
    coups = coup_events()
    m = p.reset_index().merge(coups[["iso3", "date"]].rename(columns={"date": "coup"}), on="iso3")
    recent = (m["coup"] <= m["date"]) & (m["coup"] > m["date"] - COUP_WINDOW)
    out["coup_within_3y"] = p.index.isin(m.loc[recent, "index"].unique())
    lib = load("liberation_movements")
    out["liberation_movement_gov"] = _in_force(p, lib)
    out["flmsa_party_gov"] = _in_force(p, lib[lib["flmsa"] == "true"])
    treaties = load("friendship_treaties")
    soviet = treaties[treaties["partner"] == "USSR"]
    m = p.reset_index().merge(soviet[["iso3", "signed"]], on="iso3")
    out["soviet_treaty"] = p.index.isin(m.loc[m["signed"] <= m["date"], "index"].unique())
    out["russia_treaty"] = _in_force(p, treaties[treaties["partner"] == "Russia"])
    bri = bri_periods()
    unknown = p["iso3"].isin(bri_undated())
    out["bri_signatory"] = pd.array([pd.NA if unsure else bool(hit)
                                     for hit, unsure in zip(_in_force(p, bri), unknown)], dtype="boolean")
    out["russia_unfriendly_list"] = _in_force(p, load("unfriendly_states"))
    out = pd.concat([out, covariates.arms_before(p)], axis=1)
    communities = load("african_communities")
    for org in COMMUNITIES:
        out[f"member_{org.lower()}_at_vote"] = _in_force(p, communities[communities["org"] == org])
    spells = memberships.spells()
    spells = spells[spells["status"] == "member"].rename(columns={"start": "valid_from", "end": "valid_to"})
    spells["valid_from"] = spells["valid_from"].fillna(pd.Timestamp.min)
    for org in MEMBERSHIP_ORGS:
        out[f"member_{org.lower()}_at_vote"] = _in_force(p, spells[spells["org"] == org])
    return out[["iso3", "date", *COVARIATES]]


def vote_covariates(vote_ids=None) -> pd.DataFrame:
    """The dated covariates of every (state, vote) of ``vote_ids`` (default: every catalogued Ukraine vote in
    the data) at the vote's date: vote_id, iso3, date and one column per covariate."""
    from unvotes import api
    from unvotes.tables import catalogue

    if vote_ids is None:
        vote_ids = catalogue.load().query("available")["vote_id"].tolist()
    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(list(vote_ids))][["vote_id", "iso3"]]
    dates = api.load_roll_calls().set_index("vote_id")["date"]
    pairs = votes.assign(date=votes["vote_id"].map(dates)).reset_index(drop=True)
    values = values_at(pairs)
    return pd.concat([pairs[["vote_id"]], values], axis=1)


def coverage() -> pd.DataFrame:
    """One row per dated table: rows, states, period covered, and the table's file (for the data overview)."""
    rows = []
    for name, spec in TABLES.items():
        df = load(name)
        first = df[spec.dates[0]].min()
        last = pd.concat([df[c] for c in spec.dates]).max()
        rows.append({"table": name, "file": f"data/external/{spec.file}", "rows": len(df),
                     "states": df["iso3"].nunique(), "earliest": first.date(), "latest": last.date()})
    return pd.DataFrame(rows)


def facts() -> pd.DataFrame:
    """Every row of the dated tables as one readable list, for the state pages: iso3, what, detail, valid_from,
    valid_to (empty: still holds at the latest source), source, source_grade."""
    rows = []
    what = {"coups": "Coup d'etat", "russian_security_presence": "Russian forces", "liberation_movements":
            "Former liberation movement in government", "friendship_treaties": "Friendship treaty",
            "belt_and_road": "Belt and Road memorandum", "african_communities": "Regional community",
            "unfriendly_states": "On Russia's 'unfriendly' list"}
    actors = {"wagner": "Wagner Group", "africa_corps": "Africa Corps"}
    for name in TABLES:
        df = coup_events() if name == "coups" else bri_periods() if name == "belt_and_road" else load(name)
        for row in df.to_dict("records"):
            if name == "coups":
                detail, start, end = row["detail"], row["date"], pd.NaT
            else:
                detail = {"russian_security_presence": actors.get(row.get("actor"), ""),
                          "liberation_movements": row.get("party", ""),
                          "friendship_treaties": f"{row.get('treaty', '')} ({row.get('partner', '')})",
                          "belt_and_road": "signed", "african_communities": row.get("org", ""),
                          "unfriendly_states": "Government Order No. 430-r"}[name]
                start, end = row["valid_from"], row["valid_to"]
            rows.append({"iso3": row["iso3"], "what": what[name], "detail": detail, "valid_from": start,
                         "valid_to": end, "source": row["source"], "source_grade": row["source_grade"]})
    return pd.DataFrame(rows).sort_values(["iso3", "valid_from"], ignore_index=True)


# ---------------------------------------------------------------------------------------------- coups

#: How far apart a curated coup and one of Powell & Thyne may be dated and still be the same event.
SAME_COUP = pd.Timedelta(days=31)


def powell_thyne() -> pd.DataFrame:
    """Powell & Thyne's successful coups as published (read from the mirror; iso3, country, date, version, line)."""
    from unvotes.tables.countries import _cow_to_iso3
    from unvotes.sources.fetch import path_of
    from unvotes.sources.readers.powell_thyne import EVENTS_FILE, SOURCE, read_coups

    events = read_coups(path_of(SOURCE, EVENTS_FILE), _cow_to_iso3())
    return events[(events["outcome"] == "successful") & (events["iso3"] != "")].reset_index(drop=True)


def coup_events() -> pd.DataFrame:
    """Every successful coup the covariates use: Powell & Thyne's list, with the cited corrections of
    data/external/coups.csv in place of the events they replace, and the curated coups after its last event.
    Columns iso3, date, origin ("powell-thyne", "corrected" or "curated"), detail, source, source_grade."""
    from unvotes.sources.raw_files import registry

    pt, curated = powell_thyne(), load("coups")
    fixes = curated[curated["role"] == "corrects_source"]
    replaced = pd.MultiIndex.from_frame(fixes[["iso3", "replaces"]].rename(columns={"replaces": "date"}))
    pt = pt[~pd.MultiIndex.from_frame(pt[["iso3", "date"]]).isin(replaced)]
    citation = registry().sources["powell-thyne"].citation
    rows = pt.assign(origin="powell-thyne", detail="successful coup (Powell & Thyne, " + pt["version"] + ")",
                     source=citation + " Line " + pt["line"].astype(str) + ".", source_grade="scholarly")
    mine = curated.assign(origin=curated["role"].map({"corrects_source": "corrected", "after_source": "curated"}),
                          detail=curated["ousted"] + " ousted; power seized by " + curated["seized_by"])
    cols = ["iso3", "date", "origin", "detail", "source", "source_grade"]
    return pd.concat([rows[cols], mine[cols]], ignore_index=True).sort_values(["date", "iso3"], ignore_index=True)


def coup_findings() -> list[dict]:
    """Every disagreement between data/external/coups.csv and Powell & Thyne's list, as quality findings: each
    correction of an upstream error (warning); a correction whose event is not in the list, or a curated coup
    dated within the list's period (error: the list covers it, so the two disagree unless the row is a
    correction). A curated coup after the list's last event is what the list cannot give (info, one summary)."""
    from unvotes.quality import finding

    pt, curated = powell_thyne(), load("coups")
    last = pt["date"].max()
    version = pt["version"].iloc[-1]
    out = []
    where = f"data/external/{TABLES['coups'].file}"
    for r in curated.itertuples(index=False):
        ref = f"{where}:{r.line}"
        if r.role == "corrects_source":
            hit = pt[(pt["iso3"] == r.iso3) & (pt["date"] == r.replaces)]
            if hit.empty:
                out.append(finding("powell-thyne", "coup_disagreement", f"{r.iso3}: the correction of {ref} replaces "
                                   f"a coup of {r.replaces:%Y-%m-%d} that Powell & Thyne ({version}) do not list; check "
                                   "'replaces'", source_ref=ref, severity="error"))
                continue
            out.append(finding("powell-thyne", "upstream_defect", f"{r.iso3} ({r.name}): Powell & Thyne ({version}, "
                               f"line {hit['line'].iloc[0]}) date the coup {r.replaces:%Y-%m-%d}; it was {r.date:%Y-%m-%d} "
                               f"({r.source[:160]}...). Corrected by {ref}", source_ref=ref,
                               published=f"{r.replaces:%Y-%m-%d}", listed=f"{r.date:%Y-%m-%d}"))
        elif r.date <= last:
            near = pt[(pt["iso3"] == r.iso3) & ((pt["date"] - r.date).abs() <= SAME_COUP)]
            said = (f"Powell & Thyne date it {near['date'].iloc[0]:%Y-%m-%d} (line {near['line'].iloc[0]})" if len(near)
                    else "Powell & Thyne list no successful coup within a month of it")
            out.append(finding("powell-thyne", "coup_disagreement", f"{r.iso3}: {ref} codes a coup on {r.date:%Y-%m-%d}, "
                               f"within the list's period (to {last:%Y-%m-%d}); {said}. Keep a curated row only after the "
                               "list's last event, or as a cited correction (role corrects_source)", source_ref=ref,
                               severity="error"))
    after = curated[(curated["role"] == "after_source") & (curated["date"] > last)]
    out.append(finding("powell-thyne", "coup_source", f"coups from Powell & Thyne's event list ({version}, "
                       f"{len(pt)} successful coups to {last:%Y-%m-%d}) and {len(after)} cited coup(s) after it in "
                       f"{where} ({', '.join(f'{r.iso3} {r.date:%Y-%m-%d}' for r in after.itertuples())})",
                       severity="info", listed=str(len(pt) + len(after))))
    return out


# ---------------------------------------------------------------------------------------------- Belt and Road

#: The GFDC list includes China itself; the initiative is China's, so "signatory" does not apply to it (<NA>).
BRI_INITIATOR = "CHN"


def bri_list() -> pd.DataFrame:
    """The GFDC list of Belt and Road countries as published (read from the mirror): iso3, country, joined,
    exited (NaT where blank), row (Excel row)."""
    from unvotes.sources.fetch import path_of
    from unvotes.sources.readers.gfdc_bri import FILE, SOURCE

    path = path_of(SOURCE, FILE)
    return _read_bri(str(path), path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=2)
def _read_bri(path: str, _mtime: int) -> pd.DataFrame:  # a workbook is slow to parse; every join reads the list
    from unvotes.sources.readers.gfdc_bri import read_bri

    return read_bri(path)


def bri_periods() -> pd.DataFrame:
    """The periods in which a Belt and Road memorandum was in force, one row per (state, period): the GFDC list's
    dated UN member states (China and non-members such as the Cook Islands and Niue left out), with the cited rows
    of data/external/belt_and_road.csv in place of the list's entry for their state. Columns iso3, valid_from,
    valid_to (NaT: still in force at the latest source), origin ("gfdc" or "curated"), source, source_grade."""
    from unvotes.tables import membership
    from unvotes.sources.raw_files import registry

    listed, curated = bri_list(), load("belt_and_road")
    members = membership.known_codes()
    listed = listed[listed["joined"].notna() & listed["iso3"].isin(members) & (listed["iso3"] != BRI_INITIATOR)
                    & ~listed["iso3"].isin(curated["iso3"])]
    citation = registry().sources["gfdc-bri"].citation
    from_list = pd.DataFrame({"iso3": listed["iso3"], "valid_from": listed["joined"], "valid_to": listed["exited"],
                              "origin": "gfdc", "source": citation + " Sheet 'BRI countries', row "
                              + listed["row"].astype(str) + " (likely date of joining).", "source_grade": "scholarly"})
    mine = curated.assign(origin="curated")[list(from_list.columns)]
    return pd.concat([from_list, mine], ignore_index=True).sort_values(["valid_from", "iso3"], ignore_index=True)


def bri_undated() -> set[str]:
    """The states whose Belt and Road status is unknown at every date: China (the initiator) and the states the
    GFDC list names without a joining date, unless a cited row of belt_and_road.csv dates them."""
    listed, curated = bri_list(), load("belt_and_road")
    blank = set(listed.loc[listed["joined"].isna(), "iso3"]) - set(curated["iso3"])
    return blank | {BRI_INITIATOR}


def bri_findings() -> list[dict]:
    """The GFDC list against data/external/belt_and_road.csv, as quality findings: every cited correction of the
    list (a different joining or exit date, a state the list omits: warning); a row marked after the list's
    vintage whose dates all fall within it, or whose start differs from the list's (error: the two disagree
    unless the row is a correction); and one summary (info) of what the list gives and what is unknown."""
    from unvotes.tables import membership
    from unvotes.quality import finding
    from unvotes.sources.readers.gfdc_bri import VINTAGE

    listed, curated = bri_list(), load("belt_and_road")
    by_iso = listed.set_index("iso3")
    where = f"data/external/{TABLES['belt_and_road'].file}"
    show = lambda d: "none" if pd.isna(d) else f"{d:%Y-%m-%d}"  # noqa: E731
    out = []
    for r in curated.itertuples(index=False):
        ref = f"{where}:{r.line}"
        entry = by_iso.loc[r.iso3] if r.iso3 in by_iso.index else None
        in_list = (f"the list (row {entry['row']}) gives joining {show(entry['joined'])}, exit {show(entry['exited'])}"
                   if entry is not None else "the list does not name it")
        if r.role == "corrects_source":
            out.append(finding("gfdc-bri", "bri_disagreement", f"{r.iso3} ({r.name}): {in_list}; {ref} has "
                               f"{show(r.valid_from)} .. {show(r.valid_to)} ({r.source[:160]}...)", source_ref=ref,
                               published=(f"{show(entry['joined'])}..{show(entry['exited'])}" if entry is not None
                                          else "not listed"),
                               listed=f"{show(r.valid_from)}..{show(r.valid_to)}"))
            continue
        after = [d for d in (r.valid_from, r.valid_to) if pd.notna(d) and d > VINTAGE]
        same_start = entry is None or entry["joined"] == r.valid_from or r.valid_from > VINTAGE
        if not after or not same_start:
            why = ("its start differs from the list's" if after else
                   f"none of its dates is after the list's vintage ({show(VINTAGE)})")
            out.append(finding("gfdc-bri", "bri_disagreement", f"{r.iso3}: {ref} is marked after_source but {why} "
                               f"({in_list}); make it a cited correction (role corrects_source) or use the list's "
                               "dates", source_ref=ref, severity="error"))
    members = membership.known_codes()
    dated = listed[listed["joined"].notna()]
    blank = sorted(set(listed.loc[listed["joined"].isna(), "iso3"]) - set(curated["iso3"]))
    outside = sorted(set(listed["iso3"]) - set(members))
    out.append(finding("gfdc-bri", "bri_source", f"Belt and Road from the GFDC list ({len(listed)} rows, {len(dated)} "
                       f"with a joining date; December 2023) and {len(curated)} cited row(s) of {where} "
                       f"({', '.join(f'{r.iso3} {r.role}' for r in curated.itertuples())}). Unknown at every date: "
                       f"{BRI_INITIATOR} (the initiator) and {', '.join(blank)} (no joining date in the list). Not UN "
                       f"members, left out: {', '.join(outside) or 'none'}", severity="info",
                       listed=str(len(bri_periods()))))
    return out
