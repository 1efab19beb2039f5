"""A handler that calls sys.exit() or blocks its event loop fails like any other; a worker
that dies stops run() loudly instead of leaving it to handle nothing."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.bot.test_runtime import dm, drain, make_bot
from tweepy_dm.bot import DMPoller


def _poll(bot, users, clock):
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_sys_exit_in_a_handler_is_a_handler_failure(tmp_path, users, clock, kind):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock, max_attempts=1)

    def handle(message, context):
        if message.text == "exit":
            sys.exit(3)
        context.reply(f"re {message.text}")

    async def handle_async(message, context):
        handle(message, context)

    bot.on_direct_message(handle if kind == "sync" else handle_async)
    dm(users, ALICE_ID, "exit")
    dm(users, BOB_ID, "hello")
    _poll(bot, users, clock)
    drain(bot)
    status = bot.status()
    assert status["inbox"] == {"done": 1, "dead": 1}
    assert status["dead_letters"][0]["error"] == "SystemExit: 3"
    assert users.texts_in(BOB_ID, BOT_ID, BOT_ID) == ["re hello"]
    bot.close()


def test_run_goes_on_after_a_handler_calls_sys_exit(tmp_path, users, clock):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock, max_attempts=1, poll_interval=0.01)
    answered = threading.Event()

    @bot.on_direct_message
    def handle(message, context):
        if message.text == "exit":
            sys.exit()
        context.reply("still here")
        answered.set()

    dm(users, ALICE_ID, "exit")
    _poll(bot, users, clock)
    runner = threading.Thread(target=bot.run, kwargs={"source": None, "workers": 1})
    runner.start()
    try:
        dm(users, BOB_ID, "anyone?")
        _poll(bot, users, clock)
        assert answered.wait(30)
    finally:
        bot.stop()
        runner.join(30)
    assert not runner.is_alive()
    assert bot.status()["inbox"] == {"done": 1, "dead": 1}
    bot.close()


def test_a_worker_that_dies_makes_run_fail_loudly(tmp_path, users, clock, caplog):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)
    bot.on_direct_message(lambda message, context: None)

    def broken(owner):
        raise SystemExit("the store's driver called exit")

    bot._send_one = broken  # a defect below the handler, outside its protection
    with pytest.raises(RuntimeError, match=r"died .*SystemExit") as raised:
        bot.run(source=None, workers=2)
    assert isinstance(raised.value.__cause__, SystemExit)
    assert "the bot stops" in caplog.text
    bot.close()


def test_a_blocking_coroutine_handler_is_abandoned_then_cancelled(tmp_path, users, clock):
    import asyncio

    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock, handler_timeout=0.2, max_attempts=1)
    release, ended = threading.Event(), threading.Event()
    after = []

    @bot.on_direct_message
    async def blocking(message, context):
        try:
            release.wait(10)  # blocks the event loop: wait_for alone cannot interrupt it
            await asyncio.sleep(0)
            after.append("ran on")
        finally:
            ended.set()

    dm(users, ALICE_ID, "block")
    _poll(bot, users, clock)
    started = time.monotonic()
    drain(bot)
    assert time.monotonic() - started < 5  # the worker did not wait for the handler
    [letter] = bot.status()["dead_letters"]
    assert "ran past 0.2 s" in letter["error"]
    release.set()
    assert ended.wait(10)
    assert after == []  # cancelled at its first await
    bot.close()


def test_ctrl_c_in_the_main_thread_still_stops_the_caller(tmp_path, users, clock):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)

    def interrupted(message, context):
        raise KeyboardInterrupt

    bot.on_direct_message(interrupted)
    dm(users, ALICE_ID, "hi")
    _poll(bot, users, clock)
    with pytest.raises(KeyboardInterrupt):
        bot.work_once()
    assert bot.status()["inbox"] == {"running": 1}  # left to its lease, not a failure
    bot.close()
