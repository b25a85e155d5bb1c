"""The data page: each processed table to download (CSV and parquet), a Frictionless data package (described
by the schemas and the data dictionary), and for each table its sources and licences.

What the licences allow decides what is published (``sources.toml`` gives each source's terms):

- rows from the UN Digital Library's own files (``undl-*``: non-commercial use with attribution) are left
  out of the downloads, so that everything published here can be reused on the same terms as the rest; the
  page says how many rows that leaves out (none, unless ``add-vote`` or the official bulk files were used);
- the countries table's columns taken from the QoG data set (Freedom House, V-Dem, World Bank ...) are left
  out: QoG passes each variable on under its original source's terms, which this project has not checked
  for redistribution; they are one download away at QoG, and the page names them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from unvotes import api
from unvotes.tables import dictionary, labels, schemas
from unvotes.sources import raw_files as sources
from unvotes.site import markup
from unvotes.site.markup import esc

DESCRIPTIONS = {
    "roll_calls": "One row per recorded vote (General Assembly and Security Council): symbol, date, title, "
                  "published totals, whether every member's vote is known, and the source.",
    "votes": "One row per member state and recorded vote: yes, no, abstain or absent (absent: a member on the "
             "date that cast no vote), and why where known (no vote right under Article 19).",
    "roll_call_issues": "Topics of each roll call as assigned by researchers (unvotes), the UN (DGACM) or a "
                        "machine classifier (the 2025 extract).",
    "countries": "One row per state that has been a UN member: groups, memberships, pre-war covariates "
                 "(SIPRI arms imports, Voeten's and the project's alignment measures).",
    "quality_findings": "Every data-quality finding of the build: disagreements between sources, published "
                        "totals that differ from the votes, states missing from a roll call.",
}
NON_COMMERCIAL = ("undl-ga", "undl-sc", "undl-records", "undl-docs")
#: Sources whose rows or columns are published, with the project's own computations and curated tables.
PROJECT = ("the unvotes project: computed or hand-curated (each curated row cites its source; the colophon says "
           "where the curated tables are); MIT licence, as the repository")


def _licence_of(source_id: str) -> str:
    registry = sources.registry().sources
    return registry[source_id].licence if source_id in registry else PROJECT


def published_tables() -> dict[str, tuple[pd.DataFrame, list[str], list[str]]]:
    """Each processed table as it may be published: name -> (frame, sources it draws on, what is left out)."""
    rc = api.load_roll_calls()
    kept_rc = rc[~rc["source"].isin(NON_COMMERCIAL)]
    dropped = len(rc) - len(kept_rc)
    undl_note = ([f"{dropped} roll calls from the UN Digital Library's files (non-commercial terms) and their votes"]
                 if dropped else [])
    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(kept_rc["vote_id"])]
    issues = api.load_roll_call_issues()
    issues = issues[issues["vote_id"].isin(kept_rc["vote_id"])]
    countries = api.load_countries()
    d = dictionary.load().query("table == 'countries'").set_index("column")["source"]
    qog = [c for c in countries.columns if str(d.get(c, "")).startswith("qog")]
    return {
        "roll_calls": (kept_rc, sorted(set(kept_rc["source"])), undl_note),
        "votes": (votes, sorted(set(kept_rc["source"])), undl_note),
        "roll_call_issues": (issues, sorted(set(issues["source"])), []),
        "countries": (countries.drop(columns=qog),
                      ["countrygroups", "internacia-db", "icow-colhist", "sipri", "voeten-idealpoints", "curated"],
                      [f"the columns from the QoG data set ({', '.join(qog)}): QoG passes each on under its original "
                       "source's terms (Freedom House, V-Dem, World Bank), not checked here for redistribution as a "
                       "table. The state pages quote a state's values with their source; to reproduce the models, the "
                       "project's build fetches QoG's file (a pinned release; see the colophon) and rebuilds this "
                       "table with them"]),
        "quality_findings": (api.load_findings(), ["curated"], []),
    }


FIELD_TYPES = {"datetime64[ns]": "date", "bool": "boolean", "Int64": "integer", "int64": "integer",
               "float64": "number", "boolean": "boolean"}


def _field(column: str, dtype, meaning: pd.Series, units: pd.Series) -> dict:
    kind = FIELD_TYPES.get(str(dtype), "string")
    field = {"name": column, "type": kind}
    if column in meaning.index:
        field["description"] = str(meaning[column])
        if units.get(column):
            field["unit"] = str(units[column])
    if isinstance(dtype, pd.CategoricalDtype) and column in ("vote", "absent_reason"):
        field["constraints"] = {"enum": [str(c) for c in dtype.categories]}
    return field


def write(out_dir: Path) -> list[str]:
    """Write the tables into ``out_dir/files/`` (copied verbatim into the site), ``datapackage.json`` beside
    them, and ``index.md``."""
    files = out_dir / "files"
    files.mkdir(parents=True, exist_ok=True)
    docs = dictionary.load()
    registry = sources.registry().sources
    resources, rows = [], []
    for name, (frame, used, left_out) in published_tables().items():
        schema_columns = list(schemas.SCHEMAS[name].columns) if name in schemas.SCHEMAS else list(frame.columns)
        frame = frame[[c for c in schema_columns if c in frame.columns]]
        csv = f"{name}.csv.gz" if len(frame) > 100_000 else f"{name}.csv"
        frame.to_csv(files / csv, index=False, date_format="%Y-%m-%d")
        frame.to_parquet(files / f"{name}.parquet", index=False)
        mine = docs[docs["table"] == name].set_index("column")
        licences = [{"name": s, "title": _licence_of(s)} for s in used]
        resources.append({
            "name": name, "path": csv, "format": "csv", "mediatype": "text/csv",
            **({"compression": "gz"} if csv.endswith(".gz") else {}),
            "description": DESCRIPTIONS[name],
            "schema": {"fields": [_field(c, frame[c].dtype, mine["meaning"], mine["unit"]) for c in frame.columns]},
            "sources": [{"title": registry[s].citation if s in registry else PROJECT} for s in used],
            "licenses": licences,
        })
        rows.append({"name": name, "rows": len(frame), "csv": csv, "left_out": left_out, "used": used,
                     "csv_bytes": (files / csv).stat().st_size, "parquet_bytes": (files / f"{name}.parquet").stat().st_size})
    newsroom = ukraine_files(files)
    resources[:0] = [{"name": name.removesuffix(".csv").replace("_", "-"), "path": name, "format": "csv",
                      "mediatype": "text/csv", "description": NEWSROOM_FILES[name],
                      "schema": {"fields": [{"name": c, "type": FIELD_TYPES.get(str(t), "string"),
                                             "description": meaning(c)} for c, t in frame.dtypes.items()]}}
                     for name, frame in newsroom.items()]
    package = {"name": "unvotes-ukraine", "title": "UN votes on Russia's war against Ukraine: processed tables",
               "description": "Tidy roll calls of the UN General Assembly and Security Council with the covariates "
                              "of the member states, as built by the unvotes project.",
               "resources": resources}
    (files / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    citation = _citation(files)
    used = sorted({s for r in rows for s in r["used"]})
    (out_dir / "index.md").write_text(_page(rows, registry, newsroom, citation, used), encoding="utf-8")
    return ["index"]


# ---------------------------------------------------------------- the Ukraine votes, ready for a newsroom

NEWSROOM_FILES = {
    "ukraine_votes.csv": "Every member state's vote on every catalogued Ukraine vote (General Assembly and Security "
                         "Council, 2014 to the latest vote in the data): one row per state and vote, with the state's "
                         "name and UN group, the vote's symbol, short label and date.",
    "ukraine_votes_wide.csv": "The same votes as one row per UN member state today and one column per vote (its "
                              "symbol), oldest vote first; empty where the state was not a member (for a Council "
                              "vote: not on the Council) or its vote is not recorded.",
    "ukraine_catalogue.csv": "The catalogued Ukraine votes: symbol, label, theme, date, body, outcome, published "
                             "totals, whether every member's vote is known, the comparable earlier vote, the "
                             "citation, and the link to the official text.",
}
CODEBOOK = {
    "vote_id": "The vote's UN symbol: the resolution (A/RES/ES-11/4, S/RES/2774) or, for a failed Council draft, "
               "the draft (S/2022/155).",
    "label": "A short description of the text, written by the project.",
    "theme": "The group of comparable texts the vote belongs to.",
    "date": "Date of the vote (YYYY-MM-DD).",
    "body": "GA: General Assembly; SC: Security Council.",
    "iso3": "The state's ISO 3166-1 alpha-3 code.",
    "state": "The state's name.",
    "un_group": "The state's UN regional group (Türkiye in the Western European and Others Group).",
    "vote": "yes, no, abstain, or absent (a member on the date that cast no vote); 'unknown' on a partial roll "
            "call, for a state the sources do not name.",
    "absence": "For an absence on a complete General Assembly vote: 'no vote right' (Article 19 arrears), 'present, "
               "not voting' (it voted on another recorded vote that day), 'absent all day', or 'not observable'; "
               "empty otherwise.",
    "complete_roll_call": "true when every member's vote is known; false for a partial roll call (from the press), "
                          "whose rows must not be read as shares of all members.",
    "outcome": "adopted, or why a Council draft failed (veto, too few votes).",
    "yes": "Published number of yes votes.", "no": "Published number of no votes.",
    "abstain": "Published number of abstentions.",
    "compare_with": "The comparable earlier vote the vote's page sets it against.",
    "source": "The project's citation for the vote and its roll call.",
    "official_text": "The official text at undocs.org (the UN's document links).",
}


def meaning(column: str) -> str:
    """What a newsroom file's column means; a column named by a vote's symbol (the wide file) holds the votes."""
    return CODEBOOK.get(column, "How each state voted on this vote: as the column 'vote' of ukraine_votes.csv.")


def ukraine_tables() -> dict[str, pd.DataFrame]:
    """The newsroom tables (:data:`NEWSROOM_FILES`) over the catalogued votes whose roll calls may be published
    (the same licence rule as the full tables)."""
    from unvotes.analyses import absence
    from unvotes.site.vote_pages import catalogued

    published_rc = published_tables()["roll_calls"][0]
    cat = catalogued()
    cat = cat[cat["vote_id"].isin(published_rc["vote_id"])]
    body = published_rc.set_index("vote_id")["body"].astype(str)
    cat = cat.assign(body=cat["vote_id"].map(body))
    countries = api.load_countries().set_index("iso3")
    votes = api.load_votes()
    votes = votes[votes["vote_id"].isin(cat["vote_id"])].astype({"vote_id": str, "iso3": str, "vote": str})
    presence = absence.same_day_presence(cat.loc[(cat["body"] == "GA") & cat["complete"], "vote_id"].tolist())
    reason = presence.set_index(["vote_id", "iso3"])["reason"]
    long = votes.merge(cat[["vote_id", "label", "theme", "date", "body", "complete"]], on="vote_id")
    long = long.assign(state=long["iso3"].map(countries["name"]), un_group=long["iso3"].map(countries["un_group"]),
                       absence=[reason.get((v, i), "") for v, i in zip(long["vote_id"], long["iso3"])])
    order = {v: i for i, v in enumerate(cat["vote_id"])}
    long = (long.rename(columns={"complete": "complete_roll_call"})
            .sort_values(["vote_id", "state"], key=lambda c: c.map(order) if c.name == "vote_id" else c)
            [["vote_id", "label", "theme", "date", "body", "iso3", "state", "un_group", "vote", "absence",
              "complete_roll_call"]].reset_index(drop=True))
    members = countries[countries["un_member_to"].isna()].sort_values("name")
    wide = long.pivot(index="iso3", columns="vote_id", values="vote").reindex(index=members.index,
                                                                            columns=cat["vote_id"])
    wide.columns.name = None
    wide.insert(0, "un_group", members["un_group"].astype(str))
    wide.insert(0, "state", members["name"])
    wide = wide.rename_axis("iso3").reset_index()[["state", "iso3", "un_group", *cat["vote_id"]]]
    catalogue_ = cat.assign(official_text="https://undocs.org/" + cat["vote_id"])[
        ["vote_id", "label", "theme", "date", "body", "outcome", "yes", "no", "abstain", "complete", "compare_with",
         "source", "official_text"]].rename(columns={"complete": "complete_roll_call"})
    return {"ukraine_votes.csv": long, "ukraine_votes_wide.csv": wide, "ukraine_catalogue.csv": catalogue_}


def ukraine_files(files: Path) -> dict[str, pd.DataFrame]:
    """Write the newsroom tables and their codebook (``README_ukraine_votes.txt``) into ``files``."""
    tables = ukraine_tables()
    for name, frame in tables.items():
        frame.to_csv(files / name, index=False, date_format="%Y-%m-%d")
    (files / CODEBOOK_FILE).write_text(codebook(tables), encoding="utf-8")
    return tables


CODEBOOK_FILE = "README_ukraine_votes.txt"


def codebook(tables: dict[str, pd.DataFrame]) -> str:
    """The plain-text README of the newsroom files: what each file holds and what each column means."""
    lines = ["UN votes on Russia's war against Ukraine: the files for newsrooms", "",
             "Built by the unvotes project from the roll calls of the UN General Assembly and Security Council.",
             f"Data current to {data_current_to()}.", ""]
    for name, frame in tables.items():
        lines += [name, "-" * len(name), NEWSROOM_FILES[name], f"{len(frame)} rows.", "Columns:"]
        for column in frame.columns:
            lines.append(f"  {column}: {meaning(column)}")
        lines.append("")
    lines += ["Cite the project (CITATION.cff, beside this file) and the sources of the votes (the Data page).", ""]
    return "\n".join(lines)


def data_current_to() -> str:
    """The date of the latest vote in the data, per body: "4 June 2026 (General Assembly), 29 December 2025
    (Security Council)"."""
    rc = api.load_roll_calls()
    latest = rc.groupby(rc["body"].astype(str))["date"].max()
    names = {"GA": "General Assembly", "SC": "Security Council"}
    return ", ".join(f"{d.day} {d:%B %Y} ({names.get(b, b)})" for b, d in latest.sort_values(ascending=False).items())


def _citation(files: Path) -> dict[str, str]:
    """The project's citation, from CITATION.cff (copied beside the files, so the citation points at the site):
    APA-style text and BibTeX (:func:`citation_text`)."""
    import yaml

    from unvotes import paths

    cff_path = paths.PROJECT_ROOT / "CITATION.cff"
    cff = yaml.safe_load(cff_path.read_text(encoding="utf-8"))
    (files / "CITATION.cff").write_text(cff_path.read_text(encoding="utf-8"), encoding="utf-8")
    return citation_text(cff, data_current_to())


def citation_text(cff: dict, current: str, year: int | None = None) -> dict[str, str]:
    """APA-style text (``apa``) and BibTeX (``bibtex``) of a CITATION.cff's content, with the data's date, and the
    project's web address from its ``repository-code`` or ``url`` field (or a DOI from ``doi``); when the file gives
    none, ``gap`` says so (the citation is never given an address the file does not state)."""
    authors = " & ".join(a.get("name") or f"{a['family-names']}, {a.get('given-names', '')}".strip(", ")
                         for a in cff["authors"])
    year = year or pd.Timestamp.now(tz="UTC").year
    url = cff.get("repository-code") or cff.get("url") or (f"https://doi.org/{cff['doi']}" if cff.get("doi") else "")
    apa = (f"{authors} ({year}). {cff['title']} (Version {cff['version']}) [Data set and software]. "
           f"Data current to {current}." + (f" {url}" if url else ""))
    bibtex = ("@misc{unvotes_ukraine,\n"
              f"  author = {{{{{authors}}}}},\n  title = {{{cff['title']}}},\n  year = {{{year}}},\n"
              f"  version = {{{cff['version']}}},\n" + (f"  url = {{{url}}},\n" if url else "")
              + f"  note = {{Data current to {current}}}\n}}")
    gap = "" if url else ("The project's citation file gives no web address (no repository address or DOI has been "
                          "published for it yet), so these citations carry none: cite the version and the date the "
                          "data are current to, and add the address once the project publishes one.")
    return {"apa": apa, "bibtex": bibtex, "url": url, "gap": gap}


def _page(rows: list[dict], registry: dict, newsroom: dict[str, pd.DataFrame], citation: dict[str, str],
          used: list[str]) -> str:
    table = pd.DataFrame([{
        "table": esc(r["name"]),
        "rows": r["rows"],
        "files": (f'<a href="files/{r["csv"]}">CSV{" (gzip)" if r["csv"].endswith(".gz") else ""}</a> '
                  f'({r["csv_bytes"] / 1e6:.1f} MB) · '
                  f'<a href="files/{r["name"]}.parquet">parquet</a> ({r["parquet_bytes"] / 1e6:.1f} MB)'),
        "what": esc(DESCRIPTIONS[r["name"]]),
        "sources and licences": "; ".join(esc(f"{s}: {_licence_of(s)}") for s in r["used"]),
        "left out": esc("; ".join(r["left_out"])) or "nothing",
    } for r in rows])
    quick = pd.DataFrame([{"file": f'<a href="files/{name}">{esc(name)}</a>', "rows": len(frame),
                           "what": esc(NEWSROOM_FILES[name])} for name, frame in newsroom.items()])
    # only the sources that supplied rows to a published table are cited (the registry also lists sources
    # that are read but contributed nothing, such as the UN Digital Library's files)
    cited = "\n".join(f"- **{esc(s.id)}**: {esc(s.citation)} Licence: {esc(s.licence)}."
                      for s in registry.values() if s.id in used)
    cited += "".join(f"\n- **{esc(s)}**: {esc(PROJECT)}." for s in used if s not in registry)  # curated, derived
    return ("# The data: download, licences, citation\n\n"
            + markup.raw_html(f'<p class="data-current">Data current to {esc(data_current_to())} (the latest vote in '
                              "the data for each body).</p>")
            + "\n## The Ukraine votes, ready to use\n\n"
            "Every member state's vote on every vote on Russia's war against Ukraine listed on this site, with the state's "
            "name and UN group, and the list of the votes with their totals and a link to each official text. "
            f'What each column means: <a href="files/{CODEBOOK_FILE}">the codebook</a>.\n\n'
            + markup.raw_html(markup.scrolling(labels.table_html(quick, escape=False, kinds={"rows": "count"})))
            + "\n## Every table behind the report\n\n"
            "Every table the report is computed from, as CSV and parquet, with a "
            "<a href=\"files/datapackage.json\">Frictionless data package</a> that describes each column (its meaning and unit "
            "from the project's data dictionary, its type from the schemas the build validates). The votes table "
            "holds every recorded General Assembly vote since 1946, not only the votes on Ukraine. Only what the "
            "sources' licences allow is published; the last column says what is left out and why.\n\n"
            + markup.raw_html(markup.scrolling(labels.table_html(table, escape=False, kinds={"rows": "count"})))
            + "\n## How to cite\n\nCite the project and the sources of the tables you use. The project "
            '(<a href="files/CITATION.cff">CITATION.cff</a>):\n\n'
            + markup.raw_html(f'<pre class="citation">{esc(citation["apa"])}</pre>')
            + "\nBibTeX:\n\n" + markup.raw_html(f'<pre class="citation">{esc(citation["bibtex"])}</pre>')
            + (f"\n{esc(citation['gap'])}\n" if citation.get("gap") else "")
            + "\nThe sources that supplied rows to these tables:\n\n" + cited + "\n")
