"""Encrypted DMs (XChat) with X's SDK, ``chatxdk``: encrypt, sign, verify, decrypt.

:class:`XChat` (for :class:`tweepy_dm.Client`) and :class:`AsyncXChat` (for
:class:`tweepy_dm.AsyncClient`) wrap a ``chat_xdk.Chat`` holding one user's
keys. Every operation is written once, as a flow (:mod:`tweepy_dm._flow`)
that yields the client calls it needs and does the cryptography with the SDK
in between; the two classes only drive those flows, blocking or awaiting.

Needs the ``xchat`` extra (``pip install "tweepy-dm[xchat]"``) on Python 3.10
or newer: chatxdk ships CPython 3.10+ wheels only.

Keys never leave the SDK except as X's public keys: a key blob or PIN is
never logged, kept in an attribute, put in an exception or shown by a repr.

.. versionadded:: 0.2
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import hashlib
import os
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Union

_INSTALL = (
    'tweepy_dm.xchat needs the xchat extra: pip install "tweepy-dm[xchat]" '
    "(X's chatxdk SDK, for CPython 3.10 or newer)"
)
if sys.version_info < (3, 10):
    raise ImportError(f"{_INSTALL}; this is Python {sys.version_info[0]}.{sys.version_info[1]}")
try:
    import chat_xdk
except ImportError as error:
    raise ImportError(f"{_INSTALL}; chatxdk is not installed") from error

import tweepy  # noqa: E402

from tweepy_dm import _chat_ids, _facts, _flow  # noqa: E402 (after the check above)
from tweepy_dm._chat_media import ChatMedia  # noqa: E402
from tweepy_dm._oauth1 import OAUTH1_CREDENTIALS  # noqa: E402

__all__ = [
    "AsyncXChat",
    "ChatAction",
    "ChatMessage",
    "DecryptionError",
    "GroupInfo",
    "GroupInvite",
    "MessageList",
    "MessageRequest",
    "XChat",
]

#: The DER header of a P-256 public key (SubjectPublicKeyInfo), before the raw point.
_SPKI_P256 = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
_PAGE = _facts.MAX_CHAT_RESULTS


class DecryptionError(ValueError):
    """An event that could not be decrypted or verified (tampered, or not for these keys).

    .. versionadded:: 0.2
    """


class ChatAction(NamedTuple):
    """What a reaction or an edit does: :attr:`ChatMessage.action` of such an event.

    .. versionadded:: 0.2
    """

    #: ``reaction``, ``reaction_removed`` or ``edit``.
    kind: str
    #: The sequence id of the message it acts on.
    target_sequence_id: int
    #: The emoji of a reaction.
    emoji: Optional[str] = None
    #: The new text of an edit.
    text: Optional[str] = None


#: chatxdk's ``content_type`` of each action, and its :attr:`ChatAction.kind`.
_ACTIONS = {"Reaction": "reaction", "ReactionRemoved": "reaction_removed", "Edit": "edit"}


class ChatMessage(NamedTuple):
    """A decrypted, verified XChat message.

    .. versionadded:: 0.2
    """

    #: The message's id (made by the sender's SDK and signed).
    id: str
    #: Its sequence id in the conversation (X's metadata), which deletes and read marks name.
    sequence_id: int
    #: The conversation, ``LOW-HIGH`` or ``g…``.
    conversation_id: str
    #: Who sent it.
    sender_id: int
    #: When it was sent, in UTC.
    created_at: Optional[datetime.datetime]
    #: The text.
    text: Optional[str]
    #: Each attachment, with ``media_hash_key``, ``filename``, ``filesize_bytes``, ``type``.
    attachments: list[dict[str, Any]]
    #: The message this one answers, with ``id``, ``sequence_id``, ``sender_id``, ``text``.
    reply_to: Optional[dict[str, Any]]
    #: Whether the sender's signature verified (always true, since unverified ones fail).
    verified: bool
    #: The base64 ``MessageEvent``, to reply to it.
    encoded_event: str
    #: Its lifetime in milliseconds, if the sender made it disappear (``send(..., ttl=...)``).
    ttl_msec: Optional[int] = None
    #: Reactions as :meth:`XChat.get_messages` reads them, each emoji and who reacted with it.
    reactions: Mapping[str, tuple[int, ...]] = MappingProxyType({})
    #: The text as its sender last edited it, if they did (:meth:`XChat.edit`).
    edited_text: Optional[str] = None
    #: For a reaction or an edit, what it does to which message (None for a message).
    action: Optional[ChatAction] = None


class MessageList(list):  # type: ignore[type-arg]
    """The messages of :meth:`XChat.get_messages`, newest first.

    ``failed`` lists ``(id, reason)`` for each event that could not be
    decrypted or verified, or that X sent malformed (``id`` is None when the
    event has no numeric id). A message X sends twice is listed once.
    Reactions and edits are not listed: ``actions`` holds them.

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        messages: Iterable[ChatMessage],
        failed: list[tuple[Optional[int], str]],
        actions: Iterable[ChatMessage] = (),
    ) -> None:
        super().__init__(messages)
        self.failed = failed
        #: The reactions and edits read, newest first, each with its ``action``;
        #: they are folded into the messages' ``reactions`` and ``edited_text``.
        self.actions = list(actions)


class MessageRequest(NamedTuple):
    """A pending message request, its messages decrypted and verified.

    .. versionadded:: 0.2
    """

    #: The one-to-one conversation's id, ``LOW-HIGH``.
    conversation_id: str
    #: Who sent the request.
    sender_id: int
    #: Its messages, newest first (the preview is the first); ``messages.failed``
    #: lists what could not be decrypted.
    messages: MessageList
    #: The inbox X filed it in, ``you_may_know`` or ``low_quality``.
    inbox_type: str
    #: People you follow who follow the sender.
    social_proof_user_ids: list[int]
    #: Whether the sender recently changed name or avatar (a possible impersonation).
    sender_recently_modified_profile: bool

    @property
    def preview(self) -> Optional[ChatMessage]:
        """The newest message, if it could be decrypted."""
        return self.messages[0] if self.messages else None


class GroupInvite(NamedTuple):
    """A group's invite link, as :meth:`XChat.enable_invite` made it or
    :meth:`XChat.get_invite` previews it.

    .. versionadded:: 0.2
    """

    #: The link, ``https://x.com/i/chat/group_join/g…/TOKEN``.
    url: str
    #: The group's ``g…`` id.
    conversation_id: str
    #: The link's 10-character token.
    token: str
    #: When the link stops working, in UTC (None if it never does).
    expires_at: Optional[datetime.datetime]
    #: The title shown with the link, stored UNENCRYPTED by X for anyone with the link.
    title: Optional[str] = None
    #: The welcome message shown with the link (unencrypted too).
    welcome_message: Optional[str] = None
    #: How many members the group has (a preview only).
    member_count: Optional[int] = None
    #: Your relation to the group in a preview, ``member``, ``not_member``,
    #: ``removed`` or ``requested``.
    join_state: Optional[str] = None


class GroupInfo(NamedTuple):
    """A group's name, avatar and description, decrypted with the conversation key.

    .. versionadded:: 0.2
    """

    #: The group's ``g…`` id.
    conversation_id: str
    #: Its name, decrypted (None if it has none).
    name: Optional[str]
    #: Its avatar's URL, decrypted.
    avatar_url: Optional[str]
    #: Its description, decrypted.
    description: Optional[str]
    #: The fields X sent that no key held decrypts (a name set in clear, say).
    failed: tuple[str, ...] = ()


class Api(NamedTuple):
    """Effect: call the client's method ``name`` (the result, awaited if async)."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = {}


def _json(result: Any) -> tuple[Any, dict[str, Any]]:
    """``data`` and ``meta`` of a client's answer, as JSON, whatever its ``return_type``."""
    if isinstance(result, dict):
        return result.get("data"), result.get("meta") or {}
    if hasattr(result, "data") and hasattr(result, "meta"):
        data = result.data
        if isinstance(data, list):
            data = [getattr(item, "data", item) for item in data]
        elif data is not None:
            data = getattr(data, "data", data)
        return data, dict(result.meta or {})
    if hasattr(result, "json") and callable(result.json):
        payload = result.json()
        return payload.get("data"), payload.get("meta") or {}
    raise TypeError(
        "XChat needs a client whose return_type is tweepy.Response or dict, "
        f"not one that returns {type(result).__name__}"
    )


def _status(error: BaseException) -> Optional[int]:
    """The HTTP status of a tweepy error (requests or aiohttp response), if any."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _time(milliseconds: Any) -> Optional[datetime.datetime]:
    if milliseconds is None:
        return None
    return _fromtimestamp(int(milliseconds) / 1000, _UTC)


_fromtimestamp, _UTC = datetime.datetime.fromtimestamp, datetime.timezone.utc


def _event_id(event: Any) -> Optional[int]:
    """An event's numeric ``id`` as X sends it, or None if it has none."""
    value = event.get("id") if isinstance(event, Mapping) else None
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return int(text) if text.isascii() and text.isdigit() else None


#: Thrift binary protocol: the size of each fixed-width type (bool, byte, double, i16, i32, i64).
_THRIFT_FIXED = {2: 1, 3: 1, 4: 8, 6: 2, 8: 4, 10: 8}
_THRIFT_STRING, _THRIFT_STRUCT, _THRIFT_MAP, _THRIFT_SET, _THRIFT_LIST = 11, 12, 13, 14, 15


def _thrift_skip(raw: bytes, position: int, kind: int, depth: int = 0) -> int:
    """The position after one Thrift value of type ``kind`` starting at ``position``."""
    if depth > 32:
        raise ValueError("Thrift structs nested too deep")
    if kind in _THRIFT_FIXED:
        end = position + _THRIFT_FIXED[kind]
    elif kind == _THRIFT_STRING:
        end = position + 4 + int.from_bytes(raw[position : position + 4], "big", signed=True)
        if end < position + 4:
            raise ValueError("negative Thrift string size")
    elif kind == _THRIFT_STRUCT:
        while True:
            if position >= len(raw):
                raise ValueError("the Thrift struct ends early")
            field_kind = raw[position]
            if field_kind == 0:
                return position + 1
            if field_kind == _THRIFT_STRING and depth < 32:  # most fields, checked as below
                start = position + 7
                position = start + int.from_bytes(raw[position + 3 : start], "big", signed=True)
                if position < start:
                    raise ValueError("negative Thrift string size")
                if position > len(raw):
                    raise ValueError("the Thrift struct ends early")
            else:
                position = _thrift_skip(raw, position + 3, field_kind, depth + 1)
    elif kind in (_THRIFT_SET, _THRIFT_LIST):
        element, count = raw[position], int.from_bytes(raw[position + 1 : position + 5], "big")
        end = position + 5
        for _ in range(count):
            end = _thrift_skip(raw, end, element, depth + 1)
    elif kind == _THRIFT_MAP:
        key, value = raw[position], raw[position + 1]
        count = int.from_bytes(raw[position + 2 : position + 6], "big")
        end = position + 6
        for _ in range(count):
            end = _thrift_skip(raw, _thrift_skip(raw, end, key, depth + 1), value, depth + 1)
    else:
        raise ValueError(f"unknown Thrift type {kind}")
    if end > len(raw):
        raise ValueError("the Thrift struct ends early")
    return end


def _envelope(encoded: str) -> dict[int, str]:
    """The top-level string fields of X's ``MessageEvent`` envelope (unsigned metadata).

    Field 1 is the sequence id, 2 the message id, 3 the sender, 4 the conversation
    (colon form), 6 the creation time in ms; reading them decrypts and verifies
    nothing. Raises ValueError for bytes that are not such a struct.
    """
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    except (ValueError, TypeError):
        raise ValueError("the event is not base64") from None
    fields: dict[int, str] = {}
    position = 0
    while True:
        if position >= len(raw):
            raise ValueError("the Thrift struct ends early")
        kind = raw[position]
        if kind == 0:
            return fields
        field = int.from_bytes(raw[position + 1 : position + 3], "big", signed=True)
        if kind == _THRIFT_STRING:  # as _thrift_skip checks one, without the call
            start = position + 7
            end = start + int.from_bytes(raw[position + 3 : start], "big", signed=True)
            if end < start:
                raise ValueError("negative Thrift string size")
            if end > len(raw):
                raise ValueError("the Thrift struct ends early")
            fields[field] = raw[start:end].decode("utf-8", "replace")
        else:
            end = _thrift_skip(raw, position + 3, kind)
        position = end


def _struct_field(raw: bytes, position: int, wanted: int) -> Optional[tuple[int, int, int]]:
    """Field ``wanted`` of the Thrift struct at ``position``: its type, start and end."""
    while position < len(raw):
        kind = raw[position]
        if kind == 0:
            return None
        field = int.from_bytes(raw[position + 1 : position + 3], "big", signed=True)
        end = _thrift_skip(raw, position + 3, kind)
        if field == wanted:
            return kind, position + 3, end
        position = end
    return None


def _key_change_version(encoded: str) -> Optional[str]:
    """The conversation key version a key-change event announces (unsigned metadata).

    ``MessageEvent`` field 7 (the detail) holds the key change as field 3,
    whose field 1 is the version. None for anything else: the caller then
    decrypts and verifies the event, which is what this saves when the
    version is already held.
    """
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
        position = 0
        for field in (7, 3, 1):
            found = _struct_field(raw, position, field)
            if found is None:
                return None
            kind, position, end = found
            if field != 1 and kind != _THRIFT_STRUCT:
                return None
        if kind != _THRIFT_STRING:
            return None
        text = raw[position + 4 : end].decode("ascii")
    except (ValueError, TypeError, IndexError, UnicodeDecodeError):
        return None
    return text if text.isdigit() else None


def _message(event: Mapping[str, Any], encoded: str) -> ChatMessage:
    # Once per message decrypted: the page's and each chat event's cost besides the SDK's.
    get = event.get
    content = get("content") or {}
    attachments = []
    for attachment in content.get("attachments") or ():
        media = attachment.get("media") if isinstance(attachment, dict) else None
        if media:
            attachments.append(
                {
                    "media_hash_key": media.get("media_hash_key"),
                    "filename": media.get("filename"),
                    "filesize_bytes": media.get("filesize_bytes"),
                    "type": media.get("type"),
                }
            )
    preview = content.get("replying_to_preview")
    reply_to = None
    if preview:
        sequence = preview.get("replying_to_message_sequence_id")
        reply_to = {
            "id": preview.get("replying_to_message_id"),
            "sequence_id": int(sequence) if sequence else None,
            "sender_id": int(preview["sender_id"]) if preview.get("sender_id") else None,
            "text": preview.get("message_text"),
            "valid": get("reply_preview_validation") == "Valid",
        }
    created = get("created_at_msec")
    kind = content.get("content_type")
    return ChatMessage(
        id=str(get("id")),
        sequence_id=int(get("sequence_id") or 0),
        conversation_id=_chat_ids.path_id(event["conversation_id"]),
        sender_id=int(event["sender_id"]),
        created_at=None if created is None else _fromtimestamp(int(created) / 1000, _UTC),
        text=content.get("text"),
        attachments=attachments,
        reply_to=reply_to,
        verified=bool(get("verified")),
        encoded_event=encoded,
        ttl_msec=None if get("ttl_msec") is None else _ttl_of(event),
        # A text's kind (a str, not an action's) needs no more look.
        action=None if type(kind) is str and kind not in _ACTIONS else _action(content),
    )


def _action(content: Mapping[str, Any]) -> Optional[ChatAction]:
    kind = _ACTIONS.get(str(content.get("content_type")))
    if kind is None:
        return None
    return ChatAction(
        kind,
        int(content["target_message_id"]),
        content.get("emoji"),
        content.get("new_text"),
    )


def _fold(messages: list[ChatMessage], actions: list[ChatMessage]) -> list[ChatMessage]:
    """``messages`` with the reactions and edits of ``actions`` (both newest first) applied.

    Applied oldest first: a removal undoes that user's earlier reaction with
    that emoji, and the latest edit wins. Only a message's sender edits it:
    an edit signed by anyone else is ignored.
    """
    if not actions:  # nearly every page: nothing to apply, no look per message
        return messages
    reactions: dict[int, dict[str, dict[int, None]]] = {}
    edits: dict[int, str] = {}
    senders = {message.sequence_id: message.sender_id for message in messages}
    for event in reversed(actions):
        action = event.action
        assert action is not None
        target = action.target_sequence_id
        if target not in senders:
            continue
        if action.kind == "edit":
            if event.sender_id == senders[target] and action.text is not None:
                edits[target] = action.text
        elif action.emoji:
            users = reactions.setdefault(target, {}).setdefault(action.emoji, {})
            if action.kind == "reaction":
                users[event.sender_id] = None
            else:
                users.pop(event.sender_id, None)
    folded = []
    for message in messages:
        found = {
            emoji: tuple(users)
            for emoji, users in reactions.get(message.sequence_id, {}).items()
            if users
        }
        if found or message.sequence_id in edits:
            message = message._replace(
                reactions=MappingProxyType(found),
                edited_text=edits.get(message.sequence_id),
            )
        folded.append(message)
    return folded


def _ttl_of(event: Mapping[str, Any]) -> Optional[int]:
    value = event.get("ttl_msec")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _milliseconds(name: str, value: Any) -> int:
    """A lifetime given as ``datetime.timedelta`` or int milliseconds, checked."""
    if isinstance(value, datetime.timedelta):
        value = round(value.total_seconds() * 1000)
    elif isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be a datetime.timedelta or int milliseconds, not {type(value).__name__}"
        )
    if not 1 <= value < 10**19:
        raise ValueError(f"{name} must be at least 1 millisecond (and under 10**19), got {value}")
    return value


# How the SDK's prepared changes become X's request bodies: one place, the emulator's too.
_signature = _facts.chat_action_signature
_key_body = _facts.chat_key_change_body


class _Session:
    """The sans-I/O core: one user's SDK session and what it learned, plus the flows."""

    def __init__(self, key_blob: Any, user_id: Any, key_version: Optional[Any]) -> None:
        self.user_id = _chat_ids.check_user_id(user_id)
        if key_version is not None:
            key_version = _chat_ids.check_user_id(key_version, "key_version")
        self.key_version: Optional[str] = key_version
        self.chat = chat_xdk.Chat()
        if key_blob is not None:
            if not isinstance(key_blob, (bytes, bytearray, memoryview)):
                raise TypeError(
                    f"key_blob must be bytes (from XChat.generate_keys), not "
                    f"{type(key_blob).__name__}"
                )
            try:
                self.chat.import_keys(bytes(key_blob), version=key_version)
            except Exception:
                # The SDK's message could describe the blob: say only what is wrong.
                raise ValueError(
                    "key_blob is not a key blob made by XChat.generate_keys (chatxdk export_keys)"
                ) from None
        self.chat.set_cache_keys(True)
        # Signing keys go to the SDK per call, only the senders' (``signing_keys=``):
        # its stored set (``set_signing_keys``) is re-verified key by key on every
        # decrypt, which made each decrypt cost grow with the number of users met.
        self.signing: dict[str, list[dict[str, str]]] = {}
        self.keys: dict[str, dict[str, bytes]] = {}  # conversation (colon) -> version -> key
        # Key-change events (by digest) already verified and their keys kept: X
        # repeats the conversation's latest one in every chat.received event.
        self.key_changes: set[bytes] = set()
        # Each conversation's key change last found verified, as X sent it: the
        # next chat.received event most likely repeats it, and comparing the
        # strings costs less than hashing one.
        self.last_key_change: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<XChat session user_id={self.user_id} key_version={self.key_version}>"

    # Keys

    def _identify(self, version: str) -> None:
        self.key_version = version
        self.chat.set_identity(self.user_id, version)

    def registration(self) -> dict[str, Any]:
        keys = self.chat.get_public_keys()
        identity = _SPKI_P256 + base64.b64decode(keys.identity)
        signing = _SPKI_P256 + base64.b64decode(keys.signing)
        return {
            "public_key": _b64(identity),
            "signing_public_key": _b64(signing),
            "identity_public_key_signature": _b64(bytes(self.chat.sign(identity))),
            "public_key_fingerprint": self.chat.get_public_key_fingerprint(),
        }

    def register_keys(self, version: Optional[Any] = None) -> _flow.Flow[str]:
        """Register this blob's public keys with X; returns the key version."""
        version = str(version or self.key_version or round(time.time() * 1000))
        answer = yield Api(
            "add_user_public_key",
            (self.user_id,),
            {"public_key": self.registration(), "version": version},
        )
        data, _ = _json(answer)
        self._identify(str((data or {}).get("public_key_version") or version))
        return self.key_version  # type: ignore[return-value]

    def _public_keys(self, user_id: str) -> _flow.Flow[list[dict[str, str]]]:
        """``user_id``'s registered keys, each checked to bind its signing key."""
        found = self.signing.get(user_id)
        if found is not None:
            return found
        answer = yield Api(
            "get_user_public_keys",
            (user_id,),
            {
                "public_key_fields": [
                    "identity_public_key_signature",
                    "public_key",
                    "public_key_version",
                    "signing_public_key",
                ]
            },
        )
        data, _ = _json(answer)
        records = []
        for key in data or []:
            if not self.chat.verify_key_binding(
                key["public_key"], key["signing_public_key"], key["identity_public_key_signature"]
            ):
                raise DecryptionError(
                    f"the public key version {key.get('public_key_version')} of user {user_id} "
                    "is not bound to its signing key: refusing it"
                )
            records.append(
                {
                    "user_id": user_id,
                    "public_key_version": str(key["public_key_version"]),
                    "public_key": key["signing_public_key"],
                    "identity_public_key": key["public_key"],
                    "identity_public_key_signature": key["identity_public_key_signature"],
                }
            )
        if not records:
            raise ValueError(f"user {user_id} has registered no XChat keys")
        self.signing[user_id] = records
        return records

    def _signing_keys(self, user_ids: Iterable[str]) -> list[dict[str, str]]:
        """The known signing keys of ``user_ids`` only, for one SDK call."""
        return [record for user_id in user_ids for record in self.signing.get(user_id, ())]

    def _fetch_keys(self, user_ids: Iterable[str]) -> _flow.Flow[list[dict[str, str]]]:
        """The signing keys of ``user_ids``, fetched (and checked) for those not known yet."""
        user_ids = [user_id for user_id in dict.fromkeys(user_ids) if user_id]
        for user_id in user_ids:
            if user_id not in self.signing:
                yield from self._public_keys(user_id)
        return self._signing_keys(user_ids)

    def _verified_key_changes(self, key_events: Iterable[str], errors: Mapping[str, Any]) -> None:
        for index, key_event in enumerate(key_events):
            if str(index) not in errors:
                self.key_changes.add(_digest(key_event))

    def _roster(self, user_ids: Iterable[str]) -> _flow.Flow[list[dict[str, str]]]:
        roster = []
        for user_id in user_ids:
            latest = (yield from self._public_keys(user_id))[-1]
            roster.append(
                {
                    "user_id": user_id,
                    "public_key": latest["identity_public_key"],
                    "key_version": latest["public_key_version"],
                }
            )
        return roster

    def _ready(self) -> _flow.Flow[None]:
        if self.key_version is None:
            mine = yield from self._public_keys(self.user_id)
            for record in reversed(mine):
                if self.chat.matches_registered_key(record["identity_public_key"]):
                    self._identify(record["public_key_version"])
                    break
            else:
                raise ValueError(
                    f"user {self.user_id} has not registered these keys: call register_keys()"
                )
        elif self.user_id not in self.signing:
            self._identify(self.key_version)
            yield from self._public_keys(self.user_id)

    # Conversations

    def start_conversation(self, user_id: Any) -> _flow.Flow[str]:
        """Make and post the conversation key of the 1:1 with ``user_id``; returns its id."""
        other = _chat_ids.check_user_id(user_id)
        yield from self._ready()
        roster = yield from self._roster([self.user_id, other])
        prepared = self.chat.prepare_conversation_key_change(roster)
        yield Api("add_chat_conversation_keys", (other,), _key_body(prepared))
        self._remember(prepared)
        return _chat_ids.one_to_one(self.user_id, other)

    def _colon(self, conversation_id: Any) -> str:
        """A conversation's id as events name it: ``LOW:HIGH`` (from a user id too) or ``g…``."""
        conversation = _chat_ids.event_id(conversation_id)
        if ":" not in conversation and not conversation.startswith("g"):
            conversation = _chat_ids.event_id(_chat_ids.one_to_one(self.user_id, conversation))
        return conversation

    def _remember(self, prepared: Mapping[str, Any]) -> None:
        conversation = _chat_ids.event_id(prepared["conversation_id"])
        self.keys.setdefault(conversation, {})[str(prepared["conversation_key_version"])] = bytes(
            prepared["conversation_key"]
        )

    def create_group(
        self, user_ids: Iterable[Any], *, name: Optional[str] = None
    ) -> _flow.Flow[str]:
        """Create an encrypted group of you and ``user_ids``; returns its ``g…`` id."""
        others = [_chat_ids.check_user_id(user_id, "user_ids") for user_id in user_ids]
        members = list(dict.fromkeys([self.user_id, *others]))
        if len(members) < 2:
            raise ValueError("user_ids must name at least one other user")
        yield from self._ready()
        roster = yield from self._roster(members)
        answer = yield Api("initialize_chat_group")
        group = _json(answer)[0]["conversation_id"]
        prepared = self.chat.prepare_group_create(
            roster, group, members, [self.user_id], title=name
        )
        body = _key_body(prepared)
        if name is not None:
            # X keeps a group's name encrypted with the conversation key, as update_group does.
            body["group_name"] = self.chat.encrypt(name, bytes(prepared["conversation_key"]))
        yield Api(
            "create_chat_group", (), {"conversation_id": group, "group_members": members, **body}
        )
        self._remember(prepared)
        return group

    def add_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> _flow.Flow[None]:
        """Add ``user_ids`` to a group, rotating its key so that they can read from now on."""
        group = _chat_ids.path_id(conversation_id)
        new = [_chat_ids.check_user_id(user_id, "user_ids") for user_id in user_ids]
        yield from self._ready()
        answer = yield Api(
            "get_chat_conversation", (group,), {"expansions": ["member_ids", "admin_ids"]}
        )
        data, _ = _json(answer)
        members = [str(member) for member in data.get("member_ids") or []]
        admins = [str(admin) for admin in data.get("admin_ids") or []]
        roster = yield from self._roster(list(dict.fromkeys(members + new)))
        prepared = self.chat.prepare_group_members_change(roster, group, new, members, admins, [])
        yield Api("add_chat_group_members", (group,), {"user_ids": new, **_key_body(prepared)})
        self._remember(prepared)

    def _unsigned(self, name: str, *args: Any, **kwargs: Any) -> _flow.Flow[Any]:
        """Call ``name``, one of the actions sent without signatures (see _facts)."""
        if name not in _facts.XCHAT_UNSIGNED_ACTIONS:
            raise AssertionError(f"{name} is not one of XCHAT_UNSIGNED_ACTIONS")
        return (yield Api(name, args, kwargs))

    def _group_roster(self, group: str) -> _flow.Flow[tuple[list[str], list[str]]]:
        """A group's members and admins, as X lists them."""
        answer = yield Api(
            "get_chat_conversation", (group,), {"expansions": ["member_ids", "admin_ids"]}
        )
        data, _ = _json(answer)
        data = data if isinstance(data, Mapping) else {}
        members = [str(member) for member in data.get("member_ids") or []]
        admins = [str(admin) for admin in data.get("admin_ids") or []]
        return members, admins

    def remove_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> _flow.Flow[None]:
        """Remove ``user_ids`` from a group, then rotate its key for the members left.

        The rotation (an assumption: X does not say whether or how removal
        rotates the key) keeps the removed from reading what follows; the
        other members use the new key from their next send. The removal is
        sent without ``action_signatures``, whose format X does not document.
        Only admins may remove others; to remove yourself, use :meth:`leave`.
        """
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        gone = [_chat_ids.check_user_id(user_id, "user_ids") for user_id in user_ids]
        if not gone:
            raise ValueError("user_ids names no user")
        if self.user_id in gone:
            raise ValueError("to remove yourself from a group, call leave()")
        yield from self._ready()
        members, _ = yield from self._group_roster(group)
        yield from self._unsigned("remove_chat_group_members", group, user_ids=gone)
        left = [member for member in members if member not in gone]
        if _facts.XCHAT_ROTATE_KEY_ON_REMOVE and self.user_id in left:
            roster = yield from self._roster(left)
            prepared = self.chat.prepare_conversation_key_change(roster, conversation_id=group)
            yield Api("add_chat_conversation_keys", (group,), _key_body(prepared))
            self._remember(prepared)

    def leave(self, conversation_id: Any) -> _flow.Flow[None]:
        """Leave a group. It stays in your list, with the messages sent while you were in.

        Sent without ``action_signatures`` (X does not document their format).
        """
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        yield from self._unsigned("remove_chat_group_members", group, user_ids=[self.user_id])
        self.keys.pop(group, None)

    def add_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> _flow.Flow[None]:
        """Make members of a group its admins (admins only; sent without signatures)."""
        group, users = self._group_users(conversation_id, user_ids)
        yield from self._unsigned("add_chat_group_admins", group, user_ids=users)

    def remove_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> _flow.Flow[None]:
        """Take admin rights from members of a group; they stay members (sent without
        signatures)."""
        group, users = self._group_users(conversation_id, user_ids)
        yield from self._unsigned("remove_chat_group_admins", group, user_ids=users)

    # Disappearing messages

    def set_message_ttl(
        self, conversation_id: Any, ttl: Union[int, datetime.timedelta]
    ) -> _flow.Flow[None]:
        """Make the conversation's new messages disappear ``ttl`` after they are sent.

        ``ttl`` is a ``datetime.timedelta`` or int milliseconds; it holds for
        every participant, and messages already sent keep their lifetime. Sent
        without ``action_signatures`` (X does not document their format).
        """
        path = _chat_ids.path_id(conversation_id)
        milliseconds = _milliseconds("ttl", ttl)
        yield from self._unsigned(
            "update_chat_conversation_message_ttl", path, message_ttl_ms=str(milliseconds)
        )

    def clear_message_ttl(self, conversation_id: Any) -> _flow.Flow[None]:
        """Stop the conversation's new messages from disappearing (sent without signatures)."""
        path = _chat_ids.path_id(conversation_id)
        yield from self._unsigned("delete_chat_conversation_message_ttl", path)

    # Invite links and join requests

    def enable_invite(
        self,
        conversation_id: Any,
        *,
        expires_in: Optional[Union[int, datetime.timedelta]] = None,
        title: Optional[str] = None,
        welcome_message: Optional[str] = None,
    ) -> _flow.Flow[GroupInvite]:
        """Turn on a group's invite link, made here as X documents it; returns the link.

        The link is ``https://x.com/i/chat/group_join/g…/TOKEN`` with a fresh
        random 10-character token. ``expires_in`` (a ``datetime.timedelta`` or
        int milliseconds) makes it stop working; by default it never does.
        ``title`` and ``welcome_message`` are stored UNENCRYPTED by X and shown
        to anyone who opens the link: pass them only if that is fine. Sent
        without ``action_signatures`` (X does not document their format).
        """
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        kwargs: dict[str, Any] = {}
        if expires_in is not None:
            kwargs["validity_duration_msec"] = _milliseconds("expires_in", expires_in)
        for name, value in (("decrypted_title", title), ("welcome_message", welcome_message)):
            if value is not None:
                if not isinstance(value, str) or not value:
                    raise TypeError(f"{name.replace('decrypted_', '')} must be a non-empty str")
                kwargs[name] = value
        token = "".join(secrets.choice(_facts.XCHAT_INVITE_TOKEN_ALPHABET) for _ in range(10))
        url = _facts.CHAT_INVITE_URL_FORMAT.format(group=group, token=token)
        answer = yield from self._unsigned(
            "enable_chat_group_invite", group, invite_url=url, **kwargs
        )
        data, _ = _json(answer)
        return _invite(data if isinstance(data, Mapping) else {}, url)

    def disable_invite(self, conversation_id: Any) -> _flow.Flow[None]:
        """Turn off a group's invite link: it stops working (sent without signatures)."""
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        yield from self._unsigned("disable_chat_group_invite", group)

    def get_invite(self, invite_url: str) -> _flow.Flow[GroupInvite]:
        """What an invite link leads to: the group, its size and your ``join_state``."""
        group, token = _invite_parts(invite_url)
        answer = yield Api("get_chat_group_invite", (group, token), {})
        data, _ = _json(answer)
        return _invite(data if isinstance(data, Mapping) else {}, invite_url)

    def join(self, invite_url: str) -> _flow.Flow[None]:
        """Ask to join a group by its invite link; an admin lets you in with
        :meth:`add_members` (sent without signatures)."""
        group, token = _invite_parts(invite_url)
        yield from self._unsigned("create_chat_group_join_request", group, token=token)

    def reject_join_requests(
        self, conversation_id: Any, user_ids: Iterable[Any]
    ) -> _flow.Flow[None]:
        """Turn down requests to join a group (admins only; sent without signatures)."""
        group, users = self._group_users(conversation_id, user_ids)
        yield from self._unsigned("reject_chat_group_join_requests", group, user_ids=users)

    # Group name, avatar and description

    def update_group(
        self,
        conversation_id: Any,
        *,
        name: Optional[str] = None,
        avatar_url: Optional[str] = None,
        description: Optional[str] = None,
    ) -> _flow.Flow[None]:
        """Rename a group, or change its avatar or description, encrypted with its key.

        Each value given is encrypted with the conversation's newest key, whose
        version goes with it; X never sees them in clear. Sent without
        ``action_signatures`` (X does not document their format). Read them
        back with :meth:`get_group_info`.
        """
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        values = {"group_name": name, "group_avatar_url": avatar_url}
        values["group_description"] = description
        given = {field: value for field, value in values.items() if value is not None}
        if not given:
            raise ValueError("give one or more of name, avatar_url, description")
        for field, value in given.items():
            if not isinstance(value, str) or not value:
                raise TypeError(f"{field.replace('group_', '')} must be a non-empty str")
        yield from self._ready()
        key, version = yield from self._latest_key(group)
        encrypted = {field: self.chat.encrypt(value, key) for field, value in given.items()}
        yield from self._unsigned(
            "update_chat_group", group, conversation_key_version=version, **encrypted
        )

    def get_group_info(self, conversation_id: Any) -> _flow.Flow[GroupInfo]:
        """A group's name, avatar and description, decrypted with the keys held."""
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        yield from self._ready()
        answer = yield Api(
            "get_chat_conversation",
            (group,),
            {"chat_conversation_fields": list(_facts.CHAT_GROUP_FIELDS)},
        )
        data, _ = _json(answer)
        data = data if isinstance(data, Mapping) else {}
        yield from self._latest_key(group, refresh=False)
        keys = self.keys.get(group, {})
        newest_first = [keys[version] for version in sorted(keys, key=int, reverse=True)]
        values: dict[str, Optional[str]] = {}
        failed = []
        for field in _facts.CHAT_GROUP_FIELDS:
            value = data.get(field)
            values[field] = None
            if not isinstance(value, str) or not value:
                continue
            for key in newest_first:
                with contextlib.suppress(Exception):  # not this key's: try the next
                    values[field] = self.chat.decrypt(value, key)
                    break
            else:
                failed.append(field)
        return GroupInfo(
            group,
            values["group_name"],
            values["group_avatar_url"],
            values["group_description"],
            tuple(failed),
        )

    def _group_users(self, conversation_id: Any, user_ids: Iterable[Any]) -> tuple[str, list[str]]:
        group = _chat_ids.path_id(conversation_id)
        if not group.startswith("g"):
            raise ValueError(f"conversation_id must be a group's g… id, got {group!r}")
        users = [_chat_ids.check_user_id(user_id, "user_ids") for user_id in user_ids]
        if not users:
            raise ValueError("user_ids names no user")
        return group, users

    # Messages

    def _decrypt(  # type: ignore[no-untyped-def]
        self,
        key_events: Any,
        data: Any,
        seen: Optional[set[str]] = None,
        conversation: Optional[str] = None,
    ):
        """Decrypt a page; returns messages and failures. Fetches senders' keys as needed.

        The keys of the page's key changes are held for ``conversation`` (colon
        form), so that the next send there uses the newest.

        A malformed page (events that are not objects or lack ``encoded_event``)
        gives failures, not an exception; a message id in ``seen`` is skipped.
        """
        if seen is None:
            seen = set()
        if not isinstance(key_events, list) or not all(isinstance(k, str) for k in key_events):
            key_events = []  # then every event that needs them fails to decrypt
        if not isinstance(data, list):
            return [], [(None, f"the page's data is {type(data).__name__}, not a list")]
        events, failed = [], []
        for event in data:
            if (type(event) is dict or isinstance(event, Mapping)) and isinstance(
                event.get("encoded_event"), str
            ):
                events.append(event)
            else:
                failed.append((_event_id(event), "malformed event: no encoded_event string"))
        senders = [str(event.get("sender_id") or "") for event in events]
        users = senders + self._senders(key_events)
        signing = yield from self._fetch_keys(users)
        encoded = [event["encoded_event"] for event in events]
        result = self.chat.decrypt_events(list(key_events) + encoded, signing_keys=signing)
        messages = []
        errors = result.get("errors") or {}
        self._verified_key_changes(key_events, errors)
        by_encoded = {item["original_b64"]: item["event"] for item in result.get("messages", [])}
        keys = (result.get("conversation_keys") or {}).get("keys") or {}
        if conversation is not None:
            self._keep(conversation, result)
        offset = len(key_events)
        for index, event in enumerate(events):
            error = errors.get(str(offset + index)) if errors else None
            decrypted = by_encoded.get(event["encoded_event"])
            quoted = _quoted(decrypted)
            if error is None and quoted is not None and quoted not in users:
                # A reply quoting someone not on the page: checked again with their key.
                again = [str(decrypted.get("sender_id") or ""), quoted]
                yield from self._fetch_keys(again)
                try:
                    decrypted = self.chat.decrypt_event(
                        event["encoded_event"],
                        {str(version): bytes(key) for version, key in keys.items()} or None,
                        signing_keys=self._signing_keys(again),
                    )
                except Exception as problem:
                    error = problem
            if error is not None or decrypted is None:
                failed.append((_event_id(event), str(error or "not decrypted")))
            elif decrypted.get("type") == "Message":
                try:
                    message = _message(decrypted, event["encoded_event"])
                except (KeyError, TypeError, ValueError) as problem:
                    failed.append((_event_id(event), f"malformed message: {problem!r}"))
                    continue
                if message.id not in seen:  # X (or a replay) may send one message twice
                    seen.add(message.id)
                    messages.append(message)
        return messages, failed

    def get_messages(
        self, conversation_id: Any, *, limit: Optional[int] = None
    ) -> _flow.Flow[MessageList]:
        """The conversation's messages, decrypted and verified, newest first."""
        path = _chat_ids.path_id(conversation_id)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValueError(f"limit must be a positive int or None, got {limit!r}")
        yield from self._ready()
        messages: list[ChatMessage] = []
        failed: list[tuple[Optional[int], str]] = []
        seen: set[str] = set()
        actions: list[ChatMessage] = []
        token = None
        while limit is None or len(messages) < limit:
            kwargs: dict[str, Any] = {"max_results": _PAGE}
            if token:
                kwargs["pagination_token"] = token
            answer = yield Api("get_chat_conversation_events", (path,), kwargs)
            data, meta = _json(answer)
            meta = meta if isinstance(meta, Mapping) else {}
            page, page_failed = yield from self._decrypt(
                meta.get("conversation_key_events") or [],
                data or [],
                seen,
                self._colon(path),
            )
            messages.extend(message for message in page if message.action is None)
            actions.extend(message for message in page if message.action is not None)
            failed.extend(page_failed)
            token = meta.get("next_token")
            if not token or not data:
                break
        messages = _fold(messages[:limit] if limit else messages, actions)
        return MessageList(messages, failed, actions)

    # Reactions and edits

    def react(self, message: ChatMessage, emoji: str) -> _flow.Flow[ChatMessage]:
        """React to ``message`` with ``emoji``; returns the reaction, decrypted and verified.

        Encrypted and signed by X's SDK (``encrypt_add_reaction``) and sent
        as a message; :meth:`get_messages` folds it into the target's
        ``reactions``.
        """
        return (yield from self._act(message, "encrypt_add_reaction", _emoji(emoji)))

    def remove_reaction(self, message: ChatMessage, emoji: str) -> _flow.Flow[ChatMessage]:
        """Take back your ``emoji`` reaction to ``message`` (``encrypt_remove_reaction``)."""
        return (yield from self._act(message, "encrypt_remove_reaction", _emoji(emoji)))

    def edit(self, message: ChatMessage, text: str) -> _flow.Flow[ChatMessage]:
        """Replace the text of your own ``message`` (``encrypt_edit``); returns the edit.

        :meth:`get_messages` shows the new text as the message's
        ``edited_text``; its ``text`` stays what was first sent.
        """
        if not isinstance(text, str) or not text:
            raise TypeError("text must be a non-empty str")
        if isinstance(message, ChatMessage) and str(message.sender_id) != self.user_id:
            raise ValueError(
                f"only the sender edits a message: this one is {message.sender_id}'s, "
                f"not {self.user_id}'s"
            )
        return (yield from self._act(message, "encrypt_edit", text))

    def _act(self, message: ChatMessage, producer: str, value: str) -> _flow.Flow[ChatMessage]:
        """Send the SDK's ``producer`` action on ``message``; returns it as read back."""
        if not isinstance(message, ChatMessage) or message.action is not None:
            raise TypeError("message must be a ChatMessage (not a reaction or an edit)")
        conversation = _chat_ids.event_id(message.conversation_id)
        yield from self._ready()
        key, version = yield from self._latest_key(conversation)
        payload = getattr(self.chat, producer)(
            message.encoded_event,
            value,
            conversation_key=key,
            conversation_key_version=version,
        )
        answer = yield Api(
            "send_chat_message",
            (message.conversation_id,),
            {
                "message_id": payload.message_id,
                "encoded_message_create_event": payload.encrypted_content,
                "encoded_message_event_signature": payload.encoded_event_signature,
            },
        )
        encoded = _json(answer)[0]["encoded_message_event"]
        return (yield from self._decrypt_one(encoded, conversation, [self.user_id]))

    # Message requests

    def get_message_requests(
        self, *, inbox_type: Optional[str] = None, limit: Optional[int] = None
    ) -> _flow.Flow[list[MessageRequest]]:
        """Your pending message requests in one inbox, their messages decrypted, newest first.

        Pages through every request (X may send an empty page with a next
        one), up to ``limit`` requests. ``inbox_type`` is ``you_may_know``
        (X's default, the Priority tab) or ``low_quality`` (Hidden).
        """
        inbox_type = inbox_type or _facts.CHAT_REQUEST_INBOXES[0]
        if inbox_type not in _facts.CHAT_REQUEST_INBOXES:
            raise ValueError(
                f"inbox_type must be one of {', '.join(_facts.CHAT_REQUEST_INBOXES)}, "
                f"got {inbox_type!r}"
            )
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValueError(f"limit must be a positive int or None, got {limit!r}")
        yield from self._ready()
        requests: list[MessageRequest] = []
        token = None
        while limit is None or len(requests) < limit:
            kwargs: dict[str, Any] = {"inbox_type": inbox_type}
            kwargs["max_results"] = _facts.MAX_CHAT_REQUESTS
            if token:
                kwargs["pagination_token"] = token
            answer = yield Api("get_chat_message_requests", (), kwargs)
            data, meta = _json(answer)
            for item in data if isinstance(data, list) else []:
                if isinstance(item, Mapping):
                    request = yield from self._request(item, inbox_type)
                    requests.append(request)
            token = meta.get("next_token") if isinstance(meta, Mapping) else None
            if not token:
                break
        return requests[:limit] if limit else requests

    def _request(  # type: ignore[no-untyped-def]
        self, item: Mapping[str, Any], inbox_type: str
    ):
        encoded = [event for event in item.get("message_events") or [] if isinstance(event, str)]
        # The events come bare: their senders are read from the envelopes.
        events = [
            {"encoded_event": event, "sender_id": next(iter(self._senders([event])), "")}
            for event in encoded
        ]
        conversation = item.get("conversation_id")
        # The request's keys are kept for its 1:1, so a reply needs no key read (without
        # them it would find none and make the 1:1 a new key).
        messages, failed = yield from self._decrypt(
            item.get("conversation_key_events") or [],
            events,
            None,
            _chat_ids.event_id(conversation) if isinstance(conversation, str) else None,
        )
        return MessageRequest(
            str(item.get("conversation_id")),
            int(item.get("sender_id") or 0),
            MessageList(
                _fold([m for m in messages if m.action is None], [m for m in messages if m.action]),
                failed,
                [message for message in messages if message.action is not None],
            ),
            inbox_type,
            [int(user) for user in item.get("social_proof_user_ids") or []],
            bool(item.get("sender_recently_modified_profile")),
        )

    def accept_message_request(self, conversation_id: Any) -> _flow.Flow[None]:
        """Accept the other user's message request: the 1:1 moves into your inbox.

        Replying does not accept. X answers 404 (``tweepy.NotFound``) when no
        request is pending, right after an accept too.
        """
        yield Api("accept_chat_message_request", (_chat_ids.path_id(conversation_id),), {})

    def _latest_key(
        self, conversation: str, *, refresh: bool = True
    ) -> _flow.Flow[tuple[bytes, str]]:
        """The conversation's newest key and its version.

        With ``refresh`` the conversation's key changes are read again, so a
        key rotated by someone else since (a member removed, say) is used
        rather than the one held; only key changes of versions not held are
        decrypted and verified.
        """
        known = self.keys.get(conversation)
        if refresh or not known:
            try:
                answer = yield Api(
                    "get_chat_conversation_events",
                    (_chat_ids.path_id(conversation),),
                    {"max_results": 1},
                )
            except Exception as error:
                if _status(error) != 404:
                    raise
                answer = {}  # no such conversation yet: no key
            _, meta = _json(answer)
            key_events = meta.get("conversation_key_events") if isinstance(meta, Mapping) else []
            yield from self._learn_keys(conversation, key_events)
            known = self.keys.get(conversation)
        if not known:
            raise LookupError(f"conversation {conversation} has no key yet")
        version = max(known, key=int)
        return known[version], version

    def _learn_keys(self, conversation: str, key_events: Any) -> _flow.Flow[None]:
        """Keep the keys of ``key_events`` not held yet, each verified first."""
        held = self.keys.get(conversation, {})
        new = [
            event
            for event in key_events or []
            if isinstance(event, str)
            and _digest(event) not in self.key_changes
            and _key_change_version(event) not in held
        ]
        if not new:
            return
        signing = yield from self._fetch_keys(self._senders(new))
        result = self.chat.decrypt_events(new, signing_keys=signing)
        self._verified_key_changes(new, result.get("errors") or {})
        self._keep(conversation, result)

    def _keep(self, conversation: str, result: Mapping[str, Any]) -> None:
        """Hold the conversation keys a decrypt found (and verified), beside those held."""
        keys = (result.get("conversation_keys") or {}).get("keys") or {}
        if keys:
            held = self.keys.setdefault(conversation, {})
            held.update({str(version): bytes(key) for version, key in keys.items()})

    def _senders(self, encoded: Iterable[str]) -> list[str]:
        senders = [sender for sender in map(_sender, encoded) if sender is not None]
        return [sender for sender in dict.fromkeys(senders) if sender.isdigit()]

    def send(
        self,
        conversation_id: Any,
        text: str,
        *,
        media: Any = None,
        reply_to: Optional[ChatMessage] = None,
        ttl: Optional[Union[int, datetime.timedelta]] = None,
    ) -> _flow.Flow[ChatMessage]:
        """Encrypt, sign and send ``text`` (and ``media``); returns the sent message.

        ``ttl`` (a ``datetime.timedelta`` or int milliseconds) makes this one
        message disappear that long after it is sent, for everyone; it travels
        with the message (``ttl_msec``), as X's SDK puts it there. The newest
        key held is used (reading the conversation keeps it current); when X
        refuses it as stale because someone rotated the key since, the key
        changes are read and the message is sent once more with the new key.
        """
        if not isinstance(text, str) or not text:
            raise TypeError("text must be a non-empty str")
        if reply_to is not None and not isinstance(reply_to, ChatMessage):
            raise TypeError("reply_to must be a ChatMessage from get_messages or send")
        ttl_msec = None if ttl is None else _milliseconds("ttl", ttl)
        conversation = _chat_ids.event_id(conversation_id)
        yield from self._ready()
        if ":" not in conversation and not conversation.startswith("g"):
            conversation = _chat_ids.event_id(_chat_ids.one_to_one(self.user_id, conversation))
        try:
            key, version = yield from self._latest_key(conversation, refresh=False)
        except LookupError:
            if conversation.startswith("g"):
                raise
            other = next(part for part in conversation.split(":") if part != self.user_id)
            yield from self.start_conversation(other)
            key, version = yield from self._latest_key(conversation)
        try:
            answer, payload, attachments = yield from self._post_message(
                conversation, key, version, text, media, reply_to, ttl_msec
            )
        except Exception as error:
            if _status(error) != _facts.STALE_CONVERSATION_KEY[0]:
                raise
            # Someone rotated the key since it was last read (a member removed, say):
            # read the key changes and send once more, with the newest key.
            key, newer = yield from self._latest_key(conversation)
            if newer == version:
                raise
            answer, payload, attachments = yield from self._post_message(
                conversation, key, newer, text, media, reply_to, ttl_msec
            )
        encoded = _json(answer)[0]["encoded_message_event"]
        sent = self._sent(encoded, conversation, payload.message_id, text, attachments, reply_to)
        if sent is not None:
            return sent._replace(ttl_msec=ttl_msec)
        return (yield from self._decrypt_one(encoded, conversation, [self.user_id]))

    def _post_message(
        self,
        conversation: str,
        key: bytes,
        version: str,
        text: str,
        media: Any,
        reply_to: Optional[ChatMessage],
        ttl_msec: Optional[int],
    ) -> _flow.Flow[tuple[Any, Any, Optional[list[dict[str, Any]]]]]:
        """Encrypt ``text`` (and upload ``media``) with one key and POST it: X's answer,
        the SDK's payload and the attachments."""
        attachments = None
        if media is not None:
            attachments = [(yield from self._upload(conversation, media, key))]
        options: dict[str, Any] = {"conversation_key": key, "conversation_key_version": version}
        if attachments:
            options["attachments"] = attachments
        if ttl_msec is not None:
            options["ttl_msec"] = ttl_msec
        if reply_to is not None:
            payload = self.chat.encrypt_reply(conversation, text, reply_to.encoded_event, **options)
        else:
            payload = self.chat.encrypt_message(conversation, text, **options)
        answer = yield Api(
            "send_chat_message",
            (_chat_ids.path_id(conversation),),
            {
                "message_id": payload.message_id,
                "encoded_message_create_event": payload.encrypted_content,
                "encoded_message_event_signature": payload.encoded_event_signature,
            },
        )
        return answer, payload, attachments

    def _sent(
        self,
        encoded: str,
        conversation: str,
        message_id: str,
        text: str,
        attachments: Optional[list[dict[str, Any]]],
        reply_to: Optional[ChatMessage],
    ) -> Optional[ChatMessage]:
        """The message just sent, from what was encrypted and X's envelope around it.

        Decrypting and verifying one's own message would cost as much as the
        encryption and prove nothing new: the text, attachments and signature
        are ours, and what X adds (the sequence id, the time) is unsigned
        metadata either way. None when the envelope is not the message sent
        (then it is decrypted and verified as any other), and for a message with
        media, whose attachment type the SDK decides (media uploads dwarf a decrypt).
        """
        if attachments or (
            reply_to is not None and reply_to.conversation_id != _chat_ids.path_id(conversation)
        ):
            return None  # a reply elsewhere: the SDK judges its preview (``valid``)
        try:
            fields = _envelope(encoded)
        except ValueError:
            return None
        sequence, created = fields.get(1, ""), fields.get(6)
        if (
            fields.get(2) != message_id
            or fields.get(3) != self.user_id
            or fields.get(4) != conversation
            or not (sequence.isascii() and sequence.isdigit())
            or not (created is None or (created.isascii() and created.isdigit()))
        ):
            return None
        return ChatMessage(
            id=message_id,
            sequence_id=int(sequence),
            conversation_id=_chat_ids.path_id(conversation),
            sender_id=int(self.user_id),
            created_at=_time(created),
            text=text,
            attachments=[],
            reply_to=None
            if reply_to is None
            else {
                "id": reply_to.id,
                "sequence_id": reply_to.sequence_id,
                "sender_id": reply_to.sender_id,
                "text": reply_to.text,
                "valid": True,
            },
            verified=True,
            encoded_event=encoded,
        )

    def _decrypt_one(
        self, encoded: str, conversation: str, senders: list[str]
    ) -> _flow.Flow[ChatMessage]:
        """Decrypt and verify one event with ``senders``' keys.

        The SDK checks a reply's preview with the key of the message it quotes:
        passing every participant's key would cost a key check each on every
        decrypt, so a reply quoting someone else is decrypted once more with
        that one key added.
        """
        event = self._decrypt_event(encoded, conversation, senders)
        quoted = _quoted(event)
        if quoted is not None and quoted not in senders:
            senders = [*senders, quoted]
            yield from self._fetch_keys(senders)
            event = self._decrypt_event(encoded, conversation, senders)
        if event.get("type") != "Message":
            raise DecryptionError(f"the event is a {event.get('type')}, not a message")
        return _message(event, encoded)

    def _decrypt_event(self, encoded: str, conversation: str, users: list[str]) -> Any:
        try:
            return self.chat.decrypt_event(
                encoded,
                self.keys.get(conversation) or None,
                signing_keys=self._signing_keys(users),
            )
        except Exception as error:
            raise DecryptionError(
                f"the event could not be decrypted or verified: {error}"
            ) from None

    def _upload(self, conversation: str, media: Any, key: bytes) -> _flow.Flow[dict[str, Any]]:
        if isinstance(media, (bytes, bytearray, memoryview)):
            content, filename = bytes(media), "media"
        else:
            path = os.fspath(media)
            content = yield _flow.Call(_read, (path,))
            filename = os.path.basename(path)
        ciphertext = self.chat.encrypt_stream(content, key)
        uploaded: ChatMedia = yield Api(
            "upload_chat_media", (ciphertext,), {"conversation_id": conversation}
        )
        try:
            width, height = chat_xdk.detect_image_dimensions(content) or (0, 0)
        except Exception:  # not an image the SDK knows
            width, height = 0, 0
        return {
            "attachment_type": "media",
            "media_hash_key": uploaded.media_hash_key,
            "filesize_bytes": len(content),
            "filename": filename,
            "width": int(width),
            "height": int(height),
        }

    def get_media(self, message: ChatMessage, index: int = 0) -> _flow.Flow[bytes]:
        """The decrypted bytes of a message's attachment."""
        attachment = message.attachments[index]
        conversation = _chat_ids.event_id(message.conversation_id)
        ciphertext = yield Api(
            "get_chat_media", (message.conversation_id, attachment["media_hash_key"])
        )
        yield from self._latest_key(conversation, refresh=False)
        for key in sorted(self.keys.get(conversation, {}).values(), key=len, reverse=True):
            try:
                return bytes(self.chat.decrypt_stream(ciphertext, key))
            except Exception:
                continue
        raise DecryptionError("no conversation key decrypts this media")

    def mark_read(self, conversation_id: Any, sequence_id: Any = None) -> _flow.Flow[None]:
        """Mark the conversation read up to ``sequence_id`` (its newest message by default)."""
        path = _chat_ids.path_id(conversation_id)
        if sequence_id is None:
            answer = yield Api("get_chat_conversation_events", (path,), {"max_results": 1})
            data, _ = _json(answer)
            if not data:
                return
            sequence_id = data[0]["id"]
        yield Api("mark_chat_conversation_read", (path,), {"seen_until_sequence_id": sequence_id})

    def delete(
        self,
        message_ids: Iterable[Any],
        *,
        for_all: bool = False,
        conversation_id: Any = None,
    ) -> _flow.Flow[None]:
        """Delete messages, for yourself or (your own) for everyone.

        ``message_ids`` are :class:`ChatMessage` objects, or their sequence ids
        with ``conversation_id``.
        """
        items = list(message_ids)
        if not items:
            raise ValueError("message_ids names no message")
        conversations = {item.conversation_id for item in items if isinstance(item, ChatMessage)}
        if conversation_id is not None:
            conversations.add(_chat_ids.path_id(conversation_id))
        if len(conversations) != 1:
            raise ValueError(
                "delete messages of one conversation at a time (sequence ids need conversation_id)"
            )
        (conversation,) = conversations
        ids = [
            str(item.sequence_id)
            if isinstance(item, ChatMessage)
            else _chat_ids.check_user_id(item, "message_ids")
            for item in items
        ]
        yield from self._ready()
        action = self.chat.prepare_message_delete(
            _chat_ids.event_id(conversation), ids, bool(for_all)
        )
        kwargs: dict[str, Any] = {
            "sequence_ids": ids,
            "action_signatures": [_signature(action)],
            "delete_message_action": "delete_for_all" if for_all else "delete_for_self",
        }
        keys = [
            attachment["media_hash_key"]
            for item in items
            if isinstance(item, ChatMessage)
            for attachment in item.attachments
        ]
        if for_all and keys:
            kwargs["media_hash_keys"] = keys
        yield Api("delete_chat_messages", (conversation,), kwargs)

    def decrypt_activity(self, event: Any) -> _flow.Flow[ChatMessage]:
        """A ``chat.received`` or ``chat.sent`` event of the Activity API, decrypted."""
        data = getattr(event, "data", event)
        if isinstance(data, Mapping) and "data" in data and "payload" not in data:
            data = data["data"]
        if not isinstance(data, Mapping) or data.get("event_type") not in (
            "chat.received",
            "chat.sent",
        ):
            raise ValueError("decrypt_activity takes a chat.received or chat.sent event")
        payload = data.get("payload") or {}
        encoded = payload.get("encoded_event")
        if not isinstance(encoded, str):
            raise ValueError("the event's payload has no encoded_event")
        yield from self._ready()
        conversation = _chat_ids.event_id(payload["conversation_id"])
        key_change = payload.get("conversation_key_change_event")
        sender = _sender(encoded)  # as _senders([encoded]), without its lists
        senders = [sender] if sender is not None and sender.isdigit() else []
        if senders and sender not in self.signing:
            yield from self._fetch_keys(senders)
        if key_change and key_change != self.last_key_change.get(conversation):
            digest = _digest(key_change)
            if digest not in self.key_changes:
                changers = self._senders([key_change])
                signing = yield from self._fetch_keys(changers)
                try:
                    result = self.chat.decrypt_events([key_change], signing_keys=signing)
                except Exception as error:
                    raise DecryptionError(
                        f"the key change could not be verified: {error}"
                    ) from None
                keys = (result.get("conversation_keys") or {}).get("keys") or {}
                self.keys.setdefault(conversation, {}).update(
                    {str(v): bytes(k) for v, k in keys.items()}
                )
                self._verified_key_changes([key_change], result.get("errors") or {})
            if digest in self.key_changes:
                self.last_key_change[conversation] = key_change
        return (yield from self._decrypt_one(encoded, conversation, senders))


def _emoji(emoji: Any) -> str:
    if not isinstance(emoji, str) or not emoji or len(emoji) > 32:
        raise TypeError(f"emoji must be a non-empty str (one emoji), got {emoji!r}")
    return emoji


def _invite_parts(invite_url: Any) -> tuple[str, str]:
    """The group id and token of an invite link, checked."""
    found = (
        _facts.CHAT_INVITE_URL_PATTERN.fullmatch(invite_url)
        if isinstance(invite_url, str)
        else None
    )
    if found is None:
        raise ValueError(
            "invite_url must be a group invite link, "
            f"{_facts.CHAT_INVITE_URL_FORMAT.format(group='g…', token='TOKEN')} with a "
            f"10-character token, got {invite_url!r}"
        )
    return found.group(1), found.group(2)


def _invite(data: Mapping[str, Any], url: str) -> GroupInvite:
    url = data.get("invite_url") or url
    group, token = _invite_parts(url)
    expires = data.get("expires_at")
    count = data.get("member_count")
    return GroupInvite(
        url=url,
        conversation_id=group,
        token=token,
        expires_at=datetime.datetime.fromisoformat(expires.replace("Z", "+00:00"))
        if isinstance(expires, str)
        else None,
        title=data.get("group_name"),
        welcome_message=data.get("welcome_message"),
        member_count=count if isinstance(count, int) else None,
        join_state=data.get("join_state"),
    )


def _quoted(event: Any) -> Optional[str]:
    """Who sent the message a decrypted reply quotes, when its preview did not verify."""
    # The SDK's events are dicts: the ABC's check runs only for anything else.
    if type(event) is not dict and not isinstance(event, Mapping):
        return None
    if event.get("reply_preview_validation") == "Valid":
        return None
    preview = (event.get("content") or {}).get("replying_to_preview")
    sender = preview.get("sender_id") if isinstance(preview, Mapping) else None
    return str(sender) if sender else None


def _sender(event: str) -> Optional[str]:
    """The sender id field of an encoded event, unchecked (``None`` when absent)."""
    # The field comes after the sequence and message ids, in the first hundred
    # bytes or so: its head is decoded first (a decrypt ran this on the whole
    # event). A head of whole 4-character groups without padding decodes to the
    # first bytes of the whole; when the field does not end inside it, the whole
    # event is decoded, as before.
    head = event[:_SENDER_HEAD]
    if len(head) == _SENDER_HEAD and "=" not in head:
        try:
            found = _sender_in(binascii.a2b_base64(head), complete=False)
        except binascii.Error:
            found = None
        if found is not None:
            return found
    # binascii's decoder is b64decode's without its wrapper (a str of ASCII in, as X sends).
    return _sender_in(binascii.a2b_base64(event + "=" * (-len(event) % 4)), complete=True)


#: How much of an encoded event :func:`_sender` decodes first (whole base64 groups).
_SENDER_HEAD = 256


def _sender_in(raw: bytes, *, complete: bool) -> Optional[str]:
    """The sender id in an event's bytes; None when absent, or cut off if not ``complete``."""
    # MessageEvent field 3 (sender_id) is a Thrift string: type 11, id 3, length, bytes.
    marker = raw.find(b"\x0b\x00\x03")
    if marker < 0 or (not complete and marker + 7 > len(raw)):
        return None
    size = int.from_bytes(raw[marker + 3 : marker + 7], "big")
    if not complete and marker + 7 + size > len(raw):
        return None
    return raw[marker + 7 : marker + 7 + size].decode(errors="replace")


def _digest(event: str) -> bytes:
    return hashlib.sha256(event.encode()).digest()


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def generate_keys() -> bytes:
    """A new key blob: the private identity and signing keys, to store as a secret."""
    chat = chat_xdk.Chat()
    chat.generate_keypairs()
    blob = chat.export_keys()
    try:
        return bytes(blob)
    finally:
        blob[:] = b"\x00" * len(blob)  # the SDK's buffer, not the copy returned
        chat.lock()


#: The flows both classes expose, by name: every public method of :class:`_Session`
#: that returns a flow. scripts/generate_signatures.py declares them for type checkers.
_FLOWS = tuple(
    name
    for name, function in vars(_Session).items()
    if not name.startswith("_")
    and str(getattr(function, "__annotations__", {}).get("return", "")).startswith("_flow.Flow[")
)


def _user_auth(client: Any) -> bool:
    """How the client's ``/2/chat`` calls authenticate, from the credentials it holds.

    Every ``/2/chat`` route takes OAuth 1.0a or OAuth 2.0 user context. With the
    four OAuth 1.0a credentials the calls are signed with them (``user_auth=True``);
    otherwise the bearer token is taken for an OAuth 2.0 user access token, since
    nothing in a token's shape tells it from an app-only one (X refuses the latter
    with a 403, which :func:`_explained` spells out).
    """
    if all(getattr(client, name, None) is not None for name in OAUTH1_CREDENTIALS):
        return True
    if getattr(client, "bearer_token", None) is not None:
        return False
    raise TypeError(
        "XChat needs a client with OAuth 1.0a user credentials (consumer_key, "
        "consumer_secret, access_token, access_token_secret) or an OAuth 2.0 user "
        "access token (bearer_token); this client has neither"
    )


@contextlib.contextmanager
def _explained(user_auth: bool) -> Iterator[None]:
    """Say, on X's 403 to a bearer token, that it must be a user's token, not the app's."""
    try:
        yield
    except tweepy.Forbidden as error:
        if not user_auth and error.args and isinstance(error.args[0], str):
            error.args = (
                f"{error.args[0]}\nXChat authenticated with the client's bearer_token as an "
                "OAuth 2.0 user access token: an app-only bearer token is refused here. Use "
                "the user's OAuth 2.0 token (scopes dm.read, dm.write, tweet.read, "
                "users.read; media.write for media) or the four OAuth 1.0a credentials.",
                *error.args[1:],
            )
        raise


def _perform_sync(client: Any) -> Callable[[Any], Any]:
    def call(name: str, args: Any, kwargs: Any) -> Any:
        user_auth = _user_auth(client)
        with _explained(user_auth):
            return getattr(client, name)(*args, user_auth=user_auth, **kwargs)

    return _flow.dispatch({Api: call, _flow.Call: lambda function, args: function(*args)})


def _perform_async(client: Any) -> Callable[[Any], Any]:
    async def call(name: str, args: Any, kwargs: Any) -> Any:
        user_auth = _user_auth(client)
        with _explained(user_auth):
            return await getattr(client, name)(*args, user_auth=user_auth, **kwargs)

    async def blocking(function: Any, args: Any) -> Any:
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    return _flow.dispatch({Api: call, _flow.Call: blocking})


class _Base:
    def __init__(
        self,
        client: Any,
        *,
        key_blob: Optional[Union[bytes, bytearray]],
        user_id: Union[int, str],
        key_version: Optional[Union[int, str]] = None,
    ) -> None:
        self.client = client
        self._session = _Session(key_blob, user_id, key_version)
        self._performer: Optional[tuple[Any, Callable[[Any], Any]]] = None

    _make_perform: Callable[[Any], Callable[[Any], Any]]  # each class's own

    def _perform(self) -> Callable[[Any], Any]:
        """The effects' performer for ``self.client``: made once, again if the client changes."""
        performer = self._performer
        if performer is None or performer[0] is not self.client:
            performer = self._performer = (self.client, self._make_perform(self.client))
        return performer[1]

    @property
    def user_id(self) -> str:
        """The user whose keys these are."""
        return self._session.user_id

    @property
    def key_version(self) -> Optional[str]:
        """The registered version of the keys, once known."""
        return self._session.key_version

    generate_keys = staticmethod(generate_keys)

    def unlock(self, pin: Union[str, bytes, bytearray]) -> None:
        """Recover the keys from X's Juicebox backup with the user's PIN (network; no blob).

        Passed to ``chat_xdk.Chat.unlock``; the PIN is not kept or logged.
        """
        try:
            self._session.chat.unlock(pin)
        except Exception as error:
            # The SDK's reason (say, Juicebox unreachable) helps; the PIN never appears.
            reason = str(error)
            secret = pin.decode(errors="ignore") if isinstance(pin, (bytes, bytearray)) else pin
            if secret:
                reason = reason.replace(secret, "[PIN]")
            raise RuntimeError(f"unlocking the keys with the PIN failed: {reason}") from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} user_id={self.user_id} key_version={self.key_version}>"


def _sync_method(name: str) -> Callable[..., Any]:
    flow = getattr(_Session, name)

    def method(self: XChat, *args: Any, **kwargs: Any) -> Any:
        return _flow.run_flow(flow(self._session, *args, **kwargs), self._perform())

    method.__name__ = method.__qualname__ = name
    method.__doc__ = flow.__doc__
    return method


def _async_method(name: str) -> Callable[..., Any]:
    flow = getattr(_Session, name)

    async def method(self: AsyncXChat, *args: Any, **kwargs: Any) -> Any:
        session = self._session
        return await _flow.arun_flow(flow(session, *args, **kwargs), self._perform())

    method.__name__ = method.__qualname__ = name
    method.__doc__ = flow.__doc__
    return method


class XChat(_Base):
    """XChat(client, *, key_blob, user_id, key_version=None)

    One user's encrypted DMs through a :class:`tweepy_dm.Client`.

    ``key_blob`` is the user's private keys as :meth:`generate_keys` made them
    (X's documented bot path; keep it like a password). Register it once with
    :meth:`register_keys`. ``key_version`` is the version the keys were
    registered under; found from X if omitted.

    The calls authenticate with what the client holds: its four OAuth 1.0a
    credentials if it has them, else its ``bearer_token``, taken for the
    user's OAuth 2.0 access token (an app-only token cannot be told from one
    by its shape; X refuses it with 403, and the error says so).

    .. versionadded:: 0.2
    """

    _make_perform = staticmethod(_perform_sync)

    if TYPE_CHECKING:  # made from the flows below the class; declared for type checkers
        # Generated from _Session's flows by scripts/generate_signatures.py: do not edit.
        def register_keys(self, version: Optional[Any] = None) -> str: ...
        def start_conversation(self, user_id: Any) -> str: ...
        def create_group(self, user_ids: Iterable[Any], *, name: Optional[str] = None) -> str: ...
        def add_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        def remove_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        def leave(self, conversation_id: Any) -> None: ...
        def add_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        def remove_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        def set_message_ttl(
            self, conversation_id: Any, ttl: Union[int, datetime.timedelta]
        ) -> None: ...
        def clear_message_ttl(self, conversation_id: Any) -> None: ...
        def enable_invite(
            self,
            conversation_id: Any,
            *,
            expires_in: Optional[Union[int, datetime.timedelta]] = None,
            title: Optional[str] = None,
            welcome_message: Optional[str] = None,
        ) -> GroupInvite: ...
        def disable_invite(self, conversation_id: Any) -> None: ...
        def get_invite(self, invite_url: str) -> GroupInvite: ...
        def join(self, invite_url: str) -> None: ...
        def reject_join_requests(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        def update_group(
            self,
            conversation_id: Any,
            *,
            name: Optional[str] = None,
            avatar_url: Optional[str] = None,
            description: Optional[str] = None,
        ) -> None: ...
        def get_group_info(self, conversation_id: Any) -> GroupInfo: ...
        def get_messages(
            self, conversation_id: Any, *, limit: Optional[int] = None
        ) -> MessageList: ...
        def react(self, message: ChatMessage, emoji: str) -> ChatMessage: ...
        def remove_reaction(self, message: ChatMessage, emoji: str) -> ChatMessage: ...
        def edit(self, message: ChatMessage, text: str) -> ChatMessage: ...
        def get_message_requests(
            self, *, inbox_type: Optional[str] = None, limit: Optional[int] = None
        ) -> list[MessageRequest]: ...
        def accept_message_request(self, conversation_id: Any) -> None: ...
        def send(
            self,
            conversation_id: Any,
            text: str,
            *,
            media: Any = None,
            reply_to: Optional[ChatMessage] = None,
            ttl: Optional[Union[int, datetime.timedelta]] = None,
        ) -> ChatMessage: ...
        def get_media(self, message: ChatMessage, index: int = 0) -> bytes: ...
        def mark_read(self, conversation_id: Any, sequence_id: Any = None) -> None: ...
        def delete(
            self, message_ids: Iterable[Any], *, for_all: bool = False, conversation_id: Any = None
        ) -> None: ...
        def decrypt_activity(self, event: Any) -> ChatMessage: ...


class AsyncXChat(_Base):
    """AsyncXChat(client, *, key_blob, user_id, key_version=None)

    :class:`XChat` for a :class:`tweepy_dm.AsyncClient`: every method is a coroutine.

    .. versionadded:: 0.2
    """

    _make_perform = staticmethod(_perform_async)

    if TYPE_CHECKING:  # made from the flows below the class; declared for type checkers
        # Generated from _Session's flows by scripts/generate_signatures.py: do not edit.
        async def register_keys(self, version: Optional[Any] = None) -> str: ...
        async def start_conversation(self, user_id: Any) -> str: ...
        async def create_group(
            self, user_ids: Iterable[Any], *, name: Optional[str] = None
        ) -> str: ...
        async def add_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        async def remove_members(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        async def leave(self, conversation_id: Any) -> None: ...
        async def add_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        async def remove_admins(self, conversation_id: Any, user_ids: Iterable[Any]) -> None: ...
        async def set_message_ttl(
            self, conversation_id: Any, ttl: Union[int, datetime.timedelta]
        ) -> None: ...
        async def clear_message_ttl(self, conversation_id: Any) -> None: ...
        async def enable_invite(
            self,
            conversation_id: Any,
            *,
            expires_in: Optional[Union[int, datetime.timedelta]] = None,
            title: Optional[str] = None,
            welcome_message: Optional[str] = None,
        ) -> GroupInvite: ...
        async def disable_invite(self, conversation_id: Any) -> None: ...
        async def get_invite(self, invite_url: str) -> GroupInvite: ...
        async def join(self, invite_url: str) -> None: ...
        async def reject_join_requests(
            self, conversation_id: Any, user_ids: Iterable[Any]
        ) -> None: ...
        async def update_group(
            self,
            conversation_id: Any,
            *,
            name: Optional[str] = None,
            avatar_url: Optional[str] = None,
            description: Optional[str] = None,
        ) -> None: ...
        async def get_group_info(self, conversation_id: Any) -> GroupInfo: ...
        async def get_messages(
            self, conversation_id: Any, *, limit: Optional[int] = None
        ) -> MessageList: ...
        async def react(self, message: ChatMessage, emoji: str) -> ChatMessage: ...
        async def remove_reaction(self, message: ChatMessage, emoji: str) -> ChatMessage: ...
        async def edit(self, message: ChatMessage, text: str) -> ChatMessage: ...
        async def get_message_requests(
            self, *, inbox_type: Optional[str] = None, limit: Optional[int] = None
        ) -> list[MessageRequest]: ...
        async def accept_message_request(self, conversation_id: Any) -> None: ...
        async def send(
            self,
            conversation_id: Any,
            text: str,
            *,
            media: Any = None,
            reply_to: Optional[ChatMessage] = None,
            ttl: Optional[Union[int, datetime.timedelta]] = None,
        ) -> ChatMessage: ...
        async def get_media(self, message: ChatMessage, index: int = 0) -> bytes: ...
        async def mark_read(self, conversation_id: Any, sequence_id: Any = None) -> None: ...
        async def delete(
            self, message_ids: Iterable[Any], *, for_all: bool = False, conversation_id: Any = None
        ) -> None: ...
        async def decrypt_activity(self, event: Any) -> ChatMessage: ...


for _name in _FLOWS:
    setattr(XChat, _name, _sync_method(_name))
    setattr(AsyncXChat, _name, _async_method(_name))
