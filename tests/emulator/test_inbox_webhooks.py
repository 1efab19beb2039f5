"""The inbox page's webhook deliveries: each POST with its status, attempt and event id."""

from __future__ import annotations

import requests

import tweepy_dm
from tests.emulator.conftest import ALICE, BOB
from tests.webhook_receivers import Gate, serve_wsgi
from tweepy_dm.webhooks import wsgi_app


def test_failed_deliveries_and_their_retries_are_shown_newest_first(emulator, users):
    hooks = emulator.webhooks
    hooks.retry_delays = (0.0, 0.0, 0.0)
    gate = Gate()
    received = []
    secret = emulator.credentials(ALICE)["consumer_secret"]
    with serve_wsgi(wsgi_app(secret, received.append), gate) as base:
        app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
        webhook_id = app.create_webhook(base + "/webhooks/x").data["id"]
        bob = tweepy_dm.Client(
            api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
        )
        bob.create_activity_subscription(
            event_type="dm.received", user_id=BOB, webhook_id=webhook_id
        )
        gate.fail_first = lambda body: True  # each new body fails once, then is taken
        alice = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(ALICE))
        alice.create_dm(participant_id=BOB, text="knock knock")
        assert hooks.wait_idle()

    answer = requests.get(emulator.url + "/_emulator/state", timeout=10)
    shown = answer.json()["deliveries"]
    assert [(item["attempt"], item["status"], item["delivered"]) for item in shown] == [
        (2, 200, True),
        (1, 503, False),
    ]
    assert {item["webhook_id"] for item in shown} == {str(webhook_id)}
    assert shown[0]["event_uuid"] == shown[1]["event_uuid"]
    assert shown[0]["kind"] == "activity"
    assert shown[0]["replay"] is False
    assert len(received) == 1
