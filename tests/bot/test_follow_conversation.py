"""A worker that finished a message claims its conversation's next one at once, in order.

The claim of the next message (``BotStore.claim_next``) keeps every check of the
inbox's claim: order, one message of a conversation at a time, retries, leases
and timeouts; and a worker follows one conversation for at most ``FOLLOW``
messages before it looks at the whole inbox again. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.bot.test_conversation_order import ingest, make_bot, message, recording_bot
from tweepy_dm._policy import Backoff
from tweepy_dm.bot._handling import FOLLOW

ALICE_CONVERSATION = f"{min(ALICE_ID, BOT_ID)}-{max(ALICE_ID, BOT_ID)}"


def next_of(bot, owner, conversation=ALICE_CONVERSATION):
    row = bot.store.claim_next(
        owner, BOT_ID, conversation, bot.clock(), bot.lease, bot.max_attempts
    )
    return None if row is None else row.payload["text"]


def finish(bot, owner):
    [running] = [r for r in bot.status()["running"] if r["owner"] == owner]
    assert bot.store.complete(running["event_id"], owner, [], bot.clock())


def test_a_worker_goes_on_with_the_conversation_it_finished(store_url, users, clock):
    bot, handled = recording_bot(store_url, users, clock)
    # The inbox's order is a1, b1, a2: the worker that handled a1 takes a2 next.
    ingest(bot, message(101, ALICE_ID, "a1"), message(102, BOB_ID, "b1"))
    ingest(bot, message(103, ALICE_ID, "a2"))
    while bot.work_once("w1"):
        pass
    assert handled == ["a1", "a2", "b1"]
    bot.close()


def test_a_worker_follows_a_conversation_for_at_most_follow_messages(store_url, users, clock):
    bot, handled = recording_bot(store_url, users, clock)
    ingest(bot, message(1000, ALICE_ID, "a0"), message(1001, BOB_ID, "bob"))
    ingest(bot, *[message(1002 + n, ALICE_ID, f"a{n + 1}") for n in range(FOLLOW + 2)])
    while bot.work_once("w1"):
        pass
    alice = [f"a{n}" for n in range(FOLLOW + 3)]
    assert handled == [*alice[:FOLLOW], "bob", *alice[FOLLOW:]]
    bot.close()


def test_the_next_message_waits_for_a_retry_of_the_one_before(store_url, users, clock):
    bot = make_bot(store_url, users, clock, retry=Backoff(attempts=0, base=10.0, maximum=10.0))
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append((message.text, context.attempt))
        if message.text == "two" and context.attempt == 1:
            raise RuntimeError("the first try fails")

    ingest(bot, *[message(201 + n, ALICE_ID, t) for n, t in enumerate(["one", "two", "three"])])
    while bot.work_once("w1"):
        pass
    assert handled == [("one", 1), ("two", 1)]
    assert next_of(bot, "w1") is None  # "three" waits for "two"'s retry
    clock.advance(11)
    while bot.work_once("w1"):
        pass
    assert handled[2:] == [("two", 2), ("three", 1)]
    bot.close()


def test_the_next_message_is_not_claimed_while_another_worker_holds_one(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    ingest(bot, message(302, ALICE_ID, "second"))
    assert next_of(bot, "w1") == "second"
    # An earlier message, delivered late, waits for the one running; then comes first.
    ingest(bot, message(301, ALICE_ID, "first"), message(303, ALICE_ID, "third"))
    assert next_of(bot, "w2") is None
    finish(bot, "w1")
    assert next_of(bot, "w2") == "first"
    assert next_of(bot, "w3") is None
    finish(bot, "w2")
    assert next_of(bot, "w3") == "third"
    assert next_of(bot, "w3", conversation="no-such-conversation") is None
    bot.close()


def test_the_next_message_waits_for_the_conversation_timeout_that_passed(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    flow = bot.conversation(timeout=5.0, name="waiting")
    timed_out = []

    @flow.entry(command="start")
    def start(context):
        return "waiting"

    @flow.state("waiting")
    def waiting(context):
        return flow.END

    @flow.on_timeout
    def waited(context):
        timed_out.append(context.conversation_id)

    @bot.on_direct_message
    def other(message, context):
        pass

    ingest(bot, message(401, ALICE_ID, "/start"))
    assert bot.work_once("w1")
    clock.advance(6)
    ingest(bot, message(402, ALICE_ID, "late"))
    # The timeout passed before "late" arrived: it runs first, whoever asks.
    assert next_of(bot, "w1") is None
    while bot.work_once("w1"):
        pass
    assert timed_out == [ALICE_CONVERSATION]
    bot.close()
