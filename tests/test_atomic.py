"""rasd.atomic.atomic_write: a reader sees the old file or the whole new one."""
from __future__ import annotations

import pytest

from rasd.atomic import atomic_write


def test_the_new_content_replaces_the_old_when_the_block_ends(tmp_path):
    target = tmp_path / "cache" / "index.npz"          # the folder is made
    with atomic_write(target, prefix=".t-") as f:
        f.write(b"first")
    with atomic_write(target, prefix=".t-") as f:
        f.write(b"second")
        assert target.read_bytes() == b"first"          # not yet replaced while writing
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["index.npz"]


def test_an_error_while_writing_leaves_the_old_file_and_no_part(tmp_path):
    target = tmp_path / "index.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target, prefix=".t-") as f:
        f.write(b"half of it")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.npz"]
