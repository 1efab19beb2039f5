"""The routes of webhooks (``/2/webhooks``) and of the Account Activity API v2.

Rows of the route table (:data:`ROWS`), each handler a plain function of the
app and the request's context. Auth, declared on each row, as X's spec has it:
the webhook operations take the app's bearer token (creating, validating and
deleting also OAuth 1.0a); subscribing a user and checking a subscription act
as the user (OAuth 1.0a or the user's OAuth 2.0 token); listing, counting and
deleting subscriptions take the app's bearer token. Unlike X, ``http://127.0.0.1:PORT/…`` and
``http://localhost:PORT/…`` webhook URLs are accepted, for local receivers.
"""

from __future__ import annotations

import calendar
import time
from typing import Any

from tweepy_dm import _facts
from tweepy_dm.emulator import _params
from tweepy_dm.emulator._errors import invalid_parameter, invalid_request
from tweepy_dm.emulator._render import timestamp
from tweepy_dm.emulator._table import APP_ONLY, APP_OR_OAUTH1, Row

_WEBHOOKS = "/2/webhooks"
_AAA = "/2/account_activity/webhooks/{webhook_id}/subscriptions"
_WEBHOOK_FIELDS = ("created_at", "id", "url", "valid")


def _webhook_id(value: str) -> int:
    return _params.id_value("webhook_id", value)


def create(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    extra = sorted(set(body) - {"url"})
    if extra:
        raise invalid_request(
            f"The body fields [{','.join(extra)}] are not allowed; use [url]",
            {name: [_params.echo(body[name])] for name in extra},
        )
    url = body.get("url")
    if not isinstance(url, str):
        raise invalid_request("The `url` field is required: a string", {"url": [_params.echo(url)]})
    webhook = app.webhooks.create(url)
    return 200, {"data": webhook.data()}, {}


def list_webhooks(app: Any, context: Any) -> Any:
    fields = context.query["webhook_config.fields"]
    found = [hook.data(fields) for hook in app.webhooks.webhooks()]
    body: dict[str, Any] = {"data": found} if found else {}
    body["meta"] = {"result_count": len(found)}
    return 200, body, {}


def validate(app: Any, context: Any, webhook_id: str) -> Any:
    valid = app.webhooks.validate(_webhook_id(webhook_id))
    return 200, {"data": {"valid": valid}}, {}


def delete(app: Any, context: Any, webhook_id: str) -> Any:
    app.webhooks.delete(_webhook_id(webhook_id))
    return 200, {"data": {"deleted": True}}, {}


def _replay_time(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if not isinstance(value, str) or not _facts.REPLAY_DATE_PATTERN.fullmatch(value):
        raise invalid_parameter(
            name, _params.echo(value), f"QueryParamInvalid: `{name}` must be yyyymmddhhmm (UTC)"
        )
    try:
        return float(calendar.timegm(time.strptime(value, "%Y%m%d%H%M")))
    except ValueError:
        raise invalid_parameter(
            name, value, f"QueryParamInvalid: `{name}` [{value}] is not a real time"
        ) from None


def replay(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    hub = app.webhooks
    webhook_id = _params.id_value("webhook_id", _params.echo(body.get("webhook_id")))
    start, end = _replay_time(body, "from_date"), _replay_time(body, "to_date")
    job_id = hub.replay(webhook_id, start, end)
    return 200, {"data": {"job_id": job_id, "created_at": timestamp(hub.now())}}, {}


def subscribe(app: Any, context: Any, webhook_id: str) -> Any:
    user_id = context.user.id
    app.webhooks.subscribe(_webhook_id(webhook_id), user_id)
    return 200, {"data": {"subscribed": True}}, {}


def check(app: Any, context: Any, webhook_id: str) -> Any:
    user_id = context.user.id
    subscribed = app.webhooks.subscribed(_webhook_id(webhook_id), user_id)
    return 200, {"data": {"subscribed": subscribed}}, {}


def list_subscriptions(app: Any, context: Any, webhook_id: str) -> Any:
    hub = app.webhooks
    number = _webhook_id(webhook_id)
    data = {
        "application_id": str(app.store.app.get("app_id", "1")),
        "webhook_id": str(number),
        "webhook_url": hub.get(number).url,
        "subscriptions": [{"user_id": str(user)} for user in hub.subscribers(number)],
    }
    return 200, {"data": data}, {}


def unsubscribe(app: Any, context: Any, webhook_id: str, user_id: str) -> Any:
    user = _params.id_value("user_id", user_id)
    app.webhooks.unsubscribe(_webhook_id(webhook_id), user)
    return 200, {"data": {"subscribed": False}}, {}


def count(app: Any, context: Any) -> Any:
    hub = app.webhooks
    data = {
        "account_name": "tweepy-dm-emulator",
        "provisioned_count": str(hub.max_subscriptions),
        "subscriptions_count_all": str(hub.subscription_count()),
        # X: DM-only subscriptions are no longer offered; the count is always "0".
        "subscriptions_count_direct_messages": "0",
    }
    return 200, {"data": data}, {}


#: The routes of webhooks and of the Account Activity API.
ROWS: tuple[Row, ...] = (
    Row(f"POST {_WEBHOOKS}", create, auth=APP_OR_OAUTH1),
    Row(
        f"GET {_WEBHOOKS}",
        list_webhooks,
        {"webhook_config.fields": _params.one_of(_WEBHOOK_FIELDS)},
        APP_ONLY,
    ),
    Row(f"PUT {_WEBHOOKS}/{{webhook_id}}", validate, auth=APP_OR_OAUTH1),
    Row(f"DELETE {_WEBHOOKS}/{{webhook_id}}", delete, auth=APP_OR_OAUTH1),
    Row(f"POST {_WEBHOOKS}/replay", replay, auth=APP_ONLY),
    Row(f"POST {_AAA}/all", subscribe),
    Row(f"GET {_AAA}/all", check),
    Row(f"GET {_AAA}/all/list", list_subscriptions, auth=APP_ONLY),
    Row(f"DELETE {_AAA}/{{user_id}}/all", unsubscribe, auth=APP_ONLY),
    Row("GET /2/account_activity/subscriptions/count", count, auth=APP_ONLY),
)

__all__ = ["ROWS"]
