"""X's cutover to XChat in the emulator: ``DMEmulator(legacy_dms="on" | "read-only" | "off")``.

After the cutover X accepts no new unencrypted DM. The emulator's answer to a
legacy send then is an assumption (``_facts.LEGACY_DM_ENDED_DETAIL``): a 403
problem document naming the day and ``/2/chat``.
"""

from __future__ import annotations

import io
import json
import time

import pytest
import requests

import tweepy_dm
from tests.emulator.conftest import (
    ALICE,
    BOB,
    CAROL,
    PNG,
    START,
    Api,
    FakeClock,
    assert_problem,
)
from tests.helpers import refused
from tests.webhook_receivers import serve_wsgi
from tweepy_dm import _facts
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._routes import LEGACY_ROUTES, ROUTES
from tweepy_dm.webhooks import wsgi_app

#: What X is assumed to answer to a legacy DM request after the cutover.
ENDED = {
    "title": "Forbidden",
    "type": "about:blank",
    "status": 403,
    "detail": _facts.LEGACY_DM_ENDED_DETAIL,
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _emulator(clock, mode):
    emulator = DMEmulator(clock=clock, legacy_dms=mode)
    for user_id, name in ((ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")):
        emulator.add_user(user_id, name.lower(), name)
    return emulator


def _caller(clients, emulator, user_id):
    return clients.make(credentials=emulator.credentials(user_id), api_url=emulator.url)


def _ended(response: requests.Response) -> None:
    body = assert_problem(response, 403)
    assert body == ENDED


def test_the_refusal_names_the_day_and_the_chat_api():
    assert _facts.LEGACY_DM_LAST_DAY in ENDED["detail"]
    assert "/2/chat" in ENDED["detail"]


def test_the_legacy_routes_are_the_dm_events_and_dm_conversations_routes():
    assert set(LEGACY_ROUTES) == {
        route for route in ROUTES if route.split(" ")[1].startswith(("/2/dm_", "/2/dm_conv"))
    }
    assert len(LEGACY_ROUTES) == 9
    writes = {route for route, write in LEGACY_ROUTES.items() if write}
    assert writes == {
        "POST /2/dm_conversations/with/{participant_id}/messages",
        "POST /2/dm_conversations/{dm_conversation_id}/messages",
        "POST /2/dm_conversations",
        "DELETE /2/dm_events/{event_id}",
    }
    assert "POST /2/users/{id}/dm/block" not in LEGACY_ROUTES


def test_on_is_the_default_and_bad_modes_are_refused_before_anything_starts(clock):
    with DMEmulator(clock=clock) as emulator:
        assert emulator.legacy_dms == "on"
        with pytest.raises(ValueError, match=r"'on', 'read-only', 'off'.*'readonly'"):
            emulator.legacy_dms = "readonly"
        with pytest.raises(TypeError, match="legacy_dms must be a str"):
            emulator.legacy_dms = False  # type: ignore[assignment]
        assert emulator.legacy_dms == "on"
    with pytest.raises(ValueError, match="legacy_dms must be one of"):
        DMEmulator(clock=clock, legacy_dms="Off")


def test_read_only_serves_the_history_and_refuses_new_messages(clients, clock):
    with _emulator(clock, "read-only") as emulator:
        conversation = emulator.conversation_id(ALICE, BOB)
        seeded = emulator.seed_messages(conversation, 3, sender_ids=[BOB, ALICE])
        alice = _caller(clients, emulator, ALICE)

        events = alice.call("get_dm_events", dm_event_fields=["id", "text", "sender_id"])
        assert [str(event.id) for event in events.data] == seeded[::-1]
        per_user = alice.call("get_dm_events", participant_id=BOB)
        assert [str(event.id) for event in per_user.data] == seeded[::-1]
        by_id = alice.call("get_dm_event", seeded[0], dm_event_fields=["text"])
        assert by_id.data.text == "Message 0"

        for name, kwargs in (
            ("create_dm", {"participant_id": BOB, "text": "after the cutover"}),
            ("create_dm", {"dm_conversation_id": conversation, "text": "after the cutover"}),
            ("create_dm_conversation", {"participant_ids": [BOB, CAROL], "text": "a group"}),
        ):
            with refused(403, _facts.LEGACY_DM_ENDED_DETAIL):
                alice.call(name, **kwargs)
        with refused(403, _facts.LEGACY_DM_ENDED_DETAIL):
            alice.call("delete_dm_event", seeded[0])
        # Nothing was stored: the history is what it was.
        assert [str(event.id) for event in alice.call("get_dm_events").data] == seeded[::-1]
        # Blocks are the user's, not the legacy API's: they still work.
        assert alice.call("block_dms", BOB).data == {"blocked": True}
        assert alice.call("unblock_dms", BOB).data == {"blocked": False}


def test_the_403_is_xs_problem_document_with_rate_limit_headers(users, clock):
    with _emulator(clock, "read-only") as emulator:
        alice = Api(emulator.url, emulator.credentials(ALICE), ALICE)
        _ended(alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "hi"}))
        _ended(alice.post(f"/2/dm_conversations/{ALICE}-{BOB}/messages", json={"text": "hi"}))
        group = {"conversation_type": "Group", "participant_ids": [BOB, CAROL]}
        _ended(alice.post("/2/dm_conversations", json={**group, "message": {"text": "hi"}}))
        # Refused before the body is read: a bad one gets the same answer, never a 5xx.
        _ended(alice.post(f"/2/dm_conversations/with/{BOB}/messages", data=b"\xff{"))
        assert alice.get("/2/dm_events").status_code == 200
        emulator.legacy_dms = "off"
        _ended(alice.get("/2/dm_events"))
        # Before the query is parsed: a parameter the route does not take changes nothing.
        _ended(alice.get("/2/dm_events", params={"max_results": "1000"}))


def test_off_refuses_every_legacy_route_reads_included(clients, clock):
    with _emulator(clock, "on") as emulator:
        alice = _caller(clients, emulator, ALICE)
        sent = alice.call("create_dm", participant_id=BOB, text="before").data
        emulator.legacy_dms = "off"
        for name, args, kwargs in (
            ("get_dm_events", (), {}),
            ("get_dm_events", (), {"participant_id": BOB}),
            ("get_dm_events", (), {"dm_conversation_id": sent["dm_conversation_id"]}),
            ("get_dm_event", (sent["dm_event_id"],), {}),
            ("delete_dm_event", (sent["dm_event_id"],), {}),
            ("create_dm", (), {"participant_id": BOB, "text": "after"}),
        ):
            with refused(403, _facts.LEGACY_DM_ENDED_DETAIL):
                alice.call(name, *args, **kwargs)
        assert alice.call("block_dms", BOB).data == {"blocked": True}
        # Switched back, the history was kept all along.
        emulator.legacy_dms = "on"
        assert [str(e.id) for e in alice.call("get_dm_events").data] == [sent["dm_event_id"]]


def test_the_media_download_follows_the_reads(clock):
    with _emulator(clock, "on") as emulator:
        alice = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(ALICE))
        bob = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOB))
        media = alice.upload_dm_media(io.BytesIO(PNG), media_category="dm_image")
        alice.create_dm(participant_id=BOB, media_id=media.id, text="a picture")
        event = bob.get_dm_events(
            dm_event_fields="attachments", expansions="attachments.media_keys", media_fields="url"
        )
        parts = event.includes["media"][0].url.rsplit("/", 3)[1:]
        emulator.legacy_dms = "read-only"
        assert bob.get_dm_media(*parts) == PNG
        emulator.legacy_dms = "off"
        with refused(403, _facts.LEGACY_DM_ENDED_DETAIL):
            bob.get_dm_media(*parts)
        # The upload is v2's shared media endpoint, not a legacy DM route.
        assert alice.upload_dm_media(io.BytesIO(PNG), media_category="dm_image").id


def test_back_doors_follow_the_mode(clock):
    with _emulator(clock, "read-only") as emulator:
        conversation = emulator.conversation_id(ALICE, BOB)
        assert len(emulator.seed_messages(conversation, 2)) == 2
        for back_door in (
            lambda: emulator.create_group(ALICE, [BOB, CAROL]),
            lambda: emulator.mark_read(ALICE, conversation),
            lambda: emulator.typing(ALICE, conversation),
        ):
            with pytest.raises(ValueError, match=r"legacy_dms is 'read-only'.*2026-12-09"):
                back_door()
        emulator.legacy_dms = "on"
        group = emulator.create_group(ALICE, [BOB, CAROL])
        emulator.legacy_dms = "off"
        with pytest.raises(ValueError, match="legacy_dms is 'off'"):
            emulator.seed_messages(conversation, 1)
        with pytest.raises(ValueError, match="legacy_dms is 'off'"):
            emulator.leave_conversation(group, CAROL)


def _stream_window(emulator, start, end):
    """Every Activity API event of the window ``start`` to ``end``, a window in the emulator's
    past: the answer ends (a window reaching the future would wait for the clock)."""
    assert end < emulator._clock()

    def iso(seconds):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))

    response = requests.get(
        emulator.url + "/2/activity/stream",
        params={"start_time": iso(start), "end_time": iso(end)},
        headers={"Authorization": f"Bearer {emulator.app_bearer_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    lines = [line for line in response.content.split(b"\r\n") if line.strip()]
    return [json.loads(line)["data"] for line in lines]


def test_no_dm_event_reaches_a_stream_or_a_webhook_after_the_switch(clients, clock):
    received = []
    with _emulator(clock, "on") as emulator:
        receiver = wsgi_app(emulator.credentials(BOB)["consumer_secret"], received.append)
        with serve_wsgi(receiver) as base:
            _switch_while_subscribed(clients, clock, emulator, base, received)


def _switch_while_subscribed(clients, clock, emulator, base, received):
    emulator.webhooks.retry_delays = (0.0, 0.0, 0.0)
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    webhook_id = app.create_webhook(base + "/webhooks/x").data["id"]
    as_bob = tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(BOB)["bearer_token"]
    )
    as_bob.create_activity_subscription(event_type="dm.indicate_typing", user_id=BOB)
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=emulator.credentials(ALICE)["bearer_token"]
    ).create_activity_subscription(event_type="dm.sent", user_id=ALICE)
    as_bob.create_activity_subscription(
        event_type="dm.received", user_id=BOB, webhook_id=webhook_id
    )
    tweepy_dm.Client(
        api_url=emulator.url, **emulator.credentials(BOB)
    ).create_account_activity_subscription(webhook_id)
    alice = _caller(clients, emulator, ALICE)
    before = alice.call("create_dm", participant_id=BOB, text="before").data
    conversation = emulator.conversation_id(ALICE, BOB)
    emulator.typing(ALICE, conversation)
    clock.advance(60)

    emulator.legacy_dms = "read-only"
    with refused(403):
        alice.call("create_dm", participant_id=BOB, text="after")
    emulator.seed_messages(conversation, 2, sender_ids=[ALICE])  # history, not news
    with pytest.raises(ValueError, match="legacy_dms"):
        emulator.typing(ALICE, conversation)
    clock.advance(60)

    events = _stream_window(emulator, START - 1, START + 100)
    # The backfill has the webhook's deliveries too.
    kinds = [event["event_type"] for event in events]
    assert kinds == ["dm.sent", "dm.received", "dm.indicate_typing"]
    assert events[0]["payload"]["direct_message_events"][0]["id"] == before["dm_event_id"]
    assert emulator.webhooks.wait_idle()
    posts = emulator.webhooks.deliveries(webhook_id)
    # Both products heard of what came before the switch, and of nothing after it.
    assert sorted(post.kind for post in posts) == [
        "account_activity",  # the message, as Account Activity
        "account_activity",  # the typing indicator
        "activity",  # the message's dm.received
    ]
    received_ids = [event.direct_message.id for event in received if event.direct_message]
    assert set(received_ids) == {int(before["dm_event_id"])}
