"""Request headers as the server reads them, and the ``Date`` it answers with.

``http.server`` parses a request's header block with the ``email`` package,
which builds a full MIME message and lowers every header name again on each
lookup: more than the rest of a small request's answer costs. The emulator
reads the block itself (with ``http.client``'s limits: 100 fields, 64 KiB a
line), refusing what RFC 9112 says a server must refuse, and keeps the
fields in a :class:`Headers` that answers the same questions as
``email.message.Message`` (``get``, ``get_all``, ``[]``, ``in``, ``items``)
from a dict.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email.utils import formatdate
from typing import IO, Optional, TypeVar, Union

#: http.client's limits for a header block.
MAX_LINE = 65536
MAX_FIELDS = 100

_T = TypeVar("_T")
# RFC 9110 5.1: a field name is a token; RFC 9112 5.1: no whitespace before the colon.
_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")


class HeaderError(Exception):
    """A header block the server must refuse; ``status`` is 400 or 431."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Headers:
    """A request's header fields, looked up without regard to case.

    Field values are kept as sent, less surrounding whitespace; ``get`` and
    ``[]`` give the first value of a name (None when there is none, as
    ``email.message.Message`` does), ``get_all`` every value in order.
    """

    __slots__ = ("_fields", "_by_name")

    def __init__(self, fields: Union[list[tuple[str, str]], None] = None) -> None:
        self._fields: list[tuple[str, str]] = []
        self._by_name: dict[str, list[str]] = {}
        for name, value in fields or ():
            self.add(name, value)

    def add(self, name: str, value: str) -> None:
        self._fields.append((name, value))
        self._by_name.setdefault(name.lower(), []).append(value)

    def get(self, name: str, default: Optional[_T] = None) -> Union[str, _T, None]:
        values = self._by_name.get(name.lower())
        return values[0] if values else default

    def get_all(self, name: str, failobj: Optional[_T] = None) -> Union[list[str], _T, None]:
        values = self._by_name.get(name.lower())
        return list(values) if values else failobj

    def __getitem__(self, name: str) -> Optional[str]:
        return self.get(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_name

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def keys(self) -> list[str]:
        return [name for name, _ in self._fields]

    def values(self) -> list[str]:
        return [value for _, value in self._fields]

    def items(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def __repr__(self) -> str:
        # Names only: a request's Authorization must not reach a log.
        return f"Headers({self.keys()!r})"


def read_headers(rfile: IO[bytes]) -> Headers:
    """Read a header block up to its empty line; raise :class:`HeaderError` if malformed.

    A line folded onto the previous one (obsolete, RFC 9112 5.2) is joined to
    it with a space, as ``http.server`` does; a line that is not a field, or a
    field name with whitespace before its colon, is a 400 (RFC 9112 5.1); too
    many fields or too long a line, a 431.
    """
    headers = Headers()
    fields = headers._fields
    by_name = headers._by_name
    count = 0
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise HeaderError(431, "Line too long")
        if line in (b"\r\n", b"\n", b""):
            return headers
        count += 1
        if count > MAX_FIELDS:
            raise HeaderError(431, "Too many headers")
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t"):
            if not fields:
                raise HeaderError(400, "Bad header line: a continuation with no field before it")
            name, value = fields[-1]
            joined = f"{value} {text.strip()}".strip()
            fields[-1] = (name, joined)
            by_name[name.lower()][-1] = joined
            continue
        name, colon, value = text.partition(":")
        if not colon or not _FIELD_NAME.match(name):
            # The line itself is not quoted: it may carry a credential.
            raise HeaderError(
                400,
                f"Bad header line (line {count} of the header block): a field is a name "
                "(a token, no whitespace before the colon), a colon and a value",
            )
        value = value.strip(" \t")
        fields.append((name, value))
        lowered = name.lower()
        known = by_name.get(lowered)
        if known is None:
            by_name[lowered] = [value]
        else:
            known.append(value)


_date_second = -1
_date_text = ""


def http_date() -> str:
    """Now as an HTTP ``Date`` (RFC 9110 5.6.7), formatted once a second."""
    global _date_second, _date_text
    now = time.time()
    second = int(now)
    if second != _date_second:
        # Two threads may both format the same second; either result is right.
        _date_text, _date_second = formatdate(second, usegmt=True), second
    return _date_text
