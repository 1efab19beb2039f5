"""SQLite persistence across a restart, and injected faults."""

from __future__ import annotations

import pytest
import requests

from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, PNG, Api, assert_problem
from tweepy_dm.emulator import DMEmulator


def test_state_survives_a_restart(tmp_path, clock):
    path = tmp_path / "dm.sqlite"
    with DMEmulator(db=path, clock=clock) as first:
        credentials = first.add_user(ALICE, "alice", "Alice")
        first.add_user(BOB, "bob", "Bob")
        alice, bob = Api(first.url, credentials, ALICE), Api(first.url, first.credentials(BOB), BOB)
        sent = alice.send(BOB, "before restart")
        group = (
            first.create_group(ALICE, [BOB, "145336962"])
            if first.add_user(145336962, "c", "C")
            else None
        )
        media = alice.upload(PNG, "dm_image")
        bob.post(f"/2/users/{ALICE}/dm/block")
        app_token = first.app_bearer_token
    with DMEmulator(db=str(path), clock=clock) as second:
        assert second.app_bearer_token == app_token
        assert second.credentials(ALICE) == credentials
        alice = Api(second.url, credentials, ALICE)  # the old keys still sign
        body = alice.events(f"/2/dm_conversations/{ALICE_BOB}/dm_events")
        assert body["data"][0]["id"] == sent["dm_event_id"]
        assert alice.events(f"/2/dm_conversations/{group}/dm_events")["meta"]["result_count"] == 3
        assert_problem(
            alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "x"}), 403
        )
        response = alice.post(
            f"/2/dm_conversations/{group}/messages",
            json={"text": "after", "attachments": [{"media_id": media["id"]}]},
        )
        assert response.status_code == 201, response.text
        # Ids keep increasing across the restart, even with the clock standing still.
        assert int(response.json()["data"]["dm_event_id"]) > int(sent["dm_event_id"])


def test_fault_for_the_next_requests(users, emulator):
    alice = users[0]
    emulator.inject_fault(503, count=2)
    assert emulator.pending_faults == 2
    assert [alice.get("/2/dm_events").status_code for _ in range(3)] == [503, 503, 200]
    assert emulator.pending_faults == 0


def test_fault_for_one_path_and_method(users, emulator):
    alice = users[0]
    emulator.inject_fault(500, path="/2/dm_conversations/*/messages", method="post")
    assert alice.get("/2/dm_events").status_code == 200
    assert alice.send(BOB)  # with/<id>/messages: two segments, no match
    response = alice.post(f"/2/dm_conversations/{ALICE_BOB}/messages", json={"text": "x"})
    assert_problem(response, 500)
    assert (
        alice.post(f"/2/dm_conversations/{ALICE_BOB}/messages", json={"text": "x"}).status_code
        == 201
    )


def test_injected_429_looks_like_a_spent_window(users, emulator, clock):
    emulator.inject_fault(429, headers={"retry-after": "1"})
    response = users[0].get("/2/dm_events")
    assert_problem(response, 429)
    assert response.headers["x-rate-limit-remaining"] == "0"
    assert response.headers["x-rate-limit-reset"] == str(int(clock.now))
    assert response.headers["retry-after"] == "1"


def test_dropped_connection_then_recovery(users, emulator):
    alice = users[0]
    emulator.inject_fault(drop=True)
    with pytest.raises(requests.ConnectionError):
        alice.get("/2/dm_events")
    assert alice.get("/2/dm_events").status_code == 200


def test_clear_faults(users, emulator):
    emulator.inject_fault(503, count=5)
    emulator.clear_faults()
    assert emulator.pending_faults == 0
    assert users[0].get("/2/dm_events").status_code == 200


def test_subscriptions_and_webhooks_survive_a_restart(tmp_path, clock):
    import tweepy_dm
    from tests.webhook_receivers import serve_wsgi
    from tweepy_dm.webhooks import wsgi_app

    path = tmp_path / "dm.sqlite"
    with DMEmulator(db=path, clock=clock) as first:
        first.add_user(ALICE, "alice", "Alice")
        first.add_user(BOB, "bob", "Bob")
        secret = first.credentials(ALICE)["consumer_secret"]
        app = tweepy_dm.Client(api_url=first.url, bearer_token=first.app_bearer_token)
        with serve_wsgi(wsgi_app(secret, lambda event: None)) as base:
            webhook = app.create_webhook(base + "/webhooks/x").data
            alice = tweepy_dm.Client(api_url=first.url, **first.credentials(ALICE))
            bob = tweepy_dm.Client(api_url=first.url, **first.credentials(BOB))
            alice.create_account_activity_subscription(webhook["id"])
            bob.create_account_activity_subscription(webhook["id"])
        # DM events are private: each user's own OAuth 2.0 token subscribes.
        alice_oauth2, bob_oauth2 = (
            tweepy_dm.Client(
                api_url=first.url, bearer_token=first.credentials(user)["bearer_token"]
            )
            for user in (ALICE, BOB)
        )
        kept = alice_oauth2.create_activity_subscription(
            event_type="dm.received", user_id=ALICE, tag="kept"
        ).data
        gone = bob_oauth2.create_activity_subscription(event_type="dm.received", user_id=BOB).data
        app.update_activity_subscription(kept["subscription_id"], tag="renamed")
        app.delete_activity_subscription(gone["subscription_id"])
        first.webhooks.invalidate(int(webhook["id"]))
    with DMEmulator(db=str(path), clock=clock) as second:
        app = tweepy_dm.Client(api_url=second.url, bearer_token=second.app_bearer_token)
        (stored,) = app.get_webhooks().data
        assert (stored["id"], stored["url"], stored["valid"]) == (
            webhook["id"],
            webhook["url"],
            False,
        )
        subscribers = app.get_account_activity_subscriptions(webhook["id"]).data
        assert [item["user_id"] for item in subscribers["subscriptions"]] == [
            str(ALICE),
            str(BOB),
        ]
        (subscription,) = app.get_activity_subscriptions().data
        assert subscription.id == int(kept["subscription_id"])
        assert subscription.tag == "renamed"
        # A deleted subscription's id is never handed out again.
        bob_oauth2 = tweepy_dm.Client(
            api_url=second.url, bearer_token=second.credentials(BOB)["bearer_token"]
        )
        again = bob_oauth2.create_activity_subscription(event_type="dm.received", user_id=BOB).data
        assert int(again["subscription_id"]) > int(gone["subscription_id"])
