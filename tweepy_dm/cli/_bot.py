"""``tweepy-dm bot``: run a :class:`tweepy_dm.DMBot` and look at its store."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from typing import Any, Optional

import click
import tweepy

from tweepy_dm.cli._options import token_store_options, xchat_key_option
from tweepy_dm.cli._output import console


def _load(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise click.UsageError(f"MODULE:BOT expected (e.g. mybot:bot), not {target!r}")
    # Like python -m: modules in the current directory are found.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise click.UsageError(f"cannot import {module_name!r}: {error}") from None
    bot: Any = module
    for part in attribute.split("."):
        bot = getattr(bot, part, None)
        if bot is None:
            raise click.UsageError(f"{module_name!r} has no {attribute!r}")
    from tweepy_dm.bot import DMBot

    if not isinstance(bot, DMBot):
        raise click.UsageError(f"{target} is a {type(bot).__name__}, not a tweepy_dm.DMBot")
    return bot


def _open(url: str) -> Any:
    from tweepy_dm.bot._runtime import open_store
    from tweepy_dm.bot._sqlite import SQLiteStore

    try:
        store = open_store(url)
    except (TypeError, ValueError, ImportError) as error:
        raise click.UsageError(str(error)) from None
    if isinstance(store, SQLiteStore) and not os.path.exists(store.path):
        raise click.UsageError(f"no bot store at {store.path}")
    store.setup(time.time())
    return store


def _token_store_options(command: Any) -> Any:
    for option in reversed(token_store_options()):
        command = option(command)
    return command


@click.group()
def bot() -> None:
    """Run a DM bot (tweepy_dm.DMBot) and look at its store."""


@bot.command("run")
@click.argument("target", metavar="MODULE:BOT")
@click.option(
    "--source",
    type=click.Choice(["stream", "poll", "none"]),
    help="Where DMs come from: the Activity API stream, polling, or none (webhooks fill "
    "the inbox). Default: stream if the bot has a bearer_token, else poll.",
)
@click.option(
    "--workers", type=click.IntRange(1), default=1, show_default=True, help="Worker threads."
)
@click.option("--store", help="The store URL, instead of the bot's own.")
@xchat_key_option
@_token_store_options
def run(target: str, source: Optional[str], workers: int, store: Optional[str],
        xchat_key: Optional[str], token_store: Optional[str], client_id: Optional[str],
        client_secret: Optional[str]) -> None:  # fmt: skip
    """Run the DMBot named MODULE:BOT until SIGTERM or Ctrl+C, which drain it.

    Several such processes on one store cooperate: one streams or polls
    (the leader, by a lease in the store), all handle and send. With
    --xchat-key FILE (or X_XCHAT_KEY_FILE), a bot of one user reads and
    sends over XChat with that user's key.
    """
    dm_bot = _load(target)
    if token_store is not None:
        # The users' OAuth 2.0 tokens from `tweepy-dm auth login`, refreshed as they expire.
        try:
            dm_bot.use_token_store(token_store, client_id=client_id, client_secret=client_secret)
        except (LookupError, TypeError, ValueError) as error:
            raise click.UsageError(str(error)) from None
    if xchat_key is not None:
        try:
            dm_bot.use_xchat_key(xchat_key)
        except (ValueError, ImportError) as error:
            raise click.UsageError(str(error)) from None
        except tweepy.TweepyException as error:  # asking X who the bot's user is
            raise click.ClickException(str(error)) from None
    if store is not None:
        try:
            dm_bot.use_store(store)
        except (TypeError, RuntimeError) as error:
            raise click.UsageError(str(error)) from None
    chosen: Any = source
    if source is None:
        chosen = "stream" if dm_bot.bearer_token else "poll"
    elif source == "none":
        chosen = None
    if chosen == "stream":
        from tweepy_dm.cli._coverage import require_bot_stream

        require_bot_stream(dm_bot)
    output = console()
    try:
        status = dm_bot.status()
    except (TypeError, ValueError, ImportError) as error:
        raise click.UsageError(str(error)) from None
    output.print(
        f"[bold]{target}[/] on {status['store']}: source {chosen or 'none'}, "
        f"{workers} worker{'s' if workers != 1 else ''}, {status['inbox_depth']} waiting"
    )
    dm_bot.run(source=chosen, workers=workers, install_signals=True)
    output.print("Drained and stopped.")
    dm_bot.close()


@bot.command("status")
@click.option("--store", required=True, help="The store URL (sqlite:///… or postgresql://…).")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(store: str, as_json: bool) -> None:
    """Inbox depth, leases, dead letters, budget left per user and for the app, leaders."""
    opened = _open(store)
    try:
        report = opened.status(time.time())
    finally:
        opened.close()
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    output = console()
    output.print(f"[bold]store[/] {report['store']}")
    inbox = ", ".join(f"{count} {state}" for state, count in sorted(report["inbox"].items()))
    output.print(f"[bold]inbox[/] depth {report['inbox_depth']} ({inbox or 'empty'})")
    for lease in report["running"]:
        output.print(
            f"  running {lease['event_id']} leased to {lease['owner']}, "
            f"expires in {lease['expires_in']:.1f} s"
        )
    letters = report["dead_letters"]
    output.print(f"[bold]dead letters[/] {len(letters)}")
    for letter in letters:
        output.print(
            f"  {letter['event_id']} from {letter['sender_id']} after {letter['attempts']} "
            f"attempts: {letter['error']}"
        )
    outbox = ", ".join(f"{count} {state}" for state, count in sorted(report["outbox"].items()))
    output.print(f"[bold]outbox[/] {outbox or 'empty'}")
    output.print("[bold]budgets[/]")
    for scope, budget in report["budgets"].items():
        windows = ", ".join(
            f"{name} {w['remaining']}/{w['limit']}"
            + (f" (resets in {w['resets_in']} s)" if w["resets_in"] is not None else "")
            for name, w in budget["windows"].items()
        )
        source = "X's headers" if budget["learned_from_x"] else "X's documented limits"
        output.print(f"  {scope}: {windows or 'no limit stated'} [{source}]")
    for name, leader in report["leaders"].items():
        holder = leader["owner"] or "nobody"
        output.print(f"[bold]leader[/] {name}: {holder} (term {leader['epoch']})")


@bot.command("replay")
@click.option("--store", required=True, help="The store URL (sqlite:///… or postgresql://…).")
@click.argument("event_ids", nargs=-1, metavar="[EVENT_ID]...")
def replay(store: str, event_ids: tuple[str, ...]) -> None:
    """Put dead letters (all, or these DM event ids) back in the inbox."""
    opened = _open(store)
    try:
        count = opened.replay(list(event_ids) or None, time.time())
    finally:
        opened.close()
    console().print(f"{count} dead letter{'s' if count != 1 else ''} back in the inbox")
