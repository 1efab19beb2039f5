"""What goes into the inbox, and what a handler gets: the DM and a :class:`Context`. No I/O."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any, Optional

from tweepy_dm._activity import ActivityEvent
from tweepy_dm._facts import one_to_one_conversation_id
from tweepy_dm._models import DirectMessageEvent
from tweepy_dm.bot._store import QueuedReply


def _id(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def inbox_key(dm: DirectMessageEvent) -> str:
    """What the inbox knows a message by: an XChat message's signed id, else its DM event id.

    The signed id is the same wherever the message is seen (the stream's and
    webhooks' ``chat.received``, the poller's ``/2/chat`` events), so each
    message is handled once whichever sources deliver it.
    """
    message_id = dm.data.get("message_id")
    return f"xchat:{message_id}" if message_id else str(dm.id)


def dm_row(
    dm: DirectMessageEvent,
    bot_id: str,
    source: str,
    message_request: Optional[bool] = None,
) -> Optional[dict[str, Any]]:
    """The inbox row of a DM to ``bot_id``, or None if it is not a message from someone else.

    ``message_request`` is whether the source read it as an XChat message request
    (None: the source cannot tell).
    """
    if dm.event_type != "MessageCreate" or dm.id is None:
        return None
    sender = _id(dm.sender_id)
    if sender is None or sender == bot_id:
        return None  # the bot's own message (a dm.sent event, or the poller's own sends)
    conversation = dm.dm_conversation_id
    if conversation is None:
        conversation = one_to_one_conversation_id(sender, bot_id)
    return {
        "event_id": inbox_key(dm),
        "bot_id": bot_id,
        "sender_id": sender,
        "conversation_id": str(conversation),
        "payload": dict(dm.data),
        "source": source,
        "message_request": message_request,
    }


def activity_rows(
    events: Iterable[ActivityEvent], bot_ids: Collection[str], source: str
) -> list[dict[str, Any]]:
    """Inbox rows of the DMs in Activity API or webhook events that someone sent to a bot user."""
    rows = []
    for event in events:
        if event.event_type not in (
            "dm.received", "dm.sent", "chat.received", "chat.sent", None, "direct_message_events"
        ):  # fmt: skip
            continue
        bot_id = _id(event.user_id)
        if bot_id not in bot_ids:
            recipient = _id(event.recipient_id)
            if recipient in bot_ids:
                bot_id = recipient
            elif bot_id is None and recipient is None and len(bot_ids) == 1:
                # An event that names no user (a group message on an unfiltered stream).
                bot_id = next(iter(bot_ids))
            else:
                continue  # another user of the same app: not the bot's message
        for dm in event.direct_messages:
            row = dm_row(dm, str(bot_id), source)
            if row is not None:
                if event.dm_conversation_id and "dm_conversation_id" not in dm.data:
                    row["conversation_id"] = str(event.dm_conversation_id)
                rows.append(row)
    return rows


def check_text(text: Any, media: Any) -> tuple[str, Optional[str]]:
    """A message's text and media id, checked before anything is queued."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if "\x00" in text:
        # PostgreSQL's text cannot store NUL, and X documents nothing of it: refused on
        # every store alike, while the handler can still catch it.
        raise ValueError(
            f"text holds a NUL character (U+0000) at index {text.index(chr(0))}; "
            "a bot's message cannot carry it: remove it or replace it"
        )
    media_id = getattr(media, "media_id", media)
    if media_id is not None:
        if isinstance(media_id, bool) or not isinstance(media_id, (int, str)):
            raise TypeError(
                f"media must be a media id (int or str) or an uploaded DMMedia, "
                f"not {type(media).__name__}"
            )
        media_id = str(media_id)
        if not media_id.isdigit():
            raise ValueError(f"media must be a numeric media id, not {media_id!r}")
    if not text.strip() and media_id is None:
        raise ValueError("text is empty; a DM needs text or media")
    return text, media_id


class Context:
    """What a handler gets beside the message: where replies go.

    Replies and messages are queued, not sent: they go to the outbox in the
    same transaction that marks the inbound message handled, so a handler
    that fails or times out sends nothing, and one that succeeds has its
    replies sent exactly once.

    .. versionadded:: 0.2

    Attributes
    ----------
    bot_id : str
        The bot user the message was sent to.
    message : DirectMessageEvent | None
        The inbound message (also the handler's first argument); None in a
        conversation's timeout handler.
    attempt : int
        1 for the first time this message is handled, 2 after one failure or
        a worker that stopped mid-handler, ….
    source : str
        Where the message came from: ``stream``, ``webhook``, ``poll`` or ``ingest``.
    conversation_id : str
        The conversation replies go to.
    is_message_request : bool
        Whether the message came as a message request (XChat: a first message
        from someone the bot user's settings do not let into the inbox). Before
        the handler runs, ``DMBot(accept_requests=...)`` decided whether to
        accept it; replying alone does not.
    text : str
        The message's text (``""`` for none, and in a timeout's handler).

        .. versionadded:: 0.2
    args : list[str]
        For a ``command`` handler, the message's words after the command.

        .. versionadded:: 0.2
    match : re.Match | None
        For a ``text=`` handler, the pattern's match in :attr:`text`.

        .. versionadded:: 0.2
    data : dict
        The conversation's data, kept in the bot's store: what a handler puts
        here (JSON values only) the next handler of the conversation finds, after
        a restart too. A handler that fails leaves it as it was.

        .. versionadded:: 0.2
    state : str | None
        The conversation's state when the message came (see
        :meth:`tweepy_dm.DMBot.conversation`), None outside any.

        .. versionadded:: 0.2
    """

    def __init__(
        self,
        bot_id: str,
        message: Optional[DirectMessageEvent],
        attempt: int,
        source: str,
        conversation_id: Optional[str] = None,
    ) -> None:
        self.bot_id = bot_id
        self.message = message
        self.attempt = attempt
        self.source = source
        # Account Activity payloads name no conversation: the inbox derived it.
        self.conversation_id = conversation_id or str(getattr(message, "dm_conversation_id", ""))
        self.replies: list[QueuedReply] = []
        self.closed = False
        self.is_message_request = False
        self.text: str = (message.text if message is not None else None) or ""
        self.args: list[str] = []
        self.match: Optional[re.Match[str]] = None
        self.data: dict[str, Any] = {}
        self.state: Optional[str] = None

    def reply(self, text: str, *, media: Any = None) -> None:
        """Queue a reply in the conversation of the message.

        Parameters
        ----------
        text : str
            The reply's text.
        media : str | int | DMMedia | None
            A media id uploaded for the bot user (``Client.upload_dm_media``).

        Raises
        ------
        TypeError, ValueError
            Bad text (not a str, empty, or holding NUL) or media, or the handler
            already ended (timed out).
        """
        text, media_id = check_text(text, media)
        self._add(QueuedReply(self.bot_id, text, self.conversation_id, None, media_id))

    def send_dm(
        self,
        text: str,
        *,
        participant_id: Any = None,
        dm_conversation_id: Optional[str] = None,
        media: Any = None,
    ) -> None:
        """Queue a message to another user or conversation, from the same bot user.

        Parameters
        ----------
        text : str
            The message's text.
        participant_id : int | str | None
            A user, for a one-to-one conversation; or
        dm_conversation_id : str | None
            a conversation the bot user is in (exactly one of the two).
        media : str | int | DMMedia | None
            A media id uploaded for the bot user.

        Raises
        ------
        TypeError, ValueError
            Bad arguments, or the handler already ended (timed out).
        """
        text, media_id = check_text(text, media)
        if (participant_id is None) == (dm_conversation_id is None):
            raise TypeError("send_dm takes exactly one of participant_id and dm_conversation_id")
        if participant_id is not None:
            if isinstance(participant_id, bool) or not str(participant_id).isdigit():
                raise ValueError(f"participant_id must be a user id, not {participant_id!r}")
            self._add(QueuedReply(self.bot_id, text, None, str(participant_id), media_id))
        else:
            if not isinstance(dm_conversation_id, str) or not dm_conversation_id:
                raise ValueError(
                    f"dm_conversation_id must be a conversation id, not {dm_conversation_id!r}"
                )
            self._add(QueuedReply(self.bot_id, text, dm_conversation_id, None, media_id))

    def _add(self, reply: QueuedReply) -> None:
        if self.closed:
            raise ValueError("the handler already ended (it timed out); this reply is not sent")
        self.replies.append(reply)

    def __repr__(self) -> str:
        return (
            f"<Context bot_id={self.bot_id} message={getattr(self.message, 'id', None)} "
            f"attempt={self.attempt} "
            f"replies={len(self.replies)}>"
        )
