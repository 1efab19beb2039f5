"""A small multipart/form-data parser (the ``cgi`` module is gone in 3.13)."""

from __future__ import annotations

from email.message import Message
from typing import NamedTuple, Optional


class Part(NamedTuple):
    name: str
    filename: Optional[str]
    content_type: Optional[str]
    data: bytes


def _header_param(value: str, param: str) -> Optional[str]:
    # email.message knows how to read quoted header parameters.
    message = Message()
    message["content-type"] = value
    found = message.get_param(param, header="content-type")
    return found if isinstance(found, str) else None


def parse_multipart(content_type: str, body: bytes) -> dict[str, Part]:
    """The parts of a multipart/form-data body by field name.

    Raises ValueError if the body is not well formed.
    """
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        raise ValueError("multipart body without a boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise ValueError("multipart body not closed by its boundary")
    parts: dict[str, Part] = {}
    for chunk in chunks[1:-1]:
        head, separator, data = chunk.partition(b"\r\n\r\n")
        if not separator or not data.endswith(b"\r\n"):
            raise ValueError("malformed multipart part")
        headers = {}
        for line in head.decode("utf-8", "replace").strip().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = "form-data; " + headers.get("content-disposition", "").partition(";")[2]
        name = _header_param(disposition, "name")
        if name is None:
            raise ValueError("multipart part without a name")
        parts[name] = Part(
            name, _header_param(disposition, "filename"), headers.get("content-type"), data[:-2]
        )
    return parts
