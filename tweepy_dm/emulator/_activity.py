"""The X Activity API in the emulator: subscriptions, the per-app fan-out, the stream.

:class:`ActivityHub` keeps the app's subscriptions and, for every DM event
(a message sent, a conversation read, a user typing), delivers one Activity
API envelope per matching subscription: to each open stream at once, and
into a bounded history that ``backfill_minutes`` and ``start_time`` replay.
Payloads have X's documented shape (``x-api/activity/event-payloads.mdx``):
the v1.1 ``message_create`` item and a ``users`` map of v2 users, each with
a unique ``event_uuid``. :class:`ActivityBackend` is the DM backend that
announces every message it stores, however it was sent (HTTP or back door).
Subscriptions are rows of the emulator's store, read back when the hub starts:
with a database file they survive a restart, as the DMs do. The history and the
open streams are in memory only.
"""

from __future__ import annotations

import collections
import datetime
import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator._backend import (
    DMBackend,
    Invalid,
    NotFound,
    NotPermitted,
    TooManyConnections,
    UnknownUser,
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


class ActivityHub:
    """The app's subscriptions, its deliveries and its open streams (thread-safe)."""

    def __init__(
        self,
        store: EmulatorDB,
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
        #: Webhooks (``_webhooks``): called with ``(webhook_id, line)`` for each delivery
        #: to a subscription that names a webhook, and each observer with
        #: ``(account_activity_key, user_ids, item, participants)`` for every DM event.
        self.webhook_sink: Optional[Callable[[str, bytes], None]] = None
        self.observers: list[Callable[..., None]] = []

    def now(self) -> float:
        return self.store.clock()

    # Subscriptions

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
                if subscription.webhook_id is not None and self.webhook_sink is not None:
                    self.webhook_sink(subscription.webhook_id, self._history[-1].line)
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

    def message(self, event: Event, base_url: str = "") -> None:
        """``dm.sent`` for the sender's subscriptions, ``dm.received`` for the others'."""
        if event.event_type != "MessageCreate":
            return
        participants = self.store.participants(event.conversation_id)
        others = [user_id for user_id in participants if user_id != event.sender_id]
        for observer in self.observers:
            item = self._message_item(event, others, base_url)
            observer("direct_message_events", participants, item, participants)
        sent = self._matching("dm.sent", [event.sender_id], "outbound")
        received = self._matching("dm.received", others, "inbound")
        if not sent and not received:
            return
        payload = {
            "direct_message_events": [self._message_item(event, others, base_url)],
            "users": self._users(participants),
        }
        self._deliver(sent, "dm.sent", payload)
        self._deliver(received, "dm.received", payload)

    def _message_item(self, event: Event, others: list[int], base_url: str) -> dict[str, Any]:
        text = event.text or ""
        message_data: dict[str, Any] = {"text": text, "entities": v1_entities(text, self.store)}
        media = self.store.media(event.media_id) if event.media_id is not None else None
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

    def signal(self, event_type: str, user_id: int, conversation_id: str, extra: dict) -> None:
        """``dm.read`` or ``dm.indicate_typing`` by ``user_id``, for the other participants."""
        participants = self.store.participants(conversation_id)
        if user_id not in participants:
            raise NotPermitted(f"{user_id} is not in {conversation_id!r}", "user_id", user_id)
        others = [other for other in participants if other != user_id]
        key = {
            "dm.read": "direct_message_mark_read_events",
            "dm.indicate_typing": "direct_message_indicate_typing_events",
        }[event_type]
        for other in others:
            subscriptions = self._matching(event_type, [other], "inbound")
            if not subscriptions and not self.observers:
                continue
            item: dict[str, Any] = {
                "created_timestamp": str(round(self.now() * 1000)),
                "sender_id": str(user_id),
                "target": {"recipient_id": str(other)},
                **extra,
            }
            if len(others) > 1:
                item["dm_conversation_id"] = conversation_id
            for observer in self.observers:
                observer(key, [other], item, participants)
            if not subscriptions:
                continue
            payload = {key: [item], "users": self._users(participants)}
            self._deliver(subscriptions, event_type, payload)

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


class ActivityBackend(DMBackend):
    """The DM rules, announcing every message stored to the Activity API hub."""

    def __init__(self, store: EmulatorDB, hub: ActivityHub) -> None:
        super().__init__(store)
        self.activity = hub
        #: The server's URL, for media links in payloads; set once the server runs.
        self.base_url = ""

    def _announce(self, event_ids: Iterable[Optional[int]]) -> None:
        if self.legacy_dms != "on":
            # After the cutover X sends no dm.* event (history seeded in read-only included).
            return
        for event_id in event_ids:
            event = self.store.event(event_id) if event_id is not None else None
            if event is not None:
                self.activity.message(event, self.base_url)

    def send_to_user(self, sender, recipient, text, media_id):  # type: ignore[no-untyped-def]
        conversation_id, event_id = super().send_to_user(sender, recipient, text, media_id)
        self._announce([event_id])
        return conversation_id, event_id

    def send_into(self, sender, conversation_id, text, media_id):  # type: ignore[no-untyped-def]
        canonical, event_id = super().send_into(sender, conversation_id, text, media_id)
        self._announce([event_id])
        return canonical, event_id

    def create_group(self, creator, members, text=None, media_id=None, *, first_message=True):  # type: ignore[no-untyped-def]
        group, event_id = super().create_group(
            creator, members, text, media_id, first_message=first_message
        )
        self._announce([event_id])
        return group, event_id

    def seed_messages(self, conversation_id, senders, texts, times):  # type: ignore[no-untyped-def]
        ids = super().seed_messages(conversation_id, senders, texts, times)
        self._announce(ids)
        return ids

    def mark_read(self, user_id: int, conversation_id: str) -> None:
        self.require_legacy(write=True)
        canonical = self.conversation(user_id, conversation_id)
        newest = self.store.list_events(
            user_id,
            conversation_id=canonical,
            event_types=("MessageCreate",),
            since=None,
            older_than=None,
            newer_than=None,
            limit=1,
        )
        extra = {"last_read_event_id": str(newest[0].id)} if newest else {}
        self.activity.signal("dm.read", user_id, canonical, extra)

    def typing(self, user_id: int, conversation_id: str) -> None:
        self.require_legacy(write=True)
        canonical = self.conversation(user_id, conversation_id)
        self.activity.signal("dm.indicate_typing", user_id, canonical, {})


def activity_hub(backend: DMBackend) -> ActivityHub:
    """The backend's hub; a plain :class:`DMBackend` gets one that hears of no message."""
    hub = getattr(backend, "activity", None)
    if hub is None:
        hub = ActivityHub(backend.store)
        backend.activity = hub  # type: ignore[attr-defined]
    return hub


__all__ = ["ActivityBackend", "ActivityHub", "StreamBody", "Subscription"]
