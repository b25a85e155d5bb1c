"""Get raw files into data/raw: from data/raw itself, a mirror folder, or upstream; always sha256-verified.

Order of look-up for each registered file:
1. ``data/raw/<source>/<name>``: used if its checksum matches (raw data is immutable: a mismatch
   is an error, never an overwrite);
2. ``$UNVOTES_MIRROR/<source>/<name>``: copied atomically, verifying the checksum on the way;
3. the upstream URL (pooch: download to a temporary file, verify, rename), if there is one and
   downloading is allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm  # the plain bar: tqdm.auto warns in kernels without ipywidgets

from unvotes import paths
from unvotes.errors import ChecksumError, SourceUnavailableError
from unvotes.sources.raw_files import RawFile, registry

CHUNK = 1 << 20
DOWNLOAD_TIMEOUT_S = 30


@dataclass(frozen=True)
class Fetched:
    file: RawFile
    path: Path
    origin: str  # "raw", "mirror" or "upstream"
    sha256: str
    pinned: bool  # False: the registry has no checksum for this file (reported, not verified)


#: Every file fetched in this process, in order: the build reports what it actually read from it.
FETCH_LOG: list[Fetched] = []


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check(f: RawFile, path: Path, actual: str, what_to_do: str) -> None:
    if f.sha256 and actual != f.sha256:
        raise ChecksumError(
            f"Checksum mismatch for {f.relpath} at {path}:\n  expected sha256 {f.sha256}\n  found    sha256 {actual}\n"
            f"{what_to_do}"
        )


def _copy_verified(f: RawFile, src: Path, dest: Path) -> str:
    """Copy src to dest through a temporary file in dest's folder; rename only if the checksum matches."""
    if not Path(src).is_file():
        raise SourceUnavailableError(f"{src} is not a file: give the path of the downloaded {f.name}")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        return _copy_checked(f, src, dest)
    except PermissionError as exc:
        raise SourceUnavailableError(f"cannot write {dest} ({exc.strerror}): data/raw must be writable to add "
                                     f"{f.relpath}; or set {paths.DATA_ENV} to a writable data folder") from None
    except OSError as exc:
        if exc.errno == 30:  # read-only file system
            raise SourceUnavailableError(f"cannot write {dest}: the file system is read-only. Put {f.relpath} "
                                         f"there by other means, or set {paths.DATA_ENV} to a writable data folder") from None
        raise


def _copy_checked(f: RawFile, src: Path, dest: Path) -> str:
    digest = hashlib.sha256()
    with paths.atomic_paths(dest) as (tmp,):  # a copy that fails its check never reaches dest
        with open(tmp, "wb") as out, open(src, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        actual = digest.hexdigest()
        _check(f, src, actual, f"This copy ({src}) differs from the registered release: use the file as "
               f"published at {f.where_to_get_it()}, or update lib/unvotes/sources/sources.toml only if the new release "
               "is intended (and say so in the commit).")
    return actual


def _download(f: RawFile, dest: Path, progress: bool) -> str:
    import pooch  # imported lazily: only needed for downloads

    known_hash = f"sha256:{f.sha256}" if f.sha256 else None
    downloader = pooch.HTTPDownloader(progressbar=progress, timeout=DOWNLOAD_TIMEOUT_S)
    try:
        # pooch downloads to a temporary file and renames it only after the hash matches.
        got = pooch.retrieve(f.upstream_url, known_hash=known_hash, fname=dest.name, path=dest.parent,
                             downloader=downloader, progressbar=progress)
    except ValueError as exc:  # pooch's hash mismatch
        raise ChecksumError(f"Downloaded {f.relpath} from {f.upstream_url} but its checksum differs from the "
                            f"registry: {exc}") from exc
    return sha256_of(Path(got))


def locate(f: RawFile) -> Path | None:
    """Where the file already is (data/raw, then mirror), without copying or verifying."""
    raw = paths.raw_dir() / f.relpath
    if raw.is_file():
        return raw
    mirror = paths.mirror_dir()
    if mirror is not None and (mirror / f.relpath).is_file():
        return mirror / f.relpath
    return None


def fetch(f: RawFile, *, download: bool = True, progress: bool = False) -> Fetched:
    """Make ``f`` available under data/raw, verified; return where it is and where it came from."""
    got = _fetch(f, download=download, progress=progress)
    FETCH_LOG.append(got)
    return got


def _fetch(f: RawFile, *, download: bool, progress: bool) -> Fetched:
    dest = paths.raw_dir() / f.relpath
    if dest.is_file():
        actual = sha256_of(dest)
        _check(f, dest, actual, f"data/raw is immutable, so it was not overwritten. Delete {dest} and run "
               "`make data` again to re-fetch it.")
        return Fetched(f, dest, "raw", actual, f.sha256 is not None)

    looked = [str(dest)]
    mirror = paths.mirror_dir()
    if mirror is not None:
        candidate = mirror / f.relpath
        looked.append(str(candidate))
        if candidate.is_file():
            actual = _copy_verified(f, candidate, dest)
            return Fetched(f, dest, "mirror", actual, f.sha256 is not None)
    else:
        looked.append(f"${paths.MIRROR_ENV}/{f.relpath} (${paths.MIRROR_ENV} is not set)")

    if download and f.upstream_url:
        try:
            actual = _download(f, dest, progress)
            return Fetched(f, dest, "upstream", actual, f.sha256 is not None)
        except ChecksumError:
            raise
        except Exception as exc:  # network errors come in many types (requests, urllib3, socket)
            looked.append(f"{f.upstream_url} ({type(exc).__name__}: {str(exc)[:200]})")
    elif f.upstream_url:
        looked.append(f"{f.upstream_url} (not tried: downloads are off)")

    raise SourceUnavailableError(
        f"Raw file {f.relpath} ({f.source.title}) is not available. Looked in:\n  - " + "\n  - ".join(looked) +
        f"\nTo get it: set {paths.MIRROR_ENV} to a mirror folder laid out as <mirror>/<source-id>/<file> "
        f"(on the project's machines: ../shared/data), or download it from {f.where_to_get_it()} "
        f"and place it at {dest}."
    )


def fetch_required(source_ids: list[str] | None = None, *, download: bool = True) -> list[Fetched]:
    """Fetch every non-optional registered file (of the given sources), with a progress bar."""
    files = [f for f in registry().files if not f.optional and (source_ids is None or f.source.id in source_ids)]
    out = []
    for f in tqdm(files, desc="Fetching raw files", unit="file", disable=None):
        out.append(fetch(f, download=download))
    return out


def fetch_optional(f: RawFile, *, download: bool = False) -> Fetched | None:
    """An optional file (official UN bulk file) if present; None if absent. Wrong checksums still fail."""
    if not download and locate(f) is None:
        return None
    try:
        return fetch(f, download=download, progress=True)
    except SourceUnavailableError:
        return None


def copy_into_raw(src: Path, f: RawFile) -> Fetched:
    """Place a user-supplied file (e.g. an official bulk CSV) into data/raw, verified."""
    dest = paths.raw_dir() / f.relpath
    actual = _copy_verified(f, Path(src), dest)
    return Fetched(f, dest, "user", actual, f.sha256 is not None)




def path_of(source_id: str, name: str, *, download: bool = True) -> Path:
    """Local, verified path of a registered raw file (fetched if needed): the shortcut readers use."""
    return fetch(registry().file(source_id, name), download=download).path


__all__ = ["Fetched", "fetch", "fetch_required", "fetch_optional", "locate", "sha256_of", "copy_into_raw", "path_of"]
