"""Request builders of XChat, X's end-to-end encrypted DMs, and of users' public keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tweepy_dm import _chat_ids, _chat_media, _facts, _validation
from tweepy_dm._chat_models import ChatConversation, ChatMessageEvent, PublicKey
from tweepy_dm._endpoints._common import ID, Fields, MediaDownload, Request, _query
from tweepy_dm._media import Progress

# XChat (encrypted DMs)


def _key_body(
    conversation_key_version: Any,
    conversation_participant_keys: Any,
    action_signatures: Any,
    base64_encoded_key_rotation: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "conversation_key_version": _validation.check_version(
            "conversation_key_version", conversation_key_version
        ),
        "conversation_participant_keys": _validation.check_participant_keys(
            conversation_participant_keys
        ),
    }
    signatures = _validation.check_action_signatures(action_signatures, required=False)
    if signatures is not None:
        body["action_signatures"] = signatures
    if base64_encoded_key_rotation is not None:
        body["base64_encoded_key_rotation"] = _validation.check_string(
            "base64_encoded_key_rotation",
            base64_encoded_key_rotation,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
    return body


def get_chat_conversations(
    *,
    chat_conversation_fields: Fields | None = None,
    expansions: Fields | None = None,
    max_results: int | None = None,
    pagination_token: str | None = None,
    user_fields: Fields | None = None,
    user_auth: bool = True,
) -> Request:
    """Return the authenticating user's XChat inbox: their encrypted conversations.

    Works with :class:`tweepy.Paginator`. ``meta.has_message_requests`` says
    whether message requests wait outside the inbox.

    .. versionadded:: 0.2

    Parameters
    ----------
    chat_conversation_fields : list[str] | str | None
        :class:`ChatConversation` fields to return; see
        :const:`CHAT_CONVERSATION_FIELDS`.
    expansions : list[str] | str | None
        ``admin_ids``, ``member_ids`` or ``participant_ids``, to fill ``includes.users``.
    max_results : int | None
        Conversations per page, 1 to 100 (X's default is 10).
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta``.
    user_fields : list[str] | str | None
        Fields of the users in ``includes``.
    {user_auth}

    {raises_type}
    ValueError
        If a field or expansion is unknown or ``max_results`` is not 1 to 100.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`ChatConversation`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversations
    """
    _validation.check_page(max_results, pagination_token, most=_facts.MAX_CHAT_RESULTS)
    params = _query(
        chat_conversation_fields=_validation.check_known_names(
            "chat_conversation_fields", chat_conversation_fields, _facts.CHAT_CONVERSATION_FIELDS
        ),
        expansions=_validation.check_known_names(
            "expansions", expansions, _facts.CHAT_CONVERSATION_EXPANSIONS
        ),
        max_results=max_results,
        pagination_token=pagination_token,
        user_fields=_validation.check_known_names("user_fields", user_fields, _facts.USER_FIELDS),
    )
    return Request(
        "GET",
        "/2/chat/conversations",
        params=params,
        endpoint_parameters=_facts.CHAT_CONVERSATIONS_PARAMETERS,
        data_type=ChatConversation,
        user_auth=user_auth,
    )


def get_chat_conversation(
    conversation_id: ID,
    *,
    chat_conversation_fields: Fields | None = None,
    expansions: Fields | None = None,
    user_fields: Fields | None = None,
    user_auth: bool = True,
) -> Request:
    """Return one XChat conversation: its type, members, muted state and group details.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    chat_conversation_fields : list[str] | str | None
        :class:`ChatConversation` fields to return; see
        :const:`CHAT_CONVERSATION_FIELDS`.
    expansions : list[str] | str | None
        ``admin_ids``, ``member_ids`` or ``participant_ids``.
    user_fields : list[str] | str | None
        Fields of the users in ``includes``.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or a field is unknown.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`ChatConversation`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    params = _query(
        chat_conversation_fields=_validation.check_known_names(
            "chat_conversation_fields", chat_conversation_fields, _facts.CHAT_CONVERSATION_FIELDS
        ),
        expansions=_validation.check_known_names(
            "expansions", expansions, _facts.CHAT_CONVERSATION_EXPANSIONS
        ),
        user_fields=_validation.check_known_names("user_fields", user_fields, _facts.USER_FIELDS),
    )
    return Request(
        "GET",
        f"/2/chat/conversations/{path}",
        params=params,
        endpoint_parameters=_facts.CHAT_CONVERSATION_PARAMETERS,
        data_type=ChatConversation,
        user_auth=user_auth,
    )


def get_chat_conversation_events(
    conversation_id: ID,
    *,
    chat_message_event_fields: Fields | None = None,
    max_results: int | None = None,
    pagination_token: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Return the encrypted events of an XChat conversation, newest first.

    Works with :class:`tweepy.Paginator`. Every ``chat_message_event.fields``
    value is asked for unless you name some, since an event is of no use
    without its ``encoded_event``. ``meta.conversation_key_events`` holds the
    conversation-key changes (base64 ``MessageEvent`` s) needed to decrypt the
    messages: pass them to the SDK together with the events.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    chat_message_event_fields : list[str] | str | None
        :class:`ChatMessageEvent` fields to return; all of
        :const:`CHAT_MESSAGE_EVENT_FIELDS` by default.
    max_results : int | None
        Events per page, 1 to 100 (X's default is 10).
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta``.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms, a field is unknown or
        ``max_results`` is not 1 to 100. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`ChatMessageEvent`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation-events
    """
    path = _chat_ids.path_id(conversation_id)
    _validation.check_page(max_results, pagination_token, most=_facts.MAX_CHAT_RESULTS)
    fields = _validation.check_known_names(
        "chat_message_event_fields", chat_message_event_fields, _facts.CHAT_MESSAGE_EVENT_FIELDS
    )
    params = _query(
        chat_message_event_fields=(
            list(_facts.CHAT_MESSAGE_EVENT_FIELDS) if fields is None else fields
        ),
        max_results=max_results,
        pagination_token=pagination_token,
    )
    return Request(
        "GET",
        f"/2/chat/conversations/{path}/events",
        params=params,
        endpoint_parameters=_facts.CHAT_EVENTS_PARAMETERS,
        data_type=ChatMessageEvent,
        user_auth=user_auth,
    )


def send_chat_message(
    conversation_id: ID,
    *,
    message_id: str,
    encoded_message_create_event: str,
    encoded_message_event_signature: str | None = None,
    conversation_token: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Send an encrypted message into an XChat conversation.

    The message is encrypted and signed beforehand by the SDK
    (``chat_xdk.Chat.encrypt_message``): pass its ``message_id``,
    ``encrypted_content`` and ``encoded_event_signature``. X checks the
    signature against your registered signing key and answers with the
    ``MessageEvent`` it stored. ``tweepy_dm.xchat.XChat.send`` does all of it.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    message_id : str
        The message's id, made by the SDK (it is signed).
    encoded_message_create_event : str
        The base64 Thrift ``MessageCreateEvent`` with the ciphertext.
    encoded_message_event_signature : str | None
        The base64 Thrift ``MessageEventSignature``.
    conversation_token : str | None
        The token X gave with the conversation's events, if any.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or a value is empty or
        not base64. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the
        ``encoded_message_event`` X stored.

    References
    ----------
    https://docs.x.com/x-api/chat/send-chat-message
    """
    path = _chat_ids.path_id(conversation_id)
    body = {
        "message_id": _validation.check_string("message_id", message_id),
        "encoded_message_create_event": _validation.check_string(
            "encoded_message_create_event",
            encoded_message_create_event,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        ),
    }
    if encoded_message_event_signature is not None:
        body["encoded_message_event_signature"] = _validation.check_string(
            "encoded_message_event_signature",
            encoded_message_event_signature,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
    if conversation_token is not None:
        body["conversation_token"] = _validation.check_string(
            "conversation_token", conversation_token
        )
    return Request("POST", f"/2/chat/conversations/{path}/messages", json=body, user_auth=user_auth)


def delete_chat_messages(
    conversation_id: ID,
    *,
    sequence_ids: Iterable[ID],
    action_signatures: list[dict[str, Any]],
    delete_message_action: str = "delete_for_self",
    media_hash_keys: Iterable[str] | None = None,
    user_auth: bool = True,
) -> Request:
    """Delete messages of an XChat conversation, for yourself or for everyone.

    ``delete_for_all`` removes messages you sent (any message, in a group you
    administer) for every participant; ``delete_for_self`` removes any message
    from your own view only. The action is signed by the SDK
    (``chat_xdk.Chat.prepare_message_delete``).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    sequence_ids : list[int | str]
        The messages' sequence ids (:attr:`ChatMessageEvent.id`), at least one.
    action_signatures : list[dict]
        The signed action from ``prepare_message_delete``.
    delete_message_action : str
        ``delete_for_self`` (the default) or ``delete_for_all``.
    media_hash_keys : list[str] | None
        Media blobs to delete with the messages (``delete_for_all`` only).
    {user_auth}

    Raises
    ------
    TypeError
        If an argument has the wrong type or ``action_signatures`` is missing.
    ValueError
        If an id is malformed, there is no sequence id, or the action is not
        one X knows. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/delete-chat-messages
    """
    path = _chat_ids.path_id(conversation_id)
    ids = _validation.check_user_ids(
        "sequence_ids", sequence_ids, high=_facts.MAX_CHAT_SEQUENCE_IDS
    )
    _validation.check_str("delete_message_action", delete_message_action)
    if delete_message_action not in _facts.CHAT_DELETE_ACTIONS:
        raise ValueError(
            f"delete_message_action must be one of {', '.join(_facts.CHAT_DELETE_ACTIONS)}, "
            f"got {delete_message_action!r}"
        )
    body: dict[str, Any] = {
        "action_signatures": _validation.check_action_signatures(action_signatures, required=True),
        "delete_message_action": delete_message_action,
        "sequence_ids": ids,
    }
    if media_hash_keys is not None:
        if delete_message_action != "delete_for_all":
            raise ValueError("media_hash_keys go with delete_for_all only")
        body["media_hash_keys"] = [
            _validation.check_string(
                "media_hash_keys", key, _facts.MEDIA_HASH_KEY_PATTERN, "1 to 50 letters"
            )
            for key in _validation.check_list("media_hash_keys", media_hash_keys)
        ]
    return Request(
        "POST", f"/2/chat/conversations/{path}/messages/delete", json=body, user_auth=user_auth
    )


def mark_chat_conversation_read(
    conversation_id: ID, *, seen_until_sequence_id: ID, user_auth: bool = True
) -> Request:
    """Mark an XChat conversation read up to a message.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    seen_until_sequence_id : int | str
        The sequence id (:attr:`ChatMessageEvent.id`) of the last message read.
    {user_auth}

    {raises_type}
    ValueError
        If an id is malformed. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"success": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/mark-conversation-as-read
    """
    path = _chat_ids.path_id(conversation_id)
    seen = _chat_ids.check_user_id(seen_until_sequence_id, "seen_until_sequence_id")
    return Request(
        "POST",
        f"/2/chat/conversations/{path}/read",
        json={"seen_until_sequence_id": seen},
        user_auth=user_auth,
    )


def send_chat_typing_indicator(conversation_id: ID, *, user_auth: bool = True) -> Request:
    """Show the other participants of an XChat conversation that you are typing.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    {user_auth}

    Raises
    ------
    TypeError
        If ``conversation_id`` is not an int or a str.
    ValueError
        If ``conversation_id`` is in none of X's forms. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"success": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/send-typing-indicator
    """
    path = _chat_ids.path_id(conversation_id)
    return Request("POST", f"/2/chat/conversations/{path}/typing", user_auth=user_auth)


def add_chat_conversation_keys(
    conversation_id: ID,
    *,
    conversation_key_version: ID,
    conversation_participant_keys: list[dict[str, Any]],
    action_signatures: list[dict[str, Any]] | None = None,
    base64_encoded_key_rotation: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Post a new conversation key (the first, or a rotation) of an XChat conversation.

    The key is made and wrapped to each participant's public key by the SDK
    (``chat_xdk.Chat.prepare_conversation_key_change``); X stores it as a
    key-change event that readers find in ``meta.conversation_key_events``.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    conversation_key_version : int | str
        The key's version (typically milliseconds since the epoch).
    conversation_participant_keys : list[dict]
        ``{"user_id", "encrypted_conversation_key", "public_key_version"}``
        for every participant.
    action_signatures : list[dict] | None
        The signed key-change event(s) from the SDK.
    base64_encoded_key_rotation : str | None
        The ratchet-tree key rotation payload, if the SDK made one.
    {user_auth}

    {raises_type}
    ValueError
        If an id or version is malformed or a key lacks a field. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the canonical
        ``conversation_id`` and the key change's ``sequence_id``.

    References
    ----------
    https://docs.x.com/x-api/chat/add-conversation-keys
    """
    path = _chat_ids.path_id(conversation_id)
    body = _key_body(
        conversation_key_version,
        conversation_participant_keys,
        action_signatures,
        base64_encoded_key_rotation,
    )
    return Request("POST", f"/2/chat/conversations/{path}/keys", json=body, user_auth=user_auth)


def initialize_chat_group(*, user_auth: bool = True) -> Request:
    """Reserve the id of a new XChat group, to create it with :meth:`create_chat_group`.

    .. versionadded:: 0.2

    Parameters
    ----------
    {user_auth}

    Raises
    ------
    TypeError
        If ``user_auth`` is given positionally.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the new
        ``conversation_id`` (``g…``).

    References
    ----------
    https://docs.x.com/x-api/chat/initialize-chat-group
    """
    return Request("POST", "/2/chat/conversations/group/initialize", user_auth=user_auth)


def create_chat_group(
    *,
    conversation_id: str,
    conversation_key_version: ID,
    conversation_participant_keys: list[dict[str, Any]],
    group_members: Iterable[ID],
    action_signatures: list[dict[str, Any]] | None = None,
    group_admins: Iterable[ID] | None = None,
    group_name: str | None = None,
    group_description: str | None = None,
    group_avatar_url: str | None = None,
    ttl_msec: int | None = None,
    base64_encoded_key_rotation: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Create an encrypted XChat group with the id from :meth:`initialize_chat_group`.

    The group's first conversation key and the signed group-create events
    come from the SDK (``chat_xdk.Chat.prepare_group_create``).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : str
        The ``g…`` id :meth:`initialize_chat_group` returned.
    conversation_key_version : int | str
        The key's version.
    conversation_participant_keys : list[dict]
        ``{"user_id", "encrypted_conversation_key", "public_key_version"}``
        for every member.
    group_members : list[int | str]
        The members' user ids (you included), 2 to 100.
    action_signatures : list[dict] | None
        The signed events from the SDK.
    group_admins : list[int | str] | None
        The admins; X makes the creator the admin if omitted.
    group_name, group_description, group_avatar_url : str | None
        The group's name, description and avatar (encrypt them with the SDK
        to keep them private).
    ttl_msec : int | None
        How long messages live, in milliseconds.
    base64_encoded_key_rotation : str | None
        The ratchet-tree key rotation payload, if the SDK made one.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group id, or an id or key is malformed.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the
        ``conversation_id`` and ``conversation_key_change_sequence_id``.

    References
    ----------
    https://docs.x.com/x-api/chat/create-chat-group-conversation
    """
    if not _facts.CHAT_GROUP_ID_PATTERN.fullmatch(
        str(_chat_ids.check_conversation_id(conversation_id))
    ):
        raise ValueError(
            f"conversation_id must be a group id ('g' and digits) from initialize_chat_group, "
            f"got {conversation_id!r}"
        )
    body = _key_body(
        conversation_key_version,
        conversation_participant_keys,
        action_signatures,
        base64_encoded_key_rotation,
    )
    body["conversation_id"] = conversation_id
    body["group_members"] = _validation.check_user_ids("group_members", group_members, low=2)
    if group_admins is not None:
        body["group_admins"] = _validation.check_user_ids("group_admins", group_admins)
    for name, value in (
        ("group_name", group_name),
        ("group_description", group_description),
        ("group_avatar_url", group_avatar_url),
    ):
        if value is not None:
            body[name] = _validation.check_string(name, value)
    if ttl_msec is not None:
        if isinstance(ttl_msec, bool) or not isinstance(ttl_msec, int) or ttl_msec <= 0:
            raise ValueError(f"ttl_msec must be a positive int of milliseconds, got {ttl_msec!r}")
        body["ttl_msec"] = str(ttl_msec)
    return Request("POST", "/2/chat/conversations/group", json=body, user_auth=user_auth)


def add_chat_group_members(
    conversation_id: str,
    *,
    user_ids: Iterable[ID],
    conversation_key_version: ID | None = None,
    conversation_participant_keys: list[dict[str, Any]] | None = None,
    action_signatures: list[dict[str, Any]] | None = None,
    encrypted_title: str | None = None,
    encrypted_avatar_url: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Add members to an XChat group, rotating its conversation key.

    The new key, wrapped to every member including the new ones, comes from
    the SDK (``chat_xdk.Chat.prepare_group_members_change``).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : str
        The group's ``g…`` id.
    user_ids : list[int | str]
        The users to add, 1 to 100.
    conversation_key_version : int | str | None
        The new key's version.
    conversation_participant_keys : list[dict] | None
        The new key wrapped for every member.
    action_signatures : list[dict] | None
        The signed events from the SDK.
    encrypted_title, encrypted_avatar_url : str | None
        The group's title and avatar re-encrypted with the new key.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group id, or an id or key is malformed.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says (X's spec types ``data`` as a
        Post; the emulator answers the group's id).

    References
    ----------
    https://docs.x.com/x-api/chat/add-members-to-a-chat-group-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    if not path.startswith("g"):
        raise ValueError(f"conversation_id must be a group id ('g…'), got {conversation_id!r}")
    body: dict[str, Any] = {"user_ids": _validation.check_user_ids("user_ids", user_ids)}
    if conversation_key_version is not None or conversation_participant_keys is not None:
        body.update(_key_body(conversation_key_version, conversation_participant_keys, None, None))
    signatures = _validation.check_action_signatures(action_signatures, required=False)
    if signatures is not None:
        body["action_signatures"] = signatures
    for name, value in (
        ("encrypted_title", encrypted_title),
        ("encrypted_avatar_url", encrypted_avatar_url),
    ):
        if value is not None:
            body[name] = _validation.check_string(name, value)
    return Request("POST", f"/2/chat/conversations/{path}/members", json=body, user_auth=user_auth)


def get_user_public_keys(
    user_id: ID, *, public_key_fields: Fields | None = None, user_auth: bool = True
) -> Request:
    """Return a user's registered XChat public keys.

    Check them (``chat_xdk.Chat.verify_key_binding``) before wrapping a
    conversation key to them; ``tweepy_dm.xchat.XChat`` does.

    .. versionadded:: 0.2

    Parameters
    ----------
    user_id : int | str
        The user.
    public_key_fields : list[str] | str | None
        :class:`PublicKey` fields to return; see :const:`PUBLIC_KEY_FIELDS`.
    {user_auth}

    {raises_type}
    ValueError
        If ``user_id`` is malformed or a field is unknown. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`PublicKey`, oldest version first.

    References
    ----------
    https://docs.x.com/x-api/chat/get-user-public-keys
    """
    user = _chat_ids.check_user_id(user_id)
    params = _query(
        public_key_fields=_validation.check_known_names(
            "public_key_fields", public_key_fields, _facts.PUBLIC_KEY_FIELDS
        )
    )
    return Request(
        "GET",
        f"/2/users/{user}/public_keys",
        params=params,
        endpoint_parameters=_facts.PUBLIC_KEY_PARAMETERS,
        data_type=PublicKey,
        user_auth=user_auth,
    )


def get_users_public_keys(
    ids: Iterable[ID], *, public_key_fields: Fields | None = None, user_auth: bool = True
) -> Request:
    """Return the registered XChat public keys of up to 100 users.

    .. versionadded:: 0.2

    Parameters
    ----------
    ids : list[int | str]
        The users, 1 to 100.
    public_key_fields : list[str] | str | None
        :class:`PublicKey` fields to return; see :const:`PUBLIC_KEY_FIELDS`.
    {user_auth}

    Raises
    ------
    TypeError
        If ``ids`` is not a list of ids.
    ValueError
        If there are no ids or more than 100, one is malformed, or a field is
        unknown. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`PublicKey`.

    References
    ----------
    https://docs.x.com/x-api/users/get-public-keys-for-multiple-users
    """
    users = _validation.check_user_ids("ids", ids, high=_facts.MAX_PUBLIC_KEY_IDS)
    params = _query(
        ids=users,
        public_key_fields=_validation.check_known_names(
            "public_key_fields", public_key_fields, _facts.PUBLIC_KEY_FIELDS
        ),
    )
    return Request(
        "GET",
        "/2/users/public_keys",
        params=params,
        endpoint_parameters=_facts.USERS_PUBLIC_KEYS_PARAMETERS,
        data_type=PublicKey,
        user_auth=user_auth,
    )


def add_user_public_key(
    user_id: ID,
    *,
    public_key: dict[str, Any],
    version: ID,
    generate_version: bool | None = None,
    user_auth: bool = True,
) -> Request:
    """Register your XChat public keys, so that others can encrypt to you.

    ``public_key`` is the ``public_key`` of ``chat_xdk.Chat.generate_keypairs()``
    as a dict (public material only: never a private key or a key blob).

    .. versionadded:: 0.2

    Parameters
    ----------
    user_id : int | str
        Your user id.
    public_key : dict
        ``public_key``, ``signing_public_key``, ``identity_public_key_signature``,
        and optionally ``public_key_fingerprint``, ``registration_method`` and
        ``signing_public_key_signature``.
    version : int | str
        The keys' version, from the SDK.
    generate_version : bool | None
        Let X assign the version.
    {user_auth}

    {raises_type}
    ValueError
        If a field is missing or unknown, or the version is not numeric.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the
        ``public_key_version`` X registered.

    References
    ----------
    https://docs.x.com/x-api/chat/add-public-key
    """
    user = _chat_ids.check_user_id(user_id)
    if not isinstance(public_key, Mapping):
        raise TypeError(f"public_key must be a dict, not {type(public_key).__name__}")
    unknown = sorted(set(public_key) - set(_facts.PUBLIC_KEY_REGISTRATION_FIELDS))
    if unknown:
        raise ValueError(
            f"public_key takes {', '.join(_facts.PUBLIC_KEY_REGISTRATION_FIELDS)}; "
            f"unknown: {unknown}"
        )
    for name in ("public_key", "signing_public_key", "identity_public_key_signature"):
        if name not in public_key:
            raise ValueError(f"public_key lacks {name}")
    registration = {
        name: _validation.check_string(name, value) for name, value in public_key.items()
    }
    body: dict[str, Any] = {
        "public_key": registration,
        "version": _validation.check_version("version", version),
    }
    if generate_version is not None:
        if not isinstance(generate_version, bool):
            raise TypeError(f"generate_version must be True or False, not {generate_version!r}")
        body["generate_version"] = generate_version
    return Request("POST", f"/2/users/{user}/public_keys", json=body, user_auth=user_auth)


def upload_chat_media(
    file: Any,
    *,
    conversation_id: ID,
    chunk_size: int = _chat_media.DEFAULT_CHAT_CHUNK_SIZE,
    message_id: str | None = None,
    ttl_msec: int | None = None,
    progress: Progress = None,
    user_auth: bool = True,
) -> _chat_media.ChatUpload:
    """Upload encrypted media for an XChat message, in segments.

    The bytes must be encrypted already, with the conversation key
    (``chat_xdk.Chat.encrypt_stream``): X stores them as they come.
    ``tweepy_dm.xchat.XChat.send(..., media=...)`` encrypts, uploads and
    attaches in one call. A segment that fails with a 5xx or a connection
    error is retried a few times, with backoff.

    .. versionadded:: 0.2

    Parameters
    ----------
    file : bytes | str | os.PathLike | binary file object
        The ciphertext, or a file holding it (read chunk by chunk).
    conversation_id : int | str
        The conversation the media belongs to (``LOW-HIGH``, ``LOW:HIGH`` or ``g…``).
    chunk_size : int
        Bytes per ``append`` segment (4 MiB by default; at most 1,000 segments).
    message_id : str | None
        The message the media goes with, if known.
    ttl_msec : int | None
        How long X keeps the media, in milliseconds.
    progress : Callable[[int, int], Any] | None
        Called with ``(bytes_sent, total_bytes)`` after each segment.
    {user_auth}

    Raises
    ------
    TypeError
        Before any request, if an argument has the wrong type.
    ValueError
        Before any request, if ``conversation_id`` is malformed, the file is
        empty, or it would take more than 1,000 segments.

    Returns
    -------
    ChatMedia
        ``media_hash_key`` (for the attachment), ``conversation_id``,
        ``session_id`` and ``size``.

    References
    ----------
    https://docs.x.com/x-api/chat/initialize-chat-media-upload
    https://docs.x.com/x-api/chat/append-chat-media-upload
    https://docs.x.com/x-api/chat/finalize-chat-media-upload
    """
    return _chat_media.chat_upload(
        file, conversation_id, chunk_size, message_id, ttl_msec, progress, user_auth
    )


def get_chat_media(
    conversation_id: ID,
    media_hash_key: str,
    *,
    file: Any = None,
    user_auth: bool = True,
) -> MediaDownload:
    """Download the encrypted bytes of XChat media.

    Decrypt them with the conversation key (``chat_xdk.Chat.decrypt_stream``);
    ``tweepy_dm.xchat`` messages carry what is needed.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The conversation (``LOW-HIGH``, ``LOW:HIGH`` or ``g…``).
    media_hash_key : str
        The attachment's ``media_hash_key``, 1 to 50 letters and digits.
    file : str | os.PathLike | binary file object | None
        Where to write the bytes, streamed chunk by chunk instead of held in
        memory. A path is created or replaced; a file object is written to
        from its current position and left open.
    {user_auth}

    {raises_type}
    ValueError
        If an id is malformed. Nothing is sent.

    Returns
    -------
    bytes | int
        The encrypted bytes; with ``file``, the number of bytes written.

    References
    ----------
    https://docs.x.com/x-api/chat/download-chat-media
    """
    path = _chat_ids.path_id(conversation_id)
    key = _validation.check_string(
        "media_hash_key", media_hash_key, _facts.MEDIA_HASH_KEY_PATTERN, "1 to 50 letters/digits"
    )
    _validation.check_destination(file)
    return MediaDownload(Request("GET", f"/2/chat/media/{path}/{key}", user_auth=user_auth), file)
