"""XChat Layer 1 through both clients against the emulator: no chatxdk needed.

Keys and signatures come from ``tests.chat_keys`` (``cryptography`` alone);
the emulator verifies them as X would and stores X's Thrift envelopes.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
import tweepy

import tweepy_dm
from tests.chat_keys import ChatKeys
from tweepy_dm import _facts
from tweepy_dm._chat_models import ChatConversation, ChatMessageEvent, PublicKey
from tweepy_dm.emulator import _thrift
from tweepy_dm.emulator._events import ActivityDelivered

A, B, C = 1111, 2222, 3333
ONE_TO_ONE = "1111-2222"
KEY_VERSION = "1795000000000"


@pytest.fixture
def chat(clients, dm_emulator):
    """Three users with registered keys: ``chat[user_id]`` is ``(client, keys)``."""
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob"), (C, "carol")):
        credentials = dm_emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=dm_emulator.url)
        keys = ChatKeys(user_id)
        response = client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        assert response.data["public_key_version"] == keys.version
        users[user_id] = (client, keys)
    return users


def _start(chat):
    alice, keys = chat[A]
    body = keys.key_change(KEY_VERSION, keys, chat[B][1])
    return alice.call("add_chat_conversation_keys", B, **body)


def _message(error):
    """The error's text with X's ``detail`` (tweepy before 4.10 leaves it out of str())."""
    response = error.response
    detail = response.json().get("detail", "") if hasattr(response, "status_code") else ""
    return f"{error} {detail}"


def _not_found(clients):
    # tweepy's sync client before 4.8 raises its base HTTPException for a 404.
    return tweepy.NotFound if clients.is_async else tweepy.HTTPException


def test_public_keys_are_registered_and_read(chat):
    alice, keys = chat[A]
    mine = alice.call("get_user_public_keys", A, public_key_fields=_facts.PUBLIC_KEY_FIELDS)
    registration = keys.registration()
    assert mine.data == [
        PublicKey(
            {
                "public_key": registration["public_key"],
                "signing_public_key": registration["signing_public_key"],
                "identity_public_key_signature": registration["identity_public_key_signature"],
                "public_key_version": keys.version,
                "juicebox_config": {},
            }
        )
    ]
    assert isinstance(mine.data[0], PublicKey)
    assert mine.data[0].public_key_version == keys.version
    both = alice.call("get_users_public_keys", [B, C])
    assert [key.public_key for key in both.data] == [
        chat[B][1].registration()["public_key"],
        chat[C][1].registration()["public_key"],
    ]


def test_a_key_not_bound_to_its_identity_is_refused(clients, chat):
    alice, keys = chat[A]
    forged = dict(
        keys.registration(),
        identity_public_key_signature=ChatKeys(A).registration()["identity_public_key_signature"],
    )
    with pytest.raises(tweepy.BadRequest):
        alice.call("add_user_public_key", A, public_key=forged, version="1800000000000")
    with pytest.raises(tweepy.Forbidden):  # someone else's keys
        alice.call("add_user_public_key", B, public_key=keys.registration(), version="18")


def test_one_to_one_messages_in_every_id_form(clients, chat):
    started = _start(chat)
    assert started.data["conversation_id"] == ONE_TO_ONE
    (alice, alice_keys), (bob, bob_keys) = chat[A], chat[B]
    first = alice.call(
        "send_chat_message", "2222:1111", **alice_keys.message("1111:2222", KEY_VERSION)
    )
    envelope, _ = _thrift.decode(first.data["encoded_message_event"])
    assert _thrift.text(envelope[3]) == "1111"
    assert _thrift.text(envelope[4]) == "1111:2222"
    bob.call("send_chat_message", A, **bob_keys.message("1111:2222", KEY_VERSION))
    page = bob.call("get_chat_conversation_events", ONE_TO_ONE)
    assert [type(event) for event in page.data] == [ChatMessageEvent, ChatMessageEvent]
    newest, oldest = page.data
    assert (newest.sender_id, oldest.sender_id) == (B, A)
    assert newest.previous_id == oldest.id
    assert newest.id > oldest.id
    assert oldest.encoded_event == first.data["encoded_message_event"]
    assert oldest.conversation_id == ONE_TO_ONE
    assert oldest.message_event_signature
    (key_event,) = page.meta["conversation_key_events"]
    detail, _ = _thrift.decode(key_event)
    assert _thrift.text(detail[7][3][1]) == KEY_VERSION
    same = alice.call("get_chat_conversation_events", B, max_results=1)
    assert [event.id for event in same.data] == [newest.id]
    assert same.meta["has_more"]
    older = alice.call("get_chat_conversation_events", B, pagination_token=same.meta["next_token"])
    assert [event.id for event in older.data] == [oldest.id]
    assert alice.call(
        "mark_chat_conversation_read", ONE_TO_ONE, seen_until_sequence_id=newest.id
    ).data == {"success": True}
    assert alice.call("send_chat_typing_indicator", B).data == {"success": True}
    inbox = bob.call(
        "get_chat_conversations", chat_conversation_fields=["type"], expansions=["participant_ids"]
    )
    assert inbox.data == [ChatConversation({"id": ONE_TO_ONE})]
    assert inbox.data[0].type == "one_to_one"
    assert inbox.data[0].participant_ids == [A, B]
    assert {user.username for user in inbox.includes["users"]} == {"alice", "bob"}
    assert inbox.meta["has_message_requests"] is False


def test_forged_and_foreign_messages_are_refused(clients, chat):
    _start(chat)
    (alice, alice_keys), (carol, carol_keys) = chat[A], chat[C]
    body = alice_keys.message("1111:2222", KEY_VERSION)
    with pytest.raises(tweepy.Forbidden) as forged:
        alice.call("send_chat_message", B, **dict(body, message_id="another-id"))
    assert "SIGNATURE_FAILED" in _message(forged.value)
    with pytest.raises(tweepy.Forbidden) as foreign:  # signed by someone else
        alice.call("send_chat_message", B, **carol_keys.message("1111:2222", KEY_VERSION))
    assert "SIGNATURE_FAILED" in _message(foreign.value)
    with pytest.raises(tweepy.Forbidden):  # carol is not in the conversation
        carol.call("send_chat_message", ONE_TO_ONE, **carol_keys.message("1111:2222", KEY_VERSION))
    with pytest.raises(_not_found(clients)):
        carol.call("get_chat_conversation_events", "g1")
    with pytest.raises(tweepy.BadRequest):  # no conversation key yet
        carol.call("send_chat_message", A, **carol_keys.message("1111:3333", KEY_VERSION))
    assert alice.call("get_chat_conversation_events", B).data is None


def test_delete_for_self_and_for_all(clients, chat):
    _start(chat)
    (alice, alice_keys), (bob, bob_keys) = chat[A], chat[B]
    alice.call("send_chat_message", B, **alice_keys.message("1111:2222", KEY_VERSION))
    bob.call("send_chat_message", A, **bob_keys.message("1111:2222", KEY_VERSION))
    mine, theirs = reversed(alice.call("get_chat_conversation_events", B).data)
    action = [alice_keys.action(_thrift.nested(7, _thrift.STOP) + _thrift.STOP)]
    with pytest.raises(tweepy.Forbidden):  # not alice's to delete for everyone
        alice.call(
            "delete_chat_messages",
            B,
            sequence_ids=[theirs.id],
            action_signatures=action,
            delete_message_action="delete_for_all",
        )
    alice.call("delete_chat_messages", B, sequence_ids=[theirs.id], action_signatures=action)
    assert [e.id for e in alice.call("get_chat_conversation_events", B).data] == [mine.id]
    assert len(bob.call("get_chat_conversation_events", A).data) == 2
    alice.call(
        "delete_chat_messages",
        B,
        sequence_ids=[mine.id],
        action_signatures=action,
        delete_message_action="delete_for_all",
    )
    left = bob.call("get_chat_conversation_events", A).data
    assert mine.id not in [event.id for event in left]


def test_groups_members_and_key_rotation(clients, chat):
    (alice, alice_keys), (bob, bob_keys), (carol, carol_keys) = chat[A], chat[B], chat[C]
    group = alice.call("initialize_chat_group").data["conversation_id"]
    assert group.startswith("g")
    created = alice.call(
        "create_chat_group",
        conversation_id=group,
        group_members=[A, B],
        group_name="team",
        **alice_keys.key_change("1", alice_keys, bob_keys),
    )
    assert created.data["conversation_id"] == group
    bob.call("send_chat_message", group, **bob_keys.message(group, "1"))
    with pytest.raises(_not_found(clients)):
        carol.call("get_chat_conversation", group)
    with pytest.raises(tweepy.Forbidden):  # only admins add members
        bob.call("add_chat_group_members", group, user_ids=[C])
    rotation = alice_keys.key_change("2", alice_keys, bob_keys, carol_keys)
    alice.call("add_chat_group_members", group, user_ids=[C], **rotation)
    conversation = carol.call(
        "get_chat_conversation",
        group,
        chat_conversation_fields=["group_name", "type"],
        expansions=["member_ids", "admin_ids"],
    )
    assert conversation.data.member_ids == [A, B, C]
    assert conversation.data.admin_ids == [A]
    assert conversation.data.group_name == "team"
    assert conversation.data.type == "group"
    events = carol.call("get_chat_conversation_events", group)
    assert len(events.meta["conversation_key_events"]) == 2
    carol.call("send_chat_message", group, **carol_keys.message(group, "2"))
    with pytest.raises(tweepy.BadRequest):  # a rotation must wrap the key for every member
        alice.call(
            "add_chat_conversation_keys", group, **alice_keys.key_change("3", alice_keys, bob_keys)
        )


def test_encrypted_media_sessions(clients, chat, tmp_path):
    _start(chat)
    (alice, _), (bob, _), (carol, _) = chat[A], chat[B], chat[C]
    blob = bytes(range(256)) * 40
    seen = []
    media = alice.call(
        "upload_chat_media",
        io.BytesIO(blob),
        conversation_id=ONE_TO_ONE,
        chunk_size=4000,
        progress=lambda sent, total: seen.append(sent),
    )
    assert media.conversation_id == "1111:2222"
    assert media.size == len(blob)
    assert seen == [4000, 8000, len(blob)]
    assert bob.call("get_chat_media", "1111:2222", media.media_hash_key) == blob
    target = tmp_path / "blob.bin"
    assert bob.call("get_chat_media", A, media.media_hash_key, file=target) == len(blob)
    assert target.read_bytes() == blob
    with pytest.raises(tweepy.Forbidden):  # not carol's conversation
        carol.call("get_chat_media", ONE_TO_ONE, media.media_hash_key)
    with pytest.raises(_not_found(clients)):  # nor her group's
        carol.call("get_chat_media", "g1", media.media_hash_key)


def test_without_cryptography_chat_routes_say_what_to_install(clients, chat, monkeypatch):
    alice, _keys = chat[A]
    for name in list(sys.modules):
        if name == "cryptography" or name.startswith("cryptography."):
            monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(tweepy.HTTPException) as refused:
        alice.call("get_user_public_keys", A)
    assert clients.status(refused.value.response) == 501
    assert "pip install" in _message(refused.value)
    assert "cryptography" in _message(refused.value)


def _delivered(dm_emulator):
    """The Activity API deliveries so far, as the stream sends them."""
    stream = dm_emulator._activity.open_stream(0, None, 0.01)
    try:
        for chunk in stream:
            lines = [line for line in chunk.split(b"\r\n") if line.strip()]
            if lines:
                return [json.loads(line)["data"] for line in lines]
    finally:
        stream.close()
    return []


def test_chat_events_reach_the_activity_stream(clients, chat, dm_emulator):
    hub = dm_emulator._activity
    hub.create("chat.received", B, None, "inbox", None)
    hub.create("chat.sent", A, None, None, None)
    hub.create("chat.conversation.join", C, None, None, None)
    _start(chat)
    alice, alice_keys = chat[A]
    bob_keys, carol_keys = chat[B][1], chat[C][1]
    sent = alice.call("send_chat_message", B, **alice_keys.message("1111:2222", KEY_VERSION))
    group = alice.call("initialize_chat_group").data["conversation_id"]
    alice.call(
        "create_chat_group",
        conversation_id=group,
        group_members=[A, B, C],
        **alice_keys.key_change("1", alice_keys, bob_keys, carol_keys),
    )
    deliveries = {item["event_type"]: item for item in _delivered(dm_emulator)}
    received = deliveries["chat.received"]
    assert received["filter"] == {"user_id": str(B)}
    assert received["tag"] == "inbox"
    payload = received["payload"]
    assert payload["encoded_event"] == sent.data["encoded_message_event"]
    assert payload["conversation_id"] == "1111:2222"
    assert payload["sender_id"] == str(A)
    assert payload["conversation_key_version"] == KEY_VERSION
    assert payload["conversation_key_change_event"]
    signature = payload["message_event_signature"]
    assert signature["signing_public_key"] == alice_keys.registration()["signing_public_key"]
    assert deliveries["chat.sent"]["payload"] == payload
    joined = deliveries["chat.conversation.join"]
    assert joined["payload"]["conversation_id"] == group
    assert joined["filter"] == {"user_id": str(C)}


def test_chat_events_go_to_a_subscriptions_webhook(clients, chat, dm_emulator, monkeypatch):
    hub = dm_emulator._activity
    posted = []
    hub.bus.subscribe(ActivityDelivered, lambda delivered: posted.append(delivered.webhook_id))
    hub.create("chat.received", B, None, None, "1800000000000000000")
    _start(chat)
    alice, alice_keys = chat[A]
    alice.call("send_chat_message", B, **alice_keys.message("1111:2222", KEY_VERSION))
    assert posted == ["1800000000000000000"]


def test_tweepys_paginator_walks_the_inbox_and_the_events(dm_emulator):
    users = {}
    for user_id in (A, B, C):
        credentials = dm_emulator.add_user(user_id, f"u{user_id}", f"U{user_id}")
        client = tweepy_dm.Client(api_url=dm_emulator.url, **credentials)
        keys = ChatKeys(user_id)
        client.add_user_public_key(user_id, public_key=keys.registration(), version=keys.version)
        users[user_id] = (client, keys)
    alice, alice_keys = users[A]
    for other in (B, C):
        alice.add_chat_conversation_keys(
            other, **alice_keys.key_change(KEY_VERSION, alice_keys, users[other][1])
        )
    for _ in range(3):
        alice.send_chat_message(B, **alice_keys.message("1111:2222", KEY_VERSION))
    inbox = tweepy.Paginator(alice.get_chat_conversations, max_results=1).flatten()
    assert sorted(conversation.id for conversation in inbox) == ["1111-2222", "1111-3333"]
    events = tweepy.Paginator(alice.get_chat_conversation_events, B, max_results=2).flatten()
    ids = [event.id for event in events]
    assert len(ids) == 3
    assert ids == sorted(ids, reverse=True)
