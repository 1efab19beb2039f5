"""Where downloaded bytes go: a binary file object, or a path written atomically."""

from __future__ import annotations

import os
import tempfile
from typing import Any


class Sink:
    """Write chunks to a file object, or to a path via a temporary file.

    A path is only replaced once every byte has arrived (``close(complete=True)``),
    so an interrupted download never leaves a truncated file where the user
    expects a complete one. A file object is written from its current position
    and left open.
    """

    def __init__(self, file: Any) -> None:
        self.written = 0
        self._partial: str | None = None
        self._path: str | None = None
        if hasattr(file, "write"):
            self._file = file
            return
        self._path = os.fspath(file)
        directory = os.path.dirname(os.path.abspath(self._path))
        handle, self._partial = tempfile.mkstemp(
            dir=directory, prefix=".tweepy-dm-", suffix=".part"
        )
        self._file = os.fdopen(handle, "wb")

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.written += len(chunk)

    def close(self, *, complete: bool) -> None:
        if self._partial is None:
            return
        self._file.close()
        if complete:
            os.replace(self._partial, self._path)  # type: ignore[arg-type]
        else:
            os.unlink(self._partial)
