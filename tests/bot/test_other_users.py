"""A bot handles DMs to its own users only, not those of other users of the same app."""

from __future__ import annotations

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.bot.test_runtime import make_bot
from tweepy_dm.webhooks import parse_webhook


def _account_activity(for_user, sender, recipient, event_id="9001"):
    return {
        "for_user_id": for_user,
        "direct_message_events": [
            {
                "type": "message_create",
                "id": event_id,
                "created_timestamp": "1700000000000",
                "message_create": {
                    "target": {"recipient_id": recipient},
                    "sender_id": sender,
                    "message_data": {"text": "private"},
                },
            }
        ],
    }


def _stream_event(for_user, sender, recipient, event_id="9002"):
    item = _account_activity(for_user, sender, recipient, event_id)["direct_message_events"][0]
    return {
        "data": {
            "event_type": "dm.received",
            "filter": {"user_id": for_user},
            "payload": {"direct_message_events": [item]},
        }
    }


@pytest.mark.parametrize("build", [_account_activity, _stream_event])
def test_a_dm_between_other_users_of_the_app_is_not_the_bots(tmp_path, users, clock, build):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)
    events = parse_webhook(build(BOB_ID, ALICE_ID, BOB_ID))
    assert bot.ingest(events, source="webhook") == 0
    assert bot.status()["inbox"] == {}
    bot.close()


@pytest.mark.parametrize("build", [_account_activity, _stream_event])
def test_a_dm_to_the_bot_is_still_the_bots(tmp_path, users, clock, build):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)
    assert bot.ingest(parse_webhook(build(BOT_ID, ALICE_ID, BOT_ID)), source="webhook") == 1
    # Another user of the app writing to the bot: the bot's, seen from the sender's side.
    assert bot.ingest(parse_webhook(build(BOB_ID, BOB_ID, BOT_ID, "9100")), source="webhook") == 1
    assert bot.status()["inbox"] == {"pending": 2}
    bot.close()
