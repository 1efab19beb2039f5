"""What ``XChat.send`` asks X: one POST in the steady state; a stale key costs one retry.

The emulator's requests are recorded (method, path, status) by wrapping its
app's ``handle``. Every test runs for XChat and AsyncXChat.
"""

from __future__ import annotations

import pytest
import tweepy

from tests.xchat.conftest import ALICE, BOB, CAROL
from tweepy_dm import _facts
from tweepy_dm.emulator._routes import App


@pytest.fixture
def served(monkeypatch):
    """The emulator's answers from now on: (method, path, status), in order."""
    log = []
    handle = App.handle

    def recording(self, request):
        response = handle(self, request)
        log.append((request.method, request.path, response.status))
        return response

    monkeypatch.setattr(App, "handle", recording)
    return log


def test_a_steady_state_send_is_one_post(xchat_people, served):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    alice.send(BOB, "first")  # starts the conversation: its key is made here
    bob.get_messages(ALICE)
    served.clear()
    alice.send(BOB, "second")
    bob.send(ALICE, "a reply")
    conversation = f"{min(ALICE, BOB)}-{max(ALICE, BOB)}"
    path = f"/2/chat/conversations/{conversation}/messages"
    assert [(method, path) for method, path, _ in served] == [("POST", path)] * 2
    assert all(status < 300 for _, _, status in served)
    assert [message.text for message in alice.get_messages(BOB)][:2] == ["a reply", "second"]


def test_a_send_with_a_key_rotated_since_is_refused_then_sent_once_more(xchat_people, served):
    alice = xchat_people[ALICE]
    bob = xchat_people[BOB]
    group = alice.create_group([BOB, CAROL], name="plans")
    bob.send(group, "before")  # Bob holds the key of the group's creation
    held = set(bob.chat._session.keys[group])
    alice.remove_members(group, [CAROL])  # Alice rotates the key; Bob has not read since
    served.clear()
    bob.send(group, "after")
    status, _ = _facts.STALE_CONVERSATION_KEY
    messages = f"/2/chat/conversations/{group}/messages"
    assert [(method, path) for method, path, _ in served] == [
        ("POST", messages),
        ("GET", f"/2/chat/conversations/{group}/events"),
        ("POST", messages),
    ]
    assert served[0][2] == status
    assert served[2][2] in (200, 201)
    assert set(bob.chat._session.keys[group]) - held  # the rotated key, learned on refusal
    (read, *_) = alice.get_messages(group)
    assert (read.text, read.verified) == ("after", True)
    served.clear()
    bob.send(group, "and again")  # the new key is held now: one POST
    assert [(method, path) for method, path, _ in served] == [("POST", messages)]


def test_the_emulator_refuses_a_stale_key_with_the_assumed_answer(xchat_people, xchat):
    xchat_status = xchat._status
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    group = alice.create_group([BOB, CAROL], name="plans")
    bob.send(group, "before")
    alice.remove_members(group, [CAROL])
    session = bob.chat._session
    old = min(session.keys[group], key=int)
    payload = session.chat.encrypt_message(
        group, "stale", conversation_key=session.keys[group][old], conversation_key_version=old
    )
    status, _ = _facts.STALE_CONVERSATION_KEY
    with pytest.raises(tweepy.HTTPException) as raised:
        bob.caller.call(
            "send_chat_message",
            group,
            message_id=payload.message_id,
            encoded_message_create_event=payload.encrypted_content,
            encoded_message_event_signature=payload.encoded_event_signature,
        )
    assert xchat_status(raised.value) == status
    assert f"conversation key version {old}" in str(raised.value)  # names what was stale
    assert [message.text for message in alice.get_messages(group)] == ["before"]
