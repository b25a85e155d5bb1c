"""How to cite what one used: the software (its version), the state of the data (when and from which source
files the tables were built) and each data source, from ``CITATION.cff``, ``build_info.json`` and the source
registry (``lib/unvotes/sources/sources.toml``)."""

from __future__ import annotations

import json

from unvotes import __version__, paths
from unvotes.errors import UnvotesError

#: The project's citation file (in a source checkout; an installed package falls back to its version).
CITATION_FILE = paths.PROJECT_ROOT / "CITATION.cff"


def software() -> str:
    """The software citation: authors, title, version, year and repository of ``CITATION.cff``."""
    meta = {}
    if CITATION_FILE.is_file():
        import yaml

        meta = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8")) or {}
    authors = "; ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                        for a in meta.get("authors", [])) or "The unvotes project contributors"
    title = meta.get("title", "unvotes")
    version = str(meta.get("version", __version__))
    if version != __version__:  # the file and the package must name one version (a test holds them together)
        raise UnvotesError(f"{CITATION_FILE} names version {version}, the package {__version__}: make them agree")
    released = meta.get("date-released")
    where = meta.get("repository-code") or meta.get("url")
    return (f"{authors}{f' ({str(released)[:4]})' if released else ''}. {title}. Version {version}."
            + (f" {where}" if where else ""))


def build() -> dict:
    """The processed tables' build record (``build_info.json``): when, by which package version, from which
    source files (each with its release and checksum)."""
    path = paths.processed_dir() / "build_info.json"
    if not path.is_file():
        raise UnvotesError(f"{path} does not exist: build the tables first (`python -m unvotes data` or `make data`)")
    return json.loads(path.read_text(encoding="utf-8"))


def cite(sources: list[str] | None = None) -> str:
    """The citations for a piece of work using this package, as plain text: the software (with its version),
    the data build (date, package version) and one line per data source the tables were built from (or only
    ``sources``, registry ids such as ``"voeten-idealpoints"``), each with the releases of its files. Per-row
    citations of the curated tables are in ``data/external`` (column ``source``)."""
    info = build()
    used: dict[str, dict] = {}
    for f in info.get("sources", []):
        entry = used.setdefault(f["source"], {"citation": f.get("citation", ""), "releases": []})
        if f.get("release") and f["release"] not in entry["releases"]:
            entry["releases"].append(f["release"])
    if sources is not None:
        unknown = sorted(set(sources) - set(used))
        if unknown:
            raise UnvotesError(f"source(s) {unknown} are not among the sources of this build: {', '.join(sorted(used))}")
        used = {s: used[s] for s in sources}
    lines = ["Software:", f"  {software()}", "",
             f"Data: tables built {info.get('built_at', '?')} by unvotes {info.get('package_version', '?')}"
             " (data/processed/build_info.json), from:"]
    for name, entry in sorted(used.items()):
        releases = f" [{', '.join(entry['releases'])}]" if entry["releases"] else ""
        lines.append(f"  - {name}: {entry['citation']}{releases}")
    return "\n".join(lines)
