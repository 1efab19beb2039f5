"""Request builders of the Account Activity API v2 subscriptions."""

from __future__ import annotations

from tweepy_dm import _validation
from tweepy_dm._endpoints._common import ID, Request
from tweepy_dm._endpoints.webhooks import _check_webhook_id

_AAA = "/2/account_activity/webhooks/{}/subscriptions"


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

    {returns}
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

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"subscribed": bool}``.

    References
    ----------
    https://docs.x.com/x-api/account-activity/validate-subscription
    """
    route = _AAA.format(_check_webhook_id(webhook_id)) + "/all"
    return Request("GET", route, user_auth=user_auth)


def get_account_activity_subscriptions(webhook_id: ID, *, user_auth: bool = False) -> Request:
    """The users subscribed to a webhook through the Account Activity API.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook.
    {user_auth_app}

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    {returns}
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

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    webhook_id : int | str
        The webhook.
    user_id : int | str
        The subscribed user.
    {user_auth_app}

    Raises
    ------
    TypeError, ValueError
        If an id is malformed. Nothing is sent.

    {returns}
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

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    {user_auth_app}

    {returns}
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
