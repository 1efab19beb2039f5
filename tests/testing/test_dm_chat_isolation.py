"""dm_chat scenarios are isolated: nothing of one (messages, conversation state, store) reaches the next."""

from __future__ import annotations

import pytest

import tweepy_dm
from tweepy_dm.bot import DMBot
from tweepy_dm.testing import DMChat

# One bot object for the whole module, as a user's module defines it: each test runs it.
bot = DMBot(clients=tweepy_dm.Client(bearer_token="not used: the kit replaces it"))
flow = bot.conversation(timeout=300)  # its state is kept in the bot's store


@flow.entry()
def ask(context):
    context.reply("Hello! What is your name?")
    return "name"


@flow.state("name")
def greet(context):
    context.reply(f"Nice to meet you, {context.text}!")
    return "known"  # the conversation stays open: the next test must not see it


@flow.state("known")
def again(context):
    context.reply("We have met.")
    return "known"


@pytest.mark.parametrize("scenario", ["first", "second"])
def test_each_scenario_starts_with_no_messages_and_no_conversation_state(dm_chat, scenario):
    dm_chat.run(bot)
    alice = dm_chat.user("alice")
    # Left in the "name" state by the scenario before, the bot would greet "hi".
    alice.send("hi")
    assert alice.expect_reply(within=5).text == "Hello! What is your name?"
    alice.send(scenario)
    assert alice.expect_reply(within=5).text == f"Nice to meet you, {scenario}!"
    alice.expect_no_reply(within=60)
    client = dm_chat.bot.clients[dm_chat.bot_id]
    texts = sorted(event.text for event in client.get_dm_events().data)
    assert texts == sorted(
        ["hi", "Hello! What is your name?", scenario, f"Nice to meet you, {scenario}!"]
    )
    status = dm_chat.bot.status()
    assert status["inbox"] == {"done": 2}
    assert status["outbox"] == {"sent": 2}


def test_two_kits_open_at_once_have_stores_of_their_own():
    def echo_bot():
        echo = DMBot(clients=tweepy_dm.Client(bearer_token="not used"))

        @echo.on_direct_message
        def reply(message, context):
            context.reply(f"echo: {message.text}")

        return echo

    with DMChat() as one, DMChat() as two:
        one.run(echo_bot())
        two.run(echo_bot())
        one.user("alice").send("to one")
        assert one.user("alice").expect_reply(within=5).text == "echo: to one"
        assert one.bot.status()["inbox"] == {"done": 1}
        assert two.bot.status()["inbox"] == {}
        two.user("bob").send("to two")
        assert two.user("bob").expect_reply(within=5).text == "echo: to two"
        assert one.bot.status()["inbox"] == {"done": 1}
        assert two.bot.status()["inbox"] == {"done": 1}
