"""The stream clients against hostile input: lines nested too deeply, absurd rate-limit resets."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import pathlib
import threading

import pytest

from tests.stream_server import Hold, Status, StreamServer
from tweepy_dm import _facts
from tweepy_dm._stream import StreamStats, parse_line
from tweepy_dm._stream_client import ActivityStream, AsyncActivityStream

TOKEN = "stream-hostile-bearer-token-0123456789"
EXAMPLE = json.loads(
    (pathlib.Path(__file__).parents[1] / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]["xaa:dm.received"]
#: Far deeper than any recursion limit: json.loads raises RecursionError on it.
NESTED = b'{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}\r\n"
needs_aiohttp = pytest.mark.skipif(
    importlib.util.find_spec("aiohttp") is None,
    reason="AsyncActivityStream needs aiohttp (the async extra)",
)


def good_line(number: int) -> bytes:
    document = copy.deepcopy(EXAMPLE)
    document["data"]["event_uuid"] = str(number)
    return json.dumps(document).encode() + b"\r\n"


def test_a_line_nested_too_deeply_is_a_bad_line():
    stats = StreamStats()
    assert parse_line(NESTED.rstrip(), stats) == []
    assert stats.bad_lines == 1


def nested_then_good(hold):
    def script(request):
        return [NESTED, good_line(1), Hold(hold)]

    return script


def test_sync_stream_skips_a_line_nested_too_deeply_and_goes_on():
    hold = threading.Event()
    with StreamServer(nested_then_good(hold)) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=10, sleep=lambda s: None)
        for event in stream:
            assert event.event_uuid == "1"
            stream.close()
        hold.set()
    assert stream.stats.bad_lines == 1
    assert stream.stats.events == 1


@needs_aiohttp
def test_async_stream_skips_a_line_nested_too_deeply_and_goes_on():
    hold = threading.Event()

    async def sleep(seconds):
        pass

    async def consume(url):
        stream = AsyncActivityStream(TOKEN, api_url=url, timeout=10, sleep=sleep)
        async for event in stream:
            assert event.event_uuid == "1"
            await stream.aclose()
        return stream

    with StreamServer(nested_then_good(hold)) as server:
        stream = asyncio.run(consume(server.url))
        hold.set()
    assert stream.stats.bad_lines == 1
    assert stream.stats.events == 1


NOW = 1_700_000_000.0
FAR_FUTURE = int(NOW) + 31 * 365 * 24 * 60 * 60  # 31 years away


def reset_then_event(reset, hold):
    """A 429 naming ``reset``, then one event on the next connection."""
    calls: list = []

    def script(request):
        calls.append(request)
        if len(calls) == 1:
            return [Status(429, {"x-rate-limit-reset": str(reset)}, b'{"title": "Too Many"}')]
        return [good_line(2), Hold(hold)]

    return script


@pytest.mark.parametrize(
    ("reset", "wait"),
    [(FAR_FUTURE, _facts.MAX_STREAM_RATE_LIMIT_WAIT), (int(NOW) + 300, 301.0)],
)
def test_sync_stream_waits_for_a_reset_at_most_a_window_away(reset, wait):
    hold = threading.Event()
    sleeps = []
    with StreamServer(reset_then_event(reset, hold)) as server:
        stream = ActivityStream(
            TOKEN, api_url=server.url, timeout=10, sleep=sleeps.append, clock=lambda: NOW
        )
        for event in stream:
            assert event.event_uuid == "2"
            stream.close()
        hold.set()
    assert sleeps == [wait]
    assert 15 * 60 <= _facts.MAX_STREAM_RATE_LIMIT_WAIT <= 30 * 60


@needs_aiohttp
def test_async_stream_waits_at_most_a_window_after_a_429():
    hold = threading.Event()
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)

    async def consume(url):
        stream = AsyncActivityStream(TOKEN, api_url=url, timeout=10, sleep=sleep, clock=lambda: NOW)
        async for event in stream:
            assert event.event_uuid == "2"
            await stream.aclose()

    with StreamServer(reset_then_event(FAR_FUTURE, hold)) as server:
        asyncio.run(consume(server.url))
        hold.set()
    assert sleeps == [_facts.MAX_STREAM_RATE_LIMIT_WAIT]
