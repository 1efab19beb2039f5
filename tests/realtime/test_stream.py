"""The Activity API stream: framing, parsing, dedupe, reconnects, and both drivers."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import logging
import pathlib
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
import tweepy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import examples, wait_until
from tests.stream_server import CUT, Hold, Status, StreamServer
from tweepy_dm import _logging
from tweepy_dm._flow import ReadChunk, Send, Sleep
from tweepy_dm._stream import (
    Disconnect,
    LineDecoder,
    StreamResponse,
    StreamRun,
    StreamStats,
    TooLong,
    stream_flow,
)
from tweepy_dm._stream import settings as stream_settings
from tweepy_dm._stream_client import ActivityStream, AsyncActivityStream

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
TOKEN = "stream-test-bearer-token-0123456789"
needs_aiohttp = pytest.mark.skipif(
    importlib.util.find_spec("aiohttp") is None,
    reason="AsyncActivityStream needs aiohttp (the async extra)",
)


def event_line(number: int) -> bytes:
    """X's documented dm.received event, made unique by ``number``."""
    document = copy.deepcopy(EXAMPLES["xaa:dm.received"])
    document["data"]["event_uuid"] = str(number)
    item = document["data"]["payload"]["direct_message_events"][0]
    item["id"] = str(10**15 + number)
    item["message_create"]["message_data"]["text"] = f"message {number}"
    return json.dumps(document).encode() + b"\r\n"


# -- Framing -------------------------------------------------------------------------

LINE = st.binary(max_size=300).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b""))


@settings(max_examples=examples(300), deadline=None)
@given(
    lines=st.lists(LINE, max_size=20),
    crlf=st.lists(st.booleans(), min_size=20, max_size=20),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_decoder_gives_the_same_lines_however_the_bytes_are_split(lines, crlf, cuts):
    stream = b"".join(line + (b"\r\n" if crlf[i] else b"\n") for i, line in enumerate(lines))
    points = sorted({cut % (len(stream) + 1) for cut in cuts} | {0, len(stream)})
    decoder = LineDecoder()
    decoded = []
    longest = max((len(line) + 1 for line in lines), default=0)
    for start, end in zip(points, points[1:]):
        decoded.extend(decoder.feed(stream[start:end]))
        assert decoder.pending <= longest  # never more than the unfinished line
    assert decoded == lines
    assert decoder.pending == 0


def test_decoder_drops_an_overlong_line_without_holding_it():
    decoder = LineDecoder(max_line_size=10)
    out = []
    for piece in (b"abcdefgh", b"ijklmnop", b"qrstuvwxy", b"z\r\nok\r\n", b"\r\n"):
        out.extend(decoder.feed(piece))
        assert decoder.pending <= 10
    assert out == [TooLong(b"abcdefghijklmnop", 27), b"ok", b""]  # the \r counts


def test_decoder_reset_forgets_a_cut_line():
    decoder = LineDecoder()
    assert decoder.feed(b'{"data": {"event_type": "x') == []
    assert decoder.reset() == 26
    assert decoder.feed(b'{"a": 1}\n') == [b'{"a": 1}']


# -- The flow against a simulated X --------------------------------------------------


class SimulatedX:
    """X's stream without a network: a log of events, backfill, faults, a clock.

    ``plan`` holds one entry per connection attempt: ``("ok", n)`` sends the
    backfill asked for, then ``n`` new events, then cuts the connection in the
    middle of a line; ``("stall", n)`` does the same but goes silent (a read
    timeout); ``("refuse",)`` fails to connect; ``(status, headers)`` answers
    with that status; ``("end",)`` sends the backfill and ends the test.
    """

    def __init__(self, plan, seed=0):
        self.plan = list(plan)
        self.now = 1_700_000_000.0
        self.log: list[tuple[float, bytes]] = []
        self.params: list[dict[str, str]] = []
        self.sleeps: list[float] = []
        self.gaps: list[float] = []  # seconds since the last byte, at each connect
        self.last_byte = None
        self.random = random.Random(seed)
        self.pending = b""
        self.ending = None
        self.finished = False

    def perform(self, effect):
        if self.finished:  # the plan is over: the test stops the flow at its next step
            return None
        if type(effect) is Sleep:
            self.sleeps.append(effect.seconds)
            self.now += effect.seconds
            return None
        if type(effect) is Disconnect:
            self.pending, self.ending = b"", None
            return None
        if type(effect) is Send:
            return self.connect(effect.request)
        assert type(effect) is ReadChunk
        self.now += 0.01
        if not self.pending:
            if self.ending is None:
                self.finished = True
                return b""
            ending, self.ending = self.ending, None
            raise ending
        size = self.random.randint(1, 700)
        chunk, self.pending = self.pending[:size], self.pending[size:]
        self.last_byte = self.now
        return chunk

    def connect(self, request):
        if not self.plan:
            self.finished = True
            return StreamResponse(503, "Over", {})
        self.params.append(dict(request.params))
        if self.last_byte is not None:
            self.gaps.append(self.now - self.last_byte)
        step = self.plan.pop(0)
        if step[0] == "refuse":
            raise ConnectionError("connection refused")
        if isinstance(step[0], int):
            return StreamResponse(step[0], "Error", step[1], b'{"title": "Oops"}')
        minutes = int(request.params.get("backfill_minutes", 0))
        body = b"".join(line for at, line in self.log if at >= self.now - minutes * 60)
        if step[0] == "end":  # the backfill, then the end of the test
            self.pending, self.ending = body, None
            return StreamResponse(200, "OK", {})
        for _ in range(step[1]):
            self.now += 1
            line = event_line(len(self.log))
            self.log.append((self.now, line))
            body += line + (b"\r\n" if self.random.random() < 0.3 else b"")
        cut = event_line(len(self.log))  # the line in flight when the connection dies
        self.log.append((self.now, cut))
        self.pending = body + cut[: len(cut) // 2]
        self.ending = TimeoutError("read timed out") if step[0] == "stall" else ConnectionError()
        return StreamResponse(200, "OK", {})


def drive(x: SimulatedX, stats: StreamStats, **options):
    run = StreamRun(
        stream_flow(stream_settings(**options), stats, lambda: x.now),
        lambda: x.finished,
        (ConnectionError, TimeoutError),
    )
    delivered = []
    for effect in run:
        delivered.extend(run.take())
        try:
            run.result = x.perform(effect)
        except Exception as error:
            run.fail(error)
    return delivered


def test_every_event_exactly_once_through_20_disconnects_stalls_and_errors():
    plan = [("ok", 3)]
    for number in range(20):
        plan.append(("stall", 2) if number % 5 == 4 else ("ok", 4))
        if number == 6:
            plan.append((503, {}))
        if number == 12:
            plan.append((429, {"x-rate-limit-reset": "0"}))
        if number == 15:
            plan.append(("refuse",))
    plan.append(("end",))
    x = SimulatedX(plan)
    stats = StreamStats()
    delivered = drive(x, stats)
    uuids = [event.event_uuid for event in delivered]
    assert uuids == [str(number) for number in range(len(x.log))]
    assert stats.events == len(x.log)
    assert stats.duplicates > 0  # backfill resent what had been delivered
    assert stats.connects == 22
    assert stats.reconnects == 21
    assert stats.bad_lines == 0
    assert stats.keep_alives > 0
    # Each reconnect asked for backfill covering the time since the last byte.
    asked = [int(params.get("backfill_minutes", 0)) for params in x.params[1:]]
    assert all(1 <= minutes <= 5 for minutes in asked)
    assert all(minutes * 60 >= gap for minutes, gap in zip(asked, x.gaps))
    assert x.params[0] == {}


def test_backoff_is_linear_for_network_errors_and_exponential_for_http_errors():
    plan = [("refuse",)] * 3 + [(503, {})] * 3 + [(429, {})] * 2 + [("ok", 1)]
    plan += [("refuse",)]
    x = SimulatedX(plan)
    drive(x, StreamStats())
    # 3 refusals, 3 503s, two 429 without reset, the cut after data, a refusal.
    assert x.sleeps == [0.25, 0.5, 0.75, 5.0, 10.0, 20.0, 60.0, 120.0, 0.25, 0.5]


def test_rate_limit_waits_until_x_rate_limit_reset():
    x = SimulatedX([])
    x.plan = [(429, {"x-rate-limit-reset": str(int(x.now) + 30)}), ("ok", 1)]
    drive(x, StreamStats())
    assert x.sleeps[0] == 31.0  # until the reset, and a second more as tweepy does


def test_a_gap_beyond_five_minutes_asks_five_and_is_counted(caplog):
    x = SimulatedX([("ok", 1), (503, {})] + [(503, {})] * 6 + [("ok", 1)])
    stats = StreamStats()
    drive(x, stats)
    assert x.params[-1] == {"backfill_minutes": "5"}
    assert stats.uncovered_gaps >= 1
    assert "may be missing" in caplog.text


def test_backfill_can_be_turned_off_and_asked_for_on_the_first_connection():
    x = SimulatedX([("ok", 1), ("ok", 1)])
    drive(x, StreamStats(), backfill_minutes=0, initial_backfill_minutes=2)
    assert x.params == [{"backfill_minutes": "2"}, {}]


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, tweepy.Unauthorized), (403, tweepy.Forbidden), (402, tweepy.HTTPException)],
)
def test_credentials_and_credit_errors_end_the_stream(status, error_class):
    x = SimulatedX([(status, {})])
    with pytest.raises(error_class) as raised:
        drive(x, StreamStats())
    assert type(raised.value) is error_class  # 402 is not a 401 or 403
    assert raised.value.response.status_code == status
    assert "Oops" in str(raised.value)
    assert x.sleeps == []


def test_consumer_side_filter_of_event_types():
    x = SimulatedX([("ok", 3)])
    stats = StreamStats()
    assert drive(x, stats, event_types=["dm.sent"]) == []
    assert stats.filtered == 3
    x = SimulatedX([("ok", 3)])
    assert len(drive(x, StreamStats(), event_types="dm.received")) == 3


def test_a_bad_line_is_logged_by_its_start_without_secrets_and_skipped(caplog):
    _logging.protect(TOKEN)
    x = SimulatedX([("ok", 1)])
    bad = b'{"data": ' + TOKEN.encode() + b" not json" + b"x" * 500 + b"\r\n"
    original_connect = x.connect

    def connect(request):
        response = original_connect(request)
        if response.status == 200:
            x.pending = bad + x.pending
        return response

    x.connect = connect
    stats = StreamStats()
    with caplog.at_level(logging.WARNING, logger="tweepy_dm.stream"):
        delivered = drive(x, stats)
    assert len(delivered) == 1
    assert stats.bad_lines == 1
    assert TOKEN not in caplog.text
    assert '{"data": [REDACTED]' in caplog.text
    assert "x" * 100 not in caplog.text  # only the start of the line


def test_error_documents_in_the_stream_are_counted_not_events(caplog):
    x = SimulatedX([("ok", 0)])
    x.connect, original = None, x.connect

    def connect(request):
        response = original(request)
        if response.status == 200:
            x.pending = b'{"errors": [{"title": "operational-disconnect"}]}\r\n' + x.pending
        return response

    x.connect = connect
    stats = StreamStats()
    assert drive(x, stats) == []
    assert stats.error_messages == 1
    assert "operational-disconnect" in caplog.text


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"backfill_minutes": 6}, ValueError, "backfill_minutes must be from 0 to 5"),
        ({"backfill_minutes": "5"}, TypeError, "backfill_minutes"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"event_types": 5}, TypeError, "event_types"),
        ({"event_types": [""]}, ValueError, "event_types"),
        ({"http_backoff": (10, 1)}, ValueError, "http_backoff"),
        ({"api_url": "ftp://x"}, ValueError, "api_url"),
    ],
)
def test_bad_options_are_refused_before_connecting(options, error, message):
    with pytest.raises(error, match=message):
        ActivityStream(TOKEN, **options)


def test_token_is_not_in_the_repr():
    with pytest.raises(TypeError, match="bearer_token"):
        ActivityStream(None)
    stream = ActivityStream(TOKEN)
    assert TOKEN not in repr(stream)
    assert "connects=0" in repr(stream)


# -- The drivers against a real HTTP server -------------------------------------------


def reconnect_script():
    """First connection: A split across chunks, a keep-alive, B, then cut inside C.

    Second: B again (backfill), C, D, then silence until the stream is closed.
    """
    a, b, c, d = (event_line(n) for n in range(4))
    hold = threading.Event()
    connections = []

    def script(request):
        connections.append(request)
        if len(connections) == 1:
            return [a[:7], a[7:50], a[50:] + b"\r\n", b + c[:40], CUT]
        return [b, c[:100], c[100:] + d, Hold(hold)]

    return script, connections


def test_sync_driver_reconnects_with_backfill_and_dedupes():
    script, _ = reconnect_script()
    sleeps = []
    with StreamServer(script) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=10, sleep=sleeps.append)
        received = []
        for event in stream:
            received.append(event.event_uuid)
            if len(received) == 4:
                stream.close()
        assert received == ["0", "1", "2", "3"]
        assert stream.stats.duplicates == 1
        assert stream.stats.reconnects == 1
        assert stream.stats.keep_alives == 1
        assert sleeps == [0.25]
        assert server.requests[0].query == {}
        assert server.requests[1].query == {"backfill_minutes": "1"}
        assert server.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


@needs_aiohttp
def test_async_driver_reconnects_with_backfill_and_dedupes():
    script, _ = reconnect_script()
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)

    async def consume(url):
        stream = AsyncActivityStream(TOKEN, api_url=url, timeout=10, sleep=sleep)
        received = []
        async for event in stream:
            received.append(event.event_uuid)
            if len(received) == 4:
                await stream.aclose()
        return stream, received

    with StreamServer(script) as server:
        stream, received = asyncio.run(consume(server.url))
        assert received == ["0", "1", "2", "3"]
        assert stream.stats.duplicates == 1
        assert sleeps == [0.25]
        assert server.requests[1].query == {"backfill_minutes": "1"}


def huge_event_script(size):
    document = json.loads(event_line(7))
    document["data"]["payload"]["direct_message_events"][0]["message_create"]["message_data"][
        "text"
    ] = "x" * size
    line = json.dumps(document).encode() + b"\r\n"
    pieces = [line[i : i + 100_000] for i in range(0, len(line), 100_000)]
    return lambda request: [*pieces, event_line(8), Hold(threading.Event())]


def test_sync_driver_reads_an_event_of_several_megabytes():
    with StreamServer(huge_event_script(3_000_000)) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=10)
        texts = []
        for event in stream:
            texts.append(len(event.direct_message.text))
            if len(texts) == 2:
                stream.close()
        assert texts == [3_000_000, len("message 8")]


@needs_aiohttp
def test_async_driver_reads_an_event_of_several_megabytes():
    async def consume(url):
        stream = AsyncActivityStream(TOKEN, api_url=url, timeout=10)
        texts = []
        async for event in stream:
            texts.append(len(event.direct_message.text))
            if len(texts) == 2:
                await stream.aclose()
        return texts

    with StreamServer(huge_event_script(3_000_000)) as server:
        assert asyncio.run(consume(server.url)) == [3_000_000, len("message 8")]


def blocked_forever(request):
    return [event_line(0), Hold(threading.Event())]


def test_sync_close_from_another_thread_ends_a_blocked_read_promptly():
    with StreamServer(blocked_forever) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=60)
        received = []
        thread = threading.Thread(target=lambda: received.extend(stream))
        thread.start()
        wait_until(lambda: received, what="the first event")
        started = time.monotonic()
        stream.close()
        thread.join(10)
        assert not thread.is_alive()
        assert time.monotonic() - started < 5  # well under the 60 s read timeout
        assert len(received) == 1
        assert stream.stats.reconnects == 0


def test_sync_close_cuts_a_wait_between_reconnects():
    def refuse(request):
        return [Status(503)]

    with StreamServer(refuse) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, http_backoff=(60.0, 60.0))
        thread = threading.Thread(target=lambda: list(stream))
        thread.start()
        wait_until(lambda: server.requests, what="the first request")
        started = time.monotonic()
        stream.close()
        thread.join(10)
        assert not thread.is_alive()
        assert time.monotonic() - started < 5


@needs_aiohttp
def test_async_close_from_another_thread_ends_a_blocked_read_promptly():
    async def consume(stream, received):
        async for event in stream:
            received.append(event)

    with StreamServer(blocked_forever) as server:
        stream = AsyncActivityStream(TOKEN, api_url=server.url, timeout=60)
        received = []
        thread = threading.Thread(target=asyncio.run, args=(consume(stream, received),))
        thread.start()
        wait_until(lambda: received, what="the first event")
        started = time.monotonic()
        stream.close()
        thread.join(10)
        assert not thread.is_alive()
        assert time.monotonic() - started < 5
        assert len(received) == 1


@needs_aiohttp
def test_async_aclose_from_another_task():
    async def main(url):
        stream = AsyncActivityStream(TOKEN, api_url=url, timeout=60)
        received = []

        async def consume():
            async for event in stream:
                received.append(event)

        task = asyncio.ensure_future(consume())
        for _ in range(1000):
            if received:
                break
            await asyncio.sleep(0.01)
        await stream.aclose()
        await asyncio.wait_for(task, 5)
        return received

    with StreamServer(blocked_forever) as server:
        assert len(asyncio.run(main(server.url))) == 1


def test_sync_read_timeout_treats_a_silent_connection_as_dead():
    hold = threading.Event()
    calls = []

    def script(request):
        calls.append(request)
        if len(calls) == 1:
            return [Hold(hold)]  # silent: not even a keep-alive
        return [event_line(0), Hold(hold)]

    with StreamServer(script) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=0.3, sleep=lambda s: None)
        received = []
        for event in stream:
            received.append(event.event_uuid)
            stream.close()
        assert received == ["0"]
        assert stream.stats.reconnects == 1
        hold.set()


def refusing(status):
    body = json.dumps({"title": "Unauthorized", "detail": "No credits", "status": status})

    def script(request):
        return [Status(status, {"Content-Type": "application/json"}, body.encode())]

    return script


@pytest.mark.parametrize("status", [401, 403, 402])
def test_sync_driver_ends_with_tweepys_exception(status):
    with StreamServer(refusing(status)) as server:
        with pytest.raises(tweepy.HTTPException) as raised:
            list(ActivityStream(TOKEN, api_url=server.url))
        assert raised.value.response.status_code == status
        assert "No credits" in str(raised.value)
        assert TOKEN not in str(raised.value)
        assert len(server.requests) == 1  # no retries


@needs_aiohttp
@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, tweepy.Unauthorized), (403, tweepy.Forbidden), (402, tweepy.HTTPException)],
)
def test_async_driver_ends_with_tweepys_exception(status, error_class):
    async def consume(url):
        async for _ in AsyncActivityStream(TOKEN, api_url=url):
            pass

    with StreamServer(refusing(status)) as server:
        with pytest.raises(error_class) as raised:
            asyncio.run(consume(server.url))
        assert type(raised.value) is error_class
        assert "No credits" in str(raised.value)
        assert len(server.requests) == 1


def test_importing_the_stream_does_not_import_aiohttp():
    code = (
        "import sys, tweepy_dm, tweepy_dm._stream_client, tweepy_dm.webhooks; "
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
def test_sync_close_from_a_signal_handler_ends_a_blocked_read():
    with StreamServer(blocked_forever) as server:
        stream = ActivityStream(TOKEN, api_url=server.url, timeout=60)
        previous = signal.signal(signal.SIGALRM, lambda number, frame: stream.close())
        try:
            received = []
            started = time.monotonic()
            with stream:
                for event in stream:
                    received.append(event)
                    signal.setitimer(signal.ITIMER_REAL, 0.2)  # fires while the read blocks
            assert time.monotonic() - started < 5
            assert len(received) == 1
            assert stream.closed
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# -- Against the emulator's stream -------------------------------------------------------


def send_through_faults(emulator, alice, bob, rounds, stream):
    """DMs keep flowing while every stream is cut, and reconnects meet 429, 503 and drops."""
    sent = []
    client = alice.client()
    for number in range(rounds):
        connects = stream.stats.connects
        assert wait_for(lambda: stream.stats.connects > 0)
        client.create_dm(participant_id=bob.id, text=f"before cut {number}")
        sent.append(f"before cut {number}")
        if number % 4 == 1:
            fault = {1: {"status": 429}, 2: {"status": 503}, 3: {"drop": True}}[number % 3 + 1]
            emulator.inject_fault(path="/2/activity/stream", **fault)
        emulator.disconnect_streams()
        client.create_dm(participant_id=bob.id, text=f"after cut {number}")
        sent.append(f"after cut {number}")
        # The next cut must hit a live connection, not one still reconnecting.
        assert wait_for(lambda: stream.stats.connects > connects)  # noqa: B023
    return sent


def wait_for(condition, seconds=20.0):
    return wait_until(condition, timeout=seconds)


def test_every_dm_exactly_once_through_20_emulator_disconnects(dm_emulator, dm_users):
    alice, bob = dm_users
    bob.client().create_activity_subscription(
        event_type="dm.received", user_id=bob.id, user_auth=False
    )
    sleeps = []
    stream = ActivityStream(
        dm_emulator.app_bearer_token, api_url=dm_emulator.url, timeout=10, sleep=sleeps.append
    )
    received = []
    thread = threading.Thread(target=lambda: received.extend(stream))
    thread.start()
    try:
        assert wait_for(lambda: stream.stats.connects > 0)
        sent = send_through_faults(dm_emulator, alice, bob, 20, stream)
        assert wait_for(lambda: len(received) >= len(sent))
    finally:
        stream.close()
        thread.join(10)
    assert [event.direct_message.text for event in received] == sent
    assert len({event.event_uuid for event in received}) == len(sent)
    assert stream.stats.reconnects >= 20
    assert 5.0 in sleeps  # the injected 503
    assert all(event.event_type == "dm.received" for event in received)


@needs_aiohttp
def test_async_stream_exactly_once_through_emulator_disconnects(dm_emulator, dm_users):
    alice, bob = dm_users
    bob.client().create_activity_subscription(
        event_type="dm.received", user_id=bob.id, user_auth=False
    )

    async def no_wait(seconds):
        pass

    stream = AsyncActivityStream(
        dm_emulator.app_bearer_token, api_url=dm_emulator.url, timeout=10, sleep=no_wait
    )
    received = []

    async def consume():
        async for event in stream:
            received.append(event)

    thread = threading.Thread(target=asyncio.run, args=(consume(),))
    thread.start()
    try:
        assert wait_for(lambda: stream.stats.connects > 0)
        sent = send_through_faults(dm_emulator, alice, bob, 8, stream)
        assert wait_for(lambda: len(received) >= len(sent))
    finally:
        stream.close()
        thread.join(10)
    assert [event.direct_message.text for event in received] == sent
    assert stream.stats.reconnects >= 8
