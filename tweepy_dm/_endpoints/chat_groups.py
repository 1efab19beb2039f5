"""Request builders of XChat group administration: admins, admin requests and settings, pins."""

from __future__ import annotations

from typing import Any

import tweepy

from tweepy_dm import _chat_ids, _facts, _validation
from tweepy_dm._endpoints._common import ID, Fields, Request, _query
from tweepy_dm._endpoints.chat_manage import _body


def _group(conversation_id: ID) -> str:
    path = _chat_ids.path_id(conversation_id)
    if not path.startswith("g"):
        raise ValueError(f"conversation_id must be a group's g... id, got {conversation_id!r}")
    return path


def _token(value: Any) -> Any:
    if value is not None:
        _validation.check_string("pagination_token", value, _facts.NUMERIC_PATTERN, "digits")
    return value


def add_chat_group_admins(
    conversation_id: ID, *, user_ids: list[int | str],
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Make members of an XChat group its admins (admins only).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_ids : list[int | str]
        Members to make admins, 1 to 100.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``user_ids`` is empty or
        holds something else than user ids. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"added": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/add-admins-to-a-chat-group-conversation
    """
    path = _group(conversation_id)
    ids = _validation.check_user_ids("user_ids", user_ids)
    return Request(
        "POST", f"/2/chat/conversations/{path}/admins",
        json=_body(action_signatures, user_ids=ids), user_auth=user_auth,
    )  # fmt: skip


def remove_chat_group_admins(
    conversation_id: ID, *, user_ids: list[int | str],
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Take admin rights from members of an XChat group (admins only); they stay members.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_ids : list[int | str]
        Admins to demote, 1 to 100.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``user_ids`` is empty or
        holds something else than user ids. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"removed": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/remove-admins-from-a-chat-group-conversation
    """
    path = _group(conversation_id)
    ids = _validation.check_user_ids("user_ids", user_ids)
    return Request(
        "POST", f"/2/chat/conversations/{path}/admins/remove",
        json=_body(action_signatures, user_ids=ids), user_auth=user_auth,
    )  # fmt: skip


def get_chat_group_admin_requests(
    conversation_id: ID, *, pagination_token: str | None = None,
    user_fields: Fields | None = None, expansions: Fields | None = None,
    tweet_fields: Fields | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Return the members who asked to be admins of an XChat group (admins only).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta``.
    user_fields, expansions, tweet_fields : list[str] | str | None
        As for tweepy's user lookups.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's, a field is unknown or the
        token is not digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`tweepy.User`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-pending-admin-requests-for-a-chat-group-conversation
    """
    path = _group(conversation_id)
    params = _query(
        pagination_token=_token(pagination_token),
        user_fields=_validation.check_known_names("user_fields", user_fields, _facts.USER_FIELDS),
        expansions=_validation.check_known_names("expansions", expansions, _facts.USER_EXPANSIONS),
        tweet_fields=_validation.check_known_names(
            "tweet_fields", tweet_fields, _facts.TWEET_FIELDS
        ),
    )
    return Request(
        "GET", f"/2/chat/conversations/{path}/admin_requests", params=params,
        endpoint_parameters=_facts.CHAT_ADMIN_REQUESTS_PARAMETERS, data_type=tweepy.User,
        user_auth=user_auth,
    )  # fmt: skip


def create_chat_group_admin_request(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Ask the admins of an XChat group to make you an admin.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"requested": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/request-admin-permissions-in-a-chat-group-conversation
    """
    path = _group(conversation_id)
    return Request(
        "POST", f"/2/chat/conversations/{path}/admin_requests",
        json=_body(action_signatures), user_auth=user_auth,
    )  # fmt: skip


def _answer(verb: str, conversation_id: ID, user_id: Any, signatures: Any, auth: bool) -> Request:
    path = _group(conversation_id)
    user = _validation.check_user_id(user_id)
    return Request(
        "POST", f"/2/chat/conversations/{path}/admin_requests/{user}/{verb}",
        json=_body(signatures), user_auth=auth,
    )  # fmt: skip


def approve_chat_group_admin_request(
    conversation_id: ID, user_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Approve a member's request to be an admin of an XChat group (admins only).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_id : int | str
        The member who asked.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``user_id`` not a user id.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"approved": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/approve-an-admin-request-in-a-chat-group-conversation
    """
    return _answer("approve", conversation_id, user_id, action_signatures, user_auth)


def reject_chat_group_admin_request(
    conversation_id: ID, user_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Reject a member's request to be an admin of an XChat group (admins only).

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_id : int | str
        The member who asked.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``user_id`` not a user id.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"rejected": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/reject-an-admin-request-in-a-chat-group-conversation
    """
    return _answer("reject", conversation_id, user_id, action_signatures, user_auth)


def update_chat_group_admin_settings(
    conversation_id: ID, *, add_member: bool | None = None,
    block_screen_capture: bool | None = None, edit_group_info: bool | None = None,
    edit_message_ttl: bool | None = None, send_message: bool | None = None,
    start_call: bool | None = None, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Choose which actions of an XChat group only its admins may take (admins only).

    ``True`` keeps an action to admins, ``False`` opens it to every member;
    settings left out keep their values. ``send_message=True`` makes the
    group announcement-only. If you sign the change, sign the full merged
    settings (the stored ones with this change applied), as X documents.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    add_member, block_screen_capture, edit_group_info, edit_message_ttl, send_message, start_call : bool | None
        The settings to change; at least one.
    {action_signatures}
    {user_auth}

    Raises
    ------
    TypeError
        If a setting is not a bool, or another argument has the wrong type.
    ValueError
        If ``conversation_id`` is not a group's or no setting is given.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"updated": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/update-the-admin-only-settings-of-a-chat-group-conversation
    """  # noqa: E501
    path = _group(conversation_id)
    given = {
        "add_member": add_member,
        "block_screen_capture": block_screen_capture,
        "edit_group_info": edit_group_info,
        "edit_message_ttl": edit_message_ttl,
        "send_message": send_message,
        "start_call": start_call,
    }
    settings = {name: value for name, value in given.items() if value is not None}
    for name, value in settings.items():
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, not {type(value).__name__}: {value!r}")
    if not settings:
        raise ValueError(f"set one or more of {', '.join(_facts.CHAT_ADMIN_SETTINGS)}")
    return Request(
        "PUT", f"/2/chat/conversations/{path}/admin_settings",
        json=_body(action_signatures, **settings), user_auth=user_auth,
    )  # fmt: skip


def update_chat_conversation_screen_capture(
    conversation_id: ID, *, blocking: bool | None = None, detection: bool | None = None,
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Block screenshots, or be told of them, in an XChat conversation, for everyone.

    One setting per request; in a group only admins may change them.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    blocking : bool | None
        Stop screenshots.
    detection : bool | None
        Tell the participants when someone takes one.
    action_signatures : list[dict] | None
        Signed actions for the setting given, as X's SDK makes them (optional).
    {user_auth}

    Raises
    ------
    TypeError
        If a setting is not a bool, or another argument has the wrong type.
    ValueError
        If not exactly one of ``blocking`` and ``detection`` is given.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` echoes the setting changed.

    References
    ----------
    https://docs.x.com/x-api/chat/update-screen-capture-settings-for-a-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    given = (("blocking", blocking), ("detection", detection))
    settings = {name: value for name, value in given if value is not None}
    if len(settings) != 1:
        raise ValueError("give exactly one of blocking or detection (X takes one per request)")
    ((name, value),) = settings.items()
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}: {value!r}")
    body: dict[str, Any] = {name: value}
    signatures = _validation.check_action_signatures(action_signatures, required=False)
    if signatures is not None:
        body[f"{name}_action_signatures"] = signatures
    return Request(
        "PUT", f"/2/chat/conversations/{path}/screen_capture", json=body, user_auth=user_auth
    )


def get_chat_conversation_pinned_messages(
    conversation_id: ID, *, pagination_token: str | None = None, user_auth: bool = True
) -> Request:
    """Return the pinned messages of an XChat conversation, as encrypted pin events.

    Each ``encoded_event`` is an end-to-end encrypted Thrift pin event; X has
    not published its layout.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        ``LOW-HIGH`` or ``LOW:HIGH`` user ids, a group's ``g…`` id, or a user
        id for your 1:1 conversation with that user.
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta`` (digits).
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is in none of X's forms or the token is not
        digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` lists ``{"encoded_event": …}``.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation-pinned-messages
    """
    path = _chat_ids.path_id(conversation_id)
    return Request(
        "GET",
        f"/2/chat/conversations/{path}/pinned_messages",
        params=_query(pagination_token=_token(pagination_token)),
        endpoint_parameters=("pagination_token",),
        user_auth=user_auth,
    )


def update_chat_group(
    conversation_id: ID, *, conversation_key_version: int | str, group_name: str | None = None,
    group_avatar_url: str | None = None, group_description: str | None = None,
    action_signatures: list[dict[str, Any]] | None = None,
    conversation_participant_keys: list[dict[str, Any]] | None = None,
    base64_encoded_key_rotation: str | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Rename an XChat group, or change its avatar or description.

    Each value is encrypted with the conversation key by you (X never sees
    it in clear); ``modified_fields`` lists the ones given. With
    ``conversation_participant_keys`` the edit also rotates the key, and X
    answers the new key's ``conversation_key_change_sequence_id``. When an
    edit must rotate the key is unconfirmed by X.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    conversation_key_version : int | str
        The version of the conversation key the values are encrypted with.
    group_name, group_avatar_url, group_description : str | None
        The new values, encrypted; at least one.
    action_signatures : list[dict] | None
        Signed actions, as X's SDK makes them (with a rotation, its key change).
    conversation_participant_keys : list[dict] | None
        A rotated key wrapped for every member, as for
        :meth:`add_chat_conversation_keys`.
    base64_encoded_key_rotation : str | None
        The rotation, base64, as X's SDK makes it.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's, no value is given or the
        key version is not digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"updated": True}``
        (and ``conversation_key_change_sequence_id`` after a rotation).

    References
    ----------
    https://docs.x.com/x-api/chat/update-a-chat-group-conversation
    """
    path = _group(conversation_id)
    values = {
        "group_name": group_name,
        "group_avatar_url": group_avatar_url,
        "group_description": group_description,
    }
    given = {name: value for name, value in values.items() if value is not None}
    for name, value in given.items():
        _validation.check_string(name, value, _facts.CHAT_BASE64_PATTERN, "encrypted, base64")
    if not given:
        raise ValueError(f"give one or more of {', '.join(_facts.CHAT_GROUP_FIELDS)}")
    body: dict[str, Any] = {
        "modified_fields": list(given),
        "conversation_key_version": _validation.check_version(
            "conversation_key_version", conversation_key_version
        ),
        **given,
    }
    if conversation_participant_keys is not None:
        body["conversation_participant_keys"] = _validation.check_participant_keys(
            conversation_participant_keys
        )
    if base64_encoded_key_rotation is not None:
        body["base64_encoded_key_rotation"] = _validation.check_string(
            "base64_encoded_key_rotation",
            base64_encoded_key_rotation,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
    return Request(
        "PUT", f"/2/chat/conversations/{path}", json=_body(action_signatures, **body),
        user_auth=user_auth,
    )  # fmt: skip
