"""Request builders of webhook management (the Webhooks API, replay included)."""

from __future__ import annotations

import datetime
from typing import Any, Union

from tweepy_dm import _facts, _validation
from tweepy_dm._endpoints._common import ID, Request

# Webhooks and the Account Activity API


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
    {user_auth_app}

    Raises
    ------
    TypeError
        If ``url`` is not a str.
    ValueError
        If ``url`` is not HTTPS, names a port, or is longer than 200
        characters. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"id", "url",
        "valid", "created_at"}``.

    References
    ----------
    https://docs.x.com/x-api/webhooks/create-webhook
    """
    _validation.check_str("url", url)
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
    {user_auth_app}

    {returns}
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
    {user_auth_app}

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    {returns}
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
    {user_auth_app}

    Raises
    ------
    TypeError, ValueError
        If ``webhook_id`` is not an id. Nothing is sent.

    {returns}
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
    {user_auth_app}

    Raises
    ------
    TypeError
        If a bound is neither a datetime nor a str.
    ValueError
        If a bound cannot be read, ``from_date`` is not before ``to_date``,
        the window is longer than 24 hours, ``from_date`` is in the future,
        or ``webhook_id`` is not an id. Nothing is sent.

    {returns}
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
