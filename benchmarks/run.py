"""tweepy-dm's benchmarks: one run, every ratio measured side by side.

Every measurement talks to a ``tweepy_dm.emulator.DMEmulator`` on 127.0.0.1
that runs in another process (``benchmarks/_emulator_process.py``), so the
server's work never counts as the client's. Its rate limits are off and its
history is seeded through the ``seed_messages`` back door before anything is
timed. Run from the repository root, with tweepy 4.12+ and the ``async``
extra installed (``pip install -e ".[async]"``)::

    python benchmarks/run.py            # the full run: about a minute on 2 cores
    python benchmarks/run.py --quick    # smaller counts, to check the script works

It prints the machine, each section's numbers, and a Markdown table of every
result with its target at the end (the README's table is pasted from it). It
exits with 0 even if a target is missed (timings vary with the machine; unit
tests assert none), unless ``--strict`` is given.

1. Per-call CPU cost: ``tweepy_dm.Client.get_dm_events`` versus tweepy's own
   ``get_direct_message_events`` (tweepy 4.12+), both with the same OAuth 2.0
   user token (``user_auth=False``). tweepy hard-codes its host, so the native
   client reaches the emulator through a requests transport adapter that
   rewrites the URL. CPU time of this process (``time.process_time``) over
   alternating rounds of calls, so that machine noise hits both alike, for a
   one-event page (where per-call overhead shows most) and a full page of
   100 events. Target: ours / native <= 1.05.
2. Session reuse: 200 sequential ``get_dm_events`` calls with ``async with
   tweepy_dm.AsyncClient(...)`` (one aiohttp session and connection) versus
   the same client outside ``async with``, which opens a session per request
   like tweepy does. Wall time, median of alternating repeats, for a small
   page (10 events) and a full page (100). Target: the session is >= 2x faster.
3. Parsing: 100,000 event dicts into ``tweepy_dm.DirectMessageEvent`` versus
   ``tweepy.DirectMessageEvent``; best of alternating repeats, with the
   garbage collector off while timing (as ``timeit`` does). Target: ratio <= 1.1.
4. Export: ``python -m tweepy_dm export`` as a real subprocess, exporting
   10,000 and then 50,000 seeded events (each its own user, whose only
   conversation holds exactly that many), with OAuth 1.0a keys in ``X_*``
   environment variables. Events per second from wall time, and the child's
   peak RSS (``ru_maxrss`` from ``os.wait4``, taken by the small launcher
   ``_peak_rss.py``, because Linux would otherwise count this process's own
   peak in its child's). Target: peak RSS flat as the count grows
   (50,000 / 10,000 <= 1.1).
5. Emulator capacity: requests per second for ``GET /2/dm_events`` with a
   keep-alive ``requests.Session``, sequential and from 4 threads (a session
   each), for 10-event and 100-event pages. No target: it tells users what
   their own tests can expect.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from typing import Any, Callable, NamedTuple, Optional

import requests
import tweepy
from requests.adapters import HTTPAdapter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# After the sys.path change, so that this checkout is the one measured.
from _emulator_process import EmulatorProcess  # noqa: E402

import tweepy_dm  # noqa: E402

TWEEPY_HOST = "https://api.twitter.com"

# The emulator is on loopback: never let a proxy from the environment (which
# requests honours, and the export subprocess inherits) relay to it. tweepy's
# host is listed too, because requests looks proxies up for the URL before the
# native client's adapter rewrites it: without it, only the native client
# would pay for scanning the environment on every call (about 0.1 ms here).
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,api.twitter.com"
HAS_NATIVE_DM = hasattr(tweepy.Client, "get_direct_message_events") and hasattr(
    tweepy, "DirectMessageEvent"
)
# The fields X sends by default plus the ones most callers ask for.
EVENT_FIELDS = ["id", "event_type", "text", "sender_id", "dm_conversation_id", "created_at"]

# Users of the emulator: (ALICE, BOB) share the conversation sections 1, 2 and
# 5 read; each export count gets a user of its own, whose every event is in
# one conversation, so the export writes exactly that many lines.
ALICE, BOB = 1, 2
HISTORY = 1_000
EXPORT_USERS = {10_000: (10, 11), 50_000: (20, 21)}


class Result(NamedTuple):
    metric: str
    value: str
    target: str
    ok: Optional[bool]  # None: no target, or not measured


RESULTS: list[Result] = []


def record(metric: str, value: str, target: str = "", ok: Optional[bool] = None) -> None:
    RESULTS.append(Result(metric, value, target, ok))


def skip(section: str, reason: str) -> None:
    print(f"  skipped: {reason}")
    record(section, f"skipped: {reason}", "", None)


# ---------------------------------------------------------------------------
# 1. Per-call CPU cost


class RewriteHost(HTTPAdapter):
    """Send requests for tweepy's hard-coded host to the emulator instead.

    Mounted on a plain ``tweepy.Client``'s session for ``https://``; the
    request is already prepared (and, with bearer auth, needs no signature),
    so only its URL changes.
    """

    def __init__(self, api_url: str) -> None:
        super().__init__()
        self.api_url = api_url

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if request.url and request.url.startswith(TWEEPY_HOST + "/"):
            request.url = self.api_url + request.url[len(TWEEPY_HOST) :]
        return super().send(request, *args, **kwargs)


def cpu_per_call(
    clients: dict[str, Callable[[], Any]], calls: int, rounds: int
) -> dict[str, float]:
    """CPU seconds per call of each client, over alternating rounds.

    The order flips every round (A B, B A, ...), so neither client always
    runs right after the other's garbage or on a warmer cache.
    """
    totals = dict.fromkeys(clients, 0.0)
    names = list(clients)
    for round_index in range(rounds):
        for name in names if round_index % 2 == 0 else names[::-1]:
            call = clients[name]
            gc.collect()
            started = time.process_time()
            for _ in range(calls):
                call()
            totals[name] += time.process_time() - started
    return {name: total / (calls * rounds) for name, total in totals.items()}


def bench_cpu(emulator: EmulatorProcess, calls: int, rounds: int) -> None:
    print("\n## 1. Per-call CPU cost: tweepy_dm.Client.get_dm_events vs tweepy's own")
    if not HAS_NATIVE_DM:
        skip(
            "1. CPU per call",
            f"the comparison needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DM methods)",
        )
        return
    token = emulator.users[ALICE]["bearer_token"]
    native = tweepy.Client(bearer_token=token)
    native.session.mount("https://", RewriteHost(emulator.url))
    with tweepy_dm.Client(bearer_token=token, api_url=emulator.url) as ours:
        for page in (1, 100):
            kwargs = {"max_results": page, "dm_event_fields": EVENT_FIELDS, "user_auth": False}
            # Same answer from both, and warm connections and caches before timing.
            ours_ids = [event.id for event in ours.get_dm_events(**kwargs).data]
            native_ids = [event.id for event in native.get_direct_message_events(**kwargs).data]
            if ours_ids != native_ids or len(ours_ids) != page:
                raise RuntimeError(f"different answers: {ours_ids} vs {native_ids}")
            per_call = cpu_per_call(
                {
                    "tweepy_dm": lambda kwargs=kwargs: ours.get_dm_events(**kwargs),
                    "tweepy": lambda kwargs=kwargs: native.get_direct_message_events(**kwargs),
                },
                calls,
                rounds,
            )
            ratio = per_call["tweepy_dm"] / per_call["tweepy"]
            print(
                f"  max_results={page:<3}  tweepy_dm {per_call['tweepy_dm'] * 1e3:.3f} ms CPU/call"
                f"  tweepy {per_call['tweepy'] * 1e3:.3f} ms CPU/call"
                f"  ratio {ratio:.3f}  ({calls * rounds} calls each)"
            )
            record(
                f"1. CPU per call, {page}-event page (ours / tweepy)",
                f"{ratio:.3f}",
                "<= 1.05",
                ratio <= 1.05,
            )
    native.session.close()


# ---------------------------------------------------------------------------
# 2. async with: one session versus a session per request


def async_available() -> Optional[str]:
    """Why tweepy_dm.AsyncClient cannot run here, or None if it can."""
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return 'tweepy_dm.AsyncClient needs aiohttp: pip install "tweepy-dm[async]"'
    try:
        tweepy_dm.AsyncClient(bearer_token="probe")
    except ImportError as exc:
        return str(exc)
    return None


def bench_async(emulator: EmulatorProcess, calls: int, repeats: int) -> None:
    print(f"\n## 2. {calls} sequential async calls: `async with` (one session) vs a session each")
    reason = async_available()
    if reason:
        skip("2. async session reuse", reason)
        return
    print(
        "  (loopback, plain HTTP: a new connection costs no TLS handshake and no round trip"
        " to X here, so this understates the gain against the real API)"
    )
    token = emulator.users[ALICE]["bearer_token"]

    async def sequential(client: Any, page: int) -> None:
        for _ in range(calls):
            response = await client.get_dm_events(max_results=page, user_auth=False)
            if len(response.data) != page:
                raise RuntimeError(f"asked for {page} events, got {len(response.data)}")

    async def with_session(page: int) -> float:
        async with tweepy_dm.AsyncClient(bearer_token=token, api_url=emulator.url) as client:
            started = time.perf_counter()
            await sequential(client, page)
            return time.perf_counter() - started

    async def session_per_request(page: int) -> float:
        client = tweepy_dm.AsyncClient(bearer_token=token, api_url=emulator.url)
        started = time.perf_counter()
        await sequential(client, page)
        return time.perf_counter() - started

    async def main() -> None:
        for page in (10, 100):
            await with_session(page)  # warm-up: imports, server threads, caches
            shared, per_request = [], []
            for repeat in range(repeats):
                # Alternate which variant goes first, as in section 1.
                if repeat % 2 == 0:
                    shared.append(await with_session(page))
                    per_request.append(await session_per_request(page))
                else:
                    per_request.append(await session_per_request(page))
                    shared.append(await with_session(page))
            one, each = statistics.median(shared), statistics.median(per_request)
            speedup = each / one
            print(
                f"  max_results={page:<3}  async with: {one * 1e3:.0f} ms"
                f"  session per request: {each * 1e3:.0f} ms"
                f"  -> {speedup:.2f}x faster (median of {repeats})"
            )
            record(
                f"2. {calls} async calls, {page}-event page: speedup of `async with`",
                f"{speedup:.2f}x",
                ">= 2x",
                speedup >= 2,
            )

    asyncio.run(main())


# ---------------------------------------------------------------------------
# 3. Parsing events


def event_dicts(count: int) -> list[dict[str, Any]]:
    """Events as X sends them for the fields most callers request.

    One in ten links a tweet (``referenced_tweets``), as DMs sharing a post do.
    """
    events = []
    for index in range(count):
        event: dict[str, Any] = {
            "id": str(1585321444547837956 + index),
            "event_type": "MessageCreate",
            "text": f"Message {index}: see you at the station at 6 https://t.co/xk4uN5vbLj",
            "sender_id": str(906948460078698496 + index % 7),
            "dm_conversation_id": "906948460078698496-1072250532645998596",
            "created_at": "2022-10-28T02:40:35.000Z",
        }
        if index % 10 == 0:
            event["referenced_tweets"] = [{"id": str(1585047616533180416 + index)}]
        events.append(event)
    return events


def best_parse_seconds(
    classes: dict[str, type], events: list[Any], repeats: int
) -> dict[str, float]:
    best = dict.fromkeys(classes, float("inf"))
    names = list(classes)
    for repeat in range(repeats):
        for name in names if repeat % 2 == 0 else names[::-1]:
            model = classes[name]
            gc.collect()
            gc.disable()  # a collection landing in one run only would skew it
            try:
                started = time.perf_counter()
                parsed = [model(event) for event in events]
                elapsed = time.perf_counter() - started
            finally:
                gc.enable()
            best[name] = min(best[name], elapsed)
            del parsed
    return best


def bench_parse(count: int, repeats: int) -> None:
    print(f"\n## 3. Parsing {count:,} events: tweepy_dm.DirectMessageEvent vs tweepy's")
    if not HAS_NATIVE_DM:
        skip(
            "3. parsing",
            f"the comparison needs tweepy>=4.12 (tweepy {tweepy.__version__} has no DM model)",
        )
        return
    events = event_dicts(count)
    best = best_parse_seconds(
        {"tweepy_dm": tweepy_dm.DirectMessageEvent, "tweepy": tweepy.DirectMessageEvent},
        events,
        repeats,
    )
    ratio = best["tweepy_dm"] / best["tweepy"]
    print(
        f"  tweepy_dm {best['tweepy_dm']:.3f} s ({count / best['tweepy_dm']:,.0f} events/s)"
        f"  tweepy {best['tweepy']:.3f} s ({count / best['tweepy']:,.0f} events/s)"
        f"  ratio {ratio:.3f}  (best of {repeats})"
    )
    record(f"3. Parse {count:,} events (ours / tweepy)", f"{ratio:.3f}", "<= 1.1", ratio <= 1.1)


# ---------------------------------------------------------------------------
# 4. Export


EXPORT_COMMAND = [sys.executable, "-m", "tweepy_dm", "export"]


def export_available() -> bool:
    probe = subprocess.run(
        [*EXPORT_COMMAND, "--help"], capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    return probe.returncode == 0


def export_env(credentials: dict[str, str]) -> dict[str, str]:
    """The child's environment: this user's OAuth 1.0a keys and nothing else of X's."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("X_")}
    env.update(
        X_CONSUMER_KEY=credentials["consumer_key"],
        X_CONSUMER_SECRET=credentials["consumer_secret"],
        X_ACCESS_TOKEN=credentials["access_token"],
        X_ACCESS_TOKEN_SECRET=credentials["access_token_secret"],
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
# 5. Emulator throughput


def requests_per_second(url: str, token: str, total: int, threads: int) -> float:
    """GET ``url`` ``total`` times from ``threads`` threads, a keep-alive session each."""
    failures: list[str] = []

    def worker(count: int) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            for _ in range(count):
                response = session.get(url, timeout=30)
                if response.status_code != 200:
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
        raise RuntimeError(f"the emulator answered {failures[0]}")
    return total / elapsed


def bench_throughput(emulator: EmulatorProcess, total: int) -> None:
    print(f"\n## 5. Emulator throughput: {total:,} GET /2/dm_events over keep-alive connections")
    token = emulator.users[ALICE]["bearer_token"]
    fields = ",".join(EVENT_FIELDS)
    for page in (10, 100):
        url = f"{emulator.url}/2/dm_events?max_results={page}&dm_event.fields={fields}"
        requests_per_second(url, token, 50, 1)  # warm-up
        for threads in (1, 4):
            rate = requests_per_second(url, token, total, threads)
            label = "sequential" if threads == 1 else f"{threads} threads"
            print(f"  {page:>3}-event pages, {label:<10}: {rate:,.0f} requests/s")
            record(f"5. Emulator, {page}-event pages, {label}", f"{rate:,.0f} requests/s")


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
        f"requests {requests.__version__}",
    ]
    try:
        import aiohttp

        parts.append(f"aiohttp {aiohttp.__version__}")
    except ImportError:
        parts.append("no aiohttp")
    return ", ".join(parts)


def table() -> str:
    rows = ["| metric | value | target | ok |", "|---|---|---|---|"]
    for result in RESULTS:
        ok = {True: "yes", False: "**no**", None: ""}[result.ok]
        rows.append(f"| {result.metric} | {result.value} | {result.target} | {ok} |")
    return "\n".join(rows)


# Counts for a full run, and for --quick (checks the script, not the numbers).
FULL = {"calls": 200, "rounds": 10, "async_repeats": 5, "events": 100_000, "parse_repeats": 3,
        "requests": 2_000, "export_scale": 1}  # fmt: skip
QUICK = {"calls": 40, "rounds": 4, "async_repeats": 1, "events": 20_000, "parse_repeats": 1,
         "requests": 400, "export_scale": 5}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller counts: checks the script, not the numbers"
    )
    parser.add_argument("--strict", action="store_true", help="exit with 1 if a target is missed")
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    export_users = {count // counts["export_scale"]: users for count, users in EXPORT_USERS.items()}

    print("# tweepy-dm benchmarks" + (" (--quick: not for publishing)" if args.quick else ""))
    print(f"machine:  {machine()}")
    print(f"software: {versions()}")
    started = time.perf_counter()
    conversations = [(ALICE, BOB, HISTORY)] + [
        (user_id, peer_id, count) for count, (user_id, peer_id) in export_users.items()
    ]
    failed = []
    with EmulatorProcess(conversations) as emulator:
        seeded = sum(count for _, _, count in conversations)
        print(
            f"emulator: {emulator.url} in another process; seeded {seeded:,} events"
            f" in {emulator.seed_seconds:.2f} s through seed_messages()"
        )
        sections: list[tuple[str, Callable[[], None]]] = [
            ("1. CPU per call", lambda: bench_cpu(emulator, counts["calls"], counts["rounds"])),
            ("2. async session reuse", lambda: bench_async(emulator, 200, counts["async_repeats"])),
            ("3. parsing", lambda: bench_parse(counts["events"], counts["parse_repeats"])),
            ("4. export", lambda: bench_export(emulator, export_users)),
            ("5. emulator throughput", lambda: bench_throughput(emulator, counts["requests"])),
        ]
        for name, section in sections:
            # One broken section must not hide the others' results.
            try:
                section()
            except Exception:
                traceback.print_exc()
                failed.append(name)
                record(name, "**failed** (traceback above)")
    print(f"\nTotal time: {time.perf_counter() - started:.0f} s")
    print(f"\n{machine()}; {versions()}\n")
    print(table())
    missed = [result for result in RESULTS if result.ok is False]
    met = sum(result.ok is True for result in RESULTS)
    print(f"\n{met} of {met + len(missed)} targets met.")
    if failed:
        print(f"Failed: {', '.join(failed)}.")
        return 1
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
