"""The credential options of the commands that talk to X, and the client they make.

Each credential comes from an option or its environment variable. Whitespace
around a value is dropped (a token read with ``$(cat token.txt)`` or pasted
from a file often ends in a newline); a value with whitespace or a control
character inside is refused before anything is sent, naming the option and
never showing the value.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Optional

import click

import tweepy_dm
from tweepy_dm._transport import DEFAULT_API_URL

OAUTH1_VARIABLES = (
    "X_CONSUMER_KEY",
    "X_CONSUMER_SECRET",
    "X_ACCESS_TOKEN",
    "X_ACCESS_TOKEN_SECRET",
)
BEARER_VARIABLE = "X_BEARER_TOKEN"


def _clean(context: click.Context, parameter: click.Parameter, value: Optional[str]) -> Any:
    if value is None:
        return None
    value = value.strip()
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        source = " or ".join(filter(None, [*parameter.opts[:1], parameter.envvar]))  # type: ignore[list-item]
        raise click.BadParameter(
            f"the value (from {source}) has whitespace or a control character inside it, "
            "which X's credentials and URLs never have: check how it was set",
            ctx=context,
            param=parameter,
        )
    return value or None


def credential_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that talks to X takes, each with its variable."""
    options = [
        click.option("--api-url", envvar="X_API_URL", default=DEFAULT_API_URL, show_default=True,
                     show_envvar=True, callback=_clean,
                     help="Base URL of the X API (or of an emulator)."),
        click.option("--consumer-key", envvar="X_CONSUMER_KEY", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a consumer (API) key."),
        click.option("--consumer-secret", envvar="X_CONSUMER_SECRET", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a consumer (API) secret."),
        click.option("--access-token", envvar="X_ACCESS_TOKEN", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a access token of the user."),
        click.option("--access-token-secret", envvar="X_ACCESS_TOKEN_SECRET", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a access token secret of the user."),
        click.option("--bearer-token", envvar=BEARER_VARIABLE, show_envvar=True, callback=_clean,
                     help="OAuth 2.0 user access token (used when OAuth 1.0a is not set)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def make_client(
    api_url: str,
    consumer_key: Optional[str],
    consumer_secret: Optional[str],
    access_token: Optional[str],
    access_token_secret: Optional[str],
    bearer_token: Optional[str],
) -> tuple[tweepy_dm.Client, bool]:
    """The client and ``user_auth`` the credentials call for, or a usage error."""
    oauth1 = dict(
        zip(OAUTH1_VARIABLES, (consumer_key, consumer_secret, access_token, access_token_secret))
    )
    if all(oauth1.values()):
        client = tweepy_dm.Client(
            consumer_key=consumer_key, consumer_secret=consumer_secret,
            access_token=access_token, access_token_secret=access_token_secret,
            bearer_token=bearer_token, api_url=api_url,
        )  # fmt: skip
        return client, True
    if bearer_token:
        return tweepy_dm.Client(bearer_token=bearer_token, api_url=api_url), False
    missing = [name for name, value in oauth1.items() if not value]
    partial = len(missing) < len(oauth1)
    raise click.UsageError(
        "No usable credentials. Set "
        + ", ".join(OAUTH1_VARIABLES)
        + f" (OAuth 1.0a user context), or {BEARER_VARIABLE} (an OAuth 2.0 user access token),"
        " or pass the matching options."
        + (f" OAuth 1.0a is incomplete: missing {', '.join(missing)}." if partial else "")
    )


def one_of(**options: Any) -> None:
    """A usage error if more than one of these options was given."""
    given = [name for name, value in options.items() if value is not None]
    if len(given) > 1:
        raise click.UsageError(f"use only one of {', '.join('--' + n for n in options)}")
