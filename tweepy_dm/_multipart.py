"""A ``multipart/form-data`` body that streams its file part without copying it.

requests builds ``files=`` bodies in memory, copying each chunk several times;
for a 4 MB append segment that is what dominates an upload's memory. This body
keeps the chunk as given (a ``bytes`` or ``memoryview``) and hands it out in
slices as the HTTP library reads, with a known length so that
``Content-Length`` is set and no chunked encoding is needed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Union

Buffer = Union[bytes, bytearray, memoryview]
_BLOCK = 64 * 1024


class MultipartBody:
    """A file-like, read-once multipart body: text fields, then one file part."""

    def __init__(
        self,
        fields: Mapping[str, str],
        file_field: str,
        content: Buffer,
        *,
        filename: str = "blob",
        content_type: str = "application/octet-stream",
    ) -> None:
        self.boundary = uuid.uuid4().hex
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        head = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        )
        head += (
            f"--{self.boundary}\r\nContent-Disposition: form-data; "
            f'name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._parts = [memoryview(head), memoryview(content).cast("B"), memoryview(tail)]
        self._length = sum(len(part) for part in self._parts)
        self._part = 0
        self._offset = 0

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._length
        out = []
        while size > 0 and self._part < len(self._parts):
            part = self._parts[self._part]
            piece = part[self._offset : self._offset + size]
            out.append(piece)
            size -= len(piece)
            self._offset += len(piece)
            if self._offset >= len(part):
                self._part += 1
                self._offset = 0
        return b"".join(out)

    def __iter__(self) -> Iterator[bytes]:
        while True:
            block = self.read(_BLOCK)
            if not block:
                return
            yield block
