"""XChat media: the emulator takes the segments the client sends by default (4 MiB)."""

from __future__ import annotations

import io

import pytest

from tests.chat_keys import ChatKeys
from tweepy_dm import _chat_media, _facts

A, B = 1111, 2222
KEY_VERSION = "1795000000000"


@pytest.fixture
def alice_and_bob(clients, dm_emulator):
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob")):
        credentials = dm_emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=dm_emulator.url)
        keys = ChatKeys(user_id)
        client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        users[user_id] = (client, keys)
    alice, keys = users[A]
    alice.call("add_chat_conversation_keys", B, **keys.key_change(KEY_VERSION, keys, users[B][1]))
    return users[A][0], users[B][0]


def test_the_default_segment_size_is_the_one_fact():
    assert _chat_media.DEFAULT_CHAT_CHUNK_SIZE == _facts.CHAT_MEDIA_SEGMENT_BYTES == 4 * _facts.MB


def test_media_in_default_segments_is_accepted(alice_and_bob):
    alice, bob = alice_and_bob
    blob = bytes(range(256)) * (_facts.CHAT_MEDIA_SEGMENT_BYTES // 256) + b"tail"
    seen = []
    media = alice.call(
        "upload_chat_media",
        io.BytesIO(blob),
        conversation_id="1111-2222",
        progress=lambda sent, total: seen.append(sent),
    )
    assert seen == [_facts.CHAT_MEDIA_SEGMENT_BYTES, len(blob)]  # two segments, the first full
    assert media.size == len(blob)
    assert bob.call("get_chat_media", "1111:2222", media.media_hash_key) == blob
