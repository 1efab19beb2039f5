"""The XChat routes' rate limits: X publishes none, the emulator assumes the legacy DM ones.

The assumption is one fact, ``_facts.CHAT_RATE_LIMITS``; the emulator sends it
as headers, enforces it with ``rate_limits=True`` and takes a mapping for
those routes as for the others.
"""

from __future__ import annotations

import pytest

from tests.chat_keys import ChatKeys
from tests.emulator.conftest import ALICE, BOB, START, Api, assert_problem
from tweepy_dm import _facts
from tweepy_dm.emulator import X_RATE_LIMITS, DMEmulator
from tweepy_dm.emulator._chat_routes import ROWS as CHAT_ROUTES


def _users(emulator):
    return [
        Api(emulator.url, emulator.add_user(user_id, name, name), user_id)
        for user_id, name in ((ALICE, "alice"), (BOB, "bob"))
    ]


def test_every_chat_route_has_the_assumed_limit_of_the_legacy_route_it_replaces():
    assert set(_facts.CHAT_RATE_LIMITS) == {route.endpoint for route in CHAT_ROUTES}
    assert all(_facts.CHAT_RATE_LIMITS[route] for route in _facts.CHAT_ROUTES)
    legacy = _facts.RATE_LIMITS
    chat = _facts.CHAT_RATE_LIMITS
    assert chat["GET /2/chat/conversations/{id}/events"] == legacy["GET /2/dm_events"]
    assert (
        chat["POST /2/chat/conversations/{id}/messages"]
        == legacy["POST /2/dm_conversations/with/{participant_id}/messages"]
    )
    assert (
        chat["POST /2/chat/conversations/{id}/messages/delete"]
        == legacy["DELETE /2/dm_events/{event_id}"]
    )
    assert chat["GET /2/users/public_keys"] == legacy["GET /2/users"]
    for route, windows in chat.items():
        assert X_RATE_LIMITS[route] == windows == legacy[route]


def test_chat_answers_carry_the_assumed_limits_even_when_not_enforced(emulator, users):
    alice = users[0]
    for _ in range(20):
        response = alice.get("/2/chat/conversations")
        assert response.status_code == 200, response.text
        assert response.headers["x-rate-limit-limit"] == "15"
        assert response.headers["x-rate-limit-remaining"] == "15"
    keys = alice.get(f"/2/users/{BOB}/public_keys")
    assert keys.headers["x-rate-limit-limit"] == "900"


def test_rate_limits_true_enforces_them(clock):
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        alice, bob = _users(emulator)
        for expected in range(14, -1, -1):
            response = alice.get("/2/chat/conversations")
            assert response.status_code == 200
            assert response.headers["x-rate-limit-remaining"] == str(expected)
            assert response.headers["x-rate-limit-reset"] == str(int(START + 900))
        assert_problem(alice.get("/2/chat/conversations"), 429)
        # Per user and per route, as X's own.
        assert bob.get("/2/chat/conversations").status_code == 200
        assert alice.get(f"/2/users/{BOB}/public_keys").status_code == 200
        clock.advance(900)
        assert alice.get("/2/chat/conversations").status_code == 200


def test_sends_have_the_daily_window_too(clock):
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        alice, bob = _users(emulator)
        keys = {user.id: ChatKeys(user.id) for user in (alice, bob)}
        for user in (alice, bob):
            registration = {"public_key": keys[user.id].registration(), "version": "1"}
            keys[user.id].version = "1"
            assert user.post(f"/2/users/{user.id}/public_keys", json=registration).ok
        low, high = sorted((int(ALICE), int(BOB)))
        path = f"/2/chat/conversations/{low}-{high}"
        change = keys[ALICE].key_change("100", keys[ALICE], keys[BOB])
        assert alice.post(f"{path}/keys", json=change).status_code == 200
        for _ in range(15):
            body = keys[ALICE].message(f"{low}:{high}", "100")
            assert alice.post(f"{path}/messages", json=body).status_code == 201
        refused = alice.post(f"{path}/messages", json=keys[ALICE].message(f"{low}:{high}", "100"))
        assert_problem(refused, 429)
        assert refused.headers["x-user-limit-24hour-limit"] == "1440"
        assert refused.headers["x-user-limit-24hour-remaining"] == "1425"


def test_a_mapping_sets_a_chat_routes_limit_as_for_any_other(clock):
    limits = {"GET /2/chat/conversations": (2, 60)}
    with DMEmulator(clock=clock, rate_limits=limits) as emulator:
        alice, _ = _users(emulator)
        statuses = [alice.get("/2/chat/conversations").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        # Routes not in the mapping are not enforced.
        assert alice.get("/2/chat/conversations/1/events").status_code != 429
    with pytest.raises(ValueError, match="unknown endpoint"):
        DMEmulator(rate_limits={"GET /2/chat/nope": (1, 1)})
