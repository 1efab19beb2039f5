"""asgi_app's plain handlers: off the event loop, on the app's own threads, in order."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import threading

import pytest

from tests.realtime.deliveries import EXAMPLES, HANG, SECRET, asgi_post, body_with_uuid
from tweepy_dm import _handler_threads, webhooks
from tweepy_dm._activity import ActivityEvent


async def post(app, body: bytes) -> int:
    return (await asgi_post(app, body))["status"]


async def crc(app) -> int:
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"crc_token=x"}
    scope["headers"] = []
    await app(scope, receive, send)
    return sent[0]["status"]


def test_a_plain_handler_runs_on_the_apps_thread_not_the_loop_nor_its_executor():
    seen = []

    def handler(event):
        seen.append(threading.current_thread().name)

    async def scenario():
        loop_thread = threading.current_thread().name
        app = webhooks.asgi_app(SECRET, handler)
        assert await post(app, body_with_uuid(1)) == 200
        return loop_thread

    loop_thread = asyncio.run(scenario())
    assert len(seen) == 1
    assert seen[0] != loop_thread
    assert seen[0].startswith("tweepy-dm-webhook")


def test_quick_handlers_share_one_thread_in_the_order_the_requests_came(monkeypatch):
    monkeypatch.setattr(_handler_threads, "GROW_AFTER", 60.0)  # never "held up" here
    seen = []

    def handler(event):
        seen.append((event.event_uuid, threading.current_thread().name))

    async def scenario():
        app = webhooks.asgi_app(SECRET, handler)
        statuses = await asyncio.gather(*(post(app, body_with_uuid(n)) for n in range(40)))
        return statuses

    assert asyncio.run(scenario()) == [200] * 40
    assert [uuid for uuid, _ in seen] == [str(n) for n in range(40)]
    assert len({name for _, name in seen}) == 1


def test_a_slow_plain_handler_blocks_neither_the_loop_nor_the_next_handler(monkeypatch):
    # Every thread counts as held up at once, so the second call starts a thread
    # without waiting for the 10 ms (the behaviour is the same, sooner).
    monkeypatch.setattr(_handler_threads, "GROW_AFTER", 0.0)
    release = threading.Event()
    handled = []

    def handler(event):
        if event.event_uuid == "1":
            assert release.wait(HANG), "the slow handler was never released"
        handled.append(event.event_uuid)

    async def scenario():
        app = webhooks.asgi_app(SECRET, handler)
        slow = asyncio.ensure_future(post(app, body_with_uuid(1)))
        await asyncio.sleep(0)  # the slow request reaches its handler's thread
        # The loop still answers, and another delivery is handled meanwhile.
        assert await asyncio.wait_for(crc(app), HANG) == 200
        assert await asyncio.wait_for(post(app, body_with_uuid(2)), HANG) == 200
        assert handled == ["2"]
        assert not slow.done()
        release.set()
        assert await asyncio.wait_for(slow, HANG) == 200

    asyncio.run(scenario())
    assert handled == ["2", "1"]


def test_a_failing_plain_handler_is_answered_500_and_its_retry_handled():
    calls = []

    def handler(event):
        calls.append(event.event_uuid)
        if len(calls) == 1:
            raise RuntimeError("the database is away")

    async def scenario():
        app = webhooks.asgi_app(SECRET, handler)
        body = body_with_uuid(7)
        assert await post(app, body) == 500
        assert await post(app, body) == 200  # X's retry
        assert await post(app, body) == 200  # a duplicate: not handled again

    asyncio.run(scenario())
    assert calls == ["7", "7"]


def test_the_same_app_serves_one_event_loop_after_another():
    handled = []
    app = webhooks.asgi_app(SECRET, lambda event: handled.append(event.event_uuid))
    assert asyncio.run(post(app, body_with_uuid(1))) == 200
    assert asyncio.run(post(app, body_with_uuid(2))) == 200
    assert handled == ["1", "2"]


def test_handler_threads_hand_back_results_and_errors():
    threads = _handler_threads.HandlerThreads(grow_after=60.0)

    def divide(a, b):
        return a / b

    async def scenario():
        results = await asyncio.gather(*(threads.run(divide, (n, 2)) for n in range(10)))
        with pytest.raises(ZeroDivisionError):
            await threads.run(divide, (1, 0))
        return results

    assert asyncio.run(scenario()) == [n / 2 for n in range(10)]
    assert threads.threads == 1


def test_an_event_reads_its_dm_fields_on_first_use_and_keeps_later_changes():
    event = ActivityEvent(EXAMPLES["xaa:dm.received"])
    sender_id = event.sender_id  # reads the payload now
    assert sender_id is not None
    assert event.recipient_id is not None
    event.sender_id = 42  # as a decrypted chat message sets it
    assert event.direct_message is not None
    assert event.sender_id == 42


def test_a_middleware_adding_headers_to_one_answer_leaves_the_next_alone():
    app = webhooks.asgi_app(SECRET, lambda event: None)
    answers = []

    async def call(number):
        sent = []

        async def send(message):
            if message["type"] == "http.response.start":
                answers.append(list(message["headers"]))
                message["headers"].append((b"x-added", b"1"))  # as Starlette's middleware may
            sent.append(message)

        body = body_with_uuid(number)
        digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
        signature = "sha256=" + base64.b64encode(digest).decode()
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/",
            "query_string": b"",
            "headers": [(webhooks.SIGNATURE_HEADER.encode(), signature.encode())],
        }
        await app(scope, receive, send)

    async def scenario():
        await call(1)
        await call(2)

    asyncio.run(scenario())
    assert answers == [[(b"content-length", b"0")]] * 2
