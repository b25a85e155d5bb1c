"""Declared schemas of the processed tables (pandera). ``validate`` turns violations into one clear error."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .errors import SchemaError
from .quality import FINDING_COLUMNS, SEVERITIES
from .readers import ASSIGNED_BY, KINDS, VOTE_VALUES

#: every source a roll call can come from, in the build's order of precedence (lib/unvotes/build.py)
VOTE_SOURCES = ("undl-ga", "undl-sc", "undl-records", "dgacm-ga", "unga-2025", "unvotes-r", "derived", "curated")
# organisations of the countries table, in its column order (lib/unvotes/memberships.py)
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
        # why a member was absent, where known: it had lost its vote (Article 19); see unvotes.vote_rights
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
        raise SchemaError(f"Table {schema.name!r} violates its schema (lib/unvotes/schemas.py):\n" + "\n".join(lines)) from None
