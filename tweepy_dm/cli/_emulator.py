"""``tweepy-dm emulator``: serve the offline X DM API emulator until interrupted."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import tempfile
import time
from typing import Any, Optional

import click
from rich.console import Console

from tweepy_dm.cli._options import BEARER_VARIABLE, OAUTH1_VARIABLES, XCHAT_KEY_VARIABLE
from tweepy_dm.cli._output import console


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8787,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option("--db", type=click.Path(dir_okay=False), help="SQLite file to keep the state in.")
@click.option("--rate-limits", is_flag=True, help="Enforce X's documented per-user rate limits.")
@click.option(
    "--webhook-host",
    "webhook_hosts",
    multiple=True,
    metavar="HOST",
    help="A host besides this machine that webhooks may be at (a tunnel's); repeatable.",
)
@click.option(
    "--inbox-from",
    "inbox_from",
    multiple=True,
    metavar="NETWORK",
    help="An address or network besides loopback that may use the inbox page at / "
    "(e.g. 192.168.1.0/24); repeatable.",
)
@click.option(
    "--legacy-dms",
    type=click.Choice(["on", "read-only", "off"]),
    default="on",
    show_default=True,
    help="The legacy DM API: as before X's cutover to XChat (on), after it with the history "
    "readable (read-only), or gone (off).",
)
def emulator(
    host: str,
    port: int,
    db: Optional[str],
    rate_limits: bool,
    webhook_hosts: tuple[str, ...],
    inbox_from: tuple[str, ...],
    legacy_dms: str,
) -> None:
    """Serve the offline X DM API emulator until interrupted.

    Prints its URL and the credentials of two seeded users, alice (id 1) and
    bob (id 2), as shell exports ready for the other commands. Its inbox page,
    at the URL printed, shows their conversations live and sends as either.
    With the xchat extra, each also gets XChat keys, in a key file
    (X_XCHAT_KEY_FILE) that is removed when the emulator stops.
    """
    # Imported here: the other commands start faster without the server.
    from tweepy_dm.emulator import DMEmulator

    try:
        server = DMEmulator(
            host=host,
            port=port,
            db=db,
            rate_limits=rate_limits,
            webhook_hosts=webhook_hosts,
            legacy_dms=legacy_dms,
            inbox_from=inbox_from,
        )
    except ValueError as error:
        hint = "--inbox-from" if "inbox_from" in str(error) else "--webhook-host"
        raise click.BadParameter(str(error), param_hint=hint) from None
    except OSError as error:
        raise click.UsageError(
            f"cannot listen on {host}:{port}: {error.strerror or error}"
        ) from None
    output = console()
    # Stop as cleanly on SIGTERM (a service manager, kill) as on Ctrl+C, which
    # may come at any moment, even while the credentials are printed.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with server:
            _serve(output, server, db, rate_limits, legacy_dms)
    except KeyboardInterrupt:
        output.print("Stopped.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _serve(
    output: Console, server: Any, db: Optional[str], rate_limits: bool, legacy_dms: str
) -> None:
    notes = (f", state in {db}" if db else "") + (", rate limits on" if rate_limits else "")
    if legacy_dms != "on":
        notes += f", legacy DMs {legacy_dms} (after X's cutover to XChat)"
    output.print(f"[bold]X DM API emulator[/] listening on [cyan]{server.url}[/]{notes}")
    output.print(
        f"Inbox page: [cyan]{server.url}/[/] (from this machine only, unless --inbox-from)"
    )
    keys = _key_folder()
    try:
        if keys is not None:
            output.print(f"XChat key files in {keys} (removed when the emulator stops)")
        for user_id, username, name in ((1, "alice", "Alice"), (2, "bob", "Bob")):
            credentials = server.add_user(user_id, username, name, xchat=keys is not None)
            output.print(f"\n# @{username} (id {user_id})")
            output.print(f"export X_API_URL={server.url}")
            for variable, key in zip(
                (*OAUTH1_VARIABLES, BEARER_VARIABLE),
                (
                    "consumer_key",
                    "consumer_secret",
                    "access_token",
                    "access_token_secret",
                    "bearer_token",
                ),
            ):
                output.print(f"export {variable}={credentials[key]}")
            if keys is not None:
                path = _write_key(keys / f"{username}.xchat-key", server.xchat_key_blob(user_id))
                output.print(f"export {XCHAT_KEY_VARIABLE}={path}")
        # The app's own token: the Activity API stream and webhooks take it (`tweepy-dm listen`).
        output.print("\n# the app (tweepy-dm listen, webhooks)")
        output.print(f"export X_APP_BEARER_TOKEN={server.app_bearer_token}")
        output.print("\n# the app's OAuth 2.0 client (tweepy-dm auth login --api-url …)")
        output.print(f"export X_CLIENT_ID={server.oauth2_client_id}")
        output.print(f"export X_CLIENT_SECRET={server.oauth2_client_secret}")
        output.print("\nPress Ctrl+C to stop.")
        # Short naps: the kernel may deliver SIGINT to the server's thread, and a
        # long sleep in this thread would only notice it when it ends.
        while True:
            time.sleep(0.2)
    finally:
        if keys is not None:
            # The keys are registered with this emulator only, in memory: useless after it.
            shutil.rmtree(keys, ignore_errors=True)


def _key_folder() -> Optional[pathlib.Path]:
    """A new private folder for the users' key files, or None without chatxdk."""
    try:
        import tweepy_dm.xchat  # noqa: F401 (it imports chatxdk, or says what to install)
    except ImportError:
        return None
    return pathlib.Path(tempfile.mkdtemp(prefix="tweepy-dm-emulator-"))


def _write_key(path: pathlib.Path, blob: bytes) -> pathlib.Path:
    # Readable by the user only, from its creation on.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(blob)
    return path
