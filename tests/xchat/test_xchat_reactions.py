"""Reactions and edits through ``XChat``: made by chatxdk's producers, read back decrypted.

Every test runs for XChat and AsyncXChat (the ``clients`` fixture).
"""

from __future__ import annotations

import pytest

from tests.xchat.conftest import ALICE, BOB, CAROL


def test_reactions_are_sent_encrypted_and_folded_into_the_message(xchat_people, xchat):
    alice, bob, carol = xchat_people[ALICE], xchat_people[BOB], xchat_people[CAROL]
    group = alice.create_group([BOB, CAROL])
    hello = alice.send(group, "hello")
    reaction = bob.react(hello, "👍")
    assert reaction.action == xchat.ChatAction("reaction", hello.sequence_id, "👍", None)
    assert reaction.verified
    assert reaction.sender_id == int(BOB)
    carol.react(hello, "👍")
    carol.react(hello, "🎉")
    carol.remove_reaction(hello, "👍")
    (read,) = alice.get_messages(group)
    assert read.text == "hello"
    assert dict(read.reactions) == {"👍": (int(BOB),), "🎉": (int(CAROL),)}
    assert read.edited_text is None
    listed = alice.get_messages(group)
    assert [action.action.kind for action in listed.actions] == [
        "reaction_removed",
        "reaction",
        "reaction",
        "reaction",
    ]
    assert listed.failed == []
    # The reaction's content is encrypted: X's copy shows no emoji.
    events = alice.caller.call("get_chat_conversation_events", group)
    assert all("👍" not in str(event.data) for event in events.data)


def test_an_edit_changes_the_text_read_back_and_only_the_sender_edits(xchat_people):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    first = alice.send(BOB, "see you at 5")
    alice.send(BOB, "bring snacks")
    edit = alice.edit(first, "see you at 6")
    assert (edit.action.kind, edit.action.text) == ("edit", "see you at 6")
    alice.edit(first, "see you at 7")
    newest, oldest = bob.get_messages(ALICE)
    assert (oldest.text, oldest.edited_text) == ("see you at 5", "see you at 7")
    assert (newest.text, newest.edited_text) == ("bring snacks", None)
    with pytest.raises(ValueError, match="only the sender edits a message"):
        bob.edit(first, "see you never")
    # An edit signed by someone else (sent without our check) changes nothing.
    session = bob.chat._session
    key = session.keys[f"{ALICE}:{BOB}"]
    version = max(key, key=int)
    forged = session.chat.encrypt_edit(
        first.encoded_event,
        "forged",
        conversation_key=key[version],
        conversation_key_version=version,
    )
    bob.caller.call(
        "send_chat_message",
        first.conversation_id,
        message_id=forged.message_id,
        encoded_message_create_event=forged.encrypted_content,
        encoded_message_event_signature=forged.encoded_event_signature,
    )
    read = alice.get_messages(BOB)
    assert read[-1].edited_text == "see you at 7"
    assert len(read.actions) == 3


def test_limit_counts_messages_not_reactions(xchat_people):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    one = alice.send(BOB, "one")
    two = alice.send(BOB, "two")
    bob.react(one, "❤️")
    bob.react(two, "😂")
    (read,) = alice.get_messages(BOB, limit=1)
    assert (read.text, dict(read.reactions)) == ("two", {"😂": (int(BOB),)})


def test_reaction_and_edit_input_is_checked_before_anything_is_sent(xchat_people):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    hello = alice.send(BOB, "hello")
    with pytest.raises(TypeError, match="emoji must be a non-empty str"):
        bob.react(hello, "")
    with pytest.raises(TypeError, match="message must be a ChatMessage"):
        bob.react("1900000000000000002", "👍")
    reaction = bob.react(hello, "👍")
    with pytest.raises(TypeError, match="not a reaction or an edit"):
        alice.react(reaction, "👍")
    with pytest.raises(TypeError, match="text must be a non-empty str"):
        alice.edit(hello, "")
    assert len(alice.get_messages(BOB).actions) == 1


def test_a_message_request_keeps_reactions_apart_from_its_messages(xchat_people):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    bob.caller.call("update_chat_settings", allow_dms_from="following")
    hi = alice.send(BOB, "hi, we met at the conference")
    alice.react(hi, "👋")
    (request,) = bob.get_message_requests()
    assert [message.text for message in request.messages] == ["hi, we met at the conference"]
    assert dict(request.preview.reactions) == {"👋": (int(ALICE),)}
    assert [action.action.kind for action in request.messages.actions] == ["reaction"]
