"""``tweepy-dm listen``: the X Activity API stream, one line per event, until Ctrl+C."""

from __future__ import annotations

import contextlib
import datetime
import logging
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

import click

from tweepy_dm._client_options import DEFAULT_API_URL
from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._options import (
    BEARER_VARIABLE,
    _clean,
    make_client,
    oauth1_options,
    xchat_key_option,
)
from tweepy_dm.cli._output import json_line, plural, stderr

APP_BEARER_VARIABLE = "X_APP_BEARER_TOKEN"


def event_row(event: Any) -> dict[str, Any]:
    """An :class:`~tweepy_dm.ActivityEvent` as one flat JSON object."""
    row: dict[str, Any] = {
        "event_uuid": event.event_uuid,
        "event_type": event.event_type,
        "user_id": str(event.user_id) if event.user_id is not None else None,
    }
    if event.tag is not None:
        row["tag"] = event.tag
    message = event.direct_message
    if message is not None:
        row.update(
            id=str(message.id),
            text=message.text,
            sender_id=str(message.sender_id),
            dm_conversation_id=message.dm_conversation_id,
            created_at=message.data.get("created_at"),
        )
        sender = event.users.get(message.sender_id)
        if sender is not None:
            row["sender_username"] = sender.username
    elif event.event_type in ("dm.read", "dm.indicate_typing"):
        row.update(
            sender_id=str(event.sender_id) if event.sender_id is not None else None,
            dm_conversation_id=event.dm_conversation_id,
        )
        if event.last_read_event_id is not None:
            row["last_read_event_id"] = str(event.last_read_event_id)
    else:
        row["data"] = event.data
    return row


def table_line(row: dict[str, Any]) -> str:
    """One row as one aligned line of text (a table that grows line by line)."""
    when = row.get("created_at") or datetime.datetime.now(datetime.timezone.utc).isoformat()
    when = when[:19].replace("T", " ")
    who = row.get("sender_username")
    sender = f"@{who}" if who else (row.get("sender_id") or "")
    if "text" in row:
        what = row["text"] or ""
    elif row.get("event_type") == "dm.read":
        what = f"read up to {row.get('last_read_event_id') or '?'}"
    elif row.get("event_type") == "dm.indicate_typing":
        what = "is typing"
    else:
        what = json_line(row.get("data") or {})[:200]
    conversation = row.get("dm_conversation_id") or ""
    # The text is the user's: keep it on the one line it is printed on.
    what = what.replace("\r", " ").replace("\n", " ")
    return f"{when}  {row.get('event_type') or '?':<18}  {sender:<16}  {conversation:<22}  {what}"


def print_event(event: Any, output_format: str) -> None:
    """One event as one line on standard output (``table`` or ``jsonl``), flushed at once."""
    row = event_row(event)
    click.echo(json_line(row) if output_format == "jsonl" else table_line(row))
    sys.stdout.flush()


class _StderrLog(logging.Handler):
    """The stream's notes (reconnects, waits, bad lines) as lines on standard error."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"[{record.levelname.lower()}] {record.getMessage()}\n")
            sys.stderr.flush()
        except Exception:  # a closed stderr must not end the listening
            pass


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def app_token_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--api-url`` and the app's bearer token (X_APP_BEARER_TOKEN, else X_BEARER_TOKEN)."""
    options = [
        click.option("--api-url", envvar="X_API_URL", default=DEFAULT_API_URL, show_default=True,
                     show_envvar=True, callback=_clean,
                     help="Base URL of the X API (or of an emulator)."),
        click.option("--app-bearer-token", envvar=APP_BEARER_VARIABLE, show_envvar=True,
                     callback=_clean,
                     help=f"The app's bearer token (app-only); else {BEARER_VARIABLE} is used."),
        click.option("--bearer-token", envvar=BEARER_VARIABLE, show_envvar=True, callback=_clean,
                     help="Used when no app bearer token is given."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def app_token(app_bearer_token: Optional[str], bearer_token: Optional[str], what: str) -> str:
    """The app's bearer token from the options, or a usage error naming the variables."""
    token = app_bearer_token or bearer_token
    if not token:
        raise click.UsageError(
            f"No bearer token. Set {APP_BEARER_VARIABLE} (the app's bearer token, which "
            f"{what} needs) or {BEARER_VARIABLE}, or pass --app-bearer-token."
        )
    return token


#: Failed connections after which a stream that was never up is given up on.
NEVER_UP_ATTEMPTS = 3
_wait = time.sleep  # the wait itself (a test makes it instant)


def never_up_sleep(connects: Callable[[], int], url: str) -> Callable[[float], None]:
    """The stream's wait between reconnects, which gives up if it never connected.

    A stream that was up reconnects for as long as it takes (X asks for
    that); one that never was is most likely at a wrong URL, so after
    :data:`NEVER_UP_ATTEMPTS` failed attempts it ends with exit status 1.
    """
    failures = 0

    def sleep(seconds: float) -> None:
        nonlocal failures
        if connects() == 0:
            failures += 1
            if failures >= NEVER_UP_ATTEMPTS:
                raise click.ClickException(
                    f"no stream at {url} after {plural(failures, 'attempt')} (it was never "
                    "up): check X_API_URL and the network, then run this again"
                )
        _wait(seconds)

    return sleep


@contextlib.contextmanager
def notes_on_stderr(name: str) -> Iterator[None]:
    """INFO and above of logger ``name`` as lines on standard error, while inside."""
    logger = logging.getLogger(name)
    handler = _StderrLog(logging.INFO)
    logger.addHandler(handler)
    previous_level = logger.level
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


#: ``--format table|jsonl`` of the commands that print events as they come.
FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "jsonl"]),
    default="table",
    show_default=True,
    help="One aligned text line, or one JSON object, per event.",
)


@click.command()
@click.option(
    "--types",
    metavar="TYPE,...",
    help="Only these event types, e.g. dm.received,dm.sent (all by default).",
)
@FORMAT_OPTION
@click.option(
    "--backfill",
    type=click.IntRange(0, 5),
    default=0,
    show_default=True,
    metavar="MINUTES",
    help="Also print what X delivered in the last MINUTES (0 to 5) before starting.",
)
@app_token_options
@oauth1_options
@xchat_key_option
def listen(
    types: Optional[str],
    output_format: str,
    backfill: int,
    api_url: str,
    app_bearer_token: Optional[str],
    bearer_token: Optional[str],
    xchat_key: Optional[str],
    **oauth1: Optional[str],
) -> None:
    """Print X Activity API events (DMs received, sent, read, typing) as they arrive.

    Reads the app's stream (GET /2/activity/stream) with the app's bearer
    token, from X_APP_BEARER_TOKEN or else X_BEARER_TOKEN, until Ctrl+C. One
    line per event on standard output, flushed at once; reconnects and
    waits on standard error. X sends the events of the app's subscriptions
    (tweepy-dm subscriptions create): with none, it exits 2 saying so. A
    stream that was up is reconnected to until Ctrl+C; one that never comes
    up ends with exit status 1 after a few attempts.

    With --xchat-key FILE (or X_XCHAT_KEY_FILE) the user's XChat messages
    (chat.received, chat.sent) are printed decrypted; the user's credentials
    (OAuth 1.0a, or X_BEARER_TOKEN as a user token beside
    X_APP_BEARER_TOKEN) fetch the keys.
    """
    token = app_token(app_bearer_token, bearer_token, "the stream")
    # handle_errors redacts the credentials it finds by these names.
    handle_errors(_listen)(
        types=types, output_format=output_format, backfill=backfill, api_url=api_url,
        bearer_token=token, user_bearer_token=bearer_token, xchat_key=xchat_key, **oauth1,
    )  # fmt: skip


def _listen(
    *,
    types: Optional[str],
    output_format: str,
    backfill: int,
    api_url: str,
    bearer_token: str,
    user_bearer_token: Optional[str],
    xchat_key: Optional[str],
    **oauth1: Optional[str],
) -> None:
    import tweepy_dm
    from tweepy_dm.cli._coverage import require_subscriptions

    token = bearer_token
    event_types = [name.strip() for name in types.split(",") if name.strip()] if types else None
    require_subscriptions(
        tweepy_dm.Client(bearer_token=token, api_url=api_url), event_types=event_types or ()
    )
    xchat: dict[str, Any] = {}
    if xchat_key is not None:
        # X delivers XChat messages encrypted: the user's client decrypts them.
        client, _ = make_client(
            api_url=api_url, bearer_token=user_bearer_token, xchat_key=xchat_key, **oauth1
        )  # type: ignore[arg-type]
        xchat["xchat_clients"] = client
    stream = tweepy_dm.ActivityStream(
        token, api_url=api_url, event_types=event_types, initial_backfill_minutes=backfill,
        sleep=never_up_sleep(lambda: stream.stats.connects, f"{api_url}/2/activity/stream"),
        **xchat,
    )  # fmt: skip
    previous = signal.signal(signal.SIGTERM, _interrupt)
    stderr.print(f"Listening to {api_url}/2/activity/stream; Ctrl+C to stop.")
    try:
        with notes_on_stderr("tweepy_dm.stream"):
            for event in stream:
                print_event(event, output_format)
    except KeyboardInterrupt:
        pass
    finally:
        stream.close()
        signal.signal(signal.SIGTERM, previous)
    stats = stream.stats
    stderr.print(
        f"Stopped: {plural(stats.events, 'event')}, {plural(stats.reconnects, 'reconnect')}, "
        f"{plural(stats.duplicates, 'duplicate')} dropped."
    )
