"""Country names and codes to ISO3: the one place where the sources' spellings are reconciled.

Order of look-up for a (name, code, date):

1. ``data/external/country_aliases.csv``: hand-curated spellings and historical states, with
   citations. A name listed there is decided by that table alone (optionally by date, e.g.
   ``Yugoslavia`` is ``YUG`` until 1992 and ``SRB`` from 2000; ``China`` is ``TWN`` until
   25 Oct 1971), so country_converter can never mis-map it (it maps Czechoslovakia to CZE).
2. country_converter's regular expressions, for the many spellings of current states
   (``TURKEY``/``TÜRKIYE``/``TÜRKİYE``, ``COTE D'IVOIRE``/``CÔTE D'IVOIRE``, ...).
3. The source's own code (ISO3 in the UN Digital Library files), if it is a code this project knows.

Anything left over stops the build with one :class:`~unvotes.errors.UnknownCountryError` that lists
every unmatched name with its source and first occurrence.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache

import pandas as pd

from unvotes import paths
from unvotes.errors import UnknownCountryError
from unvotes.tables.external import read_curated

ALIASES_FILE = "country_aliases.csv"


def name_key(name: object) -> str:
    """Spelling-insensitive key: no accents, upper case, one kind of apostrophe, single spaces."""
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("`", "'").replace("&", " AND ").replace("\xa0", " ")
    return " ".join(s.upper().split())


@lru_cache(maxsize=1)
def aliases() -> pd.DataFrame:
    from unvotes.tables import membership

    path = paths.external_dir() / ALIASES_FILE
    df = read_curated(ALIASES_FILE, ["alias", "iso3", "valid_from", "valid_to", "note", "source"])
    problems = [f"line {i + 2}: no source citation" for i in df.index[df["source"].str.strip() == ""]]
    # a code the membership table does not know would silently turn a member's votes into a non-member's
    known = membership.known_codes()
    problems += [f"line {i + 2}: {df.at[i, 'alias']!r} maps to {df.at[i, 'iso3']!r}, which is not a code of "
                 f"data/external/{membership.MEMBERSHIP_FILE}" for i in df.index[~df["iso3"].isin(known)]]
    for col in ("valid_from", "valid_to"):
        parsed = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d", errors="coerce")
        problems += [f"line {i + 2}: {col} {df.at[i, col]!r} is not YYYY-MM-DD"
                     for i in df.index[parsed.isna() & (df[col] != "")]]
        df[col] = parsed
    if problems:
        raise UnknownCountryError(f"{path}: " + "; ".join(problems[:10]) + ". Fix the rows named.")
    df["key"] = df["alias"].map(name_key)
    return df


@lru_cache(maxsize=4096)
def _coco_iso3(name: str) -> str | None:
    logging.getLogger("country_converter").setLevel(logging.ERROR)  # we report misses ourselves
    got = _converter().convert(name, to="ISO3", not_found=None)
    # country_converter may hand back a three-letter input unchanged ("UAE"): accept only real ISO3 codes
    return got if isinstance(got, str) and got in _iso3_codes() else None


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    return frozenset(_converter().data["ISO3"].dropna())


@lru_cache(maxsize=1)
def _converter():
    import country_converter as coco

    return coco.CountryConverter()


def to_iso3(frame: pd.DataFrame, *, known_codes: set[str] | frozenset[str] = frozenset(),
            what: str = "votes") -> pd.Series:
    """ISO3 for each row of ``frame`` (columns ``country``, ``country_code``, ``date``, ``source_ref``).

    Vectorised over the unique (name, date-window) combinations; raises UnknownCountryError listing
    every name that could not be matched.
    """
    names = frame["country"].astype(str)
    keys = names.map({n: name_key(n) for n in names.unique()})  # per unique name: a million rows, ~250 names
    result = pd.Series(pd.NA, index=frame.index, dtype="string")

    al = aliases()
    aliased = keys.isin(set(al["key"]))
    if aliased.any():
        sub = pd.DataFrame({"key": keys[aliased], "date": pd.to_datetime(frame.loc[aliased, "date"])})
        sub["row"] = sub.index
        m = sub.merge(al[["key", "iso3", "valid_from", "valid_to"]], on="key", how="left")
        in_window = (m["valid_from"].isna() | (m["date"] >= m["valid_from"])) & (
            m["valid_to"].isna() | (m["date"] <= m["valid_to"]))
        m = m[in_window].drop_duplicates("row")
        result.loc[m["row"].to_numpy()] = m["iso3"].to_numpy()

    rest = ~aliased
    if rest.any():
        unique_names = names[rest].unique()
        lookup = {n: _coco_iso3(n) for n in unique_names}
        result.loc[rest] = names[rest].map(lookup).astype("string")

    if "country_code" in frame and known_codes:
        raw = frame["country_code"].astype(str)
        codes = raw.map({c: c.strip().upper() for c in raw.unique()})  # per unique code: ~250, not a million rows
        fill = result.isna() & ~aliased & codes.isin(known_codes)
        result.loc[fill] = codes[fill]

    missing = result.isna()
    if missing.any():
        bad = frame.loc[missing].assign(_date=pd.to_datetime(frame.loc[missing, "date"]))
        lines = []
        for name, grp in bad.groupby("country", sort=True):
            first = grp.sort_values("_date").iloc[0]
            code = first.get("country_code", "")
            dated = " (listed in country_aliases.csv, but not for this date)" if name_key(name) in set(al["key"]) else ""
            lines.append(f"  - {name!r}{f' (code {code!r})' if code else ''}{dated}: {len(grp)} {what}, "
                         f"first at {first['source_ref']} on {first['_date']:%Y-%m-%d}")
        raise UnknownCountryError(
            f"{missing.sum()} {what} name {bad['country'].nunique()} countries that cannot be reconciled to ISO3:\n"
            + "\n".join(lines)
            + f"\nAdd each spelling to data/external/{ALIASES_FILE} (alias, iso3, validity dates, note, source) "
              "and run `make data` again."
        )
    return result.astype(str)
