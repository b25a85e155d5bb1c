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

from .. import api, dictionary, labels, schemas, sources
from . import markup
from .markup import esc

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
PROJECT = ("the unvotes project: computed or hand-curated (each curated row cites its source in data/external/); "
           "MIT licence, as the repository")


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
                       "table. The state pages quote a state's values with their source; to reproduce the models, "
                       "`make data` fetches QoG's file (pinned in lib/unvotes/sources.toml) and rebuilds this table "
                       "with them"]),
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
    package = {"name": "unvotes-ukraine", "title": "UN votes on Russia's war against Ukraine: processed tables",
               "description": "Tidy roll calls of the UN General Assembly and Security Council with the covariates "
                              "of the member states, as built by the unvotes package.",
               "resources": resources}
    (files / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    (out_dir / "index.md").write_text(_page(rows, registry), encoding="utf-8")
    return ["index"]


def _page(rows: list[dict], registry: dict) -> str:
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
    cited = "\n".join(f"- **{esc(s.id)}**: {esc(s.citation)} Licence: {esc(s.licence)}." for s in registry.values())
    return ("# The data: download, licences, citation\n\n"
            "Every table the report is computed from, as CSV and parquet, with a "
            "<a href=\"files/datapackage.json\">Frictionless data package</a> that describes each column (its meaning and unit "
            "from the project's data dictionary, its type from the schemas the build validates). Only what the "
            "sources' licences allow is published; the last column says what is left out and why.\n\n"
            + markup.raw_html(labels.table_html(table, escape=False, kinds={"rows": "count"}))
            + "\n## How to cite\n\nCite the project (its `CITATION.cff` gives the details) and the sources of the "
            "tables you use:\n\n" + cited + "\n")
