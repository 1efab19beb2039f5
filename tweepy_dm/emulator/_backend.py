"""The DM rules: who may read, send, delete, attach and block, and how media ages.

:class:`DMBackend` is the emulator's model of X's DM service, the way a moto
backend models an AWS service: it takes checked values (ints for ids, strings
for texts), applies X's rules to the :class:`~tweepy_dm.emulator._state.EmulatorDB`
and raises a :class:`DMError` when a rule refuses. It knows nothing of HTTP;
the routes parse requests, call it and turn its refusals into X's problem
documents, and the emulator's back doors call it too, so that a test's setup
obeys the same rules as a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from tweepy_dm import _facts
from tweepy_dm._facts import one_to_one_conversation_id
from tweepy_dm.emulator._events import DMSignal, EventBus, MessageStored
from tweepy_dm.emulator._ids import MAX_STORED_ID
from tweepy_dm.emulator._media import is_ready
from tweepy_dm.emulator._state import EmulatorDB, Event, Media, User

NOT_PARTICIPANT = "You are not a participant in this conversation."
#: What a message's text must be (``name`` is the field, ``text`` or ``message.text``).
TEXT_RULE = f"`{{name}}` must be a string of 1 to {_facts.MAX_TEXT_LENGTH} characters"

#: How the legacy DM API behaves: before X's cutover (``on``), after it with the
#: history still readable (``read-only``), or gone (``off``).
LEGACY_DM_MODES = ("on", "read-only", "off")


class DMError(Exception):
    """A request the DM rules refuse.

    ``field`` and ``value`` name the input at fault (as X names the
    parameter), for the error's ``parameters``. A refusal X answers with a
    problem type of its own carries it (``status``, ``title``,
    ``problem_type``), as moto's service exceptions carry theirs: the rules
    never build HTTP answers, the routes render these.
    """

    status: Optional[int] = None
    title = ""
    problem_type = ""

    def __init__(self, message: str, field: str = "", value: object = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = str(value)


class Invalid(DMError):
    """A value no rule can accept: an unknown user, the sender as recipient, bad media."""


class UnknownUser(Invalid):
    """There is no user with that id."""


class NotPermitted(DMError):
    """The caller may not do this: not a participant, blocked, someone else's media."""


class NotMessageable(NotPermitted):
    """The recipient cannot be messaged (a 1:1 block, a closed inbox, a system account).

    Unlike a plain refusal it carries X's own problem type,
    :data:`tweepy_dm._facts.RECIPIENT_NOT_MESSAGEABLE`.
    """

    status = 403
    problem_type = _facts.RECIPIENT_NOT_MESSAGEABLE
    title = _facts.RECIPIENT_NOT_MESSAGEABLE_TITLE


class TooManyConnections(DMError):
    """The app has all the stream connections X allows it (X's 429 on its streams)."""

    status = 429
    title = "ConnectionException"
    problem_type = "https://api.twitter.com/2/problems/streaming-connection"

    def __init__(self) -> None:
        super().__init__("This stream is currently at the maximum allowed connection limit.")


class LegacyDMsEnded(NotPermitted):
    """Legacy DMs are over (X's cutover to XChat): X's assumed 403."""

    def __init__(self, mode: str) -> None:
        super().__init__(_facts.LEGACY_DM_ENDED_DETAIL)
        self.mode = mode


def check_legacy_mode(mode: object) -> str:
    """``mode`` if it is one of :data:`LEGACY_DM_MODES`."""
    if not isinstance(mode, str):
        raise TypeError(f"legacy_dms must be a str, one of {LEGACY_DM_MODES}, not {mode!r}")
    if mode not in LEGACY_DM_MODES:
        raise ValueError(f"legacy_dms must be one of {LEGACY_DM_MODES}, not {mode!r}")
    return mode


class NotFound(DMError):
    """There is no such event or media, or not for this caller."""

    def __init__(self, resource_type: str, field: str, value: object) -> None:
        super().__init__(f"Could not find {resource_type} with {field}: [{value}].", field, value)
        self.resource_type = resource_type


class DMBackend:
    """X's DM rules over a :class:`EmulatorDB`."""

    def __init__(
        self, store: EmulatorDB, legacy_dms: str = "on", bus: Optional[EventBus] = None
    ) -> None:
        self.store = store
        #: One of :data:`LEGACY_DM_MODES`; tests change it to play the day of the cutover.
        self.legacy_dms = check_legacy_mode(legacy_dms)
        #: Where stored messages and read/typing signals are announced.
        self.bus = bus if bus is not None else EventBus()
        #: The server's URL, for media links in announced messages; set once it runs.
        self.base_url = ""

    def _announce(self, event_ids: Iterable[Optional[int]]) -> None:
        if self.legacy_dms != "on" or not self.bus.wants(MessageStored):
            # After the cutover X sends no dm.* event (history seeded in read-only included).
            return
        for event_id in event_ids:
            event = self.store.event(event_id) if event_id is not None else None
            if event is not None and event.event_type == "MessageCreate":
                self.bus.publish(MessageStored(event, self.base_url))

    def now(self) -> float:
        return self.store.clock()

    def require_legacy(self, *, write: bool) -> None:
        """Refuse legacy DM use the mode does not allow: everything when ``off``,
        anything that writes (a send, a group, a delete, a read receipt) when
        ``read-only``."""
        if self.legacy_dms == "off" or (write and self.legacy_dms != "on"):
            raise LegacyDMsEnded(self.legacy_dms)

    # Users

    def user(self, user_id: int) -> Optional[User]:
        return self.store.user(user_id) if 0 <= user_id <= MAX_STORED_ID else None

    def user_by_username(self, username: str) -> Optional[User]:
        return self.store.user_by_username(username)

    def may_message(self, sender: int, recipient: int) -> bool:
        """Whether ``sender`` can DM ``recipient`` (X's ``receives_your_dm``)."""
        return sender != recipient and not self.store.blocks(recipient, sender)

    def _recipient(self, user_id: int, sender: int, field: str) -> User:
        user = self.user(user_id)
        if user is None:
            raise UnknownUser(f"Could not find user with {field}: [{user_id}].", field, user_id)
        if user.id == sender:
            raise Invalid(f"The `{field}` value [{user_id}] is the sender.", field, user_id)
        if self.store.blocks(user.id, sender):
            raise NotPermitted("You cannot send Direct Messages to this user.", field, user_id)
        return user

    def set_block(self, user_id: int, target: int, blocked: bool) -> None:
        user = self.user(target)
        if user is None:
            raise UnknownUser(f"Could not find user with id: [{target}].", "id", target)
        if user.id == user_id:
            raise Invalid(f"The `id` value [{target}] is the caller.", "id", target)
        self.store.set_block(user_id, user.id, blocked)

    # Conversations

    def one_to_one(self, conversation_id: str) -> Optional[tuple[int, int]]:
        """The two user ids of a one-to-one conversation id (either order), or None."""
        match = _facts.ONE_TO_ONE_PATTERN.fullmatch(conversation_id)
        if match is None:
            return None
        low, high = sorted(int(part) for part in match.groups())
        return low, high

    def conversation(self, user_id: int, conversation_id: str) -> str:
        """The canonical id of a conversation the user is in (or may start).

        ``LOW-HIGH`` and ``HIGH-LOW`` name the same one-to-one conversation,
        which belongs to its two users even before its first message; a
        group belongs to its current participants.
        """
        pair = self.one_to_one(conversation_id)
        if pair is not None:
            if user_id not in pair or pair[0] == pair[1]:
                raise NotPermitted(NOT_PARTICIPANT, "dm_conversation_id", conversation_id)
            return one_to_one_conversation_id(*pair)
        if not self.store.is_participant(conversation_id, user_id):
            raise NotPermitted(NOT_PARTICIPANT, "dm_conversation_id", conversation_id)
        return conversation_id

    def conversation_with(self, user_id: int, other: int) -> Optional[str]:
        """The id of the user's one-to-one conversation with ``other``; None if none can be."""
        if other == user_id or self.user(other) is None:
            return None
        return one_to_one_conversation_id(user_id, other)

    def events(
        self,
        viewer: int,
        conversation_id: Optional[str],
        *,
        event_types: Sequence[str],
        older_than: Optional[int],
        newer_than: Optional[int],
        limit: int,
    ) -> list[Event]:
        """A page of events the viewer can see, newest first.

        Without a conversation, every conversation of the viewer's, in X's
        30-day window; a conversation's own history has no window.
        """
        return self.store.list_events(
            viewer,
            conversation_id=conversation_id,
            event_types=event_types,
            since=self.now() - _facts.LOOKBACK_SECONDS if conversation_id is None else None,
            older_than=older_than,
            newer_than=newer_than,
            limit=limit,
        )

    def event(self, viewer: int, event_id: int) -> Event:
        """An event the viewer can see."""
        event = self.store.event(event_id) if event_id <= MAX_STORED_ID else None
        if event is None or self.store.is_hidden(event.id, viewer):
            raise NotFound("DmEvent", "event_id", event_id)
        if not self.store.is_participant(event.conversation_id, viewer):
            raise NotPermitted(NOT_PARTICIPANT, "event_id", event_id)
        return event

    def delete_event(self, viewer: int, event_id: int) -> None:
        self.require_legacy(write=True)
        # X deletes an event for the caller only; the others still see it.
        self.store.hide(self.event(viewer, event_id).id, viewer)

    # Sending

    def check_message(self, text: Optional[str], media_id: Optional[int], prefix: str = "") -> None:
        """X's rules of a message: a text, an attachment or both; a text of 1 to 10,000
        characters of valid Unicode. ``prefix`` names where the message is in the body
        (``message.`` when it starts a group)."""
        name = f"{prefix}text"
        if text is None:
            if media_id is None:
                raise Invalid(f"One of `{name}` or `{prefix}attachments` is required", name, "")
            return
        if not 1 <= len(text) <= _facts.MAX_TEXT_LENGTH:
            raise Invalid(TEXT_RULE.format(name=name), name, text[:100])
        try:
            text.encode()
        except UnicodeEncodeError:
            raise Invalid(
                f"`{name}` is not valid Unicode (it has a lone surrogate)", name, text
            ) from None

    def send_to_user(
        self, sender: int, recipient: int, text: Optional[str], media_id: Optional[int]
    ) -> tuple[str, int]:
        """Send to a user, starting the conversation if need be: (conversation id, event id)."""
        self.require_legacy(write=True)
        self.check_message(text, media_id)
        other = self._recipient(recipient, sender, "participant_id")
        media = self._attachable(sender, media_id)
        conversation_id = self.store.ensure_one_to_one(sender, other.id)
        event_id = self.store.add_message(conversation_id, sender, text, media)
        self._announce([event_id])
        return conversation_id, event_id

    def send_into(
        self, sender: int, conversation_id: str, text: Optional[str], media_id: Optional[int]
    ) -> tuple[str, int]:
        """Send into a conversation by id: (canonical conversation id, event id)."""
        self.require_legacy(write=True)
        self.check_message(text, media_id)
        canonical = self.conversation(sender, conversation_id)
        pair = self.one_to_one(canonical)
        if pair is not None:
            other = pair[1] if pair[0] == sender else pair[0]
            if self.user(other) is None:
                raise NotPermitted(NOT_PARTICIPANT, "dm_conversation_id", conversation_id)
            if self.store.blocks(other, sender):
                raise NotPermitted("You cannot send Direct Messages to this user.")
            media = self._attachable(sender, media_id)
            self.store.ensure_one_to_one(sender, other)
        else:
            media = self._attachable(sender, media_id)
        event_id = self.store.add_message(canonical, sender, text, media)
        self._announce([event_id])
        return canonical, event_id

    def create_group(
        self,
        creator: int,
        members: Sequence[int],
        text: Optional[str] = None,
        media_id: Optional[int] = None,
        *,
        first_message: bool = True,
    ) -> tuple[str, Optional[int]]:
        """A group of the creator and 2 to 49 others, each with a ParticipantsJoin
        event; then the first message. Returns (group id, message event id)."""
        self.require_legacy(write=True)
        if first_message:
            self.check_message(text, media_id, "message.")
        field = "participant_ids"
        low, high = _facts.MIN_GROUP_PARTICIPANTS, _facts.MAX_GROUP_PARTICIPANTS
        if not low <= len(members) <= high or len(set(members)) != len(members):
            raise Invalid(
                f"The `{field}` value must be {low} to {high} distinct users",
                field,
                ",".join(map(str, members)),
            )
        for member in members:
            self._recipient(member, creator, field)
        media = self._attachable(creator, media_id) if first_message else None
        conversation_id = self.store.create_group(creator, list(members))
        if not first_message:
            return conversation_id, None
        event_id = self.store.add_message(conversation_id, creator, text, media)
        self._announce([event_id])
        return conversation_id, event_id

    def leave(self, conversation_id: str, user_id: int) -> int:
        """The user leaves a group; returns the ParticipantsLeave event's id."""
        self.require_legacy(write=True)
        if self.one_to_one(conversation_id) is not None:
            raise Invalid("Only a group can be left", "dm_conversation_id", conversation_id)
        if not self.store.is_participant(conversation_id, user_id):
            raise NotPermitted(f"{user_id} is not in {conversation_id!r}", "user_id", user_id)
        return self.store.leave(conversation_id, user_id)

    def seed_messages(
        self, conversation_id: str, senders: Sequence[int], texts: Iterable[str], times: list[float]
    ) -> list[int]:
        """Messages straight into an existing (or one-to-one) conversation, in one go."""
        # History from before the cutover: allowed while legacy DMs are readable.
        self.require_legacy(write=False)
        pair = self.one_to_one(conversation_id)
        if pair is not None:
            for user_id in pair:
                if self.user(user_id) is None:
                    raise UnknownUser(f"unknown user {user_id}", "user_id", user_id)
            if pair[0] == pair[1]:
                raise Invalid("a conversation needs two users", "dm_conversation_id", pair[0])
            self.store.ensure_one_to_one(*pair)
            conversation_id = one_to_one_conversation_id(*pair)
        elif not self.store.conversation_exists(conversation_id):
            raise Invalid(f"no conversation {conversation_id!r}", "dm_conversation_id", "")
        participants = self.store.participants(conversation_id)
        senders = list(senders) or participants
        for sender in senders:
            if sender not in participants:
                raise NotPermitted(NOT_PARTICIPANT, "sender_id", sender)
        ids = self.store.seed_messages(conversation_id, senders, texts, times)
        self._announce(ids)
        return ids

    # Read receipts and typing (the X Activity API's dm.read and dm.indicate_typing)

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
        self._signal("dm.read", user_id, canonical, extra)

    def typing(self, user_id: int, conversation_id: str) -> None:
        self.require_legacy(write=True)
        self._signal("dm.indicate_typing", user_id, self.conversation(user_id, conversation_id), {})

    def _signal(self, event_type: str, user_id: int, canonical: str, extra: dict) -> None:
        participants = self.store.participants(canonical)
        if user_id not in participants:  # a 1:1 not started yet
            raise NotPermitted(f"{user_id} is not in {canonical!r}", "user_id", user_id)
        self.bus.publish(DMSignal(event_type, user_id, canonical, participants, extra))

    def participants(self, conversation_id: str) -> list[int]:
        return self.store.participants(conversation_id)

    # Media

    def _media(self, media_id: int) -> Optional[Media]:
        return self.store.media(media_id) if media_id <= MAX_STORED_ID else None

    def _attachable(self, owner: int, media_id: Optional[int]) -> Optional[int]:
        if media_id is None:
            return None
        media = self._media(media_id)
        if media is None or media.owner_id != owner:
            # X's own answer for media that is not the sender's.
            raise NotPermitted(
                "You are not permitted to attach this media to a DM event.", "media_id", media_id
            )
        now = self.now()
        if not media.category.startswith("dm_"):
            raise Invalid(
                f"Media [{media_id}] was uploaded as {media.category}; a DM takes dm_* media",
                "media_id",
                media_id,
            )
        if now > media.created_at + _facts.MEDIA_LIFETIME_SECONDS:
            raise Invalid(f"Media [{media_id}] has expired", "media_id", media_id)
        if not is_ready(media, now):
            raise Invalid(f"Media [{media_id}] has not finished processing", "media_id", media_id)
        return media.id

    def check_upload(self, category: str, media_type: Optional[str], total_bytes: int) -> str:
        """An upload's category, media type and size against X's rules; returns its kind."""
        kinds = _facts.MEDIA_CATEGORY_KINDS
        if category not in kinds:
            raise Invalid(
                f"The `media_category` value [{category}] is not one of [{','.join(kinds)}]",
                "media_category",
                category,
            )
        kind = kinds[category]
        if media_type not in _facts.MEDIA_KIND_TYPES[kind]:
            raise Invalid(
                f"The media type [{media_type}] cannot be uploaded as {category}",
                "media_type",
                media_type,
            )
        if total_bytes < 1:
            raise Invalid(
                "The `total_bytes` value must be a positive integer", "total_bytes", total_bytes
            )
        most = _facts.MEDIA_KIND_SIZE_LIMITS[kind]
        if total_bytes > most:
            raise Invalid(
                f"The media is {total_bytes} bytes; {category} takes at most {most}",
                "total_bytes",
                total_bytes,
            )
        return kind

    def upload(self, owner: int, category: str, media_type: Optional[str], data: bytes) -> Media:
        """A one-shot upload; the type is sniffed from the bytes when not given."""
        media_type = media_type or _facts.detect_media_type(data[:16])
        kind = self.check_upload(category, media_type, len(data))
        assert media_type is not None  # check_upload refuses None
        return self.store.create_media(owner, category, media_type, kind, len(data), data, True)

    def initialize(self, owner: int, category: str, media_type: str, total_bytes: int) -> Media:
        kind = self.check_upload(category, media_type, total_bytes)
        return self.store.create_media(owner, category, media_type, kind, total_bytes, None, False)

    def own_media(self, owner: int, media_id: int) -> Media:
        media = self._media(media_id)
        if media is None or media.owner_id != owner:
            raise NotFound("media", "media_id", media_id)
        return media

    def append(self, owner: int, media_id: int, index: int, data: bytes) -> Media:
        media = self.own_media(owner, media_id)
        if media.finalized_at is not None:
            raise Invalid(f"Media [{media_id}] is already finalized", "media_id", media_id)
        if not 0 <= index < _facts.MAX_SEGMENTS:
            raise Invalid(
                f"The `segment_index` value [{index}] is not between 0 and "
                f"{_facts.MAX_SEGMENTS - 1}",
                "segment_index",
                index,
            )
        self.store.append_segment(media.id, index, data)
        if self.store.segments_size(media.id) > media.total_bytes:
            raise Invalid(f"Media [{media_id}] is longer than its total_bytes", "media", "")
        return media

    def finalize(self, owner: int, media_id: int) -> Media:
        media = self.own_media(owner, media_id)
        if media.finalized_at is None:
            size = self.store.segments_size(media.id)
            if size != media.total_bytes:
                raise Invalid(
                    f"Media [{media_id}] has {size} of its {media.total_bytes} bytes",
                    "media_id",
                    media_id,
                )
            media = self.store.finalize_media(media.id)
        return media

    def attached_media(self, viewer: int, event_id: int, media_id: int, resource_id: str) -> Media:
        """Media attached to an event the viewer can see, for its download URL."""
        event = self.event(viewer, event_id)
        media = self._media(event.media_id) if event.media_id is not None else None
        if media is None or media.id != media_id or media.resource_id != resource_id:
            raise NotFound("media", "media_id", media_id)
        return media
