"""The countries table: one row per state, every value with a documented source and year.

Columns come from several modules, each the one home of its logic:

* identity, UN regional group, continent and UN sub-region, history (this module);
* dated memberships of organisations (:mod:`unvotes.tables.organisations`), taken on the eve of the
  invasion by default;
* pre-war covariates: QoG, SIPRI, Voeten (:mod:`unvotes.tables.covariates`);
* the project's own alignment measures from the vote tables (:mod:`unvotes.analyses.alignment`).

Every column is documented in ``data/external/data_dictionary.csv``; :func:`missing_report`
lists which states lack which value. Nothing is imputed: the models decide what to do with gaps.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from unvotes.analyses import alignment
from unvotes.tables import covariates, membership, organisations as memberships
from unvotes.errors import DataFileError
from unvotes.tables.covariates import qog_raw
from unvotes.sources.fetch import path_of

#: Labels of the five UN regional groups, as used throughout the project.
UN_GROUPS = {
    "African Group": "African",
    "Asia-Pacific Group": "Asia-Pacific",
    "Eastern European Group": "Eastern European",
    "GRULAC": "Latin American and Caribbean",
    "WEOG": "Western European and Others",
}
#: Türkiye takes part in both WEOG and the Asia-Pacific Group; for elections it counts in WEOG,
#: which is the rule here (the countrygroups file lists it in both).
TURKIYE_GROUP = "Western European and Others"
#: The eve of the invasion: memberships and alignment are taken on this date by default.
PREWAR_DATE = "2022-02-23"


def identity() -> pd.DataFrame:
    """iso3, UN short name, a shorter display name, first and last day of UN membership."""
    import country_converter as coco

    s = membership.spells()
    g = s.groupby("iso3").agg(un_member_from=("admitted", "min"), un_member_to=("left", "max"),
                              current=("left", lambda x: x.isna().any()))
    g.loc[g["current"], "un_member_to"] = pd.NaT
    names = membership.state_names()
    short = coco.CountryConverter().data.set_index("ISO3")["name_short"]
    out = g.drop(columns="current").join(names.rename("name")).reset_index()
    # country_converter's short names are what readers expect on axes ("Russia", "Iran", "Bolivia")
    out["display_name"] = out["iso3"].map(short).fillna(out["name"])
    return out[["iso3", "name", "display_name", "un_member_from", "un_member_to"]]


def regional_groups() -> pd.DataFrame:
    """UN regional group of every current member (countrygroups file; Türkiye rule above)."""
    path = path_of("countrygroups", "un-regional-groups.csv")
    df = pd.read_csv(path, dtype=str)
    expected = {"Code", "Name", "Region"}
    if not expected <= set(df.columns):
        raise DataFileError(f"{path}: expected columns {sorted(expected)}, found {list(df.columns)}")
    unknown = set(df["Region"]) - set(UN_GROUPS)
    if unknown:
        raise DataFileError(f"{path}: unknown regional group(s) {sorted(unknown)}; known: {sorted(UN_GROUPS)}")
    df["un_group"] = df["Region"].map(UN_GROUPS)
    twice = df["Code"].duplicated(keep=False)
    if set(df.loc[twice, "Code"]) - {"TUR"}:
        raise DataFileError(f"{path}: states listed in two groups: {sorted(set(df.loc[twice, 'Code']))}; "
                         "only Türkiye has a documented rule (countries.TURKIYE_GROUP)")
    df = df[~twice | (df["un_group"] == TURKIYE_GROUP)]
    return df.rename(columns={"Code": "iso3"})[["iso3", "un_group"]].reset_index(drop=True)


def geography() -> pd.DataFrame:
    """M49 region (as continent) and sub-region, from country_converter's table."""
    import country_converter as coco

    d = coco.CountryConverter().data[["ISO3", "continent", "UNregion"]].dropna(subset=["ISO3"])
    d = d.rename(columns={"ISO3": "iso3", "UNregion": "un_subregion"})
    d["continent"] = d["continent"].replace({"America": "Americas"})  # the M49 region's name
    return d.drop_duplicates("iso3")


@lru_cache(maxsize=1)
def _cow_to_iso3() -> dict[int, str]:
    """Correlates of War codes to ISO3, from QoG's identifiers (Serbia, coded 345 by COW, lacks one there)."""
    q = qog_raw()[["ccodecow", "ccodealp"]].dropna()
    mapping = {int(c): a for c, a in zip(q["ccodecow"], q["ccodealp"])}
    mapping.setdefault(345, "SRB")  # COW's Yugoslavia/Serbia; QoG leaves Serbia's COW code empty
    return mapping


def history() -> pd.DataFrame:
    """Former Soviet republic and former colonial ruler (ICOW Colonial History 1.1)."""
    path = path_of("icow-colhist", "coldata110.csv")
    icow = pd.read_csv(path, encoding="utf-8-sig")
    needed = {"State", "Name", "ColRuler", "IndFrom", "IndDate", "SecFrom", "SecDate"}
    if not needed <= set(icow.columns):
        raise DataFileError(f"{path}: expected columns {sorted(needed)}, found {list(icow.columns)}")
    cow = _cow_to_iso3()
    icow["iso3"] = icow["State"].map(cow)
    names = icow.set_index("State")["Name"].replace({"Germany (19th Century Prussia)": "Germany",
                                                       "Turkey": "Ottoman Empire (Turkey)"})
    # independence (or secession) from the USSR (COW 365) in 1991: the 14 republics other than Russia;
    # Finland's independence from the Russian Empire in 1917 does not count
    from_ussr = ((icow["IndFrom"] == 365) & (icow["IndDate"] >= 199100)) | (
        (icow["SecFrom"] == 365) & (icow["SecDate"] >= 199100))
    out = pd.DataFrame({
        "iso3": icow["iso3"],
        "former_soviet": from_ussr | (icow["iso3"] == "RUS"),
        # ICOW codes -9 for states never under a colonial ruler: that is a value ("none"), not a gap
        "colonial_ruler": icow["ColRuler"].map(lambda c: names.get(c, pd.NA) if c > 0 else "none"),
    }).dropna(subset=["iso3"]).drop_duplicates("iso3")
    return out


def build_countries(votes: pd.DataFrame | None = None, roll_calls: pd.DataFrame | None = None,
                    *, date: str = PREWAR_DATE) -> pd.DataFrame:
    """The countries table; memberships on ``date``; alignment from the given vote tables."""
    out = identity()
    current = out["un_member_to"].isna()
    parts = [regional_groups(), geography(), history(), memberships.table(date), covariates.table(),
             alignment.table(votes, roll_calls)]
    for part in parts:
        out = out.merge(part, on="iso3", how="left")
    out["former_soviet"] = out["former_soviet"].astype("boolean")
    out.loc[current, "former_soviet"] = out.loc[current, "former_soviet"].fillna(False)
    for col in [c for c in out.columns if c.startswith("member_")]:
        # a state that no longer exists was a member of nothing on the date: not False, but not applicable
        out[col] = out[col].astype("boolean").mask(~current)
    return out.sort_values("iso3").reset_index(drop=True)


def missing_report(countries: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """For each column: how many current UN members lack a value, and which (display names)."""
    current = countries[countries["un_member_to"].isna()]
    columns = columns or [c for c in countries.columns if c not in ("iso3", "name", "display_name",
                                                                     "un_member_from", "un_member_to")]
    rows = []
    for col in columns:
        miss = current.loc[current[col].isna(), "display_name"].sort_values().tolist()
        rows.append({"column": col, "missing": len(miss), "of": len(current),
                     "states": ", ".join(miss) if len(miss) <= 40 else ", ".join(miss[:40]) + f" … (+{len(miss) - 40})"})
    return pd.DataFrame(rows)
