"""Webhooks kept in the emulator's database get DMs after a restart, before any test or route
touches them: the webhook hub is built with the emulator, not on first use."""

from __future__ import annotations

import tweepy_dm
from tests.emulator.conftest import ALICE, BOB
from tests.webhook_receivers import serve_wsgi
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.webhooks import wsgi_app


def _as(emulator, user_id):
    return tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(user_id))


def test_a_webhook_kept_in_the_database_gets_dms_after_a_restart(tmp_path, clock):
    path = tmp_path / "emulator.db"
    received: list = []
    with DMEmulator(db=path, clock=clock) as first:
        secret = first.add_user(ALICE, "alice", "Alice")["consumer_secret"]
        first.add_user(BOB, "bob", "Bob")
        with serve_wsgi(wsgi_app(secret, received.append)) as base:
            app = tweepy_dm.Client(api_url=first.url, bearer_token=first.app_bearer_token)
            webhook_id = app.create_webhook(base + "/webhooks/x").data["id"]
            bob = tweepy_dm.Client(
                api_url=first.url, bearer_token=first.credentials(BOB)["bearer_token"]
            )
            bob.create_activity_subscription(
                event_type="dm.received", user_id=BOB, webhook_id=webhook_id
            )
            _as(first, BOB).create_account_activity_subscription(webhook_id)
            first.close()
            with DMEmulator(db=path, clock=clock) as second:
                sent = _as(second, ALICE).create_dm(participant_id=BOB, text="after").data
                hooks = second.webhooks
                assert hooks.wait_idle(timeout=10)
                posts = hooks.deliveries(webhook_id)
                assert sorted(post.kind for post in posts) == ["account_activity", "activity"]
                assert all(post.delivered for post in posts)
    # Both products' POSTs carry the one DM; the receiver hands it on once.
    assert [event.direct_message.id for event in received] == [int(sent["dm_event_id"])]
