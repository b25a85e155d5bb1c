"""Files are written whole or not at all, through one helper (unvotes.paths.atomic_paths) that every writer of
the package uses: a reader never sees half a file, and a failure leaves the previous file and no temporary one."""

import os
import stat

import pytest

from unvotes import paths


def test_a_finished_block_replaces_every_target_with_the_mode_the_umask_gives(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.json"
    a.write_text("old")
    old_umask = os.umask(0o027)
    try:
        with paths.atomic_paths(a, b) as (ta, tb):
            ta.write_text("new a")
            tb.write_text("new b")
            assert a.read_text() == "old" and not b.exists()  # nothing visible before the block ends
    finally:
        os.umask(old_umask)
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert stat.S_IMODE(b.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.json"]


@pytest.mark.parametrize("error", [ValueError("bad row"), KeyboardInterrupt()])
def test_an_error_leaves_the_previous_files_and_no_temporary_one(tmp_path, error):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("old")
    with pytest.raises(type(error)):
        with paths.atomic_paths(a, b) as (ta, tb):
            ta.write_text("half")
            raise error
    assert a.read_text() == "old" and not b.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_write_atomic_takes_text_or_bytes(tmp_path):
    paths.write_atomic(tmp_path / "t.txt", "é\n")
    paths.write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "t.txt").read_bytes() == "é\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_no_writer_of_the_package_makes_its_own_temporary_files():
    """One home for the pattern: a module calling tempfile.mkstemp (or renaming a .part file) itself would bypass
    the clean-up on error that the helper gives."""
    package = paths.PROJECT_ROOT / "lib" / "unvotes"
    own = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
           if p.name != "paths.py" and "mkstemp(" in p.read_text(encoding="utf-8")]
    assert own == []
