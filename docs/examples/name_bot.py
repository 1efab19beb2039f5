"""A two-state DM bot: /start asks your name, your next message is greeted by it.

Run it with the bot user's OAuth 1.0a keys in the environment (or
``tweepy-dm emulator``'s variables, X_API_URL included):

    python name_bot.py
"""

from __future__ import annotations

import os

import tweepy_dm
from tweepy_dm.bot import Context, DMBot


def build(bot: DMBot) -> None:
    """Register the bot's handlers: a conversation of two states, and a fallback."""
    flow = bot.conversation(timeout=300, name="greeting")

    @flow.entry(command="start")
    def start(context: Context) -> str:
        context.reply("What's your name?")
        return "name"

    @flow.state("name")
    def got_name(context: Context) -> object:
        context.data["name"] = context.text
        context.reply(f"Hi {context.text}!")
        return flow.END

    @flow.on_timeout
    def too_late(context: Context) -> None:
        context.reply("No name? Send /start when you are ready.")

    @bot.on_direct_message
    def anything_else(message, context: Context) -> None:
        name = context.data.get("name")
        context.reply(f"Hello again, {name}!" if name else "Send /start to begin.")


def main() -> None:
    client = tweepy_dm.Client(
        consumer_key=os.environ["X_CONSUMER_KEY"],
        consumer_secret=os.environ["X_CONSUMER_SECRET"],
        access_token=os.environ["X_ACCESS_TOKEN"],
        access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"],
        api_url=os.environ.get("X_API_URL", "https://api.twitter.com"),
    )
    bot = DMBot(store="sqlite:///name_bot.db", clients=client)
    build(bot)
    bot.run(source="poll", install_signals=True)


if __name__ == "__main__":
    main()
