"""The emulator's inbox page (``GET /``): its JSON API, its event stream, its guards.

The page itself runs in a real browser in tests/browser; here the HTTP side is
driven with requests, raw sockets and the app without a socket.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest
import requests

import tweepy_dm
from tests.emulator.conftest import Api
from tests.helpers import START, FakeClock
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._web import STATIC, sse_frame
from tweepy_dm.emulator._wire import HTTPRequest

JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
def inbox():
    """An emulator on a fake clock, with rate limits on, and two users."""
    with DMEmulator(clock=FakeClock(), rate_limits=True) as emulator:
        emulator.add_user(1, "alice", "Alice")
        emulator.add_user(2, "bob", "Bob")
        yield emulator


def state(emulator: DMEmulator) -> dict:
    answer = requests.get(emulator.url + "/_emulator/state", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def post(emulator: DMEmulator, path: str, body: object, **headers: str) -> requests.Response:
    return requests.post(
        emulator.url + path,
        data=json.dumps(body),
        headers={**JSON_HEADERS, **headers},
        timeout=10,
    )


def as_peer(emulator: DMEmulator, peer: str, path: str = "/", host: str = "127.0.0.1:1"):
    """The app's answer to a GET from ``peer`` (no socket: the peer is whatever we say)."""
    request = HTTPRequest("GET", path, {}, {"Host": host}, b"", "http://" + host + path, peer)
    return emulator._server.app.handle(request)


# What the page shows


def test_the_state_has_the_users_and_a_dm_sent_through_the_api(inbox):
    alice = tweepy_dm.Client(api_url=inbox.url, **inbox.credentials(1))
    alice.create_dm(participant_id=2, text="hi <b>bob</b>")

    found = state(inbox)

    assert [(user["id"], user["username"], user["name"]) for user in found["users"]] == [
        ("1", "alice", "Alice"),
        ("2", "bob", "Bob"),
    ]
    for viewer in ("1", "2"):
        (conversation,) = found["conversations"][viewer]
        assert conversation["id"] == "1-2"
        assert conversation["kind"] == "dm"
        assert conversation["members"] == ["1", "2"]
        (message,) = conversation["messages"]
        assert message["text"] == "hi <b>bob</b>"  # as sent: the page writes it as text
        assert message["sender_id"] == "1"
        assert isinstance(message["id"], str)  # a snowflake: too big for JavaScript's numbers
    assert found["now"] == START
    assert found["rate_limits"] is True


def test_sending_as_a_user_reaches_the_other_through_x_api(inbox):
    answer = post(
        inbox, "/_emulator/messages", {"sender_id": "2", "recipient_id": "1", "text": "yo"}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["conversation_id"] == "1-2"

    alice = tweepy_dm.Client(api_url=inbox.url, **inbox.credentials(1))
    events = alice.get_dm_events(dm_event_fields=["text", "sender_id"]).data
    assert [(event.text, event.sender_id) for event in events] == [("yo", 2)]

    again = post(
        inbox, "/_emulator/messages", {"sender_id": "1", "conversation_id": "1-2", "text": "back"}
    )
    assert again.status_code == 201, again.text
    texts = [item["text"] for item in state(inbox)["conversations"]["2"][0]["messages"]]
    assert texts == ["yo", "back"]


def budgets(emulator: DMEmulator, user_id: str) -> list:
    return next(item for item in state(emulator)["users"] if item["id"] == user_id)["budgets"]


def test_the_budget_of_each_user_follows_their_requests(inbox):
    alice = tweepy_dm.Client(api_url=inbox.url, **inbox.credentials(1))
    alice.get_dm_events()
    alice.get_dm_events()

    (budget,) = budgets(inbox, "1")
    assert budget["endpoint"] == "GET /2/dm_events"
    assert budget["remaining"] == budget["limit"] - 2
    assert budget["reset"] == START + 15 * 60
    assert budgets(inbox, "2") == []

    assert post(inbox, "/_emulator/rate_limits/reset", {}).status_code == 200
    assert budgets(inbox, "1") == []  # every window afresh: nothing counted yet


def test_an_ended_window_is_full_and_its_stamp_stands_still():
    clock = FakeClock()
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        emulator.add_user(1, "alice", "Alice")
        tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(1)).get_dm_events()
        clock.advance(15 * 60)  # the window ended
        (budget,) = budgets(emulator, "1")
        assert budget["remaining"] == budget["limit"]
        assert budget["reset"] is None
        inbox, app = emulator._inbox, emulator._server.app
        stamp = inbox.stamp(app)
        clock.advance(60)  # time alone is no change: the page is not told to redraw
        assert inbox.stamp(app) == stamp


def test_the_fault_buttons_make_x_api_fail_and_clear(inbox):
    answer = post(
        inbox,
        "/_emulator/faults",
        {"status": 503, "method": "POST", "path": "/2/dm_conversations/with/*/messages"},
    )
    assert answer.status_code == 201, answer.text
    assert state(inbox)["pending_faults"] == 1
    alice = Api(inbox.url, inbox.credentials(1), "1")
    path = "/2/dm_conversations/with/2/messages"
    assert alice.post(path, json={"text": "lost"}).status_code == 503
    assert state(inbox)["pending_faults"] == 0
    assert alice.post(path, json={"text": "sent"}).status_code == 201

    post(inbox, "/_emulator/faults", {"drop": True, "path": "/2/dm_events", "count": 3})
    assert state(inbox)["pending_faults"] == 3
    cleared = requests.delete(
        inbox.url + "/_emulator/faults", data="{}", headers=JSON_HEADERS, timeout=10
    )
    assert cleared.status_code == 200
    assert state(inbox)["pending_faults"] == 0


def test_the_clock_button_moves_the_emulators_clock():
    clock = FakeClock()
    with DMEmulator(clock=clock) as emulator:
        emulator.add_user(1, "alice", "Alice")
        emulator.add_user(2, "bob", "Bob")
        answer = post(emulator, "/_emulator/clock", {"advance": 3600})
        assert answer.status_code == 200, answer.text
        assert state(emulator)["now"] == START + 3600
        assert state(emulator)["clock_shift"] == 3600
        # The whole emulator follows: a message sent now is an hour later.
        emulator.seed_messages(DMEmulator.conversation_id(1, 2), 1)
        (message,) = state(emulator)["conversations"]["1"][0]["messages"]
        assert message["created_at"] <= START + 3600
        post(emulator, "/_emulator/messages", {"sender_id": "1", "recipient_id": "2", "text": "x"})
        newest = state(emulator)["conversations"]["1"][0]["messages"][-1]
        assert newest["created_at"] == START + 3600


def test_credentials_come_only_on_request_and_never_in_the_page(inbox):
    secrets = {value for user in (1, 2) for value in inbox.credentials(user).values()}
    secrets.add(inbox.app_bearer_token)
    for path in ("/", "/_emulator/static/app.js", "/_emulator/static/style.css"):
        answer = requests.get(inbox.url + path, timeout=10)
        assert answer.status_code == 200
        assert not [secret for secret in secrets if secret in answer.text], path
    assert "credential" not in json.dumps(state(inbox)).lower()
    assert not [secret for secret in secrets if secret in json.dumps(state(inbox))]

    asked = requests.get(inbox.url + "/_emulator/users/1/credentials", timeout=10)
    assert asked.status_code == 200
    assert asked.json()["access_token"] == inbox.credentials(1)["access_token"]
    assert requests.get(inbox.url + "/_emulator/users/9/credentials", timeout=10).status_code == 404


def test_the_page_and_its_files_are_served_from_the_package(inbox):
    page = requests.get(inbox.url + "/", timeout=10)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.text == (STATIC / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page.text.replace(inbox.url, "")  # nothing from a CDN
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    script = requests.get(inbox.url + "/_emulator/static/app.js", timeout=10)
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "innerHTML" not in script.text  # every text goes in as text
    assert requests.get(inbox.url + "/_emulator/static/x.py", timeout=10).status_code == 404
    assert requests.get(inbox.url + "/_emulator/static/..%2f_web.py", timeout=10).status_code in (
        400,
        404,
    )


# The event stream


def test_an_sse_frame_is_one_json_data_line():
    frame = sse_frame({"text": "two\nlines"}, event="change", id="abc")
    assert frame == b'event: change\nid: abc\ndata: {"text":"two\\nlines"}\n\n'
    assert sse_frame(None, retry=1000) == b"retry: 1000\n\n"


class _Stream:
    """A raw HTTP/1.1 GET of the event stream, read chunk by chunk."""

    def __init__(self, url: str) -> None:
        host, port = url.split("://", 1)[1].split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=10)
        self.socket.sendall(
            f"GET /_emulator/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        self.file = self.socket.makefile("rb")

    def head(self) -> dict[str, str]:
        status = self.file.readline()
        assert status.startswith(b"HTTP/1.1 200"), status
        headers = {}
        while True:
            line = self.file.readline().strip()
            if not line:
                return headers
            name, _, value = line.decode().partition(":")
            headers[name.lower()] = value.strip()

    def chunk(self) -> bytes:
        size = int(self.file.readline().strip(), 16)
        data = self.file.read(size)
        assert self.file.readline() == b"\r\n"
        return data

    def close(self) -> None:
        self.file.close()
        self.socket.close()


def test_the_event_stream_says_when_something_changed_and_other_requests_go_on(inbox):
    stream = _Stream(inbox.url)
    try:
        headers = stream.head()
        assert headers["content-type"] == "text/event-stream; charset=utf-8"
        assert headers["transfer-encoding"] == "chunked"
        assert stream.chunk() == b"retry: 1000\n\n"
        first = stream.chunk().decode()
        assert first.startswith("event: change\nid: ")
        assert first.endswith("\n\n")
        stamp = json.loads(first.split("data: ", 1)[1])["stamp"]

        # The stream holds its connection; the server answers others meanwhile.
        alice = tweepy_dm.Client(api_url=inbox.url, **inbox.credentials(1))
        alice.create_dm(participant_id=2, text="ping")

        while True:  # empty chunks are never sent: the next one is news or a keep-alive
            frame = stream.chunk().decode()
            if frame.startswith("event: change"):
                break
        assert json.loads(frame.split("data: ", 1)[1])["stamp"] != stamp
    finally:
        stream.close()


def test_closing_the_emulator_ends_its_event_streams():
    emulator = DMEmulator(clock=FakeClock())
    stream = _Stream(emulator.url)
    try:
        stream.head()
        stream.chunk()
        stream.chunk()
        closer = threading.Thread(target=emulator.close)
        closer.start()
        closer.join(timeout=10)
        assert not closer.is_alive()
        rest = stream.file.read()  # the end of the chunked body, or the connection's
        assert rest in (b"", b"0\r\n\r\n")
    finally:
        stream.close()
        emulator.close()


# The guards


def test_the_page_answers_only_on_loopback_by_default(inbox):
    for peer in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert as_peer(inbox, peer).status == 200, peer
    for peer in ("192.168.1.20", "10.0.0.1", "", "not an address"):
        refused = as_peer(inbox, peer)
        assert refused.status == 403, peer
        assert b"only on loopback" in refused.body
        assert b"inbox_from" in refused.body
    for path in ("/_emulator/state", "/_emulator/events", "/_emulator/users/1/credentials"):
        answer = as_peer(inbox, "192.168.1.20", path)
        assert answer.status == 403, path
        assert inbox.credentials(1)["access_token"].encode() not in answer.body


def test_inbox_from_opens_the_page_to_other_networks():
    with DMEmulator(clock=FakeClock(), inbox_from=["192.168.1.0/24", "10.0.0.7"]) as emulator:
        assert as_peer(emulator, "192.168.1.20").status == 200
        assert as_peer(emulator, "10.0.0.7").status == 200
        assert as_peer(emulator, "10.0.0.8").status == 403


@pytest.mark.parametrize(
    ("value", "error"),
    [("192.168.1.0/24", TypeError), (["example.com"], ValueError), ([None], ValueError)],
)
def test_a_bad_inbox_from_is_refused_before_the_server_starts(value, error):
    with pytest.raises(error, match="inbox_from"):
        DMEmulator(inbox_from=value)


def test_a_host_by_name_is_refused_against_dns_rebinding(inbox):
    assert as_peer(inbox, "127.0.0.1", host="localhost:8787").status == 200
    assert as_peer(inbox, "127.0.0.1", host="[::1]:8787").status == 200
    refused = as_peer(inbox, "127.0.0.1", host="attacker.example:8787")
    assert refused.status == 403
    assert b"attacker.example" in refused.body


def test_a_change_must_be_json_from_the_page_itself(inbox):
    message = {"sender_id": "1", "recipient_id": "2", "text": "forged"}
    as_form = requests.post(inbox.url + "/_emulator/messages", data=message, timeout=10)
    assert as_form.status_code == 415
    assert "application/json" in as_form.json()["detail"]
    elsewhere = post(
        inbox,
        "/_emulator/messages",
        message,
        Origin="http://evil.example",
    )
    assert elsewhere.status_code == 403
    assert "evil.example" in elsewhere.json()["detail"]
    assert state(inbox)["conversations"]["1"] == []  # nothing was sent
    same = post(inbox, "/_emulator/messages", message, Origin=inbox.url)
    assert same.status_code == 201


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/_emulator/messages", b"{", "not valid JSON"),
        ("/_emulator/messages", [], "JSON object"),
        ("/_emulator/messages", {"sender_id": "1", "text": "x"}, "one of conversation_id"),
        ("/_emulator/messages", {"sender_id": "1", "recipient_id": "2", "text": ""}, "text"),
        ("/_emulator/messages", {"sender_id": 1, "recipient_id": "2", "text": "x"}, "sender_id"),
        ("/_emulator/messages", {"sender_id": "9", "recipient_id": "2", "text": "x"}, "No user 9"),
        (
            "/_emulator/messages",
            {"sender_id": "1", "recipient_id": "2", "text": "x", "as": 1},
            "as",
        ),
        (
            "/_emulator/messages",
            {"sender_id": "1", "recipient_id": "2", "text": "x", "kind": "sms"},
            "dm or xchat",
        ),
        (
            "/_emulator/messages",
            {"sender_id": "1", "recipient_id": "2", "text": "x", "kind": "xchat"},
            "no XChat keys",
        ),
        ("/_emulator/faults", {"status": 200, "path": "/2/dm_events"}, "status must be one of"),
        ("/_emulator/faults", {"status": 503, "path": "/_emulator/state"}, "starting with /2/"),
        ("/_emulator/faults", {"status": 503, "path": "/2/x", "count": 0}, "count"),
        ("/_emulator/faults", {"status": 503, "path": "/2/x", "method": "TRACE"}, "method"),
        ("/_emulator/clock", {"advance": -60}, "advance"),
        ("/_emulator/clock", {"advance": True}, "advance"),
        ("/_emulator/clock", {}, "advance"),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_allowed(inbox, path, body, words):
    data = body if isinstance(body, bytes) else json.dumps(body)
    answer = requests.post(inbox.url + path, data=data, headers=JSON_HEADERS, timeout=10)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["detail"]
    assert state(inbox)["pending_faults"] == 0
    assert state(inbox)["clock_shift"] == 0


def test_a_dm_refused_by_x_rules_is_x_answer(inbox):
    blocker = tweepy_dm.Client(api_url=inbox.url, **inbox.credentials(2))
    blocker.block_direct_messages(1)
    answer = post(
        inbox, "/_emulator/messages", {"sender_id": "1", "recipient_id": "2", "text": "x"}
    )
    assert answer.status_code == 403
    assert answer.json()["detail"]


def test_the_pages_paths_are_none_of_x():
    from tweepy_dm.emulator._routes import ROUTES
    from tweepy_dm.emulator._web import ROWS

    for endpoint, *_ in ROWS:
        path = endpoint.split(" ", 1)[1]
        assert path == "/" or path.startswith("/_emulator/"), endpoint
        assert endpoint not in ROUTES
