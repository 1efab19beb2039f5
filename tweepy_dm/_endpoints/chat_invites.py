"""Request builders of XChat group invite links and join requests."""

from __future__ import annotations

from typing import Any

from tweepy_dm import _facts, _validation
from tweepy_dm._endpoints._common import ID, Request
from tweepy_dm._endpoints.chat_groups import _group
from tweepy_dm._endpoints.chat_manage import _body


def chat_group_invite_url(conversation_id: ID, token: str) -> str:
    """The invite link of a group, as X documents it (the client builds it)."""
    group = _group(conversation_id)
    _validation.check_string(
        "token", token, _facts.CHAT_INVITE_TOKEN_PATTERN, "10 letters, digits, - or _"
    )
    return _facts.CHAT_INVITE_URL_FORMAT.format(group=group, token=token)


def _digits(name: str, value: Any) -> Any:
    if value is None:
        return None
    text = _validation.check_version(name, value)
    if not _facts.CHAT_TTL_PATTERN.fullmatch(text):
        raise ValueError(f"{name} must be 1 to 19 digits (milliseconds), got {value!r}")
    return text


def _text(name: str, value: Any, most: int) -> Any:
    if value is None:
        return None
    _validation.check_str(name, value)
    if len(value) > most:
        raise ValueError(f"{name} must be at most {most} characters, got {len(value)}")
    return value


def enable_chat_group_invite(
    conversation_id: ID, *, invite_url: str | None = None,
    validity_duration_msec: int | str | None = None,
    validity_expiry_timestamp_msec: int | str | None = None,
    decrypted_title: str | None = None, decrypted_avatar_url: str | None = None,
    welcome_message: str | None = None, affiliate_user_id: ID | None = None,
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Turn on a group's invite link.

    X leaves the link to the client: build it with a 10-character token
    (``https://x.com/i/chat/group_join/g…/TOKEN``); it is part of what
    ``action_signatures`` sign, so it is required with them, and the
    expiry should then be the timestamp form. The title, avatar and welcome
    message are stored **unencrypted** and shown to anyone with the link.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    invite_url : str | None
        The link; its group must be ``conversation_id``.
    validity_duration_msec, validity_expiry_timestamp_msec : int | str | None
        When the link stops working: milliseconds from now, or epoch
        milliseconds (if both, they must agree to within a minute). Neither:
        it never expires.
    decrypted_title, decrypted_avatar_url, welcome_message : str | None
        The preview's title (≤ 1024), ``https://`` avatar (≤ 2048) and
        welcome message (≤ 1024).
    affiliate_user_id : int | str | None
        An affiliate account to attach to the link.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If a value breaks X's rules (the link's form or group, a text's
        length, an avatar not on https, signatures without the link).
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` has ``invite_url``,
        ``token``, ``expires_at``, ``group_name``, ``welcome_message``, ….

    References
    ----------
    https://docs.x.com/x-api/chat/enable-a-chat-group-invite-link
    """
    group = _group(conversation_id)
    fields: dict[str, Any] = {}
    if invite_url is not None:
        _validation.check_str("invite_url", invite_url)
        match = _facts.CHAT_INVITE_URL_PATTERN.fullmatch(invite_url)
        if match is None or match.group(1) != group:
            raise ValueError(
                f"invite_url must be {_facts.CHAT_INVITE_URL_FORMAT} for group {group} "
                f"(chat_group_invite_url builds it), got {invite_url!r}"
            )
        fields["invite_url"] = invite_url
    elif action_signatures is not None:
        raise ValueError("invite_url is part of the signed payload: give it with action_signatures")
    for name, value in (
        ("validity_duration_msec", validity_duration_msec),
        ("validity_expiry_timestamp_msec", validity_expiry_timestamp_msec),
    ):
        if _digits(name, value) is not None:
            fields[name] = _digits(name, value)
    for name, value, most in (
        ("decrypted_title", decrypted_title, _facts.MAX_CHAT_INVITE_TEXT),
        ("decrypted_avatar_url", decrypted_avatar_url, _facts.MAX_CHAT_INVITE_AVATAR_URL),
        ("welcome_message", welcome_message, _facts.MAX_CHAT_INVITE_TEXT),
    ):
        if _text(name, value, most) is not None:
            fields[name] = value
    if decrypted_avatar_url is not None and not decrypted_avatar_url.startswith("https://"):
        raise ValueError(
            f"decrypted_avatar_url must start with https://, got {decrypted_avatar_url!r}"
        )
    if affiliate_user_id is not None:
        fields["affiliate_user_id"] = _validation.check_user_id(
            affiliate_user_id, "affiliate_user_id"
        )
    return Request(
        "POST", f"/2/chat/conversations/{group}/invite",
        json=_body(action_signatures, **fields), user_auth=user_auth,
    )  # fmt: skip


def disable_chat_group_invite(
    conversation_id: ID, *, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Turn off a group's invite link: the current link stops working.

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
        As the client's ``return_type`` says; ``data`` is ``{"disabled": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/disable-a-chat-group-invite-link
    """
    group = _group(conversation_id)
    return Request(
        "DELETE", f"/2/chat/conversations/{group}/invite", json=_body(action_signatures),
        user_auth=user_auth,
    )  # fmt: skip


def get_chat_group_invite(conversation_id: ID, token: str, *, user_auth: bool = True) -> Request:
    """Preview a group from its invite link: name, members, and your ``join_state``.

    Anyone with the link may look; ``join_state`` is ``member``,
    ``not_member``, ``removed`` or ``requested``.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id, from the link.
    token : str
        The link's 10-character token.
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``token`` not 10 letters,
        digits, ``-`` or ``_``. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` has the invite's fields,
        ``member_count`` and ``join_state``.

    References
    ----------
    https://docs.x.com/x-api/chat/get-a-chat-group-invite-link
    """
    url = chat_group_invite_url(conversation_id, token)
    group, token = url.rsplit("/", 2)[-2:]
    return Request("GET", f"/2/chat/conversations/{group}/invites/{token}", user_auth=user_auth)


def create_chat_group_join_request(
    conversation_id: ID, *, token: str, action_signatures: list[dict[str, Any]] | None = None,
    user_auth: bool = True,
) -> Request:  # fmt: skip
    """Ask to join a group through its invite link; it waits until an admin adds you.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id, from the link.
    token : str
        The link's 10-character token.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``token`` is malformed.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"requested": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/request-to-join-a-chat-group
    """
    url = chat_group_invite_url(conversation_id, token)
    group = url.rsplit("/", 2)[-2]
    return Request(
        "POST", f"/2/chat/conversations/{group}/join_requests",
        json=_body(action_signatures, token=token), user_auth=user_auth,
    )  # fmt: skip


def reject_chat_group_join_requests(
    conversation_id: ID, *, user_ids: list[int | str],
    action_signatures: list[dict[str, Any]] | None = None, user_auth: bool = True,
) -> Request:  # fmt: skip
    """Reject requests to join a group (admins only).

    There is no approve: add the user with :meth:`add_chat_group_members`,
    which clears their request.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The group's ``g…`` id.
    user_ids : list[int | str]
        Who asked, 1 to 100.
    {action_signatures}
    {user_auth}

    {raises_type}
    ValueError
        If ``conversation_id`` is not a group's or ``user_ids`` is empty or
        holds something else than user ids. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"rejected": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/reject-join-requests-for-a-chat-group-conversation
    """
    group = _group(conversation_id)
    ids = _validation.check_user_ids("user_ids", user_ids)
    return Request(
        "POST", f"/2/chat/conversations/{group}/join_requests/reject",
        json=_body(action_signatures, user_ids=ids), user_auth=user_auth,
    )  # fmt: skip
