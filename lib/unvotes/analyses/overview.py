"""Tables and figures of the data overview (notebooks/data_overview.ipynb): sources, coverage, quality."""

from __future__ import annotations

import json

import pandas as pd

from unvotes import api, paths
from unvotes.sources.raw_files import registry

SOURCE_LABELS = {"undl-ga": "UN Digital Library (GA, official)", "undl-sc": "UN Digital Library (SC, official)",
                 "undl-records": "UN Digital Library records (add-vote)", "dgacm-ga": "DGACM extracts",
                 "unga-2025": "UN Digital Library records of 2025 (3DL extract)", "unvotes-r": "unvotes (Voeten)",
                 "derived": "derived in code from other files (checked)",
                 "curated": "curated from meeting records / cited reports"}


def build_info() -> dict:
    path = paths.processed_dir() / "build_info.json"
    if not path.is_file():
        raise api.UnvotesError(f"{path} does not exist: run `make data` first.")
    return json.loads(path.read_text())


def sources_used() -> pd.DataFrame:
    """One row per raw file read by the build: source, file, release, sha256, where it came from, citation."""
    info = build_info()
    df = pd.DataFrame(info["sources"])
    df["sha256"] = df["sha256"].str.slice(0, 16) + "…"
    df["pinned"] = df["pinned"].map({True: "yes", False: "no (printed at build)"})
    return df[["source", "file", "release", "sha256", "pinned", "origin"]]


def citations() -> pd.DataFrame:
    used = {s["source"] for s in build_info()["sources"]}
    reg = registry()
    return pd.DataFrame([{"source": sid, "publisher": s.publisher, "licence": s.licence, "citation": s.citation}
                         for sid, s in reg.sources.items() if sid in used])


def coverage_by_year() -> pd.DataFrame:
    """Roll calls per year and source (columns: one per source), GA and SC together."""
    rc = api.load_roll_calls()
    table = pd.crosstab(rc["date"].dt.year.rename("year"), rc["source"].map(SOURCE_LABELS).rename("source"))
    return table


def coverage_summary() -> pd.DataFrame:
    rc = api.load_roll_calls()
    v = api.load_votes()
    n_votes = v.groupby(v["vote_id"].astype(str), observed=True).size()
    rc = rc.assign(n_countries=rc["vote_id"].map(n_votes))
    g = rc.groupby(["body", "source"]).agg(roll_calls=("vote_id", "size"), first=("date", "min"),
                                           last=("date", "max"), country_votes=("n_countries", "sum"),
                                           separate_part_votes=("kind", lambda k: int((k != "resolution").sum())))
    g["first"] = g["first"].dt.strftime("%Y-%m-%d")
    g["last"] = g["last"].dt.strftime("%Y-%m-%d")
    return g.reset_index()


def findings_summary() -> pd.DataFrame:
    qf = api.load_findings()
    return (qf.groupby(["severity", "source", "check"]).size().rename("findings").reset_index()
            .sort_values(["severity", "findings"], ascending=[False, False]).reset_index(drop=True))


def findings_of(check: str | list[str]) -> pd.DataFrame:
    qf = api.load_findings()
    checks = [check] if isinstance(check, str) else check
    return qf.loc[qf["check"].isin(checks), ["source", "vote_id", "check", "published", "listed", "detail",
                                             "source_ref"]].reset_index(drop=True)


#: The quality checks that compare a published total with the count of the country votes.
TOTALS_CHECKS = ("published_totals", "count_mismatch")


def totals_flags(vote_ids: list[str] | None = None) -> dict[str, str]:
    """{vote_id: why its totals are flagged} for every vote whose published totals (the source's, or the cited
    ones of data/external/published_totals.csv) differ from the counts of its country votes, from the quality
    findings: "published 70-26-77, computed 70-25-77: <the finding>". Votes without such a finding are absent."""
    found = findings_of(list(TOTALS_CHECKS))
    found = found[found["vote_id"].notna() & (found["published"].fillna("") != found["listed"].fillna(""))]
    if vote_ids is not None:
        found = found[found["vote_id"].isin(list(vote_ids))]
    flags: dict[str, str] = {}
    for r in found.itertuples(index=False):
        why = f"published {r.published}, computed {r.listed}: {r.detail}"
        flags[r.vote_id] = f"{flags[r.vote_id]}; {why}" if r.vote_id in flags else why
    return flags


def published_vs_computed(vote_ids: list[str]) -> pd.DataFrame:
    """Published totals next to the counts computed from the country votes, for the given votes, with a flag
    (and its reason, :func:`totals_flags`) where a published total differs from the computed one."""
    rows = []
    flags = totals_flags(vote_ids)
    for vote_id in vote_ids:
        rc = api.roll_call(vote_id)
        computed = api.recorded_counts(vote_id)
        rows.append({"vote_id": vote_id, "date": rc["date"].date(), "source": rc["source"],
                     "published": _fmt(rc["yes"], rc["no"], rc["abstain"]),
                     "computed": _fmt(computed["yes"], computed["no"], computed["abstain"]),
                     "absent (computed)": int(computed["absent"]),
                     "totals differ": flags.get(vote_id, "")})
    return pd.DataFrame(rows)


def _fmt(yes, no, abstain) -> str:
    if any(pd.isna(x) for x in (yes, no, abstain)):
        return "not published in this source"
    return f"{int(yes)}-{int(no)}-{int(abstain)}"


def plot_coverage(ax=None):
    """Stacked bars of roll calls per year by source, with title, axis labels and a source line."""
    import matplotlib.pyplot as plt

    table = coverage_by_year()
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4))
    table.plot(kind="bar", stacked=True, ax=ax, width=0.9)
    ax.set_title("Recorded votes per year in the processed data, by source (after precedence)")
    ax.set_xlabel("Year of the vote")
    ax.set_ylabel("Roll calls")
    labels = [str(y) if int(y) % 5 == 0 else "" for y in table.index]
    ax.set_xticks(range(len(labels)), labels, rotation=0)
    ax.legend(title="Source kept")
    kept = sorted(api.load_roll_calls()["source"].unique())  # the vote sources the figure counts
    ax.figure.text(0.01, -0.02, "Source: " + "; ".join(SOURCE_LABELS.get(k, k) for k in kept)
                   + ". Built by the unvotes package.", fontsize=8, ha="left")
    return ax


def data_dictionary(table: str | None = None) -> pd.DataFrame:
    """The data dictionary (all tables, or one)."""
    from unvotes.tables import dictionary

    d = dictionary.load()
    return (d if table is None else d[d["table"] == table]).reset_index(drop=True)


def missing_data() -> pd.DataFrame:
    """Which current UN members lack which value of the countries table (nothing is imputed)."""
    from unvotes.tables.countries import missing_report

    return missing_report(api.load_countries())


def alignment_validation(sessions=(74, 75, 76, 77, 78)) -> pd.DataFrame:
    """Pearson correlation (and n states) between the project's alignment measures and Voeten's, per session."""
    from unvotes.analyses.alignment import validate_sessions_against_voeten

    v = validate_sessions_against_voeten(sessions)
    table = v.pivot(index="session", columns="voeten_column", values="pearson").round(3)
    table["states compared"] = v.groupby("session")["n"].min()
    return table[["IdealPointAll", "USAgree", "RUSSAgree", "ChinaAgree", "states compared"]]


KNOWN_GAPS_FILE = "known_gaps.csv"


def gaps() -> pd.DataFrame:
    """Every remaining gap in one table (gap, detail, how_to_close, source): the stated gaps of
    ``data/external/known_gaps.csv`` (a row tied to a ``vote_id`` is shown only while that roll call is not
    complete, so a closed gap disappears by itself), any other catalogued vote without a complete roll call,
    and Council votes in years without a curated membership (from the findings)."""
    from unvotes.tables import catalogue
    from unvotes.tables.external import read_curated

    stated = read_curated(KNOWN_GAPS_FILE, ["vote_id", "gap", "detail", "how_to_close", "source"])
    rc = api.load_roll_calls().set_index("vote_id")["complete"]
    still_open = (stated["vote_id"] == "") | ~stated["vote_id"].map(rc).eq(True)
    stated = stated[still_open]
    missing = catalogue.missing()
    missing = missing[~missing["vote_id"].isin(stated["vote_id"])]
    rows = [{"gap": f"{m.vote_id}: {m.label}", "detail": m.status,
             "how_to_close": f"python -m unvotes add-vote {m.vote_id}, or the official UN Digital Library file",
             "source": "data/external/ukraine_votes.csv"} for m in missing.itertuples()]
    findings = api.load_findings()
    rows += [{"gap": "Security Council membership", "detail": f.detail, "source": "quality_findings",
              "how_to_close": "add the years to data/external/sc_membership.csv"}
             for f in findings[findings["check"] == "council_membership_unknown"].itertuples()]
    columns = ["gap", "detail", "how_to_close", "source"]
    return pd.concat([stated[columns], pd.DataFrame(rows, columns=columns)], ignore_index=True)


def absences_without_vote_right() -> pd.DataFrame:
    """Catalogued General Assembly votes with members absent for want of a vote right: vote_id, date, the
    states confirmed without a vote, and those whose spell was not confirmed on the date."""
    from unvotes.tables import catalogue, vote_rights

    cat = catalogue.load()
    ga = cat[cat["vote_id"].str.startswith("A/") & cat["available"]]
    v = api.load_votes()
    v = v[v["vote_id"].isin(ga["vote_id"]) & v["absent_reason"].notna()].astype(str)
    names = api.load_countries().set_index("iso3")["display_name"]
    rows = []
    for vote_id, date in zip(ga["vote_id"], ga["date"]):
        mine = v[v["vote_id"] == vote_id]
        if mine.empty:
            continue
        who = {r: ", ".join(sorted(names.get(s, s) for s in mine.loc[mine["absent_reason"] == r, "iso3"]))
               for r in vote_rights.REASONS}
        rows.append({"vote_id": vote_id, "date": date, "no vote right": who[vote_rights.NO_VOTE_RIGHT],
                     "no vote right, unconfirmed on the date": who[vote_rights.UNCONFIRMED]})
    return pd.DataFrame(rows, columns=["vote_id", "date", "no vote right", "no vote right, unconfirmed on the date"])
