"""``tweepy-dm events``: DM events, newest first, as a table, JSON or JSON Lines."""

from __future__ import annotations

from typing import Any, Optional

import click

from tweepy_dm._facts import MAX_RESULTS
from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._export import undecryptable_rows
from tweepy_dm.cli._options import credential_options, make_client, one_of, xchat_key_option
from tweepy_dm.cli._output import event_rows, print_events

FIELDS = ["id", "event_type", "text", "sender_id", "created_at", "dm_conversation_id",
          "participant_ids", "attachments"]  # fmt: skip


@click.command()
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
@xchat_key_option
@handle_errors
def events(conversation: Optional[str], with_user: Optional[str], types: Optional[str],
           limit: int, output_format: str, **credentials: Any) -> None:  # fmt: skip
    """List DM events, newest first, paging as needed up to --limit.

    With --xchat-key FILE (or X_XCHAT_KEY_FILE) they come from /2/chat,
    decrypted; each event that does not decrypt is named on standard error.
    """
    one_of(conversation=conversation, **{"with": with_user})
    client, user_auth = make_client(**credentials)
    found: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    token = None
    while len(found) < limit:
        response = client.get_dm_events(
            dm_conversation_id=conversation, participant_id=with_user,
            event_types=types.split(",") if types else None,
            dm_event_fields=FIELDS, expansions="sender_id", user_fields="username",
            max_results=min(MAX_RESULTS, limit - len(found)), pagination_token=token,
            user_auth=user_auth,
        )  # fmt: skip
        found += event_rows(response)
        failed += undecryptable_rows(response)
        token = response.meta.get("next_token")
        if token is None:
            break
    print_events(found[:limit], output_format)
    for row in failed:
        click.echo(
            f"could not decrypt event {row['id']} in {row['dm_conversation_id']}: {row['error']}",
            err=True,
        )
