"""``tweepy-dm xchat``: encrypted DMs (XChat) from the shell: keygen, send, read.

The key blob comes from ``--key-file`` or ``X_CHAT_KEY_BLOB`` (base64); it is
never printed, logged or put in an error. Needs the ``xchat`` extra.
"""

from __future__ import annotations

import base64
import binascii
import os
import pathlib
import tempfile
from typing import Any, Optional

import click

from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._options import XCHAT_KEY_VARIABLE, credential_options, make_client, one_of
from tweepy_dm.cli._output import console

KEY_VARIABLE = "X_CHAT_KEY_BLOB"


def _xchat() -> Any:
    try:
        from tweepy_dm import xchat
    except ImportError as error:
        raise click.ClickException(str(error)) from None
    return xchat


def _blob(key_file: Optional[str], key_blob: Optional[str]) -> bytes:
    if key_file is not None:
        return pathlib.Path(key_file).read_bytes()
    if key_blob:
        try:
            return base64.b64decode(key_blob.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise click.UsageError(f"{KEY_VARIABLE} is not base64") from None
    raise click.UsageError(f"give the key blob: --key-file FILE, or set {KEY_VARIABLE} (base64)")


def _key_options(command: Any) -> Any:
    command = click.option(
        "--user-id", metavar="ID", help="Your user id (asked from X's /2/users/me if omitted)."
    )(command)
    command = click.option(
        "--key-blob",
        envvar=KEY_VARIABLE,
        show_envvar=True,
        hidden=True,  # as an option it would land in the shell history: the variable only
    )(command)
    return click.option(
        "--key-file",
        envvar=XCHAT_KEY_VARIABLE,
        show_envvar=True,
        type=click.Path(exists=True, dir_okay=False),
        help=f"File holding your key blob (from keygen); or set {KEY_VARIABLE}.",
    )(command)


def _session(credentials: dict[str, Any]) -> Any:
    xchat = _xchat()
    key_file, key_blob = credentials.pop("key_file"), credentials.pop("key_blob")
    user_id = credentials.pop("user_id")
    client, user_auth = make_client(**credentials)
    if user_id is None:
        user_id = client.get_me(user_auth=user_auth).data.id
    return xchat.XChat(client, key_blob=_blob(key_file, key_blob), user_id=user_id)


@click.group()
def xchat() -> None:
    """End-to-end encrypted DMs (XChat): keygen, send, read (needs the xchat extra)."""


@xchat.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--register", is_flag=True, help="Also register the public keys with X.")
@click.option("--user-id", metavar="ID", help="Your user id (for --register).")
@credential_options
@handle_errors
def keygen(out: str, register: bool, user_id: Optional[str], **credentials: Any) -> None:
    """Write a new key blob to OUT (readable by you only); it is never printed."""
    module = _xchat()
    path = pathlib.Path(out)
    if path.exists():
        raise click.UsageError(f"{out} exists: keygen never overwrites a key")
    blob = module.XChat.generate_keys()
    # Written beside OUT first and linked to OUT only once registering worked:
    # a failed --register leaves no key behind, so running the command again works.
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(blob)
        version = None
        if register:
            client, user_auth = make_client(**credentials)
            if user_id is None:
                user_id = client.get_me(user_auth=user_auth).data.id
            version = module.XChat(client, key_blob=blob, user_id=user_id).register_keys()
        try:
            os.link(temporary, out)  # fails rather than replace a key written meanwhile
        except FileExistsError:
            raise click.UsageError(f"{out} exists: keygen never overwrites a key") from None
    finally:
        os.unlink(temporary)
    output = console()
    output.print(f"key blob written to {out} (keep it secret)")
    if version is not None:
        output.print(f"registered public key version {version}")


@xchat.command()
@click.argument("text")
@click.option("--to", "to_user", metavar="USER_ID", help="Send to this user (1:1).")
@click.option("--conversation", metavar="ID", help="Send into this conversation (LOW-HIGH, g…).")
@click.option("--media", type=click.Path(exists=True, dir_okay=False), help="Attach this file.")
@_key_options
@credential_options
@handle_errors
def send(text: str, to_user: Optional[str], conversation: Optional[str],
         media: Optional[str], **credentials: Any) -> None:  # fmt: skip
    """Encrypt, sign and send TEXT; prints the message's id and sequence id."""
    one_of(to=to_user, conversation=conversation)
    if to_user is None and conversation is None:
        raise click.UsageError("say where to send: --to USER_ID or --conversation ID")
    chat = _session(credentials)
    sent = chat.send(conversation or to_user, text, media=media)
    output = console()
    output.print(f"message_id: {sent.id}")
    output.print(f"sequence_id: {sent.sequence_id}")
    output.print(f"conversation_id: {sent.conversation_id}")


@xchat.command()
@click.option("--with", "with_user", metavar="USER_ID", help="Your 1:1 with this user.")
@click.option("--conversation", metavar="ID", help="This conversation (LOW-HIGH, g…).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="At most this many messages.")  # fmt: skip
@_key_options
@credential_options
@handle_errors
def read(with_user: Optional[str], conversation: Optional[str], limit: int,
         **credentials: Any) -> None:  # fmt: skip
    """Print a conversation's messages, decrypted and verified, oldest first."""
    one_of(**{"with": with_user, "conversation": conversation})
    if with_user is None and conversation is None:
        raise click.UsageError("say what to read: --with USER_ID or --conversation ID")
    chat = _session(credentials)
    messages = chat.get_messages(conversation or with_user, limit=limit)
    output = console()
    for message in reversed(messages):
        when = message.created_at.isoformat() if message.created_at else ""
        files = f" [{len(message.attachments)} attachment(s)]" if message.attachments else ""
        output.print(f"{when} {message.sender_id}: {message.text}{files}", markup=False)
    for sequence_id, reason in messages.failed:
        output.print(f"could not decrypt {sequence_id}: {reason}", markup=False)
