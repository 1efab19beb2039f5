"""Two (and three) users who hold only key blobs talk through the emulator, encrypted.

Every round trip goes through both clients (the ``clients`` fixture): XChat for
the sync client, AsyncXChat for the async one, driven by the same flows.
"""

from __future__ import annotations

import base64
import json
import sys

import pytest
import tweepy

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

import tweepy_dm
from tweepy_dm import xchat
from tweepy_dm.emulator import _thrift

A, B, C = "1111", "2222", "3333"


class Person:
    """A user: a client and an XChat (sync or async) over it."""

    def __init__(self, clients, emulator, user_id, name, blob):
        credentials = emulator.add_user(int(user_id), name, name.title())
        caller = clients.make(credentials=credentials, api_url=emulator.url)
        self.clients = clients
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        self.chat = kind(caller.client, key_blob=blob, user_id=user_id)
        self.caller = caller

    def __getattr__(self, name):
        method = getattr(self.chat, name)
        return lambda *args, **kwargs: self.clients.run(method(*args, **kwargs))


@pytest.fixture(scope="module")
def blobs():
    return {user: xchat.XChat.generate_keys() for user in (A, B, C)}


@pytest.fixture
def people(clients, dm_emulator, blobs):
    people = {
        user: Person(clients, dm_emulator, user, name, blobs[user])
        for user, name in ((A, "alice"), (B, "bob"), (C, "carol"))
    }
    for person in people.values():
        person.register_keys()
    return people


def test_blobs_are_secret_bytes_never_shown(blobs, people):
    assert all(isinstance(blob, bytes) and len(blob) == 64 for blob in blobs.values())
    alice = people[A].chat
    assert blobs[A].hex() not in repr(alice)
    assert str(blobs[A]) not in repr(alice)
    assert repr(alice).startswith(f"<{type(alice).__name__} user_id=1111 key_version=")
    assert not any(blobs[A] == value for value in vars(alice).values())
    with pytest.raises(ValueError, match="not a key blob") as bad:
        xchat.XChat(None, key_blob=b"\x01" * 10, user_id=A)
    assert "\\x01" not in str(bad.value)


def test_one_to_one_reply_and_read(people):
    alice, bob = people[A], people[B]
    conversation = alice.start_conversation(B)
    assert conversation == "1111-2222"
    sent = alice.send(conversation, "hello Bob")
    assert (sent.text, sent.sender_id, sent.verified) == ("hello Bob", 1111, True)
    (got,) = bob.get_messages(A)
    assert (got.text, got.id, got.sequence_id) == ("hello Bob", sent.id, sent.sequence_id)
    assert got.verified is True
    reply = bob.send(A, "hi Alice", reply_to=got)
    messages = alice.get_messages("2222:1111")
    assert [m.text for m in messages] == ["hi Alice", "hello Bob"]
    assert messages[0].reply_to["id"] == sent.id
    assert messages[0].reply_to["text"] == "hello Bob"
    assert messages[0].reply_to["valid"] is True
    assert messages.failed == []
    assert reply.sequence_id == messages[0].sequence_id
    bob.mark_read(A)
    assert alice.get_messages(B, limit=1)[0].text == "hi Alice"


def test_encrypted_media(people, dm_emulator):
    alice, bob = people[A], people[B]
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    alice.send(B, "a photo", media=photo)
    (message,) = bob.get_messages(A)
    (attachment,) = message.attachments
    assert attachment["filesize_bytes"] == len(photo)
    stored = bob.caller.call("get_chat_media", A, attachment["media_hash_key"])
    assert photo not in stored
    assert len(stored) > len(photo)
    assert bob.get_media(message) == photo


def test_group_of_three_and_rotation_when_a_member_joins(people):
    alice, bob, carol = people[A], people[B], people[C]
    group = alice.create_group([B], name="team")
    assert group.startswith("g")
    alice.send(group, "before carol")
    assert [m.text for m in bob.get_messages(group)] == ["before carol"]
    alice.add_members(group, [C])
    bob.send(group, "welcome carol")
    seen = carol.get_messages(group)
    assert [m.text for m in seen] == ["welcome carol"]
    # The message sent before she joined used the old key, not wrapped for her.
    assert len(seen.failed) == 1
    carol.send(group, "thanks")
    assert [m.text for m in alice.get_messages(group)][:2] == ["thanks", "welcome carol"]
    keys = alice.caller.call("get_chat_conversation_events", group).meta
    assert len(keys["conversation_key_events"]) == 2


def test_delete_for_all_and_for_self(people):
    alice, bob = people[A], people[B]
    first = alice.send(B, "oops")
    second = alice.send(B, "keep")
    bob.delete([second])  # for bob only
    assert [m.text for m in bob.get_messages(A)] == ["oops"]
    assert [m.text for m in alice.get_messages(B)] == ["keep", "oops"]
    alice.delete([first.sequence_id], for_all=True, conversation_id=B)
    assert bob.get_messages(A) == []
    assert [m.text for m in alice.get_messages(B)] == ["keep"]
    with pytest.raises(tweepy.Forbidden):  # not bob's to delete for everyone
        bob.delete([second], for_all=True)


def test_tampering_is_refused_on_both_sides(people, clients):
    alice, bob = people[A], people[B]
    sent = alice.send(B, "the real text")
    # Server side: a signature over another message id is refused.
    payload = alice.chat._session.chat.encrypt_message(
        "1111:2222", "forged", **_key(alice, "1111:2222")
    )
    with pytest.raises(tweepy.Forbidden, match="SIGNATURE_FAILED"):
        alice.caller.call(
            "send_chat_message",
            B,
            message_id="not-the-signed-id",
            encoded_message_create_event=payload.encrypted_content,
            encoded_message_event_signature=payload.encoded_event_signature,
        )
    # Client side: an envelope whose sender was changed does not verify.
    raw = base64.b64decode(sent.encoded_event)
    forged = base64.b64encode(raw.replace(b"1111", b"3333", 1)).decode()
    event = _activity("chat.received", forged, "1111:2222")
    with pytest.raises(xchat.DecryptionError):
        bob.decrypt_activity(event)


def test_a_third_party_cannot_decrypt(people, dm_emulator):
    alice, carol = people[A], people[C]
    sent = alice.send(B, "for bob only")
    with pytest.raises(xchat.DecryptionError):
        carol.decrypt_activity(_activity("chat.received", sent.encoded_event, "1111:2222"))
    with pytest.raises(tweepy.Forbidden):
        carol.get_messages("1111-2222")


def test_chat_received_from_the_stream_is_decrypted(people, dm_emulator):
    alice, bob = people[A], people[B]
    hub = dm_emulator._activity
    hub.create("chat.received", int(B), None, "inbox", None)
    alice.send(B, "live")
    stream = hub.open_stream(0, None, 0.01)
    try:
        lines = []
        for chunk in stream:
            lines.extend(line for line in chunk.split(b"\r\n") if line.strip())
            if lines:
                break
    finally:
        stream.close()
    event = json.loads(lines[0])
    assert event["data"]["event_type"] == "chat.received"
    message = bob.decrypt_activity(event)
    assert (message.text, message.sender_id, message.verified) == ("live", 1111, True)
    assert bob.decrypt_activity(tweepy_dm.ActivityEvent(event)) == message
    envelope, _ = _thrift.decode(event["data"]["payload"]["encoded_event"])
    assert b"live" not in envelope[7][1][100]  # ciphertext only on the wire


def _key(person, conversation):
    session = person.chat._session
    keys = session.keys[conversation]
    version = max(keys, key=int)
    return {"conversation_key": keys[version], "conversation_key_version": version}


def _activity(event_type, encoded, conversation):
    return {
        "data": {
            "event_type": event_type,
            "payload": {"encoded_event": encoded, "conversation_id": conversation},
        }
    }


def test_a_failed_pin_unlock_never_shows_the_pin(people, monkeypatch):
    locked = xchat.XChat(people[A].caller.client, key_blob=None, user_id=A)

    class QuotingSDK:  # an SDK error that quotes its input: the worst case
        def unlock(self, pin):
            raise ValueError(f"Juicebox error: bad pin {pin}")

    monkeypatch.setattr(locked._session, "chat", QuotingSDK())
    with pytest.raises(RuntimeError, match="unlocking the keys with the PIN failed") as failed:
        locked.unlock("4913")
    assert "4913" not in str(failed.value)
    assert "Juicebox error" in str(failed.value)
    assert failed.value.__cause__ is None
