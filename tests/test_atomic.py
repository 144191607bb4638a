"""aideps.knowledge.atomic.replace_file: the one atomic write of aideps (stamps,
seals, export -o)."""

from __future__ import annotations

import os
import sys

import pytest

from aideps.knowledge import atomic


def test_writes_the_bytes_with_the_mode_asked(tmp_path):
    target = tmp_path / "out.bin"
    atomic.replace_file(target, b"one")
    assert target.read_bytes() == b"one"
    assert target.stat().st_mode & 0o777 == atomic.new_file_mode()
    atomic.replace_file(str(target), b"two", mode=0o600)
    assert target.read_bytes() == b"two"
    if sys.platform != "win32":
        assert target.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["out.bin"]


@pytest.mark.parametrize("where", ["fsync", "replace", "chmod"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_any_failure_leaves_the_target_as_it_was_and_no_temporary_file(tmp_path, monkeypatch, where, error):
    target = tmp_path / "out.bin"
    target.write_bytes(b"before")

    def fail(*args, **kwargs):
        raise error()

    monkeypatch.setattr(atomic.os, where, fail)
    with pytest.raises(error):
        atomic.replace_file(target, b"after")
    monkeypatch.undo()
    assert target.read_bytes() == b"before"
    assert os.listdir(tmp_path) == ["out.bin"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"keep")
    target = tmp_path / "out.bin"
    target.symlink_to(elsewhere)
    atomic.replace_file(target, b"new")
    assert not target.is_symlink() and target.read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"keep"


def test_temporary_names_are_new_each_time(tmp_path, monkeypatch):
    import tempfile

    made = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        made.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    for _ in range(3):
        atomic.replace_file(tmp_path / "out.bin", b"x")
    assert len(set(made)) == 3
    assert all(os.path.dirname(name) == str(tmp_path) and name.endswith(".tmp") for name in made)


def test_a_folder_that_cannot_be_written_is_named_in_the_error(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(OSError) as raised:
        atomic.replace_file(missing / "out.bin", b"x")
    assert raised.value.filename == str(missing)
