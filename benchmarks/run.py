"""tweepy-dm's benchmarks: every ratio measured side by side, in one run, round by round.

Every measurement talks to a ``tweepy_dm.emulator.DMEmulator`` on 127.0.0.1
that runs in another process (``benchmarks/_servers.py``), so the server's
work never counts as the client's. Its rate limits are off and its history
is seeded through the ``seed_messages`` back door before anything is timed.
Run from the repository root, with tweepy 4.12+, the ``async`` extra and
X's own SDK (a benchmark-only dependency) installed::

    pip install -e ".[async]" xdk==0.10.6
    python benchmarks/run.py            # the full run: about 3 minutes on 2 cores
    python benchmarks/run.py --quick    # few rounds: checks the script, not the numbers
    python benchmarks/run.py --json run1.json && python benchmarks/run.py --json run2.json
    python benchmarks/compare.py run1.json run2.json   # both runs side by side, in Markdown

How it copes with a noisy machine (see ``_measure.py``): contenders are
measured in rounds, each round running every contender's batch once in an
order that rotates from round to round; each ratio is computed within a
round, and reported as the median over the rounds with its range and
interquartile range. A target's verdict uses the median, and says when the
spread crosses the target (a verdict that noise could flip). The machine's
load is printed at the start and at the end. The run exits with 0 even if a
target is missed (unit tests assert no timing), unless ``--strict`` is given.

Contenders: tweepy-dm's clients; tweepy 4.17's own (the baseline for every
ratio); X's Python SDK ``xdk`` 0.10.6 (``xdk.Client(base_url=...)``) for the
synchronous lookups, sends and parsing. xdk has no asyncio client, so the
async section compares tweepy's alone. tweepy hard-codes its host: its
requests reach the emulator through a session (sync) or an aiohttp session
class (async) that rewrites the URL before anything is signed.

1. CPU per call (``time.process_time`` of this process) of a DM events
   lookup on a 1-event and on a 100-event page, and of a send
   (``POST /2/dm_conversations/with/:id/messages``), with a bearer (OAuth 2.0
   user) token and with OAuth 1.0a. Every attribute of every event is read,
   so a lazy model would save nothing. Targets: 100-event page <= 0.6x
   tweepy and <= 1.0x xdk; 1-event page and sends <= 1.0x both.
2. Async: 200 lookups (10- and 100-event pages), sequential and 10 at a
   time, with ``async with tweepy_dm.AsyncClient(...)`` against tweepy's
   ``AsyncClient`` (which opens a session per request), bearer token. Wall
   time. Target: tweepy's time / ours >= 1.6. Also reported: the same client
   outside ``async with`` (a session per request), to show what reusing the
   session buys.
3. Parsing 100,000 event dicts into ``tweepy_dm.DirectMessageEvent``,
   ``tweepy.DirectMessageEvent`` and xdk's pydantic ``DmEvent`` (which keeps
   ids and dates as strings); garbage collector off while timing, as
   ``timeit`` does. Ours reads ``id`` and ``event_type`` here, every other
   field on first read (tweepy reads them all). Target: ours / tweepy <= 0.3.
   3b. A 100-event ``GET /2/dm_events`` page's bytes into typed events: what
   ``Client.get_dm_events`` does (its response's ``json()``: msgspec when the
   ``fast`` extra is installed, then tweepy's ``_construct_response``), the
   same with the stdlib json (without the extra), a typed msgspec decode
   (a ``msgspec.Struct`` per event, ids as strings, ``created_at`` a datetime: the floor) and xdk's
   ``GetEventsResponse.model_validate`` after ``json.loads``. CPU per page.
   Targets: ours <= 2x msgspec and <= 0.5x xdk.
4. Export: ``python -m tweepy_dm export`` as a real subprocess, exporting
   10,000 and then 50,000 seeded events, with OAuth 1.0a keys in ``X_*``
   environment variables. Events per second, and the child's peak RSS
   (``ru_maxrss`` from ``os.wait4``, taken by the small launcher
   ``_peak_rss.py``). Target: peak RSS flat as the count grows (<= 1.1).
5. Emulator capacity: requests per second for ``GET /2/dm_events`` over
   keep-alive ``requests`` sessions, against a bare ``http.server`` (same
   server class and handler settings) answering the same bytes, recorded
   from the emulator. With OAuth 1.0a the client signs every request (with
   ``tweepy_dm._oauth1``), and that counts against the emulator. Targets:
   emulator / bare >= 2/3 (bearer) and >= 1/2 (OAuth 1.0a) on 100-event
   pages, >= 0.8 and >= 0.6 on 10-event pages. Concurrency: 4 clients at
   once, each a process of its own (``_load.py``), >= sequential. Also
   reported, without a target: 4 threads of this process, for the emulator
   and for the bare server, which shows that a threaded Python client is
   bound by its own interpreter lock, whatever the server.
   5b. The emulator's XChat routes against the same bare server: a
   100-event ``GET /2/chat/conversations/:id/events`` page, and ``POST
   .../messages`` of a signed message (the emulator verifies its signature
   against the sender's registered key on every request; the bare server
   reads the body and answers the recorded bytes). Targets (chosen as the
   legacy ones): >= 2/3 for the page, >= 0.5 for the send.
6. Real time (``realtime.py``, its own table): stream parsing against xdk,
   latency, and signed webhook deliveries (each its own event and DM id, to
   no-op handlers that count them) through ``asgi_app`` under uvicorn
   (httptools, one worker) against a bare ASGI app, and ``wsgi_app`` under
   waitress against a bare WSGI app: requests per second, and the server
   process's own CPU per request, which other processes on a shared machine
   do not skew. Targets: >= 0.8 (coroutine handler), >= 0.6 (plain handler,
   and wsgi_app).
7. The bot runtime (``bot.py``, its own table).
8. XChat (``xchat.py``, its own table): sending, reading and decrypting a
   ``chat.received`` event against chatxdk's raw minimum, with 3 and with 200
   users known, through ``XChat``, ``AsyncXChat``, ``Client(xchat_key=...)``
   and the receivers' ``xchat_clients`` path.
9. The ``dm_chat`` test kit (``dm_chat.py``, its own lines): 200 scenario tests
   run by pytest in 2 processes at once, against the budget of 10 s.

Benchmark-only dependencies, never the package's: ``xdk==0.10.6`` (sections
1, 3, 6), ``msgspec`` (3b; also the ``fast`` extra), ``uvicorn``, ``httptools``
and ``waitress`` (6: the webhook servers), and the
``xchat`` extra (8: chatxdk, CPython 3.10+). A section whose dependency is
missing says so and is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import operator
import os
import pathlib
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from typing import Any, Callable, NamedTuple, Optional

import requests
import tweepy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# After the sys.path change, so that this checkout is the one measured.
from _load import LoadProcesses  # noqa: E402
from _measure import MachineLoad, Spread, Target, cpu_per_call, ratios, rounds_of  # noqa: E402
from _servers import BareServerProcess, EmulatorProcess, record_answer  # noqa: E402

import tweepy_dm  # noqa: E402
from tweepy_dm._oauth1 import OAuth1Auth  # noqa: E402

TWEEPY_HOST = "https://api.twitter.com"

# The servers are on loopback: never let a proxy from the environment (which
# requests honours, and the export subprocess inherits) relay to them.
# tweepy's host is listed too, because requests looks proxies up for the URL
# tweepy gives it; without it only tweepy would scan the environment per call.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,api.twitter.com"
HAS_NATIVE_DM = hasattr(tweepy.Client, "get_direct_message_events") and hasattr(
    tweepy, "DirectMessageEvent"
)
# The fields X sends by default plus the ones most callers ask for.
EVENT_FIELDS = ["id", "event_type", "text", "sender_id", "dm_conversation_id", "created_at"]
SEND_TEXT = "On my way: see you at the station at 6, and bring the tickets please"

# Users of the emulator: ALICE and BOB share the conversation the lookups
# read; ALICE's sends go to CAROL, so lookups never see them. Each export
# count gets a user of its own, whose every event is in one conversation.
ALICE, BOB, CAROL = 1, 2, 3
HISTORY = 1_000
EXPORT_USERS = {10_000: (10, 11), 50_000: (20, 21)}


class Result(NamedTuple):
    metric: str
    value: str
    target: str
    ok: Optional[bool]  # None: no target, or not measured
    note: str = ""


RESULTS: list[Result] = []


def record(metric: str, value: str, target: str = "", ok: Optional[bool] = None) -> None:
    RESULTS.append(Result(metric, value, target, ok))


def record_spread(
    metric: str, spread: Spread, target: Optional[Target] = None, digits: int = 2
) -> None:
    if target is None:
        RESULTS.append(Result(metric, spread.format(digits), "", None))
        return
    ok, note = target.verdict(spread)
    RESULTS.append(Result(metric, spread.format(digits), str(target), ok, note))


def skip(section: str, reason: str) -> None:
    print(f"  skipped: {reason}")
    record(section, f"skipped: {reason}")


def xdk_available() -> Optional[str]:
    """Why xdk cannot be measured here, or None if it can."""
    try:
        import xdk  # noqa: F401
    except ImportError:
        return "xdk is not installed (pip install xdk==0.10.6)"
    return None


def xdk_version() -> str:
    try:
        from importlib.metadata import version

        return version("xdk")
    except Exception:
        return "unknown"


# ---------------------------------------------------------------------------
# Clients pointed at the emulator


class RewritingSession(requests.Session):
    """A requests session that sends tweepy's requests to ``api_url`` instead.

    The URL changes before requests prepares the request, so OAuth 1.0a signs
    the URL actually sent (tweepy_dm.Client does the same internally).
    """

    def __init__(self, api_url: str) -> None:
        super().__init__()
        self.api_url = api_url

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(url, str) and url.startswith(TWEEPY_HOST + "/"):
            url = self.api_url + url[len(TWEEPY_HOST) :]
        return super().request(method, url, *args, **kwargs)


def credentials(emulator: EmulatorProcess, user: int, auth: str) -> dict[str, Any]:
    keys = emulator.users[user]
    if auth == "bearer":
        return {"bearer_token": keys["bearer_token"]}
    return {
        name: keys[name]
        for name in ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
    }


def tweepy_client(emulator: EmulatorProcess, auth: str) -> tweepy.Client:
    client = tweepy.Client(**credentials(emulator, ALICE, auth))
    client.session.close()
    client.session = RewritingSession(emulator.url)
    return client


def xdk_client(emulator: EmulatorProcess, auth: str) -> Any:
    import xdk
    from xdk.oauth1_auth import OAuth1

    keys = emulator.users[ALICE]
    if auth == "bearer":
        # X's DM endpoints take user context: an OAuth 2.0 user token.
        return xdk.Client(base_url=emulator.url, access_token=keys["bearer_token"])
    oauth1 = OAuth1(
        api_key=keys["consumer_key"],
        api_secret=keys["consumer_secret"],
        callback="oob",
        access_token=keys["access_token"],
        access_token_secret=keys["access_token_secret"],
    )
    return xdk.Client(base_url=emulator.url, auth=oauth1)


EVENT_ATTRIBUTES = (
    "id",
    "event_type",
    "text",
    "sender_id",
    "dm_conversation_id",
    "created_at",
    "participant_ids",
    "attachments",
)
# Every attribute of every event: a lazy model must do its work here.
_read_event = operator.attrgetter(*EVENT_ATTRIBUTES, "referenced_tweets")
# xdk names the linked posts after the OpenAPI spec.
_read_xdk_event = operator.attrgetter(*EVENT_ATTRIBUTES, "referenced_posts")


def read_events(events: Any) -> int:
    return len([_read_event(event) for event in events])


def read_xdk_events(events: Any) -> int:
    return len([_read_xdk_event(event) for event in events])


# ---------------------------------------------------------------------------
# 1. CPU per call


def sync_contenders(
    emulator: EmulatorProcess, auth: str, page: Optional[int]
) -> dict[str, Callable[[], object]]:
    """One call of each client: a lookup of ``page`` events, or a send if ``page`` is None."""
    user_auth = auth == "oauth1"
    ours = tweepy_dm.Client(**credentials(emulator, ALICE, auth), api_url=emulator.url)
    native = tweepy_client(emulator, auth)
    calls: dict[str, Callable[[], object]] = {}
    if page is None:

        def check(response_id: Any) -> None:
            if not response_id:
                raise RuntimeError("a send returned no event id")

        calls["tweepy_dm"] = lambda: check(
            ours.create_dm(participant_id=CAROL, text=SEND_TEXT, user_auth=user_auth).data[
                "dm_event_id"
            ]
        )
        calls["tweepy"] = lambda: check(
            native.create_direct_message(
                participant_id=CAROL, text=SEND_TEXT, user_auth=user_auth
            ).data["dm_event_id"]
        )
        if xdk_available() is None:
            from xdk.direct_messages.models import CreateByParticipantIdRequest

            sdk = xdk_client(emulator, auth)
            calls["xdk"] = lambda: check(
                sdk.direct_messages.create_by_participant_id(
                    str(CAROL), body=CreateByParticipantIdRequest(text=SEND_TEXT)
                ).data.dm_event_id
            )
        return calls

    kwargs = {"max_results": page, "dm_event_fields": EVENT_FIELDS, "user_auth": user_auth}

    def check_count(count: int) -> None:
        if count != page:
            raise RuntimeError(f"asked for {page} events, got {count}")

    calls["tweepy_dm"] = lambda: check_count(read_events(ours.get_dm_events(**kwargs).data))
    calls["tweepy"] = lambda: check_count(
        read_events(native.get_direct_message_events(**kwargs).data)
    )
    if xdk_available() is None:
        sdk = xdk_client(emulator, auth)
        # get_events pages through everything; the first page is one call.
        calls["xdk"] = lambda: check_count(
            read_xdk_events(
                next(
                    sdk.direct_messages.get_events(max_results=page, dm_event_fields=EVENT_FIELDS)
                ).data
            )
        )
    return calls


CPU_TARGETS = {
    # (what, baseline): target on ours / baseline
    ("100-event page", "tweepy"): Target("<=", 0.6),
    ("100-event page", "xdk"): Target("<=", 1.0),
    ("1-event page", "tweepy"): Target("<=", 1.0),
    ("1-event page", "xdk"): Target("<=", 1.0),
    ("send", "tweepy"): Target("<=", 1.0),
    ("send", "xdk"): Target("<=", 1.0),
}


def bench_cpu(emulator: EmulatorProcess, calls: int, rounds: int) -> None:
    print(f"\n## 1. CPU per call ({calls} calls per batch, {rounds} rounds)")
    if not HAS_NATIVE_DM:
        skip("1. CPU per call", f"needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DMs)")
        return
    if xdk_available():
        print(f"  xdk left out: {xdk_available()}")
    for auth, auth_label in (("bearer", "bearer"), ("oauth1", "OAuth 1.0a")):
        for page, what in ((1, "1-event page"), (100, "100-event page"), (None, "send")):
            contenders = sync_contenders(emulator, auth, page)
            for call in contenders.values():
                call()  # the same answer from each, and warm connections
            batches = {name: cpu_per_call(call, calls) for name, call in contenders.items()}
            measured = rounds_of(batches, rounds)
            medians = "  ".join(
                f"{name} {Spread.of(values).median * 1e3:.3f} ms"
                for name, values in measured.items()
            )
            print(f"  {auth_label:<10} {what:<15} CPU/call (median): {medians}")
            record(f"1. CPU per call, {what}, {auth_label} (median)", medians)
            for baseline in ("tweepy", "xdk"):
                if baseline not in measured:
                    continue
                spread = ratios(measured["tweepy_dm"], measured[baseline])
                print(f"    ours / {baseline}: {spread.format()} over {rounds} rounds")
                record_spread(
                    f"1. CPU per call, {what}, {auth_label}: ours / {baseline}",
                    spread,
                    CPU_TARGETS[(what, baseline)],
                )


# ---------------------------------------------------------------------------
# 2. Async


def async_available() -> Optional[str]:
    """Why the async clients cannot run here, or None if they can."""
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return 'tweepy_dm.AsyncClient needs aiohttp: pip install "tweepy-dm[async]"'
    try:
        tweepy_dm.AsyncClient(bearer_token="probe")
    except ImportError as exc:
        return str(exc)
    if not HAS_NATIVE_DM:
        return f"the comparison needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DMs)"
    return None


def redirect_tweepy_async(api_url: str) -> None:
    """Make tweepy's AsyncClient (and it alone) send its requests to ``api_url``.

    It opens an ``aiohttp.ClientSession()`` per request, for its hard-coded
    host; its module gets a session class that rewrites the URL.
    """
    import types
    import warnings

    import aiohttp
    import tweepy.asynchronous.client as tweepy_async

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # subclassing ClientSession

        class RewritingClientSession(aiohttp.ClientSession):
            def _request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
                if isinstance(url, str) and url.startswith(TWEEPY_HOST + "/"):
                    url = api_url + url[len(TWEEPY_HOST) :]
                return super()._request(method, url, *args, **kwargs)

    module = types.SimpleNamespace(**vars(aiohttp))
    module.ClientSession = RewritingClientSession
    tweepy_async.aiohttp = module  # type: ignore[attr-defined]


def bench_async(emulator: EmulatorProcess, calls: int, rounds: int) -> None:
    print(f"\n## 2. Async: {calls} lookups, wall time ({rounds} rounds); bearer token")
    reason = async_available()
    if reason:
        skip("2. async", reason)
        return
    print("  (xdk has no asyncio client: tweepy's AsyncClient is the only other contender)")
    from tweepy.asynchronous import AsyncClient as NativeAsyncClient

    redirect_tweepy_async(emulator.url)
    token = emulator.users[ALICE]["bearer_token"]

    async def run(call: Callable[[], Any], page: int, concurrency: int) -> None:
        async def worker(count: int) -> None:
            for _ in range(count):
                response = await call()
                if read_events(response.data) != page:
                    raise RuntimeError(f"asked for {page} events, got {len(response.data)}")

        shares = [calls // concurrency + (i < calls % concurrency) for i in range(concurrency)]
        await asyncio.gather(*(worker(share) for share in shares))

    def timed(body: Callable[[], Any]) -> Callable[[], float]:
        def batch() -> float:
            started = time.perf_counter()
            asyncio.run(body())
            return time.perf_counter() - started

        return batch

    for page in (10, 100):
        kwargs = {"max_results": page, "dm_event_fields": EVENT_FIELDS, "user_auth": False}
        for concurrency in (1, 10):

            async def ours_with_session(concurrency: int = concurrency, kwargs: Any = kwargs):
                async with tweepy_dm.AsyncClient(bearer_token=token, api_url=emulator.url) as c:
                    await run(lambda: c.get_dm_events(**kwargs), kwargs["max_results"], concurrency)

            async def ours_session_each(concurrency: int = concurrency, kwargs: Any = kwargs):
                c = tweepy_dm.AsyncClient(bearer_token=token, api_url=emulator.url)
                await run(lambda: c.get_dm_events(**kwargs), kwargs["max_results"], concurrency)

            async def native(concurrency: int = concurrency, kwargs: Any = kwargs):
                c = NativeAsyncClient(bearer_token=token)
                await run(
                    lambda: c.get_direct_message_events(**kwargs),
                    kwargs["max_results"],
                    concurrency,
                )

            measured = rounds_of(
                {
                    "tweepy_dm (async with)": timed(ours_with_session),
                    "tweepy_dm (session per request)": timed(ours_session_each),
                    "tweepy": timed(native),
                },
                rounds,
            )
            label = "sequential" if concurrency == 1 else f"{concurrency} at a time"
            medians = "  ".join(
                f"{name} {Spread.of(values).median * 1e3:.0f} ms"
                for name, values in measured.items()
            )
            print(f"  {page:>3}-event pages, {label:<12} (median): {medians}")
            speedup = ratios(measured["tweepy"], measured["tweepy_dm (async with)"])
            reuse = ratios(
                measured["tweepy_dm (session per request)"], measured["tweepy_dm (async with)"]
            )
            print(f"    tweepy / ours: {speedup.format()}")
            print(f"    ours without / with `async with`: {reuse.format()}")
            record_spread(
                f"2. Async {calls} calls, {page}-event pages, {label}: tweepy / ours (wall)",
                speedup,
                Target(">=", 1.6),
            )
            record_spread(
                f"2. Async {calls} calls, {page}-event pages, {label}:"
                " ours without / with `async with`",
                reuse,
            )


# ---------------------------------------------------------------------------
# 3. Parsing events


def event_dicts(count: int) -> list[dict[str, Any]]:
    """Events as X sends them for the fields most callers request.

    One in ten links a tweet (``referenced_tweets``), as DMs sharing a post
    do; timestamps differ from event to event, as in a real conversation.
    """
    events = []
    for index in range(count):
        seconds = 1666924835 + index * 7
        event: dict[str, Any] = {
            "id": str(1585321444547837956 + index),
            "event_type": "MessageCreate",
            "text": f"Message {index}: see you at the station at 6 https://t.co/xk4uN5vbLj",
            "sender_id": str(906948460078698496 + index % 7),
            "dm_conversation_id": "906948460078698496-1072250532645998596",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds)),
        }
        if index % 10 == 0:
            event["referenced_tweets"] = [{"id": str(1585047616533180416 + index)}]
        events.append(event)
    return events


def parse_batch(parse: Callable[[Any], Any], events: list[Any]) -> Callable[[], float]:
    def batch() -> float:
        gc.disable()  # a collection landing in one run only would skew it
        try:
            started = time.perf_counter()
            parsed = [parse(event) for event in events]
            elapsed = time.perf_counter() - started
        finally:
            gc.enable()
        del parsed
        return elapsed

    return batch


def bench_parse(count: int, rounds: int) -> None:
    print(f"\n## 3. Parsing {count:,} events ({rounds} rounds)")
    if not HAS_NATIVE_DM:
        skip("3. parsing", f"needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DM model)")
        return
    events = event_dicts(count)
    parsers: dict[str, Callable[[Any], Any]] = {
        "tweepy_dm": tweepy_dm.DirectMessageEvent,
        "tweepy": tweepy.DirectMessageEvent,
    }
    if xdk_available() is None:
        from xdk.schemas import DmEvent

        parsers["xdk"] = DmEvent.model_validate
    batches = {name: parse_batch(parse, events) for name, parse in parsers.items()}
    measured = rounds_of(batches, rounds)
    for name, values in measured.items():
        median = Spread.of(values).median
        print(f"  {name:<10} {median:.3f} s ({count / median:,.0f} events/s, median)")
    for baseline, target in (("tweepy", Target("<=", 0.3)), ("xdk", None)):
        if baseline in measured:
            spread = ratios(measured["tweepy_dm"], measured[baseline])
            print(f"  ours / {baseline}: {spread.format()}")
            record_spread(f"3. Parse {count:,} events: ours / {baseline}", spread, target)


def page_bytes(count: int) -> bytes:
    """A ``GET /2/dm_events`` page of ``count`` events, as X's bytes."""
    page = {"data": event_dicts(count), "meta": {"result_count": count, "next_token": "1ab2c3"}}
    return json.dumps(page, separators=(",", ":")).encode()


def page_parsers() -> dict[str, Callable[[bytes], Any]]:
    """Each contender's parse of a page's bytes into typed events."""
    from tweepy_dm import _activity, _client

    construct = tweepy_dm.Client(bearer_token="benchmark")._construct_response
    model = tweepy_dm.DirectMessageEvent

    def read(page: bytes) -> Any:
        # What Client.get_dm_events does with the body: tweepy's _make_request
        # reads it with response.json() (the client's response reads it with
        # msgspec (or orjson) when installed, else the stdlib json), then _construct_response.
        response = _client._Response()
        response._content, response.encoding = page, "utf-8"
        return construct(response.json(), data_type=model)

    parsers: dict[str, Callable[[bytes], Any]] = {"tweepy_dm": read}
    if _activity._decode is not None or _activity._orjson is not None:
        # The same without the ``fast`` extra: the stdlib json.
        parsers["tweepy_dm, stdlib json"] = lambda page: construct(
            json.loads(page), data_type=model
        )
    try:
        import datetime

        import msgspec
    except ImportError:
        print("  msgspec: not installed (pip install msgspec), left out")
    else:
        # defstruct: this module's annotations are strings (postponed evaluation).
        event = msgspec.defstruct(
            "DmEvent",
            [
                ("id", str),
                ("event_type", str),
                ("text", Optional[str], None),
                ("sender_id", Optional[str], None),
                ("dm_conversation_id", Optional[str], None),
                ("created_at", Optional[datetime.datetime], None),
                ("referenced_tweets", Optional[list[dict[str, str]]], None),
            ],
        )
        page_type = msgspec.defstruct("Page", [("data", list[event]), ("meta", dict)])
        decoder = msgspec.json.Decoder(page_type)
        parsers["msgspec"] = decoder.decode
    if xdk_available() is None:
        from xdk.direct_messages.models import GetEventsResponse

        # xdk's get_events: requests' response.json(), then its pydantic model.
        parsers["xdk"] = lambda page: GetEventsResponse.model_validate(json.loads(page))
    return parsers


def bench_page(rounds: int, pages: int = 200) -> None:
    """A 100-event page's bytes into typed events: CPU per page, contenders interleaved."""
    print(f"\n## 3b. A 100-event page into typed events ({pages} pages x {rounds} rounds)")
    if not HAS_NATIVE_DM:
        skip("3b. page", f"needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DM model)")
        return
    page = page_bytes(100)
    parsers = page_parsers()

    def batch_of(parse: Callable[[bytes], Any]) -> Callable[[], float]:
        def batch() -> float:
            gc.disable()
            try:
                started = time.process_time()
                for _ in range(pages):
                    parse(page)
                return (time.process_time() - started) / pages
            finally:
                gc.enable()

        return batch

    measured = rounds_of({name: batch_of(parse) for name, parse in parsers.items()}, rounds)
    for name, values in measured.items():
        print(f"  {name:<22} {Spread.of(values).median * 1e6:8.1f} µs per page (median)")
    for ours in ("tweepy_dm", "tweepy_dm, stdlib json"):
        for baseline, target in (("msgspec", Target("<=", 2.0)), ("xdk", Target("<=", 0.5))):
            if ours in measured and baseline in measured:
                spread = ratios(measured[ours], measured[baseline])
                print(f"  {ours} / {baseline}: {spread.format()}")
                record_spread(f"3b. 100-event page: {ours} / {baseline}", spread, target)


# ---------------------------------------------------------------------------
# 4. Export


EXPORT_COMMAND = [sys.executable, "-m", "tweepy_dm", "export"]


def export_available() -> bool:
    probe = subprocess.run(
        [*EXPORT_COMMAND, "--help"], capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    return probe.returncode == 0


def export_env(keys: dict[str, str]) -> dict[str, str]:
    """The child's environment: this user's OAuth 1.0a keys and nothing else of X's."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("X_")}
    env.update(
        X_CONSUMER_KEY=keys["consumer_key"],
        X_CONSUMER_SECRET=keys["consumer_secret"],
        X_ACCESS_TOKEN=keys["access_token"],
        X_ACCESS_TOKEN_SECRET=keys["access_token_secret"],
    )
    # Run this checkout even if another tweepy-dm is installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    return env


PEAK_RSS_LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_peak_rss.py")


def run_export(emulator: EmulatorProcess, user_id: int, folder: str) -> tuple[float, int, int]:
    """Export one user's events; return wall seconds, lines written and peak RSS (KiB)."""
    path = os.path.join(folder, f"export-{user_id}.jsonl")
    log_path = os.path.join(folder, f"export-{user_id}.log")
    result_path = os.path.join(folder, f"export-{user_id}.result.json")
    # The launcher spawns the export, waits for it with os.wait4 and writes its
    # wall time and ru_maxrss: wait4 on a child of this (by now large) process
    # would report this process's peak instead (see _peak_rss.py).
    export = [*EXPORT_COMMAND, path, "--api-url", emulator.url]
    with open(log_path, "wb") as log:
        subprocess.run(
            [sys.executable, "-S", PEAK_RSS_LAUNCHER, result_path, *export],
            env=export_env(emulator.users[user_id]),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=240,
        )
    with open(result_path, encoding="utf-8") as result_file:
        result = json.load(result_file)
    if result["exit_code"] != 0:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            raise RuntimeError(f"export exited with {result['exit_code']}:\n{log.read()[-2000:]}")
    lines = 0
    with open(path, encoding="utf-8") as exported:
        for line in exported:
            if lines == 0:
                json.loads(line)  # one JSON object per line
            lines += 1
    return result["seconds"], lines, result["max_rss_kib"]


def bench_export(emulator: EmulatorProcess, counts: dict[int, tuple[int, int]]) -> None:
    print("\n## 4. Export: `python -m tweepy_dm export` of seeded events")
    if not hasattr(os, "wait4"):
        skip("4. export", "peak RSS needs os.wait4 (Unix)")
        return
    if not export_available():
        skip("4. export", "tweepy-dm export not available")
        return
    peaks: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for count, (user_id, _) in counts.items():
            elapsed, lines, peak = run_export(emulator, user_id, folder)
            if lines != count:
                raise RuntimeError(f"export wrote {lines} events, {count} were seeded")
            peaks[count] = peak
            rate = count / elapsed
            print(
                f"  {count:>6,} events: {elapsed:.2f} s, {rate:,.0f} events/s,"
                f" peak RSS {peak / 1024:.1f} MiB"
            )
            record(f"4. Export {count:,} events: events/s", f"{rate:,.0f}")
            record(f"4. Export {count:,} events: peak RSS", f"{peak / 1024:.1f} MiB")
    small, large = min(peaks), max(peaks)
    ratio = peaks[large] / peaks[small]
    print(f"  peak RSS {large:,} / {small:,} events: {ratio:.2f} (flat is 1.0)")
    record(
        f"4. Export peak RSS, {large:,} / {small:,} events",
        f"{ratio:.2f}",
        "<= 1.1 (flat)",
        ratio <= 1.1,
    )


# ---------------------------------------------------------------------------
# 5. Emulator capacity against a bare http.server


def requests_per_second(
    url: str,
    total: int,
    threads: int,
    headers: dict[str, str],
    auth: Any = None,
    body: Optional[bytes] = None,
    status: int = 200,
) -> float:
    """GET ``url`` (POST ``body`` if given) ``total`` times from ``threads`` threads.

    Each thread has a keep-alive session of its own.
    """
    failures: list[str] = []

    def worker(count: int) -> None:
        with requests.Session() as session:
            session.headers.update(headers)
            if body is not None:
                session.headers["Content-Type"] = "application/json"
            for _ in range(count):
                if body is None:
                    response = session.get(url, auth=auth, timeout=30)
                else:
                    response = session.post(url, data=body, auth=auth, timeout=30)
                if response.status_code != status:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                    return

    shares = [total // threads + (index < total % threads) for index in range(threads)]
    workers = [threading.Thread(target=worker, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"the server answered {failures[0]}")
    return total / elapsed


THROUGHPUT_TARGETS = {
    (100, "bearer"): Target(">=", 2 / 3, "2/3"),
    (100, "oauth1"): Target(">=", 0.5),
    (10, "bearer"): Target(">=", 0.8),
    (10, "oauth1"): Target(">=", 0.6),
}


def bench_throughput(emulator: EmulatorProcess, total: int, rounds: int) -> None:
    print(
        f"\n## 5. Emulator capacity: {total:,} GET /2/dm_events per batch over keep-alive"
        f" connections, against a bare http.server answering the same bytes ({rounds} rounds)"
    )
    keys = emulator.users[ALICE]
    bearer = {"Authorization": f"Bearer {keys['bearer_token']}"}
    oauth1 = OAuth1Auth(
        keys["consumer_key"],
        keys["consumer_secret"],
        keys["access_token"],
        keys["access_token_secret"],
    )
    fields = ",".join(EVENT_FIELDS)
    targets = {
        page: f"/2/dm_events?max_results={page}&dm_event.fields={fields}" for page in (10, 100)
    }
    answers = {}
    for page, target in targets.items():
        response = requests.get(emulator.url + target, headers=bearer, timeout=30)
        if response.status_code != 200 or len(response.json()["data"]) != page:
            raise RuntimeError(f"the emulator answered {response.status_code}: {response.text}")
        answers[target] = record_answer(response)
    with tempfile.TemporaryDirectory() as folder:
        answers_path = os.path.join(folder, "answers.json")
        with open(answers_path, "w", encoding="utf-8") as file:
            json.dump(answers, file)
        with BareServerProcess(answers_path) as bare, LoadProcesses(4, bearer) as load:
            for page, target in targets.items():
                emulated, floor = emulator.url + target, bare.url + target

                def batch(url: str, threads: int, headers: Any, auth: Any = None) -> Any:
                    return lambda: requests_per_second(url, total, threads, headers, auth)

                def processes(url: str) -> Any:
                    return lambda: load.requests_per_second(url, total)

                measured = rounds_of(
                    {
                        "bare, bearer": batch(floor, 1, bearer),
                        "emulator, bearer": batch(emulated, 1, bearer),
                        "emulator, OAuth 1.0a": batch(emulated, 1, {}, oauth1),
                        "emulator, bearer, 4 processes": processes(emulated),
                        "bare, bearer, 4 processes": processes(floor),
                        "emulator, bearer, 4 threads": batch(emulated, 4, bearer),
                        "bare, bearer, 4 threads": batch(floor, 4, bearer),
                    },
                    rounds,
                )
                medians = ", ".join(
                    f"{name} {Spread.of(values).median:,.0f}" for name, values in measured.items()
                )
                print(f"  {page:>3}-event pages, requests/s (median): {medians}")
                for name, values in measured.items():
                    record_spread(
                        f"5. {page}-event pages, {name}: requests/s", Spread.of(values), digits=0
                    )
                for auth, name, label in (
                    ("bearer", "emulator, bearer", "bearer"),
                    ("oauth1", "emulator, OAuth 1.0a", "OAuth 1.0a"),
                ):
                    spread = ratios(measured[name], measured["bare, bearer"])
                    print(f"    emulator / bare, {label}: {spread.format()}")
                    record_spread(
                        f"5. Emulator / bare http.server, {page}-event pages, {label}",
                        spread,
                        THROUGHPUT_TARGETS[(page, auth)],
                    )
                for server in ("emulator", "bare"):
                    for clients in ("4 processes", "4 threads"):
                        spread = ratios(
                            measured[f"{server}, bearer, {clients}"],
                            measured[f"{server}, bearer"],
                        )
                        print(f"    {server}, {clients} / sequential: {spread.format()}")
                        # The target is the emulator's with concurrent clients; a
                        # threaded client is bound by its own GIL (see _load.py),
                        # which the bare server's figure shows.
                        target = (
                            Target(">=", 1.0)
                            if (server, clients) == ("emulator", "4 processes")
                            else None
                        )
                        record_spread(
                            f"5. {server.capitalize()}, {page}-event pages: {clients} / sequential",
                            spread,
                            target,
                        )


# ---------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs"


def versions() -> str:
    parts = [
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"tweepy {tweepy.__version__}",
        f"tweepy-dm {tweepy_dm.__version__}",
        f"xdk {xdk_version()}" if xdk_available() is None else "no xdk",
        f"requests {requests.__version__}",
    ]
    try:
        import aiohttp

        parts.append(f"aiohttp {aiohttp.__version__}")
    except ImportError:
        parts.append("no aiohttp")
    return ", ".join(parts)


def table() -> str:
    rows = [
        "| metric | median (range; IQR) | target | met |",
        "|---|---|---|---|",
    ]
    for result in RESULTS:
        ok = {True: "yes", False: "**no**", None: ""}[result.ok]
        if result.note:
            ok += f" ({result.note})"
        rows.append(f"| {result.metric} | {result.value} | {result.target} | {ok} |")
    return "\n".join(rows)


def commit() -> str:
    """The checkout's commit, marked when the working tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}" if head else "unknown"


def write_json(
    path: str, at_start: MachineLoad, at_end: MachineLoad, seconds: float, quick: bool
) -> None:
    report = {
        "machine": machine(),
        "software": versions(),
        "commit": commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "quick": quick,
        "seconds": round(seconds),
        "load_at_start": at_start.describe(),
        "load_at_end": at_end.describe(since=at_start),
        "results": [result._asdict() for result in RESULTS],
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(report, file, indent=1)


# Counts for a full run, and for --quick (checks the script, not the numbers).
FULL = {"calls": 25, "rounds": 15, "async_calls": 200, "async_rounds": 7, "events": 100_000,
        "parse_rounds": 5, "requests": 200, "throughput_rounds": 7, "export_scale": 1}  # fmt: skip
QUICK = {"calls": 5, "rounds": 3, "async_calls": 40, "async_rounds": 2, "events": 10_000,
         "parse_rounds": 2, "requests": 40, "throughput_rounds": 2, "export_scale": 10}  # fmt: skip

#: The emulator's XChat routes against the same bare server (chosen: the legacy
#: 100-event page's target for a page, OAuth 1.0a's for a send, whose signature the
#: emulator verifies against the sender's registered key on every request).
CHAT_THROUGHPUT_TARGETS = {"page": Target(">=", 2 / 3, "2/3"), "send": Target(">=", 0.5)}


def bench_chat_throughput(emulator: EmulatorProcess, total: int, rounds: int) -> None:
    """The emulator's /2/chat routes against a bare http.server answering their bytes."""
    print(
        f"\n## 5b. Emulator capacity, XChat routes: {total:,} requests per batch over"
        f" keep-alive connections, against a bare http.server ({rounds} rounds)"
    )
    try:
        import chat_xdk  # noqa: F401
        import xchat as xchat_bench  # benchmarks/xchat.py: its users and raw sender
    except ImportError as error:
        skip("5b. emulator XChat routes", f"the xchat extra is not installed ({error})")
        return
    world = xchat_bench.World(emulator, [])  # Alice's and Bob's keys; Bob's 100 messages
    raw = xchat_bench.Raw(world)
    bearer = {"Authorization": f"Bearer {emulator.users[ALICE]['bearer_token']}"}
    base = f"/2/chat/conversations/{world.conversation}"
    page = f"{base}/events?max_results={xchat_bench.PAGE}"
    send = f"{base}/messages"
    # One signed message sent again and again: the emulator verifies its
    # signature each time, and keeps each copy (the page read is measured first).
    message = json.dumps(raw._message()).encode()
    answers = {
        page: record_answer(requests.get(emulator.url + page, headers=bearer, timeout=30)),
        send: record_answer(
            requests.post(
                emulator.url + send,
                data=message,
                headers={**bearer, "Content-Type": "application/json"},
                timeout=30,
            )
        ),
    }
    if answers[page]["status"] != 200 or answers[send]["status"] != 201:
        raise RuntimeError(
            f"the emulator answered {answers[page]['status']}, {answers[send]['status']}"
        )
    with tempfile.TemporaryDirectory() as folder:
        answers_path = os.path.join(folder, "answers.json")
        with open(answers_path, "w", encoding="utf-8") as file:
            json.dump(answers, file)
        with BareServerProcess(answers_path) as bare:
            for name, target, body, status in (
                ("page", page, None, 200),
                ("send", send, message, 201),
            ):

                def batch(url: str, body: Optional[bytes] = body, status: int = status) -> Any:
                    return lambda: requests_per_second(
                        url, total, 1, bearer, body=body, status=status
                    )

                measured = rounds_of(
                    {"bare": batch(bare.url + target), "emulator": batch(emulator.url + target)},
                    rounds,
                )
                label = (
                    f"GET {xchat_bench.PAGE}-event chat page"
                    if name == "page"
                    else "POST a signed chat message"
                )
                medians = ", ".join(
                    f"{who} {Spread.of(values).median:,.0f}" for who, values in measured.items()
                )
                print(f"  {label}, requests/s (median): {medians}")
                spread = ratios(measured["emulator"], measured["bare"])
                print(f"    emulator / bare: {spread.format()}")
                record_spread(
                    f"5b. Emulator / bare http.server, {label}, bearer",
                    spread,
                    CHAT_THROUGHPUT_TARGETS[name],
                )


#: A verdict as the child scripts print it (``Spread.format`` and ``Target`` of
#: _measure.py): ``<metric>: <median> (<low>-<high>; IQR <q1>-<q3>)  target <op>
#: <bound>: met`` or ``MISSED``, with a note in brackets when the spread crosses it.
_NUMBER = r"-?[\d,]+(?:\.\d+)?"
VERDICT_LINE = re.compile(
    rf"^\s*(?P<metric>\S.*?): (?P<value>{_NUMBER} \({_NUMBER}-{_NUMBER}; IQR {_NUMBER}-{_NUMBER}\))"
    r"\s+target (?P<target>[<>]= \S+): (?P<verdict>met|MISSED)(?: \((?P<note>[^)]*)\))?\s*$"
)


def verdicts(section: str, lines: list[str]) -> list[Result]:
    """The verdicts among a child script's output ``lines``, as results of ``section``."""
    found = []
    for line in lines:
        match = VERDICT_LINE.match(line)
        if match:
            found.append(
                Result(
                    f"{section}: {' '.join(match['metric'].split())}",
                    match["value"],
                    match["target"],
                    match["verdict"] == "met",
                    match["note"] or "",
                )
            )
    return found


def _script(name: str, quick: bool, section: str) -> None:
    """Run benchmarks/NAME as a child process; its output goes to ours, its verdicts to RESULTS.

    The scripts also run alone, printing their verdicts; read from that output,
    they reach the table and ``--json`` as this script's own sections' do.
    """
    print(f"\n## benchmarks/{name}", flush=True)
    command = [sys.executable, str(pathlib.Path(__file__).with_name(name))]
    lines = []
    with subprocess.Popen(
        [*command, *(["--quick"] if quick else [])], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None  # PIPE was asked for
        for line in child.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    RESULTS.extend(verdicts(section, lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="few rounds: checks the script, not the numbers"
    )
    parser.add_argument("--strict", action="store_true", help="exit with 1 if a target is missed")
    parser.add_argument(
        "--json",
        metavar="PATH",
        help="also write the results to PATH, for benchmarks/compare.py to set runs side by side",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=["cpu", "async", "parse", "export", "emulator", "realtime", "bot", "xchat", "chat"],
        help="run only these sections (repeatable)",
    )
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    export_users = {count // counts["export_scale"]: users for count, users in EXPORT_USERS.items()}

    print("# tweepy-dm benchmarks" + (" (--quick: not for publishing)" if args.quick else ""))
    print(f"machine:  {machine()}")
    print(f"software: {versions()}")
    load_at_start = MachineLoad.now()
    print(f"at start: {load_at_start.describe()}")
    started = time.perf_counter()
    conversations = [(ALICE, BOB, HISTORY), (ALICE, CAROL, 1)] + [
        (user_id, peer_id, count) for count, (user_id, peer_id) in export_users.items()
    ]
    failed = []
    with EmulatorProcess(conversations) as emulator:
        seeded = sum(count for _, _, count in conversations)
        print(
            f"emulator: {emulator.url} in another process; seeded {seeded:,} events"
            f" in {emulator.seed_seconds:.2f} s through seed_messages()"
        )
        sections: list[tuple[str, str, Callable[[], None]]] = [
            (
                "cpu",
                "1. CPU per call",
                lambda: bench_cpu(emulator, counts["calls"], counts["rounds"]),
            ),
            (
                "async",
                "2. async",
                lambda: bench_async(emulator, counts["async_calls"], counts["async_rounds"]),
            ),
            ("parse", "3. parsing", lambda: bench_parse(counts["events"], counts["parse_rounds"])),
            ("parse", "3b. a page", lambda: bench_page(counts["rounds"])),
            ("export", "4. export", lambda: bench_export(emulator, export_users)),
            (
                "emulator",
                "5. emulator capacity",
                lambda: bench_throughput(emulator, counts["requests"], counts["throughput_rounds"]),
            ),
            (
                "emulator",
                "5b. emulator, XChat routes",
                lambda: bench_chat_throughput(
                    emulator, counts["requests"], counts["throughput_rounds"]
                ),
            ),
            # The stream, webhook and bot benchmarks are scripts of their own (each also
            # runs alone); here they run as children, printing their own tables, and
            # their verdicts join this script's.
            (
                "realtime",
                "6. real time",
                lambda: _script("realtime.py", args.quick, "6. realtime.py"),
            ),
            ("bot", "7. bot runtime", lambda: _script("bot.py", args.quick, "7. bot.py")),
            ("xchat", "8. XChat", lambda: _script("xchat.py", args.quick, "8. xchat.py")),
            (
                "chat",
                "9. dm_chat scenarios",
                lambda: _script("dm_chat.py", args.quick, "9. dm_chat.py"),
            ),
        ]
        for key, name, section in sections:
            if args.only and key not in args.only:
                continue
            # One broken section must not hide the others' results.
            try:
                section()
            except Exception:
                traceback.print_exc()
                failed.append(name)
                record(name, "**failed** (traceback above)")
    load_at_end = MachineLoad.now()
    print(f"\nTotal time: {time.perf_counter() - started:.0f} s")
    print(f"at end:   {load_at_end.describe(since=load_at_start)}")
    print(f"\n{machine()}; {versions()}")
    print(f"Load at start: {load_at_start.describe()}.")
    print(f"Load at end: {load_at_end.describe(since=load_at_start)}.\n")
    print(table())
    if args.json:
        write_json(args.json, load_at_start, load_at_end, time.perf_counter() - started, args.quick)
    missed = [result for result in RESULTS if result.ok is False]
    met = [result for result in RESULTS if result.ok is True]
    shaky = [result for result in RESULTS if result.note]
    print(
        f"\n{len(met)} of {len(met) + len(missed)} targets met by the median;"
        f" {len(shaky)} verdicts have a spread that crosses their target."
    )
    if failed:
        print(f"Failed: {', '.join(failed)}.")
        return 1
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
