"""A chat event decrypted by the receivers: its DM fields all set, its DM's time as X writes it."""

from __future__ import annotations

import datetime

import pytest

from tests.xchat import require_chatxdk

require_chatxdk()

import tweepy_dm  # noqa: E402 (after the check above)
from tweepy_dm import _activity, _xchat_dm, xchat  # noqa: E402

A, B = 1111, 2222


class _Message:
    """The fields of an xchat.ChatMessage that event_data reads."""

    def __init__(self, created_at):
        self.id, self.sequence_id, self.sender_id = "m1", 7, A
        self.conversation_id, self.text, self.attachments = "1111-2222", "hi", []
        self.created_at = created_at


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2026, 1, 2, 3, 4, 5, 678_999, tzinfo=datetime.timezone.utc),
        datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        datetime.datetime(1970, 1, 1, 0, 0, 0, 999, tzinfo=datetime.timezone.utc),
        datetime.datetime(
            2026, 1, 2, 1, 4, 5, 1_000, tzinfo=datetime.timezone(datetime.timedelta(hours=-2))
        ),
    ],
)
def test_created_at_is_utc_with_milliseconds_cut_not_rounded(when):
    data = _xchat_dm.event_data(_Message(when))
    utc = when.astimezone(datetime.timezone.utc)
    expected = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    assert data["created_at"] == expected
    parsed = tweepy_dm.DirectMessageEvent(data).created_at
    assert parsed == utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def test_a_decrypted_chat_event_has_every_dm_field_set_and_none_read_later(dm_emulator):
    blobs = {user: xchat.XChat.generate_keys() for user in (A, B)}
    credentials = {}
    for user, name in ((A, "alice"), (B, "bob")):
        credentials[user] = dm_emulator.add_user(user, name, name.title())
        client = tweepy_dm.Client(**credentials[user], api_url=dm_emulator.url)
        xchat.XChat(client, key_blob=blobs[user], user_id=user).register_keys()
    alice = xchat.XChat(
        tweepy_dm.Client(**credentials[A], api_url=dm_emulator.url), key_blob=blobs[A], user_id=A
    )
    sent = alice.send(B, "hello")
    page = alice.client.get_chat_conversation_events("1111-2222")
    key_change = page.meta["conversation_key_events"][-1]
    bob = tweepy_dm.Client(**credentials[B], api_url=dm_emulator.url, xchat_key=blobs[B])
    receivers = _xchat_dm.receivers(bob)
    for uuid in ("u1", "u2"):  # the second with the performer kept from the first
        event = tweepy_dm.ActivityEvent(
            {
                "event_type": "chat.received",
                "event_uuid": uuid,
                "filter": {"user_id": str(B)},
                "payload": {
                    "encoded_event": sent.encoded_event,
                    "conversation_id": "1111:2222",
                    "conversation_key_change_event": key_change,
                },
            }
        )
        assert receivers.decrypt(event) == (_xchat_dm.message_key(B, sent.id),)
        # Set, not left for ActivityEvent to read from a legacy payload (which would
        # overwrite the message's fields with a DM payload's, here none).
        values = {name: object.__getattribute__(event, name) for name in _activity._DERIVED}
        assert values == {
            "_messages": [],
            "sender_id": A,
            "recipient_id": None,
            "last_read_event_id": None,
            "dm_conversation_id": "1111-2222",
            "created_at": event.direct_message.created_at,
        }
        assert event.direct_message.text == "hello"
        assert event.direct_message.created_at is not None


def test_oauth1_is_used_only_when_the_client_holds_both_consumer_key_and_access_token():
    both = tweepy_dm.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    assert _xchat_dm._user_auth(both) is True
    assert _xchat_dm._user_auth(tweepy_dm.Client(bearer_token="b", consumer_key="ck")) is False
    assert _xchat_dm._user_auth(tweepy_dm.Client(bearer_token="b")) is False
