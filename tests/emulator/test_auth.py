"""Authentication: real OAuth 1.0a verification, user and app-only bearer tokens."""

from __future__ import annotations

import pytest
import requests
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256
from requests_oauthlib import OAuth1

from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, assert_problem

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
