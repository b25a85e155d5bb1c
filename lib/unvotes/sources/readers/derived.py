"""Roll calls derived in code from other files (source ``derived``), never typed: one rule per vote.

**The vote of 24 February 2026** (draft A/ES-11/L.17, catalogued as ``A/RES/ES-11/10``; the number is
inferred, see data/external/separate_roll_calls.csv). No published country-level roll call reached the
project, but two mirrored files determine it:

- ``unga-2025/annual_scores (4).csv`` (3DL, from the UN Digital Library's voting records): each state's
  yes / no / abstain counts per year. Its 2026 rows count exactly the first four recorded votes of 2026:
  the vote of 24 February and A/RES/80/247, 248 and 249 of 10 March;
- ``dgacm-ga/80.json``: the complete roll calls of those three votes of 10 March.

So a state's vote of 24 February is its 2026 counts minus its three votes of 10 March
(:data:`RESIDUAL_VOTES` states the rule). Every step is checked, and a failed check stops the build with
a :class:`DerivationError` naming the file, the state and the numbers:

- the later votes are in the data and complete;
- each counts row adds up (yes + no + abstain = total), names one state once, and that state was a member;
- each member's residual is 0 or 1 vote in exactly one category (none: it did not vote, ``absent``); a
  state without a row in the counts file cast none of the four votes (3DL has no rows for Afghanistan and
  Venezuela), which the totals then prove;
- the residual totals equal the published yes / no / abstain (from the curated row of the same vote, which
  cites them);
- the No list equals the press list where the curated roll call's No votes are the complete list.

Disagreements with the press reports (the curated partial roll call, and the disputed press claims of
data/external/press_disputes.csv) are quality findings, each naming the state and the reports: never
resolved silently, and never a reason to change the derived vote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unvotes.errors import UnvotesError
from unvotes.quality import finding
from unvotes.sources.readers import ROLL_CALL_COLUMNS, VOTE_COLUMNS, SourceVotes

SOURCE = "derived"
COUNTS_SOURCE, COUNTS_FILE = "unga-2025", "annual_scores (4).csv"
COUNT_COLUMNS = {"yes": "Yes Votes", "no": "No Votes", "abstain": "Abstain Votes"}
TOTAL_COLUMN, STATE_COLUMN, YEAR_COLUMN = "Total Votes in Year", "Country name", "Year"
CATEGORIES = tuple(COUNT_COLUMNS)


class DerivationError(UnvotesError):
    """A check of a derived roll call failed; the message names the file, the state and the numbers."""


@dataclass(frozen=True)
class ResidualVote:
    """A vote derived as: each state's counts of ``year`` (annual counts file) minus its votes on ``later``,
    the only other recorded votes the counts of that year include."""
    vote_id: str
    year: int
    later: tuple[str, ...]
    rule: str


RESIDUAL_VOTES = (
    ResidualVote(
        vote_id="A/RES/ES-11/10", year=2026, later=("A/RES/80/247", "A/RES/80/248", "A/RES/80/249"),
        rule="each state's 2026 yes/no/abstain counts in unga-2025/annual_scores (4).csv (3DL, from the UN Digital "
             "Library's voting records; its 2026 rows count the four recorded votes of 24 Feb and 10 Mar 2026) minus "
             "its votes on A/RES/80/247, 248 and 249 of 10 Mar 2026 (dgacm-ga/80.json)"),
)


def read_annual_counts(path: Path, year: int) -> pd.DataFrame:
    """The counts file's rows of ``year``: iso3, yes, no, abstain, total, line (file line, for messages)."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype={STATE_COLUMN: str})
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DerivationError(f"{path}: cannot be read as CSV ({exc}); fetch it again (`make data`)") from None
    needed = [STATE_COLUMN, YEAR_COLUMN, *COUNT_COLUMNS.values(), TOTAL_COLUMN]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise DerivationError(f"{path}: column(s) {missing} missing (found {list(table.columns)[:8]} ...); has the "
                              "file's layout changed? The registry pins its sha256 in lib/unvotes/sources/sources.toml")
    table = table.assign(line=table.index + 2)
    rows = table[table[YEAR_COLUMN] == year]
    out = pd.DataFrame({"iso3": rows[STATE_COLUMN].str.strip(), "line": rows["line"]})
    for cat, col in {**COUNT_COLUMNS, "total": TOTAL_COLUMN}.items():
        values = pd.to_numeric(rows[col], errors="coerce")
        bad = values.isna() | (values < 0) | (values % 1 != 0)
        if bad.any():
            r = rows[bad].iloc[0]
            raise DerivationError(f"{path} line {r['line']}: {col} of {r[STATE_COLUMN]} in {year} is {r[col]!r}, "
                                  "expected a whole number of votes")
        out[cat] = values.astype(int)
    return out.reset_index(drop=True)


def derive_residual(spec: ResidualVote, counts: pd.DataFrame, later: pd.DataFrame, members: set[str],
                    published: dict[str, int], *, counts_file: str = COUNTS_FILE) -> pd.DataFrame:
    """Every member's vote on ``spec.vote_id``: iso3, vote (yes/no/abstain/absent), with every check asserted.

    ``counts``: :func:`read_annual_counts` of ``spec.year``; ``later``: vote_id, iso3, vote of the complete
    roll calls ``spec.later`` (absent rows or none for members that did not vote); ``members``: UN members on
    the date; ``published``: the published yes, no and abstain totals."""
    where = f"{spec.vote_id} derived from {counts_file}"
    dup = counts[counts["iso3"].duplicated(keep=False)]
    if len(dup):
        raise DerivationError(f"{where}: {dup['iso3'].iloc[0]} has {len(dup)} rows for {spec.year} "
                              f"(lines {', '.join(map(str, dup['line']))}); expected one")
    outsiders = counts[~counts["iso3"].isin(members)]
    if len(outsiders):
        raise DerivationError(f"{where}: line {outsiders['line'].iloc[0]} names {outsiders['iso3'].iloc[0]!r}, not "
                              f"a UN member on the vote's date; fix the reconciliation or the rule")
    sums = counts[list(CATEGORIES)].sum(axis=1)
    uneven = counts[sums != counts["total"]]
    if len(uneven):
        r = uneven.iloc[0]
        raise DerivationError(f"{where}: line {r['line']} ({r['iso3']}): yes {r['yes']} + no {r['no']} + abstain "
                              f"{r['abstain']} != total {r['total']}; the file is inconsistent")
    missing = [v for v in spec.later if v not in set(later["vote_id"])]
    if missing:
        raise DerivationError(f"{where}: the later vote(s) {missing} are not in the data; the rule subtracts them")
    cast = later[later["vote"].isin(CATEGORIES)]
    subtract = (pd.crosstab(cast["iso3"], cast["vote"]).reindex(columns=list(CATEGORIES), fill_value=0)
                if len(cast) else pd.DataFrame(columns=list(CATEGORIES), dtype=int))
    have = counts.set_index("iso3")[list(CATEGORIES)].reindex(sorted(members), fill_value=0)
    residual = have.sub(subtract.reindex(have.index, fill_value=0))
    strays = sorted(set(subtract.index) - members)
    if strays:
        raise DerivationError(f"{where}: {strays} voted on {', '.join(spec.later)} but were not members on the date")
    line_of = counts.set_index("iso3")["line"]
    bad = residual[(residual < 0).any(axis=1) | (residual > 1).any(axis=1) | (residual.sum(axis=1) > 1)]
    if len(bad):
        def ync(row) -> str:
            return "-".join(str(int(row[c])) for c in CATEGORIES)

        details = []
        for iso3, r in bad.head(5).iterrows():
            at = f"line {line_of[iso3]}" if iso3 in line_of else "no row"
            details.append(f"{iso3} ({at}): {spec.year} counts {ync(have.loc[iso3])}, later votes "
                           f"{ync(subtract.loc[iso3]) if iso3 in subtract.index else 'none'}, residual {ync(r)} "
                           "(yes-no-abstain)")
        raise DerivationError(f"{where}: {len(bad)} state(s) whose residual is not 0 or 1 vote in one category: "
                              + "; ".join(details) + ". The counts do not cover exactly these votes.")
    vote = pd.Series("absent", index=residual.index, dtype=object)
    for cat in CATEGORIES:
        vote[residual[cat] == 1] = cat
    got = {cat: int((vote == cat).sum()) for cat in CATEGORIES}
    if got != {cat: int(published[cat]) for cat in CATEGORIES}:
        raise DerivationError(f"{where}: the residuals total {got['yes']}-{got['no']}-{got['abstain']} "
                              f"(yes-no-abstain), the published totals are {published['yes']}-{published['no']}-"
                              f"{published['abstain']}")
    return vote.rename("vote").rename_axis("iso3").reset_index()


def check_against_press(vote_id: str, derived: pd.DataFrame, press: pd.DataFrame, *, no_list_complete: bool,
                        disputes: pd.DataFrame | None = None) -> list[dict]:
    """Findings for every press vote that differs from the derived one; a DerivationError where the press No
    list is complete and differs. ``press``: iso3, vote, source (the curated partial roll call);
    ``disputes``: iso3, vote, source (claims the press disagrees on, left out of the curated list)."""
    mine = derived.set_index("iso3")["vote"]
    if no_list_complete:
        derived_no, press_no = set(mine[mine == "no"].index), set(press.loc[press["vote"] == "no", "iso3"])
        if derived_no != press_no:
            raise DerivationError(
                f"{vote_id}: the derived No list differs from the complete press No list "
                f"(data/external/separate_votes.csv): only derived {sorted(derived_no - press_no)}, only in the press "
                f"{sorted(press_no - derived_no)}")
    out = []
    claims = [press.assign(kind="curated press list")]
    if disputes is not None and len(disputes):
        claims.append(disputes.assign(kind="disputed press claim"))
    for r in pd.concat(claims, ignore_index=True).itertuples(index=False):
        have = mine.get(r.iso3, "no row")
        if have != r.vote:
            out.append(finding(SOURCE, "derived_vs_press", f"{r.iso3}: {r.vote} in the {r.kind} ({r.source[:200]}), "
                               f"{have} in the derived roll call (kept: the derivation is checked against the "
                               "published totals; the press report is not)", vote_id=vote_id,
                               published=r.vote, listed=have))
    agree = int((press["vote"].to_numpy() == press["iso3"].map(mine).to_numpy()).sum())
    out.append(finding(SOURCE, "derived_vs_press", f"{agree} of the {len(press)} votes of the curated press list agree "
                       f"with the derived roll call", vote_id=vote_id, severity="info", listed=str(len(press))))
    return out


def as_source(spec: ResidualVote, derived: pd.DataFrame, meta: dict, findings: list[dict]) -> SourceVotes:
    """The derived roll call as a vote source for the build: one complete roll call, its yes/no/abstain votes
    listed (the build adds the absent rows of the other members)."""
    ref = f"derived: {spec.rule}"
    rc = pd.DataFrame([{
        "vote_id": spec.vote_id, "body": "GA", "date": meta["date"], "session": meta["session"],
        "title": meta["title"], "draft": meta["draft"], "kind": meta["kind"], "part_of": "",
        **{cat: meta[cat] for cat in CATEGORIES}, "absent": pd.NA, "source": SOURCE, "source_ref": ref}],
        columns=ROLL_CALL_COLUMNS)
    for cat in (*CATEGORIES, "absent"):
        rc[cat] = rc[cat].astype("Int64")
    cast = derived[derived["vote"] != "absent"]
    votes = pd.DataFrame({"vote_id": spec.vote_id, "country": cast["iso3"], "country_code": cast["iso3"],
                          "vote": cast["vote"], "source_ref": ref}, columns=VOTE_COLUMNS)
    n = {cat: int((derived["vote"] == cat).sum()) for cat in (*CATEGORIES, "absent")}
    findings = [finding(SOURCE, "derived_roll_call", f"derived for {len(derived)} members: {spec.rule}. Every check "
                        f"passed: each residual is 0 or 1 vote in one category; totals {n['yes']}-{n['no']}-"
                        f"{n['abstain']} equal the published ones; {n['absent']} members cast none", vote_id=spec.vote_id,
                        source_ref=ref, severity="info", published=f"{meta['yes']}-{meta['no']}-{meta['abstain']}",
                        listed=f"{n['yes']}-{n['no']}-{n['abstain']}"), *findings]
    return SourceVotes(SOURCE, rc, votes, findings, complete={spec.vote_id: True})


DISPUTES_FILE = "press_disputes.csv"
DISPUTE_COLUMNS = ["vote_id", "iso3", "vote", "source"]


def press_disputes() -> pd.DataFrame:
    """data/external/press_disputes.csv: press claims about a state's vote that other reports contradict (so
    they are not in the curated roll call), each row cited."""
    from unvotes.tables.external import check_codes_and_sources, read_curated

    table = read_curated(DISPUTES_FILE, DISPUTE_COLUMNS)
    check_codes_and_sources(table, DISPUTES_FILE)
    odd = table[~table["vote"].isin(("yes", "no", "abstain", "absent"))]
    if len(odd):
        raise DerivationError(f"data/external/{DISPUTES_FILE} line {odd.index[0] + 2}: vote {odd['vote'].iloc[0]!r}; "
                              "use yes, no, abstain or absent")
    return table


def _record_of(prepared: dict, vote_id: str, precedence: tuple[str, ...]) -> tuple[str, pd.Series, pd.DataFrame]:
    """The highest-ranked source's record of ``vote_id``: (source, roll call row, its votes)."""
    for source in precedence:
        if source in prepared:
            rc, votes = prepared[source]
            hit = rc[rc["vote_id"] == vote_id]
            if len(hit):
                return source, hit.iloc[0], votes[votes["vote_id"] == vote_id]
    raise DerivationError(f"{vote_id} is in no vote source; the derivation needs it")


def read_derived(prepared: dict, counts_path, *, precedence: tuple[str, ...]) -> list[SourceVotes]:
    """Each roll call of :data:`RESIDUAL_VOTES` as a source, from the prepared (reconciled) vote sources: the
    later votes from the highest-ranked source holding them, which must be complete; the published totals,
    date, title and draft from the curated roll call of the same id (which cites them); the press list from
    the curated votes."""
    from unvotes.tables import membership
    from unvotes.tables.curated_votes import SOURCE as CURATED

    out = []
    counts_path = Path(counts_path)
    for spec in RESIDUAL_VOTES:
        later = []
        for vote_id in spec.later:
            source, row, votes = _record_of(prepared, vote_id, precedence)
            if not bool(row.get("complete", True)):
                raise DerivationError(f"{spec.vote_id}: the later vote {vote_id} is not complete in {source}; the "
                                      "rule needs every state's vote on it")
            later.append(votes[["vote_id", "iso3", "vote"]])
        rc, press = prepared[CURATED]
        meta = rc[rc["vote_id"] == spec.vote_id]
        if meta.empty or meta[list(CATEGORIES)].isna().any(axis=None):
            raise DerivationError(f"{spec.vote_id}: data/external/separate_roll_calls.csv has no row with its published "
                                  "yes/no/abstain totals, which the derivation is checked against")
        meta = meta.iloc[0]
        members = membership.members_on(meta["date"])
        counts = read_annual_counts(counts_path, spec.year)
        derived = derive_residual(spec, counts, pd.concat(later, ignore_index=True), members,
                                  {cat: int(meta[cat]) for cat in CATEGORIES}, counts_file=counts_path.name)
        press = press[press["vote_id"] == spec.vote_id].assign(source="data/external/separate_votes.csv, cited per row")
        disputes = press_disputes()
        findings = check_against_press(
            spec.vote_id, derived, press[["iso3", "vote", "source"]],
            no_list_complete=int((press["vote"] == "no").sum()) == int(meta["no"]),
            disputes=disputes[disputes["vote_id"] == spec.vote_id])
        out.append(as_source(spec, derived, meta.to_dict(), findings))
    return out
