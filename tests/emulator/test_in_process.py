"""Talking to the emulator without a socket: the in-process transport, webhook receivers, shutdown."""

from __future__ import annotations

import json
import threading

import pytest
import requests
import tweepy

import tweepy_dm
from tweepy_dm.emulator import DMEmulator, EmulatorUser
from tweepy_dm.emulator._in_process import connect_in_process
from tweepy_dm.emulator._server import Server
from tweepy_dm.emulator._webhooks import sign

ALICE, BOB = "750362064426721281", "1072250532645998596"


@pytest.fixture
def emulator():
    with DMEmulator() as emulator:
        # Counts the connections its socket accepts: in process, there are none.
        server, accept = emulator._server, emulator._server.process_request
        server.accepted = 0

        def counted(*args):
            server.accepted += 1
            return accept(*args)

        server.process_request = counted
        yield emulator


def in_process(client, emulator):
    connect_in_process(emulator, client.session)
    return client


def connections(emulator):
    """How many connections the emulator's socket has accepted (its handler threads' count)."""
    return emulator._server.accepted


def test_a_client_in_process_gets_the_servers_answers_without_a_connection(emulator):
    alice = EmulatorUser.register(emulator, ALICE, "alice", "Alice")
    bob = EmulatorUser.register(emulator, BOB, "bob", "Bob")
    client = in_process(alice.client(), emulator)
    sent = client.create_dm(participant_id=bob.id, text="Hello")
    events = in_process(bob.client(), emulator).get_dm_events().data
    assert [event.text for event in events] == ["Hello"]
    assert str(events[0].id) == str(sent.data["dm_event_id"])
    assert connections(emulator) == 0
    # The same answers as over the socket, rate-limit headers included.
    over_socket = bob.client().get_dm_events()
    assert [event.text for event in over_socket.data] == ["Hello"]
    assert connections(emulator) == 1


def test_a_wrong_signature_is_refused_in_process_as_over_the_socket(emulator):
    alice = EmulatorUser.register(emulator, ALICE, "alice", "Alice")
    EmulatorUser.register(emulator, BOB, "bob", "Bob")
    credentials = {**emulator.credentials(alice.id), "consumer_secret": "wrong"}
    client = in_process(tweepy_dm.Client(api_url=emulator.url, **credentials), emulator)
    with pytest.raises(tweepy.Unauthorized):
        client.create_dm(participant_id=BOB, text="Hello")


def test_refusals_and_faults_in_process_are_the_servers(emulator):
    session = requests.Session()
    connect_in_process(emulator, session)
    bearer = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    unknown = session.request("BREW", f"{emulator.url}/2/dm_events", headers=bearer)
    assert unknown.status_code == 405
    assert "GET" in unknown.headers["Allow"]
    too_large = session.post(f"{emulator.url}/2/dm_conversations", data=b"x" * (300 * 1024))
    assert too_large.status_code == 413
    assert "larger than" in too_large.json()["detail"]
    emulator.inject_fault(503, path="/2/webhooks")
    failed = session.get(f"{emulator.url}/2/webhooks", headers=bearer)
    assert failed.status_code == 503
    assert failed.json()["detail"] == "Injected by inject_fault()"
    emulator.inject_fault(drop=True, path="/2/webhooks")
    with pytest.raises(requests.ConnectionError, match="dropped the connection"):
        session.get(f"{emulator.url}/2/webhooks", headers=bearer)
    assert session.get(f"{emulator.url}/2/webhooks", headers=bearer).status_code == 200
    assert connections(emulator) == 0


def test_a_webhook_served_in_process_gets_its_crc_and_signed_events(emulator):
    alice = EmulatorUser.register(emulator, ALICE, "alice", "Alice")
    bob = EmulatorUser.register(emulator, BOB, "bob", "Bob")
    secret = emulator.credentials(ALICE)["consumer_secret"]  # the app's
    calls = []

    def receiver(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        calls.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"],
                      environ.get("HTTP_X_TWITTER_WEBHOOKS_SIGNATURE"), body))  # fmt: skip
        if environ["REQUEST_METHOD"] == "GET":
            token = environ["QUERY_STRING"].split("crc_token=", 1)[1]
            token = requests.utils.unquote(token)
            answer = json.dumps({"response_token": sign(secret, token.encode())}).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [answer]
        start_response("200 OK", [])
        return [b""]

    url = f"{emulator.url}/in-process/webhook"
    emulator.webhooks.serve_in_process(url, receiver)
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    webhook_id = app.create_webhook(url).data["id"]
    assert [call[:2] for call in calls] == [("GET", "/in-process/webhook")]
    subscribe(emulator, BOB, webhook_id)
    alice.client().create_dm(participant_id=bob.id, text="pushed")
    assert emulator.webhooks.wait_idle()
    method, path, _, signature, body = calls[-1]
    assert (method, path) == ("POST", "/in-process/webhook")
    assert signature == sign(secret, body)
    assert b"pushed" in body
    assert emulator.webhooks.deliveries(webhook_id)[-1].status == 200
    assert connections(emulator) == 3  # the clients' requests; none for the webhook


def subscribe(emulator, user_id, webhook_id):
    token = emulator.credentials(user_id)["bearer_token"]
    user = tweepy_dm.Client(api_url=emulator.url, bearer_token=token)
    user.create_activity_subscription(
        event_type="dm.received", user_id=user_id, webhook_id=webhook_id
    )


def test_a_failing_in_process_receiver_answers_500_and_is_retried(emulator):
    failures = []

    def receiver(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and not failures:
            failures.append(1)
            raise RuntimeError("the receiver broke")
        token = requests.utils.unquote(environ["QUERY_STRING"].partition("crc_token=")[2])
        secret = emulator.credentials(ALICE)["consumer_secret"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"response_token": sign(secret, token.encode())}).encode()]

    emulator.webhooks.retry_delays = (0.0,)
    alice = EmulatorUser.register(emulator, ALICE, "alice", "Alice")
    bob = EmulatorUser.register(emulator, BOB, "bob", "Bob")
    url = f"{emulator.url}/failing/webhook"
    emulator.webhooks.serve_in_process(url, receiver)
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    webhook_id = app.create_webhook(url).data["id"]
    subscribe(emulator, BOB, webhook_id)
    alice.client().create_dm(participant_id=bob.id, text="again")
    assert emulator.webhooks.wait_idle()
    statuses = [attempt.status for attempt in emulator.webhooks.deliveries(webhook_id)]
    assert statuses == [500, 200]


def test_shutdown_ends_the_servers_loop_at_once_not_at_its_next_poll():
    server = Server(("127.0.0.1", 0), lambda url: None)  # no app: no request is made
    loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 3600})
    loop.start()
    stopper = threading.Thread(target=server.shutdown)
    stopper.start()
    stopper.join(30)
    try:
        assert not stopper.is_alive(), "shutdown() waited for the poll interval (an hour)"
        loop.join(30)
        assert not loop.is_alive()
        # The wake-up byte was used up: a loop started again would not spin on it.
        with pytest.raises(BlockingIOError):
            server._wake_reader.recv(1)
        again = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 3600})
        again.start()
        server.shutdown()
        again.join(30)
        assert not again.is_alive()
    finally:
        server.server_close()
