"""A chat event's decrypted DM: its fields and the event's, as reading its JSON gives them."""

from __future__ import annotations

import datetime
import pickle

import pytest

from tests.helpers import chat_received
from tests.xchat import require_chatxdk

require_chatxdk()

import tweepy_dm  # noqa: E402 (after the check above)
from tweepy_dm import _xchat_dm, xchat  # noqa: E402

A, B = 1111, 2222
FIELDS = (
    "id",
    "event_type",
    "text",
    "sender_id",
    "dm_conversation_id",
    "created_at",
    "attachments",
    "message_id",
)


@pytest.fixture
def sent_and_bob(dm_emulator):
    clients, blobs = {}, {}
    for user, name in ((A, "alice"), (B, "bob")):
        credentials = dm_emulator.add_user(user, name, name.title())
        blobs[user] = xchat.XChat.generate_keys()
        clients[user] = tweepy_dm.Client(**credentials, api_url=dm_emulator.url)
        xchat.XChat(clients[user], key_blob=blobs[user], user_id=user).register_keys()
    alice = xchat.XChat(clients[A], key_blob=blobs[A], user_id=A)
    sent = alice.send(B, "on time")
    bob = tweepy_dm.Client(
        **dm_emulator.credentials(B), api_url=dm_emulator.url, xchat_key=blobs[B], xchat_user_id=B
    )
    (key_change,) = (
        clients[A].get_chat_conversation_events("1111-2222").meta["conversation_key_events"]
    )
    return sent, key_change, bob


def test_the_dm_and_the_event_hold_what_reading_the_dms_json_gives(sent_and_bob):
    sent, key_change, bob = sent_and_bob
    event = tweepy_dm.ActivityEvent(chat_received(sent, key_change))
    assert _xchat_dm.receivers(bob).decrypt(event) == (f"xchat:{B}:{sent.id}",)
    message = event.direct_message
    fresh = tweepy_dm.DirectMessageEvent(dict(message.data))  # every field read from the JSON
    for name in FIELDS:
        assert getattr(message, name) == getattr(fresh, name), name
    assert type(message.sender_id) is int
    assert message.created_at.tzinfo is not None
    assert (event.sender_id, event.dm_conversation_id, event.created_at) == (
        fresh.sender_id,
        fresh.dm_conversation_id,
        fresh.created_at,
    )
    copy = pickle.loads(pickle.dumps(message))
    assert [getattr(copy, name) for name in FIELDS] == [getattr(fresh, name) for name in FIELDS]


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2026, 1, 2, 3, 4, 5, 678999, tzinfo=datetime.timezone.utc),
        datetime.datetime(
            2026, 1, 2, 5, 4, 5, 678000, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
    ],
)
def test_a_time_finer_than_milliseconds_or_not_in_utc_is_the_one_x_json_gives(when):
    message = xchat.ChatMessage(
        id="m",
        sequence_id=7,
        conversation_id="1111-2222",
        sender_id=A,
        created_at=when,
        text="t",
        attachments=[],
        reply_to=None,
        verified=True,
        encoded_event="",
    )
    event = tweepy_dm.ActivityEvent(chat_received(message))
    _xchat_dm._attach(event, message)
    (direct,) = event._direct_messages
    fresh = tweepy_dm.DirectMessageEvent(dict(direct.data))
    assert direct.data["created_at"].endswith("Z")
    assert direct.created_at == event.created_at == fresh.created_at
    assert direct.created_at.utcoffset() == datetime.timedelta(0)
