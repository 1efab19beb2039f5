"""The endpoint table: what each DM endpoint needs, written once for both clients (no I/O).

Every builder here takes a method's arguments, checks them, and returns a
:class:`Request` (the HTTP method, route, query parameters, JSON body, the model
to parse ``data`` into and the authentication to use). :data:`ENDPOINTS` has
one row per client method: its builder, aliases, X's routes and reference pages,
its docs group and how a transport sends it. The sync and async clients
(:mod:`tweepy_dm._methods`), their docs tables, the type stubs and the
emulator's checks are all derived from that table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Optional, Union

from tweepy_dm import _facts, _media, _validation
from tweepy_dm._activity import ActivitySubscription
from tweepy_dm._facts import DM_EVENT_FIELD_PARAMETERS, DM_EVENT_LOOKUP_PARAMETERS
from tweepy_dm._models import DirectMessageEvent

ID = Union[int, str]
#: A list of field names, or one comma-separated string, as tweepy takes them.
Fields = Union[str, Iterable[str]]

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Request(NamedTuple):
    """A request as tweepy's ``BaseClient._make_request`` takes it.

    The field names are that method's keyword arguments, so a client sends a
    request with ``client._make_request(**request._asdict())``.
    """

    method: str
    route: str
    params: Mapping[str, Any] = _NO_PARAMS
    endpoint_parameters: tuple[str, ...] = ()
    json: Optional[dict[str, Any]] = None
    data_type: Optional[type] = None
    user_auth: bool = False


def _query(**params: Any) -> dict[str, Any]:
    """The keyword arguments that were given, lists of fields made lists.

    tweepy joins lists with commas; a tuple, set or generator would reach the
    HTTP library as it is (and crash aiohttp's URL builder), so every iterable
    becomes a list here, identically for both clients.
    """
    query = {}
    for name, value in params.items():
        if value is None:
            continue
        if name.endswith(("_fields", "expansions", "event_types")):
            value = _validation.check_names(name, value)
        query[name] = value
    return query


def _merge_fields(tweet_fields: Any, post_fields: Any) -> Any:
    # X's spec 2.167 renamed tweet.fields to post.fields on the DM lookups, its
    # changelog still says tweet.fields: both are accepted and sent as the
    # name every server is known to take.
    if post_fields is None:
        return tweet_fields
    names = _field_names("tweet_fields", tweet_fields or [])
    for name in _field_names("post_fields", post_fields):
        if name not in names:
            names.append(name)
    return names


def _field_names(name: str, value: Any) -> list[str]:
    names = _validation.check_names(name, value)
    return names.split(",") if isinstance(names, str) else names


def _conversation_route(
    dm_conversation_id: ID | None, participant_id: ID | None, suffix: str, *, required: bool
) -> str | None:
    if dm_conversation_id is not None and participant_id is not None:
        raise TypeError(
            "Expected DM conversation ID or participant ID, not both: pass "
            "dm_conversation_id for a conversation, or participant_id for the "
            "one-to-one conversation with that user"
        )
    if dm_conversation_id is not None:
        _validation.check_conversation_id(dm_conversation_id)
        return f"/2/dm_conversations/{dm_conversation_id}/{suffix}"
    if participant_id is not None:
        _validation.check_id("participant_id", participant_id)
        return f"/2/dm_conversations/with/{participant_id}/{suffix}"
    if required:
        raise TypeError(
            "DM conversation ID or participant ID is required: pass "
            "dm_conversation_id to post into a conversation, or participant_id "
            "to message a user"
        )
    return None


def _message(text: str | None, media_id: ID | None) -> dict[str, Any]:
    _validation.check_message(text, media_id)
    message: dict[str, Any] = {}
    if media_id is not None:
        message["attachments"] = [{"media_id": str(media_id)}]
    if text is not None:
        message["text"] = text
    return message


# Direct Messages lookup


def get_direct_message_events(
    *,
    dm_conversation_id: str | None = None,
    participant_id: ID | None = None,
    dm_event_fields: Fields | None = None,
    event_types: Fields | None = None,
    expansions: Fields | None = None,
    max_results: int | None = None,
    media_fields: Fields | None = None,
    pagination_token: str | None = None,
    tweet_fields: Fields | None = None,
    user_fields: Fields | None = None,
    post_fields: Fields | None = None,
    user_auth: bool = True,
) -> Request:
    """Return the DM events of a conversation, of the one-to-one conversation
    with a user, or of every conversation of the authenticating user.

    With ``dm_conversation_id``, the events of that conversation (one-to-one
    or group); with ``participant_id``, the events of the one-to-one
    conversation with that user; with neither, the user's events from the last
    30 days across all conversations. Events come newest first.

    .. note::

        There is an alias for this method named ``get_dm_events``.

    .. versionadded:: 0.1

    Parameters
    ----------
    dm_conversation_id : str | None
        The conversation to read, e.g. ``"1234-5678"`` or a group's id.
    participant_id : int | str | None
        The user whose one-to-one conversation with you to read.
    dm_event_fields : list[str] | str | None
        Extra :class:`DirectMessageEvent` fields to return; see
        :const:`DM_EVENT_FIELDS`.
    event_types : list[str] | str | None
        Only these event types: ``MessageCreate``, ``ParticipantsJoin``,
        ``ParticipantsLeave``. All of them by default.
    expansions : list[str] | str | None
        ``attachments.media_keys``, ``participant_ids``,
        ``referenced_tweets.id`` or ``sender_id``, to fill ``includes``.
    max_results : int | None
        Events per page, 1 to 100 (X's default is 100).
    media_fields : list[str] | str | None
        Fields of the media objects in ``includes``.
    pagination_token : str | None
        ``next_token`` or ``previous_token`` from a previous page's ``meta``.
    tweet_fields : list[str] | str | None
        Fields of the Tweet objects in ``includes``.
    post_fields : list[str] | str | None
        The same as ``tweet_fields``, under the name X's OpenAPI spec 2.167
        gives it (``post.fields``). Merged into ``tweet_fields`` and sent as
        ``tweet.fields``, which X's changelog still documents.

        .. versionadded:: 0.2
    user_fields : list[str] | str | None
        Fields of the user objects in ``includes``.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If both ``dm_conversation_id`` and ``participant_id`` are passed, or an
        argument has the wrong type.
    ValueError
        If an id is malformed, ``max_results`` is not 1 to 100, or an event
        type is unknown. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`DirectMessageEvent`.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/get-dm-events
    https://docs.x.com/x-api/direct-messages/get-dm-events-for-a-dm-conversation
    https://docs.x.com/x-api/direct-messages/get-dm-events-for-a-dm-conversation-1
    """
    route = _conversation_route(dm_conversation_id, participant_id, "dm_events", required=False)
    params = _query(
        dm_event_fields=dm_event_fields,
        event_types=event_types,
        expansions=expansions,
        max_results=max_results,
        media_fields=media_fields,
        pagination_token=pagination_token,
        tweet_fields=_merge_fields(tweet_fields, post_fields),
        user_fields=user_fields,
    )
    _validation.check_lookup_params(params)
    return Request(
        "GET",
        route or "/2/dm_events",
        params=params,
        endpoint_parameters=DM_EVENT_LOOKUP_PARAMETERS,
        data_type=DirectMessageEvent,
        user_auth=user_auth,
    )


def get_direct_message_event(
    event_id: ID,
    *,
    dm_event_fields: Fields | None = None,
    expansions: Fields | None = None,
    media_fields: Fields | None = None,
    tweet_fields: Fields | None = None,
    user_fields: Fields | None = None,
    post_fields: Fields | None = None,
    user_auth: bool = True,
) -> Request:
    """Return one DM event by its id.

    .. note::

        There is an alias for this method named ``get_dm_event``.

    .. versionadded:: 0.1

    Parameters
    ----------
    event_id : int | str
        The id of the DM event, e.g. a ``dm_event_id`` returned when sending.
    dm_event_fields : list[str] | str | None
        Extra :class:`DirectMessageEvent` fields to return; see
        :const:`DM_EVENT_FIELDS`.
    expansions : list[str] | str | None
        ``attachments.media_keys``, ``participant_ids``,
        ``referenced_tweets.id`` or ``sender_id``, to fill ``includes``.
    media_fields : list[str] | str | None
        Fields of the media objects in ``includes``.
    tweet_fields : list[str] | str | None
        Fields of the Tweet objects in ``includes``.
    post_fields : list[str] | str | None
        The same as ``tweet_fields``, under the name X's OpenAPI spec 2.167
        gives it (``post.fields``). Merged into ``tweet_fields`` and sent as
        ``tweet.fields``, which X's changelog still documents.

        .. versionadded:: 0.2
    user_fields : list[str] | str | None
        Fields of the user objects in ``includes``.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``event_id`` is not an int or a string.
    ValueError
        If ``event_id`` is not a valid id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is one :class:`DirectMessageEvent`. An unknown event raises
        tweepy's ``NotFound`` (``HTTPException`` before tweepy 4.8).

    References
    ----------
    https://docs.x.com/x-api/direct-messages/get-dm-event-by-id
    """
    _validation.check_id("event_id", event_id)
    params = _query(
        dm_event_fields=dm_event_fields,
        expansions=expansions,
        media_fields=media_fields,
        tweet_fields=_merge_fields(tweet_fields, post_fields),
        user_fields=user_fields,
    )
    return Request(
        "GET",
        f"/2/dm_events/{event_id}",
        params=params,
        endpoint_parameters=DM_EVENT_FIELD_PARAMETERS,
        data_type=DirectMessageEvent,
        user_auth=user_auth,
    )


# Manage Direct Messages


def create_direct_message(
    *,
    dm_conversation_id: str | None = None,
    participant_id: ID | None = None,
    media_id: ID | None = None,
    text: str | None = None,
    user_auth: bool = True,
) -> Request:
    """Send a DM into a conversation, or to a user.

    With ``dm_conversation_id``, the message goes into that conversation
    (one-to-one or group) on behalf of the authenticating user. With
    ``participant_id``, it goes to that user, creating the one-to-one
    conversation if there is none yet.

    .. note::

        There is an alias for this method named ``create_dm``.

    .. versionadded:: 0.1

    Parameters
    ----------
    dm_conversation_id : str | None
        The conversation to post into.
    participant_id : int | str | None
        The user to send a one-to-one message to.
    media_id : int | str | None
        One media id to attach, uploaded by the same user with a ``dm_*``
        category. Required if there is no ``text``.
    text : str | None
        The message, up to 10,000 characters. Required if there is no
        ``media_id``.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If neither or both of ``dm_conversation_id`` and ``participant_id``
        are passed, or an argument has the wrong type.
    ValueError
        If an id is malformed, there is neither text nor media, or the text is
        empty or longer than 10,000 characters. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` holds the
        ``dm_conversation_id`` and the new ``dm_event_id``.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/create-dm-message-by-dm-conversation-id
    https://docs.x.com/x-api/direct-messages/create-dm-message-by-participant-id
    """
    route = _conversation_route(dm_conversation_id, participant_id, "messages", required=True)
    return Request("POST", route, json=_message(text, media_id), user_auth=user_auth)


def create_direct_message_conversation(
    *,
    media_id: ID | None = None,
    text: str | None = None,
    participant_ids: Iterable[ID],
    user_auth: bool = True,
) -> Request:
    """Create a group conversation and post its first message.

    .. note::

        There is an alias for this method named ``create_dm_conversation``.

    .. versionadded:: 0.1

    Parameters
    ----------
    media_id : int | str | None
        One media id to attach, uploaded by the same user with a ``dm_*``
        category. Required if there is no ``text``.
    text : str | None
        The first message, up to 10,000 characters. Required if there is no
        ``media_id``.
    participant_ids : list[int | str]
        The other members of the group, 2 to 49 user ids.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If an id is malformed, ``participant_ids`` does not hold 2 to 49
        distinct users, there is neither text nor media, or the text is empty
        or longer than 10,000 characters. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` holds the new
        ``dm_conversation_id`` and ``dm_event_id``.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/create-dm-conversation
    """
    if isinstance(participant_ids, Iterable) and not isinstance(
        participant_ids, (str, bytes, Mapping)
    ):
        participant_ids = list(participant_ids)  # a generator must survive the check
    _validation.check_participant_ids(participant_ids)
    body = {
        "conversation_type": "Group",
        "message": _message(text, media_id),
        "participant_ids": [str(participant_id) for participant_id in participant_ids],
    }
    return Request("POST", "/2/dm_conversations", json=body, user_auth=user_auth)


def delete_direct_message_event(event_id: ID, *, user_auth: bool = True) -> Request:
    """Delete a DM event, for the authenticating user.

    Like deleting a message in X's apps, the event disappears from the
    caller's view of the conversation; the other participants keep theirs.

    .. note::

        There is an alias for this method named ``delete_dm_event``.

    .. versionadded:: 0.1

    Parameters
    ----------
    event_id : int | str
        The id of the DM event to delete.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``event_id`` is not an int or a string.
    ValueError
        If ``event_id`` is not a valid id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is
        ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/delete-dm-event
    """
    _validation.check_id("event_id", event_id)
    return Request("DELETE", f"/2/dm_events/{event_id}", user_auth=user_auth)


def block_direct_messages(user_id: ID, *, user_auth: bool = True) -> Request:
    """Stop a user from sending Direct Messages to the authenticating user.

    .. note::

        There is an alias for this method named ``block_dms``.

    .. versionadded:: 0.1

    Parameters
    ----------
    user_id : int | str
        The user to block from DMing you.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``user_id`` is not an int or a string.
    ValueError
        If ``user_id`` is not a valid id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is
        ``{"blocked": True}``.

    References
    ----------
    https://docs.x.com/x-api/users/block-dms
    """
    _validation.check_id("user_id", user_id)
    return Request("POST", f"/2/users/{user_id}/dm/block", user_auth=user_auth)


def unblock_direct_messages(user_id: ID, *, user_auth: bool = True) -> Request:
    """Let a user DM the authenticating user again after :meth:`block_direct_messages`.

    .. note::

        There is an alias for this method named ``unblock_dms``.

    .. versionadded:: 0.1

    Parameters
    ----------
    user_id : int | str
        The user to unblock.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``user_id`` is not an int or a string.
    ValueError
        If ``user_id`` is not a valid id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is
        ``{"blocked": False}``.

    References
    ----------
    https://docs.x.com/x-api/users/unblock-dms
    """
    _validation.check_id("user_id", user_id)
    return Request("POST", f"/2/users/{user_id}/dm/unblock", user_auth=user_auth)


class MediaDownload(NamedTuple):
    """A media download: the request, and where the bytes go (``None``: memory)."""

    request: Request
    file: Any = None


def get_direct_message_media(
    dm_event_id: ID,
    media_id: ID,
    resource_id: str,
    *,
    file: Any = None,
    user_auth: bool = False,
) -> MediaDownload:
    """Download media attached to a Direct Message.

    The three ids come from the media's URL, which X puts in the ``url`` of
    the media objects in ``includes`` when you read events with the
    ``attachments.media_keys`` expansion and ``media_fields=["url"]``: a URL
    ending in ``/{dm_event_id}/{media_id}/{resource_id}`` (for example
    ``.../dm/1585823814058971140/1585823813618384897/AbC_12-x.jpg``).

    X serves these bytes to an OAuth 2.0 user access token only (scope
    ``dm.read``), so ``user_auth`` defaults to ``False`` here: create the
    client with ``bearer_token`` set to the user's access token.

    .. note::

        There is an alias for this method named ``get_dm_media``.

    .. versionadded:: 0.1

    Parameters
    ----------
    dm_event_id : int | str
        The DM event the media is attached to.
    media_id : int | str
        The media's id.
    resource_id : str
        The last part of the media URL, e.g. ``AbC_12-x.jpg``.
    file : str | os.PathLike | binary file object | None
        Where to write the bytes, streamed chunk by chunk instead of held in
        memory. A path is created or replaced; a file object is written to
        from its current position and left open.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; X only accepts
        an OAuth 2.0 user access token for this endpoint.

    Raises
    ------
    TypeError
        If an id has the wrong type.
    ValueError
        If an id is malformed. Nothing is sent.

    Returns
    -------
    bytes | int
        The media's bytes; with ``file``, the number of bytes written.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/get-dm-media
    """
    _validation.check_id("dm_event_id", dm_event_id)
    _validation.check_id("media_id", media_id)
    _validation.check_resource_id(resource_id)
    _validation.check_destination(file)
    route = f"/2/dm_conversations/media/{dm_event_id}/{media_id}/{resource_id}"
    return MediaDownload(Request("GET", route, user_auth=user_auth), file)


# Activity subscriptions


def _check_str(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}: {value!r}")


def _check_event_type(value: Any) -> None:
    _check_str("event_type", value)
    if value not in _facts.ACTIVITY_EVENT_TYPES:
        private = ", ".join(_facts.DM_ACTIVITY_EVENT_TYPES)
        raise ValueError(
            f"event_type must be one of X's Activity API event types (for DMs: {private}; "
            f"see ACTIVITY_EVENT_TYPES), got {value!r}"
        )


def _check_tag(value: Any) -> None:
    _check_str("tag", value)
    most = _facts.ACTIVITY_TAG_MAX_LENGTH
    if not 1 <= len(value) <= most:
        raise ValueError(f"tag must be 1 to {most} characters long, got {len(value):,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"tag must be valid Unicode text (no lone surrogate), got {value!r}"
        ) from None


def _subscription(
    tag: str | None, webhook_id: ID | None, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = {} if body is None else body
    if tag is not None:
        _check_tag(tag)
        body["tag"] = tag
    if webhook_id is not None:
        _validation.check_id("webhook_id", webhook_id)
        body["webhook_id"] = str(webhook_id)
    return body


def create_activity_subscription(
    *,
    event_type: str,
    user_id: ID,
    direction: str | None = None,
    tag: str | None = None,
    webhook_id: ID | None = None,
    user_auth: bool = False,
) -> Request:
    """Subscribe the app to a user's events of one type on the X Activity API.

    X then delivers the events on the app's stream (``tweepy_dm.ActivityStream``)
    and, with ``webhook_id``, to that webhook.

    DM (``dm.*``) and chat (``chat.*``) events are private: X creates their
    subscriptions only for a request made with that user's OAuth 2.0 user
    access token with the ``dm.read`` scope, given as the client's
    ``bearer_token`` (keep ``user_auth=False``), and only if the user has
    authorised the app. Public events take the app's bearer token.

    .. versionadded:: 0.2

    Parameters
    ----------
    event_type : str
        The event type, e.g. ``dm.received``, ``dm.sent``, ``dm.read`` or
        ``dm.indicate_typing``; see ``tweepy_dm._facts.ACTIVITY_EVENT_TYPES``.
    user_id : int | str
        The user whose events to deliver (X's ``filter.user_id``).
    direction : str | None
        ``inbound`` or ``outbound``, for the events that have a direction
        (X's ``filter.direction``); both by default.
    tag : str | None
        Your label for the subscription, 1 to 200 characters; every event
        it delivers carries it.
    webhook_id : int | str | None
        A webhook (``POST /2/webhooks``) to deliver the events to as well.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; X wants an
        OAuth 2.0 token given as the bearer token, so this is ``False``.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``event_type`` or ``direction`` is not one X knows, an id is
        malformed, or ``tag`` is empty or longer than 200 characters.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is the new ``tweepy_dm.ActivitySubscription``.

    References
    ----------
    https://docs.x.com/x-api/activity/create-x-activity-subscription
    """
    _check_event_type(event_type)
    _validation.check_id("user_id", user_id)
    activity_filter: dict[str, Any] = {"user_id": str(user_id)}
    if direction is not None:
        _check_str("direction", direction)
        if direction not in _facts.ACTIVITY_DIRECTIONS:
            raise ValueError(
                f"direction must be one of {', '.join(_facts.ACTIVITY_DIRECTIONS)} "
                f"(or None for both), got {direction!r}"
            )
        activity_filter["direction"] = direction
    body = _subscription(tag, webhook_id, {"event_type": event_type, "filter": activity_filter})
    return Request(
        "POST",
        "/2/activity/subscriptions",
        json=body,
        data_type=ActivitySubscription,
        user_auth=user_auth,
    )


def get_activity_subscriptions(
    *,
    max_results: int | None = None,
    pagination_token: str | None = None,
    user_auth: bool = False,
) -> Request:
    """Return the app's X Activity API subscriptions, a page at a time.

    Works with :class:`tweepy.Paginator`.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    max_results : int | None
        Subscriptions per page, 1 to 1,000.
    pagination_token : str | None
        ``next_token`` from a previous page's ``meta``.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``max_results`` is not 1 to 1,000 or ``pagination_token`` is not
        one X returned. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of ``tweepy_dm.ActivitySubscription``.

    References
    ----------
    https://docs.x.com/x-api/activity/get-x-activity-subscriptions
    """
    most = _facts.MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE
    if max_results is not None:
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise TypeError(
                f"max_results must be an int, not {type(max_results).__name__}: {max_results!r}"
            )
        if not 1 <= max_results <= most:
            raise ValueError(f"max_results must be 1 to {most:,}, got {max_results}")
    if pagination_token is not None:
        _check_str("pagination_token", pagination_token)
        shortest = _facts.MIN_ACTIVITY_PAGINATION_TOKEN_LENGTH
        if (
            len(pagination_token) < shortest
            or not pagination_token.isascii()
            or not pagination_token.isprintable()
            or " " in pagination_token
        ):
            raise ValueError(
                f"pagination_token must be a page's meta next_token (at least {shortest} "
                f"visible ASCII characters), got {pagination_token!r}"
            )
    return Request(
        "GET",
        "/2/activity/subscriptions",
        params=_query(max_results=max_results, pagination_token=pagination_token),
        endpoint_parameters=("max_results", "pagination_token"),
        data_type=ActivitySubscription,
        user_auth=user_auth,
    )


def update_activity_subscription(
    subscription_id: ID,
    *,
    tag: str | None = None,
    webhook_id: ID | None = None,
    user_auth: bool = False,
) -> Request:
    """Change the tag or the webhook of an X Activity API subscription.

    X changes nothing else: to watch other events or another user, create a
    new subscription.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    subscription_id : int | str
        The subscription's id (``ActivitySubscription.id``).
    tag : str | None
        The new tag, 1 to 200 characters.
    webhook_id : int | str | None
        The webhook to deliver the events to.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type, or neither ``tag`` nor
        ``webhook_id`` is given.
    ValueError
        If an id is malformed or ``tag`` is empty or longer than 200
        characters. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is the updated ``tweepy_dm.ActivitySubscription``.

    References
    ----------
    https://docs.x.com/x-api/activity/update-x-activity-subscription
    """
    _validation.check_id("subscription_id", subscription_id)
    if tag is None and webhook_id is None:
        raise TypeError("update_activity_subscription needs tag or webhook_id: nothing to change")
    return Request(
        "PUT",
        f"/2/activity/subscriptions/{subscription_id}",
        json=_subscription(tag, webhook_id),
        data_type=ActivitySubscription,
        user_auth=user_auth,
    )


def delete_activity_subscription(subscription_id: ID, *, user_auth: bool = False) -> Request:
    """Delete an X Activity API subscription: X stops delivering its events.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    subscription_id : int | str
        The subscription's id (``ActivitySubscription.id``).
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If ``subscription_id`` is not an int or a string.
    ValueError
        If ``subscription_id`` is not a valid id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is
        ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/activity/deletes-x-activity-subscription
    """
    _validation.check_id("subscription_id", subscription_id)
    return Request("DELETE", f"/2/activity/subscriptions/{subscription_id}", user_auth=user_auth)


def delete_activity_subscriptions(ids: Iterable[ID], *, user_auth: bool = False) -> Request:
    """Delete up to 100 X Activity API subscriptions in one request.

    X deletes each it can and reports the others one by one in ``errors``
    (an unknown id does not stop the rest).

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    ids : list[int | str]
        The subscriptions' ids, 1 to 100 of them.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If ``ids`` is not an iterable of ids (a str is not).
    ValueError
        If there are no ids or more than 100, or one is malformed. Nothing is
        sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` lists
        ``{"subscription_id", "deleted"}`` per id, ``meta`` has
        ``total_subscriptions`` (those left).

    References
    ----------
    https://docs.x.com/x-api/activity/delete-x-activity-subscriptions-by-ids
    """
    if isinstance(ids, (str, bytes, Mapping)) or not isinstance(ids, Iterable):
        raise TypeError(
            f"ids must be a list of subscription ids, not {type(ids).__name__}: {ids!r}"
        )
    ids = list(ids)
    most = _facts.MAX_ACTIVITY_SUBSCRIPTION_IDS
    if not 1 <= len(ids) <= most:
        raise ValueError(f"ids must hold 1 to {most} subscription ids, got {len(ids)}")
    for subscription_id in ids:
        _validation.check_id("ids", subscription_id)
    return Request(
        "DELETE",
        "/2/activity/subscriptions",
        params={"ids": [str(subscription_id) for subscription_id in ids]},
        endpoint_parameters=("ids",),
        user_auth=user_auth,
    )


# Webhooks and the Account Activity API (issue 13)


#: A time as ``replay_webhook_events`` takes it: a datetime or a string.
When = Union[datetime.datetime, str]


def _check_webhook_id(webhook_id: Any) -> str:
    _validation.check_id("webhook_id", webhook_id)
    return str(webhook_id)


def create_webhook(url: str, *, user_auth: bool = False) -> Request:
    """Register a webhook: X then sends it a CRC and, once valid, events.

    X sends ``GET url?crc_token=…`` at once, and answers with the webhook
    only if the URL answers it (see ``tweepy_dm.webhooks.crc_response``).
    Name the webhook in an Activity API subscription (``webhook_id``) or
    subscribe users to it with
    :meth:`~tweepy_dm.Client.create_account_activity_subscription`.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    url : str
        Where X delivers: ``https://`` with no port, at most 200 characters.
        ``http://127.0.0.1:PORT/…`` and ``http://localhost:PORT/…`` are
        accepted too, for a receiver tested against the emulator (X itself
        refuses them).
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If ``url`` is not a str.
    ValueError
        If ``url`` is not HTTPS, names a port, or is longer than 200
        characters. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"id", "url",
        "valid", "created_at"}``.

    References
    ----------
    https://docs.x.com/x-api/webhooks/create-webhook
    """
    _check_str("url", url)
    problem = _facts.webhook_url_problem(url)
    if problem is not None:
        # A URL with a password in it is a secret: name the problem, not the URL.
        shown = "" if "@" in url else f": {url[:250]!r}"
        raise ValueError(f"url {problem}{shown}")
    return Request("POST", "/2/webhooks", json={"url": url}, user_auth=user_auth)


def get_webhooks(*, user_auth: bool = False) -> Request:
    """Return the app's webhooks, each with its URL and whether it is valid.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is a list of
        ``{"id", "url", "valid", "created_at"}``, ``meta`` has
        ``result_count``.

    Raises
    ------
    tweepy.Forbidden
        If X refuses the token: these endpoints take the app's bearer token.

    References
    ----------
    https://docs.x.com/x-api/webhooks/get-webhook
    """
    return Request("GET", "/2/webhooks", user_auth=user_auth)


def validate_webhook(webhook_id: ID, *, user_auth: bool = False) -> Request:
    """Have X run the CRC again, and re-enable the webhook if it passes (X's PUT).

    A webhook that failed a CRC is marked invalid and receives nothing until
    this passes.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook's id.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"valid": bool}``.

    References
    ----------
    https://docs.x.com/x-api/webhooks/validate-webhook
    """
    return Request("PUT", f"/2/webhooks/{_check_webhook_id(webhook_id)}", user_auth=user_auth)


def delete_webhook(webhook_id: ID, *, user_auth: bool = False) -> Request:
    """Delete a webhook: X stops delivering to it.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook's id.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/webhooks/delete-webhook
    """
    return Request("DELETE", f"/2/webhooks/{_check_webhook_id(webhook_id)}", user_auth=user_auth)


def _replay_minute(name: str, value: Any) -> datetime.datetime:
    """A replay bound as an aware UTC datetime, to the minute."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if _facts.REPLAY_DATE_PATTERN.fullmatch(text):
            try:
                moment = datetime.datetime.strptime(text, "%Y%m%d%H%M")
            except ValueError:
                raise ValueError(f"{name} {value!r} is not a real date and time") from None
        else:
            try:
                moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"{name} must be a datetime, 'yyyymmddhhmm' (UTC) or an ISO 8601 time "
                    f"such as '2026-11-28T04:00:00Z', got {value!r}"
                ) from None
    else:
        raise TypeError(
            f"{name} must be a datetime or a str, not {type(value).__name__}: {value!r}"
        )
    # As tweepy does: a naive datetime is UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).replace(second=0, microsecond=0)


def replay_webhook_events(
    webhook_id: ID,
    *,
    from_date: When,
    to_date: When,
    user_auth: bool = False,
) -> Request:
    """Have X deliver again the events of a time window to a webhook.

    For recovery after the receiver was down: X re-sends every event it
    delivered, or tried to deliver, to the webhook from ``from_date``
    (inclusive) to ``to_date`` (exclusive), with the same ``event_uuid``
    as the first time, so a receiver that dedupes (``tweepy_dm.webhooks``
    does) handles each once. X keeps the last 24 hours and runs one replay
    job per webhook at a time.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook's id.
    from_date, to_date : datetime.datetime | str
        The window: datetimes (naive ones are UTC, as in tweepy), X's
        ``yyyymmddhhmm`` in UTC, or ISO 8601 strings. Sent to the minute
        (seconds are dropped), as ``yyyymmddhhmm`` in UTC.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError
        If a bound is neither a datetime nor a str.
    ValueError
        If a bound cannot be read, ``from_date`` is not before ``to_date``,
        the window is longer than 24 hours, ``from_date`` is in the future,
        or ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"job_id",
        "created_at"}``.

    References
    ----------
    https://docs.x.com/x-api/webhooks/create-replay-job-for-webhook
    """
    webhook = _check_webhook_id(webhook_id)
    start, end = _replay_minute("from_date", from_date), _replay_minute("to_date", to_date)
    if start >= end:
        raise ValueError(
            f"from_date ({start:%Y-%m-%d %H:%M} UTC) must be before to_date "
            f"({end:%Y-%m-%d %H:%M} UTC); to_date is exclusive, to the minute"
        )
    if (end - start).total_seconds() > _facts.MAX_REPLAY_WINDOW_SECONDS:
        raise ValueError(
            f"the replay window ({end - start}) is longer than X's 24 hours; "
            "replay at most the last 24 hours"
        )
    if start > datetime.datetime.now(datetime.timezone.utc):
        raise ValueError(f"from_date ({start:%Y-%m-%d %H:%M} UTC) is in the future")
    body = {
        "webhook_id": webhook,
        "from_date": f"{start:%Y%m%d%H%M}",
        "to_date": f"{end:%Y%m%d%H%M}",
    }
    return Request("POST", "/2/webhooks/replay", json=body, user_auth=user_auth)


_AAA = "/2/account_activity/webhooks/{}/subscriptions"
_AAA_APP_NOTE = """

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``."""


def create_account_activity_subscription(webhook_id: ID, *, user_auth: bool = True) -> Request:
    """Subscribe the authenticating user to the Account Activity API on a webhook.

    X then POSTs that user's activity (DMs sent and received, reads,
    typing, follows, …) to the webhook as Account Activity payloads, which
    ``tweepy_dm.webhooks.parse_webhook`` turns into events.

    This acts as the user: OAuth 1.0a User Context (``user_auth=True``,
    the default), or ``user_auth=False`` with the user's OAuth 2.0 token as
    the client's ``bearer_token``. The Account Activity API v2 is marked
    deprecated (July 2026, no sunset date); new code can subscribe through
    the X Activity API with ``create_activity_subscription(webhook_id=…)``.

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook to deliver to.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context.

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"subscribed": True}``.

    References
    ----------
    https://docs.x.com/x-api/account-activity/create-subscription
    """
    route = _AAA.format(_check_webhook_id(webhook_id)) + "/all"
    return Request("POST", route, json={}, user_auth=user_auth)


def get_account_activity_subscription(webhook_id: ID, *, user_auth: bool = True) -> Request:
    """Whether the authenticating user is subscribed to the webhook (Account Activity).

    This acts as the user, as
    :meth:`~tweepy_dm.Client.create_account_activity_subscription` does.

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context.

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"subscribed": bool}``.

    References
    ----------
    https://docs.x.com/x-api/account-activity/validate-subscription
    """
    route = _AAA.format(_check_webhook_id(webhook_id)) + "/all"
    return Request("GET", route, user_auth=user_auth)


def get_account_activity_subscriptions(webhook_id: ID, *, user_auth: bool = False) -> Request:
    """The users subscribed to a webhook through the Account Activity API.
    {app}

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is
        ``{"application_id", "webhook_id", "webhook_url", "subscriptions":
        [{"user_id"}, …]}``.

    References
    ----------
    https://docs.x.com/x-api/account-activity/get-subscriptions
    """
    route = _AAA.format(_check_webhook_id(webhook_id)) + "/all/list"
    return Request("GET", route, user_auth=user_auth)


def delete_account_activity_subscription(
    webhook_id: ID, user_id: ID, *, user_auth: bool = False
) -> Request:
    """Unsubscribe a user from a webhook (Account Activity): X stops delivering their activity.
    {app}

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook.
    user_id : int | str
        The subscribed user.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Raises
    ------
    TypeError, ValueError
        If an id is malformed. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"subscribed": False}``.

    References
    ----------
    https://docs.x.com/x-api/account-activity/delete-subscription
    """
    webhook = _check_webhook_id(webhook_id)
    _validation.check_id("user_id", user_id)
    return Request("DELETE", _AAA.format(webhook) + f"/{user_id}/all", user_auth=user_auth)


def get_account_activity_subscription_count(*, user_auth: bool = False) -> Request:
    """How many Account Activity subscriptions the app has, and how many it may have.
    {app}

    .. versionadded:: 0.2

    Parameters
    ----------
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context; leave it
        ``False`` to use the app's bearer token.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"account_name",
        "provisioned_count", "subscriptions_count_all",
        "subscriptions_count_direct_messages"}`` (numbers as strings, as X
        sends them).

    Raises
    ------
    tweepy.Forbidden
        If X refuses the token: these endpoints take the app's bearer token.

    References
    ----------
    https://docs.x.com/x-api/account-activity/get-subscription-count
    """
    return Request("GET", "/2/account_activity/subscriptions/count", user_auth=user_auth)


for _builder in (
    get_account_activity_subscriptions,
    delete_account_activity_subscription,
    get_account_activity_subscription_count,
):
    _builder.__doc__ = (_builder.__doc__ or "").replace("\n    {app}\n", _AAA_APP_NOTE + "\n")


# -- The table ---------------------------------------------------------------------

#: Who X lets call an endpoint.
USER = "OAuth 1.0a User Context or OAuth 2.0 user access token"
OAUTH2_USER = "OAuth 2.0 user access token only"
APP = "OAuth 2.0 App Only (the app's bearer token)"
OAUTH2_USER_OR_APP = (
    "OAuth 2.0 user access token of the filtered user for dm.* and chat.*, else the app's "
    "bearer token"
)

#: How a transport sends what a builder returns: ``json`` through tweepy's
#: ``_make_request``, ``download`` as a streamed media download, ``upload`` as
#: the v2 media upload flow.
JSON, DOWNLOAD, UPLOAD = "json", "download", "upload"


class Route(NamedTuple):
    """One of X's routes behind a method."""

    #: ``"METHOD /path/{template}"``, as :data:`tweepy_dm._facts.RATE_LIMITS`
    #: and the emulator name it.
    key: str
    #: X's API reference page.
    reference: str
    #: Shown after the route in the docs, e.g. ``?command=STATUS``.
    suffix: str = ""

    @property
    def title(self) -> str:
        """The route as tweepy's docs write it: ``GET /2/dm_events/:event_id``."""
        method, path = self.key.split(" ", 1)
        parts = [f":{part[1:-1]}" if part.startswith("{") else part for part in path.split("/")]
        return f"{method} {'/'.join(parts)}{self.suffix}"


class Endpoint(NamedTuple):
    """A row of the endpoint table: one client method and everything known about it."""

    name: str
    build: Callable[..., Any]
    aliases: tuple[str, ...]
    routes: tuple[Route, ...]
    group: str
    transport: str = JSON
    auth: str = USER

    @property
    def rate_limits(self) -> dict[str, tuple[_facts.Window, ...]]:
        """X's documented per-user limits of each route, from :mod:`tweepy_dm._facts`."""
        return {route.key: _facts.RATE_LIMITS.get(route.key, ()) for route in self.routes}


_X = "https://docs.x.com/x-api/"
_CHUNKED = _X + "media/quickstart/media-upload-chunked"
_ACTIVITY = _X + "activity/"
_WEBHOOKS = _X + "webhooks/"
_ACCOUNT_ACTIVITY = _X + "account-activity/"

#: The docs groups, in order, with the text that opens each group's section.
GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "Direct Messages lookup": "",
        "Manage Direct Messages": "",
        "Direct Messages blocks": "",
        "Direct Messages media": "",
        "Media upload": (
            "Upload the image, GIF or video that a DM carries, then pass the returned "
            ":class:`DMMedia`'s ``id`` as ``media_id`` when sending. :doc:`media` walks "
            "through it."
        ),
        "Activity subscriptions": (
            "Tell the X Activity API whose events to deliver; ``tweepy_dm.ActivityStream`` "
            "then receives them as they happen. Creating a DM subscription takes that "
            "user's OAuth 2.0 token (``dm.read``); listing, updating and deleting take "
            "the app's bearer token."
        ),
        "Webhooks": (
            "Register the HTTPS endpoint X delivers events to; ``tweepy_dm.webhooks`` "
            "answers its CRC and verifies what X sends (:doc:`webhooks`). These take the "
            "app's bearer token."
        ),
        "Account Activity": (
            "Subscribe users to a webhook through the Account Activity API v2 (marked "
            "deprecated by X in July 2026, no sunset date). Subscribing and checking act "
            "as the user; listing, counting and deleting take the app's bearer token."
        ),
    }
)

#: Every client method, in documentation order. The clients, :func:`tweepy_dm.install`,
#: the type stubs, the docs tables and the emulator's route checks follow from it.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "get_direct_message_events",
        get_direct_message_events,
        ("get_dm_events",),
        (
            Route("GET /2/dm_events", _X + "direct-messages/get-dm-events"),
            Route(
                "GET /2/dm_conversations/with/{participant_id}/dm_events",
                _X + "direct-messages/get-dm-events-for-a-dm-conversation",
            ),
            Route(
                "GET /2/dm_conversations/{dm_conversation_id}/dm_events",
                _X + "direct-messages/get-dm-events-for-a-dm-conversation-1",
            ),
        ),
        "Direct Messages lookup",
    ),
    Endpoint(
        "get_direct_message_event",
        get_direct_message_event,
        ("get_dm_event",),
        (Route("GET /2/dm_events/{event_id}", _X + "direct-messages/get-dm-event-by-id"),),
        "Direct Messages lookup",
    ),
    Endpoint(
        "create_direct_message",
        create_direct_message,
        ("create_dm",),
        (
            Route(
                "POST /2/dm_conversations/with/{participant_id}/messages",
                _X + "direct-messages/create-dm-message-by-participant-id",
            ),
            Route(
                "POST /2/dm_conversations/{dm_conversation_id}/messages",
                _X + "direct-messages/create-dm-message-by-dm-conversation-id",
            ),
        ),
        "Manage Direct Messages",
    ),
    Endpoint(
        "create_direct_message_conversation",
        create_direct_message_conversation,
        ("create_dm_conversation",),
        (Route("POST /2/dm_conversations", _X + "direct-messages/create-dm-conversation"),),
        "Manage Direct Messages",
    ),
    Endpoint(
        "delete_direct_message_event",
        delete_direct_message_event,
        ("delete_dm_event",),
        (Route("DELETE /2/dm_events/{event_id}", _X + "direct-messages/delete-dm-event"),),
        "Manage Direct Messages",
    ),
    Endpoint(
        "block_direct_messages",
        block_direct_messages,
        ("block_dms",),
        (Route("POST /2/users/{id}/dm/block", _X + "users/block-dms"),),
        "Direct Messages blocks",
    ),
    Endpoint(
        "unblock_direct_messages",
        unblock_direct_messages,
        ("unblock_dms",),
        (Route("POST /2/users/{id}/dm/unblock", _X + "users/unblock-dms"),),
        "Direct Messages blocks",
    ),
    Endpoint(
        "get_direct_message_media",
        get_direct_message_media,
        ("get_dm_media",),
        (
            Route(
                "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}",
                _X + "direct-messages/get-dm-media",
            ),
        ),
        "Direct Messages media",
        transport=DOWNLOAD,
        auth=OAUTH2_USER,
    ),
    Endpoint(
        "upload_dm_media",
        _media.upload_dm_media,
        (),
        (
            Route("POST /2/media/upload", _X + "media/media-upload"),
            Route("POST /2/media/upload/initialize", _CHUNKED),
            Route("POST /2/media/upload/{id}/append", _CHUNKED),
            Route("POST /2/media/upload/{id}/finalize", _CHUNKED),
            Route("GET /2/media/upload", _CHUNKED, "?command=STATUS"),
        ),
        "Media upload",
        transport=UPLOAD,
    ),
    Endpoint(
        "create_activity_subscription",
        create_activity_subscription,
        (),
        (Route("POST /2/activity/subscriptions", _ACTIVITY + "create-x-activity-subscription"),),
        "Activity subscriptions",
        auth=OAUTH2_USER_OR_APP,
    ),
    Endpoint(
        "get_activity_subscriptions",
        get_activity_subscriptions,
        (),
        (Route("GET /2/activity/subscriptions", _ACTIVITY + "get-x-activity-subscriptions"),),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "update_activity_subscription",
        update_activity_subscription,
        (),
        (
            Route(
                "PUT /2/activity/subscriptions/{subscription_id}",
                _ACTIVITY + "update-x-activity-subscription",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "delete_activity_subscription",
        delete_activity_subscription,
        (),
        (
            Route(
                "DELETE /2/activity/subscriptions/{subscription_id}",
                _ACTIVITY + "deletes-x-activity-subscription",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "delete_activity_subscriptions",
        delete_activity_subscriptions,
        (),
        (
            Route(
                "DELETE /2/activity/subscriptions",
                _ACTIVITY + "delete-x-activity-subscriptions-by-ids",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "create_webhook",
        create_webhook,
        (),
        (Route("POST /2/webhooks", _WEBHOOKS + "create-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "get_webhooks",
        get_webhooks,
        (),
        (Route("GET /2/webhooks", _WEBHOOKS + "get-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "validate_webhook",
        validate_webhook,
        (),
        (Route("PUT /2/webhooks/{webhook_id}", _WEBHOOKS + "validate-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "delete_webhook",
        delete_webhook,
        (),
        (Route("DELETE /2/webhooks/{webhook_id}", _WEBHOOKS + "delete-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "replay_webhook_events",
        replay_webhook_events,
        (),
        (Route("POST /2/webhooks/replay", _WEBHOOKS + "create-replay-job-for-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "create_account_activity_subscription",
        create_account_activity_subscription,
        (),
        (
            Route(
                "POST /2/account_activity/webhooks/{webhook_id}/subscriptions/all",
                _ACCOUNT_ACTIVITY + "create-subscription",
            ),
        ),
        "Account Activity",
    ),
    Endpoint(
        "get_account_activity_subscription",
        get_account_activity_subscription,
        (),
        (
            Route(
                "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all",
                _ACCOUNT_ACTIVITY + "validate-subscription",
            ),
        ),
        "Account Activity",
    ),
    Endpoint(
        "get_account_activity_subscriptions",
        get_account_activity_subscriptions,
        (),
        (
            Route(
                "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all/list",
                _ACCOUNT_ACTIVITY + "get-subscriptions",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
    Endpoint(
        "delete_account_activity_subscription",
        delete_account_activity_subscription,
        (),
        (
            Route(
                "DELETE /2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all",
                _ACCOUNT_ACTIVITY + "delete-subscription",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
    Endpoint(
        "get_account_activity_subscription_count",
        get_account_activity_subscription_count,
        (),
        (
            Route(
                "GET /2/account_activity/subscriptions/count",
                _ACCOUNT_ACTIVITY + "get-subscription-count",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
)
