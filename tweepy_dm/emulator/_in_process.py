"""Requests to the emulator in the caller's thread: a requests transport without a socket.

The test kit (:mod:`tweepy_dm.testing`) mounts :class:`InProcessAdapter` on its
clients' sessions, so that each of their requests is answered by the
emulator's server code (the 405 and 413 refusals, injected faults, the
routes) without a connection, a handler thread or HTTP's bytes. Everything
above the transport (tweepy, requests' session, OAuth 1.0a signing) runs as
it does against a socket. A streamed request (``stream=True``, the Activity
stream) still goes through the socket: its answer never ends.
"""

from __future__ import annotations

import io
from http.client import responses
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from tweepy_dm.emulator._server import Server


def _bytes(body: Any) -> bytes:
    """A prepared request's body (None, str, bytes, a file or an iterable of bytes) as bytes."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    read = getattr(body, "read", None)
    if read is not None:
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(body)


class InProcessAdapter(HTTPAdapter):
    """Sends a session's requests to the emulator's ``server`` in this thread."""

    def __init__(self, server: Server) -> None:
        super().__init__()
        self._server = server

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        if stream:
            return super().send(request, stream, timeout, verify, cert, proxies)
        method, url = request.method or "GET", request.url or ""
        answer = self._server.serve_in_process(method, url, request.headers, _bytes(request.body))
        if answer is None:
            raise requests.ConnectionError(
                "the emulator dropped the connection (inject_fault)", request=request
            )
        body = answer.body
        if not isinstance(body, (bytes, bytearray)):
            # A stream asked for without stream=True would never end over a socket either.
            close = getattr(body, "close", None)
            if close is not None:
                close()
            raise requests.ConnectionError(
                f"{method} {url} answers with a stream: request it with stream=True",
                request=request,
            )
        response = requests.Response()
        response.status_code = answer.status
        response.reason = responses.get(answer.status, "")
        response.headers = CaseInsensitiveDict(
            {
                "Content-Type": answer.content_type,
                "Content-Length": str(len(body)),
                **answer.headers,
            }
        )
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(bytes(body))
        response._content = bytes(body)
        response._content_consumed = True
        response.url = url
        response.request = request
        response.connection = self
        return response


def connect_in_process(emulator: Any, session: requests.Session) -> None:
    """Have ``session``'s requests to ``emulator`` answered in process (see the module)."""
    session.mount(emulator.url + "/", InProcessAdapter(emulator._server))
