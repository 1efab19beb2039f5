"""What the HTTP server and the routes hand each other: a request and an answer.

The server parses bytes off the socket into an :class:`HTTPRequest`; the
routes answer with an :class:`HTTPResponse`. Neither side knows the other's
internals, so the routes can be driven without a socket.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

JSON = "application/json; charset=utf-8"


class HTTPRequest(NamedTuple):
    method: str
    path: str  # without the query, not percent-decoded
    query: Mapping[str, Sequence[str]]  # every value of every name, in order
    headers: Mapping[str, str]  # case-insensitive
    body: bytes
    url: str  # as the client saw it, for OAuth 1.0a signatures


class HTTPResponse(NamedTuple):
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str]


def json_response(status: int, payload: Any, headers: Mapping[str, str]) -> HTTPResponse:
    """``payload`` as compact JSON, UTF-8, as X sends it."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    try:
        body = text.encode()
    except UnicodeEncodeError:
        # A lone surrogate echoed back from the request (say, in an error's
        # "parameters") cannot be UTF-8; JSON's \u escapes can carry it.
        body = json.dumps(payload, separators=(",", ":")).encode()
    return HTTPResponse(status, body, JSON, headers)
