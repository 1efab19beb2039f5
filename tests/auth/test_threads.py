"""Threads sharing one credential, or one store through several, refresh once per lifetime."""

from __future__ import annotations

import threading

import pytest

import tweepy_dm
from tests.auth.test_oauth2_user_token import login
from tweepy_dm import auth


@pytest.mark.parametrize("store", [None, "file"])
def test_threads_at_expiry_spend_the_refresh_token_once(emulator, clock, tmp_path, store):
    emulator.add_user(1, "alice", "Alice")
    emulator.add_user(2, "bob", "Bob")
    path = str(tmp_path / "tokens.json") if store else None
    first = login(emulator, clock, store=path)
    tokens = [first] + [
        auth.OAuth2UserToken.from_store(
            path,
            client_id=emulator.oauth2_client_id,
            client_secret=emulator.oauth2_client_secret,
            clock=clock,
        )
        for _ in range(3 if path else 0)
    ]
    clients = [tweepy_dm.Client(bearer_token=t, api_url=emulator.url) for t in tokens]
    clock.advance(7200)
    errors = []
    start = threading.Barrier(8)

    def work(client):
        start.wait()
        try:
            client.get_dm_events(user_auth=False)
        except Exception as error:  # reported below, with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=work, args=(clients[i % len(clients)],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert emulator.oauth2_stats["refreshes"] == 1
    assert emulator.oauth2_stats["refresh_token_reuse"] == 0
    assert len({token.access_token for token in tokens}) == 1
