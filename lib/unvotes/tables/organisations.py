"""Memberships of international organisations, dated where they changed during 2014-2025.

Answers "was state X a member of organisation O on date D" for thirteen organisations
(:data:`ORGS`): ``AU``, ``NAM``, ``G77``, ``CSTO``, ``SCO``, ``EAEU``, ``CIS``, ``BRICS``,
``NATO``, ``EU``, ``OIC``, ``ARAB_LEAGUE``, ``COMMONWEALTH``.

Where the data come from
------------------------
1. **Base lists**: internacia-db (``data/intblocks/*/*.yaml``, members by ISO2 under
   ``includes:``, as of December 2025), read with YAML's base loader so that ``NO`` (Norway) and
   ``NA`` (Namibia) stay strings. Its only dates are the EAEU's ``joined`` fields; EU accession
   dates come from countrygroups' ``european-union.csv`` (``Member-Since``).
2. **Corrections**: ``data/external/membership_corrections.csv``, the ONE place where the
   mirror is corrected, one row per correction with a citation (columns ``org, iso3, action,
   start, end, status, note, source``). Actions:

   * ``remove``   drop the state's base membership (CIS: Georgia);
   * ``dated``    replace the undated base spell by ``[start, end)`` (several rows: several spells,
     e.g. the Maldives in the Commonwealth); the state must be in the base list;
   * ``add``      a membership the base list lacks (EU: United Kingdom until Brexit; G77: Mexico);
   * ``observer`` the state is an observer, not a member, over ``[start, end)`` (its base
     membership, if any, is dropped: NAM: Mexico);
   * ``suspend``  a suspension ``[start, end)`` cut out of a member spell (AU coups, Syria).
3. **Admission dates** of the Arab League's and the OIC's members: ``data/external/io_admissions.csv``, one row per
   member state with its admission date, its precision (``day``, or ``year``: the date is the first day of the year),
   a source and the source's grade (as the dated tables, :data:`unvotes.tables.dated.SOURCE_GRADES`). Every state of the
   base list must have a row and every row a state of the base list (:func:`admissions`): the base spell then starts
   on that date. Arab League: the League's own site (years) and the Pact of 22 March 1945 (the founders' day); Yemen's
   day is a stated gap (year only). OIC: Egypt's State Information Service (years; graded ``other`` because the OIC's
   own list could not be reached); where encyclopedic copies give another year (the UAE, Bahrain, Oman, Qatar and Syria
   1970 against 1972; Uzbekistan 1995 against 1996), the row keeps the source's year and its note says so.
   Suspensions before 2014 (Egypt in both in 1979-1989 and 1979-1984, Afghanistan in the OIC in 1980-1989) are not
   coded: the spells say "member" from admission, and are only checked for 2014-2025.
4. **Cross-checks** (:func:`compare_sources`): countrygroups (G77, BRICS, EU, Arab Group) and
   country_converter's EU and CIS columns. Every disagreement with the base list must be
   resolved by a correction or explained in :data:`KNOWN_SOURCE_DIFFERENCES`; the tests enforce it.

Conventions and assumptions
---------------------------
* Spells are ``[start, end)``: ``end`` is the first day the status no longer holds (NaT: still
  holds at the end of 2025 or later); ``start`` NaT means "since before 2014" (the mirror
  gives no date and none was needed).
* **Where the mirror is silent, a membership is taken as constant over 2014-2025.** Dating was
  curated for 2014-01-01 .. 2025-12-31 only: any date may be asked, but outside that window the
  answer ignores earlier and later changes (a warning says so, once).
* Statuses: ``member``, ``suspended``, ``observer``. :func:`member_of` is True only for
  ``member``: **a suspended state is not counted as a member** (Mali in the AU on 2 March 2022),
  nor is an observer (Mexico in NAM).
* Only UN member states (codes of :func:`unvotes.tables.membership.known_codes`) appear. The State of
  Palestine, listed by the Arab League, OIC, NAM and G77, is left out (:data:`NOT_UN_MEMBERS`);
  the Sahrawi Republic (an AU member) is not in the mirror, so the AU list has 54 states, not 55.
* AU suspensions: at 31 December 2025 Mali, Burkina Faso, Niger, Sudan, Guinea (lifted
  22 January 2026), Madagascar and Guinea-Bissau were suspended; Gabon was readmitted on
  30 April 2025.
* CIS "member" means a **member state under the 1993 CIS Charter** (the CIS's own definition and
  country_converter's): Ukraine, a founder that never ratified the Charter, is an ``observer``
  until it recalled its representatives from all CIS bodies (19 May 2018); Turkmenistan, an
  associate member since 2005, is an ``observer``; Georgia (left 18 August 2009) is absent.
* BRICS: Saudi Arabia was invited in August 2023 but never confirmed its membership; it is
  **not** counted (no row), so BRICS has 9 members from 1 January 2024 and 10 from 6 January
  2025 (Indonesia). The "partner countries" of 2025 are not members.
* CSTO: Armenia's 2024 "freeze" of its participation is not a change of status (it has not
  withdrawn): it stays a member. The G77 list includes China, as the G77 itself does (statements
  are made "on behalf of the Group of 77 and China"). Two G77 points the sources cannot date are
  left as in the mirror: South Sudan (joined in 2014 or 2015) counts as a member throughout, and
  Bosnia and Herzegovina (in G77 lists of 2008-2015, absent from both mirror lists; when it
  left is not established) never does.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from unvotes.tables import membership
from unvotes import paths
from unvotes.errors import BadArgumentError, DataFileError
from unvotes.tables.external import read_curated
from unvotes.sources.fetch import path_of


@dataclass(frozen=True)
class Org:
    name: str
    yaml: str  # path of the internacia-db file (registered in sources.toml)


#: The organisations, by the id used everywhere in the project.
ORGS: dict[str, Org] = {
    "AU": Org("African Union", "data/intblocks/political/AFUNION.yaml"),
    "NAM": Org("Non-Aligned Movement", "data/intblocks/political/NAM.yaml"),
    "G77": Org("Group of 77", "data/intblocks/political/G-77.yaml"),
    "CSTO": Org("Collective Security Treaty Organization", "data/intblocks/military/CSTO.yaml"),
    "SCO": Org("Shanghai Cooperation Organisation", "data/intblocks/military/SCO.yaml"),
    "EAEU": Org("Eurasian Economic Union", "data/intblocks/economic/EAEU.yaml"),
    "CIS": Org("Commonwealth of Independent States", "data/intblocks/political/CIS.yaml"),
    "BRICS": Org("BRICS", "data/intblocks/political/BRICS.yaml"),
    "NATO": Org("North Atlantic Treaty Organization", "data/intblocks/military/NATO.yaml"),
    "EU": Org("European Union", "data/intblocks/economic/EU.yaml"),
    "OIC": Org("Organisation of Islamic Cooperation", "data/intblocks/political/OIC.yaml"),
    "ARAB_LEAGUE": Org("League of Arab States", "data/intblocks/cultural/LAS.yaml"),
    "COMMONWEALTH": Org("Commonwealth of Nations", "data/intblocks/political/COMMONWEALTH.yaml"),
}

STATUSES = ("member", "suspended", "observer")
#: The action of a correction row and the status it gives ("" for remove).
ACTIONS = {"remove": "", "dated": "member", "add": "member", "observer": "observer", "suspend": "suspended"}
CORRECTIONS_FILE = "membership_corrections.csv"
CORRECTION_COLUMNS = ["org", "iso3", "action", "start", "end", "status", "note", "source"]
#: The window in which memberships were dated (inclusive).
WINDOW = (pd.Timestamp("2014-01-01"), pd.Timestamp("2025-12-31"))
DEFAULT_DATE = "2022-02-23"  # the eve of the invasion

#: Codes listed by the mirror that are not UN member states: left out, on purpose.
NOT_UN_MEMBERS = {"PSE": "State of Palestine: a UN non-member observer state (Arab League, OIC, NAM, G77)"}

#: Disagreements between the cross-check sources and the base list that no correction resolves.
KNOWN_SOURCE_DIFFERENCES = {
    ("CIS", "KGZ"): "country_converter 1.3.2's CIS column omits Kyrgyzstan, a CIS member state since 1991 "
                    "(it ratified the Charter); internacia-db lists it, and so do we",
}

_warned_window = False


# ---------------------------------------------------------------- reading the sources

def _raw(source: str, name: str) -> Path:
    return path_of(source, name, download=False)


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    import country_converter as coco

    d = coco.CountryConverter().data
    out = {}
    for iso2, iso3 in zip(d["ISO2"].astype(str), d["ISO3"].astype(str)):
        # a few cells are regexes of alternatives: "^GR$|^EL$" (Greece), "^GB$|^UK$"
        for alt in iso2.split("|"):
            out[alt.strip("^$")] = iso3
    return out


def _to_iso3(iso2: str, where: str) -> str:
    code = _iso2_to_iso3().get(iso2)
    if code is None:
        raise DataFileError(f"{where}: ISO2 code {iso2!r} is not in country_converter's table; "
                         "fix the mirror or map the code in lib/unvotes/tables/organisations.py")
    return code


@lru_cache(maxsize=None)
def mirror_list(org: str) -> pd.DataFrame:
    """internacia-db's list for ``org`` as published: iso3, name, joined (text, "" if none)."""
    org = _check_org(org)
    path = _raw("internacia-db", ORGS[org].yaml)
    # BaseLoader: every scalar stays a string, so NO (Norway) is not read as False.
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    includes = doc.get("includes") if isinstance(doc, dict) else None
    if not includes:
        raise DataFileError(f"{path}: no 'includes:' list of members; has the internacia-db layout changed?")
    rows = []
    for i, item in enumerate(includes, start=1):
        where = f"{path} (includes item {i})"
        if item.get("type", "country") != "country" or item.get("status", "member") != "member":
            raise DataFileError(f"{where}: entry {item} is not a plain country member; "
                             "teach lib/unvotes/tables/organisations.py what it means")
        rows.append({"iso3": _to_iso3(str(item["id"]), where), "name": item.get("name", ""),
                     "joined": item.get("joined", "")})
    out = pd.DataFrame(rows)
    dup = out["iso3"].duplicated()
    if dup.any():
        raise DataFileError(f"{path}: listed twice: {out.loc[dup, 'iso3'].tolist()}")
    return out


def _countrygroups(name: str) -> pd.DataFrame:
    return pd.read_csv(_raw("countrygroups", name), dtype=str, keep_default_na=False)


def _cc_column(column: str) -> set[str]:
    import country_converter as coco

    d = coco.CountryConverter().data
    return set(d.loc[d[column].notna() & (d[column].astype(str) != ""), "ISO3"])


def _secondary_lists() -> dict[str, dict[str, set[str]]]:
    """Other sources' current lists, per organisation, for :func:`compare_sources`."""
    return {
        "G77": {"countrygroups g77.csv": set(_countrygroups("g77.csv")["Code"])},
        "BRICS": {"countrygroups brics.csv": set(_countrygroups("brics.csv")["Code"])},
        "EU": {"countrygroups european-union.csv": set(_countrygroups("european-union.csv")["Code"]),
               "country_converter EU": _cc_column("EU")},
        "ARAB_LEAGUE": {"countrygroups arab-group.csv": set(_countrygroups("arab-group.csv")["Code"])},
        "CIS": {"country_converter CIS": _cc_column("CIS")},
    }


# ---------------------------------------------------------------- building the spells

def _parse_date(value: str, where: str, column: str) -> pd.Timestamp:
    if value == "":
        return pd.NaT
    try:
        return pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise DataFileError(f"{where}: {column} {value!r} is not a date; use YYYY-MM-DD") from None


@lru_cache(maxsize=1)
def corrections() -> pd.DataFrame:
    """The validated corrections, with ``line`` (line number in the CSV) and parsed dates."""
    path = paths.external_dir() / CORRECTIONS_FILE
    df = read_curated(CORRECTIONS_FILE, CORRECTION_COLUMNS)
    known = membership.known_codes()
    df.insert(0, "line", range(2, len(df) + 2))
    starts, ends = [], []
    for row in df.itertuples(index=False):
        where = f"{path}, line {row.line}"
        if row.org not in ORGS:
            raise DataFileError(f"{where}: unknown org {row.org!r}; valid: {', '.join(ORGS)}")
        if row.iso3 not in known:
            raise DataFileError(f"{where}: {row.iso3!r} is not a UN member code (data/external/un_membership.csv)")
        if row.action not in ACTIONS:
            raise DataFileError(f"{where}: unknown action {row.action!r}; valid: {', '.join(ACTIONS)}")
        if row.status != ACTIONS[row.action]:
            raise DataFileError(f"{where}: action {row.action!r} gives status {ACTIONS[row.action]!r}, "
                             f"not {row.status!r}")
        if not row.source.strip():
            raise DataFileError(f"{where}: every correction needs a source (a citation)")
        start, end = _parse_date(row.start, where, "start"), _parse_date(row.end, where, "end")
        if row.action == "remove" and (start is not pd.NaT or end is not pd.NaT):
            raise DataFileError(f"{where}: a 'remove' row takes no dates; use 'dated' to end a membership")
        if row.action in ("suspend", "add") and start is pd.NaT:
            raise DataFileError(f"{where}: a {row.action!r} row needs a start date")
        if row.action == "dated" and start is pd.NaT and end is pd.NaT:
            raise DataFileError(f"{where}: a 'dated' row needs a start or an end date")
        if start is not pd.NaT and end is not pd.NaT and not start < end:
            raise DataFileError(f"{where}: start {row.start} is not before end {row.end}")
        starts.append(start)
        ends.append(end)
    df["start"] = pd.to_datetime(pd.Series(starts, dtype="datetime64[ns]"))
    df["end"] = pd.to_datetime(pd.Series(ends, dtype="datetime64[ns]"))
    return df


ADMISSIONS_FILE = "io_admissions.csv"
ADMISSION_COLUMNS = ["org", "iso3", "name", "admitted", "date_precision", "source", "source_grade", "note"]
#: The organisations whose members' admission dates io_admissions.csv gives.
ADMISSION_ORGS = ("ARAB_LEAGUE", "OIC")


@lru_cache(maxsize=1)
def admissions() -> pd.DataFrame:
    """``data/external/io_admissions.csv``, checked against the base lists: org, iso3, name, admitted (date),
    date_precision, source, source_grade, note, line. One row per member state of each of :data:`ADMISSION_ORGS`
    in internacia-db's list (Palestine left out), no other row, every row cited and graded."""
    df = read_curated(ADMISSIONS_FILE, ADMISSION_COLUMNS)  # checked by its schema (lib/unvotes/tables/schemas.py)
    path = paths.external_dir() / ADMISSIONS_FILE
    df.insert(0, "line", df.index + 2)
    df["admitted"] = pd.to_datetime(df["admitted"], format="%Y-%m-%d")
    for org in ADMISSION_ORGS:
        base = set(mirror_list(org)["iso3"]) - set(NOT_UN_MEMBERS)
        mine = df.loc[df["org"] == org]
        extra = mine[~mine["iso3"].isin(base)]
        if len(extra):
            r = extra.iloc[0]
            raise DataFileError(f"{path}, line {r['line']}, column 'iso3': {r['iso3']!r} is not a member of {org} in "
                                f"internacia-db's list ({ORGS[org].yaml}); remove the row, or correct the list in "
                                f"data/external/{CORRECTIONS_FILE}")
        missing = sorted(base - set(mine["iso3"]))
        if missing:
            raise DataFileError(f"{path}: no admission row for {org} member(s) {missing}; add each with its date and "
                                "source (a date no source gives is a stated gap: year precision and a note)")
    return df


def _base_spells() -> pd.DataFrame:
    known = membership.known_codes()
    eu_since = _countrygroups("european-union.csv").set_index("Code")["Member-Since"]
    admitted = admissions().set_index(["org", "iso3"])
    rows = []
    for org, meta in ORGS.items():
        src = f"internacia-db {meta.yaml}"
        for item in mirror_list(org).itertuples(index=False):
            if item.iso3 in NOT_UN_MEMBERS:
                continue
            if item.iso3 not in known:
                raise DataFileError(f"internacia-db {meta.yaml}: {item.iso3} ({item.name}) is neither a UN member "
                                 "nor in NOT_UN_MEMBERS; decide what it is in lib/unvotes/tables/organisations.py")
            start, source = pd.NaT, src
            if item.joined:  # EAEU
                start = _parse_date(item.joined, src, "joined")
            elif org == "EU":
                if item.iso3 not in eu_since.index:
                    raise DataFileError(f"countrygroups european-union.csv has no accession date for {item.iso3}")
                start = pd.Timestamp(eu_since[item.iso3])
                source = f"{src}; start: countrygroups european-union.csv"
            elif org in ADMISSION_ORGS:
                row = admitted.loc[(org, item.iso3)]
                start = row["admitted"]
                source = f"{src}; start: data/external/{ADMISSIONS_FILE}:{row['line']}"
            rows.append({"org": org, "iso3": item.iso3, "start": start, "end": pd.NaT,
                         "status": "member", "source": source})
    return pd.DataFrame(rows)


def _covers(spell: dict, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    starts_before = pd.isna(spell["start"]) or spell["start"] <= start
    if pd.isna(end):
        return starts_before and pd.isna(spell["end"])
    return starts_before and (pd.isna(spell["end"]) or end <= spell["end"])


@lru_cache(maxsize=1)
def spells() -> pd.DataFrame:
    """Every spell: org, iso3, start, end (exclusive; NaT = still), status, source.

    ``start`` NaT: since before 2014 (undated in the mirror). Built from the mirror's lists and
    ``data/external/membership_corrections.csv``; raises ValueError naming the line of any
    correction that does not fit the base list.
    """
    base = _base_spells()
    corr = corrections()
    cfile = f"data/external/{CORRECTIONS_FILE}"
    by_key: dict[tuple[str, str], list[dict]] = {}
    for rec in base.to_dict("records"):
        by_key.setdefault((rec["org"], rec["iso3"]), []).append(rec)

    order = {"remove": 0, "dated": 1, "add": 1, "observer": 1, "suspend": 2}
    corr = corr.assign(_order=corr["action"].map(order)).sort_values(["_order", "line"], kind="stable")
    replaced: set[tuple[str, str]] = set()  # keys whose base spell a dated/observer row replaced
    for row in corr.itertuples(index=False):
        key, where = (row.org, row.iso3), f"{cfile}, line {row.line}"
        in_base = any(s["source"].startswith("internacia-db") for s in by_key.get(key, []))
        new = {"org": row.org, "iso3": row.iso3, "start": row.start, "end": row.end,
               "status": row.status, "source": f"{cfile}:{row.line}"}
        if row.action == "remove":
            if not in_base:
                raise DataFileError(f"{where}: {row.iso3} is not in the {row.org} base list; nothing to remove")
            by_key.pop(key)
        elif row.action in ("dated", "observer"):
            if row.action == "dated" and not in_base and key not in replaced:
                raise DataFileError(f"{where}: {row.iso3} is not in the {row.org} base list; use action 'add'")
            if key not in replaced:
                by_key[key] = [s for s in by_key.get(key, []) if not s["source"].startswith("internacia-db")]
                replaced.add(key)
            by_key.setdefault(key, []).append(new)
        elif row.action == "add":
            if in_base:
                raise DataFileError(f"{where}: {row.iso3} is already in the {row.org} base list; use action 'dated'")
            by_key.setdefault(key, []).append(new)
        elif row.action == "suspend":
            found = [s for s in by_key.get(key, []) if s["status"] == "member" and _covers(s, row.start, row.end)]
            if not found:
                raise DataFileError(f"{where}: no member spell of {row.iso3} in {row.org} covers the suspension "
                                 f"{row.start:%Y-%m-%d} .. {row.end if pd.isna(row.end) else f'{row.end:%Y-%m-%d}'}")
            spell = found[0]
            by_key[key].remove(spell)
            if pd.isna(spell["start"]) or spell["start"] < row.start:
                by_key[key].append({**spell, "end": row.start})
            by_key[key].append(new)
            if not pd.isna(row.end) and (pd.isna(spell["end"]) or row.end < spell["end"]):
                by_key[key].append({**spell, "start": row.end})

    out = pd.DataFrame([s for group in by_key.values() for s in group],
                       columns=["org", "iso3", "start", "end", "status", "source"])
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out = out.sort_values(["org", "iso3", "start"], na_position="first", kind="stable").reset_index(drop=True)
    _check_no_overlap(out)
    return out


def _check_no_overlap(s: pd.DataFrame) -> None:
    lo = s["start"].fillna(pd.Timestamp.min)
    hi = s["end"].fillna(pd.Timestamp.max)
    for (org, iso3), idx in s.groupby(["org", "iso3"]).groups.items():
        if len(idx) < 2:
            continue
        order = lo[idx].sort_values().index
        for a, b in zip(order[:-1], order[1:]):
            if hi[a] > lo[b]:
                raise DataFileError(f"{org} {iso3}: spells overlap ({s.loc[a, 'source']} and {s.loc[b, 'source']}); "
                                 f"fix data/external/{CORRECTIONS_FILE}")


# ---------------------------------------------------------------- questions

def _check_org(org: str) -> str:
    if isinstance(org, str):
        if org in ORGS:
            return org
        if org.upper() in ORGS:
            return org.upper()
    raise BadArgumentError(f"Unknown organisation {org!r}; valid: {', '.join(ORGS)}")


def _check_date(date) -> pd.Timestamp:
    global _warned_window
    try:
        d = pd.Timestamp(date)
    except (ValueError, TypeError):
        raise BadArgumentError(f"{date!r} is not a date; give e.g. '2022-02-23'") from None
    if pd.isna(d):
        raise BadArgumentError(f"{date!r} is not a date; give e.g. '2022-02-23'")
    d = d.normalize().tz_localize(None) if d.tzinfo else d.normalize()
    if not (WINDOW[0] <= d <= WINDOW[1]) and not _warned_window:
        _warned_window = True
        warnings.warn(f"Memberships are dated only within {WINDOW[0]:%Y-%m-%d} .. {WINDOW[1]:%Y-%m-%d}; "
                      f"for {d:%Y-%m-%d} changes outside that window are ignored", UserWarning, stacklevel=3)
    return d


def _check_iso3(iso3: str) -> str:
    if iso3 not in membership.known_codes():
        hint = f" ({NOT_UN_MEMBERS[iso3]})" if iso3 in NOT_UN_MEMBERS else ""
        raise BadArgumentError(f"{iso3!r} is not the ISO3 code of a UN member state{hint}; "
                         "see data/external/un_membership.csv")
    return iso3


def _on(date: pd.Timestamp) -> pd.DataFrame:
    s = spells()
    return s[(s["start"].isna() | (s["start"] <= date)) & (s["end"].isna() | (s["end"] > date))]


def status_on(iso3: str, org: str, date) -> str | None:
    """``member``, ``suspended``, ``observer`` or None (no relation) of ``iso3`` in ``org`` on ``date``."""
    org, iso3, d = _check_org(org), _check_iso3(iso3), _check_date(date)
    hit = _on(d)
    hit = hit[(hit["org"] == org) & (hit["iso3"] == iso3)]
    return None if hit.empty else str(hit["status"].iloc[0])


def member_of(iso3: str, org: str, date) -> bool:
    """True if ``iso3`` was a full member of ``org`` on ``date`` (suspended states and observers: False)."""
    return status_on(iso3, org, date) == "member"


def members_on(org: str, date) -> set[str]:
    """ISO3 codes of the full members of ``org`` on ``date`` (not the suspended, not observers)."""
    org, d = _check_org(org), _check_date(date)
    hit = _on(d)
    return set(hit.loc[(hit["org"] == org) & (hit["status"] == "member"), "iso3"])


def column(org: str) -> str:
    """Name of ``org``'s column in :func:`table`: ``member_<org lower>``."""
    return f"member_{_check_org(org).lower()}"


def table(date=DEFAULT_DATE, *, with_status: bool = False) -> pd.DataFrame:
    """One row per state ever a UN member: ``iso3`` and a boolean ``member_<org>`` per organisation on ``date``.

    ``date`` defaults to 2022-02-23, the eve of the invasion. ``with_status=True`` adds
    ``status_<org>`` columns (member / suspended / observer / missing).
    """
    d = _check_date(date)
    hit = _on(d)
    out = pd.DataFrame({"iso3": sorted(membership.known_codes())})
    for org in ORGS:
        mine = hit[hit["org"] == org].set_index("iso3")["status"]
        out[column(org)] = out["iso3"].map(mine).eq("member").astype(bool)
        if with_status:
            out[f"status_{org.lower()}"] = out["iso3"].map(mine).astype("string")
    return out


def compare_sources() -> pd.DataFrame:
    """Where another source's list disagrees with internacia-db's, and what resolves it.

    Columns: org, iso3, in_base (listed by internacia-db), other (the other source), in_other,
    resolved_by (correction lines, or the reason in KNOWN_SOURCE_DIFFERENCES, or "" if nothing).
    """
    corr = corrections()
    rows = []
    for org, others in _secondary_lists().items():
        base = set(mirror_list(org)["iso3"]) - set(NOT_UN_MEMBERS)
        for other, codes in others.items():
            codes = codes - set(NOT_UN_MEMBERS)
            for iso3 in sorted(base ^ codes):
                lines = corr.loc[(corr["org"] == org) & (corr["iso3"] == iso3), "line"].tolist()
                why = (f"data/external/{CORRECTIONS_FILE} line(s) {', '.join(map(str, lines))}" if lines
                       else KNOWN_SOURCE_DIFFERENCES.get((org, iso3), ""))
                rows.append({"org": org, "iso3": iso3, "in_base": iso3 in base, "other": other,
                             "in_other": iso3 in codes, "resolved_by": why})
    return pd.DataFrame(rows, columns=["org", "iso3", "in_base", "other", "in_other", "resolved_by"])


__all__ = ["ORGS", "STATUSES", "spells", "corrections", "status_on", "member_of", "members_on",
           "table", "column", "compare_sources", "mirror_list"]
