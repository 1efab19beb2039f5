"""Disappearing messages, invite links and encrypted group info through ``XChat``.

Every test runs for XChat and AsyncXChat (the ``clients`` fixture), on the
emulator's fake clock.
"""

from __future__ import annotations

import datetime

import pytest
import tweepy

from tests.xchat.conftest import ALICE, BOB, CAROL, DAVE


def _texts(person, conversation):
    return [message.text for message in person.get_messages(conversation)]


def test_a_message_sent_with_a_ttl_disappears_for_everyone_after_it(xchat_people, clock):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    alice.send(BOB, "stays")
    sent = alice.send(BOB, "gone in a minute", ttl=datetime.timedelta(minutes=1))
    assert sent.ttl_msec == 60_000
    (read, _) = bob.get_messages(ALICE)
    assert (read.text, read.ttl_msec) == ("gone in a minute", 60_000)
    assert read == sent
    clock.advance(61)
    assert _texts(bob, ALICE) == _texts(alice, BOB) == ["stays"]


def test_conversation_ttl_expires_new_messages_until_cleared(xchat_people, clock):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    alice.send(BOB, "before")
    assert bob.set_message_ttl(ALICE, 5_000) is None
    conversation = alice.caller.call(
        "get_chat_conversation", BOB, chat_conversation_fields=["message_ttl_ms"]
    )
    assert conversation.data.message_ttl_ms == 5_000
    alice.send(BOB, "fleeting")
    assert _texts(bob, ALICE) == ["fleeting", "before"]
    clock.advance(6)
    assert _texts(bob, ALICE) == ["before"]
    alice.clear_message_ttl(BOB)
    alice.send(BOB, "lasting")
    clock.advance(3600)
    assert _texts(bob, ALICE) == ["lasting", "before"]


def test_bad_ttls_are_refused_before_anything_is_sent(xchat_people):
    alice = xchat_people[ALICE]
    with pytest.raises(ValueError, match="at least 1 millisecond"):
        alice.send(BOB, "x", ttl=0)
    with pytest.raises(TypeError, match="timedelta or int milliseconds"):
        alice.send(BOB, "x", ttl="60s")
    with pytest.raises(TypeError, match="timedelta or int milliseconds"):
        alice.set_message_ttl(BOB, 1.5)
    with pytest.raises(tweepy.NotFound):  # nothing was sent: no conversation, no key
        xchat_people[BOB].get_messages(ALICE)


def test_an_invite_link_is_made_as_x_documents_previewed_joined_and_approved(xchat_people, clock):
    alice, dave = xchat_people[ALICE], xchat_people[DAVE]
    group = alice.create_group([BOB])
    invite = alice.enable_invite(
        group, expires_in=datetime.timedelta(hours=1), welcome_message="hi!"
    )
    assert invite.url == f"https://x.com/i/chat/group_join/{group}/{invite.token}"
    assert len(invite.token) == 10
    assert invite.expires_at is not None
    assert alice.enable_invite(group).token != invite.token  # a fresh token each time
    invite = alice.enable_invite(group, expires_in=3_600_000, welcome_message="hi!")
    preview = dave.get_invite(invite.url)
    assert (preview.conversation_id, preview.join_state, preview.member_count) == (
        group,
        "not_member",
        2,
    )
    assert preview.welcome_message == "hi!"
    dave.join(invite.url)
    assert dave.get_invite(invite.url).join_state == "requested"
    alice.add_members(group, [DAVE])  # X's way to approve a join request
    assert dave.get_invite(invite.url).join_state == "member"
    alice.send(group, "welcome, dave")
    assert _texts(dave, group) == ["welcome, dave"]
    clock.advance(3601)
    with pytest.raises(tweepy.HTTPException):
        xchat_people[CAROL].get_invite(invite.url)


def test_a_disabled_link_stops_working_and_join_requests_can_be_rejected(xchat_people):
    alice, carol, dave = xchat_people[ALICE], xchat_people[CAROL], xchat_people[DAVE]
    group = alice.create_group([BOB])
    invite = alice.enable_invite(group)
    assert invite.expires_at is None
    carol.join(invite.url)
    alice.reject_join_requests(group, [CAROL])
    assert carol.get_invite(invite.url).join_state == "not_member"
    alice.disable_invite(group)
    with pytest.raises(tweepy.HTTPException):
        dave.get_invite(invite.url)
    with pytest.raises(tweepy.HTTPException):
        dave.join(invite.url)


def test_invite_input_is_checked_before_anything_is_sent(xchat_people):
    alice = xchat_people[ALICE]
    group = alice.create_group([BOB])
    with pytest.raises(ValueError, match="invite_url must be a group invite link"):
        alice.get_invite(f"https://x.com/i/chat/group_join/{group}/short")
    with pytest.raises(ValueError, match="invite_url must be a group invite link"):
        alice.join("https://example.com/")
    with pytest.raises(ValueError, match="g… id"):
        alice.enable_invite(BOB)
    with pytest.raises(TypeError, match="welcome_message must be a non-empty str"):
        alice.enable_invite(group, welcome_message="")


def test_group_info_is_encrypted_with_the_conversation_key_and_read_back(xchat_people):
    alice, bob, carol = xchat_people[ALICE], xchat_people[BOB], xchat_people[CAROL]
    group = alice.create_group([BOB, CAROL])
    alice.update_group(group, name="Trip", description="Lisbon, May")
    bob.update_group(group, avatar_url="https://example.com/lisbon.png")
    stored = alice.caller.call(
        "get_chat_conversation", group, chat_conversation_fields=["group_name"]
    )
    assert "Trip" not in str(stored.data.group_name)  # X never sees it in clear
    info = carol.get_group_info(group)
    assert (info.name, info.description, info.avatar_url, info.failed) == (
        "Trip",
        "Lisbon, May",
        "https://example.com/lisbon.png",
        (),
    )
    # After a removal rotates the key, updates use the new key and still read back.
    alice.remove_members(group, [CAROL])
    bob.update_group(group, name="Trip (no carol)")
    assert alice.get_group_info(group).name == "Trip (no carol)"
    with pytest.raises(ValueError, match="one or more of name"):
        alice.update_group(group)
