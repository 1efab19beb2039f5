"""X Activity API events and subscriptions, as tweepy-style models.

X delivers the same events by the Activity API stream, by webhook, and (for
apps on the older product) by Account Activity API webhook, in three shapes:
the Activity API's ``{"data": {"event_uuid", "event_type", "filter", "tag",
"payload"}}`` envelope, and Account Activity's ``{"for_user_id": ...,
"direct_message_events": [...], "users": {...}}``. Their DMs are in the v1.1
shape (``message_create``, epoch-millisecond timestamps), not the v2
``DmEvent`` that ``GET /2/dm_events`` returns. Everything here turns them into
one model, :class:`ActivityEvent`, whose ``direct_message`` is the
:class:`~tweepy_dm.DirectMessageEvent` the REST lookup gives. Pure functions
and models: no I/O.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Optional, Union

import tweepy
from tweepy.mixins import DataMapping, HashableID

from tweepy_dm._facts import DM_ACTIVITY_EVENT_TYPES, one_to_one_conversation_id
from tweepy_dm._models import DirectMessageEvent, parse_datetime

__all__ = [
    "ActivityEvent",
    "ActivitySubscription",
    "dedupe_keys",
    "one_to_one_conversation_id",
    "parse_activity",
]

log = logging.getLogger("tweepy_dm.activity")

#: Account Activity keys whose events have an Activity API name.
ACCOUNT_ACTIVITY_EVENT_TYPES = {
    "direct_message_indicate_typing_events": "dm.indicate_typing",
    "direct_message_mark_read_events": "dm.read",
}
# Where each DM event type keeps its items in a payload (Account Activity's keys,
# which the Activity API reuses for DMs).
_ITEM_KEYS = {
    "dm.received": "direct_message_events",
    "dm.sent": "direct_message_events",
    "dm.read": "direct_message_mark_read_events",
    "dm.indicate_typing": "direct_message_indicate_typing_events",
}
# Account Activity keys that describe the payload rather than being events.
_CONTEXT_KEYS = frozenset({"for_user_id", "users", "apps", "user_has_blocked"})
# Media key prefixes by v1.1 media type, as X forms ``attachments.media_keys``.
_MEDIA_KEY_PREFIXES = {"photo": "3", "video": "7", "animated_gif": "16"}
_TWEET_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/([0-9]{1,19})"
)
#: msgspec's untyped decoder (the optional ``fast`` extra), or None: it gives what json.loads
#: gives (dicts, lists, str, int, float, bool, None) in about a third of the time.
_decode: Optional[Callable[[Union[bytes, bytearray]], Any]] = None
# What msgspec raises for a document it refuses (json.loads has the last word on it).
_DECODE_ERRORS: tuple[type[Exception], ...] = (RecursionError,)
try:
    import msgspec
except ImportError:  # pragma: no cover - the other readers are tested with msgspec hidden
    pass
else:
    _decode = msgspec.json.Decoder().decode
    _DECODE_ERRORS = (msgspec.DecodeError, RecursionError)
try:  # read when msgspec is not installed: about as fast, but needs a scan of the document
    import orjson as _orjson
except ImportError:  # pragma: no cover - the stdlib path is tested with orjson hidden
    _orjson = None

_DIGITS = re.compile(r"[0-9]{1,19}")
#: Every digit to "0", '-' and '"' kept, every other byte to " ": then 20 digits in a row
#: are ``"0" * 20``, and a negative number of 19 digits (below -2**63 from
#: -9223372036854775809) is ``" -" + "0" * 19``. Neither is a "-" after a digit
#: (``dm_conversation_id``) or at the start of a string (the stream's ``event_uuid``).
_DIGITS_ONLY = bytes(
    48 if 48 <= byte <= 57 else byte if byte in b'-"' else 32 for byte in range(256)
)
_LONG_NUMBER = b"0" * 20
_LONG_NEGATIVE = b" -" + b"0" * 19
_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


def loads(document: Union[bytes, bytearray, str]) -> Any:
    """A JSON document X sent, read with msgspec or orjson when installed, else json.loads.

    msgspec (the ``fast`` extra) reads integers of any size exactly and refuses
    every document ``json.loads`` would read otherwise (NaN, a lone surrogate,
    a byte order mark, UTF-16, invalid UTF-8, a float out of range); what it
    refuses goes to ``json.loads``, so the result, and the error for a bad
    document, are always the stdlib's. orjson likewise, except that it reads
    an integer beyond 64 bits as a float: a document with 20 digits in a row,
    or a negative number of 19, goes to ``json.loads`` without it. So does a
    ``str``.
    """
    if isinstance(document, (bytes, bytearray)):  # the stream and the clients read bytes
        if _decode is not None:
            try:
                return _decode(document)
            except _DECODE_ERRORS:
                pass
        elif _orjson is not None and not document.startswith(b"-"):
            digits = document.translate(_DIGITS_ONLY)
            if _LONG_NUMBER not in digits and _LONG_NEGATIVE not in digits:
                try:
                    return _orjson.loads(document)
                except _orjson.JSONDecodeError:
                    pass
    return json.loads(document)


def _id(value: Any) -> Optional[int]:
    """An id X sent as a string or number, or None if it is neither."""
    kind = type(value)
    if kind is str:  # nearly always: X sends ids as strings
        return int(value) if len(value) <= 19 and value.isdigit() and value.isascii() else None
    if kind is int:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def _text(value: Any) -> Optional[str]:
    if type(value) is str:
        return value
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _millis_datetime(value: Any) -> Optional[datetime.datetime]:
    """An aware UTC datetime from X's epoch-millisecond timestamps ("1784928224372")."""
    millis = _id(value)
    if millis is None:
        return None
    # A fifth of fromtimestamp's cost, which consults the platform's time functions.
    try:
        return _EPOCH + datetime.timedelta(milliseconds=millis)
    except OverflowError:  # as fromtimestamp says it
        raise ValueError(f"timestamp {millis} ms is out of range") from None


def _iso(moment: datetime.datetime) -> str:
    """``created_at`` (aware, UTC) as the v2 API writes it: ``2022-10-28T02:40:35.000Z``."""
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # less "+00:00"


def _v2_entities(entities: Any) -> Optional[dict[str, list[dict[str, Any]]]]:
    """v1.1 entities (``indices``, ``symbols``, ``user_mentions``) in the v2 shape.

    v2 omits empty lists, and the whole object when nothing was found.
    """
    if not isinstance(entities, dict):
        return None
    found: dict[str, list[dict[str, Any]]] = {}

    def offsets(item: dict[str, Any]) -> dict[str, Any]:
        start, end = item.get("indices", (None, None))[:2]
        return {"start": start, "end": end}

    for item in entities.get("urls") or ():
        entry = offsets(item)
        for name in ("url", "expanded_url", "display_url"):
            if name in item:
                entry[name] = item[name]
        found.setdefault("urls", []).append(entry)
    for item in entities.get("hashtags") or ():
        found.setdefault("hashtags", []).append({**offsets(item), "tag": item.get("text")})
    for item in entities.get("symbols") or ():
        found.setdefault("cashtags", []).append({**offsets(item), "tag": item.get("text")})
    for item in entities.get("user_mentions") or ():
        entry = {**offsets(item), "username": item.get("screen_name")}
        mention_id = item.get("id_str", item.get("id"))
        if mention_id is not None:
            entry["id"] = str(mention_id)
        found.setdefault("mentions", []).append(entry)
    return found or None


def _media_keys(message_data: dict[str, Any]) -> list[str]:
    attachment = message_data.get("attachment")
    if not isinstance(attachment, dict) or not isinstance(attachment.get("media"), dict):
        return []
    media = attachment["media"]
    if media.get("media_key"):
        return [str(media["media_key"])]
    media_id = media.get("id_str", media.get("id"))
    if media_id is None:
        return []
    return [f"{_MEDIA_KEY_PREFIXES.get(media.get('type'), '3')}_{media_id}"]


def _conversation_id(
    item: dict[str, Any], sender: Optional[int], recipient: Optional[int]
) -> Optional[str]:
    """The conversation of a v1.1 DM item whose sender and recipient ids were read (``_id``)."""
    # v1.1 DM payloads name a sender and one recipient but no conversation. When
    # X adds the id (it may for groups) it wins; otherwise the one-to-one id is
    # derived. A group message carries no recipient_id, so it stays None.
    message = item.get("message_create") or {}
    for value in (
        item.get("dm_conversation_id"),
        item.get("conversation_id"),
        message.get("dm_conversation_id"),
        message.get("conversation_id"),
    ):
        if value and isinstance(value, str):
            return value
    if sender is not None and recipient is not None:
        return one_to_one_conversation_id(sender, recipient)
    return None


def direct_message_data(item: dict[str, Any]) -> Optional[dict[str, Any]]:
    """A v1.1 ``message_create`` event as the v2 ``DmEvent`` ``GET /2/dm_events`` returns.

    With every field asked for: ``id``, ``event_type``, ``text``, ``sender_id``,
    ``dm_conversation_id`` (when known), ``created_at``, ``attachments`` and
    ``entities`` (when present) and ``referenced_tweets`` (Tweet links).
    None if ``item`` is not a message.
    """
    message = item.get("message_create")
    if not isinstance(message, dict) or _id(item.get("id")) is None:
        return None
    return _message_data(item, message)


def _message_context(
    item: dict[str, Any], message: dict[str, Any]
) -> tuple[Any, Optional[int], Optional[int], Optional[str], Optional[datetime.datetime]]:
    """A v1.1 message's sender (as sent, and read), recipient (read), conversation id and time."""
    sender_id = message.get("sender_id")
    target = message.get("target") or {}
    recipient = _id(target.get("recipient_id")) if isinstance(target, dict) else None
    sender = _id(sender_id)
    return (
        sender_id,
        sender,
        recipient,
        _conversation_id(item, sender, recipient),
        _millis_datetime(item.get("created_timestamp")),
    )


def _message_data(item: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    sender_id, sender, _, conversation_id, created_at = _message_context(item, message)
    message_data = message.get("message_data") or {}
    data: dict[str, Any] = {
        "id": str(item["id"]),
        "event_type": "MessageCreate",
        "text": message_data.get("text", ""),
    }
    if sender is not None:
        data["sender_id"] = str(sender_id)
    if conversation_id is not None:
        data["dm_conversation_id"] = conversation_id
    if created_at is not None:
        data["created_at"] = _iso(created_at)
    media_keys = _media_keys(message_data)
    if media_keys:
        data["attachments"] = {"media_keys": media_keys}
    entities = _v2_entities(message_data.get("entities"))
    if entities:
        data["entities"] = entities
    tweet_ids: list[str] = []
    for url in (entities or {}).get("urls", ()):
        match = _TWEET_URL.match(str(url.get("expanded_url", "")))
        if match and match.group(1) not in tweet_ids:
            tweet_ids.append(match.group(1))
    if tweet_ids:
        data["referenced_tweets"] = [{"id": tweet_id} for tweet_id in tweet_ids]
    return data


def _v2_user(value: Any) -> Optional[dict[str, Any]]:
    """A user object of any of X's shapes as a v2 user, or None."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("data"), dict):  # the Activity API's {"data": {...}}
        return value["data"]
    if "screen_name" not in value:
        return value
    # A v1.1 user (Account Activity): rename what v2 names differently.
    user = {
        key: value[key]
        for key in ("id", "name", "description", "location", "url", "protected", "verified")
        if key in value
    }
    user["id"] = str(value.get("id_str", value.get("id")))
    user["username"] = value["screen_name"]
    created_at = _millis_datetime(value.get("created_timestamp"))
    if created_at is not None:
        user["created_at"] = _iso(created_at)
    if "profile_image_url_https" in value:
        user["profile_image_url"] = value["profile_image_url_https"]
    metrics = {
        v2: value[v1]
        for v1, v2 in (
            ("followers_count", "followers_count"),
            ("friends_count", "following_count"),
            ("statuses_count", "tweet_count"),
            ("listed_count", "listed_count"),
        )
        if v1 in value
    }
    if metrics:
        user["public_metrics"] = metrics
    return user


def normalize_users(*sources: Any) -> dict[int, tweepy.User]:
    """Users from maps (id -> user) and lists of any of X's user shapes, by int id.

    A user X sent without the fields :class:`tweepy.User` needs (``id``,
    ``name``, ``username``) is left out; it stays in the event's ``data``.
    """
    users: dict[int, tweepy.User] = {}
    for source in sources:
        if isinstance(source, Mapping):
            values: Iterable[Any] = source.values()
        elif isinstance(source, list):
            values = source
        else:
            continue
        for value in values:
            data = _v2_user(value)
            if data is None:
                continue
            if isinstance(data.get("created_at"), str):
                try:  # tweepy's own parser rejects timestamps without fractions
                    data = {**data, "created_at": _iso(parse_datetime(data["created_at"]))}
                except ValueError:
                    data = {k: v for k, v in data.items() if k != "created_at"}
            try:
                user = tweepy.User(data)
            except (KeyError, TypeError, ValueError):
                log.debug("Left out a user without id, name or username")
                continue
            users[user.id] = user
    return users


class ActivityEvent(DataMapping):
    """One event of the X Activity API or the Account Activity API.

    Built from the stream, a webhook, or an Account Activity webhook; the same
    DM gives the same ``direct_message`` by any of them, and the same as
    :meth:`~tweepy_dm.Client.get_direct_message_event`. Event types this library does not
    know keep everything X sent in ``data`` and ``payload``: they are never
    dropped. ``event["tag"]`` and ``event.data`` give the JSON as X sent it.

    Events compare equal when their ``event_uuid`` (or, without one, their
    data) is the same.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The event as X sent it: the object under the Activity API envelope's
        ``data``, or, for Account Activity, the payload narrowed to this one
        event (``for_user_id``, the event's key with this event alone,
        ``users`` and ``apps``).
    event_uuid : str | None
        X's id of this delivery (it may be negative, e.g.
        ``"-6850472171600526495"``); a retry or a backfill repeats it.
        Account Activity events have none.
    event_type : str | None
        The Activity API's name: ``dm.received``, ``dm.sent``, ``dm.read``,
        ``dm.indicate_typing``, ``chat.received``, ``post.create``, …;
        Account Activity events other than DMs keep their key
        (``follow_events``, ``tweet_create_events``, …).
    user_id : int | None
        The user the subscription is for (``filter.user_id``, or Account
        Activity's ``for_user_id``).
    tag : str | None
        The subscription's tag, if it has one.
    payload : Any
        The event-specific object: the envelope's ``payload``, or the one
        Account Activity item.
    users : dict[int, tweepy.User]
        The users the event names, from v2 user maps, ``includes.users`` and
        v1.1 (``screen_name``) user maps alike, by id.
    direct_message : DirectMessageEvent | None
        For ``dm.received`` and ``dm.sent``: the message, with the fields
        ``GET /2/dm_events/:id`` returns when all are asked for (``id``,
        ``text``, ``sender_id``, ``dm_conversation_id``, ``created_at``,
        ``attachments``, ``entities``, ``referenced_tweets``).
    direct_messages : list[DirectMessageEvent]
        Every message of the event (X sends one per event in practice).
    sender_id : int | None
        Who sent the message (``dm.received``, ``dm.sent``), read the
        conversation (``dm.read``) or is typing (``dm.indicate_typing``).
    recipient_id : int | None
        The other participant X names (``target.recipient_id``).
    dm_conversation_id : str | None
        The conversation: X's id when the payload has one, else the one-to-one
        id ``LOW-HIGH`` derived from sender and recipient. X's v1.1 payloads
        name no conversation, so for a group message without a recipient it
        is None; look it up with ``get_dm_event(id,
        dm_event_fields=["dm_conversation_id"])``.
    last_read_event_id : int | None
        ``dm.read``: the newest message the reader has seen.
    created_at : datetime.datetime | None
        When it happened (timezone-aware, UTC), from X's millisecond timestamp.

    References
    ----------
    https://docs.x.com/x-api/activity/event-payloads

    https://docs.x.com/x-api/account-activity/introduction
    """

    __slots__ = (
        "data",
        "event_uuid",
        "event_type",
        "user_id",
        "tag",
        "payload",
        "_users",
        "_user_sources",
        "_items",
        "_direct_messages",
        "_messages",
        "sender_id",
        "recipient_id",
        "dm_conversation_id",
        "last_read_event_id",
        "created_at",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"an Activity API event must be a dict, not {type(data).__name__}")
        if "event_type" not in data and isinstance(data.get("data"), dict):
            data = data["data"]  # the whole {"data": {...}} envelope
        self.data = data
        get = data.get
        # Each value is read once; _text and _id run only for what X sends as
        # something other than a string (nearly never).
        filter_ = get("filter")
        user_id = filter_.get("user_id") if isinstance(filter_, dict) else None
        event_uuid, event_type, tag = get("event_uuid"), get("event_type"), get("tag")
        self.event_uuid = event_uuid if type(event_uuid) is str else _text(event_uuid)
        self.event_type = event_type = event_type if type(event_type) is str else _text(event_type)
        self.user_id = _id(user_id)
        self.tag = tag if type(tag) is str else _text(tag)
        self.payload = payload = get("payload")
        if not isinstance(payload, dict):
            payload = {}
        includes = get("includes")
        items = payload.get(_ITEM_KEYS.get(event_type or "", ""))
        if not isinstance(items, list):
            # A payload that is itself the item (no list around it).
            items = [payload] if ("message_create" in payload or "sender_id" in payload) else []
        self._items = items
        self._direct_messages = None
        self._user_sources = (
            payload.get("users"),
            includes.get("users") if isinstance(includes, dict) else None,
        )
        self._users = {}

    @classmethod
    def from_account_activity(cls, envelope: dict[str, Any], key: str, item: Any) -> ActivityEvent:
        """The event ``item`` of an Account Activity payload's list ``envelope[key]``.

        .. versionadded:: 0.2
        """
        event = cls.__new__(cls)
        data = {name: value for name, value in envelope.items() if name in _CONTEXT_KEYS}
        data[key] = [item] if isinstance(envelope.get(key), list) else item
        event.data = data
        event.event_uuid = None
        event.user_id = _id(envelope.get("for_user_id"))
        event.tag = None
        event.payload = item
        event_type = ACCOUNT_ACTIVITY_EVENT_TYPES.get(key, key)
        if key == "direct_message_events" and isinstance(item, dict):
            sender = _id((item.get("message_create") or {}).get("sender_id"))
            if item.get("type", "message_create") == "message_create" and sender is not None:
                event_type = "dm.sent" if sender == event.user_id else "dm.received"
        event.event_type = event_type
        event._items = [item] if isinstance(item, dict) else []
        event._direct_messages = None
        event._user_sources = (envelope.get("users"),)
        event._users = {}
        return event

    def __getattr__(self, name: str) -> Any:
        # The DM fields are read from the payload when first asked for, each
        # on its own: receivers route and deduplicate on event_type, user_id
        # and the DM ids alone, and most handlers read a field or two. A field
        # set before it was read (a decrypted chat message's) is never read.
        read = _DERIVED.get(name)
        if read is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = [] if name == "_messages" else None
        if self.event_type in DM_ACTIVITY_EVENT_TYPES:
            try:
                value = read(self.event_type, self._items)
            except Exception:  # a malformed DM payload still reaches the handler in ``data``
                log.debug("Could not read %s of a %s event", name, self.event_type, exc_info=True)
        setattr(self, name, value)
        return value

    def _message_ids(self) -> list[Optional[int]]:
        """The DM ids of the event, read without building a model."""
        if self._direct_messages is not None:
            return [message.id for message in self._direct_messages]
        if self.event_type not in ("dm.received", "dm.sent"):
            return []
        ids = []
        for item in self._items:
            if isinstance(item, dict) and isinstance(item.get("message_create"), dict):
                message_id = _id(item.get("id"))
                if message_id is not None:
                    ids.append(message_id)
        return ids

    @property
    def users(self) -> dict[int, tweepy.User]:
        if self._user_sources is not None:
            sources, self._user_sources = self._user_sources, None
            try:
                self._users = normalize_users(*sources)
            except Exception:  # never lose an event over its user map
                log.debug("Could not read the users of an event", exc_info=True)
        return self._users

    @property
    def direct_messages(self) -> list[DirectMessageEvent]:
        if self._direct_messages is None:
            messages = []
            try:
                for item, message in self._messages:
                    # What a handler reads first (id, type, text) now, the v2 data on first use.
                    text = (message.get("message_data") or {}).get("text", "")
                    messages.append(
                        DirectMessageEvent._deferred(
                            int(str(item["id"])),
                            "MessageCreate",
                            text,
                            functools.partial(_message_data, item, message),
                        )
                    )
            except Exception:  # as when it was built eagerly: the event stays usable
                log.debug("Could not read the DM of a %s event", self.event_type, exc_info=True)
            self._direct_messages = messages
        return self._direct_messages

    @property
    def direct_message(self) -> Optional[DirectMessageEvent]:
        messages = self.direct_messages
        return messages[0] if messages else None

    def _identity(self) -> Any:
        return self.event_uuid if self.event_uuid is not None else _digest(self.data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ActivityEvent):
            return self._identity() == other._identity()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        representation = f"<ActivityEvent event_type={self.event_type}"
        if self.event_uuid is not None:
            representation += f" event_uuid={self.event_uuid}"
        if self.user_id is not None:
            representation += f" user_id={self.user_id}"
        if self.direct_message is not None:
            representation += f" direct_message={self.direct_message!r}"
        return representation + ">"


def _dm_messages(event_type: str, items: list[Any]) -> list[tuple[dict[str, Any], Any]]:
    """The messages of a DM event: each item with its ``message_create``."""
    if event_type not in ("dm.received", "dm.sent"):
        return []
    return [
        (item, item["message_create"])
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("message_create"), dict)
        and _id(item.get("id")) is not None
    ]


def _first_item(items: list[Any]) -> Optional[dict[str, Any]]:
    return next((item for item in items if isinstance(item, dict)), None)


def _parties(event_type: str, items: list[Any]) -> tuple[Any, Any]:
    """The sender and recipient ids of a DM event's first item, as X sent them."""
    first = _first_item(items)
    if first is None:
        return None, None
    if event_type in ("dm.received", "dm.sent"):
        message = first.get("message_create") or {}
        sender_id, target = message.get("sender_id"), message.get("target") or {}
    else:
        sender_id, target = first.get("sender_id"), first.get("target") or {}
    return sender_id, target.get("recipient_id") if isinstance(target, dict) else None


def _dm_conversation_id(event_type: str, items: list[Any]) -> Optional[str]:
    first = _first_item(items)
    if first is None:
        return None
    sender_id, recipient_id = _parties(event_type, items)
    return _conversation_id(first, _id(sender_id), _id(recipient_id))


def _last_read_event_id(event_type: str, items: list[Any]) -> Optional[int]:
    first = _first_item(items)
    if first is None or event_type in ("dm.received", "dm.sent"):
        return None
    return _id(first.get("last_read_event_id"))


def _created_at(event_type: str, items: list[Any]) -> Optional[datetime.datetime]:
    first = _first_item(items)
    return None if first is None else _millis_datetime(first.get("created_timestamp"))


#: ActivityEvent's fields read from the payload on first use (see ``__getattr__``),
#: each from the event's type and items.
_DERIVED: dict[str, Callable[[str, list[Any]], Any]] = {
    "_messages": _dm_messages,
    "sender_id": lambda event_type, items: _id(_parties(event_type, items)[0]),
    "recipient_id": lambda event_type, items: _id(_parties(event_type, items)[1]),
    "last_read_event_id": _last_read_event_id,
    "dm_conversation_id": _dm_conversation_id,
    "created_at": _created_at,
}


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dedupe_keys(event: ActivityEvent, *, across_products: bool = False) -> tuple[str, ...]:
    """The keys under which an event counts as already delivered.

    Its ``event_uuid``, which X repeats on retries, replays and backfill.
    Without one (Account Activity), a DM is keyed by ``(user, type, DM id)``
    and any other event by its content: a retry sends the same bytes. With
    ``across_products``, a DM is also keyed by ``(user, type, DM id)`` when it
    has an ``event_uuid``, so that one DM delivered to a user by both the
    Activity API and Account Activity is handled once (two Activity API
    subscriptions of the same user and type then count as one, too).
    """
    if event.event_uuid is not None:
        if not across_products:  # nearly every event: one key
            return (f"uuid:{event.event_uuid}",)
        keys = [f"uuid:{event.event_uuid}"]
    else:
        keys = []
    if across_products or not keys:
        # The ids are read from the payload: a key needs no DirectMessageEvent built.
        for message_id in event._message_ids():
            keys.append(f"dm:{event.user_id}:{event.event_type}:{message_id}")
    if not keys:
        keys.append(f"data:{event.event_type}:{event.user_id}:{_digest(event.data)}")
    return tuple(keys)


def parse_activity(payload: Any) -> list[ActivityEvent]:
    """Every event in one JSON document X sent: a stream line or a webhook body.

    An Activity API envelope (``{"data": {...}}``) is one event; an Account
    Activity payload is one event per item of each list (``direct_message_events``,
    ``follow_events``, …) and one per other object key (``user_event``). A
    document with only ``errors`` has no events.

    Raises
    ------
    TypeError
        ``payload`` is not a JSON object.
    ValueError
        ``payload`` is neither an Activity API envelope nor an Account Activity payload.
    """
    if not isinstance(payload, dict):
        raise TypeError(f"an X event document is a JSON object, not {type(payload).__name__}")
    if isinstance(payload.get("data"), dict):
        return [ActivityEvent(payload["data"])]
    if isinstance(payload.get("data"), list):  # several events in one document
        return [ActivityEvent(item) for item in payload["data"] if isinstance(item, dict)]
    if "errors" in payload and not (payload.keys() - {"errors", "title", "detail", "type"}):
        return []
    events: list[ActivityEvent] = []
    for key, value in payload.items():
        if key in _CONTEXT_KEYS:
            continue
        if isinstance(value, list):
            events.extend(ActivityEvent.from_account_activity(payload, key, item) for item in value)
        elif isinstance(value, dict):
            events.append(ActivityEvent.from_account_activity(payload, key, value))
    if not events and "for_user_id" not in payload:
        raise ValueError(
            "not an X event: expected an Activity API envelope {'data': {...}} or an Account "
            f"Activity payload (for_user_id, direct_message_events, ...); keys: {sorted(payload)}"
        )
    return events


class ActivitySubscription(HashableID, DataMapping):
    """A subscription of the X Activity API: which events of whom X delivers.

    Its ``id`` is X's ``subscription_id``. X returns one subscription as a bare
    object, inside ``{"subscription": {...}}``, or as a list of one; each of
    these is accepted.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data of the subscription, as X sent it.
    id : int
        X's ``subscription_id``.
    event_type : str
        The event type, e.g. ``dm.received``.
    filter : dict
        The filter: ``user_id``, and ``direction`` or ``keyword`` if set.
    user_id : int | None
        ``filter.user_id``.
    direction : str | None
        ``filter.direction`` (``inbound`` or ``outbound``).
    tag : str | None
        The caller's tag.
    webhook_id : str | None
        The webhook X delivers to, besides the stream.
    created_at : datetime.datetime | None
    updated_at : datetime.datetime | None

    References
    ----------
    https://docs.x.com/x-api/activity/create-x-activity-subscription
    """

    __slots__ = (
        "data",
        "id",
        "event_type",
        "filter",
        "user_id",
        "direction",
        "tag",
        "webhook_id",
        "created_at",
        "updated_at",
    )

    def __init__(self, data: Union[dict[str, Any], list[dict[str, Any]]]) -> None:
        found: Any = data
        if isinstance(found, list):
            if len(found) != 1:
                raise ValueError(f"expected one subscription, got a list of {len(found)}")
            found = found[0]
        if not isinstance(found, dict):
            raise TypeError(f"a subscription must be a dict, not {type(found).__name__}")
        if "subscription_id" not in found and isinstance(found.get("subscription"), dict):
            found = found["subscription"]
        item: dict[str, Any] = found
        self.data = item
        self.id = int(item["subscription_id"])
        self.event_type = item.get("event_type")
        self.filter = item.get("filter") or {}
        self.user_id = _id(self.filter.get("user_id"))
        self.direction = self.filter.get("direction")
        self.tag = item.get("tag")
        webhook_id = item.get("webhook_id")
        self.webhook_id = str(webhook_id) if webhook_id is not None else None
        self.created_at = _timestamp(item.get("created_at"))
        self.updated_at = _timestamp(item.get("updated_at"))

    def __repr__(self) -> str:
        representation = f"<ActivitySubscription id={self.id} event_type={self.event_type}"
        if self.user_id is not None:
            representation += f" user_id={self.user_id}"
        if self.tag is not None:
            representation += f" tag={self.tag!r}"
        return representation + ">"


def _timestamp(value: Any) -> Optional[datetime.datetime]:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
