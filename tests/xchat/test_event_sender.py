"""The sender id read from an encoded event's bytes: the same from its head as from the whole."""

from __future__ import annotations

import base64
import binascii
import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import xchat


def thrift_string(field: int, value: bytes) -> bytes:
    return b"\x0b" + field.to_bytes(2, "big") + len(value).to_bytes(4, "big") + value


def encoded(*fields: bytes, tail: int = 400) -> str:
    return base64.b64encode(b"".join(fields) + b"\x00" * tail).decode()


def whole(event: str) -> object:
    """What the sender was before: the whole event decoded, then searched."""
    raw = binascii.a2b_base64(event + "=" * (-len(event) % 4))
    marker = raw.find(b"\x0b\x00\x03")
    if marker < 0:
        return None
    size = int.from_bytes(raw[marker + 3 : marker + 7], "big")
    return raw[marker + 7 : marker + 7 + size].decode(errors="replace")


SEQUENCE = thrift_string(1, b"1733630000123456789")
MESSAGE = thrift_string(2, b"7f0c3a52-1d9e-4a4b-9c55-0e1f2a3b4c5d")


@pytest.mark.parametrize(
    "event",
    [
        encoded(SEQUENCE, MESSAGE, thrift_string(3, b"2222")),  # where X puts it
        encoded(SEQUENCE, MESSAGE, b"\x00" * 150, thrift_string(3, b"2222")),  # past the head
        encoded(SEQUENCE, MESSAGE, b"\x00" * 172, thrift_string(3, b"98765")),  # across its end
        encoded(b"\x00" * 189, thrift_string(3, b"31")),  # marker cut by the head's end
        encoded(SEQUENCE, MESSAGE, tail=300),  # no sender at all
        encoded(SEQUENCE, MESSAGE, thrift_string(3, b"2222"), tail=10),  # shorter than the head
    ],
)
def test_the_sender_is_the_whole_events_sender(event):
    assert xchat._sender(event) == whole(event)


def test_a_head_with_characters_outside_base64_falls_back_to_the_whole_event():
    event = encoded(SEQUENCE, MESSAGE, thrift_string(3, b"2222"))
    spaced = event[:5] + "\n" + event[5:]  # one group no longer whole within the head
    assert xchat._sender(spaced) == whole(spaced) == "2222"


def test_the_sender_of_real_events_is_read_from_their_head(dm_emulator, monkeypatch):
    chats = {}
    for user_id, name in (("1111", "alice"), ("2222", "bob")):
        credentials = dm_emulator.add_user(int(user_id), name, name.title())
        client = tweepy_dm.Client(**credentials, api_url=dm_emulator.url)
        chats[user_id] = xchat.XChat(client, key_blob=xchat.generate_keys(), user_id=user_id)
        chats[user_id].register_keys()
    sent = chats["1111"].send("2222", "hello")
    page = chats["1111"].client.get_chat_conversation_events("1111-2222")
    (key_change,) = page.meta["conversation_key_events"]
    decoded = []
    original = binascii.a2b_base64
    monkeypatch.setattr(
        xchat.binascii, "a2b_base64", lambda text: decoded.append(text) or original(text)
    )
    assert xchat._sender(sent.encoded_event) == "1111"
    assert [len(text) for text in decoded] == [xchat._SENDER_HEAD]  # the head only
    assert xchat._sender(key_change) == whole(key_change) == "1111"
