"""A DM bot runtime: durable inbox, workers, an outbox within X's budgets, on SQLite or PostgreSQL.

>>> from tweepy_dm.bot import DMBot
>>> bot = DMBot(store="sqlite:///bot.db", clients=client)  # doctest: +SKIP
>>> @bot.on_direct_message
... def echo(message, context):
...     context.reply(f"You said: {message.text}")
>>> bot.run(source="poll", workers=2)  # doctest: +SKIP

.. versionadded:: 0.2
"""

from __future__ import annotations

from tweepy_dm.bot._inbox import Context
from tweepy_dm.bot._poller import DMPoller
from tweepy_dm.bot._routing import Conversation
from tweepy_dm.bot._runtime import DMBot

__all__ = ["Context", "Conversation", "DMBot", "DMPoller"]
