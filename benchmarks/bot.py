"""The DM bot runtime: inbound messages handled per second, and send budget use.

Run from the repository root::

    python benchmarks/bot.py          # about a minute; PostgreSQL if initdb is installed
    python benchmarks/bot.py --quick  # checks the script, not the numbers

Measured:

- **Handling rate**: N worker processes (1, 2, 4; one worker thread each) on one
  store empty the inbox of ``--events`` messages, with a handler that does
  nothing (the runtime's own cost: claim, lease, completion), the messages all
  from one user (one conversation, handled in order, one at a time), then from
  100 users in turn (100 conversations). The store is SQLite, then
  a PostgreSQL server started for the run (with ``tweepy-dm[postgres]`` and
  PostgreSQL's binaries installed). Reported: messages per second, and the
  ratio against 1 process in the same run (the scaling ratio 4 vs 1). The
  processes start and wait before the messages arrive, so start-up is not
  counted.
- **A bot over XChat against the same bot over legacy DMs**: one worker
  process polls (``DMPoller``) a backlog of messages, handles each with a
  handler that answers, and sends the answers; over XChat it decrypts and
  verifies each message and encrypts and signs each answer (chatxdk, CPU:
  that is what bounds it). Messages per second from the worker's start
  (once ready) to the last answer sent, each mode with an emulator of its
  own without rate limits, rounds interleaved; target xchat / legacy >= 0.9
  on SQLite and PostgreSQL. Printed beside it, what bounds the ratio: the
  worker's CPU per message in each mode, chatxdk's own CPU per message (one
  decrypt, one encrypt: the floor of any XChat bot) and the emulator's CPU
  per message (its threads in this process), which each request waits for.
  ``--profile DIR`` runs these workers under cProfile (each thread's CPU).
- **Budget use under a backlog**: 2 processes send a backlog of replies for one
  bot user against the emulator enforcing 10 sends per 2 s: replies sent per
  window over the 10 allowed (1.0 is the whole budget, and more than 1.0 would
  have been 429s).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

BOT_ID = "1000"
#: The handling rate's messages come from one user (each waits for the one before: a
#: conversation's messages are handled in order, one at a time), then from 100 in turn.
SENDERS = (1, 100)
WORKER = r"""
import json, os, sys, time
import tweepy_dm
from tweepy_dm.bot import DMBot
config = json.loads(sys.argv[1])
options = {}
if config.get("xchat_key"):
    options = {"xchat_key": bytes.fromhex(config["xchat_key"]), "xchat_user_id": config["bot_id"]}
client = tweepy_dm.Client(api_url=config["url"], timeout=10, **config["credentials"], **options)
bot = DMBot(store=config["store"], clients={config["bot_id"]: client}, poll_interval=0.01,
            leader_ttl=1.0)
if config.get("reply"):
    bot.on_direct_message(lambda message, context: context.reply("ok: " + message.text))
else:
    bot.on_direct_message(lambda message, context: None)
_ = bot.store
source = None
if config.get("poll"):
    from tweepy_dm.bot import DMPoller
    source = DMPoller(client, user_id=config["bot_id"], min_interval=0.05, since=config["poll"])
open(config["ready"], "w").close()
bot.run(source=source, workers=1, install_signals=True)
"""


#: ``--profile DIR``: the XChat section's workers run under cProfile, each writing
#: DIR/<mode>-<n>.prof when it stops (their rates are then not comparable).
PROFILE = None


#: What a profiled worker runs first: every thread (the bot's workers, its poller) under
#: a profiler of its own counting its CPU time (not waits), all written together at exit.
PROFILED = r"""
import atexit, cProfile, pstats, sys, threading, time
_profiles = [cProfile.Profile(time.thread_time)]
_run = threading.Thread.run
def _profiled(self):
    profile = cProfile.Profile(time.thread_time)
    _profiles.append(profile)
    profile.runcall(_run, self)
threading.Thread.run = _profiled
atexit.register(lambda: pstats.Stats(*_profiles).dump_stats(sys.argv[2]))
_profiles[0].enable()
"""


def _start(config, ready, profile=None):
    command = [sys.executable, "-c", WORKER]
    if profile is not None:
        command = [sys.executable, "-c", PROFILED + WORKER]
    return subprocess.Popen(
        [*command, json.dumps({**config, "ready": ready}), *([profile] if profile else [])],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def _stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _rows(count, senders=1):
    """``count`` messages from ``senders`` users in turn, each in their conversation."""
    rows = []
    for n in range(count):
        sender = str(2000 + n % senders)
        conversation = f"{BOT_ID}-{sender}"
        rows.append(
            {
                "event_id": str(10**15 + n),
                "bot_id": BOT_ID,
                "sender_id": sender,
                "conversation_id": conversation,
                "payload": {
                    "id": str(10**15 + n),
                    "event_type": "MessageCreate",
                    "text": f"m{n}",
                    "sender_id": sender,
                    "dm_conversation_id": conversation,
                },
                "source": "benchmark",
            }
        )
    return rows


def handling_rate(store_url, processes, events, config, work, senders=1):
    from tweepy_dm.bot._runtime import open_store

    store = open_store(store_url)
    store.setup(time.time())
    readies = [os.path.join(work, f"ready-{time.monotonic_ns()}-{n}") for n in range(processes)]
    running = [_start({**config, "store": store_url}, ready) for ready in readies]
    try:
        while not all(os.path.exists(ready) for ready in readies):
            time.sleep(0.02)
        started = time.perf_counter()
        store.ingest(_rows(events, senders), time.time())
        while store.status(time.time())["inbox"].get("done", 0) < events:
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
    finally:
        _stop(running)
        store.close()
    return events / elapsed


def budget_use(config, emulator, store_url, seconds):
    from tweepy_dm.bot._runtime import open_store
    from tweepy_dm.bot._store import QueuedReply

    store = open_store(store_url)
    store.setup(time.time())
    conversation = emulator.conversation_id(BOT_ID, 2000)
    store.queue([QueuedReply(BOT_ID, f"r{n}", conversation) for n in range(400)], time.time())
    work = os.path.dirname(store_url.replace("sqlite:///", ""))
    readies = [os.path.join(work, f"budget-ready-{n}") for n in range(2)]
    running = [_start({**config, "store": store_url}, ready) for ready in readies]
    try:
        while not all(os.path.exists(ready) for ready in readies):
            time.sleep(0.02)
        started = time.time()
        time.sleep(seconds)
        sent = store.status(time.time())["outbox"].get("sent", 0)
        elapsed = time.time() - started
    finally:
        _stop(running)
        store.close()
    # X's windows are fixed, each starting with the first send after the last one
    # ended: a run of 2.5 s may rightly use two whole windows.
    windows = math.ceil(elapsed / 2.0)
    return sent / windows / 10.0


def _replied(store_url):
    from tweepy_dm.bot._runtime import open_store

    store = open_store(store_url)
    try:
        status = store.status(time.time())
        return status["inbox"].get("done", 0), status["outbox"].get("sent", 0)
    finally:
        store.close()


def _cpu_seconds(pid):
    """CPU seconds (user and system) a process used so far; None off Linux."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def replying_rate(mode, store_url, count, emulator, xchat_keys, work, cpu=None):
    """Messages per second a bot (one worker) reads, handles and answers, in ``mode``.

    ``count`` messages from Alice wait before the bot starts; it polls them
    (``DMPoller``), decrypts each (XChat), runs a handler that replies, and
    sends the reply (encrypted and signed, over XChat). Timed from the worker's
    start until every reply is sent. ``cpu``: a list that gets the worker
    process's CPU seconds per message (start-up excluded) where they can be read,
    with the emulator's (this process's, but for this thread's) beside it.
    """
    from tweepy_dm.bot._runtime import open_store

    alice = tweepy_dm_client(emulator, ALICE_ID)
    since = time.time() - 1.0  # this round's messages only: earlier rounds' are older
    if mode == "xchat":
        from tweepy_dm import xchat

        sender = xchat.XChat(alice, key_blob=xchat_keys[ALICE_ID], user_id=ALICE_ID)
        for n in range(count):
            sender.send(int(BOT_ID), f"m{n}")
    else:
        for n in range(count):
            alice.create_dm(participant_id=int(BOT_ID), text=f"m{n}")
    store = open_store(store_url)
    store.setup(time.time())
    store.close()
    config = {
        "url": emulator.url,
        "credentials": emulator_users(emulator)[int(BOT_ID)],
        "bot_id": BOT_ID,
        "store": store_url,
        "reply": True,
        "poll": since,
    }
    if mode == "xchat":
        config["xchat_key"] = xchat_keys[int(BOT_ID)].hex()
    ready = os.path.join(work, f"ready-{mode}-{time.monotonic_ns()}")
    profile = None
    if PROFILE is not None:
        profile = os.path.join(PROFILE, f"{mode}-{time.monotonic_ns()}.prof")
    running = [_start(config, ready, profile)]
    try:
        while not os.path.exists(ready):  # start-up is not counted
            time.sleep(0.02)
        started = time.perf_counter()
        cpu_started = _cpu_seconds(running[0].pid)
        # This process serves the emulator (its threads) and watches the store: the
        # watching (this thread's CPU) is not the emulator's.
        here_started, watching = time.process_time(), time.thread_time()
        while _replied(store_url)[1] < count:
            if running[0].poll() is not None:
                raise RuntimeError(f"the {mode} bot exited with {running[0].returncode}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu_ended = _cpu_seconds(running[0].pid)
        watching = time.thread_time() - watching
        here = (time.process_time() - here_started - watching) / count
        if cpu is not None and None not in (cpu_started, cpu_ended):
            cpu.append(((cpu_ended - cpu_started) / count, here))
    finally:
        _stop(running)
    return count / elapsed


ALICE_ID = 2000
_USERS = {}


def emulator_users(emulator):
    return _USERS[id(emulator)]


def tweepy_dm_client(emulator, user_id):
    import tweepy_dm

    return tweepy_dm.Client(api_url=emulator.url, **emulator_users(emulator)[user_id])


def raw_crypto(emulator, keys, calls=100):
    """chatxdk's own CPU seconds per message of the XChat bot's work, in this process.

    One ``decrypt_event`` of one of Alice's messages (the conversation's keys
    and her signing key given, as the poller holds them) and one
    ``encrypt_message`` of a reply, on a ``chat_xdk.Chat`` holding the bot's
    keys: what no XChat bot can avoid per message answered, whatever else it
    does. Its median over 5 batches.
    """
    from tweepy_dm import xchat

    bot = xchat.XChat(tweepy_dm_client(emulator, int(BOT_ID)), key_blob=keys[int(BOT_ID)],
                      user_id=int(BOT_ID))  # fmt: skip
    alice = tweepy_dm_client(emulator, ALICE_ID)
    xchat.XChat(alice, key_blob=keys[ALICE_ID], user_id=ALICE_ID).send(int(BOT_ID), "m")
    (message,) = bot.get_messages(ALICE_ID, limit=1)  # that one, newest
    session = bot._session
    conversation = session._colon(ALICE_ID)
    held = session.keys[conversation]
    version = max(held, key=int)
    signing = session._signing_keys([str(ALICE_ID)])
    measured = []
    for _ in range(5):
        started = time.process_time()
        for n in range(calls):
            session.chat.decrypt_event(message.encoded_event, held, signing_keys=signing)
            session.chat.encrypt_message(
                conversation, f"ok: m{n}", conversation_key=held[version],
                conversation_key_version=version,
            )  # fmt: skip
        measured.append((time.process_time() - started) / calls)
    return sorted(measured)[len(measured) // 2]


def bench_xchat_bot(stores, events, rounds, work):
    """The same replying bot over XChat and over legacy DMs, per worker, per store."""
    try:
        from tweepy_dm import xchat
    except ImportError as error:
        print(f"XChat bot skipped: {error}")
        return
    from _measure import Spread, Target, ratios, rounds_of

    from tweepy_dm.emulator import DMEmulator

    print(
        f"\nA bot that answers each message, one worker process, {events} messages waiting"
        f" (polled, handled, answered), XChat against legacy DMs, {rounds} rounds:"
    )
    target = Target(">=", 0.9)
    for name, make in stores.items():
        # Each mode its own emulator (no rate limits: the bot's own cost is measured).
        emulators = {mode: DMEmulator(rate_limits=False) for mode in ("legacy", "xchat")}
        keys = {}
        try:
            for emulator in emulators.values():
                _USERS[id(emulator)] = {
                    int(BOT_ID): emulator.add_user(int(BOT_ID), "bot", "Bot"),
                    ALICE_ID: emulator.add_user(ALICE_ID, "alice", "Alice"),
                }
            for user in (int(BOT_ID), ALICE_ID):
                keys[user] = xchat.XChat.generate_keys()
                client = tweepy_dm_client(emulators["xchat"], user)
                xchat.XChat(client, key_blob=keys[user], user_id=user).register_keys()
            counter = iter(range(10**6))
            cpu = {mode: [] for mode in ("legacy", "xchat")}

            def batch(mode, make=make, emulators=emulators, keys=keys, counter=counter, cpu=cpu):
                def run():
                    store_url = make(f"{mode}-{next(counter)}")  # a new store each round
                    return replying_rate(
                        mode, store_url, events, emulators[mode], keys, work, cpu[mode]
                    )

                return run

            measured = rounds_of(
                {mode: batch(mode) for mode in ("legacy", "xchat")},
                rounds,
            )
            crypto = raw_crypto(emulators["xchat"], keys)
        finally:
            for emulator in emulators.values():
                emulator.close()
        for mode, values in measured.items():
            print(f"  {name:10} {mode:6}: {Spread.of(values).format(0)} messages/s")
        spread = ratios(measured["xchat"], measured["legacy"])
        ok, note = target.verdict(spread)
        verdict = ("met" if ok else "MISSED") + (f" ({note})" if note else "")
        print(f"  {name:10} xchat / legacy: {spread.format()}  target {target}: {verdict}")
        if all(len(values) > 1 for values in cpu.values()):
            # The worker's CPU per message bounds its rate once it waits for nothing:
            # chatxdk holds the interpreter lock while it encrypts or decrypts. Each of
            # its requests waits for the emulator's answer: the emulator's CPU per
            # message adds to the worker's in the time per message, whatever the cores.
            worker = {m: Spread.of([w for w, _ in cpu[m][1:]]).median for m in cpu}
            server = {m: Spread.of([s for _, s in cpu[m][1:]]).median for m in cpu}
            both = {m: worker[m] + server[m] for m in cpu}
            print(
                f"  {name:10} worker CPU per message (start-up excluded): legacy"
                f" {worker['legacy'] * 1000:.2f} ms, xchat {worker['xchat'] * 1000:.2f} ms;"
                f" a CPU-bound worker: xchat / legacy <= {worker['legacy'] / worker['xchat']:.2f}"
            )
            print(
                f"  {name:10} chatxdk alone per message (one decrypt, one encrypt):"
                f" {crypto * 1000:.2f} ms; a worker whose XChat costs only that:"
                f" xchat / legacy <= {worker['legacy'] / (worker['legacy'] + crypto):.2f}"
            )
            print(
                f"  {name:10} emulator CPU per message (its threads): legacy"
                f" {server['legacy'] * 1000:.2f} ms, xchat {server['xchat'] * 1000:.2f} ms;"
                f" worker and emulator in turn: xchat / legacy <= "
                f"{both['legacy'] / both['xchat']:.2f}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check the script")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument(
        "--only",
        choices=("handling", "budget", "xchat"),
        action="append",
        help="run only this part (repeatable); all by default",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the XChat bot")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="run the XChat bot's workers under cProfile, writing DIR/<mode>-<n>.prof "
        "(for pstats; the rates measured then are not comparable)",
    )
    options = parser.parse_args()
    if options.profile:
        global PROFILE
        PROFILE = os.path.abspath(options.profile)
        os.makedirs(PROFILE, exist_ok=True)
    events = 50 if options.quick else options.events
    parts = set(options.only or ("handling", "budget", "xchat"))
    from _measure import MachineLoad

    load = MachineLoad.now()
    print(f"machine: {load.describe()}")

    from tweepy_dm.emulator import DMEmulator

    route = "POST /2/dm_conversations/{dm_conversation_id}/messages"
    with tempfile.TemporaryDirectory() as work, DMEmulator(rate_limits={route: (10, 2.0)}) as em:
        credentials = em.add_user(int(BOT_ID), "bot", "Bot")
        em.add_user(2000, "alice", "Alice")
        config = {"url": em.url, "credentials": credentials, "bot_id": BOT_ID}
        stores = {"sqlite": lambda n: f"sqlite:///{work}/handling-{n}.db"}
        stores_for_xchat = {"sqlite": lambda n: f"sqlite:///{work}/replying-{n}.db"}
        server = None
        try:
            import psycopg  # noqa: F401

            from tests.bot.conftest import PostgresServer

            server = PostgresServer()
            stores["postgresql"] = lambda n: server.new_database()
            stores_for_xchat["postgresql"] = lambda n: server.new_database()
        except (ImportError, RuntimeError) as error:
            print(f"PostgreSQL skipped: {error}")
        try:
            for name, make in stores.items() if "handling" in parts else ():
                for senders in SENDERS:
                    rates = {}
                    for processes in (1, 2, 4):
                        rates[processes] = handling_rate(
                            make(f"{senders}-{processes}"),
                            processes,
                            events,
                            config,
                            work,
                            senders,
                        )
                        print(
                            f"{name:10} {senders:3} conversation{'s' if senders > 1 else ' '}, "
                            f"{processes} process{'es' if processes > 1 else '  '}: "
                            f"{rates[processes]:7.0f} messages/s  "
                            f"({rates[processes] / rates[1]:.2f}x of 1 process)"
                        )
            if "budget" in parts:
                use = budget_use(
                    config, em, f"sqlite:///{work}/budget.db", 2.5 if options.quick else 10
                )
                print(f"budget use under a backlog: {use:.2f} of the allowed sends per window")
            if "xchat" in parts:
                bench_xchat_bot(
                    stores_for_xchat,
                    20 if options.quick else 200,
                    1 if options.quick else options.rounds,
                    work,
                )
        finally:
            if server is not None:
                server.stop()
    print(f"machine: {MachineLoad.now().describe(load)}")


if __name__ == "__main__":
    main()
