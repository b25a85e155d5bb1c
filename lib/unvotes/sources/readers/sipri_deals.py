"""Reader for the SIPRI trade register in its deal-per-row layout (the export of 13 March 2025, with 2024 deliveries).

The register generated on 13 March 2025 (``sipri/trade-register_generated-2025-03-13.csv``) is another layout than
the one :func:`unvotes.tables.covariates.read_trade_register` reads (one row per deal and delivery year, 2000-2023):

* 11 lines of notes, then the header ``Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,
  Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total
  order,SIPRI TIV of delivered weapons`` (three columns named ``' '``: the '?' markers of uncertain values);
* **one row per deal**, every year from 1950 to 2024: ``Year(s) of delivery`` lists the years ("2022; 2023; 2024",
  empty for a deal with nothing delivered yet) and ``SIPRI TIV of delivered weapons`` is the TIV of everything
  delivered (empty or '0' under 0.5 million: nothing, or almost nothing, identified);
* encoded in Latin-1 (``Bü-181``, ``Wärtsilä``), not UTF-8;
* four records break a line inside ``Comments`` without quoting it, so the rest of the record starts the next
  line (``...for 12 Puma M-36 APC from South Africa`` / ``,0.03,0.36,0``): a record with too few fields is joined
  with the next line (the break becomes a space) until it has its 16 fields.

**The TIV of a year.** The file gives no TIV per year. :func:`deliveries` spreads a deal's delivered TIV equally
over its delivery years (SIPRI's own yearly figures weight years by the numbers delivered in each, which this
layout does not give). Measured against the per-year register of January 2025 (exact yearly values) on every
state's imports of 2010-2021: see ``tests/test_sipri_deals.py`` and :func:`unvotes.tables.covariates.compare_registers`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError

SOURCE = "sipri"
FILE = "trade-register_generated-2025-03-13.csv"
HEADER = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " ", "Weapon designation",
          "Weapon description", "Number delivered", " ", "Year(s) of delivery", "status", "Comments",
          "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"]
HEADER_START = "Recipient,Supplier,Year of order"
#: The layout read by unvotes.tables.covariates.read_trade_register, named in the error when it is given here.
PER_YEAR_HEADER_START = "SIPRI AT Database ID"
YEARS = re.compile(r"\d{4}(; \d{4})*")
FIRST_YEAR = 1950


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")  # a later export may be UTF-8
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # the 2025-03-13 export: ISO-8859-1 (no byte 0x80-0x9f in it)


def _records(lines: list[str], start: int, path: Path):
    """Yield (first physical line number, fields) per record after the header at index ``start``, joining a record
    whose unquoted ``Comments`` broke a line with the lines that follow it."""
    i = start + 1
    n = len(HEADER)
    while i < len(lines):
        first = i + 1  # 1-based line number
        text = lines[i]
        i += 1
        if not text.strip():
            continue
        fields = next(csv.reader([text]))
        while len(fields) < n and i < len(lines):
            text = f"{text} {lines[i]}"
            i += 1
            fields = next(csv.reader([text]))
        if len(fields) != n:
            raise RawFormatError(f"{path}: line {first}: a record of {len(fields)} fields, not {n} ({text[:120]!r}); "
                                 "the file is cut or not a SIPRI trade register export of this layout. Export it "
                                 "again from https://armstrade.sipri.org (trade register, CSV) or restore the mirror's "
                                 "copy.")
        yield first, fields


def read_deals(path: Path | str) -> pd.DataFrame:
    """The deal-per-row SIPRI register as one row per deal.

    Columns: recipient, supplier, order_year, designation, description, delivery_years (tuple of int, empty when
    nothing was delivered), tiv_delivered (float, millions; empty = 0), line (the record's first line in the file).
    A file of another layout, a malformed year list or TIV, or a cut record is a :class:`RawFormatError` naming
    the file, the line and the value.
    """
    path = Path(path)
    lines = _text(path).splitlines()
    try:
        h = next(i for i, line in enumerate(lines) if line.startswith(HEADER_START))
    except StopIteration:
        other = any(line.startswith(PER_YEAR_HEADER_START) for line in lines[:40])
        hint = (" It is the per-delivery-year layout (header 'SIPRI AT Database ID'): read it with "
                "unvotes.tables.covariates.read_trade_register." if other else "")
        raise RawFormatError(f"{path}: no header line starting with {HEADER_START!r}; expected the SIPRI trade "
                             f"register exported one row per deal (notes, then the column header).{hint}") from None
    header = next(csv.reader([lines[h]]))
    if header != HEADER:
        diff = [(i + 1, want, got) for i, (want, got) in enumerate(zip(HEADER, header)) if want != got]
        raise RawFormatError(f"{path}: line {h + 1}: the header is not the layout this reader knows: "
                             f"{len(header)} columns (expected {len(HEADER)}); first differences (column, expected, "
                             f"found): {diff[:3]}. SIPRI may have changed its export: check the columns before "
                             "adapting lib/unvotes/sources/readers/sipri_deals.py.")
    rows = []
    for line, f in _records(lines, h, path):
        years_text = f[10].strip()
        if years_text and not YEARS.fullmatch(years_text):
            raise RawFormatError(f"{path}: line {line}: Year(s) of delivery {years_text!r} is not a list of years "
                                 "separated by '; '")
        years = tuple(int(y) for y in years_text.split("; ")) if years_text else ()
        if any(not FIRST_YEAR <= y <= 2100 for y in years):
            raise RawFormatError(f"{path}: line {line}: Year(s) of delivery {years_text!r} has a year outside "
                                 f"{FIRST_YEAR}-2100")
        tiv_text = f[15].strip()
        try:
            tiv = float(tiv_text) if tiv_text else 0.0  # SIPRI: empty = no deliveries identified
        except ValueError:
            raise RawFormatError(f"{path}: line {line}: SIPRI TIV of delivered weapons {tiv_text!r} is not a "
                                 "number") from None
        if tiv < 0 or (tiv > 0 and not years):
            raise RawFormatError(f"{path}: line {line}: SIPRI TIV of delivered weapons {tiv_text!r} "
                                 + ("is negative" if tiv < 0 else "with no Year(s) of delivery"))
        if not f[0].strip() or not f[1].strip():
            raise RawFormatError(f"{path}: line {line}: empty Recipient or Supplier ({f[:3]})")
        rows.append({"recipient": f[0].strip(), "supplier": f[1].strip(), "order_year": f[2].strip(),
                     "designation": f[6].strip(), "description": f[7].strip(), "delivery_years": years,
                     "tiv_delivered": tiv, "line": line})
    if not rows:
        raise RawFormatError(f"{path}: no deal after the header (line {h + 1}); the file is cut")
    return pd.DataFrame(rows)


def deliveries(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per (deal, delivery year): recipient, supplier, delivery_year, tiv (the deal's delivered TIV spread
    equally over its delivery years; see the module docstring), source_ref (file line of the deal)."""
    d = deals[deals["delivery_years"].map(len) > 0]
    n = d["delivery_years"].map(len)
    out = pd.DataFrame({"recipient": d["recipient"], "supplier": d["supplier"], "delivery_year": d["delivery_years"],
                        "tiv": d["tiv_delivered"] / n, "source_ref": FILE + " line " + d["line"].astype(str)})
    out = out.explode("delivery_year", ignore_index=True)
    return out.astype({"delivery_year": int, "tiv": float})
