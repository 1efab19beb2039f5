"""Webhooks in the emulator: /2/webhooks, the Account Activity API, CRC, signed POSTs, retries.

The receivers are real HTTP servers on 127.0.0.1 (tests/webhook_receivers.py)
running tweepy_dm.webhooks' receivers; the emulator's retries wait
``retry_delays`` real seconds, set to 0 here, and its periodic CRC follows
the fake clock.
"""

from __future__ import annotations

import contextlib
import datetime
import json

import pytest
import requests
import tweepy

import tweepy_dm
from tests.emulator.conftest import ALICE, BOB, CAROL, assert_problem
from tests.helpers import wait_until
from tests.webhook_receivers import Gate, serve_wsgi
from tweepy_dm.emulator._webhooks import CRC_GRACE, CRC_INTERVAL, sign
from tweepy_dm.webhooks import SIGNATURE_HEADER, verify_signature, wsgi_app


@pytest.fixture
def secret(emulator):
    return emulator.add_user(ALICE, "alice", "Alice")["consumer_secret"]


@pytest.fixture
def received():
    return []


@pytest.fixture
def gate():
    return Gate()


@pytest.fixture
def receiver(secret, received, gate):
    with serve_wsgi(wsgi_app(secret, received.append), gate) as base:
        yield base + "/webhooks/x"


@pytest.fixture
def hooks(emulator):
    hub = emulator.webhooks
    hub.retry_delays = (0.0, 0.0, 0.0)
    return hub


@contextlib.contextmanager
def _refused(status, text=""):
    """X's refusal with this status, saying ``text`` (tweepy before 4.10 raises the base class
    for some statuses and does not put a problem's detail in its message)."""
    with pytest.raises(tweepy.HTTPException) as caught:
        yield
    response = caught.value.response
    got = getattr(response, "status_code", None) or getattr(response, "status", None)
    assert got == status, caught.value
    body = response.text if isinstance(getattr(response, "text", None), str) else ""
    assert text in body or text in str(caught.value)


def _app(emulator):
    return tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)


def _as(emulator, user_id):
    return tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(user_id))


def test_webhooks_and_account_activity_through_both_clients(
    clients, emulator, users, receiver, gate, hooks
):
    as_app = clients.make(
        credentials={"bearer_token": emulator.app_bearer_token}, api_url=emulator.url
    )
    as_bob = clients.make(credentials=emulator.credentials(BOB), api_url=emulator.url)
    created = as_app.call("create_webhook", receiver).data
    assert created["url"] == receiver
    assert created["valid"] is True
    assert created["created_at"].endswith("Z")
    webhook_id = created["id"]
    assert len(gate.crc_requests()) == 1  # a real CRC GET at creation
    assert gate.crc_requests()[0].startswith("/webhooks/x?crc_token=")

    listed = as_app.call("get_webhooks")
    assert listed.data == [created]
    assert listed.meta == {"result_count": 1}
    assert as_app.call("validate_webhook", webhook_id).data == {"valid": True}
    assert len(gate.crc_requests()) == 2

    assert as_bob.call("get_account_activity_subscription", webhook_id).data == {
        "subscribed": False
    }
    assert as_bob.call("create_account_activity_subscription", webhook_id).data == {
        "subscribed": True
    }
    assert as_bob.call("get_account_activity_subscription", webhook_id).data == {"subscribed": True}
    listing = as_app.call("get_account_activity_subscriptions", webhook_id).data
    assert listing["webhook_id"] == webhook_id
    assert listing["webhook_url"] == receiver
    assert listing["subscriptions"] == [{"user_id": BOB}]
    count = as_app.call("get_account_activity_subscription_count").data
    assert count["subscriptions_count_all"] == "1"
    assert as_app.call("delete_account_activity_subscription", webhook_id, BOB).data == {
        "subscribed": False
    }
    with _refused(404):
        as_app.call("delete_account_activity_subscription", webhook_id, BOB)

    assert as_app.call("delete_webhook", webhook_id).data == {"deleted": True}
    assert as_app.call("get_webhooks").meta == {"result_count": 0}
    with _refused(404):
        as_app.call("validate_webhook", webhook_id)


def test_x_rules_for_webhook_urls_and_tokens(emulator, users, receiver, hooks):
    app_headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    for url, reason in (
        ("http://example.com/hook", "https://"),
        ("https://example.com:8443/hook", "port"),
        ("https://example.com/" + "x" * 200, "200"),
    ):
        answer = requests.post(f"{emulator.url}/2/webhooks", json={"url": url}, headers=app_headers)
        assert reason in json.dumps(assert_problem(answer, 400)), answer.text
    # A URL that does not answer the CRC is not registered.
    with _refused(400, "CrcValidationFailed"):
        _app(emulator).create_webhook("http://127.0.0.1:9/closed-port")
    assert _app(emulator).get_webhooks().meta == {"result_count": 0}
    # Webhooks take the app's token; a user's OAuth 2.0 token is refused.
    as_alice_oauth2 = tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(ALICE)["bearer_token"]
    )
    with _refused(403, "Application-Only"):
        as_alice_oauth2.get_webhooks()
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    # One webhook on the pay-per-use tier; the same URL twice is refused too.
    with _refused(403, "most its tier allows"):
        _app(emulator).create_webhook(receiver + "/other")
    # Subscribing acts as a user: the app's token cannot.
    with _refused(403, "User Context"):
        _app(emulator).create_account_activity_subscription(webhook_id, user_auth=False)
    with _refused(403, "Application-Only"):
        _as(emulator, BOB).get_account_activity_subscriptions(webhook_id, user_auth=True)
    with _refused(404):
        _as(emulator, BOB).create_account_activity_subscription("42")


def test_posts_are_signed_and_carry_both_products_shapes(
    emulator, users, receiver, received, secret, hooks
):
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    bob_oauth2 = tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
    )
    bob_oauth2.create_activity_subscription(
        event_type="dm.received", user_id=BOB, webhook_id=webhook_id, tag="hook"
    )
    _as(emulator, CAROL).create_account_activity_subscription(webhook_id)
    sent = _as(emulator, ALICE).create_dm(participant_id=BOB, text="to bob").data
    _as(emulator, ALICE).create_dm(participant_id=CAROL, text="to carol")
    emulator.typing(ALICE, emulator.conversation_id(ALICE, CAROL))
    emulator.mark_read(CAROL, emulator.conversation_id(ALICE, CAROL))
    assert hooks.wait_idle()
    posts = hooks.deliveries(webhook_id)
    assert [post.kind for post in posts] == ["activity"] + ["account_activity"] * 2
    assert all(post.delivered and post.attempt == 1 for post in posts)
    activity = posts[0].json()["data"]
    assert activity["event_type"] == "dm.received"
    assert activity["tag"] == "hook"
    assert activity["event_uuid"] == posts[0].event_uuid
    for post in posts:
        assert verify_signature(secret, post.body, sign(secret, post.body))
    # The receiver got them through its signature check, as events.
    kinds = [(event.event_type, event.user_id) for event in received]
    assert kinds == [
        ("dm.received", int(BOB)),
        ("dm.received", int(CAROL)),
        ("dm.indicate_typing", int(CAROL)),
    ]
    assert received[0].direct_message.id == int(sent["dm_event_id"])
    lookup = _as(emulator, BOB).get_dm_event(
        sent["dm_event_id"],
        dm_event_fields=["id", "text", "sender_id", "dm_conversation_id", "created_at"],
    )
    assert received[0].direct_message == lookup.data
    assert received[0].direct_message.created_at == lookup.data.created_at
    # Carol read the conversation: the receipt is for Alice, who is not subscribed.
    assert not [event for event in received if event.event_type == "dm.read"]


def test_retries_send_the_same_event_uuid_until_the_receiver_takes_it(
    emulator, users, receiver, received, gate, hooks
):
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
    ).create_activity_subscription(event_type="dm.received", user_id=BOB, webhook_id=webhook_id)
    gate.down = True
    _as(emulator, ALICE).create_dm(participant_id=BOB, text="lost, then replayed")
    assert hooks.wait_idle()
    failed = hooks.deliveries(webhook_id)
    assert [post.attempt for post in failed] == [1, 2, 3, 4]  # the first try and 3 retries
    assert [post.status for post in failed] == [503] * 4
    assert len({post.event_uuid for post in failed}) == 1
    assert received == []

    gate.down = False
    gate.fail_first = lambda body: True  # each new body fails once
    _as(emulator, ALICE).create_dm(participant_id=BOB, text="second")
    assert hooks.wait_idle()
    second = hooks.deliveries(webhook_id)[4:]
    assert [(post.attempt, post.status) for post in second] == [(1, 503), (2, 200)]
    assert second[0].event_uuid == second[1].event_uuid
    assert [event.direct_message.text for event in received] == ["second"]


def test_a_webhook_failing_crc_is_invalid_and_sent_nothing_until_a_put_passes(
    emulator, clock, users, receiver, received, gate, hooks
):
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    _as(emulator, BOB).create_account_activity_subscription(webhook_id)
    gate.wrong_crc = True
    clock.now += CRC_INTERVAL - 1
    assert hooks.check_due() == 0  # not due yet on the emulator's clock
    clock.now += 1
    hooks.check_due()  # the delivery thread may have run this very check already
    assert _app(emulator).get_webhooks().data[0]["valid"] is False
    _as(emulator, ALICE).create_dm(participant_id=BOB, text="while invalid")
    assert hooks.wait_idle()
    held = hooks.deliveries(webhook_id)
    assert [(post.status, post.attempt) for post in held] == [(None, 1)]
    assert "invalid" in held[0].error
    assert received == []
    assert _app(emulator).validate_webhook(webhook_id).data == {"valid": False}

    gate.wrong_crc = False
    assert _app(emulator).validate_webhook(webhook_id).data == {"valid": True}
    _as(emulator, ALICE).create_dm(participant_id=BOB, text="valid again")
    assert hooks.wait_idle()
    assert [event.direct_message.text for event in received] == ["valid again"]


def test_transient_crc_failures_keep_a_webhook_valid_for_xs_grace_period(
    emulator, clock, users, receiver, gate, hooks
):
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    # The receiver answers every request, CRC included, with 503: a transient failure.
    gate.down = True
    original = gate.answer

    def unavailable(method, target, body):
        if method == "GET":
            gate.requests.append((method, target, body))
            return 503, b""
        return original(method, target, body)

    gate.answer = unavailable
    clock.now += CRC_INTERVAL
    hooks.check_due()
    assert _app(emulator).get_webhooks().data[0]["valid"] is True  # transient: still valid
    clock.now += CRC_GRACE
    hooks.check_due()
    assert _app(emulator).get_webhooks().data[0]["valid"] is False
    assert webhook_id


def test_replay_resends_the_window_with_the_same_event_uuid(
    emulator, clock, users, receiver, received, gate, hooks
):
    webhook_id = _app(emulator).create_webhook(receiver).data["id"]
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
    ).create_activity_subscription(event_type="dm.received", user_id=BOB, webhook_id=webhook_id)
    start = clock.now
    gate.down = True
    for index in range(3):
        _as(emulator, ALICE).create_dm(participant_id=BOB, text=f"missed {index}")
        clock.now += 1
    assert hooks.wait_idle()
    assert received == []
    gate.down = False
    clock.now += 600
    job = (
        _app(emulator)
        .replay_webhook_events(
            webhook_id,
            from_date=tweepy_dm_time(start - 60),
            to_date=tweepy_dm_time(clock.now),
        )
        .data
    )
    assert job["job_id"]
    assert hooks.wait_idle()
    messages = [event.direct_message.text for event in received if event.direct_message]
    assert sorted(messages) == [
        "missed 0",
        "missed 1",
        "missed 2",
    ]
    # The job's end is announced with X's replay_job_status message.
    assert [event.event_type for event in received if not event.direct_message] == [
        "replay_job_status"
    ]
    replayed = [post for post in hooks.deliveries(webhook_id) if post.replay]
    first_tries = [post for post in hooks.deliveries(webhook_id) if not post.replay]
    uuids = {post.event_uuid for post in first_tries}
    assert {post.event_uuid for post in replayed if post.kind == "activity"} == uuids
    status = [post.json() for post in replayed if post.kind == "replay_job_status"]
    assert status[0]["replay_job_status"]["job_id"] == job["job_id"]
    assert status[0]["replay_job_status"]["job_state"] == "Complete"
    # X's window rules, checked by the emulator on its own clock.
    app_headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    old = {"webhook_id": webhook_id, "from_date": "202001010000", "to_date": "202001010100"}
    answer = requests.post(f"{emulator.url}/2/webhooks/replay", json=old, headers=app_headers)
    assert "older than 24 hours" in assert_problem(answer, 400)["errors"][0]["message"]


def tweepy_dm_time(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


def test_forged_posts_are_refused_by_the_receiver(
    emulator, users, receiver, received, secret, hooks
):
    # What the emulator signs, tweepy_dm.webhooks accepts; anything else it refuses.
    body = json.dumps({"for_user_id": BOB, "direct_message_events": []}).encode()
    good = requests.post(receiver, data=body, headers={SIGNATURE_HEADER: sign(secret, body)})
    assert good.status_code == 200
    forged = requests.post(
        receiver, data=body, headers={SIGNATURE_HEADER: sign("not the secret", body)}
    )
    assert forged.status_code == 403
    assert requests.post(receiver, data=body).status_code == 403


def test_the_delivery_thread_runs_the_hourly_crc_on_the_emulators_clock(
    emulator, clock, users, receiver, gate, hooks
):
    _app(emulator).create_webhook(receiver)
    assert len(gate.crc_requests()) == 1
    gate.wrong_crc = True
    clock.now += CRC_INTERVAL  # no check_due(): the background thread notices by itself
    wait_until(
        lambda: not _app(emulator).get_webhooks().data[0]["valid"],
        timeout=30,
        what="the hourly CRC",
    )
    assert len(gate.crc_requests()) >= 2


def test_webhook_config_fields_and_malformed_requests(emulator, users, receiver, hooks):
    _app(emulator).create_webhook(receiver)
    headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    only_url = requests.get(
        f"{emulator.url}/2/webhooks", params={"webhook_config.fields": "url"}, headers=headers
    ).json()
    assert [sorted(item) for item in only_url["data"]] == [["id", "url"]]
    bad_field = requests.get(
        f"{emulator.url}/2/webhooks", params={"webhook_config.fields": "secret"}, headers=headers
    )
    assert_problem(bad_field, 400)
    for body in (b"not json", b"[]", b'{"url": 5}', b'{"url": "https://a.example/x", "x": 1}'):
        answer = requests.post(f"{emulator.url}/2/webhooks", data=body, headers=headers)
        assert_problem(answer, 400)
    for body in (
        {"webhook_id": "x", "from_date": "202601010000", "to_date": "202601010100"},
        {"webhook_id": "1", "from_date": "2026-01-01", "to_date": "202601010100"},
        {"webhook_id": "1", "from_date": "202613010000", "to_date": "202601010100"},
        {"webhook_id": "1"},
    ):
        answer = requests.post(f"{emulator.url}/2/webhooks/replay", json=body, headers=headers)
        assert_problem(answer, 400)
    missing = requests.put(f"{emulator.url}/2/webhooks/77", headers=headers)
    assert_problem(missing, 404)
