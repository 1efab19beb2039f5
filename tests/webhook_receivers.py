"""Local webhook receivers over real sockets, for the emulator to deliver to.

:func:`serve_wsgi` runs a WSGI app under wsgiref and :func:`serve_asgi` an
ASGI app under a small asyncio HTTP/1.1 server (one request per connection,
as X and the emulator send them), both in a thread, with no web framework.
A :class:`Gate` in front of either can answer instead of the app: 503 for a
receiver that is down, or a wrong CRC answer; it counts what reached it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any, Callable, Optional
from wsgiref.simple_server import WSGIRequestHandler, make_server


class Gate:
    """Decides, per request, whether the app answers; records every request."""

    def __init__(self) -> None:
        self.down = False  # every POST answered 503
        self.wrong_crc = False  # CRC GETs answered with a wrong response_token
        self.fail_first: Callable[[bytes], bool] = lambda body: False
        self.requests: list[tuple[str, str, bytes]] = []  # (method, path?query, body)
        self._seen: set[bytes] = set()
        self._lock = threading.Lock()

    def answer(self, method: str, target: str, body: bytes) -> Optional[tuple[int, bytes]]:
        """An answer that replaces the app's, or None to let the app answer."""
        with self._lock:
            self.requests.append((method, target, body))
            if method == "GET" and "crc_token=" in target and self.wrong_crc:
                return 200, json.dumps({"response_token": "sha256=d3Jvbmc="}).encode()
            if method != "POST":
                return None
            if self.down:
                return 503, b""
            first = body not in self._seen
            self._seen.add(body)
            if first and self.fail_first(body):
                return 503, b""
            return None

    def crc_requests(self) -> list[str]:
        with self._lock:
            return [target for method, target, _ in self.requests if method == "GET"]


def gated_wsgi(app: Any, gate: Gate) -> Any:
    """The WSGI app behind ``gate``."""

    def gated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        target = environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        )
        replaced = gate.answer(environ["REQUEST_METHOD"], target, body)
        if replaced is not None:
            status, payload = replaced
            start_response(f"{status} Gate", [("Content-Length", str(len(payload)))])
            return [payload]
        import io

        environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return gated


def gated_asgi(app: Any, gate: Gate) -> Any:
    """The ASGI app behind ``gate`` (for servers that run ASGI apps themselves)."""

    async def gated(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        target = scope["path"] + (
            "?" + scope["query_string"].decode() if scope["query_string"] else ""
        )
        replaced = gate.answer(scope["method"], target, body)
        if replaced is not None:
            status, payload = replaced
            headers = [(b"content-length", str(len(payload)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        given = False

        async def again() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await app(scope, again, send)

    return gated


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_wsgi(app: Any, gate: Optional[Gate] = None) -> Iterator[str]:
    """The app at ``http://127.0.0.1:PORT`` under wsgiref, while inside."""
    server = make_server("127.0.0.1", 0, gated_wsgi(app, gate or Gate()), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class _AsgiServer:
    def __init__(self, app: Any, gate: Gate) -> None:
        self.app = app
        self.gate = gate
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0)
            )
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(10), "the ASGI test server did not start"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            headers = []
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, value = header.decode("latin-1").split(":", 1)
                headers.append((name.strip().lower().encode("latin-1"), value.strip().encode()))
            length = int(dict(headers).get(b"content-length", b"0"))
            body = await reader.readexactly(length) if length else b""
            replaced = self.gate.answer(method, target, body)
            if replaced is not None:
                status, data = replaced
                out_headers: list[tuple[bytes, bytes]] = []
            else:
                status, out_headers, data = await self._call(method, target, headers, body)
            head = f"HTTP/1.1 {status} Answer\r\n".encode()
            for name, value in out_headers:
                if name.lower() not in (b"content-length", b"connection"):
                    head += name + b": " + value + b"\r\n"
            head += f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
            writer.write(head + data)
            await writer.drain()
        finally:
            writer.close()

    async def _call(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        path, _, query = target.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": urllib.parse.unquote(path),
            "raw_path": path.encode("latin-1"),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", self.port),
        }
        given = False

        async def receive() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client never hangs up here
            raise AssertionError("unreachable")

        status = 500
        out_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                out_headers.extend(message.get("headers") or [])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, out_headers, b"".join(chunks)

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@contextlib.contextmanager
def serve_asgi(app: Any, gate: Optional[Gate] = None) -> Iterator[str]:
    """The ASGI app at ``http://127.0.0.1:PORT`` (no lifespan events), while inside."""
    server = _AsgiServer(app, gate or Gate())
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.close()
