"""asgi_app's delivery to the handler without a flow's driver: failures, cancellation, bodies."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.realtime.deliveries import HANG, SECRET, body_with_uuid, event_data
from tests.realtime.deliveries import asgi_post as post
from tweepy_dm import webhooks


def two_events_body() -> bytes:
    """An Activity API document with two events (``data`` a list)."""
    return json.dumps({"data": [event_data(1), event_data(2)]}).encode()


@pytest.mark.parametrize("kind", ["coroutine", "plain"])
def test_a_body_in_several_messages_is_read_whole(kind):
    seen = []
    if kind == "coroutine":

        async def handler(event):
            seen.append(event.event_uuid)

    else:

        def handler(event):
            seen.append(event.event_uuid)

    app = webhooks.asgi_app(SECRET, handler)
    reply = asyncio.run(asyncio.wait_for(post(app, body_with_uuid(7), pieces=5), HANG))
    assert reply["status"] == 200
    assert seen == ["7"]


def test_a_body_over_the_limit_in_one_message_is_413_and_not_handled():
    seen = []
    body = body_with_uuid(8)
    app = webhooks.asgi_app(SECRET, seen.append, max_body_size=len(body) - 1)
    assert asyncio.run(asyncio.wait_for(post(app, body), HANG))["status"] == 413
    assert seen == []


@pytest.mark.parametrize("kind", ["coroutine", "plain"])
def test_one_failing_event_of_two_is_500_and_only_it_is_delivered_again(kind):
    calls = []

    def record(event):
        calls.append(event.event_uuid)
        if event.event_uuid == "1" and calls.count("1") == 1:
            raise RuntimeError("the first try fails")

    if kind == "coroutine":

        async def handler(event):
            record(event)

    else:
        handler = record
    app = webhooks.asgi_app(SECRET, handler)

    async def deliver_twice():
        return [await post(app, two_events_body()) for _ in range(2)]

    first, retry = asyncio.run(asyncio.wait_for(deliver_twice(), HANG))
    assert first["status"] == 500
    assert b"Handler failed" in first["body"]
    assert retry["status"] == 200
    assert calls == ["1", "2", "1"]  # "2" was handled once: the retry drops it


def test_a_cancelled_request_frees_its_event_for_the_retry():
    calls = []

    async def main():
        entered = asyncio.Event()
        release = asyncio.Event()

        async def handler(event):
            calls.append(event.event_uuid)
            if len(calls) == 1:
                entered.set()
                await release.wait()  # never set: the request is cancelled here

        app = webhooks.asgi_app(SECRET, handler)
        request = asyncio.ensure_future(post(app, body_with_uuid(9)))
        await entered.wait()
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        return await post(app, body_with_uuid(9))

    retry = asyncio.run(asyncio.wait_for(main(), HANG))
    assert retry["status"] == 200
    assert calls == ["9", "9"]
