"""The HTTP side: a threading HTTP/1.1 server and injected faults.

The server refuses what X's edge refuses before any endpoint runs, always
with a JSON problem body: a request line or header it cannot parse (400), a
method X has no endpoint for (405), a body larger than the endpoint takes
(413, decided from ``Content-Length`` or each chunk's size before the bytes
are read). An idle keep-alive connection is closed after ``idle_timeout``
seconds; a streamed answer (a body that is an iterable of chunks) never
times out. A client that hangs up is not an error worth a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import select
import selectors
import socket
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import SplitResult, parse_qs, urlsplit

from tweepy_dm import _facts
from tweepy_dm.emulator import _routes
from tweepy_dm.emulator._errors import Problem, invalid_request
from tweepy_dm.emulator._headers import HeaderError, http_date, read_headers
from tweepy_dm.emulator._redirect import signed_url
from tweepy_dm.emulator._routes import App, HTTPRequest, HTTPResponse

logger = logging.getLogger("tweepy_dm.emulator")

KiB = 1024
MiB = 1024 * KiB

#: Seconds an idle keep-alive connection stays open. Longer than clients keep
#: pooled connections (aiohttp 15 s; requests and urllib3 until the server
#: closes, checking before each reuse), as nginx's default of 75 s.
IDLE_TIMEOUT = 75.0

#: The largest body of an endpoint that takes JSON or nothing. The largest
#: X accepts is a group's first message: 10,000 characters, each at worst a
#: 12-byte escaped surrogate pair (``\ud83d\ude00``, what ``json.dumps`` sends
#: for an emoji), is 120,000 bytes, plus 49 participant ids. Twice that, so
#: that pretty-printed JSON passes too.
JSON_BODY_LIMIT = 256 * KiB
#: Room for the form fields, part headers and boundaries of an upload.
_FORM_ROOM = 64 * KiB


def _base64_size(size: int) -> int:
    return -(-size // 3) * 4


#: Per endpoint, the largest body, where it is more than :data:`JSON_BODY_LIMIT`.
#: A one-shot upload carries a whole image (5 MB) or, in the emulator, GIF
#: (15 MB), as multipart bytes or as base64 in JSON; videos go in chunks. An
#: APPEND segment is at most 5 MB (X's media docs), raw or base64; an XChat media
#: segment what the client sends (:data:`~tweepy_dm._facts.CHAT_MEDIA_SEGMENT_BYTES`).
BODY_LIMITS: Mapping[str, int] = {
    "POST /2/media/upload": _base64_size(15 * MiB) + _FORM_ROOM,
    "POST /2/media/upload/{id}/append": _base64_size(5 * MiB) + _FORM_ROOM,
    "POST /2/chat/media/upload/{id}/append": (
        _base64_size(_facts.CHAT_MEDIA_SEGMENT_BYTES) + _FORM_ROOM
    ),
}

#: Methods X's API uses. Another method is answered 405; one of these on a
#: path without an endpoint for it is answered 404, as X does.
METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_DIGITS = re.compile(r"[0-9]{1,18}\Z")
# RFC 2145: one dot, each number a whole number (leading zeros ignored).
_VERSION = re.compile(r"HTTP/([0-9]{1,10})\.([0-9]{1,10})\Z")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n\Z")
_MAX_LINE = 64 * KiB
_MAX_TRAILERS = 100
#: How long a refused upload is read and discarded, so that its sender gets
#: to read the answer instead of a reset connection.
_DRAIN_SECONDS = 2.0


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
        if not self._queue:  # most requests: nothing queued, so no lock to take
            return None
        with self._lock:
            for index, fault in enumerate(self._queue):
                if (fault.path is None or fault.path.match(path)) and (
                    fault.method is None or fault.method == method
                ):
                    return self._queue.pop(index)
        return None


@functools.cache
def _route_entry(route: str) -> tuple[str, re.Pattern[str], str]:
    """A route's method and path pattern, compiled once for every server."""
    method, _, endpoint = route.partition(" ")
    pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(endpoint))
    return method, re.compile(pattern + r"\Z"), route


class RouteTable:
    """Which endpoint a method and path name, and the largest body it takes."""

    def __init__(self, routes: Iterable[str]) -> None:
        self._routes = [_route_entry(route) for route in routes]
        # Asked on every request: computed once.
        self.all_methods = frozenset(method for method, _, _ in self._routes)

    def endpoint(self, method: str, path: str) -> Optional[str]:
        for route_method, pattern, route in self._routes:
            if route_method == method and pattern.match(path):
                return route
        return None

    def methods(self, path: str) -> list[str]:
        """The methods that have an endpoint at ``path``."""
        found = {method for method, pattern, _ in self._routes if pattern.match(path)}
        return sorted(found)

    def body_limit(self, method: str, path: str) -> int:
        endpoint = self.endpoint(method, path)
        return BODY_LIMITS.get(endpoint or "", JSON_BODY_LIMIT)


def _route_strings(app: App) -> list[str]:
    # The routes module's own list when it has one, else the app's routes.
    declared = getattr(_routes, "ROUTES", None)
    if declared:
        return list(declared)
    return [route.endpoint for route in getattr(app, "routes", ())]


class Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that can close the keep-alive connections it serves."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        app_factory: Callable[[str], App],
        *,
        idle_timeout: Optional[float] = IDLE_TIMEOUT,
    ) -> None:
        super().__init__(address, Handler)
        host, port = self.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self.app = app_factory(self.url)
        self.route_table = RouteTable(_route_strings(self.app))
        #: Seconds before an idle connection is closed; None never closes it.
        self.idle_timeout = idle_timeout
        self.faults = Faults()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        # socketserver's loop looks for shutdown() once per poll_interval, so
        # closing an emulator waited for it; a byte on this pair wakes the loop.
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._stopping = False
        self._stopped = threading.Event()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """socketserver's loop, ended at once by :meth:`shutdown`."""
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stopping:
                    ready = selector.select(poll_interval)
                    if self._stopping:
                        break
                    if any(key.fileobj is self for key, _ in ready):
                        self._handle_request_noblock()
                    self.service_actions()
        finally:
            try:  # the wake-up byte, so that a loop started again does not wake at once
                self._wake_reader.recv(64)
            except OSError:
                pass
            self._stopping = False
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (running in another thread) and wait until it has."""
        self._stopping = True
        self._wake_writer.send(b"\0")
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

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

    def check_method(self, method: str, path: str) -> None:
        """Refuse (405) a method that no endpoint of X takes, before the body is read."""
        if method in METHODS or method in self.route_table.all_methods:
            return
        allowed = self.route_table.methods(path) or sorted(METHODS)
        detail = f"The method {method} is not allowed; use one of {', '.join(allowed)}."
        headers = {"Allow": ", ".join(allowed)}
        raise _Refused(Problem(405, "Method Not Allowed", detail, headers=headers))

    def idle_headers(self) -> dict[str, str]:
        limiter = getattr(self.app, "limiter", None)
        return limiter.idle_headers(None) if limiter is not None else {}

    def answer(self, request: HTTPRequest) -> Optional[HTTPResponse]:
        """The answer to a request read whole: an injected fault's, else the endpoint's.

        None when an injected fault drops the connection instead.
        """
        fault = self.faults.take(request.method, request.path)
        if fault is not None:
            if fault.status is None:
                return None
            payload = {"title": "Injected fault", "detail": "Injected by inject_fault()"}
            return _problem_response(
                fault.status, payload, {**self.idle_headers(), **fault.headers}
            )
        try:
            return self.app.handle(request)
        except Exception:  # a bug here must not hang the client
            logger.exception("emulator failed on %s %s", request.method, request.path)
            payload = {"title": "Internal Server Error", "detail": "emulator error"}
            return _problem_response(500, payload)

    def serve_in_process(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> Optional[HTTPResponse]:
        """Answer a request made in this process, without a socket, as the socket's handler does.

        ``url`` is the absolute URL the client sent to (and signed); ``headers``
        is case-insensitive. None when an injected fault drops the connection.
        """
        parts = urlsplit(url)
        try:
            self.check_method(method, parts.path)
            limit = self.route_table.body_limit(method, parts.path)
            if len(body) > limit:
                raise _too_large(limit, method, parts.path)
        except _Refused as refused:
            response = refused.response
            return response._replace(headers={**self.idle_headers(), **response.headers})
        query = parse_qs(parts.query, keep_blank_values=True)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        signed = signed_url(headers, headers.get("Host") or parts.netloc, target)
        return self.answer(
            HTTPRequest(method, parts.path, query, headers, body, signed, "127.0.0.1")
        )

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr. A client that hung up is
        # routine; anything else is logged, never printed.
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            logger.debug("connection from %s ended: %r", client_address, error)
        else:
            logger.error("emulator connection from %s failed", client_address, exc_info=error)


_JSON = "application/json; charset=utf-8"


def _problem_response(
    status: int, payload: Mapping[str, object], headers: Optional[Mapping[str, str]] = None
) -> HTTPResponse:
    body = json.dumps({**payload, "type": "about:blank", "status": status}).encode()
    return HTTPResponse(status, body, _JSON, headers or {})


class _Refused(Exception):
    """A request answered before its body was read; the connection then closes."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.response = HTTPResponse(
            problem.status, json.dumps(problem.body()).encode(), _JSON, problem.headers
        )


def _bad_request(message: str, parameters: Optional[Mapping[str, Any]] = None) -> _Refused:
    # X's 400 for anything malformed, message and all.
    return _Refused(invalid_request(message, parameters))


def _too_large(limit: int, method: str, path: str) -> _Refused:
    detail = f"The request body is larger than the {limit:,} bytes that {method} {path} accepts."
    return _Refused(Problem(413, "Payload Too Large", detail))


class _ClientGone(Exception):
    """The client closed the connection or stopped sending in the middle of a request."""


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 for keep-alive, and no Nagle: otherwise each answer on a
    # reused connection waits for the client's delayed ACK (~40 ms).
    protocol_version = "HTTP/1.1"
    # Errors in a request line that names no version still get a status line.
    default_request_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        # Called for every request: format nothing unless someone listens.
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s", self.address_string(), format % args)

    # Reading a request

    def handle_one_request(self) -> None:
        self._continue_expected = False
        try:
            self.raw_requestline = self.rfile.readline(_MAX_LINE + 1)
            # RFC 9112 2.2: ignore empty lines before a request line (some
            # clients send a CRLF after a POST body).
            for _ in range(8):
                if self.raw_requestline not in (b"\r\n", b"\n"):
                    break
                self.raw_requestline = self.rfile.readline(_MAX_LINE + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > _MAX_LINE:
                self.requestline, self.command = "", ""
                self.request_version = self.default_request_version
                self.send_error(414, "Request-URI Too Long")
                return
            if not self.parse_request():
                return  # parse_request answered
            self._serve()
            self.wfile.flush()
        except (OSError, _ClientGone) as error:
            # A timeout on an idle connection, or a client that hung up.
            logger.debug("closing connection from %s: %r", self.client_address, error)
            self.close_connection = True

    def parse_request(self) -> bool:
        """BaseHTTPRequestHandler's, stricter, and reading headers with :mod:`._headers`."""
        self.command, self.request_version = "", self.default_request_version
        self.close_connection = True
        self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if not words:
            return False
        # Refuse HTTP/0.9 (two words) and methods or targets that are not
        # HTTP's, which BaseHTTPRequestHandler would let through.
        if len(words) != 3:
            self.send_error(400, "Bad request line")
            return False
        method, target, version = words
        if not _TOKEN.match(method):
            self.send_error(400, "Bad request method")
            return False
        if not target.startswith(("/", "http://", "https://")):
            self.send_error(400, "Bad request target")
            return False
        number = _VERSION.match(version)
        if number is None:
            self.send_error(400, f"Bad request version ({version!r})")
            return False
        major, minor = int(number.group(1)), int(number.group(2))
        if (major, minor) >= (2, 0):
            self.send_error(505, f"Invalid HTTP version ({version[5:]})")
            return False
        if (major, minor) >= (1, 1):
            self.close_connection = False
        self.request_version = version
        self.command = method
        # As http.server does (gh-87389): "//host/path" is no open redirect.
        self.path = "/" + target.lstrip("/") if target.startswith("//") else target
        try:
            self.headers = read_headers(self.rfile)  # type: ignore[assignment]
        except HeaderError as error:
            self.send_error(error.status, error.message)
            return False
        connection = (self.headers.get("Connection") or "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        expect = self.headers.get("Expect")
        if expect is not None and expect.lower() == "100-continue" and (major, minor) >= (1, 1):
            return self.handle_expect_100()
        return True

    def handle_expect_100(self) -> bool:
        # Sent once the body is known to be acceptable (see _read_body), so
        # that a client waiting for it never sends a body that would be refused.
        self._continue_expected = True
        return True

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None):
        # BaseHTTPRequestHandler's errors are HTML; X's are JSON problems.
        # 505 (HTTP/2 on this port) is the client's doing: a 400 here.
        detail = message or self.responses.get(code, ("Bad request",))[0]
        if explain and explain != detail:
            detail = f"{detail}: {explain}"
        if code == 400 or code >= 500:
            refused = _bad_request(detail)
        else:
            refused = _Refused(Problem(code, self.responses.get(code, ("Error",))[0], detail))
        self.log_message("answered %d: %s", refused.response.status, detail)
        self.close_connection = True
        response = refused.response
        self._send(response._replace(headers={**self._headers(), **response.headers}))

    def _headers(self) -> dict[str, str]:
        return self.server.idle_headers()

    def _framing(self, limit: int) -> tuple[bool, int]:
        """Whether the body is chunked, else its length; refuse bad or large ones."""
        lengths = [value.strip() for value in self.headers.get_all("Content-Length") or ()]
        encodings = self.headers.get_all("Transfer-Encoding") or ()
        if encodings:
            if lengths:
                raise _bad_request(
                    "Content-Length and Transfer-Encoding must not both be sent",
                    {"Content-Length": lengths, "Transfer-Encoding": list(encodings)},
                )
            if ",".join(encodings).strip().lower() != "chunked":
                raise _bad_request(
                    "The only Transfer-Encoding accepted is chunked",
                    {"Transfer-Encoding": list(encodings)},
                )
            return True, 0
        if not lengths:
            return False, 0
        if len(set(lengths)) > 1 or not lengths[0].isascii() or not lengths[0].isdigit():
            raise _bad_request(
                "Content-Length must be one number of ASCII digits", {"Content-Length": lengths}
            )
        if not _DIGITS.match(lengths[0]) or int(lengths[0]) > limit:
            raise _too_large(limit, self.command, self._path)
        return False, int(lengths[0])

    def _read_body(self) -> bytes:
        if not self._continue_expected and not (
            "Content-Length" in self.headers or "Transfer-Encoding" in self.headers
        ):
            return b""  # most GETs: no body, so no limit to look up
        limit = self.server.route_table.body_limit(self.command, self._path)
        chunked, length = self._framing(limit)
        if self._continue_expected:
            self._continue_expected = False
            self.send_response_only(100)
            self.end_headers()
        if chunked:
            return self._read_chunks(limit)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise _ClientGone("body shorter than its Content-Length")
        return body

    def _read_chunks(self, limit: int) -> bytes:
        chunks, total = [], 0
        while True:
            line = self._line()
            match = _CHUNK_SIZE.match(line)
            if match is None:
                raise _bad_request("A chunk size must be hexadecimal digits.")
            size = int(match.group(1), 16)
            if size == 0:
                break
            total += size
            if total > limit:
                raise _too_large(limit, self.command, self._path)
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise _ClientGone("chunk shorter than its size")
            chunks.append(chunk)
            if self._line() not in (b"\r\n", b"\n"):
                raise _bad_request("A chunk must end with CRLF after its size in bytes.")
        for _ in range(_MAX_TRAILERS):
            if self._line() in (b"\r\n", b"\n"):
                return b"".join(chunks)
        raise _bad_request("Too many trailer fields after the last chunk.")

    def _line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE + 1)
        if not line:
            raise _ClientGone("connection closed in a chunked body")
        if len(line) > _MAX_LINE:
            raise _bad_request("A line of the chunked body is too long.")
        return line

    # Answering

    def _serve(self) -> None:
        if self.path.startswith("/"):
            # Origin form, as nearly every client sends: no scheme or host to split off.
            target = self.path.partition("#")[0]
            path, _, query = target.partition("?")
            parts = SplitResult("", "", path, query, "")
        else:
            parts = urlsplit(self.path)
        self._path = parts.path
        try:
            self.server.check_method(self.command, parts.path)
            body = self._read_body()
        except _Refused as refused:
            self._refuse(refused.response)
            return
        if parts.scheme:  # absolute-form, as sent to a proxy: the client signed this URL
            url = self.path
        else:
            host = self.headers.get("Host") or self.server.url.split("://", 1)[1]
            url = signed_url(self.headers, host, self.path)
        request = HTTPRequest(
            self.command,
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            self.headers,  # type: ignore[arg-type]  # email.message.Message: case-insensitive
            body,
            url,
            str(self.client_address[0]),
        )
        response = self.server.answer(request)
        if response is None:
            self._drop()
            return
        self._send(response)

    def _refuse(self, response: HTTPResponse) -> None:
        """Answer before the body is read, then close, reading what the client still sends."""
        self.close_connection = True
        pending = bool(
            self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length", "0") != "0"
        )
        if self._continue_expected:
            pending = False  # the client waits for our word before it sends the body
        self._send(response._replace(headers={**self._headers(), **response.headers}))
        self.wfile.flush()
        if pending:
            self._drain()

    def _drain(self) -> None:
        # Closing with unread bytes makes the kernel reset the connection,
        # which can destroy our answer before the client reads it. So stop
        # sending, then read and discard for a moment: never more than one
        # buffer in memory.
        try:
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _DRAIN_SECONDS
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self.connection.settimeout(left)
                if not self.connection.recv(64 * KiB):
                    return
        except OSError:
            return

    def _send(self, response: HTTPResponse) -> None:
        body = response.body
        if not isinstance(body, (bytes, bytearray)):
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            if self.close_connection:
                self.send_header("Connection", "close")
            self._send_stream(response, body)
            return
        # The status line, headers and body in one write (one system call,
        # one TCP segment for a small answer), the head formatted as one
        # string: send_response() and send_header() encode and append each
        # line apart, and format the Date anew for every answer.
        self.log_request(response.status)
        phrase = self.responses.get(response.status, ("",))[0]
        head = [
            f"{self.protocol_version} {response.status} {phrase}",
            f"Server: {self.version_string()}",
            f"Date: {http_date()}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(body)}",
        ]
        if self.close_connection:
            head.append("Connection: close")
        head.extend([f"{name}: {value}" for name, value in response.headers.items()])
        head.append("\r\n")
        data = "\r\n".join(head).encode("latin-1", "strict")
        self.wfile.write(data if self.command == "HEAD" else data + body)

    def _send_stream(self, response: HTTPResponse, chunks: Iterable[bytes]) -> None:
        """A long-lived answer: each item of ``chunks`` goes out as one HTTP chunk.

        An empty item sends nothing; it lets the server notice a client that
        hung up while the stream had nothing to say, and end the stream then.
        The idle timeout does not apply while streaming.
        """
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()
        self.connection.settimeout(None)
        iterator = iter(chunks)
        try:
            for chunk in iterator:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                elif self._peer_closed():
                    self.close_connection = True
                    return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            self.connection.settimeout(self.server.idle_timeout)

    def _peer_closed(self) -> bool:
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
