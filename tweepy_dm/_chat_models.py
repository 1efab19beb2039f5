"""Models of XChat data (encrypted DMs), behaving like tweepy's own models.

The message text is never here: X only ever holds ciphertext. ``encoded_event``
is what :mod:`tweepy_dm.xchat` (or X's ``chat_xdk``) decrypts.
"""

from __future__ import annotations

from typing import Any, Optional

from tweepy.mixins import DataMapping, HashableID

from tweepy_dm import _facts
from tweepy_dm._models import parse_datetime

__all__ = [
    "CHAT_CONVERSATION_FIELDS",
    "CHAT_MESSAGE_EVENT_FIELDS",
    "PUBLIC_KEY_FIELDS",
    "ChatConversation",
    "ChatMessageEvent",
    "ChatMessageRequest",
    "ChatSettings",
    "PublicKey",
]

#: Every ``chat_conversation.fields`` value, for ``chat_conversation_fields``.
#:
#: .. versionadded:: 0.2
CHAT_CONVERSATION_FIELDS = list(_facts.CHAT_CONVERSATION_FIELDS)
#: Every ``chat_message_event.fields`` value, for ``chat_message_event_fields``.
#:
#: .. versionadded:: 0.2
CHAT_MESSAGE_EVENT_FIELDS = list(_facts.CHAT_MESSAGE_EVENT_FIELDS)
#: Every ``public_key.fields`` value, for ``public_key_fields``.
#:
#: .. versionadded:: 0.2
PUBLIC_KEY_FIELDS = list(_facts.PUBLIC_KEY_FIELDS)


def _ids(value: Any) -> Optional[list[int]]:
    return [int(item) for item in value] if value is not None else None


def _id(value: Any) -> Optional[int]:
    return int(value) if value is not None else None


def _time(value: Any) -> Any:
    return parse_datetime(value) if value is not None else None


class ChatConversation(HashableID, DataMapping):
    """An XChat conversation: one-to-one or a group.

    Conversations compare equal and hash by ``id``; ``conversation["type"]``
    and ``conversation.data`` give the JSON as X sent it.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data of the conversation, as X sent it.
    id : str
        ``LOW-HIGH`` user ids for a one-to-one conversation, ``g…`` for a group.
    type : str | None
        The conversation's type, e.g. ``one_to_one`` or ``group``.
    created_at, updated_at : datetime.datetime | None
        When it was created and last changed, in UTC.
    group_name, group_avatar_url : str | None
        A group's name and avatar (X may send them encrypted).
    is_muted : bool | None
        Whether the caller muted it.
    message_ttl_ms : int | None
        How long messages live, for disappearing messages.
    member_ids, admin_ids, participant_ids : list[int] | None
        Who is in it, who administers a group.
    admin_settings : dict | None
        A group's actions kept to admins (``send_message``, ``add_member``, …:
        ``True`` for admins only). Since spec 2.170.
    group_description, group_description_key_version : str | None
        A group's description (encrypted like ``group_name``) and its key version.
    invite : dict | None
        A group's invite link (``invite_url``, ``token``, ``expires_at``, …).
    pending_member_ids : list[int] | None
        Who asked to join, shown to those who may add members.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation
    """

    __slots__ = (
        "data",
        "id",
        "type",
        "created_at",
        "updated_at",
        "group_name",
        "group_avatar_url",
        "is_muted",
        "message_ttl_ms",
        "member_ids",
        "admin_ids",
        "participant_ids",
        "admin_settings",
        "group_description",
        "group_description_key_version",
        "invite",
        "pending_member_ids",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id = data["id"]
        self.admin_settings = data.get("admin_settings")
        self.group_description = data.get("group_description")
        self.group_description_key_version = data.get("group_description_key_version")
        self.invite = data.get("invite")
        self.pending_member_ids = _ids(data.get("pending_member_ids"))
        self.type = data.get("type")
        self.created_at = _time(data.get("created_at"))
        self.updated_at = _time(data.get("updated_at"))
        self.group_name = data.get("group_name")
        self.group_avatar_url = data.get("group_avatar_url")
        self.is_muted = data.get("is_muted")
        self.message_ttl_ms = data.get("message_ttl_ms")
        self.member_ids = _ids(data.get("member_ids"))
        self.admin_ids = _ids(data.get("admin_ids"))
        self.participant_ids = _ids(data.get("participant_ids"))

    def __repr__(self) -> str:
        return f"<Chat Conversation id={self.id} type={self.type}>"


class ChatMessageEvent(HashableID, DataMapping):
    """One event of an XChat conversation, still encrypted.

    ``encoded_event`` is X's Thrift ``MessageEvent`` in base64: the signed,
    encrypted message and X's metadata around it. Decrypt it with
    ``tweepy_dm.xchat.XChat`` or ``chat_xdk``. Events compare equal and hash by
    ``id`` (the sequence id).

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data of the event, as X sent it.
    id : int
        The event's sequence id in its conversation (X's metadata, unsigned).
    previous_id : int | None
        The sequence id of the conversation's event before this one.
    conversation_id : str | None
        ``LOW-HIGH`` or ``g…``.
    sender_id : int | None
        Who sent it.
    created_at : datetime.datetime | None
        When X received it, in UTC.
    encoded_event : str | None
        The base64 Thrift ``MessageEvent`` to decrypt.
    message_event_signature : dict | None
        The sender's signature (``signature``, ``public_key_version``,
        ``signature_version``).
    is_trusted : bool | None
        X's flag for a sender the recipient trusts.
    conversation_token : str | None
        A token X may ask to be sent back with the next message.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation-events
    """

    __slots__ = (
        "data",
        "id",
        "previous_id",
        "conversation_id",
        "sender_id",
        "created_at",
        "encoded_event",
        "message_event_signature",
        "is_trusted",
        "conversation_token",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id = int(data["id"])
        previous_id = data.get("previous_id")
        self.previous_id = int(previous_id) if previous_id is not None else None
        self.conversation_id = data.get("conversation_id")
        sender_id = data.get("sender_id")
        self.sender_id = int(sender_id) if sender_id is not None else None
        self.created_at = _time(data.get("created_at"))
        self.encoded_event = data.get("encoded_event")
        self.message_event_signature = data.get("message_event_signature")
        self.is_trusted = data.get("is_trusted")
        self.conversation_token = data.get("conversation_token")

    def __repr__(self) -> str:
        return (
            f"<Chat Message Event id={self.id} conversation_id={self.conversation_id} "
            f"sender_id={self.sender_id}>"
        )


class PublicKey(DataMapping):
    """A user's registered XChat public keys (one version of them).

    Only public material: the identity key others wrap conversation keys to,
    the signing key X and readers check signatures with, and the signature
    binding the two. Keys compare equal by all of their data.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data, as X sent it.
    public_key : str | None
        The identity public key, base64.
    signing_public_key : str | None
        The signing public key, base64.
    public_key_version : str | None
        The version, a numeric string.
    identity_public_key_signature : str | None
        The signature binding the signing key to the identity key.
    juicebox_config : dict | None
        Where the user's PIN-protected key backup lives.

    References
    ----------
    https://docs.x.com/x-api/chat/get-user-public-keys
    """

    __slots__ = (
        "data",
        "public_key",
        "signing_public_key",
        "public_key_version",
        "identity_public_key_signature",
        "juicebox_config",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.public_key = data.get("public_key")
        self.signing_public_key = data.get("signing_public_key")
        self.public_key_version = data.get("public_key_version")
        self.identity_public_key_signature = data.get("identity_public_key_signature")
        self.juicebox_config = data.get("juicebox_config")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PublicKey):
            return self.data == other.data
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.public_key, self.signing_public_key, self.public_key_version))

    def __repr__(self) -> str:
        return f"<Public Key public_key_version={self.public_key_version}>"


class ChatMessageRequest(DataMapping):
    """A pending XChat message request, or a 1:1's request state.

    Items of ``get_chat_message_requests`` carry ``sender_id`` and a
    preview; ``get_chat_message_request`` answers with ``participant_id`` and
    ``message_request_state``. Everything else is ``None`` where X left it
    out. The messages are end-to-end encrypted: ``tweepy_dm.xchat.XChat``
    decrypts them.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data, as X sent it.
    conversation_id : str
        The 1:1 conversation, ``LOW-HIGH``.
    sender_id, participant_id : int | None
        Who sent the request; the other user of the conversation.
    message_request_state : str | None
        ``none``, ``received`` (the other user's request waits for you) or
        ``sent`` (yours waits for them).
    encoded_message_create_event : str | None
        The preview message, encrypted.
    message_events, conversation_key_events : list[str] | None
        Encrypted messages, newest first, and the key changes to decrypt them.
    has_more_events, sender_recently_modified_profile : bool | None
        Whether older messages exist; whether the sender recently changed
        name or avatar (a possible impersonation signal).
    social_proof_user_ids : list[int] | None
        People you follow who follow the sender.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-message-requests
    """

    __slots__ = (
        "data",
        "conversation_id",
        "sender_id",
        "participant_id",
        "message_request_state",
        "encoded_message_create_event",
        "message_events",
        "conversation_key_events",
        "has_more_events",
        "sender_recently_modified_profile",
        "social_proof_user_ids",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.conversation_id = data["conversation_id"]
        self.sender_id = _id(data.get("sender_id"))
        self.participant_id = _id(data.get("participant_id"))
        self.message_request_state = data.get("message_request_state")
        self.encoded_message_create_event = data.get("encoded_message_create_event")
        self.message_events = data.get("message_events")
        self.conversation_key_events = data.get("conversation_key_events")
        self.has_more_events = data.get("has_more_events")
        self.sender_recently_modified_profile = data.get("sender_recently_modified_profile")
        self.social_proof_user_ids = _ids(data.get("social_proof_user_ids"))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChatMessageRequest):
            return self.data == other.data
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.conversation_id, self.sender_id, self.participant_id))

    def __repr__(self) -> str:
        return (
            f"<Chat Message Request conversation_id={self.conversation_id} "
            f"sender_id={self.sender_id}>"
        )


class ChatSettings(DataMapping):
    """The user's XChat settings.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data, as X sent it.
    allow_dms_from : str | None
        ``all``, ``verified`` or ``following``: whose first message reaches
        the inbox (anyone else's becomes a message request).
    always_allow_dms_from_subscribers : bool | None
        Whether subscribers always get in.
    dm_receipt_settings : str | None
        ``all_enabled`` or ``all_disabled`` (read receipts).
    dm_quality_filter : str | None
        ``enabled`` files low-quality requests apart.
    av_settings : dict | None
        Call settings, as X sent them.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-settings
    """

    __slots__ = (
        "data",
        "allow_dms_from",
        "always_allow_dms_from_subscribers",
        "dm_receipt_settings",
        "dm_quality_filter",
        "av_settings",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.allow_dms_from = data.get("allow_dms_from")
        self.always_allow_dms_from_subscribers = data.get("always_allow_dms_from_subscribers")
        self.dm_receipt_settings = data.get("dm_receipt_settings")
        self.dm_quality_filter = data.get("dm_quality_filter")
        self.av_settings = data.get("av_settings")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChatSettings):
            return self.data == other.data
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.allow_dms_from, self.dm_receipt_settings, self.dm_quality_filter))

    def __repr__(self) -> str:
        return f"<Chat Settings allow_dms_from={self.allow_dms_from}>"
