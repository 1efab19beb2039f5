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

from tweepy_dm import _chat_ids, _chat_media, _facts, _media, _validation
from tweepy_dm._activity import ActivitySubscription
from tweepy_dm._chat_models import ChatConversation, ChatMessageEvent, PublicKey
from tweepy_dm._facts import DM_EVENT_FIELD_PARAMETERS, DM_EVENT_LOOKUP_PARAMETERS
from tweepy_dm._media import Progress
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


# XChat (encrypted DMs)


def _chat_fields(name: str, value: Any, allowed: tuple[str, ...]) -> Any:
    """Field names or expansions checked against X's list (before anything is sent)."""
    if value is None:
        return None
    checked = _validation.check_names(name, value)
    names = checked.split(",") if isinstance(checked, str) else checked
    unknown = [item for item in names if item not in allowed]
    if unknown:
        raise ValueError(f"{name} must be among {', '.join(allowed)}; unknown: {unknown!r}")
    return names


def _chat_page(max_results: Any, pagination_token: Any) -> None:
    most = _facts.MAX_CHAT_RESULTS
    if max_results is not None:
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise TypeError(
                f"max_results must be an int, not {type(max_results).__name__}: {max_results!r}"
            )
        if not 1 <= max_results <= most:
            raise ValueError(f"max_results must be 1 to {most}, got {max_results}")
    if pagination_token is not None:
        _check_str("pagination_token", pagination_token)
        if not pagination_token or not pagination_token.isascii() or " " in pagination_token:
            raise ValueError(
                f"pagination_token must be a page's meta next_token, got {pagination_token!r}"
            )


def _chat_string(name: str, value: Any, pattern: Any = None, what: str = "") -> str:
    _check_str(name, value)
    if not value or (pattern is not None and not pattern.fullmatch(value)):
        raise ValueError(f"{name} must be {what or 'a non-empty string'}, got {value!r}")
    return value


def _version(name: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return _chat_string(name, value, _facts.NUMERIC_PATTERN, "a numeric string (a version)")


def _list_of(name: str, value: Any) -> list[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list, not {type(value).__name__}: {value!r}")
    return list(value)


_SIGNATURE_FIELDS = ("public_key_version", "signature", "signature_version")


def _action_signatures(value: Any, *, required: bool) -> Optional[list[dict[str, Any]]]:
    """X's ``action_signatures``: each ``message_id``, the signed detail and its signature.

    They are made by the SDK (``prepare_*`` of ``chat_xdk.Chat``); checked here
    for their shape only, so that a wrong one fails before it is sent.
    """
    if value is None:
        if required:
            raise TypeError("action_signatures is required: the SDK's prepare_* call makes them")
        return None
    signatures = []
    for item in _list_of("action_signatures", value):
        if not isinstance(item, Mapping):
            raise TypeError(f"action_signatures must hold dicts, not {type(item).__name__}")
        missing = [
            key
            for key in ("message_id", "encoded_message_event_detail", "message_event_signature")
            if key not in item
        ]
        if missing:
            raise ValueError(f"an action signature lacks {', '.join(missing)}")
        _chat_string("action_signatures[].message_id", item["message_id"])
        _chat_string(
            "action_signatures[].encoded_message_event_detail",
            item["encoded_message_event_detail"],
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
        signature = item["message_event_signature"]
        if not isinstance(signature, Mapping):
            raise TypeError("action_signatures[].message_event_signature must be a dict")
        for key in _SIGNATURE_FIELDS:
            if key not in signature:
                raise ValueError(f"action_signatures[].message_event_signature lacks {key}")
        _chat_string(
            "message_event_signature.signature",
            signature["signature"],
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
        _version("message_event_signature.public_key_version", signature["public_key_version"])
        _version("message_event_signature.signature_version", signature["signature_version"])
        signatures.append(dict(item))
    if required and not signatures:
        raise ValueError("action_signatures must hold at least one signature")
    return signatures


def _participant_keys(value: Any) -> list[dict[str, str]]:
    keys = []
    for item in _list_of("conversation_participant_keys", value):
        if not isinstance(item, Mapping):
            raise TypeError(
                f"conversation_participant_keys must hold dicts, not {type(item).__name__}"
            )
        for key in ("user_id", "encrypted_conversation_key", "public_key_version"):
            if key not in item:
                raise ValueError(f"a participant key lacks {key}")
        keys.append(
            {
                "user_id": _chat_ids.check_user_id(item["user_id"], "user_id"),
                "encrypted_conversation_key": _chat_string(
                    "encrypted_conversation_key", item["encrypted_conversation_key"]
                ),
                "public_key_version": _version("public_key_version", item["public_key_version"]),
            }
        )
    if not keys:
        raise ValueError("conversation_participant_keys must hold a key for each participant")
    return keys


def _user_ids(name: str, value: Any, *, low: int = 1, high: int = 100) -> list[str]:
    ids = [_chat_ids.check_user_id(item, name) for item in _list_of(name, value)]
    if not low <= len(ids) <= high:
        raise ValueError(f"{name} must hold {low} to {high} user ids, got {len(ids)}")
    return ids


def _key_body(
    conversation_key_version: Any,
    conversation_participant_keys: Any,
    action_signatures: Any,
    base64_encoded_key_rotation: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "conversation_key_version": _version("conversation_key_version", conversation_key_version),
        "conversation_participant_keys": _participant_keys(conversation_participant_keys),
    }
    signatures = _action_signatures(action_signatures, required=False)
    if signatures is not None:
        body["action_signatures"] = signatures
    if base64_encoded_key_rotation is not None:
        body["base64_encoded_key_rotation"] = _chat_string(
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a field or expansion is unknown or ``max_results`` is not 1 to 100.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`ChatConversation`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversations
    """
    _chat_page(max_results, pagination_token)
    params = _query(
        chat_conversation_fields=_chat_fields(
            "chat_conversation_fields", chat_conversation_fields, _facts.CHAT_CONVERSATION_FIELDS
        ),
        expansions=_chat_fields("expansions", expansions, _facts.CHAT_CONVERSATION_EXPANSIONS),
        max_results=max_results,
        pagination_token=pagination_token,
        user_fields=_chat_fields("user_fields", user_fields, _facts.USER_FIELDS),
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``conversation_id`` is in none of X's forms or a field is unknown.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`ChatConversation`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    params = _query(
        chat_conversation_fields=_chat_fields(
            "chat_conversation_fields", chat_conversation_fields, _facts.CHAT_CONVERSATION_FIELDS
        ),
        expansions=_chat_fields("expansions", expansions, _facts.CHAT_CONVERSATION_EXPANSIONS),
        user_fields=_chat_fields("user_fields", user_fields, _facts.USER_FIELDS),
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``conversation_id`` is in none of X's forms, a field is unknown or
        ``max_results`` is not 1 to 100. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`ChatMessageEvent`.

    References
    ----------
    https://docs.x.com/x-api/chat/get-chat-conversation-events
    """
    path = _chat_ids.path_id(conversation_id)
    _chat_page(max_results, pagination_token)
    fields = _chat_fields(
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``conversation_id`` is in none of X's forms or a value is empty or
        not base64. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` holds the
        ``encoded_message_event`` X stored.

    References
    ----------
    https://docs.x.com/x-api/chat/send-chat-message
    """
    path = _chat_ids.path_id(conversation_id)
    body = {
        "message_id": _chat_string("message_id", message_id),
        "encoded_message_create_event": _chat_string(
            "encoded_message_create_event",
            encoded_message_create_event,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        ),
    }
    if encoded_message_event_signature is not None:
        body["encoded_message_event_signature"] = _chat_string(
            "encoded_message_event_signature",
            encoded_message_event_signature,
            _facts.CHAT_BASE64_PATTERN,
            "base64",
        )
    if conversation_token is not None:
        body["conversation_token"] = _chat_string("conversation_token", conversation_token)
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type or ``action_signatures`` is missing.
    ValueError
        If an id is malformed, there is no sequence id, or the action is not
        one X knows. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/chat/delete-chat-messages
    """
    path = _chat_ids.path_id(conversation_id)
    ids = _user_ids("sequence_ids", sequence_ids, high=1000)
    _check_str("delete_message_action", delete_message_action)
    if delete_message_action not in _facts.CHAT_DELETE_ACTIONS:
        raise ValueError(
            f"delete_message_action must be one of {', '.join(_facts.CHAT_DELETE_ACTIONS)}, "
            f"got {delete_message_action!r}"
        )
    body: dict[str, Any] = {
        "action_signatures": _action_signatures(action_signatures, required=True),
        "delete_message_action": delete_message_action,
        "sequence_ids": ids,
    }
    if media_hash_keys is not None:
        if delete_message_action != "delete_for_all":
            raise ValueError("media_hash_keys go with delete_for_all only")
        body["media_hash_keys"] = [
            _chat_string("media_hash_keys", key, _facts.MEDIA_HASH_KEY_PATTERN, "1 to 50 letters")
            for key in _list_of("media_hash_keys", media_hash_keys)
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If an id is malformed. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``conversation_id`` is not an int or a str.
    ValueError
        If ``conversation_id`` is in none of X's forms. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If an id or version is malformed or a key lacks a field. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``user_auth`` is given positionally.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``conversation_id`` is not a group id, or an id or key is malformed.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    body["group_members"] = _user_ids("group_members", group_members, low=2)
    if group_admins is not None:
        body["group_admins"] = _user_ids("group_admins", group_admins)
    for name, value in (
        ("group_name", group_name),
        ("group_description", group_description),
        ("group_avatar_url", group_avatar_url),
    ):
        if value is not None:
            body[name] = _chat_string(name, value)
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``conversation_id`` is not a group id, or an id or key is malformed.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says (X's spec types ``data`` as a
        Post; the emulator answers the group's id).

    References
    ----------
    https://docs.x.com/x-api/chat/add-members-to-a-chat-group-conversation
    """
    path = _chat_ids.path_id(conversation_id)
    if not path.startswith("g"):
        raise ValueError(f"conversation_id must be a group id ('g…'), got {conversation_id!r}")
    body: dict[str, Any] = {"user_ids": _user_ids("user_ids", user_ids)}
    if conversation_key_version is not None or conversation_participant_keys is not None:
        body.update(_key_body(conversation_key_version, conversation_participant_keys, None, None))
    signatures = _action_signatures(action_signatures, required=False)
    if signatures is not None:
        body["action_signatures"] = signatures
    for name, value in (
        ("encrypted_title", encrypted_title),
        ("encrypted_avatar_url", encrypted_avatar_url),
    ):
        if value is not None:
            body[name] = _chat_string(name, value)
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``user_id`` is malformed or a field is unknown. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`PublicKey`, oldest version first.

    References
    ----------
    https://docs.x.com/x-api/chat/get-user-public-keys
    """
    user = _chat_ids.check_user_id(user_id)
    params = _query(
        public_key_fields=_chat_fields(
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If ``ids`` is not a list of ids.
    ValueError
        If there are no ids or more than 100, one is malformed, or a field is
        unknown. Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`PublicKey`.

    References
    ----------
    https://docs.x.com/x-api/users/get-public-keys-for-multiple-users
    """
    users = _user_ids("ids", ids, high=_facts.MAX_PUBLIC_KEY_IDS)
    params = _query(
        ids=users,
        public_key_fields=_chat_fields(
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a field is missing or unknown, or the version is not numeric.
        Nothing is sent.

    Returns
    -------
    dict | requests.Response | aiohttp.ClientResponse | tweepy.Response
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
    registration = {name: _chat_string(name, value) for name, value in public_key.items()}
    body: dict[str, Any] = {
        "public_key": registration,
        "version": _version("version", version),
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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

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
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False``
        to use an OAuth 2.0 user access token given as the bearer token.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
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
    key = _chat_string(
        "media_hash_key", media_hash_key, _facts.MEDIA_HASH_KEY_PATTERN, "1 to 50 letters/digits"
    )
    _validation.check_destination(file)
    return MediaDownload(Request("GET", f"/2/chat/media/{path}/{key}", user_auth=user_auth), file)


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
        "XChat": (
            "X's end-to-end encrypted DMs. These methods move ciphertext, keys and "
            "signatures made by X's SDK; :doc:`xchat` shows ``tweepy_dm.xchat.XChat``, "
            "which encrypts, signs and decrypts with it."
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

_CHAT = _X + "chat/"


def _chat_row(
    name: str, build: Callable[..., Any], *routes: tuple[str, str], **kw: Any
) -> Endpoint:
    return Endpoint(
        name,
        build,
        (),
        tuple(Route(key, _CHAT + page) for key, page in routes),
        "XChat",
        **kw,
    )


_CONVERSATION = "/2/chat/conversations/{id}"
#: The XChat rows (issue 15), in documentation order.
CHAT_ENDPOINTS: tuple[Endpoint, ...] = (
    _chat_row(
        "get_chat_conversations",
        get_chat_conversations,
        ("GET /2/chat/conversations", "get-chat-conversations"),
    ),
    _chat_row(
        "get_chat_conversation",
        get_chat_conversation,
        (f"GET {_CONVERSATION}", "get-chat-conversation"),
    ),
    _chat_row(
        "get_chat_conversation_events",
        get_chat_conversation_events,
        (f"GET {_CONVERSATION}/events", "get-chat-conversation-events"),
    ),
    _chat_row(
        "send_chat_message",
        send_chat_message,
        (f"POST {_CONVERSATION}/messages", "send-chat-message"),
    ),
    _chat_row(
        "delete_chat_messages",
        delete_chat_messages,
        (f"POST {_CONVERSATION}/messages/delete", "delete-chat-messages"),
    ),
    _chat_row(
        "mark_chat_conversation_read",
        mark_chat_conversation_read,
        (f"POST {_CONVERSATION}/read", "mark-conversation-as-read"),
    ),
    _chat_row(
        "send_chat_typing_indicator",
        send_chat_typing_indicator,
        (f"POST {_CONVERSATION}/typing", "send-typing-indicator"),
    ),
    _chat_row(
        "add_chat_conversation_keys",
        add_chat_conversation_keys,
        (f"POST {_CONVERSATION}/keys", "add-conversation-keys"),
    ),
    _chat_row(
        "initialize_chat_group",
        initialize_chat_group,
        ("POST /2/chat/conversations/group/initialize", "initialize-chat-group"),
    ),
    _chat_row(
        "create_chat_group",
        create_chat_group,
        ("POST /2/chat/conversations/group", "create-chat-group-conversation"),
    ),
    _chat_row(
        "add_chat_group_members",
        add_chat_group_members,
        (f"POST {_CONVERSATION}/members", "add-members-to-a-chat-group-conversation"),
    ),
    _chat_row(
        "get_user_public_keys",
        get_user_public_keys,
        ("GET /2/users/{id}/public_keys", "get-user-public-keys"),
    ),
    Endpoint(
        "get_users_public_keys",
        get_users_public_keys,
        (),
        (Route("GET /2/users/public_keys", _X + "users/get-public-keys-for-multiple-users"),),
        "XChat",
    ),
    _chat_row(
        "add_user_public_key",
        add_user_public_key,
        ("POST /2/users/{id}/public_keys", "add-public-key"),
    ),
    _chat_row(
        "upload_chat_media",
        upload_chat_media,
        ("POST /2/chat/media/upload/initialize", "initialize-chat-media-upload"),
        ("POST /2/chat/media/upload/{id}/append", "append-chat-media-upload"),
        ("POST /2/chat/media/upload/{id}/finalize", "finalize-chat-media-upload"),
        transport=UPLOAD,
    ),
    _chat_row(
        "get_chat_media",
        get_chat_media,
        ("GET /2/chat/media/{id}/{media_hash_key}", "download-chat-media"),
        transport=DOWNLOAD,
    ),
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
    *CHAT_ENDPOINTS,
)
