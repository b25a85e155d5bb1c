"""Add any single vote from the UN Digital Library: ``python -m unvotes add-vote A/RES/ES-11/10``.

For users with internet, this completes a vote that no bulk file holds yet (the 24 February 2026 vote, any
later one) without waiting for the next release. It fetches the vote's "Voting Data" record as MARC21 XML (by
symbol, through the library's search; or by record id), checks the listed votes against the record's
published counts, and stores the record as ``data/raw/undl-records/<record id>.xml`` with a provenance file
``<record id>.json`` (address, time, sha256). Raw data are immutable: a stored record is never overwritten
unless ``replace`` is asked for. ``make data`` then reads every stored record (source ``undl-records``) and
ranks it with the official bulk files, above DGACM, the 2025 file, unvotes and the curated press lists.

Offline, a record saved from a browser (``/record/<id>/export/xm``) is added with ``--file``.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from unvotes import ids, paths
from unvotes.errors import ChecksumError, SourceUnavailableError, UnvotesError
from unvotes.sources.readers.undl_record import MARC, listed_counts, parse_record, records_in, symbol_of
from unvotes.sources.raw_files import RawFile, registry

SOURCE = "undl-records"
RECORD_URL = "https://digitallibrary.un.org/record/{record_id}/export/xm"
SEARCH_URL = "https://digitallibrary.un.org/search?ln=en&c=Voting%20Data&of=xm&rg=20&p={query}"
TIMEOUT_S = 30


def records_dir() -> Path:
    return paths.raw_dir() / SOURCE


def _download(url: str) -> str:
    import requests

    try:
        response = requests.get(url, timeout=TIMEOUT_S, headers={"User-Agent": "unvotes research repository"})
        response.raise_for_status()
    except requests.RequestException as exc:
        raise SourceUnavailableError(
            f"Could not fetch {url} ({type(exc).__name__}: {str(exc)[:200]}). Without internet: open the vote's "
            "record in the UN Digital Library in a browser, save /record/<id>/export/xm, and run "
            "`python -m unvotes add-vote SYMBOL --file saved.xml`.") from None
    return response.text


def _choose(records: list[ET.Element], symbol: str | None, where: str) -> ET.Element:
    if symbol is not None:
        matching = [r for r in records if symbol_of(r) == symbol]
        if not matching:
            found = sorted({s for r in records if (s := symbol_of(r))})
            raise UnvotesError(f"{where}: no Voting Data record with the symbol {symbol} (found: "
                               f"{', '.join(found) or 'none'}). Check the symbol, or pass the record id.")
        records = matching
    if len(records) != 1:
        listed = ", ".join(f"{_record_id(r)} ({symbol_of(r)})" for r in records[:10])
        raise UnvotesError(f"{where}: {len(records)} records ({listed}); pass the record id of the one you mean")
    return records[0]


def _record_id(record: ET.Element) -> str:
    control = record.find(f"{MARC}controlfield[@tag='001']")
    return (control.text or "").strip() if control is not None else ""


def _read_saved_record(file: Path) -> str:
    """The text of a record saved from the library (UTF-8, as the library serves MARC21 XML)."""
    save = "save the record from the vote's library page (/record/<id>/export/xm) and give that file's path"
    if not file.exists():
        raise UnvotesError(f"{file} does not exist: {save}")
    if not file.is_file():
        raise UnvotesError(f"{file} is not a file: {save}")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UnvotesError(f"{file} is not UTF-8 text (byte {exc.start}: {exc.object[exc.start:exc.start + 1]!r}), "
                           f"so it is not the library's MARC21 XML export: {save}") from None
    except OSError as exc:
        raise UnvotesError(f"{file} cannot be read ({exc.strerror}): {save}") from None


def add_vote(what: str, *, file: Path | None = None, replace: bool = False, say=print) -> Path:
    """Fetch (or read from ``file``) one voting record, check it and store it under data/raw/undl-records.
    ``what`` is a symbol (A/RES/ES-11/10, S/RES/2774) or a record id (digits). Returns the stored path."""
    what = str(what).strip()
    by_id = what.isdigit()
    try:
        symbol = None if by_id else ids.normalize_symbol(what)
    except ValueError:
        raise UnvotesError(f"{what!r} is neither a record id (digits) nor a vote symbol (e.g. A/RES/ES-11/10, "
                           "S/RES/2774)") from None
    if file is not None:
        url = f"file {Path(file).resolve()} (supplied by the user)"
        text = _read_saved_record(Path(file))
    else:
        url = RECORD_URL.format(record_id=what) if by_id else SEARCH_URL.format(query=quote(f'791__a:"{symbol}"'))
        say(f"Fetching {url} ...")
        text = _download(url)
    record = _choose(records_in(text, url), symbol, url)
    record_id = _record_id(record)
    if not record_id.isdigit():
        raise UnvotesError(f"{url}: the record has no numeric id in field 001")
    if by_id and record_id != what:  # a saved file must be the record asked for
        raise UnvotesError(f"{url}: this is record {record_id} ({symbol_of(record)}), not record {what}")
    rc, votes = parse_record(record, url)
    listed = listed_counts(votes)
    published = {k: rc[k] for k in listed}
    agree = all(listed[k] == published[k] for k in ("yes", "no", "abstain"))
    say(f"{rc['vote_id']} ({rc['date']:%Y-%m-%d}), record {record_id}: {len(votes)} members listed; "
        f"listed {listed['yes']}-{listed['no']}-{listed['abstain']} (yes-no-abstain) "
        f"{'agree with' if agree else 'DIFFER from'} the published {published['yes']}-{published['no']}-"
        f"{published['abstain']}" + ("" if agree else "; stored as published, the build reports the mismatch"))
    _say_if_partial(rc, len(votes), say)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(record, encoding="utf-8") + b"\n"
    sha256 = hashlib.sha256(data).hexdigest()
    records_dir().mkdir(parents=True, exist_ok=True)
    dest = records_dir() / f"{record_id}.xml"
    if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() != sha256 and not replace:
        raise ChecksumError(f"{dest} already holds a different copy of record {record_id}; raw data are not "
                            "overwritten. Pass --replace to store the new one.")
    provenance = {"record_id": record_id, "vote_id": rc["vote_id"], "retrieved_from": url,
                  "retrieved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "sha256": sha256, "bytes": len(data), "listed": listed, "published": published}
    paths.write_atomic(dest, data)
    paths.write_atomic(dest.with_suffix(".json"), (json.dumps(provenance, indent=2) + "\n").encode())
    say(f"Stored {dest}. Run `make data` to rebuild the tables with it.")
    return dest


def _say_if_partial(rc: dict, named: int, say) -> None:
    """A library record names every member (non-voting ones too): one that names far fewer is not the whole
    roll call. It is stored as given, and the build keeps it as partial (never replacing a complete record)."""
    from unvotes.tables import build, membership

    if rc["body"] == "GA":
        members = len(membership.members_on(rc["date"]))
    elif rc["date"].year in set(membership.council()["year"]):
        members = len(membership.council_members(rc["date"]))
    else:
        return
    if abs(named - members) > build.MEMBER_TOLERANCE:
        say(f"Warning: the record names {named} states, but {members} were members on {rc['date']:%Y-%m-%d}: it "
            "is not the whole roll call. The build will keep it as a partial roll call, which never replaces a "
            "complete record of the same vote from another source.")


def stored_records() -> list[RawFile]:
    """The stored records as registry files (checksum from their provenance files), for the build to fetch
    (which verifies them) and to list in the data release."""
    source = registry().sources[SOURCE]
    out = []
    for xml_path in sorted(records_dir().glob("*.xml")) if records_dir().is_dir() else []:
        sidecar = xml_path.with_suffix(".json")
        if not sidecar.is_file():
            raise UnvotesError(f"{xml_path} has no provenance file {sidecar.name}; store it with "
                               f"`python -m unvotes add-vote {xml_path.stem} --file {xml_path}`")
        info = json.loads(sidecar.read_text())
        out.append(RawFile(source=source, name=xml_path.name, sha256=info["sha256"], bytes=info.get("bytes")))
    return out
