"""The store going away: a PostgreSQL restart is ridden out (quietly), a deleted SQLite
store stops the bot instead of answering into a file no one will read again."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID, PostgresServer
from tests.bot.test_runtime import dm, drain, make_bot
from tweepy_dm.bot import DMPoller
from tweepy_dm.bot._store import StoreLost


def _until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # the test's own connection may meet the outage too
            pass
        time.sleep(0.05)
    return False


@pytest.mark.postgres
def test_the_bot_answers_again_after_postgresql_restarts(users, clock, caplog):
    pytest.importorskip("psycopg", reason="the postgres tests need tweepy-dm[postgres]")
    server = PostgresServer()
    try:
        bot = make_bot(server.new_database(), users, clock, poll_interval=0.01)
        bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
        poller = DMPoller(users.client(BOT_ID), user_id=BOT_ID)
        runner = threading.Thread(target=bot.run, kwargs={"source": None, "workers": 3})
        runner.start()
        try:
            dm(users, ALICE_ID, "before")
            poller.poll(bot, clock=clock)
            assert _until(lambda: users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["re before"])
            server.halt()
            caplog.clear()
            time.sleep(2)  # the outage itself (the workers keep trying meanwhile)
            down = [r for r in caplog.records if r.name.startswith("tweepy_dm")]
            server.start()
            dm(users, BOB_ID, "after")
            assert _until(lambda: poller.poll(bot, clock=clock) is not None)
            assert _until(lambda: users.texts_in(BOB_ID, BOT_ID, BOT_ID) == ["re after"])
        finally:
            bot.stop()
            runner.join(60)
        assert not runner.is_alive()
        # Three workers, two seconds down: a few lines each, not 20 tracebacks a second.
        assert 1 <= len(down) <= 15, [r.getMessage() for r in down]
        assert sum(r.exc_info is not None for r in down) <= 3
        bot.close()
    finally:
        server.stop()


def test_a_deleted_sqlite_store_stops_the_bot(tmp_path, users, clock, caplog):
    path = tmp_path / "bot.db"
    bot = make_bot(f"sqlite:///{path}", users, clock, poll_interval=0.01)
    bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
    dm(users, ALICE_ID, "first")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["re first"]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    with pytest.raises(StoreLost, match="deleted or replaced"):
        bot.work_once()
    with pytest.raises(RuntimeError, match="StoreLost") as raised:
        bot.run(source=None, workers=2)
    assert isinstance(raised.value.__cause__, StoreLost)
    assert any(r.levelno >= logging.CRITICAL for r in caplog.records)
    bot.close()
