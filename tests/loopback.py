"""A raw HTTP server on 127.0.0.1: for tests that must see the bytes on the wire.

Tests talk to :class:`tweepy_dm.emulator.DMEmulator` wherever they can: it
answers as X does, checks OAuth itself and has back doors for faults, rate
limits and time. This server is for what the emulator cannot do:

- show what reached the socket: the URL and query as sent, headers, a
  multipart body, how many TCP connections were opened
  (``client/test_client_options.py``, ``media/test_upload.py``'s ``test_upload_wire_*``);
- answer exactly as a test says: a processing failure, a reply with given
  headers and bytes (``media/test_upload.py``, ``client/test_client_options.py``);
- never answer at all (:class:`SilentServer`, for timeouts).

Each test gives :class:`LoopbackServer` a handler ``(RecordedRequest) ->
(status, headers, body)``. It speaks HTTP/1.1 with Nagle's algorithm off, so
keep-alive requests are not delayed, and counts the TCP connections it
accepts. Check an OAuth 1.0a signature it received with
``tests.helpers.oauth1_is_valid``.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit


class RecordedRequest(NamedTuple):
    method: str
    url: str  # absolute, as the client addressed it
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


Reply = tuple[int, dict[str, str], bytes]


def json_reply(status: int, payload: Any, **headers: str) -> Reply:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(payload).encode()


class LoopbackServer:
    def __init__(self, handler: Callable[[RecordedRequest], Reply] | None = None) -> None:
        self.handler = handler or (lambda request: json_reply(200, {"meta": {"result_count": 0}}))
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with outer._lock:
                    outer.connections += 1

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                recorded = RecordedRequest(
                    method=self.command,
                    url=f"http://{self.headers['Host']}{self.path}",
                    path=parts.path,
                    query=tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))),
                    headers=dict(self.headers.items()),
                    body=body,
                )
                with outer._lock:
                    outer.requests.append(recorded)
                status, headers, payload = outer.handler(recorded)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = do_PUT = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


class SilentServer:
    """Accepts connections and never answers, to test timeouts."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()
        return f"http://{host}:{port}"

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._socket.close()
