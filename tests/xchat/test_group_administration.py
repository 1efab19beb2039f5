"""XChat group administration (spec 2.170) through both clients against the emulator:
admins, admin requests, admin settings (announcement-only groups), screen capture, pins.

Layer 1 (no chatxdk): keys and signatures from ``tests.chat_keys``.
"""

from __future__ import annotations

import pytest
import tweepy

from tests.chat_keys import ChatKeys

A, B, C = 1111, 2222, 3333


@pytest.fixture
def chat(clients, emulator):
    """Alice's group of three (Alice its admin): ``chat[user_id]`` is ``(client, keys)``,
    ``chat["group"]`` its id."""
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob"), (C, "carol")):
        credentials = emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=emulator.url)
        keys = ChatKeys(user_id)
        client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        users[user_id] = (client, keys)
    alice, keys = users[A]
    group = alice.call("initialize_chat_group").data["conversation_id"]
    alice.call(
        "create_chat_group",
        conversation_id=group,
        group_members=[A, B, C],
        **keys.key_change("1", keys, users[B][1], users[C][1]),
    )
    users["group"] = group
    return users


def _say(chat, user):
    client, keys = chat[user]
    group = chat["group"]
    return client.call("send_chat_message", group, **keys.message(group, "1"))


def _admins(client, group):
    return client.call("get_chat_conversation", group, expansions=["admin_ids"]).data.admin_ids


def test_admins_are_added_and_removed_by_admins_and_stay_members(chat):
    group, (alice, _), (bob, _) = chat["group"], chat[A], chat[B]
    with pytest.raises(tweepy.Forbidden):
        bob.call("add_chat_group_admins", group, user_ids=[B])
    assert alice.call("add_chat_group_admins", group, user_ids=[B]).data == {"added": True}
    assert _admins(alice, group) == [A, B]
    assert bob.call("remove_chat_group_admins", group, user_ids=[A]).data == {"removed": True}
    assert _admins(alice, group) == [B]
    members = alice.call("get_chat_conversation", group, expansions=["member_ids"])
    assert members.data.member_ids == [A, B, C]


def test_admin_requests_are_listed_and_answered_by_admins_only(clients, chat):
    group, (alice, _), (bob, _), (carol, _) = chat["group"], chat[A], chat[B], chat[C]
    assert bob.call("create_chat_group_admin_request", group).data == {"requested": True}
    carol.call("create_chat_group_admin_request", group)
    with pytest.raises(tweepy.Forbidden):
        carol.call("get_chat_group_admin_requests", group)
    with pytest.raises(tweepy.Forbidden):
        carol.call("approve_chat_group_admin_request", group, B)
    asked = alice.call("get_chat_group_admin_requests", group, user_fields=["username"])
    assert [user.username for user in asked.data] == ["bob", "carol"]
    assert isinstance(asked.data[0], tweepy.User)
    assert asked.meta == {"result_count": 2, "total_count": 2}
    assert alice.call("approve_chat_group_admin_request", group, B).data == {"approved": True}
    assert alice.call("reject_chat_group_admin_request", group, C).data == {"rejected": True}
    assert _admins(alice, group) == [A, B]
    assert alice.call("get_chat_group_admin_requests", group).data is None
    not_found = tweepy.NotFound if clients.is_async else tweepy.HTTPException
    with pytest.raises(not_found):  # answered already
        alice.call("reject_chat_group_admin_request", group, C)


def test_send_message_true_makes_the_group_announcement_only(chat):
    group, (alice, _), (bob, _) = chat["group"], chat[A], chat[B]
    with pytest.raises(tweepy.Forbidden):
        bob.call("update_chat_group_admin_settings", group, send_message=True)
    assert alice.call("update_chat_group_admin_settings", group, send_message=True).data == {
        "updated": True
    }
    with pytest.raises(tweepy.Forbidden):
        _say(chat, B)
    _say(chat, A)
    # Left-out settings keep their values; false opens the action to every member.
    alice.call("update_chat_group_admin_settings", group, add_member=False)
    settings = bob.call(
        "get_chat_conversation", group, chat_conversation_fields=["admin_settings"]
    ).data.admin_settings
    assert settings["send_message"] is True
    assert settings["add_member"] is False
    alice.call("update_chat_group_admin_settings", group, send_message=False)
    _say(chat, B)


def test_a_bad_admin_settings_body_is_a_400(chat):
    group, alice = chat["group"], chat[A][0]
    for body in ({}, {"send_message": "yes"}, {"mute_everyone": True}):
        with pytest.raises(tweepy.BadRequest):
            alice.call(
                "request",
                "PUT",
                f"/2/chat/conversations/{group}/admin_settings",
                json=body,
                user_auth=True,
            )


def test_screen_capture_one_setting_at_a_time_admins_only_in_groups(chat):
    group, (alice, _), (bob, _) = chat["group"], chat[A], chat[B]
    with pytest.raises(tweepy.Forbidden):
        bob.call("update_chat_conversation_screen_capture", group, blocking=True)
    assert alice.call("update_chat_conversation_screen_capture", group, blocking=True).data == {
        "blocking": True
    }
    fields = ["screen_capture_blocking_enabled", "screen_capture_detection_enabled"]
    seen = bob.call("get_chat_conversation", group, chat_conversation_fields=fields).data
    assert seen["screen_capture_blocking_enabled"] is True
    assert seen["screen_capture_detection_enabled"] is False
    with pytest.raises(tweepy.BadRequest):
        alice.call(
            "request",
            "PUT",
            f"/2/chat/conversations/{group}/screen_capture",
            json={"blocking": False, "detection": True},
            user_auth=True,
        )


def test_pinned_messages_are_read_by_members_only(clients, chat, emulator):
    group, alice = chat["group"], chat[A][0]
    pinned = alice.call("get_chat_conversation_pinned_messages", group)
    assert pinned.data is None
    assert pinned.meta == {"result_count": 0}
    emulator.add_user(4444, "dave", "Dave")
    dave = clients.make(credentials=emulator.credentials(4444), api_url=emulator.url)
    not_found = tweepy.NotFound if clients.is_async else tweepy.HTTPException
    with pytest.raises(not_found):
        dave.call("get_chat_conversation_pinned_messages", group)


def test_group_info_is_updated_encrypted_and_can_rotate_the_key(chat):
    group, (alice, alice_keys), (bob, bob_keys), carol_keys = (
        chat["group"], chat[A], chat[B], chat[C][1],
    )  # fmt: skip
    answer = bob.call(
        "update_chat_group", group, conversation_key_version="1", group_description="ZGVzYw=="
    )
    assert answer.data == {"updated": True}
    fields = ["group_description", "group_description_key_version", "group_name"]
    seen = alice.call("get_chat_conversation", group, chat_conversation_fields=fields).data
    assert (seen.group_description, seen["group_description_key_version"]) == ("ZGVzYw==", "1")
    # Only admins once edit_group_info says so.
    alice.call("update_chat_group_admin_settings", group, edit_group_info=True)
    with pytest.raises(tweepy.Forbidden):
        bob.call("update_chat_group", group, conversation_key_version="1", group_name="bmFtZQ==")
    rotation = alice_keys.key_change("2", alice_keys, bob_keys, carol_keys)
    rotated = alice.call(
        "update_chat_group", group, group_name="bmFtZQ==", **rotation
    ).data  # rotation carries conversation_key_version "2"
    assert rotated["updated"] is True
    assert int(rotated["conversation_key_change_sequence_id"]) > 0
    events = bob.call("get_chat_conversation_events", group)
    assert len(events.meta["conversation_key_events"]) == 2
    assert (
        alice.call("get_chat_conversation", group, chat_conversation_fields=fields).data[
            "group_name"
        ]
        == "bmFtZQ=="
    )
    for body in (
        {"conversation_key_version": "1", "modified_fields": ["group_name"]},  # no value
        {"conversation_key_version": "1", "modified_fields": ["topic"], "topic": "eA=="},
        {"modified_fields": ["group_name"], "group_name": "eA=="},  # no key version
    ):
        with pytest.raises(tweepy.BadRequest):
            alice.call(
                "request", "PUT", f"/2/chat/conversations/{group}", json=body, user_auth=True
            )
