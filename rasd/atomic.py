"""Writing a file so that readers see the old one or the whole new one, never a part."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_write(path: Path, prefix: str = ".tmp-") -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: written beside it under a temporary name
    (``prefix`` + random + ``path``'s suffix) and moved onto ``path`` when the block ends
    without an error; on an error the temporary file is removed and ``path`` is untouched.
    The folder is made if missing. Used by the caches of the gazetteer index and of the
    decision models, which several processes may build at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
