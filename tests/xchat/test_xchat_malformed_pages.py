"""XChat.get_messages on pages X (or whoever answers) sent malformed or repeated."""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import xchat
from tweepy_dm.xchat import _json

A, B = "1111", "2222"


class Tampering:
    """A client whose conversation pages pass through ``tamper(data, meta)`` first."""

    def __init__(self, client, tamper):
        self._client = client
        self._tamper = tamper

    def __getattr__(self, name):
        return getattr(self._client, name)

    def get_chat_conversation_events(self, *args, **kwargs):
        data, meta = _json(self._client.get_chat_conversation_events(*args, **kwargs))
        data, meta = self._tamper(list(data or []), dict(meta))
        return {"data": data, "meta": meta}


@pytest.fixture(scope="module")
def blobs():
    return {user: xchat.XChat.generate_keys() for user in (A, B)}


@pytest.fixture
def pair(dm_emulator, blobs):
    chats = {}
    for user, name in ((A, "alice"), (B, "bob")):
        credentials = dm_emulator.add_user(int(user), name, name.title())
        client = tweepy_dm.Client(api_url=dm_emulator.url, **credentials)
        chats[user] = (client, xchat.XChat(client, key_blob=blobs[user], user_id=user))
        chats[user][1].register_keys()
    alice = chats[A][1]
    alice.start_conversation(B)
    alice.send(B, "first")
    alice.send(B, "second")
    return chats


def _bob_reading(pair, blobs, tamper):
    client, _ = pair[B]
    return xchat.XChat(Tampering(client, tamper), key_blob=blobs[B], user_id=B)


def test_malformed_events_are_listed_as_failed(pair, blobs):
    def tamper(data, meta):
        return [
            *data,
            {"id": "77"},  # no encoded_event
            {"id": "78", "encoded_event": 5},
            "not an object",
            {"id": "not a number", "encoded_event": "bm90IGFuIGV2ZW50"},
            {"id": "79", "encoded_event": "!!! not base64"},
        ], meta

    messages = _bob_reading(pair, blobs, tamper).get_messages(A)
    assert [message.text for message in messages] == ["second", "first"]
    assert [event_id for event_id, _ in messages.failed] == [77, 78, None, None, 79]
    assert all(reason for _, reason in messages.failed)


def test_a_page_whose_data_is_not_a_list_is_a_failure_not_a_crash(pair, blobs):
    messages = _bob_reading(pair, blobs, lambda data, meta: ({"oops": 1}, meta)).get_messages(A)
    assert list(messages) == []
    assert len(messages.failed) == 1
    assert "not a list" in messages.failed[0][1]


def test_missing_key_events_fail_the_events_instead_of_raising(pair, blobs):
    def tamper(data, meta):
        return data, {**meta, "conversation_key_events": "not a list"}

    messages = _bob_reading(pair, blobs, tamper).get_messages(A)
    assert list(messages) == []
    assert len(messages.failed) == 2


def test_a_message_sent_twice_is_shown_once(pair, blobs):
    messages = _bob_reading(pair, blobs, lambda data, meta: (data + data, meta)).get_messages(A)
    assert [message.text for message in messages] == ["second", "first"]
    assert messages.failed == []
