"""DMBot on a real store (SQLite; PostgreSQL under the postgres marker) against the emulator.

Time is the test's: the emulator and the bot share a clock that only moves when told,
and workers are stepped with ``work_once`` instead of threads, except where noted.
"""

from __future__ import annotations

import datetime
import threading

import pytest

import tweepy_dm
from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.helpers import PATIENCE, wait_until
from tweepy_dm._policy import Backoff
from tweepy_dm.bot import DMBot, DMPoller
from tweepy_dm.bot._leader import Leadership
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.webhooks import parse_webhook


def make_bot(store_url, users, clock, **options):
    bot = DMBot(store=store_url, clients={BOT_ID: users.client(BOT_ID)}, clock=clock, **options)
    return bot


def drain(bot, owner=None, limit=1000):
    steps = 0
    while bot.work_once(owner) and steps < limit:
        steps += 1
    return steps


def dm(users, sender, text):
    return users.client(sender).create_dm(participant_id=BOT_ID, text=text).data["dm_event_id"]


@pytest.fixture
def bot(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    yield bot
    bot.close()


def test_each_message_from_others_is_handled_once_and_each_reply_sent_once(bot, users, clock):
    handled = []

    @bot.on_direct_message
    def echo(message, context):
        handled.append((message.text, str(message.sender_id), context.attempt))
        context.reply(f"echo: {message.text}")

    dm(users, ALICE_ID, "hello")
    dm(users, BOB_ID, "hi there")
    users.client(BOT_ID).create_dm(participant_id=ALICE_ID, text="the bot's own message")
    poller = DMPoller(users.client(BOT_ID), user_id=BOT_ID)
    poller.poll(bot, clock=clock)
    poller.poll(bot, clock=clock)  # nothing new: the checkpoint holds
    drain(bot)
    assert sorted(handled) == [("hello", ALICE_ID, 1), ("hi there", BOB_ID, 1)]
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["the bot's own message", "echo: hello"]
    assert users.texts_in(BOB_ID, BOT_ID, BOT_ID) == ["echo: hi there"]
    status = bot.status()
    assert status["inbox"] == {"done": 2}
    assert status["outbox"] == {"sent": 2}
    assert status["inbox_depth"] == 0


def test_one_dm_from_every_source_is_one_inbox_entry(bot, users, clock):
    handled = []
    bot.on_direct_message(lambda message, context: handled.append(message.id))
    event_id = dm(users, ALICE_ID, "once")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    webhook = {
        "data": {
            "event_type": "dm.received",
            "event_uuid": "-1234",
            "filter": {"user_id": BOT_ID},
            "payload": {
                "dm_event": {
                    "id": event_id,
                    "event_type": "MessageCreate",
                    "text": "once",
                    "sender_id": ALICE_ID,
                    "dm_conversation_id": f"{BOT_ID}-{ALICE_ID}",
                }
            },
        }
    }
    for event in parse_webhook(webhook) * 2:
        bot.webhook_handler(event)
    assert bot.ingest(parse_webhook(webhook)) == 0
    drain(bot)
    assert handled == [int(event_id)]


def test_a_failing_handler_is_retried_with_backoff_then_dead_lettered_and_replayable(
    store_url, users, clock
):
    bot = make_bot(store_url, users, clock, max_attempts=3, retry=Backoff(0, 10.0))
    calls = []

    @bot.on_direct_message
    def flaky(message, context):
        calls.append(clock())
        if len(calls) <= 3:
            raise RuntimeError("downstream is down")
        context.reply("finally")

    dm(users, ALICE_ID, "help")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    assert len(calls) == 1
    clock.advance(9)
    assert not bot.work_once()  # the first retry waits 10 s
    clock.advance(1)
    drain(bot)
    clock.advance(20)
    drain(bot)
    assert [round(t - calls[0]) for t in calls] == [0, 10, 30]
    status = bot.status()
    assert status["inbox"] == {"dead": 1}
    [letter] = status["dead_letters"]
    assert letter["attempts"] == 3
    assert "downstream is down" in letter["error"]
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []  # failures send nothing
    assert bot.replay() == 1
    drain(bot)
    assert bot.status()["inbox"] == {"done": 1}
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["finally"]
    bot.close()


def test_a_handler_past_its_timeout_counts_as_failed_and_its_replies_are_dropped(
    store_url, users, clock
):
    bot = make_bot(store_url, users, clock, handler_timeout=0.2, max_attempts=1)
    release = threading.Event()
    late = []

    @bot.on_direct_message
    def slow(message, context):
        release.wait(5)
        try:
            context.reply("too late")
        except ValueError as error:
            late.append(str(error))

    dm(users, ALICE_ID, "slow one")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    release.set()
    [letter] = bot.status()["dead_letters"]
    assert "ran past 0.2 s" in letter["error"]
    wait_until(lambda: late, what="the late handler's refused reply")
    assert "timed out" in late[0]
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []
    bot.close()


def test_a_coroutine_handler_and_its_timeout(store_url, users, clock):
    import asyncio

    bot = make_bot(store_url, users, clock, handler_timeout=0.2, max_attempts=1)

    @bot.on_direct_message
    async def handler(message, context):
        if message.text == "wait":
            await asyncio.sleep(5)
        context.reply(f"async {message.text}")

    dm(users, ALICE_ID, "quick")
    dm(users, BOB_ID, "wait")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["async quick"]
    assert bot.status()["inbox"] == {"done": 1, "dead": 1}
    bot.close()


def test_a_worker_killed_mid_handler_leaves_the_message_to_another_after_the_lease(
    store_url, users, clock
):
    bot = make_bot(store_url, users, clock, lease=30.0)
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append(message.text)
        context.reply("handled")

    dm(users, ALICE_ID, "are you there")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    # A worker claims the message and dies: its claim is all that is left of it.
    dead = bot.store.claim_inbox("dead-worker", clock(), 30.0, bot.max_attempts)
    assert dead is not None
    assert not bot.work_once("survivor")  # leased: nobody else takes it
    [running] = bot.status()["running"]
    assert running["owner"] == "dead-worker"
    clock.advance(31)
    assert bot.work_once("survivor")
    assert handled == ["are you there"]
    # The dead worker's late completion (it was only frozen) does not complete it again.
    assert not bot.store.complete(dead.event_id, "dead-worker", [], clock())
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["handled"]
    bot.close()


def test_sends_stay_within_the_budget_x_states_and_resume_when_it_resets(tmp_path, clock):
    route = "POST /2/dm_conversations/{dm_conversation_id}/messages"
    with DMEmulator(clock=clock, rate_limits={route: (3, 60)}) as emulator:
        from tests.bot.conftest import Users

        users = Users(emulator)
        bot = make_bot(f"sqlite:///{tmp_path}/bot.db", users, clock)
        bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
        for number in range(5):
            dm(users, ALICE_ID, f"m{number}")
        DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
        drain(bot)
        # X's documented 15 applied until the first answer; then X's 3 per minute.
        assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["re m0", "re m1", "re m2"]
        budgets = bot.status()["budgets"][f"user {BOT_ID} {route}"]
        assert budgets["learned_from_x"]
        assert budgets["windows"]["x-rate-limit"]["remaining"] == 0
        assert bot.status()["outbox"] == {"sent": 3, "pending": 2}
        clock.advance(61)
        drain(bot)
        assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == [f"re m{n}" for n in range(5)]
        bot.close()


def test_replies_take_turns_between_conversations_oldest_first(bot, users, clock):
    bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
    for number in range(4):
        dm(users, ALICE_ID, f"a{number}")
    dm(users, BOB_ID, "b0")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    while bot.store.claim_inbox is not None and bot._handle_one(bot.owner):
        pass
    order = []
    while True:
        row = bot.store.claim_outbox("sender", clock(), 30.0)
        if row is None:
            break
        order.append(row.text)
        bot.store.finish_outbox(row, "sender", clock(), state="sent")
        clock.advance(1)
    assert order == ["re a0", "re b0", "re a1", "re a2", "re a3"]


def test_a_send_that_reached_x_before_the_worker_died_is_not_sent_again(bot, users, clock):
    bot.on_direct_message(lambda message, context: context.reply("only once"))
    dm(users, ALICE_ID, "ping")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot._handle_one("worker")
    row = bot.store.claim_outbox("doomed", clock(), 30.0)
    users.client(BOT_ID).create_dm(dm_conversation_id=row.conversation_id, text=row.text)
    # ... and the worker died before recording it.
    assert not bot.work_once("other")
    clock.advance(31)
    drain(bot, "other")
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["only once"]
    assert bot.status()["outbox"] == {"sent": 1}


def test_a_send_lost_on_the_way_is_checked_then_sent_once(bot, users, clock, emulator):
    bot.on_direct_message(lambda message, context: context.reply("got it"))
    dm(users, ALICE_ID, "ping")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    emulator.inject_fault(path="/2/dm_conversations/*/messages", method="POST", drop=True)
    drain(bot)
    assert bot.status()["outbox"] == {"unknown": 1}
    clock.advance(bot.clients[BOT_ID].timeout + 30)  # once the lost send can no longer land
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["got it"]
    assert bot.status()["outbox"] == {"sent": 1}


def test_a_5xx_after_x_stored_the_message_is_not_a_resend(bot, users, clock, emulator):
    bot.on_direct_message(lambda message, context: context.reply("stored anyway"))
    dm(users, ALICE_ID, "ping")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    bot._handle_one("w")
    row = bot.store.claim_outbox("w", clock(), 30.0)
    users.client(BOT_ID).create_dm(dm_conversation_id=row.conversation_id, text=row.text)
    bot.store.finish_outbox(row, "w", clock(), state="unknown", next_at=clock())
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["stored anyway"]


def test_the_poller_pages_back_to_its_checkpoint_and_ignores_old_history(
    store_url, users, clock, emulator
):
    conversation = emulator.conversation_id(BOT_ID, ALICE_ID)
    emulator.seed_messages(
        conversation, 5, sender_ids=[ALICE_ID], text="old {i}", start=clock() - 3600
    )
    bot = make_bot(store_url, users, clock)
    handled = []
    bot.on_direct_message(lambda message, context: handled.append(message.text))
    poller = DMPoller(users.client(BOT_ID), user_id=BOT_ID, max_results=10)
    poller.poll(bot, clock=clock)
    clock.advance(1)
    emulator.seed_messages(
        conversation, 35, sender_ids=[ALICE_ID], text="burst {i}", start=clock(), interval=0.01
    )
    clock.advance(1)
    poller.poll(bot, clock=clock)
    drain(bot)
    assert sorted(handled, key=lambda t: int(t.split()[1])) == [f"burst {i}" for i in range(35)]
    # A new poller (another process after a restart) starts from the checkpoint.
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot.status()["inbox"] == {"done": 35}
    bot.close()


def test_the_poller_waits_as_the_budget_x_states_allows(tmp_path, clock):
    with DMEmulator(clock=clock, rate_limits={"GET /2/dm_events": (10, 100)}) as emulator:
        from tests.bot.conftest import Users

        users = Users(emulator)
        bot = make_bot(f"sqlite:///{tmp_path}/bot.db", users, clock)
        poller = DMPoller(users.client(BOT_ID), user_id=BOT_ID, min_interval=0.5)
        wait = poller.poll(bot, clock=clock)
        assert wait == pytest.approx(100 / 9, abs=0.2)  # 9 left for the 100 s of the window
        bot.close()


def test_one_leader_at_a_time_and_a_takeover_once_the_lease_expires(store_url, clock):
    from tweepy_dm.bot._runtime import open_store

    store = open_store(store_url)
    store.setup(clock())
    assert store.acquire("stream", "a", clock(), 5.0)
    assert not store.acquire("stream", "b", clock(), 5.0)
    clock.advance(3)
    assert store.acquire("stream", "a", clock(), 5.0)  # the heartbeat renews it
    clock.advance(4)
    assert not store.acquire("stream", "b", clock(), 5.0)
    clock.advance(2)  # a missed no heartbeat for 6 s
    assert store.acquire("stream", "b", clock(), 5.0)
    assert not store.acquire("stream", "a", clock(), 5.0)
    log = store.leader_log("stream")
    assert [(entry["owner"], entry["epoch"]) for entry in log] == [("a", 1), ("b", 2)]
    store.give_up("stream", "b")
    assert store.acquire("stream", "a", clock(), 5.0)
    store.close()


def test_leadership_runs_the_source_only_while_the_lease_is_held(store_url, clock):
    from tweepy_dm.bot._runtime import open_store

    store = open_store(store_url)
    store.setup(clock())
    running = []
    # The lease's expiry is on the fake clock, which stands still: the first leader's
    # lease cannot run out, so the second's refusals are certain, not a matter of timing.
    refused, refusals = threading.Event(), []
    acquire = store.acquire

    def counting_acquire(name, owner, now, ttl):
        held = acquire(name, owner, now, ttl)
        if owner == "second" and not held:
            refusals.append(now)
            if len(refusals) >= 2:
                refused.set()
        return held

    store.acquire = counting_acquire

    def lead(term):
        running.append(threading.current_thread().name)
        term.wait()

    stops = [threading.Event(), threading.Event()]
    leaders = [
        Leadership(store, "stream", name, lead, ttl=0.6, clock=clock)
        for name in ("first", "second")
    ]
    threads = [
        threading.Thread(target=leader.run, args=(stop,)) for leader, stop in zip(leaders, stops)
    ]
    threads[0].start()
    wait_until(lambda: leaders[0].leading, what="the first leader")
    threads[1].start()
    assert refused.wait(PATIENCE), "the second leader never tried twice"
    assert leaders[0].leading
    assert not leaders[1].leading
    stops[0].set()
    threads[0].join(PATIENCE)
    wait_until(lambda: leaders[1].leading, what="the second leader, once the lease is free")
    stops[1].set()
    threads[1].join(PATIENCE)
    assert len(running) == 2
    store.close()


def test_run_with_the_stream_and_threads_then_drain(store_url, users, emulator):
    # Real time here: the stream and the workers run in threads.
    users.client(BOT_ID).create_activity_subscription(
        event_type="dm.received", user_id=BOT_ID, user_auth=False
    )
    bot = DMBot(
        store=store_url, clients=users.client(BOT_ID), bearer_token=emulator.app_bearer_token
    )
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append(message.text)
        context.reply(f"re {message.text}")

    runner = threading.Thread(target=bot.run, kwargs={"source": "stream", "workers": 2})
    runner.start()
    try:
        wait_until(lambda: bot.status()["leaders"].get("stream", {}).get("owner"), what="a leader")
        wait_until(lambda: emulator._activity.connections == 1, what="the leader's stream")
        for number in range(5):
            dm(users, ALICE_ID, f"live {number}")
        wait_until(lambda: bot.status()["outbox"].get("sent", 0) >= 5, what="five replies sent")
    finally:
        bot.stop()
        runner.join(15)
    assert not runner.is_alive()
    assert sorted(handled) == [f"live {n}" for n in range(5)]
    # Two workers: replies to one conversation may overtake each other.
    assert sorted(users.texts_in(ALICE_ID, BOT_ID, BOT_ID)) == [f"re live {n}" for n in range(5)]
    assert bot.status()["leaders"]["stream"]["owner"] is None  # given up on the way out
    bot.close()


def test_bad_arguments_are_refused_before_anything_runs(tmp_path, users):
    client = users.client(BOT_ID)
    with pytest.raises(TypeError, match="store must be a URL"):
        DMBot(store=3, clients=client)
    with pytest.raises(ValueError, match="sqlite:///path or postgresql"):
        _ = DMBot(store="mysql://x/y", clients=client).store
    with pytest.raises(ValueError, match="must be a file"):
        _ = DMBot(store="sqlite://", clients=client).store
    with pytest.raises(ValueError, match="max_attempts"):
        DMBot(store=f"sqlite:///{tmp_path}/b.db", clients=client, max_attempts=0)
    with pytest.raises(ValueError, match="keyed by user id"):
        DMBot(clients={"alice": client})
    bot = DMBot(store=f"sqlite:///{tmp_path}/b.db", clients=client)
    with pytest.raises(RuntimeError, match="no handler"):
        bot.run(source=None)
    bot.on_direct_message(lambda m, c: None)
    with pytest.raises(ValueError, match="workers"):
        bot.run(source=None, workers=0)
    with pytest.raises(ValueError, match="source"):
        bot.run(source="firehose")
    message = tweepy_dm.DirectMessageEvent(
        {"id": "1", "event_type": "MessageCreate", "text": "x", "dm_conversation_id": "1-2"}
    )
    with pytest.raises(TypeError, match="media"):
        tweepy_dm.bot.Context(BOT_ID, message, 1, "x").reply("hi", media=1.5)
    with pytest.raises(ValueError, match="needs text or media"):
        tweepy_dm.bot.Context(BOT_ID, message, 1, "x").reply("  ")
    with pytest.raises(TypeError, match="exactly one"):
        tweepy_dm.bot.Context(BOT_ID, message, 1, "x").send_dm("hi")
    with pytest.raises(ValueError, match="timezone-aware"):
        DMPoller(client, since=datetime.datetime(2026, 1, 1))
    bot.close()


def test_a_postgresql_url_without_the_driver_names_the_extra(monkeypatch, users):
    from tweepy_dm.bot import _postgres

    monkeypatch.setattr(_postgres, "psycopg", None)
    bot = DMBot(store="postgresql://u:secret@localhost/db", clients={1: users.client(BOT_ID)})
    with pytest.raises(ImportError, match=r"tweepy-dm\[postgres\]") as raised:
        _ = bot.store
    assert "secret" not in str(raised.value)


@pytest.mark.postgres
def test_no_password_in_the_repr_of_a_postgresql_store():
    from tweepy_dm.bot._postgres import PostgresStore

    assert "hunter2" not in repr(PostgresStore("postgresql://bot:hunter2@db.example/bot"))


def test_webhooks_feed_the_inbox_through_wsgi_app(bot, users, clock, emulator):
    import base64
    import hashlib
    import hmac
    import io
    import json

    from tweepy_dm import webhooks

    secret = users.credentials[BOT_ID]["consumer_secret"]
    app = webhooks.wsgi_app(secret, bot.webhook_handler)
    handled = []

    @bot.on_direct_message
    def answer(message, context):
        handled.append(message.text)
        context.reply("answered")  # Account Activity names no conversation: the inbox knows it

    event_id = dm(users, ALICE_ID, "via webhook")
    body = json.dumps(
        {
            "for_user_id": BOT_ID,
            "direct_message_events": [
                {
                    "type": "message_create",
                    "id": event_id,
                    "created_timestamp": str(int(clock() * 1000)),
                    "message_create": {
                        "target": {"recipient_id": BOT_ID},
                        "sender_id": ALICE_ID,
                        "message_data": {"text": "via webhook"},
                    },
                }
            ],
        }
    ).encode()
    signature = (
        "sha256="
        + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    )
    statuses = []
    for _ in range(2):  # X retries a delivery: one message all the same
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/webhook",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": signature,
        }
        b"".join(app(environ, lambda status, headers, *_: statuses.append(status)))
    assert statuses == ["200 OK", "200 OK"]
    assert bot.status()["inbox"] == {"pending": 1}  # stored before X got its 200
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)  # the same DM again
    drain(bot)
    assert handled == ["via webhook"]
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["answered"]


def test_run_with_pollers(tmp_path):
    with DMEmulator(rate_limits={"GET /2/dm_events": (300, 3)}) as emulator:
        from tests.bot.conftest import Users

        users = Users(emulator)
        bot = DMBot(store=f"sqlite:///{tmp_path}/bot.db", clients=users.client(BOT_ID))
        bot.on_direct_message(lambda message, context: context.reply(f"polled {message.text}"))
        runner = threading.Thread(target=bot.run, kwargs={"source": "poll"})
        runner.start()
        try:
            for text in ("a", "b", "c"):
                dm(users, ALICE_ID, text)
            wait_until(
                lambda: bot.status()["outbox"].get("sent", 0) >= 3,
                timeout=15,
                what="three replies sent",
            )
        finally:
            bot.stop()
            runner.join(15)
        assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["polled a", "polled b", "polled c"]
        assert bot.status()["leaders"][f"poller:{BOT_ID}"]["epoch"] == 1
        bot.close()
