"""Declared schemas of the processed tables (pandera). ``validate`` turns violations into one clear error."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from unvotes.tables import dated as _dated, organisations as _memberships
from unvotes.errors import SchemaError
from unvotes.quality import FINDING_COLUMNS, SEVERITIES
from unvotes.sources.readers import ASSIGNED_BY, KINDS, VOTE_VALUES

#: every source a roll call can come from, in the build's order of precedence (lib/unvotes/tables/build.py)
VOTE_SOURCES = ("undl-ga", "undl-sc", "undl-records", "dgacm-ga", "unga-2025", "unvotes-r", "derived", "curated")
# organisations of the countries table, in its column order (lib/unvotes/tables/organisations.py)
_ORGS = ("AU", "NAM", "G77", "CSTO", "SCO", "EAEU", "CIS", "BRICS", "NATO", "EU", "OIC", "ARAB_LEAGUE", "COMMONWEALTH")
_share = pa.Column(float, pa.Check.in_range(0, 1), nullable=True)
_positive = pa.Column(float, pa.Check.gt(0), nullable=True)
_count = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_text = pa.Column(str)

ROLL_CALLS = pa.DataFrameSchema(
    {
        "vote_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "body": pa.Column(str, pa.Check.isin(["GA", "SC"])),
        "date": pa.Column("datetime64[ns]", pa.Check.in_range(pd.Timestamp("1945-10-24"), pd.Timestamp("2100-01-01"))),
        "session": _text,
        "title": _text,
        "draft": _text,
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "part_of": _text,
        "yes": _count, "no": _count, "abstain": _count, "absent": _count,
        "complete": pa.Column(bool),
        "source": pa.Column(str, pa.Check.isin(list(VOTE_SOURCES))),
        "source_ref": _text,
    },
    strict=True, ordered=True, name="roll_calls",
)

VOTES = pa.DataFrameSchema(
    {
        "vote_id": pa.Column("category"),
        "iso3": pa.Column("category", pa.Check.str_matches(r"^[A-Z]{3}$")),
        "vote": pa.Column(pd.CategoricalDtype(list(VOTE_VALUES))),
        # why a member was absent, where known: it had lost its vote (Article 19); see unvotes.tables.vote_rights
        "absent_reason": pa.Column(pd.CategoricalDtype(["no_vote_right", "no_vote_right_unconfirmed"]), nullable=True),
    },
    unique=["vote_id", "iso3"], strict=True, ordered=True, name="votes",
)

COUNTRIES = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "display_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "un_member_from": pa.Column("datetime64[ns]"),
        "un_member_to": pa.Column("datetime64[ns]", nullable=True),
        "un_group": pa.Column(str, pa.Check.isin(["African", "Asia-Pacific", "Eastern European",
                                                  "Latin American and Caribbean", "Western European and Others"]),
                              nullable=True),
        "continent": pa.Column(str, pa.Check.isin(["Africa", "Americas", "Asia", "Europe", "Oceania"]), nullable=True),
        "un_subregion": pa.Column(str, nullable=True),
        "former_soviet": pa.Column("boolean", nullable=True),
        "colonial_ruler": pa.Column(str, nullable=True),
    } | {f"member_{org.lower()}": pa.Column("boolean", nullable=True) for org in _ORGS} | {
        "vdem_libdem": _share, "vdem_polyarchy": _share,
        "fh_total": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "fh_status": pa.Column("string", pa.Check.isin(["Free", "Partly Free", "Not Free"]), nullable=True),
        "gdp_pc_ppp": _positive, "log_gdp_pc_ppp": pa.Column(float, nullable=True), "population": _positive,
        "trade_pct_gdp": _positive, "milex_pct_gdp": pa.Column(float, pa.Check.ge(0), nullable=True),
        "ru_arms_share_2010_2021": _share,
        "arms_imports_tiv_2010_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "ru_arms_tiv_2010_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "log_ru_arms_tiv_2010_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "no_arms_imports_2010_2021": pa.Column("boolean", nullable=True),
        "cn_arms_share_2010_2021": _share,
        "cn_arms_tiv_2010_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "log_cn_arms_tiv_2010_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "arms_imports_tiv_2021": pa.Column(float, pa.Check.ge(0), nullable=True),
        "soviet_arms_tiv_1950_1991": pa.Column(float, pa.Check.ge(0), nullable=True),
        "soviet_arms_share_1950_1991": _share,
        "log_soviet_arms_tiv_1950_1991": pa.Column(float, pa.Check.ge(0), nullable=True),
        "voeten_idealpoint_s75": pa.Column(float, nullable=True),
        "voeten_agree_rus_s75": _share, "voeten_agree_usa_s75": _share, "voeten_agree_chn_s75": _share,
        "voeten_nvotes_s75": pa.Column(float, pa.Check.ge(0), nullable=True),
        "agree_rus_prewar": _share, "agree_usa_prewar": _share, "agree_chn_prewar": _share,
        "n_prewar_votes": pa.Column(float, pa.Check.ge(0), nullable=True),
        "ideal_point_prewar": pa.Column(float, nullable=True),
    },
    strict=True, ordered=True, name="countries",
)

FINDINGS = pa.DataFrameSchema(
    {c: pa.Column("string", nullable=c in ("published", "listed")) for c in FINDING_COLUMNS}
    | {"severity": pa.Column("string", pa.Check.isin(SEVERITIES))},
    strict=True, name="quality_findings",
)

ROLL_CALL_ISSUES = pa.DataFrameSchema(
    {
        "vote_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "topic": pa.Column(str, pa.Check.str_length(min_value=1)),
        "code": _text,
        "scheme": pa.Column(str, pa.Check.str_length(min_value=1)),
        "assigned_by": pa.Column(str, pa.Check.isin(list(ASSIGNED_BY))),
        "source": pa.Column(str, pa.Check.isin(list(VOTE_SOURCES))),
    },
    unique=["vote_id", "topic", "code", "scheme"], strict=True, ordered=True, name="roll_call_issues",
)

SCHEMAS = {s.name: s for s in (ROLL_CALLS, VOTES, ROLL_CALL_ISSUES, COUNTRIES, FINDINGS)}


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate ``df``; on failure raise SchemaError naming the table, each failing column and check, and rows."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for (column, check), grp in cases.groupby(["column", "check"], dropna=False, sort=False):
            rows = grp["index"].dropna().astype(int).tolist()
            values = grp["failure_case"].astype(str).unique().tolist()
            where = f"rows {rows[:10]}{' ...' if len(rows) > 10 else ''}" if rows else "table-level"
            shown = ", ".join(values[:5]) + (" ..." if len(values) > 5 else "")
            lines.append(f"  - column {column!r}, check {check}: {len(grp)} failure(s) at {where}; values: {shown}")
            if rows and column in df.columns and "vote_id" in df.columns and column != "vote_id":
                ids = df.loc[df.index.isin(rows[:5]), "vote_id"].astype(str).tolist()
                lines[-1] += f" (vote_id {ids})"
        raise SchemaError(f"Table {schema.name!r} violates its schema (lib/unvotes/tables/schemas.py):\n" + "\n".join(lines)) from None


# ------------------------------------------------------------------------------ curated tables (data/external)
#
# Every hand-curated CSV of data/external/ has a schema here, checked where the file is read
# (unvotes.tables.external.read_curated, the one entry point of every reader): types, allowed values, one row per key,
# dates that are dates in range and in order, and a non-empty citation. The checks run on the text as written
# (every cell a string, empty = ""), so an error quotes the value exactly as it stands in the file, with its line.

#: The dates a curated date may take: from the League of Arab States' Pact (1945) to the end of the data.
CURATED_DATES = (pd.Timestamp("1945-01-01"), pd.Timestamp("2026-12-31"))
# the allowed values live with the code that gives them meaning (one home each)
_PRECISIONS = sorted(_dated.PRECISIONS)
_GRADES = list(_dated.SOURCE_GRADES)
_VOTE_VALUES = ["yes", "no", "abstain", "absent"]


def _dates_ok(values: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    parsed = pd.to_datetime(values.where(values != "", None), format="%Y-%m-%d", errors="coerce")
    return (values == "") | (parsed.notna() & parsed.between(lo, hi))


def _text(required: bool = False, *, choices=None, pattern: str | None = None) -> pa.Column:
    checks = []
    if required and choices is None:  # a required choice: an empty cell is "not allowed" (one message, the choices)
        checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False, name="not_empty",
                               error="is empty; this column needs a value (a source: the document, its date and where to find it)"))
    if choices is not None:
        allowed = sorted(set(choices) | ({""} if not required else set()))
        checks.append(pa.Check(lambda s, a=tuple(allowed): s.isin(a), name="allowed",
                               error=f"is not allowed; choose one of {allowed}"))
    if pattern is not None:
        checks.append(pa.Check(lambda s, p=pattern: (s == "") | s.str.fullmatch(p), name="pattern",
                               error=f"does not match {pattern}"))
    return pa.Column(str, checks=checks)


def _date(required: bool = True, lo: pd.Timestamp = CURATED_DATES[0], hi: pd.Timestamp = CURATED_DATES[1]) -> pa.Column:
    checks = [pa.Check(lambda s, a=lo, b=hi: _dates_ok(s, a, b), name="date",
                       error=f"is not a YYYY-MM-DD date between {lo.date()} and {hi.date()}; check the format and year")]
    if required:
        checks.insert(0, pa.Check(lambda s: s != "", name="not_empty", error="is empty; give the date (YYYY-MM-DD)"))
    return pa.Column(str, checks=checks)


def _number(lo: float, hi: float, *, integer: bool = False, required: bool = True) -> pa.Column:
    def ok(s: pd.Series) -> pd.Series:
        x = pd.to_numeric(s.where(s != "", None), errors="coerce")
        good = x.notna() & x.between(lo, hi) & ((x % 1 == 0) if integer else True)
        return good | ((s == "") & (not required))

    kind = "a whole number" if integer else "a number"
    return pa.Column(str, checks=pa.Check(ok, name="number", error=f"is not {kind} from {lo} to {hi}"))


def _code(known: bool = True) -> pa.Column:
    """An ISO3 code; ``known``: one of data/external/un_membership.csv (read lazily: that file's own schema uses the
    pattern only, so the two never read each other)."""
    def ok(s: pd.Series) -> pd.Series:
        from unvotes.tables import membership

        return s.isin(membership.known_codes())

    check = (pa.Check(ok, name="known_code", error="is not a code of data/external/un_membership.csv; use the ISO "
                                                   "3166-1 alpha-3 code of a UN member state (COD for DR Congo, COG "
                                                   "for Congo)") if known else
             pa.Check.str_matches(r"^[A-Z]{3}$", error="is not three capital letters (an ISO3 code)"))
    return pa.Column(str, checks=check)


def _in_order(first: str, then: str, *, strict: bool = True) -> pa.Check:
    """A frame-wide check: ``then`` (if given) after ``first`` (if given)."""
    def ok(df: pd.DataFrame) -> pd.Series:
        a = pd.to_datetime(df[first].where(df[first] != "", None), format="%Y-%m-%d", errors="coerce")
        b = pd.to_datetime(df[then].where(df[then] != "", None), format="%Y-%m-%d", errors="coerce")
        bad = a.notna() & b.notna() & ((b <= a) if strict else (b < a))
        return ~bad

    return pa.Check(ok, name=f"{then}_after_{first}", error=f"{then} is not after {first}: a period ends after it "
                                                          "begins (the end is the first day it no longer holds)")


def _no_overlap(key: str, first: str, then: str) -> pa.Check:
    """A frame-wide check: two rows of one ``key`` (e.g. one alias) whose periods [first, then] overlap are
    ambiguous (which would win?); each such row fails. Empty dates are open ends."""
    def ok(df: pd.DataFrame) -> pd.Series:
        lo = pd.to_datetime(df[first].where(df[first] != "", None), format="%Y-%m-%d", errors="coerce")
        hi = pd.to_datetime(df[then].where(df[then] != "", None), format="%Y-%m-%d", errors="coerce")
        lo, hi = lo.fillna(pd.Timestamp.min), hi.fillna(pd.Timestamp.max)
        bad = pd.Series(False, index=df.index)
        for _, idx in df.groupby(key).groups.items():
            idx = list(idx)
            for i in idx:
                bad[i] = any(j != i and lo[i] <= hi[j] and lo[j] <= hi[i] for j in idx)
        return ~bad

    return pa.Check(ok, name=f"no_overlap_of_{key}", error=f"overlaps another row of the same {key}: two rows would "
                                                           f"both apply on some date; end one where the other begins")


def _table(name: str, columns: dict, unique: list[str] | None = None, checks: list | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, checks=checks or [], unique=unique, strict=True, ordered=True, name=name)


_dated_period = {"valid_from": _date(), "valid_to": _date(False)}

CURATED: dict[str, pa.DataFrameSchema] = {s.name: s for s in [
    _table("african_communities.csv", {"org": _text(True, choices=_dated.COMMUNITIES),
                                       "iso3": _code(), "name": _text(True), **_dated_period,
                                       "date_precision": _text(True, choices=_PRECISIONS), "source": _text(True),
                                       "source_grade": _text(True, choices=_GRADES), "note": _text()},
           ["org", "iso3", "valid_from"], [_in_order("valid_from", "valid_to")]),
    _table("belt_and_road.csv", {"iso3": _code(), "name": _text(True), **_dated_period,
                                 "date_precision": _text(True, choices=_PRECISIONS),
                                 "role": _text(True, choices=["after_source", "corrects_source"]),
                                 "source": _text(True), "source_grade": _text(True, choices=_GRADES),
                                 "note": _text()}, ["iso3", "valid_from"], [_in_order("valid_from", "valid_to")]),
    _table("claims.csv", {"claim_id": _text(True), "article": _text(True), "quote": _text(True), "claim": _text(True),
                          "check": _text(True), "notes": _text()}, ["claim_id"]),
    _table("country_aliases.csv", {"alias": _text(True), "iso3": _code(), "valid_from": _date(False),
                                   "valid_to": _date(False), "note": _text(), "source": _text(True)},
           ["alias", "valid_from"], [_in_order("valid_from", "valid_to", strict=False),
                                     _no_overlap("alias", "valid_from", "valid_to")]),
    _table("coups.csv", {"iso3": _code(), "name": _text(True), "date": _date(),
                         "date_precision": _text(True, choices=_PRECISIONS), "ousted": _text(True),
                         "seized_by": _text(True), "role": _text(True, choices=["after_source", "corrects_source"]),
                         "replaces": _date(False), "source": _text(True), "source_grade": _text(True, choices=_GRADES),
                         "note": _text()}, ["iso3", "date"]),
    _table("curated_corrections.csv", {"vote_id": _text(True), "iso3": _code(),
                                       "was": _text(True, choices=_VOTE_VALUES), "now": _text(True, choices=_VOTE_VALUES),
                                       "reported_by": _text(True), "evidence": _text(True),
                                       "corrected_on": _date()}, ["vote_id", "iso3"]),
    _table("data_dictionary.csv", {"table": _text(True), "column": _text(True), "meaning": _text(True),
                                   "unit": _text(), "year": _text(), "source": _text(), "citation": _text()},
           ["table", "column"]),
    _table("friendship_treaties.csv", {"iso3": _code(), "name": _text(True), "treaty": _text(True),
                                       "partner": _text(True, choices=["USSR", "Russia"]), "signed": _date(),
                                       **_dated_period, "date_precision": _text(True, choices=_PRECISIONS),
                                       "source": _text(True), "source_grade": _text(True, choices=_GRADES),
                                       "note": _text()}, ["iso3", "treaty", "partner", "valid_from"],
           [_in_order("valid_from", "valid_to")]),
    _table("io_admissions.csv", {"org": _text(True, choices=_memberships.ADMISSION_ORGS), "iso3": _code(),
                                 "name": _text(True), "admitted": _date(),
                                 "date_precision": _text(True, choices=_PRECISIONS), "source": _text(True),
                                 "source_grade": _text(True, choices=_GRADES), "note": _text()}, ["org", "iso3"]),
    _table("known_gaps.csv", {"vote_id": _text(), "gap": _text(True), "detail": _text(True),
                              "how_to_close": _text(True), "source": _text(True)}, ["vote_id", "gap"]),
    _table("liberation_movements.csv", {"iso3": _code(), "name": _text(True), "party": _text(True), **_dated_period,
                                        "date_precision": _text(True, choices=_PRECISIONS),
                                        "flmsa": _text(True, choices=["true", "false"]), "source": _text(True),
                                        "source_grade": _text(True, choices=_GRADES), "note": _text()},
           ["iso3", "valid_from"], [_in_order("valid_from", "valid_to")]),
    _table("membership_corrections.csv", {"org": _text(True, choices=_memberships.ORGS), "iso3": _code(),
                                          "action": _text(True, choices=_memberships.ACTIONS),
                                          "start": _date(False, lo=pd.Timestamp("1945-01-01")), "end": _date(False),
                                          "status": _text(choices=_memberships.STATUSES),
                                          "note": _text(), "source": _text(True)},
           ["org", "iso3", "action", "start"], [_in_order("start", "end")]),
    _table("news_articles.csv", {"article": _text(True), "outlet": _text(True), "headline": _text(),
                                 "date": _date(False), "url": _text(pattern=r"https?://\S+"), "citation": _text(True)},
           ["article"]),
    _table("press_disputes.csv", {"vote_id": _text(True), "iso3": _code(), "vote": _text(True, choices=_VOTE_VALUES),
                                  "source": _text(True)}, ["vote_id", "iso3", "vote"]),
    _table("published_findings.csv", {"study": _text(True), "citation": _text(True), "url": _text(),
                                      "vote_id": _text(True), "sample": _text(True), "outcome": _text(True),
                                      "finding": _text(True), "published_sign": _text(True, choices=["+1", "-1"]),
                                      "project_covariate": _text(), "proxy_direction": _text(choices=["+1", "-1"]),
                                      "proxy_note": _text()}, ["study", "vote_id", "sample", "finding", "project_covariate"]),
    _table("published_totals.csv", {"vote_id": _text(True), "yes": _number(0, 193, integer=True),
                                    "no": _number(0, 193, integer=True), "abstain": _number(0, 193, integer=True),
                                    "source": _text(True), "note": _text()}, ["vote_id", "source"]),
    _table("regime_scores_supplement.csv", {"iso3": _code(), "name": _text(True),
                                            "variable": _text(True, choices=["fh_total", "fh_status", "vdem_polyarchy",
                                                                             "vdem_libdem"]),
                                            "year": _number(1990, 2026, integer=True), "value": _number(0, 100),
                                            "source": _text(True), "note": _text()}, ["iso3", "variable", "year"]),
    _table("russian_security_presence.csv", {"iso3": _code(), "name": _text(True),
                                             "actor": _text(True, choices=["wagner", "africa_corps"]), **_dated_period,
                                             "attested_until": _date(False),
                                             "date_precision": _text(True, choices=_PRECISIONS), "source": _text(True),
                                             "source_grade": _text(True, choices=_GRADES), "note": _text()},
           ["iso3", "actor", "valid_from"], [_in_order("valid_from", "valid_to")]),
    _table("sc_membership.csv", {"year": _number(1946, 2026, integer=True), "iso3": _code(),
                                 "permanent": _text(True, choices=["true", "false"]), "source": _text(True)},
           ["year", "iso3"]),
    _table("separate_roll_calls.csv", {"vote_id": _text(True), "part_of": _text(), "body": _text(True, choices=["GA", "SC"]),
                                       "date": _date(), "draft": _text(), "title": _text(), "what": _text(),
                                       "kind": _text(True, choices=["resolution", "paragraph", "amendment", "failed_draft"]),
                                       "yes_total": _number(0, 193, integer=True, required=False),
                                       "no_total": _number(0, 193, integer=True, required=False),
                                       "abstain_total": _number(0, 193, integer=True, required=False),
                                       "complete": _text(True, choices=["true", "false"]), "note": _text(),
                                       "source": _text(True)}, ["vote_id"]),
    _table("separate_votes.csv", {"vote_id": _text(True), "iso3": _code(), "vote": _text(True, choices=_VOTE_VALUES),
                                  "source": _text(True)}, ["vote_id", "iso3"]),
    _table("ukraine_votes.csv", {"vote_id": _text(True), "label": _text(True), "theme": _text(True), "date": _date(),
                                 "compare_with": _text(), "source": _text(True)}, ["vote_id"],
           [pa.Check(lambda df: df["compare_with"] != df["vote_id"], name="compare_with_itself",
                     error="compare_with names the vote itself; name an earlier comparable vote, or leave it empty")]),
    _table("un_membership.csv", {"iso3": _code(known=False), "name": _text(True),
                                 "admitted": _date(lo=pd.Timestamp("1945-10-24")), "left": _date(False),
                                 "note": _text(), "source": _text(True)}, ["iso3", "admitted"],
           [_in_order("admitted", "left")]),
    _table("unfriendly_states.csv", {"iso3": _code(), "name": _text(True), **_dated_period, "source": _text(True),
                                     "source_grade": _text(True, choices=_GRADES), "note": _text()},
           ["iso3", "valid_from"], [_in_order("valid_from", "valid_to")]),
    _table("vote_rights.csv", {"iso3": _code(), "name": _text(True),
                               "basis": _text(True, choices=["article19", "article19_exempted"]), **_dated_period,
                               "valid_to_is": _text(choices=["exact", "upper_bound"]), "attested_until": _date(False),
                               "source": _text(True), "note": _text()}, ["iso3", "valid_from"],
           [_in_order("valid_from", "valid_to")]),
    _table("wheat_import_dependence.csv", {"iso3": _code(), "name": _text(True), "period": _text(True),
                                           "share_from_russia": _number(0, 1), "share_from_ukraine": _number(0, 1),
                                           "source": _text(True), "note": _text()}, ["iso3", "period"]),
]}


def validate_curated(df: pd.DataFrame, name: str, path) -> pd.DataFrame:
    """Check the text table ``df`` of ``data/external/<name>`` against its schema (:data:`CURATED`); raise
    DataFileError naming the file, each failing line, column and value and what to do (every failure, up to 12)."""
    from unvotes.errors import DataFileError

    schema = CURATED.get(name)
    if schema is None:
        raise DataFileError(f"{path}: no schema for this curated table in lib/unvotes/tables/schemas.py (CURATED); every "
                            "table of data/external/ has one: add it")
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        cases = exc.failure_cases
        for row in cases.itertuples(index=False):
            check = str(row.check)
            if check == "multiple_fields_uniqueness" or "unique" in check:
                continue  # reported once below, with both lines
            column = row.column if isinstance(row.column, str) else None
            index = row.index
            line = f"line {int(index) + 2}" if pd.notna(index) else "table"
            explain = _explain(schema, column, check)
            frame_check = next((c for c in schema.checks if check in (c.name, c.error, str(c))), None)
            order = re.fullmatch(r"(\w+)_after_(\w+)", frame_check.name) if frame_check is not None else None
            if frame_check is not None and not order and pd.notna(index):
                key = frame_check.name.removeprefix("no_overlap_of_")
                shown = f" ({key} {df.at[int(index), key]!r})" if key in df.columns else ""
                problems.append(f"{line}{shown}: {frame_check.error}")
                continue
            if order and pd.notna(index):  # a frame-wide order check: name the later column and both values
                then, first = order.groups()
                i = int(index)
                problems.append(f"{line}, column {then!r}: {df.at[i, then]!r} is not after {first} {df.at[i, first]!r}; "
                                "a period ends after it begins (the end is the first day it no longer holds)")
            elif column in df.columns and pd.notna(index):
                value = df.at[int(index), column]
                problems.append(f"{line}, column {column!r}: {value!r} {explain}")
            elif pd.notna(index):
                problems.append(f"{line}: {explain}")
            else:
                problems.append(f"{check}: {row.failure_case}")
        if schema.unique:
            problems += _duplicates(df, list(schema.unique))
        shown = list(dict.fromkeys(problems))
        raise DataFileError(f"{path}: {len(shown)} problem(s):\n  " + "\n  ".join(shown[:12])
                            + ("\n  ..." if len(shown) > 12 else "")) from None


def _explain(schema: pa.DataFrameSchema, column: str | None, check: str) -> str:
    checks = schema.columns[column].checks if column in schema.columns else schema.checks
    for c in checks:
        if c.name == check or str(c) == check or (c.error and c.error in check):
            return c.error or check
    return check


def _duplicates(df: pd.DataFrame, key: list[str]) -> list[str]:
    """One row per key: a second row, identical or conflicting, is an error naming both lines (never 'the first
    wins'); a conflict names the columns that differ and their values."""
    out = []
    repeated = df[df.duplicated(key, keep=False)]
    for values, grp in repeated.groupby(key, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        what = ", ".join(f"{k}={v!r}" for k, v in zip(key, values))
        differ = [c for c in df.columns if c not in key and grp[c].nunique() > 1]
        detail = ("conflicting: " + "; ".join(f"{c} {' vs '.join(map(repr, grp[c]))}" for c in differ)
                  if differ else "identical")
        out.append(f"lines {[i + 2 for i in grp.index]}: the same {', '.join(key)} ({what}) twice, {detail}; keep the "
                   "row its source supports and delete the other")
    return out
