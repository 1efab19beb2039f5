"""The X Activity API in the emulator: subscriptions, the per-app fan-out, the stream.

:class:`ActivityHub` keeps the app's subscriptions and, for every DM event
(a message sent, a conversation read, a user typing) and XChat event the
backends publish on the emulator's :class:`~tweepy_dm.emulator._events.EventBus`,
delivers one Activity API envelope per matching subscription: to each open
stream at once, and into a bounded history that ``backfill_minutes`` and
``start_time`` replay. Payloads have X's documented shape
(``x-api/activity/event-payloads.mdx``): the v1.1 ``message_create`` item and a
``users`` map of v2 users, each with a unique ``event_uuid``. Subscriptions are
rows of the emulator's store, read back when the hub starts: with a database
file they survive a restart, as the DMs do. The history and the open streams
are in memory only.
"""

from __future__ import annotations

import collections
import datetime
import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator._backend import (
    Invalid,
    NotFound,
    NotPermitted,
    TooManyConnections,
    UnknownUser,
)
from tweepy_dm.emulator._events import (
    ActivityDelivered,
    ChatChanged,
    DMSignal,
    EventBus,
    MessageStored,
)
from tweepy_dm.emulator._render import download_url, entities, timestamp
from tweepy_dm.emulator._state import EmulatorDB, Event

#: Deliveries kept for backfill (X keeps five minutes; the emulator also caps the count).
HISTORY_SIZE = 10_000
#: How often an idle stream checks whether its client hung up, in seconds.
POLL_SECONDS = 0.05
#: Subscription ids start here, so that they look like X's (and are never 0).
_FIRST_SUBSCRIPTION_ID = 1_900_000_000_000_000_000
_TABLE = "activity_subscriptions"
_MASK = (1 << 64) - 1
# An odd multiplier makes the mapping from sequence number to uuid one-to-one.
_UUID_MULTIPLIER = 0x9E3779B97F4A7C15


def _event_uuid(sequence: int, salt: int) -> str:
    """A unique id per delivery, signed 64-bit as X writes them ("-6850472171600526495")."""
    value = ((sequence + salt) * _UUID_MULTIPLIER) & _MASK
    return str(value - (1 << 64) if value >= 1 << 63 else value)


class Subscription(NamedTuple):
    id: int
    event_type: str
    user_id: int
    direction: Optional[str]
    tag: Optional[str]
    webhook_id: Optional[str]
    created_at: float
    updated_at: float

    def data(self) -> dict[str, Any]:
        """The subscription as X returns it."""
        data_filter = {"user_id": str(self.user_id)}
        if self.direction is not None:
            data_filter["direction"] = self.direction
        data: dict[str, Any] = {
            "subscription_id": str(self.id),
            "event_type": self.event_type,
            "filter": data_filter,
            "created_at": timestamp(self.created_at),
            "updated_at": timestamp(self.updated_at),
        }
        if self.tag is not None:
            data["tag"] = self.tag
        if self.webhook_id is not None:
            data["webhook_id"] = self.webhook_id
        return data


class Delivery(NamedTuple):
    sequence: int
    at: float  # the emulator clock when it happened
    line: bytes  # one JSON object and "\r\n"


def is_private(event_type: str) -> bool:
    return event_type.startswith(_facts.PRIVATE_ACTIVITY_EVENT_PREFIXES)


class PrivateEventsRefused(NotPermitted):
    """Private events (DMs, XChat) subscribed with another token than their user's own."""

    status = 403
    title = "Unsupported Authentication"
    problem_type = "https://api.x.com/2/problems/unsupported-authentication"


class ActivityHub:
    """The app's subscriptions, its deliveries and its open streams (thread-safe)."""

    def __init__(
        self,
        store: EmulatorDB,
        bus: Optional[EventBus] = None,
        *,
        heartbeat: float = _facts.STREAM_KEEP_ALIVE_SECONDS,
        history: int = HISTORY_SIZE,
        max_connections: int = _facts.MAX_STREAM_CONNECTIONS,
    ) -> None:
        self.store = store
        self.heartbeat = heartbeat
        self.max_connections = max_connections
        self._condition = threading.Condition()
        # Kept in the store too, so that an emulator with a database file
        # keeps them across a restart.
        self._subscriptions: dict[int, Subscription] = {
            row[0]: Subscription(*row) for row in store.rows(_TABLE)
        }
        self._history: collections.deque[Delivery] = collections.deque(maxlen=history)
        self._sequence = 0
        self._salt = int(time.time() * 1000)
        self._connections = 0
        #: Bumped by :meth:`disconnect_streams`; a stream opened before it is cut.
        self.generation = 0
        #: Hears the backends' events; a delivery to a subscription that names a
        #: webhook goes back on it as :class:`ActivityDelivered`.
        self.bus = bus if bus is not None else EventBus()
        self.bus.subscribe(MessageStored, self._on_message)
        self.bus.subscribe(DMSignal, self._on_signal)
        self.bus.subscribe(ChatChanged, self._on_chat)

    def now(self) -> float:
        return self.store.clock()

    # Subscriptions

    def may_subscribe(
        self, event_type: str, user_id: int, caller: Optional[int], user_token: bool
    ) -> None:
        """Refuse a subscription the caller may not make: private events (DMs, XChat)
        are the user's own, subscribed only with their OAuth 2.0 user token.

        ``caller`` is the token's user (None for the app's token); ``user_token``
        whether it is an OAuth 2.0 user token.
        """
        if not is_private(event_type):
            return
        if not user_token:
            raise PrivateEventsRefused(
                f"{event_type} events are private: create their subscription with the "
                "OAuth 2.0 User Context token (dm.read) of the user in the filter."
            )
        if caller != user_id:
            raise NotPermitted(
                f"You may only subscribe to {event_type} events of the authenticated "
                f"user [{caller}], not of [{user_id}]."
            )

    def create(
        self,
        event_type: str,
        user_id: int,
        direction: Optional[str],
        tag: Optional[str],
        webhook_id: Optional[str],
    ) -> Subscription:
        if self.store.user(user_id) is None:
            raise UnknownUser(
                f"Could not find user with filter.user_id: [{user_id}].", "filter.user_id", user_id
            )
        with self._condition:
            for existing in self._subscriptions.values():
                if (existing.event_type, existing.user_id, existing.direction) == (
                    event_type,
                    user_id,
                    direction,
                ):
                    raise Invalid(
                        f"A subscription to {event_type} for user {user_id} exists already "
                        f"(subscription_id {existing.id}).",
                        "event_type",
                        event_type,
                    )
            if len(self._subscriptions) >= _facts.MAX_ACTIVITY_SUBSCRIPTIONS:
                raise NotPermitted(
                    f"The app has {_facts.MAX_ACTIVITY_SUBSCRIPTIONS:,} subscriptions, "
                    "the most its tier allows."
                )
            now = self.now()
            subscription = Subscription(
                self.store.next_id("subscription", _FIRST_SUBSCRIPTION_ID),
                event_type,
                user_id,
                direction,
                tag,
                webhook_id,
                now,
                now,
            )
            self.store.save_row(_TABLE, subscription)
            self._subscriptions[subscription.id] = subscription
            return subscription

    def subscriptions(self, after: Optional[int], limit: int) -> tuple[list[Subscription], bool]:
        """A page of subscriptions by id, and whether more follow."""
        with self._condition:
            ids = sorted(key for key in self._subscriptions if after is None or key > after)
            page = [self._subscriptions[key] for key in ids[:limit]]
        return page, len(ids) > limit

    def count(self) -> int:
        with self._condition:
            return len(self._subscriptions)

    def update(
        self, subscription_id: int, tag: Optional[str], webhook_id: Optional[str]
    ) -> Subscription:
        with self._condition:
            found = self._subscriptions.get(subscription_id)
            if found is None:
                raise NotFound("subscription", "subscription_id", subscription_id)
            changes: dict[str, Any] = {"updated_at": self.now()}
            if tag is not None:
                changes["tag"] = tag
            if webhook_id is not None:
                changes["webhook_id"] = webhook_id
            updated = found._replace(**changes)
            self.store.save_row(_TABLE, updated)
            self._subscriptions[subscription_id] = updated
            return updated

    def delete(self, subscription_id: int) -> bool:
        with self._condition:
            if self._subscriptions.pop(subscription_id, None) is None:
                return False
            self.store.delete_row(_TABLE, subscription_id)
            return True

    # Fan-out

    def _deliver(self, subscriptions: Iterable[Subscription], event_type: str, payload: Any):
        with self._condition:
            now = self.now()
            for subscription in subscriptions:
                self._sequence += 1
                data: dict[str, Any] = {
                    "event_uuid": _event_uuid(self._sequence, self._salt),
                    "filter": {"user_id": str(subscription.user_id)},
                    "event_type": event_type,
                }
                if subscription.tag is not None:
                    data["tag"] = subscription.tag
                data["payload"] = payload
                line = json.dumps({"data": data}, separators=(",", ":"), ensure_ascii=False)
                self._history.append(Delivery(self._sequence, now, line.encode() + b"\r\n"))
                if subscription.webhook_id is not None:
                    self.bus.publish(
                        ActivityDelivered(subscription.webhook_id, self._history[-1].line)
                    )
            self._condition.notify_all()

    def _matching(
        self, event_type: str, user_ids: Sequence[int], direction: str
    ) -> list[Subscription]:
        with self._condition:
            return [
                subscription
                for subscription in self._subscriptions.values()
                if subscription.event_type == event_type
                and subscription.user_id in user_ids
                and subscription.direction in (None, direction)
            ]

    def _users(self, user_ids: Iterable[int]) -> dict[str, Any]:
        users = {}
        for user_id in user_ids:
            user = self.store.user(user_id)
            if user is not None:
                users[str(user.id)] = {
                    "data": {"id": str(user.id), "name": user.name, "username": user.username}
                }
        return users

    def _on_message(self, stored: MessageStored) -> None:
        """``dm.sent`` for the sender's subscriptions, ``dm.received`` for the others'."""
        event = stored.event
        participants = self.store.participants(event.conversation_id)
        others = [user_id for user_id in participants if user_id != event.sender_id]
        sent = self._matching("dm.sent", [event.sender_id], "outbound")
        received = self._matching("dm.received", others, "inbound")
        if not sent and not received:
            return
        payload = {
            "direct_message_events": [message_item(self.store, event, others, stored.base_url)],
            "users": self._users(participants),
        }
        self._deliver(sent, "dm.sent", payload)
        self._deliver(received, "dm.received", payload)

    def _on_signal(self, signal: DMSignal) -> None:
        """``dm.read`` or ``dm.indicate_typing`` by the user, for the other participants."""
        others = [other for other in signal.participants if other != signal.user_id]
        for other in others:
            subscriptions = self._matching(signal.event_type, [other], "inbound")
            if not subscriptions:
                continue
            item = signal_item(self.now(), signal, other, others)
            payload = {
                SIGNAL_KEYS[signal.event_type]: [item],
                "users": self._users(signal.participants),
            }
            self._deliver(subscriptions, signal.event_type, payload)

    def _on_chat(self, changed: ChatChanged) -> None:
        """``chat.sent``, ``chat.received`` and ``chat.conversation.join``."""
        conversation, event = changed.conversation, changed.event
        keys = conversation.key_events()
        payload: dict[str, Any] = {
            "id": event.message_id,
            "created_at_msec": str(round(event.created_at * 1000)),
            "sender_id": str(event.sender_id),
            "conversation_id": conversation.id,
            "encoded_event": event.encoded,
        }
        if keys:
            payload["conversation_key_change_event"] = keys[-1].encoded
        if changed.kind == "message":
            payload["conversation_key_version"] = event.key_version
            payload["message_event_signature"] = {
                **event.signature,
                "signing_public_key": changed.signing_public_key,
            }
            others = [member for member in conversation.members if member != event.sender_id]
            self._deliver(
                self._matching("chat.sent", [event.sender_id], "outbound"), "chat.sent", payload
            )
            self._deliver(
                self._matching("chat.received", others, "inbound"), "chat.received", payload
            )
        elif changed.kind == "join" and changed.joined:
            self._deliver(
                self._matching("chat.conversation.join", changed.joined, "inbound"),
                "chat.conversation.join",
                payload,
            )

    # Streams

    def open_stream(
        self, since: Optional[float], until: Optional[float], heartbeat: Optional[float] = None
    ) -> StreamBody:
        """A stream's body, replaying deliveries from ``since``; 429 past the connection limit."""
        with self._condition:
            if self._connections >= self.max_connections:
                raise TooManyConnections()
            self._connections += 1
            if since is None:
                start = self._sequence + 1
            else:
                start = next(
                    (item.sequence for item in self._history if item.at >= since),
                    self._sequence + 1,
                )
            return StreamBody(self, start, until, heartbeat or self.heartbeat, self.generation)

    def _release(self) -> None:
        with self._condition:
            self._connections -= 1
            self._condition.notify_all()

    @property
    def connections(self) -> int:
        with self._condition:
            return self._connections

    def disconnect_streams(self) -> None:
        with self._condition:
            self.generation += 1
            self._condition.notify_all()

    def _pending(self, start: int, until: Optional[float]) -> tuple[list[bytes], int]:
        """Lines from sequence ``start`` on (caller holds the lock), and the next sequence."""
        if not self._history or start > self._sequence:
            return [], start
        first = self._history[0].sequence
        index = max(start - first, 0)  # older ones fell out of the history
        lines = []
        for offset in range(index, len(self._history)):
            item = self._history[offset]
            if until is None or item.at <= until:
                lines.append(item.line)
        return lines, self._sequence + 1


class StreamBody:
    """The body of one ``GET /2/activity/stream`` answer: chunks until closed.

    Lines already in the history from the starting point first, then each new
    one as it comes; a blank ``\\r\\n`` every ``heartbeat`` seconds of silence;
    an empty chunk every :data:`POLL_SECONDS` so that the server notices a
    client that hung up. Closing it (the server does, however the answer
    ends) frees the connection slot.
    """

    def __init__(
        self,
        hub: ActivityHub,
        start: int,
        until: Optional[float],
        heartbeat: float,
        generation: int,
    ) -> None:
        self._hub = hub
        self._next = start
        self._until = until
        self._heartbeat = heartbeat
        self._generation = generation
        self._quiet_since = time.monotonic()
        self._cut = False
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        hub = self._hub
        if self._closed:
            raise StopIteration
        if self._cut:
            # The half line went out; now drop the connection without ending the body.
            raise ConnectionAbortedError("disconnect_streams()")
        with hub._condition:
            if hub.generation != self._generation:
                self._cut = True
                lines, _ = hub._pending(self._next, self._until)
                line = lines[0] if lines else b'{"data":{"event_uuid":"0","payload":{}}}\r\n'
                return line[: max(len(line) // 2, 1)]
            lines, self._next = hub._pending(self._next, self._until)
            if not lines:
                if self._until is not None and hub.now() > self._until:
                    self.close()
                    raise StopIteration
                left = self._heartbeat - (time.monotonic() - self._quiet_since)
                if left > 0:
                    hub._condition.wait(min(left, POLL_SECONDS))
                    return b""  # lets the server check the client is still there
        self._quiet_since = time.monotonic()
        return b"".join(lines) if lines else b"\r\n"

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._hub._release()

    def __del__(self) -> None:
        self.close()


def v1_entities(text: str, store: EmulatorDB) -> dict[str, list[dict[str, Any]]]:
    """The v1.1 ``entities`` of a message (``indices``), from the emulator's v2 ones."""
    found = entities(text, store) if text else {}
    v1: dict[str, list[dict[str, Any]]] = {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": [],
    }
    for item in found.get("hashtags", ()):
        v1["hashtags"].append({"text": item["tag"], "indices": [item["start"], item["end"]]})
    for item in found.get("cashtags", ()):
        v1["symbols"].append({"text": item["tag"], "indices": [item["start"], item["end"]]})
    for item in found.get("mentions", ()):
        mention: dict[str, Any] = {
            "screen_name": item["username"],
            "indices": [item["start"], item["end"]],
        }
        if "id" in item:
            mention.update(id=int(item["id"]), id_str=item["id"])
        v1["user_mentions"].append(mention)
    for item in found.get("urls", ()):
        v1["urls"].append(
            {
                "url": item["url"],
                "expanded_url": item["expanded_url"],
                "display_url": item["display_url"],
                "indices": [item["start"], item["end"]],
            }
        )
    return v1


def parse_time(value: str) -> Optional[float]:
    """Epoch seconds of an RFC 3339 time (``2026-11-28T05:00:00Z``), or None."""
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


#: The Account Activity key of each signal's items.
SIGNAL_KEYS = {
    "dm.read": "direct_message_mark_read_events",
    "dm.indicate_typing": "direct_message_indicate_typing_events",
}


def message_item(
    store: EmulatorDB, event: Event, others: list[int], base_url: str
) -> dict[str, Any]:
    """A DM as X's v1.1 ``message_create`` item (the Activity and Account Activity APIs)."""
    text = event.text or ""
    message_data: dict[str, Any] = {"text": text, "entities": v1_entities(text, store)}
    media = store.media(event.media_id) if event.media_id is not None else None
    if media is not None:
        message_data["attachment"] = {
            "type": "media",
            "media": {
                "id": media.id,
                "id_str": str(media.id),
                "media_key": media.media_key,
                "type": media.kind,
                "media_url_https": download_url(base_url, event.id, media),
            },
        }
    message: dict[str, Any] = {"sender_id": str(event.sender_id), "message_data": message_data}
    item: dict[str, Any] = {
        "type": "message_create",
        "id": str(event.id),
        "created_timestamp": str(round(event.created_at * 1000)),
        "message_create": message,
    }
    if _facts.ONE_TO_ONE_PATTERN.fullmatch(event.conversation_id) and len(others) == 1:
        message["target"] = {"recipient_id": str(others[0])}
    else:
        # X documents no group payload; v1.1 has no field for a group, so the
        # emulator names the conversation, which the client then uses.
        item["dm_conversation_id"] = event.conversation_id
    return item


def signal_item(now: float, signal: DMSignal, other: int, others: list[int]) -> dict[str, Any]:
    """A read receipt or typing indicator for ``other``, as X's v1.1 item."""
    item: dict[str, Any] = {
        "created_timestamp": str(round(now * 1000)),
        "sender_id": str(signal.user_id),
        "target": {"recipient_id": str(other)},
        **signal.extra,
    }
    if len(others) > 1:
        item["dm_conversation_id"] = signal.conversation_id
    return item


__all__ = [
    "ActivityHub",
    "PrivateEventsRefused",
    "StreamBody",
    "Subscription",
    "message_item",
    "signal_item",
]
