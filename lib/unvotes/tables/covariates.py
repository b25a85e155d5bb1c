"""Pre-war covariates of the UN member states: regime type, economy, arms ties to Russia, prior alignment.

Every value is measured before Russia's full-scale invasion of Ukraine (24 February 2022), with its year
in ``data/external/data_dictionary.csv``. Three raw files, each fetched through the source registry:

**QoG Standard cross-section, Jan 2025** (``qog``, :func:`qog_covariates`)
    *Which year.* The QoG Standard cross-section holds one value per country for a reference year, which
    the file itself states in every row (``cname_year`` = ``"<name> 2021"``, ``ccodealp_year`` =
    ``"<ISO3>21"``): **2021**. QoG's rule for the cross-section (QoG Standard Dataset page, stated there
    for Jan24 and its year 2020): the reference year is prioritised; where a country has no value for it,
    QoG takes the year after, then the year before, and so on up to +/- 3 years. The Jan25 file follows it
    (``wdi_armimp`` below: 2022 taken before 2020). So a value can come from 2022-2024, i.e. after the
    invasion, and the file does not say which. What this module does about it, variable by variable:

    - V-Dem ``vdem_libdem``, ``vdem_polyarchy`` and Freedom House (``fh_*``): V-Dem and Freedom House score
      every country they cover in every year, so the 2021 value is what QoG takes: **2021**. QoG dates
      Freedom House by the year the report covers (Freedom in the World 2022, events of 2021).
    - ``wdi_gdpcappppcon2021`` (GDP per capita, PPP, constant 2021 international $): **2021, verified per
      state**: in the base year 2021, and only then, a constant-2021-PPP value equals the current-PPP value
      (``wdi_gdpcappppcur``). A state whose two values differ has a substitute year and gets NaN (none in
      Jan25: all 183 values pass).
    - ``wdi_pop``: WDI population has every country in 2021: **2021**.
    - ``wdi_trade`` (trade, % of GDP) and ``wdi_expmil`` (military expenditure, % of GDP): **2021 nominal,
      flagged**: for a state with no 2021 value in WDI, QoG's substitute may be from 2018-2024 and cannot be
      detected in the file. Used, with that flag in the dictionary.
    - ``wdi_armimp`` (arms imports, SIPRI TIV via WDI): **excluded**. Comparing it with the SIPRI register
      shows that QoG filled states without 2021 deliveries from later years (South Africa, Croatia, Malawi
      and Micronesia match their 2022 deliveries exactly, Malta its 2023 ones). Replaced by
      ``arms_imports_tiv_2021`` computed from the SIPRI register itself (deliveries in 2021, 0 if none).

    Freedom House total: QoG has no total column, only the seven subscores. Their ranges (checked) are
    A ``fh_ep`` electoral process 0-12, B ``fh_ppp`` political pluralism and participation 0-16,
    C ``fh_fog`` functioning of government 0-12 (political rights, 0-40); D ``fh_feb`` freedom of expression
    and belief 0-16, E ``fh_aor`` associational and organizational rights 0-12, F ``fh_rol`` rule of law
    0-16, G ``fh_pair`` personal autonomy and individual rights 0-16 (civil liberties, 0-60).
    ``fh_total`` is their sum (0-100). It equals Freedom House's published total except where Freedom House
    deducts points for its additional discretionary question on forced demographic change, which QoG does
    not carry: China's sum is 12 against a published 9 (political rights -2/40), Syria's 4 against 1.
    ``fh_status``: QoG codes 1 Free, 2 Partly Free, 3 Not Free (checked: totals 71-100, 34-69, 2-34).

    Rows: 194, the 193 UN members and Taiwan (dropped: not a member). QoG labels some states by period
    (``Cyprus (1975-)``, ``Sudan (2012-)``, ...); they are today's states, no duplicates. Missing values stay
    NaN, never imputed: V-Dem does not cover 21 small states (AND, ATG, BHS, ... WSM); **Sudan** has no
    V-Dem, Freedom House or WDI value at all in this QoG release (its row carries 48 of 1,641 variables), so
    its Freedom House total and status (Freedom in the World 2022, events of 2021) and V-Dem indices (2021)
    are taken from the sources directly, cited per value in ``data/external/regime_scores_supplement.csv``
    (:func:`fill_from_supplement`; Freedom House's published total, which may differ from the sum of
    subscores by its discretionary deduction); GDP is missing for CUB, ERI, LIE, MCO, PRK, SDN, SSD, TKM, VEN, YEM.

**SIPRI trade register** (``sipri``, :func:`sipri_russia_share`)
    Layout: 11 lines of notes, then a header; one row per (deal, delivery year). A deal delivered over
    several years has one row per year, with ``Numbers delivered`` and ``TIV delivery values`` for that
    year only, e.g. deal 50714 (United States to Afghanistan, HMMWV-UA, ordered 2008)::

        50714,...,2008,No,1750,Yes,2010,No,New,0.13,0.13,227.5,No     (1,750 delivered in 2010, 227.5 TIV)
        50714,...,2008,No,400,Yes,2008,No,New,0.13,0.13,52,No         (400 delivered in 2008, 52 TIV)

    so summing ``TIV delivery values`` over rows whose ``Delivery year`` is in the window gives exactly the
    deliveries of the window (SIPRI TIV, millions; '0' means under 0.5). Licensed production (``Local
    production`` = Yes) counts, as in SIPRI's own import totals. Suppliers ``Russia`` and ``Soviet Union``
    count as Russia (the continuing state, as in the project's conventions); the register has no Soviet
    Union rows (deliveries from 2000). ``unknown supplier(s)`` counts in the total, not as Russia.
    Recipients: names ending in ``*`` are non-state armed groups (19 names, e.g. ``Houthi rebels
    (Yemen)*``, ``Libya HoR*``), ``**`` international organisations (``African Union**``, ``NATO**``,
    ``OSCE**``, ``United Nations**``), plus ``unknown recipient(s)``: all excluded (:func:`sipri_recipients`
    lists them). The others are matched to ISO3 by :func:`unvotes.tables.reconcile.to_iso3`; ``Libya GNC``
    (SIPRI's unstarred name for the Tripoli government) merges with ``Libya`` into LBY. State recipients
    that are not UN members (Taiwan, Kosovo, Palestine, Western Sahara) keep a row with ``un_member`` False.
    A state that imported nothing in the window has total 0 and share NaN (undefined, not 0).

**Voeten ideal points, June 2024** (``voeten-idealpoints``, :func:`voeten`)
    Session 75 (15 Sep 2020 - 13 Sep 2021) is the last full session before the invasion; in the file it
    has all 193 members, the US agreeing with itself at 1 and the highest ideal point. Session 76
    (14 Sep 2021 - 12 Sep 2022) runs six and a half months past 24 Feb 2022: the project's roll calls hold
    three recorded session-76 votes after the invasion (A/RES/76/267 on Georgia's displaced persons,
    76/290, 76/300) besides ES-11/1-3, so a session-76 estimate can reflect post-invasion voting (and the
    file lacks DR Congo in 76, Venezuela in 77-78). Voeten's ``iso3c`` follows the project's codes except:
    ccode 345 is ``YUG`` in every session, so it is ``YUG`` up to session 47 (the SFRY; its session-47
    row rests on one vote) and ``SRB`` from session 55 (the FRY from 1 Nov 2000, then Serbia and
    Montenegro, then Serbia); ccode 678 (Yemen Arab Republic, ``YAR``) is ``YEM`` (united Yemen continues
    its seat); ccode 680 (Yemen People's Republic, also ``YAR`` in the file)
    is ``YMD``. Germany (``DEU`` for the FRG and united Germany, ``DDR``), Taiwan (``TWN``, sessions 1-26)
    and China (``CHN`` from session 26) already match. In session 75, Somalia's ideal point rests on a
    single vote: ``voeten_nvotes_s75`` says so.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from unvotes.tables import membership, reconcile
from unvotes import paths
from unvotes.errors import DataFileError, RawFormatError
from unvotes.sources.fetch import path_of
from unvotes.sources.raw_files import registry

log = logging.getLogger(__name__)

WAR_START = pd.Timestamp("2022-02-24")
#: Membership date of the table: the eve of the invasion (the same 193 members as today).
MEMBERS_ON = WAR_START - pd.Timedelta(days=1)

QOG = ("qog", "qog_std_cs_jan25.csv")
SIPRI = ("sipri", "trade-register.csv")
VOETEN = ("voeten-idealpoints", "IdealpointestimatesAll_Jun2024.csv")

QOG_YEAR = 2021
VOETEN_SESSION = 75
SIPRI_WINDOW = (2010, 2021)

#: Freedom House subscores in QoG: (maximum, Freedom House category). PR = A+B+C (0-40), CL = D+E+F+G (0-60).
FH_SUBSCORES = {"fh_ep": (12, "A"), "fh_ppp": (16, "B"), "fh_fog": (12, "C"), "fh_feb": (16, "D"),
                "fh_aor": (12, "E"), "fh_rol": (16, "F"), "fh_pair": (16, "G")}
FH_STATUS = {1: "Free", 2: "Partly Free", 3: "Not Free"}
QOG_COLUMNS = ["ccodealp", "ccodecow", "cname", "cname_year", "vdem_libdem", "vdem_polyarchy", *FH_SUBSCORES, "fh_status",
               "wdi_gdpcappppcon2021", "wdi_gdpcappppcur", "wdi_pop", "wdi_trade", "wdi_expmil"]

SIPRI_HEADER_START = "SIPRI AT Database ID"
SIPRI_COLUMNS = ["SIPRI AT Database ID", "Supplier", "Recipient", "Delivery year", "TIV delivery values"]
RUSSIA_SUPPLIERS = frozenset({"Russia", "Soviet Union"})
#: China's share is measured from the same register by the same rule as Russia's (the Chinese-following test).
CHINA_SUPPLIERS = frozenset({"China"})
#: Recipients that are not states although SIPRI does not star them.
SIPRI_UNKNOWN_RECIPIENTS = frozenset({"unknown recipient(s)"})
#: Historical SIPRI recipient names (in the all-years register of March 2025) and the project's code for each, by
#: the conventions of data/external/un_membership.csv: the name matcher, asked at one date, would give South Yemen
#: united Yemen's code and Yugoslavia Serbia's; the Soviet Union as a recipient is Russia (the continuing state).
SIPRI_HISTORICAL_CODES = {"Soviet Union": "RUS", "East Germany (GDR)": "DDR", "Czechoslovakia": "CSK",
                          "Yugoslavia": "YUG", "South Yemen": "YMD", "North Yemen": "YEM",
                          "Yemen Arab Republic (North Yemen)": "YEM"}
#: Unstarred SIPRI recipients that were never UN member states nor part of one's continuing seat: secessionist or
#: unrecognised entities (Northern Cyprus would otherwise be matched to Cyprus). Excluded like the starred ones.
SIPRI_UNRECOGNISED = frozenset({"Biafra", "Katanga", "Northern Cyprus", "South Vietnam"})

VOETEN_COLUMNS = ["ccode", "session", "NVotesAll", "IdealPointAll", "iso3c", "Countryname",
                  "USAgree", "RUSSAgree", "ChinaAgree"]


def _path(source_file: tuple[str, str]) -> Path:
    return path_of(*source_file)


def _citation(source_id: str) -> str:
    return registry().sources[source_id].citation


# ---------------------------------------------------------------------------------------------------- QoG

def _numeric(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    values = pd.to_numeric(df[col], errors="coerce")
    bad = values.isna() & df[col].notna()
    if bad.any():
        i = bad.idxmax()
        raise RawFormatError(f"{path}: column {col!r} has a non-numeric value {df.at[i, col]!r} "
                             f"(row of {df.at[i, 'ccodealp']}); expected a number or empty.")
    return values


def _check_range(values: pd.Series, lo: float, hi: float, what: str, path: Path, ids: pd.Series) -> None:
    out = values.notna() & ((values < lo) | (values > hi))
    if out.any():
        listing = ", ".join(f"{ids[i]}={values[i]}" for i in values.index[out][:10])
        raise RawFormatError(f"{path}: {what} outside {lo}-{hi}: {listing}. The QoG release may have changed "
                             "the variable's scale: check its codebook before using it.")


@lru_cache(maxsize=2)
def _read_qog(path: Path) -> pd.DataFrame:
    header = pd.read_csv(path, nrows=0).columns
    missing = [c for c in QOG_COLUMNS if c not in header]
    if missing:
        raise RawFormatError(f"{path}: missing column(s) {missing}; expected the QoG Standard cross-section "
                             "(qog_std_cs_jan25.csv) layout.")
    return pd.read_csv(path, usecols=QOG_COLUMNS, low_memory=False)


def qog_raw() -> pd.DataFrame:
    """The QoG cross-section columns this project reads (:data:`QOG_COLUMNS`), read once per process."""
    return _read_qog(_path(QOG))


def qog_covariates() -> pd.DataFrame:
    """QoG covariates for the UN members on the eve of the invasion (193 rows), values of 2021.

    Columns: iso3, vdem_libdem, vdem_polyarchy, fh_total, fh_status, gdp_pc_ppp, log_gdp_pc_ppp, population,
    trade_pct_gdp, milex_pct_gdp. Missing values stay NaN. See the module docstring for the year of each.
    """
    path = _path(QOG)
    out = qog_frame(_read_qog(path), path)
    absent = sorted(membership.members_on(MEMBERS_ON) - set(out["iso3"]))
    if absent:
        raise RawFormatError(f"{path}: no row for UN member(s) {absent}")
    return fill_from_supplement(out)


SUPPLEMENT_FILE = "regime_scores_supplement.csv"
SUPPLEMENT_COLUMNS = ["iso3", "name", "variable", "year", "value", "source", "note"]
#: What the supplement may fill, with each variable's range (fh_status: QoG's code 1-3).
SUPPLEMENT_VARIABLES = {"fh_total": (0, 100), "fh_status": (1, 3), "vdem_polyarchy": (0, 1), "vdem_libdem": (0, 1)}


def regime_supplement() -> pd.DataFrame:
    """``data/external/regime_scores_supplement.csv``: regime scores taken from Freedom House and V-Dem directly
    where QoG's row is empty (Sudan), one cited row per state, variable and year; checked."""
    from unvotes.tables.external import check_codes_and_sources, check_unique, read_curated

    path = paths.external_dir() / SUPPLEMENT_FILE
    df = read_curated(SUPPLEMENT_FILE, SUPPLEMENT_COLUMNS)
    check_codes_and_sources(df, SUPPLEMENT_FILE)
    check_unique(df, SUPPLEMENT_FILE, ["iso3", "variable", "year"])
    for i, row in df.iterrows():
        where = f"{path}, line {i + 2}"
        if row["variable"] not in SUPPLEMENT_VARIABLES:
            raise DataFileError(f"{where}: variable {row['variable']!r} is not one the supplement fills; choose one "
                                f"of {sorted(SUPPLEMENT_VARIABLES)}")
        lo, hi = SUPPLEMENT_VARIABLES[row["variable"]]
        value, year = pd.to_numeric(row["value"], errors="coerce"), pd.to_numeric(row["year"], errors="coerce")
        if pd.isna(year) or not 1990 <= year <= 2026:
            raise DataFileError(f"{where}: year {row['year']!r} is not a year between 1990 and 2026")
        if pd.isna(value) or not lo <= value <= hi:
            raise DataFileError(f"{where}: value {row['value']!r} of {row['variable']} is not a number in {lo}..{hi}")
    return df.assign(year=df["year"].astype(int), value=df["value"].astype(float))


def fill_from_supplement(qog: pd.DataFrame) -> pd.DataFrame:
    """QoG's regime scores with the empty cells filled from :func:`regime_supplement` (values of QOG_YEAR only;
    a cell QoG has is never replaced)."""
    out = qog.copy()
    rows = regime_supplement()
    for row in rows[rows["year"] == QOG_YEAR].itertuples(index=False):
        at = out["iso3"] == row.iso3
        if not at.any() or out.loc[at, row.variable].notna().all():
            continue
        value = FH_STATUS[int(row.value)] if row.variable == "fh_status" else row.value
        out.loc[at, row.variable] = value
    # a state the supplement is for, whose cell is still empty, has no row for QOG_YEAR (e.g. its year mistyped):
    # it would silently leave every model that uses the variable
    for (iso3, variable), grp in rows.groupby(["iso3", "variable"]):
        at = out["iso3"] == iso3
        if at.any() and out.loc[at, variable].isna().any():
            raise DataFileError(f"{paths.external_dir() / SUPPLEMENT_FILE}: {iso3} {variable} has rows for "
                                f"{sorted(grp['year'].tolist())} but none for {QOG_YEAR}, the year of QoG's cross-section "
                                f"it fills (lines {[i + 2 for i in grp.index]}); add the {QOG_YEAR} value with its source")
    return out


def supplement_findings() -> list[dict]:
    """The supplement's rows that the countries table does not read (years other than :data:`QOG_YEAR`, kept as the
    sources' later values), stated as one quality finding (info) naming their lines, so that none is dropped without
    a word."""
    from unvotes.quality import finding

    rows = regime_supplement()
    other = rows[rows["year"] != QOG_YEAR]
    if other.empty:
        return []
    lines = [i + 2 for i in other.index]
    return [finding("qog", "supplement_not_read", f"data/external/{SUPPLEMENT_FILE}: {len(other)} row(s) for "
                    f"{sorted(set(other['year']))} (lines {lines[0]}-{lines[-1]}) are not read: the countries table's "
                    f"regime scores are of {QOG_YEAR}, the year of QoG's cross-section; only the {QOG_YEAR} rows fill it",
                    source_ref=f"data/external/{SUPPLEMENT_FILE}", severity="info", listed=str(len(other)))]


def qog_frame(raw: pd.DataFrame, path: Path | str = "QoG cross-section") -> pd.DataFrame:
    """The covariates from QoG cross-section rows (columns :data:`QOG_COLUMNS`), UN members only, checked."""
    path = Path(path)
    years = raw["cname_year"].astype(str).str.extract(r"(\d{4})$")[0]
    if not (years == str(QOG_YEAR)).all():
        found = sorted(years.dropna().unique())
        raise RawFormatError(f"{path}: cross-section year {found} in cname_year, expected {QOG_YEAR}. A new QoG "
                             "release moves the reference year: update QOG_YEAR and the data dictionary after checking "
                             "that it is still before 2022.")
    dup = raw["ccodealp"][raw["ccodealp"].duplicated()]
    if len(dup):
        raise RawFormatError(f"{path}: ccodealp repeated: {sorted(dup)}")
    members = membership.members_on(MEMBERS_ON)
    not_members = raw.loc[~raw["ccodealp"].isin(members), "ccodealp"].tolist()
    if not_members:  # Taiwan in Jan25
        log.info("QoG rows that are not UN members, dropped: %s", not_members)
    q = raw[raw["ccodealp"].isin(members)].reset_index(drop=True)
    ids = q["ccodealp"]

    out = pd.DataFrame({"iso3": ids})
    for col in ("vdem_libdem", "vdem_polyarchy"):
        out[col] = _numeric(q, col, path)
        _check_range(out[col], 0, 1, col, path, ids)

    sub = {}
    for col, (top, _) in FH_SUBSCORES.items():
        sub[col] = _numeric(q, col, path)
        _check_range(sub[col], 0, top, col, path, ids)
    out["fh_total"] = pd.DataFrame(sub).sum(axis=1, min_count=len(sub))  # NaN unless all seven exist
    status = _numeric(q, "fh_status", path)
    unknown = status.notna() & ~status.isin(list(FH_STATUS))
    if unknown.any():
        raise RawFormatError(f"{path}: fh_status codes {sorted(status[unknown].unique())} not in {FH_STATUS}")
    out["fh_status"] = status.map(FH_STATUS).astype("string")

    gdp = _numeric(q, "wdi_gdpcappppcon2021", path)
    gdp_cur = _numeric(q, "wdi_gdpcappppcur", path)
    # Only in the base year 2021 does a constant-2021-PPP value equal the current-PPP value.
    not_2021 = gdp.notna() & ~np.isclose(gdp, gdp_cur, rtol=1e-9, atol=0)
    if not_2021.any():
        log.warning("QoG GDP per capita not from %s (constant != current PPP), set to NaN: %s",
                    QOG_YEAR, ids[not_2021].tolist())
        gdp = gdp.mask(not_2021)
    _check_range(gdp, 1, 1e6, "wdi_gdpcappppcon2021", path, ids)
    out["gdp_pc_ppp"] = gdp
    out["log_gdp_pc_ppp"] = np.log(gdp)
    out["population"] = _numeric(q, "wdi_pop", path)
    _check_range(out["population"], 1, 2e9, "wdi_pop", path, ids)
    out["trade_pct_gdp"] = _numeric(q, "wdi_trade", path)
    _check_range(out["trade_pct_gdp"], 0, 1000, "wdi_trade", path, ids)
    out["milex_pct_gdp"] = _numeric(q, "wdi_expmil", path)
    _check_range(out["milex_pct_gdp"], 0, 100, "wdi_expmil", path, ids)
    return out.sort_values("iso3").reset_index(drop=True)


# -------------------------------------------------------------------------------------------------- SIPRI

def read_trade_register(path: Path | str) -> pd.DataFrame:
    """The SIPRI trade register as one row per (deal, delivery year).

    Columns: deal_id, supplier, recipient, delivery_year (int), tiv (float, millions; empty = 0),
    source_ref (file and line). The header is found after the notes (11 lines in the 2025 export).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    try:
        h = next(i for i, line in enumerate(lines) if line.startswith(SIPRI_HEADER_START))
    except StopIteration:
        raise RawFormatError(f"{path}: no header line starting with {SIPRI_HEADER_START!r}; expected a SIPRI "
                             "trade register export (notes, then the column header).") from None
    df = pd.read_csv(io.StringIO("\n".join(lines[h:])), dtype=str, keep_default_na=False)
    missing = [c for c in SIPRI_COLUMNS if c not in df.columns]
    if missing:
        raise RawFormatError(f"{path}: line {h + 1}: missing column(s) {missing}; found {list(df.columns)}")
    ref = [f"{path.name} line {h + 2 + i}" for i in range(len(df))]
    year = pd.to_numeric(df["Delivery year"].str.strip(), errors="coerce")
    bad = year.isna() | (year % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RawFormatError(f"{path}: {ref[i]}: Delivery year {df['Delivery year'].iat[i]!r} is not a year "
                             f"({int(bad.sum())} such rows). The register must list one row per delivery year.")
    tiv_text = df["TIV delivery values"].str.strip()
    tiv = pd.to_numeric(tiv_text.replace("", "0"), errors="coerce")  # SIPRI: empty = no deliveries identified
    bad = tiv.isna() | (tiv < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RawFormatError(f"{path}: {ref[i]}: TIV delivery values {tiv_text.iat[i]!r} is not a non-negative "
                             f"number ({int(bad.sum())} such rows).")
    return pd.DataFrame({"deal_id": df["SIPRI AT Database ID"], "supplier": df["Supplier"].str.strip(),
                         "recipient": df["Recipient"].str.strip(), "delivery_year": year.astype(int),
                         "tiv": tiv.astype(float), "source_ref": ref})


def recipient_kind(name: str) -> str:
    """'state', 'non-state' (SIPRI's ``*``), 'organisation' (``**``), 'unrecognised' (:data:`SIPRI_UNRECOGNISED`)
    or 'unknown'."""
    if name.endswith("**"):
        return "organisation"
    if name.endswith("*"):
        return "non-state"
    if name in SIPRI_UNKNOWN_RECIPIENTS:
        return "unknown"
    if name in SIPRI_UNRECOGNISED:
        return "unrecognised"
    return "state"


def _recipients(register: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per SIPRI recipient name: kind, iso3 (states only), TIV imported in [start, end], of which from Russia."""
    if not (isinstance(start, (int, np.integer)) and isinstance(end, (int, np.integer)) and start <= end):
        raise ValueError(f"start and end must be years with start <= end, got {start!r}, {end!r}")
    lo, hi = register["delivery_year"].min(), register["delivery_year"].max()
    if start < lo or end > hi:
        raise ValueError(f"the SIPRI register holds deliveries {lo}-{hi}; {start}-{end} is outside it")
    first = register.drop_duplicates("recipient").set_index("recipient")["source_ref"]
    w = register[register["delivery_year"].between(start, end)]
    tiv = w.groupby("recipient")["tiv"].sum()
    tiv_ru = w[w["supplier"].isin(RUSSIA_SUPPLIERS)].groupby("recipient")["tiv"].sum()
    tiv_cn = w[w["supplier"].isin(CHINA_SUPPLIERS)].groupby("recipient")["tiv"].sum()
    rec = pd.DataFrame({"sipri_name": first.index})
    rec["kind"] = rec["sipri_name"].map(recipient_kind)
    rec["tiv"] = rec["sipri_name"].map(tiv).fillna(0.0)
    rec["tiv_russia"] = rec["sipri_name"].map(tiv_ru).fillna(0.0)
    rec["tiv_china"] = rec["sipri_name"].map(tiv_cn).fillna(0.0)
    states = rec["kind"] == "state"
    frame = pd.DataFrame({"country": rec.loc[states, "sipri_name"], "country_code": "",
                          "date": MEMBERS_ON, "source_ref": rec.loc[states, "sipri_name"].map(first)})
    rec["iso3"] = pd.Series(pd.NA, index=rec.index, dtype="string")
    historical = rec["sipri_name"].isin(list(SIPRI_HISTORICAL_CODES))
    rec.loc[historical, "iso3"] = rec.loc[historical, "sipri_name"].map(SIPRI_HISTORICAL_CODES)
    frame = frame[~frame["country"].isin(list(SIPRI_HISTORICAL_CODES))]
    matched = states & ~historical
    if matched.any():
        rec.loc[matched, "iso3"] = reconcile.to_iso3(frame, known_codes=membership.known_codes(),
                                                     what="SIPRI recipients").to_numpy()
    rec["un_member"] = rec["iso3"].isin(membership.members_on(MEMBERS_ON))
    return rec.sort_values("sipri_name").reset_index(drop=True)


def russia_share(register: pd.DataFrame, start: int = SIPRI_WINDOW[0], end: int = SIPRI_WINDOW[1]) -> pd.DataFrame:
    """Russia's share of each state's imports of major arms delivered in [start, end] (from a parsed register).

    One row per state: every UN member (total 0 and share NaN if it imported nothing) and every other state
    recipient in the register. Columns: iso3, sipri_names, un_member, arms_imports_tiv,
    arms_imports_tiv_russia, ru_arms_share, and China's by the same rule (arms_imports_tiv_china, cn_arms_share).
    """
    rec = _recipients(register, start, end)
    states = rec[rec["kind"] == "state"]
    g = states.groupby("iso3").agg(sipri_names=("sipri_name", "; ".join), arms_imports_tiv=("tiv", "sum"),
                                   arms_imports_tiv_russia=("tiv_russia", "sum"),
                                   arms_imports_tiv_china=("tiv_china", "sum"))
    members = sorted(membership.members_on(MEMBERS_ON))
    g = g.reindex(sorted(set(g.index) | set(members)))
    g.index.name = "iso3"
    g["sipri_names"] = g["sipri_names"].fillna("")
    tivs = ["arms_imports_tiv", "arms_imports_tiv_russia", "arms_imports_tiv_china"]
    g[tivs] = g[tivs].fillna(0.0)
    total = g["arms_imports_tiv"]
    g["ru_arms_share"] = (g["arms_imports_tiv_russia"] / total).where(total > 0)  # undefined without imports
    g["cn_arms_share"] = (g["arms_imports_tiv_china"] / total).where(total > 0)
    g["un_member"] = g.index.isin(members)
    out = g.reset_index()
    return out[["iso3", "sipri_names", "un_member", "arms_imports_tiv", "arms_imports_tiv_russia", "ru_arms_share",
                "arms_imports_tiv_china", "cn_arms_share"]]


@lru_cache(maxsize=1)
def _sipri_register() -> pd.DataFrame:
    return read_trade_register(_path(SIPRI))


def sipri_recipients(start: int = SIPRI_WINDOW[0], end: int = SIPRI_WINDOW[1]) -> pd.DataFrame:
    """Every recipient name in the SIPRI register: sipri_name, kind, tiv and tiv_russia in [start, end], iso3
    (states only), un_member. Shows what :func:`sipri_russia_share` excludes (kind != 'state')."""
    return _recipients(_sipri_register(), start, end)


def sipri_russia_share(start: int = SIPRI_WINDOW[0], end: int = SIPRI_WINDOW[1]) -> pd.DataFrame:
    """Russia's share of each state's major-arms imports delivered in [start, end], by SIPRI TIV.

    See :func:`russia_share` for the columns; the shares are NaN where the total is 0.
    """
    return russia_share(_sipri_register(), start, end)


# ------------------------------------------------------------------------- SIPRI, all years to 2024 (March 2025)

SIPRI_ALL_YEARS = ("sipri", "trade-register_generated-2025-03-13.csv")
#: The Soviet era of the all-years register: its first delivery year to the USSR's last.
SOVIET_ERA = (1950, 1991)
#: A vote sees the deliveries of this many calendar years before its own (a 2025 vote: 2021-2024).
ARMS_YEARS_BEFORE = 4


@lru_cache(maxsize=1)
def sipri_deliveries_all_years() -> pd.DataFrame:
    """The all-years register (generated 13 March 2025, deliveries 1950-2024) as one row per (deal, delivery year),
    each deal's delivered TIV spread equally over its delivery years (:mod:`unvotes.sources.readers.sipri_deals`)."""
    from unvotes.sources.readers.sipri_deals import deliveries, read_deals

    return deliveries(read_deals(_path(SIPRI_ALL_YEARS)))


def sipri_share_all_years(start: int, end: int) -> pd.DataFrame:
    """Russia's (the Soviet Union's included) and China's shares of each state's major-arms imports delivered in
    [start, end] (1950-2024), from the all-years register; the columns of :func:`russia_share`."""
    return russia_share(sipri_deliveries_all_years(), start, end)


def soviet_era_arms() -> pd.DataFrame:
    """The Soviet-era stock: imports of major arms delivered 1950-1991 (:data:`SOVIET_ERA`), from the Soviet Union
    and in all, per state. Columns iso3, soviet_arms_tiv_1950_1991, soviet_arms_share_1950_1991 (NaN without
    imports: among them the former Soviet republics, whose stock SIPRI does not record as a transfer, and states
    independent only later), log_soviet_arms_tiv_1950_1991. States are by their code then: Czechoslovakia (CSK),
    the GDR (DDR), South Yemen (YMD) and the SFRY (YUG) are not merged into today's states; North Yemen is YEM."""
    s = sipri_share_all_years(*SOVIET_ERA)
    out = pd.DataFrame({"iso3": s["iso3"], "soviet_arms_tiv_1950_1991": s["arms_imports_tiv_russia"],
                        "soviet_arms_share_1950_1991": s["ru_arms_share"]})
    out["log_soviet_arms_tiv_1950_1991"] = np.log1p(out["soviet_arms_tiv_1950_1991"])
    return out


def arms_before(pairs: pd.DataFrame) -> pd.DataFrame:
    """For each (``iso3``, ``date``) row: the major arms delivered to the state in the :data:`ARMS_YEARS_BEFORE`
    calendar years before the date's year (a vote of 2025 sees 2021-2024; of 2022, 2018-2021), so a vote never sees
    a delivery of its own year or later. Columns ru_arms_share_4y_before, log_ru_arms_tiv_4y_before,
    cn_arms_share_4y_before, log_cn_arms_tiv_4y_before; shares NaN without imports; all <NA> where the window
    reaches past the register's last year (a vote of 2026 would need 2025's deliveries)."""
    d = sipri_deliveries_all_years()
    last = int(d["delivery_year"].max())
    rec = _recipients(d, int(d["delivery_year"].min()), last)
    codes = rec.loc[rec["kind"] == "state"].set_index("sipri_name")["iso3"]
    d = d[d["recipient"].isin(codes.index)].assign(iso3=lambda x: x["recipient"].map(codes))
    by_year = pd.DataFrame({
        "total": d.groupby(["iso3", "delivery_year"])["tiv"].sum(),
        "russia": d[d["supplier"].isin(RUSSIA_SUPPLIERS)].groupby(["iso3", "delivery_year"])["tiv"].sum(),
        "china": d[d["supplier"].isin(CHINA_SUPPLIERS)].groupby(["iso3", "delivery_year"])["tiv"].sum(),
    }).fillna(0.0).reset_index()
    p = pairs[["iso3", "date"]].reset_index(drop=True)
    year = pd.to_datetime(p["date"]).dt.year
    m = p.assign(year=year).reset_index().merge(by_year, on="iso3", how="left")
    inside = (m["delivery_year"] >= m["year"] - ARMS_YEARS_BEFORE) & (m["delivery_year"] < m["year"])
    sums = m[inside].groupby("index")[["total", "russia", "china"]].sum().reindex(p.index, fill_value=0.0)
    known = (year - 1 <= last).to_numpy()
    out = pd.DataFrame(index=p.index)
    for who, short in (("russia", "ru"), ("china", "cn")):
        share = (sums[who] / sums["total"]).where(sums["total"] > 0)
        out[f"{short}_arms_share_4y_before"] = share.where(known)
        out[f"log_{short}_arms_tiv_4y_before"] = np.log1p(sums[who]).where(known)
    return out[["ru_arms_share_4y_before", "log_ru_arms_tiv_4y_before", "cn_arms_share_4y_before",
                "log_cn_arms_tiv_4y_before"]]


def compare_registers(start: int = SIPRI_WINDOW[0], end: int = SIPRI_WINDOW[1]) -> pd.DataFrame:
    """Each UN member's imports of [start, end] by the per-year register (January 2025, exact yearly TIV) and by the
    all-years register (March 2025, a deal's TIV spread equally over its years): iso3, tiv_per_year_register,
    tiv_all_years_register, ru_tiv_per_year_register, ru_tiv_all_years_register. Measures what the equal spread
    (and SIPRI's revisions between the two exports) changes."""
    a = sipri_russia_share(start, end).set_index("iso3")
    b = sipri_share_all_years(start, end).set_index("iso3")
    members = sorted(membership.members_on(MEMBERS_ON))
    return pd.DataFrame({"tiv_per_year_register": a["arms_imports_tiv"], "tiv_all_years_register":
                         b["arms_imports_tiv"], "ru_tiv_per_year_register": a["arms_imports_tiv_russia"],
                         "ru_tiv_all_years_register": b["arms_imports_tiv_russia"]}).reindex(members).fillna(0.0) \
        .rename_axis("iso3").reset_index()


# ------------------------------------------------------------------------------------------------- Voeten

@lru_cache(maxsize=1)
def voeten_all() -> pd.DataFrame:
    """Voeten's scores for every session (iso3, session, ideal_point, agree_usa, agree_rus, agree_chn, n_votes)."""
    path = _path(VOETEN)
    df = pd.read_csv(path)  # CRLF line endings are handled by the parser
    missing = [c for c in VOETEN_COLUMNS if c not in df.columns]
    if missing:
        raise RawFormatError(f"{path}: missing column(s) {missing}; found {list(df.columns)}")
    return voeten_frame(df, path)


def voeten_frame(df: pd.DataFrame, path: Path | str = VOETEN[1]) -> pd.DataFrame:
    """Voeten's rows (columns :data:`VOETEN_COLUMNS`) with project ISO3 codes: iso3, session, ideal_point,
    agree_usa, agree_rus, agree_chn, n_votes."""
    iso = df["iso3c"].astype("string").str.strip()
    iso = iso.mask((df["ccode"] == 345) & (df["session"] >= 55), "SRB")  # Voeten: YUG for the FRY/Serbia too
    iso = iso.mask(df["ccode"] == 678, "YEM")  # North Yemen: united Yemen continues its seat
    iso = iso.mask(df["ccode"] == 680, "YMD")  # South Yemen: 'YAR' in the file, North Yemen's code
    unknown = ~iso.isin(membership.known_codes())
    if unknown.any():
        rows = df.loc[unknown, ["ccode", "iso3c", "Countryname", "session"]].drop_duplicates("ccode")
        raise RawFormatError(f"{path}: codes the project does not know:\n{rows.to_string(index=False)}\n"
                             "Map them in unvotes.tables.covariates.voeten_frame (documented rule) or add the state to "
                             "data/external/un_membership.csv.")
    dup = pd.DataFrame({"iso3": iso, "session": df["session"]}).duplicated(keep=False)
    if dup.any():
        raise RawFormatError(f"{path}: several rows for one state and session after mapping: "
                             f"{df.loc[dup, ['ccode', 'iso3c', 'session']].head(10).to_dict('records')}")
    return pd.DataFrame({"iso3": iso.astype(str), "session": df["session"].astype(int),
                         "ideal_point": df["IdealPointAll"].astype(float), "agree_usa": df["USAgree"].astype(float),
                         "agree_rus": df["RUSSAgree"].astype(float), "agree_chn": df["ChinaAgree"].astype(float),
                         "n_votes": df["NVotesAll"].astype(int)})


def voeten(session: int) -> pd.DataFrame:
    """Voeten's ideal points and agreement rates for one regular GA session.

    Columns: iso3, ideal_point, agree_usa, agree_rus, agree_chn (share of votes agreeing with the US, Russia,
    China; a state agrees with itself at 1), n_votes (votes the estimate rests on). Codes follow the project's
    conventions (see the module docstring).
    """
    all_ = voeten_all()
    sessions = sorted(all_["session"].unique())
    if session not in sessions:
        raise ValueError(f"no session {session!r} in {VOETEN[1]}: sessions {sessions[0]}-{sessions[-1]} "
                         f"(missing: {sorted(set(range(sessions[0], sessions[-1] + 1)) - set(sessions))})")
    out = all_[all_["session"] == session].drop(columns="session")
    return out.sort_values("iso3").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- the table

def table() -> pd.DataFrame:
    """One row per UN member on the eve of the invasion (193), iso3 plus every column of :data:`COLUMNS`."""
    members = pd.DataFrame({"iso3": sorted(membership.members_on(MEMBERS_ON))})
    sipri = sipri_russia_share(*SIPRI_WINDOW).rename(columns={
        "ru_arms_share": "ru_arms_share_2010_2021", "arms_imports_tiv": "arms_imports_tiv_2010_2021",
        "arms_imports_tiv_russia": "ru_arms_tiv_2010_2021", "cn_arms_share": "cn_arms_share_2010_2021",
        "arms_imports_tiv_china": "cn_arms_tiv_2010_2021"})
    # Dependence in levels as well as a share: a share is undefined without imports and noisy for tiny
    # importers; log(1 + TIV) with a no-imports indicator keeps both kinds of state in a model.
    sipri["log_ru_arms_tiv_2010_2021"] = np.log1p(sipri["ru_arms_tiv_2010_2021"])
    sipri["log_cn_arms_tiv_2010_2021"] = np.log1p(sipri["cn_arms_tiv_2010_2021"])
    sipri["no_arms_imports_2010_2021"] = (sipri["arms_imports_tiv_2010_2021"] == 0).astype("boolean")
    sipri_2021 = sipri_russia_share(QOG_YEAR, QOG_YEAR).rename(columns={"arms_imports_tiv": "arms_imports_tiv_2021"})
    v = voeten(VOETEN_SESSION).rename(columns={
        "ideal_point": "voeten_idealpoint_s75", "agree_rus": "voeten_agree_rus_s75",
        "agree_usa": "voeten_agree_usa_s75", "agree_chn": "voeten_agree_chn_s75", "n_votes": "voeten_nvotes_s75"})
    out = (members.merge(qog_covariates(), on="iso3", how="left", validate="1:1")
           .merge(sipri[["iso3", "ru_arms_share_2010_2021", "arms_imports_tiv_2010_2021", "ru_arms_tiv_2010_2021",
                         "log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021", "cn_arms_share_2010_2021",
                         "cn_arms_tiv_2010_2021", "log_cn_arms_tiv_2010_2021"]], on="iso3", how="left",
                  validate="1:1")
           .merge(sipri_2021[["iso3", "arms_imports_tiv_2021"]], on="iso3", how="left", validate="1:1")
           .merge(soviet_era_arms(), on="iso3", how="left", validate="1:1")
           .merge(v, on="iso3", how="left", validate="1:1"))
    return out[["iso3", *COLUMNS]]


#: The columns :func:`table` contributes to the countries table, documented (meaning, unit, year, source,
#: citation) in data/external/data_dictionary.csv.
COLUMNS = ("vdem_libdem", "vdem_polyarchy", "fh_total", "fh_status", "gdp_pc_ppp", "log_gdp_pc_ppp", "population",
           "trade_pct_gdp", "milex_pct_gdp", "ru_arms_share_2010_2021", "arms_imports_tiv_2010_2021",
           "ru_arms_tiv_2010_2021", "log_ru_arms_tiv_2010_2021", "no_arms_imports_2010_2021", "cn_arms_share_2010_2021",
           "cn_arms_tiv_2010_2021", "log_cn_arms_tiv_2010_2021", "arms_imports_tiv_2021", "soviet_arms_tiv_1950_1991",
           "soviet_arms_share_1950_1991", "log_soviet_arms_tiv_1950_1991", "voeten_idealpoint_s75",
           "voeten_agree_rus_s75", "voeten_agree_usa_s75",
           "voeten_agree_chn_s75", "voeten_nvotes_s75")

__all__ = ["COLUMNS", "qog_covariates", "sipri_russia_share", "sipri_recipients", "voeten", "table",
           "qog_frame", "read_trade_register", "russia_share", "recipient_kind", "voeten_frame",
           "sipri_deliveries_all_years", "sipri_share_all_years", "soviet_era_arms", "arms_before", "compare_registers"]


# ----------------------------------------------------------------------------- wheat import dependence (partial)

WHEAT_FILE = "wheat_import_dependence.csv"
WHEAT_COLUMNS = ["iso3", "name", "period", "share_from_russia", "share_from_ukraine", "source", "note"]


def wheat_dependence() -> pd.DataFrame:
    """``data/external/wheat_import_dependence.csv``: the shares of wheat imports from Russia and from Ukraine,
    2018-2020, for the **8 states** whose separate shares a reachable source gives (UNCTAD's March 2022
    assessment as relayed by the trade press). Too few for a covariate: the data overview states the gap
    (no per-country source of imports from Russia or of fertiliser dependence could be reached). Checked:
    known codes, shares in 0..1 summing to at most 1, a source on every row."""
    from unvotes.tables.external import check_codes_and_sources, read_curated

    path = paths.external_dir() / WHEAT_FILE
    df = read_curated(WHEAT_FILE, WHEAT_COLUMNS)
    check_codes_and_sources(df, WHEAT_FILE)
    for i, row in df.iterrows():
        where = f"{path}, line {i + 2}"
        shares = pd.to_numeric(row[["share_from_russia", "share_from_ukraine"]], errors="coerce")
        if shares.isna().any() or (shares < 0).any() or shares.sum() > 1.005:
            raise DataFileError(f"{where}: shares {row['share_from_russia']!r}, {row['share_from_ukraine']!r} are "
                                "not fractions in 0..1 summing to at most 1")
    return df.astype({"share_from_russia": float, "share_from_ukraine": float})
