"""dm_chat does not look at an idle bot at every tick, and what falls due still happens on time."""

from __future__ import annotations

import tweepy_dm
from tweepy_dm.bot import DMBot


def counting(bot):
    """``bot`` whose work_once calls are counted in ``bot.looks``."""
    work_once = bot.work_once
    bot.looks = 0

    def counted(*args, **kwargs):
        bot.looks += 1
        return work_once(*args, **kwargs)

    bot.work_once = counted
    return bot


def echo_bot():
    bot = DMBot(clients=tweepy_dm.Client(bearer_token="not used: the kit replaces it"))

    @bot.on_direct_message
    def echo(message, context):
        context.reply(f"echo: {message.text}")

    return counting(bot)


def test_an_hour_of_waiting_on_an_idle_bot_looks_at_it_a_few_times_not_3600(dm_chat):
    dm_chat.run(echo_bot())
    alice = dm_chat.user("alice")
    alice.send("hi")
    assert alice.expect_reply(within=5).text == "echo: hi"
    start, looks = dm_chat.clock(), dm_chat.bot.looks
    alice.expect_no_reply(within=3600)
    assert dm_chat.clock() == start + 3600  # the clock still moved, tick by tick
    assert dm_chat.bot.looks - looks <= 3
    alice.send("again")  # a new message is work again at once
    assert alice.expect_reply(within=1).text == "echo: again"
    assert dm_chat.clock() == start + 3600


def test_a_timeout_due_while_waiting_runs_at_the_first_tick_after_it(dm_chat):
    bot = counting(DMBot(clients=tweepy_dm.Client(bearer_token="not used")))
    flow = bot.conversation(timeout=90.5)

    @flow.entry()
    def ask(context):
        context.reply("Your name?")
        return "name"

    @flow.state("name")
    def greet(context):
        context.reply(f"Hello, {context.text}!")
        return flow.END

    @flow.on_timeout
    def gave_up(context):
        context.reply("Too slow.")

    dm_chat.run(bot)
    alice = dm_chat.user("alice")
    start = dm_chat.clock()
    alice.send("hi")
    assert alice.expect_reply(within=1).text == "Your name?"
    looks = bot.looks
    assert alice.expect_reply(within=200).text == "Too slow."
    # The timeout passed at start + 90.5: the kit, looking once a second, sees it at 91.
    assert dm_chat.clock() == start + 91
    assert bot.looks - looks <= 5
    alice.expect_no_reply(within=600)
