"""The export's state file (``FILE.state.json``): what it records, read, checked, written.

The state says how far an export of ``FILE`` got: the page token to continue
from, the ids at the edges of what was written, and how many events and bytes
of ``FILE`` are complete. It is replaced atomically after every page, through
``FILE.state.json.tmp``. Everything here runs under the export's lock
(``FILE.lock``), so no other run uses these files meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from typing import Any, Optional

from tweepy_dm.cli._errors import CommandError
from tweepy_dm.cli._output import plural

VERSION = 1
#: What a state's ``query`` holds; an export over /2/chat also has ``"xchat": true``.
QUERY_KEYS = ("dm_conversation_id", "participant_id")


class ExportError(CommandError):
    """The export cannot go on safely: the message says what was found and what to do."""


def state_path(path: str) -> str:
    return path + ".state.json"


def lock_path(path: str) -> str:
    return path + ".lock"


def _temporary_path(path: str) -> str:
    # One name per export file: under the lock, no other run can be using it.
    return state_path(path) + ".tmp"


#: Temporary state files of tweepy-dm 0.1 (``tempfile.mkstemp`` names, no lock).
_OLD_TEMPORARY = re.compile(r"\.tweepy-dm-state-[a-z0-9_]{8}")
#: Age after which such a file is surely no live run's (each lived for one write).
_OLD_TEMPORARY_AGE = 600.0


def remove_stale_temporaries(path: str) -> None:
    """Remove what runs killed while writing their state left behind (call under the lock)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(_temporary_path(path))
    directory = os.path.dirname(os.path.abspath(path))
    with os.scandir(directory) as entries:
        for entry in entries:
            if not _OLD_TEMPORARY.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                stale = time.time() - entry.stat(follow_symlinks=False).st_mtime
                if entry.is_file(follow_symlinks=False) and stale > _OLD_TEMPORARY_AGE:
                    os.unlink(entry.path)


def _is_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or (
        isinstance(value, str) and value.isascii() and value.isdigit()
    )


def _state_problem(state: Any) -> Optional[str]:
    """What is wrong with a state read from disk, or None."""
    if not isinstance(state, dict):
        return f"it holds a JSON {type(state).__name__}, not an object"
    if state.get("version") != VERSION:
        return f"it has version {state.get('version')!r}, not {VERSION}"
    query = state.get("query")
    if not (
        isinstance(query, dict)
        and set(query) - {"xchat"} == set(QUERY_KEYS)
        and query.get("xchat", True) is True
        and all(query[key] is None or isinstance(query[key], str) for key in QUERY_KEYS)
    ):
        return "its query is not one this command makes"
    for key in ("bytes", "count"):
        value = state.get(key)
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            return f"its {key!r} is not a count"
    if not isinstance(state.get("complete"), bool):
        return "its 'complete' is not true or false"
    if not (state.get("next_token") is None or isinstance(state.get("next_token"), str)):
        return "its 'next_token' is not a string"
    for key in ("stop_at_id", "newest_id", "run_newest_id", "run_oldest_id"):
        if key not in state or not (state[key] is None or _is_id(state[key])):
            return f"its {key!r} is not an event id"
    return None


def read_state(path: str) -> Optional[dict[str, Any]]:
    name = state_path(path)
    start_over = f"To start over, delete {name} and {path}."
    try:
        with open(name, encoding="utf-8") as handle:
            state = json.load(handle)
    except FileNotFoundError:
        return None
    except ValueError as error:  # not JSON, or not UTF-8
        raise ExportError(
            f"{name} is not an export state tweepy-dm can read ({error}). {start_over}"
        ) from None
    problem = _state_problem(state)
    if problem is not None:
        raise ExportError(
            f"{name} is not an export state tweepy-dm can read: {problem}. {start_over}"
        )
    return state  # type: ignore[no-any-return]


def check_file(path: str, state: dict[str, Any]) -> None:
    """Refuse to go on unless ``path`` still holds what ``state`` says was written to it."""
    recorded, count = state["bytes"], state["count"]
    if recorded == 0:
        return
    name = state_path(path)
    holds = f"{name} records {plural(count, 'event')} in the first {plural(recorded, 'byte')}"
    start_over = f"Put the file back to continue, or delete {name} (and {path}) to start over."
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise ExportError(
            f"{path} is missing, but {holds} of it. Put the file back to continue, or delete"
            f" {name} to start over."
        ) from None
    if size < recorded:
        raise ExportError(
            f"{path} has only {plural(size, 'byte')}, but {holds} of it: it was cut or"
            f" replaced since. {start_over}"
        )
    with open(path, "rb") as handle:
        handle.seek(recorded - 1)
        if handle.read(1) != b"\n":
            raise ExportError(
                f"{path} does not end a line at byte {recorded:,}, but {holds} of it: it was"
                f" changed since. {start_over}"
            )


def write_state(path: str, state: dict[str, Any]) -> None:
    # Write a temporary file and rename it over the old one: a crash leaves
    # either the previous state or the new one, never half of one (and the
    # next run removes the temporary file).
    temporary = _temporary_path(path)
    try:
        with open(temporary, "w", encoding="utf-8") as output:
            json.dump(state, output)
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, state_path(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
