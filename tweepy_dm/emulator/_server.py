"""The HTTP side: a threading HTTP/1.1 server and injected faults."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, NamedTuple, Optional
from urllib.parse import parse_qs, urlsplit

from tweepy_dm.emulator._redirect import signed_url
from tweepy_dm.emulator._routes import App, HTTPRequest, HTTPResponse

logger = logging.getLogger("tweepy_dm.emulator")


class Fault(NamedTuple):
    status: Optional[int]  # None: drop the connection instead
    path: Optional[re.Pattern[str]]
    method: Optional[str]
    headers: dict[str, str]


def path_pattern(path: str) -> re.Pattern[str]:
    """A path to match, where ``*`` stands for any part of one path segment."""
    return re.compile("[^/]*".join(map(re.escape, path.split("*"))) + r"\Z")


class Faults:
    """Answers queued for the next matching requests, first in, first out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []

    def add(self, fault: Fault, count: int) -> None:
        with self._lock:
            self._queue.extend([fault] * count)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)

    def take(self, method: str, path: str) -> Optional[Fault]:
        with self._lock:
            for index, fault in enumerate(self._queue):
                if (fault.path is None or fault.path.match(path)) and (
                    fault.method is None or fault.method == method
                ):
                    return self._queue.pop(index)
        return None


class Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that can close the keep-alive connections it serves."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app_factory: Callable[[str], App]) -> None:
        super().__init__(address, Handler)
        host, port = self.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.app = app_factory(self.url)
        self.faults = Faults()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        # Handler threads block reading the next request of a keep-alive
        # connection; shutting the socket down lets them end.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _problem_response(
    status: int, payload: dict[str, object], headers: Optional[dict[str, str]] = None
) -> HTTPResponse:
    body = json.dumps({**payload, "type": "about:blank", "status": status}).encode()
    return HTTPResponse(status, body, "application/json; charset=utf-8", headers or {})


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 for keep-alive, and no Nagle: otherwise each answer on a
    # reused connection waits for the client's delayed ACK (~40 ms).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        try:
            super().finish()
        except OSError:
            pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        parts = urlsplit(self.path)
        fault = self.server.faults.take(self.command, parts.path)
        if fault is not None:
            if fault.status is None:
                self._drop()
                return
            payload = {"title": "Injected fault", "detail": "Injected by inject_fault()"}
            headers = {**self.server.app.limiter.idle_headers(None), **fault.headers}
            self._send(_problem_response(fault.status, payload, headers))
            return
        host = self.headers.get("Host") or self.server.url.split("://", 1)[1]
        request = HTTPRequest(
            self.command,
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            self.headers,  # type: ignore[arg-type]  # email.message.Message: case-insensitive
            body,
            signed_url(self.headers, host, self.path),
        )
        try:
            response = self.server.app.handle(request)
        except Exception:  # a bug here must not hang the client
            logger.exception("emulator failed on %s %s", self.command, self.path)
            payload = {"title": "Internal Server Error", "detail": "emulator error"}
            response = _problem_response(500, payload)
        self._send(response)

    def _send(self, response: HTTPResponse) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
