"""A webhook receiver dedupes DMs by id without building their models."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import pathlib

import tweepy_dm._activity as activity
from tweepy_dm import DirectMessageEvent, webhooks
from tweepy_dm._activity import dedupe_keys, parse_activity

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
SECRET = "consumer-secret"


def _counting(monkeypatch):
    built = []

    class Counting(DirectMessageEvent):
        def __init__(self, data):
            built.append(data["id"])
            super().__init__(data)

    monkeypatch.setattr(activity, "DirectMessageEvent", Counting)
    return built


def test_keys_across_products_read_the_dm_id_without_a_model(monkeypatch):
    built = _counting(monkeypatch)
    [event] = parse_activity(EXAMPLES["xaa:dm.received"])
    keys = dedupe_keys(event, across_products=True)
    assert keys == (
        f"uuid:{event.event_uuid}",
        f"dm:{event.user_id}:dm.received:2080765901528535096",
    )
    assert built == []
    # The same keys once the model exists.
    assert event.direct_message.id == 2080765901528535096
    assert dedupe_keys(event, across_products=True) == keys


def test_account_activity_dms_are_keyed_by_id_without_a_model(monkeypatch):
    built = _counting(monkeypatch)
    events = parse_activity(copy.deepcopy(EXAMPLES["aaa:direct_message_events"]))
    keys = [dedupe_keys(event) for event in events]
    assert all(key[0].startswith("dm:") for key in keys)
    assert built == []


def test_asgi_app_calls_a_coroutine_handler_with_no_model_built(monkeypatch):
    built = _counting(monkeypatch)
    body = json.dumps(EXAMPLES["xaa:dm.received"]).encode()
    signature = (
        "sha256="
        + base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    )
    handled = []

    async def handler(event):
        handled.append(event.event_type)

    app = webhooks.asgi_app(SECRET, handler)
    sent = []

    async def deliver():
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return messages.pop()

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/",
            "query_string": b"",
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (webhooks.SIGNATURE_HEADER.encode(), signature.encode()),
            ],
            "client": ("127.0.0.1", 1),
        }
        await app(scope, receive, send)

    asyncio.run(deliver())
    assert sent[0]["status"] == 200
    assert handled == ["dm.received"]
    assert built == []
    asyncio.run(deliver())  # the same delivery again: dropped as a duplicate
    assert handled == ["dm.received"]
