"""The ``tweepy-dm`` command line (needs the ``cli`` extra: click and rich).

Exit codes: 0 when all went well, 1 when X (or the network) refused the
request, with X's message, and 2 for a usage error, such as missing
credentials or bad arguments.
"""

from __future__ import annotations

import functools
import json
import signal
import sys
import time
from typing import Any, Callable, Optional

import click
import requests
import tweepy
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import tweepy_dm
from tweepy_dm._models import parse_datetime
from tweepy_dm._transport import DEFAULT_API_URL

OAUTH1_VARIABLES = (
    "X_CONSUMER_KEY",
    "X_CONSUMER_SECRET",
    "X_ACCESS_TOKEN",
    "X_ACCESS_TOKEN_SECRET",
)
BEARER_VARIABLE = "X_BEARER_TOKEN"

stderr = Console(stderr=True, highlight=False)


def _console() -> Console:
    # Built per command so that click's test runner captures the output.
    return Console(highlight=False, soft_wrap=True)


# Credentials


def credential_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that talks to X takes, each with its variable."""
    options = [
        click.option("--api-url", envvar="X_API_URL", default=DEFAULT_API_URL, show_default=True,
                     show_envvar=True, help="Base URL of the X API (or of an emulator)."),
        click.option("--consumer-key", envvar="X_CONSUMER_KEY", show_envvar=True,
                     help="OAuth 1.0a consumer (API) key."),
        click.option("--consumer-secret", envvar="X_CONSUMER_SECRET", show_envvar=True,
                     help="OAuth 1.0a consumer (API) secret."),
        click.option("--access-token", envvar="X_ACCESS_TOKEN", show_envvar=True,
                     help="OAuth 1.0a access token of the user."),
        click.option("--access-token-secret", envvar="X_ACCESS_TOKEN_SECRET", show_envvar=True,
                     help="OAuth 1.0a access token secret of the user."),
        click.option("--bearer-token", envvar=BEARER_VARIABLE, show_envvar=True,
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
        keys = dict(
            zip(
                ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
                oauth1.values(),
            )
        )
        return tweepy_dm.Client(bearer_token=bearer_token, api_url=api_url, **keys), True
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


def describe_error(error: tweepy.HTTPException) -> str:
    """X's own words for an error response."""
    status = getattr(error.response, "status_code", None) or getattr(error.response, "status", "")
    details = [
        problem.get("detail") or problem.get("message") or problem.get("title")
        for problem in error.api_errors
        if isinstance(problem, dict)
    ]
    if not any(details):
        # A problem document ({"title", "detail", "type"}) has no "errors" list,
        # which is all tweepy reads.
        try:
            body = error.response.json()
        except Exception:
            body = None
        details = [body.get("detail") or body.get("title")] if isinstance(body, dict) else []
    if not any(details):
        details = list(error.api_messages) or [str(error)]
    return f"X answered {status}: " + "; ".join(str(detail) for detail in details if detail)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn API and input errors into messages and the documented exit codes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except tweepy.HTTPException as error:
            stderr.print(f"[red]Error:[/] {escape(describe_error(error))}")
            sys.exit(1)
        except requests.RequestException as error:
            stderr.print(f"[red]Error:[/] could not reach the API: {escape(str(error))}")
            sys.exit(1)
        except tweepy.TweepyException as error:  # e.g. MediaProcessingError
            stderr.print(f"[red]Error:[/] {escape(str(error))}")
            sys.exit(1)
        except (TypeError, ValueError) as error:
            raise click.UsageError(str(error)) from None

    return wrapper


def _one_of(**options: Any) -> None:
    given = [name for name, value in options.items() if value is not None]
    if len(given) > 1:
        raise click.UsageError(f"use only one of {', '.join('--' + n for n in options)}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tweepy_dm.__version__, prog_name="tweepy-dm")
def cli() -> None:
    """X (Twitter) API v2 Direct Messages from the shell, and an offline emulator.

    Commands that talk to X read credentials from X_CONSUMER_KEY,
    X_CONSUMER_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET (OAuth 1.0a),
    or X_BEARER_TOKEN (an OAuth 2.0 user token), and the base URL from
    X_API_URL; each has a matching option. Exit codes: 0 ok, 1 API error,
    2 usage error.
    """


# send


@cli.command()
@click.argument("text", required=False)
@click.option("--to", "to_user", metavar="USER_ID", help="Send to this user (1:1).")
@click.option("--conversation", metavar="ID", help="Send into this conversation.")
@click.option("--group", metavar="ID,ID,...", help="Start a group with these users.")
@click.option(
    "--media", type=click.Path(exists=True, dir_okay=False), help="Attach this image, GIF or video."
)
@credential_options
@handle_errors
def send(text: Optional[str], to_user: Optional[str], conversation: Optional[str],
         group: Optional[str], media: Optional[str], **credentials: Any) -> None:  # fmt: skip
    """Send TEXT (and/or --media) to a user, a conversation or a new group.

    Prints the new event's id and its conversation's id.
    """
    _one_of(to=to_user, conversation=conversation, group=group)
    if to_user is None and conversation is None and group is None:
        raise click.UsageError(
            "say where to send: --to USER_ID, --conversation ID or --group ID,ID,..."
        )
    if text is None and media is None:
        raise click.UsageError("give a TEXT, a --media file, or both")
    client, user_auth = make_client(**credentials)
    media_id = None
    if media is not None:
        media_id = client.upload_dm_media(media, user_auth=user_auth).id
    if group is not None:
        ids = [part.strip() for part in group.split(",") if part.strip()]
        response = client.create_dm_conversation(
            text=text, media_id=media_id, participant_ids=ids, user_auth=user_auth
        )
    else:
        response = client.create_dm(
            participant_id=to_user, dm_conversation_id=conversation, text=text,
            media_id=media_id, user_auth=user_auth,
        )  # fmt: skip
    console = _console()
    console.print(f"dm_event_id: {response.data['dm_event_id']}")
    console.print(f"dm_conversation_id: {response.data['dm_conversation_id']}")


# events

LIST_FIELDS = ["id", "event_type", "text", "sender_id", "created_at", "dm_conversation_id",
               "participant_ids", "attachments"]  # fmt: skip


def _with_username(event: Any, users: dict[str, str]) -> dict[str, Any]:
    data = dict(event.data)
    if "sender_id" in data:
        data["sender_username"] = users.get(str(data["sender_id"]))
    return data


@cli.command()
@click.option("--conversation", metavar="ID", help="Only this conversation.")
@click.option(
    "--with", "with_user", metavar="USER_ID", help="Only the 1:1 conversation with this user."
)
@click.option(
    "--types", metavar="TYPE,...", help="MessageCreate, ParticipantsJoin, ParticipantsLeave."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="At most this many events.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "jsonl"]),
    default="table",
    show_default=True,
)
@credential_options
@handle_errors
def events(conversation: Optional[str], with_user: Optional[str], types: Optional[str],
           limit: int, output_format: str, **credentials: Any) -> None:  # fmt: skip
    """List DM events, newest first, paging as needed up to --limit."""
    _one_of(conversation=conversation, **{"with": with_user})
    client, user_auth = make_client(**credentials)
    found: list[dict[str, Any]] = []
    token = None
    while len(found) < limit:
        response = client.get_dm_events(
            dm_conversation_id=conversation, participant_id=with_user,
            event_types=types.split(",") if types else None,
            dm_event_fields=LIST_FIELDS, expansions="sender_id", user_fields="username",
            max_results=min(100, limit - len(found)), pagination_token=token, user_auth=user_auth,
        )  # fmt: skip
        users = {str(user.id): user.username for user in response.includes.get("users", [])}
        found += [_with_username(event, users) for event in response.data or []]
        token = response.meta.get("next_token")
        if token is None:
            break
    found = found[:limit]
    console = _console()
    if output_format == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    elif output_format == "jsonl":
        for event in found:
            click.echo(json.dumps(event, ensure_ascii=False))
    else:
        console.print(events_table(found))


def events_table(found: list[dict[str, Any]], title: Optional[str] = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    table.add_column("Time (UTC)", no_wrap=True)
    table.add_column("Sender", no_wrap=True)
    table.add_column("Text / event")
    for event in found:
        created = event.get("created_at")
        if created:
            created = parse_datetime(created).strftime("%Y-%m-%d %H:%M:%S")
        sender = event.get("sender_username") or event.get("sender_id") or ""
        # Message text is the user's: escape it so rich shows it as written.
        if event.get("event_type") == "MessageCreate":
            text = escape(event.get("text") or "")
            if event.get("attachments"):
                text += " [dim]\\[media][/]"
        else:
            joined = ", ".join(str(i) for i in event.get("participant_ids") or [])
            text = f"[italic]{escape(str(event.get('event_type')))}[/] {joined}"
        table.add_row(
            created or "", f"@{sender}" if event.get("sender_username") else str(sender), text
        )
    return table


# export


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--conversation", metavar="ID", help="Only this conversation.")
@click.option(
    "--with", "with_user", metavar="USER_ID", help="Only the 1:1 conversation with this user."
)
@click.option("--since-id", type=int, metavar="ID", help="Only events newer than this event id.")
@credential_options
@handle_errors
def export(file: str, conversation: Optional[str], with_user: Optional[str],
           since_id: Optional[int], **credentials: Any) -> None:  # fmt: skip
    """Write every reachable event to FILE as JSON Lines, resumably.

    One JSON object per event: X's fields plus sender_username. FILE is
    replaced unless FILE.state.json says it holds an export to continue.
    Progress is kept in FILE.state.json after every page, so running the same command
    again after an interruption continues where it stopped, and running it
    after a complete export adds only the events that arrived since. Lines
    are in X's order, newest first, for each run (later runs append newer
    events); sort by id for chronological order. 429s are waited out until
    the rate-limit window resets; 5xx answers are retried with backoff.
    """
    from tweepy_dm.cli._export import export_events

    _one_of(conversation=conversation, **{"with": with_user})
    client, user_auth = make_client(**credentials)
    started = time.monotonic()
    interactive = sys.stderr.isatty()

    if interactive:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=stderr, transient=False)  # fmt: skip
        task = progress.add_task("Exporting", total=None)

        def on_page(written: int, total: int) -> None:
            progress.update(
                task, description=f"Exported {written:,} new events ({total:,} in {file})"
            )

        say = progress.console.print
        progress.start()
    else:
        pages = 0

        def on_page(written: int, total: int) -> None:
            nonlocal pages
            pages += 1
            click.echo(f"page {pages}: {written} new events so far, {total} in {file}", err=True)

        say = functools.partial(click.echo, err=True)

    try:
        result = export_events(
            client, file, dm_conversation_id=conversation, participant_id=with_user,
            since_id=since_id, user_auth=user_auth, on_page=on_page, say=say,
        )  # fmt: skip
    finally:
        if interactive:
            progress.stop()
    elapsed = time.monotonic() - started
    action = "Resumed" if result.resumed else "Exported"
    click.echo(f"{action}: wrote {result.written:,} events in {elapsed:.1f} s.")
    click.echo(f"{file} holds {result.total:,} events.")


# emulator and demo


@cli.command()
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
def emulator(host: str, port: int, db: Optional[str], rate_limits: bool) -> None:
    """Serve the offline X DM API emulator until interrupted.

    Prints its URL and the credentials of two seeded users, alice (id 1) and
    bob (id 2), as shell exports ready for the other commands.
    """
    from tweepy_dm.emulator import DMEmulator

    try:
        server = DMEmulator(host=host, port=port, db=db, rate_limits=rate_limits)
    except OSError as error:
        raise click.UsageError(
            f"cannot listen on {host}:{port}: {error.strerror or error}"
        ) from None
    console = _console()
    # Stop as cleanly on SIGTERM (a service manager, kill) as on Ctrl+C, which
    # may come at any moment, even while the credentials are printed.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with server:
            _serve(console, server, db, rate_limits)
    except KeyboardInterrupt:
        console.print("Stopped.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _serve(console: Console, server: Any, db: Optional[str], rate_limits: bool) -> None:
    notes = (f", state in {db}" if db else "") + (", rate limits on" if rate_limits else "")
    console.print(f"[bold]X DM API emulator[/] listening on [cyan]{server.url}[/]{notes}")
    for user_id, username, name in ((1, "alice", "Alice"), (2, "bob", "Bob")):
        credentials = server.add_user(user_id, username, name)
        console.print(f"\n# @{username} (id {user_id})")
        console.print(f"export X_API_URL={server.url}")
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
            console.print(f"export {variable}={credentials[key]}")
    console.print("\nPress Ctrl+C to stop.")
    # Short naps: the kernel may deliver SIGINT to the server's thread, and a
    # long sleep in this thread would only notice it when it ends.
    while True:
        time.sleep(0.2)


@cli.command()
def demo() -> None:
    """Play a short DM story against an embedded emulator: no network, no credentials."""
    from tweepy_dm.cli._demo import DemoFailure, run_demo

    try:
        run_demo(_console())
    except DemoFailure as failure:
        stderr.print(f"[red]Demo failed:[/] {failure}")
        sys.exit(1)
