"""Fetching raw files: mirror copy with checksum, immutability of data/raw, clear errors, atomic writes."""

import hashlib

import pytest

from unvotes.sources import fetch as fetch_mod
from unvotes import paths
from unvotes.errors import ChecksumError, SourceUnavailableError
from unvotes.sources.fetch import fetch, fetch_optional
from unvotes.sources.raw_files import RawFile, Source, parse_registry, registry

CONTENT = b"rcid,country,vote\n1,France,yes\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


def _file(sha256=SHA, optional=False, url="http://127.0.0.1:9/{name}"):
    # port 9 (discard) on localhost refuses connections at once: "no network" without waiting for a timeout
    src = Source(id="toy", title="Toy source", publisher="Tests", licence="CC0", citation="Toy.", release="1",
                 url=url, landing_page="https://example.org/toy")
    return RawFile(source=src, name="toy.csv", sha256=sha256, bytes=len(CONTENT), optional=optional)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(paths.MIRROR_ENV, str(mirror))
    return tmp_path / "data" / "raw", mirror


def leftovers(folder):
    return [p.name for p in folder.rglob("*") if p.name.endswith(".part")] if folder.exists() else []


def test_copies_from_mirror_and_verifies(dirs):
    raw, mirror = dirs
    (mirror / "toy" / "toy.csv").write_bytes(CONTENT)
    got = fetch(_file())
    assert got.origin == "mirror" and got.sha256 == SHA and got.path == raw / "toy" / "toy.csv"
    assert got.path.read_bytes() == CONTENT
    again = fetch(_file())
    assert again.origin == "raw"  # second time it is already there, verified again


def test_checksum_mismatch_in_mirror_leaves_nothing(dirs):
    raw, mirror = dirs
    (mirror / "toy" / "toy.csv").write_bytes(CONTENT + b"2,Chad,no\n")
    with pytest.raises(ChecksumError) as err:
        fetch(_file())
    assert "toy/toy.csv" in str(err.value) and SHA in str(err.value)
    assert not (raw / "toy" / "toy.csv").exists() and leftovers(raw) == []


def test_modified_raw_file_is_an_error_and_is_not_overwritten(dirs):
    raw, mirror = dirs
    (mirror / "toy" / "toy.csv").write_bytes(CONTENT)
    (raw / "toy").mkdir(parents=True)
    (raw / "toy" / "toy.csv").write_bytes(b"edited by hand\n")
    with pytest.raises(ChecksumError, match="data/raw is immutable"):
        fetch(_file())
    assert (raw / "toy" / "toy.csv").read_bytes() == b"edited by hand\n"


def test_no_mirror_and_no_network(dirs, monkeypatch):
    raw, _ = dirs
    monkeypatch.delenv(paths.MIRROR_ENV)
    with pytest.raises(SourceUnavailableError) as err:
        fetch(_file())
    msg = str(err.value)
    assert "toy/toy.csv" in msg and str(raw / "toy" / "toy.csv") in msg  # which file, where it looked
    assert "UNVOTES_MIRROR is not set" in msg and "http://127.0.0.1:9/toy.csv" in msg
    assert "To get it" in msg  # how to get it
    assert leftovers(raw) == []


def test_file_missing_from_mirror_without_url(dirs):
    no_url = _file(url=None)
    with pytest.raises(SourceUnavailableError, match=r"https://example.org/toy \(manual download\)"):
        fetch(no_url, download=False)


def test_optional_file_absent_is_none(dirs):
    assert fetch_optional(_file(optional=True, sha256=None)) is None


def test_optional_unpinned_file_present_is_used(dirs):
    raw, mirror = dirs
    (mirror / "toy" / "toy.csv").write_bytes(CONTENT)
    got = fetch_optional(_file(optional=True, sha256=None))
    assert got is not None and got.pinned is False and got.sha256 == SHA


def test_registry_names_every_mirrored_file_with_checksum_and_origin():
    reg = registry()
    for f in reg.files:
        assert f.source.citation and f.source.licence
        assert f.source.url or f.source.landing_page, f.relpath
        assert f.optional or (f.sha256 and len(f.sha256) == 64), f.relpath
    official = reg.file("undl-ga", "2026_02_06_ga_voting.csv")
    assert official.optional and official.sha256 == "9b8ddbee7490d9e31aa1b2f852c0b074ff58afd9e4bb67e629bcddbdde7852f1"


def test_every_registered_file_is_in_the_mirror_with_its_checksum(mirror):
    """Every registered non-optional file is in the mirror with the same checksum. A mirror may hold more
    than the project reads (a new source lands there before it is registered): that is not a failure."""
    reg = registry()
    for f in reg.files:
        if not f.optional:
            assert (mirror / f.relpath).is_file(), f"{f.relpath} is registered but not in the mirror {mirror}"
            assert fetch_mod.sha256_of(mirror / f.relpath) == f.sha256, f.relpath


def test_registry_with_unknown_source_is_rejected(tmp_path):
    p = tmp_path / "sources.toml"
    p.write_text('[source.a]\ntitle="t"\npublisher="p"\nlicence="l"\ncitation="c"\nrelease="r"\n'
                 '[[file]]\nsource="b"\nname="x.csv"\nsha256=""\n')
    with pytest.raises(ValueError, match="unknown source 'b'"):
        parse_registry(p)
