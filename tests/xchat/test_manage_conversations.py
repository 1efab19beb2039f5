"""Managing XChat conversations (spec 2.170) through both clients against the emulator:
mute, disappearing messages, deleting for yourself, removing members and leaving.

Layer 1 (no chatxdk): keys and signatures from ``tests.chat_keys``.
"""

from __future__ import annotations

import pytest
import tweepy

from tests.chat_keys import ChatKeys

A, B, C = 1111, 2222, 3333


@pytest.fixture
def chat(clients, emulator):
    """Three users with registered keys: ``chat[user_id]`` is ``(client, keys)``."""
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob"), (C, "carol")):
        credentials = emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=emulator.url)
        keys = ChatKeys(user_id)
        client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        users[user_id] = (client, keys)
    return users


def _group(chat):
    """Alice's group of the three, Alice its admin."""
    alice, keys = chat[A]
    group = alice.call("initialize_chat_group").data["conversation_id"]
    alice.call(
        "create_chat_group",
        conversation_id=group,
        group_members=[A, B, C],
        **keys.key_change("1", keys, chat[B][1], chat[C][1]),
    )
    return group


def _say(chat, user, conversation):
    client, keys = chat[user]
    return client.call("send_chat_message", conversation, **keys.message(conversation, "1"))


def _texts(client, conversation):
    return [event.sender_id for event in client.call(
        "get_chat_conversation_events", conversation).data or []]  # fmt: skip


def test_mute_is_the_callers_own(chat):
    group = _group(chat)
    (alice, _), (bob, _) = chat[A], chat[B]
    assert bob.call("mute_chat_conversation", group).data == {"muted": True}
    fields = {"chat_conversation_fields": ["is_muted"]}
    assert bob.call("get_chat_conversation", group, **fields).data.is_muted is True
    assert alice.call("get_chat_conversation", group, **fields).data.is_muted is False
    assert bob.call("unmute_chat_conversation", group).data == {"muted": False}
    assert bob.call("get_chat_conversation", group, **fields).data.is_muted is False


def test_disappearing_messages_expire_new_messages_for_everyone(chat, clock):
    group = _group(chat)
    (alice, _), (bob, _) = chat[A], chat[B]
    _say(chat, A, group)  # before: never expires
    assert alice.call(
        "update_chat_conversation_message_ttl", group, message_ttl_ms=60_000
    ).data == {"updated": True}
    fields = {"chat_conversation_fields": ["message_ttl_ms"]}
    assert bob.call("get_chat_conversation", group, **fields).data.message_ttl_ms == 60_000
    _say(chat, B, group)
    assert _texts(alice, group) == [B, A]
    clock.advance(61)
    assert _texts(alice, group) == [A]
    assert _texts(chat[C][0], group) == [A]
    assert alice.call("delete_chat_conversation_message_ttl", group).data == {"deleted": True}
    _say(chat, B, group)
    clock.advance(3600)
    assert _texts(bob, group) == [B, A]
    assert "message_ttl_ms" not in bob.call("get_chat_conversation", group, **fields).data


def test_a_bad_lifetime_is_a_400_and_changes_nothing(chat):
    group = _group(chat)
    alice = chat[A][0]
    for body in ({}, {"message_ttl_ms": 60000}, {"message_ttl_ms": "1h"}, {"message_ttl_ms": "0"}):
        with pytest.raises(tweepy.BadRequest):
            alice.call("request", "PUT", f"/2/chat/conversations/{group}/message_ttl",
                       json=body, user_auth=True)  # fmt: skip
    fields = {"chat_conversation_fields": ["message_ttl_ms"]}
    assert "message_ttl_ms" not in alice.call("get_chat_conversation", group, **fields).data


def test_deleting_removes_it_for_the_caller_only(chat):
    _group(chat)
    (alice, alice_keys), (bob, bob_keys) = chat[A], chat[B]
    alice.call("add_chat_conversation_keys", B, **alice_keys.key_change("1", alice_keys, bob_keys))
    _say(chat, A, "1111:2222")
    assert bob.call("delete_chat_conversation", A).data == {"deleted": True}
    assert "1111-2222" not in [item.id for item in bob.call("get_chat_conversations").data]
    assert bob.call("get_chat_conversation_events", A).data is None
    assert _texts(alice, B) == [A]  # Alice keeps it
    # A new message brings it back, without the old ones.
    _say(chat, A, "1111:2222")
    assert "1111-2222" in [item.id for item in bob.call("get_chat_conversations").data]
    assert _texts(bob, A) == [A]
    assert len(_texts(alice, B)) == 2


def test_leaving_keeps_the_conversation_for_the_one_who_left(clients, chat):
    group = _group(chat)
    (alice, _), (bob, _), (carol, _) = chat[A], chat[B], chat[C]
    _say(chat, A, group)
    with pytest.raises(tweepy.Forbidden):  # only admins remove others
        bob.call("remove_chat_group_members", group, user_ids=[C])
    assert bob.call("remove_chat_group_members", group, user_ids=[B]).data == {"removed": True}
    members = alice.call("get_chat_conversation", group, expansions=["member_ids"])
    assert members.data.member_ids == [A, C]
    _say(chat, A, group)
    # Bob still has it, as it was when he left, and can no longer write.
    assert group in [item.id for item in bob.call("get_chat_conversations").data]
    assert _texts(bob, group) == [A]
    with pytest.raises(tweepy.Forbidden):
        _say(chat, B, group)
    assert alice.call("remove_chat_group_members", group, user_ids=[C]).data == {"removed": True}
    assert _texts(alice, group) == [A, A]
    _say(chat, A, group)
    assert _texts(carol, group) == [A, A]  # removed: what came before, nothing after
    alice_keys, bob_keys = chat[A][1], chat[B][1]
    alice.call("add_chat_conversation_keys", B, **alice_keys.key_change("1", alice_keys, bob_keys))
    with pytest.raises(tweepy.BadRequest):  # a 1:1 has no members to remove
        alice.call("remove_chat_group_members", "1111-2222", user_ids=[B])
