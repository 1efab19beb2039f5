"""The bot's waiters take X's rate limits from _policy: the poller and the look-up of a send
of unknown outcome wait for X's reset, or _policy's default when X names none."""

from __future__ import annotations

from tests.bot.conftest import ALICE_ID, BOT_ID
from tests.bot.test_runtime import dm, make_bot
from tweepy_dm import _policy
from tweepy_dm.bot import DMPoller


def test_the_poller_waits_the_default_after_a_429_naming_no_reset(tmp_path, users, clock, emulator):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)
    poller = DMPoller(users.client(BOT_ID), user_id=BOT_ID)
    emulator.inject_fault(429, path="/2/dm_events", headers={"x-rate-limit-reset": ""})
    assert poller.poll(bot, clock=clock) == _policy.DEFAULT_RATE_LIMIT_WAIT
    reset = int(clock()) + 120
    emulator.inject_fault(429, path="/2/dm_events", headers={"x-rate-limit-reset": str(reset)})
    assert poller.poll(bot, clock=clock) == reset - int(clock()) + 1
    bot.close()


def test_a_look_up_refused_by_a_429_waits_for_xs_reset(tmp_path, users, clock, emulator):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock)
    bot.on_direct_message(lambda message, context: context.reply("once"))
    dm(users, ALICE_ID, "ping")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot.work_once()  # handled
    emulator.inject_fault(path="/2/dm_conversations/*/messages", method="POST", drop=True)
    assert bot.work_once()  # the send's answer is lost
    clock.advance(bot._send_lease())
    reset = int(clock()) + 600
    emulator.inject_fault(
        429, path="/2/dm_conversations/*/dm_events", headers={"x-rate-limit-reset": str(reset)}
    )
    assert bot.work_once()  # the look-up: X says wait 10 minutes
    assert bot.status()["outbox"] == {"unknown": 1}
    clock.advance(5 * bot.check_delay)
    assert not bot.work_once()  # not back at X within its window
    clock.advance(reset + 1 - clock())
    while bot.work_once():
        pass
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["once"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()
