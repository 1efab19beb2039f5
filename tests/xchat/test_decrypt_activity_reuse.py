"""What XChat reuses between calls (a verified key change, the client's performer) keeps its checks."""

from __future__ import annotations

import sys

import pytest

from tests.helpers import chat_received

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import xchat

A, B = "1111", "2222"


class Refusing:
    """A chat_xdk.Chat whose key-change verification reports an error while ``refuse`` is set."""

    def __init__(self, chat):
        self._chat = chat
        self.refuse = False
        self.verified = 0  # decrypt_events calls

    def decrypt_events(self, *args, **kwargs):
        self.verified += 1
        result = self._chat.decrypt_events(*args, **kwargs)
        if self.refuse:
            result = {**result, "errors": {"0": "signature does not verify"}}
        return result

    def __getattr__(self, name):
        return getattr(self._chat, name)


@pytest.fixture
def pair(dm_emulator):
    people = []
    for user_id, name in ((A, "alice"), (B, "bob")):
        credentials = dm_emulator.add_user(int(user_id), name, name.title())
        client = tweepy_dm.Client(**credentials, api_url=dm_emulator.url)
        chat = xchat.XChat(client, key_blob=xchat.XChat.generate_keys(), user_id=user_id)
        chat.register_keys()
        people.append(chat)
    return people


def test_a_key_change_that_did_not_verify_is_verified_again_on_the_next_event(pair):
    alice, bob = pair
    alice.start_conversation(B)
    first, second, third = (alice.send(B, text) for text in ("one", "two", "three"))
    (key_change,) = alice.client.get_chat_conversation_events("1111-2222").meta[
        "conversation_key_events"
    ]
    sdk = bob._session.chat = Refusing(bob._session.chat)
    sdk.refuse = True
    bob.decrypt_activity(chat_received(first, key_change))
    bob.decrypt_activity(chat_received(second, key_change))
    assert sdk.verified == 2  # refused once: never taken as known
    sdk.refuse = False
    assert bob.decrypt_activity(chat_received(third, key_change)).text == "three"
    assert bob.decrypt_activity(chat_received(first, key_change)).text == "one"
    assert sdk.verified == 3  # verified now: the same key change is not verified again


def test_a_verified_key_change_is_known_by_its_digest_beyond_the_last_one_kept(pair):
    alice, bob = pair
    alice.start_conversation(B)
    sent = alice.send(B, "one")
    (key_change,) = alice.client.get_chat_conversation_events("1111-2222").meta[
        "conversation_key_events"
    ]
    sdk = bob._session.chat = Refusing(bob._session.chat)
    bob.decrypt_activity(chat_received(sent, key_change))
    assert sdk.verified == 1
    bob._session.last_key_change.clear()  # as a session that knows the digest only
    bob.decrypt_activity(chat_received(sent, key_change))
    assert sdk.verified == 1  # the digest of a verified key change still counts


class Recording:
    """A client that records the methods XChat calls on it."""

    def __init__(self, client):
        self._client = client
        self.called = []

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if callable(attribute):
            self.called.append(name)
        return attribute


def test_a_client_replaced_on_the_xchat_object_is_the_one_used(pair):
    alice, _ = pair
    alice.start_conversation(B)
    alice.send(B, "one")
    replacement = alice.client = Recording(alice.client)
    (message,) = alice.get_messages(B, limit=1)
    assert message.text == "one"
    assert "get_chat_conversation_events" in replacement.called
