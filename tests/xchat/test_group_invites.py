"""XChat group invite links and join requests (spec 2.170) through both clients
against the emulator: links built as X documents, expiry, previews with
``join_state``, requests that wait for an admin to add the user.

Layer 1 (no chatxdk): keys and signatures from ``tests.chat_keys``.
"""

from __future__ import annotations

import pytest
import tweepy

from tests.chat_keys import ChatKeys
from tweepy_dm._endpoints.chat_invites import chat_group_invite_url

A, B, C = 1111, 2222, 3333
TOKEN = "Join_me-42"


@pytest.fixture
def chat(clients, emulator):
    """Alice's group with Bob (Alice its admin); Carol is outside. ``chat["group"]``."""
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
        group_members=[A, B],
        **keys.key_change("1", keys, users[B][1]),
    )
    users["group"] = group
    return users


def _not_found(clients):
    return tweepy.NotFound if clients.is_async else tweepy.HTTPException


def test_a_link_previews_and_a_join_request_waits_for_an_admin(clients, chat, clock):
    group, (alice, alice_keys), (carol, carol_keys) = chat["group"], chat[A], chat[C]
    url = chat_group_invite_url(group, TOKEN)
    assert url == f"https://x.com/i/chat/group_join/{group}/{TOKEN}"
    with pytest.raises(tweepy.Forbidden):  # only admins share links
        chat[B][0].call("enable_chat_group_invite", group, invite_url=url)
    enabled = alice.call(
        "enable_chat_group_invite",
        group,
        invite_url=url,
        validity_duration_msec=3_600_000,
        decrypted_title="Book club",
        welcome_message="Welcome!",
    ).data
    assert (enabled["invite_url"], enabled["token"]) == (url, TOKEN)
    assert enabled["group_name"] == "Book club"
    assert enabled["welcome_message"] == "Welcome!"
    assert enabled["expires_at"]
    preview = carol.call("get_chat_group_invite", group, TOKEN).data
    assert (preview["member_count"], preview["join_state"]) == (2, "not_member")
    assert carol.call("create_chat_group_join_request", group, token=TOKEN).data == {
        "requested": True
    }
    assert carol.call("get_chat_group_invite", group, TOKEN).data["join_state"] == "requested"
    pending = alice.call(
        "get_chat_conversation", group, chat_conversation_fields=["pending_member_ids", "invite"]
    ).data
    assert pending.pending_member_ids == [C]
    assert pending.invite["invite_url"] == url
    # Members who may not add others do not see who asked.
    bob_view = chat[B][0].call(
        "get_chat_conversation", group, chat_conversation_fields=["pending_member_ids"]
    )
    assert bob_view.data.pending_member_ids is None
    # Approving is adding, with the usual key rotation; it clears the request.
    rotation = alice_keys.key_change("2", alice_keys, chat[B][1], carol_keys)
    alice.call("add_chat_group_members", group, user_ids=[C], **rotation)
    assert carol.call("get_chat_group_invite", group, TOKEN).data["join_state"] == "member"
    after = alice.call(
        "get_chat_conversation", group, chat_conversation_fields=["pending_member_ids"]
    )
    assert after.data.pending_member_ids == []
    # The link expires.
    clock.advance(3601)
    with pytest.raises(_not_found(clients)):
        carol.call("get_chat_group_invite", group, TOKEN)


def test_rejected_and_disabled(clients, chat, emulator):
    group, (alice, _), (carol, _) = chat["group"], chat[A], chat[C]
    alice.call("enable_chat_group_invite", group, invite_url=chat_group_invite_url(group, TOKEN))
    carol.call("create_chat_group_join_request", group, token=TOKEN)
    with pytest.raises(tweepy.Forbidden):
        chat[B][0].call("reject_chat_group_join_requests", group, user_ids=[C])
    assert alice.call("reject_chat_group_join_requests", group, user_ids=[C]).data == {
        "rejected": True
    }
    assert carol.call("get_chat_group_invite", group, TOKEN).data["join_state"] == "not_member"
    with pytest.raises(_not_found(clients)):  # nothing pending any more
        alice.call("reject_chat_group_join_requests", group, user_ids=[C])
    assert alice.call("disable_chat_group_invite", group).data == {"disabled": True}
    with pytest.raises(_not_found(clients)):
        carol.call("get_chat_group_invite", group, TOKEN)
    with pytest.raises(_not_found(clients)):
        carol.call("create_chat_group_join_request", group, token=TOKEN)
    # Someone removed sees it as such.
    alice.call("enable_chat_group_invite", group, invite_url=chat_group_invite_url(group, TOKEN))
    alice.call("remove_chat_group_members", group, user_ids=[B])
    assert chat[B][0].call("get_chat_group_invite", group, TOKEN).data["join_state"] == "removed"


@pytest.mark.parametrize(
    "body",
    [
        {"invite_url": "https://x.com/i/chat/group_join/g1/Join_me-42"},  # another group
        {"invite_url": "https://example.com/Join_me-42"},
        {"validity_expiry_timestamp_msec": "1000"},  # in the past
        {"validity_duration_msec": "60000", "validity_expiry_timestamp_msec": "99999999999999"},
        {"decrypted_avatar_url": "http://insecure.example/a.png"},
        {"welcome_message": "x" * 1025},
        {"colour": "blue"},
        {"action_signatures": []},  # signed, without the link
    ],
)
def test_a_bad_invite_body_is_a_400(chat, body):
    group, alice = chat["group"], chat[A][0]
    with pytest.raises(tweepy.BadRequest):
        alice.call(
            "request", "POST", f"/2/chat/conversations/{group}/invite", json=body, user_auth=True
        )
    assert (
        "invite"
        not in alice.call("get_chat_conversation", group, chat_conversation_fields=["invite"]).data
    )


def test_without_a_link_the_emulator_makes_one_of_xs_form(chat):
    # X leaves the link to the client; the emulator makes one when none is given.
    group, alice, carol = chat["group"], chat[A][0], chat[C][0]
    enabled = alice.call("enable_chat_group_invite", group).data
    assert enabled["invite_url"] == chat_group_invite_url(group, enabled["token"])
    assert "expires_at" not in enabled  # a link without expiry never expires
    preview = carol.call("get_chat_group_invite", group, enabled["token"]).data
    assert preview["join_state"] == "not_member"
