"""The ``tweepy-dm`` command group, and the list of its commands."""

from __future__ import annotations

import click

import tweepy_dm
from tweepy_dm.cli import (
    _auth,
    _bot,
    _bots,
    _demo,
    _emulator,
    _events,
    _export,
    _listen,
    _migrate,
    _redirect,
    _send,
    _subscribe,
    _subscriptions,
    _webhooks,
    _xchat,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tweepy_dm.__version__, prog_name="tweepy-dm")
def cli() -> None:
    """X (Twitter) API v2 Direct Messages from the shell, and an offline emulator.

    Commands that talk to X read credentials from X_CONSUMER_KEY,
    X_CONSUMER_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET (OAuth 1.0a),
    or X_BEARER_TOKEN (an OAuth 2.0 user token), or X_TOKEN_STORE (a token
    kept and refreshed by tweepy-dm auth login), and the base URL from
    X_API_URL; each has a matching option. Exit codes: 0 ok, 1 API error,
    2 usage error.
    """


#: Every command of ``tweepy-dm`` (its help lists them by name).
COMMANDS = (
    _send.send,
    _events.events,
    _export.export,
    _emulator.emulator,
    _demo.demo,
    _redirect.redirect,
    _listen.listen,
    _bot.bot,
    _bots.bots,
    _webhooks.webhooks,
    _subscribe.subscribe,
    _subscriptions.subscriptions,
    _xchat.xchat,
    _migrate.migrate,
    _auth.auth,
)

for _command in COMMANDS:
    cli.add_command(_command)
