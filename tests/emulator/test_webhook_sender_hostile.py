"""The emulator's webhook sender against hostile receivers and URLs.

The receiver here is a raw TCP server, so that it can answer what no HTTP
library would: a garbage status line, an endless body, JSON nested too deeply.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
import requests
import tweepy

import tweepy_dm
from tests.emulator.conftest import ALICE, BOB, assert_problem
from tweepy_dm import _facts
from tweepy_dm.emulator import DMEmulator, _webhooks
from tweepy_dm.emulator._webhooks import is_loopback, sign
from tweepy_dm.webhooks import parse_webhook

NESTED = b'{"response_token": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


class RawReceiver:
    """Answers CRCs right (unless told otherwise) and POSTs as ``self.post_mode`` says."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.crc_mode = "ok"  # "ok", "garbage" or "nested"
        self.post_mode = "ok"  # "ok", "garbage" or "endless"
        self.posts = 0
        self.sent_bytes = 0  # of the endless answers
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._handle(self.rfile, self.connection)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def _handle(self, rfile, connection: socket.socket) -> None:
        request_line = rfile.readline().decode("latin-1")
        length = 0
        while (line := rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        rfile.read(length)
        method, target = request_line.split()[:2]
        if method == "GET":
            token = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)["crc_token"][0]
            if self.crc_mode == "garbage":
                connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
                return
            body = (
                NESTED
                if self.crc_mode == "nested"
                else json.dumps({"response_token": sign(self.secret, token.encode())}).encode()
            )
            self._answer(connection, body)
            return
        self.posts += 1
        if self.post_mode == "garbage":
            connection.sendall(b"\x00\x01 garbage, not a status line\r\n\r\n")
        elif self.post_mode == "endless":
            connection.settimeout(5)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n")
            chunk = b"x" * (1024 * 1024)
            with contextlib.suppress(OSError):
                for _ in range(64):  # 64 MiB, unless the reader hangs up first
                    connection.sendall(chunk)
                    self.sent_bytes += len(chunk)
        else:
            self._answer(connection, b"")

    @staticmethod
    def _answer(connection: socket.socket, body: bytes) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(head.encode() + body)

    def __enter__(self) -> RawReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def secret(emulator):
    return emulator.add_user(ALICE, "alice", "Alice")["consumer_secret"]


@pytest.fixture
def raw(secret) -> Iterator[RawReceiver]:
    with RawReceiver(secret) as receiver:
        yield receiver


@pytest.fixture
def hooks(emulator):
    hub = emulator.webhooks
    hub.retry_delays = (0.0, 0.0, 0.0)
    return hub


def _app(emulator):
    return tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)


def _subscribed_webhook(emulator, url) -> str:
    emulator.add_user(BOB, "bob", "Bob")
    webhook_id = _app(emulator).create_webhook(url).data["id"]
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
    ).create_activity_subscription(event_type="dm.received", user_id=BOB, webhook_id=webhook_id)
    return webhook_id


def _dm(emulator, text: str) -> None:
    tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(ALICE)).create_dm(
        participant_id=BOB, text=text
    )


def test_a_malformed_answer_is_a_failed_attempt_and_the_sender_lives_on(emulator, raw, hooks):
    webhook_id = _subscribed_webhook(emulator, raw.url)
    raw.post_mode = "garbage"
    _dm(emulator, "answered with garbage")
    assert hooks.wait_idle()
    failed = hooks.deliveries(webhook_id)
    assert [post.attempt for post in failed] == [1, 2, 3, 4]  # retried as any failure
    assert all(post.status is None and post.error for post in failed)
    raw.post_mode = "ok"
    _dm(emulator, "then a good answer")
    assert hooks.wait_idle()
    last = hooks.deliveries(webhook_id)[-1]
    assert last.delivered
    assert parse_webhook(last.body)[0].direct_message.text == "then a good answer"
    assert raw.posts == 5


def test_an_endless_answer_is_read_only_so_far(emulator, raw, hooks):
    webhook_id = _subscribed_webhook(emulator, raw.url)
    raw.post_mode = "endless"
    _dm(emulator, "answered forever")
    assert hooks.wait_idle()
    assert hooks.deliveries(webhook_id)[0].status == 200
    # The sender hung up after a small answer: what it did not read stayed in
    # socket buffers (a few MiB at most), far from the 64 MiB offered.
    assert raw.sent_bytes < 32 * 1024 * 1024


@pytest.mark.parametrize("mode", ["garbage", "nested"])
def test_a_malformed_crc_answer_fails_the_crc_with_a_400(emulator, raw, mode):
    raw.crc_mode = mode
    headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    answer = requests.post(
        f"{emulator.url}/2/webhooks", json={"url": raw.url}, headers=headers, timeout=30
    )
    assert "CrcValidationFailed" in json.dumps(assert_problem(answer, 400))
    assert _app(emulator).get_webhooks().meta == {"result_count": 0}


def test_a_failed_periodic_crc_from_a_malformed_answer_is_not_a_crash(emulator, raw, hooks):
    webhook_id = _subscribed_webhook(emulator, raw.url)
    raw.crc_mode = "nested"
    assert hooks.validate(int(webhook_id)) is False  # X's PUT: the CRC fails


def test_urls_off_this_machine_are_refused_at_registration(emulator, secret):
    headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    answer = requests.post(
        f"{emulator.url}/2/webhooks",
        json={"url": "https://webhook.example.invalid/x"},
        headers=headers,
        timeout=30,
    )
    problem = json.dumps(assert_problem(answer, 400))
    assert "webhook_hosts" in problem
    assert "CrcValidationFailed" not in problem  # refused before any CRC was sent
    with pytest.raises(tweepy.BadRequest):
        _app(emulator).create_webhook("https://api.example.com/webhooks")
    assert emulator.webhooks.webhooks() == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST.", "::1", "[::1]"]
)
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["example.com", "10.0.0.1", "0.0.0.0", "localhost.example.com", "a.localhost"]
)
def test_not_loopback_hosts(host):
    assert not is_loopback(host)


def test_webhook_hosts_opt_in_names_other_hosts(tmp_path):
    with DMEmulator(webhook_hosts=["Hooks.Example.COM."]) as emulator:
        hub = emulator.webhooks
        assert hub.hosts == frozenset({"hooks.example.com"})
        assert hub.host_problem("https://hooks.example.com/x") is None
        assert hub.host_problem("https://HOOKS.example.com./x") is None
        assert "webhook_hosts" in hub.host_problem("https://other.example.com/x")
        assert hub.host_problem("http://127.0.0.1:8080/x") is None
    with DMEmulator() as emulator:
        assert "webhook_hosts" in emulator.webhooks.host_problem("https://hooks.example.com/x")


@pytest.mark.parametrize(
    ("hosts", "error"),
    [("hooks.example.com", TypeError), ([5], ValueError), (["https://a.example/"], ValueError)],
)
def test_bad_webhook_hosts_are_refused(hosts, error):
    with pytest.raises(error, match="webhook_hosts"):
        DMEmulator(webhook_hosts=hosts)


@pytest.fixture
def three_deliveries_kept(monkeypatch):
    monkeypatch.setattr(_webhooks, "MAX_DELIVERY_HISTORY", 3)


def test_the_delivery_history_is_bounded(three_deliveries_kept, emulator, raw):
    hooks = emulator.webhooks  # made with the emulator, after the bound above
    hooks.retry_delays = (0.0, 0.0, 0.0)
    webhook_id = _subscribed_webhook(emulator, raw.url)
    for number in range(5):
        _dm(emulator, f"message {number}")
    assert hooks.wait_idle()
    kept = hooks.deliveries(webhook_id)
    assert [parse_webhook(post.body)[0].direct_message.text for post in kept] == [
        "message 2",
        "message 3",
        "message 4",
    ]
    assert raw.posts == 5


def test_events_older_than_the_replay_window_are_forgotten(emulator, clock, raw, hooks):
    webhook_id = _subscribed_webhook(emulator, raw.url)
    _dm(emulator, "old")
    clock.advance(_facts.MAX_REPLAY_WINDOW_SECONDS + 60)
    _dm(emulator, "new")
    assert hooks.wait_idle()
    kept = [json.loads(stored.body) for stored in hooks._history]
    assert len(kept) == 1
    assert hooks.deliveries(webhook_id)[-1].delivered
