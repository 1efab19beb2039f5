"""``tweepy-dm bots``: the app's bot accounts (``/2/bots``): create, list, rotate, revoke, delete.

A token X mints is shown once: it goes to standard output alone (so that
``TOKEN=$(tweepy-dm bots create my_bot)`` keeps it) or, with ``--token-file``,
into a file only its owner may read; what else is said goes to standard error.
"""

from __future__ import annotations

import os
from typing import Any, Optional

import click

from tweepy_dm import _facts
from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._listen import app_token, app_token_options
from tweepy_dm.cli._output import console, plural, stderr

_SCOPES = click.Choice(_facts.BOT_DEFAULT_SCOPES)


def _managed(action: Any) -> Any:
    """Run ``action(client)`` on the app's token, redacted, with the documented exit codes."""

    def run(api_url: str, app_bearer_token: Optional[str], bearer_token: Optional[str]) -> Any:
        import tweepy_dm

        token = app_token(app_bearer_token, bearer_token, "bot management")
        client = tweepy_dm.Client(bearer_token=token, api_url=api_url)
        return handle_errors(lambda **_: action(client))(bearer_token=token)

    return run


def _write_token(path: str, token: str) -> None:
    """``token`` into ``path``, readable by its owner only (made 0600 before it is written)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):  # an existing file keeps its mode through O_CREAT
            os.fchmod(descriptor, 0o600)
        os.write(descriptor, (token + "\n").encode("ascii"))
    finally:
        os.close(descriptor)


def _describe(bot: Any) -> str:
    parts = [str(bot.id), f"@{bot.username}"]
    if bot.name and bot.name != bot.username:
        parts.append(bot.name)
    return "  ".join(parts)


def _hand_over(bot: Any, token_file: Optional[str], verb: str) -> None:
    expires = f", expires {bot.expires_at:%Y-%m-%d %H:%M} UTC" if bot.expires_at else ""
    scopes = f"; scopes {' '.join(bot.scopes)}" if bot.scopes else ""
    if token_file is not None:
        _write_token(token_file, bot.token)
        console().print(_describe(bot), highlight=False, markup=False)
        stderr.print(
            f"{verb} a token for bot {bot.id}{expires}{scopes}; written to {token_file} "
            "(mode 0600). X shows a token once.",
            markup=False,
        )
        return
    stderr.print(
        f"{verb} a token for bot {_describe(bot)}{expires}{scopes}. X shows it once, "
        "here, on standard output: keep it (or pass --token-file next time).",
        markup=False,
    )
    console().print(bot.token, highlight=False, markup=False, soft_wrap=True)


_token_file = click.option(
    "--token-file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the token to this file (mode 0600) instead of printing it.",
)
_scope = click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=_SCOPES,
    help="Narrow the token to these scopes (repeat; all the default ones if omitted).",
)


@click.group()
def bots() -> None:
    """The app's bot accounts (X's /2/bots): each acts through an xcbot_ token.

    These take the app's bearer token (X_APP_BEARER_TOKEN).
    """


@bots.command()
@click.argument("handle")
@click.option("--display-name", help="1 to 50 characters (the handle by default).")
@_scope
@_token_file
@app_token_options
def create(
    handle: str,
    display_name: Optional[str],
    scopes: tuple[str, ...],
    token_file: Optional[str],
    **options: Any,
) -> None:
    """Create the bot HANDLE (or, if the project has it, give it a fresh token).

    The token is printed once on standard output, or written to --token-file.
    """

    def action(client: Any) -> None:
        made = client.create_bot(handle, display_name=display_name, scopes=list(scopes) or None)
        _hand_over(made.data, token_file, "Created the bot, with")

    _managed(action)(**options)


@bots.command(name="list")
@app_token_options
def list_bots(**options: Any) -> None:
    """List the project's bots (id, handle, name) and how many the plan allows."""

    def action(client: Any) -> None:
        response = client.get_bots()
        found = response.data or []
        for bot in found:
            console().print(_describe(bot), highlight=False, markup=False)
        allowed = (response.meta or {}).get("max_bots")
        of = f" of {allowed} allowed" if allowed is not None else ""
        stderr.print(f"{plural(len(found), 'bot')}{of}")

    _managed(action)(**options)


@bots.command()
@click.argument("bot_id", metavar="ID")
@_scope
@_token_file
@app_token_options
def rotate(bot_id: str, scopes: tuple[str, ...], token_file: Optional[str], **options: Any) -> None:
    """Mint a new token for bot ID (the old one stops working); reactivates a revoked bot."""

    def action(client: Any) -> None:
        rotated = client.rotate_bot_token(bot_id, scopes=list(scopes) or None)
        _hand_over(rotated.data, token_file, "Minted")

    _managed(action)(**options)


@bots.command()
@click.argument("bot_id", metavar="ID")
@app_token_options
def revoke(bot_id: str, **options: Any) -> None:
    """Revoke bot ID's token; the account stays (rotate reactivates it)."""

    def action(client: Any) -> None:
        client.revoke_bot_token(bot_id)
        console().print(f"{bot_id}  revoked", highlight=False)

    _managed(action)(**options)


@bots.command()
@click.argument("bot_id", metavar="ID")
@click.confirmation_option(prompt="Delete the bot's X account for good?")
@app_token_options
def delete(bot_id: str, **options: Any) -> None:
    """Delete bot ID: its token is revoked and its X account destroyed, for good."""

    def action(client: Any) -> None:
        client.delete_bot(bot_id)
        console().print(f"{bot_id}  deleted", highlight=False)

    _managed(action)(**options)
