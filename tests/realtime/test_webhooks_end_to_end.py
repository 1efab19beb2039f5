"""Webhooks end to end, against the emulator over real sockets, behind WSGI and ASGI.

A webhook registered at a local receiver (tweepy_dm.webhooks' wsgi_app under
wsgiref, and its asgi_app under a small asyncio server; the same handler code
for both) passes the CRC, then receives every DM of its Activity API and
Account Activity subscriptions exactly once: through 503s that make the
emulator retry, a handler that fails once, downtime that exhausts the retries
and the replay that follows. Forged requests and real bodies with a wrong
signature are refused and reach no handler. Under the ``servers``
marker (``tox -e webhooks``) the same runs with asgi_app under uvicorn and
wsgi_app under waitress. Retries wait 0 s
(``retry_delays``); the replay window follows a fake clock.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import threading
import zlib

import pytest
import requests

import tweepy_dm
from tests.helpers import FakeClock
from tests.webhook_receivers import Gate, gated_asgi, gated_wsgi, serve_asgi, serve_wsgi
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.webhooks import SIGNATURE_HEADER, asgi_app, crc_response, wsgi_app

ALICE, BOB, CAROL = 1001, 1002, 1003
START = 1_790_000_000.0  # 2026-09-21, on the emulator's fake clock


def _utc(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Handler:
    """The application's code: the same for WSGI and ASGI."""

    def __init__(self) -> None:
        self.handled: collections.Counter = collections.Counter()
        self.other: list[str] = []
        self.fail_once = {"breaks once"}
        self._lock = threading.Lock()

    def __call__(self, event: tweepy_dm.ActivityEvent) -> None:
        message = event.direct_message
        if message is None:
            self.other.append(str(event.event_type))
            return
        with self._lock:
            if message.text in self.fail_once:
                self.fail_once.discard(message.text)
                raise RuntimeError("the application failed once; X will deliver again")
            self.handled[(event.user_id, event.event_type, message.id)] += 1


@contextlib.contextmanager
def _under_uvicorn(app, gate):
    from tests.realtime.test_webhook_servers import serve_uvicorn

    url, stop = serve_uvicorn(gated_asgi(app, gate), "off")
    try:
        yield url
    finally:
        stop()


@contextlib.contextmanager
def _under_waitress(app, gate):
    from tests.realtime.test_webhook_servers import serve_waitress

    url, stop = serve_waitress(gated_wsgi(app, gate))
    try:
        yield url
    finally:
        stop()


SERVERS = {
    "wsgi": (wsgi_app, serve_wsgi),
    "asgi": (asgi_app, serve_asgi),
    "asgi under uvicorn": (asgi_app, _under_uvicorn),
    "wsgi under waitress": (wsgi_app, _under_waitress),
}
# Production servers run in tox -e webhooks (the servers marker), which installs them.
KINDS = [
    pytest.param(kind, marks=pytest.mark.servers) if " under " in kind else kind for kind in SERVERS
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_dm_exactly_once_through_retries_and_replay_and_no_forgery(kind):
    make_app, serve = SERVERS[kind]
    clock = FakeClock(START)
    handler = Handler()
    gate = Gate()
    # Every third new body fails once with a 503 before reaching the app.
    gate.fail_first = lambda body: zlib.crc32(body) % 3 == 0
    with DMEmulator(clock=clock) as emulator:
        credentials = {
            user_id: emulator.add_user(user_id, name, name.title())
            for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
        }
        secret = credentials[ALICE]["consumer_secret"]
        hub = emulator.webhooks
        hub.retry_delays = (0.0, 0.0, 0.0)
        app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
        alice, bob, carol = (
            tweepy_dm.Client(api_url=emulator.url, **credentials[user_id])
            for user_id in (ALICE, BOB, CAROL)
        )
        with serve(make_app(secret, handler, path="/x/webhook"), gate) as base:
            url = base + "/x/webhook"
            webhook = app.create_webhook(url).data
            assert webhook["valid"] is True
            crc = gate.crc_requests()
            assert len(crc) == 1
            assert crc[0].startswith("/x/webhook?crc_token=")
            webhook_id = webhook["id"]

            # Bob through the Activity API (his OAuth 2.0 token) and Account Activity;
            # Carol through Account Activity only.
            tweepy_dm.Client(
                api_url=emulator.url, bearer_token=credentials[BOB]["bearer_token"]
            ).create_activity_subscription(
                event_type="dm.received", user_id=BOB, webhook_id=webhook_id
            )
            bob.create_account_activity_subscription(webhook_id)
            carol.create_account_activity_subscription(webhook_id)

            expected: set = set()

            def send(sender, sender_id, recipient_id, text):
                sent = sender.create_dm(participant_id=recipient_id, text=text).data
                event_id = int(sent["dm_event_id"])
                if recipient_id in (BOB, CAROL):
                    expected.add((recipient_id, "dm.received", event_id))
                if sender_id in (BOB, CAROL):
                    expected.add((sender_id, "dm.sent", event_id))
                clock.now += 1

            for index in range(6):
                send(alice, ALICE, BOB, f"alice to bob {index}")
                send(alice, ALICE, CAROL, f"alice to carol {index}")
                send(bob, BOB, CAROL, f"bob to carol {index}")
            send(alice, ALICE, BOB, "breaks once")
            assert hub.wait_idle()
            assert set(handler.handled) == expected
            assert set(handler.handled.values()) == {1}
            retried = [post for post in hub.deliveries(webhook_id) if post.attempt > 1]
            assert retried, "no delivery needed a retry: the gate should have made some"
            for post in retried:
                firsts = [
                    first
                    for first in hub.deliveries(webhook_id)
                    if first.attempt == 1 and first.body == post.body
                ]
                assert firsts, "a retry must send the body (and event_uuid) of its first try"
                assert firsts[0].event_uuid == post.event_uuid

            # Downtime: every try of these fails, retries included.
            clock.now += 60
            gate.down = True
            down_from = clock.now
            for index in range(3):
                send(alice, ALICE, BOB, f"during downtime {index}")
                send(bob, BOB, CAROL, f"during downtime, bob {index}")
            assert hub.wait_idle()
            missing = expected - set(handler.handled)
            assert len(missing) == 3 + 3 * 2
            gate.down = False

            # Replay after downtime: from before the very first DM to now.
            clock.now += 15 * 60
            job = app.replay_webhook_events(
                webhook_id, from_date=_utc(START - 60), to_date=_utc(clock.now)
            ).data
            assert job["job_id"]
            assert hub.wait_idle()
            assert set(handler.handled) == expected
            assert set(handler.handled.values()) == {1}, "a DM was handled twice"
            assert "replay_job_status" in handler.other
            assert down_from > START

            # Forgery: what X did not sign reaches no handler (the gate lets all through).
            gate.fail_first = lambda body: False
            before = sum(handler.handled.values()), len(handler.other)
            real = next(post for post in hub.deliveries(webhook_id) if post.kind == "activity")
            for headers in (
                {},
                {SIGNATURE_HEADER: "sha256=AAAA"},
                {SIGNATURE_HEADER: "sha256=" + crc_response("wrong secret", "x")["response_token"]},
                {SIGNATURE_HEADER: crc_response(secret, real.body.decode())["response_token"][:-2]},
            ):
                answer = requests.post(url, data=real.body, headers=headers, timeout=10)
                assert answer.status_code == 403, headers
            forged = real.body.replace(b"dm.received", b"dm.sent")
            signature = crc_response(secret, real.body.decode())["response_token"]
            answer = requests.post(url, data=forged, headers={SIGNATURE_HEADER: signature})
            assert answer.status_code == 403
            # The genuine body with its genuine signature again: accepted, not handled twice.
            answer = requests.post(url, data=real.body, headers={SIGNATURE_HEADER: signature})
            assert answer.status_code == 200
            assert (sum(handler.handled.values()), len(handler.other)) == before
            # The CRC GET is answered with the consumer secret's HMAC.
            answer = requests.get(url, params={"crc_token": "abc"}, timeout=10)
            assert answer.json() == crc_response(secret, "abc")
