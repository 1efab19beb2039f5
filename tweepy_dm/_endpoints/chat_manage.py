"""Request builders of managing XChat conversations: mute, disappearing messages, delete, leave."""

from __future__ import annotations

from typing import Any

from tweepy_dm import _chat_ids, _facts, _validation
from tweepy_dm._endpoints._common import ID, Request

# X requires a body on each of these, ``{}`` at least; ``action_signatures`` is optional
# and what the server does with them is UNCONFIRMED (spec 2.170).


def _body(action_signatures: Any, **fields: Any) -> dict[str, Any]:
    body = dict(fields)
    signatures = _validation.check_action_signatures(action_signatures, required=False)
    if signatures is not None:
        body["action_signatures"] = signatures
    return body


def delete_chat_conversation(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Delete an XChat conversation for yourself; the other participants keep it.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or a signature is
        malformed. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/delete-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    return Request(
        "DELETE", f"/2/chat/conversations/{path}", json=_body(action_signatures),
        user_auth=user_auth,
    )  # fmt: skip


def mute_chat_conversation(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Mute an XChat conversation's notifications, for yourself only.

    Read it back as :attr:`ChatConversation.is_muted`.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"muted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/mute-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    return Request(
        "POST", f"/2/chat/conversations/{path}/mute", json=_body(action_signatures),
        user_auth=user_auth,
    )  # fmt: skip


def unmute_chat_conversation(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Unmute an XChat conversation, for yourself only.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"muted": False}``,
        the state after the call.

    References
    ----------
    https://docs.x.com/x-api/chat/unmute-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    return Request(
        "DELETE", f"/2/chat/conversations/{path}/mute", json=_body(action_signatures),
        user_auth=user_auth,
    )  # fmt: skip


def update_chat_conversation_message_ttl(
    conversation_id: ID, *, message_ttl_ms: int | str,
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Turn on disappearing messages: new messages expire after ``message_ttl_ms``, for everyone.

    Messages sent before keep their lifetime. Read it back as
    :attr:`ChatConversation.message_ttl_ms`.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    message_ttl_ms : int | str
        The lifetime of new messages, in milliseconds (X documents no range).
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or ``message_ttl_ms``
        is not a positive number of 1 to 19 digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"updated": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/turn-on-disappearing-messages-in-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    ttl = _validation.check_version("message_ttl_ms", message_ttl_ms)
    if not _facts.CHAT_TTL_PATTERN.fullmatch(ttl) or int(ttl) < 1:
        raise ValueError(f"message_ttl_ms must be 1 to 19 digits and at least 1, got {ttl!r}")
    return Request(
        "PUT", f"/2/chat/conversations/{path}/message_ttl",
        json=_body(action_signatures, message_ttl_ms=ttl), user_auth=user_auth,
    )  # fmt: skip


def delete_chat_conversation_message_ttl(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Turn off disappearing messages: new messages stop expiring.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/turn-off-disappearing-messages-in-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    return Request(
        "DELETE", f"/2/chat/conversations/{path}/message_ttl", json=_body(action_signatures),
        user_auth=user_auth,
    )  # fmt: skip


def remove_chat_group_members(
    conversation_id: ID, *, user_ids: list[int | str],
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Remove members from an XChat group; pass your own id to leave it.

    Leaving keeps the conversation (up to when you left) for you.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_ids : list[int | str]
        The users to remove, 1 to 100.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or ``user_ids`` is
        empty or holds something else than user ids. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"removed": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/remove-members-from-a-chat-group-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    ids = _validation.check_user_ids("user_ids", user_ids)
    return Request(
        "POST", f"/2/chat/conversations/{path}/members/remove",
        json=_body(action_signatures, user_ids=ids), user_auth=user_auth,
    )  # fmt: skip
