"""The X Activity API in the emulator: subscriptions, the stream, and the stream client on it.

Every DM sent through the emulator reaches the subscribed users' streams in
X's payload shape; ``tweepy_dm``'s ActivityStream turns it into the same
DirectMessageEvent the REST lookup returns, and through forced disconnects,
injected drops, 503 and 429 answers and backfill it yields each event exactly once.
Reconnect waits go through an injected sleep: no test waits for a backoff.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
import requests
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.emulator.conftest import ALICE, BOB, CAROL, START, Api, FakeClock, assert_problem
from tests.helpers import refused, wait_until
from tweepy_dm._activity import ActivitySubscription
from tweepy_dm._stream_client import ActivityStream
from tweepy_dm.emulator import DMEmulator

ALL_FIELDS = [
    "id",
    "event_type",
    "text",
    "sender_id",
    "dm_conversation_id",
    "created_at",
    "attachments",
    "entities",
    "referenced_tweets",
]
#: Upper bound for a background consumer, never reached when the code works.
PATIENCE = 30.0


def _user(emulator, user_id, name):
    return tweepy_dm.Client(api_url=emulator.url, **emulator.add_user(user_id, name.lower(), name))


def _bearer(emulator, token):
    return tweepy_dm.Client(api_url=emulator.url, bearer_token=token)


def _subscribe(emulator, user_id, event_type, **kwargs):
    token = emulator.credentials(user_id)["bearer_token"]
    return _bearer(emulator, token).create_activity_subscription(
        event_type=event_type, user_id=user_id, **kwargs
    )


class Consumer:
    """Iterates a stream in a thread until it has ``count`` events."""

    def __init__(self, stream, count):
        self.stream = stream
        self.count = count
        self.events = []
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for event in self.stream:
                self.events.append(event)
                if len(self.events) >= self.count:
                    break
        except Exception as error:  # reported by finish()
            self.error = error

    def finish(self):
        self.thread.join(PATIENCE)
        self.stream.close()
        self.thread.join(PATIENCE)
        assert self.error is None, repr(self.error)
        return self.events


def _wait_for(condition):
    wait_until(condition, timeout=PATIENCE)


@pytest.fixture
def live():
    """An emulator on the real clock (backfill is measured in real minutes)."""
    with DMEmulator(stream_heartbeat=0.5) as emulator:
        yield emulator


# Subscriptions


def test_subscriptions_through_both_clients(clients, emulator, users):
    alice = users[0]
    as_alice = clients.make(
        credentials={"bearer_token": alice.credentials["bearer_token"]}, api_url=emulator.url
    )
    as_app = clients.make(
        credentials={"bearer_token": emulator.app_bearer_token}, api_url=emulator.url
    )
    created = as_alice.call(
        "create_activity_subscription", event_type="dm.received", user_id=ALICE, tag="inbox"
    ).data
    assert isinstance(created, ActivitySubscription)
    assert (created.event_type, created.user_id, created.tag) == (
        "dm.received",
        int(ALICE),
        "inbox",
    )
    assert created.created_at is not None
    second = as_alice.call(
        "create_activity_subscription", event_type="dm.sent", user_id=ALICE, direction="outbound"
    ).data
    assert second.direction == "outbound"
    assert second.id != created.id

    first_page = as_app.call("get_activity_subscriptions", max_results=1)
    assert [item.id for item in first_page.data] == [created.id]
    token = first_page.meta["next_token"]
    second_page = as_app.call("get_activity_subscriptions", max_results=1, pagination_token=token)
    assert [item.id for item in second_page.data] == [second.id]
    assert "next_token" not in second_page.meta

    updated = as_app.call("update_activity_subscription", created.id, tag="renamed").data
    assert (updated.id, updated.tag, updated.event_type) == (created.id, "renamed", "dm.received")
    assert as_app.call("delete_activity_subscription", second.id).data == {"deleted": True}
    with pytest.raises((tweepy.NotFound, tweepy.HTTPException)):
        as_app.call("delete_activity_subscription", second.id)
    bulk = as_app.call("delete_activity_subscriptions", [created.id, 123])
    assert bulk.data == [{"subscription_id": str(created.id), "deleted": True}]
    assert bulk.errors[0]["subscription_id"] == "123"
    assert bulk.meta == {"total_subscriptions": 0}
    assert as_app.call("get_activity_subscriptions").data is None


def test_x_auth_rules_for_subscriptions(clients, emulator, users):
    alice = users[0]
    as_alice = clients.make(
        credentials={"bearer_token": alice.credentials["bearer_token"]}, api_url=emulator.url
    )
    as_app = clients.make(
        credentials={"bearer_token": emulator.app_bearer_token}, api_url=emulator.url
    )
    # DM events are private: only the user's own OAuth 2.0 token subscribes to them.
    with refused(403, "authenticated user"):
        as_alice.call("create_activity_subscription", event_type="dm.received", user_id=BOB)
    with refused(403, "private"):
        as_app.call("create_activity_subscription", event_type="dm.received", user_id=ALICE)
    # Listing, updating and deleting take the app's token, not a user's.
    with refused(403, "Application-Only"):
        as_alice.call("get_activity_subscriptions")
    with refused(403):
        as_alice.call("delete_activity_subscription", 1)


def test_bad_subscription_bodies_are_x_400s(emulator, users):
    alice = users[0]
    for body in (
        {"event_type": "DMReceived", "filter": {"user_id": ALICE}},
        {"event_type": "dm.received"},
        {"event_type": "dm.received", "filter": {"user_id": ALICE, "direction": "sent"}},
        {"event_type": "dm.received", "filter": {"user_id": ALICE}, "tag": ""},
        {"event_type": "dm.received", "filter": {"user_id": ALICE}, "extra": 1},
        {"event_type": "dm.received", "filter": {"user_id": "x"}},
    ):
        response = alice.post("/2/activity/subscriptions", json=body, bearer=True)
        assert_problem(response, 400, errors=True)
    created = alice.post(
        "/2/activity/subscriptions",
        json={"event_type": "dm.received", "filter": {"user_id": ALICE}},
        bearer=True,
    )
    assert created.status_code == 200, created.text
    again = alice.post(
        "/2/activity/subscriptions",
        json={"event_type": "dm.received", "filter": {"user_id": ALICE}},
        bearer=True,
    )
    assert_problem(again, 400, errors=True)


# The stream, raw


def _raw_stream(emulator, **params):
    return requests.get(
        emulator.url + "/2/activity/stream",
        params=params,
        headers={"Authorization": f"Bearer {emulator.app_bearer_token}"},
        stream=True,
        timeout=10,
    )


def test_the_stream_is_chunked_json_lines_with_keep_alives():
    with DMEmulator(stream_heartbeat=0.05) as emulator:
        emulator.add_user(ALICE, "alice", "alice")
        bob = Api(emulator.url, emulator.add_user(BOB, "bob", "bob"), BOB)
        _subscribe(emulator, ALICE, "dm.received", tag="in")
        with _raw_stream(emulator) as response:
            assert response.status_code == 200
            assert response.headers["Transfer-Encoding"] == "chunked"
            sent = bob.send(ALICE, "hello #py")
            lines = response.iter_lines(chunk_size=1, delimiter=b"\r\n")
            seen_blank = False
            event = None
            while event is None or not seen_blank:
                line = next(lines)
                if line:
                    event = json.loads(line)
                else:
                    seen_blank = True
        data = event["data"]
        assert (data["event_type"], data["tag"], data["filter"]) == (
            "dm.received",
            "in",
            {"user_id": ALICE},
        )
        item = data["payload"]["direct_message_events"][0]
        assert item["type"] == "message_create"
        assert item["id"] == sent["dm_event_id"]
        assert item["message_create"]["sender_id"] == BOB
        assert item["message_create"]["target"] == {"recipient_id": ALICE}
        assert item["message_create"]["message_data"]["entities"]["hashtags"] == [
            {"text": "py", "indices": [6, 9]}
        ]
        assert set(data["payload"]["users"]) == {ALICE, BOB}
        assert data["payload"]["users"][BOB]["data"]["username"] == "bob"


def test_the_stream_takes_the_apps_bearer_token_only(live):
    alice = Api(live.url, live.add_user(ALICE, "alice", "Alice"), ALICE)
    response = alice.get("/2/activity/stream", bearer=True)
    assert_problem(response, 403)


def test_two_connections_per_app_and_a_closed_one_frees_its_slot(live):
    first, second = _raw_stream(live), _raw_stream(live)
    try:
        assert (first.status_code, second.status_code) == (200, 200)
        third = _raw_stream(live)
        body = assert_problem(third, 429)
        assert "connection limit" in body["detail"]
        first.close()
        _wait_for(lambda: live._activity.connections < 2)
        fourth = _raw_stream(live)
        assert fourth.status_code == 200
        fourth.close()
    finally:
        first.close()
        second.close()


def test_backfill_minutes_start_time_and_end_time():
    clock = FakeClock()
    with DMEmulator(clock=clock, stream_heartbeat=0.05) as emulator:
        emulator.add_user(ALICE, "alice", "Alice")
        bob = Api(emulator.url, emulator.add_user(BOB, "bob", "Bob"), BOB)
        _subscribe(emulator, ALICE, "dm.received")
        old = [bob.send(ALICE, f"old {n}")["dm_event_id"] for n in range(3)]
        clock.advance(600)
        new = bob.send(ALICE, "new")["dm_event_id"]

        def ids(response):
            found = []
            for line in response.iter_lines(chunk_size=1, delimiter=b"\r\n"):
                if line:
                    payload = json.loads(line)["data"]["payload"]
                    found.append(payload["direct_message_events"][0]["id"])
                if len(found) == 1 and found[0] == new:
                    break
            return found

        with _raw_stream(emulator, backfill_minutes=5) as response:
            assert ids(response) == [new]
        # A window in the past: its events, then the answer ends.
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(START - 1))
        end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(START + 1))
        with _raw_stream(emulator, start_time=start, end_time=end) as response:
            lines = [line for line in response.iter_lines(delimiter=b"\r\n") if line]
        assert [
            json.loads(line)["data"]["payload"]["direct_message_events"][0]["id"] for line in lines
        ] == old
        assert_problem(_raw_stream(emulator, backfill_minutes=6), 400, errors=True)
        assert_problem(_raw_stream(emulator, start_time="yesterday"), 400, errors=True)


# The stream client against the emulator


def test_a_subscribed_user_receives_every_dm_as_the_rest_lookup_has_it(live):
    alice = _user(live, ALICE, "Alice")
    bob = _user(live, BOB, "Bob")
    carol = _user(live, CAROL, "Carol")
    _subscribe(live, ALICE, "dm.received", tag="inbox")
    _subscribe(live, BOB, "dm.sent")
    stream = ActivityStream(live.app_bearer_token, api_url=live.url, timeout=5)
    texts = ["hi", "#tag $XDEV @carol", "see https://x.com/bob/status/1234567890", "é🙂"]
    consumer = Consumer(stream, 2 * len(texts))
    _wait_for(lambda: live._activity.connections == 1)
    sent = []
    for text in texts:
        sent.append(bob.create_dm(participant_id=ALICE, text=text).data["dm_event_id"])
        carol.create_dm(participant_id=BOB, text="not for alice")  # no subscription matches
    events = consumer.finish()

    received = [event for event in events if event.event_type == "dm.received"]
    assert [event.direct_message.id for event in received] == [int(i) for i in sent]
    assert {event.event_type for event in events} == {"dm.received", "dm.sent"}
    for event in received:
        rest = alice.get_dm_event(event.direct_message.id, dm_event_fields=ALL_FIELDS).data
        assert event.direct_message.data == rest.data
        assert event.direct_message.created_at == rest.created_at
        assert event.direct_message.created_at.tzinfo is not None
        assert (event.user_id, event.tag, event.sender_id) == (int(ALICE), "inbox", int(BOB))
        assert event.users[int(BOB)].username == "bob"
    assert len({event.event_uuid for event in events}) == len(events)
    assert stream.stats.events == len(events)


def test_the_back_doors_reach_the_stream(live):
    _user(live, ALICE, "Alice")
    _user(live, BOB, "Bob")
    for event_type in ("dm.received", "dm.read", "dm.indicate_typing"):
        _subscribe(live, ALICE, event_type)
    conversation = live.conversation_id(ALICE, BOB)
    stream = ActivityStream(live.app_bearer_token, api_url=live.url, timeout=5)
    consumer = Consumer(stream, 4)
    _wait_for(lambda: live._activity.connections == 1)
    seeded = live.seed_messages(conversation, 2, sender_ids=[BOB])
    live.typing(BOB, conversation)
    live.mark_read(BOB, f"{BOB}-{ALICE}")
    events = consumer.finish()
    assert [event.event_type for event in events] == [
        "dm.received",
        "dm.received",
        "dm.indicate_typing",
        "dm.read",
    ]
    assert [event.direct_message.id for event in events[:2]] == [int(i) for i in seeded]
    typing, read = events[2], events[3]
    for event in (typing, read):
        assert (event.sender_id, event.recipient_id) == (int(BOB), int(ALICE))
        assert event.dm_conversation_id == conversation
    assert read.last_read_event_id == int(seeded[-1])
    with pytest.raises(ValueError, match="participant"):
        live.mark_read(CAROL, conversation)


def test_disconnects_faults_and_backfill_yield_every_event_exactly_once(live):
    _user(live, ALICE, "Alice")
    bob = Api(live.url, live.add_user(BOB, "bob", "Bob"), BOB)
    _subscribe(live, ALICE, "dm.received")
    waits = []
    stream = ActivityStream(
        live.app_bearer_token,
        api_url=live.url,
        timeout=5,
        backfill_minutes=5,
        sleep=waits.append,  # reconnect backoffs cost no real time
    )
    rounds = 20
    consumer = Consumer(stream, 2 * rounds + 1)
    sent = []
    for round_ in range(rounds):
        # Each cut hits a live connection: the one X accepted after the last cut.
        _wait_for(lambda done=round_: stream.stats.connects > done or consumer.error)
        sent.append(bob.send(ALICE, f"before cut {round_}")["dm_event_id"])
        if round_ % 5 == 2:
            live.inject_fault(path="/2/activity/stream", drop=True)
        if round_ % 5 == 3:
            live.inject_fault(503, path="/2/activity/stream")
        if round_ % 5 == 4:
            live.inject_fault(429, path="/2/activity/stream")
        live.disconnect_streams()
        # Sent while the stream is down or reconnecting: backfill brings it.
        sent.append(bob.send(ALICE, f"after cut {round_}")["dm_event_id"])
    _wait_for(lambda: stream.stats.connects > rounds or consumer.error)
    sent.append(bob.send(ALICE, "last")["dm_event_id"])
    events = consumer.finish()

    delivered = [str(event.direct_message.id) for event in events]
    assert sorted(delivered) == sorted(sent)  # every one, each once
    assert len(set(delivered)) == len(delivered)
    assert stream.stats.reconnects >= rounds
    assert stream.stats.duplicates > 0  # backfill repeated some; they were dropped
    assert waits, "reconnects went through the injected sleep"
    assert live.pending_faults == 0


@requires_async
def test_the_async_stream_receives_every_dm_from_the_emulator(live):
    from tweepy_dm._stream_client import AsyncActivityStream

    alice = _user(live, ALICE, "Alice")
    bob = _user(live, BOB, "Bob")
    _subscribe(live, ALICE, "dm.received")

    async def main():
        stream = AsyncActivityStream(live.app_bearer_token, api_url=live.url, timeout=5)
        events = []

        async def consume():
            async for event in stream:
                events.append(event)
                if len(events) == 3:
                    break

        task = asyncio.ensure_future(consume())
        await asyncio.to_thread(_wait_for, lambda: live._activity.connections == 1)
        sent = []
        for text in ("one", "two", "three"):
            # The emulator runs in its own thread; a blocking send is fine here.
            sent.append(bob.create_dm(participant_id=ALICE, text=text).data["dm_event_id"])
        try:
            await asyncio.wait_for(task, PATIENCE)
        finally:
            await stream.aclose()
        return sent, events

    sent, events = asyncio.run(main())
    assert [str(event.direct_message.id) for event in events] == sent
    for event in events:
        rest = alice.get_dm_event(event.direct_message.id, dm_event_fields=ALL_FIELDS).data
        assert event.direct_message.data == rest.data
