"""A loopback HTTP/1.1 server that streams chunked responses, for the stream drivers.

Each connection plays a script: ``script(request)`` returns what to send, in
order: a :class:`Status` (default 200), bytes (one HTTP chunk each),
:data:`CUT` (drop the connection mid-body), :class:`Hold` (wait for an event
or the server's stop, sending nothing: a stall) and, implicitly at the end,
the terminating chunk. Requests are recorded with their query.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterable
from typing import Any, Callable, NamedTuple, Optional, Union
from urllib.parse import parse_qsl, urlsplit


class Request(NamedTuple):
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class Status(NamedTuple):
    code: int
    headers: Optional[dict[str, str]] = None
    body: bytes = b""


class Hold(NamedTuple):
    until: threading.Event


CUT = object()
Action = Union[Status, bytes, Hold, object]


class StreamServer:
    def __init__(self, script: Callable[[Request], Iterable[Action]]) -> None:
        self.script = script
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self.disconnected = threading.Event()  # set when a client goes away mid-body
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._serve(self.connection, self.rfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> StreamServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _serve(self, connection: socket.socket, rfile: Any) -> None:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request_line = rfile.readline().decode("latin-1").split()
        headers = {}
        while True:
            line = rfile.readline().decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = urlsplit(request_line[1])
        request = Request(parts.path, dict(parse_qsl(parts.query)), headers)
        self.requests.append(request)
        actions = list(self.script(request))
        status = Status(200)
        if actions and isinstance(actions[0], Status):
            status = actions.pop(0)
        try:
            if status.code != 200:
                head = (
                    f"HTTP/1.1 {status.code} Status\r\nContent-Length: {len(status.body)}\r\n"
                    "Connection: close\r\n"
                    + "".join(f"{k}: {v}\r\n" for k, v in (status.headers or {}).items())
                    + "\r\n"
                )
                connection.sendall(head.encode() + status.body)
                return
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            )
            for action in actions:
                if action is CUT:
                    connection.shutdown(socket.SHUT_RDWR)
                    return
                if isinstance(action, Hold):
                    while not (action.until.is_set() or self.stopping.is_set()):
                        action.until.wait(0.02)
                    continue
                assert isinstance(action, bytes)
                connection.sendall(b"%x\r\n%s\r\n" % (len(action), action))
            connection.sendall(b"0\r\n\r\n")
        except OSError:
            self.disconnected.set()
