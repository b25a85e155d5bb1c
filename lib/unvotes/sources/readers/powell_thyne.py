"""Reader for the Powell & Thyne coup event list (mirror source ``powell-thyne``).

``powell_thyne_coups_final.csv`` is **tab-separated** despite its name (CRLF line endings): one row per coup
attempt 1950 - August 2023, ``country, ccode, ccode_gw, ccode_polity, year, month, day, coup, version``, where
``coup`` is 2 for a successful coup and 1 for a failed one and ``ccode`` the Correlates of War code. The
project maps COW codes to ISO3 with QoG's identifiers (``unvotes.tables.countries._cow_to_iso3``). A state that no
longer exists (North and South Yemen before 1990, the Republic of Vietnam) has no ISO3 code: its events keep an
empty ``iso3``; any other unmapped code is an error naming the line.

Known upstream defect: Niger's successful coup of 26 July 2023 is dated 26 June 2023 (later versions of the
data set correct it). The reader returns the file as published; the correction is a cited row of
data/external/coups.csv (:mod:`unvotes.tables.dated`), reported as a quality finding.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError

SOURCE = "powell-thyne"
EVENTS_FILE = "powell_thyne_coups_final.csv"
COLUMNS = ("country", "ccode", "year", "month", "day", "coup", "version")
OUTCOMES = {1: "failed", 2: "successful"}
#: COW codes of states that no longer exist and have no ISO3 code: North Yemen, South Yemen, South Vietnam
FORMER_STATES = {678, 680, 817}


def read_coups(path, cow_to_iso3: dict[int, str]) -> pd.DataFrame:
    """Every coup attempt: iso3, country (as published), date, outcome ("successful"/"failed"), version, line."""
    path = Path(path)
    try:
        table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise RawFormatError(f"{path}: cannot be read as a tab-separated file ({exc}); fetch it again (`make data`)") from None
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise RawFormatError(f"{path}: column(s) {missing} missing (found {list(table.columns)}); is it the tab-separated "
                             "event list powell_thyne_coups_final.csv?")
    rows = []
    for i, r in table.iterrows():
        line = i + 2
        try:
            ccode, outcome = int(r["ccode"]), OUTCOMES[int(r["coup"])]
            date = pd.Timestamp(year=int(r["year"]), month=int(r["month"]), day=int(r["day"]))
        except (ValueError, KeyError):
            raise RawFormatError(f"{path} line {line}: ccode {r['ccode']!r}, date {r['year']}-{r['month']}-{r['day']}, "
                                 f"coup {r['coup']!r}: expected a COW code, a real date and coup 1 or 2") from None
        if ccode not in cow_to_iso3 and ccode not in FORMER_STATES:
            raise RawFormatError(f"{path} line {line}: COW code {ccode} ({r['country']}) has no ISO3 code in QoG's "
                                 "identifiers; add it to unvotes.tables.countries.cow_to_iso3")
        rows.append({"iso3": cow_to_iso3.get(ccode, ""), "country": r["country"], "date": date, "outcome": outcome,
                     "version": r["version"].strip().strip('"'), "line": line})
    return pd.DataFrame(rows, columns=["iso3", "country", "date", "outcome", "version", "line"])
