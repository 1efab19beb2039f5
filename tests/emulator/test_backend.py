"""The DM rules without HTTP: DMBackend over an in-memory store, and the routes without a socket."""

from __future__ import annotations

import json
from email.message import Message

import pytest

from tests.emulator.conftest import START, FakeClock
from tweepy_dm.emulator._backend import DMBackend, Invalid, NotFound, NotPermitted, UnknownUser
from tweepy_dm.emulator._limits import RateLimiter
from tweepy_dm.emulator._routes import X_RATE_LIMITS, App, problem_for
from tweepy_dm.emulator._state import EmulatorDB
from tweepy_dm.emulator._wire import HTTPRequest


@pytest.fixture
def store():
    store = EmulatorDB(None, FakeClock())
    for user_id, name in ((1, "one"), (2, "two"), (3, "three"), (4, "four")):
        store.add_user(user_id, name, name.title())
    yield store
    store.close()


@pytest.fixture
def backend(store):
    return DMBackend(store)


def test_one_to_one_ids_in_either_order(backend):
    assert backend.conversation(1, "2-1") == backend.conversation(1, "1-2") == "1-2"
    assert backend.conversation(2, "02-1") == "1-2"
    conversation, _ = backend.send_into(2, "2-1", "hi", None)
    assert conversation == "1-2"
    events = backend.events(1, backend.conversation(1, "2-1"), **_page())
    assert [(event.conversation_id, event.text) for event in events] == [("1-2", "hi")]
    for user, conversation_id in ((3, "1-2"), (3, "2-1"), (1, "1-1")):
        with pytest.raises(NotPermitted):
            backend.conversation(user, conversation_id)
        with pytest.raises(NotPermitted):
            backend.send_into(user, conversation_id, "x", None)


def _page(**changes):
    return {
        "event_types": ["MessageCreate"],
        "older_than": None,
        "newer_than": None,
        "limit": 100,
        **changes,
    }


def test_blocks_and_recipients(backend):
    backend.set_block(2, 1, True)
    assert not backend.may_message(1, 2)
    assert backend.may_message(2, 1)
    assert not backend.may_message(1, 1)
    with pytest.raises(NotPermitted):
        backend.send_to_user(1, 2, "x", None)
    with pytest.raises(NotPermitted):
        backend.send_into(1, "1-2", "x", None)
    with pytest.raises(UnknownUser):
        backend.send_to_user(1, 99, "x", None)
    with pytest.raises(Invalid):
        backend.send_to_user(1, 1, "x", None)
    with pytest.raises(UnknownUser):
        backend.set_block(1, 2**63, True)  # beyond what is stored: nobody


def test_group_rules(backend):
    for members in ([2], [2, 2], [2, 99], [1, 2], [2] * 50):
        with pytest.raises(Invalid):
            backend.create_group(1, members, "x")
    group, first = backend.create_group(1, [2, 3], "hello")
    assert first is not None
    assert backend.participants(group) == [1, 2, 3]
    with pytest.raises(NotPermitted):
        backend.conversation(4, group)
    leave = backend.leave(group, 2)
    with pytest.raises(NotPermitted):
        backend.send_into(2, group, "x", None)
    assert backend.event(1, leave).event_type == "ParticipantsLeave"
    with pytest.raises(Invalid):
        backend.leave("1-2", 1)


def test_events_and_media(backend, store):
    _, event_id = backend.send_to_user(1, 2, "x", None)
    with pytest.raises(NotPermitted):
        backend.event(3, event_id)
    backend.delete_event(1, event_id)
    with pytest.raises(NotFound):
        backend.event(1, event_id)
    assert backend.event(2, event_id).text == "x"
    media = backend.upload(1, "dm_image", None, b"\x89PNG\r\n\x1a\n" + bytes(10))
    assert media.media_type == "image/png"
    with pytest.raises(NotPermitted):
        backend.send_to_user(2, 1, None, media.id)  # not two's media
    tweet_media = backend.upload(1, "tweet_image", "image/png", b"png")
    with pytest.raises(Invalid):
        backend.send_to_user(1, 2, None, tweet_media.id)
    store.clock.advance(24 * 60 * 60 + 1)
    with pytest.raises(Invalid, match="expired"):
        backend.send_to_user(1, 2, None, media.id)
    with pytest.raises(Invalid):
        backend.check_upload("dm_video", "image/png", 10)
    with pytest.raises(Invalid):
        backend.check_upload("dm_image", "image/png", 5 * 1024 * 1024 + 1)


def test_each_refusal_maps_to_one_x_problem():
    assert problem_for(NotPermitted("no")).status == 403
    assert problem_for(NotFound("DmEvent", "event_id", 5)).body()["errors"][0]["resource_id"] == "5"
    problem = problem_for(UnknownUser("who?", "participant_id", 7))
    assert (problem.status, problem.body()["errors"][0]["parameters"]) == (
        400,
        {"participant_id": ["7"]},
    )


def test_the_routes_answer_without_a_socket(store):
    """The App is a function from HTTPRequest to HTTPResponse."""
    app = App(store, RateLimiter(False, store.clock, X_RATE_LIMITS), "http://emulator")
    headers = Message()
    headers["Authorization"] = f"Bearer {store.user(1).bearer_token}"
    headers["Content-Type"] = "application/json"

    def call(method, path, query=None, body=None):
        raw = json.dumps(body).encode() if body is not None else b""
        request = HTTPRequest(method, path, query or {}, headers, raw, "http://emulator" + path)
        response = app.handle(request)
        return response.status, json.loads(response.body)

    status, body = call("POST", "/2/dm_conversations/2-1/messages", body={"text": "hi"})
    assert (status, body["data"]["dm_conversation_id"]) == (201, "1-2")
    status, body = call("GET", "/2/dm_events", {"dm_event.fields": ["dm_conversation_id"]})
    assert body["data"][0]["dm_conversation_id"] == "1-2"
    status, body = call("GET", "/2/dm_events", {"max_results": ["5", "6"]})
    assert (status, body["errors"][0]["message"]) == (400, "Duplicate parameters are not allowed")
    status, body = call("GET", "/2/users/me", {"user.fields": ["created_at"]})
    assert body["data"]["created_at"] == "2023-11-14T22:13:20.000Z"
    assert START == store.clock()
