"""What the HTTP server and the routes hand each other: a request and an answer.

The server parses bytes off the socket into an :class:`HTTPRequest`; the
routes answer with an :class:`HTTPResponse`. Neither side knows the other's
internals, so the routes can be driven without a socket.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Union

JSON = "application/json; charset=utf-8"


class HTTPRequest(NamedTuple):
    method: str
    path: str  # without the query, not percent-decoded
    query: Mapping[str, Sequence[str]]  # every value of every name, in order
    headers: Mapping[str, str]  # case-insensitive
    body: bytes
    url: str  # as the client saw it, for OAuth 1.0a signatures
    peer: str = ""  # the caller's IP address ("" when not from a socket)


class HTTPResponse(NamedTuple):
    status: int
    # Bytes, or an iterable of chunks for a long-lived stream (sent chunked).
    body: Union[bytes, Iterable[bytes]]
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


def json_page_response(
    status: int, data: Sequence[str], rest: Mapping[str, Any], headers: Mapping[str, str]
) -> HTTPResponse:
    """:func:`json_response` of ``{"data": [...], **rest}``, each item of ``data``
    already compact JSON text: the same bytes, without encoding the items again."""
    tail = json.dumps(rest, separators=(",", ":"), ensure_ascii=False) if rest else "}"
    text = '{"data":[' + ",".join(data) + "]" + ("," + tail[1:] if rest else tail)
    try:
        body = text.encode()
    except UnicodeEncodeError:
        payload = {"data": [json.loads(item) for item in data], **rest}
        return json_response(status, payload, headers)
    return HTTPResponse(status, body, JSON, headers)
