"""The emulator's HTTP layer: malformed requests, body limits, 405, idle and hung-up clients."""

from __future__ import annotations

import http.client
import json
import logging
import re
import select
import socket
import struct
import threading
import time
from typing import Any, Optional

import pytest
import requests

from tests.emulator.conftest import ALICE, BOB, PNG, Api, assert_problem
from tests.helpers import PATIENCE
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._routes import HTTPResponse
from tweepy_dm.emulator._server import (
    BODY_LIMITS,
    IDLE_TIMEOUT,
    JSON_BODY_LIMIT,
    Server,
)

SEND = f"/2/dm_conversations/with/{BOB}/messages"
APPEND = "/2/media/upload/1/append"


def _address(url: str) -> tuple[str, int]:
    host, port = url.split("://", 1)[1].split(":")
    return host, int(port)


def _connect(url: str, timeout: float = 5.0) -> socket.socket:
    return socket.create_connection(_address(url), timeout=timeout)


def _answer(sock: socket.socket, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP answer from the socket."""
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def _raw(url: str, data: bytes, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    with _connect(url) as sock:
        sock.sendall(data)
        return _answer(sock, method)


def _assert_x_problem(status: int, body: bytes, expected: int) -> dict[str, Any]:
    assert status == expected, body
    problem = json.loads(body)
    assert {"title", "detail", "type", "status"} <= problem.keys()
    assert problem["status"] == expected
    return problem


# Malformed request lines and headers: always an answer, always JSON


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"HELLO\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /\r\n\r\n",  # HTTP/0.9
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"GET / FOO/1.1\r\n\r\n",
        b"GET / HTTP/1.x\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"G\x00T / HTTP/1.1\r\n\r\n",
        b"GET nopath HTTP/1.1\r\n\r\n",
        b"\xff\xfe\xfd \xfc HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # TLS to a plain HTTP port
    ],
)
def test_garbage_request_lines_get_a_json_400(emulator, request_bytes):
    status, headers, body = _raw(emulator.url, request_bytes)
    _assert_x_problem(status, body, 400)
    assert headers["content-type"].startswith("application/json")
    assert headers["connection"] == "close"


def test_over_long_request_line_and_headers_get_json_answers(emulator):
    status, _, body = _raw(emulator.url, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    _assert_x_problem(status, body, 414)
    long_header = b"GET /2/dm_events HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n"
    status, _, body = _raw(emulator.url, long_header)
    _assert_x_problem(status, body, 431)
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(200))
    status, _, body = _raw(emulator.url, b"GET /2/dm_events HTTP/1.1\r\n" + many + b"\r\n")
    _assert_x_problem(status, body, 431)


@pytest.mark.parametrize(
    "header",
    [
        b"Authorization Bearer secret-token-123\r\n",  # no colon
        b"Authorization : Bearer secret-token-123\r\n",  # whitespace before the colon
        b"Auth(orization): Bearer secret-token-123\r\n",  # not a token
        b" folded: secret-token-123\r\nHost: x\r\n",  # a continuation of no field
    ],
)
def test_malformed_header_lines_get_a_json_400_that_does_not_quote_them(emulator, header):
    request = b"GET /2/dm_events HTTP/1.1\r\n" + header + b"Accept: */*\r\n\r\n"
    status, headers, body = _raw(emulator.url, request)
    problem = _assert_x_problem(status, body, 400)
    assert "Bad header line" in problem["errors"][0]["message"]
    assert b"secret-token-123" not in body
    assert headers["connection"] == "close"


def test_header_names_are_case_insensitive_and_values_trimmed(users):
    alice = users[0]
    request = (
        b"GET /2/users/me HTTP/1.1\r\nhost: x\r\n"
        b"AUTHORIZATION:   Bearer " + alice.credentials["bearer_token"].encode() + b"  \t\r\n\r\n"
    )
    status, _, body = _raw(alice.url, request)
    assert status == 200, body
    assert json.loads(body)["data"]["id"] == str(ALICE)


def test_a_folded_header_line_is_joined_to_the_field_before_it(users):
    # Obsolete line folding (RFC 9112 5.2): joined with a space, as http.server does.
    alice = users[0]
    token = alice.credentials["bearer_token"].encode()
    request = b"GET /2/users/me HTTP/1.1\r\nHost: x\r\nAuthorization:\r\n Bearer " + token
    status, _, body = _raw(alice.url, request + b"\r\n\r\n")
    assert status == 200, body


def test_http_1_0_closes_unless_asked_to_keep_alive(users):
    alice = users[0]
    auth = b"Authorization: Bearer " + alice.credentials["bearer_token"].encode() + b"\r\n"
    with _connect(alice.url) as sock:
        sock.sendall(b"GET /2/users/me HTTP/1.0\r\n" + auth + b"\r\n")
        status, headers, _ = _answer(sock)
        assert status == 200
        assert headers["connection"] == "close"
    with _connect(alice.url) as sock:
        for _ in range(2):  # the connection stays open for a second request
            sock.sendall(b"GET /2/users/me HTTP/1.0\r\nConnection: keep-alive\r\n" + auth + b"\r\n")
            status, headers, _ = _answer(sock)
            assert status == 200
            assert "connection" not in headers


def test_empty_lines_before_a_request_are_ignored(emulator):
    status, _, body = _raw(emulator.url, b"\r\n\r\nGET /2/dm_events HTTP/1.1\r\nHost: x\r\n\r\n")
    _assert_x_problem(status, body, 401)


# Content-Length and Transfer-Encoding


@pytest.mark.parametrize(
    "headers",
    [
        b"Content-Length: abc\r\n",
        b"Content-Length: -1\r\n",
        b"Content-Length: +5\r\n",
        b"Content-Length: 1.5\r\n",
        b"Content-Length: 0x10\r\n",
        b"Content-Length: 1_0\r\n",
        b"Content-Length: \xd9\xa3\r\n",  # an Arabic-Indic 3, which int() would accept
        b"Content-Length: 5, 5\r\n",
        b"Content-Length: 5\r\nContent-Length: 6\r\n",
        b"Content-Length: \r\n",
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: gzip, chunked\r\n",
        b"Transfer-Encoding: identity\r\n",
    ],
)
def test_bad_framing_headers_get_a_json_400(users, headers):
    request = b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\nhello"
    status, answer_headers, body = _raw(users[0].url, request)
    problem = _assert_x_problem(status, body, 400)
    assert problem["title"] == "Invalid Request"
    assert answer_headers["connection"] == "close"


@pytest.mark.parametrize("chunk", [b"xyz\r\nabc\r\n0\r\n\r\n", b"3\r\nabcXX0\r\n\r\n", b"-1\r\n"])
def test_bad_chunks_get_a_json_400(users, chunk):
    request = (
        b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    status, _, body = _raw(users[0].url, request + chunk)
    _assert_x_problem(status, body, 400)


# Body limits: 413 before the body is read


def test_body_limits_are_what_x_takes():
    # A 10,000-character message, every character an escaped astral one.
    worst_message = json.dumps({"text": "\U0001f600" * 10_000}).encode()
    assert len(worst_message) < JSON_BODY_LIMIT
    worst_group = json.dumps(
        {
            "conversation_type": "Group",
            "participant_ids": ["9" * 19] * 49,
            "message": {"text": "\U0001f600" * 10_000, "attachments": [{"media_id": "9" * 19}]},
        },
        indent=4,
    ).encode()
    assert len(worst_group) < JSON_BODY_LIMIT <= 256 * 1024
    # A 5 MB segment, even base64-encoded, fits; 5 MB more does not.
    assert 5 * 1024 * 1024 * 4 // 3 < BODY_LIMITS["POST /2/media/upload/{id}/append"] < 10 * 2**20
    # A one-shot GIF of 15 MB, base64-encoded, fits; a video of 512 MB goes in segments.
    assert 15 * 1024 * 1024 * 4 // 3 < BODY_LIMITS["POST /2/media/upload"] < 32 * 2**20


def test_a_message_at_the_largest_size_x_takes_goes_through(users):
    alice = users[0]
    body = json.dumps({"text": "\U0001f600" * 10_000}).encode()
    response = alice.post(SEND, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text


def test_a_lying_content_length_is_refused_before_any_body_is_sent(users):
    # The client announces far more than the endpoint takes and sends nothing:
    # the answer comes at once, without waiting for the body.
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"
        )
        status, headers, body = _answer(sock)
    problem = _assert_x_problem(status, body, 413)
    assert problem["title"] == "Payload Too Large"
    assert f"{JSON_BODY_LIMIT:,}" in problem["detail"]
    assert headers["connection"] == "close"


def test_a_content_length_too_long_to_be_a_number_is_413(users):
    request = b"POST /2/media/upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 5000
    status, _, body = _raw(users[0].url, request + b"\r\n\r\n")
    _assert_x_problem(status, body, 413)


def test_a_lying_chunk_size_is_refused_before_the_chunk_is_read(users):
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + APPEND.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\nabc"
        )
        status, _, body = _answer(sock)
    _assert_x_problem(status, body, 413)


def test_many_small_chunks_add_up_to_413(users):
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"a" * 64 * 1024)
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(JSON_BODY_LIMIT // (64 * 1024) + 1):
            sock.sendall(chunk)
        status, _, body = _answer(sock)
    _assert_x_problem(status, body, 413)


def test_requests_reads_the_413_of_a_body_it_is_still_sending(users):
    alice = users[0]
    body = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = alice.post(SEND, data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 413)
    # The session goes on, on a new connection.
    assert alice.get("/2/dm_events").status_code == 200


def test_an_append_segment_of_5_mb_passes_the_http_layer_and_8_mb_does_not(users):
    alice = users[0]
    files = {"segment_index": (None, "0"), "media": ("blob", bytes(5 * 1024 * 1024))}
    response = alice.post(APPEND, files=files)
    assert_problem(response, 404)  # no such upload: the body was read and judged
    files["media"] = ("blob", bytes(8 * 1024 * 1024))
    assert_problem(alice.post(APPEND, files=files), 413)


def test_expect_100_continue(users):
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Length: 99999999\r\n\r\n"
        )
        status, _, body = _answer(sock)  # no 100 Continue: the body would be refused
    _assert_x_problem(status, body, 413)
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Length: 2\r\n\r\n"
        )
        assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"{}")
        status, _, body = _answer(sock)
    _assert_x_problem(status, body, 401)


# Methods


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/2/dm_events", "GET"),
        ("OPTIONS", "/2/dm_events/123", "DELETE, GET"),
        ("BREW", "/2/media/upload", "GET, POST"),
        ("TRACE", "/2/nothing", "DELETE, GET, POST, PUT"),
    ],
)
def test_unsupported_methods_are_405_in_x_shape(users, method, path, allowed):
    response = users[0].request(method, path, json={"text": "hi"})
    body = assert_problem(response, 405)
    assert body["title"] == "Method Not Allowed"
    assert response.headers["Allow"] == allowed
    # A method X uses, on a path without an endpoint for it, stays a 404.
    assert_problem(users[0].request("PUT", "/2/dm_events"), 404)


def test_head_gets_a_405_without_a_body(users):
    with _connect(users[0].url) as sock:
        sock.sendall(b"HEAD /2/dm_events HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = _answer(sock, "HEAD")
    assert (status, body) == (405, b"")
    assert headers["allow"] == "GET"


def test_absolute_form_target_is_served_and_signed_as_sent(users):
    # What a client sends to a proxy: the whole URL in the request line.
    alice = users[0]
    session = requests.Session()
    session.proxies = {"http": alice.url}
    response = session.get("http://api.example.test/2/dm_events", auth=alice.oauth1)
    assert response.status_code == 200, response.text


# Idle connections and hung-up clients


@pytest.fixture
def short_idle(clock):
    # Real sockets time out in real time: keep it short.
    with DMEmulator(clock=clock, idle_timeout=0.2) as emulator:
        yield emulator


def test_idle_timeout_reaches_the_server():
    with DMEmulator(idle_timeout=0.2) as emulator:
        assert emulator._server.idle_timeout == 0.2
    with DMEmulator(idle_timeout=None) as emulator:
        assert emulator._server.idle_timeout is None
    with DMEmulator() as emulator:
        assert emulator._server.idle_timeout == IDLE_TIMEOUT


@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (-1.0, ValueError), ("5", TypeError), (True, TypeError)]
)
def test_idle_timeout_must_be_positive_seconds_or_none(value, error):
    with pytest.raises(error, match="idle_timeout"):
        DMEmulator(idle_timeout=value)


def test_idle_timeout_default_outlives_client_pools():
    aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with the async extra")
    connector_default = aiohttp.TCPConnector.__init__.__kwdefaults__ or {}
    keepalive = connector_default.get("keepalive_timeout")
    aiohttp_keepalive = keepalive if isinstance(keepalive, (int, float)) else 15.0
    assert IDLE_TIMEOUT == 75.0 > aiohttp_keepalive


def test_an_idle_connection_is_closed_after_the_idle_timeout(short_idle):
    with _connect(short_idle.url) as sock:
        sock.sendall(b"GET /2/dm_events HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, _ = _answer(sock)
        assert status == 401
        started = time.monotonic()
        assert sock.recv(1) == b""  # closed by the server, not by our 5 s timeout
        assert time.monotonic() - started < 4


def test_a_pooled_connection_closed_for_idleness_costs_requests_nothing(short_idle):
    alice = Api(short_idle.url, short_idle.add_user(ALICE, "alice", "Alice"), ALICE)
    assert alice.get("/2/dm_events").status_code == 200
    # Wait for the server to close the pooled connection (its end of file arriving), not
    # for a time: only then is the next request sure to meet a connection closed.
    pools = alice.session.get_adapter(short_idle.url).poolmanager.pools
    [pooled] = [
        connection.sock
        for key in pools.keys()
        for connection in pools[key].pool.queue
        if connection is not None and connection.sock is not None
    ]
    assert select.select([pooled], [], [], PATIENCE)[0], "the server kept the idle connection"
    assert pooled.recv(1, socket.MSG_PEEK) == b""
    # urllib3 sees the closed connection before reusing it and opens another.
    assert alice.post(SEND.replace(BOB, ALICE), json={"text": "x"}).status_code == 400


def test_a_request_never_finished_is_closed_after_the_idle_timeout(short_idle):
    with _connect(short_idle.url) as sock:
        sock.sendall(b"POST " + SEND.encode() + b" HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        assert sock.recv(1) == b""


def test_a_client_that_hangs_up_mid_request_leaves_no_traceback(users, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="tweepy_dm.emulator")
    for request in (
        b"POST " + SEND.encode() + b" HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc",
        b"POST " + SEND.encode() + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nab",
        b"POST " + SEND.encode() + b" HTTP/1.1\r\nContent-Le",
    ):
        with _connect(users[0].url) as sock:
            sock.sendall(request)
    # The server is still fine, and said nothing on stderr.
    assert users[0].get("/2/dm_events").status_code == 200
    assert "Traceback" not in capfd.readouterr().err
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


# Streamed answers (GET /2/activity/stream will be one)


class _StreamingApp:
    """An app whose every answer is a stream of chunks the test controls."""

    def __init__(self, chunks) -> None:
        self.routes: list[Any] = []
        self.chunks = chunks
        self.closed = threading.Event()

    def handle(self, request) -> HTTPResponse:
        def stream():
            try:
                yield from self.chunks()
            finally:
                self.closed.set()

        return HTTPResponse(200, stream(), "application/json", {})


@pytest.fixture
def stream_server():
    servers = []

    def start(chunks, idle_timeout: Optional[float] = 0.1):
        app = _StreamingApp(chunks)
        server = Server(("127.0.0.1", 0), lambda url: app, idle_timeout=idle_timeout)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
        thread.start()
        servers.append((server, thread))
        return server, app

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join()


def test_a_stream_is_not_cut_by_the_idle_timeout(stream_server):
    witness = {}

    def chunks():
        yield b'{"a":1}\r\n'
        # Silent until an idle connection opened now is closed for idleness: the stream
        # has then been quiet for longer than the idle timeout, however slow the machine.
        with _connect(witness["url"]) as idle:
            witness["closed"] = idle.recv(1) == b""
        yield b'{"b":2}\r\n'

    server, app = stream_server(chunks, idle_timeout=0.1)
    witness["url"] = server.url
    with _connect(server.url) as sock:
        sock.sendall(b"GET /2/activity/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = _answer(sock)
    assert status == 200
    assert headers["transfer-encoding"] == "chunked"
    assert body == b'{"a":1}\r\n{"b":2}\r\n'
    assert witness["closed"]
    assert app.closed.wait(2)


def test_a_stream_ends_when_its_client_hangs_up(stream_server, capfd):
    hung_up = threading.Event()

    def chunks():
        yield b"x" * 1024
        while True:  # nothing to say: empty items let the server look at the socket
            hung_up.wait(PATIENCE)
            yield b""

    server, app = stream_server(chunks)
    with _connect(server.url) as sock:
        sock.sendall(b"GET /2/activity/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(10)
    hung_up.set()
    assert app.closed.wait(5)
    assert "Traceback" not in capfd.readouterr().err


def test_a_client_that_hangs_up_mid_response_leaves_no_traceback(stream_server, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="tweepy_dm.emulator")

    def chunks():
        while True:
            yield b"y" * 256 * 1024

    server, app = stream_server(chunks)
    with _connect(server.url) as sock:
        sock.sendall(b"GET /2/activity/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(10)
    assert app.closed.wait(5)
    assert "Traceback" not in capfd.readouterr().err
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_bytes_beyond_the_content_length_are_read_as_the_next_request(users):
    # A Content-Length shorter than what follows: the rest is not smuggled
    # into the body; it is judged as a request line of its own.
    with _connect(users[0].url) as sock:
        sock.sendall(
            b"POST " + SEND.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"
            b'{}"text": "smuggled"}\r\n\r\n'
        )
        received = b""
        while True:  # the server closes after the second answer, a 400
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", received)
    assert statuses == [b"401", b"400"], received
    assert b'"title": "Invalid Request"' in received


def test_a_client_that_hangs_up_mid_download_leaves_no_traceback(users, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="tweepy_dm.emulator")
    alice, bob, _ = users
    image = PNG + bytes(4 * 1024 * 1024)  # larger than the socket buffers
    media = alice.upload(image, "dm_image")
    sent = alice.post(SEND, json={"text": "big", "attachments": [{"media_id": media["id"]}]})
    fields = {"dm_event.fields": "attachments", "expansions": "attachments.media_keys"}
    fields["media.fields"] = "url"
    url = bob.events(f"/2/dm_events/{sent.json()['data']['dm_event_id']}", **fields)
    path = url["includes"]["media"][0]["url"][len(bob.url) :]
    token = bob.credentials["bearer_token"].encode()
    for _ in range(3):
        with _connect(bob.url) as sock:
            sock.sendall(
                b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer " + token + b"\r\n\r\n"
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 200 ")
            # Hang up with most of the 4 MB unread: the server's writes fail.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert bob.get(path, bearer=True).content == image
    assert "Traceback" not in capfd.readouterr().err
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
