"""Models for DM data, behaving like tweepy's own models."""

from __future__ import annotations

import datetime
import re
import sys
from typing import Any, Callable, Optional

import tweepy.tweet
from tweepy.mixins import DataMapping, HashableID

from tweepy_dm import _facts

__all__ = [
    "DIRECT_MESSAGE_EVENT_FIELDS",
    "DM_EVENT_FIELDS",
    "DirectMessageEvent",
    "ReferencedTweet",
]

#: Every field X documents for DM events, for the ``dm_event_fields``
#: parameter.
#:
#: .. versionadded:: 0.1
DIRECT_MESSAGE_EVENT_FIELDS = list(_facts.DM_EVENT_FIELDS)
#: Alias for :const:`DIRECT_MESSAGE_EVENT_FIELDS`.
#:
#: .. versionadded:: 0.1
DM_EVENT_FIELDS = DIRECT_MESSAGE_EVENT_FIELDS


_UTC = datetime.timezone.utc
_fromisoformat = datetime.datetime.fromisoformat
# fromisoformat reads a ``Z`` (as UTC) from Python 3.11: rewriting the string
# for it, with one comparison per separator, cost a third of X's timestamp.
_READS_Z = sys.version_info >= (3, 11)
# The shapes X sends, in ASCII digits only (``re`` would take any Unicode
# digit): seconds with or without 1 to 6 fraction digits, then ``Z`` or an
# offset. Anything else goes through strptime, which has the last word.
_TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):\d\d:\d\d(?:\.(\d{1,6}))?(?:(Z)|([+-]\d\d):?([0-5]\d))",
    re.ASCII,
)


def parse_datetime(value: str) -> datetime.datetime:
    """Parse X's timestamps, with or without fractional seconds, as aware UTC.

    X sends ``2022-10-28T02:40:35.000Z``; its documented examples also show
    ``2023-11-07T05:31:56Z``, which tweepy's parser rejects.
    """
    # strptime costs about 5 us; a full page of events spent half its parsing
    # there. fromisoformat takes ``Z`` only from Python 3.11, and fractions of
    # exactly 3 or 6 digits before 3.11, so the string is rewritten to suit it.
    if not isinstance(value, str):
        return _parse_datetime_strptime(value)  # raises strptime's TypeError
    if (
        len(value) == 24
        and value[4:20:3] == "--T::."  # the separators at 4, 7, 10, 13, 16 and 19
        and value[23] == "Z"
        and value[11:13] < "24"  # newer Pythons read 24:00 as the next midnight
    ):
        # Every other position must be an ASCII digit for fromisoformat.
        try:
            return _fromisoformat(value if _READS_Z else value[:23] + "+00:00")
        except ValueError:
            pass
    else:
        match = _TIMESTAMP.fullmatch(value)
        if match is not None:
            fraction, zulu, hours, minutes = match.groups()
            iso = value[:19]
            if fraction:
                iso += "." + fraction.ljust(6, "0")
            iso += "+00:00" if zulu else f"{hours}:{minutes}"
            try:
                return _fromisoformat(iso).astimezone(_UTC)
            except ValueError:
                pass
    return _parse_datetime_strptime(value)


def _parse_datetime_strptime(value: str) -> datetime.datetime:
    for layout in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            parsed = datetime.datetime.strptime(value, layout)
        except ValueError:
            continue
        return parsed.astimezone(_UTC)
    raise ValueError(f"not an X timestamp (ISO 8601, e.g. 2022-10-28T02:40:35.000Z): {value!r}")


def _tolerates_missing_type() -> bool:
    try:
        tweepy.tweet.ReferencedTweet({"id": "1"})
    except KeyError:
        return False
    return True


if _tolerates_missing_type():  # tweepy 4.12 and newer
    ReferencedTweet = tweepy.tweet.ReferencedTweet
else:

    class ReferencedTweet(tweepy.tweet.ReferencedTweet):  # type: ignore[no-redef]
        """A Tweet referenced by a DM, whose ``type`` may be absent.

        Before tweepy 4.12, :class:`tweepy.ReferencedTweet` required ``type``,
        but X omits it for Tweets linked from a DM.
        """

        __slots__ = ()

        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data
            self.id = int(data["id"])
            self.type = data.get("type")

        def __repr__(self) -> str:
            representation = f"<ReferencedTweet id={self.id}"
            if self.type is not None:
                representation += f" type={self.type}"
            return representation + ">"


try:
    from tweepy import DirectMessageEvent as _DirectMessageEventBase
except ImportError:  # tweepy before 4.12 has no DM model

    class _DirectMessageEventBase(HashableID, DataMapping):  # type: ignore[no-redef]
        __slots__ = (
            "data",
            "id",
            "event_type",
            "attachments",
            "created_at",
            "dm_conversation_id",
            "participant_ids",
            "referenced_tweets",
            "sender_id",
            "text",
        )


class DirectMessageEvent(_DirectMessageEventBase):
    """One event of a DM conversation: a message, or people joining or leaving.

    X returns ``id`` and ``event_type`` for every event, ``text`` for
    MessageCreate events and ``participant_ids`` for ParticipantsJoin and
    ParticipantsLeave events. Every other attribute is ``None`` unless it was
    asked for with ``dm_event_fields`` (see :const:`DM_EVENT_FIELDS`).

    Events compare equal and hash by ``id``; ``event["text"]`` and
    ``event.data`` give the JSON as X sent it. On tweepy 4.12 and newer this is
    a subclass of :class:`tweepy.DirectMessageEvent`, so code written against
    tweepy's model keeps working.

    ``id`` and ``event_type`` are read when the event is made; the other
    attributes are read from ``data`` together, the first time one of them is
    asked for, and kept (a field X sent malformed raises :class:`ValueError`
    when it is asked for, and only then). Events can be copied
    (``copy.copy``, ``copy.deepcopy``) and pickled, which tweepy's
    own models cannot.

    .. versionadded:: 0.1

    .. versionchanged:: 0.2
        Events can be copied and pickled.

    Attributes
    ----------
    data : dict
        The JSON data of the event, as X sent it.
    id : int
        The unique identifier of the event.
    event_type : str
        ``MessageCreate``, ``ParticipantsJoin`` or ``ParticipantsLeave``.
    text : str | None
        The text of the message.
    sender_id : int | None
        Who sent the message, or who added participants to a group. Expand it
        with the ``sender_id`` expansion.
    dm_conversation_id : str | None
        The conversation the event belongs to: ``LOW-HIGH`` user ids for a
        one-to-one conversation, a single number for a group.
    created_at : datetime.datetime | None
        When the event happened, timezone-aware, in UTC.
    participant_ids : list[int] | None
        Who joined or left (ParticipantsJoin and ParticipantsLeave events).
    referenced_tweets : list[ReferencedTweet] | None
        Tweets linked from the text. ``type`` is usually ``None`` here, since X
        does not send it for DMs. Read from ``referenced_posts`` (the name X's
        OpenAPI spec 2.167 gives it) when X sends that instead.
    attachments : dict | None
        ``media_keys`` (and ``card_ids``) of what is attached. Expand media with
        the ``attachments.media_keys`` expansion.
    entities : dict | None
        ``hashtags``, ``cashtags``, ``mentions`` and ``urls`` found in the
        text, each with ``start`` and ``end`` offsets.
    message_id : str | None
        For an XChat message, the id its sender's SDK made and signed (the
        same wherever the message is seen: REST, stream, webhook), which
        deduplication uses; ``id`` is then X's numeric event id. ``None``
        for a legacy DM.

        .. versionadded:: 0.2

    References
    ----------
    https://docs.x.com/x-api/fundamentals/data-dictionary#dm-events
    """

    # Each field besides ``id`` and ``event_type`` is a descriptor (``_Field``,
    # below) that reads it from ``data`` on first use and keeps it in
    # ``_values``, a dict made at the first read: an event never read costs its
    # four slots. Before, an unread field was an empty slot, and its first read
    # cost an AttributeError and a ``__getattr__`` call: reading every field of
    # a page took twice as long as reading them eagerly. (tweepy's own slots for
    # these fields go unused.)
    __slots__ = ("_make_data", "_values")

    def __init__(self, data: dict[str, Any]) -> None:
        # Eagerly, a 100-event page cost five times its JSON decoding, and most
        # callers read two or three fields of an event. make_events does the
        # same without this call: change both together.
        self.data = data
        self.id = int(data["id"])
        self.event_type = data["event_type"]
        self._values: Optional[dict[str, Any]] = None

    @classmethod
    def _deferred(
        cls, id: int, event_type: str, text: Optional[str], make_data: Callable[[], dict[str, Any]]
    ) -> DirectMessageEvent:
        """An event whose ``data`` (and every attribute read from it) is made on first use.

        For the DMs of X's v1.1 payloads (the stream, webhooks), whose v2 form
        costs more to write than a handler reading the text needs.
        """
        event = cls.__new__(cls)
        event.id = id
        event.event_type = event_type
        event._values = {"text": text}
        event._make_data = make_data
        return event

    def __getattr__(self, name: str) -> Any:
        # Called only for what normal lookup did not find: ``data`` not made
        # yet (a deferred event), or a JSON field that has no attribute.
        if name == "data":
            try:  # the slot read directly: an empty one must not come back here
                make_data = _MAKE_DATA.__get__(self, DirectMessageEvent)
            except AttributeError:
                raise AttributeError(name) from None
            self.data = make_data()
            return self.data
        return super().__getattr__(name)  # tweepy's DataMapping: the JSON field

    def __reduce__(self) -> tuple[Any, ...]:
        # tweepy's models cannot be copied or pickled: DataMapping's __getattr__
        # recurses in an instance that has no ``data`` yet. Made again from its
        # data, a copy reads its fields as this event does; only an attribute
        # set to something else (the XChat layer's decrypted sender, say) is
        # carried over.
        data = self.data
        fresh = type(self)(data)
        state = {}
        known = self._values or {}
        for name in _STATE:
            if name in _READERS:
                if name not in known:  # never read: the copy reads it when asked
                    continue
                value = known[name]
            else:
                value = getattr(self, name)
            try:
                same = value == getattr(fresh, name)
            except ValueError:  # malformed in data, so set by hand
                same = False
            if not same:
                state[name] = value
        return type(self), (data,), state or None

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        representation = f"<Direct Message Event id={self.id} event_type={self.event_type}"
        if self.text is not None:
            representation += f" text={self.text!r}"
        return representation + ">"

    def __str__(self) -> str:
        return self.text or self.__repr__()


_new = object.__new__
_CALL = type.__call__


def makes_events(data_type: Any) -> bool:
    """Whether ``make_events`` can make ``data_type``'s events: its class call is
    DirectMessageEvent's own (no ``__init__``, ``__new__`` or metaclass ``__call__`` of a
    subclass's)."""
    return data_type is DirectMessageEvent or (
        isinstance(data_type, type)
        and type(data_type).__call__ is _CALL
        and issubclass(data_type, DirectMessageEvent)
        and data_type.__init__ is DirectMessageEvent.__init__
        and data_type.__new__ is _new
    )


def make_events(cls: type[DirectMessageEvent], page: list[Any]) -> list[DirectMessageEvent]:
    """``[cls(data) for data in page]``, for a ``cls`` that ``makes_events``: the same events,
    made without a call to ``__init__`` each, which cost a tenth of making them.
    """
    events = []
    append = events.append
    try:
        for data in page:
            event = _new(cls)
            # What DirectMessageEvent.__init__ does.
            event.data = data
            event.id = int(data["id"])
            event.event_type = data["event_type"]
            event._values = None
            append(event)
    except Exception:
        pass
    else:
        return events
    # An event without an id, say: __init__ raises the error it always raised.
    return [cls(data) for data in page]


class _PageMixin:
    """tweepy's ``_process_data`` (for both clients), with a page of DM events made by
    ``make_events``."""

    def _process_data(self, data: Any, data_type: Any = None) -> Any:
        if isinstance(data, list) and makes_events(data_type):
            return make_events(data_type, data)
        return super()._process_data(data, data_type=data_type)  # type: ignore[misc]


def _sender_id(data: dict[str, Any]) -> Optional[int]:
    sender_id = data.get("sender_id")
    return int(sender_id) if sender_id is not None else None


def _participant_ids(data: dict[str, Any]) -> Optional[list[int]]:
    participant_ids = data.get("participant_ids")
    if participant_ids is None:
        return None
    return [int(participant_id) for participant_id in participant_ids]


def _created_at(data: dict[str, Any]) -> Optional[datetime.datetime]:
    created_at = data.get("created_at")
    return parse_datetime(created_at) if created_at is not None else None


def _referenced_tweets(data: dict[str, Any]) -> Optional[list[ReferencedTweet]]:
    for key in _facts.REFERENCED_TWEETS_KEYS:
        referenced_tweets = data.get(key)
        if referenced_tweets is not None:
            return [ReferencedTweet(referenced) for referenced in referenced_tweets]
    return None


_MAKE_DATA = DirectMessageEvent._make_data

#: How DirectMessageEvent reads each attribute besides ``id`` and ``event_type``.
_READERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "text": lambda data: data.get("text"),
    "sender_id": _sender_id,
    "participant_ids": _participant_ids,
    "dm_conversation_id": lambda data: data.get("dm_conversation_id"),
    "created_at": _created_at,
    "referenced_tweets": _referenced_tweets,
    "attachments": lambda data: data.get("attachments"),
    "entities": lambda data: data.get("entities"),
    "message_id": lambda data: data.get("message_id"),
}
# What a copy may need besides ``data``: the fields, read or set by hand.
_STATE = ("id", "event_type", *_READERS)


_UNREAD = object()


class _Field:
    """A field of DirectMessageEvent read from ``data`` on first use, then kept.

    An attribute set by hand is kept the same way, and wins over ``data``.
    """

    __slots__ = ("name", "read")

    def __init__(self, name: str, read: Callable[[dict[str, Any]], Any]) -> None:
        self.name = name
        self.read = read

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        values = instance._values
        if values is None:  # the event's first read: every field, at once
            values = instance._values = _read_all(instance.data)
        try:  # a page read whole comes here seven times an event: the lookup that costs least
            return values[self.name]
        except KeyError:  # set by hand before, then deleted; or malformed
            pass
        # Read outside the except clause: a malformed field's error has no KeyError as context.
        value = values[self.name] = self.read(instance.data)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        values = instance._values
        if values is None:
            instance._values = {self.name: value}
        else:
            values[self.name] = value

    def __delete__(self, instance: Any) -> None:
        # Deleted, the field is read from ``data`` again when next asked for.
        values = instance._values
        if values is None or values.pop(self.name, _UNREAD) is _UNREAD:
            raise AttributeError(self.name)


def _read_all(data: dict[str, Any]) -> dict[str, Any]:
    """Every field of an event's ``data`` but a malformed one (which raises when read).

    Read one by one, each field's first read cost a call; the fields of a page
    are nearly always all read, or none.
    """
    get = data.get
    try:
        # The readers of _READERS, inlined: a call each cost a tenth of reading
        # a page whole. They must give what those readers give.
        sender_id = get("sender_id")
        created_at = get("created_at")
        participant_ids = get("participant_ids")
        return {
            "text": get("text"),
            "sender_id": None if sender_id is None else int(sender_id),
            "dm_conversation_id": get("dm_conversation_id"),
            "created_at": None if created_at is None else parse_datetime(created_at),
            "participant_ids": (
                None if participant_ids is None else [int(each) for each in participant_ids]
            ),
            "referenced_tweets": _referenced_tweets(data),
            "attachments": get("attachments"),
            "entities": get("entities"),
            "message_id": get("message_id"),
        }
    except Exception:  # a field malformed: the others read one by one
        pass
    values = {}
    for name, read in _READERS.items():
        try:
            values[name] = read(data)
        except Exception:  # raised again when the field itself is read
            pass
    return values


for _name, _read in _READERS.items():
    setattr(DirectMessageEvent, _name, _Field(_name, _read))
del _name, _read
