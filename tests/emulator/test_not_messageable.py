"""Closed inboxes and system accounts answer X's ``recipient-not-messageable`` 403, as a 1:1
block does (spec 2.170, ``sendChatMessage``), through both clients against the emulator."""

from __future__ import annotations

import pytest
import tweepy

import tweepy_dm
from tests.chat_keys import ChatKeys

A, B = 1111, 2222
KEY_VERSION = "1795000000000"


@pytest.fixture
def chat(clients, emulator):
    """Two users with registered keys: ``chat[user_id]`` is ``(client, keys)``."""
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob")):
        credentials = emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=emulator.url)
        keys = ChatKeys(user_id)
        client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        users[user_id] = (client, keys)
    alice, alice_keys = users[A]
    body = alice_keys.key_change(KEY_VERSION, alice_keys, users[B][1])
    alice.call("add_chat_conversation_keys", B, **body)
    return users


def _send(chat):
    alice, keys = chat[A]
    return alice.call("send_chat_message", B, **keys.message(f"{A}:{B}", KEY_VERSION))


def _refused(chat) -> None:
    with pytest.raises(tweepy_dm.RecipientNotMessageable) as refused:
        _send(chat)
    # Raised for X's problem type (recipient-not-messageable), a 403.
    assert isinstance(refused.value, tweepy.Forbidden)
    assert refused.value.response is not None


def _stored(chat) -> int:
    return len(chat[B][0].call("get_chat_conversation_events", A).data or [])


def test_a_closed_inbox_answers_recipient_not_messageable(chat, emulator):
    emulator.close_inbox(B)
    _refused(chat)
    assert _stored(chat) == 0  # nothing was stored
    emulator.close_inbox(B, closed=False)
    _send(chat)
    assert _stored(chat) == 1


def test_a_system_account_answers_recipient_not_messageable(chat, emulator):
    emulator.add_user(B, "bob", "Bob", system=True)
    _refused(chat)
    assert _stored(chat) == 0
    emulator.add_user(B, "bob", "Bob")  # an ordinary user again
    _send(chat)
    assert _stored(chat) == 1


def test_a_closed_inbox_does_not_stop_its_owner_sending(chat, emulator):
    emulator.close_inbox(A)
    _send(chat)  # the closed inbox is Alice's: she may still write to Bob
    assert _stored(chat) == 1


def test_the_back_doors_refuse_bad_input(emulator):
    with pytest.raises(KeyError):
        emulator.close_inbox(9999)
    emulator.add_user(1, "one", "One")
    with pytest.raises(TypeError, match="closed"):
        emulator.close_inbox(1, closed="yes")
    with pytest.raises(TypeError, match="system"):
        emulator.add_user(2, "two", "Two", system=1)
    assert emulator._store.user(2) is None  # refused before the user was added
