"""Real-time benchmarks: the Activity stream and the webhook receiver.

Three measurements, each printed as a median with its spread over
interleaved rounds (see ``_measure.py``), with the machine's load at the
start and at the end:

1. Stream parsing and dispatch: the same stream bytes (``dm.received``
   lines as the emulator writes them, each with its own ``event_uuid``), cut
   into the same chunks, go through ``tweepy_dm``'s stream flow (line
   splitting, JSON, event model, dedupe, the consumer's handler) and through
   what xdk 0.10.6's streaming client runs per chunk
   (``xdk.streaming._process_stream``: line splitting, ``json.loads``,
   ``ActivityStreamResponse.model_validate``, the same handler). Events per
   CPU second for each, and their ratio within each round.
2. Latency from a DM sent to the emulator (``create_dm`` over HTTP) until an
   ``ActivityStream`` yields it: p50 and p99, one message at a time.
3. Signed webhook requests per second through ``tweepy_dm.webhooks.asgi_app``
   under uvicorn, the server pinned to one core and the load generator to
   another, against a bare ASGI app under the same uvicorn (the floor), plus
   the CPU time per request of verification, parsing and dispatch measured
   in-process over the same bodies.

Run ``python benchmarks/realtime.py`` (``--quick`` for a smoke run). xdk is a
benchmark-only dependency; without it the xdk side is skipped. uvicorn is
needed for the webhook measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import codecs
import hashlib
import hmac
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _measure import MachineLoad, Spread, Target, ratios, rounds_of  # noqa: E402

import tweepy_dm  # noqa: E402
from tweepy_dm import webhooks  # noqa: E402
from tweepy_dm._flow import ReadChunk, Send  # noqa: E402
from tweepy_dm._stream import Emit, StreamResponse, StreamStats, settings, stream_flow  # noqa: E402
from tweepy_dm.emulator import DMEmulator  # noqa: E402

ALICE, BOB = 2244994945, 783214
SECRET = "benchmark-consumer-secret"
#: xdk's StreamConfig default; both sides get the same chunks.
CHUNK_SIZE = 1024
TEXTS = [
    "Message {i}: see you at the station at 6, and bring the tickets please",
    "#tag $XDEV @alice {i} see https://x.com/bob/status/1234567890",
    "é🙂 {i} ok",
]


def print_load(label: str, since: Optional[MachineLoad] = None) -> MachineLoad:
    now = MachineLoad.now()
    print(f"Machine ({label}): {now.describe(since)}", flush=True)
    return now


# Stream lines


def _emulator_users(emulator: DMEmulator) -> tuple[tweepy_dm.Client, tweepy_dm.Client]:
    alice = emulator.add_user(ALICE, "alice", "Alice")
    bob = emulator.add_user(BOB, "bob", "Bob")
    as_alice = tweepy_dm.Client(api_url=emulator.url, bearer_token=alice["bearer_token"])
    as_alice.create_activity_subscription(event_type="dm.received", user_id=ALICE)
    return as_alice, tweepy_dm.Client(api_url=emulator.url, **bob)


def stream_lines(count: int, templates: int = 60) -> list[bytes]:
    """``count`` dm.received lines as the emulator streams them, each a new event and DM.

    Each has its own ``event_uuid`` and its own DM id: receivers dedupe by both,
    and a repeated DM id would be dropped before the handler, measuring nothing.
    """
    with DMEmulator() as emulator:
        _emulator_users(emulator)
        conversation = emulator.conversation_id(ALICE, BOB)
        for text in TEXTS:
            emulator.seed_messages(
                conversation, max(1, templates // len(TEXTS)), sender_ids=[BOB], text=text
            )
        # The lines the stream would send: read back from its history (no HTTP needed).
        history = [item.line for item in emulator._activity._history]
    documents = [json.loads(line) for line in history]
    lines = []
    for index in range(count):
        document = documents[index % len(documents)]
        document["data"]["event_uuid"] = str(-(10**18) - index)
        for item in document["data"]["payload"]["direct_message_events"]:
            item["id"] = str(10**18 + index)
        lines.append(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    return [line + b"\r\n" for line in lines]


def chunks_of(lines: list[bytes], size: int = CHUNK_SIZE) -> list[bytes]:
    blob = b"".join(lines)
    return [blob[start : start + size] for start in range(0, len(blob), size)]


def touch_ours(event: Any) -> None:
    """The consumer's handler: what a DM bot reads first."""
    message = event.direct_message
    if message is not None:
        message.text  # noqa: B018


def route_ours(event: Any) -> None:
    """A router's handler: what kind of event, from whom; the message is not read."""
    event.event_type  # noqa: B018
    event.sender_id  # noqa: B018


def touch_xdk(item: Any) -> None:
    data = item.data if not isinstance(item, dict) else None
    if data is not None and data.payload is not None:
        data.payload  # noqa: B018


def ours_parse(chunks: list[bytes], handler: Callable[[Any], None] = touch_ours) -> int:
    """Drive tweepy_dm's stream flow over ``chunks``; return the events handed to ``handler``."""
    flow = stream_flow(settings(), StreamStats(), time.monotonic)
    effect = flow.send(None)
    assert isinstance(effect, Send), effect
    effect = flow.send(StreamResponse(200, "OK", {}))
    handled = 0
    pieces = iter(chunks)
    while True:
        if type(effect) is Emit:
            handler(effect.event)
            handled += 1
            effect = next(flow)
        elif type(effect) is ReadChunk:
            piece = next(pieces, None)
            if piece is None:
                break
            effect = flow.send(piece)
        else:
            raise AssertionError(f"unexpected effect {effect!r}")
    flow.close()
    return handled


class _XdkResponse:
    """What xdk's ``_process_stream`` reads: requests' ``iter_content`` with decode_unicode."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def iter_content(self, chunk_size: int, decode_unicode: bool) -> Any:
        return iter(self.texts)


def xdk_texts(chunks: list[bytes]) -> list[str]:
    """The chunks as requests decodes them for xdk (decoded before timing)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    return [decoder.decode(chunk) for chunk in chunks] + [decoder.decode(b"", final=True)]


def xdk_parse(texts: list[str], handler: Callable[[Any], None] = touch_xdk) -> int:
    from xdk.stream.models import ActivityResponse
    from xdk.streaming import StreamConfig, StreamState, _process_stream

    handled = 0
    for item in _process_stream(
        _XdkResponse(texts), StreamConfig(), StreamState(), ActivityResponse
    ):
        handler(item)
        handled += 1
    return handled


def xdk_version() -> Optional[str]:
    try:
        from importlib.metadata import version

        import xdk  # noqa: F401

        return version("xdk")
    except Exception:
        return None


#: Events per CPU second, reading each message, against xdk's ``_process_stream``.
STREAM_TARGET = Target(">=", 1.0)


def bench_stream_parse(count: int, rounds: int) -> dict[str, Any]:
    lines = stream_lines(count)
    chunks = chunks_of(lines)
    texts = xdk_texts(chunks)
    size = sum(map(len, lines))
    print(
        f"\n1. Stream parsing + dispatch: {count:,} dm.received lines "
        f"({size / count:,.0f} bytes each on average) in {len(chunks):,} chunks of {CHUNK_SIZE} B",
        flush=True,
    )

    def per_second(parse: Callable[[], int]) -> Callable[[], float]:
        def batch() -> float:
            started = time.process_time()
            handled = parse()
            elapsed = time.process_time() - started
            assert handled == count, (handled, count)
            return handled / elapsed

        return batch

    batches = {
        "tweepy_dm": per_second(lambda: ours_parse(chunks)),
        "tweepy_dm, routing": per_second(lambda: ours_parse(chunks, route_ours)),
    }
    version = xdk_version()
    if version is not None:
        batches["xdk"] = per_second(lambda: xdk_parse(texts))
    results = rounds_of(batches, rounds)
    out: dict[str, Any] = {
        "tweepy_dm": Spread.of(results["tweepy_dm"]),
        "tweepy_dm, routing": Spread.of(results["tweepy_dm, routing"]),
    }
    print(
        f"   tweepy_dm, reading each message (a typed DirectMessageEvent):"
        f" {out['tweepy_dm'].format(0)} events per CPU second"
    )
    print(
        f"   tweepy_dm, routing (event_type and sender_id; the message model is never built):"
        f" {out['tweepy_dm, routing'].format(0)} events per CPU second"
    )
    if version is not None:
        out["xdk"] = Spread.of(results["xdk"])
        out["ratio"] = ratios(results["tweepy_dm"], results["xdk"])
        out["routing ratio"] = ratios(results["tweepy_dm, routing"], results["xdk"])
        print(
            f"   xdk {version} (pydantic envelope and payload models; ids and times stay strings):"
            f" {out['xdk'].format(0)} events per CPU second"
        )
        ok, note = STREAM_TARGET.verdict(out["ratio"])
        verdict = ("met" if ok else "MISSED") + (f" ({note})" if note else "")
        print(
            f"   ratio tweepy_dm / xdk, reading each message: {out['ratio'].format(2)}"
            f"  target {STREAM_TARGET}: {verdict}"
        )
        print(f"   ratio tweepy_dm / xdk, routing: {out['routing ratio'].format(2)}")
    else:
        print("   xdk: not installed, skipped")
    return out


# Latency


def latencies(messages: int, *, settle: float = 30.0) -> list[float]:
    """Seconds from ``create_dm`` being called until the stream yields that DM, one at a time."""
    with DMEmulator(stream_heartbeat=1.0) as emulator:
        _, bob = _emulator_users(emulator)
        stream = tweepy_dm.ActivityStream(
            emulator.app_bearer_token, api_url=emulator.url, timeout=5
        )
        arrived: dict[int, float] = {}
        ready = threading.Condition()
        failure: list[BaseException] = []

        def consume() -> None:
            try:
                for event in stream:
                    now = time.perf_counter()
                    with ready:
                        arrived[event.direct_message.id] = now
                        ready.notify_all()
            except BaseException as error:  # reported below
                failure.append(error)

        consumer = threading.Thread(target=consume, daemon=True)
        consumer.start()
        deadline = time.monotonic() + settle
        while emulator._activity.connections < 1:
            if time.monotonic() > deadline or failure:
                raise RuntimeError(f"the stream did not connect: {failure}")
            time.sleep(0.01)
        result = []
        try:
            for index in range(messages):
                started = time.perf_counter()
                sent = bob.create_dm(participant_id=ALICE, text=f"latency probe {index}")
                event_id = int(sent.data["dm_event_id"])
                with ready:
                    if not ready.wait_for(lambda i=event_id: i in arrived, timeout=settle):
                        raise RuntimeError(f"DM {event_id} never reached the stream: {failure}")
                    result.append(arrived.pop(event_id) - started)
        finally:
            stream.close()
            consumer.join(settle)
        return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def bench_latency(messages: int, rounds: int) -> dict[str, Spread]:
    print(
        "\n2. Latency, create_dm to the stream yielding it: "
        f"{messages:,} messages x {rounds} rounds"
    )
    p50s, p99s = [], []
    for _ in range(rounds):
        values = latencies(messages)
        p50s.append(percentile(values, 0.50) * 1000)
        p99s.append(percentile(values, 0.99) * 1000)
    out = {"p50": Spread.of(p50s), "p99": Spread.of(p99s)}
    print(f"   p50: {out['p50'].format(2)} ms (per round)")
    print(f"   p99: {out['p99'].format(2)} ms (per round)")
    return out


# Webhooks


def sign(body: bytes) -> str:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode("ascii")


def webhook_bodies(count: int) -> list[bytes]:
    """XAA webhook bodies (the stream's line shape), each with its own event_uuid."""
    return [line.rstrip(b"\r\n") for line in stream_lines(count)]


def handler_counting(counter: list[int]) -> Callable[[Any], None]:
    def handler(event: Any) -> None:
        touch_ours(event)
        counter[0] += 1

    return handler


def phase_costs(bodies: list[bytes], batch: int = 50) -> dict[str, float]:
    """Mean CPU seconds per request of verification, parsing and dispatch, over ``bodies``.

    Parsed a few at a time, then dispatched: a server holds a request's events
    only while it handles them. Holding all of them at once (thousands of
    live dicts) makes the garbage collector walk them again and again, which
    once tripled what parsing seemed to cost.
    """
    signatures = [sign(body) for body in bodies]
    counter = [0]
    handler = handler_counting(counter)
    verify = parse = dispatch = 0.0
    for start in range(0, len(bodies), batch):
        some = bodies[start : start + batch]
        started = time.process_time()
        for body, signature in zip(some, signatures[start : start + batch]):
            if not webhooks.verify_signature(SECRET, body, signature):
                raise AssertionError("a benchmark body failed verification")
        verified = time.process_time()
        parsed = [webhooks.parse_webhook(body) for body in some]
        done_parsing = time.process_time()
        for events in parsed:
            for event in events:
                handler(event)
        del parsed
        dispatched = time.process_time()
        verify += verified - started
        parse += done_parsing - verified
        dispatch += dispatched - done_parsing
    assert counter[0] == len(bodies), counter
    count = len(bodies)
    return {"verify": verify / count, "parse": parse / count, "dispatch": dispatch / count}


KINDS = {
    "asgi_app": "asgi_app, no-op plain-function handler (run on the app's thread)",
    "asgi_app_async": "asgi_app, no-op coroutine handler",
    "bare": "bare ASGI app answering 200 (the floor)",
    "wsgi_app": "wsgi_app under waitress, no-op plain-function handler",
    "bare_wsgi": "bare WSGI app under waitress answering 200 (its floor)",
}
#: Each receiver and the bare app it is compared with (under the same server).
FLOORS = {"asgi_app": "bare", "asgi_app_async": "bare", "wsgi_app": "bare_wsgi"}
#: Each receiver's requests per second over its floor's (issue 24's targets).
TARGETS = {
    "asgi_app": Target(">=", 0.6),
    "asgi_app_async": Target(">=", 0.8),
    "wsgi_app": Target(">=", 0.6),
}


def bare_wsgi_app() -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    return app


def _serve_wsgi(app: Any, listener: socket.socket, counter: list[int], kind: str) -> None:
    """waitress (one thread, as uvicorn has one loop) until stdin closes, then the count."""
    import logging

    import waitress

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" notes
    server = waitress.create_server(app, sockets=[listener], threads=1)

    def stop() -> None:
        sys.stdin.read()
        print(json.dumps({"handled": None if kind == "bare_wsgi" else counter[0]}), flush=True)
        os._exit(0)  # waitress has no clean stop from another thread

    threading.Thread(target=stop, daemon=True).start()
    server.run()


def bare_app() -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]}
        )
        await send({"type": "http.response.body", "body": b""})

    return app


def serve(kind: str, cpu: int) -> None:
    """Child process: uvicorn (waitress for WSGI) on one core serving ``kind``, of :data:`KINDS`."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    counter = [0]

    def handler(event: Any) -> None:  # a no-op that counts: the receiver's own cost is measured
        counter[0] += 1

    if kind == "asgi_app":
        app = webhooks.asgi_app(SECRET, handler)
    elif kind == "asgi_app_async":

        async def async_handler(event: Any) -> None:
            counter[0] += 1

        app = webhooks.asgi_app(SECRET, async_handler)
    elif kind == "wsgi_app":
        app = webhooks.wsgi_app(SECRET, handler)
    elif kind == "bare_wsgi":
        app = bare_wsgi_app()
    else:
        app = bare_app()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    print(json.dumps({"port": listener.getsockname()[1]}), flush=True)
    if kind in ("wsgi_app", "bare_wsgi"):
        _serve_wsgi(app, listener, counter, kind)
        return
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    threading.Thread(
        target=lambda: (sys.stdin.read(), setattr(server, "should_exit", True))
    ).start()
    server.run(sockets=[listener])
    print(json.dumps({"handled": None if kind == "bare" else counter[0]}), flush=True)


class ServerProcess:
    def __init__(self, kind: str, cpu: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve", kind, "--cpu", str(cpu)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdin is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {kind} server did not start")
        self.port = json.loads(line)["port"]
        self.handled: Optional[int] = None
        #: CPU seconds per request of the server process (all its threads), per batch.
        self.cpu_per_request: list[float] = []
        #: The server's CPU seconds over the batch's wall seconds, per batch.
        self.busy: list[float] = []

    def cpu_seconds(self) -> Optional[float]:
        """The server's CPU time so far (user + system, every thread), or None off Linux."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        """Stop the server; :attr:`handled` is then how many events reached its handler."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.handled = json.loads(self.process.stdout.readline() or "{}").get("handled")
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def request_bytes(port: int, body: bytes) -> bytes:
    head = (
        f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"x-twitter-webhooks-signature: {sign(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _one_connection(port: int, requests: list[bytes], statuses: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            writer.write(request)
            status_line = await reader.readline()
            statuses.append(int(status_line.split()[1]))
            length = 0
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b""):
                    break
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                elif name.strip().lower() == b"transfer-encoding":
                    raise RuntimeError("the load generator reads only Content-Length bodies")
            if length:
                await reader.readexactly(length)
    finally:
        writer.close()


def load(port: int, requests: list[bytes], connections: int) -> float:
    """Send ``requests`` over ``connections`` keep-alive connections; requests per second."""
    statuses: list[int] = []
    shares = [requests[index::connections] for index in range(connections)]

    async def run() -> None:
        await asyncio.gather(*(_one_connection(port, share, statuses) for share in shares))

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    bad = [status for status in statuses if status != 200]
    if bad or len(statuses) != len(requests):
        raise RuntimeError(f"{len(bad)} answers were not 200 ({bad[:5]}), {len(statuses)} answers")
    return len(requests) / elapsed


def bench_webhooks(per_round: int, rounds: int, connections: int = 8) -> dict[str, Any]:
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    server_cpu, client_cpus = cpus[0], (set(cpus[1:]) or {cpus[0]})
    print(
        f"\n3. Signed webhook requests, each its own event and DM, through asgi_app under uvicorn"
        f" (httptools, one worker) and wsgi_app under waitress: server on CPU {server_cpu}, "
        f"load generator on CPU(s) {sorted(client_cpus)}, {connections} keep-alive connections, "
        f"{per_round:,} requests x {rounds} rounds"
    )
    bodies = webhook_bodies(per_round * (rounds + 1))
    costs = phase_costs(bodies[: min(len(bodies), 5000)])
    total = sum(costs.values())
    print(
        "   CPU per request, in-process: "
        + ", ".join(f"{name} {value * 1e6:,.1f} µs" for name, value in costs.items())
        + f" (sum {total * 1e6:,.1f} µs, {1 / total:,.0f} requests per CPU second)"
    )
    out: dict[str, Any] = {"costs": costs}
    previous = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else None
    servers: dict[str, ServerProcess] = {}
    kinds = list(KINDS)
    if importlib.util.find_spec("waitress") is None:
        print("   wsgi_app left out: waitress is not installed (pip install waitress)")
        kinds = [kind for kind in kinds if "wsgi" not in kind]
    try:
        for kind in kinds:
            servers[kind] = ServerProcess(kind, server_cpu)
        if previous is not None:
            os.sched_setaffinity(0, client_cpus)
        batches = {}
        for kind, server in servers.items():
            # The receivers drop repeated event_uuids: every round sends new bodies.
            batch_bodies = iter(bodies[i : i + per_round] for i in range(0, len(bodies), per_round))

            def batch(server: ServerProcess = server, batch_bodies: Any = batch_bodies) -> float:
                requests = [request_bytes(server.port, body) for body in next(batch_bodies)]
                before = server.cpu_seconds()
                rate = load(server.port, requests, connections)
                after = server.cpu_seconds()
                if before is not None and after is not None:
                    server.cpu_per_request.append((after - before) / len(requests))
                    server.busy.append((after - before) / len(requests) * rate)
                return rate

            batches[kind] = batch
        results = rounds_of(batches, rounds)
    finally:
        if previous is not None:
            os.sched_setaffinity(0, previous)
        for server in servers.values():
            server.close()
    sent = per_round * (rounds + 1)  # with the warm-up round
    for kind in kinds:
        out[kind] = Spread.of(results[kind])
        handled = servers[kind].handled
        reached = (
            "" if handled is None else f" ({handled:,} of {sent:,} events reached the handler)"
        )
        if handled is not None and handled != sent:  # dropped or doubled: not what was measured
            reached += " INVALID: every delivery is distinct, each must reach the handler once"
        out[f"{kind}/handled"] = handled
        print(f"   {KINDS[kind]}: {out[kind].format(0)} requests per second{reached}")
    for kind, floor in FLOORS.items():
        if kind in results:
            spread = out[f"{kind}/{floor}"] = ratios(results[kind], results[floor])
            ok, note = TARGETS[kind].verdict(spread)
            verdict = ("met" if ok else "MISSED") + (f" ({note})" if note else "")
            if out[f"{kind}/handled"] != sent:
                verdict = "INVALID (not every delivery reached the handler once)"
            print(
                f"   ratio {kind} / {floor} (per round): {spread.format(2)}"
                f"  target {TARGETS[kind]}: {verdict}"
            )
    # Requests per second follow the CPU share the server gets, which other
    # processes take from it on a shared machine; its own CPU per request does
    # not. Its floor's CPU over its own is what the ratio would be on a quiet core.
    for kind, floor in FLOORS.items():
        ours, bare = servers.get(kind), servers.get(floor)
        if ours is None or bare is None or not ours.cpu_per_request:
            continue
        spread = out[f"{kind}/{floor}/cpu"] = ratios(
            bare.cpu_per_request[1:],
            ours.cpu_per_request[1:],  # without the warm-up round
        )
        print(
            f"   server CPU per request, {floor} / {kind}: {spread.format(2)}"
            f" ({Spread.of(ours.cpu_per_request[1:]).median * 1e6:,.0f} µs against"
            f" {Spread.of(bare.cpu_per_request[1:]).median * 1e6:,.0f} µs)"
        )
    # Requests per second measure the server's CPU only while it keeps its core
    # busy; well below 1, they measure how fast it is woken (other processes on
    # the core, the load generator) and the ratios above say little.
    busy = {kind: server.busy[1:] for kind, server in servers.items() if server.busy[1:]}
    if busy:
        print(
            "   server's CPU over wall time (1 = its core kept busy): "
            + ", ".join(f"{kind} {Spread.of(values).median:.2f}" for kind, values in busy.items())
        )
        out["busy"] = {kind: Spread.of(values).median for kind, values in busy.items()}
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    parser.add_argument("--only", choices=["stream", "latency", "webhooks"], action="append")
    parser.add_argument("--serve", choices=list(KINDS), help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.cpu)
        return 0
    only = set(args.only or ["stream", "latency", "webhooks"])
    start = print_load("start")
    print(f"Python {sys.version.split()[0]}, tweepy_dm {tweepy_dm.__version__}")
    if "stream" in only:
        bench_stream_parse(5_000 if args.quick else 100_000, 3 if args.quick else 7)
    if "latency" in only:
        bench_latency(100 if args.quick else 1_000, 2 if args.quick else 3)
    if "webhooks" in only:
        try:
            import uvicorn  # noqa: F401
        except ImportError:
            print("\n3. Webhooks: uvicorn is not installed, skipped")
        else:
            bench_webhooks(500 if args.quick else 5_000, 3 if args.quick else 7)
    print()
    print_load("end", start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
