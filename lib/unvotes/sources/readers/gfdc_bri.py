"""Reader for the Green Finance & Development Center's list of Belt and Road countries (mirror source ``gfdc-bri``).

``23_12_BRI-countries-public.xlsx`` (December 2023 release) has a sheet ``copyright`` (how to cite it) and a sheet
``BRI countries``: one row per state with ``Country``, ``Country Code`` (ISO3), ``Region``, ``IncomeGroup``,
``Likely date of joining`` and ``Likely date of exit`` (Excel dates; mostly the first of a month, so month
precision). The reader returns the list as published; what the project makes of it (China itself dropped, blank
joining dates unknown, Italy's exit corrected, Panama's exit and later joiners added from cited rows) is decided in
:mod:`unvotes.tables.dated`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError

SOURCE = "gfdc-bri"
FILE = "23_12_BRI-countries-public.xlsx"
SHEET = "BRI countries"
#: the sheet's columns, as published -> the reader's names
COLUMNS = {"Country": "country", "Country Code": "iso3", "Likely date of joining": "joined",
           "Likely date of exit": "exited"}
#: the month of the list's release: a joining or exit after it cannot be in the list
VINTAGE = pd.Timestamp("2023-12-31")


def _date(value, path: Path, row: int, column: str):
    if value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip()):
        return pd.NaT
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    raise RawFormatError(f"{path}, sheet {SHEET!r}, row {row}, column {column!r}: {value!r} is not a date (an Excel "
                         "date cell, or empty when unknown); fetch the file again (`make data`) or fix the reader")


def read_bri(path) -> pd.DataFrame:
    """Every row of the sheet: iso3, country (as published), joined, exited (NaT where blank), row (the Excel
    row number, counting the header as row 1)."""
    path = Path(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", dtype=object, header=None)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise RawFormatError(f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); fetch it "
                             "again (`make data`)") from None
    if SHEET not in sheets:
        raise RawFormatError(f"{path}: no sheet {SHEET!r} (sheets: {list(sheets)}); is it the GFDC list of December "
                             "2023 (23_12_BRI-countries-public.xlsx)?")
    raw = sheets[SHEET].dropna(how="all")
    if raw.empty:
        raise RawFormatError(f"{path}, sheet {SHEET!r}: the sheet is empty; fetch the file again (`make data`)")
    header = [str(v).strip() for v in raw.iloc[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RawFormatError(f"{path}, sheet {SHEET!r}, row 1: column(s) {missing} missing (found {header}); the "
                             "layout changed: update unvotes.sources.readers.gfdc_bri.COLUMNS")
    body = raw.iloc[1:]
    rows = []
    for index, values in body.iterrows():
        row = int(index) + 1  # Excel numbering
        cells = dict(zip(header, values))
        iso3 = str(cells["Country Code"] or "").strip()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise RawFormatError(f"{path}, sheet {SHEET!r}, row {row}, column 'Country Code': {cells['Country Code']!r} "
                                 f"({cells['Country']}) is not an ISO3 code")
        joined = _date(cells["Likely date of joining"], path, row, "Likely date of joining")
        exited = _date(cells["Likely date of exit"], path, row, "Likely date of exit")
        if pd.notna(joined) and pd.notna(exited) and exited <= joined:
            raise RawFormatError(f"{path}, sheet {SHEET!r}, row {row}: {iso3} exits ({exited.date()}) before it joins "
                                 f"({joined.date()})")
        rows.append({"iso3": iso3, "country": str(cells["Country"]).strip(), "joined": joined, "exited": exited,
                     "row": row})
    out = pd.DataFrame(rows, columns=["iso3", "country", "joined", "exited", "row"])
    repeated = out[out["iso3"].duplicated(keep=False)]
    if len(repeated):
        raise RawFormatError(f"{path}, sheet {SHEET!r}, rows {repeated['row'].tolist()}: {sorted(set(repeated['iso3']))} "
                             "listed more than once")
    return out.astype({"joined": "datetime64[ns]", "exited": "datetime64[ns]"})
