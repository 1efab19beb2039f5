"""The emulator's users with XChat keys, and the back door that sends encrypted DMs as one.

``DMEmulator.add_user(..., xchat=True)`` makes a key blob with chatxdk and
registers its public keys; ``DMEmulator.send_chat`` encrypts and signs as that
user, so a test plays the human on the other side of a bot that reads with
``tweepy_dm.xchat`` (sync and async, through the ``clients`` fixture).
"""

from __future__ import annotations

import json
import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
chat_xdk = pytest.importorskip("chat_xdk", reason='pip install "tweepy-dm[xchat]"')

import tweepy_dm  # noqa: E402
from tweepy_dm import xchat  # noqa: E402
from tweepy_dm.emulator import DMEmulator, _thrift  # noqa: E402

A, B, C = 1111, 2222, 3333


class Reader:
    """One user's XChat (sync or async, as ``clients`` makes them) over a client."""

    def __init__(self, clients, emulator, user_id, blob):
        caller = clients.make(credentials=emulator.credentials(user_id), api_url=emulator.url)
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        self.chat = kind(caller.client, key_blob=blob, user_id=user_id)
        self.caller = caller
        self.clients = clients

    def __getattr__(self, name):
        method = getattr(self.chat, name)
        return lambda *args, **kwargs: self.clients.run(method(*args, **kwargs))


@pytest.fixture
def emulator():
    with DMEmulator() as emulator:
        emulator.add_user(A, "alice", "Alice", xchat=True)
        emulator.add_user(B, "bob", "Bob", xchat=True)
        emulator.add_user(C, "carol", "Carol")
        yield emulator


def test_key_blobs_are_registered_and_kept(emulator):
    blob = emulator.xchat_key_blob(A)
    assert isinstance(blob, bytes)
    assert len(blob) in (32, 64)
    assert emulator.xchat_key_blob(B) != blob
    # Adding the user again keeps the keys; a user added without them has none.
    emulator.add_user(A, "alice", "Alice A.", xchat=True)
    assert emulator.xchat_key_blob(A) == blob
    with pytest.raises(KeyError):
        emulator.xchat_key_blob(C)
    # The public keys are X's registry's: the SDK says they are this blob's.
    client = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(B))
    (registered,) = client.get_user_public_keys(A).data
    sdk = chat_xdk.Chat()
    sdk.import_keys(blob)
    assert sdk.matches_registered_key(registered.public_key)
    # The blob is a secret: no repr shows it.
    assert (
        repr(emulator._xchat[A])
        == f"<ChatIdentity user_id={A} version={registered.public_key_version}>"
    )


def test_the_back_door_sends_what_the_recipient_decrypts(clients, emulator):
    first = emulator.send_chat(A, B, "Hello from the other side")
    bob = Reader(clients, emulator, B, emulator.xchat_key_blob(B))
    (message,) = bob.get_messages(f"{A}-{B}")
    assert (message.id, message.text, message.sender_id) == (first, "Hello from the other side", A)
    assert message.verified
    # Every spelling of the conversation; the key made on first contact is reused.
    second = emulator.send_chat(A, f"{B}-{A}", "second")
    third = emulator.send_chat(A, f"{A}:{B}", "third")
    seen = bob.get_messages(f"{A}-{B}")
    assert [(m.id, m.text) for m in seen] == [
        (third, "third"),
        (second, "second"),
        (first, "Hello from the other side"),
    ]
    keys = bob.caller.call("get_chat_conversation_events", f"{A}-{B}").meta
    assert len(keys["conversation_key_events"]) == 1
    # The recipient answers with the SDK; the back door reads the key it finds.
    bob.send(f"{A}-{B}", "who is this?")
    emulator.send_chat(A, B, "a friend")
    alice = Reader(clients, emulator, A, emulator.xchat_key_blob(A))
    texts = [m.text for m in alice.get_messages(f"{A}-{B}")]
    assert texts[:2] == ["a friend", "who is this?"]


def test_into_a_group_the_sender_is_in(clients, emulator):
    emulator.add_user(C, "carol", "Carol", xchat=True)
    bob = Reader(clients, emulator, B, emulator.xchat_key_blob(B))
    group = bob.create_group([A, C], name="team")
    sent = emulator.send_chat(A, group, "hi team")
    carol = Reader(clients, emulator, C, emulator.xchat_key_blob(C))
    (message,) = carol.get_messages(group)
    assert (message.id, message.text, message.sender_id) == (sent, "hi team", A)


def test_the_stream_and_webhooks_hear_of_it_and_see_ciphertext_only(emulator):
    hub = emulator._activity
    hub.create("chat.received", B, None, "inbox", None)
    emulator.send_chat(A, B, "live")
    # What the stream (and a subscription's webhook) is given: the hub's history.
    with hub._condition:
        (line,), _ = hub._pending(0, None)
    event = json.loads(line)
    assert event["data"]["event_type"] == "chat.received"
    envelope, _ = _thrift.decode(event["data"]["payload"]["encoded_event"])
    assert b"live" not in envelope[7][1][100]
    bob = xchat.XChat(
        tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(B)),
        key_blob=emulator.xchat_key_blob(B),
        user_id=B,
    )
    assert bob.decrypt_activity(event).text == "live"


def test_legacy_dms_off_does_not_stop_xchat(emulator):
    emulator.legacy_dms = "off"
    sent = emulator.send_chat(B, A, "still here")
    alice = xchat.XChat(
        tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(A)),
        key_blob=emulator.xchat_key_blob(A),
        user_id=A,
    )
    assert [m.id for m in alice.get_messages(B)] == [sent]


def test_bad_input_is_refused_before_anything_is_stored(emulator):
    with pytest.raises(TypeError, match="text must be a str"):
        emulator.send_chat(A, B, b"bytes")
    with pytest.raises(ValueError, match="text must not be empty"):
        emulator.send_chat(A, B, "")
    with pytest.raises(ValueError, match="conversation_id must be"):
        emulator.send_chat(A, "1111_2222", "hi")
    with pytest.raises(KeyError):
        emulator.send_chat(C, A, "carol has no keys")
    with pytest.raises(ValueError, match="3333 has registered no XChat keys"):
        emulator.send_chat(A, C, "to carol, who has no keys")
    with pytest.raises(ValueError, match="participant"):
        emulator.send_chat(A, f"{B}-{C}", "not mine")
    with pytest.raises(TypeError, match="xchat must be True or False"):
        emulator.add_user(4444, "dave", "Dave", xchat="yes")
    assert emulator._chat().find(f"{A}:{C}") is None
