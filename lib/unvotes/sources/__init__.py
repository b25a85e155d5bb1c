"""Stage 1, the sources: what each raw input is, how it is fetched, and how its format is read.

* :mod:`.raw_files`: the registry of sources and their files (``sources.toml``: licence, upstream address,
  checksum), :func:`registry`.
* :mod:`.fetch`: copies a file from the mirror or downloads it, checking its checksum.
* :mod:`.readers`: one reader per raw format, all returning the same intermediate shape (:class:`SourceVotes`).
* :mod:`.add_vote`: adds a voting record (a UN Digital Library record or file) to the raw inputs.
* :mod:`.meeting_record`: parses a meeting record's list of votes.
* :mod:`.synthetic`: synthetic raw files in each format, for tests and demonstrations.

Nothing here reconciles names or chooses between sources: that is :mod:`unvotes.tables`.
"""

from unvotes.sources.raw_files import REGISTRY_PATH, RawFile, Registry, Source, registry

__all__ = ["REGISTRY_PATH", "RawFile", "Registry", "Source", "registry"]
