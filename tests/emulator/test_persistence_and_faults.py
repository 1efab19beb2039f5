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
