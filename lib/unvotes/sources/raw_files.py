"""The source registry (sources.toml): every raw file the project reads, named once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY_PATH = Path(__file__).with_name("sources.toml")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    licence: str
    citation: str
    release: str
    url: str | None = None  # template with {name}
    landing_page: str | None = None


@dataclass(frozen=True)
class RawFile:
    source: Source
    name: str  # path inside the source folder, as published upstream
    sha256: str | None  # None: not pinned (optional official files only)
    bytes: int | None = None
    optional: bool = False
    note: str = ""
    url: str | None = None  # this file's own upstream address, where it is not the source's template


    @property
    def relpath(self) -> Path:
        return Path(self.source.id) / self.name

    @property
    def upstream_url(self) -> str | None:
        if self.url:
            return self.url
        return self.source.url.format(name=self.name) if self.source.url else None

    def where_to_get_it(self) -> str:
        if self.upstream_url:
            return self.upstream_url
        return f"{self.source.landing_page} (manual download)"


@dataclass(frozen=True)
class Registry:
    sources: dict[str, Source]
    files: tuple[RawFile, ...]

    def file(self, source_id: str, name: str) -> RawFile:
        for f in self.files:
            if f.source.id == source_id and f.name == name:
                return f
        known = ", ".join(str(f.relpath) for f in self.files if f.source.id == source_id)
        raise KeyError(f"{source_id}/{name} is not in {REGISTRY_PATH.name}; files of {source_id!r}: {known or 'none'}")

    def files_of(self, source_id: str) -> list[RawFile]:
        return [f for f in self.files if f.source.id == source_id]


def parse_registry(path: Path) -> Registry:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sources = {sid: Source(id=sid, **meta) for sid, meta in data["source"].items()}
    files = []
    for i, entry in enumerate(data["file"], start=1):
        entry = dict(entry)
        sid = entry.pop("source")
        if sid not in sources:
            raise ValueError(f"{path}: file entry {i} ({entry.get('name')}) names unknown source {sid!r}")
        entry["sha256"] = entry.get("sha256") or None
        files.append(RawFile(source=sources[sid], **entry))
    return Registry(sources=sources, files=tuple(files))


@lru_cache(maxsize=1)
def registry() -> Registry:
    return parse_registry(REGISTRY_PATH)
