"""XChat, X's end-to-end encrypted DMs, as the emulator keeps them (in memory, thread-safe).

What a server can know and check, and nothing more: ciphertext is opaque.
The registry of public keys checks that each signing key is bound to its
identity key; a message is stored only if its signature verifies against the
sender's registered signing key (ECDSA P-256 over SHA-256, with the
``cryptography`` package); key changes and other signed actions are stored as
the clients made them. Every stored event is X's Thrift ``MessageEvent``
envelope: sequence id, message id, sender, conversation (``LOW:HIGH`` or
``g…``), time, the client's signed detail and signature, and the previous
sequence id.

These envelopes and bodies follow X's OpenAPI spec 2.167 and the chatxdk SDK
(0.5), not recorded traffic: no real XChat exchange has been recorded.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import _thrift
from tweepy_dm.emulator._backend import (
    DMError,
    Invalid,
    NotFound,
    NotMessageable,
    NotPermitted,
)
from tweepy_dm.emulator._events import ChatChanged, EventBus
from tweepy_dm.emulator._ids import MAX_STORED_ID
from tweepy_dm.emulator._state import EmulatorDB

_FIRST_SEQUENCE = 1_900_000_000_000_000_000
_FIRST_GROUP = 1_950_000_000_000_000_000
#: Thrift fields of X's MessageEvent envelope (chat-xdk thrift/event.thrift).
SEQUENCE_ID, MESSAGE_ID, SENDER_ID, CONVERSATION_ID, CREATED_AT = 1, 2, 3, 4, 6
DETAIL, SIGNATURE, PREVIOUS_SEQUENCE_ID, IS_TRUSTED = 7, 9, 10, 11
#: MessageEventDetail union members the emulator tells apart.
DETAIL_MESSAGE_CREATE, DETAIL_KEY_CHANGE = 1, 3
#: MessageCreateEvent fields a signature covers.
CIPHERTEXT, KEY_VERSION = 100, 101
#: A message's own lifetime in ms (chatxdk ``ttl_msec``), an i64 outside the ciphertext.
MESSAGE_TTL = 103

NO_CRYPTOGRAPHY = (
    "The emulator verifies XChat signatures (ECDSA P-256) with the `cryptography` package, "
    "which is not installed; it will not accept unverified messages. Install it: "
    'pip install "tweepy-dm[xchat]" (or pip install cryptography).'
)


class CryptographyMissing(Exception):
    """The ``cryptography`` package is not installed: XChat cannot be checked."""


def _crypto() -> Any:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    except ImportError:
        raise CryptographyMissing(NO_CRYPTOGRAPHY) from None
    return InvalidSignature, hashes, serialization, ec, encode_dss_signature


def require_cryptography() -> None:
    """Raise :class:`CryptographyMissing` unless signatures can be verified."""
    _crypto()


def verify(public_key_b64: str, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` (raw ``r||s``, 64 bytes) signs ``data`` with the SPKI key."""
    invalid, hashes, serialization, ec, encode_dss_signature = _crypto()
    try:
        key = serialization.load_der_public_key(_thrift.unbase64(public_key_b64))
    except (ValueError, _thrift.ThriftError):
        return False
    if not isinstance(key, ec.EllipticCurvePublicKey) or len(signature) != 64:
        return False
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except invalid:
        return False
    return True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class PublicKeyRecord(NamedTuple):
    user_id: int
    public_key: str
    signing_public_key: str
    identity_public_key_signature: str
    version: str

    def data(self, fields: Sequence[str]) -> dict[str, Any]:
        every = {
            "public_key": self.public_key,
            "signing_public_key": self.signing_public_key,
            "identity_public_key_signature": self.identity_public_key_signature,
            "public_key_version": self.version,
            "juicebox_config": {},
        }
        names = fields or ("public_key", "public_key_version", "signing_public_key")
        return {name: every[name] for name in names}


class ChatEvent(NamedTuple):
    sequence_id: int
    conversation_id: str  # LOW:HIGH or g…
    sender_id: int
    message_id: str
    created_at: float
    encoded: str  # the base64 MessageEvent envelope
    kind: str  # "message", "key" or "action"
    previous_id: Optional[int]
    signature: dict[str, str]
    key_version: Optional[str]


class Conversation:
    def __init__(self, conversation_id: str, members: Iterable[int], created_at: float) -> None:
        self.id = conversation_id
        self.members = list(dict.fromkeys(members))
        self.admins: list[int] = []
        self.name: Optional[str] = None
        self.created_at = created_at
        self.updated_at = created_at
        self.events: list[ChatEvent] = []
        self.hidden: dict[int, set[int]] = {}  # user -> sequence ids deleted for self
        self.read: dict[int, int] = {}
        self.ttl_msec: Optional[int] = None
        #: Pending message requests of a 1:1: recipient -> sender. A member with one
        #: sees the conversation among their requests, not in their inbox.
        self.requests: dict[int, int] = {}
        #: Members who have the 1:1 in their inbox (they sent first while allowed,
        #: were allowed, or accepted a request).
        self.accepted: set[int] = set()
        #: Per member, the newest sequence id a request lookup marked delivered.
        self.delivered: dict[int, int] = {}
        #: Members who muted it (mute is the caller's own).
        self.muted: set[int] = set()
        #: Former members of a group, with the last sequence id they may still read:
        #: leaving keeps the conversation for the one who left.
        self.former: dict[int, int] = {}
        #: Sequence id -> when the message expires (disappearing messages).
        self.expires: dict[int, float] = {}
        #: Per member, the newest sequence id when they deleted the conversation.
        self.cleared: dict[int, int] = {}
        #: Which group actions only admins may take (``admin_settings``).
        self.admin_settings: dict[str, bool] = {}
        #: Members who asked to be admins, oldest first.
        self.admin_requests: list[int] = []
        #: A group's avatar and description as the client encrypted them, with the key version.
        self.info: dict[str, str] = {}
        #: The group's invite link (None when disabled) and who asked to join through it.
        self.invite: Optional[dict[str, Any]] = None
        self.pending: list[int] = []
        #: ``blocking`` and ``detection`` of screen captures, for every participant.
        self.screen_capture: dict[str, bool] = {"blocking": False, "detection": False}

    @property
    def is_group(self) -> bool:
        return self.id.startswith("g")

    @property
    def path_id(self) -> str:
        return self.id.replace(":", "-")

    def key_events(self) -> list[ChatEvent]:
        return [event for event in self.events if event.kind == "key"]


class StaleConversationKey(DMError):
    """A message encrypted with a conversation key older than the newest: X's assumed 409."""

    status, problem_type = _facts.STALE_CONVERSATION_KEY
    title = "Stale Conversation Key"


class MediaSession(NamedTuple):
    session_id: int
    conversation_id: str
    owner: int
    media_hash_key: str
    total_bytes: int
    segments: dict[int, bytes]
    done: list[bool]


def one_to_one(user_a: int, user_b: int) -> str:
    return _facts.one_to_one_conversation_id(user_a, user_b, separator=":")


class ChatBackend:
    """The XChat rules: keys, conversations, events, media."""

    def __init__(
        self,
        store: EmulatorDB,
        bus: Optional[EventBus] = None,
        lets_dm: Callable[[int, bool], bool] = lambda user_id, sender_verified: True,
    ) -> None:
        self.store = store
        #: Where stored events are announced (the Activity API hub listens).
        self.bus = bus if bus is not None else EventBus()
        #: Whether a user lets a sender (verified or not) message them: a bot's
        #: ``dm_permission`` (``BotsBackend.lets_dm``); everyone else lets anyone.
        self.lets_dm = lets_dm
        self._lock = threading.RLock()
        self._keys: dict[int, list[PublicKeyRecord]] = {}
        self._conversations: dict[str, Conversation] = {}
        self._reserved_groups: dict[str, int] = {}
        self._sequence = _FIRST_SEQUENCE
        self._next_group = _FIRST_GROUP
        self._media: dict[str, MediaSession] = {}
        self._sessions: dict[int, str] = {}
        self._next_session = _FIRST_SEQUENCE
        self._settings: dict[int, dict[str, Any]] = {}
        self._follows: set[tuple[int, int]] = set()  # (follower, followed)
        self._verified: set[int] = set()
        # Users no one may message: a closed inbox, and system (notification) accounts.
        self._closed: set[int] = set()
        self._system: set[int] = set()

    def now(self) -> float:
        return self.store.clock()

    def _user(self, user_id: int, field: str) -> None:
        if not 0 < user_id <= MAX_STORED_ID or self.store.user(user_id) is None:
            raise NotFound("user", field, user_id)

    # Public keys

    def add_public_key(
        self, caller: int, user_id: int, public_key: dict[str, str], version: str
    ) -> PublicKeyRecord:
        if caller != user_id:
            raise NotPermitted("You may only register public keys for the authenticated user.")
        identity = public_key.get("public_key", "")
        signing = public_key.get("signing_public_key", "")
        binding = public_key.get("identity_public_key_signature", "")
        try:
            bound = verify(signing, _thrift.unbase64(binding), _thrift.unbase64(identity))
        except _thrift.ThriftError:
            bound = False
        if not bound:
            raise Invalid(
                "identity_public_key_signature does not bind the signing key to the identity key",
                "public_key.identity_public_key_signature",
                binding,
            )
        reverse = public_key.get("signing_public_key_signature")
        if reverse is not None:
            try:
                good = verify(identity, _thrift.unbase64(reverse), _thrift.unbase64(signing))
            except _thrift.ThriftError:
                good = False
            if not good:
                raise Invalid(
                    "signing_public_key_signature is not the identity key's signature of the "
                    "signing key",
                    "public_key.signing_public_key_signature",
                    reverse,
                )
        with self._lock:
            existing = self._keys.setdefault(user_id, [])
            if any(record.version == version for record in existing):
                raise Invalid(
                    f"Public key version {version} is registered already.", "version", version
                )
            record = PublicKeyRecord(user_id, identity, signing, binding, version)
            existing.append(record)
            return record

    def public_keys(self, user_id: int) -> list[PublicKeyRecord]:
        with self._lock:
            return list(self._keys.get(user_id, []))

    def user_public_keys(self, user_id: int) -> list[PublicKeyRecord]:
        """One user's keys, as ``GET /2/users/{id}/public_keys``: a 404 for no such user."""
        self._user(user_id, "id")
        return self.public_keys(user_id)

    def all_public_keys(self) -> dict[int, list[PublicKeyRecord]]:
        """Every user's registered keys (for the back door that sends as a user)."""
        with self._lock:
            return {user_id: list(records) for user_id, records in self._keys.items()}

    def _signing_key(self, user_id: int, version: str) -> Optional[str]:
        for record in self.public_keys(user_id):
            if record.version == version:
                return record.signing_public_key
        return None

    # Conversations

    def canonical(self, caller: int, path_id: str) -> str:
        """The conversation a path names, for the caller: ``LOW:HIGH`` or ``g…``."""
        if path_id.startswith("g"):
            return path_id
        if "-" in path_id:
            first, second = (int(part) for part in path_id.split("-"))
            if caller not in (first, second):
                raise NotPermitted("You are not a participant in this conversation.")
        else:
            first, second = caller, int(path_id)
        if first == second:
            raise Invalid("A 1:1 conversation needs two different users.", "id", path_id)
        return one_to_one(first, second)

    def find(self, conversation_id: str) -> Optional[Conversation]:
        """The conversation ``LOW:HIGH`` or ``g…``, whoever asks; None if it has no event yet."""
        with self._lock:
            return self._conversations.get(conversation_id)

    def conversation(self, caller: int, conversation_id: str) -> Conversation:
        """A conversation the caller is in, or left (then read-only)."""
        with self._lock:
            found = self._conversations.get(conversation_id)
        if found is None or (caller not in found.members and caller not in found.former):
            raise NotFound("conversation", "id", conversation_id.replace(":", "-"))
        return found

    def _member_of(self, caller: int, conversation_id: str) -> Conversation:
        """A conversation the caller is still a member of (to write to it)."""
        conversation = self.conversation(caller, conversation_id)
        if caller not in conversation.members:
            raise NotPermitted("You left this conversation.", "id", conversation.path_id)
        return conversation

    def conversations(self, caller: int) -> list[Conversation]:
        """The caller's inbox: their conversations, without pending message requests."""
        with self._lock:
            mine = [
                item
                for item in self._conversations.values()
                if (caller in item.members or caller in item.former)
                and caller not in item.requests
                and self._visible(caller, item)
            ]
        return sorted(mine, key=lambda item: (item.updated_at, item.id), reverse=True)

    def _open_one_to_one(self, caller: int, conversation_id: str) -> Conversation:
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is None:
                members = [int(part) for part in conversation_id.split(":")]
                for member in members:
                    self._user(member, "id")
                found = self._conversations[conversation_id] = Conversation(
                    conversation_id, members, self.now()
                )
            return found

    def _append(
        self,
        conversation: Conversation,
        sender: int,
        message_id: str,
        detail: bytes,
        signature: dict[str, str],
        kind: str,
        key_version: Optional[str] = None,
    ) -> ChatEvent:
        with self._lock:
            self._sequence += 1
            sequence = self._sequence
            created = self.now()
            previous = conversation.events[-1].sequence_id if conversation.events else None
            signature_struct = (
                _thrift.string(1, signature["signature"])
                + _thrift.string(2, signature["public_key_version"])
                + _thrift.string(3, signature["signature_version"])
                + _thrift.STOP
            )
            raw = (
                _thrift.string(SEQUENCE_ID, str(sequence))
                + _thrift.string(MESSAGE_ID, message_id)
                + _thrift.string(SENDER_ID, str(sender))
                + _thrift.string(CONVERSATION_ID, conversation.id)
                + _thrift.string(CREATED_AT, str(round(created * 1000)))
                + _thrift.nested(DETAIL, detail)
                + _thrift.nested(SIGNATURE, signature_struct)
                + (
                    _thrift.string(PREVIOUS_SEQUENCE_ID, str(previous))
                    if previous is not None
                    else b""
                )
                + _thrift.boolean(IS_TRUSTED, True)
                + _thrift.STOP
            )
            event = ChatEvent(
                sequence,
                conversation.id,
                sender,
                message_id,
                created,
                _b64(raw),
                kind,
                previous,
                dict(signature),
                key_version,
            )
            conversation.events.append(event)
            conversation.updated_at = created
        return event

    def _signature(self, raw: dict[str, Any], where: str) -> dict[str, str]:
        signature = raw.get("message_event_signature")
        if not isinstance(signature, dict):
            raise Invalid(f"{where}.message_event_signature must be an object", where, "")
        out = {}
        for name in ("signature", "public_key_version", "signature_version"):
            value = signature.get(name)
            if not isinstance(value, str) or not value:
                raise Invalid(f"{where}.message_event_signature.{name} is required", name, "")
            out[name] = value
        return out

    def _actions(
        self, conversation: Conversation, caller: int, signatures: Any, kind: str
    ) -> list[ChatEvent]:
        events = []
        for index, item in enumerate(signatures or []):
            where = f"action_signatures[{index}]"
            if not isinstance(item, dict):
                raise Invalid(f"{where} must be an object", "action_signatures", "")
            message_id = item.get("message_id")
            if not isinstance(message_id, str) or not message_id:
                raise Invalid(f"{where}.message_id is required", "message_id", "")
            try:
                detail, raw = _thrift.decode(item.get("encoded_message_event_detail"))
            except _thrift.ThriftError as error:
                raise Invalid(
                    f"{where}.encoded_message_event_detail is not a Thrift MessageEventDetail: "
                    f"{error}",
                    "encoded_message_event_detail",
                    "",
                ) from None
            signature = self._signature(item, where)
            if self._signing_key(caller, signature["public_key_version"]) is None:
                raise Invalid(
                    f"{where} is signed with public key version "
                    f"{signature['public_key_version']}, which {caller} has not registered",
                    "public_key_version",
                    signature["public_key_version"],
                )
            key_change = detail.get(DETAIL_KEY_CHANGE)
            event_kind = "key" if isinstance(key_change, dict) else kind
            version = _thrift.text(key_change.get(1)) if isinstance(key_change, dict) else None
            events.append(
                self._append(conversation, caller, message_id, raw, signature, event_kind, version)
            )
        return events

    def _check_participant_keys(self, members: Sequence[int], keys: Any, version: Any) -> None:
        if not isinstance(version, str) or not _facts.NUMERIC_PATTERN.fullmatch(version):
            raise Invalid(
                "conversation_key_version must be a numeric string",
                "conversation_key_version",
                version,
            )
        if not isinstance(keys, list) or not keys:
            raise Invalid(
                "conversation_participant_keys must list a key for every participant",
                "conversation_participant_keys",
                "",
            )
        wrapped = set()
        for item in keys:
            if not isinstance(item, dict):
                raise Invalid(
                    "a participant key must be an object", "conversation_participant_keys", ""
                )
            user = item.get("user_id")
            key_version = item.get("public_key_version")
            if not isinstance(user, str) or not user.isdigit():
                raise Invalid("a participant key needs its user_id", "user_id", user)
            if not isinstance(item.get("encrypted_conversation_key"), str):
                raise Invalid(
                    "a participant key needs its encrypted_conversation_key",
                    "encrypted_conversation_key",
                    "",
                )
            if not any(record.version == key_version for record in self.public_keys(int(user))):
                raise Invalid(
                    f"User {user} has no registered public key version {key_version}",
                    "public_key_version",
                    key_version,
                )
            wrapped.add(int(user))
        missing = sorted(set(members) - wrapped)
        if missing:
            raise Invalid(
                f"conversation_participant_keys lack a key for {missing}",
                "conversation_participant_keys",
                ",".join(map(str, missing)),
            )

    def add_keys(self, caller: int, conversation_id: str, body: dict[str, Any]) -> ChatEvent:
        if conversation_id.startswith("g"):
            conversation = self.conversation(caller, conversation_id)
        else:
            conversation = self._open_one_to_one(caller, conversation_id)
        self._check_participant_keys(
            conversation.members,
            body.get("conversation_participant_keys"),
            body.get("conversation_key_version"),
        )
        events = self._actions(conversation, caller, body.get("action_signatures"), "key")
        keys = [event for event in events if event.kind == "key"]
        if not keys:
            raise Invalid(
                "action_signatures must carry the signed conversation key change",
                "action_signatures",
                "",
            )
        self._notify("key", conversation, keys[-1])
        return keys[-1]

    def reserve_group(self, caller: int) -> str:
        with self._lock:
            self._next_group += 1
            group = f"g{self._next_group}"
            self._reserved_groups[group] = caller
            return group

    def create_group(self, caller: int, body: dict[str, Any]) -> tuple[Conversation, ChatEvent]:
        group = body.get("conversation_id")
        with self._lock:
            if self._reserved_groups.get(group) != caller:  # type: ignore[arg-type]
                raise Invalid(
                    "conversation_id must come from POST /2/chat/conversations/group/initialize "
                    "by the same user, once",
                    "conversation_id",
                    group,
                )
        members = body.get("group_members")
        if not isinstance(members, list) or not all(
            isinstance(item, str) and item.isdigit() for item in members
        ):
            raise Invalid("group_members must list user ids", "group_members", "")
        member_ids = [int(item) for item in members]
        if caller not in member_ids:
            member_ids.insert(0, caller)
        for member in member_ids:
            self._user(member, "group_members")
        self._check_participant_keys(
            member_ids,
            body.get("conversation_participant_keys"),
            body.get("conversation_key_version"),
        )
        conversation = Conversation(str(group), member_ids, self.now())
        admins = body.get("group_admins")
        conversation.admins = (
            [int(item) for item in admins if isinstance(item, str) and item.isdigit()]
            if isinstance(admins, list)
            else [caller]
        ) or [caller]
        name = body.get("group_name")
        conversation.name = name if isinstance(name, str) else None
        with self._lock:
            del self._reserved_groups[str(group)]
            self._conversations[conversation.id] = conversation
        events = self._actions(conversation, caller, body.get("action_signatures"), "action")
        keys = [event for event in events if event.kind == "key"]
        if not keys:
            with self._lock:
                del self._conversations[conversation.id]
            raise Invalid(
                "action_signatures must carry the signed conversation key change",
                "action_signatures",
                "",
            )
        self._notify("join", conversation, keys[-1], [m for m in member_ids if m != caller])
        return conversation, keys[-1]

    def add_members(self, caller: int, group: str, body: dict[str, Any]) -> Conversation:
        conversation = self.conversation(caller, group)
        if not conversation.is_group:
            raise Invalid("Members can only be added to a group.", "id", group)
        self._admin_only(caller, conversation, "add_member", "add members", default=True)
        user_ids = body.get("user_ids")
        if not isinstance(user_ids, list) or not user_ids:
            raise Invalid("user_ids must list the users to add", "user_ids", "")
        added = []
        for item in user_ids:
            if not isinstance(item, str) or not item.isdigit():
                raise Invalid("user_ids must hold user ids", "user_ids", item)
            self._user(int(item), "user_ids")
            if int(item) not in conversation.members:
                added.append(int(item))
        members = conversation.members + added
        if "conversation_participant_keys" in body or "conversation_key_version" in body:
            self._check_participant_keys(
                members,
                body.get("conversation_participant_keys"),
                body.get("conversation_key_version"),
            )
        with self._lock:
            conversation.members = members
            # Adding a user approves their join request (X has no approve endpoint).
            conversation.pending = [user for user in conversation.pending if user not in added]
            for user in added:
                conversation.former.pop(user, None)
        events = self._actions(conversation, caller, body.get("action_signatures"), "action")
        keys = [event for event in events if event.kind == "key"]
        if keys:
            self._notify("join", conversation, keys[-1], added)
        return conversation

    # Messages

    def send(self, caller: int, conversation_id: str, body: dict[str, Any]) -> ChatEvent:
        if conversation_id.startswith("g"):
            conversation = self._member_of(caller, conversation_id)
            self._admin_only(caller, conversation, "send_message", "send messages")
        else:
            conversation = self._open_one_to_one(caller, conversation_id)
            self._check_messageable(caller, conversation)
        if not conversation.key_events():
            raise Invalid(
                "The conversation has no conversation key yet: POST "
                "/2/chat/conversations/{id}/keys first",
                "id",
                conversation.path_id,
            )
        message_id = body.get("message_id")
        if not isinstance(message_id, str) or not message_id:
            raise Invalid("message_id is required", "message_id", "")
        try:
            create, create_raw = _thrift.decode(body.get("encoded_message_create_event"))
            signature, signature_raw = _thrift.decode(body.get("encoded_message_event_signature"))
        except _thrift.ThriftError as error:
            raise Invalid(
                f"encoded_message_create_event and encoded_message_event_signature must be "
                f"base64 Thrift structs: {error}",
                "encoded_message_create_event",
                "",
            ) from None
        ciphertext = create.get(CIPHERTEXT)
        key_version = _thrift.text(create.get(KEY_VERSION))
        signature_bytes = signature.get(1)
        version = _thrift.text(signature.get(2))
        if not isinstance(ciphertext, bytes) or not key_version or not signature_bytes:
            raise Invalid(
                "The MessageCreateEvent lacks its ciphertext or key version, or the signature "
                "is empty",
                "encoded_message_create_event",
                "",
            )
        # The newest key is the highest version, as the clients choose it.
        versions = [event.key_version for event in conversation.key_events()]
        newest = max((v for v in versions if v and v.isdigit()), key=int, default=None)
        if newest is not None and key_version != newest:
            raise StaleConversationKey(
                f"The message is encrypted with conversation key version {key_version}, but "
                f"the conversation's key is now version {newest}: read the conversation's key "
                "changes (GET /2/chat/conversations/{id}/events) and encrypt again"
            )
        payload = ",".join(
            (
                _facts.MESSAGE_SIGNATURE_PREFIX,
                message_id,
                str(caller),
                conversation.id,
                key_version,
                _b64(ciphertext).rstrip("="),
            )
        ).encode()
        signing_key = self._signing_key(caller, version)
        try:
            raw_signature = _thrift.unbase64(_thrift.text(signature_bytes))
        except _thrift.ThriftError:
            raw_signature = b""
        if signing_key is None or not verify(signing_key, raw_signature, payload):
            raise NotPermitted(
                "SIGNATURE_FAILED_TO_VERIFY_AGAINST_PUBLIC_KEY: the message signature does not "
                f"verify against the registered signing key version {version or '?'} of {caller}"
            )
        fields = {
            "signature": _thrift.text(signature_bytes),
            "public_key_version": version,
            "signature_version": _thrift.text(signature.get(3)),
        }
        del signature_raw
        detail = _thrift.nested(DETAIL_MESSAGE_CREATE, create_raw) + _thrift.STOP
        event = self._append(
            conversation, caller, message_id, detail, fields, "message", key_version
        )
        if not conversation.is_group:
            self._file_request(caller, conversation)
        # The sender's own lifetime (MessageCreateEvent field 103, in clear) or the
        # conversation's, whichever ends first.
        lifetimes = [conversation.ttl_msec, create.get(MESSAGE_TTL)]
        lifetimes = [ttl for ttl in lifetimes if type(ttl) is int and ttl > 0]
        if lifetimes:
            with self._lock:
                conversation.expires[event.sequence_id] = event.created_at + min(lifetimes) / 1000
        self._notify("message", conversation, event)
        return event

    def events(
        self, caller: int, conversation_id: str, older_than: Optional[int], limit: int
    ) -> tuple[Conversation, list[ChatEvent], bool]:
        conversation = self.conversation(caller, conversation_id)
        now = self.now()
        with self._lock:
            visible = page(conversation, caller, older_than, limit + 1, now)
        return conversation, visible[:limit], len(visible) > limit

    def delete(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        conversation = self.conversation(caller, conversation_id)
        action = body.get("delete_message_action")
        if action not in _facts.CHAT_DELETE_ACTIONS:
            raise Invalid(
                f"delete_message_action must be one of {', '.join(_facts.CHAT_DELETE_ACTIONS)}",
                "delete_message_action",
                action,
            )
        ids = body.get("sequence_ids")
        if (
            not isinstance(ids, list)
            or not ids
            or not all(isinstance(item, str) and item.isdigit() for item in ids)
        ):
            raise Invalid("sequence_ids must list sequence ids", "sequence_ids", "")
        wanted = {int(item) for item in ids}
        with self._lock:
            found = {e.sequence_id: e for e in conversation.events if e.sequence_id in wanted}
        missing = sorted(wanted - set(found))
        if missing:
            raise NotFound("message", "sequence_ids", missing[0])
        if not body.get("action_signatures"):
            raise Invalid("action_signatures are required", "action_signatures", "")
        if action == "delete_for_self":
            with self._lock:
                conversation.hidden.setdefault(caller, set()).update(wanted)
            return
        admin = conversation.is_group and caller in conversation.admins
        if not admin and any(event.sender_id != caller for event in found.values()):
            raise NotPermitted(
                "delete_for_all removes only your own messages (any message in a group you "
                "administer)."
            )
        with self._lock:
            conversation.events = [e for e in conversation.events if e.sequence_id not in wanted]
        self._actions(conversation, caller, body.get("action_signatures"), "action")
        for key in body.get("media_hash_keys") or []:
            with self._lock:
                self._media.pop(str(key), None)

    def mark_read(self, caller: int, conversation_id: str, sequence_id: Any) -> None:
        conversation = self.conversation(caller, conversation_id)
        if not isinstance(sequence_id, str) or not sequence_id.isdigit():
            raise Invalid(
                "seen_until_sequence_id must be a sequence id",
                "seen_until_sequence_id",
                sequence_id,
            )
        with self._lock:
            if not any(event.sequence_id == int(sequence_id) for event in conversation.events):
                raise NotFound("message", "seen_until_sequence_id", sequence_id)
            conversation.read[caller] = max(conversation.read.get(caller, 0), int(sequence_id))

    def typing(self, caller: int, conversation_id: str) -> None:
        self.conversation(caller, conversation_id)

    # Media

    def initialize_media(self, caller: int, conversation_id: str, total_bytes: int) -> MediaSession:
        conversation = self.conversation(caller, conversation_id)
        with self._lock:
            self._next_session += 1
            session_id = self._next_session
            key = hashlib.sha256(f"{session_id}:{self.now()}".encode()).hexdigest()[:32]
            session = MediaSession(
                session_id, conversation.id, caller, key, total_bytes, {}, [False]
            )
            self._media[key] = session
            self._sessions[session_id] = key
        return session

    def _session(self, caller: int, session_id: int, media_hash_key: Any) -> MediaSession:
        with self._lock:
            key = self._sessions.get(session_id)
            session = self._media.get(key) if key is not None else None
        if session is None or session.owner != caller:
            raise NotFound("media upload session", "id", session_id)
        if media_hash_key != session.media_hash_key:
            raise Invalid(
                "media_hash_key is not the one initialize returned",
                "media_hash_key",
                media_hash_key,
            )
        if session.done[0]:
            raise Invalid("The upload session is finalized already.", "id", session_id)
        return session

    def append_media(
        self, caller: int, session_id: int, media_hash_key: Any, index: int, data: bytes
    ) -> MediaSession:
        session = self._session(caller, session_id, media_hash_key)
        if not 0 <= index < _facts.MAX_CHAT_SEGMENTS:
            raise Invalid(
                f"segment_index must be 0 to {_facts.MAX_CHAT_SEGMENTS - 1}", "segment_index", index
            )
        with self._lock:
            session.segments[index] = data
            if sum(len(part) for part in session.segments.values()) > session.total_bytes:
                raise Invalid(
                    f"The segments hold more than the {session.total_bytes} bytes initialized",
                    "media",
                    "",
                )
        return session

    def finalize_media(
        self, caller: int, session_id: int, media_hash_key: Any, num_parts: Any
    ) -> MediaSession:
        session = self._session(caller, session_id, media_hash_key)
        with self._lock:
            parts = sorted(session.segments)
            size = sum(len(part) for part in session.segments.values())
            if str(len(parts)) != str(num_parts) or parts != list(range(len(parts))):
                raise Invalid(
                    f"num_parts is {num_parts} but segments {parts} were appended",
                    "num_parts",
                    num_parts,
                )
            if size != session.total_bytes:
                raise Invalid(
                    f"{size} bytes were appended, not the {session.total_bytes} initialized",
                    "total_bytes",
                    session.total_bytes,
                )
            session.done[0] = True
        return session

    def media(self, caller: int, conversation_id: str, media_hash_key: str) -> bytes:
        conversation = self.conversation(caller, conversation_id)
        with self._lock:
            session = self._media.get(media_hash_key)
        if session is None or session.conversation_id != conversation.id or not session.done[0]:
            raise NotFound("media", "media_hash_key", media_hash_key)
        return b"".join(session.segments[index] for index in sorted(session.segments))

    # Managing a conversation: mute, disappearing messages, delete, leave

    def set_muted(self, caller: int, conversation_id: str, muted: bool) -> bool:
        """Mute or unmute for the caller only; returns the state after the call."""
        conversation = self.conversation(caller, conversation_id)
        with self._lock:
            (conversation.muted.add if muted else conversation.muted.discard)(caller)
        return muted

    def set_ttl(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        """Turn disappearing messages on (``message_ttl_ms``) or off (``None``): new messages
        expire for every participant; those already sent keep their lifetime."""
        conversation = self._member_of(caller, conversation_id)
        ttl = None
        if body is not None:
            value = body.get("message_ttl_ms")
            if not isinstance(value, str) or not _facts.CHAT_TTL_PATTERN.fullmatch(value):
                raise Invalid(
                    "message_ttl_ms must be a string of 1 to 19 digits (milliseconds)",
                    "message_ttl_ms",
                    value if value is not None else "",
                )
            ttl = int(value)
            if ttl < 1:
                raise Invalid("message_ttl_ms must be at least 1", "message_ttl_ms", value)
        if (
            conversation.is_group
            and conversation.admin_settings.get("edit_message_ttl")
            and caller not in conversation.admins
        ):
            raise NotPermitted("Only the group's admins may change disappearing messages.")
        with self._lock:
            conversation.ttl_msec = ttl
            conversation.updated_at = self.now()

    def _visible(self, caller: int, conversation: Conversation) -> bool:
        # Deleted for the caller: gone from their list until a message they can see arrives.
        hidden = conversation.hidden.get(caller, set())
        cleared = conversation.cleared.get(caller)
        if cleared is None:
            return True
        return any(
            event.sequence_id > cleared and event.sequence_id not in hidden
            for event in conversation.events
            if event.kind == "message"
        )

    def delete_conversation(self, caller: int, conversation_id: str) -> None:
        """Remove the conversation for the caller only; the others keep it."""
        conversation = self.conversation(caller, conversation_id)
        with self._lock:
            hidden = conversation.hidden.setdefault(caller, set())
            hidden.update(event.sequence_id for event in conversation.events if event.kind != "key")
            conversation.cleared[caller] = (
                conversation.events[-1].sequence_id if conversation.events else 0
            )
            conversation.requests.pop(caller, None)

    def remove_members(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        """Remove members from a group; removing yourself is leaving. Only admins remove
        others (X does not say; our assumption, as for adding)."""
        conversation = self._member_of(caller, conversation_id)
        if not conversation.is_group:
            raise Invalid("Members can only be removed from a group.", "id", conversation.path_id)
        user_ids = body.get("user_ids")
        if not isinstance(user_ids, list) or not user_ids:
            raise Invalid("user_ids must list the users to remove", "user_ids", "")
        removed = []
        for item in user_ids:
            if not isinstance(item, str) or not item.isdigit() or len(item) > 19:
                raise Invalid("user_ids must hold user ids", "user_ids", str(item)[:40])
            if int(item) not in conversation.members:
                raise NotFound("member", "user_ids", item)
            removed.append(int(item))
        if removed != [caller] and conversation.admins and caller not in conversation.admins:
            raise NotPermitted("Only the group's admins may remove other members.")
        with self._lock:
            last = conversation.events[-1].sequence_id if conversation.events else 0
            for user in dict.fromkeys(removed):
                conversation.members.remove(user)
                if user in conversation.admins:
                    conversation.admins.remove(user)
                conversation.former[user] = last
            conversation.updated_at = self.now()

    # Group administration

    def _admin_only(
        self,
        caller: int,
        conversation: Conversation,
        setting: str,
        what: str,
        default: bool = False,
    ) -> None:
        """Refuse a non-admin when the group's ``admin_settings`` keep ``setting`` to admins."""
        if (
            conversation.admins
            and caller not in conversation.admins
            and conversation.admin_settings.get(setting, default)
        ):
            raise NotPermitted(f"Only the group's admins may {what}.")

    def _group(self, caller: int, conversation_id: str, *, admin: bool) -> Conversation:
        conversation = self._member_of(caller, conversation_id)
        if not conversation.is_group:
            raise Invalid("This is for groups only.", "id", conversation.path_id)
        if admin and caller not in conversation.admins:
            raise NotPermitted("Only the group's admins may do this.")
        return conversation

    def _members(self, conversation: Conversation, body: dict[str, Any]) -> list[int]:
        user_ids = body.get("user_ids")
        if not isinstance(user_ids, list) or not user_ids:
            raise Invalid("user_ids must list one or more user ids", "user_ids", "")
        users = []
        for item in user_ids:
            if not isinstance(item, str) or not _facts.NUMERIC_PATTERN.fullmatch(item):
                raise Invalid("user_ids must hold user ids", "user_ids", str(item)[:40])
            if int(item) not in conversation.members:
                raise NotFound("member", "user_ids", item)
            users.append(int(item))
        return list(dict.fromkeys(users))

    def add_admins(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        conversation = self._group(caller, conversation_id, admin=True)
        with self._lock:
            for user in self._members(conversation, body):
                if user not in conversation.admins:
                    conversation.admins.append(user)
                if user in conversation.admin_requests:
                    conversation.admin_requests.remove(user)

    def remove_admins(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        """Removed admins stay members."""
        conversation = self._group(caller, conversation_id, admin=True)
        with self._lock:
            for user in self._members(conversation, body):
                if user in conversation.admins:
                    conversation.admins.remove(user)

    def request_admin(self, caller: int, conversation_id: str) -> None:
        conversation = self._group(caller, conversation_id, admin=False)
        with self._lock:
            if caller not in conversation.admins and caller not in conversation.admin_requests:
                conversation.admin_requests.append(caller)

    def admin_requests(self, caller: int, conversation_id: str) -> list[int]:
        return list(self._group(caller, conversation_id, admin=True).admin_requests)

    def answer_admin_request(
        self, caller: int, conversation_id: str, user_id: int, approve: bool
    ) -> None:
        conversation = self._group(caller, conversation_id, admin=True)
        with self._lock:
            if user_id not in conversation.admin_requests:
                raise NotFound("admin request", "user_id", user_id)
            conversation.admin_requests.remove(user_id)
            if approve and user_id in conversation.members:
                conversation.admins.append(user_id)

    def update_admin_settings(self, caller: int, conversation_id: str, body: Any) -> None:
        """Apply the settings given; those left out keep their stored values."""
        conversation = self._group(caller, conversation_id, admin=True)
        names = _facts.CHAT_ADMIN_SETTINGS
        given = {key: value for key, value in body.items() if key != "action_signatures"}
        changes = _bools("body", given, names)
        if not changes:
            raise Invalid(f"Set one or more of {', '.join(names)}", "body", "")
        with self._lock:
            conversation.admin_settings.update(changes)

    def update_screen_capture(
        self, caller: int, conversation_id: str, body: dict[str, Any]
    ) -> dict[str, bool]:
        """Blocking *or* detection, for every participant; in a group, admins only."""
        conversation = self._member_of(caller, conversation_id)
        allowed = ("blocking", "detection")
        signatures = ("blocking_action_signatures", "detection_action_signatures")
        given = {key: value for key, value in body.items() if key not in signatures}
        changes = _bools("body", given, allowed)
        if len(changes) != 1:
            raise Invalid("Set exactly one of blocking or detection per request", "body", "")
        if conversation.is_group and caller not in conversation.admins:
            raise NotPermitted("Only the group's admins may change screen capture settings.")
        with self._lock:
            conversation.screen_capture.update(changes)
        return changes

    def update_group(
        self, caller: int, conversation_id: str, body: dict[str, Any]
    ) -> Optional[ChatEvent]:
        """Rename a group or change its avatar or description (values encrypted by the
        client); returns the key change when the body rotates the key."""
        conversation = self._group(caller, conversation_id, admin=False)
        self._admin_only(caller, conversation, "edit_group_info", "edit the group's info")
        allowed = (
            *_facts.CHAT_GROUP_FIELDS, "action_signatures", "base64_encoded_key_rotation",
            "conversation_key_version", "conversation_participant_keys", "modified_fields",
            "rotated_pmk_bundle",
        )  # fmt: skip
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise Invalid(f"Unknown fields {unknown}; allowed: {', '.join(allowed)}", unknown[0])
        version = body.get("conversation_key_version")
        if not isinstance(version, str) or not _facts.CHAT_TTL_PATTERN.fullmatch(version):
            raise Invalid(
                "conversation_key_version must be 1 to 19 digits", "conversation_key_version"
            )
        modified = body.get("modified_fields")
        if (
            not isinstance(modified, list)
            or not modified
            or any(item not in _facts.CHAT_GROUP_FIELDS for item in modified)
        ):
            raise Invalid(
                f"modified_fields must list one or more of {', '.join(_facts.CHAT_GROUP_FIELDS)}",
                "modified_fields",
            )
        values = {}
        for name in modified:
            value = body.get(name)
            if not isinstance(value, str) or not value:
                raise Invalid(f"{name} is in modified_fields: give its encrypted value", name)
            values[name] = value
        key = None
        if "conversation_participant_keys" in body:
            key = self.add_keys(caller, conversation.id, body)
        with self._lock:
            conversation.info.update(values)
            conversation.info["group_description_key_version"] = version
            if "group_name" in values:
                conversation.name = values["group_name"]
            conversation.updated_at = self.now()
        return key

    # Invite links and join requests

    def enable_invite(self, caller: int, conversation_id: str, body: dict[str, Any]) -> dict:
        conversation = self._group(caller, conversation_id, admin=False)
        self._admin_only(caller, conversation, "add_member", "share invite links", default=True)
        allowed = (
            "action_signatures", "affiliate_user_id", "decrypted_avatar_url", "decrypted_title",
            "invite_url", "validity_duration_msec", "validity_expiry_timestamp_msec",
            "welcome_message",
        )  # fmt: skip
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise Invalid(f"Unknown fields {unknown}; allowed: {', '.join(allowed)}", unknown[0])
        url = body.get("invite_url")
        if url is None:
            if body.get("action_signatures") is not None:
                raise Invalid("invite_url is signed: send it with action_signatures", "invite_url")
            # X leaves the link to the client; without one the emulator makes it.
            token = secrets.token_urlsafe(8)[:10]
            url = _facts.CHAT_INVITE_URL_FORMAT.format(group=conversation.id, token=token)
        match = _facts.CHAT_INVITE_URL_PATTERN.fullmatch(url) if isinstance(url, str) else None
        if match is None or match.group(1) != conversation.id:
            raise Invalid(
                f"invite_url must be {_facts.CHAT_INVITE_URL_FORMAT} for this group, with a "
                "10-character token of letters, digits, - or _",
                "invite_url",
                str(url)[:200],
            )
        expires = self._invite_expiry(body)
        texts = {}
        for name, most in (
            ("decrypted_title", _facts.MAX_CHAT_INVITE_TEXT),
            ("welcome_message", _facts.MAX_CHAT_INVITE_TEXT),
            ("decrypted_avatar_url", _facts.MAX_CHAT_INVITE_AVATAR_URL),
        ):
            value = body.get(name)
            if value is None:
                continue
            if not isinstance(value, str) or len(value) > most:
                raise Invalid(f"{name} must be a string of at most {most} characters", name)
            if name == "decrypted_avatar_url" and not value.startswith("https://"):
                raise Invalid("decrypted_avatar_url must start with https://", name, value[:200])
            texts[name] = value
        affiliate = body.get("affiliate_user_id")
        if affiliate is not None and (
            not isinstance(affiliate, str) or not _facts.NUMERIC_PATTERN.fullmatch(affiliate)
        ):
            raise Invalid("affiliate_user_id must be a user id", "affiliate_user_id")
        invite = {
            "invite_url": url,
            "token": match.group(2),
            "expires_at": expires,
            "admin_user_id": caller,
            **texts,
        }
        with self._lock:
            conversation.invite = invite
        return dict(invite)

    def _invite_expiry(self, body: dict[str, Any]) -> Optional[float]:
        now_ms = self.now() * 1000
        found = []
        for name in ("validity_duration_msec", "validity_expiry_timestamp_msec"):
            value = body.get(name)
            if value is None:
                continue
            if not isinstance(value, str) or not _facts.CHAT_TTL_PATTERN.fullmatch(value):
                raise Invalid(f"{name} must be a string of 1 to 19 digits", name)
            found.append(int(value) + (now_ms if name == "validity_duration_msec" else 0))
        if not found:
            return None
        if min(found) <= now_ms:
            raise Invalid(
                "The invite's expiry must be in the future", "validity_expiry_timestamp_msec"
            )
        if max(found) - min(found) > _facts.CHAT_INVITE_EXPIRY_TOLERANCE_MS:
            raise Invalid(
                "validity_duration_msec and validity_expiry_timestamp_msec disagree by more "
                "than a minute",
                "validity_expiry_timestamp_msec",
            )
        return found[-1] / 1000

    def disable_invite(self, caller: int, conversation_id: str) -> None:
        conversation = self._group(caller, conversation_id, admin=False)
        self._admin_only(caller, conversation, "add_member", "disable invite links", default=True)
        with self._lock:
            conversation.invite = None

    def _live_invite(self, conversation_id: str, token: str) -> tuple[Conversation, dict]:
        with self._lock:
            found = self._conversations.get(conversation_id)
        invite = found.invite if found is not None else None
        if (
            invite is None
            or invite["token"] != token
            or (invite["expires_at"] is not None and invite["expires_at"] <= self.now())
        ):
            raise NotFound("invite", "token", token)
        return found, dict(invite)  # type: ignore[return-value]

    def invite_preview(self, caller: int, conversation_id: str, token: str) -> dict[str, Any]:
        """What anyone with the link sees, and their relation to the group."""
        conversation, invite = self._live_invite(conversation_id, token)
        if caller in conversation.members:
            state = "member"
        elif caller in conversation.pending:
            state = "requested"
        elif caller in conversation.former:
            state = "removed"
        else:
            state = "not_member"
        invite.update(member_count=len(conversation.members), join_state=state)
        return invite

    def request_join(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        """Ask to join through the link; it waits until an admin adds the caller."""
        token = body.get("token")
        if not isinstance(token, str) or not _facts.CHAT_INVITE_TOKEN_PATTERN.fullmatch(token):
            raise Invalid("token must be the invite link's 10-character token", "token")
        conversation, _ = self._live_invite(conversation_id, token)
        if caller in conversation.members:
            raise Invalid("You are a member of this group already.", "token", token)
        with self._lock:
            if caller not in conversation.pending:
                conversation.pending.append(caller)

    def reject_joins(self, caller: int, conversation_id: str, body: dict[str, Any]) -> None:
        conversation = self._group(caller, conversation_id, admin=True)
        user_ids = body.get("user_ids")
        if not isinstance(user_ids, list) or not user_ids:
            raise Invalid("user_ids must list one or more user ids", "user_ids", "")
        with self._lock:
            for item in user_ids:
                if not isinstance(item, str) or not _facts.NUMERIC_PATTERN.fullmatch(item):
                    raise Invalid("user_ids must hold user ids", "user_ids", str(item)[:40])
                if int(item) not in conversation.pending:
                    raise NotFound("join request", "user_ids", item)
            for item in user_ids:
                if int(item) in conversation.pending:
                    conversation.pending.remove(int(item))

    def may_add(self, caller: int, conversation: Conversation) -> bool:
        """Whether the caller may add members (and so see who asked to join)."""
        if caller not in conversation.members:
            return False
        return not (
            conversation.admins
            and caller not in conversation.admins
            and conversation.admin_settings.get("add_member", True)
        )

    # Settings, follows and message requests

    def settings(self, user_id: int) -> dict[str, Any]:
        """The user's chat settings (X's defaults until they change them)."""
        with self._lock:
            stored = self._settings.get(user_id)
            if stored is None:
                return _default_settings()
            return {**stored, "av_settings": _copy_av(stored["av_settings"])}

    def update_settings(self, caller: int, body: Any) -> dict[str, Any]:
        """Apply a ``PUT /2/chat/settings`` body; fields left out keep their values."""
        changes = _check_settings(body)
        with self._lock:
            current = self.settings(caller)
            av = changes.pop("av_settings", None)
            current.update(changes)
            if av is not None:
                # Whether X keeps av_settings fields left out is UNCONFIRMED: we keep them.
                permissions = av.pop("av_call_permissions", None)
                current["av_settings"].update(av)
                if permissions is not None:
                    current["av_settings"]["av_call_permissions"].update(permissions)
            self._settings[caller] = current
            return self.settings(caller)

    def follow(self, follower: int, followed: int, following: bool = True) -> None:
        with self._lock:
            (self._follows.add if following else self._follows.discard)((follower, followed))

    def set_verified(self, user_id: int, verified: bool = True) -> None:
        with self._lock:
            (self._verified.add if verified else self._verified.discard)(user_id)

    def follows(self, follower: int, followed: int) -> bool:
        with self._lock:
            return (follower, followed) in self._follows

    def allows(self, recipient: int, sender: int) -> bool:
        """Whether ``recipient``'s ``allow_dms_from`` lets ``sender``'s first message in."""
        allow = self.settings(recipient)["allow_dms_from"]
        if allow == "all" or self.follows(recipient, sender):
            return True
        return allow == "verified" and sender in self._verified

    def close_inbox(self, user_id: int, closed: bool = True) -> None:
        """The user's inbox is closed (or open again): no one may message them."""
        with self._lock:
            (self._closed.add if closed else self._closed.discard)(user_id)

    def set_system(self, user_id: int, system: bool = True) -> None:
        """A system (notification) account: it sends, no one may message it."""
        with self._lock:
            (self._system.add if system else self._system.discard)(user_id)

    def _check_messageable(self, caller: int, conversation: Conversation) -> None:
        """X's ``recipient-not-messageable``: a closed inbox, a system account, a 1:1 block,
        a bot whose ``dm_permission`` keeps the caller out."""
        verified = caller in self._verified
        for member in conversation.members:
            if member == caller:
                continue
            with self._lock:
                unreachable = member in self._closed or member in self._system
            if (
                unreachable
                or self.store.blocks(member, caller)
                or not self.lets_dm(member, verified)
            ):
                raise NotMessageable("You cannot send messages to this user.", "id", member)

    def _file_request(self, caller: int, conversation: Conversation) -> None:
        """The first message decides: the recipient's inbox, or their message requests."""
        with self._lock:
            if caller in conversation.requests or caller in conversation.accepted:
                return  # a reply to a request does not accept it; the rest is settled
            conversation.accepted.add(caller)
            for member in conversation.members:
                if member == caller or member in conversation.accepted:
                    continue
                if member not in conversation.requests and self.allows(member, caller):
                    conversation.accepted.add(member)
                else:
                    conversation.requests.setdefault(member, caller)

    def has_message_requests(self, caller: int) -> bool:
        with self._lock:
            return any(caller in item.requests for item in self._conversations.values())

    def _inbox(self, caller: int, sender: int) -> str:
        if self.settings(caller)["dm_quality_filter"] != _facts.CHAT_QUALITY_FILTER_ON:
            return "you_may_know"
        return "you_may_know" if self.social_proof(caller, sender) else "low_quality"

    def social_proof(self, caller: int, sender: int) -> list[int]:
        """The people ``caller`` follows who follow ``sender``."""
        with self._lock:
            return sorted(
                followed
                for follower, followed in self._follows
                if follower == caller and (followed, sender) in self._follows
            )

    def message_requests(
        self, caller: int, inbox: str, start: int, limit: int
    ) -> tuple[list[tuple[Conversation, int]], int, Optional[int]]:
        """One page of the caller's pending requests in ``inbox``.

        A page is a window over the requests of both inboxes, filtered: as X
        warns, it may be empty while a next page exists. Returns the
        ``(conversation, sender)`` pairs, the inbox's total and the next
        window's start (None on the last page).
        """
        with self._lock:
            pending = sorted(
                (item for item in self._conversations.values() if caller in item.requests),
                key=lambda item: (item.updated_at, item.id),
                reverse=True,
            )
            window = pending[start : start + limit]
            page = [
                (item, item.requests[caller])
                for item in window
                if self._inbox(caller, item.requests[caller]) == inbox
            ]
            total = sum(
                1 for item in pending if self._inbox(caller, item.requests[caller]) == inbox
            )
        more = start + limit < len(pending)
        return page, total, start + limit if more else None

    def message_request(self, caller: int, conversation_id: str) -> tuple[Conversation, str]:
        """A 1:1's request state for the caller, marking its messages delivered (X's side
        effect of opening a request)."""
        if conversation_id.startswith("g"):
            raise Invalid("Message requests are 1:1 conversations.", "id", conversation_id)
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is None:
                members = [int(part) for part in conversation_id.split(":")]
                for member in members:
                    self._user(member, "id")
                return Conversation(conversation_id, members, self.now()), "none"
            if caller in found.requests:
                state = "received"
            elif any(sender == caller for sender in found.requests.values()):
                state = "sent"
            else:
                state = "none"
            messages = [event for event in found.events if event.kind == "message"]
            if messages:
                found.delivered[caller] = messages[-1].sequence_id
            return found, state

    def accept_request(self, caller: int, conversation_id: str) -> None:
        """Accept the other user's pending request: the 1:1 moves into the caller's inbox."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is None or caller not in found.requests:
                raise NotFound("message request", "id", conversation_id.replace(":", "-"))
            del found.requests[caller]
            found.accepted.add(caller)

    # Announcing (the Activity API hub listens)

    def _notify(
        self, kind: str, conversation: Conversation, event: ChatEvent, users: Any = ()
    ) -> None:
        if not self.bus.wants(ChatChanged):
            return
        signing = ""
        if kind == "message":
            version = event.signature["public_key_version"]
            signing = self._signing_key(event.sender_id, version) or ""
        self.bus.publish(ChatChanged(kind, conversation, event, list(users), signing))

    def stored(self, conversation_id: str) -> list[ChatEvent]:
        """Every event of a conversation as stored (for tests and the demo)."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            return list(found.events) if found is not None else []


def _default_settings() -> dict[str, Any]:
    settings = dict(_facts.CHAT_DEFAULT_SETTINGS)
    settings["av_settings"] = _copy_av(_facts.CHAT_DEFAULT_AV_SETTINGS)
    return settings


def _copy_av(av: Any) -> dict[str, Any]:
    return {**av, "av_call_permissions": dict(av["av_call_permissions"])}


def _bools(where: str, value: Any, names: Sequence[str]) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise Invalid(f"{where} must be an object", where, "")
    unknown = sorted(set(value) - set(names))
    if unknown:
        raise Invalid(
            f"{where} has unknown fields {unknown}; allowed: {', '.join(names)}", where, unknown[0]
        )
    for name, item in value.items():
        if not isinstance(item, bool):
            raise Invalid(f"{where}.{name} must be true or false", name, item)
    return dict(value)


def _check_settings(body: Any) -> dict[str, Any]:
    """A ``PUT /2/chat/settings`` body, checked as X's schema does."""
    enums = {
        "allow_dms_from": _facts.CHAT_ALLOW_DMS_FROM,
        "dm_receipt_settings": _facts.CHAT_RECEIPT_SETTINGS,
        "dm_quality_filter": _facts.CHAT_QUALITY_FILTER,
    }
    names = (*enums, "always_allow_dms_from_subscribers", "av_settings")
    if not isinstance(body, dict):
        raise Invalid("The body must be a JSON object", "body", "")
    unknown = sorted(set(body) - set(names))
    if unknown:
        raise Invalid(f"Unknown settings {unknown}; allowed: {', '.join(names)}", unknown[0], "")
    if not body:
        raise Invalid(f"Set at least one of: {', '.join(names)}", "body", "")
    changes: dict[str, Any] = {}
    for name, allowed in enums.items():
        if name in body:
            if body[name] not in allowed:
                raise Invalid(
                    f"The `{name}` value must be one of {', '.join(allowed)}", name, body[name]
                )
            changes[name] = body[name]
    subscribers = body.get("always_allow_dms_from_subscribers")
    if subscribers is not None or "always_allow_dms_from_subscribers" in body:
        if not isinstance(subscribers, bool):
            raise Invalid(
                "always_allow_dms_from_subscribers must be true or false",
                "always_allow_dms_from_subscribers",
                subscribers,
            )
        changes["always_allow_dms_from_subscribers"] = subscribers
    if "av_settings" in body:
        av = body["av_settings"]
        outer = (*_facts.CHAT_AV_SETTINGS, "av_call_permissions")
        if not isinstance(av, dict) or not av:
            raise Invalid(
                f"av_settings must set at least one of {', '.join(outer)}", "av_settings", ""
            )
        checked = _bools(
            "av_settings", {k: v for k, v in av.items() if k != "av_call_permissions"}, outer
        )
        if "av_call_permissions" in av:
            checked["av_call_permissions"] = _bools(
                "av_settings.av_call_permissions",
                av["av_call_permissions"],
                _facts.CHAT_AV_CALL_PERMISSIONS,
            )
        changes["av_settings"] = checked
    return changes


def page(
    conversation: Conversation, caller: int, older_than: Optional[int], limit: int, now: float
) -> list[ChatEvent]:
    """Up to ``limit`` events ``caller`` sees below ``older_than``, newest first.

    A page costs its own events, not the conversation's: the scan starts below
    its bound (events are in sequence order) and stops when the page is full.
    """
    hidden = conversation.hidden.get(caller, ())
    until = conversation.former.get(caller)
    events = conversation.events
    bounds = [b for b in (older_than, None if until is None else until + 1) if b is not None]
    end = _first_at_or_after(events, min(bounds)) if bounds else len(events)
    visible = (
        event
        for event in map(events.__getitem__, range(end - 1, -1, -1))
        if event.kind != "key"
        and event.sequence_id not in hidden
        and conversation.expires.get(event.sequence_id, now + 1) > now
    )
    return list(itertools.islice(visible, limit))


def _first_at_or_after(events: Sequence[ChatEvent], sequence_id: int) -> int:
    """The index of the first event whose sequence id is ``sequence_id`` or more."""
    low, high = 0, len(events)
    while low < high:
        middle = (low + high) // 2
        if events[middle].sequence_id < sequence_id:
            low = middle + 1
        else:
            high = middle
    return low
