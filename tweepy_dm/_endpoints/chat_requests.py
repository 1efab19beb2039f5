"""Request builders of XChat's message requests and of the user's chat settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweepy_dm import _chat_ids, _facts, _validation
from tweepy_dm._chat_models import ChatMessageRequest, ChatSettings
from tweepy_dm._endpoints._common import ID, Request, _query


def _one_to_one(conversation_id: ID) -> str:
    path = _chat_ids.path_id(conversation_id)
    if path.startswith("g"):
        raise ValueError(
            "conversation_id must name a 1:1 conversation (a user id or LOW-HIGH): message "
            f"requests are never groups, got {conversation_id!r}"
        )
    return path


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> Any:
    if value is None:
        return None
    _validation.check_str(name, value)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)} (exactly), got {value!r}")
    return value


def _flag(name: str, value: Any) -> Any:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}: {value!r}")
    return value


def _av_settings(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"av_settings must be a dict, not {type(value).__name__}")
    allowed = (*_facts.CHAT_AV_SETTINGS, "av_call_permissions")
    unknown = sorted(set(value) - set(allowed))
    if unknown or not value:
        raise ValueError(
            f"av_settings must set one or more of {', '.join(allowed)}, got {sorted(value)!r}"
        )
    checked: dict[str, Any] = {}
    for name, item in value.items():
        if name != "av_call_permissions":
            checked[name] = _flag(f"av_settings[{name!r}]", item)
            continue
        if not isinstance(item, Mapping):
            raise TypeError(f"av_call_permissions must be a dict, not {type(item).__name__}")
        wrong = sorted(set(item) - set(_facts.CHAT_AV_CALL_PERMISSIONS))
        if wrong or not item:
            raise ValueError(
                "av_call_permissions must set one or more of "
                f"{', '.join(_facts.CHAT_AV_CALL_PERMISSIONS)}, got {sorted(item)!r}"
            )
        checked[name] = {
            key: _flag(f"av_call_permissions[{key!r}]", flag) for key, flag in item.items()
        }
    return checked


def get_chat_message_requests(
    *,
    inbox_type: str | None = None,
    max_results: int | None = None,
    pagination_token: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Return the authenticating user's pending XChat message requests, from one inbox.

    A first message from someone the user's settings do not let into the
    inbox (``allow_dms_from``) waits here until the user accepts it. The
    contents are end-to-end encrypted: ``tweepy_dm.xchat.XChat``'s
    ``get_message_requests`` decrypts the previews. X warns that a page may
    be empty while ``meta.next_token`` is present: keep paging.

    .. versionadded:: 0.2

    Parameters
    ----------
    inbox_type : str | None
        ``you_may_know`` (X's default; the apps' Priority tab) or
        ``low_quality`` (the Hidden tab).
    max_results : int | None
        Requests per page, 1 to 50 (X's default is 10).
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta``.
    {user_auth}

    {raises_type}
    ValueError
        If ``inbox_type`` is not one of X's, ``max_results`` is not 1 to 50 or
        the token is not X's digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`ChatMessageRequest`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-message-requests
    """
    _validation.check_page(max_results, None, most=_facts.MAX_CHAT_REQUESTS)
    if pagination_token is not None:
        _validation.check_string(
            "pagination_token",
            pagination_token,
            _facts.CHAT_REQUEST_TOKEN_PATTERN,
            "1 to 10 digits",
        )
    params = _query(
        inbox_type=_choice("inbox_type", inbox_type, _facts.CHAT_REQUEST_INBOXES),
        max_results=max_results,
        pagination_token=pagination_token,
    )
    return Request(
        "GET",
        "/2/chat/message_requests",
        params=params,
        endpoint_parameters=_facts.CHAT_REQUESTS_PARAMETERS,
        data_type=ChatMessageRequest,
        user_auth=user_auth,
    )


def get_chat_message_request(conversation_id: ID, *, user_auth: bool = True) -> Request:
    """Return the message request state of a 1:1 XChat conversation and its newest messages.

    Like opening the request in an X app, this marks the returned messages
    delivered.

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The other user's id, or ``LOW-HIGH`` (``LOW:HIGH``) user ids.
    {user_auth}

    Raises
    ------
    TypeError
        If ``conversation_id`` is not an int or a str.
    ValueError
        If ``conversation_id`` is not a 1:1 conversation id. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`ChatMessageRequest` whose
        ``message_request_state`` is ``none``, ``received`` or ``sent``.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-message-request
    """
    path = _one_to_one(conversation_id)
    return Request(
        "GET",
        f"/2/chat/message_requests/{path}",
        data_type=ChatMessageRequest,
        user_auth=user_auth,
    )


def accept_chat_message_request(conversation_id: ID, *, user_auth: bool = True) -> Request:
    """Accept the other user's pending message request: the 1:1 moves into your inbox.

    Replying does not accept a request. X answers 404 when no request is
    pending, right after a successful accept too: treat it as "already
    accepted or gone".

    .. versionadded:: 0.2

    Parameters
    ----------
    conversation_id : int | str
        The other user's id, or ``LOW-HIGH`` (``LOW:HIGH``) user ids.
    {user_auth}

    Raises
    ------
    TypeError
        If ``conversation_id`` is not an int or a str.
    ValueError
        If ``conversation_id`` is not a 1:1 conversation id. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"accepted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/accept-a-chat-message-request
    """
    path = _one_to_one(conversation_id)
    return Request("POST", f"/2/chat/message_requests/{path}/accept", user_auth=user_auth)


def get_chat_settings(*, user_auth: bool = True) -> Request:
    """Return the authenticating user's XChat settings: who may DM them, receipts, calls.

    .. versionadded:: 0.2

    Parameters
    ----------
    {user_auth}

    Raises
    ------
    TypeError
        If ``user_auth`` is given positionally.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`ChatSettings`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-settings
    """
    return Request("GET", "/2/chat/settings", data_type=ChatSettings, user_auth=user_auth)


def update_chat_settings(
    *,
    allow_dms_from: str | None = None,
    always_allow_dms_from_subscribers: bool | None = None,
    dm_receipt_settings: str | None = None,
    dm_quality_filter: str | None = None,
    av_settings: dict[str, Any] | None = None,
    user_auth: bool = True,
) -> Request:
    """Change the authenticating user's XChat settings; what you leave out keeps its value.

    .. versionadded:: 0.2

    Parameters
    ----------
    allow_dms_from : str | None
        Whose first message reaches the inbox: ``all``, ``verified`` or
        ``following``; anyone else's becomes a message request.
    always_allow_dms_from_subscribers : bool | None
        Let the user's subscribers in whatever ``allow_dms_from`` says.
    dm_receipt_settings : str | None
        Read receipts: ``all_enabled`` or ``all_disabled``.
    dm_quality_filter : str | None
        ``enabled`` files low-quality requests in the ``low_quality`` inbox;
        ``disabled``.
    av_settings : dict | None
        Calls: ``has_av_calls_enabled``, ``has_enhanced_call_privacy_enabled``
        and ``av_call_permissions`` (a dict of ``accept_calls_from_addressbook``,
        ``…_everyone``, ``…_following``, ``…_verified``), all bools. X has not
        said whether fields left out of ``av_settings`` are kept: send every
        one you want to keep.
    {user_auth}

    {raises_type}
    ValueError
        If nothing is set, or a value is not one of X's (they are matched
        exactly, case included). Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is the new :class:`ChatSettings`.

    References
    ----------
    https://docs.x.com/x-api/chat/update-chat-settings
    """
    body: dict[str, Any] = {}
    for name, value, allowed in (
        ("allow_dms_from", allow_dms_from, _facts.CHAT_ALLOW_DMS_FROM),
        ("dm_receipt_settings", dm_receipt_settings, _facts.CHAT_RECEIPT_SETTINGS),
        ("dm_quality_filter", dm_quality_filter, _facts.CHAT_QUALITY_FILTER),
    ):
        if _choice(name, value, allowed) is not None:
            body[name] = value
    if _flag("always_allow_dms_from_subscribers", always_allow_dms_from_subscribers) is not None:
        body["always_allow_dms_from_subscribers"] = always_allow_dms_from_subscribers
    if av_settings is not None:
        body["av_settings"] = _av_settings(av_settings)
    if not body:
        raise ValueError(
            "update_chat_settings needs one or more of allow_dms_from, "
            "always_allow_dms_from_subscribers, dm_receipt_settings, dm_quality_filter, "
            "av_settings"
        )
    return Request(
        "PUT", "/2/chat/settings", json=body, data_type=ChatSettings, user_auth=user_auth
    )
