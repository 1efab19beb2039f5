"""What the commands print: consoles, counts with their plural, DM events as rows and tables.

DM events reach the screen (``events``, ``demo``) and the export file as
rows: X's fields plus ``sender_username``, joined here from the ``sender_id``
expansion, once for every command.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tweepy_dm._models import parse_datetime

#: Errors and progress: standard error, so that standard output stays data. Not
#: wrapped, so that a path or a message stays whole for the reader to copy.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def console() -> Console:
    """Standard output, built per command so that click's test runner captures it."""
    return Console(highlight=False, soft_wrap=True)


def plural(count: int, noun: str, plural_noun: Optional[str] = None) -> str:
    """``1 event``, ``2 events``, ``1,234 events``: the count with the noun it takes."""
    return f"{count:,} {noun if count == 1 else plural_noun or noun + 's'}"


def usernames(response: Any) -> dict[str, str]:
    """``{user id: username}`` of the users a response includes (``sender_id`` expansion)."""
    return {str(user.id): user.username for user in response.includes.get("users", [])}


def event_rows(response: Any) -> list[dict[str, Any]]:
    """A DM events response as rows: each event's fields plus ``sender_username``."""
    users = usernames(response)
    rows = []
    for event in response.data or []:
        row = dict(event.data)
        if "sender_id" in row:
            row["sender_username"] = users.get(str(row["sender_id"]))
        rows.append(row)
    return rows


def json_line(row: Mapping[str, Any]) -> str:
    """One row as one line of JSON Lines (no newline), text as written (not ``\\u`` escaped)."""
    return json.dumps(row, ensure_ascii=False)


def print_events(rows: list[dict[str, Any]], output_format: str) -> None:
    """Print rows as ``table``, one ``json`` array or ``jsonl`` lines."""
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "jsonl":
        for row in rows:
            click.echo(json_line(row))
    else:
        console().print(events_table(rows))


def events_table(rows: Iterable[Mapping[str, Any]], title: Optional[str] = None) -> Table:
    """Rows as a table: time, sender, and the text (or what happened)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    table.add_column("Time (UTC)", no_wrap=True)
    table.add_column("Sender", no_wrap=True)
    table.add_column("Text / event")
    for event in rows:
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
