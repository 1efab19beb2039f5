"""Both clients wait out 429s through one policy (_policy.retrying): the same waits, the
same warning, and no limit on how many 429s in a row."""

from __future__ import annotations

import time

import tweepy

from tweepy_dm.emulator import DMEmulator


def test_both_clients_wait_and_warn_alike(clients, monkeypatch, caplog):
    from tweepy_dm import _async_client

    slept = []

    async def async_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(tweepy.client.time, "sleep", slept.append)
    monkeypatch.setattr(_async_client, "_sleep", async_sleep)
    with DMEmulator() as emulator:
        credentials = emulator.add_user(1, "alice", "Alice")
        reset = int(time.time()) + 5
        emulator.inject_fault(429, count=2, headers={"x-rate-limit-reset": str(reset)})
        client = clients.make(
            credentials=credentials, api_url=emulator.url, wait_on_rate_limit=True
        )
        with caplog.at_level("WARNING"):
            assert client.call("get_dm_events").meta == {"result_count": 0}
    assert len(slept) == 2
    assert all(4 <= seconds <= 7 for seconds in slept)
    warnings = [(r.name, r.getMessage()) for r in caplog.records]
    assert [name for name, _ in warnings] == ["tweepy_dm.client"] * 2
    assert all(message.startswith("Rate limit exceeded. Sleeping for") for _, message in warnings)


def test_the_sync_client_waits_out_any_number_of_429s(monkeypatch):
    import sys

    import tweepy_dm

    monkeypatch.setattr(tweepy.client.time, "sleep", lambda seconds: None)
    # A run of 429s overflowed the sync client's recursion once longer than the stack:
    # a smaller stack makes a shorter run show it.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        with DMEmulator() as emulator:
            credentials = emulator.add_user(1, "alice", "Alice")
            emulator.inject_fault(429, count=400)
            client = tweepy_dm.Client(api_url=emulator.url, wait_on_rate_limit=True, **credentials)
            assert client.get_dm_events().meta == {"result_count": 0}
            assert emulator.pending_faults == 0
    finally:
        sys.setrecursionlimit(limit)
