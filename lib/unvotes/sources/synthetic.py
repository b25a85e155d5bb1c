"""Synthetic UN Digital Library voting files, for benchmarks and tests of the readers.

:func:`write_synthetic_undl_ga` writes a file in the exact column layout of the official General
Assembly bulk file (``2026_02_06_ga_voting.csv``, or the 2024 layout) and of roughly its size: by
default 947,434 rows, one per (member state, resolution), about 380 bytes a row (the official file
has 364 MB). The content is invented but shaped like the real thing:

* the members of each year (admissions and departures from 1946 on, historical names such as
  ``UNION OF SOVIET SOCIALIST REPUBLICS`` or ``GERMANY, FEDERAL REPUBLIC OF``, which needs quoting),
  coded as the bulk file codes them (the modern ISO3 code for continuing states, ``YUG``, ``CSK``,
  ``DDR``, ``SCG`` for the others);
* resolution symbols of every era (``A/RES/2467(XXIII)``, ``A/RES/62/223 A``, ``A/RES/ES-11/4``),
  sessions ``1``..``80`` and ``ES-10``/``ES-11``, ISO dates;
* a vote mix per resolution (consensus-like or contested), published totals that agree with the
  listed votes and are written as floats (``141.0``), as in the official file;
* titles, agenda titles, ``|``-separated subjects, drafts, committee reports, meeting records and
  links of realistic length; some titles contain commas and are quoted.

Nothing here is real data; do not analyse it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from unvotes import paths
from unvotes.ids import roman

LAYOUTS = ("2026", "2024")

GA_2026_COLUMNS = ("undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "draft",
                   "committee_report", "meeting", "title", "agenda_title", "subjects", "vote_note",
                   "total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms", "undl_link")
GA_2024_COLUMNS = ("undl_id", "ms_codes", "ms_names", "ms_votes", "resolutions", "title", "modality", "draft",
                   "committee_report", "meeting", "agenda_titles", "subjects", "date", "yes", "no",
                   "abstentions", "non-voting", "total-voting", "undl_link")

# code|name as the bulk file spells it|first year|last year (empty: still a member)
_MEMBERS = """\
AFG|AFGHANISTAN|1946|
ALB|ALBANIA|1955|
DZA|ALGERIA|1962|
AND|ANDORRA|1993|
AGO|ANGOLA|1976|
ATG|ANTIGUA AND BARBUDA|1981|
ARG|ARGENTINA|1945|
ARM|ARMENIA|1992|
AUS|AUSTRALIA|1945|
AUT|AUSTRIA|1955|
AZE|AZERBAIJAN|1992|
BHS|BAHAMAS|1973|
BHR|BAHRAIN|1971|
BGD|BANGLADESH|1974|
BRB|BARBADOS|1966|
BLR|BELARUS|1945|
BEL|BELGIUM|1945|
BLZ|BELIZE|1981|
BEN|BENIN|1960|
BTN|BHUTAN|1971|
BOL|BOLIVIA (PLURINATIONAL STATE OF)|1945|
BIH|BOSNIA AND HERZEGOVINA|1992|
BWA|BOTSWANA|1966|
BRA|BRAZIL|1945|
BRN|BRUNEI DARUSSALAM|1984|
BGR|BULGARIA|1955|
BFA|BURKINA FASO|1960|
BDI|BURUNDI|1962|
CPV|CABO VERDE|1975|
KHM|CAMBODIA|1955|
CMR|CAMEROON|1960|
CAN|CANADA|1945|
CAF|CENTRAL AFRICAN REPUBLIC|1960|
TCD|CHAD|1960|
CHL|CHILE|1945|
CHN|CHINA|1945|
COL|COLOMBIA|1945|
COM|COMOROS|1975|
COG|CONGO|1960|
CRI|COSTA RICA|1945|
CIV|COTE D'IVOIRE|1960|
HRV|CROATIA|1992|
CUB|CUBA|1945|
CYP|CYPRUS|1960|
CZE|CZECHIA|1993|
CSK|CZECHOSLOVAKIA|1945|1992
PRK|DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA|1991|
COD|DEMOCRATIC REPUBLIC OF THE CONGO|1960|
YMD|DEMOCRATIC YEMEN|1967|1990
DNK|DENMARK|1945|
DJI|DJIBOUTI|1977|
DMA|DOMINICA|1978|
DOM|DOMINICAN REPUBLIC|1945|
ECU|ECUADOR|1945|
EGY|EGYPT|1945|
SLV|EL SALVADOR|1945|
GNQ|EQUATORIAL GUINEA|1968|
ERI|ERITREA|1993|
EST|ESTONIA|1991|
SWZ|ESWATINI|1968|
ETH|ETHIOPIA|1945|
FJI|FIJI|1970|
FIN|FINLAND|1955|
FRA|FRANCE|1945|
GAB|GABON|1960|
GMB|GAMBIA|1965|
GEO|GEORGIA|1992|
DDR|GERMAN DEMOCRATIC REPUBLIC|1973|1990
DEU|GERMANY|1973|
GHA|GHANA|1957|
GRC|GREECE|1945|
GRD|GRENADA|1974|
GTM|GUATEMALA|1945|
GIN|GUINEA|1958|
GNB|GUINEA-BISSAU|1974|
GUY|GUYANA|1966|
HTI|HAITI|1945|
HND|HONDURAS|1945|
HUN|HUNGARY|1955|
ISL|ICELAND|1946|
IND|INDIA|1945|
IDN|INDONESIA|1950|
IRN|IRAN (ISLAMIC REPUBLIC OF)|1945|
IRQ|IRAQ|1945|
IRL|IRELAND|1955|
ISR|ISRAEL|1949|
ITA|ITALY|1955|
JAM|JAMAICA|1962|
JPN|JAPAN|1956|
JOR|JORDAN|1955|
KAZ|KAZAKHSTAN|1992|
KEN|KENYA|1963|
KIR|KIRIBATI|1999|
KWT|KUWAIT|1963|
KGZ|KYRGYZSTAN|1992|
LAO|LAO PEOPLE'S DEMOCRATIC REPUBLIC|1955|
LVA|LATVIA|1991|
LBN|LEBANON|1945|
LSO|LESOTHO|1966|
LBR|LIBERIA|1945|
LBY|LIBYA|1955|
LIE|LIECHTENSTEIN|1990|
LTU|LITHUANIA|1991|
LUX|LUXEMBOURG|1945|
MDG|MADAGASCAR|1960|
MWI|MALAWI|1964|
MYS|MALAYSIA|1957|
MDV|MALDIVES|1965|
MLI|MALI|1960|
MLT|MALTA|1964|
MHL|MARSHALL ISLANDS|1991|
MRT|MAURITANIA|1961|
MUS|MAURITIUS|1968|
MEX|MEXICO|1945|
FSM|MICRONESIA (FEDERATED STATES OF)|1991|
MCO|MONACO|1993|
MNG|MONGOLIA|1961|
MNE|MONTENEGRO|2006|
MAR|MOROCCO|1956|
MOZ|MOZAMBIQUE|1975|
MMR|MYANMAR|1948|
NAM|NAMIBIA|1990|
NRU|NAURU|1999|
NPL|NEPAL|1955|
NLD|NETHERLANDS (KINGDOM OF THE)|1945|
NZL|NEW ZEALAND|1945|
NIC|NICARAGUA|1945|
NER|NIGER|1960|
NGA|NIGERIA|1960|
MKD|NORTH MACEDONIA|1993|
NOR|NORWAY|1945|
OMN|OMAN|1971|
PAK|PAKISTAN|1947|
PLW|PALAU|1994|
PAN|PANAMA|1945|
PNG|PAPUA NEW GUINEA|1975|
PRY|PARAGUAY|1945|
PER|PERU|1945|
PHL|PHILIPPINES|1945|
POL|POLAND|1945|
PRT|PORTUGAL|1955|
QAT|QATAR|1971|
KOR|REPUBLIC OF KOREA|1991|
MDA|REPUBLIC OF MOLDOVA|1992|
ROU|ROMANIA|1955|
RUS|RUSSIAN FEDERATION|1945|
RWA|RWANDA|1962|
KNA|SAINT KITTS AND NEVIS|1983|
LCA|SAINT LUCIA|1979|
VCT|SAINT VINCENT AND THE GRENADINES|1980|
WSM|SAMOA|1976|
SMR|SAN MARINO|1992|
STP|SAO TOME AND PRINCIPE|1975|
SAU|SAUDI ARABIA|1945|
SEN|SENEGAL|1960|
SRB|SERBIA|2000|
SYC|SEYCHELLES|1976|
SLE|SIERRA LEONE|1961|
SGP|SINGAPORE|1965|
SVK|SLOVAKIA|1993|
SVN|SLOVENIA|1992|
SLB|SOLOMON ISLANDS|1978|
SOM|SOMALIA|1960|
ZAF|SOUTH AFRICA|1945|
SSD|SOUTH SUDAN|2011|
ESP|SPAIN|1955|
LKA|SRI LANKA|1955|
SDN|SUDAN|1956|
SUR|SURINAME|1975|
SWE|SWEDEN|1946|
CHE|SWITZERLAND|2002|
SYR|SYRIAN ARAB REPUBLIC|1961|
TJK|TAJIKISTAN|1992|
THA|THAILAND|1946|
TLS|TIMOR-LESTE|2002|
TGO|TOGO|1960|
TON|TONGA|1999|
TTO|TRINIDAD AND TOBAGO|1962|
TUN|TUNISIA|1956|
TUR|TÜRKIYE|1945|
TKM|TURKMENISTAN|1992|
TUV|TUVALU|2000|
UGA|UGANDA|1962|
UKR|UKRAINE|1945|
ARE|UNITED ARAB EMIRATES|1971|
GBR|UNITED KINGDOM|1945|
TZA|UNITED REPUBLIC OF TANZANIA|1961|
USA|UNITED STATES|1945|
URY|URUGUAY|1945|
UZB|UZBEKISTAN|1992|
VUT|VANUATU|1981|
VEN|VENEZUELA (BOLIVARIAN REPUBLIC OF)|1945|
VNM|VIET NAM|1977|
YEM|YEMEN|1947|
YUG|YUGOSLAVIA|1945|1992
ZMB|ZAMBIA|1964|
ZWE|ZIMBABWE|1980|
"""

# code|name|first year|last year: earlier names of continuing members (and the FRY / Serbia and
# Montenegro seat, coded SCG in 2003-2006).
_EARLIER_NAMES = """\
RUS|UNION OF SOVIET SOCIALIST REPUBLICS|1945|1991
BLR|BYELORUSSIAN SOVIET SOCIALIST REPUBLIC|1945|1991
UKR|UKRAINIAN SOVIET SOCIALIST REPUBLIC|1945|1991
DEU|GERMANY, FEDERAL REPUBLIC OF|1973|1990
BFA|UPPER VOLTA|1960|1984
BEN|DAHOMEY|1960|1975
COD|ZAIRE|1971|1997
MMR|BURMA|1948|1989
LKA|CEYLON|1955|1972
KHM|DEMOCRATIC KAMPUCHEA|1976|1989
EGY|UNITED ARAB REPUBLIC|1958|1971
CIV|IVORY COAST|1960|1985
LBY|LIBYAN ARAB JAMAHIRIYA|1977|2011
TUR|TURKEY|1945|2021
CZE|CZECH REPUBLIC|1993|2019
SWZ|SWAZILAND|1968|2018
MKD|THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA|1993|2018
CPV|CAPE VERDE|1975|2013
NLD|NETHERLANDS|1945|2022
BOL|BOLIVIA|1945|2009
VEN|VENEZUELA|1945|1999
IRN|IRAN|1945|1982
SRB|YUGOSLAVIA|2001|2002
SCG|SERBIA AND MONTENEGRO|2003|2006
"""

_TITLE_HEADS = [
    "Situation of human rights in", "Implementation of the Declaration on", "Question of",
    "Strengthening of the coordination of", "Comprehensive review of", "Prevention of an arms race in",
    "Permanent sovereignty of the Palestinian people over", "Assistance to", "Elimination of",
    "Report of the Special Committee on", "Towards a nuclear-weapon-free world:", "Promotion of",
    "Effects of atomic radiation on", "Measures to eliminate", "Financing of the United Nations",
    "Scale of assessments for", "Cooperation between the United Nations and", "Protection of",
]
_TITLE_TAILS = [
    "outer space", "the Occupied Palestinian Territory, including East Jerusalem", "the Middle East",
    "humanitarian and disaster relief assistance", "peacekeeping operations in all their aspects",
    "the Granting of Independence to Colonial Countries and Peoples", "nuclear disarmament",
    "the rights of the child", "international terrorism", "the Syrian Arab Republic",
    "a new international economic order", "the territorial integrity of Ukraine",
    "South Africa, Namibia and the policies of apartheid", "small island developing States",
    "the Democratic People's Republic of Korea", "migrants, refugees and displaced persons",
    "the United Nations Relief and Works Agency", "the Islamic Republic of Iran",
]
_TITLE_QUALIFIERS = [
    ", including East Jerusalem, and the occupied Syrian Golan", " in all its aspects and the related questions",
    ", as well as the follow-up to the relevant conferences", " and the strengthening of international cooperation",
    ": report of the Secretary-General and of the Special Committee", " for the period from 1 July to 30 June",
    ", with particular reference to the least developed countries", " and the implementation of previous resolutions",
]
_AGENDA = [
    "Question of Palestine", "General and complete disarmament", "Promotion and protection of human rights",
    "Report of the Human Rights Council", "Macroeconomic policy questions", "The situation in the Middle East",
    "Implementation of the Declaration on the Granting of Independence to Colonial Countries and Peoples",
    "Programme budget for the biennium", "Elimination of racism, racial discrimination, xenophobia",
    "Necessity of ending the economic, commercial and financial embargo imposed by the United States",
    "Sustainable development", "Social development", "Prevention of armed conflict",
    "Letter dated 28 February 2014 from the Permanent Representative of Ukraine to the United Nations",
]
_SUBJECTS = [
    "HUMAN RIGHTS", "NUCLEAR DISARMAMENT", "PALESTINE QUESTION", "DECOLONIZATION", "TERRITORIES OCCUPIED BY ISRAEL",
    "ARMS RACE--OUTER SPACE", "RIGHTS OF THE CHILD", "TERRORISM", "DEVELOPMENT FINANCE", "HUMANITARIAN ASSISTANCE",
    "NUCLEAR WEAPON TESTS", "APARTHEID", "UKRAINE--TERRITORIAL INTEGRITY", "REFUGEES--PALESTINE",
    "ECONOMIC SANCTIONS", "RACIAL DISCRIMINATION", "SUSTAINABLE DEVELOPMENT", "CHEMICAL WEAPONS",
    "SELF-DETERMINATION OF PEOPLES", "PEACEKEEPING OPERATIONS--FINANCING",
]
# probabilities of Y, N, A, non-voting
_PROFILES = np.array([[0.88, 0.01, 0.04, 0.07], [0.70, 0.06, 0.16, 0.08], [0.55, 0.12, 0.24, 0.09],
                      [0.42, 0.25, 0.23, 0.10], [0.30, 0.05, 0.57, 0.08]])
_PROFILE_P = np.array([0.35, 0.25, 0.2, 0.1, 0.1])


def _table(text: str) -> list[tuple[str, str, int, int]]:
    rows = []
    for line in text.strip().splitlines():
        code, name, first, last = line.split("|")
        rows.append((code, name, int(first), int(last) if last else 9999))
    return rows


def _csv(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


@lru_cache(maxsize=None)
def _members(year: int) -> tuple[str, ...]:
    """``CODE,NAME`` (quoted as needed) of the members voting in ``year``."""
    earlier = {}
    for code, name, first, last in _table(_EARLIER_NAMES):
        if first <= year <= last:
            earlier[code] = name
    out = []
    for code, name, first, last in _table(_MEMBERS):
        if code == "SRB" and 2003 <= year <= 2006:
            code, name = "SCG", earlier.pop("SCG")
        elif not (first <= year <= last):
            continue
        out.append(f"{code},{_csv(earlier.get(code, name))}")
    return tuple(out)


def _n_members(year: int) -> int:
    return len(_members(year))


def _year_weights() -> tuple[np.ndarray, np.ndarray]:
    years = np.arange(1946, 2026)
    w = np.where(years < 1960, 0.35, np.where(years < 1975, 0.8, np.where(years < 1992, 1.6, 1.0)))
    return years, w / w.sum()


def write_synthetic_undl_ga(path, n_rows: int = 947_434, seed: int = 0, layout: str = "2026") -> Path:
    """Write a synthetic GA bulk voting file of exactly ``n_rows`` data rows; return its path.

    ``layout`` is ``"2026"`` (columns of ``2026_02_06_ga_voting.csv``, non-voting ``X``) or ``"2024"``
    (columns of ``2024_09_12_ga_resolutions_voting.csv``, non-voting ``NV``). The same seed gives the
    same bytes. The file is written to a temporary file next to ``path`` and renamed into place, so a
    reader never sees a half-written file.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if n_rows < 1:
        raise ValueError("n_rows must be at least 1")
    path = Path(path)
    rng = np.random.default_rng(seed)
    years, weights = _year_weights()
    nv_code = "X" if layout == "2026" else "NV"
    vote_codes = np.array(["Y", "N", "A", nv_code], dtype=object)
    columns = GA_2026_COLUMNS if layout == "2026" else GA_2024_COLUMNS

    # roll calls: draw years until the members add up to n_rows, then order them by date
    mean_members = float(np.dot(weights, [_n_members(int(y)) for y in years]))
    n_res = int(n_rows / mean_members * 1.1) + 10
    res_years = np.sort(rng.choice(years, size=n_res, p=weights))
    sizes = np.array([_n_members(int(y)) for y in res_years])
    cum = np.cumsum(sizes)
    n_res = int(np.searchsorted(cum, n_rows) + 1)
    res_years, sizes = res_years[:n_res], sizes[:n_res]
    sizes[-1] -= int(cum[n_res - 1] - n_rows)  # the last roll call lists fewer states

    months = rng.integers(1, 13, size=n_res)
    days = rng.integers(1, 29, size=n_res)
    order = np.lexsort((days, months, res_years))
    months, days = months[order], days[order]
    undl_ids = np.sort(rng.choice(np.arange(100_000, 4_100_000), size=n_res, replace=False))

    with paths.atomic_paths(path) as (tmp,):
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            out.write(",".join(columns) + "\n")
            serial = 0
            numbers: dict[str, int] = {}
            for i in range(n_res):
                year, month, day = int(res_years[i]), int(months[i]), int(days[i])
                session_no = max(1, year - 1945 if month >= 9 else year - 1946)
                members = _members(year)
                n = int(sizes[i])
                if year >= 2022 and rng.random() < 0.03:
                    session = "ES-11"
                elif year >= 1997 and rng.random() < 0.02:
                    session = "ES-10"
                else:
                    session = str(session_no)
                numbers[session] = numbers.get(session, 0) + 1
                if session.startswith("ES-"):
                    symbol = f"A/RES/{session}/{numbers[session]}"
                elif session_no <= 30:
                    serial += 1
                    symbol = f"A/RES/{serial}({roman(session_no)})"
                else:
                    symbol = f"A/RES/{session}/{numbers[session]}"
                    if rng.random() < 0.06:
                        symbol += " " + "AB"[int(rng.integers(0, 2))]
                probs = _PROFILES[rng.choice(len(_PROFILES), p=_PROFILE_P)]
                votes = vote_codes[rng.choice(4, size=n, p=probs)]
                counts = [int((votes == code).sum()) for code in vote_codes]
                title = (f"{_TITLE_HEADS[rng.integers(len(_TITLE_HEADS))]} "
                         f"{_TITLE_TAILS[rng.integers(len(_TITLE_TAILS))]}"
                         f"{_TITLE_QUALIFIERS[rng.integers(len(_TITLE_QUALIFIERS))] if rng.random() < 0.85 else ''}"
                         " : resolution / adopted by the General Assembly")
                agenda = _AGENDA[rng.integers(len(_AGENDA))] if rng.random() > 0.013 else ""
                subjects = "|".join(rng.choice(_SUBJECTS, size=int(rng.integers(1, 5)), replace=False)) \
                    if rng.random() > 0.25 else ""
                draft = f"A/{session}/L.{int(rng.integers(1, 90))}" if rng.random() > 0.46 else ""
                report = f"A/{session}/{int(rng.integers(400, 700))}" if rng.random() > 0.2 else ""
                meeting = f"A/{session}/PV.{int(rng.integers(1, 120))}"
                date = f"{year:04d}-{month:02d}-{day:02d}"
                uid = int(undl_ids[i])
                link = f"https://digitallibrary.un.org/record/{uid}"
                totals = [f"{c:.1f}" for c in counts]
                if layout == "2026":
                    suffix = ",".join([date, session, symbol, draft, report, meeting, _csv(title), _csv(agenda),
                                       _csv(subjects), "", *totals, f"{len(members):.1f}", link])
                else:
                    suffix = ",".join([symbol, _csv(title), "Voting", draft, report, meeting, _csv(agenda),
                                       _csv(subjects), date, *totals, f"{len(members):.1f}", link])
                prefix = f"{uid},"
                tail = "," + suffix + "\n"
                out.write("".join([prefix + m + "," + v + tail for m, v in zip(members[:n], votes)]))
    return path
