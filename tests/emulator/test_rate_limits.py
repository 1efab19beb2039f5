"""Rate limits on the emulator's clock."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import ALICE, BOB, START, Api, FakeClock, assert_problem
from tweepy_dm import _facts
from tweepy_dm._facts import RATE_LIMITS
from tweepy_dm.emulator import X_RATE_LIMITS, DMEmulator
from tweepy_dm.emulator._routes import ROUTES


@pytest.fixture
def limited(clock):
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        yield emulator


def _users(emulator):
    return [
        Api(emulator.url, emulator.add_user(i, n, n), i)
        for i, n in ((ALICE, "alice"), (BOB, "bob"))
    ]


def test_x_lookup_limit_then_reset(limited, clock):
    alice, bob = _users(limited)
    for expected in range(14, -1, -1):
        response = alice.get("/2/dm_events")
        assert response.status_code == 200
        assert response.headers["x-rate-limit-limit"] == "15"
        assert response.headers["x-rate-limit-remaining"] == str(expected)
        assert response.headers["x-rate-limit-reset"] == str(int(START + 900))
    refused = alice.get("/2/dm_events")
    body = assert_problem(refused, 429)
    assert body["title"] == "Too Many Requests"
    assert refused.headers["x-rate-limit-remaining"] == "0"
    # Per user and per endpoint.
    assert bob.get("/2/dm_events").status_code == 200
    assert alice.get(f"/2/dm_conversations/with/{BOB}/dm_events").status_code == 200
    clock.advance(899)
    assert alice.get("/2/dm_events").status_code == 429
    clock.advance(1)
    response = alice.get("/2/dm_events")
    assert response.status_code == 200
    assert response.headers["x-rate-limit-remaining"] == "14"
    assert response.headers["x-rate-limit-reset"] == str(int(START + 1800))


def test_creates_also_have_a_daily_window(limited, clock):
    alice, _ = _users(limited)
    for _ in range(15):
        assert alice.send(BOB)
    response = alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "x"})
    assert response.status_code == 429
    assert response.headers["x-user-limit-24hour-limit"] == "1440"
    assert response.headers["x-user-limit-24hour-remaining"] == "1425"
    assert response.headers["x-user-limit-24hour-reset"] == str(int(START + 86400))
    clock.advance(900)
    assert alice.send(BOB)


def test_custom_limits_and_default(clock):
    limits = {"*": (2, 60), "POST /2/users/{id}/dm/block": [(1, 10), (3, 100)]}
    with DMEmulator(clock=clock, rate_limits=limits) as emulator:
        alice, _ = _users(emulator)
        assert [alice.get("/2/dm_events").status_code for _ in range(3)] == [200, 200, 429]
        assert alice.post(f"/2/users/{BOB}/dm/block").status_code == 200
        assert alice.post(f"/2/users/{BOB}/dm/block").status_code == 429
        clock.advance(10)
        response = alice.post(f"/2/users/{BOB}/dm/block")
        assert response.status_code == 200
        assert response.headers["x-user-limit-100s-remaining"] == "1"
        clock.advance(50)
        assert alice.get("/2/dm_events").status_code == 200
        emulator.reset_rate_limits()
        assert alice.get("/2/dm_events").headers["x-rate-limit-remaining"] == "1"


def test_rate_limits_off_never_refuse_but_send_headers(emulator, users):
    alice = users[0]
    for _ in range(20):
        response = alice.get("/2/dm_events")
        assert response.status_code == 200
        assert response.headers["x-rate-limit-limit"] == "15"
        assert response.headers["x-rate-limit-remaining"] == "15"


def test_refused_requests_get_headers_too(limited):
    alice, _ = _users(limited)
    response = alice.get("/2/dm_events", auth=None, headers={"Authorization": "Bearer nope"})
    assert_problem(response, 401)


def test_the_table_covers_every_endpoint():
    # Every route the emulator serves has X's limit, and no other endpoint does
    # (16 DM and media endpoints, the five user lookups, the five Activity API
    # subscription routes and the stream, the five webhook and five Account
    # Activity routes). X publishes no limit for XChat's routes:
    # _facts.CHAT_RATE_LIMITS is the emulator's assumption. Nor for OAuth 2.0's or
    # /2/bots' routes, which the emulator leaves unlimited.
    unlimited = {route for route in ROUTES if "/2/oauth2/" in route or "/2/bots" in route}
    assert set(X_RATE_LIMITS) == set(ROUTES) - unlimited
    assert set(_facts.CHAT_ROUTES) <= set(ROUTES)
    assert len(X_RATE_LIMITS) == 16 + 5 + 6 + 10 + 18 + 5 + 6 + 9 + 5 + 1
    assert all(X_RATE_LIMITS[route] == RATE_LIMITS[route] for route in X_RATE_LIMITS)
    assert X_RATE_LIMITS["POST /2/dm_conversations"] == ((15, 900), (1440, 86400))
    assert FakeClock()() == START
