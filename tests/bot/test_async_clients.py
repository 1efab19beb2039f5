"""A DMBot given AsyncClients: its flows run on the bot's own event loop, legacy DMs on."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("aiohttp", reason="AsyncClient needs tweepy's async extra (tweepy-dm[async])")

import tweepy_dm
from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.bot.test_runtime import dm, drain
from tests.helpers import wait_until
from tweepy_dm.bot import DMBot, DMPoller

if not hasattr(tweepy_dm, "AsyncClient"):  # pragma: no cover - tweepy before 4.10
    pytest.skip("tweepy before 4.10 has no AsyncClient", allow_module_level=True)


def async_bot(store_url, users, clock=None, **options):
    client = tweepy_dm.AsyncClient(api_url=users.emulator.url, **users.credentials[BOT_ID])
    if clock is not None:
        options["clock"] = clock
    bot = DMBot(store=store_url, clients=client, **options)

    @bot.on_direct_message
    def echo(message, context):
        context.reply(f"re {message.text}")

    return bot, client


def test_an_async_client_bot_polls_replies_and_learns_x_budget(store_url, users, clock):
    bot, client = async_bot(store_url, users, clock)
    try:
        assert bot.clients == {BOT_ID: client}  # looked up with get_me, awaited on the loop
        dm(users, ALICE_ID, "hello")
        dm(users, BOB_ID, "hi")
        DMPoller(client).poll(bot, clock=clock)
        drain(bot)
        status = bot.status()
    finally:
        bot.close()
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["re hello"]
    assert users.texts_in(BOB_ID, BOT_ID, BOT_ID) == ["re hi"]
    assert status["outbox"] == {"sent": 2}
    # X's rate-limit headers of the async sends reached the budgets.
    (scope,) = [scope for scope in status["budgets"] if scope != "app"]
    assert status["budgets"][scope]["learned_from_x"] is True
    assert status["budgets"][scope]["windows"]["x-rate-limit"]["limit"] == 15


def test_an_async_send_rate_limited_by_x_waits_for_the_window(store_url, users, clock):
    bot, client = async_bot(store_url, users, clock)
    try:
        dm(users, ALICE_ID, "hello")
        DMPoller(client, user_id=BOT_ID).poll(bot, clock=clock)
        reset = int(clock()) + 120
        users.emulator.inject_fault(
            429, path="/2/dm_conversations/*/messages", headers={"x-rate-limit-reset": str(reset)}
        )
        drain(bot)
        assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []
        assert bot.status()["outbox"] == {"pending": 1}
        clock.advance(60)
        drain(bot)
        assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []  # not before X's reset
        clock.now = reset + 1
        drain(bot)
    finally:
        bot.close()
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["re hello"]


def test_run_with_async_clients_in_worker_threads(store_url, users):
    # Real time here: the poller and the workers run in threads, the flows on the loop.
    bot, client = async_bot(store_url, users, poll_interval=0.01)
    runner = threading.Thread(
        # since=0: the emulator runs on the test's fake clock, years before now.
        target=bot.run,
        kwargs={"source": DMPoller(client, since=0, min_interval=0.05), "workers": 3},
    )
    runner.start()
    try:
        for number in range(4):
            dm(users, ALICE_ID, f"live {number}")
        wait_until(lambda: bot.status()["outbox"].get("sent", 0) >= 4, what="four replies sent")
    finally:
        bot.stop()
        runner.join(15)
    bot.close()
    assert not runner.is_alive()
    assert sorted(users.texts_in(ALICE_ID, BOT_ID, BOT_ID)) == [f"re live {n}" for n in range(4)]
