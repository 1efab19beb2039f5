"""Removing members, leaving and admins through ``XChat``, and the key that rotates after.

Every test runs for XChat and AsyncXChat (the ``clients`` fixture), against the emulator.
"""

from __future__ import annotations

import pytest
import tweepy

from tests.xchat.conftest import ALICE, BOB, CAROL, DAVE


def _key_version(person, message):
    """The conversation key version a stored message was encrypted with (via the reader)."""
    session = person.chat._session
    return session.chat.decrypt_event(
        message.encoded_event,
        None,
        signing_keys=session._signing_keys([str(message.sender_id)]),
    )["key_version"]


def _group(people, *others):
    alice = people[ALICE]
    group = alice.create_group(list(others), name="plans")
    return alice, group


def test_after_a_removal_the_next_send_of_another_member_uses_the_rotated_key(xchat_people):
    alice, group = _group(xchat_people, BOB, CAROL)
    bob, carol = xchat_people[BOB], xchat_people[CAROL]
    bob.send(group, "before")  # Bob now holds the key of the group's creation
    old = dict(bob.chat._session.keys[group])
    alice.remove_members(group, [CAROL])
    after = bob.send(group, "after carol left")
    (read, *_) = alice.get_messages(group)
    assert read.text == "after carol left"
    assert read.verified
    new = _key_version(alice, read)
    assert new not in old
    # Carol's keys no longer open what is said in the group.
    with pytest.raises(ValueError):  # noqa: PT011 (the SDK's message is its own)
        carol.chat._session.chat.decrypt_event(
            after.encoded_event, old, signing_keys=bob.chat._session._signing_keys([BOB])
        )


def test_a_key_learned_from_reading_is_used_for_the_next_send(xchat_people):
    alice, group = _group(xchat_people, BOB, CAROL)
    bob = xchat_people[BOB]
    bob.send(group, "hello")
    alice.remove_members(group, [CAROL])
    alice.send(group, "carol is out")
    assert [message.text for message in bob.get_messages(group)][:1] == ["carol is out"]
    newest = max(alice.chat._session.keys[group], key=int)
    assert newest in bob.chat._session.keys[group]


def test_removed_members_leave_the_roster_and_cannot_read_on(xchat_people):
    alice, group = _group(xchat_people, BOB, CAROL)
    carol = xchat_people[CAROL]
    alice.send(group, "welcome")
    alice.remove_members(group, [CAROL])
    alice.send(group, "secret plans")
    members = alice.caller.call("get_chat_conversation", group, expansions=["member_ids"])
    assert sorted(str(user) for user in members.data.member_ids) == [ALICE, BOB]
    assert [message.text for message in carol.get_messages(group)] == ["welcome"]


def test_leaving_keeps_the_conversation_for_the_one_who_left(xchat_people):
    alice, group = _group(xchat_people, BOB, CAROL)
    bob = xchat_people[BOB]
    alice.send(group, "hi all")
    assert bob.leave(group) is None
    alice.send(group, "bob left")
    assert [message.text for message in bob.get_messages(group)] == ["hi all"]
    with pytest.raises(tweepy.HTTPException):
        bob.send(group, "still here?")


def test_only_admins_remove_others_and_admins_are_made_and_unmade(xchat_people):
    alice, group = _group(xchat_people, BOB, CAROL, DAVE)
    bob = xchat_people[BOB]
    with pytest.raises(tweepy.Forbidden):
        bob.remove_members(group, [CAROL])
    alice.add_admins(group, [BOB])
    bob.remove_members(group, [CAROL])
    answer = alice.caller.call("get_chat_conversation", group, expansions=["admin_ids"])
    assert sorted(str(user) for user in answer.data.admin_ids) == [ALICE, BOB]
    alice.remove_admins(group, [BOB])
    answer = alice.caller.call(
        "get_chat_conversation", group, expansions=["admin_ids", "member_ids"]
    )
    assert [str(user) for user in answer.data.admin_ids] == [ALICE]
    assert BOB in [str(user) for user in answer.data.member_ids]  # removed admins stay
    with pytest.raises(tweepy.Forbidden):
        bob.remove_members(group, [DAVE])
    bob.send(group, "bob's key is current")
    assert alice.get_messages(group)[0].text == "bob's key is current"


def test_bad_input_is_refused_before_anything_is_sent(xchat_people):
    alice, group = _group(xchat_people, BOB)
    with pytest.raises(ValueError, match="g… id"):
        alice.remove_members(f"{ALICE}-{BOB}", [BOB])
    with pytest.raises(ValueError, match="names no user"):
        alice.remove_members(group, [])
    with pytest.raises(ValueError, match="leave"):
        alice.remove_members(group, [ALICE])
    with pytest.raises(ValueError, match="names no user"):
        alice.add_admins(group, [])
    with pytest.raises(ValueError, match="user_ids must be 1 to 19 digits"):
        alice.add_admins(group, ["not a user"])
    assert alice.get_messages(group) == []
