"""Authentication: real OAuth 1.0a verification, user and app-only bearer tokens."""

from __future__ import annotations

import time

import pytest
import requests
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256
from requests_oauthlib import OAuth1

from tests.conftest import requires_async
from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, FakeClock, assert_problem
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._auth import TIMESTAMP_WINDOW, NonceCache

DM_ENDPOINTS = [
    ("GET", "/2/dm_events"),
    ("GET", "/2/dm_events/1585800613253812228"),
    ("DELETE", "/2/dm_events/1585800613253812228"),
    ("GET", f"/2/dm_conversations/with/{BOB}/dm_events"),
    ("GET", f"/2/dm_conversations/{ALICE_BOB}/dm_events"),
    ("POST", f"/2/dm_conversations/with/{BOB}/messages"),
    ("POST", f"/2/dm_conversations/{ALICE_BOB}/messages"),
    ("POST", "/2/dm_conversations"),
    ("GET", "/2/dm_conversations/media/1/2/abc"),
    ("POST", f"/2/users/{BOB}/dm/block"),
    ("POST", f"/2/users/{BOB}/dm/unblock"),
    ("POST", "/2/media/upload"),
    ("POST", "/2/media/upload/initialize"),
    ("POST", "/2/media/upload/1/append"),
    ("POST", "/2/media/upload/1/finalize"),
    ("GET", "/2/media/upload"),
]


def _oauth1(credentials, **changes):
    keys = {
        "client_key": credentials["consumer_key"],
        "client_secret": credentials["consumer_secret"],
        "resource_owner_key": credentials["access_token"],
        "resource_owner_secret": credentials["access_token_secret"],
        **changes,
    }
    return OAuth1(**keys)


def test_oauth1_signature_with_query_is_accepted(users):
    alice = users[0]
    alice.send(BOB, "signed")
    params = {"max_results": "5", "dm_event.fields": "sender_id,created_at"}
    body = alice.events(**params)
    assert body["data"][0]["sender_id"] == ALICE


def test_hmac_sha256_is_accepted(users):
    alice = users[0]
    auth = _oauth1(alice.credentials, signature_method=SIGNATURE_HMAC_SHA256)
    assert alice.get("/2/dm_events", auth=auth).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"client_secret": "wrong"},
        {"resource_owner_secret": "wrong"},
        {"client_key": "unknown-consumer-key"},
        {"resource_owner_key": "1-unknown-token"},
    ],
)
def test_wrong_oauth1_credentials_are_401(users, change):
    alice = users[0]
    body = assert_problem(alice.get("/2/dm_events", auth=_oauth1(alice.credentials, **change)), 401)
    assert body["title"] == "Unauthorized"


def test_signature_must_cover_the_sent_query(users):
    alice = users[0]
    request = requests.Request("GET", alice.url + "/2/dm_events?max_results=5", auth=alice.oauth1)
    prepared = alice.session.prepare_request(request)
    prepared.url = prepared.url.replace("max_results=5", "max_results=6")
    assert alice.session.send(prepared).status_code == 401


def test_missing_or_malformed_authorization_is_401(users):
    alice = users[0]
    assert_problem(requests.get(alice.url + "/2/dm_events"), 401)
    for header in ("Basic abc", "OAuth garbage", "Bearer not-a-token", "Bearer "):
        response = requests.get(alice.url + "/2/dm_events", headers={"Authorization": header})
        assert_problem(response, 401)


def test_user_bearer_token_acts_as_its_user(users):
    alice, bob, _ = users
    sent = bob.send(ALICE, "from bob's OAuth 2.0 token", bearer=True)
    body = alice.events(**{"dm_event.fields": "sender_id"})
    assert body["data"][0] == {
        "id": sent["dm_event_id"],
        "event_type": "MessageCreate",
        "text": "from bob's OAuth 2.0 token",
        "sender_id": BOB,
    }


@pytest.mark.parametrize(("method", "path"), DM_ENDPOINTS)
def test_app_only_token_is_refused_everywhere(emulator, users, method, path):
    headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    response = requests.request(method, emulator.url + path, headers=headers, json={})
    body = assert_problem(response, 403)
    assert body["type"].endswith("/unsupported-authentication")


def test_credentials_shape_and_idempotent_add_user(emulator):
    credentials = emulator.add_user(42, "answer", "Answer")
    assert set(credentials) == {
        "consumer_key",
        "consumer_secret",
        "access_token",
        "access_token_secret",
        "bearer_token",
    }
    assert credentials["access_token"].startswith("42-")
    assert emulator.add_user("42", "renamed", "Renamed") == credentials
    assert emulator.credentials(42) == credentials
    with pytest.raises(KeyError):
        emulator.credentials(43)
    with pytest.raises(ValueError, match="user id"):
        emulator.add_user("x1", "bad", "Bad")


def test_form_body_is_part_of_the_signature(users):
    alice = users[0]
    # Signed with the form parameters: authenticated, then refused as a body.
    response = alice.post("/2/media/upload", data={"media_category": "dm_image"})
    assert_problem(response, 400)
    request = requests.Request(
        "POST",
        alice.url + "/2/media/upload",
        data={"media_category": "dm_image"},
        auth=alice.oauth1,
    )
    prepared = alice.session.prepare_request(request)
    prepared.body = "media_category=dm_video"
    prepared.headers["Content-Length"] = str(len(prepared.body))
    assert_problem(alice.session.send(prepared), 401)


# OAuth 1.0a replay protection, as X enforces it


def _signed_get(alice, path="/2/dm_events", **oauth):
    auth = _oauth1(alice.credentials, **oauth) if oauth else alice.oauth1
    request = requests.Request("GET", alice.url + path, auth=auth)
    return alice.session.prepare_request(request)


def test_a_replayed_request_is_401(users):
    alice = users[0]
    prepared = _signed_get(alice)
    assert alice.session.send(prepared).status_code == 200
    body = assert_problem(alice.session.send(prepared), 401)
    assert body == {"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank",
                    "status": 401}  # fmt: skip


def test_a_signer_that_reuses_its_nonce_is_refused_the_second_time(users):
    alice, bob, _ = users
    auth = _oauth1(alice.credentials, nonce="always-the-same")
    assert alice.get("/2/dm_events", auth=auth).status_code == 200
    # Another request, another signature, the same nonce: still a replay for X.
    assert_problem(alice.get("/2/dm_events", params={"max_results": 7}, auth=auth), 401)
    # Nonces are per user: bob's signer may pick the same one.
    assert bob.get("/2/dm_events", auth=_oauth1(bob.credentials, nonce="always-the-same")).ok


def test_a_bad_signature_does_not_use_up_the_nonce(users):
    alice = users[0]
    wrong = _oauth1(alice.credentials, client_secret="wrong", nonce="n1")
    assert_problem(alice.get("/2/dm_events", auth=wrong), 401)
    assert alice.get("/2/dm_events", auth=_oauth1(alice.credentials, nonce="n1")).ok


@pytest.mark.parametrize(("offset", "status"), [(-301, 401), (301, 401), (-290, 200), (290, 200)])
def test_timestamp_must_be_within_five_minutes_of_the_wall_clock(users, clock, offset, status):
    # The emulator's fake clock is years behind (START): clients sign with the
    # real time, and so the window is measured on the real time.
    assert abs(clock() - time.time()) > 10 * 24 * 3600
    alice = users[0]
    auth = _oauth1(alice.credentials, timestamp=str(int(time.time()) + offset))
    response = alice.get("/2/dm_events", auth=auth)
    assert response.status_code == status, response.text
    if status == 401:
        assert_problem(response, 401)


@pytest.mark.parametrize("timestamp", ["", "abc", "\u0661\u0667\u0660\u0660000000", "-1", "1e9"])
def test_malformed_timestamp_is_401(users, timestamp):
    alice = users[0]
    auth = _oauth1(alice.credentials, timestamp=timestamp)
    assert_problem(alice.get("/2/dm_events", auth=auth), 401)


def test_nonce_memory_forgets_what_the_window_refuses_anyway():
    clock = FakeClock(1_800_000_000.0)
    cache = NonceCache(clock=clock)
    stamp = str(int(clock()))
    assert all(cache.accept("ck", "tok", stamp, f"n{i}") for i in range(1000))
    assert not cache.accept("ck", "tok", stamp, "n5")
    assert len(cache) == 1000
    clock.advance(TIMESTAMP_WINDOW + 1)
    fresh = str(int(clock()))
    assert cache.accept("ck", "tok", fresh, "n5")  # forgotten, and this one is current
    assert len(cache) == 1
    assert not cache.accept("ck", "tok", stamp, "n6")  # the old timestamp is refused


class _FakeSleeps:
    """Sleeps that move the emulator's clock instead of waiting."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def time(self) -> float:
        return time.time()


@pytest.fixture
def limited():
    # Rate-limit windows on a fake clock that starts now, so that the reset
    # tweepy reads from the 429 is in the future and it sleeps (fakely).
    clock = FakeClock(time.time())
    with DMEmulator(clock=clock, rate_limits={"GET /2/dm_events": (1, 900)}) as emulator:
        yield emulator, clock


def test_sync_client_retry_after_429_signs_afresh(limited, monkeypatch):
    import tweepy.client

    import tweepy_dm

    emulator, clock = limited
    sleeps = _FakeSleeps(clock)
    monkeypatch.setattr(tweepy.client, "time", sleeps)
    credentials = emulator.add_user(ALICE, "alice", "Alice")
    client = tweepy_dm.Client(api_url=emulator.url, wait_on_rate_limit=True, **credentials)
    client.get_dm_events()
    # Refused after authentication (the nonce is spent), slept, retried: a
    # retry with the same nonce would be refused with 401.
    assert client.get_dm_events().data is None
    assert len(sleeps.slept) == 1


@requires_async
def test_async_client_retry_after_429_signs_afresh(limited, monkeypatch):
    import asyncio

    import tweepy_dm
    from tweepy_dm import _async_client

    emulator, clock = limited
    sleeps = _FakeSleeps(clock)

    class _Asyncio:
        def __getattr__(self, name):
            return getattr(asyncio, name)

        sleep = staticmethod(sleeps.async_sleep)

    monkeypatch.setattr(_async_client, "asyncio", _Asyncio())
    credentials = emulator.add_user(ALICE, "alice", "Alice")

    async def main():
        async with tweepy_dm.AsyncClient(
            api_url=emulator.url, wait_on_rate_limit=True, **credentials
        ) as client:
            await client.get_dm_events()
            return await client.get_dm_events()

    assert asyncio.run(main()).data is None
    assert len(sleeps.slept) == 1


@pytest.mark.parametrize("host", ["[::1", "x:y:z", "[", "::::", "x:99999999999", "h:-1"])
def test_a_host_header_that_is_no_url_is_401_not_500(users, host):
    alice = users[0]
    prepared = _signed_get(alice)
    prepared.headers["Host"] = host
    assert_problem(alice.session.send(prepared), 401)


def test_a_form_body_that_does_not_parse_is_401_not_500(users):
    alice = users[0]
    request = requests.Request(
        "POST",
        alice.url + "/2/media/upload",
        data={"media_category": "dm_image"},
        auth=alice.oauth1,
    )
    prepared = alice.session.prepare_request(request)
    # Bytes, so that every urllib3 sends the same ones (1.x encodes a str as Latin-1).
    prepared.body = "media_category=dm_image&\x00\x01=\u00ff".encode()
    prepared.headers["Content-Length"] = str(len(prepared.body))
    assert_problem(alice.session.send(prepared), 401)
