"""``tweepy-dm send``: one message to a user, a conversation or a new group."""

from __future__ import annotations

from typing import Any, Optional

import click

import tweepy_dm
from tweepy_dm.cli._errors import describe_error, handle_errors
from tweepy_dm.cli._options import (
    XCHAT_KEY_VARIABLE,
    credential_options,
    make_client,
    one_of,
    xchat_key_option,
)
from tweepy_dm.cli._output import console


@click.command()
@click.argument("text", required=False)
@click.option("--to", "to_user", metavar="USER_ID", help="Send to this user (1:1).")
@click.option("--conversation", metavar="ID", help="Send into this conversation.")
@click.option("--group", metavar="ID,ID,...", help="Start a group with these users.")
@click.option(
    "--media", type=click.Path(exists=True, dir_okay=False), help="Attach this image, GIF or video."
)
@credential_options
@xchat_key_option
@handle_errors
def send(text: Optional[str], to_user: Optional[str], conversation: Optional[str],
         group: Optional[str], media: Optional[str], **credentials: Any) -> None:  # fmt: skip
    """Send TEXT (and/or --media) to a user, a conversation or a new group.

    Prints the new event's id and its conversation's id. With --xchat-key
    FILE (or X_XCHAT_KEY_FILE) it goes over /2/chat, end-to-end encrypted.
    """
    one_of(to=to_user, conversation=conversation, group=group)
    if to_user is None and conversation is None and group is None:
        raise click.UsageError(
            "say where to send: --to USER_ID, --conversation ID or --group ID,ID,..."
        )
    if text is None and media is None:
        raise click.UsageError("give a TEXT, a --media file, or both")
    client, user_auth = make_client(**credentials)
    attachment: dict[str, Any] = {}
    if media is not None and credentials["xchat_key"] is not None:
        # Over XChat the client encrypts the file with the conversation's key and uploads it.
        attachment["file"] = media
    elif media is not None:
        attachment["media_id"] = client.upload_dm_media(media, user_auth=user_auth).id
    try:
        if group is not None:
            ids = [part.strip() for part in group.split(",") if part.strip()]
            response = client.create_dm_conversation(
                text=text, participant_ids=ids, user_auth=user_auth, **attachment
            )
        else:
            response = client.create_dm(
                participant_id=to_user, dm_conversation_id=conversation, text=text,
                user_auth=user_auth, **attachment,
            )  # fmt: skip
    except tweepy_dm.LegacyDMsEnded as error:
        raise click.ClickException(
            f"{describe_error(error)} Send over XChat with your key: --xchat-key FILE (or set "
            f"{XCHAT_KEY_VARIABLE}); tweepy-dm migrate check says what is missing."
        ) from None
    output = console()
    output.print(f"dm_event_id: {response.data['dm_event_id']}")
    output.print(f"dm_conversation_id: {response.data['dm_conversation_id']}")
