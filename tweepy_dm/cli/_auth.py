"""``tweepy-dm auth``: OAuth 2.0 login (PKCE, loopback), status, refresh, revoke, exchange.

Every command works on a token store (``--token-store``: a file path,
``sqlite:///path`` or ``postgresql://…``), the one the bot and the other commands
read with the same option. No command prints a token.
"""

from __future__ import annotations

import http.server
import time
import webbrowser
from typing import Any, Optional

import click

from tweepy_dm import _facts
from tweepy_dm._client_options import DEFAULT_API_URL
from tweepy_dm.cli._errors import CommandError, handle_errors
from tweepy_dm.cli._options import (
    CLIENT_ID_VARIABLE,
    _clean,
    stored_token,
    token_store_options,
)
from tweepy_dm.cli._output import console, stderr

#: The loopback port of ``auth login`` by default: register
#: ``http://127.0.0.1:8765/callback`` as a callback URL of the app.
DEFAULT_PORT = 8765
DEFAULT_STORE = "tweepy-dm-token.json"


def _store_options(command: Any) -> Any:
    options = [
        click.option("--api-url", envvar="X_API_URL", default=DEFAULT_API_URL, show_default=True,
                     show_envvar=True, callback=_clean,
                     help="Base URL of the X API (or of an emulator)."),
        *token_store_options(),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _store(token_store: Optional[str]) -> str:
    return token_store or DEFAULT_STORE


def _require_client_id(client_id: Optional[str]) -> str:
    if not client_id:
        raise click.UsageError(
            f"pass --client-id (or set {CLIENT_ID_VARIABLE}): the app's OAuth 2.0 Client ID, "
            "from the developer portal's Keys and tokens page"
        )
    return client_id


def _api(api_url: str) -> Optional[str]:
    return None if api_url == DEFAULT_API_URL else api_url


@click.group()
def auth() -> None:
    """OAuth 2.0 user tokens that refresh themselves, kept in a token store.

    Log in once (auth login), then give --token-store to send, events,
    export, bot run and migrate check: the token is refreshed before it
    expires, by one process at a time. OAuth 1.0a users move without a new
    login with auth exchange (until 2027-01-31).
    """


class _Callback(http.server.BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        if not self.path.startswith("/callback"):
            self.send_error(404)
            return
        self.server.callback = f"http://127.0.0.1:{self.server.server_port}{self.path}"
        body = b"<p>tweepy-dm: authorized. You can close this tab.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the callback's query holds the code: never logged


def _wait_for_callback(server: Any, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    server.timeout = 0.5
    server.callback = None
    while server.callback is None:
        if time.monotonic() > deadline:
            raise CommandError(f"no authorization arrived within {timeout:g} seconds; run again")
        server.handle_request()
    return str(server.callback)


@auth.command()
@_store_options
@click.option("--scopes", default=" ".join(_facts.DM_APP_SCOPES), show_default=True,
              help="Space- or comma-separated OAuth 2.0 scopes (offline.access for a refresh "
              "token).")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Loopback port of the callback: register http://127.0.0.1:PORT/callback "
              "on the app.")  # fmt: skip
@click.option("--no-browser", is_flag=True, help="Only print the URL to open.")
@click.option("--timeout", type=float, default=300.0, show_default=True,
              help="Seconds to wait for the authorization.")  # fmt: skip
@handle_errors
def login(api_url: str, token_store: Optional[str], client_id: Optional[str],
          client_secret: Optional[str], scopes: str, port: int, no_browser: bool,
          timeout: float) -> None:  # fmt: skip
    """Authorize the app as a user (OAuth 2.0 with PKCE) and keep the token.

    Opens the authorization page (or prints its URL), waits for X to
    redirect to http://127.0.0.1:PORT/callback, and writes the token to the
    store, created readable by you only.
    """
    from tweepy_dm import auth as credentials

    client_id = _require_client_id(client_id)
    api = _api(api_url)
    authorize = (
        _facts.OAUTH2_AUTHORIZE_URL
        if api is None
        else api.rstrip("/") + _facts.OAUTH2_AUTHORIZE_PATH
    )
    server = http.server.HTTPServer(("127.0.0.1", port), _Callback)
    try:
        request = credentials.authorization_url(
            client_id=client_id,
            redirect_uri=f"http://127.0.0.1:{server.server_port}/callback",
            scopes=scopes,
            authorize_url=authorize,
        )
        stderr.print("Open this URL to authorize the app:", markup=False)
        click.echo(request.url)
        if not no_browser:
            try:
                webbrowser.open(request.url)
            except webbrowser.Error:
                pass  # no browser here: the URL is printed
        callback = _wait_for_callback(server, timeout)
    finally:
        server.server_close()
    token = credentials.fetch_token(
        request, callback, client_secret=client_secret, api_url=api, store=_store(token_store)
    )
    who = f"@{token._record.get('username')} ({token.user_id})" if token.user_id else "the user"
    console().print(
        f"Logged in as {who} with {' '.join(sorted(token.scopes))}; token kept in "
        f"{token._store.url}",
        markup=False,
    )


@auth.command()
@_store_options
@handle_errors
def status(api_url: str, token_store: Optional[str], client_id: Optional[str],
           client_secret: Optional[str]) -> None:  # fmt: skip
    """What the store holds: whose token, its scopes and expiry (never the token)."""
    from tweepy_dm import auth as credentials

    rows = credentials.stored_tokens(_store(token_store))
    output = console()
    if not rows:
        output.print(
            f"{_store(token_store)} holds no token: run tweepy-dm auth login", markup=False
        )
        raise click.exceptions.Exit(1)
    for row in rows:
        who = f"@{row['username']} ({row['user_id']})" if row["username"] else row["user_id"]
        left = row["expires_in"]
        expiry = (
            "no known expiry"
            if left is None
            else (f"expired {-left // 60} min ago" if left < 0 else f"expires in {left // 60} min")
        )
        state = (
            "refused by X: log in again"
            if row["dead"]
            else ("refreshable" if row["refreshable"] else "not refreshable")
        )
        output.print(
            f"{row['kind']} {who} client {row['client_id'] or '-'}: {' '.join(row['scopes'])}; "
            f"{expiry}; {state}",
            markup=False,
        )  # fmt: skip


@auth.command()
@_store_options
@handle_errors
def refresh(api_url: str, token_store: Optional[str], client_id: Optional[str],
            client_secret: Optional[str]) -> None:  # fmt: skip
    """Refresh the stored token now (it is refreshed by itself when it nears expiry)."""
    token = stored_token(_store(token_store), client_id, client_secret)
    token.renew(api_url)
    console().print(
        f"Refreshed: expires in {round((token.expires_at or time.time()) - time.time()) // 60} min",
        markup=False,
    )


@auth.command()
@_store_options
@handle_errors
def revoke(api_url: str, token_store: Optional[str], client_id: Optional[str],
           client_secret: Optional[str]) -> None:  # fmt: skip
    """Revoke the stored token at X and remove it from the store."""
    from tweepy_dm import auth as credentials

    token = stored_token(_store(token_store), client_id, client_secret)
    credentials.revoke_token(token, api_url=_api(api_url))
    lease = token._store.acquire()
    try:
        lease.delete(token._name)
    finally:
        lease.release()
    console().print("Revoked, and removed from the store", markup=False)


@auth.command()
@_store_options
@click.option("--access-token", envvar="X_ACCESS_TOKEN", show_envvar=True, callback=_clean,
              required=True, help="The user's OAuth 1.0a access token.")  # fmt: skip
@click.option("--access-token-secret", envvar="X_ACCESS_TOKEN_SECRET", show_envvar=True,
              callback=_clean, required=True,
              help="The user's OAuth 1.0a access token secret.")  # fmt: skip
@click.option(
    "--scopes",
    default=None,
    help="A subset of the scopes the OAuth 1.0a grant maps to (all by default).",
)
@handle_errors
def exchange(api_url: str, token_store: Optional[str], client_id: Optional[str],
             client_secret: Optional[str], access_token: str, access_token_secret: str,
             scopes: Optional[str]) -> None:  # fmt: skip
    """Trade the user's OAuth 1.0a token for an OAuth 2.0 pair, without a new login.

    Exchanging the same user again invalidates the pair exchanged before;
    two exchanges sharing the store run one after the other. The OAuth 1.0a
    token stays valid. X offers this until OAuth 1.0a retires (2027-01-31).
    """
    from tweepy_dm import auth as credentials

    token = credentials.exchange_oauth1_token(
        access_token=access_token,
        access_token_secret=access_token_secret,
        client_id=_require_client_id(client_id),
        client_secret=client_secret,
        scopes=scopes,
        api_url=_api(api_url),
        store=_store(token_store),
    )
    stderr.print(
        "Note: exchanging this user again invalidates this pair; let the store's holders "
        "refresh it instead.",
        markup=False,
    )
    who = f"@{token._record.get('username')} ({token.user_id})" if token.user_id else "the user"
    console().print(
        f"Exchanged: {who} now has an OAuth 2.0 token with {' '.join(sorted(token.scopes))}, "
        f"kept in {token._store.url}",
        markup=False,
    )
