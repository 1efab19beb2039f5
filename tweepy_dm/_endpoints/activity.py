"""Request builders of the X Activity API's subscriptions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tweepy_dm import _facts, _validation
from tweepy_dm._activity import ActivitySubscription
from tweepy_dm._endpoints._common import ID, Request, _query

# Activity subscriptions


def _subscription(
    tag: str | None, webhook_id: ID | None, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = {} if body is None else body
    if tag is not None:
        _validation.check_activity_tag(tag)
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

    {raises_type}
    ValueError
        If ``event_type`` or ``direction`` is not one X knows, an id is
        malformed, or ``tag`` is empty or longer than 200 characters.
        Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is the new ``tweepy_dm.ActivitySubscription``.

    References
    ----------
    https://docs.x.com/x-api/activity/create-x-activity-subscription
    """
    _validation.check_activity_event_type(event_type)
    _validation.check_id("user_id", user_id)
    activity_filter: dict[str, Any] = {"user_id": str(user_id)}
    if direction is not None:
        _validation.check_str("direction", direction)
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
    {user_auth_app}

    {raises_type}
    ValueError
        If ``max_results`` is not 1 to 1,000 or ``pagination_token`` is not
        one X returned. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of ``tweepy_dm.ActivitySubscription``.

    References
    ----------
    https://docs.x.com/x-api/activity/get-x-activity-subscriptions
    """
    _validation.check_page(
        max_results,
        pagination_token,
        most=_facts.MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE,
        shortest_token=_facts.MIN_ACTIVITY_PAGINATION_TOKEN_LENGTH,
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
    {user_auth_app}

    Raises
    ------
    TypeError
        If an argument has the wrong type, or neither ``tag`` nor
        ``webhook_id`` is given.
    ValueError
        If an id is malformed or ``tag`` is empty or longer than 200
        characters. Nothing is sent.

    {returns}
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
    {user_auth_app}

    Raises
    ------
    TypeError
        If ``subscription_id`` is not an int or a string.
    ValueError
        If ``subscription_id`` is not a valid id. Nothing is sent.

    {returns}
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
    {user_auth_app}

    Raises
    ------
    TypeError
        If ``ids`` is not an iterable of ids (a str is not).
    ValueError
        If there are no ids or more than 100, or one is malformed. Nothing is
        sent.

    {returns}
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
