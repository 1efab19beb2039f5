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
from tweepy_dm._client_options import DEFAULT_API_URL

OAUTH1_VARIABLES = (
    "X_CONSUMER_KEY",
    "X_CONSUMER_SECRET",
    "X_ACCESS_TOKEN",
    "X_ACCESS_TOKEN_SECRET",
)
BEARER_VARIABLE = "X_BEARER_TOKEN"
#: Where ``tweepy-dm auth login`` keeps the user's OAuth 2.0 token, refreshed as it expires.
TOKEN_STORE_VARIABLE = "X_TOKEN_STORE"
CLIENT_ID_VARIABLE = "X_CLIENT_ID"
CLIENT_SECRET_VARIABLE = "X_CLIENT_SECRET"
#: The file of the user's XChat key blob: with it, DMs go over /2/chat, end-to-end encrypted.
XCHAT_KEY_VARIABLE = "X_XCHAT_KEY_FILE"


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
        *_oauth1_options(),
        click.option("--bearer-token", envvar=BEARER_VARIABLE, show_envvar=True, callback=_clean,
                     help="OAuth 2.0 user access token (used when OAuth 1.0a is not set)."),
        *token_store_options(),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def oauth1_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The four OAuth 1.0a options alone, for commands with their own bearer token option."""
    for option in reversed(_oauth1_options()):
        command = option(command)
    return command


def _oauth1_options() -> list[Callable[..., Any]]:
    return [
        click.option("--consumer-key", envvar="X_CONSUMER_KEY", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a consumer (API) key."),
        click.option("--consumer-secret", envvar="X_CONSUMER_SECRET", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a consumer (API) secret."),
        click.option("--access-token", envvar="X_ACCESS_TOKEN", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a access token of the user."),
        click.option("--access-token-secret", envvar="X_ACCESS_TOKEN_SECRET", show_envvar=True,
                     callback=_clean, help="OAuth 1.0a access token secret of the user."),
    ]  # fmt: skip


def token_store_options() -> list[Callable[..., Any]]:
    """``--token-store`` and the OAuth 2.0 client that refreshes the token it holds."""
    return [
        click.option("--token-store", metavar="URL", envvar=TOKEN_STORE_VARIABLE,
                     show_envvar=True, callback=_clean,
                     help="Where `tweepy-dm auth login` keeps the OAuth 2.0 token (a file path, "
                     "sqlite:///path or postgresql://…); refreshed when it expires."),
        click.option("--client-id", envvar=CLIENT_ID_VARIABLE, show_envvar=True,
                     callback=_clean, help="The app's OAuth 2.0 Client ID."),
        click.option("--client-secret", envvar=CLIENT_SECRET_VARIABLE, show_envvar=True,
                     callback=_clean,
                     help="The app's OAuth 2.0 Client Secret (confidential clients)."),
    ]  # fmt: skip


def stored_token(token_store: str, client_id: Optional[str], client_secret: Optional[str]) -> Any:
    """The self-refreshing token in ``token_store`` (its only client's, without ``client_id``)."""
    from tweepy_dm import auth

    if client_id is None:
        clients = {row["client_id"] for row in auth.stored_tokens(token_store) if row["client_id"]}
        if len(clients) != 1:
            raise click.UsageError(
                f"the token store holds {'no token' if not clients else 'tokens of several apps'}"
                f": pass --client-id (or {CLIENT_ID_VARIABLE}), after `tweepy-dm auth login`"
            )
        client_id = clients.pop()
    try:
        return auth.OAuth2UserToken.from_store(
            token_store, client_id=client_id, client_secret=client_secret
        )
    except LookupError as error:
        raise click.UsageError(str(error)) from None


def xchat_key_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--xchat-key FILE`` (or X_XCHAT_KEY_FILE): the commands then use /2/chat (XChat)."""
    return click.option(
        "--xchat-key", metavar="FILE", envvar=XCHAT_KEY_VARIABLE, show_envvar=True,
        type=click.Path(exists=True, dir_okay=False), callback=_clean,
        help="File of your XChat key blob (tweepy-dm xchat keygen): DMs then go over "
        "/2/chat, end-to-end encrypted. Its content is never printed.",
    )(command)  # fmt: skip


def make_client(
    api_url: str,
    consumer_key: Optional[str],
    consumer_secret: Optional[str],
    access_token: Optional[str],
    access_token_secret: Optional[str],
    bearer_token: Optional[str],
    xchat_key: Optional[str] = None,
    token_store: Optional[str] = None,
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
) -> tuple[tweepy_dm.Client, bool]:
    """The client and ``user_auth`` the credentials call for, or a usage error.

    With ``xchat_key`` (a key file's path) the client sends and reads over /2/chat.
    With ``token_store`` (and no complete OAuth 1.0a), the OAuth 2.0 user token it
    holds, refreshed as it expires, is the bearer token.
    """
    oauth1 = dict(
        zip(OAUTH1_VARIABLES, (consumer_key, consumer_secret, access_token, access_token_secret))
    )
    # Only given when set, so that commands without --xchat-key make the client as before.
    xchat = {"xchat_key": xchat_key} if xchat_key else {}
    if all(oauth1.values()):
        client = _client(
            consumer_key=consumer_key, consumer_secret=consumer_secret,
            access_token=access_token, access_token_secret=access_token_secret,
            bearer_token=bearer_token, api_url=api_url, **xchat,
        )  # fmt: skip
        return client, True
    if token_store and not bearer_token:
        token = stored_token(token_store, client_id, client_secret)
        return _client(bearer_token=token, api_url=api_url, **xchat), False
    if bearer_token:
        return _client(bearer_token=bearer_token, api_url=api_url, **xchat), False
    missing = [name for name, value in oauth1.items() if not value]
    partial = len(missing) < len(oauth1)
    raise click.UsageError(
        "No usable credentials. Set "
        + ", ".join(OAUTH1_VARIABLES)
        + f" (OAuth 1.0a user context), or {BEARER_VARIABLE} (an OAuth 2.0 user access token),"
        f" or {TOKEN_STORE_VARIABLE} (after `tweepy-dm auth login`), or pass the matching options."
        + (f" OAuth 1.0a is incomplete: missing {', '.join(missing)}." if partial else "")
    )


def _client(**arguments: Any) -> tweepy_dm.Client:
    try:
        return tweepy_dm.Client(**arguments)
    except ImportError as error:  # --xchat-key without chatxdk: say how to install it
        raise click.ClickException(str(error)) from None


def one_of(**options: Any) -> None:
    """A usage error if more than one of these options was given."""
    given = [name for name, value in options.items() if value is not None]
    if len(given) > 1:
        raise click.UsageError(f"use only one of {', '.join('--' + n for n in options)}")
