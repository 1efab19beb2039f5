"""The emulator's event bus: backends publish what happened, the hubs that announce it listen.

The rules (:mod:`~tweepy_dm.emulator._backend`, :mod:`~tweepy_dm.emulator._chat`)
publish domain events and know nothing of who hears them; the Activity API hub
and the webhook hub subscribe by event type. One bus per emulator, made by
:class:`~tweepy_dm.emulator.DMEmulator` with every backend. Handlers run in the
publisher's thread, in the order they subscribed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, NamedTuple, TypeVar

E = TypeVar("E")


class MessageStored(NamedTuple):
    """A legacy DM was stored (sent, a group's first message, or seeded history)."""

    event: Any  # _state.Event
    base_url: str  # the server's, for media links


class DMSignal(NamedTuple):
    """A user read a legacy conversation (``dm.read``) or typed in it (``dm.indicate_typing``)."""

    event_type: str
    user_id: int
    conversation_id: str  # canonical
    participants: Sequence[int]
    extra: dict[str, Any]


class ChatChanged(NamedTuple):
    """An XChat event was stored: a message, a key change, members joining."""

    kind: str  # "message", "key" or "join"
    conversation: Any  # _chat.Conversation
    event: Any  # _chat.ChatEvent
    joined: Sequence[int]  # the users who joined ("join")
    signing_public_key: str  # the sender's, for a message's signature ("" otherwise)


class ActivityDelivered(NamedTuple):
    """An Activity API envelope went to a subscription that names a webhook."""

    webhook_id: str
    line: bytes


class EventBus:
    """Subscribers by event type; :meth:`publish` calls those of the event's type."""

    def __init__(self) -> None:
        self._handlers: dict[type, list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def wants(self, kind: type) -> bool:
        """Whether anyone listens for ``kind`` (to skip building events no one hears)."""
        return kind in self._handlers

    def publish(self, event: Any) -> None:
        for handler in self._handlers.get(type(event), ()):
            handler(event)


__all__ = ["ActivityDelivered", "ChatChanged", "DMSignal", "EventBus", "MessageStored"]
