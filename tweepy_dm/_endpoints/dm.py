"""Request builders of the Direct Messages endpoints (lookup and manage, media downloads)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tweepy_dm import _validation
from tweepy_dm._endpoints._common import (
    ID,
    Fields,
    MediaDownload,
    Request,
    _check_file,
    _conversation_route,
    _merge_fields,
    _message,
    _query,
    _with_file,
)
from tweepy_dm._facts import DM_EVENT_FIELD_PARAMETERS, DM_EVENT_LOOKUP_PARAMETERS
from tweepy_dm._models import DirectMessageEvent

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
    {user_auth}
    **params
        Any other query parameter, sent as given; the ``tweepy_dm.client``
        logger warns "Unexpected parameter: ..." about it, as tweepy does.

        .. versionadded:: 0.2

    Raises
    ------
    TypeError
        If both ``dm_conversation_id`` and ``participant_id`` are passed, or an
        argument has the wrong type.
    ValueError
        If an id is malformed, ``max_results`` is not 1 to 100, or an event
        type is unknown. Nothing is sent.

    {returns}
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
    {user_auth}
    **params
        Any other query parameter, sent as given; the ``tweepy_dm.client``
        logger warns "Unexpected parameter: ..." about it, as tweepy does.

        .. versionadded:: 0.2

    Raises
    ------
    TypeError
        If ``event_id`` is not an int or a string.
    ValueError
        If ``event_id`` is not a valid id. Nothing is sent.

    {returns}
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
    file: Any = None,
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
    {xchat_file}
    {user_auth}

    Raises
    ------
    TypeError
        If neither or both of ``dm_conversation_id`` and ``participant_id``
        are passed, or an argument has the wrong type.
    ValueError
        If an id is malformed, there is neither text nor media, or the text is
        empty or longer than 10,000 characters. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` holds the
        ``dm_conversation_id`` and the new ``dm_event_id``.

    References
    ----------
    https://docs.x.com/x-api/direct-messages/create-dm-message-by-dm-conversation-id
    https://docs.x.com/x-api/direct-messages/create-dm-message-by-participant-id
    """
    route = _conversation_route(dm_conversation_id, participant_id, "messages", required=True)
    _check_file(file, text, media_id)
    request = Request("POST", route, json=_message(text, media_id), user_auth=user_auth)
    return _with_file(request, file)


def create_direct_message_conversation(
    *,
    media_id: ID | None = None,
    text: str | None = None,
    participant_ids: Iterable[ID],
    file: Any = None,
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
    {xchat_file}
    {user_auth}

    {raises_type}
    ValueError
        If an id is malformed, ``participant_ids`` does not hold 2 to 49
        distinct users, there is neither text nor media, or the text is empty
        or longer than 10,000 characters. Nothing is sent.

    {returns}
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
    _check_file(file, text, media_id)
    body = {
        "conversation_type": "Group",
        "message": _message(text, media_id),
        "participant_ids": [str(participant_id) for participant_id in participant_ids],
    }
    request = Request("POST", "/2/dm_conversations", json=body, user_auth=user_auth)
    return _with_file(request, file)


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
    {user_auth}

    Raises
    ------
    TypeError
        If ``event_id`` is not an int or a string.
    ValueError
        If ``event_id`` is not a valid id. Nothing is sent.

    {returns}
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
    {user_auth}

    Raises
    ------
    TypeError
        If ``user_id`` is not an int or a string.
    ValueError
        If ``user_id`` is not a valid id. Nothing is sent.

    {returns}
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
    {user_auth}

    Raises
    ------
    TypeError
        If ``user_id`` is not an int or a string.
    ValueError
        If ``user_id`` is not a valid id. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is
        ``{"blocked": False}``.

    References
    ----------
    https://docs.x.com/x-api/users/unblock-dms
    """
    _validation.check_id("user_id", user_id)
    return Request("POST", f"/2/users/{user_id}/dm/unblock", user_auth=user_auth)


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
