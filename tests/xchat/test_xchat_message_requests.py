"""Message requests through ``tweepy_dm.xchat``: decrypted previews, accepting, replying.

Alice (the emulator's back door, encrypting with chatxdk) writes to Bob, who
lets in only the people he follows; Bob reads the request with ``XChat`` or
``AsyncXChat`` (the ``clients`` fixture runs both).
"""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
chat_xdk = pytest.importorskip("chat_xdk", reason='pip install "tweepy-dm[xchat]"')

import tweepy  # noqa: E402

from tweepy_dm import xchat  # noqa: E402
from tweepy_dm.emulator import DMEmulator  # noqa: E402

A, B, C = 1111, 2222, 3333


class Reader:
    """One user's XChat (sync or async, as ``clients`` makes them) over a client."""

    def __init__(self, clients, emulator, user_id):
        caller = clients.make(credentials=emulator.credentials(user_id), api_url=emulator.url)
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        blob = emulator.xchat_key_blob(user_id)
        self.chat = kind(caller.client, key_blob=blob, user_id=user_id)
        self.caller = caller
        self.clients = clients

    def __getattr__(self, name):
        method = getattr(self.chat, name)
        return lambda *args, **kwargs: self.clients.run(method(*args, **kwargs))


@pytest.fixture
def emulator(clock):
    with DMEmulator(clock=clock) as emulator:
        for user_id, name in ((A, "alice"), (B, "bob"), (C, "carol")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        yield emulator


def _inbox(bob):
    return [item.id for item in bob.caller.call("get_chat_conversations").data or []]


def test_a_request_is_read_decrypted_accepted_and_gone(clients, emulator):
    bob = Reader(clients, emulator, B)
    bob.caller.call("update_chat_settings", allow_dms_from="following")
    emulator.send_chat(A, B, "hi, we met at the conference")
    emulator.send_chat(A, B, "are you there?")
    assert _inbox(bob) == []
    (request,) = bob.get_message_requests()
    assert isinstance(request, xchat.MessageRequest)
    assert (request.conversation_id, request.sender_id) == (f"{A}-{B}", A)
    assert [message.text for message in request.messages] == [
        "are you there?",
        "hi, we met at the conference",
    ]
    assert request.preview.text == "are you there?"
    assert request.preview.verified
    assert request.messages.failed == []
    assert bob.get_message_requests(inbox_type="low_quality") == []
    # Replying does not accept: the request stays.
    bob.send(A, "who is this?")
    assert [item.sender_id for item in bob.get_message_requests()] == [A]
    assert bob.accept_message_request(A) is None
    assert bob.get_message_requests() == []
    assert _inbox(bob) == [f"{A}-{B}"]
    with pytest.raises(tweepy.HTTPException) as second:
        bob.accept_message_request(A)
    assert second.value.response is not None
    assert [message.text for message in bob.get_messages(A)][:2] == [
        "who is this?",
        "are you there?",
    ]


def test_every_request_is_read_newest_first_up_to_a_limit(clients, emulator):
    bob = Reader(clients, emulator, B)
    bob.caller.call("update_chat_settings", allow_dms_from="following")
    emulator.send_chat(A, B, "from alice")
    emulator.send_chat(C, B, "from carol")
    assert [item.preview.text for item in bob.get_message_requests()] == [
        "from carol",
        "from alice",
    ]
    assert [item.sender_id for item in bob.get_message_requests(limit=1)] == [C]
    with pytest.raises(ValueError, match="inbox_type"):
        bob.get_message_requests(inbox_type="hidden")
