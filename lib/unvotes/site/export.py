"""An analysis-ready table for R, Stata or any other tool: the votes of chosen roll calls merged with the
roll calls' details and the states' covariates, with a codebook, as parquet, CSV and Stata (.dta, with variable
labels).

    >>> unvotes.export("out/", vote_ids=unvotes.find("Gaza", body="GA"), covariates=["un_group", "fh_total"])

One row per (state, vote): the vote (yes/no/abstain/absent, and why a state was absent where known), the roll
call (date, body, session, title; the Ukraine catalogue's label and theme when the vote is in it, else the title
and the session), the state (ISO3, name) and each covariate: a column of ``countries.parquet`` (one value per
state) or a dated covariate of :mod:`unvotes.tables.dated` (its value on the vote's date). The codebook gives each
column's meaning, unit, source and citation from the one data dictionary (``data/external/data_dictionary.csv``).

The tables built from the mirror include the Quality of Government (QoG) columns (Freedom House, V-Dem, World
Bank) that the site's downloads leave out for licensing reasons; a table exported here is for the exporter's own
use under the QoG terms, and its codebook names the source of every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from unvotes import api, paths
from unvotes.tables import catalogue, dictionary, labels
from unvotes.errors import UnvotesError

#: The formats :func:`export` writes, each to ``unvotes_export.<ext>``.
FORMATS = {"parquet": "parquet", "csv": "csv", "dta": "dta"}
#: Columns of the export that are not columns of a processed table: their codebook entries.
OWN_COLUMNS = {
    "label": ("Short label of the vote: the Ukraine catalogue's (data/external/ukraine_votes.csv) when the vote is "
              "in it, else the recorded title", "text", "data/external/ukraine_votes.csv; roll_calls.title"),
    "theme": ("Kind of text: the Ukraine catalogue's theme when the vote is in it, else the body and session "
              "(\"General Assembly, session ES-10\")", "text", "data/external/ukraine_votes.csv; roll_calls"),
    "catalogued": ("The vote is in the catalogue of votes on Russia's war against Ukraine "
                   "(data/external/ukraine_votes.csv)", "true/false", "data/external/ukraine_votes.csv"),
    "name": ("The state's name (countries table)", "text", "countries"),
}
#: Stata limits: variable names, variable labels.
STATA_NAME, STATA_LABEL = 32, 80


def table(vote_ids=None, covariates: Sequence[str] | None = None) -> pd.DataFrame:
    """The merged long table :func:`export` writes (see the module docstring). ``vote_ids``: ids, a list, a
    table from :func:`unvotes.find` or a keyword of :data:`unvotes.models.model_data.VOTE_SETS` (complete roll calls
    only; default: every complete roll call of the Ukraine catalogue). ``covariates``: columns of the countries
    table and dated covariates (default: every column of the countries table)."""
    from unvotes.tables import dated
    from unvotes.models import model_data

    if vote_ids is None:
        cat = catalogue.load()
        ids = cat.loc[cat["complete"], "vote_id"].tolist()
    else:
        ids = model_data.resolve_votes(vote_ids)
    countries = api.load_countries()
    if covariates is None:
        covariates = [c for c in countries.columns if c not in model_data.NOT_COVARIATES]
    covariates = list(covariates)
    unknown = [c for c in covariates if c not in countries.columns and c not in dated.COVARIATES]
    if unknown:
        raise UnvotesError(f"unknown covariate(s) {unknown}: neither columns of countries.parquet nor dated covariates. "
                           f"Choose from: {', '.join(model_data.covariate_choices(countries))}")
    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(ids)]
    out = pd.DataFrame({"vote_id": votes["vote_id"].astype(str).to_numpy(), "iso3": votes["iso3"].astype(str).to_numpy(),
                        "vote": votes["vote"].astype(str).to_numpy(),
                        "absent_reason": votes["absent_reason"].astype("string").fillna("").to_numpy()})
    info = catalogue.vote_info(ids)[["vote_id", "date", "body", "session", "label", "theme", "catalogued"]]
    rc = api.load_roll_calls().set_index("vote_id")["title"]
    out = out.merge(info.assign(title=info["vote_id"].map(rc)), on="vote_id", how="left")
    by_state = [c for c in covariates if c in countries.columns]
    out = out.merge(countries[["iso3", "name", *by_state]], on="iso3", how="left")
    at_vote = [c for c in covariates if c not in countries.columns]
    if at_vote:
        values = dated.vote_covariates(ids)[["vote_id", "iso3", *at_vote]].astype({"iso3": str, "vote_id": str})
        out = out.merge(values, on=["vote_id", "iso3"], how="left")
    order = {v: i for i, v in enumerate(ids)}
    out = out.sort_values(["vote_id", "iso3"], key=lambda c: c.map(order) if c.name == "vote_id" else c)
    head = ["vote_id", "date", "body", "session", "title", "label", "theme", "catalogued", "iso3", "name", "vote",
            "absent_reason"]
    return out[head + by_state + at_vote].reset_index(drop=True)


def codebook(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column of ``frame``: ``column``, ``label`` (the short label in tables and the .dta file),
    ``meaning``, ``unit``, ``source`` and ``citation``, from the data dictionary (the first table documenting
    the column: votes, roll_calls, countries, dated)."""
    docs = dictionary.load()
    rows = []
    for col in frame.columns:
        if col in OWN_COLUMNS:
            meaning, unit, source = OWN_COLUMNS[col]
            rows.append({"column": col, "meaning": meaning, "unit": unit, "source": source, "citation": ""})
            continue
        found = docs[docs["column"] == col]
        found = found.sort_values("table", key=lambda t: t.map({"votes": 0, "roll_calls": 1, "countries": 2, "dated": 3})
                                  .fillna(9))
        if found.empty:
            raise UnvotesError(f"column {col!r} is not documented in data/external/{dictionary.DICTIONARY_FILE}; "
                               "document it there")
        r = found.iloc[0]
        rows.append({"column": col, "meaning": r["meaning"], "unit": r["unit"], "source": r["source"],
                     "citation": r["citation"]})
    out = pd.DataFrame(rows)
    out.insert(1, "label", [labels.label(c) for c in out["column"]])
    return out


def export(path, vote_ids=None, covariates: Sequence[str] | None = None,
           formats: Sequence[str] = ("parquet", "csv", "dta")) -> dict[str, Path]:
    """Write the merged table (:func:`table`) into the folder ``path`` as ``unvotes_export.parquet``, ``.csv``
    and ``.dta`` (Stata 118, each variable labelled from the codebook), with ``codebook.csv`` and ``codebook.md``;
    returns format -> file written. Each file is written to a temporary name and renamed, so an interrupted
    export never leaves half a file."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UnvotesError(f"unknown format(s) {bad}; choose from {', '.join(FORMATS)}")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    frame = table(vote_ids, covariates)
    book = codebook(frame)
    written = {}
    for fmt in formats:
        target = folder / f"unvotes_export.{FORMATS[fmt]}"
        _atomic(target, lambda tmp, fmt=fmt: _write(frame, book, tmp, fmt))
        written[fmt] = target
    _atomic(folder / "codebook.csv", lambda tmp: book.to_csv(tmp, index=False))
    _atomic(folder / "codebook.md", lambda tmp: Path(tmp).write_text(_markdown(book, frame), encoding="utf-8"))
    written["codebook"] = folder / "codebook.csv"
    written["codebook_md"] = folder / "codebook.md"
    return written


def _write(frame: pd.DataFrame, book: pd.DataFrame, tmp: str, fmt: str) -> None:
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    elif fmt == "csv":
        frame.to_csv(tmp, index=False, date_format="%Y-%m-%d")
    else:
        stata = frame.copy()
        for col in stata.columns:
            s = stata[col]
            if pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
                stata[col] = s.astype("Int8").astype(float)  # Stata has no boolean; missing stays missing
            elif isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or str(s.dtype) == "string":
                stata[col] = s.astype("string").fillna("").astype(object)
        too_long = [c for c in stata.columns if len(c) > STATA_NAME]
        if too_long:
            raise UnvotesError(f"column names longer than Stata's {STATA_NAME} characters: {too_long}")
        variable_labels = {c: lab[:STATA_LABEL] for c, lab in zip(book["column"], book["label"])}
        stata.to_stata(tmp, write_index=False, version=118, variable_labels=variable_labels,
                       convert_dates={"date": "td"})


def _markdown(book: pd.DataFrame, frame: pd.DataFrame) -> str:
    lines = ["# Codebook of unvotes_export", "",
             f"{len(frame):,} rows (one per state and vote), {frame['vote_id'].nunique()} votes, "
             f"{frame['iso3'].nunique()} states. Written by `unvotes.export` (version {_version()}).", "",
             "| column | label | meaning | unit | source |", "|---|---|---|---|---|"]
    cell = lambda x: str(x).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines += [f"| {cell(r.column)} | {cell(r.label)} | {cell(r.meaning)} | {cell(r.unit)} | {cell(r.source)} |"
              for r in book.itertuples()]
    return "\n".join(lines) + "\n"


def _version() -> str:
    from unvotes import __version__

    return __version__


def _atomic(target: Path, write) -> None:
    """``write(path)`` writes the file; the export is replaced whole or not at all (:func:`unvotes.paths.atomic_paths`)."""
    with paths.atomic_paths(target) as (tmp,):
        write(str(tmp))
