"""A reply holding NUL (which PostgreSQL's text cannot store) is refused when queued, on
every store, with a reason that says so: never a stuck message with a wrong reason."""

from __future__ import annotations

import pytest

from tests.bot.conftest import ALICE_ID, BOT_ID
from tests.bot.test_runtime import dm, drain, make_bot
from tweepy_dm.bot import DMPoller


def test_a_reply_with_nul_dead_letters_with_the_reason(store_url, users, clock):
    bot = make_bot(store_url, users, clock, max_attempts=2)
    bot.on_direct_message(lambda message, context: context.reply("a\x00b"))
    dm(users, ALICE_ID, "nul please")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    clock.advance(3600)
    drain(bot)
    status = bot.status()
    assert status["inbox"] == {"dead": 1}
    [letter] = status["dead_letters"]
    assert "NUL" in letter["error"]
    assert letter["attempts"] == 2
    assert status["outbox"] == {}
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []
    bot.close()


def test_a_handler_can_catch_the_refusal_and_reply_otherwise(store_url, users, clock):
    bot = make_bot(store_url, users, clock)

    @bot.on_direct_message
    def handle(message, context):
        with pytest.raises(ValueError, match=r"NUL character \(U\+0000\) at index 1"):
            context.send_dm("a\x00b", participant_id=ALICE_ID)
        context.reply("ab")

    dm(users, ALICE_ID, "hi")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["ab"]
    bot.close()


def test_a_handler_error_holding_nul_is_stored_as_the_reason(store_url, users, clock):
    bot = make_bot(store_url, users, clock, max_attempts=1)

    def handle(message, context):
        raise RuntimeError("bad\x00byte")

    bot.on_direct_message(handle)
    dm(users, ALICE_ID, "hi")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    drain(bot)
    [letter] = bot.status()["dead_letters"]
    assert letter["error"] == "RuntimeError: bad\\x00byte"
    bot.close()
