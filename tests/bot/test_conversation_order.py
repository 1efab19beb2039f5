"""A conversation's messages are handled in order, one at a time; conversations concurrently.

On SQLite and on PostgreSQL (``postgres``): in the store's claim, whatever the
workers and processes, and through a kill -9 in the middle of a handler.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import threading

import pytest

import tweepy_dm
from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.helpers import wait_until
from tweepy_dm._models import DirectMessageEvent
from tweepy_dm._policy import Backoff
from tweepy_dm.bot import DMBot, _store
from tweepy_dm.bot._runtime import open_store
from tweepy_dm.emulator import DMEmulator

ROOT = pathlib.Path(__file__).resolve().parents[2]


def make_bot(store_url, users, clock, **options):
    return DMBot(store=store_url, clients={BOT_ID: users.client(BOT_ID)}, clock=clock, **options)


def recording_bot(store_url, users, clock, **options):
    """A bot whose handler records each message's text, in the order handled."""
    bot = make_bot(store_url, users, clock, **options)
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append(message.text)

    return bot, handled


def message(event_id, sender, text):
    return DirectMessageEvent(
        {
            "id": str(event_id),
            "event_type": "MessageCreate",
            "text": text,
            "sender_id": sender,
            "dm_conversation_id": f"{min(sender, BOT_ID)}-{max(sender, BOT_ID)}",
        }
    )


def ingest(bot, *messages):
    return bot.ingest([(BOT_ID, m) for m in messages])


def claim(bot, owner):
    row = bot.store.claim_inbox(owner, bot.clock(), bot.lease, bot.max_attempts)
    return None if row is None else row.payload["text"]


def test_one_message_of_a_conversation_at_a_time_and_others_meanwhile(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    ingest(bot, message(101, ALICE_ID, "a1"), message(102, ALICE_ID, "a2"))
    ingest(bot, message(103, BOB_ID, "b1"), message(104, ALICE_ID, "a3"))
    assert claim(bot, "w1") == "a1"
    # a2 waits for a1, whoever asks; Bob's conversation goes on meanwhile.
    assert claim(bot, "w2") == "b1"
    assert claim(bot, "w3") is None
    [a1] = [r for r in bot.status()["running"] if r["owner"] == "w1"]
    assert bot.store.complete(a1["event_id"], "w1", [], clock())
    assert claim(bot, "w3") == "a2"
    assert claim(bot, "w4") is None
    bot.close()


def test_a_message_that_arrives_late_waits_for_the_one_running(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    ingest(bot, message(202, ALICE_ID, "second"))
    assert claim(bot, "w1") == "second"
    # An earlier message of the same conversation, delivered late (another source).
    ingest(bot, message(201, ALICE_ID, "first"))
    assert claim(bot, "w2") is None
    bot.close()


def test_the_order_is_the_messages_not_their_arrival(store_url, users, clock):
    bot, handled = recording_bot(store_url, users, clock)
    ingest(bot, message(303, ALICE_ID, "three"), message(301, ALICE_ID, "one"))
    ingest(bot, message(302, ALICE_ID, "two"))
    while bot.work_once():
        pass
    assert handled == ["one", "two", "three"]
    bot.close()


def test_a_retried_message_holds_back_the_later_ones_until_it_is_done(store_url, users, clock):
    bot = make_bot(store_url, users, clock, retry=Backoff(attempts=0, base=10.0, maximum=10.0))
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append((message.text, context.attempt))
        if message.text == "one" and context.attempt == 1:
            raise RuntimeError("the first try fails")

    ingest(bot, message(401, ALICE_ID, "one"), message(402, ALICE_ID, "two"))
    ingest(bot, message(403, BOB_ID, "bob"))
    while bot.work_once():
        pass
    assert handled == [("one", 1), ("bob", 1)]  # "two" waits for "one"'s retry
    clock.advance(11)
    while bot.work_once():
        pass
    assert handled[2:] == [("one", 2), ("two", 1)]
    bot.close()


def test_a_dead_letter_lets_the_conversation_go_on(store_url, users, clock):
    bot = make_bot(store_url, users, clock, max_attempts=1)
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append(message.text)
        if message.text == "poison":
            raise RuntimeError("never handled")

    ingest(bot, message(501, ALICE_ID, "poison"), message(502, ALICE_ID, "after"))
    while bot.work_once():
        pass
    assert handled == ["poison", "after"]
    assert [d["event_id"] for d in bot.status()["dead_letters"]] == ["501"]
    bot.close()


def test_a_worker_killed_mid_handler_its_message_again_before_the_next(store_url, users, clock):
    bot = make_bot(store_url, users, clock, lease=30.0)
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append((message.text, context.attempt))

    ingest(bot, message(601, ALICE_ID, "one"), message(602, ALICE_ID, "two"))
    assert claim(bot, "dead-worker") == "one"  # and the worker dies
    assert not bot.work_once("survivor")  # "two" waits for "one"
    clock.advance(31)
    while bot.work_once("survivor"):
        pass
    assert handled == [("one", 2), ("two", 1)]
    bot.close()


def test_worker_threads_keep_each_conversation_in_order(store_url, users):
    bot = DMBot(store=store_url, clients={BOT_ID: users.client(BOT_ID)}, poll_interval=0.01)
    running: dict[str, int] = {}
    overlaps, order = [], {ALICE_ID: [], BOB_ID: []}
    lock = threading.Lock()
    both = threading.Barrier(2, timeout=30)

    @bot.on_direct_message
    def handler(message, context):
        sender = str(message.sender_id)
        with lock:
            running[sender] = running.get(sender, 0) + 1
            overlaps.append(running[sender])
            order[sender].append(message.text)
        if message.text.endswith("0"):
            both.wait()  # Alice's and Bob's first messages run at the same time
        with lock:
            running[sender] -= 1

    ingest(bot, *[message(700 + n, ALICE_ID, f"a{n}") for n in range(10)])
    ingest(bot, *[message(800 + n, BOB_ID, f"b{n}") for n in range(10)])
    worker = threading.Thread(target=bot.run, kwargs={"source": None, "workers": 4})
    worker.start()
    try:
        wait_until(lambda: bot.status()["inbox"] == {"done": 20}, timeout=60)
    finally:
        bot.stop()
        worker.join(60)
    assert order == {
        ALICE_ID: [f"a{n}" for n in range(10)],
        BOB_ID: [f"b{n}" for n in range(10)],
    }
    assert max(overlaps) == 1
    bot.close()


def _start(config, tmp_path, number):
    env = {**os.environ, "ORDER_BOT_CONFIG": json.dumps(config)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.bot.order_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"worker-{number}.err", "wb"),
    )


def test_kill_9_mid_handler_keeps_the_conversation_in_order_across_processes(store_url, tmp_path):
    log = tmp_path / "order.log"

    def lines():
        return [line.split() for line in log.read_text().splitlines()] if log.exists() else []

    with DMEmulator() as emulator:
        for user_id, name in ((BOT_ID, "bot"), (ALICE_ID, "alice"), (BOB_ID, "bob")):
            emulator.add_user(user_id, name, name.title())
        config = {
            "url": emulator.url,
            "store": store_url,
            "bot_id": BOT_ID,
            "credentials": emulator.credentials(BOT_ID),
            "log_dir": str(tmp_path),
        }
        processes = [_start(config, tmp_path, n) for n in (1, 2)]
        try:
            clients = {
                user: tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(user))
                for user in (ALICE_ID, BOB_ID)
            }
            for text in ("one", "slow", "three"):
                clients[ALICE_ID].create_dm(participant_id=BOT_ID, text=text)

            def slow_started():
                return [line for line in lines() if line[:3] == ["start", ALICE_ID, "slow"]]

            wait_until(
                slow_started, timeout=60, what=lambda: (tmp_path / "worker-1.err").read_text()
            )
            pid = int(slow_started()[0][4])
            os.kill(pid, signal.SIGKILL)  # in the middle of the slow handler
            for text in ("b1", "b2"):  # while Alice's conversation waits for the lease
                clients[BOB_ID].create_dm(participant_id=BOT_ID, text=text)
            wait_until(
                lambda: sum(line[0] == "end" for line in lines()) == 5,
                timeout=60,
                what=lambda: log.read_text(),
            )
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    events = lines()
    pid = str(pid)
    for who, texts in ((ALICE_ID, ["one", "slow", "three"]), (BOB_ID, ["b1", "b2"])):
        # One run at a time: a run ends with its "end", or when its process is killed.
        running, done = None, []
        for kind, sender, text, _attempt, process in events:
            if sender != who:
                continue
            if kind == "start":
                assert running is None or running[1] == pid, (who, events)
                assert text == texts[len(done)], (who, events)  # the next one, in order
                running = (text, process)
            else:
                assert running == (text, process), (who, events)
                running = None
                done.append(text)
        assert done == texts
    alice = [(kind, text, attempt) for kind, who, text, attempt, _ in events if who == ALICE_ID]
    assert alice[2:4] == [("start", "slow", "1"), ("start", "slow", "2")]  # killed, then again


@pytest.mark.postgres
def test_the_claim_reads_the_ready_events_in_order_on_stale_statistics(postgres_server):
    # The inbox grows faster than PostgreSQL's ANALYZE: planned on the statistics of
    # a nearly empty table, the claim tested every pending event for being first in
    # its conversation and sorted them (its cost grew with the backlog: 45 ms a
    # claim at 4,000). Read in inbox_pending's order, it stops at the first 8.
    store = open_store(postgres_server.new_database())
    now = 1_800_000_000.0
    store.setup(now)
    store.ingest(
        [
            {
                "event_id": str(10**6 + n),
                "bot_id": BOT_ID,
                "sender_id": str(5000 + n % 50),
                "conversation_id": f"c{n % 50}",
                "payload": {"id": str(10**6 + n), "text": f"m{n}"},
                "source": "stream",
            }
            for n in range(3000)
        ],
        now,
    )
    with store.transaction() as cursor:
        store._scan_in_order(cursor)
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + store._claim_sql(_store._READY),
            (*_store._in_order_parameters(now + 1), now + 1),
        )
        (plan,) = cursor.fetchone()[0]
    nodes = json.dumps(plan)
    assert '"Index Name": "inbox_pending"' in nodes, nodes
    assert '"Sort"' not in nodes, nodes
    # The first 8 events were the first of their conversations: 8 rows read, not 3,000.
    scan = _find(plan["Plan"], lambda node: node.get("Index Name") == "inbox_pending")
    assert scan["Actual Rows"] == 8, nodes
    assert store.claim_inbox("w", now + 1, 30, 5).payload["text"] == "m0"


def _find(node, condition):
    if condition(node):
        return node
    for child in node.get("Plans", ()):
        found = _find(child, condition)
        if found is not None:
            return found
    return None
