"""``tweepy-dm export``: DM events to JSON Lines, resumably, page by page in constant memory.

The file gets one JSON object per event: the fields X returned, plus
``sender_username`` from the ``sender_id`` expansion. A sidecar state file
(``FILE.state.json``, replaced atomically after every page) records how far
the export got: the page token to continue from, the ids at the edges of what
was written, and the size of the file at that point. So:

* re-running after an interruption truncates the file back to the last page
  recorded and continues from that page's token: nothing lost, nothing twice;
* re-running after a complete export adds only the events newer than the
  newest one already exported.

Without a state file, the export starts afresh and replaces the file.

With ``--xchat-key`` the events come from /2/chat, decrypted; one that does
not decrypt is written as ``{"id", "dm_conversation_id", "error"}``, in its
place, so that the file still accounts for every event. The state records
that the export is over XChat: an export of one kind is never continued as
the other.

The export refuses to go on (:class:`ExportError`, exit status 2) rather than
write or report what is not so: when the file is missing, shorter than the
state records or changed where its last recorded line ends; when the state
file cannot be read; and when another export holds the file's lock
(``FILE.lock``, an operating-system lock that ends with its process, killed or
not). The state's temporary file (``FILE.state.json.tmp``) that a run killed
while writing it leaves behind is removed by the next run.

Lines are in the order X returns events, newest first, for each run; a later
run appends the events that arrived since, again newest first. Event ids grow
with time, so sorting the lines by ``int(id)`` gives chronological order.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any, Callable, NamedTuple, Optional

import click

from tweepy_dm import _policy
from tweepy_dm._facts import DM_EVENT_FIELDS, MAX_RESULTS
from tweepy_dm._flow import Sleep, run_flow
from tweepy_dm.cli import _lock
from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._export_state import (
    QUERY_KEYS,
    VERSION,
    ExportError,
    check_file,
    lock_path,
    read_state,
    remove_stale_temporaries,
    state_path,
    write_state,
)
from tweepy_dm.cli._options import credential_options, make_client, one_of, xchat_key_option
from tweepy_dm.cli._output import event_rows, json_line, plural, stderr

PAGE_SIZE = MAX_RESULTS
#: Every field X has for an event.
EVENT_FIELDS = list(DM_EVENT_FIELDS)


# Looked up at call time, so that tests can replace them with a fake clock.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _clock() -> float:
    return time.time()


class ExportResult(NamedTuple):
    written: int  # events written by this run
    total: int  # events in the file
    resumed: bool


def _fetch(
    client: Any,
    request: dict[str, Any],
    *,
    sleep: Callable[[float], None],
    say: Callable[[str], None],
) -> Any:
    """One page: 429s waited out until X's window resets, 5xx retried as EXPORT_RETRY says."""
    failure: list[BaseException] = []  # what the next Sleep waits out

    def on_error(error: Exception) -> BaseException:
        classified = _policy.classify(
            error,
            now=_clock(),
            wait_on_rate_limit=True,
            rate_limit_fallback=_policy.DEFAULT_RATE_LIMIT_WAIT,
        )
        failure[:] = [classified]
        return classified

    def perform(effect: Any) -> Any:
        if isinstance(effect, Sleep):
            if isinstance(failure[0], _policy.RateLimited):
                say(f"Rate limited by X: waiting {effect.seconds:.0f} s, until the window resets.")
            else:
                status = failure[0].error.response.status_code  # type: ignore[attr-defined]
                say(f"X answered {status}: retrying in {effect.seconds:.0f} s.")
            sleep(effect.seconds)
            return None
        return client.get_direct_message_events(**effect.request)

    return run_flow(_policy.retrying(request, _policy.EXPORT_RETRY), perform, on_error)


def undecryptable_rows(response: Any) -> list[dict[str, Any]]:
    """The events of an XChat response that did not decrypt, as rows with an ``error``.

    The client puts each in ``Response.errors`` with its id and conversation;
    other errors (a user an expansion could not find) name no conversation and
    are left out.
    """
    rows = []
    for error in getattr(response, "errors", None) or []:
        if not isinstance(error, dict):
            continue
        event_id = error.get("id", error.get("resource_id"))
        conversation = error.get("dm_conversation_id", error.get("conversation_id"))
        if event_id is None or conversation is None or not str(event_id).isdigit():
            continue
        reason = error.get("detail") or error.get("message") or error.get("title")
        rows.append(
            {
                "id": str(event_id),
                "dm_conversation_id": str(conversation),
                "error": str(reason or "the event could not be decrypted"),
            }
        )
    return rows


def _pages(
    client: Any,
    query: dict[str, Any],
    token: Optional[str],
    *,
    user_auth: bool,
    sleep: Callable[[float], None],
    say: Callable[[str], None],
) -> Iterator[tuple[list[dict[str, Any]], Optional[str]]]:
    """Yield (event rows, next token) for each page, from ``token`` on."""
    while True:
        request = dict(
            {key: query[key] for key in QUERY_KEYS},  # not the state's "xchat" mark
            dm_event_fields=EVENT_FIELDS,
            expansions="sender_id",
            user_fields="username",
            max_results=PAGE_SIZE,
            pagination_token=token,
            user_auth=user_auth,
        )
        response = _fetch(client, request, sleep=sleep, say=say)
        token = response.meta.get("next_token")
        rows, failed = event_rows(response), undecryptable_rows(response)
        if failed:  # each in its place in X's order, newest first
            rows = sorted(rows + failed, key=lambda row: int(row["id"]), reverse=True)
        yield rows, token
        if token is None:
            return


def export_events(
    client: Any,
    path: str,
    *,
    dm_conversation_id: Optional[str] = None,
    participant_id: Optional[str] = None,
    since_id: Optional[int] = None,
    user_auth: bool = True,
    xchat: bool = False,
    on_page: Callable[[int, int], None] = lambda written, total: None,
    say: Callable[[str], None] = lambda message: None,
    sleep: Optional[Callable[[float], None]] = None,
) -> ExportResult:
    """Export the events reachable with ``client`` to ``path``; see the module docstring.

    Raises :class:`ExportError` when another export holds ``path`` (its lock
    file, ``path + ".lock"``), when the state file cannot be read, or when
    ``path`` no longer holds what the state file records. ``xchat``: the
    client reads over /2/chat (made with ``xchat_key``); the state records it,
    so that a legacy export is never continued over XChat, nor the reverse.
    """
    query: dict[str, Any] = {
        "dm_conversation_id": dm_conversation_id,
        "participant_id": participant_id,
    }
    if xchat:
        # Its ids and page tokens are /2/chat's: never continued by a legacy run, nor after.
        query["xchat"] = True
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ExportError(f"cannot write {path}: there is no folder {directory}")
    try:
        with _lock.locked(lock_path(path)):
            remove_stale_temporaries(path)
            return _export(
                client, path, query, since_id=since_id, user_auth=user_auth,
                on_page=on_page, say=say, sleep=sleep or _sleep,
            )  # fmt: skip
    except _lock.Busy:
        raise ExportError(
            f"another export is writing {path} (it holds {lock_path(path)}): wait until it"
            " ends, or stop it, then run this again"
        ) from None


def _export(
    client: Any,
    path: str,
    query: dict[str, Any],
    *,
    since_id: Optional[int],
    user_auth: bool,
    on_page: Callable[[int, int], None],
    say: Callable[[str], None],
    sleep: Callable[[float], None],
) -> ExportResult:
    state = read_state(path)
    resumed = state is not None
    if state is not None:
        if state["query"] != query:
            raise ExportError(
                f"{path} holds an export of {state['query']}, not {query}: use another file"
            )
        check_file(path, state)
    if state is None:
        state = {
            "version": VERSION,
            "query": query,
            "bytes": 0,
            "count": 0,
            "complete": False,
            "next_token": None,
            "stop_at_id": since_id,
            "newest_id": None,
            "run_newest_id": None,
            "run_oldest_id": None,
        }
    elif state["complete"]:
        # Everything up to newest_id is in the file: fetch only what is newer.
        state.update(
            complete=False,
            next_token=None,
            stop_at_id=state["newest_id"],
            run_newest_id=None,
            run_oldest_id=None,
        )

    written = 0
    with open(path, "ab") as output:
        # Drop whatever an interrupted run wrote after its last recorded page.
        output.truncate(state["bytes"])
        output.seek(state["bytes"])
        pages = _pages(
            client, query, state["next_token"], user_auth=user_auth, sleep=sleep, say=say
        )
        for events, next_token in pages:
            reached_end = False
            lines = []
            for event in events:
                event_id = int(event["id"])
                if state["stop_at_id"] is not None and event_id <= int(state["stop_at_id"]):
                    reached_end = True
                    break
                if state["run_oldest_id"] is not None and event_id >= int(state["run_oldest_id"]):
                    continue  # already written by this run
                lines.append(json_line(event) + "\n")
                if state["run_newest_id"] is None or event_id > int(state["run_newest_id"]):
                    state["run_newest_id"] = str(event_id)
                state["run_oldest_id"] = str(event_id)
            output.write("".join(lines).encode())
            output.flush()
            os.fsync(output.fileno())
            written += len(lines)
            state["count"] += len(lines)
            state["bytes"] = output.tell()
            state["next_token"] = None if reached_end else next_token
            if reached_end or next_token is None:
                newest = [i for i in (state["newest_id"], state["run_newest_id"]) if i is not None]
                state.update(
                    complete=True,
                    newest_id=str(max(map(int, newest))) if newest else None,
                    run_newest_id=None,
                    run_oldest_id=None,
                )
            write_state(path, state)
            on_page(written, state["count"])
            if reached_end:
                break
    return ExportResult(written, state["count"], resumed)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--conversation", metavar="ID", help="Only this conversation.")
@click.option(
    "--with", "with_user", metavar="USER_ID", help="Only the 1:1 conversation with this user."
)
@click.option("--since-id", type=int, metavar="ID", help="Only events newer than this event id.")
@credential_options
@xchat_key_option
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

    With --xchat-key FILE (or X_XCHAT_KEY_FILE) the events come from
    /2/chat, decrypted; an event that does not decrypt is a line with its
    id, dm_conversation_id and error, and no text.
    """
    one_of(conversation=conversation, **{"with": with_user})
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
                task, description=f"Exported {plural(written, 'new event')} ({total:,} in {file})"
            )

        say = progress.console.print
        progress.start()
    else:
        pages = 0

        def on_page(written: int, total: int) -> None:
            nonlocal pages
            pages += 1
            click.echo(
                f"page {pages}: {plural(written, 'new event')} so far, {total:,} in {file}",
                err=True,
            )

        say = functools.partial(click.echo, err=True)

    # The export says in its own words what it waits for; without a handler,
    # Python would also print the client's log warning of each rate-limit wait.
    quiet = logging.NullHandler()
    client_log = logging.getLogger("tweepy_dm.client")
    client_log.addHandler(quiet)
    try:
        result = export_events(
            client, file, dm_conversation_id=conversation, participant_id=with_user,
            since_id=since_id, user_auth=user_auth, on_page=on_page, say=say,
            xchat=credentials["xchat_key"] is not None,
        )  # fmt: skip
    except KeyboardInterrupt:
        if interactive:
            progress.stop()
        saved = os.path.exists(state_path(file))
        click.echo(
            f"Interrupted. The progress is saved in {state_path(file)}: run the same command "
            "again to resume where it stopped."
            if saved
            else "Interrupted before the first page was saved: run the command again to start.",
            err=True,
        )
        sys.exit(130)
    finally:
        client_log.removeHandler(quiet)
        if interactive:
            progress.stop()
    elapsed = time.monotonic() - started
    action = "Resumed" if result.resumed else "Exported"
    click.echo(f"{action}: wrote {plural(result.written, 'event')} in {elapsed:.1f} s.")
    click.echo(f"{file} holds {plural(result.total, 'event')}.")
