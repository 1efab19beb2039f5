"""Where bytes come from and go: an upload's source, a download's sink (a file object or a
path written atomically) and the download's flow."""

from __future__ import annotations

import io
import os
import tempfile
from typing import Any, Union

from tweepy_dm._flow import Call, Flow, ReadChunk

#: Bytes per read when streaming a download.
DOWNLOAD_CHUNK = 64 * 1024


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

    def close(self, complete: bool) -> None:
        if self._partial is None:
            return
        self._file.close()
        if complete:
            os.replace(self._partial, self._path)  # type: ignore[arg-type]
        else:
            os.unlink(self._partial)


class Source:
    """The file to upload: its size and first bytes, read without moving it.

    A path is opened (and closed by :meth:`close`); a file object must be
    binary and seekable, is read from its current position, and is left open.
    """

    HEAD_BYTES = 32

    def __init__(self, file: Any) -> None:
        if hasattr(file, "read"):
            if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
                raise TypeError("the file must be opened in binary mode ('rb')")
            self.file = file
            self._owned = False
            if not (hasattr(file, "seekable") and file.seekable()):
                raise ValueError(
                    "the file object must be seekable, so that its size is known before "
                    "uploading; pass a path or an open file instead of a stream"
                )
            start = file.tell()
            self.size = file.seek(0, os.SEEK_END) - start
            file.seek(start)
        else:
            try:
                path = os.fspath(file)
            except TypeError:
                raise TypeError(
                    f"file must be a path or a binary file object, not {type(file).__name__}"
                ) from None
            self.file = open(path, "rb")
            self._owned = True
            self.size = os.fstat(self.file.fileno()).st_size
            start = 0
        self.head = self.file.read(self.HEAD_BYTES)
        self.file.seek(start)
        if not isinstance(self.head, bytes):
            self.close()
            raise TypeError("the file must be opened in binary mode ('rb')")

    def read(self, size: int) -> bytes:
        return self.file.read(size)

    def close(self) -> None:
        if self._owned:
            self.file.close()


def save_flow(file: Any) -> Flow[Union[bytes, int]]:
    """Flow: read the response being streamed to its end.

    Returns its bytes, or, with ``file``, writes them there through a
    :class:`Sink` and returns how many were written.
    """
    if file is None:
        chunks = []
        while chunk := (yield ReadChunk()):
            chunks.append(chunk)
        return b"".join(chunks)
    sink = yield Call(Sink, (file,))
    try:
        while chunk := (yield ReadChunk()):
            yield Call(sink.write, (chunk,))
    except Exception:
        yield Call(sink.close, (False,))
        raise
    except BaseException:
        # Cancelled or interrupted: no effect can run any more, so clean up here.
        sink.close(False)
        raise
    yield Call(sink.close, (True,))
    return sink.written
