"""The dm_chat kit: scripted users talking to a real DMBot on the emulator, on simulated time."""

from __future__ import annotations

import pytest

import tweepy_dm
from tweepy_dm.bot import DMBot


def greeter():
    """The issue's two-state bot: asks a name, then greets by it (its own per-user state)."""
    bot = DMBot(clients=tweepy_dm.Client(consumer_key="k", consumer_secret="s",
                                         access_token="t", access_token_secret="x"))  # fmt: skip
    names: dict[str, str] = {}

    @bot.on_direct_message
    def greet(message, context):
        user = str(message.sender_id)
        if user not in names:
            names[user] = ""
            context.reply("Hello! What is your name?")
        elif not names[user]:
            names[user] = message.text
            context.reply(f"Nice to meet you, {message.text}!")

    return bot


def test_greets_by_name(dm_chat):
    dm_chat.run(greeter())
    alice = dm_chat.user("alice")
    alice.send("hi")
    assert "name" in alice.expect_reply(within=5).text
    alice.send("Ada")
    assert "Ada" in alice.expect_reply(within=5).text
    alice.expect_no_reply(within=60)
